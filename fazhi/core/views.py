"""Back-office pages of the shared kernel. Thin: parse, authorize, one service/selector, render."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from fazhi.core import exports, selectors, services
from fazhi.core.calendar import compute_deadline, database_calendar, year_grid
from fazhi.core.choices import ADMIN_ROLES, EnforcementBasis, OrgKind
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.forms import (
    CalendarClearForm,
    CalendarDayForm,
    CalendarSeedForm,
    DeadlineForm,
    LoginAttemptFilterForm,
    LoginForm,
    OrganizationCreateForm,
    OrganizationEditForm,
    OrganizationFilterForm,
    PasswordChangeForm,
    ResetPasswordForm,
    RoleAssignForm,
    RoleRevokeForm,
    UserCreateForm,
    UserFilterForm,
)
from fazhi.core.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT
from fazhi.core.models import User
from fazhi.core.permissions import has_perm, require
from fazhi.rules.deadlines import DeadlineError
from fazhi.rules.parameters import ParameterError

PAGE_SIZE = 50

# LoginAttempt.reason codes written by services.authenticate, in words for the auditor.
LOGIN_REASONS = {
    "ok": "登录成功",
    "unknown_user": "用户名不存在",
    "inactive": "账号已停用",
    "locked": "账号锁定期间尝试登录",
    "bad_password": "密码错误",
    "locked_now": "密码错误，账号被锁定",
    "no_device": "未绑定动态口令",
    "otp_required": "未输入动态口令",
    "otp_throttled": "动态口令尝试过于频繁",
    "bad_otp": "动态口令错误",
    "otp_locked_now": "动态口令错误，账号被锁定",
}


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _actor(request: HttpRequest) -> User:
    # Every page below is behind login_required, so the user is a real account.
    return cast(User, request.user)


def requires(perm: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """login_required (302 to /login/ for anonymous), then the permission (403 without)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require(request.user, perm)
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def _paginate(request: HttpRequest, qs: QuerySet[Any]) -> Page[Any]:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def _mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 11 else ("*" * len(phone))


