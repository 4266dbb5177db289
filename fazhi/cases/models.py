"""Penalty cases (行政处罚案件) and the records of the three systems (三项制度).

A case moves through the transition table in :mod:`fazhi.cases.workflow`; every move is a
service in :mod:`fazhi.cases.services` that writes one `CaseStep` and one ledger entry. What
the public sees is only `Disclosure` rows: redacted, immutable snapshots (ARCHITECTURE §5
rule 5), one row per publication, correction or withdrawal.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from fazhi.cases.workflow import Status
from fazhi.catalog.models import EnforcementItem, Officer
from fazhi.core.models import Organization, TimeStampedModel, User
from fazhi.ledger.models import Attachment
from fazhi.rules.enforcement import PartyKind

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", "检查发现"
    COMPLAINT = "complaint", "投诉举报"
    REFERRAL = "referral", "移送"
    HOTLINE = "hotline", "12345热线"
    RANDOM_INSPECTION = "random_inspection", "双随机抽查发现"
    OTHER = "other", "其他"


class Procedure(models.TextChoices):
    SUMMARY = "summary", "简易程序"
    ORDINARY = "ordinary", "普通程序"


class Outcome(models.TextChoices):
    """The four outcomes of 行政处罚法 第五十七条第一款 (the fourth is a transfer)."""

    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    NOT_ESTABLISHED = "not_established", "违法事实不能成立，不予行政处罚"


class TransferTarget(models.TextChoices):
    OTHER_BODY = "other_body", "移送其他行政机关"
    JUDICIAL = "judicial", "涉嫌犯罪，移送司法机关（行刑衔接）"


class ServiceMethod(models.TextChoices):
    """送达方式 (第六十一条; 民事诉讼法 第七章)."""

    ON_SPOT = "on_spot", "当场交付"
    DIRECT = "direct", "直接送达"
    LEFT = "left", "留置送达"
    POST = "post", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达（当事人同意并签订确认书）"
    NOTICE = "notice", "公告送达"


class PenaltyCase(TimeStampedModel):
    """One administrative case from 案源 to 归档.

    Dates are dates (the law counts days, 民事诉讼法 第八十五条); every change of state is also
    a `CaseStep` with its time and actor. Money is in yuan.
    """

    number = models.CharField("案件编号", max_length=40, unique=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="penalty_cases",
        verbose_name="办案机关",
    )
    item = models.ForeignKey(
        EnforcementItem, on_delete=models.PROTECT, related_name="cases", verbose_name="执法事项"
    )
    # 公安机关办理的行政案件: same module, their own procedure parameters (police.* indicators).
    public_security = models.BooleanField("公安行政案件", default=False)
    title = models.CharField("案由", max_length=200)
    source = models.CharField("案源", max_length=20, choices=CaseSource.choices)
    source_detail = models.CharField("案源说明", max_length=500, blank=True)
    procedure = models.CharField(
        "程序", max_length=10, choices=Procedure.choices, default=Procedure.ORDINARY
    )
    status = models.CharField("阶段", max_length=20, choices=Status.choices(), db_index=True)
    status_before_suspension = models.CharField(
        "中止前阶段", max_length=20, choices=Status.choices(), blank=True
    )
    facts_text = models.TextField("违法事实", blank=True)
    act_date = models.DateField("违法行为发生日期")
    continuing_until = models.DateField("行为终了日期", null=True, blank=True)
    discovered_date = models.DateField("发现日期")

    received_on = models.DateField("案源登记日期")
    registered_on = models.DateField("立案日期", null=True, blank=True, db_index=True)
    noticed_on = models.DateField("告知日期", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True, db_index=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    paid_on = models.DateField("履行日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    ended_on = models.DateField("不予立案、撤销、移送或终止日期", null=True, blank=True)
    end_reason = models.TextField("不予立案、撤销、移送或终止理由", blank=True)
    transfer_target = models.CharField(
        "移送对象", max_length=12, choices=TransferTarget.choices, blank=True
    )
    transfer_recipient = models.CharField("接收机关", max_length=200, blank=True)
    # 双随机抽查 whose result was 移送立案: the case it opened (one case per record, checked by
    # receive_lead under the record's lock). PROTECT: a published result is never deleted.
    inspection_record = models.ForeignKey(
        "inspections.InspectionRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="双随机检查记录",
    )

    # Lenience (rules engine): the facts as entered, the decision with its trace and the
    # parameters' versions, and the derived flags the indicators filter on.
    facts = models.JSONField("裁量情节", default=dict, blank=True)
    evaluation = models.JSONField("裁量结论（含推理记录）", default=dict, blank=True)
    evaluated_on = models.DateField("裁量计算日期", null=True, blank=True)
    lenient = models.BooleanField("适用“四张清单”", default=False, db_index=True)
    lenient_list_kinds = models.JSONField("适用清单种类", default=list, blank=True)
    baseline_fine = models.DecimalField("不考虑从宽情节时的罚款", null=True, blank=True, **MONEY)
    hearing_right = models.BooleanField("应告知听证权利", default=False)
    legal_review_required = models.BooleanField("须经法制审核", default=False)
    discussion_required = models.BooleanField("须经负责人集体讨论", default=False)
    education_required = models.BooleanField("须对当事人进行教育", default=False)

    proposed_types = models.JSONField("拟处罚种类", default=list, blank=True)
    proposed_fine = models.DecimalField("拟罚款金额", null=True, blank=True, **MONEY)
    statement_text = models.TextField("陈述申辩意见", blank=True)
    statement_waived = models.BooleanField("明确放弃陈述申辩", default=False)

    outcome = models.CharField("处理结果", max_length=20, choices=Outcome.choices, blank=True)
    penalty_types = models.JSONField("处罚种类", default=list, blank=True)
    fine = models.DecimalField("罚款金额", null=True, blank=True, **MONEY)
    confiscation = models.DecimalField("没收违法所得", null=True, blank=True, **MONEY)
    decision_number = models.CharField("决定书文号", max_length=60, blank=True)
    reasoning = models.TextField("裁量说理", blank=True)
    deviation_reason = models.TextField("偏离裁量基准的理由", blank=True)
    deviation_approved_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="批准偏离裁量基准的负责人",
    )
    education_record = models.TextField("教育记录（第三十三条第三款）", blank=True)
    extension_days = models.PositiveIntegerField("已批准延长天数", default=0)
    service_method = models.CharField(
        "送达方式", max_length=12, choices=ServiceMethod.choices, blank=True
    )
    service_recipient = models.CharField("签收人", max_length=100, blank=True)
    paid_amount = models.DecimalField("已缴纳金额", null=True, blank=True, **MONEY)
    surcharge_paid = models.DecimalField("已缴纳加处罚款", null=True, blank=True, **MONEY)
    decision_revoked_on = models.DateField("决定被撤销或变更日期", null=True, blank=True)
    revocation_reason = models.TextField("决定被撤销或变更的理由", blank=True)

    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    # A double-click sends the same create twice: the second finds the first (idempotency).
    idempotency_key = models.CharField("幂等键", max_length=64, null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = "行政处罚案件"
        verbose_name_plural = "行政处罚案件"
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="case_idempotency_key_unique",
            )
        ]
        indexes = [
            # A status within one organization, newest first (the list filtered by 阶段).
            models.Index(
                fields=["organization", "status", "received_on", "id"], name="case_org_status"
            ),
            # The lenient cases (四张清单) of one organization: a few in a hundred, so without
            # it counting them scans the organization's every case.
            models.Index(
                fields=["organization", "lenient", "received_on", "id"], name="case_org_lenient"
            ),
            # The list's order: a page of the newest cases without sorting every case in scope.
            models.Index(fields=["-received_on", "-id"], name="case_list_order"),
            # The same order within one organization (an officer's list, a year's count):
            # bench/cases_load.py, COUNT of a year 71 ms → 1 ms at 200,000 cases.
            models.Index(fields=["organization", "received_on", "id"], name="case_org_received"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def state(self) -> Status:
        return Status(self.status)


class Party(models.Model):
    """当事人. A case may have several. ID numbers are validated (GB 11643 / GB 32100)."""

    case = models.ForeignKey(
        PenaltyCase, on_delete=models.CASCADE, related_name="parties", verbose_name="案件"
    )
    kind = models.CharField("当事人类型", max_length=16, choices=PartyKind.choices())
    name = models.CharField("姓名或名称", max_length=200)
    id_number = models.CharField("身份证号码或统一社会信用代码", max_length=18)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    legal_representative = models.CharField("法定代表人（负责人）", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("住所（地址）", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("序号", default=1)

    class Meta:
        ordering = ["case", "order"]
        verbose_name = "当事人"
        verbose_name_plural = "当事人"

    def __str__(self) -> str:
        return self.name


class CaseOfficer(models.Model):
    """An officer on the case (行政处罚法 第四十二条: at least two); recusal is 第四十三条."""

    case = models.ForeignKey(
        PenaltyCase, on_delete=models.CASCADE, related_name="case_officers", verbose_name="案件"
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="case_assignments", verbose_name="执法人员"
    )
    lead = models.BooleanField("主办", default=False)
    recused_on = models.DateField("回避日期", null=True, blank=True)
    recusal_reason = models.CharField("回避理由", max_length=300, blank=True)

    class Meta:
        ordering = ["case", "-lead", "id"]
        verbose_name = "办案人员"
        verbose_name_plural = "办案人员"
        constraints = [
            models.UniqueConstraint(fields=["case", "officer"], name="case_officer_unique")
        ]

    def __str__(self) -> str:
        return str(self.officer)


class CaseStep(models.Model):
    """One step of the case: the timeline, and the pointer to its ledger entry (全过程记录)."""

    case = models.ForeignKey(
        PenaltyCase, on_delete=models.CASCADE, related_name="steps", verbose_name="案件"
    )
    action = models.CharField("环节", max_length=40)
    label = models.CharField("环节名称", max_length=60)
    status_after = models.CharField("之后阶段", max_length=20, choices=Status.choices())
    on = models.DateField("日期")
    at = models.DateTimeField("记录时间", auto_now_add=True)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    note = models.TextField("说明", blank=True)
    data = models.JSONField("内容", default=dict, blank=True)
    ledger_seq = models.BigIntegerField("日志序号", db_index=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = "办案环节"
        verbose_name_plural = "办案环节"

    def __str__(self) -> str:
        return f"{self.case.number} {self.label}"


class EvidenceKind(models.TextChoices):
    """行政处罚法 第四十六条 closed list of evidence."""

    DOCUMENTARY = "documentary", "书证"
    PHYSICAL = "physical", "物证"
    AUDIOVISUAL = "audiovisual", "视听资料"
    ELECTRONIC = "electronic", "电子数据"
    WITNESS = "witness", "证人证言"
    PARTY_STATEMENT = "party_statement", "当事人的陈述"
    EXPERT_OPINION = "expert_opinion", "鉴定意见"
    RECORD = "record", "勘验笔录、现场笔录"


class Medium(models.TextChoices):
    PHOTO = "photo", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "录像"
    DOCUMENT = "document", "文书"
    OTHER = "other", "其他"


class Evidence(models.Model):
    """An evidence file of the case, stored content-addressed; its hash is in the step's entry."""

    case = models.ForeignKey(
        PenaltyCase, on_delete=models.CASCADE, related_name="evidence", verbose_name="案件"
    )
    step = models.ForeignKey(
        CaseStep, on_delete=models.PROTECT, related_name="evidence", verbose_name="环节"
    )
    attachment = models.ForeignKey(
        Attachment, on_delete=models.PROTECT, related_name="+", verbose_name="文件"
    )
    kind = models.CharField("证据种类", max_length=20, choices=EvidenceKind.choices)
    medium = models.CharField("载体", max_length=10, choices=Medium.choices)
    # Which enforcement activity it records (音像记录 list of 118号 三（八）, a parameter).
    activity = models.CharField("执法环节", max_length=40, blank=True)
    title = models.CharField("名称", max_length=200)
    collected_on = models.DateField("取证日期")

    class Meta:
        ordering = ["case", "id"]
        verbose_name = "证据"
        verbose_name_plural = "证据"

    def __str__(self) -> str:
        return self.title


