"""Build the demo county through the services, as its users would (ARCHITECTURE §9).

Nothing is inserted behind the services' back: every organization, account and role goes
through `fazhi.core.services`, so workflows, permissions and the ledger are exercised and
every indicator is computed from these records. Deterministic for a given seed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from fazhi.core import services
from fazhi.core.choices import DataScope, EnforcementBasis, OrgKind, Role
from fazhi.core.models import Organization, User
from fazhi.demo import county
from fazhi.demo.cases import CasesResult, build_cases
from fazhi.demo.catalog import CatalogResult, build_catalog
from fazhi.demo.inspections import InspectionsResult, build_inspections
from fazhi.demo.names import NameGenerator
from fazhi.demo.reviews import ReviewsResult, build_reviews
from fazhi.ledger import services as ledger_services

# One password for every demo account, printed by `fazhi demo --logins`. It satisfies the
# default 等保 password profile (length ≥ 10, ≥ 3 character classes).
DEMO_PASSWORD = "Dongliao@2024"  # noqa: S105 - printed for the demo on purpose
CALENDAR_YEARS = (2024, 2025, 2026)

Progress = Callable[[str], None]


def totp_key_for(seed: int, username: str) -> str:
    """A deterministic TOTP key per demo account, so a rebuilt demo keeps working logins."""
    return hashlib.sha256(f"fazhi-demo:{seed}:{username}".encode()).hexdigest()[:40]


@dataclass
class DemoResult:
    organizations: int = 0
    users: int = 0
    logins: list[User] = field(default_factory=list)
    catalog: CatalogResult | None = None
    cases: CasesResult | None = None
    inspections: InspectionsResult | None = None
    reviews: ReviewsResult | None = None


def build_demo(
    *,
    year: int = 2024,
    seed: int = 2024,
    scale: int = 1,
    progress: Progress | None = None,
    with_cases: bool = True,
) -> DemoResult:
    """Create 东辽县 for `year`. `scale` multiplies the enforcement officers (benchmarks);
    ``with_cases=False`` stops after the catalog (the year's cases and inspections take the
    longest)."""
    if scale < 1:
        raise ValueError("scale 须为正整数")
    say = progress or (lambda message: None)
    names = NameGenerator(seed)
    result = DemoResult()

    say("初始化：县人民政府与三员账号")
    inst = services.bootstrap_installation(
        county_code=county.COUNTY[0],
        county_name=county.COUNTY[1],
        admins={
            Role.SYSTEM_ADMIN: ("sysadmin", names.name(), DEMO_PASSWORD),
            Role.SECURITY_ADMIN: ("secadmin", names.name(), DEMO_PASSWORD),
            Role.AUDIT_ADMIN: ("auditor", names.name(), DEMO_PASSWORD),
        },
    )
    sysadmin, secadmin, root = inst.system_admin, inst.security_admin, inst.county
    for admin in (sysadmin, secadmin, inst.audit_admin):
        services.enroll_totp(actor=admin, user=admin, key_hex=totp_key_for(seed, admin.username))

    def org(
        code: str, name: str, kind: str, parent: Organization, basis: str = "", order: int = 0
    ) -> Organization:
        result.organizations += 1
        return services.create_organization(
            actor=sysadmin,
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            enforcement_basis=basis,
            sort_order=order,
        )

    def person(
        username: str, organization: Organization, role: str, scope: str = DataScope.OWN
    ) -> User:
        user = services.create_user(
            actor=sysadmin,
            username=username,
            full_name=names.name(),
            organization=organization,
            password=DEMO_PASSWORD,
        )
        services.assign_role(actor=secadmin, user=user, role=role, scope=scope)
        result.users += 1
        return user

    say("行政执法部门（26个）及其行政执法监督科")
    departments: dict[str, Organization] = {}
    for order, (code, name, kind) in enumerate(county.DEPARTMENTS, start=1):
        dept = org(code, name, kind, root, EnforcementBasis.STATUTORY, order)
        departments[code] = dept
        org(f"{code}-jdk", f"{name}行政执法监督科", OrgKind.SUPERVISION_UNIT, dept, order=order)

    say("乡镇人民政府（13个）及其行政执法监督组织")
    townships: dict[str, Organization] = {}
    for order, (code, name) in enumerate(county.TOWNSHIPS, start=100):
        town = org(code, name, OrgKind.TOWNSHIP, root, EnforcementBasis.STATUTORY, order)
        townships[code] = town
        org(
            f"{code}-jdz",
            f"{name.removesuffix('人民政府')}行政执法监督组",
            OrgKind.SUPERVISION_UNIT,
            town,
            order=order,
        )

    say("受委托组织（13个）与法律法规授权组织（2个）")
    units: dict[str, Organization] = {}
    for order, (code, name, parent_code, basis) in enumerate(county.ENFORCEMENT_UNITS, 200):
        units[code] = org(
            code, name, OrgKind.ENFORCEMENT_UNIT, departments[parent_code], basis, order
        )

    say("法院、检察院、政务服务中心")
    for order, (code, name, kind) in enumerate(county.EXTERNAL_BODIES, start=300):
        org(code, name, kind, root, order=order)

    say("工作日历：载入法定节假日与调休安排")
    for calendar_year in CALENDAR_YEARS:
        services.seed_calendar_year(actor=sysadmin, year=calendar_year)

    say("账号与角色：依法治县办、行政执法监督员（81人）、各部门执法人员")
    justice = departments["sfj"]
    logins: list[User] = [sysadmin, secadmin, inst.audit_admin]
    # 依法治县办 (county scope) maintains the catalog: bodies, items, lists and officers.
    rule_of_law_office = person("fzb", justice, Role.RULE_OF_LAW_OFFICE, DataScope.COUNTY)
    logins.append(rule_of_law_office)
    county_supervisors = [
        person(f"jd_xian_{i}", justice, Role.SUPERVISOR, DataScope.COUNTY)
        for i in range(1, county.COUNTY_SUPERVISORS + 1)
    ]
    logins.append(county_supervisors[0])
    # Unit supervisors work in their department or township and see its whole subtree.
    for code, unit in [*departments.items(), *townships.items()]:
        for i in range(1, county.SUPERVISORS_PER_UNIT + 1):
            person(f"jd_{code}_{i}", unit, Role.SUPERVISOR, DataScope.SUBTREE)
    for code, dept in departments.items():
        head = person(f"{code}_fzr", dept, Role.DEPARTMENT_HEAD, DataScope.SUBTREE)
        reviewer = person(f"{code}_fzsh", dept, Role.LEGAL_REVIEWER, DataScope.SUBTREE)
        officers = [person(f"{code}_zf{i}", dept, Role.OFFICER) for i in range(1, scale + 1)]
        if code == "scjgj":
            logins.extend([officers[0], reviewer, head])
    for code, unit in units.items():
        for i in range(1, scale + 1):
            person(f"{code}_zf{i}", unit, Role.OFFICER)
    for code, town in townships.items():
        for i in range(1, scale + 1):
            person(f"{code}_zf{i}", town, Role.OFFICER)

    say("调解、普法、政务服务工作人员")
    mediation = org(
        "tjwyh", "东辽县人民调解委员会", OrgKind.MEDIATION_ORGANIZATION, justice, order=400
    )
    logins.append(person("tjy", mediation, Role.MEDIATOR))
    logins.append(person("pf", justice, Role.OUTREACH_STAFF))
    zwfw = Organization.objects.get(code="zwfw")
    logins.append(person("zwfw_1", zwfw, Role.GOVSERVICE_STAFF))

    # A township decides the cases of the county items delegated to it in its own name
    # (行政处罚法 第二十四条): its head (乡镇长) approves them as the 行政机关负责人, and its
    # legal reviewer (法制审核人员, 第五十八条) reviews those that need it.
    say("乡镇负责人与法制审核人员账号（办理下放乡镇的行政处罚案件）")
    for code, town in townships.items():
        person(f"{code}_fzr", town, Role.DEPARTMENT_HEAD, DataScope.SUBTREE)
        person(f"{code}_fzsh", town, Role.LEGAL_REVIEWER, DataScope.SUBTREE)

    result.catalog = build_catalog(
        actor=rule_of_law_office,
        orgs={**departments, **townships, **units},
        seed=seed,
        year=year,
        scale=scale,
        progress=say,
    )

    if with_cases:
        result.cases = build_cases(seed=seed, year=year, progress=say)
        result.inspections = build_inspections(
            actor=rule_of_law_office, seed=seed, year=year, progress=say
        )
        result.reviews = build_reviews(seed=seed, year=year, progress=say)

    say("签发检查点")
    ledger_services.create_checkpoint()
    result.logins = logins
    return result


def build_demo_atomic(**kwargs: object) -> DemoResult:
    """All or nothing: a failed build leaves an empty database, not half a county."""
    with transaction.atomic():
        return build_demo(**kwargs)  # type: ignore[arg-type]
