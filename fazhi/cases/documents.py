"""Official documents of a penalty case (执法文书), rendered as .docx in the GB/T 9704-2012 layout.

Three layers, each small:

1. :class:`DocumentData` holds the plain values a document shows. :func:`data_from_case`
   reads them from a saved :class:`~fazhi.cases.models.PenaltyCase`; the wording the law
   prescribes (payment, remedies, the rights of 第四十四条) comes from :func:`payment_text`,
   :func:`remedies_text` and :func:`rights_text`, which read the dated parameters.
2. One content function per :class:`DocumentKind` yields blocks (paragraphs, headings,
   tables): *what* the document says. Before any content is written, :func:`render` refuses a
   document that lacks what the law requires of it (行政处罚决定书: 第五十九条; 不予行政处罚决定书:
   the education record of 第三十三条第三款; 事先告知书: 第四十四条 …).
3. ``_Page`` writes the blocks with the GB/T 9704-2012 page, fonts and page numbers: *how* it
   looks. Chinese fonts are written to ``w:eastAsia`` (ANCHORS §B9: ascii/hAnsi alone leave
   CJK text in the theme font, and python-docx's template falls back to MS Mincho).

Rendering is deterministic: the same data gives the same bytes (the package's zip entries are
dated with the issue date, not the clock), so a re-rendered document has the same hash.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import qrcode
import qrcode.constants
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from fazhi.cases.models import (
    CaseSource,
    Hearing,
    Outcome,
    PenaltyCase,
    Procedure,
    ServiceMethod,
)
from fazhi.catalog.models import EnforcementBody
from fazhi.core.models import Organization
from fazhi.rules.enforcement import PartyKind, PenaltyType
from fazhi.rules.parameters import ParameterSet, default_parameters, format_date_zh

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

__all__ = [
    "ONE_CASE_THREE_DOCUMENTS_DEFAULT",
    "DocumentData",
    "DocumentKind",
    "HearingData",
    "OfficerData",
    "PartyData",
    "ServiceData",
    "data_from_case",
    "one_case_three_documents",
    "payment_text",
    "remedies_text",
    "render",
    "rights_text",
    "zh_number",
]


class DocumentKind(StrEnum):
    """The documents of a case.

    ``label_zh`` (also ``label``) is the document's title; ``abbreviation`` is the 文书代字 of its
    number, after the organization's 机关代字: 东市监 + 罚决 + 〔2024〕12号.
    """

    label_zh: str
    abbreviation: str

    if TYPE_CHECKING:

        @property
        def value(self) -> str: ...

    else:

        def __new__(cls, value: str, label_zh: str, abbreviation: str) -> DocumentKind:
            member = str.__new__(cls, value)
            member._value_ = value
            member.label_zh = label_zh
            member.abbreviation = abbreviation
            return member

    REGISTRATION_APPROVAL = "registration_approval", "立案审批表", "立"
    PRIOR_NOTICE = "prior_notice", "行政处罚事先告知书", "罚告"
    HEARING_NOTICE = "hearing_notice", "听证通知书", "听通"
    PENALTY_DECISION = "penalty_decision", "行政处罚决定书", "罚决"
    NO_PENALTY_DECISION = "no_penalty_decision", "不予行政处罚决定书", "不罚"
    CORRECTION_ORDER = "correction_order", "责令改正通知书", "责改"
    SERVICE_RECEIPT = "service_receipt", "送达回证", "送"
    CLOSING_REPORT = "closing_report", "结案报告", "结"
    TOLERANCE_COMMITMENT = "tolerance_commitment", "包容免罚告知承诺书", "承诺"
    ADMINISTRATIVE_GUIDANCE = "administrative_guidance", "行政指导书", "指导"

    @property
    def label(self) -> str:
        """The title, under the name Django's choices use."""
        return self.label_zh

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label_zh) for m in cls]


def _kind(value: DocumentKind | str) -> DocumentKind:
    try:
        return DocumentKind(value)
    except ValueError:
        raise ValueError(f"未知的文书种类：{value!r}。") from None


# 一案三书 (LEGAL-RULES §10.4) is not defined by any source we found (UNVERIFIED): this default
# follows the comparable 包容免罚 practice quoted there (no-penalty decision + 告知承诺书 + a
# guidance document). A county sets its own bundle; :func:`one_case_three_documents` checks it.
ONE_CASE_THREE_DOCUMENTS_DEFAULT: tuple[DocumentKind, ...] = (
    DocumentKind.NO_PENALTY_DECISION,
    DocumentKind.TOLERANCE_COMMITMENT,
    DocumentKind.ADMINISTRATIVE_GUIDANCE,
)


def one_case_three_documents(kinds: Sequence[str] | None = None) -> tuple[DocumentKind, ...]:
    """The 一案三书 bundle: the default, or the configured list of kinds checked.

    The services pass ``settings.FAZHI_ONE_CASE_THREE_DOCUMENTS`` when it is defined. The
    bundle is three distinct kinds of this module; anything else is a configuration error.
    """
    if kinds is None:
        return ONE_CASE_THREE_DOCUMENTS_DEFAULT
    if isinstance(kinds, str):
        raise ValueError(f"“一案三书”应配置为三种文书的列表，而不是一个字符串：{kinds!r}。")
    known = {k.value for k in DocumentKind}
    unknown = [str(k) for k in kinds if k not in known]
    if unknown:
        available = "、".join(f"{k.value}（{k.label_zh}）" for k in DocumentKind)
        raise ValueError(
            f"“一案三书”配置中有未知的文书种类：{'、'.join(unknown)}。可用的种类：{available}。"
        )
    bundle = tuple(DocumentKind(k) for k in kinds)
    if len(set(bundle)) != len(bundle):
        raise ValueError("“一案三书”配置中有重复的文书种类。")
    if len(bundle) != 3:
        raise ValueError(f"“一案三书”应由三种文书组成，现配置了{len(bundle)}种。")
    return bundle


# -- the data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyData:
    """当事人. ``kind`` is a :class:`~fazhi.rules.enforcement.PartyKind` value."""

    kind: str
    name: str
    id_number: str = ""
    legal_representative: str = ""
    address: str = ""


@dataclass(frozen=True)
class OfficerData:
    """执法人员 and the certificate number shown to the party (第五十五条)."""

    name: str
    certificate_number: str