class EvidenceHold(models.Model):
    """先行登记保存 (第五十六条): approved by the head, handled within 7 working days."""

    case = models.ForeignKey(
        PenaltyCase, on_delete=models.CASCADE, related_name="holds", verbose_name="案件"
    )
    description = models.TextField("登记保存物品")
    held_on = models.DateField("登记保存日期")
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="批准负责人"
    )
    handled_on = models.DateField("处理决定日期", null=True, blank=True)
    handling = models.CharField("处理决定", max_length=300, blank=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = "先行登记保存"
        verbose_name_plural = "先行登记保存"

    def __str__(self) -> str:
        return f"{self.case.number} 先行登记保存（{self.held_on}）"


class ReviewOpinion(models.TextChoices):
    APPROVED = "approved", "同意"
    PROBLEMS = "problems", "存在问题"


class LegalReview(models.Model):
    """法制审核 (第五十八条; 118号 四（十三）): a written opinion by a non-handling reviewer."""

    case = models.ForeignKey(
        PenaltyCase, on_delete=models.CASCADE, related_name="legal_reviews", verbose_name="案件"
    )
    submitted_on = models.DateField("送审日期")
    reviewer = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    opinion = models.CharField("审核意见", max_length=10, choices=ReviewOpinion.choices, blank=True)
    checklist = models.JSONField("审核要点", default=dict, blank=True)
    comments = models.TextField("书面审核意见", blank=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = "法制审核"
        verbose_name_plural = "法制审核"

    def __str__(self) -> str:
        return f"{self.case.number} 法制审核（{self.submitted_on}）"


class Discussion(models.Model):
    """负责人集体讨论 (第五十七条第二款)."""

    case = models.ForeignKey(
        PenaltyCase, on_delete=models.CASCADE, related_name="discussions", verbose_name="案件"
    )
    held_on = models.DateField("讨论日期")
    participants = models.TextField("参加人员")
    conclusion = models.TextField("讨论结论")

    class Meta:
        ordering = ["case", "id"]
        verbose_name = "集体讨论"
        verbose_name_plural = "集体讨论"

    def __str__(self) -> str:
        return f"{self.case.number} 集体讨论（{self.held_on}）"


class Hearing(models.Model):
    """听证 (第六十三条、第六十四条)."""

    case = models.OneToOneField(
        PenaltyCase, on_delete=models.CASCADE, related_name="hearing", verbose_name="案件"
    )
    requested_on = models.DateField("申请日期")
    notified_on = models.DateField("通知日期", null=True, blank=True)
    scheduled_on = models.DateField("举行日期", null=True, blank=True)
    location = models.CharField("地点", max_length=200, blank=True)
    host = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="主持人",
    )
    public = models.BooleanField("公开举行", default=True)
    held = models.BooleanField("已举行", default=False)
    record = models.TextField("听证笔录摘要", blank=True)

    class Meta:
        verbose_name = "听证"
        verbose_name_plural = "听证"

    def __str__(self) -> str:
        return f"{self.case.number} 听证"


class Extension(models.Model):
    """延长办案期限 (第六十条 “法律、法规、规章另有规定的，从其规定”; SAMR-64)."""

    case = models.ForeignKey(
        PenaltyCase, on_delete=models.CASCADE, related_name="extensions", verbose_name="案件"
    )
    days = models.PositiveIntegerField("延长天数")
    reason = models.TextField("理由")
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="批准人"
    )
    collective = models.BooleanField("经集体讨论决定", default=False)
    on = models.DateField("批准日期")

    class Meta:
        ordering = ["case", "id"]
        verbose_name = "延长办案期限"
        verbose_name_plural = "延长办案期限"

    def __str__(self) -> str:
        return f"{self.case.number} 延长{self.days}日"


class RemedyKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION = "litigation", "行政诉讼"


class RemedyPeriod(models.Model):
    """A reconsideration or lawsuit against the decision: no surcharge accrues (第七十三条)."""

    case = models.ForeignKey(
        PenaltyCase, on_delete=models.CASCADE, related_name="remedies", verbose_name="案件"
    )
    kind = models.CharField("类型", max_length=20, choices=RemedyKind.choices)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    class Meta:
        ordering = ["case", "started_on"]
        verbose_name = "复议诉讼期间"
        verbose_name_plural = "复议诉讼期间"

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"


class CaseDocument(models.Model):
    """A generated official document (.docx), numbered, with its ledger receipt."""

    case = models.ForeignKey(
        PenaltyCase, on_delete=models.CASCADE, related_name="documents", verbose_name="案件"
    )
    kind = models.CharField("文书种类", max_length=40)
    title = models.CharField("文书名称", max_length=100)
    number = models.CharField("文书编号", max_length=80)
    attachment = models.ForeignKey(
        Attachment, on_delete=models.PROTECT, related_name="+", verbose_name="文件"
    )
    issued_on = models.DateField("制作日期")
    ledger_seq = models.BigIntegerField("日志序号")

    class Meta:
        ordering = ["case", "id"]
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"


class DisclosureAction(models.TextChoices):
    PUBLISH = "publish", "公开"
    CORRECT = "correct", "更正"
    WITHDRAW = "withdraw", "撤回"


