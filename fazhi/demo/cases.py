"""The demo county's 2024 penalty cases, built through :mod:`fazhi.cases.services` (issue 4 §11).

Seed report: “我县各部门共办理行政处罚案件424件，其中适用包容审慎监管执法‘四张清单’案件86件，
适用率为20.3%，减免金额为79.97万元” and “县公安局受理行政案件309件，结案率100%”.

Two steps, like the catalog. :func:`plan_cases` reads the published catalog (items, lists,
benchmarks, officers, delegations) and the working-day calendar, and turns the tables of
:mod:`fazhi.demo.cases_data` and the seed into plain specs: every party, fact, fine and date of
every step. It runs the rules engine on the facts itself, so that it can choose fines the
engine allows and make the relieved amounts (减免金额) add up to the reported figure; every
count and sum is computed afterwards from the records, never typed. :func:`build_cases` then
replays the specs through the services — all cases together, day by day, so case and document
numbers follow the calendar — and checks that the services reached what the plan expected.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from io import BytesIO
from typing import Any

from stdnum.cn import ric, uscc

from fazhi.cases import services
from fazhi.cases.indicators import lenient_cases, penalty_cases, police_cases, relief_total
from fazhi.cases.models import (
    CaseSource,
    EvidenceKind,
    Medium,
    Outcome,
    PenaltyCase,
    RemedyKind,
    ServiceMethod,
    TransferTarget,
)
from fazhi.cases.services import PartyInput, UploadedFile
from fazhi.cases.workflow import CONCLUDED
from fazhi.catalog.models import (
    Delegation,
    DiscretionStandard,
    EnforcementItem,
    LenientList,
    Officer,
)
from fazhi.catalog.selectors import CatalogIndex, RulesInputs
from fazhi.core.calendar import compute_deadline, database_calendar
from fazhi.core.errors import DomainError
from fazhi.core.indicator_registry import Period, Scope
from fazhi.core.models import Organization, User
from fazhi.demo import county
from fazhi.demo.cases_data import (
    DECIDED_NEXT_YEAR,
    DECLINED_LEADS,
    EDUCATION_RECORDS,
    LENIENT_KINDS,
    PENALTY_ORGS,
    PHONE_PREFIXES,
    POLICE_DECLINED,
    POLICE_ORDINARY,
    POLICE_SUMMARY,
    POLICE_TRANSFERRED,
    SCENARIOS,
    STATEMENTS,
    STREETS,
    TOWNSHIP_CASES,
    TOWNSHIP_LENIENT,
    TRADE_NAMES,
    TRANSFERRED_TO_POLICE,
    VILLAGES,
    Scenario,
)
from fazhi.demo.catalog import base_item_codes
from fazhi.demo.catalog_data import PENALTIES, BasePenalty
from fazhi.demo.names import NameGenerator
from fazhi.rules.calendar import MappingCalendar
from fazhi.rules.enforcement import Circumstance, HarmLevel, ListKind, PenaltyType, Treatment
from fazhi.rules.lenience import Decision, evaluate
from fazhi.rules.lenience_json import facts_from_json
from fazhi.rules.parameters import ParameterSet, default_parameters, format_date_zh

Progress = Callable[[str], None]

# --- Targets (seed report) --------------------------------------------------------------------

PENALTY_CASES = 424
LENIENT_CASES = 86
RELIEF_TOTAL = Decimal("799700.00")  # 79.97万元
POLICE_CASES = 309

PENALTY_LAW = "administrative_penalty_law"
_YEAR_OF_CASES = 2024
_CENT = Decimal("0.01")
_ZERO = Decimal(0)
# How many differently seeded plans to try before giving up on hitting the relief exactly.
_ATTEMPTS = 20

_LENIENT_LIST = {
    "no_penalty": ListKind.NO_PENALTY,
    "first_violation": ListKind.FIRST_VIOLATION,
    "reduced": ListKind.REDUCED,
    "lighter": ListKind.LIGHTER,
}
_SOURCES: tuple[tuple[str, str, int], ...] = (
    (CaseSource.INSPECTION, "日常监督检查", 45),
    (CaseSource.RANDOM_INSPECTION, "{year}年度“双随机、一公开”抽查", 15),
    (CaseSource.COMPLAINT, "群众投诉举报", 20),
    (CaseSource.HOTLINE, "12345政务服务便民热线转办", 12),
    (CaseSource.REFERRAL, "有关部门移送案件线索", 8),
)
_LEADS: dict[str, str] = {
    CaseSource.INSPECTION: "{on}，本机关执法人员在日常监督检查中发现，当事人{detail}。",
    CaseSource.RANDOM_INSPECTION: "{on}，本机关执法人员在“双随机、一公开”抽查中发现，"
    "当事人{detail}。",
    CaseSource.COMPLAINT: "{on}，本机关接到群众举报。经执法人员现场核查，当事人{detail}。",
    CaseSource.HOTLINE: "{on}，本机关收到12345政务服务便民热线转办件。经执法人员现场核查，"
    "当事人{detail}。",
    CaseSource.REFERRAL: "{on}，本机关收到有关部门移送的案件线索。经调查，当事人{detail}。",
}
_LENIENT_FACTS = {
    "no_penalty": "当事人在执法人员责令改正后立即改正，违法行为没有造成危害后果。",
    "first_violation": "当事人两年内未因同类违法行为受过行政处罚，系初次违法，危害后果轻微，"
    "并已在责令改正期限内改正。",
}


# --- Specs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One call of a service: on which day, by whom (handler, head or reviewer), with what."""

    on: dt.date
    action: str
    role: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseSpec:
    """Everything one case will be: its intake, facts, outcome, the expected evaluation, steps."""

    key: str
    org: str  # the organization handling the case
    department: str  # whose head approves and whose legal reviewer reviews
    item_code: str
    title: str
    source: str
    source_detail: str
    facts_text: str
    act_date: dt.date
    received_on: dt.date
    party: PartyInput
    minor: bool
    officers: tuple[str, ...]  # certificate numbers
    summary: bool
    facts: Mapping[str, Any]  # what `assess` (or `decide_on_spot`) receives
    lenient_kind: str  # "" or a key of _LENIENT_LIST
    outcome: str  # Outcome value, "" when no decision is taken
    penalty_types: tuple[str, ...]
    fine: Decimal | None
    confiscation: Decimal | None
    lenient: bool
    baseline: Decimal | None
    hearing_right: bool
    legal_review_required: bool
    discussion_required: bool
    decided_on: dt.date | None
    published: bool
    steps: tuple[Step, ...]

    @property
    def police(self) -> bool:
        return self.org == "gaj"

    @property
    def relief(self) -> Decimal:
        if not self.lenient or self.baseline is None:
            return _ZERO
        return max(self.baseline - (self.fine or _ZERO), _ZERO)


@dataclass(frozen=True)
class CasesPlan:
    cases: tuple[CaseSpec, ...]
    attempt: int

    def counted(self) -> list[CaseSpec]:
        """The penalty cases the 2024 figures count (decided in the year, not police)."""
        return [
            c
            for c in self.cases
            if not c.police
            and c.decided_on is not None
            and c.decided_on.year == _YEAR_OF_CASES
            and c.outcome in (Outcome.PENALTY, Outcome.NO_PENALTY)
        ]


@dataclass
class CasesResult:
    penalty_cases: int = 0
    lenient_cases: int = 0
    relief: Decimal = _ZERO
    police_cases: int = 0
    cases: int = 0
    steps: int = 0
    documents: int = 0
    seconds: float = 0.0


class PlanError(ValueError):
    """The plan cannot reach the reported figures (a data or engine change broke it)."""


# --- Reading the catalog ------------------------------------------------------------------------


