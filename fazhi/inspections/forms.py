"""Forms of the 双随机、一公开 pages. They parse and check the shape of input; the services decide.

Every choice list (organizations, items, officers, townships) is narrowed by the view from the
scoped selectors, so a form never offers a row outside the user's data scope. A service's
refusal is put back on the field it names (``refuse``), the user's input kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from fazhi.catalog.forms import DATE_WIDGET
from fazhi.catalog.models import Officer
from fazhi.core.errors import DomainError
from fazhi.core.models import Organization
from fazhi.inspections.models import (
    Entity,
    InspectionItem,
    ItemKind,
    Outcome,
    PlanKind,
    RiskClass,
    TaskStatus,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})
RISK_CLASSES = [c for c, _ in RiskClass.choices]
ITEM_KINDS = [k for k, _ in ItemKind.choices]


def _search(placeholder: str) -> forms.CharField:
    return forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": placeholder, "type": "search"}),
    )


def _words(text: str) -> list[str]:
    """ "食品，特种设备、药品" → ["食品", "特种设备", "药品"] (Chinese or Latin separators)."""
    for sep in "，、;；\n":
        text = text.replace(sep, ",")
    return [w.strip() for w in text.split(",") if w.strip()]


def refuse(form: forms.Form, exc: DomainError, aliases: Mapping[str, str] | None = None) -> None:
    """Show a service's refusal on the field it names, else at the top of the form."""
    field = str(getattr(exc, "field", "") or next(iter(exc.details or {}), "") or "")
    field = (aliases or {}).get(field, field)
    form.add_error(field if field in form.fields else None, exc.message)


# --- filters ----------------------------------------------------------------------------------


class ItemFilterForm(forms.Form):
    q = _search("事项编码、名称或依据")
    organization = forms.ModelChoiceField(
        label="抽查主体",
        required=False,
        queryset=Organization.objects.none(),
        empty_label="全部单位",
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]

    def selector_kwargs(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {"q": self.cleaned_data["q"], "organization": self.cleaned_data["organization"]}


class EntityFilterForm(forms.Form):
    q = _search("统一社会信用代码或名称")
    industry = forms.CharField(label="行业", required=False, max_length=100)
    risk_class = forms.ChoiceField(
        label="信用风险分类", required=False, choices=[("", "全部类别"), *RiskClass.choices]
    )
    township = forms.ModelChoiceField(
        label="乡镇", required=False, queryset=Organization.objects.none(), empty_label="全部乡镇"
    )

    def __init__(self, *args: Any, townships: QuerySet[Organization], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]

    def selector_kwargs(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: self.cleaned_data[k] for k in ("q", "industry", "risk_class", "township")}


class InspectorFilterForm(forms.Form):
    q = _search("姓名、执法证号或资格")

    def selector_kwargs(self) -> dict[str, Any]:
        return {"q": self.cleaned_data["q"]} if self.is_valid() else {}


class PlanFilterForm(forms.Form):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2099)
    kind = forms.ChoiceField(
        label="计划类型", required=False, choices=[("", "全部类型"), *PlanKind.choices]
    )

    def selector_kwargs(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {"year": self.cleaned_data["year"], "kind": self.cleaned_data["kind"] or None}


class TaskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *TaskStatus.choices]
    )

    def selector_kwargs(self) -> dict[str, Any]:
        return {"status": self.cleaned_data["status"] or None} if self.is_valid() else {}


# --- directories ------------------------------------------------------------------------------


