"""The portal's 行政执法公示 pages: published catalog rows only, for anyone, searchable.

Each test publishes some rows and leaves others unpublished, and proves the unpublished ones
never reach a list or a detail page (detail → 404).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.catalog import services
from fazhi.catalog.conversions import TierInput
from fazhi.catalog.models import DiscretionStandard, EnforcementItem, LenientList
from fazhi.catalog.testing import STANDARD_TIERS, CatalogCast, build_catalog
from fazhi.core.testing import Cast


@pytest.fixture
def catalog(cast: Cast) -> CatalogCast:
    return build_catalog(cast)


@pytest.fixture
def hidden(catalog: CatalogCast) -> dict[str, object]:
    """Rows that exist but were never published: an item, a list, a benchmark."""
    actor = catalog.cast.rule_of_law_office
    item = services.create_item(
        actor=actor,
        organization=catalog.cast.department_a,
        code="SCJ-CF-SECRET",
        name="尚未公示的处罚事项",
        category="penalty",
        basis_law="某未公示条例",
        basis_article="第九条",
        penalty_types=["fine"],
        fine_basis="amount",
        fine_min=Decimal(1000),
        fine_max=Decimal(5000),
    )
    draft = services.create_list(
        actor=actor,
        kind="lighter",
        title="草稿从轻处罚事项清单",
        organization=catalog.cast.department_a,
        version="征求意见稿",
        effective_from=dt.date(2024, 1, 1),
    )
    services.add_list_entry(
        actor=actor,
        lenient_list=draft,
        item=catalog.item_a,
        number=1,
        violation="草稿中的违法行为",
        legal_basis="《中华人民共和国行政处罚法》第三十二条",
        condition_text="草稿条件",
        conditions={},
    )
    standard = services.create_standard(
        actor=actor,
        item=catalog.item_a,
        organization=catalog.cast.department_a,
        level="county",
        title="未公布的裁量基准",
        version="2025年征求意见稿",
        violation="未按规定公示年度报告",
        legal_basis="依据",
        effective_from=dt.date(2025, 1, 1),
        tiers=STANDARD_TIERS,
    )
    return {"item": item, "list": draft, "standard": standard}


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


PAGES = [
    "portal:enforcement_bodies",
    "portal:enforcement_items",
    "portal:enforcement_lists",
    "portal:enforcement_standards",
]


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_are_public_and_show_no_unpublished_row(hidden, name):
    page = text(Client().get(reverse(name)))
    for secret in (
        "尚未公示的处罚事项",
        "SCJ-CF-SECRET",
        "草稿从轻处罚事项清单",
        "未公布的裁量基准",
    ):
        assert secret not in page
    assert Client().post(reverse(name)).status_code == 405  # read-only


def test_unpublished_details_are_not_found(hidden):
    client = Client()
    assert client.get(reverse("portal:enforcement_item", args=["SCJ-CF-SECRET"])).status_code == 404
    lst = hidden["list"]
    standard = hidden["standard"]
    assert isinstance(lst, LenientList) and isinstance(standard, DiscretionStandard)
    assert client.get(reverse("portal:enforcement_list", args=[lst.pk])).status_code == 404
    url = reverse("portal:enforcement_standard", args=[standard.pk])
    assert client.get(url).status_code == 404


def test_item_page_shows_basis_penalties_fine_published_lists_and_benchmark(hidden):
    page = text(Client().get(reverse("portal:enforcement_item", args=["SCJ-CF-001"])))
    assert "《中华人民共和国市场主体登记管理条例》第四十六条" in page
    assert "警告" in page and "罚款" in page and "10000元至100000元" in page
    assert "测试县市场监督管理局首违不罚事项清单" in page
    assert "初次违法、危害后果轻微并在责令期限内改正" in page
    assert "测试县市场监督管理局行政处罚裁量基准" in page and "罚款七万元至十万元" in page
    # The draft list's entry and the unpublished benchmark for the same item stay hidden.
    assert "草稿中的违法行为" not in page and "未公布的裁量基准" not in page


def test_a_deactivated_item_leaves_the_portal(catalog):
    services.set_item_active(
        actor=catalog.cast.rule_of_law_office, item=catalog.item_a, is_active=False
    )
    assert Client().get(reverse("portal:enforcement_item", args=["SCJ-CF-001"])).status_code == 404
    assert "SCJ-CF-001" not in text(Client().get(reverse("portal:enforcement_items")))
    # Its benchmark goes with it: the benchmark names the item.
    assert "行政处罚裁量基准（" not in text(Client().get(reverse("portal:enforcement_standards")))


def test_a_published_list_never_names_an_unpublished_item(catalog, hidden):
    actor = catalog.cast.rule_of_law_office
    lst = services.create_list(
        actor=actor,
        kind="no_penalty",
        title="测试县市场监督管理局不予处罚事项清单",
        organization=catalog.cast.department_a,
        version="2024年版",
        effective_from=dt.date(2024, 1, 1),
    )
    services.add_list_entry(
        actor=actor,
        lenient_list=lst,
        item=hidden["item"],
        number=1,
        violation="轻微违法行为",
        legal_basis="《中华人民共和国行政处罚法》第三十三条第一款",
        condition_text="没有造成危害后果并及时改正",
        conditions={"max_harm": "none", "requires_corrected_in_time": True},
    )
    services.publish_list(actor=actor, lenient_list=lst)
    page = text(Client().get(reverse("portal:enforcement_list", args=[lst.pk])))
    assert "轻微违法行为" in page  # the list's own words are public
    assert "尚未公示的处罚事项" not in page and "SCJ-CF-SECRET" not in page
    search = text(Client().get(reverse("portal:enforcement_list", args=[lst.pk]) + "?q=尚未公示"))
    assert "没有符合条件的清单事项" in search


def test_a_published_benchmark_of_an_unpublished_item_is_not_shown(catalog, hidden):
    item = hidden["item"]
    assert isinstance(item, EnforcementItem)
    row = services.create_standard(
        actor=catalog.cast.rule_of_law_office,
        item=item,
        organization=catalog.cast.department_a,
        level="county",
        title="某未公示事项的裁量基准",
        version="2024年版",
        violation="违法行为",
        legal_basis="依据",
        effective_from=dt.date(2024, 1, 1),
        tiers=[
            TierInput("ordinary", sev, Decimal(1000), Decimal(5000), "条件", "标准")
            for sev in ("slight", "minor", "serious", "grave")
        ],
    )
    services.publish_standard(actor=catalog.cast.rule_of_law_office, standard=row)
    assert "某未公示事项的裁量基准" not in text(
        Client().get(reverse("portal:enforcement_standards"))
    )
    url = reverse("portal:enforcement_standard", args=[row.pk])
    assert Client().get(url).status_code == 404


def test_items_search_and_filters(catalog):
    url = reverse("portal:enforcement_items")
    page = text(Client().get(url))
    assert "对未按规定公示年度报告的处罚" in page and "对未批先建的处罚" in page
    assert "对未批先建的处罚" not in text(Client().get(url + "?q=年度报告"))
    assert "对未按规定公示年度报告的处罚" not in text(Client().get(url + "?organization=hbj"))
    assert "暂无公开内容" in text(Client().get(url + "?category=licensing"))
    # The organization filter offers only organizations with published items.
    html = Client().get(url).content.decode()
    assert '<option value="scj">' in html and '<option value="sfj">' not in html


def test_lists_bodies_and_standards_filters(catalog):
    lists = reverse("portal:enforcement_lists")
    assert "首违不罚事项清单" in text(Client().get(lists + "?kind=first_violation"))
    assert "暂无公开内容" in text(Client().get(lists + "?kind=reduced"))
    bodies = reverse("portal:enforcement_bodies")
    assert "测试县生态环境分局" in text(Client().get(bodies + "?q=生态"))
    assert "测试县市场监督管理局" not in text(Client().get(bodies + "?q=生态"))
    assert "暂无公开内容" in text(Client().get(bodies + "?kind=entrusted"))
    standards = reverse("portal:enforcement_standards")
    assert "行政处罚裁量基准" in text(Client().get(standards + "?q=SCJ-CF-001"))
    assert "暂无公开内容" in text(Client().get(standards + "?q=HBJ"))
    detail = text(
        Client().get(reverse("portal:enforcement_standard", args=[catalog.standard_a.pk]))
    )
    assert "70000.00 至 100000.00" in detail and "10000元至100000元" in detail


def test_portal_home_links_the_catalog_pages(catalog):
    html = Client().get(reverse("portal:home")).content.decode()
    for name in PAGES:
        assert f'href="{reverse(name)}"' in html
    page = text(Client().get(reverse("portal:home")))
    assert "执法事项 （2 项）" in page and "包容审慎监管清单 （1 张）" in page


@pytest.mark.parametrize("name", PAGES)
def test_portal_lists_do_not_query_per_row(catalog, name):
    url = reverse(name)
    with CaptureQueriesContext(connection) as few:
        Client().get(url)
    actor = catalog.cast.rule_of_law_office
    items = []
    for n in range(4):
        item = services.create_item(
            actor=actor,
            organization=catalog.cast.department_b,
            code=f"HBJ-CF-{n + 10}",
            name=f"处罚{n}",
            category="penalty",
            basis_law="中华人民共和国环境保护法",
            basis_article="第六十三条",
        )
        items.append(item)
        row = services.create_standard(
            actor=actor,
            item=item,
            organization=catalog.cast.department_b,
            level="county",
            title=f"基准{n}",
            version="2024年版",
            violation="违法行为",
            legal_basis="依据",
            effective_from=dt.date(2024, 1, 1),
            tiers=[TierInput("no_penalty", "", None, None, "首次", "不予处罚")],
        )
        services.publish_standard(actor=actor, standard=row)
        lst = services.create_list(
            actor=actor,
            kind="no_penalty",
            title=f"清单{n}",
            organization=catalog.cast.department_b,
            version=f"v{n}",
            effective_from=dt.date(2024, 1, 1),
        )
        services.add_list_entry(
            actor=actor,
            lenient_list=lst,
            item=item,
            number=1,
            violation="违法",
            legal_basis="依据",
            condition_text="条件",
            conditions={},
        )
        services.publish_list(actor=actor, lenient_list=lst)
    services.publish_items(actor=actor, items=items)
    with CaptureQueriesContext(connection) as many:
        Client().get(url)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
