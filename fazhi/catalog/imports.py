"""Excel import of the enforcement catalog: upload → validation in the background → apply.

ARCHITECTURE §5 rule 6: an import applies every row or none, and reports each bad row with its
column and reason. An import is therefore two passes over the same stored file:

1. *Validation* (the dry run). Every row is parsed (:mod:`fazhi.catalog.excel`) and checked with
   the services' own validators — ``fill_item``, ``fill_officer``, ``check_body``,
   ``check_list``, ``check_entry``, ``check_standard`` and :mod:`fazhi.catalog.conversions` —
   plus what only the whole file shows: a code twice in the file, a row that would overwrite
   another unit's record, an organization outside the actor's data scope. Nothing is written
   but the job's own progress, so a file with one bad row among thousands changes nothing.
2. *Apply* (:func:`apply_import`, the service). In ONE transaction: validate again (the database
   may have changed since the dry run), bulk-create and bulk-update, and record exactly one
   ledger event with the stored file attached by its digest.

The job row (:class:`ImportJob`) holds status, progress and errors in the database, so any web
process can show them while a worker thread or ``fazhi catalog import`` does the work
(ARCHITECTURE §10: no memory shared between requests). Uploading and validating write only
that working row and the content-addressed file, never catalog records, so they append
nothing to the ledger: the import that changes the catalog is recorded once, when applied.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connections, models, transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from fazhi.catalog import excel
from fazhi.catalog.conversions import (
    CatalogValidationError,
    TierInput,
    check_credit_code,
    conditions_from_json,
)
from fazhi.catalog.excel import RowError, SheetRows, SheetSpec
from fazhi.catalog.models import (
    IMPORT_KIND_LABELS,
    DiscretionStandard,
    DiscretionTier,
    EnforcementBody,
    EnforcementItem,
    ImportJob,
    ImportKind,
    ImportStatus,
    LenientList,
    LenientListEntry,
    Officer,
)
from fazhi.catalog.services import (
    check_body,
    check_entry,
    check_list,
    check_standard,
    fill_item,
    fill_officer,
)
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.exports import XLSX_CONTENT_TYPE
from fazhi.core.models import Organization, User
from fazhi.core.permissions import has_perm, require
from fazhi.core.selectors import visible_organizations
from fazhi.ledger.services import attachment_path, record, store_attachment

logger = logging.getLogger(__name__)

KIND_PERMISSION: dict[str, str] = {
    ImportKind.BODIES: "catalog.manage_bodies",
    ImportKind.OFFICERS: "catalog.manage_officers",
    ImportKind.ITEMS: "catalog.manage",
    ImportKind.LIST_ENTRIES: "catalog.manage",
    ImportKind.STANDARDS: "catalog.manage",
}
# The kinds of each group (an app's import pages list only its own), and the ledger stream
# an applied import of a kind is recorded in. Other apps add theirs with :func:`register`.
CATALOG = "catalog"
KIND_GROUP: dict[str, str] = dict.fromkeys(KIND_PERMISSION, CATALOG)
KIND_STREAM: dict[str, str] = dict.fromkeys(KIND_PERMISSION, "catalog.import")
GROUP_DENIED: dict[str, str] = {CATALOG: "您没有导入执法目录数据的权限"}
RUNNING = (ImportStatus.QUEUED, ImportStatus.VALIDATING, ImportStatus.APPLYING)
MAX_STORED_ERRORS = 5000  # the count is kept in full; the list shown is cut here
PROGRESS_EVERY = 250  # rows between two progress writes
BATCH = 500

ProgressFn = Callable[[int, int], None]


def importable_kinds(user: User, group: str = CATALOG) -> list[str]:
    """The kinds of ``group`` that ``user`` may import, in menu order."""
    return [k for k, g in KIND_GROUP.items() if g == group and has_perm(user, KIND_PERMISSION[k])]


def require_import(user: User, kind: str | None = None, group: str = CATALOG) -> None:
    """The kind's manage permission, or (no kind) the right to import anything of ``group``."""
    if kind is not None:
        require(user, KIND_PERMISSION[kind])
    elif not importable_kinds(user, group):
        raise PermissionDenied(GROUP_DENIED.get(group, "您没有导入数据的权限"))


# --- validation: one importer per kind ------------------------------------------------------


