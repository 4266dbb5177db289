"""What the public may see of a penalty decision (行政处罚决定公示).

Publication writes an immutable, redacted snapshot (ARCHITECTURE §5 rule 5); this module
decides what goes into it and whether a case may be published at all.

* 国办发〔2018〕118号 二 (TS-2): private information is published only “作适当处理后”.
* 《市场监督管理行政处罚信息公示规定》第六条 asks for “必要的处理” of personal information and
  第七条 for a text otherwise identical to the served decision, so free text is *cut*, not
  rewritten: ID numbers, telephone numbers, bank accounts, e-mail addresses and the part of a
  home address below the county disappear; natural persons' names keep the surname
  (PERF-SECURITY §3.5, the court practice of 最高法《关于人民法院在互联网公布裁判文书的规定》).
* Organizations' names and credit codes, the enforcement body, statute citations, dates,
  amounts and document numbers are public and must survive untouched.
* Cases of minors are never published (《中华人民共和国未成年人保护法》第一百零三条).

Everything here is a pure function of plain values except :func:`record_of` (and the two
wrappers :func:`snapshot_of` and :func:`publishable`), which read a saved case. The property
test of ``tests/test_redaction.py`` runs the detectors of PERF-SECURITY goal G12 over ten
thousand generated decisions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stdnum.cn import ric

from fazhi.cases.models import Outcome, PenaltyCase
from fazhi.cases.workflow import DECIDED_STATES, Status
from fazhi.catalog.conversions import CatalogValidationError, check_credit_code
from fazhi.rules.enforcement import PartyKind, PenaltyType
from fazhi.rules.lenience import ADULT_AGE

__all__ = [
    "COMPOUND_SURNAMES",
    "REMOVED",
    "DecisionRecord",
    "PartyRecord",
    "RedactionLeakError",
    "birth_date_from_id",
    "is_minor_on",
    "is_valid_resident_id",
    "mask_id_number",
    "mask_person_name",
    "mask_phone",
    "publishable",
    "record_of",
    "redact_text",
    "refusal",
    "snapshot",
    "snapshot_of",
]

# What replaces a removed piece of text. It has no digit and no place-name suffix, so no later
# rule can mistake it for something to cut.
REMOVED = "［已隐去］"

# Two-character surnames (复姓): the mask keeps both characters, 欧阳锋 -> 欧阳*.
COMPOUND_SURNAMES: frozenset[str] = frozenset(
    {
        "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
        "宇文", "长孙", "夏侯", "轩辕", "端木", "南宫", "西门", "司徒", "司空", "呼延",
        "独孤", "万俟", "闻人", "赫连", "申屠", "钟离", "宗政", "濮阳", "淳于", "澹台",
        "公冶", "太叔", "百里", "拓跋",
    }
)  # fmt: skip


class RedactionLeakError(ValueError):
    """A snapshot still holds personal data after redaction: it must not be published."""


# --- Masks ----------------------------------------------------------------------------------


def mask_person_name(name: str) -> str:
    """``张三丰`` -> ``张**``; ``欧阳锋`` -> ``欧阳*``; ``买买提·艾力`` -> ``买*****``.

    The surname stays and every other character becomes ``*`` (one star per character). Names
    of minorities written with a middle dot keep only their first character, as the courts do.
    """
    name = name.strip()
    if len(name) <= 1:
        return name
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + "*" * (len(name) - keep)


def mask_id_number(value: str) -> str:
    """``220422199001011234`` -> ``220***********1234`` (first 3 and last 4 kept).

    For internal lists only: public text drops ID numbers entirely (PERF-SECURITY §3.5).
    """
    compact = re.sub(r"[\s\-]", "", value)
    if len(compact) <= 7:
        return "*" * len(compact)
    return compact[:3] + "*" * (len(compact) - 7) + compact[-4:]


_MOBILE_DIGITS = re.compile(r"1[3-9]\d{9}")


def mask_phone(value: str) -> str:
    """``13812348000`` -> ``138****8000``; ``0437-5212345`` -> ``0437-***2345``.

    A mobile number keeps its first 3 and last 4 digits (the usual display mask); a landline
    keeps its area code and the last 4 digits of the local number; anything else keeps only its
    last 4 digits.
    """
    digits = re.sub(r"\D", "", value)
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and _MOBILE_DIGITS.fullmatch(digits[len(prefix) :]):
            digits = digits[len(prefix) :]
    if _MOBILE_DIGITS.fullmatch(digits):
        return f"{digits[:3]}****{digits[-4:]}"
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        # Beijing (010) and the 02x cities have 3-digit area codes, everyone else 4.
        area_len = 3 if digits[1] in "12" else 4
        area, local = digits[:area_len], digits[area_len:]
        return f"{area}-{'*' * (len(local) - 4)}{local[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


# --- Resident ID numbers (GB 11643-1999) ----------------------------------------------------


def is_valid_resident_id(value: str) -> bool:
    """An 18-character 公民身份号码 with a valid check digit, birth date and address code."""
    return bool(ric.is_valid(value))


_ID18_FORM = re.compile(r"[0-9]{17}[0-9X]")
_ID15_FORM = re.compile(r"[0-9]{15}")


def _looks_like_resident_id(value: str) -> bool:
    """18 characters with a right check digit and a real birth date: treated as personal.

    Looser than :func:`is_valid_resident_id` (no address-code lookup, which refuses numbers
    of counties created or renamed later than stdnum knows): the safe side for a leak check.
    """
    compact = value.upper()
    return (
        _ID18_FORM.fullmatch(compact) is not None
        and ric.calc_check_digit(compact) == compact[-1]
        and birth_date_from_id(compact) is not None
    )


def birth_date_from_id(value: str) -> date | None:
    """The birth date written in an 18- or 15-digit ID number, or None if there is none.

    The check digit is deliberately *not* required: a mistyped number still tells whether the
    party may be a minor, and for that question a false alarm is the safe error.
    """
    compact = re.sub(r"[\s\-]", "", value).upper()
    try:
        if _ID18_FORM.fullmatch(compact):
            return date(int(compact[6:10]), int(compact[10:12]), int(compact[12:14]))
        if _ID15_FORM.fullmatch(compact):  # 15-digit numbers (before 1999) write 19YY as YY
            return date(1900 + int(compact[6:8]), int(compact[8:10]), int(compact[10:12]))
    except ValueError:
        return None
    return None


def is_minor_on(birth: date, on: date) -> bool:
    """Was a person born on ``birth`` under eighteen (不满十八周岁) on ``on``?

    “周岁” counts from the day *after* the birthday (最高人民法院《关于审理未成年人刑事案件
    具体应用法律若干问题的解释》第二条, the only official rule on counting 周岁; applied here by
    analogy), so on the eighteenth birthday itself the person is still a minor. Someone born on
    29 February has that birthday on 1 March in common years: the later date, the safe side.
    """
    year = birth.year + ADULT_AGE
    try:
        birthday = birth.replace(year=year)
    except ValueError:
        birthday = date(year, 3, 1)
    return on <= birthday


# --- Free text ------------------------------------------------------------------------------

# Protected spans and removals are parked as private-use characters while the rules run, so a
# later rule can neither eat an amount nor see digits inside what an earlier rule removed.
_PRIVATE = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd]")
_BMP_SLOTS = 0xF8FF - 0xE000 + 1
_SLOTS = _BMP_SLOTS + 0xFFFFD - 0xF0000 + 1


class _Vault:
    def __init__(self) -> None:
        self.items: list[str] = []

    def park(self, text: str) -> str:
        index = len(self.items)
        if index >= _SLOTS:  # some 72,000 protected spans: no decision is that long
            raise ValueError("文本过长，无法脱敏处理")
        self.items.append(text)
        return chr(0xE000 + index) if index < _BMP_SLOTS else chr(0xF0000 + index - _BMP_SLOTS)

    def restore(self, text: str) -> str:
        def back(m: re.Match[str]) -> str:
            code = ord(m.group())
            return self.items[code - 0xE000 if code <= 0xF8FF else code - 0xF0000 + _BMP_SLOTS]

        return _PRIVATE.sub(back, text)


# Full-width digits are typed by Chinese input methods; the rules below read ASCII digits, so
# they are converted first (one character for one: the published text only changes width).
_HALF_WIDTH = str.maketrans("０１２３４５６７８９＋Ｘｘ", "0123456789+Xx")
_SP = r"[ \t\u3000]"  # spaces inside a line (never a line break)
_NUM_SEP = r"[ \-－‐]"  # what people type between the groups of a long number

# Dates (a birth date is personal; any other date is public and protected below).
_DATE = (
    r"(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
    r"|(?:19|20)\d{2}[-/.]\d{1,2}(?:[-/.]\d{1,2})?"
    r"|(?:19|20)\d{6})"
)
_BIRTH_AFTER_CUE = re.compile(rf"(出生日期|出生年月日?|生日|出生于|生于)([：:\s]*)({_DATE})")
_BIRTH_BEFORE_CUE = re.compile(rf"(?<!\d)({_DATE})(\s*(?:出生|生人|生(?=[，,。；;、）)\s])))")

# Public values that look like numbers: document numbers (东市监罚决〔2024〕12号, only the
# bracketed year and the serial, so a name before them is still reached), dates, amounts.
_DOC_NUMBER = re.compile(r"[〔［\[(（【]\s*(?:19|20)\d{2}\s*[〕］\])）】]\s*第?\s*\d{1,6}\s*号")
_PUBLIC_DATE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?"
    r"|(?<![\d\-－/.])(?:19|20)\d{2}([-/.])\d{1,2}\1\d{1,2}(?![\d\-－/.])"
)
# At most ten digits before the unit: no phone or account number can hide as an amount.
_AMOUNT = re.compile(r"(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d{1,10})(?:\.\d{1,4})?\s*(?:亿元|万元|元)")

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_CONTACT_CUE = (
    r"(?:联系电话|联系方式|电话号码|手机号码|手机号|移动电话|固定电话|办公电话|电话|手机|座机|传真"
    r"|QQ号码|QQ号|QQ|qq号?)"
)
# After a contact cue, any run of digits is a number to remove, whatever its length (≥ 6).
_CONTACT = re.compile(
    rf"({_CONTACT_CUE}{_SP}*(?:号码)?{_SP}*[：:]?{_SP}*(?:为|是)?{_SP}*)"
    rf"([+＋]?[\d(（][\d \t\-－()（）]{{4,}}\d)"
)
_WECHAT = re.compile(
    rf"((?:微信号?|WeChat|wechat){_SP}*[：:]?{_SP}*)([A-Za-z][A-Za-z0-9_\-]{{5,19}})"
)
_MOBILE_INTL = re.compile(
    rf"(?<!\d)(?:[+＋]{_SP}?86|0086|[(（]{_SP}?[+＋]?86{_SP}?[)）])[ \-－]?"
    rf"1[3-9]\d(?:{_NUM_SEP}?\d){{8}}(?!\d)"
)
_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
# Bank cards and accounts (12–19 digits, Luhn or not) and anything longer: no public value is a
# run of twelve digits or more, so every such run goes, grouped with spaces or dashes or not.
_LONG_NUMBER = re.compile(rf"\d(?:{_NUM_SEP}?\d){{11,}}(?:[Xx](?![A-Za-z]))?")
_MOBILE = re.compile(rf"(?<!\d)1[3-9]\d(?:{_NUM_SEP}?\d){{8}}(?!\d)")
_LANDLINE = re.compile(
    r"(?<!\d)(?:[(（]0\d{2,3}[)）][ ]?|0\d{2,3}[ \-－—]?)\d{7,8}(?:(?:[ \-－]|转)\d{1,6})?(?!\d)"
)

# Home addresses. A chain of place elements — a name of at most six characters ending in a
# township, village or road word — followed by house-number elements (3组15号, 5号楼2单元301室).
# The name may not cross a county-level word (省/县/区, 市 except 市场) nor a preposition, so the
# cut starts right after the county: “东辽县白泉镇新立村3组15号” keeps “东辽县”.
_NAME_CHAR = (
    r"(?:(?![省县区住在于至到往从为系是的与及或地等将把被对])(?!市(?!场))[\u4e00-\u9fffA-Za-z×])"
)
_PLACE_SUFFIX = (
    r"(?:街道办事处|街道|社区|小区|花园|家园|公寓|大厦|大街|大道|胡同|工业园区|园区|开发区|村委会"
    r"|嘎查|苏木|镇|乡|村|屯|路|街|巷|弄)"
)
_PLACE = re.compile(rf"{_NAME_CHAR}{{0,6}}?{_PLACE_SUFFIX}")
_HOUSE = re.compile(
    r"[第之 ]?(?:(?:\d+(?:[-－—]\d+)*|[A-Za-zＡ-Ｚ]|[〇一二三四五六七八九十百零两]{1,4})"
    r" ?(?:号楼|号院|号|室|栋|幢|单元|层|楼|户|组|社|队|座)"
    r"|\d+(?:[-－—]\d+){1,3})"
)
# Without a house number a chain is cut only when the text says it is where someone lives.
_ADDRESS_CUE = re.compile(
    r"(?:住址|住所地?|地址|户籍(?:所在)?地?|家住|现住|居住地?|暂住|住)[：:\s]*(?:为|是|在|于)?"
    r"[^，。；,;！？!?\n]{0,20}$"
)


def redact_text(text: str, *, names: Iterable[str] = (), keep: Iterable[str] = ()) -> str:
    """``text`` without the personal data a published decision may not show.

    Removed (replaced by :data:`REMOVED`): 18- and 15-digit ID numbers, mobile numbers (also
    grouped, or with +86), landlines with an area code, any number after a telephone/QQ/WeChat
    cue, every run of twelve or more digits (bank cards and accounts), e-mail addresses, birth
    dates, and home addresses from the township or road down to the house number. Each name in
    ``names`` (natural persons) is replaced by its :func:`mask_person_name` form.

    Kept as they are: every string in ``keep`` (organization parties' names and credit codes,
    the enforcement body, the document number — public information), document numbers,
    dates, amounts in 元 and statute citations; only full-width digits become ASCII digits.
    A ``keep`` string wins over a name it contains (the trade name of an 个体工商户 is
    public); one that holds an ID or mobile number is ignored.
    """
    vault = _Vault()
    removed = vault.park(REMOVED)
    text = _PRIVATE.sub("\ufffd", text).translate(_HALF_WIDTH)

    def park_all(pattern: re.Pattern[str], value: str) -> str:
        return pattern.sub(lambda m: vault.park(m.group()), value)

    def drop(pattern: re.Pattern[str], value: str, group: int = 0) -> str:
        if group == 0:
            return pattern.sub(removed, value)
        return pattern.sub(lambda m: _replace_group(m, group, removed), value)

    public = (k.translate(_HALF_WIDTH) for k in keep)
    protected = _literal_pattern(k for k in public if not _holds_personal_number(k))
    if protected is not None:
        text = park_all(protected, text)

    text = _BIRTH_AFTER_CUE.sub(lambda m: m.group(1) + m.group(2) + removed, text)
    text = _BIRTH_BEFORE_CUE.sub(lambda m: removed + m.group(2), text)
    for pattern in (_DOC_NUMBER, _PUBLIC_DATE, _AMOUNT):
        text = park_all(pattern, text)

    text = _mask_names(text, names)

    text = drop(_EMAIL, text)
    text = drop(_CONTACT, text, group=2)
    text = drop(_WECHAT, text, group=2)
    text = drop(_MOBILE_INTL, text)
    for pattern in (_ID18, _ID15, _LONG_NUMBER, _MOBILE, _LANDLINE):
        text = drop(pattern, text)

    text = _cut_addresses(text, removed)
    text = re.sub(rf"{re.escape(removed)}(?:{_SP}*{re.escape(removed)})+", removed, text)
    return vault.restore(text)


def _replace_group(match: re.Match[str], group: int, replacement: str) -> str:
    whole = match.group()
    start, end = match.start(group) - match.start(), match.end(group) - match.start()
    return whole[:start] + replacement + whole[end:]


def _literal_pattern(strings: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation of the distinct strings (longest first, so the longer one wins)."""
    cleaned = sorted({s.strip() for s in strings if len(s.strip()) >= 2}, key=len, reverse=True)
    if not cleaned:
        return None
    return re.compile("|".join(re.escape(s) for s in cleaned))