class _Catalog:
    """What the plan reads from the database: items, officers, delegations, engine inputs."""

    def __init__(self, year: int) -> None:
        self.params: ParameterSet = default_parameters()
        self.calendar: MappingCalendar = database_calendar()
        self.codes = base_item_codes(year)
        self.bases: dict[str, BasePenalty] = {p.key: p for p in PENALTIES}
        self.items = {
            i.code: i for i in EnforcementItem.objects.filter(code__in=self.codes.values())
        }
        self.officers: dict[str, list[Officer]] = defaultdict(list)
        for o in Officer.objects.select_related("organization").order_by("certificate_number"):
            self.officers[o.organization.code].append(o)
        self.delegated: dict[str, set[str]] = defaultdict(set)
        for d in Delegation.objects.filter(is_active=True).select_related("item", "township"):
            self.delegated[d.township.code].add(d.item.code)
        # What is in force changes only on the days a list or benchmark starts or ends: one
        # in-memory index per such period answers exactly what `rules_inputs` would.
        changes: set[dt.date] = set()
        for model in (LenientList, DiscretionStandard):
            for start, end in model.objects.values_list("effective_from", "effective_until"):
                changes.add(start)
                if end is not None:
                    changes.add(end + dt.timedelta(days=1))
        self._changes = sorted(changes)
        self._indexes: dict[int, CatalogIndex] = {}

    def inputs(self, code: str, on: dt.date) -> RulesInputs:
        period = bisect.bisect_right(self._changes, on)
        if period not in self._indexes:
            self._indexes[period] = CatalogIndex(on)
        return self._indexes[period].inputs(code)

    def evaluate(self, raw: Mapping[str, Any]) -> Decision:
        facts = facts_from_json(raw)
        i = self.inputs(str(raw["item_code"]), facts.act_date)
        return evaluate(
            facts,
            statutory_fine=i.statutory_fine,
            entries=i.entries,
            standard=i.standard,
            params=self.params,
            penalty_types=i.penalty_types,
        )

    def baseline(self, raw: Mapping[str, Any]) -> Decimal:
        """The fine without the lenient facts, as `services.assess` computes it (issue 4:
        “不考虑从宽情节时裁量计算给出的罚款”); the build checks the services agree."""
        facts = facts_from_json(raw)
        neutral = replace(
            facts,
            corrected_in_time=False,
            harm=facts.harm if facts.harm.rank >= HarmLevel.ORDINARY.rank else HarmLevel.ORDINARY,
            no_subjective_fault=False,
            circumstances=frozenset(c for c in facts.circumstances if c.is_aggravating),
            proposed_fine=None,
            proposed_penalties=frozenset(),
        )
        i = self.inputs(str(raw["item_code"]), facts.act_date)
        decision = evaluate(
            neutral,
            statutory_fine=i.statutory_fine,
            entries=(),
            standard=i.standard,
            params=self.params,
            penalty_types=i.penalty_types,
        )
        return decision.fine_range.minimum if decision.fine_range is not None else _ZERO

    def entry_kinds(self, code: str, on: dt.date) -> dict[ListKind, list[frozenset[Circumstance]]]:
        kinds: dict[ListKind, list[frozenset[Circumstance]]] = defaultdict(list)
        for e in self.inputs(code, on).entries:
            kinds[e.kind].append(e.conditions.any_circumstance)
        return kinds

    def param(self, code: str, on: dt.date) -> int:
        return int(str(self.params.get(code, on).value))

    def officers_on(self, org: str, *days: dt.date) -> list[Officer]:
        return [o for o in self.officers[org] if not any(o.certificate_problem(d) for d in days)]