class ImportRejected(DomainError):
    """Validation at apply time found errors: the transaction rolls back, nothing is written."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(f"导入前重新校验发现{len(plan.errors)}处错误，未导入任何数据")
        self.plan = plan


@dataclass
class Plan:
    """What an import would do: errors, or the rows to write and a function that writes them."""

    kind: str
    total_rows: int
    errors: list[RowError]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    extra: dict[str, int] = field(default_factory=dict)
    writer: Callable[[], None] | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def write(self) -> None:
        assert self.ok and self.writer is not None
        self.writer()

    def summary(self) -> dict[str, int]:
        return {
            "rows": self.total_rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            **self.extra,
            "error_count": len(self.errors),
        }


def _state(obj: models.Model, fields: Sequence[str]) -> tuple[object, ...]:
    """The values that decide whether a row changes. Structured list conditions compare by
    meaning: an amount stored as "1234.50" and read back from Excel as 1234.5 is the same."""
    return tuple(
        conditions_from_json(getattr(obj, f))
        if f == "conditions"
        else getattr(obj, _attname(type(obj), f))
        for f in fields
    )


@functools.cache
def _attname(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.attname


# Lookups by a file's codes go in slices: a large file must not exceed the database's limit on
# parameters in one statement (SQLite allows 32,766; older builds 999).
CHUNK = 900


def _chunked(queryset: QuerySet[Any], lookup: str, values: Iterable[Any]) -> list[Any]:
    """``queryset.filter(<lookup>=values)``, in slices of CHUNK values."""
    wanted = sorted({v for v in values if v not in ("", None)}, key=str)
    rows: list[Any] = []
    for i in range(0, len(wanted), CHUNK):
        rows.extend(queryset.filter(**{lookup: wanted[i : i + CHUNK]}))
    return rows


def _bulk_update(model: type[models.Model], objs: list[Any], fields: Sequence[str]) -> None:
    if not objs:
        return
    now = timezone.now()
    for obj in objs:
        obj.updated_at = now  # bulk_update bypasses auto_now
    model._default_manager.bulk_update(objs, [*fields, "updated_at"], batch_size=BATCH)


class _Importer(ABC):
    spec: SheetSpec

    def __init__(
        self, actor: User, sheet: SheetRows, progress: ProgressFn | None, lock: bool
    ) -> None:
        self.actor = actor
        self.lock = lock
        self.sheet = sheet
        self.progress = progress
        self.errors: list[RowError] = list(sheet.errors)
        # Data scope once for the whole file, not a query per row.
        self.visible = set(visible_organizations(actor).values_list("pk", flat=True))
        self.orgs: dict[str, Organization] = {}
        self.created = self.updated = self.unchanged = 0
        self.extra: dict[str, int] = {}

    # --- errors ---

    def error(self, row: int, key: str, message: str) -> None:
        self.errors.append(RowError(row, self.spec.column(key).header, message))

    def field_error(self, row: int, exc: CatalogValidationError) -> None:
        self.errors.append(RowError(row, self.spec.header_for_field(exc.field), exc.message))

    # --- reading ---

    def parsed_rows(self) -> list[tuple[int, dict[str, Any]]]:
        """Every row converted; a row with a bad cell is reported and left out of the checks."""
        rows = self.sheet.rows
        total = len(rows)
        out: list[tuple[int, dict[str, Any]]] = []
        self.readable: list[tuple[int, dict[str, Any]]] = []  # every row, its good cells
        columns = self.spec.columns
        for done, (number, raw) in enumerate(rows, start=1):
            values: dict[str, Any] = {}
            ok = True
            for column in columns:
                try:
                    values[column.key] = column.parse(raw.get(column.key))
                except excel.CellError as exc:
                    self.errors.append(RowError(number, column.header, exc.message))
                    ok = False
            self.readable.append((number, values))
            if ok:
                out.append((number, values))
            if self.progress is not None and done % PROGRESS_EVERY == 0:
                self.progress(done, total)
        return out

    def rows_to_change(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The existing rows the file may overwrite, locked when applying (ARCHITECTURE §5:
        select_for_update on the rows a write moves; only this table's rows, not the joins)."""
        return queryset.select_for_update(of=("self",)) if self.lock else queryset

    def load_orgs(self, codes: Iterable[str]) -> None:
        wanted = {c for c in codes if c} - set(self.orgs)
        if wanted:
            found = _chunked(Organization.objects.all(), "code__in", wanted)
            self.orgs.update({o.code: o for o in found})

    def org(self, row: int, key: str, code: str, *, scoped: bool = True) -> Organization | None:
        """The organization of a code column: it exists and, for owners, is in scope."""
        if not code:
            self.error(row, key, f"请填写{self.spec.column(key).header}")
            return None
        org = self.orgs.get(code)
        if org is None:
            self.error(row, key, f"单位代码“{code}”不存在")
            return None
        if scoped and org.pk not in self.visible:
            self.error(row, key, f"“{org.name}”不在您的数据范围内")
            return None
        return org

    def first_rows(self, key: str) -> dict[Any, int]:
        """Where each value of a column first appears, counting rows that have an error in
        another cell: a code twice in the file is a duplicate even if one row is broken."""
        first: dict[Any, int] = {}
        for row, values in self.readable:
            value = values.get(key)
            if value not in ("", None):
                first.setdefault(value, row)
        return first

    def duplicate(self, seen: dict[Any, int], value: Any, row: int, key: str, what: str) -> bool:
        """Report ``value`` that first appeared on another row; remember it otherwise."""
        if value in ("", None):
            return False
        first = seen.setdefault(value, row)
        if first != row:
            self.error(row, key, f"{what}在本文件中重复（与第{first}行相同）")
            return True
        return False

    def same_in_group(self, members: list[tuple[int, dict[str, Any]]], what: str) -> None:
        """Columns repeated on each row of one list or benchmark must agree with its first row."""
        first_row, first = members[0]
        for row, values in members[1:]:
            for key in self.spec.group_columns:
                if values[key] != first[key]:
                    column = self.spec.column(key)
                    shown = column.to_cell(first[key])
                    self.error(
                        row,
                        key,
                        f"同一{what}各行的“{column.header}”应一致"
                        f"（第{first_row}行为“{shown or ''}”）",
                    )

    def groups(
        self, rows: list[tuple[int, dict[str, Any]]]
    ) -> dict[tuple[Any, ...], list[tuple[int, dict[str, Any]]]]:
        out: dict[tuple[Any, ...], list[tuple[int, dict[str, Any]]]] = {}
        for row, values in rows:
            out.setdefault(tuple(values[k] for k in self.spec.group_key), []).append((row, values))
        return out

    def sort_change(
        self, obj: models.Model, before: tuple[object, ...] | None, fields: Sequence[str]
    ) -> str:
        """ "create", "update" or "same", counted."""
        if before is None:
            self.created += 1
            return "create"
        if _state(obj, fields) != before:
            self.updated += 1
            return "update"
        self.unchanged += 1
        return "same"

    def finish(self, writer: Callable[[], None]) -> Plan:
        order = {h: i for i, h in enumerate(self.spec.headers)}
        self.errors.sort(key=lambda e: (e.row or 0, order.get(e.column, -1)))
        if self.progress is not None:
            self.progress(len(self.sheet.rows), len(self.sheet.rows))
        return Plan(
            kind=self.spec.kind,
            total_rows=len(self.sheet.rows),
            errors=self.errors,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            extra=self.extra,
            writer=writer,
        )

    @abstractmethod
    def plan(self) -> Plan:
        """Validate every row and return what applying would write."""


ITEM_FIELDS = (
    "code",
    "name",
    "category",
    "organization",
    "basis_law",
    "basis_article",
    "basis_paragraph",
    "basis_text",
    "penalty_types",
    "fine_basis",
    "fine_min",
    "fine_max",
    "effective_from",
)