def _holds_personal_number(value: str) -> bool:
    return any(_looks_like_resident_id(m.group()) for m in _ID18.finditer(value)) or bool(
        _MOBILE.search(value)
    )


def _mask_names(text: str, names: Iterable[str]) -> str:
    pattern = _literal_pattern(names)
    if pattern is None:
        return text
    # Replacing one name can only shorten the others' chances, but a second pass costs little
    # and makes “no full name survives” hold whatever the overlaps between the names.
    for _ in range(3):
        text, count = pattern.subn(lambda m: mask_person_name(m.group()), text)
        if count == 0 or pattern.search(text) is None:
            break
    return text


def _cut_addresses(text: str, removed: str) -> str:
    out: list[str] = []
    pos = 0
    while (first := _PLACE.search(text, pos)) is not None:
        start, end = first.start(), first.end()
        last_house: int | None = None
        while True:
            if house := _HOUSE.match(text, end):
                end = last_house = house.end()
            elif place := _PLACE.match(text, end):
                end = place.end()
            else:
                break
        if last_house is not None:
            cut_end: int | None = last_house
        elif _ADDRESS_CUE.search(text, max(0, start - 32), start):
            cut_end = end
        else:
            cut_end = None
        if cut_end is None:
            out.append(text[pos:end])
        else:
            out.append(text[pos:start] + removed)
            out.append(text[cut_end:end])
        pos = end
    out.append(text[pos:])
    return "".join(out)