# --- login ------------------------------------------------------------------------------------


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        result = services.authenticate(
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
            otp_token=form.cleaned_data["otp_token"],
            ip_address=client_ip(request),
        )
        if result.ok and result.user is not None:
            auth_login(request, result.user, backend="django.contrib.auth.backends.ModelBackend")
            if result.device is not None:
                otp_login(request, result.device)
            request.session[SESSION_LOGIN_AT] = request.session[SESSION_SEEN_AT] = time.time()
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(
                target, {request.get_host()}, require_https=request.is_secure()
            ):
                target = ""
            return redirect(target or "core:home")
        error = result.message
    return render(request, "core/login.html", {"form": form, "error": error})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    return redirect("core:login")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.change_own_password(
                actor=actor,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            field = "old_password" if "原密码" in exc.message else "new_password"
            form.add_error(field, exc.message)
        else:
            # The session hash derives from the password: keep this session, end no other.
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改")
            return redirect("core:home")
    return render(request, "core/password_change.html", {"form": form})


# --- the workbench ----------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _actor(request)
    quick: list[tuple[str, str]] = []
    if has_perm(user, "core.manage_organizations"):
        quick.append(("新建单位", reverse("core:organization_create")))
    if has_perm(user, "core.manage_users"):
        quick.append(("新建用户账号", reverse("core:user_create")))
    if has_perm(user, "core.manage_roles"):
        quick.append(("授予或撤销角色", reverse("core:user_list")))
    if has_perm(user, "core.manage_calendar"):
        quick.append(("维护节假日", reverse("core:calendar")))
    if has_perm(user, "core.view_calendar"):
        quick.append(("期限计算", reverse("core:calendar") + "#deadline"))
    if has_perm(user, "core.view_login_attempts"):
        quick.append(("查看登录失败记录", reverse("core:login_attempt_list") + "?result=failure"))
    quick.append(("修改密码", reverse("core:password_change")))
    assignments = list(user.role_assignments.all())
    context = {
        "assignments": assignments,
        "scope": selectors.data_scope(user),
        "is_admin": any(a.role in ADMIN_ROLES for a in assignments),
        "has_totp": user_has_device(user),
        "quick": quick,
    }
    return render(request, "core/home.html", context)


# --- organizations ----------------------------------------------------------------------------


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filters = OrganizationFilterForm(request.GET)
    filters.is_valid()
    search = filters.cleaned_data.get("q", "")
    kind = filters.cleaned_data.get("kind", "")
    # Ordered by the materialized path, which is the tree's pre-order (an aggregate query
    # ignores Meta.ordering).
    orgs = selectors.organizations_for(actor, search=search, kind=kind).order_by("path")
    if _wants_xlsx(request):
        content = exports.build_workbook(
            "单位", exports.ORGANIZATION_HEADERS, exports.organization_rows(orgs)
        )
        return exports.xlsx_response("单位列表", content)
    context = {
        "filters": filters,
        "page": _paginate(request, orgs),
        "can_manage": has_perm(actor, "core.manage_organizations"),
    }
    return render(request, "core/organization_list.html", context)


@login_required
def organization_detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    org = selectors.get_organization_for(actor, code)
    can_view_users = has_perm(actor, "core.view_users")
    context = {
        "org": org,
        "children": selectors.organizations_for(actor)
        .filter(parent=org)
        .order_by("sort_order", "path"),
        "users": (selectors.users_for(actor).filter(organization=org) if can_view_users else None),
        "active_user_count": org.users.filter(is_active=True).count(),
        "can_manage": has_perm(actor, "core.manage_organizations"),
        "can_manage_users": has_perm(actor, "core.manage_users"),
    }
    return render(request, "core/organization_detail.html", context)


@requires("core.manage_organizations")
def organization_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    parents = selectors.organizations_for(actor).order_by("path")
    initial_parent = parents.filter(code=request.GET.get("parent", "")).first()
    form = OrganizationCreateForm(
        request.POST or None,
        parents=parents,
        initial={
            "parent": initial_parent or actor.organization,
            "kind": OrgKind.DEPARTMENT,
            "enforcement_basis": EnforcementBasis.STATUTORY,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = services.create_organization(
                actor=actor,
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                parent=data["parent"],
                enforcement_basis=data["enforcement_basis"] or "",
                sort_order=data["sort_order"],
            )
        except ConflictError as exc:
            form.add_error("code", exc.message)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已创建单位“{org.name}”")
            return redirect("core:organization_detail", code=org.code)
    return render(request, "core/organization_form.html", {"form": form, "org": None})


@requires("core.manage_organizations")
def organization_edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    org = selectors.get_organization_for(actor, code)
    form = OrganizationEditForm(
        request.POST or None,
        initial={
            "name": org.name,
            "kind": org.kind,
            "enforcement_basis": org.enforcement_basis,
            "sort_order": org.sort_order,
            "is_active": org.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_organization(
                actor=actor,
                organization=org,
                name=data["name"],
                kind=data["kind"],
                enforcement_basis=data["enforcement_basis"] or "",
                is_active=data["is_active"],
                sort_order=data["sort_order"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "单位信息已保存")
            return redirect("core:organization_detail", code=org.code)
    return render(request, "core/organization_form.html", {"form": form, "org": org})


# --- users ------------------------------------------------------------------------------------


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filters = UserFilterForm(request.GET)
    filters.is_valid()
    users = selectors.users_for(
        actor, search=filters.cleaned_data.get("q", ""), role=filters.cleaned_data.get("role", "")
    )
    if _wants_xlsx(request):
        services.record_export(
            actor=actor,
            permission="core.view_users",
            subject="users",
            criteria={k: v for k, v in filters.cleaned_data.items() if v},
            row_count=users.count(),
        )
        content = exports.build_workbook("用户", exports.USER_HEADERS, exports.user_rows(users))
        return exports.xlsx_response("用户列表", content)
    context = {
        "filters": filters,
        "page": _paginate(request, users),
        "can_manage": has_perm(actor, "core.manage_users"),
    }
    return render(request, "core/user_list.html", context)


@requires("core.manage_users")
def user_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    orgs = selectors.visible_organizations(actor).filter(is_active=True)
    initial_org = orgs.filter(code=request.GET.get("organization", "")).first()
    form = UserCreateForm(
        request.POST or None, organizations=orgs, initial={"organization": initial_org}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                actor=actor,
                username=data["username"],
                full_name=data["full_name"],
                organization=data["organization"],
                password=data["new_password"],
                phone=data["phone"],
            )
        except ConflictError as exc:
            form.add_error("username", exc.message)
        except DomainError as exc:
            form.add_error("new_password" if "password" in exc.details else None, exc.message)
        else:
            messages.success(request, f"已创建用户“{user.username}”，请由安全管理员授予角色")
            return redirect("core:user_detail", username=user.username)
    return render(request, "core/user_form.html", {"form": form})


USER_ACTIONS = {
    "activate": "core.manage_users",
    "deactivate": "core.manage_users",
    "reset_password": "core.manage_users",
    "enroll_totp": "core.manage_users",
    "assign_role": "core.manage_roles",
    "revoke_role": "core.manage_roles",
}


@login_required
def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    actor = _actor(request)
    target = selectors.get_user_for(actor, username)
    reset_form = ResetPasswordForm()
    role_form = RoleAssignForm()
    errors: dict[str, str] = {}
    enrollment = None

    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in USER_ACTIONS:
            return HttpResponseBadRequest("未知的操作")
        require(actor, USER_ACTIONS[action])
        try:
            if action in ("activate", "deactivate"):
                services.set_user_active(actor=actor, user=target, is_active=action == "activate")
                messages.success(request, "账号已启用" if action == "activate" else "账号已停用")
                return redirect("core:user_detail", username=target.username)
            if action == "reset_password":
                reset_form = ResetPasswordForm(request.POST)
                if reset_form.is_valid():
                    services.reset_password(
                        actor=actor,
                        user=target,
                        new_password=reset_form.cleaned_data["new_password"],
                    )
                    messages.success(request, "密码已重置，该用户的登录会话已全部结束")
                    return redirect("core:user_detail", username=target.username)
            elif action == "enroll_totp":
                # Shown once, in this response only: the secret is never stored or redirected.
                enrollment = services.enroll_totp(actor=actor, user=target)
            elif action == "assign_role":
                role_form = RoleAssignForm(request.POST)
                if role_form.is_valid():
                    services.assign_role(
                        actor=actor,
                        user=target,
                        role=role_form.cleaned_data["role"],
                        scope=role_form.cleaned_data["scope"],
                    )
                    messages.success(request, "角色已授予")
                    return redirect("core:user_detail", username=target.username)
            elif action == "revoke_role":
                revoke_form = RoleRevokeForm(request.POST)
                if revoke_form.is_valid():
                    services.revoke_role(
                        actor=actor, user=target, role=revoke_form.cleaned_data["role"]
                    )
                    messages.success(request, "角色已撤销")
                    return redirect("core:user_detail", username=target.username)
                errors[action] = "请选择要撤销的角色"
        except DomainError as exc:
            errors[action] = exc.message
        target = selectors.get_user_for(actor, username)  # re-read after a refused change

    context = {
        "target": target,
        "assignments": list(target.role_assignments.all()),
        "phone_masked": _mask_phone(target.phone) if target.phone else "",
        "has_totp": user_has_device(target),
        "is_locked": target.is_locked(timezone.now()),
        "can_manage": has_perm(actor, "core.manage_users"),
        "can_manage_roles": has_perm(actor, "core.manage_roles"),
        "is_self": target.pk == actor.pk,
        "reset_form": reset_form,
        "role_form": role_form,
        "errors": errors,
        "enrollment": enrollment,
        "enrollment_qr": _qr_svg(enrollment.provisioning_uri()) if enrollment else "",
    }
    # A POST that reaches this point was refused (or is the one-time TOTP page).
    status = 400 if request.method == "POST" and enrollment is None else 200
    return render(request, "core/user_detail.html", context, status=status)


def _qr_svg(data: str) -> str:
    """An inline SVG QR code, made in memory: the TOTP secret never touches the disk."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return str(svg).replace("<svg ", '<svg role="img" aria-label="动态口令绑定二维码" ', 1)


# --- login audit ------------------------------------------------------------------------------


@login_required
def login_attempt_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    filters = LoginAttemptFilterForm(request.GET)
    filters.is_valid()
    attempts = selectors.login_attempts(actor, search=filters.cleaned_data.get("q", ""))
    result = filters.cleaned_data.get("result", "")
    if result:
        attempts = attempts.filter(succeeded=result == "success")
    page = _paginate(request, attempts)
    for attempt in page.object_list:
        attempt.reason_label = LOGIN_REASONS.get(attempt.reason, attempt.reason)
    return render(request, "core/login_attempt_list.html", {"filters": filters, "page": page})


# --- the working-day calendar -----------------------------------------------------------------


def _year_from(raw: object) -> int:
    try:
        year = int(str(raw))
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _calendar_page(
    request: HttpRequest,
    year: int,
    *,
    set_form: CalendarDayForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = _actor(request)
    days = list(selectors.calendar_days(actor, year=year))
    deadline = deadline_error = None
    deadline_form = DeadlineForm(request.GET if "start" in request.GET else None)
    if deadline_form.is_bound and deadline_form.is_valid():
        data = deadline_form.cleaned_data
        try:
            deadline = compute_deadline(
                start=data["start"],
                n=data["n"],
                unit=data["unit"],
                law=data["law"],
                calendar=database_calendar(),
            )
        except (DeadlineError, ParameterError) as exc:
            deadline_error = str(exc)
    context = {
        "year": year,
        "years": [year - 1, year + 1],
        "months": year_grid(
            year, {d.date: (d.is_workday, d.note) for d in days}, timezone.localdate()
        ),
        "days": days,
        "holiday_count": sum(not d.is_workday for d in days),
        "makeup_count": sum(d.is_workday for d in days),
        "can_manage": has_perm(actor, "core.manage_calendar"),
        "set_form": set_form or CalendarDayForm(),
        "seed_form": CalendarSeedForm(initial={"year": year}),
        "deadline_form": deadline_form,
        "deadline": deadline,
        "deadline_error": deadline_error,
    }
    return render(request, "core/calendar.html", context, status=status)


@requires("core.view_calendar")
def calendar_view(request: HttpRequest) -> HttpResponse:
    return _calendar_page(request, _year_from(request.GET.get("year")))


def _back_to_year(year: int) -> HttpResponse:
    return redirect(f"{reverse('core:calendar')}?year={year}")


@require_POST
@requires("core.manage_calendar")
def calendar_set(request: HttpRequest) -> HttpResponse:
    form = CalendarDayForm(request.POST)
    if not form.is_valid():
        year = _year_from(request.POST.get("year"))
        return _calendar_page(request, year, set_form=form, status=400)
    data = form.cleaned_data
    try:
        services.set_calendar_day(
            actor=_actor(request),
            date=data["date"],
            is_workday=data["is_workday"],
            note=data["note"],
        )
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _calendar_page(request, data["date"].year, set_form=form, status=400)
    kind = "调休上班" if data["is_workday"] else "放假"
    messages.success(request, f"{data['date']:%Y年%m月%d日} 已设为{kind}")
    return _back_to_year(data["date"].year)


@require_POST
@requires("core.manage_calendar")
def calendar_clear(request: HttpRequest) -> HttpResponse:
    form = CalendarClearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要恢复的日期")
        return _back_to_year(_year_from(request.POST.get("year")))
    date = form.cleaned_data["date"]
    try:
        services.clear_calendar_day(actor=_actor(request), date=date)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{date:%Y年%m月%d日} 已恢复为按周一至周五计算")
    return _back_to_year(date.year)


@require_POST
@requires("core.manage_calendar")
def calendar_seed(request: HttpRequest) -> HttpResponse:
    form = CalendarSeedForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请输入2004至2100之间的年份")
        return _back_to_year(_year_from(request.POST.get("year")))
    year = form.cleaned_data["year"]
    try:
        added = services.seed_calendar_year(actor=_actor(request), year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"已从国务院节假日安排载入{year}年的调整 {added} 天（已有的手工调整保留不变）"
        )
    return _back_to_year(year)