class _Items(_Importer):
    spec = excel.ITEMS

    def plan(self) -> Plan:
        rows = self.parsed_rows()
        self.load_orgs(v["organization"] for _, v in rows)
        items = self.rows_to_change(EnforcementItem.objects.select_related("organization"))
        existing = {i.code: i for i in _chunked(items, "code__in", (v["code"] for _, v in rows))}
        seen = self.first_rows("code")
        creates: list[EnforcementItem] = []
        updates: list[EnforcementItem] = []
        for row, v in rows:
            code = v["code"]
            if self.duplicate(seen, code, row, "code", f"事项编码“{code}”"):
                continue
            org = self.org(row, "organization", v["organization"])
            if org is None:
                continue
            item = existing.get(code)
            if item is not None and item.organization_id not in self.visible:
                self.error(
                    row,
                    "code",
                    f"事项编码“{code}”已由{item.organization.name}登记，"
                    "不在您的数据范围内，不能修改",
                )
                continue
            target = item or EnforcementItem()
            before = _state(item, ITEM_FIELDS) if item is not None else None
            try:
                fill_item(
                    target,
                    organization=org,
                    **{k: v[k] for k in ITEM_FIELDS if k != "organization"},
                )
            except CatalogValidationError as exc:
                self.field_error(row, exc)
                continue
            change = self.sort_change(target, before, ITEM_FIELDS)
            if change == "create":
                creates.append(target)
            elif change == "update":
                updates.append(target)

        def write() -> None:
            EnforcementItem.objects.bulk_create(creates, batch_size=BATCH)
            _bulk_update(EnforcementItem, updates, ITEM_FIELDS)

        return self.finish(write)


BODY_FIELDS = ("credit_code", "authority_basis", "entrusting_organization")


class _Bodies(_Importer):
    spec = excel.BODIES

    def plan(self) -> Plan:
        rows = self.parsed_rows()
        self.load_orgs(
            c for _, v in rows for c in (v["organization"], v["entrusting_organization"])
        )
        existing = {
            b.organization.code: b
            for b in _chunked(
                self.rows_to_change(EnforcementBody.objects.select_related("organization")),
                "organization__code__in",
                (v["organization"] for _, v in rows),
            )
        }
        seen_org = self.first_rows("organization")
        seen_credit: dict[Any, int] = {}
        checked: list[tuple[int, dict[str, Any], Organization, Organization | None, str]] = []
        for row, v in rows:
            code = v["organization"]
            if self.duplicate(seen_org, code, row, "organization", f"单位代码“{code}”"):
                continue
            org = self.org(row, "organization", code)
            entrusting = None
            if v["entrusting_organization"]:
                entrusting = self.org(
                    row, "entrusting_organization", v["entrusting_organization"], scoped=False
                )
                if entrusting is None:
                    continue
            if org is None:
                continue
            try:
                check_body(org, entrusting)
                credit = check_credit_code(v["credit_code"])
            except CatalogValidationError as exc:
                self.field_error(row, exc)
                continue
            if self.duplicate(seen_credit, credit, row, "credit_code", f"统一社会信用代码{credit}"):
                continue
            checked.append((row, v, org, entrusting, credit))
        owners = dict(
            _chunked(
                EnforcementBody.objects.values_list("credit_code", "organization_id"),
                "credit_code__in",
                (c[4] for c in checked),
            )
        )
        creates: list[EnforcementBody] = []
        updates: list[EnforcementBody] = []
        for row, v, org, entrusting, credit in checked:
            owner = owners.get(credit)
            if owner is not None and owner != org.pk:
                # The same words as register_body: the code is unique across bodies.
                self.error(row, "credit_code", f"统一社会信用代码{credit}已被其他执法主体使用")
                continue
            body = existing.get(org.code)
            before = _state(body, BODY_FIELDS) if body is not None else None
            target = body or EnforcementBody(organization=org)
            target.credit_code = credit
            target.authority_basis = v["authority_basis"]
            target.entrusting_organization = entrusting
            change = self.sort_change(target, before, BODY_FIELDS)
            if change == "create":
                creates.append(target)
            elif change == "update":
                updates.append(target)

        def write() -> None:
            EnforcementBody.objects.bulk_create(creates, batch_size=BATCH)
            _bulk_update(EnforcementBody, updates, BODY_FIELDS)

        return self.finish(write)


OFFICER_FIELDS = (
    "organization",
    "name",
    "certificate_number",
    "issuing_authority",
    "valid_from",
    "valid_until",
    "fields",
    "user",
)


class _Officers(_Importer):
    spec = excel.OFFICERS

    def plan(self) -> Plan:
        rows = self.parsed_rows()
        self.load_orgs(v["organization"] for _, v in rows)
        existing = {
            o.certificate_number: o
            for o in _chunked(
                self.rows_to_change(Officer.objects.select_related("organization", "user")),
                "certificate_number__in",
                (v["certificate_number"] for _, v in rows),
            )
        }
        names = {v["user"] for _, v in rows if v["user"]}
        users = {u.username: u for u in _chunked(User.objects.all(), "username__in", names)}
        linked = dict(
            _chunked(
                Officer.objects.values_list("user__username", "certificate_number"),
                "user__username__in",
                names,
            )
        )
        seen = self.first_rows("certificate_number")
        seen_user = self.first_rows("user")
        creates: list[Officer] = []
        updates: list[Officer] = []
        for row, v in rows:
            number = v["certificate_number"]
            if self.duplicate(seen, number, row, "certificate_number", f"执法证号“{number}”"):
                continue
            org = self.org(row, "organization", v["organization"])
            if org is None:
                continue
            officer = existing.get(number)
            if officer is not None and officer.organization_id not in self.visible:
                self.error(
                    row,
                    "certificate_number",
                    f"执法证号“{number}”已由{officer.organization.name}登记，"
                    "不在您的数据范围内，不能修改",
                )
                continue
            user = None
            username = v["user"]
            if username:
                user = users.get(username)
                if user is None or user.organization_id not in self.visible:
                    self.error(row, "user", f"系统账号“{username}”不存在或不在您的数据范围内")
                    continue
                other = linked.get(username)
                if other is not None and other != number:
                    self.error(
                        row, "user", f"系统账号“{username}”已关联执法人员（执法证号{other}）"
                    )
                    continue
                if self.duplicate(seen_user, username, row, "user", f"系统账号“{username}”"):
                    continue
            target = officer or Officer()
            before = _state(officer, OFFICER_FIELDS) if officer is not None else None
            try:
                fill_officer(
                    target,
                    organization=org,
                    name=v["name"],
                    certificate_number=number,
                    issuing_authority=v["issuing_authority"],
                    valid_from=v["valid_from"],
                    valid_until=v["valid_until"],
                    fields=v["fields"],
                    user=user,
                )
            except CatalogValidationError as exc:
                self.field_error(row, exc)
                continue
            change = self.sort_change(target, before, OFFICER_FIELDS)
            if change == "create":
                creates.append(target)
            elif change == "update":
                updates.append(target)

        def write() -> None:
            Officer.objects.bulk_create(creates, batch_size=BATCH)
            _bulk_update(Officer, updates, OFFICER_FIELDS)

        return self.finish(write)