@dataclass(frozen=True)
class HearingData:
    """听证: time, place and presiding officer (第六十四条第二项、第四项)."""

    on: dt.date | None
    place: str
    host: str
    time: str = ""  # “上午9时”: the model keeps the date only
    public: bool = True


@dataclass(frozen=True)
class ServiceData:
    """送达: the document served and how. Blank values are filled in by hand on delivery."""

    document: str
    method: str = ""
    served_on: dt.date | None = None
    recipient: str = ""
    place: str = ""


@dataclass(frozen=True)
class DocumentData:
    """Everything a document shows, as plain values. Blank text means “not applicable”."""

    organization: str  # 办案机关
    case_number: str
    number: str  # 文书编号, e.g. 东市监罚决〔2024〕12号
    issued_on: dt.date
    receipt_seq: int  # the ledger entry the QR code points to
    receipt_url: str
    seal_name: str = ""  # the name on the seal; defaults to the organization
    parties: tuple[PartyData, ...] = ()
    title: str = ""  # 案由
    source: str = ""  # 案件来源
    facts: str = ""
    evidence: tuple[str, ...] = ()
    legal_basis: str = ""  # 《法》第N条 of the enforcement item
    penalty_types: tuple[str, ...] = ()  # labels, 第九条
    fine: Decimal | None = None
    confiscation: Decimal | None = None
    outcome: str = ""  # 处理结果 label (closing report)
    reasoning: str = ""  # the rules engine's paragraph, or the officer's own
    payment: str = ""  # 履行方式和期限 (第五十九条（四）)
    remedies: str = ""  # 救济途径和期限 (第五十九条（五）)
    rights: str = ""  # 陈述、申辩、要求听证 (第四十四条)
    hearing: HearingData | None = None
    education_record: str = ""  # 第三十三条第三款
    correction: str = ""  # what the party must correct
    correction_due: dt.date | None = None
    guidance: str = ""  # 行政指导意见
    officers: tuple[OfficerData, ...] = ()
    service: ServiceData | None = None
    closing_summary: str = ""
    # 简易程序 (第五十一条、第五十二条): decided on the spot, so the decision lists no evidence
    # and is signed by the officers.
    summary: bool = False

    @property
    def signer(self) -> str:
        return self.seal_name or self.organization


# -- legal wording ----------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """1 → 一, 15 → 十五, 60 → 六十, 105 → 一百零五 (periods are written this way in documents)."""
    if not 0 <= n < 10000:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    out, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if gap and out else "") + _DIGITS[digit] + unit
            gap = False
        elif out:
            gap = True
    return out


def _yuan(amount: Decimal) -> str:
    text = f"{amount.quantize(Decimal('0.01')):f}".removesuffix(".00")
    return f"人民币{text}元"


def payment_text(
    *,
    on: dt.date,
    fine: Decimal | None,
    confiscation: Decimal | None = None,
    bank: str = "",
    params: ParameterSet | None = None,
) -> str:
    """履行方式和期限 (第五十九条（四）): where and within how many days to pay, and the surcharge.

    The surcharge standard must be told to the party (行政强制法 第四十五条第一款).
    """
    params = params or default_parameters()
    money = [
        label
        for label, amount in (("罚款", fine), ("没收的违法所得", confiscation))
        if amount is not None and amount > 0
    ]
    if not money:
        return "当事人应当自收到本决定书之日起履行本决定。"
    days = zh_number(params.int_value("PAYMENT_DAYS", on))
    where = f"到{bank}" if bank else "到指定的银行"
    text = (
        f"当事人应当自收到本决定书之日起{days}日内，{where}或者通过电子支付系统缴纳"
        f"{'和'.join(money)}（《中华人民共和国行政处罚法》第六十七条）。"
    )
    if "罚款" in money:
        rate = params.decimal_value("LATE_SURCHARGE_DAILY_RATE", on) * 100
        percent = f"百分之{zh_number(int(rate))}" if rate == rate.to_integral() else f"{rate}%"
        text += (
            f"到期不缴纳罚款的，本机关可以每日按罚款数额的{percent}加处罚款，加处罚款的数额"
            "不得超出罚款的数额（第七十二条第一款第一项）。当事人确有经济困难，需要延期或者"
            "分期缴纳罚款的，可以向本机关提出申请（第六十六条第二款）。"
        )
    return text


def remedies_text(
    *,
    on: dt.date,
    reconsideration_organ: str,
    summary: bool = False,
    params: ParameterSet | None = None,
) -> str:
    """救济途径和期限 (第五十九条（五）).

    The organ must be named: without it the application period runs up to a year
    (行政复议法 第二十条第二款). An on-the-spot penalty goes to reconsideration first, and the
    party must be told so (行政复议法 第二十三条).
    """
    if not reconsideration_organ:
        raise ValueError(
            "须写明行政复议机关（《中华人民共和国行政复议法》第二十条、第二十四条），"
            "不能生成救济途径的告知。"
        )
    params = params or default_parameters()
    days = zh_number(params.int_value("AR_APPLY_DAYS", on))
    if summary:
        return (
            f"当事人如不服本决定，应当自收到本决定书之日起{days}日内先向{reconsideration_organ}"
            "申请行政复议；对行政复议决定不服的，可以再依法向人民法院提起行政诉讼"
            "（《中华人民共和国行政复议法》第二十条、第二十三条）。"
        )
    months = zh_number(params.int_value("LITIGATION_FILE_MONTHS", on))
    return (
        f"当事人如不服本决定，可以自收到本决定书之日起{days}日内向{reconsideration_organ}申请"
        f"行政复议，也可以自收到本决定书之日起{months}个月内依法向人民法院提起行政诉讼"
        "（《中华人民共和国行政复议法》第二十条、《中华人民共和国行政诉讼法》第四十六条）。"
    )


def rights_text(
    *, on: dt.date, hearing_right: bool, you: str = "你（单位）", params: ParameterSet | None = None
) -> str:
    """The rights told before a decision (第四十四条、第四十五条; hearing 第六十三条、第六十四条).

    The hearing request period is in working days (第八十五条).
    """
    text = (
        f"{you}有权进行陈述和申辩。本机关将充分听取{you}的意见，对{you}提出的事实、理由和"
        f"证据进行复核，不因{you}陈述、申辩而给予更重的处罚（《中华人民共和国行政处罚法》"
        "第四十五条）。"
    )
    if hearing_right:
        params = params or default_parameters()
        days = zh_number(params.int_value("HEARING_REQUEST_WDAYS", on))
        text += (
            f"{you}有要求听证的权利。如要求听证，应当在本机关告知后{days}个工作日内提出"
            "（第六十三条、第六十四条第一项、第八十五条）；逾期未提出的，视为放弃要求听证的权利。"
        )
    return text


