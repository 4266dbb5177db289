"""Every write of the shared kernel. Keyword-only, an actor, atomic, permission-checked,
and exactly one ledger event each (ARCHITECTURE §5 rule 1)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from fazhi.core.choices import ADMIN_ROLES, DataScope, EnforcementBasis, OrgKind, Role
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.models import (
    ApiToken,
    CalendarDay,
    LoginAttempt,
    Organization,
    RoleAssignment,
    User,
)
from fazhi.core.permissions import require, roles_of
from fazhi.core.selectors import forget_roles, visible_organizations
from fazhi.ledger.services import record
from fazhi.rules.calendar import chinese_calendar_overrides

# An 11-digit mobile number or a landline with its area code. Checked here, not only in the
# page's form, because the API creates accounts through this service too.
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
PHONE_ERROR = "请输入11位手机号码或带区号的固定电话"
# Path segments the pages use themselves (/organizations/new/, /users/new/): an organization
# or account so named could not be opened. Checked here too, for the same reason.
RESERVED_SLUGS = frozenset({"new", "edit", "export"})


def _require_in_scope(actor: User, org: Organization) -> None:
    if not visible_organizations(actor).filter(pk=org.pk).exists():
        raise DomainError(f"“{org.name}”不在您的数据范围内")


def _validate_password(password: str, user: User | None = None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages), details={"password": exc.messages}) from exc


def _set_new_password(user: User, password: str) -> None:
    """Check the password policy, hash, and stamp the change (the caller saves)."""
    _validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()


# --- organizations -----------------------------------------------------------------


def _org_payload(org: Organization) -> dict[str, object]:
    return {
        "code": org.code,
        "name": org.name,
        "kind": org.kind,
        "enforcement_basis": org.enforcement_basis,
        "parent": org.parent.code if org.parent else None,
        "is_active": org.is_active,
    }


def _make_org(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Organization | None,
    enforcement_basis: str,
    sort_order: int,
) -> Organization:
    if kind not in OrgKind.values:
        raise DomainError(f"未知的单位类型：{kind}")
    if enforcement_basis not in EnforcementBasis.values:
        raise DomainError(f"未知的执法主体资格：{enforcement_basis}")
    if not name.strip():
        raise DomainError("单位名称不能为空")
    if code.lower() in RESERVED_SLUGS:
        message = f"“{code}”是系统保留字，不能用作单位代码"
        raise DomainError(message, details={"code": [message]})
    if Organization.objects.filter(code=code).exists():
        raise ConflictError(f"单位代码“{code}”已存在")
    path = (parent.path if parent else "/") + code + "/"
    return Organization.objects.create(
        code=code,
        name=name.strip(),
        kind=kind,
        parent=parent,
        path=path,
        enforcement_basis=enforcement_basis,
        sort_order=sort_order,
    )


@dataclass(frozen=True)
class Installation:
    county: Organization
    system_admin: User
    security_admin: User
    audit_admin: User


@transaction.atomic
def bootstrap_installation(
    *, county_code: str, county_name: str, admins: dict[str, tuple[str, str, str]]
) -> Installation:
    """First start: the county's root organization and the three separated administrators
    (三员分立), each its own account. `admins` maps each administrator role to
    (username, full name, password).

    The only write without an actor, so it refuses to run once anyone exists. After it,
    the security administrator grants every other role.
    """
    if User.objects.exists() or Organization.objects.exists():
        raise ConflictError("系统已初始化，不能重复初始化")
    if set(admins) != set(ADMIN_ROLES):
        raise DomainError("初始化须同时设置系统管理员、安全管理员、审计管理员三个账号")
    root = _make_org(
        code=county_code,
        name=county_name,
        kind=OrgKind.COUNTY_GOVERNMENT,
        parent=None,
        enforcement_basis=EnforcementBasis.NONE,
        sort_order=0,
    )
    created: dict[str, User] = {}
    for role in sorted(ADMIN_ROLES):
        username, full_name, password = admins[role]
        if User.objects.filter(username=username).exists():
            raise ConflictError(f"用户名“{username}”重复")
        admin = User(username=username, full_name=full_name, organization=root)
        _set_new_password(admin, password)
        admin.save()
        RoleAssignment.objects.create(user=admin, role=role, scope=DataScope.COUNTY)
        created[role] = admin
    record(
        stream="core.organization",
        kind="core.installation.bootstrapped",
        actor=None,
        payload={
            "organization": _org_payload(root),
            "admins": {role: user.username for role, user in sorted(created.items())},
        },
    )
    return Installation(
        county=root,
        system_admin=created[Role.SYSTEM_ADMIN],
        security_admin=created[Role.SECURITY_ADMIN],
        audit_admin=created[Role.AUDIT_ADMIN],
    )


@transaction.atomic
def create_organization(
    *,
    actor: User,
    code: str,
    name: str,
    kind: str,
    parent: Organization,
    enforcement_basis: str = "",
    sort_order: int = 0,
) -> Organization:
    require(actor, "core.manage_organizations")
    _require_in_scope(actor, parent)
    parent = Organization.objects.select_for_update().get(pk=parent.pk)
    org = _make_org(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        enforcement_basis=enforcement_basis,
        sort_order=sort_order,
    )
    record(
        stream="core.organization",
        kind="core.organization.created",
        actor=actor,
        payload=_org_payload(org),
    )
    return org


@transaction.atomic
def update_organization(
    *,
    actor: User,
    organization: Organization,
    name: str,
    kind: str,
    enforcement_basis: str,
    is_active: bool,
    sort_order: int,
) -> Organization:
    require(actor, "core.manage_organizations")
    _require_in_scope(actor, organization)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if kind not in OrgKind.values:
        raise DomainError(f"未知的单位类型：{kind}")
    if enforcement_basis not in EnforcementBasis.values:
        raise DomainError(f"未知的执法主体资格：{enforcement_basis}")
    if not name.strip():
        raise DomainError("单位名称不能为空")
    before = _org_payload(org)
    org.name, org.kind, org.enforcement_basis = name.strip(), kind, enforcement_basis
    org.is_active, org.sort_order = is_active, sort_order
    org.save(
        update_fields=["name", "kind", "enforcement_basis", "is_active", "sort_order", "updated_at"]
    )
    record(
        stream="core.organization",
        kind="core.organization.updated",
        actor=actor,
        payload={"before": before, "after": _org_payload(org)},
    )
    return org


# --- users and roles ---------------------------------------------------------------


@transaction.atomic
def create_user(
    *,
    actor: User,
    username: str,
    full_name: str,
    organization: Organization,
    password: str,
    phone: str = "",
) -> User:
    require(actor, "core.manage_users")
    _require_in_scope(actor, organization)
    username = username.strip()
    if not username:
        raise DomainError("用户名不能为空")
    if username.lower() in RESERVED_SLUGS:
        message = f"“{username}”是系统保留字，不能用作用户名"
        raise DomainError(message, details={"username": [message]})
    phone = phone.strip().replace(" ", "")
    if phone and not PHONE_RE.match(phone):
        raise DomainError(PHONE_ERROR, details={"phone": [PHONE_ERROR]})
    if User.objects.filter(username=username).exists():
        raise ConflictError(f"用户名“{username}”已存在")
    user = User(
        username=username,
        full_name=full_name.strip(),
        organization=organization,
        phone=phone,
    )
    _set_new_password(user, password)
    user.save()
    record(
        stream="core.user",
        kind="core.user.created",
        actor=actor,
        payload={"username": username, "organization": organization.code},
    )
    return user


@transaction.atomic
def set_user_active(*, actor: User, user: User, is_active: bool) -> User:
    require(actor, "core.manage_users")
    if user.organization is not None:
        _require_in_scope(actor, user.organization)
    if user.pk == actor.pk:
        raise DomainError("不能停用自己的账号")
    target = User.objects.select_for_update().get(pk=user.pk)
    _refuse_other_administrator(actor, target, "停用或启用")
    target.is_active = is_active
    target.save(update_fields=["is_active"])
    if not is_active:
        _end_sessions(target)
    record(
        stream="core.user",
        kind="core.user.activated" if is_active else "core.user.deactivated",
        actor=actor,
        payload={"username": target.username},
    )
    return target


def _refuse_other_administrator(actor: User, target: User, what: str) -> None:
    """三员分立 (等保 2.0 8.1.5): the system administrator manages accounts, but must not be
    able to take over the security or audit administrator's account (reset its password,
    bind its TOTP device) or switch it off. Their credentials are recovered only on the
    server, by `fazhi recover_admin` (recorded in the ledger)."""
    if target.pk != actor.pk and roles_of(target) & ADMIN_ROLES:
        raise DomainError(
            f"三员分立：不能{what}另一名管理员的账号。请本人操作，或由运维人员在服务器上运行"
            f"“fazhi recover_admin {target.username}”"
        )


@transaction.atomic
def recover_admin_credentials(*, username: str, new_password: str) -> TotpEnrollment:
    """Recover an administrator's access at the server console: a new password, a new TOTP
    device, the lockout cleared, every session ended. Like the installation bootstrap it
    has no actor (the operator at the console), so it is limited to the three
    administrator accounts and recorded in the ledger."""
    target = User.objects.select_for_update().filter(username=username).first()
    if target is None:
        raise DomainError(f"用户“{username}”不存在")
    if not roles_of(target) & ADMIN_ROLES:
        raise DomainError("该命令只用于恢复三员账号；其他账号请由系统管理员在页面上重置")
    _set_new_password(target, new_password)
    target.failed_login_count = 0
    target.locked_until = None
    target.is_active = True
    target.save(
        update_fields=[
            "password",
            "password_changed_at",
            "failed_login_count",
            "locked_until",
            "is_active",
        ]
    )
    _end_sessions(target)
    enrollment = _replace_totp_device(target, secrets.token_hex(20))
    record(
        stream="core.user",
        kind="core.user.admin_recovered",
        actor=None,
        payload={"username": target.username},
    )
    return enrollment


@transaction.atomic
def reset_password(*, actor: User, user: User, new_password: str) -> User:
    """An administrator sets a new password and clears a lockout."""
    require(actor, "core.manage_users")
    if user.organization is not None:
        _require_in_scope(actor, user.organization)
    target = User.objects.select_for_update().get(pk=user.pk)
    _refuse_other_administrator(actor, target, "重置密码")
    _set_new_password(target, new_password)
    target.failed_login_count = 0
    target.locked_until = None
    target.save(
        update_fields=["password", "password_changed_at", "failed_login_count", "locked_until"]
    )
    _end_sessions(target)
    record(
        stream="core.user",
        kind="core.user.password_reset",
        actor=actor,
        payload={"username": target.username},
    )
    return target


@transaction.atomic
def change_own_password(*, actor: User, old_password: str, new_password: str) -> User:
    target = User.objects.select_for_update().get(pk=actor.pk)
    if not target.check_password(old_password):
        raise DomainError("原密码不正确")
    _set_new_password(target, new_password)
    target.save(update_fields=["password", "password_changed_at"])
    record(
        stream="core.user",
        kind="core.user.password_changed",
        actor=actor,
        payload={"username": target.username},
    )
    return target


@transaction.atomic
def assign_role(
    *, actor: User, user: User, role: str, scope: str = DataScope.OWN
) -> RoleAssignment:
    """Grant a role. 三员分立: an account holds at most one administrator role, and
    nobody grants roles to themselves (等保 2.0 8.1.5, 8.1.7)."""
    require(actor, "core.manage_roles")
    if role not in Role.values:
        raise DomainError(f"未知的角色：{role}")
    if scope not in DataScope.values:
        raise DomainError(f"未知的数据范围：{scope}")
    if user.pk == actor.pk:
        raise DomainError("不能给自己授予角色")
    if user.organization is not None:
        _require_in_scope(actor, user.organization)
    target = User.objects.select_for_update().get(pk=user.pk)
    held = set(target.role_assignments.values_list("role", flat=True))
    if role in held:
        raise ConflictError("该用户已拥有此角色")
    if role in ADMIN_ROLES and held & ADMIN_ROLES:
        raise DomainError("三员分立：系统管理员、安全管理员、审计管理员不得由同一账号兼任")
    if role in ADMIN_ROLES and held - ADMIN_ROLES or role not in ADMIN_ROLES and held & ADMIN_ROLES:
        raise DomainError("管理员账号不得兼任业务角色，请为业务工作另建账号")
    assignment = RoleAssignment.objects.create(user=target, role=role, scope=scope)
    forget_roles(user)
    record(
        stream="core.user",
        kind="core.role.assigned",
        actor=actor,
        payload={"username": target.username, "role": role, "scope": scope},
    )
    return assignment


@transaction.atomic
def revoke_role(*, actor: User, user: User, role: str) -> None:
    require(actor, "core.manage_roles")
    if user.pk == actor.pk:
        raise DomainError("不能撤销自己的角色")
    if user.organization is not None:
        _require_in_scope(actor, user.organization)
    target = User.objects.select_for_update().get(pk=user.pk)
    deleted, _ = RoleAssignment.objects.filter(user=target, role=role).delete()
    if not deleted:
        raise DomainError("该用户没有此角色")
    forget_roles(user)
    record(
        stream="core.user",
        kind="core.role.revoked",
        actor=actor,
        payload={"username": target.username, "role": role},
    )


def requires_two_factor(user: User) -> bool:
    required = set(ADMIN_ROLES) | set(settings.FAZHI_2FA_ROLES)
    return bool(roles_of(user) & required)


@dataclass(frozen=True)
class TotpEnrollment:
    device: TOTPDevice
    secret_base32: str

    def provisioning_uri(self, issuer: str = "法治平台") -> str:
        from urllib.parse import quote

        name = quote(f"{issuer}:{self.device.user.username}")
        return f"otpauth://totp/{name}?secret={self.secret_base32}&issuer={quote(issuer)}"


@transaction.atomic
def enroll_totp(*, actor: User, user: User, key_hex: str | None = None) -> TotpEnrollment:
    """Give `user` a TOTP device (replacing any old one). The user enrolls themselves,
    or the system administrator does it for them."""
    if actor.pk != user.pk:
        require(actor, "core.manage_users")
        if user.organization is not None:
            _require_in_scope(actor, user.organization)
    target = User.objects.select_for_update().get(pk=user.pk)
    _refuse_other_administrator(actor, target, "绑定动态口令")
    enrollment = _replace_totp_device(target, key_hex or secrets.token_hex(20))
    record(
        stream="core.user",
        kind="core.user.totp_enrolled",
        actor=actor,
        payload={"username": target.username},
    )
    return enrollment


def _replace_totp_device(user: User, key_hex: str) -> TotpEnrollment:
    """The user's only TOTP device from now on: any older one stops working."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="动态口令", key=key_hex, confirmed=True)
    return TotpEnrollment(
        device=device, secret_base32=base64.b32encode(bytes.fromhex(key_hex)).decode()
    )


