"""The navigation menu: one entry per page, shown to the roles whose permission it needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None  # None: every logged-in user
    group: str = "业务工作"


NAVIGATION: list[NavItem] = [
    NavItem("工作台", "core:home", None, "业务工作"),
    NavItem("统计指标", "reports:dashboard", "reports.view_indicators", "业务工作"),
    NavItem("工作日历", "core:calendar", "core.view_calendar", "业务工作"),
    NavItem("行政处罚案件", "cases:case_list", "cases.view", "行政执法"),
    NavItem("到期提醒", "cases:deadline_list", "cases.view", "行政执法"),
    NavItem("案卷评查", "cases:review_plan_list", "cases.review", "行政执法"),
    NavItem("监督意见书整改", "cases:department_opinion_list", "cases.answer_review", "行政执法"),
    NavItem("裁量计算器", "catalog:calculator", "rules.evaluate", "行政执法"),
    NavItem("执法事项", "catalog:item_list", "catalog.view", "行政执法"),
    NavItem("包容审慎监管清单", "catalog:list_list", "catalog.view", "行政执法"),
    NavItem("裁量基准", "catalog:standard_list", "catalog.view", "行政执法"),
    NavItem("执法主体", "catalog:body_list", "catalog.view", "行政执法"),
    NavItem("执法人员", "catalog:officer_list", "catalog.view", "行政执法"),
    # Any catalog import needs one of the catalog's manage permissions; catalog.manage is
    # held by every role that holds any of them.
    NavItem("Excel导入", "catalog:import_list", "catalog.manage", "行政执法"),
    NavItem("双随机抽查计划", "inspections:plan_list", "inspections.view", "双随机、一公开"),
    NavItem("抽查任务与抽取", "inspections:task_list", "inspections.view", "双随机、一公开"),
    NavItem("抽查事项清单", "inspections:item_list", "inspections.view", "双随机、一公开"),
    NavItem("检查对象名录库", "inspections:entity_list", "inspections.view", "双随机、一公开"),
    NavItem("检查人员名录库", "inspections:inspector_list", "inspections.view", "双随机、一公开"),
    NavItem(
        "名录导入导出", "inspection_imports:import_list", "inspections.manage", "双随机、一公开"
    ),
    NavItem("单位管理", "core:organization_list", "core.view_organizations", "系统管理"),
    NavItem("用户管理", "core:user_list", "core.view_users", "系统管理"),
    NavItem("全过程记录", "ledger:entry_list", "ledger.view_entries", "审计与记录"),
    NavItem("登录审计", "core:login_attempt_list", "core.view_login_attempts", "审计与记录"),
    NavItem("检查点", "ledger:checkpoint_list", None, "审计与记录"),
    NavItem("回执验证", "ledger:verify", None, "公开"),
    NavItem("公开门户", "portal:home", None, "公开"),
]


def menu_for(user: object) -> list[dict[str, str]]:
    """The entries `user` may open, in menu order, each with its group for the sidebar.

    An entry whose page is not installed (its URL name does not resolve) is left out rather
    than breaking every page: apps are added one at a time.
    """
    from fazhi.core.permissions import has_perm

    items: list[dict[str, str]] = []
    for item in NAVIGATION:
        if item.permission is not None and not has_perm(user, item.permission):  # type: ignore[arg-type]
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "name": item.url_name, "group": item.group})
    return items
