"""Who may do what: permission codes → roles, and data scope by organization.

One table, so the permission matrix test and the navigation read the same truth.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from fazhi.core.choices import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fazhi.core.models import User

R = Role
BUSINESS_ROLES = frozenset(
    {
        R.OFFICER,
        R.LEGAL_REVIEWER,
        R.DEPARTMENT_HEAD,
        R.SUPERVISOR,
        R.RULE_OF_LAW_OFFICE,
        R.MEDIATOR,
        R.OUTREACH_STAFF,
        R.GOVSERVICE_STAFF,
    }
)

PERMISSIONS: dict[str, frozenset[str]] = {
    # Organizations: read by those who oversee them, changed by the system administrator.
    "core.view_organizations": frozenset(
        {R.SYSTEM_ADMIN, R.SECURITY_ADMIN, R.RULE_OF_LAW_OFFICE, R.SUPERVISOR, R.DEPARTMENT_HEAD}
    ),
    "core.manage_organizations": frozenset({R.SYSTEM_ADMIN}),
    # 三员分立: the system administrator manages accounts and configuration, the security
    # administrator grants roles, the audit administrator only reads the audit trail.
    "core.view_users": frozenset({R.SYSTEM_ADMIN, R.SECURITY_ADMIN}),
    "core.manage_users": frozenset({R.SYSTEM_ADMIN}),
    "core.manage_roles": frozenset({R.SECURITY_ADMIN}),
    "core.manage_calendar": frozenset({R.SYSTEM_ADMIN}),
    "core.view_calendar": frozenset({R.SYSTEM_ADMIN, *BUSINESS_ROLES}),
    "core.view_login_attempts": frozenset({R.AUDIT_ADMIN}),
    "ledger.view_entries": frozenset({R.AUDIT_ADMIN, R.SUPERVISOR, R.RULE_OF_LAW_OFFICE}),
    "ledger.create_checkpoint": frozenset({R.SYSTEM_ADMIN}),
    "reports.view_indicators": frozenset(
        {R.OFFICER, R.LEGAL_REVIEWER, R.DEPARTMENT_HEAD, R.SUPERVISOR, R.RULE_OF_LAW_OFFICE}
    ),
}


def roles_of(user: User | AnonymousUser) -> frozenset[str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_fazhi_roles", None)
    if cached is None:
        cached = frozenset(user.role_assignments.values_list("role", flat=True))
        # Cached on the request's user object: the menu and each check ask again.
        setattr(user, "_fazhi_roles", cached)  # noqa: B010
    return cached


def has_perm(user: User | AnonymousUser, perm: str) -> bool:
    allowed = PERMISSIONS.get(perm)
    if allowed is None:
        raise KeyError(f"未定义的权限：{perm}")
    return bool(roles_of(user) & allowed)


def require(user: User | AnonymousUser, perm: str) -> None:
    """Raise PermissionDenied (403) unless one of the user's roles grants `perm`."""
    if not has_perm(user, perm):
        raise PermissionDenied(f"您没有“{PERMISSION_LABELS.get(perm, perm)}”的权限")


PERMISSION_LABELS: dict[str, str] = {
    "core.view_organizations": "查看单位",
    "core.manage_organizations": "管理单位",
    "core.view_users": "查看用户",
    "core.manage_users": "管理用户账号",
    "core.manage_roles": "授予角色",
    "core.manage_calendar": "维护节假日",
    "core.view_calendar": "查看工作日历",
    "core.view_login_attempts": "查看登录审计",
    "ledger.view_entries": "查看全过程记录",
    "ledger.create_checkpoint": "生成检查点",
    "reports.view_indicators": "查看统计指标",
}


# --- REST API (/api/v1/) -------------------------------------------------------------
# Every role may hold API tokens for itself (a token acts with exactly its owner's roles);
# co-signing a checkpoint as a witness is configuration, hence the system administrator.
PERMISSIONS.update(
    {
        "core.manage_own_api_tokens": frozenset(Role.values),
        "ledger.add_witness": frozenset({R.SYSTEM_ADMIN}),
    }
)
PERMISSION_LABELS.update(
    {
        "core.manage_own_api_tokens": "管理本人的接口访问令牌",
        "ledger.add_witness": "登记检查点见证签名",
    }
)


