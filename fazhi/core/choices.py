"""Enumerations of the shared kernel. Stored values are readable English (glossary)."""

from django.db import models


class OrgKind(models.TextChoices):
    COUNTY_GOVERNMENT = "county_government", "县人民政府"
    JUSTICE_BUREAU = "justice_bureau", "司法局（依法治县办）"
    DEPARTMENT = "department", "行政执法部门"
    TOWNSHIP = "township", "乡镇人民政府"
    ENFORCEMENT_UNIT = "enforcement_unit", "执法机构（受委托或授权组织）"
    SUPERVISION_UNIT = "supervision_unit", "行政执法监督机构"
    COURT = "court", "人民法院"
    PROCURATORATE = "procuratorate", "人民检察院"
    PUBLIC_SECURITY = "public_security", "公安局"
    MEDIATION_ORGANIZATION = "mediation_organization", "调解组织"
    GOVSERVICE_CENTER = "govservice_center", "政务服务中心"
    OTHER = "other", "其他单位"


class EnforcementBasis(models.TextChoices):
    """Why an organization may enforce (行政处罚法 第十七条至第二十条)."""

    NONE = "", "不具有执法主体资格"
    STATUTORY = "statutory", "法定行政执法机关"
    ENTRUSTED = "entrusted", "受委托组织"
    AUTHORIZED = "authorized", "法律法规授权组织"


class Role(models.TextChoices):
    OFFICER = "officer", "执法人员"
    LEGAL_REVIEWER = "legal_reviewer", "法制审核员"
    DEPARTMENT_HEAD = "department_head", "部门负责人"
    SUPERVISOR = "supervisor", "行政执法监督员"
    RULE_OF_LAW_OFFICE = "rule_of_law_office", "依法治县办工作人员"
    MEDIATOR = "mediator", "调解员"
    OUTREACH_STAFF = "outreach_staff", "普法工作人员"
    GOVSERVICE_STAFF = "govservice_staff", "政务服务工作人员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


# 三员分立 (等保 2.0 8.1.5.1–3, 8.1.7): no account may hold two of these.
ADMIN_ROLES: frozenset[str] = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class DataScope(models.TextChoices):
    OWN = "own", "本单位"
    SUBTREE = "subtree", "本单位及下级单位"
    COUNTY = "county", "全县"


SCOPE_RANK = {DataScope.OWN: 0, DataScope.SUBTREE: 1, DataScope.COUNTY: 2}


# County departments that enforce in their own name (行政执法部门). In the seed report the 26
# departments with a supervision section (监督科) plus the 13 townships are the county's 39
# statutory enforcement bodies, so 公安局 and 司法局 count as departments here.
ENFORCEMENT_DEPARTMENT_KINDS: frozenset[str] = frozenset(
    {OrgKind.DEPARTMENT, OrgKind.PUBLIC_SECURITY, OrgKind.JUSTICE_BUREAU}
)
