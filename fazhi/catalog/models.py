"""The enforcement catalog: bodies, officers, items, lenient lists and discretion benchmarks.

Staff maintain these rows (by page, API or Excel import, always through ``services``); the
pure rules in :mod:`fazhi.rules.lenience` decide cases from them. Choices come from the shared
vocabulary :mod:`fazhi.rules.enforcement` so the database and the rules speak the same words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from fazhi.core.models import Organization, TimeStampedModel, User
from fazhi.ledger.models import Attachment
from fazhi.rules.enforcement import (
    FineBasis,
    ItemCategory,
    ListKind,
    Severity,
    Treatment,
)
from fazhi.rules.parameters import format_date_zh

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class EnforcementBody(TimeStampedModel):
    """执法主体: an organization with enforcement standing, and the basis of that standing.

    Its kind (法定 / 受委托 / 授权) is ``organization.enforcement_basis``; this row adds what the
    report and 事前公示 need: the legal basis of the authority and, for an entrusted
    organization, the body that entrusted it (行政处罚法 第二十条).
    """

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="enforcement_body", verbose_name="单位"
    )
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    authority_basis = models.TextField("执法主体资格依据")
    entrusting_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entrusted_bodies",
        verbose_name="委托机关",
    )
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ["organization__path"]
        verbose_name = "执法主体"
        verbose_name_plural = "执法主体"

    def __str__(self) -> str:
        return self.organization.name


class OfficerStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"


class Officer(TimeStampedModel):
    """执法人员 with an enforcement certificate (行政处罚法 第四十二条: 具有行政执法资格)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="officers", verbose_name="所属执法主体"
    )
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officer",
        verbose_name="系统账号",
    )
    name = models.CharField("姓名", max_length=50)
    certificate_number = models.CharField("执法证号", max_length=32, unique=True)
    issuing_authority = models.CharField("发证机关", max_length=100)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至")
    fields = models.CharField("执法领域", max_length=200, blank=True)
    status = models.CharField(
        "证件状态", max_length=16, choices=OfficerStatus.choices, default=OfficerStatus.ACTIVE
    )
    status_reason = models.CharField("状态说明", max_length=200, blank=True)

    class Meta:
        ordering = ["organization__path", "certificate_number"]
        verbose_name = "执法人员"
        verbose_name_plural = "执法人员"

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"

    def certificate_problem(self, on: dt.date) -> str:
        """Why this officer may not be assigned to a case or inspection on ``on`` ("" if fine).

        行政处罚法 第四十二条: only officers with enforcement standing may act; 第七十六条（五）
        makes acting without a certificate a ground for liability.
        """
        label = f"执法人员{self.name}（执法证号{self.certificate_number}）"
        if self.status == OfficerStatus.SUSPENDED:
            return f"{label}的执法证已暂扣，不能分配执法任务"
        if self.status == OfficerStatus.REVOKED:
            return f"{label}的执法证已注销，不能分配执法任务"
        if on < self.valid_from:
            return f"{label}的执法证自{format_date_zh(self.valid_from)}起有效，尚未生效"
        if on > self.valid_until:
            return f"{label}的执法证已于{format_date_zh(self.valid_until)}过期，不能分配执法任务"
        return ""


class TrainingKind(models.TextChoices):
    ONLINE = "online", "网络培训"
    PROFESSIONAL = "professional", "专业法律知识培训"


class TrainingRecord(TimeStampedModel):
    """Training hours: the report counts 20 online + 40 professional hours per officer a year."""

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="trainings", verbose_name="执法人员"
    )
    kind = models.CharField("培训类型", max_length=16, choices=TrainingKind.choices)
    title = models.CharField("培训名称", max_length=200)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"


class ShadowingAssignment(TimeStampedModel):
    """跟案学习: a new or training officer follows an experienced one on real cases."""

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="shadowing", verbose_name="学习人员"
    )
    mentor = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="mentees", verbose_name="带教人员"
    )
    case_reference = models.CharField("跟学案件", max_length=200)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "pk"]
        verbose_name = "跟案学习"
        verbose_name_plural = "跟案学习"


