"""/api/v1/cases: penalty cases through the API — the ordinary path end to end, permission and
data scope per operation, 422s with Chinese field messages, idempotent intake (also under
concurrency), downloads, and list queries that do not grow with the page."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fazhi.api.v1.cases import ACTIONS
from fazhi.cases import services
from fazhi.cases.models import Evidence, PenaltyCase
from fazhi.cases.services import PartyInput
from fazhi.cases.testing import COMPANY, PERSON, CaseCast, build_cases, new_lead, walk
from fazhi.cases.workflow import TRANSITIONS, Status
from fazhi.core import services as core_services
from fazhi.core.choices import DataScope, Role
from fazhi.core.models import User
from fazhi.core.testing import TEST_PASSWORD, Cast
from fazhi.ledger.models import LedgerEntry

URL = "/api/v1/cases"
D = dt.date


@pytest.fixture
def cc(cast: Cast) -> CaseCast:
    return build_cases(cast)


def party_json(p: PartyInput) -> dict[str, Any]:
    return dataclasses.asdict(p)


def lead_body(cc: CaseCast, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "item_code": cc.catalog.item_a.code,
        "title": "未按规定公示年度报告",
        "source": "inspection",
        "act_date": "2024-02-01",
        "discovered_date": "2024-03-01",
        "on": "2024-03-01",
        "parties": [party_json(COMPANY)],
        "officers": [o.certificate_number for o in cc.officers],
        "facts_text": "经查，当事人未按规定公示2022年度报告。",
    }
    body.update(over)
    return body


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def step(client: Client, case_id: int, action: str, body: dict[str, Any]) -> dict[str, Any]:
    response = post(client, f"{URL}/{case_id}/actions/{action}", body)
    assert response.status_code == 200, (action, response.content.decode())
    return response.json()


def photo(name: str = "现场.jpg", content: bytes = b"\xff\xd8\xff photo") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


# --- the ordinary path ------------------------------------------------------------------------


def test_the_ordinary_path_end_to_end(cc, as_user):
    cast = cc.cast
    officer, head = as_user(cast.officer), as_user(cast.department_head)
    reviewer = as_user(cast.legal_reviewer)

    created = post(officer, URL, lead_body(cc))
    assert created.status_code == 201, created.content.decode()
    case = created.json()
    case_id = case["id"]
    assert case["status"] == "lead" and case["status_label"] == "案源登记"
    assert [p["id_number"] for p in case["parties"]] == [COMPANY.id_number]
    assert [o["certificate_number"] for o in case["officers"]] == ["22040001", "22040003"]
    assert case["officers"][0]["lead"]
    register = {a["name"]: a for a in case["actions"]}["register"]
    assert register["permitted"] is False  # 立案 is the head's (cases.approve)

    case = step(head, case_id, "register", {"on": "2024-03-01"})
    assert case["status"] == "investigating"
    offered = {a["name"]: a for a in case["actions"]}
    assert offered["add_evidence"]["url"] == f"{URL}/{case_id}/evidence"
    assert offered["add_evidence"]["permitted"] is False  # the head's view: officers upload
    assert "register" not in offered
    uploaded = officer.post(
        f"{URL}/{case_id}/evidence",
        {
            "kind": "record",
            "medium": "photo",
            "title": "现场检查照片",
            "on": "2024-03-02",
            "activity": "on_site",
            "files": [photo("一.jpg", b"\xff\xd8 one"), photo("二.jpg", b"\xff\xd8 two")],
        },
    )
    assert uploaded.status_code == 201, uploaded.content.decode()
    evidence = uploaded.json()["evidence"]
    assert [e["title"] for e in evidence] == ["现场检查照片（1）", "现场检查照片（2）"]
    case = step(
        officer,
        case_id,
        "assess",
        {"on": "2024-03-11", "facts": {"severity": "serious", "harm": "ordinary"}},
    )
    assert case["evaluation"]["treatment"] == "ordinary"
    assert case["evaluation"]["trace"] and case["evaluation"]["paragraph"]
    step(officer, case_id, "submit_for_examination", {"on": "2024-03-11", "report": "调查终结"})
    case = step(
        officer,
        case_id,
        "notify",
        {"on": "2024-03-14", "penalty_types": ["fine"], "fine": "40000"},
    )
    assert case["status"] == "notified" and case["hearing_right"]
    hearing = {d["code"]: d for d in case["deadlines"]}["hearing_request"]
    assert hearing["informational"] and "工作日" in hearing["text"]
    step(officer, case_id, "record_statement", {"on": "2024-03-14", "waived": True})
    step(officer, case_id, "conclude_statement", {"on": "2024-03-14"})
    step(officer, case_id, "submit_legal_review", {"on": "2024-03-14"})
    case = step(reviewer, case_id, "pass_legal_review", {"on": "2024-03-16", "comments": "同意"})
    assert case["legal_reviews"][0]["opinion"] == "approved"
    if case["discussion_required"]:
        step(
            head,
            case_id,
            "record_discussion",
            {"on": "2024-03-16", "participants": "局长、副局长", "conclusion": "同意"},
        )
    case = step(
        head, case_id, "decide", {"on": "2024-03-16", "penalty_types": ["fine"], "fine": "40000"}
    )
    assert case["status"] == "decided" and case["fine"] == "40000.00"
    assert case["decision_number"]
    step(officer, case_id, "serve", {"on": "2024-03-17", "method": "direct", "recipient": "王某某"})
    case = step(officer, case_id, "publish_decision", {"on": "2024-03-18"})
    assert case["disclosures"][0]["action"] == "publish"
    assert COMPANY.phone not in str(case["disclosures"][0]["snapshot"])
    step(officer, case_id, "record_payment", {"on": "2024-03-22", "amount": "40000"})
    step(head, case_id, "close", {"on": "2024-03-22", "summary": "罚款已缴纳，案件办结"})
    case = step(officer, case_id, "archive", {"on": "2024-03-22"})
    assert case["status"] == "archived"

    # Every step points at its own ledger entry (全过程记录).
    entries = dict(
        LedgerEntry.objects.filter(stream=f"case.{case['number']}").values_list("seq", "kind")
    )
    case_steps = [s for s in case["steps"] if not s["action"].startswith("disclosure_")]
    assert {s["ledger_seq"]: f"case.{s['action']}" for s in case_steps} == entries
    assert case["deadlines"] and all(d["text"] for d in case["deadlines"])

    # The documents and the evidence come back byte for byte, within scope.
    kinds = {d["kind"] for d in case["documents"]}
    assert {"registration_approval", "prior_notice", "penalty_decision"} <= kinds
    decision = next(d for d in case["documents"] if d["kind"] == "penalty_decision")
    download = head.get(decision["url"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(download.streaming_content).startswith(b"PK")  # a .docx is a zip
    assert download["ETag"] == f'"{decision["digest"]}"'
    first = as_user(cast.supervisor).get(evidence[0]["url"])
    assert first.status_code == 200
    assert b"".join(first.streaming_content) == b"\xff\xd8 one"


# --- which operations exist -------------------------------------------------------------------


def test_every_step_of_the_table_has_an_action():
    """Every transition except intake (POST /cases, /cases/on-spot) and evidence (its own
    multipart endpoint), plus the three disclosure steps."""
    intake = {"receive_lead", "decide_on_spot", "add_evidence"}
    disclosure = {"publish_decision", "correct_disclosure", "withdraw_disclosure"}
    assert set(ACTIONS) == (set(TRANSITIONS) - intake) | disclosure
    assert set(VALID_BODIES) == set(ACTIONS)


# A schema-valid body per action: the scope's 404 must not hide behind a 422.
VALID_BODIES: dict[str, dict[str, Any]] = {
    "decline": {"reason": "不属于本机关管辖"},
    "register": {},
    "hold_evidence": {"description": "涉案物品一批"},
    "handle_held_evidence": {"hold_id": 1, "handling": "解除登记保存"},
    "update_case": {"facts_text": "更正后的违法事实"},
    "assess": {"facts": {"severity": "serious"}},
    "recuse": {"officer": "22040003", "reason": "与当事人有利害关系"},
    "submit_for_examination": {"report": "调查终结"},
    "return_for_investigation": {"reason": "证据不足"},
    "notify": {"penalty_types": ["fine"], "fine": "40000"},
    "propose_no_penalty": {"outcome": "not_established", "reason": "违法事实不能成立"},
    "record_statement": {"waived": True},
    "request_hearing": {},
    "schedule_hearing": {"hearing_on": "2024-04-01", "location": "会议室", "host": "reviewer"},
    "conclude_hearing": {"record_text": "听证笔录"},
    "conclude_statement": {},
    "submit_legal_review": {},
    "pass_legal_review": {"comments": "同意"},
    "return_legal_review": {"comments": "证据不足"},
    "record_discussion": {"participants": "局长、副局长", "conclusion": "同意"},
    "extend": {"days": 30, "reason": "案情复杂"},
    "decide": {"penalty_types": ["fine"], "fine": "40000"},
    "serve": {"method": "direct"},
    "record_payment": {"amount": "40000"},
    "record_remedy": {"kind": "reconsideration", "started_on": "2024-04-01"},
    "close": {"summary": "结案"},
    "archive": {},
    "revoke_registration": {"reason": "不应立案"},
    "transfer": {"target": "judicial", "recipient": "测试县公安局", "reason": "涉嫌犯罪"},
    "suspend": {"reason": "当事人下落不明"},
    "resume": {},
    "terminate": {"reason": "当事人死亡"},
    "revoke_decision": {"reason": "行政复议决定撤销"},
    "publish_decision": {},
    "correct_disclosure": {"reason": "更正错字"},
    "withdraw_disclosure": {"reason": "决定已被撤销"},
}


# --- permission and data scope ----------------------------------------------------------------


def _user(cast: Cast, username: str, role: str) -> User:
    user = core_services.create_user(
        actor=cast.system_admin,
        username=username,
        full_name=username,
        organization=cast.department_b,
        password=TEST_PASSWORD,
    )
    core_services.assign_role(actor=cast.security_admin, user=user, role=role, scope=DataScope.OWN)
    return user


def test_another_department_gets_404_for_every_case_operation(cc, as_user):
    """Department B's officer, head and reviewer hold every permission a case operation needs,
    but department A's case is outside their scope: 404, as if it did not exist."""
    cast = cc.cast
    case = walk(cc, Status.INVESTIGATING)
    document, evidence = case.documents.get(), Evidence.objects.get(case=case)
    by_permission = {
        "cases.handle": cast.other_officer,
        "cases.publish": cast.other_officer,
        "cases.approve": _user(cast, "head_b", Role.DEPARTMENT_HEAD),
        "cases.legal_review": _user(cast, "reviewer_b", Role.LEGAL_REVIEWER),
    }
    base = f"{URL}/{case.pk}"
    officer_b = as_user(cast.other_officer)
    requests: dict[str, Callable[[], Any]] = {
        "detail": lambda: officer_b.get(base),
        "document": lambda: officer_b.get(f"{base}/documents/{document.pk}"),
        "evidence": lambda: officer_b.get(f"{base}/evidence/{evidence.pk}"),
        "upload": lambda: officer_b.post(
            f"{base}/evidence",
            {"kind": "record", "medium": "photo", "title": "照片", "files": photo()},
        ),
    }
    for name, spec in ACTIONS.items():
        client = as_user(by_permission[spec.permission])
        requests[name] = functools.partial(
            post, client, f"{base}/actions/{name}", VALID_BODIES[name]
        )
    failures = []
    for name, send in requests.items():
        response = send()
        if response.status_code != 404 or response.json()["code"] != "not_found":
            failures.append(f"{name}: {response.status_code} {response.content.decode()[:200]}")
    assert not failures
    assert as_user(cast.other_officer).get(URL).json()["count"] == 0
    assert as_user(cast.supervisor).get(URL).json()["count"] == 1  # the county sees it


