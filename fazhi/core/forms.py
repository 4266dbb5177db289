"""Forms of the shared kernel's pages. They parse and check input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils import timezone

from fazhi.core.calendar import day_counting_laws
from fazhi.core.choices import DataScope, EnforcementBasis, OrgKind, Role
from fazhi.core.models import Organization
from fazhi.core.services import PHONE_ERROR, PHONE_RE, RESERVED_SLUGS


class LoginForm(forms.Form):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label="动态口令",
        max_length=8,
        required=False,
        help_text="管理员等角色须输入手机令牌上的 6 位动态口令",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


# --- list filters -------------------------------------------------------------------------


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "单位名称或代码"}),
    )
    kind = forms.ChoiceField(
        label="单位类型", required=False, choices=[("", "全部类型"), *OrgKind.choices]
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "用户名、姓名或单位"}),
    )
    role = forms.ChoiceField(
        label="角色", required=False, choices=[("", "全部角色"), *Role.choices]
    )


class LoginAttemptFilterForm(forms.Form):
    q = forms.CharField(
        label="用户名",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"placeholder": "用户名"}),
    )
    result = forms.ChoiceField(
        label="结果",
        required=False,
        choices=[("", "全部结果"), ("success", "成功"), ("failure", "失败")],
    )


# --- organizations ------------------------------------------------------------------------

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9_-]*$", "单位代码只能包含小写字母、数字、下划线和连字符，且以字母或数字开头"
)


class OrganizationEditForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=100)
    kind = forms.ChoiceField(label="单位类型", choices=OrgKind.choices)
    enforcement_basis = forms.ChoiceField(
        label="执法主体资格", choices=EnforcementBasis.choices, required=False
    )
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)


class OrganizationCreateForm(OrganizationEditForm):
    code = forms.CharField(
        label="单位代码",
        max_length=64,
        validators=[code_validator],
        help_text="英文小写字母、数字组成，创建后不可修改，例如 scj",
    )
    parent = forms.ModelChoiceField(
        label="上级单位", queryset=Organization.objects.none(), empty_label=None
    )
    field_order = ["code", "name", "parent", "kind", "enforcement_basis", "sort_order"]

    def __init__(self, *args: Any, parents: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]  # a new organization starts active
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["parent"].label_from_instance = _indented_name  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().lower()
        if code in RESERVED_SLUGS:
            raise forms.ValidationError(f"“{code}”是系统保留字，不能用作单位代码")
        return code


def _indented_name(org: Organization) -> str:
    return "　" * org.depth + org.name


# --- users --------------------------------------------------------------------------------


class NewPasswordMixin(forms.Form):
    """A new password typed twice. The strength rules are checked by the service."""

    new_password = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少10位，包含大写字母、小写字母、数字、符号中的三类",
    )
    new_password2 = forms.CharField(
        label="确认新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("new_password")
            and data.get("new_password2")
            and (data["new_password"] != data["new_password2"])
        ):
            self.add_error("new_password2", "两次输入的密码不一致")
        return data


class UserCreateForm(NewPasswordMixin):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        validators=[RegexValidator(r"^[A-Za-z0-9_.@-]+$", "用户名只能包含字母、数字和 _ . @ -")],
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    organization = forms.ModelChoiceField(
        label="所属单位", queryset=Organization.objects.none(), empty_label="请选择单位"
    )
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    field_order = [
        "username",
        "full_name",
        "organization",
        "phone",
        "new_password",
        "new_password2",
    ]

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password"].label = "初始密码"
        self.fields["new_password2"].label = "确认初始密码"
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["organization"].label_from_instance = _indented_name  # type: ignore[attr-defined]

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        if username.lower() in RESERVED_SLUGS:
            raise forms.ValidationError(f"“{username}”是系统保留字，不能用作用户名")
        return username

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone") or "").strip().replace(" ", "")
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(PHONE_ERROR)
        return phone


class ResetPasswordForm(NewPasswordMixin):
    pass


class PasswordChangeForm(NewPasswordMixin):
    old_password = forms.CharField(
        label="原密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "new_password", "new_password2"]


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    scope = forms.ChoiceField(label="数据范围", choices=DataScope.choices, initial=DataScope.OWN)


class RoleRevokeForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices, widget=forms.HiddenInput)


# --- calendar -----------------------------------------------------------------------------

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CalendarDayForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    is_workday = forms.TypedChoiceField(
        label="调整为",
        coerce=lambda v: v == "1",
        empty_value=None,
        choices=[("0", "放假（休息）"), ("1", "调休上班")],
    )
    note = forms.CharField(
        label="说明",
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "如：国庆节"}),
    )


class CalendarClearForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE_WIDGET)


class CalendarSeedForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2004, max_value=2100)


UNIT_CHOICES = [("days", "日"), ("working_days", "个工作日"), ("months", "个月"), ("years", "年")]


class DeadlineForm(forms.Form):
    start = forms.DateField(
        label="起算日", widget=DATE_WIDGET, help_text="期间开始之日（不计入期间）"
    )
    n = forms.IntegerField(label="期间", min_value=1, max_value=3650, initial=15)
    unit = forms.ChoiceField(label="单位", choices=UNIT_CHOICES, initial="days")
    law = forms.ChoiceField(label="适用法律", choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        laws = day_counting_laws()
        self.fields["law"].choices = laws  # type: ignore[attr-defined]
        self.fields["law"].initial = laws[0][0] if laws else ""
        self.fields["start"].initial = timezone.localdate()