# -- from a saved case ------------------------------------------------------------------------


def _closing_summary(case: PenaltyCase) -> str:
    parts: list[str] = []
    if case.decided_on and case.outcome:
        parts.append(
            f"本机关于{format_date_zh(case.decided_on)}作出{Outcome(case.outcome).label}的决定"
        )
    if case.served_on:
        parts.append(f"于{format_date_zh(case.served_on)}送达当事人")
    if case.paid_on:
        paid = f"，缴纳{_yuan(case.paid_amount)}" if case.paid_amount else ""
        parts.append(f"当事人于{format_date_zh(case.paid_on)}履行完毕{paid}")
    return "，".join(parts) + "。" if parts else ""


def _default_guidance(legal_basis: str) -> str:
    """Standard guidance for the 一案三书 bundle when the officer wrote none of their own."""
    return "\n".join(
        (
            f"认真学习{legal_basis}等法律、法规、规章的规定，依法从事生产经营活动",
            "建立健全内部管理制度，定期开展合规自查，及时发现和纠正违法行为",
            "发现违法行为的，主动消除或者减轻危害后果，并及时向本机关报告",
        )
    )


def _served_document(case: PenaltyCase) -> str:
    titles = {
        Outcome.PENALTY: DocumentKind.PENALTY_DECISION.label_zh,
        Outcome.NO_PENALTY: DocumentKind.NO_PENALTY_DECISION.label_zh,
        Outcome.NOT_ESTABLISHED: DocumentKind.NO_PENALTY_DECISION.label_zh,
    }
    if not case.outcome:
        return ""
    title = titles[Outcome(case.outcome)]
    return f"{title}（{case.decision_number}）" if case.decision_number else title


def _acting_organization(org: Organization) -> Organization:
    """The organ in whose name documents are issued: an entrusted unit acts in the name of the
    body that entrusted it (行政处罚法 第二十条第三款), so its documents carry that body's name."""
    body = (
        EnforcementBody.objects.filter(organization=org)
        .select_related("entrusting_organization__parent")
        .first()
    )
    if body is not None and body.entrusting_organization is not None:
        return body.entrusting_organization
    return org


def data_from_case(
    case: PenaltyCase,
    *,
    kind: DocumentKind | str,
    number: str,
    issued_on: dt.date,
    receipt_seq: int,
    receipt_url: str,
    extra: Mapping[str, Any] | None = None,
    bank: str = "",
    params: ParameterSet | None = None,
) -> DocumentData:
    """The values of ``kind`` for a saved case. ``extra`` overrides fields by name.

    The case has no field for the correction ordered, its deadline, or guidance of the officer's
    own: the services pass those in ``extra`` (e.g. ``{"correction": …, "correction_due": …}``).
    ``bank`` is where fines are paid (第六十七条), an installation setting. Recused officers
    (第四十三条) are left out.
    """
    kind = _kind(kind)
    params = params or default_parameters()
    notice = kind is DocumentKind.PRIOR_NOTICE
    type_values = case.proposed_types if notice else case.penalty_types
    fine = case.proposed_fine if notice else case.fine
    confiscation = None if notice else case.confiscation
    parties = tuple(
        PartyData(
            kind=p.kind,
            name=p.name,
            id_number=p.id_number,
            legal_representative=p.legal_representative,
            address=p.address,
        )
        for p in case.parties.all()
    )
    officers = tuple(
        OfficerData(name=co.officer.name, certificate_number=co.officer.certificate_number)
        for co in case.case_officers.select_related("officer").filter(recused_on__isnull=True)
    )
    evaluation = case.evaluation if isinstance(case.evaluation, dict) else {}
    reasoning = case.reasoning or str(evaluation.get("paragraph") or "")
    hearing_row = Hearing.objects.filter(case=case).select_related("host").first()
    hearing = None
    if hearing_row is not None:
        host = hearing_row.host
        hearing = HearingData(
            on=hearing_row.scheduled_on,
            place=hearing_row.location,
            host=(host.full_name or host.username) if host else "",
            public=hearing_row.public,
        )
    source = CaseSource(case.source).label
    if case.source_detail:
        source += f"（{case.source_detail}）"
    organization = _acting_organization(case.organization)
    summary = case.procedure == Procedure.SUMMARY
    payment = remedies = rights = ""
    # Only the documents that show them read these parameters: a parameter not yet in force on
    # ``issued_on`` must not stop a document that does not need it.
    if kind is DocumentKind.PENALTY_DECISION:
        payment = payment_text(
            on=issued_on, fine=fine, confiscation=confiscation, bank=bank, params=params
        )
    if kind in (DocumentKind.PENALTY_DECISION, DocumentKind.NO_PENALTY_DECISION):
        # 行政复议法 第二十四条: the county government reviews its departments and townships,
        # i.e. the parent node of the organization tree. Without a parent the services pass
        # ``remedies`` in ``extra``; the decision is refused until they do.
        parent = organization.parent
        if parent is not None:
            remedies = remedies_text(
                on=issued_on,
                reconsideration_organ=parent.name,
                summary=summary,
                params=params,
            )
    if notice:
        you = _you(parties)
        rights = rights_text(on=issued_on, hearing_right=case.hearing_right, you=you, params=params)
    data = DocumentData(
        organization=organization.name,
        seal_name=organization.name,
        case_number=case.number,
        number=number,
        issued_on=issued_on,
        receipt_seq=receipt_seq,
        receipt_url=receipt_url,
        parties=parties,
        title=case.title,
        source=source,
        facts=case.facts_text,
        evidence=tuple(e.title for e in case.evidence.all()),
        legal_basis=case.item.citation,
        penalty_types=tuple(PenaltyType(v).label_zh for v in type_values),
        fine=fine,
        confiscation=confiscation,
        outcome=Outcome(case.outcome).label if case.outcome else "",
        reasoning=reasoning,
        payment=payment,
        remedies=remedies,
        rights=rights,
        hearing=hearing,
        education_record=case.education_record,
        officers=officers,
        guidance=_default_guidance(case.item.citation),
        service=ServiceData(
            document=_served_document(case),
            method=ServiceMethod(case.service_method).label if case.service_method else "",
            served_on=case.served_on,
            recipient=case.service_recipient,
        ),
        closing_summary=_closing_summary(case),
        summary=summary,
    )
    if extra:
        names = {f.name for f in fields(DocumentData)}
        unknown = sorted(set(extra) - names)
        if unknown:
            raise ValueError(f"文书数据中没有这些字段：{'、'.join(unknown)}。")
        data = replace(data, **extra)
        amounts_changed = {"fine", "confiscation"} & set(extra) and "payment" not in extra
        if kind is DocumentKind.PENALTY_DECISION and amounts_changed:
            payment = payment_text(
                on=issued_on, fine=data.fine, confiscation=data.confiscation, bank=bank,
                params=params,
            )  # fmt: skip
            data = replace(data, payment=payment)
    return data


