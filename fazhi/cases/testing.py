"""Cases on top of the catalog test cast, built through the services (tests only).

`CaseCast` adds a second certified officer to department A (so a case has the two officers of
第四十二条) and `walk(cc, to=Status.X)` takes a fresh ordinary-procedure case from 案源 to the
state asked for, step by step, as its users would.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from stdnum.cn import ric

from fazhi.cases import services
from fazhi.cases.models import CaseSource, PenaltyCase
from fazhi.cases.services import PartyInput, UploadedFile
from fazhi.cases.workflow import Status
from fazhi.catalog import services as catalog_services
from fazhi.catalog.models import Officer
from fazhi.catalog.testing import CatalogCast, build_catalog, credit_code
from fazhi.core.testing import Cast

D = dt.date
START = D(2024, 3, 1)  # the default day a test case is received


def resident_id(n: int, birth: str = "19850101", area: str = "220422") -> str:
    """A valid 居民身份证号码 (GB 11643) numbered n. stdnum also checks that the area code
    existed in the birth year (东辽县 220422 from 1983), so birth years start there."""
    body = f"{area}{birth}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check digit


COMPANY = PartyInput(
    kind="organization",
    name="测试县某某商贸有限公司",
    id_number=credit_code(900),
    legal_representative="王某某",
    phone="13812345678",
    address="吉林省辽源市东辽县白泉镇光明村3组15号",
)
PERSON = PartyInput(
    kind="individual",
    name="李小明",
    id_number=resident_id(17),
    phone="13912345678",
    address="吉林省辽源市东辽县渭津镇和平村2组8号",
)


@dataclass
class CaseCast:
    catalog: CatalogCast
    second_officer: Officer

    @property
    def cast(self) -> Cast:
        return self.catalog.cast

    @property
    def officers(self) -> list[Officer]:
        return [self.catalog.officer_a, self.second_officer]


def build_cases(cast: Cast) -> CaseCast:
    catalog = build_catalog(cast)
    second = catalog_services.create_officer(
        actor=cast.rule_of_law_office,
        organization=cast.department_a,
        name="陈协办",
        certificate_number="22040003",
        issuing_authority="吉林省人民政府",
        valid_from=D(2023, 1, 1),
        valid_until=D(2028, 12, 31),
        fields="市场监管",
    )
    return CaseCast(catalog=catalog, second_officer=second)


def add_photo(cc: CaseCast, case: PenaltyCase, *, on: D, activity: str = "on_site") -> None:
    """One small photo of the scene as evidence (the decision must state its evidence)."""
    services.add_evidence(
        actor=cc.cast.officer,
        case=case,
        files=[UploadedFile(BytesIO(f"photo of {case.number}".encode()), "现场.jpg", "image/jpeg")],
        kind="record",
        medium="photo",
        title="现场检查照片",
        on=on,
        activity=activity,
    )


# The order in which `walk` passes the states of the ordinary procedure.
ORDINARY_PATH = (
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
    Status.ARCHIVED,
)

ORDINARY_FACTS = {"severity": "serious", "harm": "ordinary"}


def new_lead(
    cc: CaseCast, *, on: D = START, party: PartyInput = COMPANY, key: str | None = None
) -> PenaltyCase:
    cast = cc.cast
    return services.receive_lead(
        actor=cast.officer,
        organization=cast.department_a,
        item=cc.catalog.item_a,
        title="未按规定公示年度报告",
        source=CaseSource.INSPECTION,
        act_date=on - dt.timedelta(days=30),
        discovered_date=on,
        on=on,
        parties=[party],
        officers=cc.officers,
        facts_text="经查，当事人未按规定于2023年6月30日前公示2022年度报告。",
        idempotency_key=key,
    )


def walk(  # noqa: C901 - one branch per state, in order, is the clearest form here
    cc: CaseCast,
    to: Status,
    *,
    on: D = START,
    party: PartyInput = COMPANY,
    facts: dict[str, object] | None = None,
    fine: Decimal = Decimal(40000),
) -> PenaltyCase:
    """A case in state ``to`` along the ordinary path (with 法制审核), dated from ``on``."""
    cast = cc.cast
    head, officer, reviewer = cast.department_head, cast.officer, cast.legal_reviewer
    case = new_lead(cc, on=on, party=party)
    if to == Status.LEAD:
        return case
    day = on
    case = services.register(actor=head, case=case, on=day)
    add_photo(cc, case, on=day)
    if to == Status.INVESTIGATING:
        return case
    day += dt.timedelta(days=10)
    case = services.assess(actor=officer, case=case, facts=facts or ORDINARY_FACTS, on=day)
    case = services.submit_for_examination(actor=officer, case=case, on=day, report="调查终结")
    if to == Status.EXAMINING:
        return case
    day += dt.timedelta(days=3)
    case = services.notify(actor=officer, case=case, on=day, penalty_types=["fine"], fine=fine)
    if to == Status.NOTIFIED:
        return case
    case = services.record_statement(actor=officer, case=case, on=day, waived=True)
    case = services.conclude_statement(actor=officer, case=case, on=day)
    if to == Status.READY:
        return case
    services.submit_legal_review(actor=officer, case=case, on=day)
    case.refresh_from_db()
    if to == Status.LEGAL_REVIEW:
        return case
    day += dt.timedelta(days=2)
    services.pass_legal_review(actor=reviewer, case=case, on=day, comments="同意")
    case.refresh_from_db()
    if case.discussion_required:
        services.record_discussion(
            actor=head, case=case, on=day, participants="局长、副局长", conclusion="同意"
        )
    case = services.decide(actor=head, case=case, on=day, penalty_types=["fine"], fine=fine)
    if to == Status.DECIDED:
        return case
    day += dt.timedelta(days=1)
    case = services.serve(actor=officer, case=case, on=day, method="direct", recipient="王某某")
    if to == Status.SERVED:
        return case
    day += dt.timedelta(days=5)
    case = services.record_payment(actor=officer, case=case, on=day, amount=fine)
    if to == Status.EXECUTED:
        return case
    case = services.close(actor=head, case=case, on=day, summary="罚款已缴纳，案件办结")
    if to == Status.CLOSED:
        return case
    case = services.archive(actor=officer, case=case, on=day)
    if to == Status.ARCHIVED:
        return case
    raise ValueError(f"walk() does not reach {to}")
