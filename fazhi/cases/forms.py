"""Forms of the case pages. They parse and check the shape of input; the services decide.

Every choice list (organizations, items, officers, hosts, holds) is narrowed by the view from
the scoped selectors, so a form never offers a row outside the user's data scope. Each action
form takes the case and the actor (``ActionForm``), so the generic action page can build any of
them the same way; dates default to today.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.db.models import Q, QuerySet
from django.forms.formsets import BaseFormSet
from django.utils import timezone

from fazhi.cases.models import (
    CaseSource,
    EvidenceHold,
    EvidenceKind,
    Medium,
    Outcome,
    PenaltyCase,
    Procedure,
    RemedyKind,
    ServiceMethod,
    TransferTarget,
)
from fazhi.cases.services import REVIEW_CHECKLIST, PartyInput, UploadedFile
from fazhi.cases.workflow import Status
from fazhi.catalog.forms import DATE_WIDGET, ITEM_CODE_ATTRS, MONEY, parse_dates
from fazhi.catalog.models import EnforcementItem, Officer, OfficerStatus
from fazhi.core.errors import DomainError
from fazhi.core.models import Organization, User
from fazhi.core.selectors import visible_organizations
from fazhi.inspections.models import InspectionRecord
from fazhi.rules.enforcement import (
    Circumstance,
    HarmLevel,
    ItemCategory,
    MentalCapacity,
    PartyKind,
    PenaltyType,
    Severity,
)
from fazhi.rules.parameters import default_parameters

TEXTAREA = forms.Textarea(attrs={"rows": 4})
SHORT_TEXTAREA = forms.Textarea(attrs={"rows": 2})
CHECKBOXES = forms.CheckboxSelectMultiple

# The enforcement activities of the audio-visual parameter (国办发〔2018〕118号 三（八）), in
# words; the codes offered are the parameter's values in force (AUDIO_VIDEO_ACTIVITIES).
ACTIVITY_LABELS: dict[str, str] = {
    "seizure": "查封扣押财产",
    "demolition": "强制拆除",
    "on_site": "现场执法",
    "evidence_collection": "调查取证",
    "hearing": "举行听证",
    "service_left": "留置送达",
    "service_notice": "公告送达",
}


def _with_all(choices: Sequence[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


def _org_label(org: Organization) -> str:
    return "　" * org.depth + org.name


def _officer_label(officer: Officer) -> str:
    return f"{officer.name}（执法证号{officer.certificate_number}，{officer.organization.name}）"


if TYPE_CHECKING:
    _OrganizationField = forms.ModelChoiceField[Organization]
    _OfficerField = forms.ModelChoiceField[Officer]
    _OfficersField = forms.ModelMultipleChoiceField[Officer]
    _HoldField = forms.ModelChoiceField[EvidenceHold]
    _UserField = forms.ModelChoiceField[User]
else:  # the model choice fields are generic only in the type stubs
    _OrganizationField = _OfficerField = _HoldField = _UserField = forms.ModelChoiceField
    _OfficersField = forms.ModelMultipleChoiceField


class OrganizationChoiceField(_OrganizationField):
    def label_from_instance(self, obj: Organization) -> str:
        return _org_label(obj)


class OfficerChoiceField(_OfficerField):
    def label_from_instance(self, obj: Officer) -> str:
        return _officer_label(obj)


class OfficersChoiceField(_OfficersField):
    def label_from_instance(self, obj: Officer) -> str:
        return _officer_label(obj)


class HoldChoiceField(_HoldField):
    def label_from_instance(self, obj: EvidenceHold) -> str:
        return f"{obj.held_on:%Y-%m-%d} {obj.description[:40]}"


class UserChoiceField(_UserField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.username}（{obj.username}）"


def _queryset(form: forms.Form, name: str, qs: QuerySet[Any]) -> None:
    cast("forms.ModelChoiceField[Any]", form.fields[name]).queryset = qs


def _today() -> Any:
    return timezone.localdate()


def _date(label: str = "日期", **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, **kwargs)


def _text(label: str, *, required: bool = True, rows: int = 4, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def new_idempotency_key() -> str:
    """A fresh key per rendering of a create form: a double click posts the same key twice."""
    return uuid.uuid4().hex


# --- list filters ------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": "案件编号、案由、决定书文号或当事人", "type": "search"}
        ),
    )
    status = forms.ChoiceField(
        label="阶段", required=False, choices=_with_all(Status.choices(), "全部阶段")
    )
    organization = forms.ChoiceField(label="办案机关", required=False, choices=())
    procedure = forms.ChoiceField(
        label="程序", required=False, choices=_with_all(Procedure.choices, "全部程序")
    )
    lenient = forms.ChoiceField(
        label="四张清单",
        required=False,
        choices=[("", "是否适用清单"), ("1", "适用“四张清单”"), ("0", "未适用清单")],
    )
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": "案源登记年度"}),
    )

    FILTERS: ClassVar[tuple[str, ...]] = (
        "q",
        "status",
        "organization",
        "procedure",
        "lenient",
        "year",
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["organization"])
        field.choices = _with_all([(o.code, _org_label(o)) for o in organizations], "全部单位")

    def selector_kwargs(self) -> dict[str, Any]:
        """The valid filters as :func:`fazhi.cases.selectors.cases_for` takes them (a bad
        value is dropped, as on the catalog lists, rather than failing the page)."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}
        return {
            "search": data.get("q", ""),
            "status": data.get("status", ""),
            "organization": data.get("organization", ""),
            "procedure": data.get("procedure", ""),
            "lenient": data.get("lenient", ""),
            "year": data.get("year"),
        }


