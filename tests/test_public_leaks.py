"""Nothing private reaches a public page or a public API (ARCHITECTURE §5 rule 5).

A county with published, corrected, withdrawn and unpublished penalty cases of natural
persons and companies is built through the services; then every public URL is fetched
anonymously — every named URL of the portal, the public ledger pages (the rows marked public
in tests/test_permission_matrix.py) and every public operation of the API, with their path
parameters filled from the data (each decision, each receipt seq, each catalog row), every
filter value, and every page reached by following the pages' own links. Each response must be
200 or 404, and no body may contain a private value read from the database: natural persons'
names, resident ID numbers, telephone numbers, addresses, legal representatives' names, the
case numbers and titles of unpublished cases, or the content of a withdrawn decision.

The private values are read from the database, not typed here, so the same walk runs over any
data set (`test_the_demo_county_leaks_nothing` runs it over the demo county).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from stdnum.cn import uscc

from fazhi.api.v1.api import api
from fazhi.cases import redaction, services, testing
from fazhi.cases.models import Disclosure, DisclosureAction, Party, PenaltyCase
from fazhi.cases.services import CaseError, PartyInput
from fazhi.cases.testing import CaseCast, build_cases, resident_id, walk
from fazhi.cases.workflow import Status
from fazhi.catalog.models import DiscretionStandard, EnforcementItem, LenientList, Officer
from fazhi.catalog.testing import credit_code
from fazhi.core.models import User
from fazhi.core.testing import Cast
from fazhi.draws.models import Draw
from fazhi.inspections.models import Entity, Plan, Relationship
from fazhi.ledger import services as ledger_services
from fazhi.ledger.models import Checkpoint
from fazhi.portal import decisions
from tests.test_permission_matrix import MATRIX, PUBLIC

D = dt.date
START = D(2024, 3, 1)
MAX_REQUESTS = 20000  # a runaway crawl is a bug in the walk, not a long test


# --- the data set -----------------------------------------------------------------------------


def _individual(n: int, name: str, phone: str, address: str, birth: str = "19860101") -> PartyInput:
    return PartyInput(
        kind="individual",
        name=name,
        id_number=resident_id(n, birth=birth),
        phone=phone,
        address=address,
    )


ZHAO = _individual(101, "赵德柱", "13700001111", "吉林省辽源市东辽县安石镇福安村4组21号")
SUN = _individual(102, "孙丽华", "13600002222", "吉林省辽源市东辽县渭津镇永安村7组3号")
WU = _individual(103, "吴秀英", "15800003333", "吉林省辽源市东辽县泉太镇长兴村2组9号")
ZHENG = _individual(104, "郑志强", "18900004444", "吉林省辽源市东辽县金州乡金州村5组17号")
FENG = _individual(
    105, "冯小宝", "13500005555", "吉林省辽源市东辽县凌云乡东升村1组6号", birth="20100101"
)
GRAIN = PartyInput(
    kind="organization",
    name="测试县丰禾粮油有限公司",
    id_number=credit_code(901),
    legal_representative="钱多多",
    phone="0437-5212345",
    address="吉林省辽源市东辽县白泉镇工业路88号",
)
SHOP = PartyInput(
    kind="organization",
    name="测试县美佳百货商店",
    id_number=credit_code(902),
    legal_representative="陈美玲",
    phone="13400006666",
    address="吉林省辽源市东辽县辽河源镇兴隆街12号",
)


def _facts(p: PartyInput) -> str:
    """Facts that name the party the way a careless draft would: the redaction's job."""
    person = p.legal_representative if p.kind == "organization" else p.name
    id_number = resident_id(900) if p.kind == "organization" else p.id_number
    return (
        f"经查，当事人{p.name}（{person}，公民身份号码{id_number}，联系电话{p.phone}，"
        f"住{p.address}）未按规定于2023年6月30日前公示2022年度报告。"
    )


def _case(
    cc: CaseCast,
    monkeypatch: pytest.MonkeyPatch,
    to: Status,
    *,
    party: PartyInput,
    title: str,
    on: D = START,
    facts: dict[str, object] | None = None,
    fine: Decimal = Decimal(40000),
) -> PenaltyCase:
    """`walk`, with the case's own title and facts (given at 案源登记, through the service)."""

    def lead(cc: CaseCast, *, on: D, party: PartyInput, key: str | None = None) -> PenaltyCase:
        return services.receive_lead(
            actor=cc.cast.officer,
            organization=cc.cast.department_a,
            item=cc.catalog.item_a,
            title=title,
            source="inspection",
            act_date=on - dt.timedelta(days=30),
            discovered_date=on,
            on=on,
            parties=[party],
            officers=cc.officers,
            facts_text=_facts(party),
            idempotency_key=key,
        )

    with monkeypatch.context() as m:
        m.setattr(testing, "new_lead", lead)
        return walk(cc, to, on=on, party=party, facts=facts, fine=fine)


