"""Excel/CSV import of the 双随机 directories: entities, inspection items, inspectors and
relationships (issue 5 §1), through the catalog's import jobs.

The job (upload → validation in the background → apply in ONE transaction with ONE ledger
event carrying the file digest), its pages' logic and its errors are the catalog's
(:mod:`fazhi.catalog.imports`, ADR 0004); this module adds the four kinds' validation and
writing and registers them from ``InspectionsConfig.ready()``. Each row is checked with the
rules of :mod:`fazhi.inspections.services` (``save_entity``, ``save_item``, ``save_inspector``,
``declare_relationship``): a valid 统一社会信用代码 (``check_credit_code``), risk class A–D, a
township of the actor's county (by name or code), an organization in the actor's data scope,
an existing officer whose certificate is valid today, …, plus what only the whole file shows
(a code twice in the file). Every kind is create-or-update by its natural key; nothing is
deleted by an import.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils import timezone

from fazhi.catalog import imports as catalog_imports
from fazhi.catalog.conversions import CatalogValidationError, check_credit_code
from fazhi.catalog.excel import SheetRows
from fazhi.catalog.imports import (
    BATCH,
    CHUNK,
    Importer,
    Plan,
    ProgressFn,
    bulk_update,
    row_state,
)
from fazhi.catalog.models import EnforcementItem, ImportJob, Officer
from fazhi.core.models import Organization, User
from fazhi.inspections import excel
from fazhi.inspections.excel import CLOSED, split_list
from fazhi.inspections.models import Entity, InspectionItem, Inspector, Relationship
from fazhi.inspections.services import (
    InspectionError,
    county_townships,
    required_strings,
    required_text,
)

GROUP = "inspections"
PERMISSION = "inspections.manage"
STREAM = "inspections.import"

ENTITY_FIELDS = (
    "name",
    "kind",
    "industry",
    "township",
    "address",
    "risk_class",
    "licences",
    "is_active",
)
ITEM_FIELDS = (
    "organization",
    "name",
    "kind",
    "basis",
    "content",
    "method",
    "qualification",
    "is_active",
)
INSPECTOR_FIELDS = ("qualifications", "township", "is_active")

_T = TypeVar("_T")


def _today() -> dt.date:
    return timezone.localdate()


_NOT_IN_CODE = re.compile(r"[\s-]+")


def _compact(code: str) -> str:
    """A credit code as stored (what ``uscc.compact`` does, without its cost per row)."""
    return _NOT_IN_CODE.sub("", code or "").upper()


def _fetch(queryset: QuerySet[Any], lookup: str, values: Iterable[Any]) -> list[Any]:
    """``queryset.filter(<lookup>=values)`` in slices (the database's parameter limit)."""
    wanted = sorted({v for v in values if v not in ("", None)}, key=str)
    out: list[Any] = []
    for i in range(0, len(wanted), CHUNK):
        out.extend(queryset.filter(**{lookup: wanted[i : i + CHUNK]}))
    return out


class _DirectoryImporter(Importer):
    """What the four kinds share: required texts, the status column, townships, counting."""

    def checked(self, row: int, default: _T, check: Callable[..., _T], *args: Any) -> _T:
        """``check(*args)``, a service's check of one input. If it refuses: ``default``, and its
        words as the row's error in the column it names (a row fails as the form would)."""
        try:
            return check(*args)
        except InspectionError as exc:
            self.error(row, exc.field, exc.message)
            return default

    def required(self, row: int, values: dict[str, Any], key: str, what: str = "") -> str:
        """The text of ``key``; if empty, an error naming ``what`` (default: the column)."""
        what = what or self.spec.column(key).header
        return self.checked(row, "", required_text, str(values.get(key) or ""), key, what)

    @staticmethod
    def active(values: dict[str, Any]) -> bool:
        return values.get("status", "") != CLOSED

    def load_townships(self) -> None:
        """The townships of the actor's county, by code and (if unambiguous) by name."""
        self.townships: dict[str, Organization] = {}
        self.ambiguous: set[str] = set()
        by_name: dict[str, list[Organization]] = {}
        for town in county_townships(self.actor):
            self.townships[town.code] = town
            by_name.setdefault(town.name, []).append(town)
        for name, found in by_name.items():
            if len(found) == 1:
                self.townships.setdefault(name, found[0])
            else:
                self.ambiguous.add(name)

    def township(self, row: int, key: str, text: str) -> Organization | None:
        if text in self.ambiguous:
            self.error(row, key, f"本县有多个名为“{text}”的乡镇，请填写单位代码")
            return None
        town = self.townships.get(text)
        if town is None:
            self.error(row, key, f"“{text}”不是本县的乡镇（请填写乡镇名称或单位代码）")
        return town

    @staticmethod
    def change(before: tuple[object, ...] | None, after: tuple[object, ...]) -> str:
        """ "create", "update" or "same"."""
        if before is None:
            return "create"
        return "update" if before != after else "same"

    def count(self, before: tuple[object, ...] | None, after: tuple[object, ...]) -> str:
        change = self.change(before, after)
        if change == "create":
            self.created += 1
        elif change == "update":
            self.updated += 1
        else:
            self.unchanged += 1
        return change

    def first_codes(self, key: str) -> dict[str, int]:
        """Where each credit code first appears (compact form), counting broken rows."""
        first: dict[str, int] = {}
        for row, values in self.readable:
            code = _compact(str(values.get(key) or ""))
            if code:
                first.setdefault(code, row)
        return first


class EntityImporter(_DirectoryImporter):
    spec = excel.ENTITY_SHEET

    def plan(self) -> Plan:
        rows = self.parsed_rows()
        self.load_townships()
        first = self.first_codes("credit_code")
        existing: dict[str, Entity] = {
            e.credit_code: e
            for e in _fetch(
                self.rows_to_change(Entity.objects.all()),
                "credit_code__in",
                (_compact(v["credit_code"]) for _, v in rows),
            )
        }
        creates: list[Entity] = []
        updates: list[Entity] = []
        for row, values in rows:
            errors = len(self.errors)
            try:
                code = check_credit_code(values["credit_code"])
            except CatalogValidationError as exc:
                self.error(row, "credit_code", exc.message)
                code = ""
            if code and first.get(code, row) != row:
                self.error(
                    row, "credit_code", f"统一社会信用代码在本文件中重复（与第{first[code]}行相同）"
                )
            name = self.required(row, values, "name")
            industry = self.required(row, values, "industry")
            town_text = self.required(row, values, "township")
            town = self.township(row, "township", town_text) if town_text else None
            if len(self.errors) > errors or town is None:
                continue
            entity = existing.get(code)
            before = row_state(entity, ENTITY_FIELDS) if entity is not None else None
            entity = entity or Entity(credit_code=code)
            entity.name = name
            entity.kind = values["kind"]
            entity.industry = industry
            entity.township = town
            entity.address = values["address"]
            entity.risk_class = values["risk_class"]
            entity.licences = split_list(values["licences"])
            entity.is_active = self.active(values)
            change = self.count(before, row_state(entity, ENTITY_FIELDS))
            if change == "create":
                creates.append(entity)
            elif change == "update":
                updates.append(entity)

        def write() -> None:
            Entity.objects.bulk_create(creates, batch_size=BATCH)
            bulk_update(Entity, updates, ENTITY_FIELDS)

        return self.finish(write)


class ItemImporter(_DirectoryImporter):
    spec = excel.ITEM_SHEET

    def plan(self) -> Plan:
        rows = self.parsed_rows()
        first = self.first_rows("code")
        self.load_orgs(v["organization"] for _, v in rows)
        existing: dict[str, InspectionItem] = {
            i.code: i
            for i in _fetch(
                self.rows_to_change(InspectionItem.objects.select_related("organization")),
                "code__in",
                (v["code"] for _, v in rows),
            )
        }
        links: dict[int, set[int]] = {}
        through = InspectionItem.catalog_items.through
        for item_id, catalog_id in _fetch(
            through.objects.values_list("inspectionitem_id", "enforcementitem_id"),
            "inspectionitem_id__in",
            (i.pk for i in existing.values()),
        ):
            links.setdefault(item_id, set()).add(catalog_id)
        catalog: dict[str, EnforcementItem] = {
            c.code: c
            for c in _fetch(
                EnforcementItem.objects.all(),
                "code__in",
                (c for _, v in rows for c in split_list(v["catalog_items"])),
            )
        }
        creates: list[InspectionItem] = []
        updates: list[InspectionItem] = []
        new_links: list[tuple[InspectionItem, list[int]]] = []
        for row, values in rows:
            errors = len(self.errors)
            code = values["code"]
            if first.get(code, row) != row:
                self.error(row, "code", f"事项编码在本文件中重复（与第{first[code]}行相同）")
            org = self.org(row, "organization", values["organization"])
            name = self.required(row, values, "name")
            basis = self.required(
                row, values, "basis", "抽查依据（法律法规规章没有规定的，不得检查）"
            )
            qualification = self.required(row, values, "qualification")
            item = existing.get(code)
            if item is not None and item.organization_id not in self.visible:
                self.error(
                    row, "code", f"事项编码“{code}”属于{item.organization.name}，不在您的数据范围内"
                )
            linked: list[int] = []
            for c in split_list(values["catalog_items"]):
                found = catalog.get(c)
                if found is None:
                    self.error(row, "catalog_items", f"执法事项编码“{c}”不存在")
                elif org is not None and found.organization_id != org.pk:
                    self.error(row, "catalog_items", f"执法事项“{found.name}”不属于{org.name}")
                else:
                    linked.append(found.pk)
            if len(self.errors) > errors or org is None:
                continue
            before = (
                (*row_state(item, ITEM_FIELDS), frozenset(links.get(item.pk, ())))
                if item is not None
                else None
            )
            item = item or InspectionItem(code=code)
            item.organization = org
            item.name = name
            item.kind = values["kind"]
            item.basis = basis
            item.content = values["content"].strip()
            item.method = values["method"].strip() or "现场检查"
            item.qualification = qualification
            item.is_active = self.active(values)
            change = self.count(before, (*row_state(item, ITEM_FIELDS), frozenset(linked)))
            if change == "create":
                creates.append(item)
            elif change == "update":
                updates.append(item)
            if change != "same":
                new_links.append((item, linked))

        def write() -> None:
            InspectionItem.objects.bulk_create(creates, batch_size=BATCH)
            bulk_update(InspectionItem, updates, ITEM_FIELDS)
            changed = [i.pk for i in updates]
            for start in range(0, len(changed), CHUNK):
                through.objects.filter(
                    inspectionitem_id__in=changed[start : start + CHUNK]
                ).delete()
            through.objects.bulk_create(
                [
                    through(inspectionitem_id=item.pk, enforcementitem_id=pk)
                    for item, pks in new_links
                    for pk in pks
                ],
                batch_size=BATCH,
            )

        return self.finish(write)


def _name_check(
    importer: _DirectoryImporter, row: int, key: str, given: str, actual: str, what: str
) -> None:
    if given.strip() and given.strip() != actual:
        importer.error(row, key, f"{what}“{given.strip()}”与登记的“{actual}”不一致")


class InspectorImporter(_DirectoryImporter):
    spec = excel.INSPECTOR_SHEET

    def plan(self) -> Plan:
        rows = self.parsed_rows()
        self.load_townships()
        first = self.first_rows("certificate_number")
        officers: dict[str, Officer] = {
            o.certificate_number: o
            for o in _fetch(
                Officer.objects.select_related("organization"),
                "certificate_number__in",
                (v["certificate_number"] for _, v in rows),
            )
        }
        existing: dict[int, Inspector] = {
            i.officer_id: i
            for i in _fetch(
                self.rows_to_change(Inspector.objects.all()),
                "officer_id__in",
                (o.pk for o in officers.values()),
            )
        }
        today = _today()
        creates: list[Inspector] = []
        updates: list[Inspector] = []
        for row, values in rows:
            errors = len(self.errors)
            number = values["certificate_number"]
            if first.get(number, row) != row:
                self.error(
                    row,
                    "certificate_number",
                    f"执法证号在本文件中重复（与第{first[number]}行相同）",
                )
            officer = officers.get(number)
            active = self.active(values)
            if officer is None:
                self.error(row, "certificate_number", f"执法证号“{number}”未在执法人员中登记")
            else:
                _name_check(self, row, "name", values["name"], officer.name, "姓名")
            qualifications: list[str] = self.checked(
                row,
                [],
                required_strings,
                split_list(values["qualifications"]),
                "qualifications",
                "检查资格（执法领域）",
            )
            town = (
                self.township(row, "township", values["township"]) if values["township"] else None
            )
            if len(self.errors) > errors or officer is None:
                continue
            stored = existing.get(officer.pk)
            before = row_state(stored, INSPECTOR_FIELDS) if stored is not None else None
            inspector = stored or Inspector(officer=officer)
            inspector.qualifications = qualifications
            inspector.township = town
            inspector.is_active = active
            after = row_state(inspector, INSPECTOR_FIELDS)
            if self.change(before, after) != "same":
                # Only a row that writes needs the scope and a valid certificate: an export of
                # the county-wide directory imports back unchanged.
                if officer.organization_id not in self.visible:
                    self.error(
                        row,
                        "certificate_number",
                        f"{officer.name}所属的“{officer.organization.name}”不在您的数据范围内",
                    )
                    continue
                problem = officer.certificate_problem(today) if active else ""
                if problem:
                    self.error(row, "certificate_number", problem)
                    continue
            change = self.count(before, after)
            if change == "create":
                creates.append(inspector)
            elif change == "update":
                updates.append(inspector)

        def write() -> None:
            Inspector.objects.bulk_create(creates, batch_size=BATCH)
            bulk_update(Inspector, updates, INSPECTOR_FIELDS)

        return self.finish(write)


class RelationshipImporter(_DirectoryImporter):
    spec = excel.RELATIONSHIP_SHEET

    def plan(self) -> Plan:
        rows = self.parsed_rows()
        inspectors: dict[str, Inspector] = {
            i.officer.certificate_number: i
            for i in _fetch(
                Inspector.objects.select_related("officer__organization"),
                "officer__certificate_number__in",
                (v["certificate_number"] for _, v in rows),
            )
        }
        entities: dict[str, Entity] = {
            e.credit_code: e
            for e in _fetch(
                Entity.objects.all(),
                "credit_code__in",
                (_compact(v["credit_code"]) for _, v in rows),
            )
        }
        existing: dict[tuple[int, int], Relationship] = {
            (r.inspector_id, r.entity_id): r
            for r in _fetch(
                self.rows_to_change(Relationship.objects.all()),
                "inspector_id__in",
                (i.pk for i in inspectors.values()),
            )
        }
        first: dict[tuple[str, str], int] = {}
        for row, values in self.readable:
            pair = (
                str(values.get("certificate_number") or ""),
                _compact(values.get("credit_code") or ""),
            )
            if all(pair):
                first.setdefault(pair, row)
        creates: list[Relationship] = []
        updates: list[Relationship] = []
        for row, values in rows:
            errors = len(self.errors)
            number = values["certificate_number"]
            code = _compact(values["credit_code"])
            if first.get((number, code), row) != row:
                self.error(
                    row,
                    "credit_code",
                    "同一人员与同一检查对象的关系在本文件中重复"
                    f"（与第{first[(number, code)]}行相同）",
                )
            inspector = inspectors.get(number)
            if inspector is None:
                self.error(row, "certificate_number", f"执法证号“{number}”的人员不在检查人员名录中")
            else:
                _name_check(self, row, "name", values["name"], inspector.officer.name, "姓名")
            entity = entities.get(code)
            if entity is None:
                self.error(
                    row,
                    "credit_code",
                    f"统一社会信用代码“{values['credit_code']}”不在检查对象名录中",
                )
            else:
                _name_check(
                    self, row, "entity_name", values["entity_name"], entity.name, "检查对象名称"
                )
            description = self.required(row, values, "description")
            if len(self.errors) > errors or inspector is None or entity is None:
                continue
            relationship = existing.get((inspector.pk, entity.pk))
            before = (relationship.description,) if relationship is not None else None
            officer = inspector.officer
            if self.change(before, (description,)) != "same" and (
                officer.organization_id not in self.visible
            ):
                self.error(
                    row,
                    "certificate_number",
                    f"{officer.name}所属的“{officer.organization.name}”不在您的数据范围内",
                )
                continue
            relationship = relationship or Relationship(inspector=inspector, entity=entity)
            relationship.description = description
            change = self.count(before, (description,))
            if change == "create":
                creates.append(relationship)
            elif change == "update":
                updates.append(relationship)

        def write() -> None:
            Relationship.objects.bulk_create(creates, batch_size=BATCH)
            bulk_update(Relationship, updates, ("description",))

        return self.finish(write)


IMPORTERS: dict[str, type[Importer]] = {
    excel.ENTITIES: EntityImporter,
    excel.ITEMS: ItemImporter,
    excel.INSPECTORS: InspectorImporter,
    excel.RELATIONSHIPS: RelationshipImporter,
}


def register() -> None:
    """Make the four kinds importable (InspectionsConfig.ready(); idempotent)."""
    for kind, importer in IMPORTERS.items():
        catalog_imports.register(
            importer=importer,
            label=excel.LABELS[kind],
            permission=PERMISSION,
            group=GROUP,
            stream=STREAM,
            denied="您没有导入双随机名录数据的权限",
        )


# The pages, the API and the command of these kinds: the catalog's, for this group.
IMPORT_GROUP = catalog_imports.ImportGroup(
    name=GROUP,
    namespace="inspection_imports",
    title="名录导入导出",
    view_permission="inspections.view",
    kinds=excel.KINDS,
    template=excel.template,
    export=excel.export_file,
    short_names=excel.SHORT_NAMES,
    csv=True,
    nav_template="inspections/_nav.html",
    upload_help=(
        "请使用下载的模板填写（.xlsx），或上传国家企业信用信息公示系统等导出的同样列名的CSV文件"
    ),
    upload_note=(
        "检查对象名录的列与国家企业信用信息公示系统导出的数据一致，按统一社会信用代码新增或修改。"
    ),
)


# --- the job, for this app's kinds (the catalog's functions with the group filled in) -----------


def importable_kinds(user: User) -> list[str]:
    return catalog_imports.importable_kinds(user, GROUP)


def require_import(user: User, kind: str | None = None) -> None:
    catalog_imports.require_import(user, kind, GROUP)


def jobs_for(user: User) -> QuerySet[ImportJob]:
    return catalog_imports.jobs_for(user, GROUP)


def get_job_for(user: User, pk: int) -> ImportJob:
    return catalog_imports.get_job_for(user, pk, GROUP)


def plan_import(
    *, actor: User, kind: str, sheet: SheetRows, progress: ProgressFn | None = None
) -> Plan:
    """Validate a sheet of one of this app's kinds without writing anything."""
    if kind not in IMPORTERS:
        raise ValueError(kind)
    return catalog_imports.plan_import(actor=actor, kind=kind, sheet=sheet, progress=progress)


start_import = catalog_imports.start_import
validate_job = catalog_imports.validate_job
request_apply = catalog_imports.request_apply
apply_import = catalog_imports.apply_import
apply_job = catalog_imports.apply_job
RUNNING = catalog_imports.RUNNING
stale_minutes = catalog_imports.stale_minutes

__all__ = [
    "GROUP",
    "IMPORTERS",
    "IMPORT_GROUP",
    "RUNNING",
    "apply_import",
    "apply_job",
    "get_job_for",
    "importable_kinds",
    "jobs_for",
    "plan_import",
    "register",
    "request_apply",
    "require_import",
    "start_import",
    "stale_minutes",
    "validate_job",
]
