"""移送立案: a 双随机 inspection record whose result is 移送立案 opens a penalty case through
receive_lead — the service (link, source, ledger data, each refusal, the idempotent replay), the
登记案源 page prefilled from the record, the record page's button and case link, the API, and
the data scope (another department's officer gets a 404 for the record).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.cases import services
from fazhi.cases.models import CaseSource, PenaltyCase
from fazhi.cases.services import CaseError, PartyInput
from fazhi.cases.testing import CaseCast
from fazhi.core.testing import Cast
from fazhi.inspections import services as inspection_services
from fazhi.inspections.models import InspectionRecord, Outcome
from fazhi.inspections.testing import InspectionCast, build_inspections, draw, today
from fazhi.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db

FINDINGS = "经现场检查，该餐馆未取得食品经营许可证从事餐饮服务。"


@dataclass
class Referral:
    cc: CaseCast
    ic: InspectionCast
    record: InspectionRecord  # 移送立案
    other: InspectionRecord  # 责令整改

    @property
    def cast(self) -> Cast:
        return self.cc.cast


@pytest.fixture
def rc(cc: CaseCast) -> Referral:
    """Department A's drawn task (on the case cast's catalog) with two results entered by the
    head: the first record 移送立案, the second 责令整改."""
    ic = build_inspections(cc.cast, entities=10, catalog=cc.catalog)
    task = draw(ic)
    first, second = task.records.order_by("pk")[:2]
    head = cc.cast.department_head
    record = inspection_services.record_result(
        actor=head, record=first, inspected_on=today(), outcome=Outcome.REFERRED, findings=FINDINGS
    )
    other = inspection_services.record_result(
        actor=head, record=second, inspected_on=today(), outcome=Outcome.RECTIFY, findings="整改"
    )
    return Referral(cc=cc, ic=ic, record=record, other=other)


def party_of(record: InspectionRecord) -> PartyInput:
    return PartyInput(
        kind="organization", name=record.entity.name, id_number=record.entity.credit_code
    )


def lead(rc: Referral, record: InspectionRecord | None = None, **over: Any) -> PenaltyCase:
    record = record or rc.record
    kwargs: dict[str, Any] = {
        "actor": rc.cast.officer,
        "organization": rc.cast.department_a,
        "item": rc.cc.catalog.item_a,
        "title": "未取得许可从事食品经营",
        "source": CaseSource.RANDOM_INSPECTION,
        "act_date": today(),
        "discovered_date": today(),
        "on": today(),
        "parties": [party_of(record)],
        "officers": rc.cc.officers,
        "facts_text": FINDINGS,
        "inspection_record": record,
        **over,
    }
    return services.receive_lead(**kwargs)


def text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def create_url(record: InspectionRecord | int) -> str:
    pk = record if isinstance(record, int) else record.pk
    return f"{reverse('cases:case_create')}?inspection_record={pk}"


def record_url(record: InspectionRecord) -> str:
    return reverse("inspections:record_detail", args=[record.pk])


# --- the service ---------------------------------------------------------------------------------


def test_a_referred_record_opens_a_linked_case_with_the_record_in_its_ledger_entry(rc):
    case = lead(rc)
    case.refresh_from_db()
    assert case.inspection_record == rc.record
    assert case.source == CaseSource.RANDOM_INSPECTION
    assert list(rc.record.cases.all()) == [case]
    expected = {
        "record": rc.record.pk,
        "task": rc.ic.task.number,
        "credit_code": rc.record.entity.credit_code,
    }
    step = case.steps.get()
    assert step.data["inspection_record"] == expected
    entry = LedgerEntry.objects.get(seq=step.ledger_seq)
    assert json.loads(entry.body)["payload"]["data"]["inspection_record"] == expected


def _refused(rc: Referral, field: str, **over: Any) -> str:
    with pytest.raises(CaseError) as caught:
        lead(rc, **over)
    assert caught.value.field == field
    return caught.value.message


def test_a_record_whose_result_is_not_referred_is_refused(rc):
    message = _refused(rc, "inspection_record", inspection_record=rc.other)
    assert message == "该检查记录的检查结果为“责令整改”，只有“移送立案”的检查记录才能据以登记案源"
    pending = rc.ic.task.records.filter(outcome="").first()
    assert pending is not None
    message = _refused(rc, "inspection_record", inspection_record=pending)
    assert "“尚未录入”" in message
    assert not PenaltyCase.objects.exists()


def test_the_source_must_be_the_random_inspection(rc):
    message = _refused(rc, "source", source=CaseSource.INSPECTION)
    assert message == "据双随机检查记录登记的案源，案源应为“双随机抽查发现”"


def test_the_discovery_cannot_come_before_the_inspection(rc):
    day = today() - dt.timedelta(days=1)
    message = _refused(rc, "discovered_date", act_date=day, discovered_date=day)
    assert message == f"发现日期不能早于检查日期（{today():%Y年%m月%d日}）"


def test_a_record_already_linked_is_refused_naming_the_case(rc):
    first = lead(rc)
    message = _refused(rc, "inspection_record")
    assert message == f"该检查记录已移送立案，案件编号{first.number}"
    assert PenaltyCase.objects.count() == 1


def test_an_idempotent_replay_returns_the_first_case(rc):
    first = lead(rc, idempotency_key="k" * 32)
    again = lead(rc, idempotency_key="k" * 32)
    assert again.pk == first.pk
    assert PenaltyCase.objects.count() == 1


def test_a_record_outside_the_scope_is_not_found(rc):
    """Department B's officer, registering for department B, cannot use department A's
    record: it is outside the inspections' data scope."""
    cast = rc.cast
    with pytest.raises(CaseError) as caught:
        lead(
            rc,
            actor=cast.other_officer,
            organization=cast.department_b,
            item=rc.cc.catalog.item_b,
            officers=[],
        )
    assert caught.value.field == "inspection_record"
    assert caught.value.message == "没有找到该检查记录，或不在您的数据范围内"