# --- The snapshot ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyRecord:
    """A party as the redaction sees it (plain values of :class:`fazhi.cases.models.Party`)."""

    kind: str  # a PartyKind value
    name: str
    id_number: str = ""
    birth_date: date | None = None
    legal_representative: str = ""

    @property
    def is_individual(self) -> bool:
        return self.kind == PartyKind.INDIVIDUAL.value


@dataclass(frozen=True)
class DecisionRecord:
    """Everything a snapshot or a publication check reads from a case, as plain values."""

    status: str
    outcome: str
    decision_number: str
    organization: str
    item_code: str
    item_name: str
    legal_basis: str
    title: str
    facts_text: str
    act_date: date
    decided_on: date | None
    penalty_types: tuple[str, ...]
    fine: Decimal | None
    confiscation: Decimal | None
    parties: tuple[PartyRecord, ...]
    # Natural persons named in the facts who are not parties (witnesses, employees …).
    other_names: tuple[str, ...] = ()

    def natural_persons(self) -> list[str]:
        """Names to mask: individual parties, legal representatives, and ``other_names``.

        Officers are not here: their names are public (事前公示, 国办发〔2018〕118号 二（四）).
        """
        people = [p.name for p in self.parties if p.is_individual]
        people += [p.legal_representative for p in self.parties if p.legal_representative]
        return [n for n in (*people, *self.other_names) if n.strip()]

    def public_strings(self) -> list[str]:
        """Strings that are public as written: organizations, credit codes, document number."""
        keep = [self.organization, self.decision_number, self.item_name]
        for party in self.parties:
            if not party.is_individual:
                keep.append(party.name)
                keep.append(_public_credit_code(party))
        return [k for k in keep if k]