LIST_FIELDS = ("title", "document_number", "effective_from", "effective_until")
ENTRY_FIELDS = ("item", "organization", "violation", "legal_basis", "condition_text", "conditions")
CONDITION_KEYS = (
    "requires_first_violation",
    "requires_corrected_in_time",
    "max_harm",
    "party_kinds",
    "any_circumstance",
    "max_amount_involved",
)


class _ListEntries(_Importer):
    spec = excel.LIST_ENTRIES

    def plan(self) -> Plan:
        rows = self.parsed_rows()
        self.load_orgs(v["organization"] for _, v in rows)
        items = {
            i.code: i
            for i in _chunked(
                EnforcementItem.objects.select_related("organization"),
                "code__in",
                (v["item"] for _, v in rows),
            )
        }
        # Every list of the units named in the file (a few per unit), matched below by key.
        lists = {
            (lst.kind, lst.organization.code, lst.version): lst
            for lst in self.rows_to_change(
                LenientList.objects.filter(organization__in=list(self.orgs.values()))
            ).select_related("organization")
        }
        entries = {
            (e.lenient_list_id, e.number): e
            for e in self.rows_to_change(
                LenientListEntry.objects.filter(
                    lenient_list__in=[lst for lst in lists.values() if lst.published_at is None]
                )
            )
        }
        new_lists: list[LenientList] = []
        changed_lists: list[LenientList] = []
        creates: list[LenientListEntry] = []
        updates: list[LenientListEntry] = []
        for key, members in self.groups(rows).items():
            first_row, first = members[0]
            self.same_in_group(members, "清单")
            org = self.org(first_row, "organization", first["organization"])
            try:
                check_list(
                    kind=first["kind"],
                    title=first["title"],
                    version=first["version"],
                    effective_from=first["effective_from"],
                    effective_until=first["effective_until"],
                )
            except CatalogValidationError as exc:
                self.field_error(first_row, exc)
            lst = lists.get(key)
            if lst is not None and lst.published_at is not None:
                # The same rule and words as the services: a published list is immutable.
                self.error(first_row, "version", f"{lst}已公布，不能再修改，请制定新版本")
            if lst is None:
                lst = LenientList(kind=first["kind"], organization=org, version=first["version"])
                new_lists.append(lst)
                before = None
            else:
                before = _state(lst, LIST_FIELDS)
            lst.title = first["title"].strip()
            lst.document_number = first["document_number"].strip()
            lst.effective_from = first["effective_from"]
            lst.effective_until = first["effective_until"]
            if before is not None and _state(lst, LIST_FIELDS) != before:
                changed_lists.append(lst)
            self._entries(lst, members, items, entries, creates, updates)
        self.extra = {"lists_created": len(new_lists), "lists_updated": len(changed_lists)}

        def write() -> None:
            LenientList.objects.bulk_create(new_lists, batch_size=BATCH)
            if any(lst.pk is None for lst in new_lists):  # a backend that cannot return ids
                ids = {
                    (lst.kind, lst.organization_id, lst.version): lst.pk
                    for lst in LenientList.objects.filter(
                        organization__in={lst.organization_id for lst in new_lists}
                    )
                }
                for lst in new_lists:
                    lst.pk = ids[(lst.kind, lst.organization_id, lst.version)]
            _bulk_update(LenientList, changed_lists, LIST_FIELDS)
            # Entries of a new list take its id from the list object, saved just above.
            LenientListEntry.objects.bulk_create(creates, batch_size=BATCH)
            _bulk_update(LenientListEntry, updates, ENTRY_FIELDS)

        return self.finish(write)

    def _entries(
        self,
        lst: LenientList,
        members: list[tuple[int, dict[str, Any]]],
        items: dict[str, EnforcementItem],
        entries: dict[tuple[int, int], LenientListEntry],
        creates: list[LenientListEntry],
        updates: list[LenientListEntry],
    ) -> None:
        numbers: dict[Any, int] = {}
        for row, v in members:
            number = v["number"]
            if self.duplicate(numbers, number, row, "number", f"同一清单中序号{number}"):
                continue
            code = v["item"]
            if not code:
                self.error(row, "item", "请填写事项编码")
                continue
            item = items.get(code)
            if item is None:
                self.error(row, "item", f"事项编码“{code}”不存在")
                continue
            if item.organization_id not in self.visible:
                self.error(
                    row,
                    "item",
                    f"事项编码“{code}”的实施主体“{item.organization.name}”不在您的数据范围内",
                )
                continue
            conditions = {k: v[k] for k in CONDITION_KEYS if v[k] not in (None, "", [], False)}
            if "max_amount_involved" in conditions:
                conditions["max_amount_involved"] = str(conditions["max_amount_involved"])
            try:
                normalized = check_entry(
                    lenient_list=lst,
                    item=item,
                    violation=v["violation"],
                    legal_basis=v["legal_basis"],
                    condition_text=v["condition_text"],
                    conditions=conditions,
                )
            except CatalogValidationError as exc:
                self.field_error(row, exc)
                continue
            entry = entries.get((lst.pk, number)) if lst.pk else None
            before = _state(entry, ENTRY_FIELDS) if entry is not None else None
            target = entry or LenientListEntry(lenient_list=lst, number=number)
            target.item = item
            target.organization = item.organization
            target.violation = v["violation"].strip()
            target.legal_basis = v["legal_basis"].strip()
            target.condition_text = v["condition_text"].strip()
            target.conditions = normalized
            change = self.sort_change(target, before, ENTRY_FIELDS)
            if change == "create":
                creates.append(target)
            elif change == "update":
                updates.append(target)


STANDARD_FIELDS = (
    "level",
    "parent",
    "title",
    "violation",
    "legal_basis",
    "effective_from",
    "effective_until",
)
# check_tiers names the tier at fault as "第N个阶次": the row of the file is the N-th of the group.
_TIER_RE = re.compile(r"第(\d+)个阶次")


def _tier_tuple(t: TierInput) -> tuple[object, ...]:
    return (t.treatment, t.severity, t.fine_min, t.fine_max, t.condition_text, t.standard_text)


def _ordered_tiers() -> Prefetch[Any]:
    return Prefetch("tiers", queryset=DiscretionTier.objects.order_by("order", "pk"))


