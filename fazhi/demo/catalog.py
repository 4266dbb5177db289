"""The demo county's enforcement catalog, built through :mod:`fazhi.catalog.services`.

Seed report: “全县共有行政执法主体54家，其中法定行政执法机关39家、受委托组织13家、法律法规授权组织
2家……行政执法事项共计2645项，已经全部……进行了公示……编制完成不予处罚事项清单643项、减轻处罚
事项清单578项、从轻处罚事项清单592项和免于强制64项……18个执法部门，共编制‘首违不罚清单’181项
……对已经下放到乡镇的53项县级行政执法权限进行全面评估……组织执法人员通过法治教育网进行线上20学时
的综合法律知识培训……不少于40学时的专业培训……组织15名乡镇执法人员到市级执法单位进行为期一个月的
跟案学习”.

Two steps, so the data can be checked without a database: :func:`plan_catalog` turns the
static tables of :mod:`fazhi.demo.catalog_data` and the seed into plain specs (pure and
deterministic), and :func:`build_catalog` applies them through the services, one call per
row as a user would, so every figure above comes out of the indicators.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from stdnum.cn import uscc

from fazhi.catalog import services
from fazhi.catalog.conversions import TierInput
from fazhi.catalog.models import (
    Delegation,
    DiscretionStandard,
    EnforcementItem,
    Officer,
    OfficerStatus,
    StandardLevel,
    TrainingKind,
)
from fazhi.core.choices import EnforcementBasis
from fazhi.core.models import Organization, User
from fazhi.demo import county
from fazhi.demo.catalog_data import (
    BASIS_NOTES,
    LICENCES,
    PENALTIES,
    SUBJECT_GROUPS,
    TEMPLATES,
    TOWNSHIP_ITEMS,
    BasePenalty,
)
from fazhi.demo.names import NameGenerator
from fazhi.rules.enforcement import Circumstance, ItemCategory, ListKind, Severity, Treatment

Progress = Callable[[str], None]

# --- Targets (seed report) and demo assumptions ---------------------------------------------

# Items per organization: (行政处罚, 行政强制, 行政检查, 行政许可, 其他). Entrusted units act in
# their department's name (行政处罚法 第二十条), so they own no items. 统计局 (the 2024-09-13
# amendment renumbered 统计法), 审计局 and 退役军人事务局 list none: the demo only cites
# articles it can state with confidence. Each township adds its own ten (TOWNSHIP_ITEMS).
DEPARTMENT_ITEMS: dict[str, tuple[int, int, int, int, int]] = {
    "scjgj": (444, 40, 80, 25, 40),
    "jtysj": (115, 14, 24, 15, 9),
    "sthjfj": (150, 28, 44, 4, 28),
    "zrzyj": (42, 20, 17, 10, 3),
    "zjj": (83, 10, 30, 12, 20),
    "cgj": (76, 8, 22, 5, 10),
    "yjglj": (160, 28, 24, 6, 24),
    "nyncj": (97, 30, 36, 20, 0),
    "wsjkj": (74, 3, 26, 17, 12),
    "whlyj": (24, 6, 6, 5, 5),
    "gaj": (25, 9, 16, 15, 7),
    "slj": (58, 18, 18, 7, 8),
    "lyj": (42, 8, 8, 5, 1),
    "rsj": (24, 0, 20, 6, 10),
    "ybj": (37, 8, 8, 0, 8),
    "swj": (5, 0, 0, 0, 0),
    "mzj": (10, 0, 4, 7, 6),
    "rfb": (11, 0, 0, 2, 0),
    "jyj": (4, 0, 5, 5, 1),
    "gxj": (5, 0, 4, 0, 0),
    "fgj": (3, 0, 6, 2, 1),
    "czj": (1, 0, 4, 1, 1),
    "sfj": (0, 0, 0, 0, 2),
    "gjj-dl": (6, 1, 6, 0, 1),
    "sbj": (0, 0, 10, 0, 4),
}
ITEM_CATEGORIES = (
    ItemCategory.PENALTY,
    ItemCategory.COERCION,
    ItemCategory.INSPECTION,
    ItemCategory.LICENSING,
    ItemCategory.OTHER,
)
ITEMS_TOTAL = 2645
LIST_TOTALS = {ListKind.NO_PENALTY: 643, ListKind.REDUCED: 578, ListKind.LIGHTER: 592}
# The four lists are made by the departments with penalty powers of their own.
FOUR_LIST_DEPARTMENTS = (
    "scjgj", "nyncj", "jtysj", "sthjfj", "zjj", "wsjkj", "zrzyj", "yjglj", "whlyj", "slj",
    "lyj", "cgj", "rsj", "swj", "mzj", "ybj", "jyj", "rfb", "fgj", "gxj",
)  # fmt: skip
NO_COERCION_ITEMS = {
    "scjgj": 12, "sthjfj": 10, "yjglj": 8, "jtysj": 8, "nyncj": 6, "cgj": 5, "zrzyj": 4,
    "wsjkj": 3, "whlyj": 3, "lyj": 3, "slj": 2,
}  # fmt: skip
# 18 departments, 181 entries (公安 lists minor traffic violations: 首违警告、首违不罚).
FIRST_VIOLATION_ITEMS = {
    "scjgj": 30, "yjglj": 16, "sthjfj": 14, "jtysj": 14, "nyncj": 12, "cgj": 12, "zjj": 11,
    "wsjkj": 11, "gaj": 10, "slj": 8, "zrzyj": 8, "lyj": 8, "ybj": 7, "whlyj": 7, "rsj": 6,
    "rfb": 4, "mzj": 2, "swj": 1,
}  # fmt: skip
DELEGATED_ITEMS = 53
# Delegated to every township; the other delegated items went to the townships concerned.
DELEGATED_TO_ALL = 8
DELEGATED_TO_SOME = 3
TOWNSHIP_SHADOWING_OFFICERS = 15

# Officers holding an enforcement certificate, per organization (the units do most of the work).
OFFICERS: dict[str, int] = {
    "scjgj-zfdd": 28, "jtysj-zfdd": 20, "nyncj-zfdd": 16, "cgj-zfdd": 16, "sthjfj-zfdd": 14,
    "yjglj-zfdd": 12, "wsjkj-jds": 10, "zrzyj-jcdd": 10, "lyj-zfdd": 10, "whlyj-zfdd": 8,
    "zjj-zfdd": 8, "rsj-ldjc": 6, "slj-szjc": 6, "sbj": 4, "gjj-dl": 3, "gaj": 8, "ybj": 4,
    "mzj": 3, "jyj": 3,
}  # fmt: skip
OFFICERS_PER_DEPARTMENT = 2
OFFICERS_PER_TOWNSHIP = 5

ISSUING_AUTHORITY = "吉林省人民政府"
DELEGATION_DOCUMENT = "东政发〔{year}〕12号"  # demo assumption: the county's delegation decision

FIELDS: dict[str, str] = {
    "sfj": "司法行政", "gaj": "公安", "scjgj": "市场监管", "zrzyj": "自然资源",
    "sthjfj": "生态环境", "zjj": "住房城乡建设", "jtysj": "交通运输", "nyncj": "农业农村",
    "slj": "水利", "whlyj": "文化旅游", "wsjkj": "卫生健康", "yjglj": "应急管理",
    "lyj": "林业", "jyj": "教育", "mzj": "民政", "rsj": "人力资源社会保障", "czj": "财政",
    "sjj": "审计", "tjj": "统计", "swj": "商务", "fgj": "发展改革", "gxj": "工业和信息化",
    "ybj": "医疗保障", "cgj": "城市管理", "tyjrj": "退役军人事务", "rfb": "人民防空",
    "gjj-dl": "住房公积金", "sbj": "社会保险",
}  # fmt: skip

# The laws each department enforces, for its 执法主体资格依据.
DEPARTMENT_LAWS: dict[str, str] = {
    "sfj": "《中华人民共和国人民调解法》《中华人民共和国法律援助法》",
    "gaj": "《中华人民共和国人民警察法》《中华人民共和国治安管理处罚法》"
    "《中华人民共和国道路交通安全法》",
    "scjgj": "《中华人民共和国市场主体登记管理条例》《中华人民共和国食品安全法》"
    "《中华人民共和国产品质量法》",
    "zrzyj": "《中华人民共和国土地管理法》《中华人民共和国城乡规划法》《中华人民共和国矿产资源法》",
    "sthjfj": "《中华人民共和国环境保护法》《中华人民共和国大气污染防治法》"
    "《中华人民共和国水污染防治法》",
    "zjj": "《中华人民共和国建筑法》《建设工程质量管理条例》《城镇排水与污水处理条例》",
    "jtysj": "《中华人民共和国公路法》《中华人民共和国道路运输条例》《公路安全保护条例》",
    "nyncj": "《中华人民共和国种子法》《农药管理条例》《兽药管理条例》",
    "slj": "《中华人民共和国水法》《中华人民共和国水土保持法》《中华人民共和国防洪法》",
    "whlyj": "《中华人民共和国旅游法》《互联网上网服务营业场所管理条例》《娱乐场所管理条例》",
    "wsjkj": "《中华人民共和国基本医疗卫生与健康促进法》《中华人民共和国医师法》"
    "《公共场所卫生管理条例》",
    "yjglj": "《中华人民共和国安全生产法》《危险化学品安全管理条例》《烟花爆竹安全管理条例》",
    "lyj": "《中华人民共和国森林法》《森林防火条例》",
    "jyj": "《中华人民共和国教育法》《中华人民共和国义务教育法》《中华人民共和国民办教育促进法》",
    "mzj": "《殡葬管理条例》《社会团体登记管理条例》《社会救助暂行条例》",
    "rsj": "《中华人民共和国劳动法》《中华人民共和国社会保险法》《劳动保障监察条例》",
    "czj": "《中华人民共和国政府采购法》《财政违法行为处罚处分条例》",
    "sjj": "《中华人民共和国审计法》",
    "tjj": "《中华人民共和国统计法》",
    "swj": "《报废机动车回收管理办法》",
    "fgj": "《中华人民共和国招标投标法》《中华人民共和国节约能源法》",
    "gxj": "《中华人民共和国节约能源法》",
    "ybj": "《中华人民共和国社会保险法》《医疗保障基金使用监督管理条例》",
    "cgj": "《城市市容和环境卫生管理条例》《城市道路管理条例》《中华人民共和国大气污染防治法》",
    "tyjrj": "《中华人民共和国退役军人保障法》",
    "rfb": "《中华人民共和国人民防空法》",
}
_ORGAN_BASIS = "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》；{laws}等法律法规"
_CITY_MANAGEMENT_BASIS = "；《中华人民共和国行政处罚法》第十八条（相对集中行政处罚权）"
_TOWNSHIP_BASIS = (
    "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》；"
    "《中华人民共和国行政处罚法》第二十四条及吉林省赋予乡镇（街道）县级行政执法权限的决定；"
    "《中华人民共和国城乡规划法》《中华人民共和国土地管理法》等法律法规"
)
_ENTRUSTED_BASIS = (
    "《中华人民共和国行政处罚法》第二十条：受{parent}书面委托，在委托范围内以{parent}名义"
    "实施{field}领域行政处罚，委托机关对其行为的后果承担法律责任"
)
_AUTHORIZED_BASIS = {
    "gjj-dl": "《住房公积金管理条例》第三十七条、第三十八条（住房公积金管理中心对违反缴存规定的"
    "单位责令限期办理、处以罚款，并可申请人民法院强制执行）",
    "sbj": "《中华人民共和国社会保险法》第八条（社会保险经办机构负责社会保险登记、个人权益记录、"
    "社会保险待遇支付等工作）",
}
# The provincial departments whose benchmarks the county refines (the report: “按照省级制定的标准”).
PROVINCIAL_DEPARTMENTS = {
    "scjgj": "吉林省市场监督管理厅", "jtysj": "吉林省交通运输厅", "sthjfj": "吉林省生态环境厅",
    "zjj": "吉林省住房和城乡建设厅", "yjglj": "吉林省应急管理厅", "nyncj": "吉林省农业农村厅",
    "wsjkj": "吉林省卫生健康委员会",
}  # fmt: skip
# Where the 15 township officers followed cases for a month (report: 到市级执法单位跟案学习).
CITY_UNITS = (
    ("scjgj-zfdd", "辽源市市场监督管理局", "食品安全"),
    ("jtysj-zfdd", "辽源市交通运输综合行政执法支队", "超限运输"),
    ("sthjfj-zfdd", "辽源市生态环境局", "大气污染防治"),
    ("zrzyj-jcdd", "辽源市自然资源局", "违法占地"),
    ("cgj-zfdd", "辽源市城市管理行政执法局", "违法建设"),
)

_CATEGORY_CODES = {
    ItemCategory.PENALTY: "CF",
    ItemCategory.COERCION: "QZ",
    ItemCategory.INSPECTION: "JC",
    ItemCategory.LICENSING: "XK",
    ItemCategory.OTHER: "QT",
}
_GENERATED_NOTE = "演示数据：依据条款为该部门履行监督管理职责的一般规定。"
_LIST_TITLES = {
    ListKind.NO_PENALTY: "不予行政处罚事项清单",
    ListKind.REDUCED: "减轻行政处罚事项清单",
    ListKind.LIGHTER: "从轻行政处罚事项清单",
    ListKind.NO_COERCION: "免予行政强制事项清单",
    ListKind.FIRST_VIOLATION: "首违不罚事项清单",
}
_PENALTY_LAW = "《中华人民共和国行政处罚法》"
_SAMR_DISCRETION = (
    "《市场监管总局关于规范市场监督管理行政处罚裁量权的指导意见》（国市监法规〔2022〕2号）"
)

_ARTICLE_32 = (
    Circumstance.ELIMINATED_HARM,
    Circumstance.COERCED,
    Circumstance.CONFESSED,
    Circumstance.MERITORIOUS,
)
_REDUCED_SETS: tuple[tuple[Circumstance, ...], ...] = (
    (Circumstance.ELIMINATED_HARM, Circumstance.CONFESSED),
    (Circumstance.COERCED, Circumstance.MERITORIOUS),
    _ARTICLE_32,
)
# 国市监法规〔2022〕2号 第十四条: circumstances in which 市场监管 “可以”从轻或者减轻.
_SAMR_LIGHTER_SETS: tuple[tuple[Circumstance, ...], ...] = (
    (Circumstance.ELIMINATED_HARM, Circumstance.COOPERATED),
    (Circumstance.CONFESSED, Circumstance.MINOR_SOCIAL_HARM, Circumstance.SECONDARY_ROLE),
    (Circumstance.COERCED, Circumstance.HARDSHIP),
)


# --- Specs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BodySpec:
    org: str
    credit_code: str
    authority_basis: str
    entrusting: str | None


@dataclass(frozen=True)
class ItemSpec:
    code: str
    org: str
    name: str
    category: str
    law: str
    article: str
    paragraph: str
    text: str
    penalty_types: tuple[str, ...]
    fine_basis: str
    fine_min: Decimal | None
    fine_max: Decimal | None
    effective_from: dt.date
    violation: str
    base: BasePenalty | None = None  # the base row of a penalty item or variant
    is_base: bool = False

    @property
    def citation(self) -> str:
        return f"《{self.law}》{self.article}{self.paragraph}"

    def fields(self) -> dict[str, Any]:
        """Keyword arguments of :func:`fazhi.catalog.services.create_item`."""
        return {
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "basis_law": self.law,
            "basis_article": self.article,
            "basis_paragraph": self.paragraph,
            "basis_text": self.text,
            "penalty_types": list(self.penalty_types),
            "fine_basis": self.fine_basis,
            "fine_min": self.fine_min,
            "fine_max": self.fine_max,
            "effective_from": self.effective_from,
        }


@dataclass(frozen=True)
class EntrySpec:
    item_code: str
    violation: str
    legal_basis: str
    condition_text: str
    conditions: Mapping[str, Any]


@dataclass(frozen=True)
class ListSpec:
    kind: ListKind
    org: str
    title: str
    version: str
    effective_from: dt.date
    entries: tuple[EntrySpec, ...]


@dataclass(frozen=True)
class StandardSpec:
    key: str
    item_code: str
    org: str
    level: str
    title: str
    version: str
    violation: str
    legal_basis: str
    effective_from: dt.date
    tiers: tuple[TierInput, ...]
    parent: str | None = None  # key of the higher benchmark it refines (DB-5)


@dataclass(frozen=True)
class DelegationSpec:
    item_code: str
    township: str
    decided_on: dt.date
    document_number: str
    evaluated_on: dt.date
    conclusion: str
    opinion: str


@dataclass(frozen=True)
class OfficerSpec:
    org: str
    certificate_number: str
    name: str
    username: str | None
    valid_from: dt.date
    valid_until: dt.date
    fields: str
    status: str = OfficerStatus.ACTIVE
    status_reason: str = ""


@dataclass(frozen=True)
class TrainingSpec:
    certificate_number: str
    kind: str
    title: str
    held_on: dt.date
    hours: Decimal


@dataclass(frozen=True)
class ShadowingSpec:
    officer: str
    mentor: str
    case_reference: str
    started_on: dt.date


@dataclass(frozen=True)
class CatalogPlan:
    bodies: tuple[BodySpec, ...]
    items: tuple[ItemSpec, ...]
    lists: tuple[ListSpec, ...]
    standards: tuple[StandardSpec, ...]
    delegations: tuple[DelegationSpec, ...]
    officers: tuple[OfficerSpec, ...]
    trainings: tuple[TrainingSpec, ...]
    shadowing: tuple[ShadowingSpec, ...]


@dataclass
class CatalogResult:
    bodies: int = 0
    items: int = 0
    lists: int = 0
    entries: int = 0
    standards: int = 0
    delegations: int = 0
    officers: int = 0
    trainings: int = 0
    shadowing: int = 0
    codes: dict[str, str] = field(default_factory=dict)


# --- Organizations -------------------------------------------------------------------------


def _org_names() -> dict[str, str]:
    names = {code: name for code, name, _ in county.DEPARTMENTS}
    names.update(county.TOWNSHIPS)
    names.update({code: name for code, name, _, _ in county.ENFORCEMENT_UNITS})
    return names


def _gb11714_check(body: str) -> str:
    """Check character of an 8-digit organization code (GB 11714-1997)."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    remainder = 11 - sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def credit_code(serial: int, *, institution: bool = False, region: str = "220422") -> str:
    """A valid 统一社会信用代码 for a 东辽县 organ (11…) or public institution (12…).

    登记管理部门 1 (机构编制), 机构类别 1 机关 / 2 事业单位, the region code, an organization code
    with its own GB 11714 check character, then the GB 32100 check character.
    """
    body = f"{(13572468 + 7919 * serial) % 10**8:08d}"
    head = f"1{2 if institution else 1}{region}{body}{_gb11714_check(body)}"
    return head + uscc.calc_check_digit(head)