def _public_credit_code(party: PartyRecord) -> str:
    """The organization's 统一社会信用代码, or "" if it is not one (say a person's ID number).

    The check is the catalog's (GB 32100-2015); a number that is also a valid resident ID is
    treated as personal, whatever else it passes.
    """
    if party.is_individual or not party.id_number or _looks_like_resident_id(party.id_number):
        return ""
    try:
        return check_credit_code(party.id_number, field="id_number")
    except CatalogValidationError:
        return ""


def _penalty_label(value: str) -> str:
    try:
        return PenaltyType(value).label_zh
    except ValueError:
        return value


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def snapshot(record: DecisionRecord) -> dict[str, object]:
    """The public JSON of a decision: only the fields of the decision summary, redacted.

    The fields follow 《市场监督管理行政处罚信息公示规定》第四条 (文号, 当事人基本情况,
    违法行为类型, 处罚内容, 机关, 日期) and 国办发〔2018〕118号 二（六） (执法机关、执法对象、
    执法类别、执法结论). No ID number of a person, telephone, address or birth date is ever
    copied from the parties; the free text goes through :func:`redact_text`. Amounts are
    strings with two decimals (JSON has no decimal type).

    Raises :class:`RedactionLeakError` if, against all the rules above, a party's ID number, a
    valid resident ID or a mobile number is still in the result.
    """
    names = record.natural_persons()
    keep = record.public_strings()

    def clean(text: str) -> str:
        return redact_text(text, names=names, keep=keep)

    parties: list[dict[str, object]] = []
    for party in record.parties:
        entry: dict[str, object] = {
            "kind": party.kind,
            "kind_label": _kind_label(party.kind),
        }
        if party.is_individual:
            entry["name"] = mask_person_name(party.name)
        else:
            entry["name"] = party.name
            entry["credit_code"] = _public_credit_code(party)
            entry["legal_representative"] = mask_person_name(party.legal_representative)
        parties.append(entry)

    result: dict[str, object] = {
        "decision_number": record.decision_number,
        "organization": record.organization,
        "parties": parties,
        "item_code": record.item_code,
        "item_name": record.item_name,
        "title": clean(record.title),
        "facts": clean(record.facts_text),
        "legal_basis": record.legal_basis,
        "penalty_type_codes": list(record.penalty_types),
        "penalty_types": [_penalty_label(t) for t in record.penalty_types],
        "fine": _money(record.fine),
        "confiscation": _money(record.confiscation),
        "decided_on": record.decided_on.isoformat() if record.decided_on else None,
        "outcome": record.outcome,
        "outcome_label": _outcome_label(record.outcome),
    }
    _assert_clean(result, record)
    return result