class _Standards(_Importer):
    spec = excel.STANDARDS
    parents: dict[tuple[Any, ...], DiscretionStandard]
    refined: set[int]

    def plan(self) -> Plan:
        rows = self.parsed_rows()
        self.load_orgs(c for _, v in rows for c in (v["organization"], v["parent_organization"]))
        codes = {v["item"] for _, v in rows}
        items = {
            i.code: i
            for i in _chunked(
                EnforcementItem.objects.select_related("organization"), "code__in", codes
            )
        }
        # Every benchmark of the file's items: the ones the file changes, and the higher ones
        # it refines. A higher benchmark is a reference, read whatever its body's scope (a
        # county refines the province's benchmark without seeing the province's records).
        known: dict[tuple[Any, ...], DiscretionStandard] = {
            (s.item.code, s.organization.code, s.version): s
            for s in _chunked(
                self.rows_to_change(
                    DiscretionStandard.objects.select_related("item", "organization")
                ).prefetch_related(_ordered_tiers()),
                "item__code__in",
                codes,
            )
        }
        # Benchmarks that lower ones refine (a separate query: FOR UPDATE and GROUP BY do not
        # mix on PostgreSQL).
        self.refined = set(
            _chunked(
                DiscretionStandard.objects.values_list("parent_id", flat=True),
                "parent_id__in",
                (s.pk for s in known.values()),
            )
        )
        existing = known
        self.parents = known
        creates: list[tuple[DiscretionStandard, list[TierInput]]] = []
        updates: list[tuple[DiscretionStandard, list[TierInput]]] = []
        tier_count = 0
        for key, members in self.groups(rows).items():
            first_row, first = members[0]
            self.same_in_group(members, "裁量基准")
            built = self._standard(key, members, items, existing)
            if built is None:
                continue
            standard, tiers, before = built
            if before is None:
                self.created += 1
                creates.append((standard, tiers))
            elif (_state(standard, STANDARD_FIELDS), [_tier_tuple(t) for t in tiers]) != before:
                self.updated += 1
                updates.append((standard, tiers))
            else:
                self.unchanged += 1
                continue
            tier_count += len(tiers)
        self.extra = {"tiers": tier_count}

        def write() -> None:
            new = [s for s, _ in creates]
            DiscretionStandard.objects.bulk_create(new, batch_size=BATCH)
            if any(s.pk is None for s in new):  # a backend that cannot return ids
                ids = {
                    (s.item_id, s.organization_id, s.version): s.pk
                    for s in _chunked(
                        DiscretionStandard.objects.all(), "item_id__in", (s.item_id for s in new)
                    )
                }
                for s in new:
                    s.pk = ids[(s.item_id, s.organization_id, s.version)]
            changed = [s for s, _ in updates]
            _bulk_update(DiscretionStandard, changed, STANDARD_FIELDS)
            for i in range(0, len(changed), CHUNK):
                DiscretionTier.objects.filter(standard__in=changed[i : i + CHUNK]).delete()
            DiscretionTier.objects.bulk_create(
                (
                    DiscretionTier(
                        standard=s,
                        order=n,
                        treatment=t.treatment,
                        severity=t.severity,
                        fine_min=t.fine_min,
                        fine_max=t.fine_max,
                        condition_text=t.condition_text.strip(),
                        standard_text=t.standard_text.strip(),
                    )
                    for s, tiers in (*creates, *updates)
                    for n, t in enumerate(tiers)
                ),
                batch_size=BATCH,
            )

        return self.finish(write)

    def _standard(
        self,
        key: tuple[Any, ...],
        members: list[tuple[int, dict[str, Any]]],
        items: dict[str, EnforcementItem],
        existing: dict[tuple[Any, ...], DiscretionStandard],
    ) -> tuple[DiscretionStandard, list[TierInput], Any] | None:
        first_row, first = members[0]
        code = first["item"]
        item = items.get(code) if code else None
        if item is None:
            self.error(first_row, "item", f"事项编码“{code}”不存在" if code else "请填写事项编码")
        org = self.org(first_row, "organization", first["organization"])
        if item is None or org is None:
            return None
        standard = existing.get(key)
        if standard is not None and standard.published_at is not None:
            self.error(first_row, "version", f"{standard}已公布，不能再修改，请制定新版本")
            return None
        ok, parent = self._parent(first_row, first, item)
        if not ok:
            return None
        tiers = [
            TierInput(
                treatment=v["treatment"],
                severity=v["severity"],
                fine_min=v["fine_min"],
                fine_max=v["fine_max"],
                condition_text=v["condition_text"],
                standard_text=v["standard_text"],
            )
            for _, v in members
        ]
        if not self._check(members, tiers, item=item, parent=parent, values=first):
            return None
        before = None
        if standard is None:
            standard = DiscretionStandard(item=item, organization=org, version=first["version"])
        else:
            label = str(standard)
            before = (
                _state(standard, STANDARD_FIELDS),
                [_tier_tuple(t) for t in _stored_tiers(standard)],
            )
        standard.level = first["level"]
        standard.parent = parent
        standard.title = first["title"].strip()
        standard.violation = first["violation"].strip()
        standard.legal_basis = first["legal_basis"].strip()
        standard.effective_from = first["effective_from"]
        standard.effective_until = first["effective_until"]
        after = (_state(standard, STANDARD_FIELDS), [_tier_tuple(t) for t in tiers])
        if before is not None and after != before and standard.pk in self.refined:
            # Lower benchmarks were checked against these tiers (DB-5): changing them here
            # could leave a refinement outside its higher range.
            self.error(first_row, "version", f"{label}已被下级裁量基准细化，不能再通过导入修改")
            return None
        return standard, tiers, before

    def _parent(
        self, row: int, first: dict[str, Any], item: EnforcementItem
    ) -> tuple[bool, DiscretionStandard | None]:
        """(accepted, the higher benchmark named by the 上级基准 columns or None)."""
        org_code, version = first["parent_organization"], first["parent_version"]
        if not org_code and not version:
            return True, None
        if not org_code:
            self.error(row, "parent_organization", "填写了上级基准版本，请同时填写上级基准制定单位")
            return False, None
        if not version:
            self.error(row, "parent_version", "填写了上级基准制定单位，请同时填写上级基准版本")
            return False, None
        if (org_code, version) == (first["organization"], first["version"]):
            self.error(row, "parent_version", "上级裁量基准不能是本基准")
            return False, None
        parent = self.parents.get((item.code, org_code, version))
        if parent is None:
            self.error(
                row,
                "parent_version",
                f"上级裁量基准不存在：单位代码“{org_code}”对事项{item.code}的“{version}”版本",
            )
            return False, None
        return True, parent

    def _check(
        self,
        members: list[tuple[int, dict[str, Any]]],
        tiers: list[TierInput],
        *,
        item: EnforcementItem,
        parent: DiscretionStandard | None,
        values: dict[str, Any],
    ) -> bool:
        """check_standard, with each faulty tier reported on its own row.

        check_tiers stops at the first faulty tier. Report it, replace it by a neutral tier of
        the same 阶次 and 情节 (no fine, placeholder texts) and check again, so a benchmark with
        three bad tiers shows three errors while the 情节 still count as described. A tier that
        still fails (e.g. a 阶次 the higher benchmark lacks) is then left out; a benchmark-wide
        message after that may be its consequence and is not shown.
        """
        current = list(range(len(tiers)))
        checked = list(tiers)
        reported: set[int] = set()
        dropped = False
        while True:
            try:
                check_standard(
                    item=item,
                    parent=parent,
                    level=values["level"],
                    violation=values["violation"],
                    legal_basis=values["legal_basis"],
                    effective_from=values["effective_from"],
                    effective_until=values["effective_until"],
                    tiers=[checked[i] for i in current],
                )
            except CatalogValidationError as exc:
                match = _TIER_RE.search(exc.message)
                if match is None or not 1 <= int(match.group(1)) <= len(current):
                    if not reported or not dropped:
                        self.field_error(members[0][0], exc)
                    return False
                index = current[int(match.group(1)) - 1]
                if index in reported:
                    current.remove(index)
                    dropped = True
                    if not current:
                        return False
                    continue
                message = exc.message.replace(match.group(0), f"第{index + 1}个阶次", 1)
                self.errors.append(
                    RowError(members[index][0], self.spec.header_for_field(exc.field), message)
                )
                reported.add(index)
                t = checked[index]
                checked[index] = TierInput(t.treatment, t.severity, None, None, "—", "—")
            else:
                return not reported