DEADLINE_GROUPS: tuple[tuple[str, str], ...] = (
    ("department", "按办案机关"),
    ("officer", "按执法人员"),
    ("county", "按县（市、区）"),
)


class DeadlineFilterForm(forms.Form):
    group = forms.ChoiceField(label="分组", required=False, choices=DEADLINE_GROUPS)
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "逾期和即将到期"), ("overdue", "仅已逾期"), ("due_soon", "仅即将到期")],
    )


# --- parties -----------------------------------------------------------------------------------


class PartyForm(forms.Form):
    kind = forms.ChoiceField(
        label="当事人类型", choices=PartyKind.choices(), initial=PartyKind.ORGANIZATION.value
    )
    name = forms.CharField(label="姓名或名称", max_length=200)
    id_number = forms.CharField(
        label="身份证号码或统一社会信用代码",
        max_length=30,
        help_text="公民填写18位居民身份证号码，法人或其他组织填写18位统一社会信用代码",
    )
    legal_representative = forms.CharField(
        label="法定代表人（负责人）", max_length=50, required=False
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    address = forms.CharField(label="住所（地址）", max_length=200, required=False)

    def party(self) -> PartyInput:
        d = self.cleaned_data
        return PartyInput(
            kind=d["kind"],
            name=d["name"],
            id_number=d["id_number"],
            legal_representative=d.get("legal_representative") or "",
            phone=d.get("phone") or "",
            address=d.get("address") or "",
        )


if TYPE_CHECKING:
    _PartyFormSetBase = BaseFormSet[PartyForm]
else:  # BaseFormSet is generic only in the type stubs
    _PartyFormSetBase = BaseFormSet


class BasePartyFormSet(_PartyFormSetBase):
    default_error_messages = {
        "too_few_forms": "请至少填写一个当事人",
        "too_many_forms": "当事人最多填写%(num)d个",
    }

    def filled(self) -> list[PartyForm]:
        """The rows with a party, in order (blank extra rows are left out)."""
        return [f for f in self.forms if (getattr(f, "cleaned_data", None) or {}).get("name")]

    def parties(self) -> list[PartyInput]:
        return [f.party() for f in self.filled()]


PartyFormSet = cast(
    type[BasePartyFormSet],
    forms.formset_factory(
        PartyForm,
        formset=BasePartyFormSet,
        extra=2,
        min_num=1,
        validate_min=True,
        max_num=10,
        validate_max=True,
        absolute_max=10,
    ),
)


def party_initial(case: PenaltyCase) -> list[dict[str, str]]:
    return [
        {
            "kind": p.kind,
            "name": p.name,
            "id_number": p.id_number,
            "legal_representative": p.legal_representative,
            "phone": p.phone,
            "address": p.address,
        }
        for p in case.parties.all()
    ]


# --- choice lists from the scope --------------------------------------------------------------


def penalty_items(organizations: QuerySet[Organization]) -> QuerySet[EnforcementItem]:
    """Published, active penalty items of these organizations, or delegated to them."""
    return (
        EnforcementItem.objects.filter(
            category=ItemCategory.PENALTY.value, is_active=True, published_at__isnull=False
        )
        .filter(
            Q(organization__in=organizations)
            | Q(delegations__township__in=organizations, delegations__is_active=True)
        )
        .select_related("organization")
        .distinct()
    )


def valid_officers(organizations: QuerySet[Organization]) -> QuerySet[Officer]:
    """Certified officers whose certificate is valid today (第四十二条: 具有执法资格)."""
    today = _today()
    return (
        Officer.objects.filter(
            organization__in=organizations,
            status=OfficerStatus.ACTIVE,
            valid_from__lte=today,
            valid_until__gte=today,
        )
        .select_related("organization")
        .order_by("organization__path", "name")
    )


class ItemCodeMixin(forms.Form):
    """An item typed by its code (suggested by htmx as the user types), checked to be a
    published penalty item of the chosen organization or delegated to it."""

    items: QuerySet[EnforcementItem]

    def clean_item(self, data: dict[str, Any]) -> None:
        code = (data.get("item_code") or "").strip()
        org = data.get("organization")
        if not code:
            return
        item = self.items.filter(code=code).first()
        if item is None:
            self.add_error(
                "item_code", f"没有找到已公示的行政处罚事项“{code}”，或不在您的数据范围内"
            )
            return
        if org is not None and item.organization_id != org.pk:
            delegated = item.delegations.filter(township=org, is_active=True).exists()
            if not delegated:
                self.add_error("item_code", f"执法事项“{code}”不由{org.name}实施")
                return
        data["item"] = item


class OfficersMixin(forms.Form):
    def set_officers(self, officers: QuerySet[Officer]) -> None:
        _queryset(self, "officers", officers)


# --- intake: 登记案源 and 当场处罚 -----------------------------------------------------------


def record_initial(
    record: InspectionRecord, organizations: QuerySet[Organization]
) -> dict[str, Any]:
    """登记案源 prefilled from a 双随机 inspection record whose result was 移送立案: the source,
    the day of the inspection as the day of discovery, its findings as the facts, and the
    plan's department as the body when the user may register for it."""
    task, entity = record.task, record.entity
    initial: dict[str, Any] = {
        "inspection_record": record.pk,
        "source": CaseSource.RANDOM_INSPECTION,
        "source_detail": f"抽查任务{task.number}《{task.title}》检查记录",
        "title": f"{entity.name}涉嫌违法（双随机抽查发现）",
        "facts_text": record.findings,
    }
    if record.inspected_on is not None:
        initial["discovered_date"] = record.inspected_on
    organization = organizations.filter(pk=task.plan.organization_id).first()
    if organization is not None:
        initial["organization"] = organization
    return initial


def record_party_initial(record: InspectionRecord) -> list[dict[str, str]]:
    """The inspected entity as the first party: a market entity is an organization party
    with its 统一社会信用代码."""
    entity = record.entity
    return [
        {
            "kind": PartyKind.ORGANIZATION.value,
            "name": entity.name,
            "id_number": entity.credit_code,
            "address": entity.address,
        }
    ]


class CaseCreateForm(ItemCodeMixin, OfficersMixin):
    """登记案源 (receive_lead) with its parties (a formset at ``self.parties``)."""

    organization = OrganizationChoiceField(
        label="办案机关", queryset=Organization.objects.none(), empty_label="请选择"
    )
    item_code = forms.CharField(
        label="执法事项编码",
        max_length=64,
        widget=forms.TextInput(attrs=ITEM_CODE_ATTRS),
        help_text="输入编码或名称可搜索；须为本机关已公示的行政处罚事项",
    )
    title = forms.CharField(label="案由", max_length=200)
    source = forms.ChoiceField(label="案源", choices=CaseSource.choices)
    source_detail = forms.CharField(label="案源说明", max_length=500, required=False)
    act_date = _date("违法行为发生日期")
    discovered_date = _date("发现日期")
    on = _date("案源登记日期")
    facts_text = _text("违法事实", required=False)
    officers = OfficersChoiceField(
        label="执法人员",
        queryset=Officer.objects.none(),
        required=False,
        widget=CHECKBOXES,
        help_text="立案前须指派不少于两名持有有效执法证件的执法人员（行政处罚法 第四十二条）",
    )
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
    # The 双随机 inspection record (移送立案) the lead comes from; the view resolves it in the
    # user's scope, the service checks it.
    inspection_record = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        organizations: QuerySet[Organization],
        inspection_record: InspectionRecord | None = None,
        **kwargs: Any,
    ) -> None:
        today = _today()
        initial = {
            "idempotency_key": new_idempotency_key(),
            "on": today,
            "discovered_date": today,
            "source": CaseSource.INSPECTION,
            **(record_initial(inspection_record, organizations) if inspection_record else {}),
            **kwargs.pop("initial", {}),
        }
        if organizations.count() == 1:
            initial.setdefault("organization", organizations.first())
        super().__init__(data, initial=initial, **kwargs)
        _queryset(self, "organization", organizations)
        self.items = penalty_items(organizations)
        self.set_officers(valid_officers(organizations))
        parties = record_party_initial(inspection_record) if inspection_record else None
        self.parties = PartyFormSet(data, prefix="parties", initial=parties)

    def is_valid(self) -> bool:
        form_ok = super().is_valid()
        return self.parties.is_valid() and form_ok

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_item(data)
        return data

    def party_forms(self) -> list[PartyForm]:
        return self.parties.filled()