def _kind_label(kind: str) -> str:
    try:
        return PartyKind(kind).label_zh
    except ValueError:
        return kind


def _outcome_label(outcome: str) -> str:
    try:
        return str(Outcome(outcome).label)
    except ValueError:
        return outcome


def _assert_clean(result: dict[str, object], record: DecisionRecord) -> None:
    text = json.dumps(result, ensure_ascii=False)
    personal = [p.id_number for p in record.parties if p.is_individual and len(p.id_number) >= 6]
    if any(n in text for n in personal):
        raise RedactionLeakError("公开内容中仍含有当事人的身份证件号码，不得公开。")
    if any(_looks_like_resident_id(m.group()) for m in _ID18.finditer(text)):
        raise RedactionLeakError("公开内容中仍含有公民身份号码，不得公开。")
    if _MOBILE.search(text):
        raise RedactionLeakError("公开内容中仍含有手机号码，不得公开。")


def refusal(record: DecisionRecord, *, publish_warning_only: bool = True) -> str:
    """Why this decision must not be published ("" if it may be). Reasons are joined by “；”.

    ``publish_warning_only=False`` applies 《市场监督管理行政处罚信息公示规定》第二条
    (“仅受到警告行政处罚的不予公示”) — for market-supervision bodies; the other bodies publish
    them under 行政处罚法 第四十八条 and 118号.
    """
    reasons: list[str] = []
    try:
        status: Status | None = Status(record.status)
    except ValueError:
        status = None
    if status is Status.DECISION_REVOKED:
        reasons.append(
            "行政处罚决定已被撤销或者变更，应当撤回已公开的信息，不得再公开"
            "（《中华人民共和国行政处罚法》第四十八条第二款）"
        )
    elif status is None or status not in DECIDED_STATES:
        stage = status.label_zh if status is not None else record.status
        reasons.append(f"案件尚未作出行政处罚决定（当前阶段：{stage}），不能公开")
    if record.outcome == Outcome.NOT_ESTABLISHED:
        reasons.append(
            "违法事实不能成立、不予行政处罚的案件不予公开"
            "（《中华人民共和国行政处罚法》第五十七条第一款第三项）"
        )
    for party in record.parties:
        if party.is_individual:
            reason = _minor_reason(party, record.act_date)
            if reason:
                reasons.append(reason)
    if not publish_warning_only and set(record.penalty_types) == {PenaltyType.WARNING.value}:
        reasons.append("仅受到警告行政处罚的不予公示（《市场监督管理行政处罚信息公示规定》第二条）")
    return "；".join(reasons)