def _plan_bodies() -> list[BodySpec]:
    names = _org_names()
    bodies: list[BodySpec] = []
    serial = 0
    for code, _name, _kind in county.DEPARTMENTS:
        serial += 1
        basis = _ORGAN_BASIS.format(laws=DEPARTMENT_LAWS[code])
        if code == "cgj":
            basis += _CITY_MANAGEMENT_BASIS
        bodies.append(BodySpec(code, credit_code(serial), basis, None))
    for code, _name in county.TOWNSHIPS:
        serial += 1
        bodies.append(BodySpec(code, credit_code(serial), _TOWNSHIP_BASIS, None))
    for code, _name, parent, basis_kind in county.ENFORCEMENT_UNITS:
        serial += 1
        if basis_kind == EnforcementBasis.ENTRUSTED:
            basis = _ENTRUSTED_BASIS.format(parent=names[parent], field=FIELDS[parent])
            bodies.append(BodySpec(code, credit_code(serial, institution=True), basis, parent))
        else:
            # 辽源市住房公积金管理中心 is a city institution; its 东辽县 office uses the city code.
            region = "220400" if code == "gjj-dl" else "220422"
            bodies.append(
                BodySpec(
                    code,
                    credit_code(serial, institution=True, region=region),
                    _AUTHORIZED_BASIS[code],
                    None,
                )
            )
    return bodies


