"""The deadlines of a penalty case, counted with the real 2023–2025 holiday schedule.

Most tests use unsaved cases and pass the related rows in; the last one reads them from the
database through the related managers, as the list page does.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from fazhi.cases.deadlines import CaseDeadline, DeadlineState, case_deadlines, latest_notice_day
from fazhi.cases.models import (
    Disclosure,
    EvidenceHold,
    Extension,
    Hearing,
    PenaltyCase,
    RemedyPeriod,
)
from fazhi.cases.workflow import Status
from fazhi.rules.calendar import MappingCalendar, official_calendar
from fazhi.rules.deadlines import add_working_days
from fazhi.rules.parameters import ParameterSet, default_parameters
from fazhi.rules.surcharge import late_surcharge

D = Decimal
S = DeadlineState


@pytest.fixture(scope="module")
def calendar() -> MappingCalendar:
    # The same rows the CalendarDay table is seeded from (chinese_calendar, State Council notices).
    return official_calendar([2023, 2024, 2025])


@pytest.fixture(scope="module")
def params() -> ParameterSet:
    return default_parameters()


def make_case(**fields: Any) -> PenaltyCase:
    values: dict[str, Any] = {
        "number": "测试〔2024〕1号",
        "title": "未按规定亮照经营",
        "source": "inspection",
        "status": Status.INVESTIGATING,
        "act_date": date(2024, 1, 5),
        "discovered_date": date(2024, 1, 10),
        "received_on": date(2024, 1, 15),
    }
    values.update(fields)
    return PenaltyCase(**values)


def compute(
    case: PenaltyCase,
    today: date,
    calendar: MappingCalendar,
    params: ParameterSet,
    **rows: Any,
) -> dict[str, CaseDeadline]:
    rows = {
        "holds": [],
        "hearing": None,
        "extensions": [],
        "remedies": [],
        "disclosures": [],
        **rows,
    }
    result = case_deadlines(case, today=today, calendar=calendar, params=params, **rows)
    by_code = {d.code: d for d in result}
    assert len(by_code) == len(result), "codes are unique within a case"
    return by_code


def publish(on: date, action: str = "publish") -> Disclosure:
    return Disclosure(version=1, action=action, snapshot={}, on=on, due_on=on, on_time=True)


# --- 作出决定 (第六十条) -------------------------------------------------------------------


def test_decision_is_ninety_calendar_days_across_spring_festival(calendar, params) -> None:
    registered = date(2024, 1, 20)
    case = make_case(registered_on=registered)
    d = compute(case, date(2024, 3, 1), calendar, params)["decision"]
    # 九十日 is not one of 第八十五条's working-day periods: the Spring Festival holiday inside it
    # is counted like any other day, and 4月19日 (a Friday) needs no move.
    assert d.due == registered + timedelta(days=90) == date(2024, 4, 19)
    assert calendar.is_workday(d.due)
    assert d.state is S.OPEN and d.met_on is None
    assert "按自然日计算" in d.computation and "无需顺延" in d.computation
    assert "第六十条" in d.citation


def test_an_extension_is_added_and_the_end_moved_off_a_sunday(calendar, params) -> None:
    registered = date(2024, 1, 20)
    case = make_case(registered_on=registered, extension_days=30)
    approval = Extension(days=30, reason="案情复杂", on=date(2024, 4, 10))
    d = compute(case, date(2024, 4, 20), calendar, params, extensions=[approval])["decision"]
    nominal = registered + timedelta(days=120)
    assert nominal == date(2024, 5, 19) and not calendar.is_workday(nominal)  # a Sunday
    assert d.due == date(2024, 5, 20)
    assert "经批准延长30日（2024年4月10日批准延长30日），合计120日" in d.computation
    assert "顺延" in d.computation


@pytest.mark.parametrize(
    ("fields", "met_on", "late"),
    [
        ({"decided_on": date(2024, 4, 10)}, date(2024, 4, 10), False),
        ({"decided_on": date(2024, 4, 22)}, date(2024, 4, 22), True),
        ({"ended_on": date(2024, 2, 1), "status": Status.TRANSFERRED}, date(2024, 2, 1), False),
    ],
)
def test_decision_is_met_by_a_decision_or_the_end_of_the_case(
    calendar, params, fields, met_on, late
) -> None:
    case = make_case(registered_on=date(2024, 1, 20), **fields)
    d = compute(case, date(2024, 6, 1), calendar, params)["decision"]
    assert d.state is S.MET and d.met_on == met_on and d.late is late
    assert d.state_label == ("逾期完成" if late else "已完成")


def test_a_police_case_has_thirty_days(calendar, params) -> None:
    registered = date(2024, 3, 1)
    case = make_case(registered_on=registered, public_security=True)
    d = compute(case, date(2024, 3, 10), calendar, params)["decision"]
    n = params.int_value("POLICE_DECISION_DAYS", registered)
    assert n == 30
    # 3月31日 is a Sunday: the period ends on the next working day.
    assert registered + timedelta(days=n) == date(2024, 3, 31)
    assert d.due == date(2024, 4, 1)
    assert "治安管理处罚法" in d.citation and "治安案件" in d.computation
    ordinary = compute(make_case(registered_on=registered), date(2024, 3, 10), calendar, params)
    assert ordinary["decision"].due > d.due


def test_nothing_is_due_before_registration(calendar, params) -> None:
    assert compute(make_case(status=Status.LEAD), date(2024, 2, 1), calendar, params) == {}


def test_a_case_registered_before_the_recorded_day_counting_rule_still_gets_a_date(
    calendar, params
) -> None:
    # 民事诉讼法 (2023修正) is recorded from 2024-01-01; a 2023 case is counted with it and flagged.
    registered = date(2023, 11, 1)
    d = compute(make_case(registered_on=registered), date(2023, 12, 1), calendar, params)
    assert d["decision"].due == registered + timedelta(days=90)  # 2024-01-30, a Tuesday
    assert "注意" in d["decision"].computation


# --- 先行登记保存 (第五十六条) --------------------------------------------------------------


def test_each_hold_has_seven_working_days(calendar, params) -> None:
    case = make_case(registered_on=date(2024, 9, 20))
    holds = [
        EvidenceHold(pk=11, description="涉案商品一批", held_on=date(2024, 9, 27)),
        EvidenceHold(
            pk=12, description="账簿", held_on=date(2024, 9, 2), handled_on=date(2024, 9, 6)
        ),
    ]
    d = compute(case, date(2024, 10, 9), calendar, params, holds=holds)
    first, second = d["evidence_hold:11"], d["evidence_hold:12"]
    # From 9月27日: 9月29日 (调休上班日) 1, 9月30日 2, 国庆节 10月1日–7日 not counted,
    # 10月8日–11日 3–6, 10月12日 (调休上班日) 7.
    assert first.due == date(2024, 10, 12)
    assert first.due == add_working_days(date(2024, 9, 27), 7, calendar).due
    assert first.state is S.DUE_SOON
    assert "涉案商品一批" in first.label and "国庆节" in first.computation
    assert second.state is S.MET and not second.late
    assert list(d)[:3] == ["decision", "evidence_hold:12", "evidence_hold:11"]


# --- 听证 (第六十四条) ----------------------------------------------------------------------


def test_hearing_request_window_is_informational(calendar, params) -> None:
    noticed = date(2024, 9, 27)
    case = make_case(
        registered_on=date(2024, 9, 1), noticed_on=noticed, hearing_right=True, status="notified"
    )
    during = compute(case, date(2024, 10, 8), calendar, params)["hearing_request"]
    # 5个工作日: 9月29日、9月30日、10月8日、9日、10日.
    assert during.due == date(2024, 10, 10)
    assert during.informational and during.state is S.DUE_SOON
    after = compute(case, date(2024, 10, 11), calendar, params)["hearing_request"]
    assert after.state is S.MET and after.met_on is None  # the window closed: not “overdue”
    assert "未要求听证" in after.note
    requested = Hearing(requested_on=date(2024, 10, 8))
    with_hearing = compute(case, date(2024, 10, 11), calendar, params, hearing=requested)
    assert with_hearing["hearing_request"].met_on == date(2024, 10, 8)
    no_right = make_case(registered_on=date(2024, 9, 1), noticed_on=noticed)
    assert "hearing_request" not in compute(no_right, date(2024, 10, 8), calendar, params)


def test_a_decision_inside_the_hearing_window_is_flagged(calendar, params) -> None:
    case = make_case(
        registered_on=date(2024, 9, 1),
        noticed_on=date(2024, 9, 27),
        hearing_right=True,
        decided_on=date(2024, 10, 9),
        status=Status.DECIDED,
    )
    d = compute(case, date(2024, 10, 9), calendar, params)["hearing_request"]
    assert "听证申请期限尚未届满" in d.note


def test_hearing_notice_counts_back_seven_working_days(calendar, params) -> None:
    hearing_on = date(2024, 10, 15)
    case = make_case(registered_on=date(2024, 9, 1), noticed_on=date(2024, 9, 20))
    on_time = Hearing(
        requested_on=date(2024, 9, 23), notified_on=date(2024, 10, 7), scheduled_on=hearing_on
    )
    d = compute(case, date(2024, 10, 7), calendar, params, hearing=on_time)["hearing_notice"]
    # Back from 10月15日: 15日, 14日, 12日 (调休上班日), 11日, 10日, 9日, 8日 are the seven
    # working days, so notice on 10月7日 (still 国庆节) is the last day in time.
    assert d.due == date(2024, 10, 7)
    assert d.state is S.MET and not d.late
    assert "最晚通知日为2024年10月7日" in d.computation
    late = Hearing(
        requested_on=date(2024, 9, 23), notified_on=date(2024, 10, 8), scheduled_on=hearing_on
    )
    d = compute(case, date(2024, 10, 8), calendar, params, hearing=late)["hearing_notice"]
    assert d.late and "重新确定听证日期" in d.note


def test_latest_notice_day_is_the_boundary(calendar) -> None:
    start = date(2024, 1, 1)
    for offset in range(0, 366, 3):
        hearing_on = start + timedelta(days=offset + 20)
        latest = latest_notice_day(hearing_on, 7, calendar)
        assert add_working_days(latest, 7, calendar).due <= hearing_on
        assert add_working_days(latest + timedelta(days=1), 7, calendar).due > hearing_on


# --- 送达 (第六十一条) ----------------------------------------------------------------------


def test_service_across_national_day(calendar, params) -> None:
    decided = date(2024, 9, 29)  # a Sunday, but a 调休上班日
    assert calendar.is_workday(decided)
    case = make_case(registered_on=date(2024, 8, 1), decided_on=decided, outcome="penalty")
    d = compute(case, date(2024, 10, 8), calendar, params)
    service = d["service"]
    # 9月30日 1; 10月1日–7日 国庆节; 10月8日–11日 2–5; 10月12日 (调休上班日) 6; 13日 Sunday;
    # 10月14日 7.
    assert service.due == date(2024, 10, 14)
    assert "国庆节" in service.computation and "调休上班日" in service.computation
    assert "第六十一条" in service.citation
    assert service.state is S.OPEN  # six days left, more than CASE_DUE_SOON_DAYS
    served = make_case(
        registered_on=date(2024, 8, 1), decided_on=decided, served_on=date(2024, 10, 12)
    )
    assert compute(served, date(2024, 10, 20), calendar, params)["service"].state is S.MET


def test_a_changed_calendar_is_counted_again_not_remembered(calendar, params) -> None:
    """Counted deadlines are remembered per calendar content: a calendar that gains a
    holiday (a late State Council notice) gives the new date, and the old one still the old."""
    decided = date(2024, 9, 29)
    case = make_case(registered_on=date(2024, 8, 1), decided_on=decided, outcome="penalty")
    before = compute(case, date(2024, 10, 8), calendar, params)["service"]
    rest = {**calendar.overrides, date(2024, 10, 14): False}
    changed = MappingCalendar(
        overrides=rest, labels=calendar.labels, schedule_years=calendar.schedule_years
    )
    after = compute(case, date(2024, 10, 8), changed, params)["service"]
    assert (before.due, after.due) == (date(2024, 10, 14), date(2024, 10, 15))
    assert compute(case, date(2024, 10, 8), calendar, params)["service"].due == before.due


def test_due_soon_and_overdue_follow_the_parameter(calendar, params) -> None:
    decided = date(2024, 9, 29)
    case = make_case(registered_on=date(2024, 8, 1), decided_on=decided)
    due = date(2024, 10, 14)
    soon = params.int_value("CASE_DUE_SOON_DAYS", due)
    assert soon >= 1

    def state(today: date) -> DeadlineState:
        return compute(case, today, calendar, params)["service"].state

    assert state(due - timedelta(days=soon + 1)) is S.OPEN
    assert state(due - timedelta(days=soon)) is S.DUE_SOON
    assert state(due) is S.DUE_SOON
    assert state(due + timedelta(days=1)) is S.OVERDUE
    assert S.OVERDUE.label_zh == "已逾期"


# --- 缴纳罚款 (第六十七条) and 加处罚款 -------------------------------------------------------


def test_payment_is_fifteen_calendar_days_moved_off_a_holiday(calendar, params) -> None:
    served = date(2024, 9, 20)
    case = make_case(
        registered_on=date(2024, 8, 1),
        decided_on=date(2024, 9, 18),
        served_on=served,
        fine=D(5000),
    )
    d = compute(case, date(2024, 9, 25), calendar, params)["payment"]
    assert served + timedelta(days=15) == date(2024, 10, 5)  # inside 国庆节
    assert d.due == date(2024, 10, 8)
    assert "国庆节" in d.computation and "第六十七条" in d.citation
    assert d.surcharge is None


def test_late_payment_carries_the_surcharge_paused_by_a_reconsideration(calendar, params) -> None:
    served = date(2024, 3, 5)
    fine = D(5000)
    case = make_case(
        registered_on=date(2024, 1, 20),
        decided_on=date(2024, 3, 1),
        served_on=served,
        fine=fine,
        status=Status.SERVED,
    )
    reconsideration = RemedyPeriod(
        kind="reconsideration", started_on=date(2024, 3, 25), ended_on=date(2024, 3, 29)
    )
    today = date(2024, 4, 10)
    d = compute(case, today, calendar, params, remedies=[reconsideration])["payment"]
    assert d.due == served + timedelta(days=15) == date(2024, 3, 20)  # a Wednesday
    assert d.state is S.OVERDUE
    expected = late_surcharge(
        fine=fine,
        payment_due=d.due,
        until=today,
        pauses=[(reconsideration.started_on, reconsideration.ended_on)],
        params=params,
    )
    assert d.surcharge is not None
    assert d.surcharge.amount == expected.amount
    assert (d.surcharge.days, d.surcharge.paused_days) == (16, 5)
    assert "扣除行政复议期间5日" in d.note and "计至今日" in d.note


def test_a_late_payment_stops_the_surcharge_on_the_payment_day(calendar, params) -> None:
    case = make_case(
        registered_on=date(2024, 1, 20),
        decided_on=date(2024, 3, 1),
        served_on=date(2024, 3, 5),
        paid_on=date(2024, 3, 25),
        fine=D(2000),
    )
    d = compute(case, date(2024, 6, 1), calendar, params)["payment"]
    assert d.state is S.MET and d.late
    assert d.surcharge is not None and d.surcharge.overdue_days == 5
    on_time = make_case(
        registered_on=date(2024, 1, 20),
        decided_on=date(2024, 3, 1),
        served_on=date(2024, 3, 5),
        paid_on=date(2024, 3, 20),
        fine=D(2000),
    )
    assert compute(on_time, date(2024, 6, 1), calendar, params)["payment"].surcharge is None


def test_no_payment_deadline_without_a_fine_and_none_after_revocation(calendar, params) -> None:
    base = {
        "registered_on": date(2024, 1, 20),
        "decided_on": date(2024, 3, 1),
        "served_on": date(2024, 3, 5),
    }
    assert "payment" not in compute(make_case(**base), date(2024, 4, 1), calendar, params)
    zero = make_case(**base, fine=D(0))
    assert "payment" not in compute(zero, date(2024, 4, 1), calendar, params)
    revoked = make_case(**base, fine=D(500), decision_revoked_on=date(2024, 3, 15))
    d = compute(revoked, date(2024, 4, 1), calendar, params)["payment"]
    assert d.state is S.NOT_APPLICABLE and d.surcharge is None


# --- 公示 (118号 二（六）) and 撤回 (第四十八条) ---------------------------------------------


def test_publication_across_spring_festival(calendar, params) -> None:
    decided = date(2024, 2, 8)
    case = make_case(registered_on=date(2024, 1, 2), decided_on=decided, outcome="penalty")
    d = compute(case, date(2024, 2, 19), calendar, params)["publication"]
    # 2月9日 1; 春节 2月10日–17日; 2月18日 (调休上班日) 2; 2月19日–23日 3–7.
    assert d.due == date(2024, 2, 23)
    assert "春节" in d.computation and "118号" in d.citation
    assert d.state is S.DUE_SOON
    published = compute(
        case,
        date(2024, 3, 1),
        calendar,
        params,
        disclosures=[publish(date(2024, 2, 26), "correct"), publish(date(2024, 2, 20))],
    )["publication"]
    assert published.state is S.MET and published.met_on == date(2024, 2, 20)
    no_penalty = make_case(registered_on=date(2024, 1, 2), decided_on=decided, outcome="no_penalty")
    assert "publication" not in compute(no_penalty, date(2024, 2, 19), calendar, params)


def test_withdrawal_of_a_published_decision(calendar, params) -> None:
    fields = {
        "registered_on": date(2024, 8, 1),
        "decided_on": date(2024, 9, 13),
        "outcome": "penalty",
        "decision_revoked_on": date(2024, 9, 30),
    }
    case = make_case(**fields)
    shown = [publish(date(2024, 9, 20))]
    d = compute(case, date(2024, 10, 8), calendar, params, disclosures=shown)["withdrawal"]
    # 三日 are working days (第八十五条): 国庆节 is skipped, 10月8日–10日.
    assert d.due == date(2024, 10, 10)
    assert d.state is S.DUE_SOON and "第四十八条" in d.citation
    done = shown + [publish(date(2024, 10, 9), "withdraw")]
    d = compute(case, date(2024, 10, 20), calendar, params, disclosures=done)["withdrawal"]
    assert d.state is S.MET and d.met_on == date(2024, 10, 9)
    # Never published: nothing to withdraw, and nothing to publish any more.
    unpublished = compute(case, date(2024, 10, 8), calendar, params)
    assert "withdrawal" not in unpublished
    assert unpublished["publication"].state is S.NOT_APPLICABLE


# --- reading the related rows from the database ----------------------------------------------


@pytest.mark.django_db
def test_related_rows_are_read_from_the_case(cast, calendar, params, django_assert_num_queries):
    from fazhi.catalog import services as catalog_services

    item = catalog_services.create_item(
        actor=cast.department_head,
        organization=cast.department_a,
        code="SCJ-CF-DL-1",
        name="对未按规定亮照经营的处罚",
        category="penalty",
        basis_law="中华人民共和国市场主体登记管理条例",
        basis_article="第四十七条",
        penalty_types=["warning", "fine"],
        fine_basis="amount",
        fine_min=D(0),
        fine_max=D(30000),
        effective_from=date(2024, 1, 1),
    )
    # The case services are not part of this module; plain rows are enough to read back.
    case = make_case(
        organization=cast.department_a,
        item=item,
        created_by=cast.officer,
        registered_on=date(2024, 9, 20),
        decided_on=date(2024, 9, 29),
        outcome="penalty",
        status=Status.DECIDED,
    )
    case.save()
    EvidenceHold.objects.create(
        case=case,
        description="涉案商品",
        held_on=date(2024, 9, 27),
        approved_by=cast.department_head,
    )
    queried = (
        PenaltyCase.objects.select_related("hearing")
        .prefetch_related("holds", "extensions", "remedies", "disclosures")
        .get(pk=case.pk)
    )
    with django_assert_num_queries(0):
        d = {
            x.code: x
            for x in case_deadlines(
                queried, today=date(2024, 10, 8), calendar=calendar, params=params
            )
        }
    hold = EvidenceHold.objects.get(case=case)
    assert d[f"evidence_hold:{hold.pk}"].due == date(2024, 10, 12)
    assert d["service"].due == date(2024, 10, 14)
    assert "hearing_notice" not in d