def _end_sessions(user: User) -> None:
    """Kill a user's sessions when the account is disabled or its password reset (ASVS 7.4)."""
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


# --- login ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    device: TOTPDevice | None
    message: str

    @property
    def ok(self) -> bool:
        return self.user is not None


def _count_login_failure(user: User, now: dt.datetime) -> bool:
    """One more consecutive failure; lock the account once it reaches the threshold.
    Returns whether this failure locked it."""
    user.failed_login_count += 1
    locked = user.failed_login_count >= settings.FAZHI_LOCKOUT_THRESHOLD
    if locked:
        user.locked_until = now + dt.timedelta(minutes=settings.FAZHI_LOCKOUT_MINUTES)
        user.failed_login_count = 0
    user.save(update_fields=["failed_login_count", "locked_until"])
    return locked


@transaction.atomic
def authenticate(
    *, username: str, password: str, otp_token: str = "", ip_address: str | None = None
) -> LoginResult:
    """Check a login and record the attempt, whatever its outcome (ASVS 16.3.1).

    Lockout after FAZHI_LOCKOUT_THRESHOLD consecutive failures for FAZHI_LOCKOUT_MINUTES
    (等保 8.1.4.1 b). The messages do not reveal whether the account exists.
    """
    now = timezone.now()
    user = User.objects.select_for_update().filter(username=username).first()
    generic = "用户名或密码错误"
    device: TOTPDevice | None = None
    locked_message = (
        f"连续 {settings.FAZHI_LOCKOUT_THRESHOLD} 次登录失败，账号锁定 "
        f"{settings.FAZHI_LOCKOUT_MINUTES} 分钟"
    )
    if user is None:
        User().set_password(password)  # same hashing cost as a real check (timing)
        outcome, message = "unknown_user", generic
    elif not user.is_active:
        # Only someone who knows the password learns that the account is disabled; anyone
        # else gets the generic answer, which does not tell the account exists.
        outcome = "inactive"
        message = "账号已停用，请联系系统管理员" if user.check_password(password) else generic
    elif user.is_locked(now):
        outcome = "locked"
        until = timezone.localtime(user.locked_until).strftime("%H:%M")
        message = f"连续登录失败次数过多，账号已锁定至 {until}"
    elif not user.check_password(password):
        if _count_login_failure(user, now):
            outcome, message = "locked_now", locked_message
        else:
            outcome, message = "bad_password", generic
    elif requires_two_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            outcome, message = "no_device", "该账号须使用动态口令登录，但尚未绑定，请联系系统管理员"
        elif not otp_token.strip():
            outcome, message = "otp_required", "请输入动态口令（6位数字）"
        elif not device.verify_is_allowed()[0]:
            # django-otp throttles a device after a wrong token (doubling delays).
            outcome, message = "otp_throttled", "动态口令尝试过于频繁，请稍后再试"
        elif not device.verify_token(otp_token.strip()):
            # A wrong code is a failed login like a wrong password: it counts towards the
            # same lockout (等保 8.1.4.1 b), on top of django-otp's own back-off.
            if _count_login_failure(user, now):
                outcome, message = "otp_locked_now", locked_message
            else:
                outcome, message = "bad_otp", "动态口令错误或已过期"
        else:
            outcome, message = "ok", "登录成功"
    else:
        outcome, message = "ok", "登录成功"

    succeeded = outcome == "ok"
    if succeeded and user is not None:
        user.failed_login_count = 0
        user.last_login = now
        user.save(update_fields=["failed_login_count", "last_login"])
    LoginAttempt.objects.create(
        username=username[:150],
        user=user,
        succeeded=succeeded,
        reason=outcome,
        ip_address=ip_address,
    )
    record(
        stream="core.auth",
        kind="core.login.succeeded" if succeeded else "core.login.failed",
        actor=user if succeeded else None,
        payload={"username": username[:150], "outcome": outcome, "ip": ip_address},
    )
    if not succeeded:
        return LoginResult(user=None, device=None, message=message)
    return LoginResult(user=user, device=device, message=message)