# --- Items ---------------------------------------------------------------------------------


def _round_robin(pools: Sequence[Sequence[Any]]) -> Iterator[Any]:
    """One from each pool in turn, so generated items spread over every template."""
    depth = max((len(p) for p in pools), default=0)
    for i in range(depth):
        for pool in pools:
            if i < len(pool):
                yield pool[i]


def _take(pools: Sequence[Sequence[Any]], count: int, what: str) -> list[Any]:
    taken = list(_round_robin(pools))[:count]
    if len(taken) < count:
        raise ValueError(f"{what}：数据只够生成{len(taken)}项，需要{count}项")
    return taken


def _org_prefix(org: str) -> str:
    return f"DL-{org.upper()}"


def _plan_items(year: int) -> list[ItemSpec]:
    listed_on = dt.date(year - 1, 6, 30)  # 按省厅要求梳理执法事项后的清单
    items: list[ItemSpec] = []
    for org, counts in DEPARTMENT_ITEMS.items():
        prefix = _org_prefix(org)
        wanted = dict(zip(ITEM_CATEGORIES, counts, strict=True))
        bases = [p for p in PENALTIES if p.org == org]
        base_items = [_penalty_spec(p, None, listed_on) for p in bases]
        variant_pools = [
            [_penalty_spec(p, party, listed_on) for party in SUBJECT_GROUPS[p.group]]
            for p in bases
            if p.group
        ]
        extra = wanted[ItemCategory.PENALTY] - len(base_items)
        penalties = base_items[: wanted[ItemCategory.PENALTY]]
        if extra > 0:
            penalties += _take(variant_pools, extra, f"{org}行政处罚事项")
        items += _numbered(prefix, ItemCategory.PENALTY, penalties)
        for category in ITEM_CATEGORIES[1:]:
            pools = _template_pools(org, category, listed_on)
            chosen = _take(pools, wanted[category], f"{org}{category.label_zh}事项")
            items += _numbered(prefix, category, chosen)
    for code, _name in county.TOWNSHIPS:
        by_category: dict[str, list[ItemSpec]] = defaultdict(list)
        for kind, name, law, article, paragraph in TOWNSHIP_ITEMS:
            by_category[kind].append(
                _plain_item(code, name, ItemCategory(kind), law, article, paragraph, "", listed_on)
            )
        for category in ITEM_CATEGORIES:
            items += _numbered(_org_prefix(code), category, by_category[str(category)])
    if len(items) != ITEMS_TOTAL:
        raise ValueError(f"执法事项共{len(items)}项，应为{ITEMS_TOTAL}项")
    return items


