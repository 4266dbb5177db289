"""The demo county's 2024 双随机、一公开, built through the services (issue 5 §8).

Seed report: “全年开展‘双随机、一公开’抽查任务69个，其中部门计划41个，跨部门联合计划28个，
跨部门占比40.58%”. In order, as a county would do it:

1. 一单两库: the justice bureau (依法治县办) enters each department's inspection items (linked
   to the department's catalog items, whose legal basis they cite) and puts the certified
   officers of the departments and their enforcement units into the inspector directory, a
   few with declared relationships; the entity directory (about 20,000 market entities)
   comes in as one CSV import in the shape of the credit publicity system's export, validated
   and applied through the import machinery (one ledger event).
2. Plans: 41 departmental and 28 joint plans (:mod:`fazhi.demo.inspections_data`), each with
   one task, published by the leading department's head.
3. Draws: each task's draw is committed on a working day, naming the evening's 中国福利彩票
   “快乐8” draw as its randomness, and revealed that evening. The lottery numbers are the
   demo's own (deterministic for the seed), not the real draws of those days.
4. Results: every drawn entity inspected within the task's period, outcomes in the shares of
   the data module, results published within the deadline (a few late, as happens).

Every figure is then counted by the indicators from these records.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from stdnum.cn import uscc

from fazhi.catalog.models import EnforcementItem, Officer
from fazhi.core.calendar import database_calendar
from fazhi.core.choices import OrgKind
from fazhi.core.errors import DomainError
from fazhi.core.models import Organization, User
from fazhi.demo import county
from fazhi.demo.inspections_data import (
    DEPARTMENT_PLANS,
    ENTITIES,
    HALVES,
    INDIVIDUAL_SHARE,
    INDUSTRIES,
    ITEMS,
    JOINT_PLANS,
    OUTCOME_SHARES,
    PLAN_RATIOS,
    QUALIFICATIONS,
    RISK_SHARES,
)
from fazhi.draws.services import AssignmentRules
from fazhi.inspections import excel, imports
from fazhi.inspections import services as inspections
from fazhi.inspections.models import (
    Entity,
    InspectionItem,
    InspectionRecord,
    Inspector,
    ItemKind,
    Plan,
    PlanKind,
    TaskStatus,
)
from fazhi.rules.calendar import WorkdayCalendar

Progress = Callable[[str], None]
TZ = ZoneInfo("Asia/Shanghai")
RELATIONSHIPS = 40  # declared by inspectors (回避), spread over the directory
LOTTERY = "中国福利彩票“快乐8”第{issue}期开奖号码（{day}晚21时30分开奖，20个号码按开奖顺序）"
LOTTERY_EVIDENCE = "https://www.cwl.gov.cn/ygkj/wqkjgg/kl8/ 第{issue}期开奖公告（演示数据）"
FINDINGS = {
    "rectify": "现场检查发现{problem}，已当场责令限期整改。",
    "failed": "现场检查发现{problem}，已依法作出处理。",
    "referred": "现场检查发现{problem}，涉嫌违法，已移送立案调查。",
}
PROBLEMS = (
    "从业人员健康证明过期",
    "未按规定公示营业执照",
    "进货查验记录不全",
    "安全警示标志缺失",
    "台账记录不完整",
    "超出许可范围经营",
)


@dataclass
class InspectionsResult:
    entities: int = 0
    items: int = 0
    inspectors: int = 0
    plans: int = 0
    tasks: int = 0
    records: int = 0


def _credit_code(serial: int, individual: bool) -> str:
    # 92 = 工商 individual business, 91 = enterprise; 220422 = 东辽县 (GB 32100-2015).
    body = f"{'92' if individual else '91'}220422{serial:09d}"
    return body + uscc.calc_check_digit(body)


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


class _Builder:
    def __init__(self, *, seed: int, year: int, actor: User, say: Progress) -> None:
        self.rng = random.Random(f"fazhi-demo-inspections:{seed}:{year}")  # noqa: S311 - demo data
        self.year = year
        self.actor = actor  # 依法治县办: county-wide directories
        self.say = say
        self.calendar: WorkdayCalendar = database_calendar([year, year + 1])
        self.departments = {
            o.code: o for o in Organization.objects.filter(code__in=list(QUALIFICATIONS))
        }
        self.townships = list(Organization.objects.filter(kind=OrgKind.TOWNSHIP).order_by("code"))
        self.heads = {code: User.objects.get(username=f"{code}_fzr") for code in self.departments}
        self.items: dict[str, list[tuple[InspectionItem, tuple[str, ...]]]] = {}
        self.result = InspectionsResult()

    # --- days -----------------------------------------------------------------------------

    def workday(self, month: int, day: int) -> dt.date:
        """The first working day on or after the given day of the year."""
        d = dt.date(self.year, month, day)
        while not self.calendar.is_workday(d):
            d += dt.timedelta(days=1)
        return d

    def after(self, start: dt.date, workdays: int) -> dt.date:
        d = start
        while workdays > 0:
            d += dt.timedelta(days=1)
            if self.calendar.is_workday(d):
                workdays -= 1
        return d

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)

    # --- 一单两库 ----------------------------------------------------------------------------

    def build_items(self) -> None:
        for code, rows in ITEMS.items():
            department = self.departments[code]
            catalog = list(
                EnforcementItem.objects.filter(
                    organization__path__startswith=department.path
                ).order_by("code")[: len(rows)]
            )
            made = []
            for n, (name, kind, qualification, industries) in enumerate(rows, 1):
                linked = catalog[(n - 1) % len(catalog)] if catalog else None
                basis = linked.citation if linked else f"{department.name}职责所涉法律法规"
                item = inspections.save_item(
                    actor=self.actor,
                    organization=department,
                    code=f"{code.upper()}-CC-{n:03d}",
                    name=name,
                    kind=ItemKind(kind),
                    basis=basis,
                    qualification=qualification,
                    content=f"{name.removesuffix('的检查')}情况",
                    catalog_items=[linked] if linked else [],
                )
                made.append((item, industries))
                self.result.items += 1
            self.items[code] = made

    def build_inspectors(self) -> None:
        officers = Officer.objects.select_related("organization").order_by("certificate_number")
        start = dt.date(self.year, 1, 2)
        for officer in officers:
            code = next(
                (
                    c
                    for c, d in self.departments.items()
                    if officer.organization.path.startswith(d.path)
                ),
                None,
            )
            if code is None or officer.certificate_problem(start):
                continue
            # Some officers of the enforcement units are stationed in a township (派驻); a
            # department's own two or three officers are not, so the township rule can hold.
            stationed = officer.organization.kind == OrgKind.ENFORCEMENT_UNIT
            township = (
                self.rng.choice(self.townships) if stationed and self.rng.random() < 0.3 else None
            )
            inspections.save_inspector(
                actor=self.actor,
                officer=officer,
                qualifications=QUALIFICATIONS[code],
                township=township,
                on=start,
            )
            self.result.inspectors += 1

    def build_entities(self) -> None:
        """The directory as the credit publicity system exports it, imported in one go."""
        spec = excel.ENTITY_SHEET
        rows = []
        industries = [(name, share) for name, share, _, _ in INDUSTRIES]
        licences = {name: lic for name, _, lic, _ in INDUSTRIES}
        for serial in range(1, ENTITIES + 1):
            individual = self.rng.random() < INDIVIDUAL_SHARE
            industry = _weighted(self.rng, industries)
            township = self.rng.choice(self.townships)
            town = township.name.removesuffix("人民政府")
            code = _credit_code(serial, individual)
            name = (
                f"东辽县{town}{_shop_name(self.rng)}{_SUFFIX[industry]}"
                if individual
                else f"东辽县{_firm_name(self.rng)}{_FIRM_SUFFIX[industry]}有限公司"
            )
            values = {
                "credit_code": code,
                "name": name,
                "kind": "个体工商户" if individual else "有限责任公司",
                "industry": industry,
                "township": township.name,
                "address": f"吉林省辽源市东辽县{town}{self.rng.randint(1, 30)}组",
                "risk_class": _weighted(self.rng, RISK_SHARES),
                "licences": "、".join(
                    f"{lic}（{code[-6:]}）" if lic != "营业执照" else lic
                    for lic in licences[industry]
                ),
                "status": excel.ACTIVE,
            }
            rows.append([c.to_cell(values.get(c.key)) for c in spec.columns])
        data = excel.build_csv(excel.ENTITIES, rows)
        job = imports.start_import(
            actor=self.actor,
            kind=excel.ENTITIES,
            file=io.BytesIO(data),
            original_name=f"东辽县市场主体名录（公示系统导出）{self.year}.csv",
            size=len(data),
            content_type="text/csv",
            dispatch=False,
        )
        job = imports.validate_job(job.pk)
        if job.errors:
            raise DomainError(f"演示名录导入未通过校验：{job.errors[:3]}")
        job = imports.request_apply(actor=self.actor, job=job, dispatch=False)
        job = imports.apply_job(job.pk)
        self.result.entities = Entity.objects.count()
        if self.result.entities != ENTITIES:
            raise DomainError(
                f"演示名录导入后有 {self.result.entities} 个检查对象，应为 {ENTITIES}"
            )

    def build_relationships(self) -> None:
        # Declared by officers of the enforcement units (large pools), so a recusal never
        # leaves a small department without two inspectors.
        inspectors = list(
            Inspector.objects.filter(officer__organization__kind=OrgKind.ENFORCEMENT_UNIT).order_by(
                "officer__certificate_number"
            )
        )
        entities = list(Entity.objects.order_by("credit_code").values_list("pk", flat=True))
        for n in range(RELATIONSHIPS):
            inspector = inspectors[(n * 7) % len(inspectors)]
            entity = Entity.objects.get(pk=self.rng.choice(entities))
            inspections.declare_relationship(
                actor=self.actor,
                inspector=inspector,
                entity=entity,
                description=self.rng.choice(
                    ("近亲属经营", "曾在该企业任职", "同学关系", "亲属持股")
                ),
            )

    # --- plans, draws, results --------------------------------------------------------------

    def plans(self) -> list[tuple[str, Plan, tuple[str, ...]]]:
        made: list[tuple[str, Plan, tuple[str, ...]]] = []
        abbr = {code: county_name(code) for code in self.departments}
        for code, count in DEPARTMENT_PLANS.items():
            items = self.items[code]
            for n in range(count):
                item, industries = items[n % len(items)]
                first, last = (3, 6) if n % 2 == 0 else (8, 11)
                made.append(
                    (
                        code,
                        self._plan(
                            lead=code,
                            others=(),
                            number=f"{abbr[code]}随机抽查〔{self.year}〕{n + 1}号",
                            title=f"{self.year}年{item.name.removesuffix('的检查')}随机抽查计划",
                            items=[item],
                            industries=industries,
                            months=(first, last),
                        ),
                        industries,
                    )
                )
        for n, (stem, lead, others) in enumerate(JOINT_PLANS):
            for half, (label, first, last) in enumerate(HALVES):
                chosen = [self.items[lead][0]] + [self.items[o][0] for o in others]
                industries = tuple(dict.fromkeys(i for _, ind in chosen for i in ind))
                made.append(
                    (
                        lead,
                        self._plan(
                            lead=lead,
                            others=others,
                            number=f"东辽联合抽查〔{self.year}〕{2 * n + half + 1}号",
                            title=f"{self.year}年{label}{stem}",
                            items=[i for i, _ in chosen],
                            industries=industries,
                            months=(first, last),
                        ),
                        industries,
                    )
                )
        return made

    def _plan(
        self,
        *,
        lead: str,
        others: Sequence[str],
        number: str,
        title: str,
        items: Sequence[InspectionItem],
        industries: Sequence[str],
        months: tuple[int, int],
    ) -> Plan:
        head = self.heads[lead]
        starts_on = self.workday(months[0], 1)
        ends_on = dt.date(self.year, months[1] + 1, 1) - dt.timedelta(days=1)
        plan = inspections.create_plan(
            actor=head,
            organization=self.departments[lead],
            kind=PlanKind.JOINT if others else PlanKind.DEPARTMENT,
            year=self.year,
            number=number,
            title=title,
            items=items,
            ratios=PLAN_RATIOS,
            starts_on=starts_on,
            ends_on=ends_on,
            departments=[self.departments[o] for o in others],
            industries=industries,
        )
        inspections.publish_plan(actor=head, plan=plan, on=starts_on)
        self.result.plans += 1
        return plan

    def run_task(self, lead: str, plan: Plan, serial: int) -> None:
        head = self.heads[lead]
        task = inspections.add_task(
            actor=head,
            plan=plan,
            number=f"{plan.number}-1",
            title=plan.title.replace("计划", "任务"),
            due_on=plan.ends_on,
        )
        self.result.tasks += 1
        # Committed on a working day a week after publication, the evening's lottery named.
        day = self.after(plan.starts_on, 5 + serial % 5)
        issue = f"{self.year}{day.timetuple().tm_yday:03d}"
        inspections.commit_draw(
            actor=head,
            task=task,
            randomness_source=LOTTERY.format(issue=issue, day=f"{day:%Y年%m月%d日}"),
            randomness_due=day,
            rules=AssignmentRules(
                per_task=max(2, len({i.qualification for i in plan.items.all()})),
                substitutes=2,
                same_township=False,
                max_pairings=2,
            ),
            at=self.at(day, 9, 30),
        )
        numbers = sorted(self.rng.sample(range(1, 81), 20))
        task = inspections.reveal_draw(
            actor=head,
            task=task,
            value=" ".join(f"{n:02d}" for n in numbers),
            evidence=LOTTERY_EVIDENCE.format(issue=issue),
            at=self.at(day, 21, 45),
        )
        if task.status != TaskStatus.DRAWN:
            raise DomainError(
                f"演示抽取未完成：{task.title}：{task.draw.failure if task.draw else ''}"
            )
        records = list(InspectionRecord.objects.filter(task=task).order_by("pk"))
        last = day
        for rec in records:
            inspected_on = self.after(day, self.rng.randint(3, 40))
            inspected_on = min(inspected_on, plan.ends_on)
            last = max(last, inspected_on)
            outcome = _weighted(self.rng, OUTCOME_SHARES)
            findings = (
                FINDINGS[outcome].format(problem=self.rng.choice(PROBLEMS))
                if outcome in FINDINGS
                else ""
            )
            inspections.record_result(
                actor=head,
                record=rec,
                inspected_on=inspected_on,
                outcome=outcome,
                findings=findings,
            )
            self.result.records += 1
        # Published within the 20 working days as a rule; one task in ten a little late.
        delay = self.rng.randint(25, 30) if serial % 10 == 9 else self.rng.randint(2, 15)
        inspections.publish_results(actor=head, task=task, on=self.after(last, delay))


_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林"
_WORDS = "鑫盛隆源兴旺丰泰福顺华宏达昌永富恒利和佳"
_SUFFIX: Mapping[str, str] = {
    "批发和零售业": "商店",
    "住宿和餐饮业": "饭店",
    "食品制造业": "食品加工坊",
    "农、林、牧、渔业": "养殖场",
    "制造业": "加工厂",
    "交通运输业": "运输户",
    "建筑业": "建筑队",
    "居民服务业": "便民服务部",
    "文化、体育和娱乐业": "歌厅",
    "卫生和社会工作": "诊所",
    "危险化学品经营": "化工商店",
    "药品零售": "药店",
}
_FIRM_SUFFIX: Mapping[str, str] = {
    "批发和零售业": "商贸",
    "住宿和餐饮业": "餐饮管理",
    "食品制造业": "食品",
    "农、林、牧、渔业": "农业发展",
    "制造业": "机械制造",
    "交通运输业": "物流",
    "建筑业": "建筑工程",
    "居民服务业": "家政服务",
    "文化、体育和娱乐业": "文化传媒",
    "卫生和社会工作": "医疗管理",
    "危险化学品经营": "化工",
    "药品零售": "医药连锁",
}


def _shop_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "记" + rng.choice(_WORDS)


def _firm_name(rng: random.Random) -> str:
    return "".join(rng.sample(_WORDS, 2))


def county_name(code: str) -> str:
    """The short name a department uses in its document numbers (东辽市监 …)."""
    names = {code: name for code, name, _ in county.DEPARTMENTS}
    return "东辽" + names[code].removeprefix("东辽县").removeprefix("辽源市")[:2]


def build_inspections(
    *, actor: User, seed: int, year: int = 2024, progress: Progress | None = None
) -> InspectionsResult:
    say = progress or (lambda message: None)
    builder = _Builder(seed=seed, year=year, actor=actor, say=say)
    say("双随机：抽查事项清单与执法检查人员名录库")
    builder.build_items()
    builder.build_inspectors()
    say(f"双随机：检查对象名录库（{ENTITIES:,} 个市场主体，按公示系统导出格式导入）")
    builder.build_entities()
    builder.build_relationships()
    say("双随机：41 个部门计划、28 个跨部门联合计划，承诺、公布随机数、抽取、检查、公示")
    for serial, (lead, plan, _) in enumerate(builder.plans()):
        builder.run_task(lead, plan, serial)
    return builder.result