# -- what each document says ------------------------------------------------------------------


@dataclass(frozen=True)
class _Para:
    text: str
    indent: bool = True  # 首行缩进二字; salutations and list captions are flush left


@dataclass(frozen=True)
class _Heading:
    text: str  # “一、……”: 黑体


@dataclass(frozen=True)
class _Table:
    rows: tuple[tuple[str, str], ...]  # (label, value); value lines split on "\n"


_Block = _Para | _Heading | _Table

_FINE = PenaltyType.FINE.label_zh
_CONFISCATE_GAINS = PenaltyType.CONFISCATE_GAINS.label_zh


def _you(parties: Sequence[PartyData]) -> str:
    kinds = {p.kind for p in parties}
    if kinds == {PartyKind.ORGANIZATION.value}:
        return "你单位"
    if kinds == {PartyKind.INDIVIDUAL.value}:
        return "你"
    return "你（单位）"


def _party_line(party: PartyData, label: str) -> str:
    if party.kind == PartyKind.ORGANIZATION.value:
        details = [
            ("统一社会信用代码", party.id_number),
            ("法定代表人（负责人）", party.legal_representative),
            ("住所", party.address),
        ]
    else:
        details = [("公民身份号码", party.id_number), ("住址", party.address)]
    shown = "，".join(f"{k}：{v}" for k, v in details if v)
    return f"{label}：{party.name}" + (f"，{shown}" if shown else "") + "。"


def _parties(d: DocumentData) -> Iterator[_Block]:
    several = len(d.parties) > 1
    for i, party in enumerate(d.parties, start=1):
        yield _Para(_party_line(party, f"当事人{zh_number(i)}" if several else "当事人"))


def _party_names(d: DocumentData) -> str:
    return "、".join(p.name for p in d.parties)


def _salutation(d: DocumentData) -> _Para:
    return _Para(f"{_party_names(d)}：", indent=False)


def _paras(text: str) -> Iterator[_Para]:
    for line in text.splitlines():
        if line.strip():
            yield _Para(line.strip())


def _numbered(items: Iterable[str]) -> Iterator[_Para]:
    """“1．……；” “2．……。”: GB/T 9704 7.3.3 numbers the third level “1．”."""
    listed = list(items)
    for i, item in enumerate(listed, start=1):
        end = "" if item.endswith(("；", "。", "：")) else "。" if i == len(listed) else "；"
        yield _Para(f"{i}．{item}{end}")