def _minor_reason(party: PartyRecord, act_date: date) -> str:
    """The minor rule: 《中华人民共和国未成年人保护法》第一百零三条; PERF-SECURITY §3.5."""
    births = [b for b in (party.birth_date, birth_date_from_id(party.id_number)) if b]
    who = mask_person_name(party.name)
    if not births:
        return (
            f"无法确认当事人{who}实施违法行为时是否已满十八周岁（未录入出生日期，"
            "身份证件号码也不能识别），补录出生日期后才能公开"
        )
    # Two sources that disagree: the later birth date (the younger age) decides.
    if is_minor_on(max(births), act_date):
        return (
            f"当事人{who}实施违法行为时（{act_date:%Y-%m-%d}）不满十八周岁，未成年人案件不予公开"
            "（《中华人民共和国未成年人保护法》第一百零三条）"
        )
    return ""


# --- From a saved case ----------------------------------------------------------------------


def record_of(case: PenaltyCase) -> DecisionRecord:
    """The plain values of a saved case (at most three queries: body, item, parties)."""
    item = case.item
    return DecisionRecord(
        status=case.status,
        outcome=case.outcome,
        decision_number=case.decision_number,
        organization=case.organization.name,
        item_code=item.code,
        item_name=item.name,
        legal_basis=item.citation,
        title=case.title,
        facts_text=case.facts_text,
        act_date=case.act_date,
        decided_on=case.decided_on,
        penalty_types=tuple(str(t) for t in case.penalty_types or ()),
        fine=case.fine,
        confiscation=case.confiscation,
        parties=tuple(
            PartyRecord(
                kind=p.kind,
                name=p.name,
                id_number=p.id_number,
                birth_date=p.birth_date,
                legal_representative=p.legal_representative,
            )
            for p in case.parties.all()
        ),
    )


def snapshot_of(case: PenaltyCase) -> dict[str, object]:
    """The redacted public JSON of a decided case (see :func:`snapshot`).

    It does not decide *whether* to publish: call :func:`publishable` first.
    """
    return snapshot(record_of(case))


def publishable(case: PenaltyCase, *, publish_warning_only: bool = True) -> str:
    """The Chinese reason why the case must never be published, or "" if it may be."""
    return refusal(record_of(case), publish_warning_only=publish_warning_only)