def test_a_document_or_evidence_is_found_only_under_its_own_case(cc, as_user):
    first, second = walk(cc, Status.INVESTIGATING), walk(cc, Status.INVESTIGATING)
    client = as_user(cc.cast.officer)
    other_doc = second.documents.get()
    other_evidence = Evidence.objects.get(case=second)
    assert client.get(f"{URL}/{second.pk}/documents/{other_doc.pk}").status_code == 200
    assert client.get(f"{URL}/{first.pk}/documents/{other_doc.pk}").status_code == 404
    assert client.get(f"{URL}/{first.pk}/evidence/{other_evidence.pk}").status_code == 404
    assert Client().get(f"{URL}/{second.pk}/documents/{other_doc.pk}").status_code == 401


def test_a_reviewer_cannot_register_and_an_officer_cannot_decide(cc, as_user):
    case = new_lead(cc)
    response = post(as_user(cc.cast.legal_reviewer), f"{URL}/{case.pk}/actions/register", {})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "审批行政处罚案件" in response.json()["message"]
    response = post(as_user(cc.cast.officer), f"{URL}/{case.pk}/actions/decide", {})
    assert response.status_code == 403
    # The permission is checked before the lookup: a wrong role learns nothing about ids.
    response = post(as_user(cc.cast.legal_reviewer), f"{URL}/999999/actions/register", {})
    assert response.status_code == 403
    supervisor = as_user(cc.cast.supervisor)
    assert supervisor.get(f"{URL}/{case.pk}").status_code == 200  # reads, county-wide
    assert post(supervisor, URL, lead_body(cc)).status_code == 403
    case.refresh_from_db()
    assert case.status == Status.LEAD