def _publish(cc: CaseCast, case: PenaltyCase) -> Disclosure:
    assert case.decided_on is not None
    return services.publish_decision(
        actor=cc.cast.officer, case=case, on=case.decided_on + dt.timedelta(days=2)
    )


@pytest.fixture
def county(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> Cast:
    cc = build_cases(cast)
    officer, head = cast.officer, cast.department_head

    # Published, and still on display.
    _publish(cc, _case(cc, monkeypatch, Status.SERVED, party=ZHAO, title="未按规定公示年度报告"))
    grain = _case(
        cc, monkeypatch, Status.CLOSED, party=GRAIN, title="未按规定公示年度报告", on=D(2025, 2, 3)
    )
    _publish(cc, grain)
    grain.refresh_from_db()
    services.correct_disclosure(
        actor=officer,
        case=grain,
        on=D(2025, 3, 3),
        reason="违法事实表述有误，予以更正",
        facts_text=_facts(GRAIN) + f"法定代表人{GRAIN.legal_representative}到场接受询问。",
    )

    # Published, then the decision was revoked and the publication withdrawn.
    sun = _case(cc, monkeypatch, Status.SERVED, party=SUN, title="擅自变更经营场所未办理变更登记")
    _publish(cc, sun)
    services.revoke_decision(actor=head, case=sun, on=D(2024, 5, 6), reason="行政复议决定撤销")
    sun.refresh_from_db()
    services.withdraw_disclosure(
        actor=officer, case=sun, on=D(2024, 5, 8), reason="原行政处罚决定已被行政复议机关撤销"
    )

    # Never published: decided and served, a minor's case, a case still under investigation,
    # a company's decided case.
    _case(cc, monkeypatch, Status.SERVED, party=WU, title="销售超过保质期的食品未公开案")
    minor = _case(
        cc,
        monkeypatch,
        Status.DECIDED,
        party=FENG,
        title="未成年人无证摆摊未公开案",
        facts={"severity": "minor", "harm": "ordinary"},
        fine=Decimal(20000),
    )
    with pytest.raises(CaseError, match="未成年人"):
        _publish(cc, minor)
    _case(cc, monkeypatch, Status.INVESTIGATING, party=ZHENG, title="无照经营烟草制品调查中案")
    _case(cc, monkeypatch, Status.DECIDED, party=SHOP, title="商店虚假宣传未公开案")

    _inspections(cc)
    ledger_services.create_checkpoint()
    return cast


def _inspections(cc: CaseCast) -> None:
    """双随机 on the same catalog: a published plan whose task is drawn (commit, reveal), its
    results recorded and published; an inspector's declared relationship (private: a recusal
    reason names a family tie) and a draft plan that is not public yet."""
    from fazhi.inspections import services as inspection_services
    from fazhi.inspections import testing as inspection_testing

    cast = cc.cast
    ic = inspection_testing.build_inspections(cast, entities=12, catalog=cc.catalog)
    inspection_services.declare_relationship(
        actor=cast.department_head,
        inspector=ic.inspectors[1],
        entity=ic.entities[3],
        description="检查人员陈协办的妹妹陈小梅是该餐馆的经营者",
    )
    task = inspection_testing.draw(ic)
    today = inspection_testing.today()
    for record in task.records.all():
        inspection_services.record_result(
            actor=cast.department_head,
            record=record,
            inspected_on=today,
            outcome="passed",
            findings="证照齐全，未发现问题",
        )
    inspection_services.publish_results(actor=cast.department_head, task=task, on=today)
    inspection_services.create_plan(
        actor=cast.department_head,
        organization=cast.department_a,
        kind="department",
        year=today.year,
        number=f"SCJ-{today.year}-02",
        title="尚未公布的食品抽查草案计划",
        items=[ic.item],
        ratios=inspection_testing.RATIOS,
        starts_on=D(today.year, 1, 1),
        ends_on=D(today.year, 12, 31),
    )


# --- what must never be public ----------------------------------------------------------------

_BELOW_COUNTY = re.compile(r"^.*[县区]")  # 吉林省辽源市东辽县|白泉镇光明村3组15号


def private_values() -> dict[str, str]:
    """Every private value in the database, by a label naming where it came from."""
    values: dict[str, str] = {}

    def add(label: str, value: str | None, minimum: int = 2) -> None:
        value = (value or "").strip()
        if len(value) >= minimum:
            values[f"{label}: {value}"] = value

    # Enforcement officers' names are public (118号: 执法人员 with their certificates; a draw
    # page names its inspectors). The walk searches text, so a party's name that is also an
    # officer's, or part of one (李明 in 李明华), would be found on a page about the officer:
    # such a name is not searched for.
    public_names = set(Officer.objects.values_list("name", flat=True))

    def private_name(name: str) -> bool:
        return not any(name in public for public in public_names)

    for p in Party.objects.all():
        tag = f"case {p.case_id} party {p.order}"
        if p.kind == "individual":
            if private_name(p.name):
                add(f"{tag} name", p.name)
            add(f"{tag} id number", p.id_number, 6)
        elif not uscc.is_valid(p.id_number) and redaction.birth_date_from_id(p.id_number):
            # A person's ID given as the party's code. A valid 统一社会信用代码 is public (an
            # all-digit one of a 个体工商户, 92…, can look like an ID number to a date parser).
            add(f"{tag} id number", p.id_number, 6)
        if private_name(p.legal_representative):
            add(f"{tag} legal representative", p.legal_representative)
        add(f"{tag} phone", p.phone, 6)
        add(f"{tag} address", p.address, 6)
        add(f"{tag} address below the county", _BELOW_COUNTY.sub("", p.address), 4)
    for u in User.objects.exclude(phone=""):
        add(f"user {u.username} phone", u.phone, 6)
    for r in Relationship.objects.all():  # an inspector's declared tie (recusal), never public
        add(f"relationship {r.pk} description", r.description, 4)
    for plan in Plan.objects.filter(published_on__isnull=True):
        add(f"unpublished plan {plan.pk} title", plan.title, 4)

    shown = set(
        Disclosure.objects.filter(is_current=True)
        .exclude(action=DisclosureAction.WITHDRAW)
        .values_list("case_id", flat=True)
    )
    withdrawn = set(
        Disclosure.objects.filter(is_current=True, action=DisclosureAction.WITHDRAW).values_list(
            "case_id", flat=True
        )
    )
    public_titles = {
        str(d.snapshot.get("title", ""))
        for d in Disclosure.objects.filter(case_id__in=shown, is_current=True)
    }
    for case in PenaltyCase.objects.all():
        add(f"case {case.pk} number", case.number)  # 案件编号 is internal, never published
        if case.pk in shown:
            continue
        if case.title not in public_titles:
            add(f"case {case.pk} title", case.title, 4)
        if case.pk not in withdrawn:  # a withdrawal notice names the withdrawn decision
            add(f"case {case.pk} decision number", case.decision_number, 4)
    return values


# --- the walk ---------------------------------------------------------------------------------


def _named_patterns() -> dict[str, list[str]]:
    """Every named URL with its path parameters."""
    found: dict[str, list[str]] = {}

    def walk_urls(patterns: list[URLPattern | URLResolver], namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk_urls(p.url_patterns, p.namespace or namespace)
            elif p.name and namespace:
                converters = getattr(p.pattern, "converters", {}) or {}
                found[f"{namespace}:{p.name}"] = sorted(converters)

    walk_urls(get_resolver().url_patterns, None)
    return found


def public_names() -> set[str]:
    portal = {n for n in _named_patterns() if n.startswith("portal:")}
    return portal | {n for n, row in MATRIX.items() if row.access == PUBLIC}


def _tree_size() -> int:
    return (
        Checkpoint.objects.order_by("-tree_size").values_list("tree_size", flat=True).first() or 0
    )


def _seqs(*, past_end: bool) -> list[int]:
    """Ledger indexes to try: all of a small ledger, about a thousand of a large one, and
    always every disclosure's entry."""
    size = _tree_size()
    step = max(1, size // 1000)
    seqs = (set(range(0, size, step)) | {size - 1}) if size else set()
    seqs |= set(Disclosure.objects.filter(ledger_seq__lt=size).values_list("ledger_seq", flat=True))
    if past_end:
        seqs.add(size)
    return sorted(seqs)


def _checkpoint_pairs() -> Iterator[str]:
    """Each checkpoint against the next and against the latest (and itself)."""
    sizes = sorted(Checkpoint.objects.values_list("tree_size", flat=True))
    pairs = {(a, b) for a, b in zip(sizes, sizes[1:], strict=False)}
    pairs |= {(a, sizes[-1]) for a in sizes} | {(a, a) for a in sizes[:1]}
    for first, second in sorted(pairs):
        yield urlencode({"first": first, "second": second})


# Path parameters (and required query strings) of the public pages, filled from the data:
# every row that exists, plus one that does not. A new public URL with parameters must get a
# line here, or `test_every_public_url_is_walked` fails.
def _draw_pks(sample: int = 4) -> list[int]:
    """Every draw of a small data set; of the demo's, the first and last few (a bundle holds
    a frozen pool of thousands of entities: codes, never a person's data), and one past the
    end. A case-file review's draw is among them and must be a 404."""
    pks = list(Draw.objects.order_by("pk").values_list("pk", flat=True))
    if len(pks) > 2 * sample:
        pks = pks[:sample] + pks[-sample:]
    return [*pks, 10**6]


PAGE_PARAMETERS: dict[str, Callable[[], Iterable[dict[str, Any]]]] = {
    "portal:enforcement_item": lambda: [
        {"code": c} for c in [*EnforcementItem.objects.values_list("code", flat=True), "NONE"]
    ],
    "portal:enforcement_list": lambda: [
        {"pk": pk} for pk in [*LenientList.objects.values_list("pk", flat=True), 10**6]
    ],
    "portal:enforcement_standard": lambda: [
        {"pk": pk} for pk in [*DiscretionStandard.objects.values_list("pk", flat=True), 10**6]
    ],
    "portal:enforcement_decision": lambda: [
        {"pk": pk} for pk in [*PenaltyCase.objects.values_list("pk", flat=True), 10**6]
    ],
    # Every disclosure's entry, every other entry (or a sample of a long ledger), one past its end.
    "portal:enforcement_decision_receipt": lambda: [{"seq": seq} for seq in _seqs(past_end=True)],
    # 双随机、一公开: every plan (a draft one is a 404) and every draw, with its bundle
    "portal:inspection_plan": lambda: [
        {"pk": pk} for pk in [*Plan.objects.values_list("pk", flat=True), 10**6]
    ],
    "portal:inspection_draw": lambda: [{"pk": pk} for pk in _draw_pks()],
    "portal:inspection_draw_bundle": lambda: [{"pk": pk} for pk in _draw_pks()],
}
PAGE_QUERIES: dict[str, Callable[[], Iterable[str]]] = {
    "ledger:consistency": _checkpoint_pairs,
    "portal:enforcement_decisions": lambda: [
        "",
        *(urlencode({"organization": o}) for o in decisions.published_organizations()),
        *(urlencode({"year": y}) for y in decisions.published_years()),
    ],
    # "Was I drawn": the empty form, and some entities' codes (drawn or not)
    "portal:inspection_lookup": lambda: [
        "",
        *(
            urlencode({"credit_code": code})
            for code in Entity.objects.order_by("pk").values_list("credit_code", flat=True)[:5]
        ),
    ],
}
API_QUERIES: dict[str, Callable[[], Iterable[str]]] = {
    "/api/v1/ledger/proofs/inclusion": lambda: [
        urlencode({"seq": seq, "tree_size": _tree_size()}) for seq in _seqs(past_end=False)
    ],
    "/api/v1/ledger/proofs/consistency": _checkpoint_pairs,
}


def public_api_paths() -> list[str]:
    """The API's public GET operations (no security requirement in the OpenAPI schema)."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return sorted(
        path
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method == "get" and not operation.get("security")
    )


def seeds() -> list[str]:
    urls: list[str] = []
    patterns = _named_patterns()
    for name in sorted(public_names()):
        kwargs_list = list(PAGE_PARAMETERS[name]()) if name in PAGE_PARAMETERS else [{}]
        queries = list(PAGE_QUERIES[name]()) if name in PAGE_QUERIES else [""]
        assert patterns[name] == [] or name in PAGE_PARAMETERS, f"{name}: add its parameters"
        for kwargs in kwargs_list:
            for query in queries:
                urls.append(reverse(name, kwargs=kwargs) + (f"?{query}" if query else ""))
    for path in public_api_paths():
        assert "{" not in path, f"{path}: add its path parameters to the walk"
        for query in API_QUERIES[path]() if path in API_QUERIES else [""]:
            urls.append(path + (f"?{query}" if query else ""))
    return urls


_HREF = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"'#]+)""")


def _is_public(path: str, names: set[str], api_paths: set[str]) -> bool:
    if path in api_paths:
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return f"{match.namespace}:{match.url_name}" in names


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON document, and in any JSON document a string holds (a receipt's
    entry is JSON inside JSON), so an escaped character cannot hide a value."""
    if isinstance(value, str):
        yield value
        if value[:1] in "{[":
            with contextlib.suppress(ValueError):
                yield from _strings(json.loads(value))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return str(raw.decode("utf-8", errors="replace"))


def _texts(body: str, content_type: str) -> list[str]:
    texts = [body, html.unescape(body)]
    if content_type.startswith("application/json"):
        with contextlib.suppress(ValueError):
            texts.append("\n".join(_strings(json.loads(body))))
    return texts


# Personal data of anyone, whatever the data set: a resident ID number (valid check digit and
# birth date) or a mobile number standing alone — not inside a hash, a key or a signature.
_ID_LIKE = re.compile(r"(?<![0-9A-Za-z+/])\d{17}[\dX](?![0-9A-Za-z+/=])")
_MOBILE_LIKE = re.compile(r"(?<![0-9A-Za-z+/])1[3-9]\d{9}(?![0-9A-Za-z+/=])")


def _personal_numbers(text: str) -> list[str]:
    ids = [m for m in _ID_LIKE.findall(text) if redaction.is_valid_resident_id(m)]
    return ids + _MOBILE_LIKE.findall(text)


@dataclass
class Walk:
    statuses: dict[str, int] = field(default_factory=dict)
    leaks: set[str] = field(default_factory=set)
    bodies: dict[str, str] = field(default_factory=dict)

    @property
    def bad_statuses(self) -> dict[str, int]:
        return {u: s for u, s in self.statuses.items() if s not in (200, 404)}

    def check(self, url: str, response: Any, body: str, secrets: dict[str, str]) -> None:
        self.statuses[url] = response.status_code
        texts = _texts(body, response.get("Content-Type", ""))
        self.bodies[url] = "\n".join(texts)
        text = self.bodies[url]
        found = {v for v in set(secrets.values()) if v in text}
        self.leaks |= {f"{url} shows {label}" for label, v in secrets.items() if v in found}
        self.leaks |= {f"{url} shows the number {n}" for n in _personal_numbers(text)}


def walk_public_site(
    secrets: dict[str, str],
    *,
    follow: Callable[[str], bool] = lambda path: True,
    api_page: int = 2,
) -> Walk:
    """Fetch every seed, every public page linked from a fetched page and every page of each
    public API list, anonymously. ``follow`` limits which linked paths are followed beyond the
    seeds (a large data set: the case pages, not every catalog item); ``api_page`` is the page
    size used to walk the API lists."""
    client = Client(raise_request_exception=False)
    names, api_paths = public_names(), set(public_api_paths())
    result = Walk()
    queue = deque(seeds())
    while queue:
        url = queue.popleft()
        if url in result.statuses:
            continue
        assert len(result.statuses) < MAX_REQUESTS, "the walk does not end"
        response = client.get(url)
        body = _body(response)
        result.check(url, response, body, secrets)
        if response.status_code != 200:
            continue
        path = urlsplit(url).path
        if path in api_paths:
            data = json.loads(body)
            if isinstance(data, dict) and {"count", "offset", "items"} <= set(data):
                for offset in range(0, int(data["count"]), api_page):
                    queue.append(f"{path}?{urlencode({'limit': api_page, 'offset': offset})}")
            continue
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in _HREF.findall(body):
            target = urlsplit(urljoin(url, html.unescape(href)))
            if (
                target.netloc in ("", "testserver")
                and _is_public(target.path, names, api_paths)
                and follow(target.path)
            ):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return result


# --- the tests --------------------------------------------------------------------------------


def test_every_public_url_is_walked(county):
    patterns = _named_patterns()
    names = public_names()
    assert {n for n in patterns if n.startswith("portal:")} <= names
    urls = seeds()
    for name in names:
        if patterns[name]:
            assert name in PAGE_PARAMETERS, f"{name} has parameters: fill them in the walk"
        assert any(_is_public(urlsplit(u).path, {name}, set()) for u in urls), name
    assert "/api/v1/decisions" in public_api_paths()


def test_the_data_set_has_what_the_walk_looks_for(county):
    """Guard against a vacuous pass: the private values exist, and so do the public pages."""
    secrets = set(private_values().values())
    for party in (ZHAO, SUN, WU, ZHENG, FENG):
        assert {party.name, party.id_number, party.phone, party.address} <= secrets
    for company in (GRAIN, SHOP):
        assert {company.legal_representative, company.phone, company.address} <= secrets
    for title in ("擅自变更经营场所未办理变更登记", "销售超过保质期的食品未公开案"):
        assert title in secrets
    shown = decisions.public_decisions()
    assert shown.count() == 2
    # The published text is redacted, not empty: the masked names are there.
    listing = Client().get(reverse("portal:enforcement_decisions")).content.decode()
    assert "赵**" in listing and GRAIN.name in listing


def test_no_public_url_shows_private_data(county, monkeypatch):
    monkeypatch.setattr(decisions, "PAGE_SIZE", 1)  # so the walk also follows the pages
    secrets = private_values()
    result = walk_public_site(secrets)
    assert not result.bad_statuses, result.bad_statuses
    assert not result.leaks, "\n".join(sorted(result.leaks))
    # A withdrawn decision is named on its own notice and in its withdrawal's receipt, and
    # nowhere else: not in a list, not in the API.
    withdrawals = Disclosure.objects.filter(is_current=True, action=DisclosureAction.WITHDRAW)
    assert withdrawals.exists()
    for w in withdrawals:
        own = {
            reverse("portal:enforcement_decision", args=[w.case_id]),
            reverse("portal:enforcement_decision_receipt", args=[w.ledger_seq]),
        }
        number = w.snapshot["decision_number"]
        named = {u for u, text in result.bodies.items() if number in text}
        assert named == own, named ^ own
    # The walk reached what it should: each listed decision, each page, each receipt.
    ok = {u for u, s in result.statuses.items() if s == 200}
    for d in decisions.public_decisions():
        assert reverse("portal:enforcement_decision", args=[d.case_id]) in ok
        assert reverse("portal:enforcement_decision_receipt", args=[d.ledger_seq]) in ok
    assert any("page=2" in u for u in ok)
    assert any(u.startswith("/api/v1/decisions?") for u in ok)
    receipts = [u for u in ok if u.startswith("/enforcement/decisions/receipts/")]
    # Public receipts are exactly those of the disclosures on display, and the withdrawal's.
    expected = set(
        Disclosure.objects.exclude(
            case_id__in=Disclosure.objects.filter(
                is_current=True, action=DisclosureAction.WITHDRAW
            ).values("case_id"),
        ).values_list("ledger_seq", flat=True)
    ) | set(
        Disclosure.objects.filter(is_current=True, action=DisclosureAction.WITHDRAW).values_list(
            "ledger_seq", flat=True
        )
    )
    assert {int(u.rsplit("/", 1)[1].removesuffix(".json")) for u in receipts} == expected


def test_searching_a_private_value_finds_nothing(county):
    """The search reads published text only, so it is no oracle for who was penalized."""
    client = Client()
    for value in private_values().values():
        page = client.get(reverse("portal:enforcement_decisions"), {"q": value[:100]})
        assert page.status_code == 200
        assert "暂无公开内容" in page.content.decode(), value
        body = client.get("/api/v1/decisions", {"search": value[:100]}).json()
        assert body["count"] == 0, value


def test_a_reason_naming_the_party_is_not_published_as_typed(cast):
    """A withdrawal's reason is public (第四十八条), so it must be redacted like the facts."""
    cc = build_cases(cast)
    case = walk(cc, Status.SERVED, party=ZHAO)
    _publish(cc, case)
    services.revoke_decision(
        actor=cast.department_head, case=case, on=D(2024, 5, 6), reason="行政复议决定撤销"
    )
    case.refresh_from_db()
    withdrawal = services.withdraw_disclosure(
        actor=cast.officer,
        case=case,
        on=D(2024, 5, 8),
        reason=f"当事人{ZHAO.name}（电话{ZHAO.phone}）申请行政复议，原决定被撤销",
    )
    ledger_services.create_checkpoint()
    client = Client()
    for url in (
        reverse("portal:enforcement_decision", args=[case.pk]),
        reverse("portal:enforcement_decision_receipt", args=[withdrawal.ledger_seq]),
    ):
        body = client.get(url).content.decode()
        assert ZHAO.name not in body and ZHAO.phone not in body, url
