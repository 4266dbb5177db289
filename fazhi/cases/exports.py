"""Exports of the case list: CSV streamed as it is read, XLSX built in the background.

CSV (Django docs, “Streaming large CSV files”): the list's query as ``values_list`` read in
chunks (``iterator(chunk_size=5000)``), written by the ``csv`` module into a pseudo-buffer
that keeps one batch of lines, each batch one chunk of a ``StreamingHttpResponse``. Nothing is
held but the current chunk, so memory stays flat whatever the number of cases. UTF-8 with a
byte-order mark, so Excel opens the Chinese columns correctly.

What makes it fast (≥ 100,000 rows/s of CPU on the standard machine, SQLite): every column is
read in a form Django passes through untouched — dates, money and the flag cast to text in
the query, the organization and the item by key and named from two small dictionaries —
because Django's per-value converters would cost more than the rest together; and the
parties' names come from a second query in the same key order, merged in one pass, instead
of a correlated subquery per row.

XLSX cannot be streamed (the file is a zip written at the end), so it is written in a thread
after the request (ADR 0004, like the catalog imports; ``FAZHI_IMPORT_INLINE`` runs it in the
request for tests) with openpyxl's write-only workbook. There is no model for the job: its
state ``{done, total, state, file}`` goes to the cache when the cache is shared between
processes, else (the default local-memory cache is per process) to a JSON file beside the
attachments, ``<FAZHI_ATTACHMENT_DIR>/../exports/<id>.json``. Either way the finished workbook
is a file there, streamed to the browser by the download view, and deleted after a day.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi.cases.models import CaseSource, Outcome, Party, PenaltyCase, Procedure
from fazhi.cases.selectors import cases_for
from fazhi.cases.workflow import Status
from fazhi.catalog.models import EnforcementItem
from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.core.selectors import visible_organizations

logger = logging.getLogger(__name__)

CHUNK_SIZE = 5000  # rows per database fetch
ROWS_PER_WRITE = 2000  # CSV rows joined into one chunk of the response
PROGRESS_EVERY = 1000  # XLSX rows between two progress writes
KEEP_SECONDS = 24 * 3600  # finished export files are deleted after a day

HEADERS: tuple[str, ...] = (
    "案件编号",
    "办案机关",
    "执法事项编码",
    "执法事项",
    "案由",
    "当事人",
    "案源",
    "程序",
    "阶段",
    "案源登记日期",
    "立案日期",
    "决定日期",
    "决定书文号",
    "处理结果",
    "罚款（元）",
    "适用“四张清单”",
    "结案日期",
)


class _Labels(dict[str | None, str | None]):
    """Code → label; an unknown code is shown as it is (never stops an export half-way)."""

    def __missing__(self, key: str | None) -> str | None:
        return key


_SOURCE = _Labels(CaseSource.choices)
_PROCEDURE = _Labels(Procedure.choices)
_STATUS = _Labels(Status.choices())
_OUTCOME = _Labels(Outcome.choices)
# The flag read as text: SQLite gives "1"/"0", PostgreSQL "true"/"false".
_YES_NO = _Labels({"1": "是", "0": "否", "true": "是", "false": "否"})
# Text a spreadsheet would run as a formula when the file is opened (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(field: str) -> Cast:
    # Read as text in the database: a column without a Python converter is fetched as is,
    # which is what makes the export fast (Django converts dates, decimals and booleans one
    # value at a time). Dates come out as ISO text, money as the database writes it.
    return Cast(field, output_field=CharField())


class _Names(dict[int, Any]):
    """Key → name(s), loaded before the export; a row added since (a new organization or
    item while the export runs) shows blank rather than stopping the export half-way."""

    def __missing__(self, key: int) -> None:
        return None


# The columns read for each case, in the order of the row tuples (pk first, for the parties;
# the organization and the item by key, named from two small dictionaries).
_CASE_COLUMNS: tuple[str | Cast, ...] = (
    "pk",
    "number",
    "organization_id",
    "item_id",
    "title",
    "source",
    "procedure",
    "status",
    _as_text("received_on"),
    _as_text("registered_on"),
    _as_text("decided_on"),
    "decision_number",
    "outcome",
    _as_text("fine"),
    _as_text("lenient"),
    _as_text("closed_on"),
)


def export_queryset(user: User, filters: Mapping[str, Any]) -> QuerySet[PenaltyCase]:
    """The list page's cases (scope and filters), newest first (by key: no sort needed)."""
    return cases_for(user, **filters).prefetch_related(None).order_by("-pk")