# --- Enforcement catalog and lenience rules (issue 3) -----------------------------------------
# Departments keep their own items, lists and benchmarks (their head and legal reviewer, within
# their data scope); the justice bureau (依法治县办) keeps them county-wide, confirms enforcement
# bodies and manages certificates. Every enforcement role may read the catalog and use the
# discretion calculator.
_ENFORCEMENT_ROLES = frozenset(
    {R.OFFICER, R.LEGAL_REVIEWER, R.DEPARTMENT_HEAD, R.SUPERVISOR, R.RULE_OF_LAW_OFFICE}
)
PERMISSIONS.update(
    {
        "catalog.view": _ENFORCEMENT_ROLES,
        "catalog.manage": frozenset({R.LEGAL_REVIEWER, R.DEPARTMENT_HEAD, R.RULE_OF_LAW_OFFICE}),
        "catalog.manage_officers": frozenset({R.DEPARTMENT_HEAD, R.RULE_OF_LAW_OFFICE}),
        "catalog.manage_bodies": frozenset({R.RULE_OF_LAW_OFFICE}),
        "rules.evaluate": _ENFORCEMENT_ROLES,
    }
)
PERMISSION_LABELS.update(
    {
        "catalog.view": "查看执法目录",
        "catalog.manage": "维护执法事项、清单和裁量基准",
        "catalog.manage_officers": "管理执法人员",
        "catalog.manage_bodies": "确认执法主体",
        "rules.evaluate": "使用裁量计算器",
    }
)


# --- Penalty cases (issue 4) ------------------------------------------------------------------
# Officers handle a case (intake, evidence, notices, service, payment); the department head
# approves what the law reserves to 行政机关负责人 (立案, 先行登记保存, 回避, 决定, 延期 …);
# legal reviewers give the 法制审核 opinion (118号 四); officers and heads publish decisions.
# Supervisors and the justice bureau read every case in their scope.
PERMISSIONS.update(
    {
        "cases.view": _ENFORCEMENT_ROLES,
        "cases.handle": frozenset({R.OFFICER}),
        "cases.approve": frozenset({R.DEPARTMENT_HEAD}),
        "cases.legal_review": frozenset({R.LEGAL_REVIEWER}),
        "cases.publish": frozenset({R.OFFICER, R.DEPARTMENT_HEAD}),
        "cases.export": _ENFORCEMENT_ROLES,
    }
)
PERMISSION_LABELS.update(
    {
        "cases.view": "查看行政处罚案件",
        "cases.handle": "办理行政处罚案件",
        "cases.approve": "审批行政处罚案件（负责人）",
        "cases.legal_review": "法制审核",
        "cases.publish": "公示行政处罚决定",
        "cases.export": "导出案件",
    }
)


# --- 双随机、一公开 and 案卷评查 (issue 5) --------------------------------------------------
# Departments keep their inspection item lists, inspected-entity and inspector directories and
# plans, and run their draws (head or legal reviewer; officers record the results of their
# own inspections). The justice bureau (依法治县办) runs cross-department plans and the
# county-wide directories. Case-file review (案卷评查, 吉林省行政执法监督条例 第二十条) is the
# supervisors' and the justice bureau's; a department answers the supervision opinion.
PERMISSIONS.update(
    {
        "inspections.view": _ENFORCEMENT_ROLES,
        "inspections.manage": frozenset(
            {R.LEGAL_REVIEWER, R.DEPARTMENT_HEAD, R.RULE_OF_LAW_OFFICE}
        ),
        "inspections.draw": frozenset({R.DEPARTMENT_HEAD, R.LEGAL_REVIEWER, R.RULE_OF_LAW_OFFICE}),
        "inspections.record": frozenset({R.OFFICER, R.DEPARTMENT_HEAD}),
        "cases.review": frozenset({R.SUPERVISOR, R.RULE_OF_LAW_OFFICE}),
        "cases.answer_review": frozenset({R.DEPARTMENT_HEAD}),
    }
)
PERMISSION_LABELS.update(
    {
        "inspections.view": "查看双随机抽查",
        "inspections.manage": "维护抽查事项、名录库和抽查计划",
        "inspections.draw": "承诺并进行随机抽取",
        "inspections.record": "录入抽查结果",
        "cases.review": "组织案卷评查",
        "cases.answer_review": "答复行政执法监督意见书",
    }
)