class OnSpotForm(ItemCodeMixin, OfficersMixin):
    """当场处罚 (第五十一条、第五十二条): one party, decided and handed over on the spot."""

    organization = OrganizationChoiceField(
        label="办案机关", queryset=Organization.objects.none(), empty_label="请选择"
    )
    item_code = forms.CharField(
        label="执法事项编码",
        max_length=64,
        widget=forms.TextInput(attrs=ITEM_CODE_ATTRS),
        help_text="输入编码或名称可搜索；须为本机关已公示的行政处罚事项",
    )
    title = forms.CharField(label="案由", max_length=200)
    act_date = _date("违法行为发生日期")
    on = _date("决定日期（当场）")
    penalty_types = forms.MultipleChoiceField(
        label="处罚种类",
        choices=[
            (PenaltyType.WARNING.value, PenaltyType.WARNING.label_zh),
            (PenaltyType.FINE.value, PenaltyType.FINE.label_zh),
        ],
        widget=CHECKBOXES,
        help_text="当场处罚限于警告或者较小数额的罚款（第五十一条）",
    )
    fine = forms.DecimalField(label="罚款金额（元）", required=False, **MONEY)
    harm = forms.ChoiceField(
        label="危害后果", choices=HarmLevel.choices(), initial=HarmLevel.ORDINARY.value
    )
    severity = forms.ChoiceField(
        label="情节", required=False, choices=_with_all(Severity.choices(), "（未认定）")
    )
    corrected_in_time = forms.BooleanField(label="及时改正", required=False)
    facts_text = _text("违法事实", required=False, rows=3)
    officers = OfficersChoiceField(
        label="执法人员",
        queryset=Officer.objects.none(),
        widget=CHECKBOXES,
        help_text="当场处罚须有两名以上执法人员，出示执法证件（第五十二条）",
    )
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        organizations: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        today = _today()
        initial = {"idempotency_key": new_idempotency_key(), "on": today, "act_date": today}
        if organizations.count() == 1:
            initial["organization"] = organizations.first()
        super().__init__(data, initial=initial, **kwargs)
        _queryset(self, "organization", organizations)
        self.items = penalty_items(organizations)
        self.set_officers(valid_officers(organizations))
        self.party = PartyForm(data, prefix="party")

    def is_valid(self) -> bool:
        form_ok = super().is_valid()
        return self.party.is_valid() and form_ok

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.clean_item(data)
        return data

    def party_forms(self) -> list[PartyForm]:
        return [self.party]

    def facts(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "harm": d["harm"],
            "severity": d.get("severity") or None,
            "corrected_in_time": bool(d.get("corrected_in_time")),
        }


