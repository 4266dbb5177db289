"""Exports of the case list: the CSV streamed (content, scope, speed, flat memory) and the
XLSX written in the background (job, progress, file, who may fetch it)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import time
import tracemalloc

import pytest
from django.conf import settings
from django.http import StreamingHttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.cases import exports, services
from fazhi.cases.models import Party, PenaltyCase
from fazhi.cases.services import PartyInput
from fazhi.cases.testing import COMPANY, PERSON, CaseCast, new_lead, walk
from fazhi.cases.workflow import Status
from fazhi.core.exports import XLSX_CONTENT_TYPE

D = dt.date
pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"cases:{name}", args=args)


@pytest.fixture
def officer(cc: CaseCast, login) -> Client:
    return login(cc.cast.officer, Client())


@pytest.fixture
def other(cc: CaseCast, login) -> Client:
    return login(cc.cast.other_officer, Client())


def read_csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeff")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(body[1:])))


# --- CSV ---------------------------------------------------------------------------------------


def test_the_csv_streams_the_list_as_filtered(cc, officer, other):
    decided = walk(cc, Status.DECIDED)
    both = services.receive_lead(
        actor=cc.cast.officer,
        organization=cc.cast.department_a,
        item=cc.catalog.item_a,
        title="无照经营",
        source="complaint",
        act_date=D(2024, 4, 1),
        discovered_date=D(2024, 4, 2),
        on=D(2024, 4, 2),
        parties=[PERSON, COMPANY],
    )
    response = officer.get(url("case_export_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="cases-')
    rows = read_csv(response)
    assert tuple(rows[0]) == exports.HEADERS
    assert [r[0] for r in rows[1:]] == [both.number, decided.number]  # newest first
    assert rows[1][5] == f"{PERSON.name}、{COMPANY.name}"  # every party, in their order
    assert rows[1][6:9] == ["投诉举报", "普通程序", "案源登记"]
    assert rows[2] == [
        decided.number,
        "测试县市场监督管理局",
        "SCJ-CF-001",
        cc.catalog.item_a.name,
        decided.title,
        COMPANY.name,
        "检查发现",
        "普通程序",
        "已决定",
        "2024-03-01",
        "2024-03-01",
        "2024-03-16",  # 法制审核 passed and decided the same day (walk)
        decided.decision_number,
        "给予行政处罚",
        "40000.00",
        "否",
        "",
    ]
    # The list's filters, and its scope.
    rows = read_csv(officer.get(url("case_export_csv") + "?status=decided"))
    assert [r[0] for r in rows[1:]] == [decided.number]
    rows = read_csv(officer.get(url("case_export_csv") + "?q=李小明"))
    assert [r[0] for r in rows[1:]] == [both.number]
    assert read_csv(other.get(url("case_export_csv")))[1:] == []


def test_the_exports_keep_formulas_from_running(cc, officer):
    trap = PartyInput(
        kind="organization", name='=HYPERLINK("http://x")', id_number=COMPANY.id_number
    )
    case = services.receive_lead(
        actor=cc.cast.officer,
        organization=cc.cast.department_a,
        item=cc.catalog.item_a,
        title="@SUM(1+1)",
        source="inspection",
        act_date=D(2024, 3, 1),
        discovered_date=D(2024, 3, 1),
        on=D(2024, 3, 1),
        parties=[trap],
    )
    row = read_csv(officer.get(url("case_export_csv")))[1]
    assert row[4] == "'@SUM(1+1)" and row[5] == '\'=HYPERLINK("http://x")'
    # In the workbook the text stays text (not a formula), without the apostrophe.
    response = officer.post(url("case_export_xlsx"))
    job_id = response["Location"].rstrip("/").split("/")[-1]
    sheet = _workbook(officer, job_id).active
    name = sheet.cell(row=2, column=6)
    assert name.value == '=HYPERLINK("http://x")' and name.data_type == "s"
    assert sheet.cell(row=2, column=1).value == case.number


def _bulk_cases(cc: CaseCast, n: int, year: int) -> None:
    """``n`` copies of a decided case, each with one party: volume for the speed and memory
    measures only. The rows are inserted directly because thousands of cases through the
    services would take minutes; the copies are of a case the services built."""
    base = PenaltyCase.objects.filter(status=Status.DECIDED).first() or walk(cc, Status.DECIDED)
    fields = {
        f.attname: getattr(base, f.attname)
        for f in PenaltyCase._meta.concrete_fields
        if f.attname != "id"
    }
    start = PenaltyCase.objects.count()
    cases = [
        PenaltyCase(
            **{
                **fields,
                "number": f"BULK-{year}-{start + i:07d}",
                "idempotency_key": None,
                "received_on": D(year, 3, 1),
                "evaluation": {},
            }
        )
        for i in range(n)
    ]
    PenaltyCase.objects.bulk_create(cases, batch_size=2000)
    ids = PenaltyCase.objects.filter(number__startswith=f"BULK-{year}-").values_list(
        "pk", flat=True
    )
    Party.objects.bulk_create(
        [
            Party(case_id=pk, kind="organization", name=COMPANY.name, id_number=COMPANY.id_number)
            for pk in ids
        ],
        batch_size=2000,
    )


def _consume(user, filters) -> int:
    rows = 0
    for chunk in exports.csv_chunks(exports.export_batches(exports.export_queryset(user, filters))):
        rows += chunk.count("\n")
    return rows - 1  # the header


def test_the_csv_memory_is_flat(cc):
    """The memory of 30,000 rows is no more than of 12,000: only a chunk is held."""
    _bulk_cases(cc, 12000, 2023)
    _bulk_cases(cc, 18000, 2024)
    user = cc.cast.officer
    assert _consume(user, {}) == PenaltyCase.objects.count()

    def peak(filters) -> int:
        tracemalloc.start()
        try:
            _consume(user, filters)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak({"year": 2023}), peak({})
    assert large < small * 1.2, (small, large)


# --- XLSX --------------------------------------------------------------------------------------


def _workbook(client: Client, job_id: str):
    response = client.get(url("export_download", job_id))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert isinstance(response, StreamingHttpResponse)  # the file is streamed, not read
    return load_workbook(io.BytesIO(response.getvalue()))


def test_the_xlsx_export_runs_as_a_job_and_the_file_opens(cc, officer):
    decided = walk(cc, Status.DECIDED)
    new_lead(cc, party=PERSON)
    response = officer.post(url("case_export_xlsx"), {"status": "decided"})
    assert response.status_code == 302
    job_id = response["Location"].rstrip("/").split("/")[-1]
    assert response["Location"] == url("export_status", job_id)
    page = officer.get(response["Location"]).content.decode()
    assert "已生成：共 1 件案件" in page and url("export_download", job_id) in page
    assert "hx-trigger" not in page  # finished: no more polling
    # The job's state is a JSON file beside the attachments (the cache is per process).
    state = json.loads((exports.export_dir() / f"{job_id}.json").read_text())
    assert state["state"] == "done" and state["done"] == state["total"] == 1
    sheet = _workbook(officer, job_id).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == exports.HEADERS
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == decided.number and row[8] == "已决定"
    assert row[9].date() == D(2024, 3, 1)  # a date cell, not text
    assert row[14] == 40000  # a number
    assert sheet.freeze_panes == "A2"


def test_an_export_job_is_seen_by_who_sees_its_cases_only(cc, officer, other, login):
    walk(cc, Status.DECIDED)
    job_id = officer.post(url("case_export_xlsx"))["Location"].rstrip("/").split("/")[-1]
    assert other.get(url("export_status", job_id)).status_code == 404
    assert other.get(url("export_download", job_id)).status_code == 404
    head = login(cc.cast.department_head, Client())  # department A and below
    assert head.get(url("export_status", job_id)).status_code == 200
    # The supervisor's export covers the whole county: department A's officer may not open
    # it, though the supervisor may open the officer's.
    supervisor = login(cc.cast.supervisor, Client())
    assert supervisor.get(url("export_download", job_id)).status_code == 200
    county_job = supervisor.post(url("case_export_xlsx"))["Location"].rstrip("/").split("/")[-1]
    assert officer.get(url("export_status", county_job)).status_code == 404
    admin = login(cc.cast.system_admin, Client())
    assert admin.get(url("export_status", job_id)).status_code == 403
    assert officer.get(url("export_status", "z" * 32)).status_code == 404  # not a job id
    assert officer.get(url("export_status", "0" * 32)).status_code == 404


def test_a_running_job_polls_and_a_silent_one_fails(cc, officer):
    job = exports.ExportJob(
        id="f" * 32,
        owner=cc.cast.officer.pk,
        organizations=[cc.cast.department_a.pk],
        filters={},
        state=exports.RUNNING,
        done=2000,
        total=8000,
    )
    exports._store().save(job)
    partial = officer.get(url("export_status", job.id), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and "<html" not in partial
    assert 'value="2000" max="8000"' in partial and "25%" in partial
    assert officer.get(url("export_download", job.id)).status_code == 404  # not finished
    job.updated = time.time() - (exports.stale_minutes() + 1) * 60
    exports._store().save(job)
    page = officer.get(url("export_status", job.id)).content.decode()
    assert "长时间没有进展" in page and "hx-trigger" not in page


def test_with_a_shared_cache_the_job_lives_in_the_cache(cc, officer, tmp_path):
    walk(cc, Status.DECIDED)
    cache = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                         "LOCATION": str(tmp_path / "cache")}}  # fmt: skip
    with override_settings(CACHES=cache):
        job_id = officer.post(url("case_export_xlsx"))["Location"].rstrip("/").split("/")[-1]
        assert not (exports.export_dir() / f"{job_id}.json").exists()
        job = exports._store().load(job_id)
        assert job is not None and job.state == exports.DONE
        assert _workbook(officer, job_id).active.max_row == 2


@pytest.mark.django_db(transaction=True)
def test_without_inline_the_workbook_is_written_by_a_thread(cc, officer):
    """The real background path: the request returns at once, a thread writes the file."""
    walk(cc, Status.DECIDED)
    with override_settings(FAZHI_IMPORT_INLINE=False):
        response = officer.post(url("case_export_xlsx"))
    job_id = response["Location"].rstrip("/").split("/")[-1]
    deadline = time.monotonic() + 30
    while (job := exports._store().load(job_id)) is None or job.state != exports.DONE:
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    assert _workbook(officer, job_id).active.max_row == 2
    assert settings.FAZHI_IMPORT_INLINE  # the tests' setting is back


def test_old_export_files_are_deleted(cc, officer):
    folder = exports.export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / ("e" * 32 + ".xlsx")
    old.write_bytes(b"old")
    past = time.time() - exports.KEEP_SECONDS - 60
    os.utime(old, (past, past))
    officer.post(url("case_export_xlsx"))
    assert not old.exists()