class _Headings:
    """一、二、三、… in the order the sections are written (sections may be left out)."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, text: str) -> _Heading:
        self.n += 1
        return _Heading(f"{zh_number(self.n)}、{text}")


def _facts_and_evidence(d: DocumentData) -> Iterator[_Block]:
    yield from _paras(d.facts)
    if d.evidence:
        yield _Para("上述事实，有下列证据证明：")
        yield from _numbered(d.evidence)


def _penalty_items(d: DocumentData) -> list[str]:
    items = []
    for label in d.penalty_types:
        if label == _FINE and d.fine is not None:
            items.append(f"罚款{_yuan(d.fine)}")
        elif label == _CONFISCATE_GAINS and d.confiscation is not None:
            items.append(f"没收违法所得{_yuan(d.confiscation)}")
        else:
            items.append(label)
    return items


def _officers(d: DocumentData) -> str:
    return "、".join(f"{o.name}（执法证号：{o.certificate_number}）" for o in d.officers)


def _party_summary(d: DocumentData) -> str:
    return "\n".join(_party_line(p, "当事人").removeprefix("当事人：") for p in d.parties)


_SIGN_HERE = "签名：　　　　　　　　　　年　　月　　日"


def _registration_approval(d: DocumentData) -> Iterator[_Block]:
    yield _Table(
        (
            ("案件编号", d.case_number),
            ("案由", d.title),
            ("案件来源", d.source),
            ("当事人", _party_summary(d)),
            ("简要案情", d.facts),
            ("立案依据", d.legal_basis),
            ("承办人员", _officers(d)),
            (
                "承办人意见",
                "符合立案条件，建议立案调查（《中华人民共和国行政处罚法》第五十四条第二款）。"
                f"\n{_SIGN_HERE}",
            ),
            ("审核意见", f"\n{_SIGN_HERE}"),
            ("负责人审批意见", f"\n{_SIGN_HERE}"),
        )
    )


def _prior_notice(d: DocumentData) -> Iterator[_Block]:
    you, h = _you(d.parties), _Headings()
    yield _salutation(d)
    yield _Para(
        f"本机关对{you}{d.title}一案依法进行了调查。依照《中华人民共和国行政处罚法》第四十四条的"
        "规定，现将本机关拟作出的行政处罚内容及事实、理由、依据告知如下："
    )
    yield h("违法事实和证据")
    yield from _facts_and_evidence(d)
    yield h("拟作出行政处罚的理由和依据")
    yield from _paras(d.reasoning)
    yield _Para(f"{you}的上述行为违反了{d.legal_basis}的规定。")
    yield h("拟作出的行政处罚")
    yield _Para(f"依据{d.legal_basis}的规定，本机关拟对{you}作出如下行政处罚：")
    yield from _numbered(_penalty_items(d))
    yield h(f"{you}依法享有的权利")
    yield from _paras(d.rights)
    if d.officers:
        yield _Para(f"执法人员：{_officers(d)}。")


def _hearing_notice(d: DocumentData) -> Iterator[_Block]:
    hearing = d.hearing
    assert hearing is not None and hearing.on is not None  # checked by _missing
    you = _you(d.parties)
    yield _salutation(d)
    yield _Para(
        f"根据{you}的申请，依照《中华人民共和国行政处罚法》第六十四条的规定，本机关决定就{you}"
        f"{d.title}一案举行听证。现将有关事项通知如下："
    )
    yield _Para(f"一、听证时间：{format_date_zh(hearing.on)}{hearing.time}。")
    yield _Para(f"二、听证地点：{hearing.place}。")
    yield _Para(f"三、听证主持人：{hearing.host}。")
    manner = "公开举行" if hearing.public else "因涉及国家秘密、商业秘密或者个人隐私，不公开举行"
    yield _Para(f"四、听证方式：{manner}（第六十四条第三项）。")
    yield _Para("五、注意事项：")
    yield _Para(
        f"（一）{you}可以亲自参加听证，也可以委托一至二人代理；委托代理人参加的，"
        "应当提交授权委托书（第六十四条第五项）。"
    )
    yield _Para(f"（二）{you}认为主持人与本案有直接利害关系的，有权申请回避（第六十四条第四项）。")
    yield _Para(
        f"（三）{you}及代理人无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证"
        "权利，本机关终止听证（第六十四条第六项）。"
    )
    yield _Para("（四）请携带身份证明和有关证据材料按时参加。听证不收取费用（第六十三条第二款）。")


def _penalty_decision(d: DocumentData) -> Iterator[_Block]:
    h = _Headings()
    yield from _parties(d)
    if d.summary:
        yield _Para(
            f"当事人{d.title}，违法事实确凿并有法定依据，本机关执法人员依照《中华人民共和国"
            "行政处罚法》第五十一条、第五十二条的规定，适用简易程序当场作出行政处罚决定。"
        )
    else:
        yield _Para(f"当事人{d.title}一案，本机关依法进行了调查，现已调查终结。")
    if d.facts or d.evidence:  # both required, except on the spot (第五十二条)
        yield h("违法事实和证据" if d.evidence else "违法事实")
        yield from _facts_and_evidence(d)
    yield h("行政处罚的种类和依据")
    yield _Para(f"当事人的上述行为违反了{d.legal_basis}的规定。")
    yield from _paras(d.reasoning)
    yield _Para(f"依据{d.legal_basis}的规定，本机关决定对当事人给予如下行政处罚：")
    yield from _numbered(_penalty_items(d))
    yield h("行政处罚的履行方式和期限")
    yield from _paras(d.payment)
    yield h("申请行政复议、提起行政诉讼的途径和期限")
    yield from _paras(d.remedies)
    yield _Para(
        "当事人申请行政复议或者提起行政诉讼的，行政处罚不停止执行，法律另有规定的除外"
        "（《中华人民共和国行政处罚法》第七十三条第一款）。"
    )
    if d.summary:  # 第五十二条: 由执法人员签名或者盖章
        yield _Para(f"执法人员：{_officers(d)}。")
        yield _Para("执法人员（签名）：", indent=False)


def _no_penalty_decision(d: DocumentData) -> Iterator[_Block]:
    h = _Headings()
    yield from _parties(d)
    yield _Para(f"当事人{d.title}一案，本机关依法进行了调查，现已调查终结。")
    yield h("违法事实和证据")
    yield from _facts_and_evidence(d)
    yield h("不予行政处罚的理由和依据")
    if d.legal_basis:
        yield _Para(f"当事人的上述行为违反了{d.legal_basis}的规定。")
    yield from _paras(d.reasoning)
    yield _Para("综上，本机关决定对当事人不予行政处罚。")
    yield h("对当事人的教育")
    yield _Para(
        "依照《中华人民共和国行政处罚法》第三十三条第三款的规定，本机关已对当事人进行教育："
    )
    yield from _paras(d.education_record)
    if d.correction:  # 第二十八条第一款: 责令改正 or 限期改正
        when = f"于{format_date_zh(d.correction_due)}前" if d.correction_due else "立即"
        yield h("责令改正")
        yield _Para(f"责令当事人{when}改正违法行为：")
        yield from _paras(d.correction)
    if d.remedies:
        yield h("申请行政复议、提起行政诉讼的途径和期限")
        yield from _paras(d.remedies)


def _correction_order(d: DocumentData) -> Iterator[_Block]:
    you = _you(d.parties)
    # 第二十八条第一款: 责令改正 (at once) or 限期改正 (by a date).
    when = f"于{format_date_zh(d.correction_due)}前" if d.correction_due else "立即"
    yield _salutation(d)
    yield _Para(f"经查，{you}存在以下违法行为：")
    yield from _paras(d.facts)
    if d.legal_basis:
        yield _Para(f"上述行为违反了{d.legal_basis}的规定。")
    yield _Para(
        "依照《中华人民共和国行政处罚法》第二十八条第一款的规定，本机关责令"
        f"{you}{when}改正上述违法行为，具体要求如下："
    )
    yield from _paras(d.correction)
    yield _Para(f"请{you}按期改正，并将改正情况书面报告本机关。逾期不改正的，本机关将依法处理。")


def _service_receipt(d: DocumentData) -> Iterator[_Block]:
    service = d.service
    assert service is not None  # checked by _missing
    served_on = format_date_zh(service.served_on) if service.served_on else "　　年　　月　　日"
    yield _Table(
        (
            ("案件编号", d.case_number),
            ("送达文书名称及文号", service.document),
            ("受送达人", _party_names(d)),
            ("送达地点", service.place),
            ("送达方式", service.method),
            ("送达人", _officers(d)),
            ("受送达人（签名或盖章）", service.recipient),
            ("送达日期", served_on),
            ("代收人及代收理由", ""),
            ("备注", ""),
        )
    )


def _closing_report(d: DocumentData) -> Iterator[_Block]:
    result = "；".join(_penalty_items(d)) if d.penalty_types else d.outcome
    yield _Table(
        (
            ("案件编号", d.case_number),
            ("案由", d.title),
            ("当事人", _party_summary(d)),
            ("处理结果", result),
            ("执行情况", d.closing_summary),
            ("承办人员", _officers(d)),
            ("承办人意见", f"本案已处理完毕，建议结案。\n{_SIGN_HERE}"),
            ("负责人审批意见", f"\n{_SIGN_HERE}"),
        )
    )


def _tolerance_commitment(d: DocumentData) -> Iterator[_Block]:
    you, h = _you(d.parties), _Headings()
    yield _salutation(d)
    yield h("告知事项")
    yield _Para(f"经查，{you}存在以下违法行为：")
    yield from _paras(d.facts)
    if d.legal_basis:
        yield _Para(f"上述行为违反了{d.legal_basis}的规定。")
    yield from _paras(d.reasoning)
    yield _Para(
        f"本机关依照《中华人民共和国行政处罚法》第三十三条的规定，拟对{you}不予行政处罚，"
        f"并对{you}进行批评教育。"
    )
    if d.correction:
        when = f"于{format_date_zh(d.correction_due)}前" if d.correction_due else ""
        yield _Para(f"请{you}{when}按照以下要求改正违法行为：")
        yield from _paras(d.correction)
    yield h("当事人承诺")
    yield _Para("本人（单位）已知悉上述告知事项，现作出如下承诺：")
    first = (
        f"按照上述要求和期限改正违法行为，并将改正情况书面报告{d.organization}；"
        if d.correction
        else "已改正的违法行为不再发生；"
    )
    yield from _numbered(
        (
            first,
            "今后自觉遵守有关法律、法规、规章的规定，依法从事生产经营活动；",
            "如违反本承诺，自愿接受依法处理。",
        )
    )
    yield _Para("当事人（签名或盖章）：　　　　　　　　年　　月　　日")


def _administrative_guidance(d: DocumentData) -> Iterator[_Block]:
    you = _you(d.parties)
    yield _salutation(d)
    yield _Para(
        f"针对{you}{d.title}的情况，为帮助{you}依法合规经营、防范违法风险，本机关提出如下"
        "行政指导意见："
    )
    yield from _numbered(line.strip() for line in d.guidance.splitlines() if line.strip())
    yield _Para(
        f"本指导书是不具有强制力的行政指导，请{you}结合实际认真研究采纳。如有疑问，可以向本机关咨询。"
    )


# -- what each document must contain ---------------------------------------------------------

_Check = tuple[str, Callable[[DocumentData], bool]]


def _has_parties(d: DocumentData) -> bool:
    return bool(d.parties) and all(p.name.strip() for p in d.parties)


def _party_addresses(d: DocumentData) -> bool:
    return bool(d.parties) and all(p.name.strip() and p.address.strip() for p in d.parties)


def _penalty_consistent(d: DocumentData) -> bool:
    # A fine or a confiscation is shown with its amount, and an amount only with its type.
    fine_ok = (_FINE in d.penalty_types) == (d.fine is not None and d.fine > 0)
    gains = d.confiscation is not None and d.confiscation > 0
    gains_ok = not gains or _CONFISCATE_GAINS in d.penalty_types
    return bool(d.penalty_types) and bool(d.legal_basis.strip()) and fine_ok and gains_ok


def _hearing_complete(d: DocumentData) -> bool:
    h = d.hearing
    return (
        h is not None
        and h.on is not None
        and h.on > d.issued_on  # 第六十四条第二项: notified before the hearing
        and bool(h.place.strip())
        and bool(h.host.strip())
    )


def _text(name: str) -> Callable[[DocumentData], bool]:
    return lambda d: bool(str(getattr(d, name)).strip())


_REQUIRED: dict[DocumentKind, tuple[str, tuple[_Check, ...]]] = {
    DocumentKind.PENALTY_DECISION: (
        "《中华人民共和国行政处罚法》第五十九条",
        (
            ("当事人的姓名或者名称、地址", _party_addresses),
            ("违反法律、法规、规章的事实", _text("facts")),
            ("证据", lambda d: bool(d.evidence)),
            ("行政处罚的种类和依据（含罚款、没收违法所得的数额）", _penalty_consistent),
            ("行政处罚的履行方式和期限", _text("payment")),
            ("申请行政复议、提起行政诉讼的途径和期限", _text("remedies")),
            ("作出决定的行政机关名称", _text("signer")),
        ),
    ),
    DocumentKind.NO_PENALTY_DECISION: (
        "《中华人民共和国行政处罚法》第三十三条第三款",
        (
            # 第三十三条第三款 educates a party whose violation is not punished; where the
            # violation is not established (第五十七条第一款第三项) there is nothing to teach.
            (
                "对当事人进行教育的记录",
                lambda d: (
                    bool(d.education_record.strip()) or d.outcome == Outcome.NOT_ESTABLISHED.label
                ),
            ),
            ("当事人的姓名或者名称", _has_parties),
            ("违法事实", _text("facts")),
            ("作出决定的行政机关名称", _text("signer")),
        ),
    ),
    DocumentKind.PRIOR_NOTICE: (
        "《中华人民共和国行政处罚法》第四十四条",
        (
            ("当事人的姓名或者名称", _has_parties),
            ("违法事实", _text("facts")),
            ("理由", _text("reasoning")),
            ("拟作出的行政处罚及其依据", _penalty_consistent),
            ("陈述、申辩、要求听证等权利", _text("rights")),
        ),
    ),
    DocumentKind.HEARING_NOTICE: (
        "《中华人民共和国行政处罚法》第六十四条",
        (
            ("当事人的姓名或者名称", _has_parties),
            ("听证的时间（在通知日期之后）、地点和主持人", _hearing_complete),
        ),
    ),
    DocumentKind.CORRECTION_ORDER: (
        "《中华人民共和国行政处罚法》第二十八条第一款",
        (
            ("当事人的姓名或者名称", _has_parties),
            ("违法事实", _text("facts")),
            ("改正要求", _text("correction")),
        ),
    ),
    DocumentKind.SERVICE_RECEIPT: (
        "《中华人民共和国行政处罚法》第六十一条",
        (
            ("受送达人", _has_parties),
            ("送达文书名称", lambda d: d.service is not None and bool(d.service.document.strip())),
        ),
    ),
    DocumentKind.REGISTRATION_APPROVAL: (
        "《中华人民共和国行政处罚法》第五十四条",
        (("案由", _text("title")), ("简要案情", _text("facts"))),
    ),
    DocumentKind.CLOSING_REPORT: (
        "《中华人民共和国行政处罚法》第四十七条",
        (("案由", _text("title")), ("执行情况", _text("closing_summary"))),
    ),
    DocumentKind.TOLERANCE_COMMITMENT: (
        "《中华人民共和国行政处罚法》第三十三条",
        (
            ("当事人的姓名或者名称", _has_parties),
            ("违法事实", _text("facts")),
        ),
    ),
    DocumentKind.ADMINISTRATIVE_GUIDANCE: (
        "《优化营商环境条例》第五十五条",
        (("当事人的姓名或者名称", _has_parties), ("行政指导意见", _text("guidance"))),
    ),
}


# 当场处罚 (第五十二条) lists its own contents: no evidence, but the officers' signatures.
_SUMMARY_DECISION: tuple[str, tuple[_Check, ...]] = (
    "《中华人民共和国行政处罚法》第五十二条",
    (
        ("当事人的姓名或者名称", _has_parties),
        ("当事人的违法行为", lambda d: bool(d.facts.strip() or d.title.strip())),
        ("行政处罚的种类和依据（含罚款数额）", _penalty_consistent),
        ("申请行政复议、提起行政诉讼的途径和期限", _text("remedies")),
        ("行政机关名称", _text("signer")),
        ("执法人员", lambda d: bool(d.officers)),
    ),
)


def _check(kind: DocumentKind, data: DocumentData) -> None:
    summary = kind is DocumentKind.PENALTY_DECISION and data.summary
    citation, checks = _SUMMARY_DECISION if summary else _REQUIRED[kind]
    missing = [label for label, ok in checks if not ok(data)]
    if missing:
        raise ValueError(
            f"{kind.label_zh}缺少{citation}规定的必备内容：{'；'.join(missing)}，不能生成。"
        )


@dataclass(frozen=True)
class _Spec:
    content: Callable[[DocumentData], Iterator[_Block]]
    signed: bool  # letters and decisions end with the organ and date; internal forms do not


_SPECS: dict[DocumentKind, _Spec] = {
    DocumentKind.REGISTRATION_APPROVAL: _Spec(_registration_approval, signed=False),
    DocumentKind.PRIOR_NOTICE: _Spec(_prior_notice, signed=True),
    DocumentKind.HEARING_NOTICE: _Spec(_hearing_notice, signed=True),
    DocumentKind.PENALTY_DECISION: _Spec(_penalty_decision, signed=True),
    DocumentKind.NO_PENALTY_DECISION: _Spec(_no_penalty_decision, signed=True),
    DocumentKind.CORRECTION_ORDER: _Spec(_correction_order, signed=True),
    DocumentKind.SERVICE_RECEIPT: _Spec(_service_receipt, signed=False),
    DocumentKind.CLOSING_REPORT: _Spec(_closing_report, signed=False),
    DocumentKind.TOLERANCE_COMMITMENT: _Spec(_tolerance_commitment, signed=True),
    DocumentKind.ADMINISTRATIVE_GUIDANCE: _Spec(_administrative_guidance, signed=True),
}


# -- the GB/T 9704-2012 layout ----------------------------------------------------------------

TITLE_FONT = "方正小标宋简体"  # 7.3.1: 标题一般用2号小标宋体字
BODY_FONT = "仿宋_GB2312"  # 5.2.2: 公文格式各要素一般用3号仿宋体字
HEADING_FONT = "黑体"  # 7.3.3: 第一层用黑体字
PAGE_NUMBER_FONT = "宋体"  # 7.5: 4号半角宋体阿拉伯数字
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(14)
CAPTION_SIZE = Pt(12)
# 5.2.3: 22 lines in a 225 mm text block → 225 mm / 22 ≈ 28.95 pt a line.
LINE_PITCH = Pt(28.95)
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)  # 5.1: A4
MARGIN_TOP, MARGIN_BOTTOM = Mm(37), Mm(35)  # 5.2.1: 天头37 mm; 版心高225 mm → 297-37-225
MARGIN_LEFT, MARGIN_RIGHT = Mm(28), Mm(26)  # 订口28 mm; 版心宽156 mm → 210-28-156
QR_SIZE = Mm(22)


def _set_fonts(rpr: BaseOxmlElement, font: str) -> None:
    """Write ``font`` on every script slot of an ``w:rPr``, ``w:eastAsia`` included.

    Theme attributes win over explicit names in Word, so they are removed.
    """
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), font)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)


QR_MASK = 2


def _qr_png(text: str, scale: int = 8) -> bytes:
    """The QR code of ``text`` as a greyscale PNG, written here so that no imaging library is
    needed at run time (qrcode computes the modules; Pillow is only a dev dependency)."""
    # A fixed mask: choosing the "best" of eight costs 15 ms a document, and every mask is a
    # valid, scannable code (ISO/IEC 18004 §7.8); the demo county renders thousands.
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, mask_pattern=QR_MASK
    )
    qr.add_data(text)
    qr.make(fit=True)
    matrix: list[list[bool]] = qr.get_matrix()
    size = len(matrix) * scale
    rows = bytearray()
    for modules in matrix:
        line = b"".join(b"\x00" * scale if dark else b"\xff" * scale for dark in modules)
        rows += (b"\x00" + line) * scale  # filter byte 0 (None) before each row

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _stable_zip(package: bytes, on: dt.date) -> bytes:
    """The same package with every entry dated ``on``: byte-identical renders of the same data."""
    stamp = (max(on.year, 1980), on.month, on.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


class _Page:
    """A python-docx document set up to GB/T 9704-2012, and the writing of blocks into it."""

    def __init__(self, *, fresh: bool = False) -> None:
        if not fresh:
            # The layout, defaults and page numbers are the same for every document: start
            # from the prepared template instead of setting them up again (a third of the time).
            self.doc: DocxDocument = Document(io.BytesIO(_template()))
            return
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        # 7.5: the page number sits 7 mm below the text block, i.e. its top 28 mm above the edge.
        section.footer_distance = Mm(23)
        section.header_distance = Mm(15)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is not None:
            grid.set(qn("w:type"), "lines")
            grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
        self._set_defaults()
        self._page_numbers()

    def _set_defaults(self) -> None:
        styles = self.doc.styles
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
            if rpr is not None:
                _set_fonts(rpr, BODY_FONT)
                lang = rpr.find(qn("w:lang"))
                if lang is not None:
                    lang.set(qn("w:eastAsia"), "zh-CN")
        # The template's theme language is ja-JP: CJK would fall back to a Japanese font.
        theme_lang = self.doc.settings.element.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:eastAsia"), "zh-CN")
        normal = styles["Normal"]
        normal.font.size = BODY_SIZE
        _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
        fmt = normal.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.widow_control = True

    def _page_numbers(self) -> None:
        """7.5: “— 1 —”; odd pages right, even pages left, one character in from the edge."""
        self.doc.settings.odd_and_even_pages_header_footer = True
        section = self.doc.sections[0]
        for footer, align in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
        ):
            p = footer.paragraphs[0]
            p.alignment = align
            fmt = p.paragraph_format
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                fmt.right_indent = PAGE_NUMBER_SIZE
            else:
                fmt.left_indent = PAGE_NUMBER_SIZE
            self._run(p, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            self._field(p, "PAGE", "1")
            self._run(p, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)

    def _field(self, p: Paragraph, instruction: str, placeholder: str) -> None:
        for part in ("begin", "instr", "separate", "result", "end"):
            run = self._run(
                p, placeholder if part == "result" else "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE
            )
            if part == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = f" {instruction} "
                run._r.append(instr)
            elif part != "result":
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), part)
                run._r.append(char)

    @staticmethod
    def _run(p: Paragraph, text: str, font: str, size: Length) -> Run:
        run = p.add_run(text)
        run.font.size = size
        _set_fonts(run._r.get_or_add_rPr(), font)
        return run

    def paragraph(
        self,
        text: str,
        *,
        font: str = BODY_FONT,
        size: Length = BODY_SIZE,
        align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
        indent: bool = True,
        spacing: Length | None = None,
    ) -> Paragraph:
        p = self.doc.add_paragraph()
        p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size.pt * 2)  # 空二字
        if spacing is not None:
            p.paragraph_format.line_spacing = spacing
        if text:
            self._run(p, text, font, size)
        return p

    def header(self, organization: str, number: str, title: str) -> None:
        """发文机关, the 文号 under it (GB/T 9704 7.2.5), then the title (7.3.1)."""
        center = WD_ALIGN_PARAGRAPH.CENTER
        self.paragraph(
            organization,
            font=TITLE_FONT,
            size=TITLE_SIZE,
            align=center,
            indent=False,
            spacing=Pt(35),
        )
        self.paragraph(number, align=center, indent=False)
        self.paragraph(
            title, font=TITLE_FONT, size=TITLE_SIZE, align=center, indent=False, spacing=Pt(35)
        )
        self.paragraph("", indent=False)  # 标题下空一行

    def write(self, block: _Block) -> None:
        if isinstance(block, _Heading):
            self.paragraph(block.text, font=HEADING_FONT)
        elif isinstance(block, _Para):
            self.paragraph(block.text, indent=block.indent)
        else:
            self.table(block.rows)

    def table(self, rows: Sequence[tuple[str, str]]) -> None:
        table = self.doc.add_table(rows=len(rows), cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = (Mm(38), Mm(118))  # 156 mm: the width of the text block
        for (label, value), row in zip(rows, table.rows, strict=True):
            for cell, width, text, align in (
                (row.cells[0], widths[0], label, WD_ALIGN_PARAGRAPH.CENTER),
                (row.cells[1], widths[1], value, WD_ALIGN_PARAGRAPH.LEFT),
            ):
                cell.width = width
                lines = text.split("\n") or [""]
                first = cell.paragraphs[0]
                for i, line in enumerate(lines):
                    p = first if i == 0 else cell.add_paragraph()
                    p.alignment = align
                    p.paragraph_format.line_spacing = Pt(22)
                    if line:
                        self._run(p, line, BODY_FONT, TABLE_SIZE)

    def signature(self, signer: str, on: dt.date) -> None:
        """7.3.5: 发文机关署名 and 成文日期 (in Arabic numerals), right-aligned."""
        self.paragraph("", indent=False)
        self.paragraph("", indent=False)
        for text in (signer, format_date_zh(on)):
            p = self.paragraph(text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
            p.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 2)

    def receipt(self, seq: int, url: str) -> None:
        """The ledger receipt (全过程记录, 第四十七条): a QR code of the URL and its caption."""
        self.paragraph("", indent=False)
        p = self.paragraph("", align=WD_ALIGN_PARAGRAPH.LEFT, indent=False)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        p.add_run().add_picture(io.BytesIO(_qr_png(url)), width=QR_SIZE, height=QR_SIZE)
        self.paragraph(
            f"全过程记录回执：第{seq}号日志条目，扫码或访问 {url} 核验",
            size=CAPTION_SIZE,
            align=WD_ALIGN_PARAGRAPH.LEFT,
            indent=False,
            spacing=Pt(18),
        )

    def to_bytes(self, *, title: str, data: DocumentData) -> bytes:
        props = self.doc.core_properties
        stamp = dt.datetime(
            data.issued_on.year, data.issued_on.month, data.issued_on.day, tzinfo=dt.UTC
        )
        props.title, props.subject, props.keywords = title, data.case_number, data.number
        props.author = props.last_modified_by = data.organization
        props.comments = props.category = ""
        props.created = props.modified = props.last_printed = stamp
        props.revision = 1
        out = io.BytesIO()
        self.doc.save(out)
        return _stable_zip(out.getvalue(), data.issued_on)


@functools.cache
def _template() -> bytes:
    """python-docx's default template set up to GB/T 9704 once per process, and trimmed of
    what no document here uses (Word's latent style list, the styles-with-effects copy and the
    sample thumbnail), so each render parses a fraction of the XML."""
    page = _Page(fresh=True)
    styles = page.doc.styles.element
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    rels = page.doc.part.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del rels[rid]
    package_rels = page.doc.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]
    out = io.BytesIO()
    page.doc.save(out)
    return out.getvalue()


def render(kind: DocumentKind | str, data: DocumentData) -> bytes:
    """The .docx of ``kind`` for ``data``; a Chinese ``ValueError`` if the law's contents are
    missing (see ``_REQUIRED``)."""
    kind = _kind(kind)
    _check(kind, data)
    spec = _SPECS[kind]
    page = _Page()
    page.header(data.organization, data.number, kind.label_zh)
    for block in spec.content(data):
        page.write(block)
    if spec.signed:
        page.signature(data.signer, data.issued_on)
    page.receipt(data.receipt_seq, data.receipt_url)
    return page.to_bytes(title=kind.label_zh, data=data)