def _party_names(cases: QuerySet[PenaltyCase]) -> Iterator[tuple[int, str]]:
    """(case pk, party name) of those cases, in the cases' order, then the parties' own."""
    return (
        Party.objects.filter(case__in=cases.order_by().values("pk"))
        .order_by("-case_id", "order", "pk")
        .values_list("case_id", "name")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def export_batches(
    cases: QuerySet[PenaltyCase], *, protect: bool = True
) -> Iterator[list[tuple[Any, ...]]]:
    """The cases as rows of cells in the order of HEADERS, in lists of up to ROWS_PER_WRITE:
    names and labels for keys and codes, 是/否, dates as ISO text, money with two decimals,
    and (``protect``) a text a spreadsheet would run as a formula prefixed with an
    apostrophe (CSV injection).

    Two streams, each read in chunks: the cases, and their parties' names in the same key
    order, merged here in one pass; nothing is held but the current chunk. A party of a case
    that is not among the cases (committed between the two queries) is skipped.
    """
    orgs = _Names(Organization.objects.values_list("pk", "name"))
    items = _Names(
        (pk, (code, name))
        for pk, code, name in EnforcementItem.objects.filter(
            pk__in=cases.order_by().values("item_id")
        ).values_list("pk", "code", "name")
    )
    source, procedure, status, outcome, yes_no = _SOURCE, _PROCEDURE, _STATUS, _OUTCOME, _YES_NO
    danger = _FORMULA_START if protect else ("\0",)  # "\0" never starts a stored text
    parties = _party_names(cases)
    pending = next(parties, None)
    batch: list[tuple[Any, ...]] = []
    for r in cases.values_list(*_CASE_COLUMNS).iterator(chunk_size=CHUNK_SIZE):
        pk = r[0]
        while pending is not None and pending[0] > pk:
            pending = next(parties, None)
        names = ""
        if pending is not None and pending[0] == pk:
            names = pending[1]
            pending = next(parties, None)
            while pending is not None and pending[0] == pk:
                names += "、" + pending[1]
                pending = next(parties, None)
        title, number, fine = r[4], r[11], r[13]
        if title.startswith(danger):
            title = "'" + title
        if names.startswith(danger):
            names = "'" + names
        if number.startswith(danger):
            number = "'" + number
        code, name = items[r[3]] or ("", "")
        batch.append(
            (
                r[1],
                orgs[r[2]],
                code,
                name,
                title,
                names,
                source[r[5]],
                procedure[r[6]],
                status[r[7]],
                r[8],
                r[9],
                r[10],
                number,
                outcome[r[12]],
                None if fine is None else f"{float(fine):.2f}",
                yes_no[r[14]],
                r[15],
            )
        )
        if len(batch) >= ROWS_PER_WRITE:
            yield batch
            batch = []
    if batch:
        yield batch


def export_rows(cases: QuerySet[PenaltyCase], *, protect: bool = True) -> Iterator[tuple[Any, ...]]:
    """:func:`export_batches`, one row at a time."""
    for batch in export_batches(cases, protect=protect):
        yield from batch


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value[:10])


def xlsx_rows(cases: QuerySet[PenaltyCase]) -> Iterator[tuple[Any, ...]]:
    """The rows with dates and money typed for the spreadsheet (a formula-like text is kept
    as text by :func:`write_workbook` rather than prefixed)."""
    for row in export_rows(cases, protect=False):
        yield (
            *row[:9],
            _date(row[9]),
            _date(row[10]),
            _date(row[11]),
            row[12],
            row[13],
            None if row[14] is None else Decimal(row[14]),
            row[15],
            _date(row[16]),
        )


