"""The tables of the demo county's 2024 双随机、一公开 (issue 5 §8).

Seed report: “全年开展‘双随机、一公开’抽查任务69个，其中部门计划41个，跨部门联合计划28个，
跨部门占比40.58%”. The report gives only these counts; which department ran which plan, the
directory of market entities and its make-up are demo assumptions, chosen to look like a
county of about 300,000 people (东辽县, 辽源市): some 20,000 market entities, most of them
individual businesses in retail and catering.
"""

from __future__ import annotations

# Industries of the entity directory: (name, share of entities, licences an entity of the
# industry holds, the qualification its inspection needs).
INDUSTRIES: list[tuple[str, float, tuple[str, ...], str]] = [
    ("批发和零售业", 0.40, ("营业执照",), "市场监管"),
    ("住宿和餐饮业", 0.16, ("营业执照", "食品经营许可证"), "食品"),
    ("食品制造业", 0.03, ("营业执照", "食品生产许可证"), "食品"),
    ("农、林、牧、渔业", 0.11, ("营业执照",), "农业"),
    ("制造业", 0.06, ("营业执照",), "市场监管"),
    ("交通运输业", 0.05, ("营业执照", "道路运输经营许可证"), "交通运输"),
    ("建筑业", 0.03, ("营业执照", "建筑业企业资质证书"), "住房城乡建设"),
    ("居民服务业", 0.09, ("营业执照",), "市场监管"),
    ("文化、体育和娱乐业", 0.03, ("营业执照", "娱乐经营许可证"), "文化旅游"),
    ("卫生和社会工作", 0.02, ("营业执照", "医疗机构执业许可证"), "卫生健康"),
    ("危险化学品经营", 0.01, ("营业执照", "危险化学品经营许可证"), "应急管理"),
    ("药品零售", 0.01, ("营业执照", "药品经营许可证"), "药品"),
]
ENTITIES = 20_000
INDIVIDUAL_SHARE = 0.72  # 个体工商户 among market entities
# Credit-risk classes of the directory (A low … D high) and their shares.
RISK_SHARES = (("A", 0.70), ("B", 0.20), ("C", 0.08), ("D", 0.02))
# The demo plans' sampling ratios by item kind and risk class (a plan may set its own; these
# are the county's 2024 work plan, a demo assumption below the parameter's defaults). A plan
# with a 重点 item draws at the 重点 ratios, the others at the 一般 ones (half of them).
PLAN_RATIOS = {
    "general": {"A": "0.001", "B": "0.0025", "C": "0.0075", "D": "0.02"},
    "key": {"A": "0.002", "B": "0.005", "C": "0.015", "D": "0.04"},
}

# The qualification of each department's inspectors (its officers' field).
QUALIFICATIONS: dict[str, tuple[str, ...]] = {
    "scjgj": ("市场监管", "食品", "药品", "特种设备"),
    "sthjfj": ("生态环境",),
    "zjj": ("住房城乡建设",),
    "jtysj": ("交通运输",),
    "nyncj": ("农业",),
    "whlyj": ("文化旅游",),
    "wsjkj": ("卫生健康",),
    "yjglj": ("应急管理",),
    "lyj": ("林业",),
    "zrzyj": ("自然资源",),
    "slj": ("水利",),
    "rsj": ("人力资源社会保障",),
    "swj": ("商务",),
    "cgj": ("城市管理",),
}

