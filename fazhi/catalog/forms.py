"""Forms of the catalog pages. They parse and check the shape of input; the services decide.

Choice lists (organizations, officers, standards) are passed in by the views from the scoped
selectors, so a form never offers a row outside the user's data scope.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy

from fazhi.catalog.models import (
    DelegationConclusion,
    DiscretionStandard,
    Officer,
    OfficerStatus,
    StandardLevel,
    TrainingKind,
)
from fazhi.core.choices import EnforcementBasis
from fazhi.core.models import Organization, User
from fazhi.rules.enforcement import (
    Circumstance,
    FineBasis,
    HarmLevel,
    ItemCategory,
    ListKind,
    MentalCapacity,
    PartyKind,
    PenaltyType,
    Severity,
    Treatment,
)
from fazhi.rules.lenience import Facts, LenienceError

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal(0)}
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _org_label(org: Organization) -> str:
    return "　" * org.depth + org.name


def _set_queryset(form: forms.Form, name: str, qs: QuerySet[Any]) -> None:
    field = form.fields[name]
    field.queryset = qs  # type: ignore[attr-defined]
    if qs.model is Organization:
        field.label_from_instance = _org_label  # type: ignore[attr-defined]


def _with_all(choices: list[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


# --- list filters ------------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "关键词", "type": "search"}),
    )


class BodyFilterForm(SearchForm):
    kind = forms.ChoiceField(
        label="主体类型",
        required=False,
        choices=_with_all([c for c in EnforcementBasis.choices if c[0]], "全部类型"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "单位名称或统一社会信用代码"


class OrganizationChoiceMixin(forms.Form):
    """A filter by organization code, offered from the organizations the user may see."""

    organization = forms.ChoiceField(label="单位", required=False, choices=())

    def set_organizations(self, orgs: QuerySet[Organization]) -> None:
        self.fields["organization"].choices = _with_all(  # type: ignore[attr-defined]
            [(o.code, _org_label(o)) for o in orgs], "全部单位"
        )


class OfficerFilterForm(SearchForm, OrganizationChoiceMixin):
    status = forms.ChoiceField(
        label="证件状态", required=False, choices=_with_all(OfficerStatus.choices, "全部状态")
    )
    validity = forms.ChoiceField(
        label="有效期",
        required=False,
        choices=[("", "全部"), ("expired", "已过期"), ("valid", "在有效期内")],
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_organizations(organizations)
        self.fields["q"].widget.attrs["placeholder"] = "姓名或执法证号"


class ItemFilterForm(SearchForm, OrganizationChoiceMixin):
    category = forms.ChoiceField(
        label="事项类别", required=False, choices=_with_all(ItemCategory.choices(), "全部类别")
    )
    published = forms.ChoiceField(
        label="公示状态",
        required=False,
        choices=[("", "全部"), ("yes", "已公示"), ("no", "未公示")],
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_organizations(organizations)
        self.fields["q"].widget.attrs["placeholder"] = "事项编码、名称或法律依据"


class ListFilterForm(SearchForm):
    kind = forms.ChoiceField(
        label="清单类型", required=False, choices=_with_all(ListKind.choices(), "全部清单")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "清单名称或制定单位"


class StandardFilterForm(SearchForm):
    published = forms.ChoiceField(
        label="公布状态",
        required=False,
        choices=[("", "全部"), ("yes", "已公布"), ("no", "未公布")],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "事项编码、名称或基准名称"


# --- 执法主体 ---------------------------------------------------------------------------------


class BodyForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="单位",
        queryset=Organization.objects.none(),
        empty_label="请选择具有执法主体资格的单位",
        help_text="单位的执法主体资格（法定、受委托、授权）在“单位管理”中登记",
    )
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30)
    authority_basis = forms.CharField(
        label="执法主体资格依据", widget=TEXTAREA, help_text="设定或授权、委托该主体执法的法律法规"
    )
    entrusting_organization = forms.ModelChoiceField(
        label="委托机关",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="（非受委托组织不填）",
        help_text="受委托组织应填写委托它的法定行政执法机关（行政处罚法第二十条）",
    )
    is_active = forms.BooleanField(label="有效", required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization] | None,
        entrusting: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organizations is None:  # editing: the organization of a body never changes
            del self.fields["organization"]
        else:
            _set_queryset(self, "organization", organizations)
            del self.fields["is_active"]  # a new body starts active
        _set_queryset(self, "entrusting_organization", entrusting)


# --- 执法人员 ---------------------------------------------------------------------------------


class OfficerForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="所属执法主体", queryset=Organization.objects.none(), empty_label="请选择"
    )
    name = forms.CharField(label="姓名", max_length=50)
    certificate_number = forms.CharField(
        label="执法证号", max_length=32, help_text="4至32位数字、字母或连字符"
    )
    issuing_authority = forms.CharField(label="发证机关", max_length=100)
    valid_from = forms.DateField(label="有效期起", widget=DATE_WIDGET)
    valid_until = forms.DateField(label="有效期至", widget=DATE_WIDGET)
    # Not "fields": that name is the form's own field dictionary.
    enforcement_fields = forms.CharField(label="执法领域", max_length=200, required=False)
    user = forms.ModelChoiceField(
        label="系统账号",
        queryset=User.objects.none(),
        required=False,
        empty_label="（不关联账号）",
        help_text="关联后，该执法人员登录即以本人身份办案",
    )

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        users: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "organization", organizations)
        _set_queryset(self, "user", users)
        self.fields["user"].label_from_instance = (  # type: ignore[attr-defined]
            lambda u: f"{u.full_name or u.username}（{u.username}）"
        )


class OfficerStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="证件状态",
        choices=[
            (OfficerStatus.SUSPENDED, "暂扣"),
            (OfficerStatus.REVOKED, "注销"),
            (OfficerStatus.ACTIVE, "恢复有效"),
        ],
    )
    reason = forms.CharField(
        label="原因", max_length=200, required=False, help_text="暂扣或注销须写明原因"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") in (OfficerStatus.SUSPENDED, OfficerStatus.REVOKED)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", "请填写暂扣或注销的原因")
        return data


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label="培训类型", choices=TrainingKind.choices)
    title = forms.CharField(label="培训名称", max_length=200)
    held_on = forms.DateField(label="培训日期", widget=DATE_WIDGET)
    hours = forms.DecimalField(
        label="学时", max_digits=5, decimal_places=1, min_value=Decimal("0.5")
    )


class ShadowingForm(forms.Form):
    mentor = forms.ModelChoiceField(
        label="带教人员", queryset=Officer.objects.none(), empty_label="请选择"
    )
    case_reference = forms.CharField(label="跟学案件", max_length=200)
    started_on = forms.DateField(label="开始日期", widget=DATE_WIDGET)

    def __init__(self, *args: Any, mentors: QuerySet[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "mentor", mentors)


# --- 执法事项 ---------------------------------------------------------------------------------


class ItemForm(forms.Form):
    code = forms.CharField(
        label="事项编码", max_length=64, help_text="数字、字母、点、下划线和连字符"
    )
    name = forms.CharField(label="事项名称", max_length=300)
    category = forms.ChoiceField(label="事项类别", choices=ItemCategory.choices())
    organization = forms.ModelChoiceField(
        label="实施主体", queryset=Organization.objects.none(), empty_label="请选择"
    )
    basis_law = forms.CharField(
        label="法律依据（法律法规名称）",
        max_length=200,
        help_text="如：中华人民共和国市场主体登记管理条例",
    )
    basis_article = forms.CharField(label="条", max_length=50, help_text="如：第四十六条")
    basis_paragraph = forms.CharField(label="款、项", max_length=50, required=False)
    basis_text = forms.CharField(label="依据条文", required=False, widget=TEXTAREA)
    penalty_types = forms.MultipleChoiceField(
        label="处罚种类",
        required=False,
        choices=PenaltyType.choices(),
        widget=forms.CheckboxSelectMultiple,
        help_text="行政处罚法第九条所列种类；只有行政处罚事项填写",
    )
    fine_basis = forms.ChoiceField(
        label="罚款表述", required=False, choices=_with_all(FineBasis.choices(), "（无罚款）")
    )
    fine_min = forms.DecimalField(
        label="法定罚款下限", required=False, help_text="元或倍数；“以下”的填0", **MONEY
    )
    fine_max = forms.DecimalField(label="法定罚款上限", required=False, **MONEY)
    effective_from = forms.DateField(label="列入清单日期", widget=DATE_WIDGET)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "organization", organizations)


class DelegationForm(forms.Form):
    township = forms.ModelChoiceField(
        label="承接乡镇", queryset=Organization.objects.none(), empty_label="请选择乡镇"
    )
    decided_on = forms.DateField(label="下放日期", widget=DATE_WIDGET)
    document_number = forms.CharField(label="下放文件文号", max_length=100)

    def __init__(self, *args: Any, townships: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "township", townships)


class DelegationEvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label="评估日期", widget=DATE_WIDGET)
    conclusion = forms.ChoiceField(label="评估结论", choices=DelegationConclusion.choices)
    opinion = forms.CharField(label="评估意见", widget=TEXTAREA)


# --- 清单 -------------------------------------------------------------------------------------


class ListForm(forms.Form):
    kind = forms.ChoiceField(label="清单类型", choices=ListKind.choices())
    title = forms.CharField(label="清单名称", max_length=200)
    organization = forms.ModelChoiceField(
        label="制定单位", queryset=Organization.objects.none(), empty_label="请选择"
    )
    version = forms.CharField(label="版本", max_length=50, help_text="如：2024年版")
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    effective_from = forms.DateField(label="施行日期", widget=DATE_WIDGET)
    effective_until = forms.DateField(label="失效日期", widget=DATE_WIDGET, required=False)

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "organization", organizations)


# An item-code input suggests items as the user types: htmx refills the page's
# <datalist id="item-options"> from catalog:item_lookup. Without JS the code is typed in full.
ITEM_CODE_ATTRS = {
    "list": "item-options",
    "autocomplete": "off",
    "placeholder": "输入事项编码或名称搜索",
    "hx-get": reverse_lazy("catalog:item_lookup"),
    "hx-trigger": "input changed delay:300ms",
    "hx-target": "#item-options",
    "hx-swap": "innerHTML",
    "hx-sync": "this:replace",
}


class EntryForm(forms.Form):
    item_code = forms.CharField(
        label="执法事项编码",
        max_length=64,
        widget=forms.TextInput(attrs=ITEM_CODE_ATTRS),
        help_text="输入编码或名称可搜索事项",
    )
    number = forms.IntegerField(label="序号", min_value=1, max_value=100000)
    violation = forms.CharField(label="违法行为", max_length=300)
    legal_basis = forms.CharField(
        label="法律依据",
        widget=TEXTAREA,
        help_text="如：《中华人民共和国行政处罚法》第三十三条第一款",
    )
    condition_text = forms.CharField(
        label="适用条件（清单原文）", widget=TEXTAREA, help_text="照录清单文本"
    )
    requires_first_violation = forms.BooleanField(label="须为初次违法", required=False)
    requires_corrected_in_time = forms.BooleanField(label="须及时改正", required=False)
    max_harm = forms.ChoiceField(
        label="危害后果不超过",
        required=False,
        choices=_with_all(HarmLevel.choices(), "（不限）"),
    )
    party_kinds = forms.MultipleChoiceField(
        label="当事人类型（不选为不限）",
        required=False,
        choices=PartyKind.choices(),
        widget=forms.CheckboxSelectMultiple,
    )
    any_circumstance = forms.MultipleChoiceField(
        label="须具有下列情形之一（不选为不限）",
        required=False,
        choices=Circumstance.choices(),
        widget=forms.CheckboxSelectMultiple,
    )
    max_amount_involved = forms.DecimalField(
        label="涉案金额上限（元）", required=False, help_text="不填为不限", **MONEY
    )

    def conditions(self) -> dict[str, Any]:
        """The structured conditions as :func:`services.add_list_entry` takes them."""
        data = self.cleaned_data
        conditions: dict[str, Any] = {
            "requires_first_violation": bool(data.get("requires_first_violation")),
            "requires_corrected_in_time": bool(data.get("requires_corrected_in_time")),
            "party_kinds": list(data.get("party_kinds") or []),
            "any_circumstance": list(data.get("any_circumstance") or []),
        }
        if data.get("max_harm"):
            conditions["max_harm"] = data["max_harm"]
        if data.get("max_amount_involved") is not None:
            conditions["max_amount_involved"] = str(data["max_amount_involved"])
        return conditions


# --- 裁量基准 ----------------------------------------------------------------------------------


class StandardForm(forms.Form):
    item_code = forms.CharField(
        label="执法事项编码",
        max_length=64,
        widget=forms.TextInput(attrs=ITEM_CODE_ATTRS),
        help_text="裁量基准只适用于行政处罚事项",
    )
    organization = forms.ModelChoiceField(
        label="制定单位", queryset=Organization.objects.none(), empty_label="请选择"
    )
    level = forms.ChoiceField(
        label="制定层级", choices=StandardLevel.choices, initial=StandardLevel.COUNTY
    )
    parent = forms.ModelChoiceField(
        label="上级裁量基准",
        queryset=DiscretionStandard.objects.none(),
        required=False,
        empty_label="（无，或上级未制定）",
        help_text=(
            "县级细化上级基准时选择；各阶次幅度不能超出上级基准（国办发〔2022〕27号 二（五））"
        ),
    )
    title = forms.CharField(label="基准名称", max_length=200)
    version = forms.CharField(label="版本", max_length=50, help_text="如：2024年版")
    violation = forms.CharField(label="违法行为", max_length=300)
    legal_basis = forms.CharField(label="法定依据", widget=TEXTAREA)
    effective_from = forms.DateField(label="施行日期", widget=DATE_WIDGET)
    effective_until = forms.DateField(label="失效日期", widget=DATE_WIDGET, required=False)

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        parents: QuerySet[DiscretionStandard],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "organization", organizations)
        _set_queryset(self, "parent", parents)
        self.fields["parent"].label_from_instance = (  # type: ignore[attr-defined]
            lambda s: f"{s.item.code} {s.title}（{s.version}）"
        )


class TierForm(forms.Form):
    treatment = forms.ChoiceField(
        label="裁量阶次", choices=_with_all(Treatment.choices(), "请选择"), required=False
    )
    severity = forms.ChoiceField(
        label="情节", choices=_with_all(Severity.choices(), "（不分情节）"), required=False
    )
    fine_min = forms.DecimalField(label="罚款下限", required=False, **MONEY)
    fine_max = forms.DecimalField(label="罚款上限", required=False, **MONEY)
    condition_text = forms.CharField(
        label="适用条件", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    standard_text = forms.CharField(
        label="具体标准", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(
            data.get(k) not in (None, "")
            for k in ("treatment", "fine_min", "fine_max", "condition_text", "standard_text")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank():
            return data  # an unused row of the formset
        if not data.get("treatment"):
            self.add_error("treatment", "请选择裁量阶次")
        if not (data.get("condition_text") or "").strip():
            self.add_error("condition_text", "请填写适用条件")
        if not (data.get("standard_text") or "").strip():
            self.add_error("standard_text", "请填写具体标准")
        low, high = data.get("fine_min"), data.get("fine_max")
        if low is not None and high is not None and high < low:
            self.add_error("fine_max", f"罚款幅度上下限颠倒：下限{low}大于上限{high}")
        return data


TierFormSet = forms.formset_factory(TierForm, extra=6, max_num=20, absolute_max=20)


# --- 裁量计算器 --------------------------------------------------------------------------------

DATE_LIST_RE = re.compile(r"[\s,，、;；]+")


def parse_dates(text: str) -> tuple[dt.date, ...]:
    """Dates typed one per line (or separated by commas), as 2023-05-01."""
    dates: list[dt.date] = []
    for part in DATE_LIST_RE.split(text.strip()):
        if not part:
            continue
        try:
            dates.append(dt.date.fromisoformat(part))
        except ValueError as exc:
            raise forms.ValidationError(
                f"“{part}”不是有效日期，请按 2023-05-01 的格式填写，每行一个"
            ) from exc
    if len(dates) > 100:
        raise forms.ValidationError("以往违法日期最多填写100个")
    return tuple(sorted(set(dates)))


class CalculatorForm(forms.Form):
    """The facts of one case (``fazhi.rules.lenience.Facts``), as an officer established them."""

    item_code = forms.CharField(
        label="执法事项编码",
        max_length=64,
        widget=forms.TextInput(attrs=ITEM_CODE_ATTRS),
        help_text="输入编码或名称可搜索事项；将按该事项的清单和裁量基准计算",
    )
    # 时间
    act_date = forms.DateField(label="违法行为发生之日", widget=DATE_WIDGET)
    continuing_until = forms.DateField(
        label="违法行为终了之日",
        widget=DATE_WIDGET,
        required=False,
        help_text="违法行为有连续或者继续状态的填写（第三十六条第二款）",
    )
    discovered_date = forms.DateField(label="发现之日", widget=DATE_WIDGET)
    decision_date = forms.DateField(
        label="拟作出决定之日", widget=DATE_WIDGET, required=False, help_text="不填按发现之日"
    )
    # 当事人
    party_kind = forms.ChoiceField(
        label="当事人类型", choices=PartyKind.choices(), initial=PartyKind.ORGANIZATION
    )
    age = forms.IntegerField(
        label="违法时年龄",
        min_value=0,
        max_value=149,
        required=False,
        help_text="仅公民填写（第三十条）",
    )
    mental_capacity = forms.ChoiceField(
        label="辨认、控制能力",
        choices=MentalCapacity.choices(),
        initial=MentalCapacity.FULL,
        help_text="仅公民适用（第三十一条）",
    )
    # 违法情节
    harm = forms.ChoiceField(label="危害后果", choices=HarmLevel.choices(), initial="ordinary")
    severity = forms.ChoiceField(
        label="情节", choices=_with_all(Severity.choices(), "（未认定）"), required=False
    )
    corrected_in_time = forms.BooleanField(label="及时改正", required=False)
    no_subjective_fault = forms.BooleanField(
        label="有证据足以证明没有主观过错（第三十三条第二款）", required=False
    )
    prior_violation_dates = forms.CharField(
        label="以往同类违法日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "2023-05-01"}),
        help_text="用于认定初次违法，每行一个日期；没有则不填",
    )
    circumstances = forms.MultipleChoiceField(
        label="从轻、减轻或者从重情形",
        required=False,
        choices=Circumstance.choices(),
        widget=forms.CheckboxSelectMultiple,
    )
    involves_life_health_or_finance = forms.BooleanField(
        label="涉及公民生命健康安全、金融安全（第三十六条）", required=False
    )
    amount_involved = forms.DecimalField(label="违法所得或货值金额（元）", required=False, **MONEY)
    # 拟处罚
    proposed_penalties = forms.MultipleChoiceField(
        label="拟给予的处罚种类",
        required=False,
        choices=PenaltyType.choices(),
        widget=forms.CheckboxSelectMultiple,
    )
    proposed_fine = forms.DecimalField(label="拟罚款数额（元）", required=False, **MONEY)
    facts_certain = forms.BooleanField(
        label="违法事实确凿并有法定依据", required=False, initial=True
    )
    # 法制审核情形（第五十八条、118号）
    major_public_interest = forms.BooleanField(label="涉及重大公共利益", required=False)
    major_rights_and_heard = forms.BooleanField(
        label="直接关系当事人或第三人重大权益，经过听证程序", required=False
    )
    complex_case = forms.BooleanField(label="案件情况疑难复杂、涉及多个法律关系", required=False)
    other_legal_review_required = forms.BooleanField(
        label="法律、法规规定应当进行法制审核", required=False
    )
    major_social_impact = forms.BooleanField(
        label="可能造成重大社会影响或引发社会风险", required=False
    )

    GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("执法事项", ("item_code",)),
        ("时间", ("act_date", "continuing_until", "discovered_date", "decision_date")),
        ("当事人", ("party_kind", "age", "mental_capacity")),
        (
            "违法情节",
            (
                "harm",
                "severity",
                "corrected_in_time",
                "no_subjective_fault",
                "prior_violation_dates",
                "involves_life_health_or_finance",
                "amount_involved",
                "circumstances",
            ),
        ),
        ("拟处罚", ("proposed_penalties", "proposed_fine", "facts_certain")),
        (
            "法制审核情形",
            (
                "major_public_interest",
                "major_rights_and_heard",
                "complex_case",
                "other_legal_review_required",
                "major_social_impact",
            ),
        ),
    )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def clean_prior_violation_dates(self) -> tuple[dt.date, ...]:
        return parse_dates(self.cleaned_data.get("prior_violation_dates") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["facts"] = self.facts(data)
        except LenienceError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data

    @staticmethod
    def facts(data: Mapping[str, Any]) -> Facts:
        """The cleaned data as the engine's :class:`Facts` (which checks the dates' order)."""
        individual = data["party_kind"] == PartyKind.INDIVIDUAL
        return Facts(
            act_date=data["act_date"],
            discovered_date=data["discovered_date"],
            decision_date=data.get("decision_date"),
            party_kind=PartyKind(data["party_kind"]),
            # Age and capacity concern individuals only (第三十条、第三十一条); for an
            # organization the page may still hold what was typed before the kind changed.
            age=data.get("age") if individual else None,
            mental_capacity=(
                MentalCapacity(data["mental_capacity"]) if individual else MentalCapacity.FULL
            ),
            item_code=str(data["item_code"]).strip(),
            harm=HarmLevel(data["harm"]),
            corrected_in_time=bool(data.get("corrected_in_time")),
            prior_violation_dates=tuple(data.get("prior_violation_dates") or ()),
            no_subjective_fault=bool(data.get("no_subjective_fault")),
            circumstances=frozenset(Circumstance(c) for c in data.get("circumstances") or ()),
            continuing_until=data.get("continuing_until"),
            involves_life_health_or_finance=bool(data.get("involves_life_health_or_finance")),
            severity=Severity(data["severity"]) if data.get("severity") else None,
            amount_involved=data.get("amount_involved"),
            proposed_penalties=frozenset(
                PenaltyType(p) for p in data.get("proposed_penalties") or ()
            ),
            proposed_fine=data.get("proposed_fine"),
            facts_certain=bool(data.get("facts_certain")),
            major_public_interest=bool(data.get("major_public_interest")),
            major_rights_and_heard=bool(data.get("major_rights_and_heard")),
            complex_case=bool(data.get("complex_case")),
            other_legal_review_required=bool(data.get("other_legal_review_required")),
            major_social_impact=bool(data.get("major_social_impact")),
        )