# --- CSV --------------------------------------------------------------------------------------


class _Lines:
    """The pseudo-buffer csv.writer writes into: it keeps the lines of one chunk only."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.write = self.parts.append

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def csv_chunks(
    batches: Iterable[Sequence[Sequence[Any]]], headers: Sequence[str] = HEADERS
) -> Iterator[str]:
    """The CSV text, one chunk per batch of rows, starting with the BOM and the headers."""
    buffer = _Lines()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    yield "\ufeff" + buffer.take()
    for batch in batches:
        writer.writerows(batch)
        yield buffer.take()


def _filename(stem: str, suffix: str) -> str:
    from urllib.parse import quote

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{stem}-{stamp}.{suffix}"
    # RFC 6266: an ASCII fallback plus the UTF-8 name for the Chinese title.
    return f"attachment; filename=\"cases-{stamp}.{suffix}\"; filename*=UTF-8''{quote(name)}"


def csv_response(user: User, filters: Mapping[str, Any]) -> StreamingHttpResponse:
    require(user, "cases.export")
    cases = export_queryset(user, filters)
    response = StreamingHttpResponse(
        csv_chunks(export_batches(cases)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = _filename("行政处罚案件", "csv")
    return response


# --- XLSX in the background: the job and where it is kept ------------------------------------

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATE_LABELS = {QUEUED: "排队中", RUNNING: "正在生成", DONE: "已完成", FAILED: "失败"}
_JOB_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclasses.dataclass
class ExportJob:
    id: str
    owner: int
    organizations: list[int]  # whose cases the file may contain (the owner's scope)
    filters: dict[str, Any]
    state: str = QUEUED
    done: int = 0
    total: int = 0
    file: str = ""
    error: str = ""
    created: float = dataclasses.field(default_factory=time.time)
    updated: float = dataclasses.field(default_factory=time.time)

    @property
    def running(self) -> bool:
        return self.state in (QUEUED, RUNNING)

    @property
    def percent(self) -> int:
        if self.state == DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)

    @property
    def created_at(self) -> dt.datetime:
        return timezone.localtime(dt.datetime.fromtimestamp(self.created, tz=dt.UTC))


def export_dir() -> Path:
    return Path(settings.FAZHI_ATTACHMENT_DIR).parent / "exports"


def job_file(job: ExportJob) -> Path:
    return export_dir() / job.file


class _Store(Protocol):
    def save(self, job: ExportJob) -> None: ...

    def load(self, job_id: str) -> ExportJob | None: ...


class _FileStore:
    """One JSON file per job: every process of the installation reads the same state."""

    def _path(self, job_id: str) -> Path:
        return export_dir() / f"{job_id}.json"

    def save(self, job: ExportJob) -> None:
        path = self._path(job.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(dataclasses.asdict(job), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # atomic: a reader never sees half a file

    def load(self, job_id: str) -> ExportJob | None:
        try:
            raw = json.loads(self._path(job_id).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return None
        return ExportJob(**raw)


class _CacheStore:
    """The job in the shared cache (Redis, Memcached, database or file cache)."""

    def save(self, job: ExportJob) -> None:
        cache.set(f"cases.export.{job.id}", dataclasses.asdict(job), KEEP_SECONDS)

    def load(self, job_id: str) -> ExportJob | None:
        raw = cache.get(f"cases.export.{job_id}")
        return ExportJob(**raw) if raw else None


_PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def _store() -> _Store:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in _PROCESS_LOCAL_CACHES:
        return _FileStore()
    return _CacheStore()


def _inline() -> bool:
    return bool(getattr(settings, "FAZHI_IMPORT_INLINE", False))


def stale_minutes() -> int:
    return int(getattr(settings, "FAZHI_IMPORT_STALE_MINUTES", 15))


def _purge_old() -> None:
    """Delete export files and job records older than a day (they hold personal data)."""
    folder = export_dir()
    if not folder.is_dir():
        return
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            continue


def start_xlsx_export(*, actor: User, filters: Mapping[str, Any]) -> ExportJob:
    """Queue the workbook of the list as filtered; returns at once (the work runs after the
    request, or in it with FAZHI_IMPORT_INLINE)."""
    require(actor, "cases.export")
    _purge_old()
    job = ExportJob(
        id=uuid.uuid4().hex,
        owner=actor.pk,
        organizations=sorted(visible_organizations(actor).values_list("pk", flat=True)),
        filters=dict(filters),
    )
    store = _store()
    store.save(job)
    _dispatch(run_xlsx_export, job.id)
    return store.load(job.id) or job


def get_job_for(actor: User, job_id: str) -> ExportJob:
    """The job if ``actor`` may see it: its owner, or anyone who sees every organization whose
    cases it may hold (the same rows as on their own list). Otherwise 404."""
    require(actor, "cases.export")
    job = _store().load(job_id) if _JOB_ID.match(job_id) else None
    if job is None:
        raise Http404("没有找到该导出任务，或已过期")
    if job.owner != actor.pk:
        visible = set(visible_organizations(actor).values_list("pk", flat=True))
        if not set(job.organizations) <= visible:
            raise Http404("没有找到该导出任务，或已过期")
    if job.running and time.time() - job.updated > stale_minutes() * 60:
        job.state, job.error = FAILED, "后台任务长时间没有进展，可能已中断，请重新导出"
        _store().save(job)
    return job


def _dispatch(work: Callable[[str], object], job_id: str) -> None:
    """Run ``work(job_id)`` now (FAZHI_IMPORT_INLINE, tests) or in a thread after the commit."""
    if _inline():
        work(job_id)
        return

    def start() -> None:
        threading.Thread(
            target=_run_in_thread, args=(work, job_id), name=f"case-export-{job_id}", daemon=True
        ).start()

    transaction.on_commit(start)


def _run_in_thread(work: Callable[[str], object], job_id: str) -> None:
    try:
        work(job_id)
    finally:
        connections.close_all()  # this thread's own connections


def _xlsx_cell(ws: Any, value: Any) -> Any:
    """A text that openpyxl would store as a formula is kept as text (formula injection)."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value