def test_a_step_at_the_wrong_stage_is_refused_with_the_stage(cc, as_user):
    case = new_lead(cc)
    response = post(
        as_user(cc.cast.department_head),
        f"{URL}/{case.pk}/actions/decide",
        {"on": "2024-03-02", "penalty_types": ["fine"], "fine": "40000"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["message"] == "案件处于“案源登记”阶段，不能“作出决定”"


# --- bad input: 422 with the field and a Chinese message ------------------------------------


def _fields(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content.decode()
    body = response.json()
    assert body["code"] == "validation_error"
    return body["details"]["fields"]


def test_an_invalid_resident_id_is_a_422_on_its_field(cc, as_user):
    bad = {**party_json(PERSON), "id_number": "220422198001010000"}
    response = post(as_user(cc.cast.officer), URL, lead_body(cc, parties=[bad]))
    (message,) = _fields(response)["parties[0].id_number"]
    assert "居民身份证号码“220422198001010000”无效" in message
    assert response.json()["message"] == message
    assert not PenaltyCase.objects.exists()


def test_an_invalid_credit_code_is_a_422_on_its_field(cc, as_user):
    bad = {**party_json(COMPANY), "id_number": "91220422MA0000000X"}
    response = post(as_user(cc.cast.officer), URL, lead_body(cc, parties=[bad]))
    (message,) = _fields(response)["parties[0].id_number"]
    assert "统一社会信用代码" in message


def test_one_officer_is_a_422_citing_article_42(cc, as_user):
    response = post(as_user(cc.cast.officer), URL, lead_body(cc, officers=["22040001"]))
    (message,) = _fields(response)["officers"]
    assert "不得少于2人" in message and "第四十二条" in message


def test_an_expired_certificate_is_a_422_naming_the_officer(cc, as_user):
    body = lead_body(cc, officers=["22040001", cc.catalog.expired_officer.certificate_number])
    messages = _fields(post(as_user(cc.cast.officer), URL, body))["officers"]
    assert any("钱过期" in m and "过期" in m for m in messages)


def test_references_outside_the_scope_are_422s(cc, as_user):
    client = as_user(cc.cast.officer)
    fields = _fields(post(client, URL, lead_body(cc, organization="hbj")))
    assert "不在您的数据范围内" in fields["organization"][0]
    fields = _fields(post(client, URL, lead_body(cc, item_code="NO-SUCH-ITEM")))
    assert "NO-SUCH-ITEM" in fields["item_code"][0]
    # Published, but department B's: only a township handles another body's items (第二十四条).
    fields = _fields(post(client, URL, lead_body(cc, item_code="HBJ-CF-001")))
    assert "HBJ-CF-001" in fields["item_code"][0]
    fields = _fields(post(client, URL, lead_body(cc, officers=["22040001", "99999999"])))
    assert "99999999" in fields["officers"][0]


def test_schema_errors_name_each_field_in_chinese(cc, as_user):
    body = lead_body(cc, source="rumour", act_date="1800-01-01")
    del body["title"]
    fields = _fields(post(as_user(cc.cast.officer), URL, body))
    assert fields["title"] == ["必须填写"]
    assert fields["source"][0].startswith("取值应为：")
    assert fields["act_date"] == ["不能小于 1990-01-01"]


def test_a_step_refused_on_a_field_is_a_422_on_that_field(cc, as_user):
    case = new_lead(cc, on=D(2024, 3, 1))
    head = as_user(cc.cast.department_head)
    fields = _fields(post(head, f"{URL}/{case.pk}/actions/register", {"on": "2024-02-28"}))
    assert "不能早于案源登记日期" in fields["on"][0]
    case = walk(cc, Status.EXAMINING)
    body = {"on": "2024-03-14", "penalty_types": ["fine"]}
    fields = _fields(post(as_user(cc.cast.officer), f"{URL}/{case.pk}/actions/notify", body))
    assert fields["fine"] == ["拟处罚种类含罚款，请填写罚款金额"]


def test_an_on_the_spot_party_error_names_the_party_field(cc, as_user):
    body = {
        "item_code": cc.catalog.item_a.code,
        "title": "未按规定公示年度报告",
        "act_date": "2024-03-01",
        "on": "2024-03-01",
        "party": {**party_json(PERSON), "id_number": "220422198001010000"},
        "officers": ["22040001", "22040003"],
        "penalty_types": ["warning"],
    }
    fields = _fields(post(as_user(cc.cast.officer), f"{URL}/on-spot", body))
    assert "居民身份证号码" in fields["party.id_number"][0]
    body.update(party=party_json(PERSON), penalty_types=["fine"], fine="500")
    fields = _fields(post(as_user(cc.cast.officer), f"{URL}/on-spot", body))
    assert "第五十一条" in fields["fine"][0]  # above the summary procedure's limit
    assert not PenaltyCase.objects.exists()


def test_an_on_the_spot_warning_is_decided_and_served_at_once(cc, as_user):
    body = {
        "item_code": cc.catalog.item_a.code,
        "title": "未按规定公示年度报告",
        "act_date": "2024-03-01",
        "on": "2024-03-01",
        "party": party_json(COMPANY),
        "officers": ["22040001", "22040003"],
        "penalty_types": ["warning"],
    }
    response = post(as_user(cc.cast.officer), f"{URL}/on-spot", body)
    assert response.status_code == 201, response.content.decode()
    case = response.json()
    assert (case["status"], case["procedure"]) == ("served", "summary")
    assert [d["kind"] for d in case["documents"]] == ["penalty_decision"]
    assert case["decision_number"] == case["documents"][0]["number"]


# --- idempotent intake ------------------------------------------------------------------------


def test_the_same_idempotency_key_gives_the_same_case(cc, as_user):
    client = as_user(cc.cast.officer)
    first = post(client, URL, lead_body(cc), **{"Idempotency-Key": "lead-2024-001"})
    again = post(client, URL, lead_body(cc), **{"Idempotency-Key": "lead-2024-001"})
    in_body = post(client, URL, lead_body(cc, idempotency_key="lead-2024-001"))
    assert (first.status_code, again.status_code, in_body.status_code) == (201, 200, 200)
    assert first.json()["id"] == again.json()["id"] == in_body.json()["id"]
    assert PenaltyCase.objects.count() == 1
    number = first.json()["number"]
    assert LedgerEntry.objects.filter(stream=f"case.{number}").count() == 1
    other = post(client, URL, lead_body(cc), **{"Idempotency-Key": "lead-2024-002"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    plain = post(client, URL, lead_body(cc))
    assert plain.status_code == 201
    assert PenaltyCase.objects.count() == 3


def test_a_key_in_the_header_and_another_in_the_body_is_a_422(cc, as_user):
    client = as_user(cc.cast.officer)
    body = lead_body(cc, idempotency_key="a-key")
    fields = _fields(post(client, URL, body, **{"Idempotency-Key": "another-key"}))
    assert "不一致" in fields["idempotency_key"][0]
    assert not PenaltyCase.objects.exists()


def test_an_on_the_spot_decision_is_idempotent_too(cc, as_user):
    client = as_user(cc.cast.officer)
    body = {
        "item_code": cc.catalog.item_a.code,
        "title": "未按规定公示年度报告",
        "act_date": "2024-03-01",
        "on": "2024-03-01",
        "party": party_json(COMPANY),
        "officers": ["22040001", "22040003"],
        "penalty_types": ["warning"],
        "idempotency_key": "spot-1",
    }
    first, again = post(client, f"{URL}/on-spot", body), post(client, f"{URL}/on-spot", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert PenaltyCase.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_requests_with_one_key_make_one_case(cast, token_for):
    cc = build_cases(cast)
    token = token_for(cast.officer)
    body = lead_body(cc)
    barrier = threading.Barrier(10)
    results: list[tuple[int, Any]] = []
    lock = threading.Lock()

    def send() -> None:
        try:
            client = Client(headers={"Authorization": f"Bearer {token}"})
            barrier.wait()
            response = post(client, URL, body, **{"Idempotency-Key": "double-click-7"})
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == 10, "a request hung or raised"
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 9 + [201], [b for s, b in results if s not in (200, 201)]
    assert len({b["id"] for _, b in results}) == 1
    case = PenaltyCase.objects.get()
    assert LedgerEntry.objects.filter(stream=f"case.{case.number}").count() == 1


# --- evidence ---------------------------------------------------------------------------------


def test_a_large_evidence_file_is_streamed_to_the_store_and_back(cc, as_user, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # so Django spools the upload to a temp file
    case = walk(cc, Status.INVESTIGATING)
    content = bytes(range(256)) * 4096  # 1 MiB
    client = as_user(cc.cast.officer)
    response = client.post(
        f"{URL}/{case.pk}/evidence",
        {
            "kind": "audiovisual",
            "medium": "video",
            "title": "执法记录仪视频",
            "on": "2024-03-02",
            "files": SimpleUploadedFile("记录仪.mp4", content, content_type="video/mp4"),
        },
    )
    assert response.status_code == 201, response.content.decode()
    video = next(e for e in response.json()["evidence"] if e["medium"] == "video")
    assert (video["size"], video["original_name"]) == (len(content), "记录仪.mp4")
    entry = LedgerEntry.objects.get(seq=video["ledger_seq"])
    assert video["digest"] in entry.body
    download = client.get(video["url"])
    assert download["Content-Type"] == "video/mp4"
    assert b"".join(download.streaming_content) == content


def test_evidence_that_does_not_match_its_medium_is_a_422(cc, as_user):
    case = walk(cc, Status.INVESTIGATING)
    client = as_user(cc.cast.officer)
    text = SimpleUploadedFile("说明.txt", b"text", content_type="text/plain")
    response = client.post(
        f"{URL}/{case.pk}/evidence",
        {"kind": "record", "medium": "photo", "title": "照片", "files": text},
    )
    assert "与载体“照片”不符" in _fields(response)["files"][0]
    response = client.post(
        f"{URL}/{case.pk}/evidence", {"kind": "record", "medium": "photo", "title": "照片"}
    )
    assert _fields(response)["files"] == ["请选择要上传的文件"]
    assert Evidence.objects.filter(case=case).count() == 1  # walk's own photo only


# --- the list ---------------------------------------------------------------------------------


def test_the_list_count_stops_at_the_cap(cc, as_user, monkeypatch):
    from fazhi.core import pagination

    for _ in range(3):
        new_lead(cc, party=PERSON)
    client = as_user(cc.cast.officer)
    body = client.get(URL).json()
    assert (body["count"], body["count_capped"]) == (3, False)
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    body = client.get(URL).json()
    assert (body["count"], body["count_capped"]) == (2, True)
    # The rows themselves are not capped: a client pages on until a page comes back short.
    assert len(client.get(f"{URL}?offset=2").json()["items"]) == 1


def test_the_list_filters(cc, as_user):
    lead = new_lead(cc, party=PERSON)
    spot = services.decide_on_spot(
        actor=cc.cast.officer,
        organization=cc.cast.department_a,
        item=cc.catalog.item_a,
        title="当场处罚",
        act_date=D(2024, 3, 1),
        on=D(2024, 3, 1),
        party=COMPANY,
        officers=cc.officers,
        penalty_types=["warning"],
    )
    client = as_user(cc.cast.officer)

    def ids(query: str) -> list[int]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content.decode()
        return [row["id"] for row in response.json()["items"]]

    assert ids("") == [spot.pk, lead.pk]  # same day: the later registered first
    assert ids("status=lead") == [lead.pk]
    assert ids("procedure=summary") == [spot.pk]
    assert ids(f"search={PERSON.name}") == [lead.pk]
    assert ids("year=2024&organization=scj") == [spot.pk, lead.pk]
    assert ids("organization=hbj") == []
    assert ids("year=2023") == []
    assert ids("lenient=true") == []
    assert set(ids("lenient=false")) == {lead.pk, spot.pk}
    row = client.get(f"{URL}?status=served").json()["items"][0]
    assert row == {
        "id": spot.pk,
        "number": spot.number,
        "title": "当场处罚",
        "status": "served",
        "status_label": "已送达",
        "organization": {"code": "scj", "name": "测试县市场监督管理局"},
        "item_code": "SCJ-CF-001",
        "procedure": "summary",
        "procedure_label": "简易程序",
        "received_on": "2024-03-01",
        "registered_on": "2024-03-01",
        "decided_on": "2024-03-01",
        "fine": None,
        "lenient": False,
        "decision_number": spot.decision_number,
    }
    assert _fields(client.get(f"{URL}?status=nothing"))["status"][0].startswith("取值应为")


def test_the_list_costs_the_same_queries_for_one_row_or_many(cc, as_user):
    client = as_user(cc.cast.supervisor)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{URL}?limit=200")
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["items"])

    new_lead(cc)
    few, one = count()
    for _ in range(6):
        new_lead(cc, party=PERSON)
    many, seven = count()
    assert (one, seven) == (1, 7)
    assert many == few, f"{few} queries for 1 row, {many} for 7"


def test_the_case_file_costs_the_same_queries_however_long_the_case(cc, as_user):
    client = as_user(cc.cast.officer)

    def count(case: PenaltyCase) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"{URL}/{case.pk}")
        assert response.status_code == 200
        return len(ctx.captured_queries)

    short, long = new_lead(cc), walk(cc, Status.ARCHIVED)
    assert long.steps.count() > short.steps.count() + 10
    assert count(long) == count(short)


def test_a_form_body_sent_to_a_json_operation_is_a_400_not_a_500(cc, as_user):
    client = as_user(cc.cast.officer)
    response = client.post("/api/v1/cases", {"title": "x"})  # multipart, not JSON
    assert response.status_code == 400
    assert "JSON" in response.json()["message"]