def _penalty_spec(base: BasePenalty, party: str | None, listed_on: dt.date) -> ItemSpec:
    actor = base.actor if party is None else party
    return ItemSpec(
        code="",
        org=base.org,
        name=base.name_for(party),
        category=ItemCategory.PENALTY,
        law=base.law,
        article=base.article,
        paragraph=base.paragraph,
        text=BASIS_NOTES.get(base.key, ""),
        penalty_types=base.penalty_types,
        fine_basis=base.fine_basis,
        fine_min=base.fine_min,
        fine_max=base.fine_max,
        effective_from=listed_on,
        violation=f"{actor}{base.act}",
        base=base,
        is_base=party is None,
    )


def _plain_item(
    org: str,
    name: str,
    category: ItemCategory,
    law: str,
    article: str,
    paragraph: str,
    text: str,
    listed_on: dt.date,
) -> ItemSpec:
    """A non-penalty item (no penalty types, no fine)."""
    return ItemSpec(
        code="",
        org=org,
        name=name,
        category=category,
        law=law,
        article=article,
        paragraph=paragraph,
        text=text,
        penalty_types=(),
        fine_basis="",
        fine_min=None,
        fine_max=None,
        effective_from=listed_on,
        violation="",
    )


def _template_pools(org: str, category: ItemCategory, listed_on: dt.date) -> list[list[ItemSpec]]:
    pools: list[list[ItemSpec]] = []
    for t in TEMPLATES:
        if t.org != org or t.category != category:
            continue
        parties = SUBJECT_GROUPS[t.group] if t.group else ("",)
        note = _GENERATED_NOTE if t.group else ""
        pools.append(
            [
                _plain_item(
                    org,
                    t.text.format(s=party),
                    category,
                    t.law,
                    t.article,
                    t.paragraph,
                    note,
                    listed_on,
                )
                for party in parties
            ]
        )
    if category == ItemCategory.LICENSING:
        for lic in LICENCES:
            if lic.org == org:
                pools.append(
                    [
                        _plain_item(
                            org,
                            lic.text.format(p=phase),
                            category,
                            lic.law,
                            lic.article,
                            lic.paragraph,
                            "",
                            listed_on,
                        )
                        for phase in lic.phases
                    ]
                )
    return pools


def _numbered(prefix: str, category: ItemCategory, specs: Sequence[ItemSpec]) -> list[ItemSpec]:
    code = _CATEGORY_CODES[category]
    return [replace(spec, code=f"{prefix}-{code}-{n:03d}") for n, spec in enumerate(specs, 1)]