def _stored_tiers(standard: DiscretionStandard) -> list[TierInput]:
    return [
        TierInput(
            treatment=t.treatment,
            severity=t.severity,
            fine_min=t.fine_min,
            fine_max=t.fine_max,
            condition_text=t.condition_text,
            standard_text=t.standard_text,
        )
        for t in standard.tiers.all()
    ]


IMPORTERS: dict[str, type[_Importer]] = {
    ImportKind.BODIES: _Bodies,
    ImportKind.OFFICERS: _Officers,
    ImportKind.ITEMS: _Items,
    ImportKind.LIST_ENTRIES: _ListEntries,
    ImportKind.STANDARDS: _Standards,
}

# The base of every importer and its helpers, for other apps' kinds (the job is shared).
Importer = _Importer
row_state = _state
bulk_update = _bulk_update


def register(
    *,
    importer: type[_Importer],
    label: str,
    permission: str,
    group: str,
    stream: str,
    denied: str = "",
) -> None:
    """Make another app's kind importable through the same jobs, pages and ledger rules.

    Called from that app's ``AppConfig.ready()`` (the catalog imports no other app): the
    importer's ``spec`` is registered with :mod:`fazhi.catalog.excel`, the label becomes one
    of ``ImportJob.kind``'s choices, an applied import is recorded in ``stream``.
    """
    kind = importer.spec.kind
    if kind in IMPORTERS and IMPORTERS[kind] is not importer:
        raise ValueError(f"import kind {kind!r} is already registered")
    excel.register_sheet(importer.spec)
    IMPORTERS[kind] = importer
    KIND_PERMISSION[kind] = permission
    KIND_GROUP[kind] = group
    KIND_STREAM[kind] = stream
    IMPORT_KIND_LABELS[kind] = label
    if denied:
        GROUP_DENIED[group] = denied


def kind_label(kind: str) -> str:
    return IMPORT_KIND_LABELS.get(kind, kind)


# --- import groups: what one app's pages, API and command show of the shared jobs --------------


class ExportFn(Protocol):
    def __call__(
        self, *, actor: User, kind: str, filters: Mapping[str, str], fmt: str
    ) -> tuple[bytes, int]: ...


@dataclass(frozen=True, eq=False)
class ImportGroup:
    """The kinds of one registry ``group`` as one app offers them: pages, API and command.

    The interface is written once (:mod:`fazhi.catalog.import_views`, the catalog's templates,
    ``fazhi.api.v1.catalog_imports.import_router``, :mod:`fazhi.catalog.management.import_command`)
    and reads from here what differs between apps: names, texts, file types and builders.
    """

    name: str  # the registry's group (``register(group=…)``)
    namespace: str  # of the pages' URL names
    title: str  # of the pages; the command names it for the full error list
    view_permission: str  # to export the rows one may read
    kinds: tuple[str, ...]  # stored kinds, in menu order
    template: Callable[[str, str], bytes]  # (kind, "xlsx" | "csv") → the empty import sheet
    export: ExportFn  # the rows the actor may read, as the import sheet → (bytes, rows)
    # URL and command names of the kinds where they are not the stored ones (items → …).
    short_names: Mapping[str, str] = field(default_factory=dict)
    csv: bool = False  # CSV files accepted and offered besides .xlsx
    nav_template: str = ""  # the app's tabs, under the list page's title
    upload_help: str = "请使用下载的模板填写，.xlsx格式"  # the file field's, before the size
    upload_note: str = ""  # after the list page's words on validation
    export_note: str = ""  # after the list page's words on exports

    @property
    def files(self) -> str:
        """The file types in words, as in "上传Excel或CSV文件"."""
        return "Excel或CSV" if self.csv else "Excel"

    def fmt(self, requested: str) -> str:
        """The format to write: csv where asked for and offered, else xlsx."""
        return "csv" if self.csv and requested == "csv" else "xlsx"

    def kind_for(self, name: str) -> str | None:
        """The stored kind of a short or stored name, or None if not one of the group's."""
        kind = self.short_names.get(name, name)
        return kind if kind in self.kinds else None

    def short_name(self, kind: str) -> str:
        return next((n for n, k in self.short_names.items() if k == kind), kind)

    @staticmethod
    def label(kind: str) -> str:
        return kind_label(kind)