class Disclosure(models.Model):
    """行政处罚决定公示: one immutable, redacted snapshot per publication event.

    The portal shows the row with ``is_current`` unless its action is a withdrawal; older rows
    stay as the visible history of corrections (ARCHITECTURE §5 rule 5).
    """

    case = models.ForeignKey(
        PenaltyCase, on_delete=models.PROTECT, related_name="disclosures", verbose_name="案件"
    )
    version = models.PositiveIntegerField("版本")
    action = models.CharField("操作", max_length=10, choices=DisclosureAction.choices)
    snapshot = models.JSONField("公开内容（已脱敏）")
    reason = models.TextField("更正或撤回理由", blank=True)
    on = models.DateField("公开日期")
    due_on = models.DateField("应公开（撤回）期限")
    on_time = models.BooleanField("按期")
    is_current = models.BooleanField("当前版本", default=True, db_index=True)
    ledger_seq = models.BigIntegerField("日志序号")
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = "行政处罚决定公示"
        verbose_name_plural = "行政处罚决定公示"
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="disclosure_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case.number} 公示第{self.version}版（{self.get_action_display()}）"


# --- 案卷评查 (case-file review, 吉林省行政执法监督条例 第二十条、第二十八条至第三十条) ---


class ReviewPlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    COMMITTED = "committed", "已承诺，待公布随机数"
    DRAWN = "drawn", "已抽取，评查中"
    FAILED = "failed", "抽取未能完成"