# Inspection items: department → (name, kind, qualification, industries of the entities).
ITEMS: dict[str, list[tuple[str, str, str, tuple[str, ...]]]] = {
    "scjgj": [
        ("食品经营者落实食品安全主体责任情况的检查", "key", "食品", ("住宿和餐饮业",)),
        ("食品生产企业生产过程控制情况的检查", "key", "食品", ("食品制造业",)),
        ("企业公示信息情况的检查", "general", "市场监管", ("批发和零售业", "制造业", "居民服务业")),
        ("药品零售企业经营行为的检查", "key", "药品", ("药品零售",)),
        ("特种设备使用单位的检查", "key", "特种设备", ("制造业", "住宿和餐饮业")),
        ("价格行为的检查", "general", "市场监管", ("批发和零售业", "居民服务业")),
    ],
    "sthjfj": [
        ("排污单位污染物排放情况的检查", "key", "生态环境", ("制造业", "食品制造业")),
        ("建设项目环境影响评价制度执行情况的检查", "general", "生态环境", ("建筑业", "制造业")),
    ],
    "zjj": [
        ("建筑施工企业安全生产情况的检查", "key", "住房城乡建设", ("建筑业",)),
        ("房地产经纪机构经营行为的检查", "general", "住房城乡建设", ("居民服务业",)),
    ],
    "jtysj": [
        ("道路运输经营者经营行为的检查", "general", "交通运输", ("交通运输业",)),
        ("机动车维修经营者的检查", "general", "交通运输", ("居民服务业",)),
    ],
    "nyncj": [
        ("农资经营者经营行为的检查", "key", "农业", ("农、林、牧、渔业", "批发和零售业")),
        ("农产品质量安全的检查", "general", "农业", ("农、林、牧、渔业",)),
    ],
    "whlyj": [
        ("娱乐场所经营活动的检查", "general", "文化旅游", ("文化、体育和娱乐业",)),
        ("旅行社经营行为的检查", "general", "文化旅游", ("居民服务业",)),
    ],
    "wsjkj": [
        ("医疗机构依法执业的检查", "key", "卫生健康", ("卫生和社会工作",)),
        ("公共场所卫生的检查", "general", "卫生健康", ("住宿和餐饮业", "居民服务业")),
    ],
    "yjglj": [
        ("危险化学品经营单位安全生产的检查", "key", "应急管理", ("危险化学品经营",)),
        ("工贸企业安全生产的检查", "general", "应急管理", ("制造业",)),
    ],
    "lyj": [("木材经营加工单位的检查", "general", "林业", ("制造业", "农、林、牧、渔业"))],
    "zrzyj": [("矿产资源开采的检查", "general", "自然资源", ("制造业",))],
    "slj": [("取水许可执行情况的检查", "general", "水利", ("农、林、牧、渔业", "制造业"))],
    "rsj": [
        (
            "用人单位遵守劳动保障法律法规情况的检查",
            "general",
            "人力资源社会保障",
            ("制造业", "建筑业"),
        )
    ],
    "swj": [("成品油、单用途预付卡经营的检查", "general", "商务", ("批发和零售业",))],
    "cgj": [("户外广告设施设置的检查", "general", "城市管理", ("批发和零售业", "居民服务业"))],
}

# Departmental plans of 2024 (41): department → number of plans (each plan uses the
# department's items in turn; one task per plan).
DEPARTMENT_PLANS: dict[str, int] = {
    "scjgj": 8,
    "sthjfj": 3,
    "zjj": 3,
    "jtysj": 3,
    "nyncj": 3,
    "whlyj": 3,
    "wsjkj": 3,
    "yjglj": 3,
    "lyj": 2,
    "zrzyj": 2,
    "slj": 2,
    "rsj": 2,
    "swj": 2,
    "cgj": 2,
}

# Joint plans of 2024 (28): (title stem, lead department, other departments), each run in the
# first and the second half of the year.
JOINT_PLANS: list[tuple[str, str, tuple[str, ...]]] = [
    ("餐饮服务单位食品安全和公共场所卫生联合抽查", "scjgj", ("wsjkj",)),
    ("农资市场联合抽查", "nyncj", ("scjgj",)),
    ("危险化学品经营单位联合抽查", "yjglj", ("scjgj",)),
    ("建筑施工领域联合抽查", "zjj", ("yjglj", "rsj")),
    ("道路运输和机动车维修联合抽查", "jtysj", ("scjgj",)),
    ("文化娱乐场所联合抽查", "whlyj", ("wsjkj", "yjglj")),
    ("医疗机构和药品零售联合抽查", "wsjkj", ("scjgj",)),
    ("工贸企业安全生产和环境保护联合抽查", "yjglj", ("sthjfj",)),
    ("木材加工企业联合抽查", "lyj", ("sthjfj", "yjglj")),
    ("商贸流通领域联合抽查", "swj", ("scjgj",)),
    ("排污单位联合抽查", "sthjfj", ("slj",)),
    ("用人单位劳动保障和安全生产联合抽查", "rsj", ("yjglj",)),
    ("户外广告和店招标牌联合抽查", "cgj", ("scjgj",)),
    ("矿产开采和取水联合抽查", "zrzyj", ("slj",)),
]
HALVES = (("上半年", 3, 6), ("下半年", 8, 11))  # (label, first month, last month)

# Outcomes of the inspections (shares), and of those with problems how they were handled.
OUTCOME_SHARES = (("passed", 0.88), ("rectify", 0.07), ("failed", 0.04), ("referred", 0.01))