# --- actions on a case -------------------------------------------------------------------------


class ActionForm(forms.Form):
    """The base of every action form: the case and the actor, and the date of the step."""

    on = _date("办理日期")
    multipart: ClassVar[bool] = False  # has a file input

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
        *,
        case: PenaltyCase,
        actor: User,
        **kwargs: Any,
    ) -> None:
        initial = {"on": _today(), **self.initial_for(case), **kwargs.pop("initial", {})}
        super().__init__(data, files, initial=initial, **kwargs)
        self.case = case
        self.actor = actor
        self.order_fields([n for n in self.fields if n != "on"] + ["on"])
        self.setup(case, actor)

    def initial_for(self, case: PenaltyCase) -> dict[str, Any]:
        return {}

    def setup(self, case: PenaltyCase, actor: User) -> None:
        """Narrow the choice fields to the case (subclasses)."""

    def party_forms(self) -> list[PartyForm]:
        return []

    def service_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of the service of the same name (besides actor and case):
        the fields are named as the service's arguments; subclasses convert the rest."""
        return dict(self.cleaned_data)


class DateForm(ActionForm):
    pass


class ReasonForm(ActionForm):
    reason = _text("理由")


class DeclineForm(ActionForm):
    reason = _text("不予立案的理由")


class ReturnForm(ActionForm):
    reason = _text("退回补充调查的理由")


