"""A small catalog on top of the test cast, built through the services (tests only).

Department A (市场监管, ``scj``) has a penalty item with a fine range, a published
first-violation list entry, a published benchmark and two officers (one valid, one expired);
department B (生态环境, ``hbj``) has one published item, so scope tests have something to miss.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from stdnum.cn import uscc

from fazhi.catalog import services
from fazhi.catalog.conversions import TierInput
from fazhi.catalog.models import (
    DiscretionStandard,
    EnforcementBody,
    EnforcementItem,
    LenientList,
    LenientListEntry,
    Officer,
)
from fazhi.core.testing import Cast


def credit_code(n: int) -> str:
    """A valid 统一社会信用代码 for an organ of state (登记管理部门 1, 机构类别 1), numbered n."""
    body = f"11220422{n:09d}"
    return body + uscc.calc_check_digit(body)


@dataclass
class CatalogCast:
    cast: Cast
    body_a: EnforcementBody
    body_b: EnforcementBody
    item_a: EnforcementItem
    item_b: EnforcementItem
    first_violation_list: LenientList
    entry_a: LenientListEntry
    standard_a: DiscretionStandard
    officer_a: Officer
    expired_officer: Officer


STANDARD_TIERS = (
    TierInput("no_penalty", "", None, None, "初次违法、危害后果轻微并及时改正", "不予处罚"),
    TierInput("lighter", "minor", Decimal(10000), Decimal(30000), "情节较轻", "罚款一万元至三万元"),
    TierInput(
        "ordinary",
        "slight",
        Decimal(10000),
        Decimal(20000),
        "情节轻微但不符合不予处罚条件",
        "罚款一万元至二万元",
    ),
    TierInput(
        "ordinary", "serious", Decimal(30000), Decimal(70000), "情节较重", "罚款三万元至七万元"
    ),
    TierInput(
        "heavier", "grave", Decimal(70000), Decimal(100000), "情节严重", "罚款七万元至十万元"
    ),
)


def build_catalog(cast: Cast) -> CatalogCast:
    actor = cast.rule_of_law_office
    body_a = services.register_body(
        actor=actor,
        organization=cast.department_a,
        credit_code=credit_code(1),
        authority_basis="《中华人民共和国市场主体登记管理条例》等法律法规",
    )
    body_b = services.register_body(
        actor=actor,
        organization=cast.department_b,
        credit_code=credit_code(2),
        authority_basis="《中华人民共和国环境保护法》等法律法规",
    )
    item_a = services.create_item(
        actor=actor,
        organization=cast.department_a,
        code="SCJ-CF-001",
        name="对未按规定公示年度报告的处罚",
        category="penalty",
        basis_law="中华人民共和国市场主体登记管理条例",
        basis_article="第四十六条",
        penalty_types=["warning", "fine"],
        fine_basis="amount",
        fine_min=Decimal(10000),
        fine_max=Decimal(100000),
        effective_from=dt.date(2024, 1, 1),
    )
    item_b = services.create_item(
        actor=actor,
        organization=cast.department_b,
        code="HBJ-CF-001",
        name="对未批先建的处罚",
        category="penalty",
        basis_law="中华人民共和国环境影响评价法",
        basis_article="第三十一条",
        basis_paragraph="第一款",
        penalty_types=["fine"],
        fine_basis="multiple",
        fine_min=Decimal(1),
        fine_max=Decimal(5),
        effective_from=dt.date(2024, 1, 1),
    )
    services.publish_items(actor=actor, items=[item_a, item_b])
    first_violation_list = services.create_list(
        actor=actor,
        kind="first_violation",
        title="测试县市场监督管理局首违不罚事项清单",
        organization=cast.department_a,
        version="2024年版",
        effective_from=dt.date(2024, 1, 1),
    )
    entry_a = services.add_list_entry(
        actor=actor,
        lenient_list=first_violation_list,
        item=item_a,
        number=1,
        violation="未按规定公示年度报告",
        legal_basis="《中华人民共和国行政处罚法》第三十三条第一款",
        condition_text="初次违法、危害后果轻微并在责令期限内改正",
        conditions={
            "requires_first_violation": True,
            "requires_corrected_in_time": True,
            "max_harm": "minor",
        },
    )
    services.publish_list(actor=actor, lenient_list=first_violation_list)
    standard_a = services.create_standard(
        actor=actor,
        item=item_a,
        organization=cast.department_a,
        level="county",
        title="测试县市场监督管理局行政处罚裁量基准",
        version="2024年版",
        violation="未按规定公示年度报告",
        legal_basis="《中华人民共和国市场主体登记管理条例》第四十六条",
        effective_from=dt.date(2024, 1, 1),
        tiers=STANDARD_TIERS,
    )
    services.publish_standard(actor=actor, standard=standard_a)
    officer_a = services.create_officer(
        actor=actor,
        organization=cast.department_a,
        name="张执法",
        certificate_number="22040001",
        issuing_authority="吉林省人民政府",
        valid_from=dt.date(2023, 1, 1),
        valid_until=dt.date(2028, 12, 31),
        fields="市场监管",
        user=cast.officer,
    )
    expired = services.create_officer(
        actor=actor,
        organization=cast.department_a,
        name="钱过期",
        certificate_number="22040002",
        issuing_authority="吉林省人民政府",
        valid_from=dt.date(2019, 1, 1),
        valid_until=dt.date(2023, 12, 31),
        fields="市场监管",
    )
    return CatalogCast(
        cast=cast,
        body_a=body_a,
        body_b=body_b,
        item_a=item_a,
        item_b=item_b,
        first_violation_list=first_violation_list,
        entry_a=entry_a,
        standard_a=standard_a,
        officer_a=officer_a,
        expired_officer=expired,
    )