def base_item_codes(year: int = 2024) -> dict[str, str]:
    """Item code of every base penalty item, by its key (e.g. ``food_unlicensed``)."""
    return {item.base.key: item.code for item in _plan_items(year) if item.is_base and item.base}


# --- Lenient lists --------------------------------------------------------------------------


def _allocate(total: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder, ties by key order)."""
    whole = sum(weights.values())
    shares = {k: Decimal(total) * w / whole for k, w in weights.items()}
    result = {k: int(s) for k, s in shares.items()}
    order = sorted(weights, key=lambda k: (-(shares[k] - result[k]), list(weights).index(k)))
    for k in order[: total - sum(result.values())]:
        result[k] += 1
    return result


def _pick(
    rng: random.Random, candidates: Sequence[ItemSpec], count: int, what: str
) -> list[ItemSpec]:
    """``count`` items, preferring the minor ones, in catalog order."""
    if count > len(candidates):
        raise ValueError(f"{what}：只有{len(candidates)}个可选事项，需要{count}个")
    preferred = [i.code for i in candidates if i.base is not None and i.base.minor]
    others = [i.code for i in candidates if i.base is None or not i.base.minor]
    rng.shuffle(preferred)
    rng.shuffle(others)
    chosen = set((preferred + others)[:count])
    return [i for i in candidates if i.code in chosen]


def _plan_lists(items: Sequence[ItemSpec], year: int, rng: random.Random) -> list[ListSpec]:
    names = _org_names()
    penalties: dict[str, list[ItemSpec]] = defaultdict(list)
    coercions: dict[str, list[ItemSpec]] = defaultdict(list)
    for item in items:
        if item.category == ItemCategory.PENALTY:
            penalties[item.org].append(item)
        elif item.category == ItemCategory.COERCION:
            coercions[item.org].append(item)
    weights = {org: len(penalties[org]) for org in FOUR_LIST_DEPARTMENTS}
    quotas: dict[ListKind, dict[str, int]] = {
        kind: _allocate(total, weights) for kind, total in LIST_TOTALS.items()
    }
    quotas[ListKind.NO_COERCION] = dict(NO_COERCION_ITEMS)
    quotas[ListKind.FIRST_VIOLATION] = dict(FIRST_VIOLATION_ITEMS)
    lists: list[ListSpec] = []
    for kind in (*LIST_TOTALS, ListKind.NO_COERCION, ListKind.FIRST_VIOLATION):
        for org, count in quotas[kind].items():
            if kind is ListKind.NO_COERCION:
                # Coercion items first, in order: the 查封、扣押 measures a list can waive.
                chosen = coercions[org][:count]
            else:
                pool = penalties[org]
                if kind in (ListKind.NO_PENALTY, ListKind.FIRST_VIOLATION):
                    # A grave violation is never “轻微”: keep it off these two lists.
                    pool = [i for i in pool if i.base is None or not i.base.grave]
                chosen = _pick(rng, pool, count, f"{names[org]}{_LIST_TITLES[kind]}")
            entries = tuple(_entry(kind, org, item, n) for n, item in enumerate(chosen))
            lists.append(
                ListSpec(
                    kind=kind,
                    org=org,
                    title=f"{names[org]}{_LIST_TITLES[kind]}",
                    version=f"{year}年版",
                    effective_from=dt.date(year, 1, 1),
                    entries=entries,
                )
            )
    return lists


def _labels(circumstances: Sequence[Circumstance]) -> str:
    return "；".join(c.label_zh for c in circumstances)


def _entry(kind: ListKind, org: str, item: ItemSpec, n: int) -> EntrySpec:
    citation = item.citation
    if kind is ListKind.NO_PENALTY:
        return EntrySpec(
            item.code,
            item.violation,
            f"{citation}；{_PENALTY_LAW}第三十三条第一款",
            "违法行为轻微，在责令改正期限内改正，没有造成危害后果的",
            {"max_harm": "none", "requires_corrected_in_time": True},
        )
    if kind is ListKind.FIRST_VIOLATION:
        return EntrySpec(
            item.code,
            item.violation,
            f"{citation}；{_PENALTY_LAW}第三十三条第一款",
            "初次违法（两年内未因同一类违法行为受过行政处罚），危害后果轻微并在责令改正期限内改正的",
            {
                "requires_first_violation": True,
                "requires_corrected_in_time": True,
                "max_harm": "minor",
            },
        )
    if kind is ListKind.REDUCED:
        found = _REDUCED_SETS[n % len(_REDUCED_SETS)]
        return EntrySpec(
            item.code,
            item.violation,
            f"{citation}；{_PENALTY_LAW}第三十二条",
            f"具有下列情形之一，且违法行为未造成严重危害后果的：{_labels(found)}",
            {"any_circumstance": [c.value for c in found], "max_harm": "ordinary"},
        )
    if kind is ListKind.LIGHTER:
        basis = f"{citation}；{_PENALTY_LAW}第三十二条"
        if org == "scjgj":
            found = _SAMR_LIGHTER_SETS[n % len(_SAMR_LIGHTER_SETS)]
            basis += f"；{_SAMR_DISCRETION}第十四条"
        else:
            found = _REDUCED_SETS[n % len(_REDUCED_SETS)]
        return EntrySpec(
            item.code,
            item.violation,
            basis,
            f"具有下列情形之一的：{_labels(found)}",
            {"any_circumstance": [c.value for c in found]},
        )
    # 免予行政强制: 行政强制法 第五条、第十六条第二款; 优化营商环境条例 第五十九条.
    return EntrySpec(
        item.code,
        f"适用“{item.name}”的违法行为情节显著轻微或者没有明显社会危害",
        f"{citation}；《中华人民共和国行政强制法》第五条、第十六条第二款；"
        "《优化营商环境条例》第五十九条",
        "违法行为情节显著轻微或者没有明显社会危害，采用非强制性手段能够达到行政管理目的的",
        {"max_harm": "minor"},
    )


# --- Discretion benchmarks -----------------------------------------------------------------


def _unit(item: ItemSpec) -> Decimal:
    if item.fine_basis == "multiple":
        return Decimal("0.01")
    top = item.fine_max or Decimal(0)
    if top >= 1_000_000:
        return Decimal(1000)
    if top >= 10_000:
        return Decimal(100)
    return Decimal(10) if top >= 1000 else Decimal(1)


def _round(value: Decimal, unit: Decimal) -> Decimal:
    return (value / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit


def _money(value: Decimal, item: ItemSpec) -> str:
    if item.fine_basis == "multiple":
        return f"{item.base.multiple_of if item.base else ''}{value.normalize():f}倍"
    return f"{value.normalize():f}元"


def _fine_text(treatment: str, low: Decimal, high: Decimal, item: ItemSpec) -> str:
    return f"{treatment}，处{_money(low, item)}以上{_money(high, item)}以下罚款"


def _tiers(item: ItemSpec, *, refine: bool = False) -> tuple[TierInput, ...]:
    """Tiers from 不予处罚 to 从重, inside the statutory range (DB-6).

    从轻 is the lowest 30% and 从重 the highest 30% of the range (国市监法规〔2022〕2号 第十条,
    LEGAL-RULES LE-D2/LE-D3); 减轻 lies below the minimum. ``refine`` splits the 情节较轻 band
    the way a county refines a provincial benchmark without leaving it (DB-5).
    """
    assert item.fine_min is not None and item.fine_max is not None
    low, high = item.fine_min, item.fine_max
    unit = _unit(item)
    span = high - low

    def at(share: str) -> Decimal:
        return _round(low + span * Decimal(share), unit)

    p30, p40, p50, p70 = at("0.3"), at("0.4"), at("0.5"), at("0.7")
    extra = ""
    if "revoke_licence" in item.penalty_types:
        extra = "；符合法定情形的，依法吊销许可证件"
    elif "suspend_business" in item.penalty_types:
        extra = "；拒不改正的，依法责令停产停业"
    tiers = [
        TierInput(
            Treatment.NO_PENALTY,
            "",
            None,
            None,
            "初次违法且危害后果轻微并及时改正，或者违法行为轻微并及时改正、没有造成危害后果的",
            "不予行政处罚，责令改正并对当事人进行教育",
        )
    ]
    reduced_when = "具有《中华人民共和国行政处罚法》第三十二条规定情形之一，且违法行为情节较轻的"
    if low >= 10 * unit:
        r_low, r_high = _round(low * Decimal("0.3"), unit), _round(low * Decimal("0.9"), unit)
        reduced = _fine_text("减轻处罚", r_low, r_high, item)
        tiers.append(TierInput(Treatment.REDUCED, "", r_low, r_high, reduced_when, reduced))
    elif "warning" in item.penalty_types:
        # No fine below a minimum of 0: 减轻 means a lighter kind of penalty (LE-D1).
        reduced = "减轻处罚，给予警告，不并处罚款"
        tiers.append(TierInput(Treatment.REDUCED, "", None, None, reduced_when, reduced))
    tiers.append(
        TierInput(
            Treatment.LIGHTER,
            Severity.SLIGHT,
            low,
            p30,
            "情节轻微，不符合不予处罚条件，或者具有依法应当从轻处罚情形的",
            _fine_text("从轻处罚", low, p30, item),
        )
    )
    if refine:
        tiers += [
            TierInput(
                Treatment.ORDINARY,
                Severity.MINOR,
                p30,
                p40,
                "初次被查处，违法行为持续时间在三个月以下，情节较轻的",
                _fine_text("一般处罚", p30, p40, item),
            ),
            TierInput(
                Treatment.ORDINARY,
                Severity.MINOR,
                p40,
                p50,
                "初次被查处，违法行为持续时间在三个月以上，情节较轻的",
                _fine_text("一般处罚", p40, p50, item),
            ),
        ]
    else:
        tiers.append(
            TierInput(
                Treatment.ORDINARY,
                Severity.MINOR,
                p30,
                p50,
                "初次被查处，违法行为持续时间较短、涉案金额较小，情节较轻的",
                _fine_text("一般处罚", p30, p50, item),
            )
        )
    tiers += [
        TierInput(
            Treatment.ORDINARY,
            Severity.SERIOUS,
            p50,
            p70,
            "违法行为持续时间较长、涉及范围较广或者造成一定危害后果，情节较重的",
            _fine_text("一般处罚", p50, p70, item),
        ),
        TierInput(
            Treatment.HEAVIER,
            Severity.GRAVE,
            p70,
            high,
            "造成严重危害后果，或者一年内因同一性质违法行为受过行政处罚，或者拒绝、阻碍、"
            "以暴力威胁执法人员调查，情节严重的",
            _fine_text("从重处罚", p70, high, item) + extra,
        ),
    ]
    return tuple(tiers)


def _plan_standards(items: Sequence[ItemSpec], year: int) -> list[StandardSpec]:
    names = _org_names()
    standards: list[StandardSpec] = []
    for item in items:
        base = item.base
        if not item.is_base or base is None or not base.benchmark or item.fine_min is None:
            continue
        parent: str | None = None
        if base.provincial:
            parent = f"province:{base.key}"
            standards.append(
                StandardSpec(
                    key=parent,
                    item_code=item.code,
                    org=item.org,
                    level=StandardLevel.PROVINCE,
                    title=f"{PROVINCIAL_DEPARTMENTS[item.org]}行政处罚裁量权基准",
                    version=f"{year - 1}年版",
                    violation=item.violation,
                    legal_basis=item.citation,
                    effective_from=dt.date(year - 1, 7, 1),
                    tiers=_tiers(item),
                )
            )
        standards.append(
            StandardSpec(
                key=f"county:{base.key}",
                item_code=item.code,
                org=item.org,
                level=StandardLevel.COUNTY,
                title=f"{names[item.org]}行政处罚裁量基准",
                version=f"{year}年版",
                violation=item.violation,
                legal_basis=item.citation,
                effective_from=dt.date(year, 1, 1),
                tiers=_tiers(item, refine=parent is not None),
                parent=parent,
            )
        )
    return standards


# --- Delegation to townships ---------------------------------------------------------------


def _plan_delegations(
    items: Sequence[ItemSpec], year: int, rng: random.Random
) -> list[DelegationSpec]:
    by_code = {i.code: i for i in items}
    delegable = [i for i in items if i.is_base and i.base and i.base.delegable]
    variants_by_base: dict[str, list[ItemSpec]] = defaultdict(list)
    for i in items:
        if not i.is_base and i.base and i.base.delegable:
            variants_by_base[i.base.key].append(i)
    variants = list(_round_robin(list(variants_by_base.values())))
    inspections = [
        i
        for org in ("yjglj", "zrzyj", "lyj", "slj", "nyncj")
        for i in [j for j in items if j.org == org and j.category == ItemCategory.INSPECTION][:4]
    ]
    chosen: list[str] = []
    for item in [*delegable, *inspections, *variants]:
        if item.code not in chosen:
            chosen.append(item.code)
    chosen = chosen[:DELEGATED_ITEMS]
    townships = [code for code, _ in county.TOWNSHIPS]
    decided_on = dt.date(year - 3, 7, 1)
    document = DELEGATION_DOCUMENT.format(year=year - 3)
    result: list[DelegationSpec] = []
    for n, code in enumerate(chosen):
        receivers = townships if n < DELEGATED_TO_ALL else rng.sample(townships, DELEGATED_TO_SOME)
        for town in sorted(receivers, key=townships.index):
            conclusion, opinion = _evaluation(rng)
            result.append(
                DelegationSpec(
                    item_code=code,
                    township=town,
                    decided_on=decided_on,
                    document_number=document,
                    evaluated_on=dt.date(year, 9, 2) + dt.timedelta(days=n % 50),
                    conclusion=conclusion,
                    opinion=opinion.format(item=by_code[code].name),
                )
            )
    return result


def _evaluation(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.02:
        return (
            "withdraw",
            "乡镇近两年未办理“{item}”相关案件，承接能力不足，建议收回由县级部门行使。",
        )
    if roll < 0.12:
        return (
            "adjust",
            "“{item}”专业性较强，乡镇缺少检测设备，建议调整为县乡联合执法，由县级部门提供技术支撑。",
        )
    return "keep", "乡镇已配备持证执法人员并规范办理“{item}”相关案件，承接有效，建议继续下放。"


# --- Officers --------------------------------------------------------------------------------


def _plan_officers(
    year: int, scale: int, rng_seed: int
) -> tuple[list[OfficerSpec], list[TrainingSpec], list[ShadowingSpec]]:
    names = NameGenerator(rng_seed)
    orgs: list[str] = [code for code, _, _ in county.DEPARTMENTS]
    orgs += [code for code, _, _, _ in county.ENFORCEMENT_UNITS]
    township_codes = [code for code, _ in county.TOWNSHIPS]
    orgs += township_codes
    officers: list[OfficerSpec] = []
    by_org: dict[str, list[OfficerSpec]] = defaultdict(list)
    serial = 0
    for org in orgs:
        base = OFFICERS.get(org, OFFICERS_PER_TOWNSHIP if org in township_codes else 0)
        if not base:
            base = OFFICERS_PER_DEPARTMENT
        parent = next((p for c, _, p, _ in county.ENFORCEMENT_UNITS if c == org), org)
        field_name = (
            "乡镇综合行政执法" if org in township_codes else FIELDS.get(org, FIELDS[parent])
        )
        for i in range(1, max(base, scale) + 1):
            serial += 1
            issued = (
                dt.date(year - 3, 3, 15),
                dt.date(year - 2, 6, 20),
                dt.date(year - 1, 9, 10),
            )[serial % 3]
            spec = OfficerSpec(
                org=org,
                certificate_number=f"220422{serial:05d}",
                name=names.name(),
                # The demo's officer accounts (f"{code}_zf{i}") hold the first certificates.
                username=f"{org}_zf{i}" if i <= scale else None,
                valid_from=issued,
                valid_until=dt.date(issued.year + 5, issued.month, issued.day) - dt.timedelta(1),
                fields=field_name,
            )
            officers.append(spec)
            by_org[org].append(spec)
    officers = _with_lapsed_certificates(officers, by_org, year)
    by_cert = {o.certificate_number: o for o in officers}
    for org, specs in by_org.items():
        by_org[org] = [by_cert[s.certificate_number] for s in specs]
    trainings = [t for n, o in enumerate(officers) for t in _trainings(o, n, year)]
    shadowing = _plan_shadowing(by_org, township_codes, year)
    return officers, trainings, shadowing


def _with_lapsed_certificates(
    officers: list[OfficerSpec], by_org: Mapping[str, list[OfficerSpec]], year: int
) -> list[OfficerSpec]:
    """Two certificates expired during the year and two suspended: not everyone may act."""
    changes: dict[str, dict[str, Any]] = {}
    for org in ("scjgj-zfdd", "jtysj-zfdd"):
        last = by_org[org][-1]
        changes[last.certificate_number] = {
            "valid_from": dt.date(year - 5, 4, 1),
            "valid_until": dt.date(year, 3, 31),
        }
    reasons = {
        "cgj-zfdd": "涉嫌违反执法纪律被立案调查，执法证暂扣",
        "nyncj-zfdd": "年度执法考核不合格，执法证暂扣，待重新培训考试",
    }
    for org, reason in reasons.items():
        last = by_org[org][-1]
        changes[last.certificate_number] = {
            "status": OfficerStatus.SUSPENDED,
            "status_reason": reason,
        }
    return [
        replace(o, **changes[o.certificate_number])
        if o.certificate_number in changes and o.username is None
        else o
        for o in officers
    ]


def _trainings(officer: OfficerSpec, n: int, year: int) -> list[TrainingSpec]:
    """20 online hours (法治教育网) and a 40-hour professional course (report)."""
    cert = officer.certificate_number
    return [
        TrainingSpec(
            cert,
            TrainingKind.ONLINE,
            f"{year}年度法治教育网行政执法人员综合法律知识网络培训",
            dt.date(year, 4 + n % 3, 1 + n % 28),
            Decimal(20),
        ),
        TrainingSpec(
            cert,
            TrainingKind.PROFESSIONAL,
            f"{year}年{officer.fields}专业法律知识培训",
            dt.date(year, 5 + 5 * (n % 2), 6 + n % 20),
            Decimal(40),
        ),
    ]


def _plan_shadowing(
    by_org: Mapping[str, list[OfficerSpec]], townships: Sequence[str], year: int
) -> list[ShadowingSpec]:
    started = dt.date(year, 6, 3)
    ended = dt.date(year, 7, 2)
    learners = [by_org[t][1] for t in townships] + [by_org[t][2] for t in townships[:2]]
    learners = learners[:TOWNSHIP_SHADOWING_OFFICERS]
    result: list[ShadowingSpec] = []
    for n, learner in enumerate(learners):
        unit, city_unit, cases = CITY_UNITS[n % len(CITY_UNITS)]
        # The catalog holds no city-level bodies, so the mentor of record is the county unit's
        # officer who led the group (带队); the city unit is named in the case reference.
        mentor = by_org[unit][0]
        result.append(
            ShadowingSpec(
                learner.certificate_number,
                mentor.certificate_number,
                f"到{city_unit}跟案学习一个月（{started.year}年{started.month}月{started.day}日至"
                f"{ended.month}月{ended.day}日），"
                f"参与办理{cases}案件",
                started,
            )
        )
    # New county officers follow an experienced colleague of their own unit.
    for unit in ("scjgj-zfdd", "jtysj-zfdd", "yjglj-zfdd"):
        newest = next(o for o in reversed(by_org[unit]) if o.valid_from.year == year - 1)
        senior = next(o for o in by_org[unit] if o.valid_from.year == year - 3)
        result.append(
            ShadowingSpec(
                newest.certificate_number,
                senior.certificate_number,
                f"跟办本单位{FIELDS[unit.split('-')[0]]}行政处罚案件",
                dt.date(year, 3, 4),
            )
        )
    return result


# --- Plan and build ----------------------------------------------------------------------------


def plan_catalog(*, seed: int, year: int = 2024, scale: int = 1) -> CatalogPlan:
    """Everything the catalog build will create, as plain values (no database)."""
    rng = random.Random(f"fazhi-demo-catalog:{seed}")  # noqa: S311 - demo data, not secrets
    items = _plan_items(year)
    lists = _plan_lists(items, year, rng)
    standards = _plan_standards(items, year)
    delegations = _plan_delegations(items, year, rng)
    officers, trainings, shadowing = _plan_officers(year, scale, seed + 1)
    return CatalogPlan(
        bodies=tuple(_plan_bodies()),
        items=tuple(items),
        lists=tuple(lists),
        standards=tuple(standards),
        delegations=tuple(delegations),
        officers=tuple(officers),
        trainings=tuple(trainings),
        shadowing=tuple(shadowing),
    )


def build_catalog(
    *,
    actor: User,
    orgs: Mapping[str, Organization],
    seed: int,
    year: int = 2024,
    scale: int = 1,
    progress: Progress | None = None,
) -> CatalogResult:
    """Create the catalog of ``plan_catalog`` through the services, as ``actor`` (依法治县办).

    ``orgs`` maps the organization codes of :mod:`fazhi.demo.county` to their rows.
    """
    say = progress or (lambda message: None)
    plan = plan_catalog(seed=seed, year=year, scale=scale)
    result = CatalogResult()

    say("执法主体（法定39家、受委托13家、授权2家）")
    for body in plan.bodies:
        services.register_body(
            actor=actor,
            organization=orgs[body.org],
            credit_code=body.credit_code,
            authority_basis=body.authority_basis,
            entrusting_organization=orgs[body.entrusting] if body.entrusting else None,
        )
        result.bodies += 1

    say(f"执法事项（{len(plan.items)}项）及事前公示")
    created: dict[str, EnforcementItem] = {}
    for spec in plan.items:
        created[spec.code] = services.create_item(
            actor=actor, organization=orgs[spec.org], **spec.fields()
        )
    services.publish_items(actor=actor, items=created.values())
    result.items = len(created)
    result.codes = {i.base.key: i.code for i in plan.items if i.is_base and i.base}

    say("“四张清单”与首违不罚清单")
    for lst in plan.lists:
        row = services.create_list(
            actor=actor,
            kind=lst.kind,
            title=lst.title,
            organization=orgs[lst.org],
            version=lst.version,
            effective_from=lst.effective_from,
        )
        for number, entry in enumerate(lst.entries, start=1):
            services.add_list_entry(
                actor=actor,
                lenient_list=row,
                item=created[entry.item_code],
                number=number,
                violation=entry.violation,
                legal_basis=entry.legal_basis,
                condition_text=entry.condition_text,
                conditions=entry.conditions,
            )
        services.publish_list(actor=actor, lenient_list=row)
        result.lists += 1
        result.entries += len(lst.entries)

    say("行政处罚裁量基准")
    standards: dict[str, DiscretionStandard] = {}
    for std in plan.standards:
        standards[std.key] = services.create_standard(
            actor=actor,
            item=created[std.item_code],
            organization=orgs[std.org],
            level=std.level,
            title=std.title,
            version=std.version,
            violation=std.violation,
            legal_basis=std.legal_basis,
            effective_from=std.effective_from,
            tiers=std.tiers,
            parent=standards[std.parent] if std.parent else None,
        )
        services.publish_standard(actor=actor, standard=standards[std.key])
        result.standards += 1

    say(f"下放乡镇执法事项（{DELEGATED_ITEMS}项）及赋权后评估")
    for d in plan.delegations:
        delegation: Delegation = services.delegate_item(
            actor=actor,
            item=created[d.item_code],
            township=orgs[d.township],
            decided_on=d.decided_on,
            document_number=d.document_number,
        )
        services.evaluate_delegation(
            actor=actor,
            delegation=delegation,
            evaluated_on=d.evaluated_on,
            conclusion=d.conclusion,
            opinion=d.opinion,
        )
        result.delegations += 1

    say(f"执法人员（{len(plan.officers)}人）、培训与跟案学习")
    accounts = User.objects.in_bulk(
        [o.username for o in plan.officers if o.username], field_name="username"
    )
    officers: dict[str, Officer] = {}
    for o in plan.officers:
        user = accounts.get(o.username) if o.username else None
        officer = services.create_officer(
            actor=actor,
            organization=orgs[o.org],
            name=user.full_name if user and user.full_name else o.name,
            certificate_number=o.certificate_number,
            issuing_authority=ISSUING_AUTHORITY,
            valid_from=o.valid_from,
            valid_until=o.valid_until,
            fields=o.fields,
            user=user,
        )
        officers[o.certificate_number] = officer
    for t in plan.trainings:
        services.record_training(
            actor=actor,
            officer=officers[t.certificate_number],
            kind=t.kind,
            title=t.title,
            held_on=t.held_on,
            hours=t.hours,
        )
    for s in plan.shadowing:
        services.assign_shadowing(
            actor=actor,
            officer=officers[s.officer],
            mentor=officers[s.mentor],
            case_reference=s.case_reference,
            started_on=s.started_on,
        )
    # Suspended after the year's training and shadowing, as happens in practice.
    for o in plan.officers:
        if o.status != OfficerStatus.ACTIVE:
            services.set_officer_status(
                actor=actor,
                officer=officers[o.certificate_number],
                status=o.status,
                reason=o.status_reason,
            )
    result.officers = len(officers)
    result.trainings = len(plan.trainings)
    result.shadowing = len(plan.shadowing)
    return result
