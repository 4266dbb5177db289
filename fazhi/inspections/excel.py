"""The 双随机 directories as Excel/CSV sheets: entities, inspection items, inspectors and their
declared relationships (issue 5 §1: 一单两库 with Excel/CSV import).

One :class:`~fazhi.catalog.excel.SheetSpec` per kind drives the template (dropdown validation,
说明 sheet), the reading (xlsx or CSV) and the export, exactly as the catalog's sheets do; the
kinds are registered with the catalog's import machinery in ``InspectionsConfig.ready()`` (the
catalog imports nothing from here). The entity sheet has the columns of an export of the
国家企业信用信息公示系统, so a department's download from there imports as it is.

Reading converts cells only; what a row means (a valid credit code, an existing township or
certificate) is judged in :mod:`fazhi.inspections.imports`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from fazhi.catalog.excel import (
    CHOICE,
    CODE,
    Cell,
    Column,
    SheetSpec,
    build_csv,
    build_workbook,
    spec_for,
)
from fazhi.core.models import User
from fazhi.core.services import record_export
from fazhi.inspections import selectors
from fazhi.inspections.models import (
    Entity,
    InspectionItem,
    Inspector,
    ItemKind,
    Relationship,
    RiskClass,
)

ENTITIES = "entities"
ITEMS = "inspection_items"
INSPECTORS = "inspectors"
RELATIONSHIPS = "relationships"
KINDS = (ENTITIES, ITEMS, INSPECTORS, RELATIONSHIPS)
# The command's and the URLs' short names (``--kind items``) for the stored kinds.
SHORT_NAMES = {
    "entities": ENTITIES,
    "items": ITEMS,
    "inspectors": INSPECTORS,
    "relationships": RELATIONSHIPS,
}
LABELS = {
    ENTITIES: "检查对象名录",
    ITEMS: "抽查事项清单",
    INSPECTORS: "执法检查人员名录",
    RELATIONSHIPS: "检查人员回避关系",
}

# Values of a list cell (licences, qualifications, catalog item codes): "、" or "；" between
# them, as the credit publicity system writes licences; "，", ";" and new lines also accepted.
LIST_SEPARATORS = re.compile(r"[、；;，,\n]+")

ACTIVE, CLOSED = "1", "0"
ENTITY_STATUS = ((ACTIVE, "存续"), (CLOSED, "注销"))
# The statuses the credit publicity system shows, as the directory's two.
ENTITY_STATUS_ALIASES = (
    ("在营", ACTIVE),
    ("开业", ACTIVE),
    ("在业", ACTIVE),
    ("在册", ACTIVE),
    ("存续（在营、开业、在册）", ACTIVE),
    ("吊销", CLOSED),
    ("吊销，未注销", CLOSED),
    ("吊销未注销", CLOSED),
    ("撤销", CLOSED),
    ("迁出", CLOSED),
)
ITEM_STATUS = ((ACTIVE, "有效"), (CLOSED, "停用"))
INSPECTOR_STATUS = ((ACTIVE, "在库"), (CLOSED, "出库"))
RISK_CLASSES = tuple((m.value, f"{m.value}类") for m in RiskClass)
RISK_ALIASES = tuple((m.label, m.value) for m in RiskClass) + tuple(
    (m.value.lower(), m.value) for m in RiskClass
)
ITEM_KINDS = tuple((m.value, m.label) for m in ItemKind)
ITEM_KIND_ALIASES = (("一般", ItemKind.GENERAL.value), ("重点", ItemKind.KEY.value))

GENERAL_NOTES = (
    "请在第一个工作表中填写，第一行为表头，请勿修改、删除或调换列名；从第二行起每行一条数据，空行会被忽略。"
    "也可上传同样列名的CSV文件（UTF-8或GB18030编码）。",
    "上传后系统先校验全部行（不写入任何数据），列出每一处错误的行号、列名和原因；全部通过后，"
    "点击“应用”才写入。只要有一行有错，整个文件都不导入，修改后重新上传即可。",
    "应用时系统会再校验一次（期间数据可能已变化），并在全过程记录中登记一次导入（含文件哈希）。",
    "乡镇填写乡镇名称或单位代码（见“单位管理”）；单位代码列只能填写您数据范围内的单位。",
    "带下拉箭头的列请从下拉列表中选择；可填多个值的列，多个值之间用“、”或“；”分隔。",
)

_TOWNSHIP = "乡镇（街道）名称或单位代码，须为本县的乡镇"
_LIST = "可填多个，用“、”或“；”分隔"

ENTITY_SHEET = SheetSpec(
    kind=ENTITIES,
    title=LABELS[ENTITIES],
    columns=(
        Column(
            "credit_code",
            "统一社会信用代码",
            CODE,
            True,
            width=22,
            note="18位，GB 32100-2015；名录库中已有的代码视为修改该检查对象",
        ),
        Column("name", "企业名称", width=30, needed=True),
        Column("kind", "市场主体类型", width=18, note="如有限责任公司、个体工商户"),
        Column("industry", "行业", width=16, needed=True, note="抽查计划按行业确定检查对象范围"),
        Column("township", "所属乡镇", width=16, note=_TOWNSHIP, needed=True),
        Column("address", "住所", width=36),
        Column(
            "risk_class",
            "信用风险分类",
            CHOICE,
            True,
            RISK_CLASSES,
            RISK_ALIASES,
            width=14,
            note="A类风险低、D类风险高（市场监管部门企业信用风险分类结果）",
        ),
        Column("licences", "许可证", width=36, note=f"许可证名称及编号，{_LIST}"),
        Column(
            "status",
            "状态",
            CHOICE,
            choices=ENTITY_STATUS,
            aliases=ENTITY_STATUS_ALIASES,
            width=10,
            note="不填视为“存续”；注销的不再列入抽查范围",
        ),
    ),
    notes=(
        "每行一个检查对象，列与国家企业信用信息公示系统导出的数据一致，可直接导入。",
        "统一社会信用代码已在名录库中的，该行视为修改；否则新增。名录库为全县共用。",
    ),
    general_notes=GENERAL_NOTES,
    accepts_csv=True,
)

ITEM_SHEET = SheetSpec(
    kind=ITEMS,
    title=LABELS[ITEMS],
    columns=(
        Column("code", "事项编码", CODE, True, width=18, note="已存在的编码视为修改该事项"),
        Column(
            "organization",
            "抽查主体（单位代码）",
            CODE,
            width=18,
            note="填写单位代码（见“单位管理”），不是单位名称",
            needed=True,
        ),
        Column("name", "抽查事项", width=30, needed=True),
        Column("kind", "事项类别", CHOICE, True, ITEM_KINDS, ITEM_KIND_ALIASES, width=16),
        Column("basis", "抽查依据", width=40, needed=True, note="法律法规规章没有规定的，不得检查"),
        Column("content", "抽查内容", width=30),
        Column("method", "抽查方式", width=14, note="不填视为“现场检查”"),
        Column(
            "qualification",
            "检查人员资格（执法领域）",
            width=16,
            needed=True,
            note="与检查人员名录的“资格”一致，例如“食品”“特种设备”",
        ),
        Column(
            "catalog_items",
            "对应执法事项编码",
            CODE,
            width=24,
            note=f"执法目录中本单位的事项编码，{_LIST}",
        ),
        Column("status", "状态", CHOICE, choices=ITEM_STATUS, width=10, note="不填视为“有效”"),
    ),
    notes=(
        "每行一个抽查事项（一单：随机抽查事项清单）。事项编码已存在的，该行视为修改；否则新增。",
    ),
    general_notes=GENERAL_NOTES,
    accepts_csv=True,
)

INSPECTOR_SHEET = SheetSpec(
    kind=INSPECTORS,
    title=LABELS[INSPECTORS],
    columns=(
        Column(
            "certificate_number",
            "执法证号",
            CODE,
            True,
            width=16,
            note="须为执法目录中已登记的执法人员；已在名录中的视为修改",
        ),
        Column("name", "姓名", width=10, note="可不填；填写时须与执法证号登记的姓名一致"),
        Column("organization", "所属单位", width=24, note="导出时填写，导入时不读取"),
        Column("qualifications", "资格（执法领域）", width=24, needed=True, note=_LIST),
        Column("township", "所在（派驻）乡镇", width=16, note=f"可不填；{_TOWNSHIP}"),
        Column(
            "status",
            "状态",
            CHOICE,
            choices=INSPECTOR_STATUS,
            width=10,
            note="不填视为“在库”；在库人员的执法证须在有效期内",
        ),
    ),
    notes=("每行一名执法检查人员（两库之一：执法检查人员名录库）。",),
    general_notes=GENERAL_NOTES,
    accepts_csv=True,
)

RELATIONSHIP_SHEET = SheetSpec(
    kind=RELATIONSHIPS,
    title=LABELS[RELATIONSHIPS],
    columns=(
        Column("certificate_number", "执法证号", CODE, True, width=16, note="须已在检查人员名录中"),
        Column("name", "检查人员姓名", width=10, note="可不填；填写时须与执法证号一致"),
        Column(
            "credit_code", "统一社会信用代码", CODE, True, width=22, note="须已在检查对象名录中"
        ),
        Column("entity_name", "检查对象名称", width=30, note="可不填；填写时须与名录库一致"),
        Column(
            "description", "关系说明", width=30, needed=True, note="如近亲属任职、曾在该企业任职"
        ),
    ),
    notes=(
        "每行一条检查人员申报的利害关系，抽取时该人员不会被派往该检查对象（行政处罚法第四十三条）。",
        "同一人员与同一检查对象的关系已登记的，该行视为修改关系说明；否则新增。导入不删除已有关系。",
    ),
    general_notes=GENERAL_NOTES,
    accepts_csv=True,
)

SHEETS: dict[str, SheetSpec] = {
    s.kind: s for s in (ENTITY_SHEET, ITEM_SHEET, INSPECTOR_SHEET, RELATIONSHIP_SHEET)
}


def kind_for(name: str) -> str | None:
    """The stored kind of a short or stored name (``items`` → ``inspection_items``)."""
    kind = SHORT_NAMES.get(name, name)
    return kind if kind in SHEETS else None


def split_list(text: str) -> list[str]:
    """The values of a list cell, stripped, distinct, in order."""
    return list(dict.fromkeys(p.strip() for p in LIST_SEPARATORS.split(text or "") if p.strip()))


# --- export rows (the same columns, so an export imports back) ----------------------------------


def _cells(spec: SheetSpec, values: Mapping[str, Any]) -> list[Cell]:
    return [c.to_cell(values.get(c.key)) for c in spec.columns]


def _licence_text(value: object) -> str:
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values() if v)
    return str(value)


def entity_row(entity: Entity) -> list[Cell]:
    return _cells(
        ENTITY_SHEET,
        {
            "credit_code": entity.credit_code,
            "name": entity.name,
            "kind": entity.kind,
            "industry": entity.industry,
            "township": entity.township.name,
            "address": entity.address,
            "risk_class": entity.risk_class,
            "licences": "、".join(_licence_text(x) for x in entity.licences),
            "status": ACTIVE if entity.is_active else CLOSED,
        },
    )


def item_row(item: InspectionItem) -> list[Cell]:
    return _cells(
        ITEM_SHEET,
        {
            "code": item.code,
            "organization": item.organization.code,
            "name": item.name,
            "kind": item.kind,
            "basis": item.basis,
            "content": item.content,
            "method": item.method,
            "qualification": item.qualification,
            "catalog_items": "、".join(sorted(i.code for i in item.catalog_items.all())),
            "status": ACTIVE if item.is_active else CLOSED,
        },
    )


def inspector_row(inspector: Inspector) -> list[Cell]:
    return _cells(
        INSPECTOR_SHEET,
        {
            "certificate_number": inspector.officer.certificate_number,
            "name": inspector.officer.name,
            "organization": inspector.officer.organization.name,
            "qualifications": "、".join(inspector.qualifications),
            "township": inspector.township.name if inspector.township else "",
            "status": ACTIVE if inspector.is_active else CLOSED,
        },
    )


def relationship_row(relationship: Relationship) -> list[Cell]:
    return _cells(
        RELATIONSHIP_SHEET,
        {
            "certificate_number": relationship.inspector.officer.certificate_number,
            "name": relationship.inspector.officer.name,
            "credit_code": relationship.entity.credit_code,
            "entity_name": relationship.entity.name,
            "description": relationship.description,
        },
    )


def _get(filters: Mapping[str, str], name: str) -> str:
    return (filters.get(name) or "").strip()


def export_rows(*, actor: User, kind: str, filters: Mapping[str, str]) -> list[list[Cell]]:
    """The kind's rows the actor may read, filtered like the directory pages.

    Inspectors and their relationships name people: their export is recorded in the ledger
    before it is handed over (core.services.record_export; PIPL 第五十一条)."""
    spec = spec_for(kind)
    q = _get(filters, "q")
    rows: list[list[Cell]]
    if spec.kind == ENTITIES:
        entities = selectors.entities_for(
            actor,
            q=q,
            industry=_get(filters, "industry"),
            risk_class=_get(filters, "risk_class"),
            township=_get(filters, "township") or None,
        ).order_by("credit_code")
        rows = [entity_row(e) for e in entities.iterator(chunk_size=2000)]
    elif spec.kind == ITEMS:
        items = selectors.items_for(
            actor, q=q, organization=_get(filters, "organization") or None
        ).order_by("code")
        rows = [item_row(i) for i in items]
    else:
        inspectors = selectors.inspectors_for(actor, q=q)
        if spec.kind == INSPECTORS:
            rows = [inspector_row(i) for i in inspectors.order_by("officer__certificate_number")]
        else:
            relationships = (
                Relationship.objects.filter(inspector__in=inspectors.values("pk"))
                .select_related("inspector__officer", "entity")
                .order_by("inspector__officer__certificate_number", "entity__credit_code")
            )
            rows = [relationship_row(r) for r in relationships]
        record_export(
            actor=actor,
            permission="inspections.view",
            subject=f"inspections.{spec.kind}",
            criteria={k: v for k, v in filters.items() if v and k not in ("page", "format")},
            row_count=len(rows),
        )
    return rows


def export_file(
    *, actor: User, kind: str, filters: Mapping[str, str], fmt: str = "xlsx"
) -> tuple[bytes, int]:
    """The export as .xlsx (the import template with rows) or CSV. Returns (bytes, rows)."""
    rows = export_rows(actor=actor, kind=kind, filters=filters)
    content = build_csv(kind, rows) if fmt == "csv" else build_workbook(kind, rows)
    return content, len(rows)


def template(kind: str, fmt: str = "xlsx") -> bytes:
    return build_csv(kind) if fmt == "csv" else build_workbook(kind)


def all_specs() -> Iterable[SheetSpec]:
    return SHEETS.values()