class RevocationForm(ActionForm):
    reason = _text(
        "依据和理由", help_text="如复议决定书、判决书的文号和结论（行政处罚法 第四十八条）"
    )


class SuspendForm(ActionForm):
    reason = _text("中止理由")


class UpdateCaseForm(ActionForm, OfficersMixin):
    """更正当事人、办案人员或违法事实: only what changed is sent to the service."""

    facts_text = _text("违法事实", required=False)
    officers = OfficersChoiceField(
        label="执法人员", queryset=Officer.objects.none(), required=False, widget=CHECKBOXES
    )

    def setup(self, case: PenaltyCase, actor: User) -> None:
        self.set_officers(valid_officers(Organization.objects.filter(pk=case.organization_id)))
        self.parties = PartyFormSet(
            self.data if self.is_bound else None, prefix="parties", initial=party_initial(case)
        )

    def initial_for(self, case: PenaltyCase) -> dict[str, Any]:
        return {
            "facts_text": case.facts_text,
            "officers": [co.officer_id for co in case.case_officers.all() if co.recused_on is None],
        }

    def is_valid(self) -> bool:
        form_ok = super().is_valid()
        return self.parties.is_valid() and form_ok

    def party_forms(self) -> list[PartyForm]:
        return self.parties.filled()

    def service_kwargs(self) -> dict[str, Any]:
        return {"on": self.cleaned_data["on"], **self.changes()}

    def changes(self) -> dict[str, Any]:
        """The keyword arguments of :func:`services.update_case` for what differs."""
        case = self.case
        out: dict[str, Any] = {}
        parties = self.parties.parties()
        current = [
            PartyInput(
                kind=p.kind,
                name=p.name,
                id_number=p.id_number,
                legal_representative=p.legal_representative,
                phone=p.phone,
                address=p.address,
            )
            for p in case.parties.all()
        ]
        if parties != current:
            out["parties"] = parties
        officers = list(self.cleaned_data.get("officers") or [])
        active = {co.officer_id for co in case.case_officers.all() if co.recused_on is None}
        if officers and {o.pk for o in officers} != active:
            out["officers"] = officers
        facts_text = (self.cleaned_data.get("facts_text") or "").strip()
        if facts_text != case.facts_text:
            out["facts_text"] = facts_text
        return out


BOOLEAN_FACTS: tuple[tuple[str, str], ...] = (
    ("corrected_in_time", "及时改正"),
    ("no_subjective_fault", "有证据足以证明没有主观过错（第三十三条第二款）"),
    ("involves_life_health_or_finance", "涉及公民生命健康安全、金融安全（第三十六条）"),
    ("facts_certain", "违法事实确凿并有法定依据"),
    ("major_public_interest", "涉及重大公共利益（第五十八条第一款第一项）"),
    (
        "major_rights_and_heard",
        "直接关系当事人或第三人重大权益，经过听证程序（第五十八条第一款第二项）",
    ),
    ("complex_case", "案件情况疑难复杂、涉及多个法律关系（第五十八条第一款第三项）"),
    (
        "other_legal_review_required",
        "法律、法规规定应当进行法制审核的其他情形（第五十八条第一款第四项）",
    ),
    ("major_social_impact", "可能造成重大社会影响或引发社会风险（国办发〔2018〕118号 四（十二））"),
)


