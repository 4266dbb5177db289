"""The navigation menu: one entry per page, shown to the roles whose permission it needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None  # None: every logged-in user


NAVIGATION: list[NavItem] = [
    NavItem("工作台", "core:home", None),
    NavItem("统计指标", "reports:dashboard", "reports.view_indicators"),
    NavItem("单位管理", "core:organization_list", "core.view_organizations"),
    NavItem("用户管理", "core:user_list", "core.view_users"),
    NavItem("工作日历", "core:calendar", "core.view_calendar"),
    NavItem("全过程记录", "ledger:entry_list", "ledger.view_entries"),
    NavItem("登录审计", "core:login_attempt_list", "core.view_login_attempts"),
    NavItem("检查点", "ledger:checkpoint_list", None),
]


def menu_for(user: object) -> list[dict[str, str]]:
    from fazhi.core.permissions import has_perm

    return [
        {"label": item.label, "url": reverse(item.url_name), "name": item.url_name}
        for item in NAVIGATION
        if item.permission is None or has_perm(user, item.permission)  # type: ignore[arg-type]
    ]