WIDTHS = (22, 24, 14, 30, 30, 30, 12, 10, 12, 12, 12, 12, 24, 16, 12, 10, 12)


def write_workbook(
    path: Path, rows: Iterable[Sequence[Any]], progress: Callable[[int], None] | None = None
) -> int:
    """Write the rows to ``path`` with openpyxl's write-only mode; returns the row count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("行政处罚案件")
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DCE6F1")
    header = []
    for h in HEADERS:
        cell = WriteOnlyCell(ws, value=h)
        cell.font, cell.fill = bold, fill
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        count += 1
        ws.append([_xlsx_cell(ws, v) for v in row])
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    tmp = path.with_suffix(".part")
    wb.save(tmp)
    os.replace(tmp, path)
    return count


def run_xlsx_export(job_id: str) -> None:
    """The background work: count, write the workbook, record progress and the result."""
    store = _store()
    job = store.load(job_id)
    if job is None:
        return
    try:
        user = User.objects.get(pk=job.owner)
        cases = export_queryset(user, job.filters)
        job.state, job.total, job.updated = RUNNING, cases.count(), time.time()
        store.save(job)

        def progress(done: int) -> None:
            job.done, job.updated = done, time.time()
            store.save(job)

        export_dir().mkdir(parents=True, exist_ok=True)
        name = f"{job.id}.xlsx"
        job.done = write_workbook(export_dir() / name, xlsx_rows(cases), progress)
        job.state, job.file, job.updated = DONE, name, time.time()
        store.save(job)
    except Exception:  # recorded on the job for the status page; the details go to the log
        logger.exception("案件导出任务 %s 失败", job_id)
        job.state, job.error, job.updated = FAILED, "导出失败，请重试或联系系统管理员", time.time()
        store.save(job)


def xlsx_filename_header() -> str:
    return _filename("行政处罚案件", "xlsx")