# --- the working-day calendar --------------------------------------------------------


@transaction.atomic
def set_calendar_day(*, actor: User, date: dt.date, is_workday: bool, note: str) -> CalendarDay:
    """Record a holiday (放假) or a make-up working day (调休上班)."""
    require(actor, "core.manage_calendar")
    day, _ = CalendarDay.objects.select_for_update().update_or_create(
        date=date, defaults={"is_workday": is_workday, "note": note.strip()[:50]}
    )
    record(
        stream="core.calendar",
        kind="core.calendar.day_set",
        actor=actor,
        payload={"date": date, "is_workday": is_workday, "note": day.note},
    )
    return day


@transaction.atomic
def clear_calendar_day(*, actor: User, date: dt.date) -> None:
    require(actor, "core.manage_calendar")
    deleted, _ = CalendarDay.objects.filter(date=date).delete()
    if not deleted:
        raise DomainError(f"{date:%Y年%m月%d日} 没有节假日调整")
    record(
        stream="core.calendar",
        kind="core.calendar.day_cleared",
        actor=actor,
        payload={"date": date},
    )


@transaction.atomic
def seed_calendar_year(*, actor: User, year: int) -> int:
    """Load a year's holidays and 调休 days from chinese-calendar; keeps manual edits."""
    require(actor, "core.manage_calendar")
    try:
        overrides = chinese_calendar_overrides(year)
    except ValueError as exc:
        raise DomainError(f"chinese-calendar 尚无 {year} 年的节假日安排，请手工录入") from exc
    existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    new = [
        CalendarDay(date=d, is_workday=work, note=note)
        for d, (work, note) in sorted(overrides.items())
        if d not in existing
    ]
    CalendarDay.objects.bulk_create(new)
    record(
        stream="core.calendar",
        kind="core.calendar.year_seeded",
        actor=actor,
        payload={"year": year, "added": len(new)},
    )
    return len(new)


