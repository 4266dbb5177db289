"""Building a small county through the services, for tests (never behind their back)."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core import services
from fazhi.core.choices import DataScope, EnforcementBasis, OrgKind, Role
from fazhi.core.models import Organization, User

TEST_PASSWORD = "Fazhi-Test-2024!"  # noqa: S105 - test accounts only
# A fixed TOTP key (hex) so tests can compute a valid token for the administrators.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"


@dataclass
class Cast:
    """The county and one account per role (Zulip/Healthchecks-style personas)."""

    county: Organization
    justice_bureau: Organization
    department_a: Organization
    department_b: Organization
    township: Organization
    system_admin: User
    security_admin: User
    audit_admin: User
    officer: User  # department A
    other_officer: User  # department B
    legal_reviewer: User  # department A
    department_head: User  # department A, own + subordinates
    supervisor: User  # 司法局, whole county
    rule_of_law_office: User  # 司法局, whole county

    def by_role(self) -> dict[str, User]:
        return {
            Role.SYSTEM_ADMIN: self.system_admin,
            Role.SECURITY_ADMIN: self.security_admin,
            Role.AUDIT_ADMIN: self.audit_admin,
            Role.OFFICER: self.officer,
            Role.LEGAL_REVIEWER: self.legal_reviewer,
            Role.DEPARTMENT_HEAD: self.department_head,
            Role.SUPERVISOR: self.supervisor,
            Role.RULE_OF_LAW_OFFICE: self.rule_of_law_office,
        }


def build_cast() -> Cast:
    inst = services.bootstrap_installation(
        county_code="county",
        county_name="测试县人民政府",
        admins={
            Role.SYSTEM_ADMIN: ("sysadmin", "系统管理员", TEST_PASSWORD),
            Role.SECURITY_ADMIN: ("secadmin", "安全管理员", TEST_PASSWORD),
            Role.AUDIT_ADMIN: ("auditor", "审计管理员", TEST_PASSWORD),
        },
    )
    sysadmin, secadmin, county = inst.system_admin, inst.security_admin, inst.county

    def org(
        code: str, name: str, kind: str, basis: str = EnforcementBasis.STATUTORY
    ) -> Organization:
        return services.create_organization(
            actor=sysadmin, code=code, name=name, kind=kind, parent=county, enforcement_basis=basis
        )

    justice = org("sfj", "测试县司法局", OrgKind.JUSTICE_BUREAU)
    dept_a = org("scj", "测试县市场监督管理局", OrgKind.DEPARTMENT)
    dept_b = org("hbj", "测试县生态环境分局", OrgKind.DEPARTMENT)
    township = org("xz1", "测试镇人民政府", OrgKind.TOWNSHIP)

    def person(
        username: str,
        name: str,
        organization: Organization,
        role: str,
        scope: str = DataScope.OWN,
    ) -> User:
        u = services.create_user(
            actor=sysadmin,
            username=username,
            full_name=name,
            organization=organization,
            password=TEST_PASSWORD,
        )
        services.assign_role(actor=secadmin, user=u, role=role, scope=scope)
        return u

    for admin in (sysadmin, secadmin, inst.audit_admin):
        services.enroll_totp(actor=admin, user=admin, key_hex=TEST_TOTP_KEY)
    return Cast(
        county=county,
        justice_bureau=justice,
        department_a=dept_a,
        department_b=dept_b,
        township=township,
        system_admin=sysadmin,
        security_admin=secadmin,
        audit_admin=inst.audit_admin,
        officer=person("officer", "张执法", dept_a, Role.OFFICER),
        other_officer=person("officer_b", "李执法", dept_b, Role.OFFICER),
        legal_reviewer=person("reviewer", "王审核", dept_a, Role.LEGAL_REVIEWER),
        department_head=person("head", "赵局长", dept_a, Role.DEPARTMENT_HEAD, DataScope.SUBTREE),
        supervisor=person("supervisor", "孙监督", justice, Role.SUPERVISOR, DataScope.COUNTY),
        rule_of_law_office=person(
            "fzb", "周法治", justice, Role.RULE_OF_LAW_OFFICE, DataScope.COUNTY
        ),
    )


def totp_token(key_hex: str = TEST_TOTP_KEY) -> str:
    """The current 6-digit token for a device key (RFC 6238, as django-otp computes it)."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(key_hex)):06d}"
