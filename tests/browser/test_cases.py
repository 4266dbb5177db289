"""An ordinary-procedure case (普通程序) from 案源 to 归档, as its users do it in the browser.

The officer registers the lead and handles the case, the department head approves 立案, the
decision and 结案, the legal reviewer passes 法制审核 (行政处罚法 第五十八条) in their own
sessions. The decision document is downloaded and read; then a citizen finds the decision on
the portal, redacted (自然人姓名只保留姓氏，不公开身份证件号码), and verifies its receipt.
Every date is today's: the forms default to it, and every deadline counted from it holds.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FINE = "40000"  # inside the benchmark's 情节较重 tier (30000元至70000元) of SCJ-CF-001


@pytest.fixture
def live_cases(transactional_db, live_server):
    """The cast, the catalog and a second certified officer, in the live server's database."""
    from fazhi.cases.testing import build_cases
    from fazhi.core.testing import build_cast
    from fazhi.ledger import services

    cc = build_cases(build_cast())
    services.create_checkpoint()
    return cc


def _png() -> bytes:
    """A real 2×2 PNG made here (the photo of the scene)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xc8\x32\x32" * 2 for _ in range(2))  # filter 0, RGB
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _problems(page) -> str:
    """What the page says went wrong (form errors, refusals), for the failure message."""
    texts = page.locator(".alert-error, .alert-warning, .field-error").all_inner_texts()
    return "；".join(t.strip() for t in texts if t.strip()) or "（页面上没有错误信息）"


def _open_case(page, pk: int) -> None:
    page.goto(f"/cases/{pk}/")
    page.locator("#summary").wait_for()


def _step(page, pk: int, label: str, fill: Callable[[Any], None] | None = None) -> None:
    """Do one step from the case page: its form (a link) or its one-click date form (a button);
    then the case page again, with “已完成”."""
    _open_case(page, pk)
    actions = page.locator("#actions")
    link = actions.get_by_role("link", name=label, exact=True)
    if link.count():
        link.click()
        page.wait_for_url(re.compile(rf"/cases/{pk}/\w+/$"))
        if fill is not None:
            fill(page)
        submit = page.locator("form .form-actions button[type=submit]")
    else:
        assert fill is None, f"“{label}”应当有自己的表单页"
        submit = actions.get_by_role("button", name=label, exact=True)
        offered = actions.inner_text() if actions.count() else "（没有办理区）"
        assert submit.count() == 1, f"案件页没有提供“{label}”；页面提供的是：{offered}"
    with page.expect_navigation():
        submit.click()
    page.wait_for_load_state()
    done = page.locator(".alert-success", has_text=f"已完成“{label}”")
    if not re.search(rf"/cases/{pk}/$", page.url) or not done.count():
        raise AssertionError(f"“{label}”没有完成（{page.url}）：{_problems(page)}")


def _status(page) -> str:
    return page.locator(".page-head h1 .badge").first.inner_text().strip()


def _summary(page, term: str) -> str:
    return (
        page.locator("#summary dt", has_text=term)
        .locator("xpath=following-sibling::dd[1]")
        .first.inner_text()
        .strip()
    )


def _docx_text(path: Path) -> str:
    """Every paragraph of the document: body, tables (nested too), headers and footers."""
    import docx

    document = docx.Document(str(path))
    out: list[str] = []

    def cells(tables) -> None:
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
                    cells(cell.tables)

    out.extend(p.text for p in document.paragraphs)
    cells(document.tables)
    for section in document.sections:
        for part in (section.header, section.footer):
            out.extend(p.text for p in part.paragraphs)
            cells(part.tables)
    return "\n".join(out)


def _watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def test_an_ordinary_case_from_lead_to_archive_and_on_the_portal(live_cases, new_page, tmp_path):
    from django.utils import timezone

    from fazhi.cases.models import PenaltyCase, ReviewOpinion
    from fazhi.cases.redaction import mask_person_name
    from fazhi.cases.testing import PERSON
    from fazhi.cases.workflow import Status

    cast, catalog = live_cases.cast, live_cases.catalog
    today = timezone.localdate()

    officer = new_page()
    console = _watch_console(officer)
    browser_login(officer, cast.officer.username)
    head = new_page()
    browser_login(head, cast.department_head.username)

    # 登记案源: the officer, from the case list's “新建案源”.
    officer.locator("nav.sidebar").get_by_role("link", name="行政处罚案件").click()
    officer.wait_for_url("**/cases/")
    officer.get_by_role("link", name="新建案源").click()
    officer.wait_for_url("**/cases/new/")
    officer.select_option("#id_organization", str(cast.department_a.pk))
    officer.fill("#id_item_code", catalog.item_a.code)
    officer.fill("#id_title", "未按规定公示年度报告")
    officer.select_option("#id_source", "inspection")
    officer.fill("#id_act_date", (today - dt.timedelta(days=30)).isoformat())
    officer.fill("#id_discovered_date", today.isoformat())
    officer.fill("#id_on", today.isoformat())
    officer.fill("#id_facts_text", "经查，当事人未按规定公示上一年度报告。")
    for o in live_cases.officers:
        officer.get_by_label(o.name).check()
    officer.select_option('[name="parties-0-kind"]', PERSON.kind)
    officer.fill('[name="parties-0-name"]', PERSON.name)
    officer.fill('[name="parties-0-id_number"]', PERSON.id_number)
    officer.fill('[name="parties-0-phone"]', PERSON.phone)
    officer.fill('[name="parties-0-address"]', PERSON.address)
    with officer.expect_navigation():
        officer.get_by_role("button", name="登记案源").click()
    match = re.search(r"/cases/(\d+)/$", officer.url)
    assert match, f"登记案源失败：{_problems(officer)}"
    pk = int(match.group(1))
    assert _status(officer) == Status.LEAD.label_zh
    assert PERSON.name in officer.locator("#parties").inner_text()

    # 立案 (第五十四条): the head.
    _step(head, pk, "立案")
    assert _status(head) == Status.INVESTIGATING.label_zh

    # 调查取证: one photo of the scene, uploaded through the evidence form.
    def evidence(page) -> None:
        page.set_input_files(
            "#id_files", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": _png()}]
        )
        page.fill("#id_title", "现场检查照片")
        page.select_option("#id_kind", "record")
        page.select_option("#id_medium", "photo")
        page.select_option("#id_activity", "on_site")

    _step(officer, pk, "上传证据", evidence)
    assert "现场检查照片" in officer.locator("#evidence").inner_text()

    def facts(page) -> None:
        page.select_option("#id_severity", "serious")
        page.select_option("#id_harm", "ordinary")
        # 情节复杂: the decision then needs the heads' collective discussion (第五十七条第二款).
        page.get_by_label("案件情况疑难复杂", exact=False).check()

    _step(officer, pk, "裁量计算（录入情节）", facts)
    assert "30000元至70000元" in officer.locator("#lenience").inner_text()

    report = "调查终结，违法事实清楚，证据确凿。"
    _step(officer, pk, "调查终结，提交案件审查", lambda p: p.fill("#id_report", report))

    def notice(page) -> None:
        page.check('input[name="penalty_types"][value="fine"]')
        page.fill("#id_fine", FINE)

    _step(officer, pk, "告知拟处罚决定", notice)
    assert _status(officer) == Status.NOTIFIED.label_zh
    _step(officer, pk, "记录陈述申辩", lambda p: p.check("#id_waived"))
    _step(officer, pk, "陈述申辩期结束")
    _step(officer, pk, "提交法制审核")

    # 法制审核 (第五十八条): the reviewer, in a session of their own.
    reviewer = new_page()
    browser_login(reviewer, cast.legal_reviewer.username)

    def review(page) -> None:
        boxes = page.locator('input[type=checkbox][name^="check_"]')
        assert boxes.count() >= 8
        for i in range(boxes.count()):
            boxes.nth(i).check()
        page.fill("#id_comments", "主体合法，事实清楚，证据充分，程序合法，同意。")

    _step(reviewer, pk, "法制审核通过", review)

    # 集体讨论 (第五十七条第二款: 情节复杂), then the decision: the head.
    _open_case(head, pk)
    assert "须经负责人集体讨论" in head.locator("#lenience").inner_text()

    def discussion(page) -> None:
        page.fill("#id_participants", "局长、副局长、法制机构负责人")
        page.fill("#id_conclusion", "同意给予罚款处罚。")

    _step(head, pk, "负责人集体讨论", discussion)

    def decision(page) -> None:
        assert page.locator('input[name="penalty_types"][value="fine"]').is_checked()
        assert float(page.input_value("#id_fine")) == float(FINE)

    _step(head, pk, "作出决定", decision)
    assert _status(head) == Status.DECIDED.label_zh
    number = _summary(head, "决定书文号")
    case = PenaltyCase.objects.get(pk=pk)
    assert number and number == case.decision_number
    assert case.legal_reviews.filter(opinion=ReviewOpinion.APPROVED).exists()
    assert case.discussion_required and case.discussions.exists()

    # The 行政处罚决定书 as a file, from the case page.
    _open_case(officer, pk)
    row = officer.locator("#documents tbody tr", has_text=number)
    assert row.count() == 1, officer.locator("#documents").inner_text()
    with officer.expect_download() as info:
        row.get_by_role("link", name="下载").click()
    saved = tmp_path / "decision.docx"
    info.value.save_as(saved)
    text = _docx_text(saved)
    assert "行政处罚决定书" in text
    assert number in text
    assert PERSON.name in text  # the document itself names the party (第五十九条)

    # 送达, 履行 (the officer), 结案 (the head), 归档 and 公示 (the officer).
    _step(officer, pk, "送达决定书", lambda p: p.fill("#id_recipient", PERSON.name))
    _step(officer, pk, "登记履行（缴纳罚款）")
    _step(head, pk, "结案", lambda p: p.fill("#id_summary", "罚款已缴纳，案件办结。"))
    _step(officer, pk, "归档")
    _step(officer, pk, "公示行政处罚决定")
    assert "当前" in officer.locator("#disclosures").inner_text()
    assert _status(officer) == Status.ARCHIVED.label_zh
    assert not [e for e in console if "Content Security Policy" in e], console

    # The receipt is given once a signed checkpoint covers the entry: the system admin signs one.
    admin = new_page()
    browser_login(admin, cast.system_admin.username)
    admin.goto("/ledger/checkpoints/")
    with admin.expect_navigation():
        admin.get_by_role("button", name="生成检查点").click()
    assert admin.locator(".alert-success", has_text="已生成并签名检查点").count() == 1, _problems(
        admin
    )

    # A citizen, not logged in: the decision list, the decision, its receipt.
    public = new_page()
    public.goto("/enforcement/decisions/")
    public.fill("input[name=q]", number)
    public.get_by_role("button", name="查询").click()
    public.wait_for_url("**/enforcement/decisions/?*q=*")
    public.locator("#decisions").get_by_role("link", name=number, exact=True).click()
    public.wait_for_url(f"**/enforcement/decisions/{pk}/")
    page = public.content()
    assert number in public.locator("h1").inner_text()
    assert mask_person_name(PERSON.name) in public.locator("#parties").inner_text()
    for secret in (PERSON.name, PERSON.id_number, PERSON.phone):
        assert secret not in page, f"公示页泄露了当事人信息：{secret}"

    with public.expect_download() as info:
        public.locator("#history").get_by_role("link", name="下载回执").first.click()
    bundle = Path(info.value.path()).read_text(encoding="utf-8")
    assert PERSON.id_number not in bundle and PERSON.name not in bundle
    public.goto("/ledger/verify/")
    public.locator("textarea").first.fill(bundle)
    with public.expect_navigation():
        public.locator("form button[type=submit]").first.click()
    assert "验证通过" in public.content()

    # Back on the case page: the case is 已归档.
    _open_case(officer, pk)
    assert _status(officer) == Status.ARCHIVED.label_zh
    assert PenaltyCase.objects.get(pk=pk).status == Status.ARCHIVED.value
