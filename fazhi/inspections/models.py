"""双随机、一公开: 一单两库一细则, plans and tasks, draws, inspection records.

* 一单: the random-inspection item list (:class:`InspectionItem`, per department, 一般 / 重点,
  linked to catalog items; 国办发〔2015〕58号 二（一）, LEGAL-RULES RI-1).
* 两库: the inspected-entity directory (:class:`Entity`, market entities by 统一社会信用代码,
  with industry, township and the credit-risk class A–D) and the inspector directory
  (:class:`Inspector`: a certified officer with qualifications, township and declared
  relationships for recusal, :class:`Relationship`) (58号 二（二）, RI-2).
* Plans (:class:`Plan`, departmental or joint: one plan, several departments, one visit —
  58号 三（三）, RI-6) are made of tasks (:class:`Task`); a task's draw (``fazhi.draws``) picks
  the entities and the inspectors; each drawn entity gets an :class:`InspectionRecord`
  whose result is published (RI-4).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.catalog.models import EnforcementItem, Officer
from fazhi.core.models import Organization, TimeStampedModel
from fazhi.draws.models import Draw


class ItemKind(models.TextChoices):
    GENERAL = "general", "一般检查事项"
    KEY = "key", "重点检查事项"


class RiskClass(models.TextChoices):
    """信用风险分类 (SAMR's monthly A/B/C/D classification; LEGAL-RULES §6.3 (b))."""

    A = "A", "A类（信用风险低）"
    B = "B", "B类（信用风险一般）"
    C = "C", "C类（信用风险较高）"
    D = "D", "D类（信用风险高）"


class InspectionItem(TimeStampedModel):
    """抽查事项: what may be inspected, on what basis, by whom and how."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="inspection_items",
        verbose_name="抽查主体",
    )
    code = models.CharField("事项编码", max_length=64, unique=True)
    name = models.CharField("抽查事项", max_length=300)
    kind = models.CharField("事项类别", max_length=16, choices=ItemKind.choices)
    basis = models.TextField("抽查依据")
    content = models.TextField("抽查内容", blank=True)
    method = models.CharField("抽查方式", max_length=100, default="现场检查")
    qualification = models.CharField(
        "检查人员应具备的资格（执法领域）",
        max_length=50,
        help_text="与检查人员名录库的“资格”一致，例如“食品”“特种设备”。",
    )
    catalog_items = models.ManyToManyField(
        EnforcementItem, blank=True, related_name="inspection_items", verbose_name="对应执法事项"
    )
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ["organization", "code"]
        verbose_name = "抽查事项"
        verbose_name_plural = "抽查事项清单"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Entity(TimeStampedModel):
    """检查对象: a market entity in the directory, as the credit publicity system lists it."""

    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("市场主体类型", max_length=50, blank=True)  # 有限责任公司, 个体工商户 …
    industry = models.CharField("行业", max_length=100)
    township = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="entities", verbose_name="所在乡镇"
    )
    address = models.CharField("住所（经营场所）", max_length=300, blank=True)
    risk_class = models.CharField("信用风险分类", max_length=1, choices=RiskClass.choices)
    licences = models.JSONField("许可证", default=list, blank=True)
    is_active = models.BooleanField("存续", default=True)

    class Meta:
        ordering = ["credit_code"]
        indexes = [models.Index(fields=["industry", "risk_class"])]
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象名录库"

    def __str__(self) -> str:
        return self.name


class Inspector(TimeStampedModel):
    """执法检查人员: a certified officer in the inspector directory."""

    officer = models.OneToOneField(
        Officer, on_delete=models.PROTECT, related_name="inspector", verbose_name="执法人员"
    )
    qualifications = models.JSONField("资格（执法领域）", default=list)
    township = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在（派驻）乡镇",
    )
    is_active = models.BooleanField("在库", default=True)

    class Meta:
        ordering = ["officer__certificate_number"]
        verbose_name = "执法检查人员"
        verbose_name_plural = "执法检查人员名录库"

    def __str__(self) -> str:
        return str(self.officer.name)


class Relationship(TimeStampedModel):
    """A relationship an inspector declared with an entity: he or she is never drawn for it
    (回避, 行政处罚法 第四十三条)."""

    inspector = models.ForeignKey(
        Inspector, on_delete=models.CASCADE, related_name="relationships", verbose_name="检查人员"
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.CASCADE, related_name="relationships", verbose_name="检查对象"
    )
    description = models.CharField("关系说明", max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "entity"], name="inspections_relation_once"
            )
        ]
        verbose_name = "回避关系"
        verbose_name_plural = "回避关系"


class PlanKind(models.TextChoices):
    DEPARTMENT = "department", "部门抽查计划"
    JOINT = "joint", "部门联合抽查计划"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    PUBLISHED = "published", "已公布"
    CLOSED = "closed", "已完成"


class Plan(TimeStampedModel):
    """An annual random-inspection plan: a department's own, or a joint one led by one body
    with several departments visiting each entity once (综合查一次)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="inspection_plans",
        verbose_name="牵头单位",
    )
    kind = models.CharField("计划类型", max_length=16, choices=PlanKind.choices)
    departments = models.ManyToManyField(
        Organization, related_name="joint_inspection_plans", blank=True, verbose_name="参加部门"
    )
    year = models.PositiveSmallIntegerField("年度")
    number = models.CharField("计划编号", max_length=100, unique=True)
    title = models.CharField("计划名称", max_length=200)
    items = models.ManyToManyField(InspectionItem, related_name="plans", verbose_name="抽查事项")
    # Sampling ratio by item kind and credit-risk class (fraction of the entities in scope),
    # e.g. {"general": {"A": "0.01", …, "D": "0.30"}, "key": {"A": "0.03", …}}; defaults from
    # the parameter INSPECTION_RATIO_BY_RISK_CLASS. The draw uses one kind's ratios for the
    # whole plan (services.drawing.quotas_for).
    ratios = models.JSONField("各风险类别抽查比例")
    industries = models.JSONField("检查对象行业范围", default=list, blank=True)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("完成日期")
    status = models.CharField(
        "状态", max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_on = models.DateField("公布日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="制定人"
    )

    class Meta:
        ordering = ["-year", "number"]
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    PLANNED = "planned", "待抽取"
    DRAWN = "drawn", "已抽取，检查中"
    DONE = "done", "检查完毕"
    PUBLISHED = "published", "结果已公示"


class Task(TimeStampedModel):
    """抽查任务: one round of a plan, with its own draw and deadline."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="tasks", verbose_name="抽查计划"
    )
    number = models.CharField("任务编号", max_length=100, unique=True)
    title = models.CharField("任务名称", max_length=200)
    due_on = models.DateField("检查完成期限")
    status = models.CharField(
        "状态", max_length=16, choices=TaskStatus.choices, default=TaskStatus.PLANNED
    )
    draw = models.OneToOneField(
        Draw,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task",
        verbose_name="当前有效的抽取",
    )
    finished_on = models.DateField("检查结束日期", null=True, blank=True)
    published_on = models.DateField("结果公示日期", null=True, blank=True)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "抽查任务"
        verbose_name_plural = "抽查任务"

    def __str__(self) -> str:
        return self.title


class Outcome(models.TextChoices):
    PASSED = "passed", "未发现问题"
    FAILED = "failed", "发现问题"
    RECTIFY = "rectify", "责令整改"
    REFERRED = "referred", "移送立案"
    NOT_FOUND = "not_found", "未发现（查无下落）"


class InspectionRecord(TimeStampedModel):
    """The inspection of one drawn entity in a task: who, when, what was found."""

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="records", verbose_name="抽查任务"
    )
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="inspections", verbose_name="检查对象"
    )
    inspectors = models.ManyToManyField(
        Inspector, related_name="inspections", verbose_name="检查人员"
    )
    substitutes = models.ManyToManyField(
        Inspector, related_name="+", blank=True, verbose_name="替补人员"
    )
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    outcome = models.CharField("检查结果", max_length=16, choices=Outcome.choices, blank=True)
    findings = models.TextField("检查情况", blank=True)
    evidence = models.JSONField("现场照片等（日志附件摘要）", default=list, blank=True)
    ledger_seq = models.PositiveBigIntegerField("结果日志序号", null=True, blank=True)

    class Meta:
        ordering = ["task", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "entity"], name="inspections_record_once")
        ]
        verbose_name = "抽查记录"
        verbose_name_plural = "抽查记录"
