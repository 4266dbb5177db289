"""The parameter loader: schema validation, dated lookup and the packaged YAML files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from fazhi.rules.deadlines import short_citation
from fazhi.rules.parameters import (
    DEFAULT_PARAMETER_DIR,
    DuplicateParameterError,
    NotYetEffectiveError,
    ParameterFileError,
    ParameterSet,
    ParameterTypeError,
    Status,
    UnknownParameterError,
    load_file,
    load_parameters,
)

PACKAGED_FILES = sorted(DEFAULT_PARAMETER_DIR.glob("*.yaml"))

# The "Suggested configurable parameters" block at the end of LEGAL-RULES.md. Each must exist.
SUGGESTED_CODES = {
    "PENALTY_SUMMARY_MAX_FINE_INDIVIDUAL",
    "PENALTY_SUMMARY_MAX_FINE_ORG",
    "ON_SPOT_COLLECTION_MAX",
    "MIN_OFFICERS",
    "EVIDENCE_HOLD_DECISION_WDAYS",
    "DECISION_DAYS_FROM_FILING",
    "SERVICE_WDAYS_IF_ABSENT",
    "HEARING_REQUEST_WDAYS",
    "HEARING_NOTICE_WDAYS",
    "PAYMENT_DAYS",
    "LATE_SURCHARGE_DAILY_RATE",
    "LIMITATION_YEARS",
    "DISCLOSURE_WITHDRAW_WDAYS",
    "DISCLOSURE_PENALTY_LICENCE_WDAYS",
    "DISCLOSURE_OTHER_DECISION_WDAYS",
    "ENFORCEMENT_STATS_DUE",
    "LEGAL_REVIEW_STAFF_RATIO_MIN",
    "LIGHT_PENALTY_BAND",
    "FIRST_VIOLATION_LOOKBACK_MONTHS",
    "AR_APPLY_DAYS",
    "AR_ACCEPT_REVIEW_WDAYS",
    "AR_DECIDE_DAYS_ORDINARY",
    "AR_DECIDE_DAYS_SIMPLE",
    "AR_SIMPLE_MAX_AMOUNT",
    "LITIGATION_DEFENCE_DAYS",
    "NORMDOC_COMMENT_DAYS_BUSINESS",
    "NORMDOC_COMMENT_WDAYS_GENERAL",
    "NORMDOC_FILING_DAYS",
    "NORMDOC_CLEANUP_INTERVAL_YEARS",
    "NORMDOC_LEGALITY_REVIEW_WDAYS",
    "NORMDOC_VALIDITY_YEARS",
    "ANNUAL_REPORT_SUBMIT_DUE_COUNTY",
    "ANNUAL_REPORT_PUBLISH_DUE",
    "MEDIATION_JUDICIAL_CONFIRM_DAYS",
    "JL_SUPERVISION_RECTIFY_WDAYS",
}

DAY_COUNTING_LAWS = {
    # code: (first effective date, citation)
    "administrative_penalty_law": (date(2021, 7, 15), "《中华人民共和国行政处罚法》第八十五条"),
    "administrative_reconsideration_law": (
        date(2024, 1, 1),
        "《中华人民共和国行政复议法》第八十八条",
    ),
    "administrative_coercion_law": (date(2012, 1, 1), "《中华人民共和国行政强制法》第六十九条"),
    "civil_procedure_law": (date(2024, 1, 1), "《中华人民共和国民事诉讼法》第八十五条"),
}

TWO_VERSIONS = """
FEE:
  description: 测试用收费标准
  reference: 《测试条例》第一条
  status: VERIFIED
  unit: 元
  values:
    2020-01-01: 10
    2023-07-01: 12.5
