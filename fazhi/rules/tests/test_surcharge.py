"""The late-payment surcharge (行政处罚法 第七十二条第一款第一项、第七十三条第三款)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from fazhi.rules.parameters import DEFAULT_PARAMETER_DIR, ParameterSet, load_parameters
from fazhi.rules.surcharge import Pause, SurchargeError, late_surcharge

D = Decimal
DUE = date(2024, 3, 20)


def test_the_worked_example_with_a_reconsideration(params: ParameterSet) -> None:
    # 3月21日–3月31日 (11 days) + 4月1日–4月10日 (10 days) = 21 overdue days; the
    # reconsideration covers 3月25日–3月29日 (5 days, both ends included).
    result = late_surcharge(
        fine=D(5000),
        payment_due=DUE,
        until=date(2024, 4, 10),
        pauses=[Pause(date(2024, 3, 25), date(2024, 3, 29), "行政复议")],
        params=params,
    )
    assert (result.overdue_days, result.paused_days, result.days) == (21, 5, 16)
    rate = params.decimal_value("LATE_SURCHARGE_DAILY_RATE", DUE)
    assert result.rate == rate
    assert result.amount == 16 * D(5000) * rate
    assert result.capped is False
    assert result.first_overdue_day == date(2024, 3, 21)
    assert "自2024年3月21日起逾期，至2024年4月10日共21日" in result.text
    assert "扣除行政复议期间5日" in result.text
    assert "计16日 × 罚款5000元 × 3% = 2400元" in result.text
    assert "加处罚款不得超出罚款数额" in result.text
    assert "《中华人民共和国行政处罚法》第七十三条第三款" in result.citations
    assert any("第七十二条" in c for c in result.citations)


def test_the_surcharge_never_exceeds_the_fine(params: ParameterSet) -> None:
    fine = D(1000)
    rate = params.decimal_value("LATE_SURCHARGE_DAILY_RATE", DUE)
    ratio = params.decimal_value("LATE_SURCHARGE_MAX_RATIO", DUE)
    for n in range(1, 60):
        result = late_surcharge(
            fine=fine, payment_due=DUE, until=DUE + timedelta(days=n), pauses=[], params=params
        )
        assert result.days == n
        assert result.amount == min(n * fine * rate, fine * ratio)
        assert result.capped is (n * fine * rate > fine * ratio)
    # 34 days × 30元 = 1020元 is the first day count above the cap.
    capped = late_surcharge(
        fine=fine, payment_due=DUE, until=DUE + timedelta(days=34), pauses=[], params=params
    )
    assert capped.capped and capped.amount == D(1000)
    assert "= 1020元，超过上限1000元，按1000元计" in capped.text


def test_overlapping_pauses_are_counted_once(params: ParameterSet) -> None:
    result = late_surcharge(
        fine=D(5000),
        payment_due=DUE,
        until=date(2024, 4, 10),
        pauses=[
            Pause(date(2024, 3, 25), date(2024, 3, 29), "行政复议"),
            Pause(date(2024, 3, 27), date(2024, 4, 2), "行政诉讼"),
            (date(2024, 3, 26), date(2024, 3, 28)),  # inside the first two: adds nothing
        ],
        params=params,
    )
    # Union: 3月25日–4月2日 = 7 + 2 = 9 days.
    assert result.paused_days == 9
    assert result.days == 21 - 9
    assert "扣除行政复议、行政诉讼期间9日" in result.text
    assert "行政复议或者行政诉讼期间" not in result.text  # the contained pair said nothing new


def test_only_the_overdue_part_of_a_pause_counts(params: ParameterSet) -> None:
    # A reconsideration filed before the payment fell due, decided on 3月23日.
    result = late_surcharge(
        fine=D(5000),
        payment_due=DUE,
        until=date(2024, 4, 10),
        pauses=[(date(2024, 3, 1), date(2024, 3, 23)), (date(2024, 5, 1), None)],
        params=params,
    )
    assert result.paused_days == 3  # 3月21日、22日、23日
    assert result.days == 18


def test_an_open_pause_runs_to_until(params: ParameterSet) -> None:
    result = late_surcharge(
        fine=D(5000),
        payment_due=DUE,
        until=date(2024, 4, 10),
        pauses=[Pause(date(2024, 4, 1), None, "行政诉讼")],
        params=params,
    )
    assert result.paused_days == 10
    assert result.days == 11
    assert "尚未结束" in result.text


@pytest.mark.parametrize("until", [date(2024, 3, 1), DUE])
def test_not_overdue_means_no_surcharge(params: ParameterSet, until: date) -> None:
    result = late_surcharge(fine=D(5000), payment_due=DUE, until=until, pauses=[], params=params)
    assert result.amount == 0
    assert (result.overdue_days, result.days, result.overdue) == (0, 0, False)
    assert "尚未逾期" in result.text


def test_the_first_overdue_day_is_the_day_after_the_due_date(params: ParameterSet) -> None:
    result = late_surcharge(
        fine=D(5000), payment_due=DUE, until=DUE + timedelta(days=1), pauses=[], params=params
    )
    assert result.overdue_days == 1
    assert result.amount == D(5000) * params.decimal_value("LATE_SURCHARGE_DAILY_RATE", DUE)


def test_a_paused_whole_period_bears_nothing(params: ParameterSet) -> None:
    result = late_surcharge(
        fine=D(5000),
        payment_due=DUE,
        until=date(2024, 3, 30),
        pauses=[(date(2024, 3, 21), None)],
        params=params,
    )
    assert result.days == 0 and result.amount == 0 and result.overdue


def test_amounts_are_rounded_down_to_the_fen(params: ParameterSet) -> None:
    result = late_surcharge(
        fine=D("333.33"), payment_due=DUE, until=DUE + timedelta(days=1), pauses=[], params=params
    )
    # 333.33 × 3% = 9.9999: the party is never charged the rounding.
    assert result.amount == D("9.99")


def test_bad_input_is_refused(params: ParameterSet) -> None:
    with pytest.raises(SurchargeError, match="罚款数额"):
        late_surcharge(fine=D(0), payment_due=DUE, until=DUE, pauses=[], params=params)
    with pytest.raises(SurchargeError, match="早于开始日期"):
        late_surcharge(
            fine=D(100),
            payment_due=DUE,
            until=date(2024, 4, 10),
            pauses=[(date(2024, 4, 5), date(2024, 4, 1))],
            params=params,
        )


def test_rate_and_cap_are_read_on_the_due_date(tmp_path: Path) -> None:
    # A hypothetical later amendment halving the rate must not reach back to an earlier due date.
    text = (DEFAULT_PARAMETER_DIR / "penalty.yaml").read_text(encoding="utf-8")
    amended = text.replace(
        "    2021-07-15: 0.03\n", "    2021-07-15: 0.03\n    2030-01-01: 0.015\n", 1
    )
    assert amended != text
    (tmp_path / "penalty.yaml").write_text(amended, encoding="utf-8")
    params = load_parameters(tmp_path)
    before = late_surcharge(
        fine=D(1000),
        payment_due=date(2029, 12, 30),
        until=date(2030, 1, 9),
        pauses=[],
        params=params,
    )
    after = late_surcharge(
        fine=D(1000),
        payment_due=date(2030, 1, 1),
        until=date(2030, 1, 11),
        pauses=[],
        params=params,
    )
    assert before.days == after.days == 10
    assert before.amount == D(300)
    assert after.amount == D(150)
