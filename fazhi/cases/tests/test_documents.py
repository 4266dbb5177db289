"""Golden tests of the case documents: every kind rendered, read back with python-docx, and
checked against GB/T 9704-2012 and the contents the law requires (第五十九条 and the others)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import replace
from decimal import Decimal

import pytest
import qrcode
import qrcode.constants
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from fazhi.cases import services
from fazhi.cases.documents import (
    ONE_CASE_THREE_DOCUMENTS_DEFAULT,
    DocumentData,
    DocumentKind,
    HearingData,
    OfficerData,
    PartyData,
    ServiceData,
    data_from_case,
    one_case_three_documents,
    payment_text,
    remedies_text,
    render,
    rights_text,
    zh_number,
)
from fazhi.cases.testing import walk
from fazhi.cases.workflow import Status
from fazhi.rules.parameters import default_parameters

ISSUED = dt.date(2024, 3, 5)
ORGAN = "东辽县市场监督管理局"
REVIEW_ORGAN = "东辽县人民政府"
TITLE_FONT, BODY_FONT, HEADING_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体"
COMPANY = PartyData(
    kind="organization",
    name="东辽县某某商贸有限公司",
    id_number="91220422MA0Y3K2X1Q",
    legal_representative="王某某",
    address="吉林省辽源市东辽县白泉镇光明村3组15号",
)


def full_data(**changes: object) -> DocumentData:
    """A hand-built case with every field filled, so that every kind can be rendered."""
    data = DocumentData(
        organization=ORGAN,
        seal_name=ORGAN,
        case_number="东市监立〔2024〕3号",
        number="东市监罚决〔2024〕12号",
        issued_on=ISSUED,
        receipt_seq=4217,
        receipt_url="https://fazhi.example.gov.cn/ledger/verify/?seq=4217",
        parties=(COMPANY,),
        title="未按规定公示年度报告",
        source="检查发现（日常检查）",
        facts="当事人未于2023年6月30日前公示2022年度报告。\n经责令限期改正，当事人逾期仍未改正。",
        evidence=("营业执照复印件", "现场检查笔录", "询问笔录"),
        legal_basis="《中华人民共和国市场主体登记管理条例》第四十六条",
        penalty_types=("警告", "罚款"),
        fine=Decimal("15000"),
        outcome="给予行政处罚",
        reasoning="当事人不具有法定从轻、减轻或者从重处罚情节，依法给予行政处罚。",
        payment=payment_text(on=ISSUED, fine=Decimal("15000"), bank="中国农业银行东辽县支行"),
        remedies=remedies_text(on=ISSUED, reconsideration_organ=REVIEW_ORGAN),
        rights=rights_text(on=ISSUED, hearing_right=True, you="你单位"),
        hearing=HearingData(
            on=dt.date(2024, 3, 20), time="上午9时", place="本局三楼听证室", host="赵局长"
        ),
        education_record="2024年3月1日，执法人员向当事人法定代表人讲解了年度报告公示的规定。",
        correction="登录国家企业信用信息公示系统补报并公示2022年度报告。",
        correction_due=dt.date(2024, 3, 20),
        guidance="建立年度报告公示提醒制度\n指定专人负责企业信息公示",
        officers=(OfficerData("张执法", "22040001"), OfficerData("陈协办", "22040003")),
        service=ServiceData(
            document="行政处罚决定书（东市监罚决〔2024〕12号）",
            method="直接送达",
            served_on=dt.date(2024, 3, 6),
            recipient="王某某",
            place="当事人住所",
        ),
        closing_summary="当事人已于2024年3月15日缴纳罚款人民币15000元，行政处罚决定已履行完毕。",
    )
    return replace(data, **changes)  # type: ignore[arg-type]


def read(content: bytes):
    return Document(io.BytesIO(content))


def text_of(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def east_asia(run) -> str | None:
    fonts = run._r.rPr.rFonts
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def mm(length) -> float:
    return length / 36000  # EMU per millimetre


# -- layout: GB/T 9704-2012 ------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_kind_has_the_gbt_9704_page(kind: DocumentKind) -> None:
    doc = read(render(kind, full_data()))
    section = doc.sections[0]
    for actual, expected in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert abs(mm(actual) - expected) <= 0.5
    # 版心 156 × 225 mm (5.2.1).
    assert abs(mm(section.page_width - section.left_margin - section.right_margin) - 156) <= 0.5
    assert abs(mm(section.page_height - section.top_margin - section.bottom_margin) - 225) <= 0.5


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_kind_has_its_title_number_and_fonts(kind: DocumentKind) -> None:
    doc = read(render(kind, full_data()))
    organ, number, title = doc.paragraphs[:3]
    assert (organ.text, number.text, title.text) == (ORGAN, "东市监罚决〔2024〕12号", kind.label_zh)
    for heading in (organ, title):
        assert heading.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert [r.font.size for r in heading.runs] == [Pt(22)]
        assert [east_asia(r) for r in heading.runs] == [TITLE_FONT]

    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == BODY_FONT
    assert normal.paragraph_format.line_spacing == Pt(28.95)

    body = [p for p in doc.paragraphs if p.paragraph_format.first_line_indent == Pt(32)]
    for p in body:  # 空二字 for 三号 text, in 仿宋 (or 黑体 for the 一、 headings)
        assert {r.font.size for r in p.runs} == {Pt(16)}
        assert {east_asia(r) for r in p.runs} <= {BODY_FONT, HEADING_FONT}
    cells = [
        run
        for table in doc.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
    ]
    assert body or cells
    assert all(east_asia(r) == BODY_FONT for r in cells)


@pytest.mark.parametrize("kind", list(DocumentKind))
def test_every_kind_has_page_numbers_and_the_receipt(kind: DocumentKind) -> None:
    url = "https://fazhi.example.gov.cn/ledger/verify/?seq=98765"
    doc = read(render(kind, full_data(receipt_seq=98765, receipt_url=url)))
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        xml = footer._element.xml
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        p = footer.paragraphs[0]
        assert p.alignment == align
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert {east_asia(r) for r in p.runs} == {"宋体"}
        assert {r.font.size for r in p.runs} == {Pt(14)}

    assert len(doc.inline_shapes) == 1
    blob = doc.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    image = doc.part.related_parts[blob]
    assert image.content_type == "image/png"
    png = Image.open(io.BytesIO(image.blob)).convert("L")
    assert png.size[0] == png.size[1] > 100
    # The picture is the QR code of the receipt URL: sample each module's centre.
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(url)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    width, pixels = png.size[0], png.tobytes()
    step = width // len(matrix)
    sampled = [
        [
            pixels[(y * step + step // 2) * width + x * step + step // 2] < 128
            for x in range(len(row))
        ]
        for y, row in enumerate(matrix)
    ]
    assert sampled == matrix
    assert f"全过程记录回执：第98765号日志条目，扫码或访问 {url} 核验" in text_of(doc)


def test_headings_are_black_and_the_signature_is_right_aligned() -> None:
    doc = read(render(DocumentKind.PENALTY_DECISION, full_data()))
    headings = [p for p in doc.paragraphs if re.match(r"^[一二三四五六七八九十]+、", p.text)]
    assert [p.text for p in headings] == [
        "一、违法事实和证据",
        "二、行政处罚的种类和依据",
        "三、行政处罚的履行方式和期限",
        "四、申请行政复议、提起行政诉讼的途径和期限",
    ]
    assert {east_asia(r) for p in headings for r in p.runs} == {HEADING_FONT}
    texts = [p.text for p in doc.paragraphs]
    at = len(texts) - 1 - texts[::-1].index(ORGAN)  # the last one: the signature
    organ, date = doc.paragraphs[at], doc.paragraphs[at + 1]
    assert date.text == "2024年3月5日"
    assert organ.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_rendering_is_deterministic() -> None:
    data = full_data()
    first, second = render("penalty_decision", data), render("penalty_decision", data)
    assert text_of(read(first)) == text_of(read(second))
    assert first == second  # the zip entries carry the issue date, not the clock
    dates = {info.date_time for info in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert dates == {(2024, 3, 5, 0, 0, 0)}
    # A different receipt is a different document.
    assert render("penalty_decision", full_data(receipt_seq=4218)) != first


def test_the_template_thumbnail_is_not_shipped() -> None:
    names = zipfile.ZipFile(io.BytesIO(render("closing_report", full_data()))).namelist()
    assert not [n for n in names if "thumbnail" in n]


# -- contents ---------------------------------------------------------------------------------


def test_the_penalty_decision_carries_the_six_items_of_article_59() -> None:
    text = text_of(read(render(DocumentKind.PENALTY_DECISION, full_data())))
    # （一）当事人的姓名或者名称、地址
    assert COMPANY.name in text and COMPANY.address in text
    # （二）违反法律、法规、规章的事实和证据
    assert "当事人未于2023年6月30日前公示2022年度报告。" in text
    assert "1．营业执照复印件；" in text and "3．询问笔录。" in text
    # （三）行政处罚的种类和依据
    assert "《中华人民共和国市场主体登记管理条例》第四十六条" in text
    assert "1．警告；" in text and "2．罚款人民币15000元。" in text
    assert "依法给予行政处罚" in text  # the reasoning paragraph (国办发〔2022〕27号 五（十二）)
    # （四）行政处罚的履行方式和期限: 15 days (第六十七条), the bank, the surcharge (第七十二条)
    assert "十五日内，到中国农业银行东辽县支行或者通过电子支付系统缴纳罚款" in text
    assert "百分之三加处罚款" in text
    # （五）申请行政复议、提起行政诉讼的途径和期限
    assert f"六十日内向{REVIEW_ORGAN}申请行政复议" in text and "六个月内" in text
    # （六）行政机关名称和作出决定的日期
    assert text.rstrip().count(ORGAN) >= 2 and "2024年3月5日" in text


def test_the_prior_notice_tells_the_rights_of_article_44() -> None:
    text = text_of(read(render(DocumentKind.PRIOR_NOTICE, full_data())))
    assert text.split("\n")[4] == f"{COMPANY.name}："  # 主送: the party, flush left
    for words in ("陈述和申辩", "要求听证的权利", "五个工作日内提出", "拟对你单位作出如下行政处罚"):
        assert words in text
    assert "2．罚款人民币15000元。" in text


def test_the_hearing_notice_gives_time_place_and_host() -> None:
    text = text_of(read(render(DocumentKind.HEARING_NOTICE, full_data())))
    assert "听证时间：2024年3月20日上午9时" in text
    assert "听证地点：本局三楼听证室" in text
    assert "听证主持人：赵局长" in text
    assert "委托一至二人代理" in text and "视为放弃听证权利" in text
    closed = full_data(hearing=replace(full_data().hearing, public=False))  # type: ignore[type-var]
    assert "不公开举行" in text_of(read(render(DocumentKind.HEARING_NOTICE, closed)))


def test_the_no_penalty_decision_carries_the_education_record() -> None:
    data = full_data(penalty_types=(), fine=None)
    text = text_of(read(render(DocumentKind.NO_PENALTY_DECISION, data)))
    assert "第三十三条第三款" in text
    assert data.education_record in text
    assert "本机关决定对当事人不予行政处罚" in text
    assert "责令当事人于2024年3月20日前改正违法行为" in text


def test_the_tables_of_the_forms() -> None:
    receipt = read(render(DocumentKind.SERVICE_RECEIPT, full_data()))
    rows = {row.cells[0].text: row.cells[1].text for row in receipt.tables[0].rows}
    assert rows["送达文书名称及文号"] == "行政处罚决定书（东市监罚决〔2024〕12号）"
    assert rows["送达方式"] == "直接送达"
    assert rows["送达日期"] == "2024年3月6日"
    assert "张执法（执法证号：22040001）" in rows["送达人"]
    unserved = full_data(service=ServiceData(document="行政处罚决定书"))
    rows = {
        row.cells[0].text: row.cells[1].text
        for row in read(render(DocumentKind.SERVICE_RECEIPT, unserved)).tables[0].rows
    }
    assert rows["送达日期"] == "　　年　　月　　日"  # filled in by hand on delivery

    approval = read(render(DocumentKind.REGISTRATION_APPROVAL, full_data()))
    rows = {row.cells[0].text: row.cells[1].text for row in approval.tables[0].rows}
    assert rows["案由"] == "未按规定公示年度报告"
    assert rows["立案依据"] == "《中华人民共和国市场主体登记管理条例》第四十六条"
    assert "负责人审批意见" in rows

    closing = read(render(DocumentKind.CLOSING_REPORT, full_data()))
    rows = {row.cells[0].text: row.cells[1].text for row in closing.tables[0].rows}
    assert rows["处理结果"] == "警告；罚款人民币15000元"
    assert rows["执行情况"].startswith("当事人已于2024年3月15日缴纳罚款")


def test_the_correction_order_and_the_one_case_three_documents() -> None:
    order = text_of(read(render(DocumentKind.CORRECTION_ORDER, full_data())))
    assert "责令你单位于2024年3月20日前改正上述违法行为" in order
    at_once = text_of(read(render(DocumentKind.CORRECTION_ORDER, full_data(correction_due=None))))
    assert "责令你单位立即改正" in at_once  # 第二十八条第一款: 责令改正 or 限期改正

    commitment = text_of(read(render(DocumentKind.TOLERANCE_COMMITMENT, full_data())))
    assert "批评教育" in commitment and "当事人（签名或盖章）" in commitment
    already = text_of(read(render(DocumentKind.TOLERANCE_COMMITMENT, full_data(correction=""))))
    assert "已改正的违法行为不再发生" in already

    guidance = text_of(read(render(DocumentKind.ADMINISTRATIVE_GUIDANCE, full_data())))
    assert (
        "1．建立年度报告公示提醒制度；" in guidance and "2．指定专人负责企业信息公示。" in guidance
    )
    assert "不具有强制力" in guidance


def test_individuals_are_addressed_as_such() -> None:
    person = PartyData(kind="individual", name="李小明", id_number="220422198001010017")
    text = text_of(read(render(DocumentKind.CORRECTION_ORDER, full_data(parties=(person,)))))
    assert "李小明：" in text and "责令你于" in text and "你单位" not in text


def test_an_on_the_spot_decision_needs_no_evidence_but_the_officers() -> None:
    spot = full_data(summary=True, evidence=(), facts="")
    text = text_of(read(render(DocumentKind.PENALTY_DECISION, spot)))
    assert "适用简易程序当场作出行政处罚决定" in text
    assert "执法人员：张执法（执法证号：22040001）" in text
    with pytest.raises(ValueError, match="第五十二条.*执法人员"):
        render(DocumentKind.PENALTY_DECISION, replace(spot, officers=()))


# -- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "item"),
    [
        ({"parties": ()}, "当事人的姓名或者名称、地址"),
        ({"parties": (replace(COMPANY, address=""),)}, "当事人的姓名或者名称、地址"),
        ({"facts": "  "}, "违反法律、法规、规章的事实"),
        ({"evidence": ()}, "证据"),
        ({"penalty_types": ()}, "行政处罚的种类和依据"),
        ({"legal_basis": ""}, "行政处罚的种类和依据"),
        ({"fine": None}, "行政处罚的种类和依据"),  # 罚款 without an amount
        ({"penalty_types": ("警告",)}, "行政处罚的种类和依据"),  # an amount without 罚款
        ({"payment": ""}, "行政处罚的履行方式和期限"),
        ({"remedies": ""}, "申请行政复议、提起行政诉讼的途径和期限"),
        ({"organization": "", "seal_name": ""}, "作出决定的行政机关名称"),
    ],
)
def test_a_penalty_decision_without_an_article_59_item_is_refused(
    changes: dict[str, object], item: str
) -> None:
    with pytest.raises(ValueError, match=f"行政处罚决定书缺少.*第五十九条.*{re.escape(item)}"):
        render(DocumentKind.PENALTY_DECISION, full_data(**changes))


def test_a_no_penalty_decision_without_the_education_record_is_refused() -> None:
    data = full_data(penalty_types=(), fine=None, education_record=" ")
    with pytest.raises(ValueError, match="第三十三条第三款.*对当事人进行教育的记录"):
        render(DocumentKind.NO_PENALTY_DECISION, data)


@pytest.mark.parametrize(
    ("kind", "changes", "message"),
    [
        (DocumentKind.PRIOR_NOTICE, {"rights": ""}, "第四十四条.*陈述、申辩、要求听证"),
        (DocumentKind.PRIOR_NOTICE, {"reasoning": ""}, "第四十四条.*理由"),
        (DocumentKind.HEARING_NOTICE, {"hearing": None}, "第六十四条"),
        (
            DocumentKind.HEARING_NOTICE,
            {"hearing": HearingData(on=dt.date(2024, 3, 20), place="听证室", host="")},
            "第六十四条.*主持人",
        ),
        (
            DocumentKind.HEARING_NOTICE,
            {"hearing": HearingData(on=ISSUED, place="听证室", host="赵局长")},
            "第六十四条",
        ),
        (DocumentKind.CORRECTION_ORDER, {"correction": ""}, "第二十八条.*改正要求"),
        (DocumentKind.SERVICE_RECEIPT, {"service": None}, "送达文书名称"),
        (DocumentKind.CLOSING_REPORT, {"closing_summary": ""}, "执行情况"),
        (DocumentKind.ADMINISTRATIVE_GUIDANCE, {"guidance": ""}, "行政指导意见"),
    ],
)
def test_other_documents_without_their_contents_are_refused(
    kind: DocumentKind, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        render(kind, full_data(**changes))


def test_an_unknown_kind_is_refused_in_chinese() -> None:
    with pytest.raises(ValueError, match="未知的文书种类"):
        render("penalty_notice", full_data())


# -- legal wording ----------------------------------------------------------------------------


def test_legal_wording_reads_the_parameters() -> None:
    params = default_parameters()
    days = params.int_value("PAYMENT_DAYS", ISSUED)
    assert f"{zh_number(days)}日内" in payment_text(on=ISSUED, fine=Decimal(100))
    assert "缴纳罚款" not in payment_text(on=ISSUED, fine=None)  # a warning: nothing to pay
    assert "没收的违法所得" in payment_text(on=ISSUED, fine=None, confiscation=Decimal(50))

    apply_days = params.int_value("AR_APPLY_DAYS", ISSUED)
    ordinary = remedies_text(on=ISSUED, reconsideration_organ=REVIEW_ORGAN)
    assert f"{zh_number(apply_days)}日内向{REVIEW_ORGAN}申请行政复议" in ordinary
    # 行政复议法 第二十三条: an on-the-spot penalty goes to reconsideration first.
    spot = remedies_text(on=ISSUED, reconsideration_organ=REVIEW_ORGAN, summary=True)
    assert "先向" in spot and "第二十三条" in spot and "六个月" not in spot
    with pytest.raises(ValueError, match="行政复议机关"):
        remedies_text(on=ISSUED, reconsideration_organ="")

    hearing_days = params.int_value("HEARING_REQUEST_WDAYS", ISSUED)
    assert f"{zh_number(hearing_days)}个工作日内" in rights_text(on=ISSUED, hearing_right=True)
    assert "听证" not in rights_text(on=ISSUED, hearing_right=False)


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "一"), (10, "十"), (15, "十五"), (60, "六十"), (105, "一百零五"), (110, "一百一十"),
     (1050, "一千零五十"), (2003, "二千零三")],
)  # fmt: skip
def test_chinese_numerals(n: int, words: str) -> None:
    assert zh_number(n) == words


# -- 一案三书 -----------------------------------------------------------------------------------


def test_the_one_case_three_documents_bundle() -> None:
    assert one_case_three_documents() == ONE_CASE_THREE_DOCUMENTS_DEFAULT
    assert DocumentKind.NO_PENALTY_DECISION in ONE_CASE_THREE_DOCUMENTS_DEFAULT
    configured = ["no_penalty_decision", "correction_order", "administrative_guidance"]
    assert one_case_three_documents(configured) == (
        DocumentKind.NO_PENALTY_DECISION,
        DocumentKind.CORRECTION_ORDER,
        DocumentKind.ADMINISTRATIVE_GUIDANCE,
    )


@pytest.mark.parametrize(
    ("kinds", "message"),
    [
        (["no_penalty_decision", "credit_repair_notice", "administrative_guidance"], "未知"),
        (["no_penalty_decision", "no_penalty_decision", "administrative_guidance"], "重复"),
        (["no_penalty_decision", "administrative_guidance"], "三种文书"),
        ("no_penalty_decision", "字符串"),
    ],
)
def test_a_bad_bundle_is_refused(kinds: list[str] | str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        one_case_three_documents(kinds)


def test_kinds_have_titles_and_abbreviations() -> None:
    assert DocumentKind.PENALTY_DECISION.label_zh == DocumentKind.PENALTY_DECISION.label
    assert DocumentKind.PENALTY_DECISION.label == "行政处罚决定书"
    assert len({k.abbreviation for k in DocumentKind}) == len(DocumentKind)
    assert ("no_penalty_decision", "不予行政处罚决定书") in DocumentKind.choices()


# -- from a saved case (built through the services) -------------------------------------------


def test_data_from_a_noticed_case(cc) -> None:
    case = walk(cc, Status.NOTIFIED, fine=Decimal(40000))
    data = data_from_case(
        case,
        kind=DocumentKind.PRIOR_NOTICE,
        number="东市监罚告〔2024〕1号",
        issued_on=ISSUED,
        receipt_seq=77,
        receipt_url="https://example/ledger/verify/?seq=77",
    )
    assert data.organization == cc.cast.department_a.name == data.signer
    assert data.case_number == case.number and data.title == case.title
    assert data.legal_basis == cc.catalog.item_a.citation
    assert [p.name for p in data.parties] == [p.name for p in case.parties.all()]
    assert data.parties[0].kind == "organization"
    assert {o.name for o in data.officers} == {o.name for o in cc.officers}
    assert data.evidence == tuple(e.title for e in case.evidence.all()) != ()
    # The notice shows the proposed penalty (第四十四条), not a decision that does not exist yet.
    assert data.penalty_types == ("罚款",) and data.fine == Decimal(40000)
    assert data.reasoning == case.reasoning != ""
    assert case.hearing_right and "要求听证的权利" in data.rights and "你单位" in data.rights
    assert data.payment == data.remedies == ""  # not shown in a notice
    text = text_of(read(render(DocumentKind.PRIOR_NOTICE, data)))
    assert "罚款人民币40000元" in text and "第77号日志条目" in text


def test_data_from_a_case_with_a_hearing(cc) -> None:
    case = walk(cc, Status.NOTIFIED, fine=Decimal(40000))
    on = case.noticed_on
    assert on is not None
    services.request_hearing(actor=cc.cast.officer, case=case, on=on)
    services.schedule_hearing(
        actor=cc.cast.department_head,
        case=case,
        on=on,
        hearing_on=on + dt.timedelta(days=14),
        location="本局三楼听证室",
        host=cc.cast.department_head,
        public=False,
    )
    data = data_from_case(
        case, kind="hearing_notice", number="n", issued_on=on, receipt_seq=1, receipt_url="u"
    )
    assert data.hearing == HearingData(
        on=on + dt.timedelta(days=14), place="本局三楼听证室", host="赵局长", public=False
    )


def test_data_from_a_decided_case_and_extra_fields(cc) -> None:
    case = walk(cc, Status.NOTIFIED, fine=Decimal(40000))
    on = case.noticed_on
    assert on is not None
    data = data_from_case(
        case,
        kind=DocumentKind.PENALTY_DECISION,
        number="东市监罚决〔2024〕1号",
        issued_on=on,
        receipt_seq=5,
        receipt_url="u",
        extra={"penalty_types": ("罚款",), "fine": Decimal(30000), "evidence": ("询问笔录",)},
        bank="中国农业银行东辽县支行",
    )
    # 行政复议法 第二十四条: the county government reviews its departments.
    assert f"向{cc.cast.county.name}申请行政复议" in data.remedies
    assert data.fine == Decimal(30000)  # extra overrides by field name …
    # … and the payment wording follows the amount that is shown.
    assert "十五日内，到中国农业银行东辽县支行" in data.payment and "加处罚款" in data.payment
    text = text_of(read(render(DocumentKind.PENALTY_DECISION, data)))
    assert "罚款人民币30000元" in text and "1．询问笔录。" in text
    with pytest.raises(ValueError, match="没有这些字段：bank"):
        data_from_case(
            case, kind="penalty_decision", number="n", issued_on=on, receipt_seq=1,
            receipt_url="u", extra={"bank": "x"},
        )  # fmt: skip


def test_a_case_of_the_county_itself_names_no_reconsideration_organ(cc) -> None:
    case = walk(cc, Status.NOTIFIED, fine=Decimal(40000))
    case.organization = cc.cast.county  # unsaved: the county government has no parent node
    data = data_from_case(
        case, kind="penalty_decision", number="n", issued_on=ISSUED, receipt_seq=1, receipt_url="u"
    )
    assert data.remedies == ""
    with pytest.raises(ValueError, match="途径和期限"):
        render("penalty_decision", replace(data, penalty_types=("罚款",), fine=Decimal(1)))