class AssessForm(ActionForm):
    """The facts of the case for the rules engine (``fazhi.rules.lenience.Facts``)."""

    severity = forms.ChoiceField(
        label="情节", required=False, choices=_with_all(Severity.choices(), "（未认定）")
    )
    harm = forms.ChoiceField(label="危害后果", choices=HarmLevel.choices())
    continuing_until = _date(
        "违法行为终了日期",
        required=False,
        help_text="违法行为有连续或者继续状态的填写（第三十六条第二款）",
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
        widget=CHECKBOXES,
    )
    amount_involved = forms.DecimalField(label="违法所得或货值金额（元）", required=False, **MONEY)
    mental_capacity = forms.ChoiceField(
        label="辨认、控制能力",
        choices=MentalCapacity.choices(),
        initial=MentalCapacity.FULL.value,
        help_text="仅当事人为公民时适用（第三十一条）",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in BOOLEAN_FACTS:
            self.fields[name] = forms.BooleanField(
                label=label, required=False, initial=self.initial.get(name, name == "facts_certain")
            )
        self.order_fields([n for n in self.fields if n != "on"] + ["on"])

    def initial_for(self, case: PenaltyCase) -> dict[str, Any]:
        f = dict(case.facts or {})
        initial: dict[str, Any] = {
            "severity": f.get("severity") or "",
            "harm": f.get("harm") or HarmLevel.ORDINARY.value,
            "continuing_until": f.get("continuing_until") or case.continuing_until,
            "prior_violation_dates": "\n".join(f.get("prior_violation_dates") or []),
            "circumstances": list(f.get("circumstances") or []),
            "amount_involved": f.get("amount_involved"),
            "mental_capacity": f.get("mental_capacity") or MentalCapacity.FULL.value,
        }
        for name, _label in BOOLEAN_FACTS:
            if name in f:
                initial[name] = bool(f[name])
        return initial

    def clean_prior_violation_dates(self) -> list[str]:
        dates = parse_dates(self.cleaned_data.get("prior_violation_dates") or "")
        return [d.isoformat() for d in dates]

    def service_kwargs(self) -> dict[str, Any]:
        return {"on": self.cleaned_data["on"], "facts": self.facts()}

    def facts(self) -> dict[str, Any]:
        """The facts as JSON values, the keys of ``Facts`` (the service adds the dates, the
        party and the item from the case)."""
        d = self.cleaned_data
        amount = d.get("amount_involved")
        until = d.get("continuing_until")
        facts: dict[str, Any] = {
            "severity": d.get("severity") or None,
            "harm": d["harm"],
            "continuing_until": until.isoformat() if until else None,
            "prior_violation_dates": list(d.get("prior_violation_dates") or []),
            "circumstances": list(d.get("circumstances") or []),
            "amount_involved": str(amount) if amount is not None else None,
        }
        for name, _label in BOOLEAN_FACTS:
            facts[name] = bool(d.get(name))
        party = self.case.parties.order_by("order").first()
        if party is not None and party.kind == PartyKind.INDIVIDUAL:
            facts["mental_capacity"] = d["mental_capacity"]
        return facts


class _MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. Django streams each large upload to a temporary file; the
    field only checks that a file came, it never reads one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not files:
            if self.required:
                raise forms.ValidationError("请选择要上传的文件", code="required")
            return []
        single = super().clean
        return [single(f, initial) for f in files]


class EvidenceForm(ActionForm):
    multipart = True

    # Named as the service's argument; the form's own ``files`` (the upload dictionary) is an
    # instance attribute, which the declared field does not shadow at run time.
    files = MultipleFileField(  # type: ignore[assignment]
        label="证据文件",
        help_text="可一次选择多个文件；照片、录音、录像须与所选载体一致",
    )
    title = forms.CharField(label="证据名称", max_length=200)
    kind = forms.ChoiceField(label="证据种类（第四十六条）", choices=EvidenceKind.choices)
    medium = forms.ChoiceField(label="载体", choices=Medium.choices)
    activity = forms.ChoiceField(
        label="执法环节（音像记录）",
        required=False,
        help_text="录音录像记录的是哪个执法环节（国办发〔2018〕118号 三（八））",
    )

    def service_kwargs(self) -> dict[str, Any]:
        # Django has kept each upload in memory (small) or streamed it to a temporary file
        # (large); the service hashes and stores it from there in chunks.
        d = dict(self.cleaned_data)
        files = [
            UploadedFile(
                stream=cast(IO[bytes], f), name=f.name or "upload", content_type=f.content_type
            )
            for f in d["files"]
        ]
        return {**d, "files": files, "activity": d.get("activity") or ""}

    def setup(self, case: PenaltyCase, actor: User) -> None:
        codes = cast(list[str], default_parameters().get("AUDIO_VIDEO_ACTIVITIES", _today()).value)
        field = cast(forms.ChoiceField, self.fields["activity"])
        field.choices = _with_all([(c, ACTIVITY_LABELS.get(c, c)) for c in codes], "（不适用）")


class HoldEvidenceForm(ActionForm):
    description = _text(
        "登记保存的物品", help_text="名称、数量、规格、存放地点（行政处罚法 第五十六条）"
    )


class HandleHeldForm(ActionForm):
    hold = HoldChoiceField(
        label="登记保存", queryset=EvidenceHold.objects.none(), empty_label="请选择"
    )
    handling = _text("处理决定", rows=3, max_length=300)

    def setup(self, case: PenaltyCase, actor: User) -> None:
        _queryset(self, "hold", case.holds.filter(handled_on=None))


class RecuseForm(ActionForm):
    officer = OfficerChoiceField(
        label="回避的执法人员", queryset=Officer.objects.none(), empty_label="请选择"
    )
    reason = _text("回避理由", rows=3, max_length=300)

    def setup(self, case: PenaltyCase, actor: User) -> None:
        active = Officer.objects.filter(
            case_assignments__case=case, case_assignments__recused_on=None
        )
        _queryset(self, "officer", active.select_related("organization"))


class ReportForm(ActionForm):
    report = _text("调查终结报告", rows=6)


def _penalty_choices(case: PenaltyCase) -> list[tuple[str, str]]:
    allowed = set(case.item.penalty_types or [])
    return [(v, label) for v, label in PenaltyType.choices() if not allowed or v in allowed]


class NotifyForm(ActionForm):
    penalty_types = forms.MultipleChoiceField(
        label="拟作出的处罚种类", choices=PenaltyType.choices(), widget=CHECKBOXES
    )
    fine = forms.DecimalField(label="拟罚款金额（元）", required=False, **MONEY)

    def setup(self, case: PenaltyCase, actor: User) -> None:
        cast(forms.MultipleChoiceField, self.fields["penalty_types"]).choices = _penalty_choices(
            case
        )

    def initial_for(self, case: PenaltyCase) -> dict[str, Any]:
        return {"penalty_types": list(case.proposed_types or []), "fine": case.proposed_fine}


class NoPenaltyForm(ActionForm):
    outcome = forms.ChoiceField(
        label="处理结果",
        choices=[
            (Outcome.NO_PENALTY.value, Outcome.NO_PENALTY.label),
            (Outcome.NOT_ESTABLISHED.value, Outcome.NOT_ESTABLISHED.label),
        ],
    )
    reason = _text("理由")


class StatementForm(ActionForm):
    statement = _text("陈述申辩意见", required=False, rows=5)
    waived = forms.BooleanField(label="当事人明确放弃陈述申辩", required=False)


class ScheduleHearingForm(ActionForm):
    hearing_on = _date("听证日期", help_text="应当在举行听证的七日前通知当事人（第六十四条）")
    location = forms.CharField(label="听证地点", max_length=200)
    host = UserChoiceField(
        label="听证主持人",
        queryset=User.objects.none(),
        empty_label="请选择",
        help_text="由行政机关指定的非本案调查人员担任（第六十四条第四项）",
    )
    public = forms.BooleanField(
        label="公开举行",
        required=False,
        initial=True,
        help_text="涉及国家秘密、商业秘密或者个人隐私的除外",
    )

    def setup(self, case: PenaltyCase, actor: User) -> None:
        users = User.objects.filter(is_active=True, organization__in=visible_organizations(actor))
        _queryset(self, "host", users.order_by("organization__path", "full_name", "username"))


class ConcludeHearingForm(ActionForm):
    held = forms.BooleanField(
        label="听证已举行",
        required=False,
        initial=True,
        help_text="当事人无正当理由拒不出席或中途退出的，不勾选（视为放弃听证权利）",
    )
    record_text = _text("听证笔录摘要或缺席情况", rows=6)


class ReviewForm(ActionForm):
    """法制审核 (第五十八条; 国办发〔2018〕118号 四（十三）): the checklist and the opinion."""

    comments = _text("书面审核意见", rows=5)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in REVIEW_CHECKLIST:
            self.fields[f"check_{key}"] = forms.BooleanField(label=label, required=False)
        self.order_fields([f"check_{k}" for k, _ in REVIEW_CHECKLIST] + ["comments", "on"])

    def checklist(self) -> dict[str, bool]:
        return {key: bool(self.cleaned_data.get(f"check_{key}")) for key, _ in REVIEW_CHECKLIST}

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"on": d["on"], "comments": d["comments"], "checklist": self.checklist()}