class EnforcementItem(TimeStampedModel):
    """执法事项: one power in the enforcement-item list, with its legal basis and penalty range."""

    code = models.CharField("事项编码", max_length=64, unique=True)
    name = models.CharField("事项名称", max_length=300)
    category = models.CharField("事项类别", max_length=16, choices=ItemCategory.choices())
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="enforcement_items",
        verbose_name="实施主体",
    )
    basis_law = models.CharField("法律依据（法律法规名称）", max_length=200)
    basis_article = models.CharField("条", max_length=50)
    basis_paragraph = models.CharField("款、项", max_length=50, blank=True)
    basis_text = models.TextField("依据条文", blank=True)
    # Values of fazhi.rules.enforcement.PenaltyType (行政处罚法 第九条), for 行政处罚 items.
    penalty_types = models.JSONField("处罚种类", default=list, blank=True)
    fine_basis = models.CharField(
        "罚款表述", max_length=16, choices=FineBasis.choices(), blank=True, default=""
    )
    fine_min = models.DecimalField("法定罚款下限", null=True, blank=True, **MONEY)
    fine_max = models.DecimalField("法定罚款上限", null=True, blank=True, **MONEY)
    effective_from = models.DateField("列入清单日期")
    is_active = models.BooleanField("有效", default=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["organization", "category"])]
        verbose_name = "执法事项"
        verbose_name_plural = "执法事项"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def citation(self) -> str:
        """《法》第N条第M款 as it is cited in documents."""
        law = self.basis_law if self.basis_law.startswith("《") else f"《{self.basis_law}》"
        return f"{law}{self.basis_article}{self.basis_paragraph}"


class DelegationConclusion(models.TextChoices):
    KEEP = "keep", "继续下放"
    ADJUST = "adjust", "调整"
    WITHDRAW = "withdraw", "收回"


class Delegation(TimeStampedModel):
    """下放乡镇事项: a county item whose exercise was delegated to a township."""

    item = models.ForeignKey(
        EnforcementItem,
        on_delete=models.PROTECT,
        related_name="delegations",
        verbose_name="执法事项",
    )
    township = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="delegated_items",
        verbose_name="承接乡镇",
    )
    decided_on = models.DateField("下放日期")
    document_number = models.CharField("下放文件文号", max_length=100)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ["-decided_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "township"], name="catalog_delegation_once")
        ]
        verbose_name = "下放乡镇事项"
        verbose_name_plural = "下放乡镇事项"


class DelegationEvaluation(TimeStampedModel):
    """An evaluation of a delegated item (the report: 评估下放乡镇县级行政执法权限53项)."""

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="evaluations", verbose_name="下放事项"
    )
    evaluated_on = models.DateField("评估日期")
    conclusion = models.CharField("评估结论", max_length=16, choices=DelegationConclusion.choices)
    opinion = models.TextField("评估意见")

    class Meta:
        ordering = ["-evaluated_on", "pk"]
        verbose_name = "下放事项评估"
        verbose_name_plural = "下放事项评估"


class LenientList(TimeStampedModel):
    """One published version of a lenient-enforcement list (四张清单 or 首违不罚清单)."""

    kind = models.CharField("清单类型", max_length=16, choices=ListKind.choices())
    title = models.CharField("清单名称", max_length=200)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="lenient_lists",
        verbose_name="制定单位",
    )
    version = models.CharField("版本", max_length=50)
    document_number = models.CharField("文号", max_length=100, blank=True)
    effective_from = models.DateField("施行日期")
    effective_until = models.DateField("失效日期", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    class Meta:
        ordering = ["kind", "organization__path", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organization", "version"], name="catalog_list_version_once"
            )
        ]
        verbose_name = "包容审慎监管清单"
        verbose_name_plural = "包容审慎监管清单"

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class LenientListEntry(TimeStampedModel):
    """One entry of a list: the item, its conditions (structured and in words) and basis."""

    lenient_list = models.ForeignKey(
        LenientList, on_delete=models.CASCADE, related_name="entries", verbose_name="清单"
    )
    number = models.PositiveIntegerField("序号")
    item = models.ForeignKey(
        EnforcementItem,
        on_delete=models.PROTECT,
        related_name="list_entries",
        verbose_name="执法事项",
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="list_entries", verbose_name="实施部门"
    )
    violation = models.CharField("违法行为", max_length=300)
    legal_basis = models.TextField("法律依据")
    condition_text = models.TextField("适用条件")
    # Structured conditions, fazhi.rules.enforcement.ListConditions as JSON (see conditions.py).
    conditions = models.JSONField("适用条件（结构化）", default=dict)

    class Meta:
        ordering = ["lenient_list", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["lenient_list", "number"], name="catalog_list_entry_number_once"
            )
        ]
        indexes = [models.Index(fields=["item", "lenient_list"])]
        verbose_name = "清单事项"
        verbose_name_plural = "清单事项"