# --- the pages -----------------------------------------------------------------------------------


@pytest.fixture
def officer(rc: Referral, login) -> Client:
    return login(rc.cast.officer, Client())


@pytest.fixture
def head(rc: Referral, login) -> Client:
    return login(rc.cast.department_head, Client())


@pytest.fixture
def other(rc: Referral, login) -> Client:
    """Department B's officer: department A's records and cases are out of scope."""
    return login(rc.cast.other_officer, Client())


def _value(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match is not None, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def _selected(html: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{re.escape(name)}".*?</select>', html, re.S)
    assert match is not None, name
    option = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(0))
    return option.group(1) if option else ""


def test_the_intake_page_is_prefilled_from_the_record(rc, officer):
    record, task, entity = rc.record, rc.ic.task, rc.record.entity
    response = officer.get(create_url(record))
    assert response.status_code == 200
    html = response.content.decode()
    page = text(response)
    assert "据双随机检查记录登记" in page
    assert entity.name in page and entity.credit_code in page and task.number in page
    assert record_url(record) in html
    assert _value(html, "inspection_record") == str(record.pk)
    assert _selected(html, "source") == CaseSource.RANDOM_INSPECTION
    assert _value(html, "source_detail") == f"抽查任务{task.number}《{task.title}》检查记录"
    assert _value(html, "discovered_date") == today().isoformat()
    assert _value(html, "title") == f"{entity.name}涉嫌违法（双随机抽查发现）"
    assert FINDINGS in html  # the facts
    assert _selected(html, "organization") == str(rc.cast.department_a.pk)
    assert _selected(html, "parties-0-kind") == "organization"
    assert _value(html, "parties-0-name") == entity.name
    assert _value(html, "parties-0-id_number") == entity.credit_code


def _post_data(rc: Referral, html: str) -> dict[str, Any]:
    """The prefilled page as the officer submits it: the item, the dates and the officers
    added, everything else as prefilled."""
    entity = rc.record.entity
    return {
        "organization": rc.cast.department_a.pk,
        "item_code": rc.cc.catalog.item_a.code,
        "title": _value(html, "title"),
        "source": CaseSource.RANDOM_INSPECTION,
        "source_detail": _value(html, "source_detail"),
        "act_date": today().isoformat(),
        "discovered_date": _value(html, "discovered_date"),
        "on": today().isoformat(),
        "facts_text": FINDINGS,
        "officers": [o.pk for o in rc.cc.officers],
        "idempotency_key": _value(html, "idempotency_key"),
        "inspection_record": _value(html, "inspection_record"),
        "parties-TOTAL_FORMS": _value(html, "parties-TOTAL_FORMS"),
        "parties-INITIAL_FORMS": _value(html, "parties-INITIAL_FORMS"),
        "parties-MIN_NUM_FORMS": "1",
        "parties-MAX_NUM_FORMS": "10",
        "parties-0-kind": "organization",
        "parties-0-name": entity.name,
        "parties-0-id_number": entity.credit_code,
        "parties-1-kind": "organization",
        "parties-2-kind": "organization",
    }


def test_posting_the_prefilled_page_creates_the_linked_case(rc, officer):
    html = officer.get(create_url(rc.record)).content.decode()
    data = _post_data(rc, html)
    response = officer.post(reverse("cases:case_create"), data)
    assert response.status_code == 302, text(response)[:3000]
    case = PenaltyCase.objects.get()
    assert case.inspection_record_id == rc.record.pk
    assert case.source == CaseSource.RANDOM_INSPECTION
    assert list(case.parties.values_list("id_number", flat=True)) == [rc.record.entity.credit_code]
    # The case page names the source and links the record.
    detail = officer.get(reverse("cases:case_detail", args=[case.pk]))
    assert "案源 双随机抽查发现" in text(detail)
    assert record_url(rc.record) in detail.content.decode()
    # The same page posted again (a double click) is the same case.
    assert officer.post(reverse("cases:case_create"), data).status_code == 302
    assert PenaltyCase.objects.count() == 1


def test_the_page_refuses_a_wrong_source_on_its_field_keeping_the_record(rc, officer):
    html = officer.get(create_url(rc.record)).content.decode()
    data = {**_post_data(rc, html), "source": CaseSource.INSPECTION}
    response = officer.post(reverse("cases:case_create"), data)
    assert response.status_code == 400
    page = text(response)
    assert "据双随机检查记录登记的案源，案源应为“双随机抽查发现”" in page
    assert "据双随机检查记录登记" in page
    assert not PenaltyCase.objects.exists()


def test_the_page_shows_the_refusal_for_a_record_not_referred_or_already_linked(rc, officer):
    response = officer.get(create_url(rc.other))
    assert response.status_code == 200
    page = text(response)
    assert "只有“移送立案”的检查记录才能据以登记案源" in page
    assert "据双随机检查记录登记" not in page  # the plain form, nothing prefilled
    assert _value(response.content.decode(), "inspection_record") == ""
    # A page opened before another officer registered the case, then posted: refused at the
    # top of the form (the record travels in a hidden field), the input kept.
    opened = officer.get(create_url(rc.record)).content.decode()
    case = lead(rc)
    page = text(officer.get(create_url(rc.record)))
    assert f"该检查记录已移送立案，案件编号{case.number}" in page
    response = officer.post(reverse("cases:case_create"), _post_data(rc, opened))
    assert response.status_code == 400
    page = text(response)
    assert f"该检查记录已移送立案，案件编号{case.number}" in page
    assert rc.record.entity.credit_code in page
    assert PenaltyCase.objects.count() == 1


def test_another_departments_officer_gets_a_404_for_the_record(rc, other):
    assert other.get(create_url(rc.record)).status_code == 404
    assert other.get(create_url(999999)).status_code == 404
    assert other.get(f"{reverse('cases:case_create')}?inspection_record=x").status_code == 404
    assert other.get(record_url(rc.record)).status_code == 404


def test_the_record_page_offers_the_intake_then_links_the_case(rc, officer, head):
    html = officer.get(record_url(rc.record)).content.decode()
    assert create_url(rc.record) in html and "登记案源" in html
    # Without cases.handle (the head approves, does not register): no button.
    assert create_url(rc.record) not in head.get(record_url(rc.record)).content.decode()
    # Not 移送立案: no referral box at all.
    assert create_url(rc.other) not in officer.get(record_url(rc.other)).content.decode()
    case = lead(rc)
    html = officer.get(record_url(rc.record)).content.decode()
    assert create_url(rc.record) not in html
    assert case.number in html and reverse("cases:case_detail", args=[case.pk]) in html
    assert case.number in head.get(record_url(rc.record)).content.decode()


# --- the API -------------------------------------------------------------------------------------


def _api_body(rc: Referral, **over: Any) -> dict[str, Any]:
    entity = rc.record.entity
    body: dict[str, Any] = {
        "item_code": rc.cc.catalog.item_a.code,
        "title": "未取得许可从事食品经营",
        "source": "random_inspection",
        "act_date": today().isoformat(),
        "discovered_date": today().isoformat(),
        "on": today().isoformat(),
        "parties": [{"kind": "organization", "name": entity.name, "id_number": entity.credit_code}],
        "officers": [o.certificate_number for o in rc.cc.officers],
        "facts_text": FINDINGS,
        "inspection_record": rc.record.pk,
    }
    body.update(over)
    return body


@pytest.fixture
def as_user(rc: Referral):
    from fazhi.core import services as core_services

    def _client(user) -> Client:
        token = core_services.issue_api_token(actor=user, name="测试令牌", expires_in_days=30)
        return Client(headers={"Authorization": f"Bearer {token.secret}"})

    return _client


def _post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/v1/cases", body, content_type="application/json")


def _fields(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content.decode()
    return response.json()["details"]["fields"]


def test_the_api_creates_the_linked_case_and_refuses_a_second(rc, as_user):
    client = as_user(rc.cast.officer)
    response = _post(client, _api_body(rc))
    assert response.status_code == 201, response.content.decode()
    case = response.json()
    assert case["inspection_record"] == rc.record.pk
    assert case["source"] == "random_inspection"
    assert case["steps"][0]["data"]["inspection_record"]["record"] == rc.record.pk
    fields = _fields(_post(client, _api_body(rc)))
    assert fields["inspection_record"] == [f"该检查记录已移送立案，案件编号{case['number']}"]
    # A case without a record says so.
    plain = _post(client, _api_body(rc, source="inspection", inspection_record=None)).json()
    assert plain["inspection_record"] is None


def test_the_api_refuses_bad_records_on_their_fields(rc, as_user):
    client = as_user(rc.cast.officer)
    fields = _fields(_post(client, _api_body(rc, inspection_record=rc.other.pk)))
    assert "只有“移送立案”的检查记录" in fields["inspection_record"][0]
    fields = _fields(_post(client, _api_body(rc, source="inspection")))
    assert "source" in fields
    # Outside the caller's scope (department B's officer) or unknown: the same answer.
    other = as_user(rc.cast.other_officer)
    body = _api_body(rc, item_code=rc.cc.catalog.item_b.code, officers=[], parties=[])
    fields = _fields(_post(other, body))
    assert fields["inspection_record"] == [f"检查记录“{rc.record.pk}”不存在或不在您的数据范围内"]
    assert not PenaltyCase.objects.exists()