class DiscussionForm(ActionForm):
    participants = _text("参加人员", rows=2)
    conclusion = _text("讨论结论", rows=4)


class ExtendForm(ActionForm):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=3650)
    reason = _text("延长理由")
    collective = forms.BooleanField(
        label="经负责人集体讨论决定", required=False, help_text="再次延长的，应当集体讨论决定"
    )


class DecideForm(ActionForm):
    penalty_types = forms.MultipleChoiceField(
        label="处罚种类",
        required=False,
        choices=PenaltyType.choices(),
        widget=CHECKBOXES,
        help_text="不予行政处罚的案件不选",
    )
    fine = forms.DecimalField(label="罚款金额（元）", required=False, **MONEY)
    confiscation = forms.DecimalField(label="没收违法所得（元）", required=False, **MONEY)
    deviation_reason = _text(
        "偏离裁量基准的理由",
        required=False,
        rows=2,
        help_text="罚款不在裁量基准允许的幅度内时填写，须经负责人批准或集体讨论",
    )
    education_record = _text(
        "教育记录",
        required=False,
        rows=2,
        help_text="不予行政处罚的，应当对当事人进行教育（第三十三条第三款）",
    )
    correction = _text(
        "责令改正内容", required=False, rows=2, help_text="填写后同时制作责令改正通知书"
    )

    def setup(self, case: PenaltyCase, actor: User) -> None:
        cast(forms.MultipleChoiceField, self.fields["penalty_types"]).choices = _penalty_choices(
            case
        )

    def initial_for(self, case: PenaltyCase) -> dict[str, Any]:
        return {"penalty_types": list(case.proposed_types or []), "fine": case.proposed_fine}