# --- API access tokens (REST API, /api/v1/) -------------------------------------------


API_TOKEN_PREFIX = "fzt_"  # noqa: S105 (a marker so leaked tokens are recognizable)
API_TOKEN_MAX_DAYS = 365
# A cap on live tokens per account, so a leaked session cannot mint tokens without bound.
API_TOKEN_MAX_ACTIVE = 20


def api_token_hash(secret: str) -> str:
    """What is stored and looked up: SHA-256 of the token (the token itself never is)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedApiToken:
    token: ApiToken
    secret: str  # shown to the owner once; only its hash is kept


@transaction.atomic
def issue_api_token(*, actor: User, name: str, expires_in_days: int) -> IssuedApiToken:
    """Give `actor` a bearer token for the REST API that acts with exactly their roles."""
    require(actor, "core.manage_own_api_tokens")
    name = name.strip()
    if not name:
        raise DomainError("令牌名称不能为空", details={"name": ["令牌名称不能为空"]})
    if len(name) > 100:
        raise DomainError("令牌名称不能超过100个字符", details={"name": ["不能超过100个字符"]})
    if not 1 <= expires_in_days <= API_TOKEN_MAX_DAYS:
        message = f"有效期应为1至{API_TOKEN_MAX_DAYS}天"
        raise DomainError(message, details={"expires_in_days": [message]})
    owner = User.objects.select_for_update().get(pk=actor.pk)
    now = timezone.now()
    live = ApiToken.objects.filter(user=owner, revoked_at__isnull=True, expires_at__gt=now)
    if live.count() >= API_TOKEN_MAX_ACTIVE:
        raise DomainError(f"有效令牌已达{API_TOKEN_MAX_ACTIVE}个，请先撤销不再使用的令牌")
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=owner,
        name=name,
        prefix=secret[:12],
        token_hash=api_token_hash(secret),
        expires_at=now + dt.timedelta(days=expires_in_days),
    )
    record(
        stream="core.api_token",
        kind="core.api_token.issued",
        actor=actor,
        payload={
            "username": owner.username,
            "token_id": token.pk,
            "name": token.name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
        },
    )
    return IssuedApiToken(token=token, secret=secret)


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; it stops working at once."""
    require(actor, "core.manage_own_api_tokens")
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.user_id != actor.pk:
        raise PermissionDenied("只能撤销本人的访问令牌")
    if locked.revoked_at is not None:
        raise ConflictError("该令牌已撤销")
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at", "updated_at"])
    record(
        stream="core.api_token",
        kind="core.api_token.revoked",
        actor=actor,
        payload={"username": actor.username, "token_id": locked.pk, "prefix": locked.prefix},
    )
    return locked


# --- exports -------------------------------------------------------------------------


@transaction.atomic
def record_export(
    *, actor: User, permission: str, subject: str, criteria: dict[str, object], row_count: int
) -> None:
    """Record that `actor` exported `row_count` records of `subject` before handing them
    over: an export takes records that may name people out of the system, an access to
    personal data that must be recorded (ARCHITECTURE §11; 等保 8.1.4.11; PIPL 第五十一条)."""
    require(actor, permission)
    record(
        stream="core.export",
        kind="core.records.exported",
        actor=actor,
        payload={"subject": subject, "criteria": criteria, "rows": row_count},
    )
