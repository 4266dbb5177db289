"""The case pages: what they show, what they write (through the services), how they refuse
bad input (the Chinese message, nothing lost), scope (404) and permission (403).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fazhi.cases import services
from fazhi.cases.models import CaseStep, Evidence, PenaltyCase
from fazhi.cases.services import REVIEW_CHECKLIST
from fazhi.cases.testing import COMPANY, PERSON, CaseCast, new_lead, walk
from fazhi.cases.workflow import Status
from fazhi.ledger.services import attachment_path

D = dt.date
pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def url(name: str, *args) -> str:
    return reverse(f"cases:{name}", args=args)


def act(case: PenaltyCase, action: str) -> str:
    return url("case_action", case.pk, action)


@pytest.fixture
def officer(cc: CaseCast, login) -> Client:
    return login(cc.cast.officer, Client())


@pytest.fixture
def head(cc: CaseCast, login) -> Client:
    return login(cc.cast.department_head, Client())


@pytest.fixture
def reviewer(cc: CaseCast, login) -> Client:
    return login(cc.cast.legal_reviewer, Client())


@pytest.fixture
def supervisor(cc: CaseCast, login) -> Client:
    return login(cc.cast.supervisor, Client())


@pytest.fixture
def other(cc: CaseCast, login) -> Client:
    """Department B's officer: department A's cases are out of scope."""
    return login(cc.cast.other_officer, Client())


def party_data(prefix: str = "parties", parties=(COMPANY,), extra: int = 2) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(parties) + extra),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": "10",
    }
    for i, p in enumerate(parties):
        for field in ("kind", "name", "id_number", "legal_representative", "phone", "address"):
            data[f"{prefix}-{i}-{field}"] = getattr(p, field)
    for i in range(len(parties), len(parties) + extra):
        data[f"{prefix}-{i}-kind"] = "organization"  # the initial value: a blank row
    return data


def lead_data(cc: CaseCast, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "organization": cc.cast.department_a.pk,
        "item_code": cc.catalog.item_a.code,
        "title": "未按规定公示年度报告",
        "source": "inspection",
        "source_detail": "",
        "act_date": "2024-02-01",
        "discovered_date": "2024-03-01",
        "on": "2024-03-01",
        "facts_text": "经查，当事人未按规定于2023年6月30日前公示2022年度报告。",
        "officers": [o.pk for o in cc.officers],
        "idempotency_key": "a" * 32,
        **party_data(),
    }
    data.update(overrides)
    return data


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_the_cases_in_scope_with_search_and_filters(cc, officer, other):
    decided = walk(cc, Status.DECIDED)
    lead = new_lead(cc, party=PERSON)
    page = text(officer.get(url("case_list")))
    assert decided.number in page and lead.number in page
    assert COMPANY.name in page and PERSON.name in page
    page = text(officer.get(url("case_list") + "?q=李小明"))
    assert lead.number in page and decided.number not in page
    page = text(officer.get(url("case_list") + f"?q={decided.decision_number}"))
    assert decided.number in page and lead.number not in page
    page = text(officer.get(url("case_list") + "?status=decided"))
    assert decided.number in page and lead.number not in page
    page = text(officer.get(url("case_list") + "?year=2023"))
    assert "没有符合条件的案件" in page
    # Department B's officer sees none of department A's cases.
    page = text(other.get(url("case_list")))
    assert decided.number not in page and "没有符合条件的案件" in page


def test_the_list_count_stops_at_the_cap_and_says_so(cc, officer, monkeypatch):
    from fazhi.core import pagination

    leads = [new_lead(cc, party=PERSON) for _ in range(3)]
    page = text(officer.get(url("case_list")))
    assert "共 3 条" in page and "超过" not in page
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    page = text(officer.get(url("case_list")))
    assert "超过 2 条，只列出前 2 条，请用筛选条件缩小范围" in page
    assert "共 3 条" not in page
    # Newest first: the first two are listed, the third is beyond the cap.
    assert leads[2].number in page and leads[1].number in page
    assert leads[0].number not in page


def test_the_list_offers_intake_and_exports_by_role(cc, officer, supervisor):
    page = officer.get(url("case_list")).content.decode()
    assert url("case_create") in page and url("case_on_spot") in page
    assert url("case_export_csv") in page and url("case_export_xlsx") in page
    page = supervisor.get(url("case_list")).content.decode()
    assert url("case_create") not in page and url("case_on_spot") not in page
    assert url("case_export_csv") in page


def test_the_list_colours_overdue_and_due_soon_deadlines(cc, officer):
    overdue = walk(cc, Status.INVESTIGATING)  # registered 2024-03-01: 90 days long past
    today = timezone.localdate()
    # Registered 88 days ago: the 90-day period ends in 2 days (a weekend moves it to Monday).
    soon = new_lead(cc, on=today - dt.timedelta(days=88))
    soon = services.register(actor=cc.cast.department_head, case=soon, on=soon.received_on)
    html = re.sub(r"\s+", " ", officer.get(url("case_list")).content.decode())
    rows = {m[1]: m[2] for m in re.finditer(r"<code>([^<]+)</code>(.*?)</tr>", html)}
    assert '<span class="badge badge-danger">已逾期</span> 作出处理决定' in rows[overdue.number]
    assert '<span class="badge badge-warn">即将到期</span> 作出处理决定' in rows[soon.number]


def _list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url("case_list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_page_queries_do_not_grow_with_the_page_size(cc, officer):
    head = cc.cast.department_head
    for i in range(5):
        case = new_lead(cc, on=D(2024, 3, 1) + dt.timedelta(days=i))
        if i % 2 == 0:  # some with the rows the deadlines read
            case = services.register(actor=head, case=case, on=case.received_on)
            services.hold_evidence(actor=head, case=case, description="账簿", on=case.received_on)
    officer.get(url("case_list"))  # warm the per-process caches (parameters)
    five = _list_queries(officer)
    for i in range(25):
        case = new_lead(cc, on=D(2024, 4, 1) + dt.timedelta(days=i))
        if i % 3 == 0:
            services.register(actor=head, case=case, on=case.received_on)
    assert PenaltyCase.objects.count() == 30
    thirty = _list_queries(officer)
    assert thirty == five


# --- the case page -------------------------------------------------------------------------------


def test_the_case_page_shows_the_whole_case(cc, officer, supervisor):
    case = walk(cc, Status.DECIDED)
    page = text(officer.get(url("case_detail", case.pk)))
    assert case.number in page and case.decision_number in page
    assert COMPANY.id_number in page  # staff see the full data
    assert "立案" in page and "作出决定" in page  # the timeline
    step = CaseStep.objects.filter(case=case).earliest("id")
    html = officer.get(url("case_detail", case.pk)).content.decode()
    # No ledger.view_entries: the sequence number is shown, not linked.
    assert reverse("ledger:entry_detail", args=[step.ledger_seq]) not in html
    assert f">{step.ledger_seq}<" in html
    # The deadlines with their arithmetic, the engine's trace and paragraph.
    assert "作出处理决定" in page and "送达决定书" in page
    assert "行政处罚法" in page
    trace = case.evaluation["trace"]
    assert trace and trace[0]["rule_id"] in page
    assert case.evaluation["paragraph"][:20] in page
    # Documents and evidence with their downloads.
    doc = case.documents.get(kind="penalty_decision")
    assert url("document_download", case.pk, doc.pk) in html
    evidence = case.evidence.earliest("id")
    assert url("evidence_download", case.pk, evidence.pk) in html
    # Missing recordings (118号 三（八）): a photo is no recording of the on-site inspection.
    assert "尚无音像记录" in page and "现场执法" in page
    # The supervisor may read the ledger: the sequence number links to the entry.
    html = supervisor.get(url("case_detail", case.pk)).content.decode()
    assert reverse("ledger:entry_detail", args=[step.ledger_seq]) in html


def test_the_action_panel_offers_what_the_state_and_the_role_allow(cc, officer, head, reviewer):
    case = walk(cc, Status.EXAMINING)
    officer_page = officer.get(url("case_detail", case.pk)).content.decode()
    head_page = head.get(url("case_detail", case.pk)).content.decode()
    assert act(case, "notify") in officer_page and act(case, "notify") not in head_page
    assert act(case, "return_for_investigation") in head_page
    assert act(case, "return_for_investigation") not in officer_page
    assert act(case, "decide") not in head_page  # not from 案件审查
    assert act(case, "register") not in head_page
    assert "办理" not in text(reviewer.get(url("case_detail", case.pk)))


def test_pages_refuse_other_roles_and_other_organizations(cc, login, other, supervisor):
    case = walk(cc, Status.INVESTIGATING)
    admin = login(cc.cast.system_admin, Client())
    assert admin.get(url("case_list")).status_code == 403
    assert admin.get(url("case_detail", case.pk)).status_code == 403
    assert other.get(url("case_detail", case.pk)).status_code == 404
    assert other.get(act(case, "add_evidence")).status_code == 404
    doc = case.documents.earliest("id")
    assert other.get(url("document_download", case.pk, doc.pk)).status_code == 404
    # In scope but without the step's permission: 403, and nothing written.
    steps = CaseStep.objects.count()
    assert supervisor.get(act(case, "add_evidence")).status_code == 403
    assert (
        supervisor.post(act(case, "suspend"), {"reason": "x", "on": "2024-03-05"}).status_code
        == 403
    )
    assert CaseStep.objects.count() == steps
    assert supervisor.get(act(case, "no_such_step")).status_code == 404


def test_a_step_not_open_in_this_state_goes_back_with_the_reason(cc, head):
    case = walk(cc, Status.INVESTIGATING)
    response = head.get(act(case, "decide"))
    assert response.status_code == 302 and response["Location"] == url("case_detail", case.pk)
    page = text(head.get(response["Location"]))
    assert "案件处于“调查取证”阶段，不能“作出决定”" in page


def test_downloads_stream_the_stored_files(cc, officer):
    case = walk(cc, Status.INVESTIGATING)
    doc = case.documents.get(kind="registration_approval")
    response = officer.get(url("document_download", case.pk, doc.pk))
    assert isinstance(response, StreamingHttpResponse)  # streamed from the file
    assert response["Content-Disposition"].startswith("attachment")
    body = response.getvalue()
    assert body == attachment_path(doc.attachment_id).read_bytes()
    assert body[:2] == b"PK"  # a .docx


# --- intake ------------------------------------------------------------------------------------


def test_create_offers_a_fresh_key_and_only_valid_officers(cc, officer):
    first = officer.get(url("case_create")).content.decode()
    second = officer.get(url("case_create")).content.decode()
    key = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')
    assert len(key.findall(first)) == len(key.findall(second)) == 1
    assert key.findall(first) != key.findall(second)
    assert cc.catalog.officer_a.name in first and cc.second_officer.name in first
    assert cc.catalog.expired_officer.name not in first  # 执法证已过期


def test_create_a_lead_and_a_double_submit_gives_one_case(cc, officer):
    data = lead_data(cc)
    first = officer.post(url("case_create"), data)
    second = officer.post(url("case_create"), data)  # the double click
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert PenaltyCase.objects.count() == 1
    case = PenaltyCase.objects.get()
    assert case.status == Status.LEAD and case.created_by == cc.cast.officer
    assert list(case.parties.values_list("name", flat=True)) == [COMPANY.name]
    assert case.case_officers.count() == 2
    # Another rendering of the form, another key: a second case.
    officer.post(url("case_create"), lead_data(cc, idempotency_key="b" * 32))
    assert PenaltyCase.objects.count() == 2


def test_a_bad_party_is_refused_on_its_row_and_nothing_typed_is_lost(cc, officer):
    bad = COMPANY.__class__(kind="individual", name="李四", id_number="220422198001010000")
    data = lead_data(cc, **party_data(parties=(COMPANY, bad), extra=1))
    data["title"] = "无照经营（复查）"
    response = officer.post(url("case_create"), data)
    assert response.status_code == 400
    page = text(response)
    assert "第2个当事人：居民身份证号码“220422198001010000”无效（GB 11643 校验失败）" in page
    html = response.content.decode()
    assert 'value="无照经营（复查）"' in html and 'value="220422198001010000"' in html
    assert f'value="{COMPANY.id_number}"' in html
    assert 'value="' + "a" * 32 + '"' in html  # the same key: the retry is still one case
    assert PenaltyCase.objects.count() == 0


def test_create_refuses_an_item_of_another_organization(cc, officer):
    response = officer.post(url("case_create"), lead_data(cc, item_code=cc.catalog.item_b.code))
    assert response.status_code == 400
    assert "没有找到已公示的行政处罚事项“HBJ-CF-001”" in text(response)


def test_create_needs_at_least_one_party(cc, officer):
    data = lead_data(cc, **dict.fromkeys(("parties-0-name", "parties-0-id_number"), ""))
    response = officer.post(url("case_create"), data)
    assert response.status_code == 400
    assert PenaltyCase.objects.count() == 0


def test_on_the_spot_decision(cc, officer):
    data = {
        "organization": cc.cast.department_a.pk,
        "item_code": cc.catalog.item_a.code,
        "title": "未按规定公示年度报告",
        "act_date": "2024-03-01",
        "on": "2024-03-01",
        "penalty_types": ["warning"],
        "fine": "",
        "harm": "minor",
        "severity": "",
        "facts_text": "当场检查发现。",
        "officers": [o.pk for o in cc.officers],
        "idempotency_key": "c" * 32,
        **{f"party-{k}": getattr(COMPANY, k) for k in ("kind", "name", "id_number")},
    }
    response = officer.post(url("case_on_spot"), data)
    assert response.status_code == 302
    case = PenaltyCase.objects.get()
    assert case.status == Status.SERVED and case.procedure == "summary"
    assert case.documents.filter(kind="penalty_decision").exists()
    # Too large a fine for 当场处罚: refused with the article, the values kept.
    data.update(penalty_types=["fine"], fine="5000", idempotency_key="d" * 32)
    response = officer.post(url("case_on_spot"), data)
    assert response.status_code == 400
    assert "第五十一条" in text(response) and 'value="5000"' in response.content.decode()
    assert PenaltyCase.objects.count() == 1


# --- steps ---------------------------------------------------------------------------------------


def test_evidence_upload(cc, officer):
    case = walk(cc, Status.INVESTIGATING)
    before = Evidence.objects.filter(case=case).count()
    photo = SimpleUploadedFile("现场2.jpg", b"\xff\xd8\xff jpeg bytes", content_type="image/jpeg")
    video = SimpleUploadedFile("执法记录仪.mp4", b"\x00\x00 mp4 bytes", content_type="video/mp4")
    response = officer.post(
        act(case, "add_evidence"),
        {
            "title": "现场检查",
            "kind": "record",
            "medium": "photo",
            "on": "2024-03-02",
            "files": photo,
        },
    )
    assert response.status_code == 302
    assert Evidence.objects.filter(case=case).count() == before + 1
    stored = Evidence.objects.filter(case=case).latest("id")
    assert attachment_path(stored.attachment_id).read_bytes() == b"\xff\xd8\xff jpeg bytes"
    download = officer.get(url("evidence_download", case.pk, stored.pk))
    assert isinstance(download, StreamingHttpResponse)
    assert download.getvalue() == b"\xff\xd8\xff jpeg bytes"
    # A video declared as a photo is refused by the service; the form keeps the title.
    response = officer.post(
        act(case, "add_evidence"),
        {
            "title": "执法记录仪视频",
            "kind": "audiovisual",
            "medium": "photo",
            "on": "2024-03-02",
            "files": video,
        },
    )
    assert response.status_code == 400
    assert "与载体“照片”不符" in text(response)
    assert 'value="执法记录仪视频"' in response.content.decode()
    # Recorded as video of the on-site inspection: no longer missing on the case page.
    video.seek(0)
    officer.post(
        act(case, "add_evidence"),
        {
            "title": "执法记录仪视频",
            "kind": "audiovisual",
            "medium": "video",
            "on": "2024-03-02",
            "activity": "on_site",
            "files": video,
        },
    )
    assert services.missing_recordings(PenaltyCase.objects.get(pk=case.pk)) == [
        "evidence_collection"
    ]


def test_a_case_from_before_118hao_has_no_recordings_missing(cc, officer):
    """A historic case (received before 国办发〔2018〕118号 applied, 2018-12-05) had no duty to
    record audio or video: its page opens and lists none missing (was a server error)."""
    case = walk(cc, Status.DECIDED)
    PenaltyCase.objects.filter(pk=case.pk).update(received_on=dt.date(2017, 5, 2))
    assert services.missing_recordings(PenaltyCase.objects.get(pk=case.pk)) == []
    assert officer.get(url("case_detail", case.pk)).status_code == 200


def test_a_decision_heavier_than_the_notice_is_refused_with_the_input_kept(cc, head, reviewer):
    case = walk(cc, Status.LEGAL_REVIEW)
    checks = {f"check_{k}": "on" for k, _ in REVIEW_CHECKLIST}
    reviewer.post(
        act(case, "pass_legal_review"), {**checks, "comments": "同意", "on": "2024-03-16"}
    )
    case.refresh_from_db()
    if case.discussion_required:
        head.post(
            act(case, "record_discussion"),
            {"participants": "局长", "conclusion": "同意", "on": "2024-03-16"},
        )
    response = head.post(
        act(case, "decide"), {"penalty_types": ["fine"], "fine": "45000", "on": "2024-03-16"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "不得因当事人陈述、申辩而给予更重的处罚（第四十五条）" in page
    assert 'value="45000"' in response.content.decode()
    assert PenaltyCase.objects.get(pk=case.pk).status == Status.READY


def test_legal_review_with_a_point_unchecked_is_refused(cc, reviewer):
    case = walk(cc, Status.LEGAL_REVIEW)
    checks = {f"check_{k}": "on" for k, _ in REVIEW_CHECKLIST[1:]}
    response = reviewer.post(
        act(case, "pass_legal_review"), {**checks, "comments": "基本同意", "on": "2024-03-16"}
    )
    assert response.status_code == 400
    assert "审核要点未通过：行政执法主体是否合法" in text(response)
    assert "基本同意" in response.content.decode()
    assert PenaltyCase.objects.get(pk=case.pk).status == Status.LEGAL_REVIEW


def test_update_case_sends_only_what_changed(cc, officer):
    case = new_lead(cc)
    page = officer.get(act(case, "update_case")).content.decode()
    assert (
        'name="parties-INITIAL_FORMS" value="1"' in page and f'value="{COMPANY.id_number}"' in page
    )
    data = {
        "facts_text": case.facts_text,
        "officers": [o.pk for o in cc.officers],
        "on": "2024-03-02",
        **party_data(parties=(COMPANY, PERSON), extra=1),
        "parties-INITIAL_FORMS": "1",  # as the page renders it: one party on file
    }
    response = officer.post(act(case, "update_case"), data)
    assert response.status_code == 302
    step = CaseStep.objects.filter(case=case, action="update_case").get()
    assert set(step.data) == {"parties"}
    assert list(case.parties.values_list("name", flat=True)) == [COMPANY.name, PERSON.name]
    # Nothing changed: the service says so on the form.
    data["parties-INITIAL_FORMS"] = "2"
    response = officer.post(act(case, "update_case"), data)
    assert response.status_code == 400 and "没有需要更正的内容" in text(response)


def test_the_ordinary_procedure_through_the_pages(cc, officer, head, reviewer):
    """案源 → 归档 and 公示, every step a POST by the role the law gives it."""

    def post(client: Client, case: PenaltyCase, action: str, data: dict) -> None:
        response = client.post(act(case, action), data)
        assert response.status_code == 302, (action, text(response)[:2000])
        assert response["Location"] == url("case_detail", case.pk)

    assert officer.post(url("case_create"), lead_data(cc)).status_code == 302
    case = PenaltyCase.objects.get()
    post(head, case, "register", {"on": "2024-03-01"})
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff photo", content_type="image/jpeg")
    post(
        officer,
        case,
        "add_evidence",
        {
            "title": "现场检查照片",
            "kind": "record",
            "medium": "photo",
            "on": "2024-03-01",
            "activity": "on_site",
            "files": photo,
        },
    )
    post(
        officer,
        case,
        "assess",
        {
            "severity": "serious",
            "harm": "ordinary",
            "facts_certain": "on",
            "mental_capacity": "full",
            "on": "2024-03-11",
        },
    )
    case.refresh_from_db()
    assert case.evaluation["trace"] and case.facts["severity"] == "serious"
    post(officer, case, "submit_for_examination", {"report": "调查终结", "on": "2024-03-11"})
    post(officer, case, "notify", {"penalty_types": ["fine"], "fine": "40000", "on": "2024-03-14"})
    post(officer, case, "record_statement", {"statement": "", "waived": "on", "on": "2024-03-14"})
    post(officer, case, "conclude_statement", {"on": "2024-03-14"})
    post(officer, case, "submit_legal_review", {"on": "2024-03-14"})
    checks = {f"check_{k}": "on" for k, _ in REVIEW_CHECKLIST}
    post(reviewer, case, "pass_legal_review", {**checks, "comments": "同意", "on": "2024-03-16"})
    case.refresh_from_db()
    if case.discussion_required:
        post(
            head,
            case,
            "record_discussion",
            {"participants": "局长、副局长", "conclusion": "同意", "on": "2024-03-16"},
        )
    post(head, case, "decide", {"penalty_types": ["fine"], "fine": "40000", "on": "2024-03-16"})
    post(officer, case, "publish_decision", {"on": "2024-03-18"})
    post(officer, case, "serve", {"method": "direct", "recipient": "王某某", "on": "2024-03-17"})
    post(officer, case, "record_payment", {"amount": "40000", "surcharge": "0", "on": "2024-03-22"})
    post(head, case, "close", {"summary": "罚款已缴纳，案件办结", "on": "2024-03-22"})
    post(officer, case, "archive", {"on": "2024-03-22"})
    case.refresh_from_db()
    assert case.status == Status.ARCHIVED
    assert case.fine == Decimal(40000) and case.paid_amount == Decimal(40000)
    assert case.disclosures.filter(action="publish", is_current=True).exists()
    actions = list(case.steps.values_list("action", flat=True))
    assert actions[0] == "receive_lead" and actions[-1] == "archive"
    assert "disclosure_publish" in actions
    page = text(officer.get(url("case_detail", case.pk)))
    assert "已归档" in page and case.decision_number in page


def test_side_paths_through_the_pages(cc, head):
    case = walk(cc, Status.NOTIFIED)
    response = head.post(act(case, "suspend"), {"reason": "", "on": "2024-03-20"})
    assert response.status_code == 400  # the reason is required
    head.post(act(case, "suspend"), {"reason": "当事人下落不明", "on": "2024-03-20"})
    assert PenaltyCase.objects.get(pk=case.pk).status == Status.SUSPENDED
    head.post(act(case, "resume"), {"on": "2024-04-01"})
    assert PenaltyCase.objects.get(pk=case.pk).status == Status.NOTIFIED
    head.post(act(case, "extend"), {"days": "30", "reason": "案情复杂", "on": "2024-04-02"})
    assert PenaltyCase.objects.get(pk=case.pk).extension_days == 30
    case = _ok(head, case, "terminate", {"reason": "当事人死亡", "on": "2024-04-03"})
    assert case.status == Status.TERMINATED and case.end_reason == "当事人死亡"


# --- deadlines -----------------------------------------------------------------------------------


def test_the_deadline_list_groups_overdue_cases(cc, officer, supervisor):
    overdue = walk(cc, Status.INVESTIGATING)
    lead = new_lead(cc)  # not registered: no deadline yet
    closed = walk(cc, Status.CLOSED)  # never published, but closed: no longer a reminder
    page = text(officer.get(url("deadline_list")))
    assert overdue.number in page and lead.number not in page and closed.number not in page
    assert "测试县市场监督管理局" in page and "已逾期" in page
    page = text(officer.get(url("deadline_list") + "?group=officer"))
    assert cc.catalog.officer_a.name in page and cc.second_officer.name in page
    page = text(supervisor.get(url("deadline_list") + "?group=county"))
    assert "测试县人民政府" in page and overdue.number in page
    page = text(officer.get(url("deadline_list") + "?state=due_soon"))
    assert overdue.number not in page


def test_navigation_lists_the_case_pages(cc, officer, login):
    html = officer.get(url("case_list")).content.decode()
    assert f'href="{url("case_list")}"' in html and f'href="{url("deadline_list")}"' in html
    admin = login(cc.cast.system_admin, Client())
    html = admin.get(reverse("core:home")).content.decode()
    assert url("deadline_list") not in html


# --- every step's page and form -------------------------------------------------------------

# A state each action starts from, and who may take it.
ROLE = {"cases.handle": "officer", "cases.approve": "head", "cases.legal_review": "reviewer"}


@pytest.mark.parametrize(
    "status",
    [
        Status.LEAD,
        Status.INVESTIGATING,
        Status.EXAMINING,
        Status.NOTIFIED,
        Status.READY,
        Status.LEGAL_REVIEW,
        Status.DECIDED,
        Status.SERVED,
        Status.EXECUTED,
        Status.CLOSED,
    ],
)
def test_every_open_step_has_a_page(cc, officer, head, reviewer, status):
    from fazhi.cases.views.actions import ACTIONS, unavailable

    clients = {"officer": officer, "head": head, "reviewer": reviewer}
    case = walk(cc, status)
    open_here = [a for a in ACTIONS.values() if not unavailable(a, case)]
    assert open_here
    for a in open_here:
        client = clients[ROLE.get(a.permission, "officer")]
        response = client.get(act(case, a.name))
        assert response.status_code == 200, a.name
        html = response.content.decode()
        assert f"<h1>{a.label}</h1>" in html
        assert 'name="on"' in html or a.name == "record_remedy"


def _ok(client: Client, case: PenaltyCase, action: str, data: dict) -> PenaltyCase:
    response = client.post(act(case, action), data)
    assert response.status_code == 302, (action, text(response)[-1500:])
    return PenaltyCase.objects.get(pk=case.pk)


def test_the_investigation_steps_through_the_pages(cc, officer, head):
    case = walk(cc, Status.INVESTIGATING)
    _ok(head, case, "hold_evidence", {"description": "账簿3本", "on": "2024-03-02"})
    hold = case.holds.get()
    data = {"hold": hold.pk, "handling": "退还当事人", "on": "2024-03-05"}
    _ok(officer, case, "handle_held_evidence", data)
    assert case.holds.get().handled_on == D(2024, 3, 5)
    # 第四十二条: a recusal may not leave fewer than two officers on the case.
    data = {"officer": cc.catalog.officer_a.pk, "reason": "系当事人近亲属", "on": "2024-03-06"}
    response = head.post(act(case, "recuse"), data)
    assert response.status_code == 400
    assert "回避后执法人员仅剩1人，少于2人（第四十二条）" in text(response)
    assert "系当事人近亲属" in response.content.decode()
    case = _ok(head, case, "extend", {"days": "30", "reason": "案情复杂", "on": "2024-03-07"})
    assert case.extension_days == 30
    case = _ok(officer, case, "submit_for_examination", {"report": "调查终结", "on": "2024-03-08"})
    case = _ok(head, case, "return_for_investigation", {"reason": "证据不足", "on": "2024-03-09"})
    assert case.status == Status.INVESTIGATING
    case = _ok(head, case, "suspend", {"reason": "当事人下落不明", "on": "2024-03-10"})
    case = _ok(head, case, "resume", {"on": "2024-03-20"})
    assert case.status == Status.INVESTIGATING
    case = _ok(
        head, case, "revoke_registration", {"reason": "不属于本机关管辖", "on": "2024-03-21"}
    )
    assert case.status == Status.REVOKED


def test_a_lead_is_declined_or_transferred_through_the_pages(cc, head):
    case = _ok(head, new_lead(cc), "decline", {"reason": "违法事实不存在", "on": "2024-03-02"})
    assert case.status == Status.NOT_REGISTERED and case.end_reason == "违法事实不存在"
    data = {
        "target": "judicial",
        "recipient": "测试县公安局",
        "reason": "涉嫌犯罪",
        "on": "2024-03-02",
    }
    case = _ok(head, new_lead(cc), "transfer", data)
    assert case.status == Status.TRANSFERRED and case.transfer_recipient == "测试县公安局"


def test_no_penalty_through_the_pages(cc, officer, head):
    case = walk(cc, Status.EXAMINING)
    data = {"outcome": "not_established", "reason": "证据不能证明违法事实", "on": "2024-03-12"}
    case = _ok(officer, case, "propose_no_penalty", data)
    assert case.status == Status.READY
    # Facts not established: no education record is due (第三十三条第三款 is for violations).
    case = _ok(head, case, "decide", {"on": "2024-03-13"})
    assert case.status == Status.DECIDED and case.outcome == "not_established"
    assert case.documents.filter(kind="no_penalty_decision").exists()


def test_a_hearing_through_the_pages(cc, officer, head, reviewer):
    case = walk(cc, Status.NOTIFIED)  # notified 2024-03-14, with the hearing right
    case = _ok(officer, case, "request_hearing", {"on": "2024-03-15"})
    assert case.status == Status.HEARING
    data = {
        "hearing_on": "2024-03-18",  # too soon: 七日前通知 (第六十四条)
        "location": "本局听证室",
        "host": cc.cast.legal_reviewer.pk,
        "public": "on",
        "on": "2024-03-15",
    }
    response = head.post(act(case, "schedule_hearing"), data)
    assert response.status_code == 400 and "第六十四条第二项" in text(response)
    assert 'value="本局听证室"' in response.content.decode()
    case = _ok(head, case, "schedule_hearing", {**data, "hearing_on": "2024-03-29"})
    assert case.hearing.scheduled_on == D(2024, 3, 29)
    data = {"record_text": "当事人到场陈述", "held": "on", "on": "2024-03-29"}
    case = _ok(officer, case, "conclude_hearing", data)
    assert case.status == Status.READY and case.legal_review_required
    data = {"participants": "局长、副局长", "conclusion": "维持告知的处罚", "on": "2024-03-30"}
    case = _ok(head, case, "record_discussion", data)
    assert case.discussions.get().conclusion == "维持告知的处罚"


def test_legal_review_returned_through_the_pages(cc, reviewer):
    case = walk(cc, Status.LEGAL_REVIEW)
    data = {"comments": "证据不足，请补充", "check_facts": "", "on": "2024-03-16"}
    case = _ok(reviewer, case, "return_legal_review", data)
    assert case.status == Status.EXAMINING
    assert case.legal_reviews.get().opinion == "problems"


def test_after_the_decision_through_the_pages(cc, officer, head):
    case = walk(cc, Status.SERVED)
    data = {"kind": "reconsideration", "started_on": "2024-03-20", "ended_on": ""}
    case = _ok(officer, case, "record_remedy", data)
    assert case.remedies.get().ended_on is None
    case = _ok(officer, case, "publish_decision", {"on": "2024-03-18"})
    data = {"reason": "当事人名称有误", "facts_text": case.facts_text, "on": "2024-03-19"}
    case = _ok(officer, case, "correct_disclosure", data)
    assert list(case.disclosures.order_by("version").values_list("action", flat=True)) == [
        "publish",
        "correct",
    ]
    case = _ok(head, case, "revoke_decision", {"reason": "复议决定撤销", "on": "2024-04-20"})
    assert case.status == Status.DECISION_REVOKED
    case = _ok(officer, case, "withdraw_disclosure", {"reason": "决定已被撤销", "on": "2024-04-22"})
    current = case.disclosures.get(is_current=True)
    assert current.action == "withdraw" and current.reason == "决定已被撤销"
    # Nothing is left to publish: the panel offers neither publication nor correction.
    html = officer.get(url("case_detail", case.pk)).content.decode()
    assert act(case, "publish_decision") not in html and act(case, "correct_disclosure") not in html
