"""行政处罚决定公示 on the portal: published snapshots only, their history, public receipts.

Cases are built through the services (fazhi.cases.testing) and published with
`publish_decision`; every page is fetched anonymously.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.cases import services
from fazhi.cases.models import CaseStep, Disclosure, PenaltyCase
from fazhi.cases.services import CaseError, PartyInput
from fazhi.cases.testing import COMPANY, PERSON, CaseCast, build_cases, resident_id, walk
from fazhi.cases.workflow import Status
from fazhi.core.testing import Cast
from fazhi.ledger import services as ledger_services
from fazhi.ledger import verifier
from fazhi.ledger.models import LedgerEntry
from fazhi.ledger.views import check_receipt
from fazhi.portal import decisions

D = dt.date
LIST = reverse("portal:enforcement_decisions")
API = "/api/v1/decisions"
START = D(2024, 3, 1)


@pytest.fixture
def cc(cast: Cast) -> CaseCast:
    return build_cases(cast)


def _published(cc: CaseCast, *, party: PartyInput = PERSON, on: D = START) -> Disclosure:
    """A served case, published the day after it was served."""
    case = walk(cc, Status.SERVED, on=on, party=party)
    assert case.served_on is not None
    return services.publish_decision(
        actor=cc.cast.officer, case=case, on=case.served_on + dt.timedelta(days=1)
    )


def _page(url: str, **query: str | int) -> str:
    response = Client().get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def _detail(d: Disclosure) -> str:
    return _page(reverse("portal:enforcement_decision", args=[d.case_id]))


def _receipt_url(seq: int) -> str:
    return reverse("portal:enforcement_decision_receipt", args=[seq])


def _private(party: PartyInput) -> list[str]:
    values = [party.phone, party.address, party.legal_representative]
    if party.kind == "individual":
        values += [party.name, party.id_number]
    return [v for v in values if v]


# --- list and page ----------------------------------------------------------------------------


def test_a_published_decision_is_listed_and_shown_from_its_snapshot(cc):
    d = _published(cc)
    snap = d.snapshot
    html = _page(LIST)
    assert snap["decision_number"] in html
    assert "李**" in html  # the published name: surname only
    assert reverse("portal:enforcement_decision", args=[d.case_id]) in html
    page = _detail(d)
    for value in (snap["decision_number"], snap["organization"], snap["item_name"], "李**"):
        assert value in page
    assert f"罚款 {snap['fine']} 元" in page
    assert snap["decided_on"] in page
    for html_text in (html, page):
        for value in _private(PERSON):
            assert value not in html_text


def test_the_pages_show_the_snapshot_even_when_the_case_changes_later(cc):
    d = _published(cc, party=COMPANY)
    # Behind the services' back on purpose: the portal must not read the live row.
    PenaltyCase.objects.filter(pk=d.case_id).update(
        title="后来改过的案由", decision_number="后改文号〔2024〕99号"
    )
    for html in (_page(LIST), _detail(d)):
        assert d.snapshot["decision_number"] in html
        assert "后改文号" not in html and "后来改过的案由" not in html
    assert COMPANY.name in _detail(d)  # an organization's name is public
    assert "王**" in _detail(d)  # its legal representative's is not


def test_a_correction_shows_the_new_version_and_the_history(cc):
    d = _published(cc)
    case = PenaltyCase.objects.get(pk=d.case_id)
    corrected = services.correct_disclosure(
        actor=cc.cast.officer,
        case=case,
        on=D(2024, 3, 25),
        reason="违法事实表述有误",
        facts_text=(
            f"经查，当事人{PERSON.name}（公民身份号码{PERSON.id_number}，联系电话{PERSON.phone}）"
            "未按规定于2023年6月30日前公示2022年度报告。"
        ),
    )
    assert corrected.version == 2
    page = _detail(corrected)
    assert "经查，当事人李**" in page  # the new, redacted facts
    assert "违法事实表述有误" in page and "更正" in page and "2024-03-25" in page
    assert "第 2 版" in page
    for value in _private(PERSON):
        assert value not in page
    listing = _page(LIST)
    assert listing.count(d.snapshot["decision_number"]) == 1  # one row per case
    assert "已更正" in listing
    ledger_services.create_checkpoint()
    page = _detail(corrected)
    # Both versions keep their receipts: the history of a correction stays visible.
    assert _receipt_url(d.ledger_seq) in page and _receipt_url(corrected.ledger_seq) in page


def test_a_withdrawal_removes_the_decision_and_leaves_only_the_notice(cc):
    d = _published(cc)
    case = PenaltyCase.objects.get(pk=d.case_id)
    head, officer = cc.cast.department_head, cc.cast.officer
    services.revoke_decision(actor=head, case=case, on=D(2024, 5, 6), reason="行政复议决定撤销")
    case.refresh_from_db()
    w = services.withdraw_disclosure(
        actor=officer, case=case, on=D(2024, 5, 8), reason="原决定经行政复议被撤销"
    )
    ledger_services.create_checkpoint()
    listing = _page(LIST)
    assert d.snapshot["decision_number"] not in listing
    assert "暂无公开内容" in listing
    page = _detail(w)
    assert "行政处罚决定已撤回" in page
    assert "原决定经行政复议被撤销" in page and "2024-05-08" in page
    assert d.snapshot["decision_number"] in page  # which decision was withdrawn
    for content in ("李**", d.snapshot["item_name"], d.snapshot["title"], f"{d.snapshot['fine']}"):
        assert content not in page
    # The withdrawn content's receipt is gone; the withdrawal's own receipt is public.
    assert Client().get(_receipt_url(d.ledger_seq)).status_code == 404
    assert _receipt_url(d.ledger_seq) not in page
    assert _receipt_url(w.ledger_seq) in page
    assert Client().get(_receipt_url(w.ledger_seq)).status_code == 200


def test_a_minors_case_cannot_be_published_and_never_appears(cc):
    minor = PartyInput(
        kind="individual",
        name="王小弟",
        id_number=resident_id(31, birth="20100101"),
        address="吉林省辽源市东辽县白泉镇",
    )
    facts: dict[str, object] = {"severity": "minor", "harm": "ordinary"}
    case = walk(cc, Status.DECIDED, party=minor, facts=facts, fine=Decimal(20000))
    with pytest.raises(CaseError, match="未成年人"):
        services.publish_decision(actor=cc.cast.officer, case=case, on=D(2024, 3, 18))
    assert case.decision_number
    assert case.decision_number not in _page(LIST)
    detail = reverse("portal:enforcement_decision", args=[case.pk])
    assert Client().get(detail).status_code == 404


def test_an_unpublished_decided_case_never_appears(cc):
    published = _published(cc, party=COMPANY)
    hidden = walk(cc, Status.SERVED, party=PERSON)
    assert hidden.decision_number
    listing = _page(LIST)
    assert published.snapshot["decision_number"] in listing
    assert hidden.decision_number not in listing
    assert Client().get(reverse("portal:enforcement_decision", args=[hidden.pk])).status_code == 404
    assert Client().get(reverse("portal:enforcement_decision", args=[99999])).status_code == 404
    api = Client().get(API).json()
    assert [i["decision_number"] for i in api["items"]] == [published.snapshot["decision_number"]]


# --- search, filters, order, pages ------------------------------------------------------------


def test_search_filters_order_and_pagination(cc, monkeypatch):
    older = _published(cc, party=PERSON, on=D(2024, 3, 1))
    newer = _published(cc, party=COMPANY, on=D(2025, 3, 3))
    n_old, n_new = older.snapshot["decision_number"], newer.snapshot["decision_number"]
    html = _page(LIST)
    assert html.index(n_new) < html.index(n_old)  # newest decision first

    def found(**query: str | int) -> set[str]:
        html = _page(LIST, **query)
        return {n for n in (n_old, n_new) if n in html}

    assert found(q=n_old) == {n_old}
    assert found(q=COMPANY.name[3:7]) == {n_new}
    assert found(q="李*") == {n_old}
    # A full name finds nothing: the search reads the published (masked) names only, so it
    # cannot tell anyone whether a given person was penalized.
    assert found(q=PERSON.name) == set()
    assert found(q=PERSON.id_number) == set()
    assert found(q=older.snapshot["item_name"]) == {n_old, n_new}
    assert found(year=2024) == {n_old}
    assert found(year=2025) == {n_new}
    org = older.snapshot["organization"]
    assert found(organization=org) == {n_old, n_new}
    assert found(organization=org, year=2025) == {n_new}
    assert f'<option value="{org}">' in html and '<option value="2025">2025年</option>' in html
    # Unknown values are dropped, not errors.
    assert found(organization="不存在的机关", year="abc", page="x") == {n_old, n_new}

    monkeypatch.setattr(decisions, "PAGE_SIZE", 1)
    first, second = _page(LIST), _page(LIST, page=2)
    assert n_new in first and n_old not in first
    assert n_old in second and n_new not in second
    assert "共 2 条" in first


# --- receipts ---------------------------------------------------------------------------------


def test_the_receipt_downloads_anonymously_and_verifies(cc):
    d = _published(cc)
    url = _receipt_url(d.ledger_seq)
    # Not yet covered by a signed checkpoint: no receipt, and the page says when it comes.
    assert Client().get(url).status_code == 404
    assert "回执将在下一个签名检查点生成后提供" in _detail(d)
    ledger_services.create_checkpoint()
    assert url in _detail(d) and "下载回执" in _detail(d)

    response = Client().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode()
    bundle = verifier.parse_bundle(text)
    assert bundle["leaf_index"] == d.ledger_seq
    result = check_receipt(bundle, d.ledger_seq)
    assert result.ok, result.verdict
    entry = json.loads(bundle["entry"])
    assert entry["kind"] == "disclosure.publish"
    assert entry["payload"]["snapshot"] == d.snapshot
    for value in _private(PERSON):
        assert value not in text

    # The same file verifies on the public page, as a citizen would check it.
    verdict = Client().post(reverse("ledger:verify"), {"receipt_text": text, "seq": d.ledger_seq})
    assert "验证通过" in verdict.content.decode()

    # A tampered receipt does not.
    forged = json.loads(text)
    forged["entry"] = forged["entry"].replace(d.snapshot["decision_number"], "伪造〔2024〕1号")
    assert not check_receipt(verifier.parse_bundle(json.dumps(forged)), d.ledger_seq).ok


def test_only_disclosure_entries_have_a_public_receipt(cc):
    d = _published(cc)
    ledger_services.create_checkpoint()
    decide_seq = CaseStep.objects.get(case_id=d.case_id, action="decide").ledger_seq
    assert LedgerEntry.objects.get(seq=decide_seq).kind == "case.decide"
    assert Client().get(_receipt_url(decide_seq)).status_code == 404
    others = LedgerEntry.objects.exclude(kind__startswith="disclosure.").values_list(
        "seq", flat=True
    )
    for seq in others:
        assert Client().get(_receipt_url(seq)).status_code == 404, seq
    assert Client().get(_receipt_url(10**9)).status_code == 404
    assert Client().get(_receipt_url(d.ledger_seq)).status_code == 200


# --- the public API ---------------------------------------------------------------------------


def test_the_api_lists_the_same_decisions_without_login(cc):
    first = _published(cc, party=PERSON, on=D(2024, 3, 1))
    second = _published(cc, party=COMPANY, on=D(2025, 3, 3))
    body = Client().get(API).json()
    assert body["count"] == 2
    assert [i["decision_number"] for i in body["items"]] == [
        second.snapshot["decision_number"],
        first.snapshot["decision_number"],
    ]
    item = body["items"][1]
    assert item["parties"][0]["name"] == "李**"
    assert item["fine"] == first.snapshot["fine"]
    assert item["decided_on"] == first.snapshot["decided_on"]
    assert item["published_on"] == first.on.isoformat() == item["modified_on"]
    assert item["version"] == 1 and item["ledger_seq"] == first.ledger_seq
    assert item["url"].endswith(reverse("portal:enforcement_decision", args=[first.case_id]))
    assert item["receipt_url"].endswith(_receipt_url(first.ledger_seq))
    text = json.dumps(body, ensure_ascii=False)
    for value in _private(PERSON) + _private(COMPANY):
        assert value not in text

    page = Client().get(API, {"limit": 1, "offset": 1}).json()
    assert page["count"] == 2 and [i["id"] for i in page["items"]] == [first.case_id]
    assert Client().get(API, {"year": 2025}).json()["count"] == 1
    assert Client().get(API, {"search": PERSON.name}).json()["count"] == 0
    assert Client().get(API, {"year": 0}).status_code == 422


def test_the_list_costs_the_same_queries_for_one_row_or_many(cc):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            _page(LIST)
            Client().get(API)
        return len(ctx.captured_queries)

    _published(cc, party=PERSON)
    one = queries()
    _published(cc, party=COMPANY)
    _published(cc, party=PERSON, on=D(2025, 3, 3))
    assert queries() == one