class ServeForm(ActionForm):
    method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    recipient = forms.CharField(label="签收人", max_length=100, required=False)

    def initial_for(self, case: PenaltyCase) -> dict[str, Any]:
        return {"method": ServiceMethod.DIRECT.value}


class PaymentForm(ActionForm):
    amount = forms.DecimalField(label="缴纳罚款金额（元）", **MONEY)
    surcharge = forms.DecimalField(
        label="加处罚款（元）",
        required=False,
        help_text="逾期缴纳的，每日按罚款数额的百分之三加处罚款（第七十二条）",
        **MONEY,
    )

    def initial_for(self, case: PenaltyCase) -> dict[str, Any]:
        return {"amount": case.fine if case.fine is not None else Decimal(0), "surcharge": 0}

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {**d, "surcharge": d.get("surcharge") or Decimal(0)}


class RemedyForm(ActionForm):
    kind = forms.ChoiceField(label="类型", choices=RemedyKind.choices)
    started_on = _date("开始日期")
    ended_on = _date("结束日期", required=False, help_text="尚未结束的不填")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["on"]  # the period's own dates are the step's dates

    def initial_for(self, case: PenaltyCase) -> dict[str, Any]:
        return {"started_on": _today()}


class CloseForm(ActionForm):
    summary = _text("结案报告", rows=5)


class TransferForm(ActionForm):
    target = forms.ChoiceField(label="移送对象", choices=TransferTarget.choices)
    recipient = forms.CharField(label="接收机关", max_length=200)
    reason = _text("移送理由")


class CorrectDisclosureForm(ActionForm):
    reason = _text("更正理由")
    facts_text = _text(
        "违法事实（更正后）", required=False, help_text="公开内容中的违法事实有误时修改；其余不填"
    )

    def initial_for(self, case: PenaltyCase) -> dict[str, Any]:
        return {"facts_text": case.facts_text}

    def service_kwargs(self) -> dict[str, Any]:
        # Unchanged or cleared: the published facts stay as they are.
        d = self.cleaned_data
        text = (d.get("facts_text") or "").strip()
        changed = text and text != self.case.facts_text.strip()
        return {"on": d["on"], "reason": d["reason"], "facts_text": text if changed else None}


class WithdrawDisclosureForm(ActionForm):
    reason = _text("撤回理由", help_text="撤回理由将向社会公开（行政处罚法 第四十八条）")


# --- refusals on the form that caused them ---------------------------------------------------

PARTY_FIELD_RE = re.compile(r"^parties\[(\d+)\]\.(\w+)$")


def refuse(form: forms.Form, exc: DomainError, aliases: Mapping[str, str] | None = None) -> None:
    """Show a service's refusal on the field it names (a party's field on that party's row),
    else at the top of the form. The user's input stays as typed."""
    field = str(getattr(exc, "field", "") or next(iter(exc.details), "") or "")
    field = (aliases or {}).get(field, field)
    match = PARTY_FIELD_RE.match(field)
    # The service numbers the parties it was given: the filled rows, in order.
    party_forms = form.party_forms() if hasattr(form, "party_forms") else []
    if match:
        index, name = int(match.group(1)), match.group(2)
        if index < len(party_forms) and name in party_forms[index].fields:
            party_forms[index].add_error(name, exc.message)
            return
    if field and field in form.fields:
        form.add_error(field, exc.message)
    else:
        form.add_error(None, exc.message)
