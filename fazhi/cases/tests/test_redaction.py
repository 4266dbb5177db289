"""What the public may see of a penalty decision: masks, redaction, snapshot, publication.

The property test at the end is PERFORMANCE goal G12 (PERF-SECURITY §5): over ten thousand
generated decisions whose facts embed checksum-valid ID numbers, mobile numbers in several
formats, bank accounts, home addresses and the names of parties and witnesses, the published
snapshot holds none of them, while masked names, amounts and document numbers survive.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.cn import ric, uscc

from fazhi.cases.models import Outcome, PenaltyCase
from fazhi.cases.redaction import (
    REMOVED,
    DecisionRecord,
    PartyRecord,
    RedactionLeakError,
    birth_date_from_id,
    is_minor_on,
    is_valid_resident_id,
    mask_id_number,
    mask_person_name,
    mask_phone,
    publishable,
    record_of,
    redact_text,
    refusal,
    snapshot,
    snapshot_of,
)
from fazhi.cases.services import PartyInput
from fazhi.cases.testing import COMPANY, PERSON, resident_id, walk
from fazhi.cases.workflow import Status
from fazhi.catalog.testing import credit_code

D = dt.date


def valid_id(area: str, birth: D, seq: int) -> str:
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


# --- masks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三丰", "张**"),
        ("李四", "李*"),
        ("欧阳锋", "欧阳*"),
        ("司马相如", "司马**"),
        ("诸葛亮", "诸葛*"),
        ("上官婉儿", "上官**"),
        ("东方朔", "东方*"),
        ("欧阳", "欧*"),  # two characters: surname 欧, given name 阳
        ("买买提·艾力", "买*****"),
        ("  王五 ", "王*"),
        ("", ""),
    ],
)
def test_a_person_name_keeps_only_the_surname(name, masked):
    assert mask_person_name(name) == masked


def test_an_id_number_keeps_the_first_three_and_last_four():
    assert mask_id_number("220422199001011234") == "220***********1234"
    assert mask_id_number("220422 19900101 123X") == "220***********123X"
    assert mask_id_number("220422900101123") == "220********1123"
    assert mask_id_number("1234") == "****"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812348000", "138****8000"),
        ("138 1234 8000", "138****8000"),
        ("+86 138-1234-8000", "138****8000"),
        ("0437-5212345", "0437-***2345"),
        ("(0437)52123456", "0437-****3456"),
        ("010-12345678", "010-****5678"),
        ("12345", "*2345"),
        ("", ""),
    ],
)
def test_a_phone_keeps_its_ends(phone, masked):
    assert mask_phone(phone) == masked


# --- resident ID numbers --------------------------------------------------------------------


def test_resident_id_checksum_is_checked():
    good = valid_id("220422", D(1990, 1, 1), 123)
    assert is_valid_resident_id(good)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert not is_valid_resident_id(wrong)
    assert not is_valid_resident_id(good[:-1])
    assert not is_valid_resident_id("")
    x_id = next(
        i for i in (valid_id("220422", D(1985, 6, 15), s) for s in range(200)) if i[-1] == "X"
    )
    assert is_valid_resident_id(x_id) and is_valid_resident_id(x_id.lower())


def test_birth_date_is_read_from_18_and_15_digit_numbers():
    assert birth_date_from_id(valid_id("220422", D(2008, 2, 29), 5)) == D(2008, 2, 29)
    # A wrong check digit does not hide a birth date (the minor question wants it anyway).
    assert birth_date_from_id("220422200801011230") == D(2008, 1, 1)
    assert birth_date_from_id("220422900101123") == D(1990, 1, 1)
    assert birth_date_from_id("220422199002301234") is None  # 30 February
    assert birth_date_from_id("91220422MA17ABCD1X") is None
    assert birth_date_from_id("") is None


def test_a_person_is_a_minor_until_the_day_after_the_eighteenth_birthday():
    birth = D(2006, 3, 5)
    assert is_minor_on(birth, D(2024, 3, 4))
    assert is_minor_on(birth, D(2024, 3, 5))  # 周岁 counts from the day after the birthday
    assert not is_minor_on(birth, D(2024, 3, 6))
    leap = D(2004, 2, 29)  # 2022 has no 29 February: the birthday is 1 March
    assert is_minor_on(leap, D(2022, 3, 1))
    assert not is_minor_on(leap, D(2022, 3, 2))


# --- redact_text ----------------------------------------------------------------------------

BODY = "东辽县市场监督管理局"
DOC = "东市监罚决〔2024〕12号"
COMPANY_NAME = "东辽县白泉镇顺发商贸有限公司"


def test_every_kind_of_id_number_is_removed():
    good = valid_id("220422", D(1990, 1, 1), 123)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    x_id = next(
        i for i in (valid_id("220402", D(1979, 9, 9), s) for s in range(200)) if i[-1] == "X"
    )
    text = f"身份证号码{good}；又报{bad}；{x_id.lower()}；旧证220422900101123。"
    out = redact_text(text)
    assert out == f"身份证号码{REMOVED}；又报{REMOVED}；{REMOVED}；旧证{REMOVED}。"


@pytest.mark.parametrize(
    "phone",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 13812345678",
        "+86-138-1234-5678",
        "(+86)13812345678",
        "0086 139 1234 5678",
        "１３８１２３４５６７８",  # full-width digits
    ],
)
def test_mobile_numbers_in_any_format_are_removed(phone):
    out = redact_text(f"当事人手机{phone}，已告知。另有人报称{phone}。")
    assert out == f"当事人手机{REMOVED}，已告知。另有人报称{REMOVED}。"


@pytest.mark.parametrize(
    "phone", ["0437-5212345", "0437 52123456", "（0437）5212345", "010-12345678"]
)
def test_landlines_with_area_code_are_removed(phone):
    assert redact_text(f"举报人{phone}来电") == f"举报人{REMOVED}来电"


def test_numbers_after_a_contact_cue_are_removed_whatever_their_length():
    out = redact_text("联系电话：5212345，QQ：12345678，微信号：lisi_2024。")
    assert out == f"联系电话：{REMOVED}，QQ：{REMOVED}，微信号：{REMOVED}。"


def test_bank_accounts_are_removed_luhn_valid_or_not():
    body = "622202123456789012"
    card = body + luhn.calc_check_digit(body)
    assert luhn.is_valid(card)
    grouped = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    text = f"收款账号{card}，另一账户{grouped}，对公账户1234-5678-9012-34。"
    out = redact_text(text)
    assert out == f"收款账号{REMOVED}，另一账户{REMOVED}，对公账户{REMOVED}。"
    assert not re.search(r"\d{5,}", out)


def test_email_addresses_and_birth_dates_are_removed():
    out = redact_text("邮箱zhang.san@example.com.cn，1990年1月1日出生，出生日期：1990-01-01。")
    assert out == f"邮箱{REMOVED}，{REMOVED}出生，出生日期：{REMOVED}。"


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("住吉林省辽源市东辽县白泉镇新立村3组15号。", f"住吉林省辽源市东辽县{REMOVED}。"),
        ("住东辽县人民大街12号5号楼2单元301室，", f"住东辽县{REMOVED}，"),
        ("家住辽源市龙山区阳光小区8栋2单元502室", f"家住辽源市龙山区{REMOVED}"),
        ("户籍地为白泉镇红旗村，系村民", f"户籍地为{REMOVED}，系村民"),
        ("住址：吉林省辽源市东辽县渭津镇和平村五组", f"住址：吉林省辽源市东辽县{REMOVED}"),
        ("在东辽县渭津镇人民大街88号经营超市", f"在东辽县{REMOVED}经营超市"),
        ("住东辽县金州乡太平村三组十五号", f"住东辽县{REMOVED}"),
    ],
)
def test_addresses_keep_nothing_below_the_county(text, redacted):
    assert redact_text(text) == redacted


def test_place_words_without_an_address_stay():
    text = "当事人系新立村村民，在道路上停放3号车，经营地点在白泉镇新立村。"
    assert redact_text(text) == text


def test_names_are_masked_and_public_values_survive():
    text = (
        f"当事人张三丰系{COMPANY_NAME}的法定代表人，证人欧阳明证实：张三丰于2024年3月5日"
        f"销售过期食品，货值金额1,250.50元，违法所得300元。依据《中华人民共和国食品安全法》"
        f"第一百二十四条第一款第（三）项、第34条，{BODY}作出{DOC}行政处罚决定，罚款5000元，"
        "并没收违法所得。执法人员张执法、陈协办。统一社会信用代码91220422MA17ABCD1X。"
    )
    out = redact_text(
        text, names=["张三丰", "欧阳明"], keep=[COMPANY_NAME, BODY, DOC, "91220422MA17ABCD1X"]
    )
    assert "张三丰" not in out and "欧阳明" not in out
    assert out.count("张**") == 2 and "欧阳*" in out
    for public in (
        COMPANY_NAME,
        BODY,
        DOC,
        "2024年3月5日",
        "1,250.50元",
        "违法所得300元",
        "罚款5000元",
        "第一百二十四条第一款第（三）项",
        "第34条",
        "张执法",  # officers' names are public (事前公示)
        "91220422MA17ABCD1X",
    ):
        assert public in out
    assert REMOVED not in out


def test_document_numbers_and_amounts_are_not_taken_for_numbers():
    text = (
        "依据东市监罚决〔2024〕123456号、东市监罚决[2023]第7号，罚款1234567890元，时间2024-03-05。"
    )
    assert redact_text(text) == text


def test_a_number_rule_never_swallows_a_neighbouring_amount_or_date():
    # Without the protection the grouped-number rules would read “13812345678 5000” or
    # “2024-03-05 62220212…” as one long number.
    out = redact_text("手机13812345678 5000元，2024-03-05 6222021234567890123转账")
    assert out == f"手机{REMOVED} 5000元，2024-03-05 {REMOVED}转账"


def test_a_keep_string_holding_a_personal_number_is_ignored():
    person = valid_id("220422", D(1990, 1, 1), 1)
    out = redact_text(f"号码{person}", keep=[person, "13812345678"])
    assert out == f"号码{REMOVED}"


def test_private_use_characters_in_the_input_cannot_smuggle_anything():
    out = redact_text("\ue000\ue001 13812345678")
    assert "13812345678" not in out and "\ue000" not in out


# --- snapshot and refusal (pure) ------------------------------------------------------------

ADULT_ID = valid_id("220422", D(1985, 5, 1), 17)
ORG_CODE = credit_code(900)


BASE = DecisionRecord(
    status=Status.DECIDED.value,
    outcome=Outcome.PENALTY.value,
    decision_number=DOC,
    organization=BODY,
    item_code="SCJ-CF-001",
    item_name="对未按规定公示年度报告的处罚",
    legal_basis="《中华人民共和国市场主体登记管理条例》第四十六条",
    title="张三丰未按规定公示年度报告",
    facts_text=(
        f"当事人张三丰（身份证号码{ADULT_ID}，住东辽县白泉镇新立村3组15号，电话13812345678）"
        f"系{COMPANY_NAME}股东，其法定代表人李大明称不知情。"
    ),
    act_date=D(2024, 2, 1),
    decided_on=D(2024, 3, 15),
    penalty_types=("warning", "fine"),
    fine=Decimal("5000.00"),
    confiscation=None,
    parties=(
        PartyRecord(kind="individual", name="张三丰", id_number=ADULT_ID),
        PartyRecord(
            kind="organization",
            name=COMPANY_NAME,
            id_number=ORG_CODE,
            legal_representative="李大明",
        ),
    ),
)


def record(**overrides: Any) -> DecisionRecord:
    return replace(BASE, **overrides)


def test_the_snapshot_holds_the_summary_and_no_personal_data():
    snap = snapshot(record())
    assert snap["parties"] == [
        {"kind": "individual", "kind_label": "公民", "name": "张**"},
        {
            "kind": "organization",
            "kind_label": "法人或者其他组织",
            "name": COMPANY_NAME,
            "credit_code": ORG_CODE,
            "legal_representative": "李**",
        },
    ]
    assert snap["title"] == "张**未按规定公示年度报告"
    assert snap["facts"] == (
        f"当事人张**（身份证号码{REMOVED}，住东辽县{REMOVED}，电话{REMOVED}）"
        f"系{COMPANY_NAME}股东，其法定代表人李**称不知情。"
    )
    assert snap["penalty_types"] == ["警告", "罚款"]
    assert snap["fine"] == "5000.00" and snap["confiscation"] is None
    assert snap["decided_on"] == "2024-03-15"
    assert snap["outcome_label"] == "给予行政处罚"
    text = json.dumps(snap, ensure_ascii=False)
    assert "张三丰" not in text and "李大明" not in text and ADULT_ID not in text


def test_an_organization_number_that_is_a_person_id_is_not_published():
    person_as_org = PartyRecord(kind="organization", name="某某经营部", id_number=ADULT_ID)
    snap = snapshot(record(parties=(person_as_org,), facts_text="", title="违法经营"))
    parties = snap["parties"]
    assert isinstance(parties, list) and parties[0]["credit_code"] == ""
    assert ADULT_ID not in json.dumps(snap, ensure_ascii=False)


def test_a_leak_that_slips_through_is_refused():
    # An item name is kept as written; a mobile number in it must still stop publication.
    with pytest.raises(RedactionLeakError, match="手机号码"):
        snapshot(record(item_name="举报电话13812345678的事项"))


def test_an_adult_decided_case_may_be_published():
    assert refusal(record()) == ""


def test_a_minor_party_blocks_publication():
    minor_id = valid_id("220422", D(2006, 3, 5), 3)
    minor = PartyRecord(kind="individual", name="王小弟", id_number=minor_id)
    reason = refusal(record(parties=(minor,), act_date=D(2024, 3, 5)))
    assert "王**" in reason and "不满十八周岁" in reason and "第一百零三条" in reason
    assert refusal(record(parties=(minor,), act_date=D(2024, 3, 6))) == ""


def test_the_entered_birth_date_counts_and_the_younger_age_wins():
    adult_by_id = PartyRecord(
        kind="individual", name="王小弟", id_number=ADULT_ID, birth_date=D(2010, 1, 1)
    )
    assert "不满十八周岁" in refusal(record(parties=(adult_by_id,)))


def test_an_unknown_age_blocks_publication_until_it_is_entered():
    passport = PartyRecord(kind="individual", name="约翰", id_number="E12345678")
    assert "补录出生日期" in refusal(record(parties=(passport,)))
    known = PartyRecord(
        kind="individual", name="约翰", id_number="E12345678", birth_date=D(1970, 1, 1)
    )
    assert refusal(record(parties=(known,))) == ""


def test_warning_only_is_not_published_when_the_samr_rule_applies():
    warning_only = record(penalty_types=("warning",), fine=None)
    assert refusal(warning_only) == ""
    assert "第二条" in refusal(warning_only, publish_warning_only=False)
    assert refusal(record(), publish_warning_only=False) == ""  # warning and fine


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"outcome": Outcome.NOT_ESTABLISHED.value}, "违法事实不能成立"),
        ({"status": Status.LEGAL_REVIEW.value}, "法制审核中"),
        ({"status": Status.DECISION_REVOKED.value}, "撤回"),
    ],
)
def test_undecided_unfounded_or_revoked_cases_are_not_published(overrides, fragment):
    assert fragment in refusal(record(**overrides))


# --- from a saved case ----------------------------------------------------------------------


@pytest.mark.django_db
def test_snapshot_of_a_decided_case_reads_the_saved_rows(cc):
    case = walk(cc, Status.DECIDED, party=PERSON)
    PenaltyCase.objects.filter(pk=case.pk).update(
        facts_text=f"经查，当事人{PERSON.name}（电话{PERSON.phone}，住{PERSON.address}）未公示年报。"
    )
    case.refresh_from_db()
    assert publishable(case) == ""
    snap = snapshot_of(case)
    assert snap == snapshot(record_of(case))
    assert snap["decision_number"] == case.decision_number and case.decision_number
    assert snap["organization"] == case.organization.name
    assert snap["legal_basis"] == case.item.citation
    assert snap["parties"] == [
        {"kind": "individual", "kind_label": "公民", "name": mask_person_name(PERSON.name)}
    ]
    assert snap["fine"] == f"{case.fine:.2f}" and case.fine
    assert (
        snap["facts"]
        == f"经查，当事人李**（电话{REMOVED}，住吉林省辽源市东辽县{REMOVED}）未公示年报。"
    )
    text = json.dumps(snap, ensure_ascii=False)
    for secret in (PERSON.name, PERSON.id_number, PERSON.phone, "和平村"):
        assert secret not in text


@pytest.mark.django_db
def test_snapshot_of_an_organization_case_shows_the_company(cc):
    case = walk(cc, Status.DECIDED, party=COMPANY)
    snap = snapshot_of(case)
    assert snap["parties"] == [
        {
            "kind": "organization",
            "kind_label": "法人或者其他组织",
            "name": COMPANY.name,
            "credit_code": COMPANY.id_number,
            "legal_representative": "王**",
        }
    ]
    assert COMPANY.phone not in json.dumps(snap, ensure_ascii=False)


@pytest.mark.django_db
def test_publishable_refuses_a_saved_minors_case(cc):
    minor = PartyInput(
        kind="individual",
        name="王小弟",
        id_number=resident_id(31, birth="20100101"),
        address="吉林省辽源市东辽县白泉镇",
    )
    facts: dict[str, object] = {"severity": "minor", "harm": "ordinary"}
    case = walk(cc, Status.DECIDED, party=minor, facts=facts, fine=Decimal(20000))
    reason = publishable(case)
    assert "王**" in reason and "不满十八周岁" in reason
    adult = walk(cc, Status.DECIDED, party=PERSON)
    assert publishable(adult) == ""


# --- property: ten thousand generated decisions (PERF-SECURITY G12) -------------------------

# Character pools are disjoint from one another and from the fixed wording below, so a full name
# can only appear in the output if masking failed, never by coincidence.
SURNAMES = list("张王李赵刘陈杨黄周吴孙马朱胡郭何高罗郑梁谢宋唐许韩冯邓曹彭曾") + [
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "宇文",
]  # fmt: skip
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛秀霞刚桂英玉萍娥玲芬燕彬鹏辉俊峰雪琳倩婷"
PLACE = "白泉安石渭津凌云建丰足永新立平胜长青福兴太沙河"
AREAS = ["220422", "220421", "220402", "220403", "220181", "220102"]
COUNTIES = [
    "吉林省辽源市东辽县",
    "辽源市东辽县",
    "东辽县",
    "吉林省辽源市龙山区",
    "吉林省长春市朝阳区",
]
TRADES = ["商贸", "食品", "建材", "农资", "餐饮", "物流"]
FORMS = ["有限公司", "有限责任公司", "经营部", "合作社"]

MOBILE_FORMS = (
    "{n}",
    "{a} {b} {c}",
    "{a}-{b}-{c}",
    "+86 {n}",
    "+86-{a}-{b}-{c}",
    "(+86){n}",
    "0086{n}",
)
ADDRESS_FORMS = (
    "{a}镇{b}村{g}组{m}号",
    "{a}乡{b}村{m}号",
    "{a}路{n}号{bld}栋{u}单元{r}室",
    "{a}镇{b}大街{n}号{r}室",
    "{a}小区{n}号楼{u}单元{r}室",
    "{a}街道{b}社区{n}栋{r}室",
)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))


def place_name(rng: random.Random) -> str:
    return "".join(rng.choices(PLACE, k=rng.randint(2, 3)))


def checksum_valid_id(rng: random.Random) -> str:
    # Adults on every act date drawn below (2021 onwards); the minor rule has its own tests.
    birth = D(1940, 1, 1) + dt.timedelta(
        days=rng.randint(0, (D(2002, 12, 31) - D(1940, 1, 1)).days)
    )
    return valid_id(rng.choice(AREAS), birth, rng.randint(0, 999))


def mobile(rng: random.Random, form: int) -> str:
    n = f"1{rng.choice('3456789')}{rng.randint(0, 10**9 - 1):09d}"
    return MOBILE_FORMS[form % len(MOBILE_FORMS)].format(n=n, a=n[:3], b=n[3:7], c=n[7:])


def landline(rng: random.Random) -> str:
    area = rng.choice(["0437", "0431", "010", "024"])
    local = str(rng.randint(2000000, 89999999))
    return rng.choice([f"{area}-{local}", f"({area}){local}", f"{area} {local}", area + local])


def bank_account(rng: random.Random, grouped: bool) -> str:
    length = rng.randint(12, 19)
    body = str(rng.randint(10 ** (length - 2), 10 ** (length - 1) - 1))
    number = body + (luhn.calc_check_digit(body) if rng.random() < 0.5 else "7")
    if grouped:
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


def home_address(rng: random.Random, form: int) -> tuple[str, str]:
    """(county part, tail below the county): the tail must disappear, the county stay."""
    n, m, r = rng.randint(1, 300), rng.randint(1, 300), rng.randint(101, 2508)
    tail = ADDRESS_FORMS[form % len(ADDRESS_FORMS)].format(
        a=place_name(rng),
        b=place_name(rng),
        g=rng.randint(1, 12),
        n=n,
        m=m,
        bld=rng.randint(1, 30),
        u=rng.randint(1, 6),
        r=r,
    )
    return rng.choice(COUNTIES), tail


def uscc_code(n: int) -> str:
    """A valid credit code of the usual new form (91 + area + MA…): at most 8 digits in a row."""
    body = f"91220422MA{n:05d}B1"
    return body + uscc.calc_check_digit(body)


@dataclass(frozen=True)
class Generated:
    """A generated decision and what its publication must (not) show."""

    record: DecisionRecord
    people: list[str]  # every natural person named: no full name may survive
    person: str  # the individual party
    tails: list[str]  # address parts below the county: must disappear
    county: str  # the party's address down to the county: must stay
    fine: int
    gains: int
    company: str
    org_code: str


@st.composite
def decision(draw: st.DrawFn) -> Generated:
    """A decided case with the facts text an officer might type, and what must (not) survive.

    Hypothesis chooses the shape (formats, how many witnesses); the digits and names come from
    a seeded generator, so ten thousand decisions cost a few draws each and a failure still
    reproduces from its seed.
    """
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    phone_form = draw(st.integers(0, len(MOBILE_FORMS) - 1))
    home_form = draw(st.integers(0, len(ADDRESS_FORMS) - 1))
    n_witnesses = draw(st.integers(0, 3))
    grouped = draw(st.booleans())

    year = rng.randint(2021, 2025)
    doc = f"东市监罚决〔{year}〕{rng.randint(1, 999)}号"
    fine, gains = rng.randint(1, 200000), rng.randint(1, 99999)
    on = D(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    company = f"东辽县{place_name(rng)}{rng.choice(TRADES)}{rng.choice(FORMS)}"
    org_code = uscc_code(rng.randint(0, 99999))
    person, rep = person_name(rng), person_name(rng)
    witnesses = [person_name(rng) for _ in range(n_witnesses)]
    pid = checksum_valid_id(rng)
    phones = [mobile(rng, phone_form + i) for i in range(3)]
    county, tail = home_address(rng, home_form)
    w_county, w_tail = home_address(rng, home_form + 1)
    email = "".join(rng.choices("abcdxyz", k=rng.randint(2, 6))) + "@example.com"
    pieces = [
        f"当事人{person}（身份证号码：{pid}，住{county}{tail}，联系电话：{phones[0]}）",
        f"系{company}（统一社会信用代码{org_code}）的实际经营者，法定代表人{rep}",
        f"当事人于{on.year}年{on.month}月{on.day}日在{company}经营场所内销售过期食品",
        f"违法所得{gains}元，当事人通过账户{bank_account(rng, grouped)}收取货款",
        f"当事人的电子邮箱为{email}，备用电话{phones[1]}",
        # No cue word before these two: the number rules alone must find them.
        f"经核查，{phones[2]}为当事人收款所用号码",
        f"举报人于{on.year}年{on.month}月{on.day}日通过{landline(rng)}来电举报",
    ]
    for w in witnesses:
        pieces.append(
            f"证人{w}（身份证号{checksum_valid_id(rng)}，住{w_county}{w_tail}，"
            f"手机{rng.choice(phones)}）证实{person}多次销售该批食品"
        )
    middle = pieces[1:]
    rng.shuffle(middle)
    closing = (
        f"依据《中华人民共和国食品安全法》第一百二十四条第一款，{BODY}作出{doc}行政处罚决定："
        f"罚款{fine}元，没收违法所得{gains}元"
    )
    facts = "。".join([pieces[0], *middle, closing]) + "。"
    parties = (
        PartyRecord(kind="individual", name=person, id_number=pid),
        PartyRecord(
            kind="organization", name=company, id_number=org_code, legal_representative=rep
        ),
    )
    rec = DecisionRecord(
        status=Status.DECIDED.value,
        outcome=Outcome.PENALTY.value,
        decision_number=doc,
        organization=BODY,
        item_code="SCJ-CF-009",
        item_name="对经营超过保质期食品的处罚",
        legal_basis="《中华人民共和国食品安全法》第一百二十四条第一款",
        title=f"{person}经营超过保质期食品案",
        facts_text=facts,
        act_date=on,
        decided_on=on,
        penalty_types=("fine", "confiscate_gains"),
        fine=Decimal(fine),
        confiscation=Decimal(gains),
        parties=parties,
        other_names=tuple(witnesses),
    )
    return Generated(
        record=rec,
        people=[person, rep, *witnesses],
        person=person,
        tails=[tail, w_tail] if witnesses else [tail],
        county=county,
        fine=fine,
        gains=gains,
        company=company,
        org_code=org_code,
    )


_SEPARATED = re.compile(r"(?<=\d)[ \-]+(?=\d)")
_ADDRESS_TAIL = re.compile(
    r"(?:镇|乡|村|路|街|小区|社区)[^，。；、（）()：:\s［]{0,8}?\d+(?:号|室|栋|单元|组)"
)


def leaks(text: str) -> list[str]:
    """What the G12 detectors find in a published text."""
    found: list[str] = []
    joined = _SEPARATED.sub("", text)
    for m in re.finditer(r"(?=(\d{17}[\dXx]))", joined):
        candidate = m.group(1).upper()
        if ric.calc_check_digit(candidate) == candidate[-1]:
            found.append(f"ID {candidate}")
    found += [f"mobile {m}" for m in re.findall(r"1[3-9]\d{9}", joined)]
    found += [f"landline {m}" for m in re.findall(r"0\d{2,3}\)?\d{7,8}", joined)]
    found += [f"long number {m}" for m in re.findall(r"\d{12,}", joined)]
    found += [f"address {m}" for m in _ADDRESS_TAIL.findall(text)]
    found += [f"email {m}" for m in re.findall(r"[\w.+-]{0,64}@[\w.-]{0,64}", text)]
    return found


BATCH = 25
EXAMPLES = 400  # 400 examples x 25 decisions = 10,000 published decisions


def check_published(case: Generated) -> None:
    rec = case.record
    assert refusal(rec) == ""
    snap = snapshot(rec)
    text = json.dumps(snap, ensure_ascii=False)
    assert leaks(text) == [], (leaks(text), rec.facts_text)
    for name in case.people:
        assert name not in text, (name, rec.facts_text)
    for tail in case.tails:
        assert tail not in text, (tail, rec.facts_text)
    facts = snap["facts"]
    assert isinstance(facts, str)
    masked = mask_person_name(case.person)
    assert f"当事人{masked}（身份证号码：{REMOVED}，住{case.county}{REMOVED}" in facts
    assert f"罚款{case.fine}元" in facts and f"违法所得{case.gains}元" in facts
    assert rec.decision_number in facts and rec.decision_number == snap["decision_number"]
    assert f"{case.company}（统一社会信用代码{case.org_code}）" in facts
    parties = snap["parties"]
    assert isinstance(parties, list) and parties[1]["credit_code"] == case.org_code
    assert "第一百二十四条第一款" in facts and BODY in facts


def test_ten_thousand_published_decisions_leak_nothing():
    checked = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(decision(), min_size=BATCH, max_size=BATCH))
    def run(batch: list[Generated]) -> None:
        nonlocal checked
        for case in batch:
            check_published(case)
        checked += len(batch)

    run()
    assert checked >= 10_000
