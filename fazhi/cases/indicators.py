"""Indicators of penalty cases (seed-figures ``penalty.*`` and ``police.*``).

Seed report: “我县各部门共办理行政处罚案件424件，其中适用包容审慎监管执法‘四张清单’案件86件，
适用率为20.3%，减免金额为79.97万元” and “县公安局受理行政案件309件，结案率100%”.

Which cases count, by which date (the same words are on each drill-down page):

* a **penalty case** (行政处罚案件) is a case of a body other than the public security bureau
  whose decision — to penalise or not to penalise (第五十七条第一款第一、二项) — is dated in
  the period; summary-procedure decisions count. Public-security cases are the ``police.*``
  figures, because the report states them separately.
* a **lenient case** is such a case in which the rules engine applied an entry of a published
  list (四张清单 or 首违不罚) in force on the act date.
* the **relieved amount** of a lenient case is the fine the engine gives without the lenient
  facts (lower bound of the ordinary range) minus the fine imposed; never typed.
* a **police case** is a public-security case received (受理, 案源登记) in the period; it is
  **concluded** once closed, archived, or ended by a side path (不予立案, 撤销, 移送, 终止).
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Avg, DecimalField, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from fazhi.cases import redaction
from fazhi.cases.models import (
    CaseReview,
    Disclosure,
    DisclosureAction,
    Hearing,
    Outcome,
    PenaltyCase,
)
from fazhi.cases.workflow import CONCLUDED, PENDING
from fazhi.core.indicator_registry import Indicator, Period, Scope, rate, registry

_CASE_COLUMNS = (
    ("number", "案件编号"),
    ("organization__name", "办案机关"),
    ("title", "案由"),
    ("decision_number", "决定书文号"),
    ("decided_on", "决定日期"),
    ("outcome", "处理结果"),
    ("fine", "罚款（元）"),
)


def _cases(scope: Scope) -> QuerySet[PenaltyCase]:
    return PenaltyCase.objects.filter(organization__in=scope.organizations()).select_related(
        "organization"
    )


def penalty_cases(period: Period, scope: Scope) -> QuerySet[PenaltyCase]:
    return _cases(scope).filter(
        public_security=False,
        decided_on__gte=period.start,
        decided_on__lte=period.end,
        outcome__in=[Outcome.PENALTY, Outcome.NO_PENALTY],
    )


def lenient_cases(period: Period, scope: Scope) -> QuerySet[PenaltyCase]:
    return penalty_cases(period, scope).filter(lenient=True)


_MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)


def relief_total(period: Period, scope: Scope) -> Decimal:
    """Σ max(baseline − fine, 0) over the lenient cases, in yuan (one SQL aggregate)."""
    relief = Greatest(
        ExpressionWrapper(
            Coalesce(F("baseline_fine"), Value(Decimal(0)))
            - Coalesce(F("fine"), Value(Decimal(0))),
            output_field=_MONEY,
        ),
        Value(Decimal(0)),
        output_field=_MONEY,
    )
    total = lenient_cases(period, scope).aggregate(total=Sum(relief))["total"]
    return Decimal(total or 0)


def police_cases(period: Period, scope: Scope) -> QuerySet[PenaltyCase]:
    return _cases(scope).filter(
        public_security=True, received_on__gte=period.start, received_on__lte=period.end
    )


def _decided(period: Period, scope: Scope) -> QuerySet[PenaltyCase]:
    """Publishable decisions of the period (penalties and no-penalty decisions)."""
    return penalty_cases(period, scope)


def disclosures(period: Period, scope: Scope) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(
        action=DisclosureAction.PUBLISH,
        case__in=_decided(period, scope).filter(outcome=Outcome.PENALTY),
    ).select_related("case", "case__organization")


def publishable_decisions(period: Period, scope: Scope) -> QuerySet[PenaltyCase]:
    """Penalty decisions of the period the law lets the public see (not minors', not revoked:
    `fazhi.cases.redaction.publishable`). Age needs the party's birth date against the act
    date, so the test runs over the period's decisions in Python (a county's year: hundreds)."""
    decided = _decided(period, scope).filter(outcome=Outcome.PENALTY).prefetch_related("parties")
    ids = [c.pk for c in decided if not redaction.publishable(c)]
    return _cases(scope).filter(pk__in=ids)


def _disclosure_rate(period: Period, scope: Scope) -> Decimal:
    due = publishable_decisions(period, scope)
    published = disclosures(period, scope).filter(case__in=due)
    return rate(published.values("case").distinct().count(), due.count())


def _on_time_rate(period: Period, scope: Scope) -> Decimal:
    published = disclosures(period, scope)
    return rate(published.filter(on_time=True).count(), published.count())


def reviewed_cases(period: Period, scope: Scope) -> QuerySet[PenaltyCase]:
    return penalty_cases(period, scope).filter(legal_reviews__opinion="approved").distinct()


def heard_cases(period: Period, scope: Scope) -> QuerySet[PenaltyCase]:
    held = Hearing.objects.filter(held=True).values("case")
    return penalty_cases(period, scope).filter(pk__in=held)


def overdue_cases(period: Period, scope: Scope) -> QuerySet[PenaltyCase]:
    """Cases still pending at the period's end whose 90 days (plus extensions) had run out.

    The calendar-day deadline of 第六十条 is computable in SQL; working-day deadlines are on
    the case page and the deadline lists.
    """
    from fazhi.cases.selectors import overdue_on  # the selector owns the date arithmetic

    return overdue_on(_cases(scope).filter(status__in=[s.value for s in PENDING]), period.end)


_DISCLOSURE_COLUMNS = (
    ("case__number", "案件编号"),
    ("case__decision_number", "决定书文号"),
    ("case__decided_on", "决定日期"),
    ("on", "公开日期"),
    ("due_on", "应公开期限"),
    ("on_time", "按期"),
)

for indicator in (
    Indicator(
        code="penalty.cases",
        name="行政处罚案件数",
        unit="件",
        definition=(
            "统计期间内作出决定（给予行政处罚或不予行政处罚，含简易程序当场处罚）的案件数，"
            "以决定日期计；公安机关行政案件另计（police.admin_cases）。"
        ),
        compute=lambda p, s: penalty_cases(p, s).count(),
        drilldown=penalty_cases,
        columns=_CASE_COLUMNS,
    ),
    Indicator(
        code="penalty.lenient_cases",
        name="适用包容审慎监管执法“四张清单”案件数",
        unit="件",
        definition="行政处罚案件中，裁量计算适用了施行中的“四张清单”或首违不罚清单事项的案件数。",
        compute=lambda p, s: lenient_cases(p, s).count(),
        drilldown=lenient_cases,
        columns=_CASE_COLUMNS,
    ),
    Indicator(
        code="penalty.lenient_rate",
        name="“四张清单”适用率",
        unit="%",
        precision=1,
        definition="适用“四张清单”案件数 ÷ 行政处罚案件数 × 100%。",
        compute=lambda p, s: rate(lenient_cases(p, s).count(), penalty_cases(p, s).count()),
        drilldown=lenient_cases,
        columns=_CASE_COLUMNS,
    ),
    Indicator(
        code="penalty.lenient_relief_amount",
        name="适用“四张清单”减免金额",
        unit="万元",
        precision=2,
        definition=(
            "适用“四张清单”案件的减免金额之和：每案为不考虑从宽情节时裁量计算给出的罚款"
            "（一般情节幅度的下限）减去实际罚款，不小于零；由案件记录计算，不手工填报。"
        ),
        compute=lambda p, s: relief_total(p, s) / Decimal(10000),
        drilldown=lenient_cases,
        columns=(*_CASE_COLUMNS, ("baseline_fine", "不考虑从宽情节时的罚款（元）")),
    ),
    Indicator(
        code="police.admin_cases",
        name="县公安局受理行政案件数",
        unit="件",
        definition="公安机关在统计期间内受理（案源登记）的行政案件数。",
        compute=lambda p, s: police_cases(p, s).count(),
        drilldown=police_cases,
        columns=_CASE_COLUMNS,
    ),
    Indicator(
        code="police.closure_rate",
        name="县公安局行政案件结案率",
        unit="%",
        definition=(
            "统计期间受理的公安行政案件中，已结案或归档（含不予立案、撤销、移送、终止）的比例。"
        ),
        compute=lambda p, s: rate(
            police_cases(p, s).filter(status__in=[c.value for c in CONCLUDED]).count(),
            police_cases(p, s).count(),
        ),
        drilldown=police_cases,
        columns=_CASE_COLUMNS,
    ),
    Indicator(
        code="penalty.disclosure_rate",
        name="行政处罚决定公开率",
        unit="%",
        precision=1,
        definition=(
            "统计期间作出的行政处罚决定中，已在门户公开的比例；依法不予公开的"
            "（未成年人案件、决定已被撤销的）不计入分母。"
        ),
        compute=_disclosure_rate,
        drilldown=publishable_decisions,
        columns=_CASE_COLUMNS,
    ),
    Indicator(
        code="penalty.disclosure_on_time_rate",
        name="行政处罚决定按期公开率",
        unit="%",
        precision=1,
        definition="已公开的行政处罚决定中，自决定之日起7个工作日内公开的比例（国办发〔2018〕118号）。",
        compute=_on_time_rate,
        drilldown=disclosures,
        columns=_DISCLOSURE_COLUMNS,
    ),
    Indicator(
        code="penalty.legal_reviews",
        name="经法制审核的行政处罚案件数",
        unit="件",
        definition="统计期间作出决定、且法制审核意见为“同意”的案件数（行政处罚法 第五十八条）。",
        compute=lambda p, s: reviewed_cases(p, s).count(),
        drilldown=reviewed_cases,
        columns=_CASE_COLUMNS,
    ),
    Indicator(
        code="penalty.hearings",
        name="举行听证的行政处罚案件数",
        unit="件",
        definition="统计期间作出决定、且举行了听证的案件数（行政处罚法 第六十三条、第六十四条）。",
        compute=lambda p, s: heard_cases(p, s).count(),
        drilldown=heard_cases,
        columns=_CASE_COLUMNS,
    ),
    Indicator(
        code="penalty.overdue_cases",
        name="超期未作出决定的案件数",
        unit="件",
        definition="统计期末仍在办理、已超过立案之日起九十日（加批准延长天数）的案件数（第六十条）。",
        compute=lambda p, s: overdue_cases(p, s).count(),
        drilldown=overdue_cases,
        columns=_CASE_COLUMNS,
    ),
):
    registry.register(indicator)


# --- 案卷评查 (case-file review, 吉林省行政执法监督条例 第二十条) ---------------------------------
#
# A **reviewed file** is a case file drawn by a review plan's current draw (a replaced draw's
# files do not count) and scored in the period, by its scoring date; the scope is the case's
# department. The **average score** is the mean total of those files (out of the sheet's 100).


def reviewed_files(period: Period, scope: Scope) -> QuerySet[CaseReview]:
    return CaseReview.objects.filter(
        draw=F("plan__draw"),
        scored_on__gte=period.start,
        scored_on__lte=period.end,
        case__organization__in=scope.organizations(),
    ).select_related("case__organization", "plan")


def average_review_score(period: Period, scope: Scope) -> Decimal:
    average = reviewed_files(period, scope).aggregate(average=Avg("total"))["average"]
    return Decimal(average or 0)


_REVIEW_COLUMNS = (
    ("case__number", "案件编号"),
    ("case__organization__name", "办案机关"),
    ("plan__title", "评查计划"),
    ("scored_on", "评分日期"),
    ("total", "得分"),
)

for indicator in (
    Indicator(
        code="review.files",
        name="评查案卷数",
        unit="卷",
        definition=(
            "统计期间内评分的案卷数：评查计划以可验证随机抽取抽中（以当前抽取为准，被重新抽取"
            "替代的不计）并完成评分的行政处罚案卷，以评分日期计，按办案机关归属。"
        ),
        compute=lambda p, s: reviewed_files(p, s).count(),
        drilldown=reviewed_files,
        columns=_REVIEW_COLUMNS,
    ),
    Indicator(
        code="review.average_score",
        name="案卷评查平均得分",
        unit="分",
        precision=1,
        definition="统计期间内评分的案卷总分的平均值（评分表满分100分）；没有评查案卷时为0。",
        compute=average_review_score,
        drilldown=reviewed_files,
        columns=_REVIEW_COLUMNS,
    ),
):
    registry.register(indicator)
