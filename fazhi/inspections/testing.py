"""A small 双随机 setting on top of the catalog test cast, built through the services (tests).

Department A (市场监管) has a 食品 inspection item, four inspectors (the cast's officer among
them, one stationed in township 1) and a published departmental plan of this year with one
task; department B (生态环境) has one inspector. The directory holds 40 restaurants (餐饮)
spread over two townships and the four risk classes, and two shops (零售) outside the plan's
industries. ``draw(ic, task)`` commits and reveals a task's draw with today's randomness.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from stdnum.cn import uscc

from fazhi.catalog import services as catalog_services
from fazhi.catalog.models import Officer
from fazhi.catalog.testing import CatalogCast, build_catalog
from fazhi.core import services as core_services
from fazhi.core.choices import OrgKind
from fazhi.core.models import Organization, User
from fazhi.core.testing import Cast
from fazhi.draws.services import AssignmentRules
from fazhi.inspections import services
from fazhi.inspections.models import Entity, InspectionItem, Inspector, Plan, Task

SOURCE = "中国福利彩票双色球开奖号码（按开奖顺序）"
RANDOMNESS = "03 07 12 19 25 31 09"
EVIDENCE = "https://www.cwl.gov.cn/ 当期开奖公告"
RATIOS = {"A": "0.1", "B": "0.2", "C": "0.5", "D": "1"}
RISK_CYCLE = "AAAABBBCCD"  # 40 restaurants: 16 A, 12 B, 8 C, 4 D


def entity_code(n: int) -> str:
    """A valid 统一社会信用代码 of an enterprise (工商 9, 企业 1) numbered n."""
    body = f"91220422{n:09d}"
    return body + uscc.calc_check_digit(body)


def today() -> dt.date:
    return timezone.localdate()


@dataclass
class InspectionCast:
    catalog: CatalogCast
    township2: Organization
    item: InspectionItem
    officers: list[Officer]  # department A: officer_a, 3 more; then department B's
    inspectors: list[Inspector]
    entities: list[Entity]
    shops: list[Entity]
    plan: Plan
    task: Task
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def cast(self) -> Cast:
        return self.catalog.cast

    @property
    def head(self) -> User:
        return self.cast.department_head


def _officer(
    cast: Cast, org: Organization, name: str, number: str, *, reuse: bool = False
) -> Officer:
    if reuse:
        found = Officer.objects.filter(certificate_number=number).first()
        if found is not None:
            return found
    return catalog_services.create_officer(
        actor=cast.rule_of_law_office,
        organization=org,
        name=name,
        certificate_number=number,
        issuing_authority="吉林省人民政府",
        valid_from=dt.date(2020, 1, 1),
        valid_until=today() + dt.timedelta(days=3 * 365),
        fields="市场监管",
    )


def build_inspections(
    cast: Cast, *, entities: int = 40, catalog: CatalogCast | None = None
) -> InspectionCast:
    """The setting above; on ``catalog`` when given (a catalog already built, e.g. by the
    permission matrix), whose officers with the same certificate numbers are then reused."""
    reuse = catalog is not None
    catalog = catalog or build_catalog(cast)
    head = cast.department_head
    township2 = core_services.create_organization(
        actor=cast.system_admin,
        code="xz2",
        name="测试乡人民政府",
        kind=OrgKind.TOWNSHIP,
        parent=cast.county,
    )
    item = services.save_item(
        actor=head,
        organization=cast.department_a,
        code="SCJ-CC-001",
        name="食品经营者监督检查",
        kind="general",
        basis="《中华人民共和国食品安全法》第一百一十条",
        qualification="食品",
        content="许可证、从业人员健康证明、进货查验记录",
        catalog_items=[catalog.item_a],
    )
    officers = [
        catalog.officer_a,
        _officer(cast, cast.department_a, "陈协办", "22040003", reuse=reuse),
        _officer(cast, cast.department_a, "刘检查", "22040004", reuse=reuse),
        _officer(cast, cast.department_a, "马检查", "22040005", reuse=reuse),
        _officer(cast, cast.department_b, "周环保", "22050001", reuse=reuse),
    ]
    townships = [None, None, cast.township, None]
    inspectors = [
        services.save_inspector(
            actor=head, officer=o, qualifications=["食品", "市场监管"], township=t
        )
        for o, t in zip(officers[:4], townships, strict=True)
    ]
    inspectors.append(
        services.save_inspector(
            actor=cast.rule_of_law_office, officer=officers[4], qualifications=["生态环境"]
        )
    )
    made = [
        services.save_entity(
            actor=head,
            credit_code=entity_code(i),
            name=f"测试县第{i}餐馆",
            industry="餐饮",
            township=cast.township if i % 2 else township2,
            risk_class=RISK_CYCLE[i % len(RISK_CYCLE)],
            kind="个体工商户",
        )
        for i in range(entities)
    ]
    shops = [
        services.save_entity(
            actor=head,
            credit_code=entity_code(900 + i),
            name=f"测试县第{i}商店",
            industry="零售",
            township=cast.township,
            risk_class="A",
        )
        for i in range(2)
    ]
    year = today().year
    plan = services.create_plan(
        actor=head,
        organization=cast.department_a,
        kind="department",
        year=year,
        number=f"SCJ-{year}-01",
        title=f"{year}年食品经营者双随机抽查计划",
        items=[item],
        ratios=RATIOS,
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
        industries=["餐饮"],
    )
    services.publish_plan(actor=head, plan=plan, on=today())
    task = services.add_task(
        actor=head,
        plan=plan,
        number=f"SCJ-{year}-01-1",
        title=f"{year}年餐饮服务抽查",
        due_on=dt.date(year, 12, 31),
    )
    return InspectionCast(
        catalog=catalog,
        township2=township2,
        item=item,
        officers=officers,
        inspectors=inspectors,
        entities=made,
        shops=shops,
        plan=plan,
        task=task,
    )


def draw(
    ic: InspectionCast,
    task: Task | None = None,
    *,
    rules: AssignmentRules | None = None,
    randomness: str = RANDOMNESS,
    actor: User | None = None,
) -> Task:
    """Commit and reveal the task's draw (randomness due today)."""
    task = task or ic.task
    actor = actor or ic.head
    services.commit_draw(
        actor=actor, task=task, randomness_source=SOURCE, randomness_due=today(), rules=rules
    )
    return services.reveal_draw(actor=actor, task=task, value=randomness, evidence=EVIDENCE)