"""


def _write(tmp_path: Path, text: str, name: str = "area.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the packaged files ---------------------------------------------------------------------


@pytest.mark.parametrize("path", PACKAGED_FILES, ids=[p.name for p in PACKAGED_FILES])
def test_every_packaged_file_loads(path: Path) -> None:
    assert load_file(path)


def test_packaged_areas(params: ParameterSet) -> None:
    assert set(params.areas()) == {
        "day_counting",
        "penalty",
        "reconsideration",
        "normdoc",
        "disclosure",
        "annual_report",
        "inspections",
        "supervision",
    }


def test_every_parameter_is_cited_and_graded(params: ParameterSet) -> None:
    for parameter in params:
        assert parameter.reference.strip(), parameter.code
        assert parameter.description.strip(), parameter.code
        assert isinstance(parameter.status, Status), parameter.code
        assert parameter.versions, parameter.code
        if parameter.status is not Status.VERIFIED:
            assert parameter.note, f"{parameter.code} must explain what is not verified"


def test_every_suggested_parameter_exists(params: ParameterSet) -> None:
    assert set(params.codes()) >= SUGGESTED_CODES


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("NORMDOC_LEGALITY_REVIEW_WDAYS", Status.UNVERIFIED),
        ("NORMDOC_VALIDITY_YEARS", Status.UNVERIFIED),
        ("NORMDOC_COMMENT_WDAYS_GENERAL", Status.PARTIAL),
        ("FIRST_VIOLATION_LOOKBACK_MONTHS", Status.PARTIAL),
        ("DECISION_DAYS_FROM_FILING", Status.VERIFIED),
    ],
)
def test_statuses_follow_legal_rules(params: ParameterSet, code: str, status: Status) -> None:
    assert params.parameter(code).status is status


@pytest.mark.parametrize(
    ("code", "on", "expected"),
    [
        ("DECISION_DAYS_FROM_FILING", date(2024, 1, 1), 90),
        ("PENALTY_SUMMARY_MAX_FINE_INDIVIDUAL", date(2024, 1, 1), 200),
        ("PENALTY_SUMMARY_MAX_FINE_ORG", date(2024, 1, 1), 3000),
        ("AR_ACCEPT_REVIEW_WDAYS", date(2024, 1, 1), 5),
        ("AR_SIMPLE_MAX_AMOUNT", date(2024, 6, 1), 3000),
        ("NORMDOC_FILING_DAYS", date(2024, 6, 1), 15),
    ],
)
def test_packaged_values(params: ParameterSet, code: str, on: date, expected: int) -> None:
    assert params.int_value(code, on) == expected


def test_rates_are_decimals_not_floats(params: ParameterSet) -> None:
    assert params.value("LATE_SURCHARGE_DAILY_RATE", date(2024, 1, 1)) == Decimal("0.03")
    assert params.decimal_value("LIGHT_PENALTY_BAND", date(2024, 1, 1)) == Decimal("0.3")


def test_lists_and_month_days(params: ParameterSet) -> None:
    assert params.value("NORMDOC_LEGALITY_REVIEW_WDAYS", date(2024, 1, 1)) == (5, 15)
    assert params.str_value("ANNUAL_REPORT_SUBMIT_DUE_COUNTY", date(2024, 1, 1)) == "03-01"
    assert params.str_value("ENFORCEMENT_STATS_DUE", date(2024, 1, 1)) == "01-31"


@pytest.mark.parametrize("code", sorted(DAY_COUNTING_LAWS))
def test_day_counting_rules(params: ParameterSet, code: str) -> None:
    first, citation = DAY_COUNTING_LAWS[code]
    parameter = params.parameter(code)
    assert parameter.area == "day_counting"
    assert parameter.first_effective == first
    assert parameter.status is Status.VERIFIED
    assert parameter.quote, "the article must be quoted verbatim"
    assert short_citation(parameter.reference) == citation
    rule = params.mapping_value(code, first)
    assert rule["other_periods"] in params
    assert all(isinstance(n, int) for n in rule["working_days"])  # type: ignore[union-attr]


def test_working_day_counts_match_the_articles(params: ParameterSet) -> None:
    on = date(2025, 1, 1)
    penalty = params.mapping_value("administrative_penalty_law", on)
    reconsideration = params.mapping_value("administrative_reconsideration_law", on)
    coercion = params.mapping_value("administrative_coercion_law", on)
    assert penalty["working_days"] == (2, 3, 5, 7)
    assert reconsideration["working_days"] == (3, 5, 7, 10)
    assert coercion["working_days_up_to"] == 10


# --- lookup by date --------------------------------------------------------------------------


def test_value_lookup_picks_the_version_in_force(tmp_path: Path) -> None:
    _write(tmp_path, TWO_VERSIONS)
    params = load_parameters(tmp_path)
    assert params.value("FEE", date(2020, 1, 1)) == 10
    assert params.value("FEE", date(2023, 6, 30)) == 10
    assert params.value("FEE", date(2023, 7, 1)) == Decimal("12.5")
    resolved = params.get("FEE", date(2030, 1, 1))
    assert resolved.effective_from == date(2023, 7, 1)
    assert resolved.reference == "《测试条例》第一条"
    assert resolved.status is Status.VERIFIED
    assert resolved.description == "测试用收费标准"


def test_date_before_first_version_is_a_clear_error(tmp_path: Path) -> None:
    _write(tmp_path, TWO_VERSIONS)
    params = load_parameters(tmp_path)
    with pytest.raises(NotYetEffectiveError, match="2019年12月31日尚未生效.*2020年1月1日"):
        params.get("FEE", date(2019, 12, 31))


def test_unknown_code_is_a_clear_error(params: ParameterSet) -> None:
    with pytest.raises(UnknownParameterError, match="未知参数代码“NO_SUCH_THING”"):
        params.value("NO_SUCH_THING", date(2024, 1, 1))
    with pytest.raises(LookupError):
        params.get("NO_SUCH_THING", date(2024, 1, 1))


def test_typed_accessors_refuse_the_wrong_type(params: ParameterSet) -> None:
    with pytest.raises(ParameterTypeError, match="不是整数"):
        params.int_value("LATE_SURCHARGE_DAILY_RATE", date(2024, 1, 1))
    with pytest.raises(ParameterTypeError, match="不是文本"):
        params.str_value("MIN_OFFICERS", date(2024, 1, 1))
    with pytest.raises(ParameterTypeError, match="不是数值"):
        params.decimal_value("ENFORCEMENT_STATS_DUE", date(2024, 1, 1))
    with pytest.raises(ParameterTypeError, match="不是映射"):
        params.mapping_value("MIN_OFFICERS", date(2024, 1, 1))


def test_values_are_read_only(params: ParameterSet) -> None:
    rule = params.mapping_value("civil_procedure_law", date(2024, 1, 1))
    with pytest.raises(TypeError):
        rule["other_periods"] = "x"  # type: ignore[index]


# --- validation at load time -----------------------------------------------------------------

VALID_HEAD = """
X:
  description: 说明
  reference: 《某法》第一条
  status: VERIFIED
  unit: 日
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            VALID_HEAD.replace("  reference: 《某法》第一条\n", "") + "  values: {2020-01-01: 1}\n",
            "缺少“reference”",
        ),
        (VALID_HEAD, "values 必须至少包含一个"),
        (VALID_HEAD + "  values: {}\n", "values 必须至少包含一个"),
        (
            VALID_HEAD.replace("VERIFIED", "CHECKED") + "  values: {2020-01-01: 1}\n",
            "status 必须是",
        ),
        (
            VALID_HEAD.replace("VERIFIED", "UNVERIFIED") + "  values: {2020-01-01: 1}\n",
            "必须用 note 说明",
        ),
        (VALID_HEAD + "  values: {2020-01-01: 1}\n  sorce: x\n", "未知字段 sorce"),
        (VALID_HEAD + "  values: {2020-01-01: null}\n", "不支持的取值"),
        (VALID_HEAD + "  values: {2020-01-01 10:00:00: 1}\n", "不能带时刻"),
        (VALID_HEAD + "  values: {'2020-13-01': 1}\n", "YYYY-MM-DD"),
        (VALID_HEAD + "  values:\n    2020-01-01: 1\n    2020-01-01: 2\n", "重复"),
        (
            VALID_HEAD + "  values: {2020-01-01: 1}\n" + VALID_HEAD + "  values: {2021-01-01: 1}\n",
            "重复",
        ),
        ("- just a list\n", "非空映射"),
        ("9X:\n  description: x\n", "不合法"),
        ("X: [unclosed\n", "YAML 语法错误"),
    ],
)
def test_invalid_files_are_refused_at_load_time(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path, text)
    with pytest.raises(ParameterFileError, match=message):
        load_parameters(tmp_path)


def test_codes_are_unique_across_files(tmp_path: Path) -> None:
    _write(tmp_path, TWO_VERSIONS, "a.yaml")
    _write(tmp_path, TWO_VERSIONS, "b.yaml")
    with pytest.raises(DuplicateParameterError, match="FEE"):
        load_parameters(tmp_path)


def test_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ParameterFileError, match="没有参数文件"):
        load_parameters(tmp_path)


def test_short_citation_drops_the_revision_marker() -> None:
    assert (
        short_citation("《中华人民共和国行政处罚法》(2021修订) 第八十五条")
        == "《中华人民共和国行政处罚法》第八十五条"
    )
    assert short_citation("国办发〔2018〕118号 二（六）") == "国办发〔2018〕118号 二（六）"
