"""A verifiable random draw: the commitment, the public randomness, the result (ARCHITECTURE §7).

The pools (candidates and inspectors, possibly a million records) are not columns: they are one
content-addressed file each (the ledger's attachment store), named by digest in the commitment's
ledger entry, so the row stays small and the file cannot change without the digest showing it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import Organization, TimeStampedModel


class Purpose(models.TextChoices):
    INSPECTION = "inspection", "双随机抽查"
    CASE_REVIEW = "case_review", "案卷评查"


class Method(models.TextChoices):
    RANKED = "ranked", "分层排序抽取（哈希排序）"
    RFC3797 = "rfc3797", "RFC 3797 公开可验证抽取"


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", "已承诺，待公布随机数"
    DRAWN = "drawn", "已抽取"
    FAILED = "failed", "无法完成（条件不能满足）"


class Draw(TimeStampedModel):
    organization = models.ForeignKey(
        Organization, verbose_name="组织单位", on_delete=models.PROTECT, related_name="draws"
    )
    purpose = models.CharField("用途", max_length=16, choices=Purpose.choices)
    title = models.CharField("抽取名称", max_length=200)
    method = models.CharField("方法", max_length=16, choices=Method.choices)
    status = models.CharField(
        "状态", max_length=16, choices=DrawStatus.choices, default=DrawStatus.COMMITTED
    )
    commitment = models.JSONField("承诺")
    commitment_digest = models.CharField("承诺摘要", max_length=64, unique=True)
    randomness_source = models.CharField("公开随机数来源", max_length=500)
    randomness_due = models.DateField("随机数产生日期")
    pool_file = models.CharField("候选名单文件摘要", max_length=64)
    inspector_file = models.CharField("检查人员名单文件摘要", max_length=64, blank=True)
    candidate_count = models.PositiveIntegerField("候选数")
    selected_count = models.PositiveIntegerField("抽取数")
    randomness = models.CharField("随机数", max_length=500, blank=True)
    randomness_evidence = models.CharField("随机数公开出处", max_length=500, blank=True)
    revealed_at = models.DateTimeField("公布随机数时间", null=True, blank=True)
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入随机数人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    result = models.JSONField("抽取结果", null=True, blank=True)
    failure = models.TextField("无法完成的原因", blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="重新抽取所替代的抽取",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    redraw_reason = models.CharField("重新抽取理由", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="承诺人", on_delete=models.PROTECT, related_name="+"
    )
    commit_seq = models.PositiveBigIntegerField("承诺日志序号")
    reveal_seq = models.PositiveBigIntegerField("抽取日志序号", null=True, blank=True)

    class Meta:
        verbose_name = "随机抽取"
        verbose_name_plural = "随机抽取"
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def stream(self) -> str:
        return f"draw.{self.organization.code}"