class ItemForm(forms.Form):
    organization = forms.ModelChoiceField(label="抽查主体", queryset=Organization.objects.none())
    code = forms.CharField(label="事项编码", max_length=64)
    name = forms.CharField(label="抽查事项", max_length=300)
    kind = forms.ChoiceField(label="事项类别", choices=ItemKind.choices)
    basis = forms.CharField(label="抽查依据", widget=TEXTAREA)
    content = forms.CharField(label="抽查内容", required=False, widget=TEXTAREA)
    method = forms.CharField(label="抽查方式", max_length=100, initial="现场检查")
    qualification = forms.CharField(
        label="检查人员应具备的资格（执法领域）",
        max_length=50,
        help_text="与检查人员名录库的“资格”一致，例如“食品”“特种设备”。",
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class EntityForm(forms.Form):
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18)
    name = forms.CharField(label="名称", max_length=200)
    kind = forms.CharField(label="市场主体类型", max_length=50, required=False)
    industry = forms.CharField(label="行业", max_length=100)
    township = forms.ModelChoiceField(label="所在乡镇", queryset=Organization.objects.none())
    address = forms.CharField(label="住所（经营场所）", max_length=300, required=False)
    risk_class = forms.ChoiceField(label="信用风险分类", choices=RiskClass.choices)
    licences = forms.CharField(
        label="许可证", required=False, max_length=1000, help_text="多个许可证用逗号或顿号分隔。"
    )
    is_active = forms.BooleanField(label="存续", required=False, initial=True)

    def __init__(self, *args: Any, townships: QuerySet[Organization], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]

    @classmethod
    def initial_of(cls, entity: Entity) -> dict[str, Any]:
        return {
            "credit_code": entity.credit_code,
            "name": entity.name,
            "kind": entity.kind,
            "industry": entity.industry,
            "township": entity.township_id,
            "address": entity.address,
            "risk_class": entity.risk_class,
            "licences": "、".join(str(x) for x in entity.licences or []),
            "is_active": entity.is_active,
        }

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["credit_code"] = data["credit_code"].strip().upper()
        data["licences"] = _words(data["licences"])
        return data


class InspectorForm(forms.Form):
    officer = forms.ModelChoiceField(label="执法人员", queryset=Officer.objects.none())
    qualifications = forms.CharField(
        label="资格（执法领域）", max_length=200, help_text="多个领域用逗号或顿号分隔。"
    )
    township = forms.ModelChoiceField(
        label="所在（派驻）乡镇", required=False, queryset=Organization.objects.none()
    )
    is_active = forms.BooleanField(label="在库", required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        officers: QuerySet[Officer],
        townships: QuerySet[Organization],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
        self.fields["township"].queryset = townships  # type: ignore[attr-defined]

    def clean_qualifications(self) -> list[str]:
        words = _words(self.cleaned_data["qualifications"])
        if not words:
            raise forms.ValidationError("请至少填写一个执法领域")
        return words

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class RelationshipForm(forms.Form):
    credit_code = forms.CharField(label="检查对象的统一社会信用代码", max_length=18)
    description = forms.CharField(label="关系说明", max_length=200)

    def clean_credit_code(self) -> Entity:
        code = self.cleaned_data["credit_code"].strip().upper()
        entity = Entity.objects.filter(credit_code=code).first()
        if entity is None:
            raise forms.ValidationError("名录库中没有这个统一社会信用代码")
        return entity


# --- plans and tasks --------------------------------------------------------------------------


def _ratio_field(kind: ItemKind, risk: str) -> forms.DecimalField:
    help_text = (
        "0到1之间的小数。计划含重点检查事项时，各类别按重点检查事项的比例抽取，否则按一般检查"
        "事项的比例（每户综合查一次）。"
        if (kind, risk) == (ItemKind.GENERAL, "A")
        else ""
    )
    return forms.DecimalField(
        label=f"{kind.label} {risk}类抽查比例",
        min_value=0,
        max_value=1,
        decimal_places=4,
        help_text=help_text,
    )


class PlanForm(forms.Form):
    organization = forms.ModelChoiceField(label="牵头单位", queryset=Organization.objects.none())
    kind = forms.ChoiceField(label="计划类型", choices=PlanKind.choices)
    departments = forms.ModelMultipleChoiceField(
        label="参加部门（联合抽查）",
        required=False,
        queryset=Organization.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2099)
    number = forms.CharField(label="计划编号", max_length=100)
    title = forms.CharField(label="计划名称", max_length=200)
    items = forms.ModelMultipleChoiceField(
        label="抽查事项",
        queryset=InspectionItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    # One ratio per item kind and risk class (ratio_<kind>_<class>), prefilled with the
    # parameter's defaults; the services store them as {kind: {class: ratio}}.
    ratio_general_A = _ratio_field(ItemKind.GENERAL, "A")
    ratio_general_B = _ratio_field(ItemKind.GENERAL, "B")
    ratio_general_C = _ratio_field(ItemKind.GENERAL, "C")
    ratio_general_D = _ratio_field(ItemKind.GENERAL, "D")
    ratio_key_A = _ratio_field(ItemKind.KEY, "A")
    ratio_key_B = _ratio_field(ItemKind.KEY, "B")
    ratio_key_C = _ratio_field(ItemKind.KEY, "C")
    ratio_key_D = _ratio_field(ItemKind.KEY, "D")
    industries = forms.CharField(
        label="检查对象行业范围",
        required=False,
        max_length=1000,
        help_text="留空为名录库全部行业；多个行业用逗号或顿号分隔。",
    )
    starts_on = forms.DateField(label="开始日期", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="完成日期", widget=DATE_WIDGET)

    def __init__(
        self,
        *args: Any,
        organizations: QuerySet[Organization],
        departments: QuerySet[Organization],
        items: QuerySet[InspectionItem],
        default_ratios: Mapping[str, Mapping[str, Any]] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]
        self.fields["items"].queryset = items  # type: ignore[attr-defined]
        for kind, per_class in (default_ratios or {}).items():
            for risk, ratio in per_class.items():
                if f"ratio_{kind}_{risk}" in self.fields:
                    self.fields[f"ratio_{kind}_{risk}"].initial = Decimal(str(ratio))
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "完成日期不能早于开始日期")
        if data.get("kind") == PlanKind.JOINT and not data.get("departments"):
            self.add_error("departments", "联合抽查计划请选择参加部门")
        return data

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "organization": d["organization"],
            "kind": d["kind"],
            "year": d["year"],
            "number": d["number"],
            "title": d["title"],
            "items": list(d["items"]),
            "ratios": {k: {r: str(d[f"ratio_{k}_{r}"]) for r in RISK_CLASSES} for k in ITEM_KINDS},
            "starts_on": d["starts_on"],
            "ends_on": d["ends_on"],
            "departments": list(d["departments"]),
            "industries": _words(d["industries"]),
        }


class DateForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["on"].initial = timezone.localdate()


class TaskForm(forms.Form):
    number = forms.CharField(label="任务编号", max_length=100)
    title = forms.CharField(label="任务名称", max_length=200)
    due_on = forms.DateField(label="检查完成期限", widget=DATE_WIDGET)


# --- the draw ceremony ------------------------------------------------------------------------


class CommitForm(forms.Form):
    randomness_source = forms.CharField(
        label="将来公开的随机数来源",
        max_length=500,
        widget=TEXTAREA,
        help_text="写明承诺之后才产生的公开随机数，例如“中国福利彩票双色球第2024100期开奖号码”。",
    )
    randomness_due = forms.DateField(label="随机数产生日期", widget=DATE_WIDGET)
    per_task = forms.IntegerField(
        label="每户检查人员数",
        min_value=2,
        max_value=10,
        initial=2,
        help_text="不得少于两人（行政处罚法第四十二条）。",
    )
    substitutes = forms.IntegerField(label="替补人员数", min_value=0, max_value=10, initial=2)
    same_township = forms.BooleanField(
        label="允许检查人员检查本乡镇的对象", required=False, initial=False
    )
    max_pairings = forms.IntegerField(
        label="同一检查人员检查同一对象的次数上限",
        required=False,
        min_value=1,
        max_value=100,
        help_text="留空为不限。",
    )
    redraw_reason = forms.CharField(
        label="重新抽取的理由",
        required=False,
        max_length=500,
        widget=TEXTAREA,
        help_text="原抽取及其承诺仍然公开。",
    )

    def __init__(self, *args: Any, redraw: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if redraw:
            self.fields["redraw_reason"].required = True
        else:
            del self.fields["redraw_reason"]


class RevealForm(forms.Form):
    value = forms.CharField(
        label="公开的随机数", max_length=500, help_text="按公告原样录入，例如开奖号码。"
    )
    evidence = forms.CharField(
        label="公开出处",
        max_length=500,
        help_text="公布该随机数的网址或公告，例如开奖公告的网址。",
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ResultForm(forms.Form):
    inspected_on = forms.DateField(label="检查日期", widget=DATE_WIDGET)
    outcome = forms.ChoiceField(label="检查结果", choices=Outcome.choices)
    findings = forms.CharField(label="检查情况", widget=TEXTAREA, max_length=5000)
    photos = MultipleFileField(label="现场照片等", required=False)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["inspected_on"].initial = timezone.localdate()