class StandardLevel(models.TextChoices):
    NATIONAL = "national", "国家"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class DiscretionStandard(TimeStampedModel):
    """裁量基准 for one item (国办发〔2022〕27号): DB-6 fields, DB-5 ``parent``."""

    item = models.ForeignKey(
        EnforcementItem, on_delete=models.PROTECT, related_name="standards", verbose_name="执法事项"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="standards", verbose_name="制定单位"
    )
    level = models.CharField("制定层级", max_length=16, choices=StandardLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refinements",
        verbose_name="上级基准",
    )
    title = models.CharField("基准名称", max_length=200)
    version = models.CharField("版本", max_length=50)
    violation = models.CharField("违法行为", max_length=300)
    legal_basis = models.TextField("法定依据")
    effective_from = models.DateField("施行日期")
    effective_until = models.DateField("失效日期", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)

    class Meta:
        ordering = ["item__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "organization", "version"], name="catalog_standard_version_once"
            )
        ]
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class DiscretionTier(models.Model):
    """One tier (阶次) of a benchmark, with its 情节 level and fine range."""

    standard = models.ForeignKey(
        DiscretionStandard, on_delete=models.CASCADE, related_name="tiers", verbose_name="裁量基准"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    treatment = models.CharField("裁量阶次", max_length=16, choices=Treatment.choices())
    severity = models.CharField(
        "情节", max_length=16, choices=Severity.choices(), blank=True, default=""
    )
    fine_min = models.DecimalField("罚款下限", null=True, blank=True, **MONEY)
    fine_max = models.DecimalField("罚款上限", null=True, blank=True, **MONEY)
    condition_text = models.TextField("适用条件")
    standard_text = models.TextField("具体标准")

    class Meta:
        ordering = ["standard", "order", "pk"]
        verbose_name = "裁量阶次"
        verbose_name_plural = "裁量阶次"

    def __str__(self) -> str:
        return f"{self.get_treatment_display()} {self.get_severity_display()}".strip()


class ImportKind(models.TextChoices):
    BODIES = "bodies", "执法主体"
    OFFICERS = "officers", "执法人员"
    ITEMS = "items", "执法事项"
    LIST_ENTRIES = "list_entries", "包容审慎监管清单事项"
    STANDARDS = "standards", "裁量基准"


# Every importable kind with its label: the catalog's own, plus those other apps register
# (fazhi.catalog.imports.register, from their AppConfig.ready()). The catalog never imports
# them; ImportJob.kind takes its choices from here when they are asked for.
IMPORT_KIND_LABELS: dict[str, str] = dict(ImportKind.choices)


def import_kind_choices() -> list[tuple[str, str]]:
    return list(IMPORT_KIND_LABELS.items())


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    VALIDATING = "validating", "校验中"
    INVALID = "invalid", "校验未通过"
    READY = "ready", "校验通过，待导入"
    APPLYING = "applying", "导入中"
    DONE = "done", "已导入"
    FAILED = "failed", "导入失败"


class ImportJob(TimeStampedModel):
    """An Excel import, validated in full (dry run) before any row is applied.

    Progress lives here, in the database, so any web process can show it while a worker
    thread or ``fazhi catalog import`` does the work (ARCHITECTURE §10: no shared memory).
    """

    kind = models.CharField("导入内容", max_length=16, choices=import_kind_choices)
    status = models.CharField(
        "状态", max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, verbose_name="上传文件")
    # The file's cells as read by the dry run (JSON, content-addressed like the file): applying
    # validates them again without parsing the workbook a second time.
    cells = models.ForeignKey(
        Attachment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="解析后的单元格",
    )
    original_name = models.CharField("文件名", max_length=255)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, verbose_name="导入人")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, verbose_name="导入单位"
    )
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    summary = models.JSONField("结果摘要", default=dict, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "导入任务"
        verbose_name_plural = "导入任务"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}导入 {self.original_name}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