class _Days:
    """Working days of the county's calendar, and the services' own deadlines."""

    def __init__(self, catalog: _Catalog) -> None:
        self.catalog = catalog
        self.calendar = catalog.calendar

    def work(self, d: dt.date) -> dt.date:
        while not self.calendar.is_workday(d):
            d += dt.timedelta(days=1)
        return d

    def add(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after ``d`` (``d`` itself, or the next working day, for 0)."""
        d = self.work(d)
        for _ in range(n):
            d = self.work(d + dt.timedelta(days=1))
        return d

    def due(
        self, start: dt.date, code: str, *, unit: str = "days", law: str = PENALTY_LAW
    ) -> dt.date:
        n = self.catalog.param(code, start)
        return compute_deadline(
            start=start,
            n=n,
            unit=unit,  # type: ignore[arg-type]
            law=law,
            calendar=self.calendar,
            params=self.catalog.params,
        ).due


# --- Parties ----------------------------------------------------------------------------------


def _gb11714_check(body: str) -> str:
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    remainder = 11 - sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def _credit_code(serial: int, *, individual_business: bool) -> str:
    """A valid 统一社会信用代码 of a 东辽县 enterprise (91…) or 个体工商户 (92…): 登记管理部门 9
    (市场监管), the region, a GB 11714 organization code, the GB 32100 check character."""
    body = f"{(24681357 + 104729 * serial) % 10**8:08d}"
    head = f"9{2 if individual_business else 1}220422{body}{_gb11714_check(body)}"
    return head + uscc.calc_check_digit(head)


def _years_before(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class _Parties:
    """Parties that never existed: valid numbers, 东辽县 addresses, names of the name table."""

    # stdnum checks that the area code existed in the birth year: 220422 (东辽县) since 1983.
    EARLIEST_BIRTH = dt.date(1983, 1, 1)

    def __init__(self, rng: random.Random, seed: int) -> None:
        self.rng = rng
        self.names = NameGenerator(seed + 7919)
        self.serial = 0
        self.ids: set[str] = set()
        self.firms: set[str] = set()
        self.towns = [name.removesuffix("人民政府") for _code, name in county.TOWNSHIPS]

    def town(self, code: str | None) -> str:
        if code is not None:
            return dict(county.TOWNSHIPS)[code].removesuffix("人民政府")
        # The county seat (白泉镇) has most of the businesses.
        return self.rng.choice([self.towns[0]] * 5 + self.towns)

    def phone(self) -> str:
        return self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def rural_address(self, town: str) -> str:
        village = self.rng.choice(VILLAGES)
        group, number = self.rng.randint(1, 9), self.rng.randint(1, 60)
        return f"吉林省辽源市东辽县{town}{village}村{group}组{number}号"

    def street_address(self, town: str) -> str:
        return f"吉林省辽源市东辽县{town}{self.rng.choice(STREETS)}{self.rng.randint(1, 300)}号"

    def resident_id(self, birth: dt.date) -> str:
        for _ in range(1000):
            self.serial += 1
            body = f"220422{birth:%Y%m%d}{self.serial % 999 + 1:03d}"
            number = body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder digit
            if number not in self.ids:
                self.ids.add(number)
                return number
        raise PlanError("演示身份证号码已用尽")

    def person(self, town: str, act_date: dt.date, *, minor: bool = False) -> PartyInput:
        if minor:  # 已满十四周岁不满十八周岁 (第三十条)
            latest = _years_before(act_date, 15)
            earliest = _years_before(act_date, 17) + dt.timedelta(days=1)
        else:
            latest = min(_years_before(act_date, 20), dt.date(2004, 12, 31))
            earliest = self.EARLIEST_BIRTH
        birth = earliest + dt.timedelta(days=self.rng.randrange((latest - earliest).days + 1))
        return PartyInput(
            kind="individual",
            name=self.names.name(),
            id_number=self.resident_id(birth),
            phone=self.phone(),
            address=self.rural_address(town),
        )

    def firm(self, business: str, town: str) -> PartyInput:
        company = business.endswith("公司")
        # Registered names: 行政区划 + 字号 + 行业 + 组织形式 (企业名称登记管理规定 第六条).
        places = ("东辽县", "辽源市", "东辽", "辽源", "吉林") if company else (f"东辽县{town}",)
        for _ in range(500):
            trade = self.rng.choice(TRADE_NAMES)
            name = f"{self.rng.choice(places)}{trade}{business}"
            if name not in self.firms:
                break
        else:
            raise PlanError(f"演示单位名称已用尽：{business}")
        self.firms.add(name)
        self.serial += 1
        return PartyInput(
            kind="organization",
            name=name,
            id_number=_credit_code(self.serial, individual_business=not company),
            legal_representative=self.names.name(),
            phone=self.phone(),
            address=self.street_address(town),
        )

    def make(self, business: str, town: str, act_date: dt.date, *, minor: bool) -> PartyInput:
        if business == "个人":
            return self.person(town, act_date, minor=minor)
        return self.firm(business, town)


def _birth(party: PartyInput) -> dt.date | None:
    if party.kind != "individual":
        return None
    birth: dt.date = ric.get_birth_date(party.id_number)
    return birth


# --- Money --------------------------------------------------------------------------------------


def _unit(high: Decimal) -> Decimal:
    """The step fines are set in: 1000 yuan for six-figure ranges … 10 yuan for small ones."""
    if high >= 200_000:
        return Decimal(1000)
    if high >= 10_000:
        return Decimal(100)
    if high >= 1000:
        return Decimal(50)
    return Decimal(10) if high >= 100 else Decimal(1)


def _pick(low: Decimal, high: Decimal, share: float) -> Decimal:
    """A round amount at ``share`` of [low, high], inside it."""
    unit = _unit(high)
    # A fine of nothing is no fine: at least one step of the range.
    floor = max((low / unit).quantize(Decimal(1), rounding=ROUND_CEILING) * unit, unit)
    top = (high / unit).quantize(Decimal(1), rounding=ROUND_FLOOR) * unit
    if floor > top:
        return low.quantize(_CENT)
    value = low + (high - low) * Decimal(str(share))
    value = (value / unit).quantize(Decimal(1)) * unit
    return min(max(value, floor), top).quantize(_CENT)


def _range_of(decision: Decision, treatment: Treatment) -> tuple[Decimal, Decimal] | None:
    option = decision.option(treatment)
    if option is None or option.fine_range is None or option.fine_range.maximum is None:
        return None
    return option.fine_range.minimum, option.fine_range.maximum


# --- Drafts -------------------------------------------------------------------------------------


@dataclass
class _Draft:
    """A case while it is being planned (mutable until the fines are balanced)."""

    key: str
    org: str
    department: str
    scenario: Scenario
    item_code: str
    kind: str  # ordinary, summary, declined or transferred
    lenient_kind: str
    minor: bool
    party: PartyInput
    act_date: dt.date
    received_on: dt.date
    source: str
    source_detail: str
    facts: dict[str, Any]
    outcome: str = ""
    penalty_types: tuple[str, ...] = ()
    fine: Decimal | None = None
    confiscation: Decimal | None = None
    fine_low: Decimal | None = None  # what the fine may be moved to when balancing
    fine_high: Decimal | None = None
    baseline: Decimal | None = None
    lenient: bool = False
    next_year: bool = False
    revoked: bool = False
    hearing: bool = False


class _Planner:
    def __init__(self, catalog: _Catalog, seed: int, attempt: int) -> None:
        self.catalog = catalog
        self.days = _Days(catalog)
        self.rng = random.Random(f"fazhi-demo-cases:{seed}:{attempt}")  # noqa: S311 - demo data
        self.parties = _Parties(self.rng, seed)
        self.by_org: dict[str, list[Scenario]] = defaultdict(list)
        for s in SCENARIOS:
            self.by_org[s.org].append(s)
        self.serial = 0
        self.relief_left = RELIEF_TOTAL
        self.lenient_left = 0

    # -- choosing ---------------------------------------------------------------------------

    def weighted(self, scenarios: Sequence[Scenario]) -> Scenario:
        return self.rng.choices(list(scenarios), weights=[s.weight for s in scenarios])[0]

    def act_date(self, scenario: Scenario, *, latest: dt.date) -> dt.date:
        months = [m for m in scenario.months if dt.date(_YEAR_OF_CASES, m, 1) <= latest]
        month = self.rng.choice(months or [latest.month])
        first = dt.date(_YEAR_OF_CASES, month, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        last = min(last, latest)
        return first + dt.timedelta(days=self.rng.randrange((last - first).days + 1))

    def source(self, police: bool, summary: bool) -> tuple[str, str]:
        if summary:
            return CaseSource.INSPECTION, "当场发现"
        if police:
            if self.rng.random() < 0.8:
                return CaseSource.COMPLAINT, "110接报警"
            return CaseSource.INSPECTION, "巡逻盘查发现"
        choices = [(s, d) for s, d, _ in _SOURCES]
        source, detail = self.rng.choices(choices, weights=[w for _, _, w in _SOURCES])[0]
        return source, detail.format(year=_YEAR_OF_CASES)

    def town_of(self, org: str) -> str | None:
        return org if org in dict(county.TOWNSHIPS) else None

    # -- one draft ---------------------------------------------------------------------------

    def draft(
        self,
        *,
        org: str,
        department: str,
        scenario: Scenario,
        kind: str,
        lenient_kind: str = "",
        minor: bool = False,
        latest: dt.date = dt.date(_YEAR_OF_CASES, 11, 15),
        act_date: dt.date | None = None,
    ) -> _Draft:
        self.serial += 1
        police = org == "gaj"
        summary = kind == "summary"
        act = act_date or self.act_date(scenario, latest=latest)
        if summary:
            received = act if police else self.days.work(act)
            act = received
        else:
            received = self.days.add(act + dt.timedelta(days=self.rng.randint(0, 12)), 0)
            if police:
                received = act + dt.timedelta(days=self.rng.randint(0, 2))
        business = self.rng.choice(scenario.businesses)
        party = self.parties.make(
            business,
            self.parties.town(self.town_of(org)),
            act,
            minor=minor,
        )
        source, source_detail = self.source(police, summary)
        facts: dict[str, Any] = {
            "act_date": act.isoformat(),
            "discovered_date": received.isoformat(),
            "party_kind": party.kind,
        }
        birth = _birth(party)
        if birth is not None:
            facts["age"] = _age(birth, act)
        if scenario.amount:
            low, high = scenario.amount
            facts["amount_involved"] = str(
                Decimal(self.rng.randint(low // 100, high // 100) * 100).quantize(_CENT)
            )
        return _Draft(
            key=f"{org}-{self.serial:04d}",
            org=org,
            department=department,
            scenario=scenario,
            item_code=self.catalog.codes[scenario.key],
            kind=kind,
            lenient_kind=lenient_kind,
            minor=minor,
            party=party,
            act_date=act,
            received_on=received,
            source=source,
            source_detail=source_detail,
            facts=facts,
        )

    def raw(self, d: _Draft, *, proposal: bool = True) -> dict[str, Any]:
        """The facts as the services will see them (`assess` / `decide_on_spot`)."""
        raw: dict[str, Any] = {**d.facts, "item_code": d.item_code}
        if d.kind == "summary":
            raw["decision_date"] = d.received_on.isoformat()
        if proposal and d.outcome == Outcome.PENALTY:
            raw["proposed_penalties"] = list(d.penalty_types)
            raw["proposed_fine"] = str(d.fine) if d.fine is not None else None
        return raw

    # -- outcomes -------------------------------------------------------------------------------

    def penalise(self, d: _Draft) -> None:
        """A case without lenience: 一般, 从重 for a repeat offence, 减轻/从轻 for a minor."""
        item = self.catalog.items[d.item_code]
        types = set(item.penalty_types)
        rng = self.rng
        police = d.org == "gaj"
        repeat = (
            not police
            and d.kind == "ordinary"
            and not d.minor
            and d.party.kind == "organization"
            and rng.random() < 0.05
        )
        d.facts["severity"] = "grave" if repeat else rng.choice(["minor"] * 3 + ["serious"] * 2)
        d.facts["harm"] = "minor" if rng.random() < 0.2 else "ordinary"
        if repeat:
            d.facts["circumstances"] = [Circumstance.REPEAT_OFFENCE.value]
            prior = d.act_date - dt.timedelta(days=rng.randint(120, 330))
            d.facts["prior_violation_dates"] = [prior.isoformat()]
        decision = self.catalog.evaluate(self.raw(d, proposal=False))
        if decision.applied_entries:
            raise PlanError(f"{d.key}：本应不适用清单，但引擎适用了清单")
        d.outcome = Outcome.PENALTY
        warning = PenaltyType.WARNING.value in types
        span = _range_of(decision, decision.treatment)
        if span is None:
            raise PlanError(f"{d.key}：引擎未给出罚款幅度（{d.scenario.key}）")
        low, high = span
        if decision.treatment is Treatment.REDUCED and high > low:
            high -= 1  # 减轻 stays below the statutory minimum (LE-D1)
        if d.kind == "summary":
            # 第五十一条: 200 yuan for a citizen, 3000 for an organization, or a warning.
            limit = self.catalog.param(
                "PENALTY_SUMMARY_MAX_FINE_INDIVIDUAL"
                if d.party.kind == "individual"
                else "PENALTY_SUMMARY_MAX_FINE_ORG",
                d.received_on,
            )
            high = min(high, Decimal(limit))
            if low > high and not warning:
                d.kind = "ordinary"  # the benchmark's fine is above what may be imposed on the spot
                d.source, d.source_detail = self.source(police, False)
                high = span[1]
        spot = d.scenario.on_spot
        if d.kind == "summary":
            warning_only = warning and (low > high or (spot == "W" and rng.random() < 0.7))
        else:
            warning_only = warning and (d.minor or rng.random() < 0.08)
        if warning_only:
            d.penalty_types = (PenaltyType.WARNING.value,)
            return
        d.fine = _pick(low, high, rng.uniform(0.0, 0.6))
        chosen = [PenaltyType.FINE.value]
        if police and PenaltyType.DETENTION.value in types and d.scenario.on_spot == "":
            if rng.random() < 0.55:
                chosen = [PenaltyType.DETENTION.value, PenaltyType.FINE.value]
        elif police and PenaltyType.SUSPEND_LICENCE.value in types:
            chosen = [PenaltyType.SUSPEND_LICENCE.value, PenaltyType.FINE.value]
        elif (
            not police
            and d.kind == "ordinary"
            and PenaltyType.CONFISCATE_GAINS.value in types
            and item.fine_basis == "amount"
            and rng.random() < 0.3
        ):
            chosen.append(PenaltyType.CONFISCATE_GAINS.value)
            d.confiscation = Decimal(rng.randint(3, 60) * 100).quantize(_CENT)
            d.facts["amount_involved"] = str(d.confiscation)
        d.penalty_types = tuple(chosen)

    def make_lenient(self, d: _Draft) -> bool:
        """Facts that make the engine apply the entry of ``d.lenient_kind``; False if none does."""
        kind = _LENIENT_LIST[d.lenient_kind]
        entries = self.catalog.entry_kinds(d.item_code, d.act_date).get(kind, [])
        if not entries:
            return False
        rng = self.rng
        if d.lenient_kind == "no_penalty":
            # 情节较轻, not 轻微: a 轻微 act is decided by 第三十三条 itself, before any list.
            d.facts.update(severity="minor", harm="none", corrected_in_time=True)
        elif d.lenient_kind == "first_violation":
            d.facts.update(severity="minor", harm="minor", corrected_in_time=True)
        else:
            found = sorted(set().union(*entries), key=lambda c: c.value)
            if d.lenient_kind == "lighter":
                # A circumstance that also meets a 减轻 entry makes the case a reduction.
                reducing = self.catalog.entry_kinds(d.item_code, d.act_date).get(
                    ListKind.REDUCED, []
                )
                found = [c for c in found if not any(c in s for s in reducing)]
            if not found:
                return False
            d.facts.update(
                severity="minor"
                if d.lenient_kind == "reduced"
                else rng.choice(["minor", "serious"]),
                harm="ordinary",
                circumstances=[rng.choice(found).value],
            )
        decision = self.catalog.evaluate(self.raw(d, proposal=False))
        if kind not in {e.kind for e in decision.applied_entries}:
            return False
        d.lenient = True
        if d.lenient_kind in ("no_penalty", "first_violation"):
            if Treatment.NO_PENALTY not in decision.allowed:
                return False
            d.outcome = Outcome.NO_PENALTY
        else:
            treatment = Treatment.REDUCED if d.lenient_kind == "reduced" else Treatment.LIGHTER
            span = _range_of(decision, treatment)
            if span is None or span[1] <= 0:
                return False
            low, high = span
            if treatment is Treatment.REDUCED and high > low:
                high -= 1  # 减轻 stays below the statutory minimum (LE-D1)
            low = max(low, _unit(high))  # a fine of nothing would be no fine
            d.outcome = Outcome.PENALTY
            d.penalty_types = (PenaltyType.FINE.value,)
            d.fine_low, d.fine_high = low, high
        d.baseline = self.catalog.baseline(self.raw(d, proposal=False))
        if d.fine_high is not None:
            # Above the baseline the relief is 0 and no longer moves with the fine.
            d.fine_high = min(d.fine_high, d.baseline)
            if d.fine_low is None or d.fine_low > d.fine_high:
                return False
            # Aim the relief at this case's share of the reported total, within the range.
            budget = self.relief_left / max(self.lenient_left, 1)
            wanted = d.baseline - budget * Decimal(str(rng.uniform(0.6, 1.4)))
            width = d.fine_high - d.fine_low
            share = float((wanted - d.fine_low) / width) if width else 0.0
            d.fine = _pick(d.fine_low, d.fine_high, min(max(share, 0.0), 1.0))
        return True

    # -- the slots ------------------------------------------------------------------------------

    def penalty_drafts(self) -> list[_Draft]:
        drafts: list[_Draft] = []
        kinds = [k for k, n in LENIENT_KINDS for _ in range(n)]
        self.rng.shuffle(kinds)
        orgs: list[tuple[str, str, int, int]] = list(PENALTY_ORGS)
        towns = [code for code, _ in county.TOWNSHIPS]
        per_town, extra = divmod(TOWNSHIP_CASES, len(towns))
        lenient_towns = set(self.rng.sample(towns, TOWNSHIP_LENIENT))
        for i, town in enumerate(towns):
            orgs.append(
                (town, town, per_town + (1 if i < extra else 0), int(town in lenient_towns))
            )
        minors = {"lyj-zfdd": "wildfire_use", towns[0]: "straw_burning"}
        self.relief_left = RELIEF_TOTAL
        self.lenient_left = sum(n for *_, n in orgs)
        for org, department, total, lenient in orgs:
            scenarios = self.scenarios_for(org, department)
            if not scenarios:
                raise PlanError(f"{org}没有可办理的处罚事项")
            for n in range(total):
                lenient_kind = kinds.pop() if n < lenient else ""
                drafts.append(
                    self.penalty_draft(
                        org,
                        department,
                        scenarios,
                        lenient_kind,
                        minors.get(org) if n == lenient else None,
                    )
                )
        if kinds:
            raise PlanError("“四张清单”案件的种类未分配完")
        return drafts

    def lenient_draft(
        self, org: str, department: str, scenarios: list[Scenario], lenient_kind: str
    ) -> _Draft:
        """A lenient case whose relief is near the share of the total still to be reached.

        Several items are tried; one whose relief is near that share wins (at random among those
        within half of it), so the drafts add up close to the report and the balancing that
        follows only has to move a few fines a little.
        """
        budget = self.relief_left / max(self.lenient_left, 1)
        # A 不予处罚 case stays a 不予处罚 case, a 减轻 one a reduction, if the body can.
        family = {
            "no_penalty": ["no_penalty", "first_violation"],
            "first_violation": ["first_violation", "no_penalty"],
            "reduced": ["reduced", "lighter"],
            "lighter": ["lighter", "reduced"],
        }[lenient_kind]
        wanted = family + [k for k in _LENIENT_LIST if k not in family]
        limit = max(4 * budget, Decimal(20_000))
        tried: list[_Draft] = []
        for kind in wanted:
            pool = [s for s in scenarios if self.has_entry(s, kind)]
            self.rng.shuffle(pool)
            found: list[_Draft] = []
            for scenario in pool[:8]:
                d = self.draft(
                    org=org,
                    department=department,
                    scenario=scenario,
                    kind="ordinary",
                    lenient_kind=kind,
                )
                if self.make_lenient(d):
                    tried.append(d)
                    # A reduction of tens of thousands is not what a list is mostly used for.
                    if _least_relief(d) <= limit:
                        found.append(d)
            if found:
                found.sort(key=lambda d: abs(_relief(d) - budget))
                nearest = abs(_relief(found[0]) - budget)
                close = [d for d in found if abs(_relief(d) - budget) <= max(nearest, budget / 2)]
                return self.rng.choice(close)
        if tried:
            return min(tried, key=_least_relief)
        raise PlanError(f"{org}找不到可以适用“四张清单”的事项")

    def has_entry(self, scenario: Scenario, kind: str) -> bool:
        code = self.catalog.codes[scenario.key]
        return bool(
            self.catalog.entry_kinds(code, dt.date(_YEAR_OF_CASES, 6, 1)).get(_LENIENT_LIST[kind])
        )

    def scenarios_for(self, org: str, department: str) -> list[Scenario]:
        if org == department and org in dict(county.TOWNSHIPS):
            delegated = self.catalog.delegated[org]
            return [s for s in self.by_org["township"] if self.catalog.codes[s.key] in delegated]
        return self.by_org[department]

    def penalty_draft(
        self,
        org: str,
        department: str,
        scenarios: list[Scenario],
        lenient_kind: str,
        minor_key: str | None,
    ) -> _Draft:
        if lenient_kind:
            d = self.lenient_draft(org, department, scenarios, lenient_kind)
            self.relief_left -= _relief(d)
            self.lenient_left -= 1
            return d
        if minor_key is not None:
            scenario = next(s for s in scenarios if s.key == minor_key)
            d = self.draft(
                org=org, department=department, scenario=scenario, kind="ordinary", minor=True
            )
            self.penalise(d)
            return d
        scenario = self.weighted(scenarios)
        summary = bool(scenario.on_spot) and self.rng.random() < 0.6
        if summary and scenario.businesses == ("个人",) and scenario.on_spot != "W":
            summary = False
        d = self.draft(
            org=org,
            department=department,
            scenario=scenario,
            kind="summary" if summary else "ordinary",
        )
        self.penalise(d)
        return d

    def police_drafts(self) -> list[_Draft]:
        spot = [s for s in self.by_org["gaj"] if s.on_spot]
        other = [s for s in self.by_org["gaj"] if not s.on_spot]
        drafts: list[_Draft] = []
        latest = dt.date(_YEAR_OF_CASES, 12, 20)
        for _ in range(POLICE_SUMMARY):
            d = self.draft(
                org="gaj",
                department="gaj",
                scenario=self.weighted(spot),
                kind="summary",
                latest=latest,
            )
            self.penalise(d)
            drafts.append(d)
        for _ in range(POLICE_ORDINARY):
            d = self.draft(
                org="gaj",
                department="gaj",
                scenario=self.weighted(other),
                kind="ordinary",
                latest=dt.date(_YEAR_OF_CASES, 11, 25),
            )
            self.penalise(d)
            drafts.append(d)
        for kind, count in (("declined", POLICE_DECLINED), ("transferred", POLICE_TRANSFERRED)):
            for _ in range(count):
                scenario = next(
                    s
                    for s in other
                    if s.key == ("theft" if kind == "transferred" else "insult_threat")
                )
                drafts.append(
                    self.draft(
                        org="gaj", department="gaj", scenario=scenario, kind=kind, latest=latest
                    )
                )
        return drafts

    def side_drafts(self) -> list[_Draft]:
        """Cases the 2024 penalty figures do not count: declined, transferred to the police,
        and December cases decided in January (realism for lists and drill-downs)."""
        market = self.by_org["scjgj"]
        drafts: list[_Draft] = []
        for kind, count in (
            ("declined", DECLINED_LEADS),
            ("transferred", TRANSFERRED_TO_POLICE),
        ):
            for _ in range(count):
                scenario = self.weighted(
                    [
                        s
                        for s in market
                        if s.key in ("food_expired", "price_tag", "unlicensed_business")
                    ]
                )
                if kind == "transferred":
                    scenario = next(s for s in market if s.key == "food_unlicensed")
                d = self.draft(org="scjgj-zfdd", department="scjgj", scenario=scenario, kind=kind)
                drafts.append(d)
        december = {
            org: [s for s in self.by_org[department] if 12 in s.months]
            for org, department, *_ in PENALTY_ORGS[:6]
        }
        for _ in range(DECIDED_NEXT_YEAR):
            org = self.rng.choice([o for o, found in december.items() if found])
            department = next(dep for o, dep, *_ in PENALTY_ORGS if o == org)
            scenario = self.weighted(december[org])
            act = dt.date(_YEAR_OF_CASES, 12, self.rng.randint(1, 9))
            d = self.draft(
                org=org, department=department, scenario=scenario, kind="ordinary", act_date=act
            )
            d.next_year = True
            self.penalise(d)
            drafts.append(d)
        return drafts


def _least_relief(d: _Draft) -> Decimal:
    """The smallest relief the case can have once its fine is moved as far up as allowed."""
    if d.baseline is None:
        return _ZERO
    return max(d.baseline - (d.fine_high if d.fine_high is not None else _ZERO), _ZERO)


def _relief(d: _Draft) -> Decimal:
    if not d.lenient or d.baseline is None:
        return _ZERO
    return max(d.baseline - (d.fine or _ZERO), _ZERO)


# --- Balancing the relief ------------------------------------------------------------------------


def _balance(drafts: Sequence[_Draft], target: Decimal) -> bool:
    """Move the fines of the 减轻/从轻 cases, inside what the engine allows, until the relief
    adds up to ``target`` exactly. Round-robin in falling steps, so no single fine takes it all."""
    movable = [d for d in drafts if d.lenient and d.fine is not None and d.fine_low is not None]
    relief = sum((_relief(d) for d in drafts), _ZERO)
    gap = target - relief  # > 0: more relief is needed, so lower fines
    for step in (Decimal(1000), Decimal(100), Decimal(10), Decimal(1)):
        moved = True
        while gap and moved and abs(gap) >= step:
            moved = False
            for d in movable:
                assert d.fine is not None and d.fine_low is not None and d.fine_high is not None
                if abs(gap) < step:
                    break
                if gap > 0 and d.fine - step >= d.fine_low:
                    d.fine -= step
                    gap -= step
                    moved = True
                elif gap < 0 and d.fine + step <= d.fine_high:
                    d.fine += step
                    gap += step
                    moved = True
    return gap == 0


# --- Steps and dates ------------------------------------------------------------------------------

_REVIEW_OPINION = (
    "经审核，执法主体合法，执法人员具备执法资格，程序合法，事实清楚，证据确实充分，适用依据正确，"
    "裁量适当，文书规范，同意办案机构的处理意见。"
)
_REPORT = "经调查，当事人的违法事实清楚，证据确实充分，调查终结，提交案件审查。"
_NO_PENALTY_REASONS = {
    "no_penalty": "当事人的违法行为符合本机关不予行政处罚事项清单规定的条件，拟不予行政处罚。",
    "first_violation": "当事人系初次违法，危害后果轻微并及时改正，符合首违不罚事项清单规定的条件，"
    "拟不予行政处罚。",
}


@dataclass
class _Gaps:
    """The working days between the steps of one case, drawn once, so that moving the whole
    case earlier (to keep it inside the year and the 90 days) keeps its rhythm."""

    register: int
    evidence: int
    assess: int
    notice: int
    statement: int
    hearing_request: int
    hearing_notice: int
    hearing_after: int
    review_submit: int
    review: int
    discussion: int
    decide: int


class _Scheduler:
    """The steps of each case on working days, inside the deadlines the services enforce."""

    def __init__(self, planner: _Planner) -> None:
        self.p = planner
        self.days = planner.days
        self.rng = planner.rng

    def gaps(self, police: bool) -> _Gaps:
        r = self.rng.randint
        if police:
            return _Gaps(0, r(0, 2), r(1, 5), r(0, 2), 0, 1, 1, 0, r(0, 1), r(1, 2), 1, r(0, 1))
        return _Gaps(
            r(0, 3), r(1, 5), r(2, 8), r(1, 3), r(1, 3), r(1, 3), r(1, 2), r(0, 3),
            r(0, 1), r(1, 3), r(1, 2), r(0, 2),
        )  # fmt: skip

    def steps(self, d: _Draft, decision: Decision | None, options: Mapping[str, Any]) -> list[Step]:
        """Every step of ``d`` with its date; moves the case earlier until it fits its limits."""
        gaps = self.gaps(d.org == "gaj")
        for _ in range(30):
            steps = self._steps(d, decision, options, gaps)
            decided = next((s.on for s in steps if s.action in ("decide", "decide_on_spot")), None)
            limit = self.limit(d, steps)
            if decided is None or limit is None or decided <= limit:
                return steps
            self.shift(d, (decided - limit).days + 1)
        raise PlanError(f"{d.key}：无法在期限内安排决定日期")

    def limit(self, d: _Draft, steps: Sequence[Step]) -> dt.date | None:
        registered = next((s.on for s in steps if s.action == "register"), None)
        if registered is None:
            return None
        code = "POLICE_DECISION_DAYS" if d.org == "gaj" else "DECISION_DAYS_FROM_FILING"
        due = registered + dt.timedelta(days=self.p.catalog.param(code, registered))
        if d.next_year:
            return due - dt.timedelta(days=1)
        return min(due - dt.timedelta(days=1), dt.date(_YEAR_OF_CASES, 12, 31))

    def shift(self, d: _Draft, days: int) -> None:
        d.act_date -= dt.timedelta(days=days)
        d.received_on = self.days.work(d.received_on - dt.timedelta(days=days))
        d.facts["act_date"] = d.act_date.isoformat()
        d.facts["discovered_date"] = d.received_on.isoformat()
        if "age" in d.facts:
            birth = _birth(d.party)
            assert birth is not None
            d.facts["age"] = _age(birth, d.act_date)

    def _steps(  # noqa: C901 - the ordinary procedure, in the law's order
        self, d: _Draft, decision: Decision | None, options: Mapping[str, Any], g: _Gaps
    ) -> list[Step]:
        days, rng = self.days, self.rng
        police = d.org == "gaj"
        add = days.add
        if d.kind == "summary":
            return self.summary(d)
        received = d.received_on
        steps = [Step(received, "receive_lead", "handler")]
        if d.kind == "declined":
            reason = (
                "经调查，报警人反映的情况系民间纠纷，已当场调解，不属于违反治安管理行为，不予立案。"
                if police
                else "经核查，举报反映的违法行为不存在，不予立案。"
            )
            return [
                *steps,
                Step(add(received, rng.randint(1, 3)), "decline", "head", {"reason": reason}),
            ]
        registered = add(received, g.register)
        steps += [
            Step(registered, "register", "head"),
            Step(registered, "add_evidence", "handler", {"evidence": "on_site"}),
        ]
        if d.kind == "transferred":
            on = add(registered, rng.randint(2, 6))
            if police:
                params = {
                    "target": TransferTarget.JUDICIAL,
                    "recipient": "东辽县公安局刑事侦查大队",
                    "reason": "经查，涉案财物价值达到盗窃罪立案追诉标准，涉嫌犯罪，"
                    "转为刑事案件侦查。",
                }
            else:
                params = {
                    "target": TransferTarget.JUDICIAL,
                    "recipient": "东辽县公安局",
                    "reason": "当事人涉嫌生产、销售不符合安全标准的食品罪，依照"
                    "《行政执法机关移送涉嫌犯罪案件的规定》移送公安机关。",
                }
            return [*steps, Step(on, "transfer", "head", params)]
        assert decision is not None  # a case that is decided was evaluated
        day = add(registered, g.evidence)
        if police or rng.random() < 0.75:
            steps.append(Step(day, "add_evidence", "handler", {"evidence": "interview"}))
        day = add(day, g.assess)
        steps += [
            Step(day, "assess", "handler", {"facts": options["facts"]}),
            Step(day, "submit_for_examination", "handler", {"report": _REPORT}),
        ]
        hearing = False
        if d.outcome == Outcome.NO_PENALTY:
            day = add(day, g.notice)
            why = _NO_PENALTY_REASONS[d.lenient_kind]
            steps.append(
                Step(day, "propose_no_penalty", "handler", {"outcome": d.outcome, "reason": why})
            )
        else:
            notice = day = add(day, g.notice)
            steps.append(
                Step(
                    day,
                    "notify",
                    "handler",
                    {"penalty_types": list(d.penalty_types), "fine": d.fine},
                )
            )
            statement_due = self.days.due(notice, "HEARING_REQUEST_WDAYS")
            if d.hearing:
                hearing = True
                request = min(add(notice, g.hearing_request), statement_due)
                scheduled = add(request, g.hearing_notice)
                held = add(self.days.due(scheduled, "HEARING_NOTICE_WDAYS"), g.hearing_after)
                steps += [
                    Step(request, "request_hearing", "handler"),
                    Step(
                        scheduled,
                        "schedule_hearing",
                        "head",
                        {"hearing_on": held, "location": options["hearing_room"]},
                    ),
                    Step(
                        held,
                        "conclude_hearing",
                        "handler",
                        {
                            "record_text": "听证会依法公开举行。调查人员出示了证据，当事人进行了"
                            "陈述、申辩和质证。经听证，违法事实清楚，证据确实充分。"
                        },
                    ),
                ]
                day = held
            else:
                mode = (
                    "waived"
                    if police
                    else rng.choices(["waived", "statement", "silent"], [45, 30, 25])[0]
                )
                if mode == "waived":
                    steps += [
                        Step(notice, "record_statement", "handler", {"waived": True}),
                        Step(notice, "conclude_statement", "handler"),
                    ]
                elif mode == "statement":
                    day = min(add(notice, g.statement), statement_due)
                    text = rng.choice(STATEMENTS)
                    steps += [
                        Step(day, "record_statement", "handler", {"statement": text}),
                        Step(day, "conclude_statement", "handler"),
                    ]
                else:
                    day = add(statement_due + dt.timedelta(days=1), 0)
                    steps.append(Step(day, "conclude_statement", "handler"))
        review = decision.procedure.legal_review_required or hearing
        if not review and options["reviewer"]:
            review = (police and PenaltyType.DETENTION.value in d.penalty_types) or (
                not police and rng.random() < 0.4
            )
        if review:
            submitted = add(day, g.review_submit)
            day = add(submitted, g.review)
            steps += [
                Step(submitted, "submit_legal_review", "handler"),
                Step(day, "pass_legal_review", "reviewer", {"comments": _REVIEW_OPINION}),
            ]
        discuss = decision.procedure.collective_discussion or (
            (d.fine or _ZERO) >= 50_000 and rng.random() < 0.5
        )
        if discuss:
            day = add(day, g.discussion)
            steps.append(
                Step(
                    day,
                    "record_discussion",
                    "head",
                    {
                        "participants": options["participants"],
                        "conclusion": "经集体讨论，同意办案机构的处理意见。",
                    },
                )
            )
        day = add(day, g.decide)
        if d.next_year:
            day = max(day, add(dt.date(_YEAR_OF_CASES + 1, 1, 2), rng.randint(0, 8)))
        decide: dict[str, Any] = {"penalty_types": list(d.penalty_types), "fine": d.fine}
        if d.confiscation is not None:
            decide["confiscation"] = d.confiscation
        if d.outcome == Outcome.NO_PENALTY:
            decide["education_record"] = rng.choice(EDUCATION_RECORDS)
        steps.append(Step(day, "decide", "head", decide))
        return steps + self.after_decision(d, day, options)

    def after_decision(self, d: _Draft, decided: dt.date, options: Mapping[str, Any]) -> list[Step]:
        days, rng, add = self.days, self.rng, self.days.add
        steps: list[Step] = []
        if options["publish"]:
            due = self.days.due(decided, "DISCLOSURE_PENALTY_LICENCE_WDAYS", unit="working_days")
            # A few go out late: the on-time rate is an indicator of its own.
            on = (
                add(decided, 9)
                if rng.random() < 0.02
                else min(add(decided, rng.randint(1, 5)), due)
            )
            steps.append(Step(on, "publish_decision", "handler"))
        method = rng.choices(
            [
                ServiceMethod.ON_SPOT,
                ServiceMethod.DIRECT,
                ServiceMethod.POST,
                ServiceMethod.ELECTRONIC,
            ],
            [40, 35, 15, 10],
        )[0]
        served = {
            ServiceMethod.ON_SPOT: decided,
            ServiceMethod.DIRECT: add(decided, rng.randint(1, 3)),
            ServiceMethod.POST: add(decided, rng.randint(2, 5)),
            ServiceMethod.ELECTRONIC: add(decided, rng.randint(0, 1)),
        }[method]
        if d.org == "gaj":
            method, served = ServiceMethod.ON_SPOT, decided
        recipient = (
            "邮政EMS签收"
            if method == ServiceMethod.POST
            else (d.party.legal_representative or d.party.name)
        )
        steps.append(Step(served, "serve", "handler", {"method": method, "recipient": recipient}))
        if d.revoked:
            started = add(served + dt.timedelta(days=rng.randint(10, 40)), 0)
            ended = add(started + dt.timedelta(days=55), 0)
            reason = (
                "东辽县人民政府作出行政复议决定，以认定事实不清、证据不足为由撤销本行政处罚决定。"
            )
            return steps + [
                Step(
                    ended,
                    "record_remedy",
                    "handler",
                    {"kind": RemedyKind.RECONSIDERATION, "started_on": started, "ended_on": ended},
                ),
                Step(ended, "revoke_decision", "head", {"reason": reason}),
                Step(
                    add(ended, 1),
                    "withdraw_disclosure",
                    "handler",
                    {
                        "reason": "该行政处罚决定已被行政复议机关撤销，依照"
                        "《中华人民共和国行政处罚法》第四十八条第二款撤回已公开的信息。"
                    },
                ),
            ]
        done = served
        if d.fine:
            done = days.work(served + dt.timedelta(days=rng.randint(1, 10)))
            steps.append(Step(done, "record_payment", "handler", {"amount": d.fine}))
        closed = add(done, rng.randint(1, 4))
        steps.append(Step(closed, "close", "head", {"summary": _closing(d)}))
        steps.append(Step(add(closed, rng.randint(1, 10)), "archive", "handler"))
        return steps

    def summary(self, d: _Draft) -> list[Step]:
        """当场处罚 (第五十一条): decided and handed over on the spot, then paid and filed."""
        days, rng = self.days, self.rng
        on = d.received_on
        steps = [Step(on, "decide_on_spot", "handler")]
        police = d.org == "gaj"
        if d.outcome == Outcome.PENALTY and self.publishable(d):
            steps.append(Step(days.add(on, rng.randint(1, 5)), "publish_decision", "handler"))
        done = on
        if d.fine:
            # 第六十八条: up to 100 yuan may be collected on the spot.
            if d.fine <= 100 or on.month == 12 and on.day > 20:
                done = on
            else:
                done = on + dt.timedelta(days=rng.randint(1, 10))
                done = done if police else days.work(done)
            steps.append(Step(done, "record_payment", "handler", {"amount": d.fine}))
        closed = days.add(done, rng.randint(0, 2))
        steps.append(Step(closed, "close", "head", {"summary": _closing(d)}))
        steps.append(Step(days.add(closed, rng.randint(0, 5)), "archive", "handler"))
        return steps

    def publishable(self, d: _Draft) -> bool:
        """公开 (行政处罚法 第四十八条; 118号): the penalty decisions of the administrative bodies,
        not minors' cases (未成年人保护法 第一百零三条), not the market regulator's warnings
        (《市场监督管理行政处罚信息公示规定》第二条). Public-security decisions are left out:
        the report publishes its figures separately and 治安 cases concern private persons."""
        if d.org == "gaj" or d.outcome != Outcome.PENALTY or d.minor:
            return False
        return not (d.department == "scjgj" and d.penalty_types == (PenaltyType.WARNING.value,))


def _closing(d: _Draft) -> str:
    if d.outcome == Outcome.NO_PENALTY:
        return "不予行政处罚决定书已送达，当事人已改正违法行为并接受教育，案件办结。"
    if d.fine:
        return "罚款已全额缴入国库，行政处罚决定已执行完毕，案件办结。"
    return "行政处罚决定书已送达，处罚已执行，案件办结。"


# --- The plan -------------------------------------------------------------------------------------


def _title(d: _Draft, base: BasePenalty) -> str:
    return f"{d.party.name}{base.act}案"


def _facts_text(d: _Draft, base: BasePenalty) -> str:
    lead = _LEADS.get(d.source, _LEADS[CaseSource.INSPECTION])
    if d.kind == "summary":
        lead = "{on}，执法人员在执法检查中当场发现，当事人{detail}。"
    elif d.org == "gaj":
        lead = (
            "{on}，本局接到报警。经调查，当事人{detail}。"
            if d.source == CaseSource.COMPLAINT
            else "{on}，本局民警在巡逻盘查中发现，当事人{detail}。"
        )
    parts = [lead.format(on=format_date_zh(d.received_on), detail=d.scenario.detail)]
    if d.kind != "summary" and d.act_date != d.received_on:
        parts.append(f"该违法行为发生于{format_date_zh(d.act_date)}。")
    if "amount_involved" in d.facts and d.confiscation is None and base.multiple_of:
        parts.append(f"经核算，{base.multiple_of}为{Decimal(d.facts['amount_involved']):.2f}元。")
    if d.confiscation is not None:
        parts.append(f"当事人违法所得{d.confiscation:.2f}元。")
    if d.lenient_kind in _LENIENT_FACTS:
        parts.append(_LENIENT_FACTS[d.lenient_kind])
    for c in d.facts.get("circumstances", []):
        circumstance = Circumstance(c)
        if not circumstance.is_aggravating:
            parts.append(f"当事人有{circumstance.label_zh}的情形。")
        else:
            parts.append("当事人一年内因同一性质的违法行为受过行政处罚。")
    return "".join(parts)


def _plan_once(catalog: _Catalog, seed: int, attempt: int) -> CasesPlan | None:
    planner = _Planner(catalog, seed, attempt)
    drafts = planner.penalty_drafts()
    if not _balance(drafts, RELIEF_TOTAL):
        return None
    drafts += planner.side_drafts() + planner.police_drafts()
    rng = planner.rng
    # Hearings (第六十三条、第六十四条): a few parties facing a large fine ask for one.
    heard = [
        d
        for d in drafts
        if d.kind == "ordinary"
        and d.org != "gaj"
        and d.department != d.org
        and d.outcome == Outcome.PENALTY
        and d.party.kind == "organization"
        and (d.fine or _ZERO) >= 20_000
        and not d.next_year
    ]
    for d in rng.sample(heard, min(8, len(heard))):
        d.hearing = True
    revocable = [
        d
        for d in drafts
        if d.org == "scjgj-zfdd"
        and d.kind == "ordinary"
        and not d.lenient
        and not d.hearing
        and not d.next_year
        and d.outcome == Outcome.PENALTY
        and d.fine
        and d.party.kind == "organization"
        and d.act_date.month <= 5
    ]
    rng.choice(revocable).revoked = True
    scheduler = _Scheduler(planner)
    specs = [_spec(planner, scheduler, d) for d in drafts]
    specs.sort(key=lambda s: (s.received_on, s.key))
    return CasesPlan(cases=tuple(specs), attempt=attempt)


def _spec(planner: _Planner, scheduler: _Scheduler, d: _Draft) -> CaseSpec:
    """The final spec of a draft: its steps and dates, its team, what the engine will say."""
    catalog = planner.catalog
    base = catalog.bases[d.scenario.key]
    rng = planner.rng
    decided = d.kind in ("ordinary", "summary")
    decision = catalog.evaluate(planner.raw(d)) if decided else None
    town = d.org in dict(county.TOWNSHIPS)
    options: dict[str, Any] = {
        # Optional reviews are the departments' practice; a township reviews what it must.
        "reviewer": not town,
        "publish": decided and scheduler.publishable(d),
        "hearing_room": f"{_org_name(d.department)}听证室",
        "participants": (
            "镇长（主持）、分管副镇长、综合行政执法办公室负责人、司法所所长"
            if town
            else "局长（主持）、分管副局长、法制机构负责人、办案机构负责人"
        ),
    }
    steps: list[Step] = []
    if decision is not None:
        options["facts"] = {k: v for k, v in planner.raw(d).items() if k != "item_code"}
        steps = scheduler.steps(d, decision, options)
        # The dates may have moved: evaluate again on the final facts (what assess will see).
        decision = catalog.evaluate(planner.raw(d))
        options["facts"] = {k: v for k, v in planner.raw(d).items() if k != "item_code"}
        steps = [
            replace(s, params={**s.params, "facts": options["facts"]})
            if s.action == "assess"
            else s
            for s in steps
        ]
    else:
        steps = scheduler.steps(d, None, options)
    decided_on = next((s.on for s in steps if s.action in ("decide", "decide_on_spot")), None)
    candidates = catalog.officers_on(
        d.org, d.received_on, steps[1].on if len(steps) > 1 else d.received_on
    )
    if len(candidates) < 2:
        raise PlanError(f"{d.org}在{d.received_on}没有两名有效执法人员")
    team = rng.sample(candidates, 3 if (d.fine or _ZERO) >= 100_000 and len(candidates) > 2 else 2)
    procedure = decision.procedure if decision is not None else None
    lenient = bool(decision.applied_entries) if decision is not None else False
    if lenient != d.lenient:
        raise PlanError(f"{d.key}：清单适用情况与计划不符")
    return CaseSpec(
        key=d.key,
        org=d.org,
        department=d.department,
        item_code=d.item_code,
        title=_title(d, base),
        source=d.source,
        source_detail=d.source_detail,
        facts_text=_facts_text(d, base),
        act_date=d.act_date,
        received_on=d.received_on,
        party=d.party,
        minor=d.minor,
        officers=tuple(o.certificate_number for o in team),
        summary=d.kind == "summary",
        facts=options.get("facts", {}),
        lenient_kind=d.lenient_kind if d.lenient else "",
        outcome=d.outcome if decided else "",
        penalty_types=d.penalty_types,
        fine=d.fine,
        confiscation=d.confiscation,
        lenient=lenient,
        baseline=catalog.baseline(planner.raw(d, proposal=False)) if lenient else None,
        hearing_right=bool(procedure and procedure.hearing_right),
        legal_review_required=bool(procedure and procedure.legal_review_required),
        discussion_required=bool(procedure and procedure.collective_discussion),
        decided_on=decided_on,
        published=any(s.action == "publish_decision" for s in steps),
        steps=tuple(sorted(steps, key=lambda s: s.on)),
    )


def _org_name(code: str) -> str:
    names = {c: n for c, n, _ in county.DEPARTMENTS}
    names.update(county.TOWNSHIPS)
    return names[code]


def plan_cases(*, seed: int = 2024, year: int = 2024) -> CasesPlan:
    """The cases of the demo year, from the catalog already in the database (no writes)."""
    if year != _YEAR_OF_CASES:
        raise PlanError(f"演示案件按{_YEAR_OF_CASES}年度报告编制，不支持{year}年")
    catalog = _Catalog(year)
    for attempt in range(_ATTEMPTS):
        plan = _plan_once(catalog, seed, attempt)
        if plan is not None:
            _check_plan(plan)
            return plan
    raise PlanError(f"{_ATTEMPTS}次规划都无法使减免金额恰为{RELIEF_TOTAL}元")


def _check_plan(plan: CasesPlan) -> None:
    counted = plan.counted()
    lenient = [c for c in counted if c.lenient]
    relief = sum((c.relief for c in lenient), _ZERO)
    police = [c for c in plan.cases if c.police and c.received_on.year == _YEAR_OF_CASES]
    problems = []
    if len(counted) != PENALTY_CASES:
        problems.append(f"行政处罚案件{len(counted)}件，应为{PENALTY_CASES}件")
    if len(lenient) != LENIENT_CASES:
        problems.append(f"适用“四张清单”案件{len(lenient)}件，应为{LENIENT_CASES}件")
    if relief != RELIEF_TOTAL:
        problems.append(f"减免金额{relief}元，应为{RELIEF_TOTAL}元")
    if len(police) != POLICE_CASES:
        problems.append(f"公安行政案件{len(police)}件，应为{POLICE_CASES}件")
    if problems:
        raise PlanError("；".join(problems))


# --- The build ------------------------------------------------------------------------------------


def _jpeg(text: str) -> bytes:
    """A tiny JPEG (SOI, JFIF header, a comment naming the shot, EOI): evidence of the scene."""
    comment = text.encode()
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\xff\xfe"
        + (len(comment) + 2).to_bytes(2, "big")
        + comment
        + b"\xff\xd9"
    )


def _mp4(text: str) -> bytes:
    """A tiny MP4 (an ftyp box and a free box naming the recording)."""
    payload = text.encode()
    return (
        b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
        + (8 + len(payload)).to_bytes(4, "big")
        + b"free"
        + payload
    )


class _Runner:
    """Replays the plan through the services, all cases together in the order of the days."""

    def __init__(self, plan: CasesPlan) -> None:
        self.plan = plan
        usernames: set[str] = set()
        for c in plan.cases:
            usernames |= {f"{c.org}_zf1", f"{c.department}_fzr", f"{c.department}_fzsh"}
        self.users = User.objects.in_bulk(list(usernames), field_name="username")
        codes = {c.org for c in plan.cases}
        self.orgs = Organization.objects.in_bulk(list(codes), field_name="code")
        self.items = EnforcementItem.objects.in_bulk(
            list({c.item_code for c in plan.cases}), field_name="code"
        )
        self.officers = Officer.objects.in_bulk(
            list({n for c in plan.cases for n in c.officers}), field_name="certificate_number"
        )
        self.cases: dict[str, PenaltyCase] = {}
        self.steps = 0

    def events(self) -> Iterator[tuple[CaseSpec, Step]]:
        order = [
            (step.on, n, i, spec, step)
            for n, spec in enumerate(self.plan.cases)
            for i, step in enumerate(spec.steps)
        ]
        order.sort(key=lambda e: (e[0], e[1], e[2]))
        for _on, _n, _i, spec, step in order:
            yield spec, step

    def actor(self, spec: CaseSpec, role: str) -> User:
        username = {
            "handler": f"{spec.org}_zf1",
            "head": f"{spec.department}_fzr",
            "reviewer": f"{spec.department}_fzsh",
        }[role]
        user = self.users.get(username)
        if user is None:
            raise PlanError(f"演示账号{username}不存在")
        return user

    def run(self, say: Progress) -> None:
        month = 0
        for spec, step in self.events():
            if step.on.month != month:
                month = step.on.month
                say(f"行政处罚案件：办理{step.on.year}年{month}月的案件")
            try:
                self.do(spec, step)
            except DomainError as exc:
                raise PlanError(
                    f"演示案件{spec.key}（{spec.title}）在{step.on}“{step.action}”时被拒绝：{exc}"
                ) from exc
            self.steps += 1

    def do(self, spec: CaseSpec, step: Step) -> None:  # noqa: C901 - one branch per service
        actor = self.actor(spec, step.role)
        params = dict(step.params)
        if step.action == "receive_lead":
            self.cases[spec.key] = services.receive_lead(
                actor=actor,
                organization=self.orgs[spec.org],
                item=self.items[spec.item_code],
                title=spec.title,
                source=spec.source,
                act_date=spec.act_date,
                discovered_date=spec.received_on,
                on=step.on,
                parties=[spec.party],
                officers=[self.officers[n] for n in spec.officers],
                source_detail=spec.source_detail,
                facts_text=spec.facts_text,
            )
            return
        if step.action == "decide_on_spot":
            case = services.decide_on_spot(
                actor=actor,
                organization=self.orgs[spec.org],
                item=self.items[spec.item_code],
                title=spec.title,
                act_date=spec.act_date,
                on=step.on,
                party=spec.party,
                officers=[self.officers[n] for n in spec.officers],
                penalty_types=list(spec.penalty_types),
                fine=spec.fine,
                facts=spec.facts,
                facts_text=spec.facts_text,
            )
            self.cases[spec.key] = case
            _check_evaluation(spec, case)
            return
        case = self.cases[spec.key]
        if step.action == "add_evidence":
            self.add_evidence(spec, case, step.on, str(params["evidence"]))
            return
        if step.action == "record_remedy":
            services.record_remedy(actor=actor, case=case, **params)
            return
        if step.action == "schedule_hearing":
            params["host"] = self.actor(spec, "reviewer")
        outcome = getattr(services, step.action)(actor=actor, case=case, on=step.on, **params)
        if isinstance(outcome, PenaltyCase):
            self.cases[spec.key] = outcome
            if step.action == "assess":
                _check_evaluation(spec, outcome)

    def add_evidence(self, spec: CaseSpec, case: PenaltyCase, on: dt.date, what: str) -> None:
        """Small generated files: photos (or body-camera video) of the scene, the interview."""
        actor = self.actor(spec, "handler")
        if what == "on_site" and not spec.police:
            files = [
                UploadedFile(
                    BytesIO(_jpeg(f"{case.number} 现场照片{i}")), f"现场{i}.jpg", "image/jpeg"
                )
                for i in (1, 2)
            ]
            kind, medium, title = EvidenceKind.RECORD, Medium.PHOTO, "现场检查照片"
        elif what == "on_site":
            files = [
                UploadedFile(BytesIO(_mp4(f"{case.number} 执法记录仪")), "现场.mp4", "video/mp4")
            ]
            kind, medium, title = EvidenceKind.AUDIOVISUAL, Medium.VIDEO, "执法记录仪现场录像"
        else:
            files = [UploadedFile(BytesIO(_mp4(f"{case.number} 询问")), "询问.mp4", "video/mp4")]
            kind, medium, title = EvidenceKind.AUDIOVISUAL, Medium.VIDEO, "询问当事人同步录音录像"
        services.add_evidence(
            actor=actor,
            case=case,
            files=files,
            kind=kind,
            medium=medium,
            title=title,
            on=on,
            activity="on_site" if what == "on_site" else "evidence_collection",
        )


def _check_evaluation(spec: CaseSpec, case: PenaltyCase) -> None:
    """The services must have evaluated the case as the plan did (same engine, same inputs)."""
    found = {
        "lenient": case.lenient,
        "baseline": case.baseline_fine,
        "hearing_right": case.hearing_right,
        "legal_review_required": case.legal_review_required,
        "discussion_required": case.discussion_required,
    }
    wanted = {
        "lenient": spec.lenient,
        "baseline": spec.baseline,
        "hearing_right": spec.hearing_right,
        "legal_review_required": spec.legal_review_required,
        "discussion_required": spec.discussion_required,
    }
    if found != wanted:
        raise PlanError(f"{spec.key}（{case.number}）裁量计算与计划不符：{found} ≠ {wanted}")


def _verify(year: int) -> CasesResult:
    """The figures, computed from the records as the indicators compute them."""
    root = Organization.objects.get(code=county.COUNTY[0])
    period, scope = Period.year(year), Scope(root)
    police = police_cases(period, scope)
    result = CasesResult(
        penalty_cases=penalty_cases(period, scope).count(),
        lenient_cases=lenient_cases(period, scope).count(),
        relief=relief_total(period, scope),
        police_cases=police.count(),
        cases=PenaltyCase.objects.count(),
    )
    concluded = police.filter(status__in=[s.value for s in CONCLUDED]).count()
    problems = []
    if result.penalty_cases != PENALTY_CASES:
        problems.append(f"行政处罚案件{result.penalty_cases}件，应为{PENALTY_CASES}件")
    if result.lenient_cases != LENIENT_CASES:
        problems.append(f"适用“四张清单”案件{result.lenient_cases}件，应为{LENIENT_CASES}件")
    if result.relief != RELIEF_TOTAL:
        problems.append(f"减免金额{result.relief}元，应为{RELIEF_TOTAL}元")
    if result.police_cases != POLICE_CASES or concluded != POLICE_CASES:
        problems.append(
            f"公安行政案件受理{result.police_cases}件、结案{concluded}件，应均为{POLICE_CASES}件"
        )
    if problems:
        raise PlanError("演示案件未达到报告数字：" + "；".join(problems))
    return result


def build_cases(*, seed: int, year: int = 2024, progress: Progress | None = None) -> CasesResult:
    """Plan the year's cases and handle them through the services; check the report's figures."""
    from fazhi.cases.models import CaseDocument

    say = progress or (lambda message: None)
    started = time.monotonic()
    say("行政处罚案件：依据执法事项、“四张清单”和裁量基准编排案件")
    plan = plan_cases(seed=seed, year=year)
    planned = time.monotonic() - started
    say(
        f"行政处罚案件：共{len(plan.cases)}件（其中公安行政案件"
        f"{sum(1 for c in plan.cases if c.police)}件），规划用时{planned:.1f}秒"
    )
    runner = _Runner(plan)
    runner.run(say)
    result = _verify(year)
    result.steps = runner.steps
    result.documents = CaseDocument.objects.count()
    result.seconds = time.monotonic() - started
    say(
        f"行政处罚案件办结：行政处罚案件{result.penalty_cases}件，适用“四张清单”"
        f"{result.lenient_cases}件，减免金额{result.relief / 10000:.2f}万元；公安行政案件"
        f"{result.police_cases}件；共{result.steps}个办案环节、{result.documents}份文书，"
        f"用时{result.seconds:.1f}秒"
    )
    return result