def _catalog_template(kind: str, fmt: str) -> bytes:
    return excel.build_workbook(kind)  # the catalog's sheets are .xlsx only (csv=False)


def _catalog_export(
    *, actor: User, kind: str, filters: Mapping[str, str], fmt: str
) -> tuple[bytes, int]:
    return excel.export_workbook(actor=actor, kind=kind, filters=filters)


IMPORT_GROUP = ImportGroup(
    name=CATALOG,
    namespace="catalog",
    title="Excel导入导出",
    view_permission="catalog.view",
    kinds=tuple(ImportKind.values),
    template=_catalog_template,
    export=_catalog_export,
    export_note="导出只包含您数据范围内的数据。",
)


def plan_import(
    *,
    actor: User,
    kind: str,
    sheet: SheetRows,
    progress: ProgressFn | None = None,
    lock: bool = False,
) -> Plan:
    """Validate a whole sheet as ``actor`` (permission and data scope); writes nothing.

    ``lock`` (inside the apply transaction) locks the existing rows the file would change.
    """
    require_import(actor, kind)
    return IMPORTERS[kind](actor, sheet, progress, lock).plan()


# --- the job: upload, validate, apply ----------------------------------------------------------


def _inline() -> bool:
    return bool(getattr(settings, "FAZHI_IMPORT_INLINE", False))


def stale_minutes() -> int:
    return int(getattr(settings, "FAZHI_IMPORT_STALE_MINUTES", 15))


def _dispatch(work: Callable[[int], object], job_id: int) -> None:
    """Run ``work(job_id)`` now (FAZHI_IMPORT_INLINE, tests) or in a thread after the commit.

    The thread only needs the job id: everything else is read back from the database, so the
    page that shows progress may be served by any process.
    """
    if _inline():
        work(job_id)
        return

    def start() -> None:
        threading.Thread(
            target=_run_in_thread, args=(work, job_id), name=f"catalog-import-{job_id}", daemon=True
        ).start()

    transaction.on_commit(start)


def _run_in_thread(work: Callable[[int], object], job_id: int) -> None:
    try:
        work(job_id)
    except Exception:  # the runners record their own failures; this is the last resort
        logger.exception("导入任务 %s 在后台线程中失败", job_id)
    finally:
        connections.close_all()  # this thread's own connections


@transaction.atomic
def _create_job(
    *, actor: User, kind: str, file: IO[bytes], original_name: str, content_type: str
) -> ImportJob:
    attachment = store_attachment(
        stream=file, original_name=original_name, content_type=content_type or XLSX_CONTENT_TYPE
    )
    assert actor.organization is not None
    return ImportJob.objects.create(
        kind=kind,
        attachment=attachment,
        original_name=original_name[:255],
        created_by=actor,
        organization=actor.organization,
    )


def start_import(
    *,
    actor: User,
    kind: str,
    file: IO[bytes],
    original_name: str,
    size: int,
    content_type: str = "",
    dispatch: bool = True,
) -> ImportJob:
    """Store the uploaded file and queue its validation; returns at once (no row is read here).

    Refuses at the door what cannot be a workbook (size, file type). ``dispatch=False`` leaves
    the validation to the caller (the CLI runs it in the foreground with its own progress).
    """
    if kind not in IMPORTERS:
        raise DomainError("请选择导入内容")
    require_import(actor, kind)
    if actor.organization is None:
        raise DomainError("您的账号未关联单位，不能导入")
    head = file.read(8)
    file.seek(0)
    excel.check_upload(head, size, csv=excel.spec_for(kind).accepts_csv)
    job = _create_job(
        actor=actor, kind=kind, file=file, original_name=original_name, content_type=content_type
    )
    if dispatch:
        _dispatch(validate_job, job.pk)
        job.refresh_from_db()  # already validated when the work runs inline
    return job


def _read(job: ImportJob) -> SheetRows:
    """The job's rows: from the cells the dry run kept, else from the workbook itself."""
    try:
        if job.cells_id:
            content = attachment_path(job.cells_id).read_bytes()
            return excel.cells_from_json(content, job.kind)
        return excel.read_workbook(attachment_path(job.attachment_id), job.kind)
    except FileNotFoundError as exc:
        raise excel.ImportFileError("上传的文件已不在存储中，请重新上传") from exc


def _keep_cells(job: ImportJob, sheet: SheetRows) -> None:
    """Store the cells as read (content-addressed, beside the file) for the apply step."""
    if sheet.errors:
        return
    content = excel.cells_to_json(sheet)
    cells = store_attachment(
        stream=io.BytesIO(content),
        original_name=f"{job.original_name}.cells.json"[-255:],
        content_type="application/json",
    )
    ImportJob.objects.filter(pk=job.pk).update(cells=cells)


def _progress_writer(job_id: int, echo: ProgressFn | None) -> ProgressFn:
    """Progress as a small UPDATE of its own: visible at once, no transaction held open."""

    def report(done: int, total: int) -> None:
        if echo is not None:
            echo(done, total)
        ImportJob.objects.filter(pk=job_id).update(
            processed_rows=done, total_rows=total, updated_at=timezone.now()
        )

    return report


def _finish(
    job_id: int,
    status: str,
    errors: Sequence[RowError],
    summary: dict[str, Any],
    total: int | None = None,
) -> None:
    now = timezone.now()
    values: dict[str, Any] = {
        "status": status,
        "errors": [e.as_dict() for e in errors[:MAX_STORED_ERRORS]],
        "summary": summary,
        "finished_at": now,
        "updated_at": now,
    }
    if total is not None:
        values.update(total_rows=total, processed_rows=total)
    ImportJob.objects.filter(pk=job_id).update(**values)


def _failure(message: str) -> tuple[list[RowError], dict[str, Any]]:
    return [RowError(None, "", message)], {"error_count": 1}