class ReviewPlan(TimeStampedModel):
    """评查计划: a supervising body samples the closed case files of departments at random.

    The sample is a verifiable draw (``fazhi.draws``): ``draw`` is the current one; a re-draw
    is a new commitment that names the one it replaces, and both stay on record. ``sheet`` is
    the scoring sheet copied when the plan was made (``fazhi.cases.review``).
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="review_plans", verbose_name="评查机关"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("评查名称", max_length=200)
    departments = models.ManyToManyField(Organization, related_name="+", verbose_name="被评查部门")
    sample_size = models.PositiveSmallIntegerField("每部门抽取案卷数", null=True, blank=True)
    sample_percent = models.PositiveSmallIntegerField("每部门抽取比例（%）", null=True, blank=True)
    closed_from = models.DateField("结案日期起")
    closed_to = models.DateField("结案日期止")
    sheet = models.JSONField("评分表")
    status = models.CharField(
        "状态", max_length=16, choices=ReviewPlanStatus.choices, default=ReviewPlanStatus.DRAFT
    )
    draw = models.ForeignKey(
        "draws.Draw",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="当前抽取",
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    ledger_seq = models.BigIntegerField("日志序号")

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = "案卷评查计划"
        verbose_name_plural = "案卷评查计划"

    def __str__(self) -> str:
        return self.title

    @property
    def stream(self) -> str:
        return f"review.{self.organization.code}"


class CaseReview(models.Model):
    """One drawn case file and its scores against the plan's sheet.

    ``scores``: criterion code → {"score": int, "note": str}. Rows belong to the draw that
    picked them, so the reviews of a replaced draw remain, and only the plan's current draw
    counts.
    """

    plan = models.ForeignKey(
        ReviewPlan, on_delete=models.PROTECT, related_name="reviews", verbose_name="评查计划"
    )
    draw = models.ForeignKey(
        "draws.Draw", on_delete=models.PROTECT, related_name="+", verbose_name="抽取"
    )
    case = models.ForeignKey(
        PenaltyCase, on_delete=models.PROTECT, related_name="file_reviews", verbose_name="案卷"
    )
    rank = models.PositiveIntegerField("抽取名次")
    scores = models.JSONField("评分", default=dict, blank=True)
    total = models.DecimalField("总分", max_digits=5, decimal_places=1, null=True, blank=True)
    findings = models.TextField("评查意见（发现的问题）", blank=True)
    reviewers = models.ManyToManyField(User, related_name="+", verbose_name="评查人")
    scored_on = models.DateField("评分日期", null=True, blank=True, db_index=True)
    ledger_seq = models.BigIntegerField("日志序号", null=True, blank=True)

    class Meta:
        ordering = ["plan", "case__organization__path", "rank"]
        verbose_name = "案卷评查"
        verbose_name_plural = "案卷评查"
        constraints = [
            models.UniqueConstraint(fields=["draw", "case"], name="case_review_draw_case_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case.number} 评查"


class OpinionStatus(models.TextChoices):
    ISSUED = "issued", "已制发，待送达"
    RECEIVED = "received", "已送达，整改中"
    RECHECK = "recheck", "申请复查中"
    ANSWERED = "answered", "已报送整改报告"


class SupervisionOpinion(models.Model):
    """《行政执法监督意见书》 to a department from a review's findings (第二十八条、第二十九条).

    Rectification and its written report are due 30 working days after the department
    receives it (第二十九条第二款); an objection may ask for re-examination within 15 working
    days, answered within 15 more (第三十条). Both periods are dated parameters.
    """

    plan = models.ForeignKey(
        ReviewPlan, on_delete=models.PROTECT, related_name="opinions", verbose_name="评查计划"
    )
    department = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="被监督部门"
    )
    number = models.CharField("文号", max_length=80, unique=True)
    findings = models.TextField("发现的问题")
    requirements = models.TextField("处理意见和整改要求")
    issued_on = models.DateField("制发日期")
    attachment = models.ForeignKey(
        Attachment, on_delete=models.PROTECT, related_name="+", verbose_name="意见书文件"
    )
    status = models.CharField(
        "状态", max_length=16, choices=OpinionStatus.choices, default=OpinionStatus.ISSUED
    )
    received_on = models.DateField("收到日期", null=True, blank=True)
    due_on = models.DateField("整改报告期限", null=True, blank=True, db_index=True)
    recheck_until = models.DateField("申请复查期限", null=True, blank=True)
    recheck_requested_on = models.DateField("申请复查日期", null=True, blank=True)
    recheck_reason = models.TextField("复查理由", blank=True)
    recheck_due_on = models.DateField("复查答复期限", null=True, blank=True)
    recheck_answered_on = models.DateField("复查答复日期", null=True, blank=True)
    recheck_answer = models.TextField("复查答复", blank=True)
    recheck_upheld = models.BooleanField("维持原意见", null=True, blank=True)
    report = models.TextField("整改情况书面报告", blank=True)
    report_attachment = models.ForeignKey(
        Attachment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="整改报告附件",
    )
    answered_on = models.DateField("报送日期", null=True, blank=True)
    answered_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报送人",
    )
    on_time = models.BooleanField("按期报送", null=True, blank=True)
    ledger_seq = models.BigIntegerField("制发日志序号")

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = "行政执法监督意见书"
        verbose_name_plural = "行政执法监督意见书"

    def __str__(self) -> str:
        return f"{self.number} 行政执法监督意见书"
