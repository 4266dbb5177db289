"""Organizations, users and their roles: who may see and do what, for which organization."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models

from fazhi.core.choices import DataScope, EnforcementBasis, OrgKind, Role


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class Organization(TimeStampedModel):
    """A node of the county's organization tree (单位). `path` makes subtree reads one query."""

    code = models.SlugField("单位代码", max_length=64, unique=True)
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("单位类型", max_length=32, choices=OrgKind.choices)
    enforcement_basis = models.CharField(
        "执法主体资格", max_length=16, choices=EnforcementBasis.choices, blank=True, default=""
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized path of codes, "/county/dept/", so subtree = path__startswith (portable).
    path = models.CharField(max_length=1000, editable=False, db_index=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class User(AbstractUser):
    """A person who logs in. Belongs to one organization; holds roles through RoleAssignment."""

    full_name = models.CharField("姓名", max_length=50, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField("手机号码", max_length=20, blank=True)
    failed_login_count = models.PositiveIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        ordering = ["username"]
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    def is_locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now


class RoleAssignment(TimeStampedModel):
    """One role held by one user, with the data scope it grants."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    scope = models.CharField(
        "数据范围", max_length=16, choices=DataScope.choices, default=DataScope.OWN
    )

    class Meta:
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="core_role_once_per_user")
        ]
        verbose_name = "角色授予"
        verbose_name_plural = "角色授予"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class CalendarDay(TimeStampedModel):
    """An exception to the Mon–Fri rule: a holiday (放假) or a make-up working day (调休上班).

    Seeded from chinese-calendar and editable, because the State Council publishes each
    year's holidays late (ARCHITECTURE §5 rule 3).
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'} {self.note}"


class LoginAttempt(models.Model):
    """Every login attempt, successful or not (ASVS 16.3.1; 等保 8.1.4.3)."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    username = models.CharField("用户名", max_length=150)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL)
    succeeded = models.BooleanField("是否成功")
    reason = models.CharField("结果说明", max_length=100)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "登录记录"
        verbose_name_plural = "登录记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.reason}"


class ApiToken(TimeStampedModel):
    """A bearer token for machines calling the REST API (/api/v1/) on a user's behalf.

    Only the SHA-256 of the token is stored: the token itself is shown once, when issued.
    A fast hash is enough (and lets the lookup use an index) because the token is 256
    random bits, not a password a person chose.
    """

    user = models.ForeignKey(
        User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=100)
    # The first characters of the token, so its owner can tell tokens apart in a list.
    prefix = models.CharField("令牌前缀", max_length=16)
    token_hash = models.CharField("令牌哈希（SHA-256）", max_length=64, unique=True)
    expires_at = models.DateTimeField("过期时间")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "接口访问令牌"
        verbose_name_plural = "接口访问令牌"

    def __str__(self) -> str:
        return f"{self.user} · {self.name} ({self.prefix}…)"

    def is_usable(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