def validate_job(job_id: int, progress: ProgressFn | None = None) -> ImportJob:
    """The dry run of a queued job: status → invalid (with every error) or ready."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.VALIDATING, started_at=now, updated_at=now, processed_rows=0
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:  # another worker has it, or it is no longer queued
        return job
    try:
        sheet = _read(job)
        _keep_cells(job, sheet)
        report = _progress_writer(job_id, progress)
        report(0, len(sheet.rows))
        plan = plan_import(actor=job.created_by, kind=job.kind, sheet=sheet, progress=report)
    except excel.ImportFileError as exc:
        _finish(job_id, ImportStatus.INVALID, *_failure(exc.message))
    except PermissionDenied as exc:
        _finish(job_id, ImportStatus.FAILED, *_failure(str(exc)))
    except DomainError as exc:
        _finish(job_id, ImportStatus.FAILED, *_failure(exc.message))
    except Exception:
        logger.exception("校验导入任务 %s 时出错", job_id)
        _finish(job_id, ImportStatus.FAILED, *_failure("校验时发生系统错误，请联系系统管理员"))
    else:
        status = ImportStatus.READY if plan.ok else ImportStatus.INVALID
        _finish(job_id, status, plan.errors, plan.summary(), plan.total_rows)
    job.refresh_from_db()
    return job


def request_apply(*, actor: User, job: ImportJob, dispatch: bool = True) -> ImportJob:
    """Start applying a validated job (its uploader only): status ready → applying, atomically,
    so a double click or a second process cannot apply the same file twice."""
    require_import(actor, job.kind)
    if job.created_by_id != actor.pk:
        raise DomainError("只有上传该文件的人可以应用这次导入")
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READY).update(
        status=ImportStatus.APPLYING, processed_rows=0, started_at=now, updated_at=now
    )
    job.refresh_from_db()
    if not claimed:
        raise ConflictError(f"这次导入的状态为“{job.get_status_display()}”，不能应用")
    if dispatch:
        _dispatch(apply_job, job.pk)
        job.refresh_from_db()
    return job


@transaction.atomic
def apply_import(*, actor: User, job: ImportJob, sheet: SheetRows | None = None) -> Plan:
    """Write a validated import: all rows or none, and exactly one ledger event.

    Validates again inside the transaction (the catalog may have changed since the dry run);
    any error raises :class:`ImportRejected` and the transaction rolls back.
    """
    require_import(actor, job.kind)
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.created_by_id != actor.pk:
        raise DomainError("只有上传该文件的人可以应用这次导入")
    if locked.status != ImportStatus.APPLYING:
        raise ConflictError(f"这次导入的状态为“{locked.get_status_display()}”，不能应用")
    plan = plan_import(actor=actor, kind=locked.kind, sheet=sheet or _read(locked), lock=True)
    if not plan.ok:
        raise ImportRejected(plan)
    plan.write()
    stream = KIND_STREAM[locked.kind]
    entry = record(
        stream=stream,
        kind=f"{stream}.applied",
        actor=actor,
        payload={
            "job": locked.pk,
            "kind": locked.kind,
            "file": locked.attachment_id,
            "file_name": locked.original_name,
            "rows": plan.total_rows,
            "created": plan.created,
            "updated": plan.updated,
            "unchanged": plan.unchanged,
            **plan.extra,
        },
        attachments=[locked.attachment_id],
    )
    now = timezone.now()
    locked.status = ImportStatus.DONE
    locked.summary = {**plan.summary(), "ledger_seq": entry.seq}
    locked.errors = []
    locked.total_rows = locked.processed_rows = plan.total_rows
    locked.finished_at = now
    locked.save()
    return plan


def apply_job(job_id: int) -> ImportJob:
    """Run :func:`apply_import` for a job in ``applying`` and record how it ended."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportStatus.APPLYING:
        return job
    try:
        # Read the workbook before the transaction: the write lock is held only for the writes.
        sheet = _read(job)
        ImportJob.objects.filter(pk=job_id).update(updated_at=timezone.now())
        apply_import(actor=job.created_by, job=job, sheet=sheet)
    except ImportRejected as exc:
        summary = {**exc.plan.summary(), "revalidated": 1}
        _finish(job_id, ImportStatus.INVALID, exc.plan.errors, summary, exc.plan.total_rows)
    except excel.ImportFileError as exc:
        _finish(job_id, ImportStatus.FAILED, *_failure(exc.message))
    except PermissionDenied as exc:
        _finish(job_id, ImportStatus.FAILED, *_failure(f"{exc}，未导入任何数据"))
    except DomainError as exc:
        _finish(job_id, ImportStatus.FAILED, *_failure(f"{exc.message}，未导入任何数据"))
    except IntegrityError:
        logger.info("导入任务 %s 与并发修改冲突", job_id, exc_info=True)
        _finish(
            job_id,
            ImportStatus.FAILED,
            *_failure("导入时与其他同时进行的修改冲突，未导入任何数据，请重新上传"),
        )
    except Exception:
        logger.exception("应用导入任务 %s 时出错", job_id)
        _finish(
            job_id,
            ImportStatus.FAILED,
            *_failure("导入时发生系统错误，未导入任何数据，请联系系统管理员"),
        )
    job.refresh_from_db()
    return job


def expire_if_stale(job: ImportJob) -> ImportJob:
    """A job left queued, validating or applying by a process that died must not spin forever.

    Work in progress touches ``updated_at`` with each progress write; a job silent for longer
    than FAZHI_IMPORT_STALE_MINUTES is marked failed (a conditional UPDATE, so a job that has
    just finished or moved on is left alone). An interrupted apply wrote nothing: its
    transaction never committed.
    """
    if job.status not in RUNNING:
        return job
    minutes = stale_minutes()
    now = timezone.now()
    cutoff = now - dt.timedelta(minutes=minutes)
    if job.updated_at >= cutoff:
        return job
    errors, summary = _failure(
        f"导入任务超过{minutes}分钟没有进展（可能因服务重启而中断），已标记为失败；"
        "未导入任何数据，请重新上传"
    )
    ImportJob.objects.filter(pk=job.pk, status__in=RUNNING, updated_at__lt=cutoff).update(
        status=ImportStatus.FAILED,
        errors=[e.as_dict() for e in errors],
        summary={**job.summary, **summary},
        finished_at=now,
        updated_at=now,
    )
    job.refresh_from_db()
    return job


# --- reads -------------------------------------------------------------------------------------


def jobs_for(user: User, group: str = CATALOG) -> QuerySet[ImportJob]:
    """Import jobs of the kinds of ``group`` ``user`` may import, by units in their scope."""
    require_import(user, group=group)
    return ImportJob.objects.filter(
        kind__in=importable_kinds(user, group), organization__in=visible_organizations(user)
    ).select_related("created_by", "organization", "attachment")


def get_job_for(user: User, pk: int, group: str = CATALOG) -> ImportJob:
    job = jobs_for(user, group).filter(pk=pk).first()
    if job is None:
        raise Http404("没有找到该导入任务，或不在您的数据范围内")
    return expire_if_stale(job)
