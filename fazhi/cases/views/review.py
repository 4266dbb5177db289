"""Pages of 案卷评查: review plans (commit and reveal the draw), scoring a drawn file, the
《行政执法监督意见书》 list (due dates, overdue in red) and the department's answer.

Thin like the other case pages: each form is parsed here, the one service called, and its
Chinese refusal shown on the form with the input kept. Reads go through
``fazhi.cases.review_selectors`` (scope; a plan or an opinion outside it is a 404).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from fazhi.cases import review, review_selectors, review_services
from fazhi.cases.forms import refuse
from fazhi.cases.models import OpinionStatus, ReviewPlan, ReviewPlanStatus, SupervisionOpinion
from fazhi.cases.services import UploadedFile
from fazhi.cases.views._common import actor_of, paginate, requires
from fazhi.cases.views.detail import _file_response
from fazhi.core.errors import DomainError
from fazhi.core.exports import build_workbook, xlsx_response
from fazhi.core.models import Organization, User
from fazhi.core.selectors import visible_organizations
from fazhi.draws import selectors as draw_selectors
from fazhi.draws.models import DrawStatus

REVIEW = "cases.review"
ANSWER = "cases.answer_review"
DATE = forms.DateInput(attrs={"type": "date"})


# --- forms ------------------------------------------------------------------------------------


class PlanFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="搜索")
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label="年度")


class PlanForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label="评查机关")
    year = forms.IntegerField(min_value=2000, max_value=2100, label="年度")
    title = forms.CharField(max_length=200, label="评查名称")
    departments = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(),
        label="被评查部门",
        widget=forms.CheckboxSelectMultiple,
    )
    closed_from = forms.DateField(label="结案日期起", widget=DATE)
    closed_to = forms.DateField(label="结案日期止", widget=DATE)
    sample_size = forms.IntegerField(
        required=False, min_value=1, max_value=1000, label="每部门抽取案卷数"
    )
    sample_percent = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100,
        label="或：每部门抽取比例（%）",
        help_text="二者填一项；部门案卷少于抽取数时全部抽取",
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = visible_organizations(actor).filter(is_active=True)
        org_field = self.fields["organization"]
        assert isinstance(org_field, forms.ModelChoiceField)
        org_field.queryset = scope
        dept_field = self.fields["departments"]
        assert isinstance(dept_field, forms.ModelMultipleChoiceField)
        dept_field.queryset = scope.exclude(enforcement_basis="")
        if actor.organization_id and not self.is_bound:
            self.initial.setdefault("organization", actor.organization_id)
            year = timezone.localdate().year - 1
            self.initial.setdefault("year", year)
            self.initial.setdefault("closed_from", dt.date(year, 1, 1))
            self.initial.setdefault("closed_to", dt.date(year, 12, 31))

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CommitForm(forms.Form):
    randomness_source = forms.CharField(
        max_length=500,
        label="公开随机数来源",
        help_text="承诺时尚未产生的公开随机数，例如某日某期福利彩票开奖号码",
    )
    randomness_due = forms.DateField(label="随机数产生日期", widget=DATE)
    redraw_reason = forms.CharField(
        required=False, max_length=500, label="重新抽取理由（重新抽取时必填）"
    )


class RevealForm(forms.Form):
    value = forms.CharField(max_length=500, label="公开的随机数")
    evidence = forms.CharField(max_length=500, label="随机数公开出处（网址或公告）")


class ScoreForm(forms.Form):
    """One score and one note per criterion of the plan's sheet, the findings and the date."""

    findings = forms.CharField(
        required=False, label="评查意见（发现的问题）", widget=forms.Textarea(attrs={"rows": 3})
    )
    on = forms.DateField(label="评分日期", widget=DATE)

    def __init__(self, *args: Any, sheet: dict[str, Any], current: dict[str, Any], **kw: Any):
        super().__init__(*args, **kw)
        self.criteria = review.criteria(sheet)
        for c in self.criteria:
            given = current.get(c.code) or {}
            self.fields[f"score_{c.code}"] = forms.IntegerField(
                label=f"{c.description}（{c.points}分）",
                min_value=0,
                max_value=c.points,
                initial=given.get("score", c.points),
            )
            self.fields[f"note_{c.code}"] = forms.CharField(
                required=False, max_length=500, label="扣分理由", initial=given.get("note", "")
            )
        self.fields["on"].initial = timezone.localdate()

    def rows(self) -> list[tuple[review.Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.code}"], self[f"note_{c.code}"]) for c in self.criteria]

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "scores": {c.code: d[f"score_{c.code}"] for c in self.criteria},
            "notes": {c.code: d.get(f"note_{c.code}") or "" for c in self.criteria},
            "findings": d.get("findings") or "",
            "on": d["on"],
        }


class OpinionForm(forms.Form):
    department = forms.ModelChoiceField(queryset=Organization.objects.none(), label="被监督部门")
    findings = forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(
        label="处理意见和整改要求", widget=forms.Textarea(attrs={"rows": 4})
    )
    on = forms.DateField(label="制发日期", widget=DATE)

    def __init__(self, *args: Any, plan: ReviewPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = plan.departments.all()
        self.fields["on"].initial = timezone.localdate()


class DateOnlyForm(forms.Form):
    on = forms.DateField(label="收到日期", widget=DATE)


class AnswerForm(forms.Form):
    report = forms.CharField(label="整改情况书面报告", widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(required=False, label="报告文件（可选）")
    on = forms.DateField(label="报送日期", widget=DATE)


class RecheckForm(forms.Form):
    reason = forms.CharField(label="申请复查的理由", widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label="申请日期", widget=DATE)


class RecheckAnswerForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="复查结论",
        choices=[("1", "维持原意见"), ("0", "变更原意见")],
        coerce=lambda v: v == "1",
    )
    answer = forms.CharField(label="复查答复", widget=forms.Textarea(attrs={"rows": 3}))
    on = forms.DateField(label="答复日期", widget=DATE)


class OpinionFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="搜索")
    status = forms.ChoiceField(
        required=False, choices=[("", "全部状态"), *OpinionStatus.choices], label="状态"
    )
    overdue = forms.BooleanField(required=False, label="只看逾期")


# --- plans ------------------------------------------------------------------------------------


@require_GET
@requires(REVIEW)
def review_plan_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    filters = PlanFilterForm(request.GET)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    plans = review_selectors.plans_for(
        actor, search=data.get("q") or "", year=data.get("year") or None
    )
    return render(
        request,
        "cases/review_plan_list.html",
        {"filters": filters, "page": paginate(request, plans)},
    )


@requires(REVIEW)
def review_plan_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    posted = request.method == "POST"
    form = PlanForm(request.POST if posted else None, actor=actor)
    if posted and form.is_valid():
        try:
            plan = review_services.create_plan(actor=actor, **form.service_kwargs())
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, "已创建评查计划")
            return redirect("cases:review_plan_detail", pk=plan.pk)
    return render(
        request, "cases/review_plan_form.html", {"form": form}, status=400 if posted else 200
    )


def _plan_context(actor: User, plan: ReviewPlan) -> dict[str, Any]:
    committed = plan.draw is not None
    return {
        "plan": plan,
        "reviews": list(review_selectors.current_reviews(plan)),
        "history": review_selectors.draw_history(plan),
        "scores": review_selectors.department_scores(plan),
        "opinions": list(plan.opinions.select_related("department").order_by("pk")),
        "max_total": review.max_total(plan.sheet),
        "can_commit": plan.status != ReviewPlanStatus.DRAWN
        or not any(r.scored_on for r in review_selectors.current_reviews(plan)),
        "can_reveal": committed
        and plan.draw is not None
        and plan.draw.status == DrawStatus.COMMITTED,
        "commit_form": CommitForm(initial={"randomness_due": timezone.localdate()}),
        "reveal_form": RevealForm(),
        "opinion_form": OpinionForm(plan=plan) if plan.status == ReviewPlanStatus.DRAWN else None,
        "sheet": review.criteria(plan.sheet),
    }


@require_GET
@requires(REVIEW)
def review_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    plan = review_selectors.plan_for(actor, pk)
    return render(request, "cases/review_plan_detail.html", _plan_context(actor, plan))


def _plan_post(
    request: HttpRequest,
    pk: int,
    form_class: type[forms.Form],
    form_key: str,
    call: Callable[[User, ReviewPlan, forms.Form], object],
    done: str,
    **form_kwargs: Any,
) -> HttpResponse:
    """POST one form of the plan page; on a refusal the page comes back with the form's
    errors and the input kept (status 400)."""
    actor = actor_of(request)
    plan = review_selectors.plan_for(actor, pk)
    form = form_class(request.POST, request.FILES, **form_kwargs)
    if form.is_valid():
        try:
            call(actor, plan, form)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, done)
            return redirect("cases:review_plan_detail", pk=plan.pk)
    context = _plan_context(actor, plan)
    context[form_key] = form
    return render(request, "cases/review_plan_detail.html", context, status=400)


@require_POST
@requires(REVIEW)
def review_plan_commit(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_post(
        request,
        pk,
        CommitForm,
        "commit_form",
        lambda actor, plan, f: review_services.commit_plan(
            actor=actor, plan=plan, **f.cleaned_data
        ),
        "已作出抽取承诺并公布承诺摘要",
    )


@require_POST
@requires(REVIEW)
def review_plan_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_post(
        request,
        pk,
        RevealForm,
        "reveal_form",
        lambda actor, plan, f: review_services.reveal_plan(
            actor=actor, plan=plan, **f.cleaned_data
        ),
        "已录入公开随机数并完成抽取",
    )


@require_POST
@requires(REVIEW)
def review_opinion_issue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = review_selectors.plan_for(actor_of(request), pk)
    return _plan_post(
        request,
        pk,
        OpinionForm,
        "opinion_form",
        lambda actor, plan, f: review_services.issue_opinion(
            actor=actor, plan=plan, **f.cleaned_data
        ),
        "已制发行政执法监督意见书",
        plan=plan,
    )


@require_GET
@requires(REVIEW)
def review_draw_bundle(request: HttpRequest, pk: int, draw_pk: int) -> HttpResponse:
    """The verification bundle of one of the plan's draws (the current one or one it replaced):
    with the standalone verifier anyone handed the file re-computes the sample. A 案卷评查
    sample names cases, so the bundle is not on the portal (fazhi.draws.selectors)."""
    plan = review_selectors.plan_for(actor_of(request), pk)
    draw = next((d for d in review_selectors.draw_history(plan) if d.pk == draw_pk), None)
    if draw is None:
        raise Http404("该抽取不属于本评查计划")
    data = json.dumps(draw_selectors.bundle(draw), ensure_ascii=False, indent=1)
    response = HttpResponse(data.encode(), content_type="application/json; charset=utf-8")
    name = f"case-review-draw-{draw.pk}-{draw.commitment_digest[:12]}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@requires(REVIEW)
def review_plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's drawn files with every criterion's score, as Excel (one row a file)."""
    plan = review_selectors.plan_for(actor_of(request), pk)
    criteria = review.criteria(plan.sheet)
    headers = [
        "办案机关",
        "名次",
        "案件编号",
        "案由",
        *(f"{c.section}：{c.description}（{c.points}分）" for c in criteria),
        "总分",
        "评查意见",
        "评分日期",
    ]
    rows = [
        (
            r.case.organization.name,
            r.rank,
            r.case.number,
            r.case.title,
            *((r.scores.get(c.code) or {}).get("score") for c in criteria),
            float(r.total) if r.total is not None else None,
            r.findings,
            r.scored_on.isoformat() if r.scored_on else None,
        )
        for r in review_selectors.current_reviews(plan)
    ]
    return xlsx_response(f"案卷评查-{plan.title}", build_workbook("案卷评查", headers, rows))


@requires(REVIEW)
def review_score(request: HttpRequest, pk: int, case_pk: int) -> HttpResponse:
    """The scoring page of one drawn file, with links to the case file (documents, timeline)."""
    actor = actor_of(request)
    row = review_selectors.review_for(actor, pk, case_pk)
    plan = row.plan
    posted = request.method == "POST"
    form = ScoreForm(request.POST if posted else None, sheet=plan.sheet, current=row.scores)
    if not posted and row.findings:
        form.initial["findings"] = row.findings
    recusal = review_services.recusal_reason(actor, row.case)
    if posted and form.is_valid():
        try:
            review_services.score(actor=actor, plan=plan, case=row.case, **form.service_kwargs())
        except DomainError as exc:
            field = getattr(exc, "field", "")
            if field.startswith(("scores.", "notes.")):
                kind, code = field.split(".", 1)
                name = f"{'score' if kind == 'scores' else 'note'}_{code}"
                if name in form.fields:
                    form.add_error(name, exc.message)
                else:
                    form.add_error(None, exc.message)
            else:
                refuse(form, exc)
        else:
            messages.success(request, f"已保存案卷“{row.case.number}”的评分")
            return redirect("cases:review_plan_detail", pk=plan.pk)
    context = {
        "plan": plan,
        "row": row,
        "case": row.case,
        "form": form,
        "recusal": recusal,
        "max_total": review.max_total(plan.sheet),
        "documents": list(row.case.documents.order_by("id")),
        "steps": list(row.case.steps.select_related("actor").order_by("id")),
    }
    return render(
        request,
        "cases/review_score.html",
        context,
        status=400 if posted else 200,
    )


# --- opinions ---------------------------------------------------------------------------------
#
# Two sides, one page each, so that every URL has one permission: the supervising body
# (cases.review: ``opinions/``) follows what it issued; the department (cases.answer_review:
# ``answers/``) answers what it received. Both show the same opinion; the forms differ.

SIDES: dict[str, dict[str, str]] = {
    REVIEW: {
        "list": "cases:review_opinion_list",
        "detail": "cases:review_opinion_detail",
        "action": "cases:review_opinion_action",
        "document": "cases:review_opinion_document",
        "report": "cases:review_opinion_report",
        "title": "行政执法监督意见书",
    },
    ANSWER: {
        "list": "cases:department_opinion_list",
        "detail": "cases:department_opinion_detail",
        "action": "cases:department_opinion_action",
        "document": "cases:department_opinion_document",
        "report": "cases:department_opinion_report",
        "title": "待整改的监督意见书",
    },
}
ACTIONS_OF_SIDE = {
    REVIEW: frozenset({"receive", "recheck_answer"}),
    ANSWER: frozenset({"receive", "answer", "recheck"}),
}


def _opinion_list(request: HttpRequest, side: str) -> HttpResponse:
    actor = actor_of(request)
    today = timezone.localdate()
    filters = OpinionFilterForm(request.GET)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    opinions: QuerySet[SupervisionOpinion] = review_selectors.opinions_for(
        actor,
        side=side,
        search=data.get("q") or "",
        status=data.get("status") or "",
        overdue_on=today if data.get("overdue") else None,
    )
    overdue_count = review_selectors.overdue(
        review_selectors.opinions_for(actor, side=side), today
    ).count()
    return render(
        request,
        "cases/review_opinion_list.html",
        {
            "filters": filters,
            "page": paginate(request, opinions),
            "today": today,
            "overdue_count": overdue_count,
            "open_states": [s.value for s in review_selectors.OPEN],
            "urls": SIDES[side],
        },
    )


@require_GET
@requires(REVIEW)
def review_opinion_list(request: HttpRequest) -> HttpResponse:
    return _opinion_list(request, REVIEW)


@require_GET
@requires(ANSWER)
def department_opinion_list(request: HttpRequest) -> HttpResponse:
    return _opinion_list(request, ANSWER)


def _opinion_context(side: str, opinion: SupervisionOpinion) -> dict[str, Any]:
    today = timezone.localdate()
    status = opinion.status
    department = side == ANSWER
    return {
        "opinion": opinion,
        "today": today,
        "urls": SIDES[side],
        "overdue": status in review_selectors.OPEN
        and opinion.due_on is not None
        and opinion.due_on < today,
        "receive_form": DateOnlyForm(initial={"on": today})
        if status == OpinionStatus.ISSUED
        else None,
        "answer_form": AnswerForm(initial={"on": today})
        if status == OpinionStatus.RECEIVED and department
        else None,
        "recheck_form": RecheckForm(initial={"on": today})
        if status == OpinionStatus.RECEIVED and department and opinion.recheck_requested_on is None
        else None,
        "recheck_answer_form": RecheckAnswerForm(initial={"on": today})
        if status == OpinionStatus.RECHECK and not department
        else None,
    }


def _opinion_detail(request: HttpRequest, pk: int, side: str) -> HttpResponse:
    opinion = review_selectors.opinion_for(actor_of(request), pk, side)
    return render(request, "cases/review_opinion_detail.html", _opinion_context(side, opinion))


@require_GET
@requires(REVIEW)
def review_opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _opinion_detail(request, pk, REVIEW)


@require_GET
@requires(ANSWER)
def department_opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _opinion_detail(request, pk, ANSWER)


def _upload(form: forms.Form) -> UploadedFile | None:
    f = form.cleaned_data.get("file")
    if not f:
        return None
    return UploadedFile(f, f.name, f.content_type or "application/octet-stream")


OPINION_ACTIONS: dict[str, tuple[str, type[forms.Form], Callable[..., object], str]] = {
    "receive": (
        "receive_form",
        DateOnlyForm,
        lambda actor, o, f, side: review_services.receive_opinion(
            actor=actor, opinion=o, on=f.cleaned_data["on"], side=side
        ),
        "已登记收到日期，整改期限开始计算",
    ),
    "answer": (
        "answer_form",
        AnswerForm,
        lambda actor, o, f, side: review_services.answer_opinion(
            actor=actor,
            opinion=o,
            report=f.cleaned_data["report"],
            on=f.cleaned_data["on"],
            file=_upload(f),
        ),
        "已报送整改情况书面报告",
    ),
    "recheck": (
        "recheck_form",
        RecheckForm,
        lambda actor, o, f, side: review_services.request_recheck(
            actor=actor, opinion=o, reason=f.cleaned_data["reason"], on=f.cleaned_data["on"]
        ),
        "已申请复查",
    ),
    "recheck_answer": (
        "recheck_answer_form",
        RecheckAnswerForm,
        lambda actor, o, f, side: review_services.answer_recheck(
            actor=actor, opinion=o, **f.cleaned_data
        ),
        "已答复复查申请",
    ),
}


def _opinion_action(request: HttpRequest, pk: int, action: str, side: str) -> HttpResponse:
    if action not in ACTIONS_OF_SIDE[side]:
        raise Http404("没有这个操作")
    form_key, form_class, call, done = OPINION_ACTIONS[action]
    actor = actor_of(request)
    opinion = review_selectors.opinion_for(actor, pk, side)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            call(actor, opinion, form, side)
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, done)
            return redirect(SIDES[side]["detail"], pk=opinion.pk)
    context = _opinion_context(side, opinion)
    context[form_key] = form
    return render(request, "cases/review_opinion_detail.html", context, status=400)


@require_POST
@requires(REVIEW)
def review_opinion_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return _opinion_action(request, pk, action, REVIEW)


@require_POST
@requires(ANSWER)
def department_opinion_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return _opinion_action(request, pk, action, ANSWER)


def _opinion_file(request: HttpRequest, pk: int, side: str, report: bool) -> FileResponse:
    opinion = review_selectors.opinion_for(actor_of(request), pk, side)
    attachment = opinion.report_attachment if report else opinion.attachment
    if attachment is None:
        raise Http404("没有报告文件")
    return _file_response(attachment)


@require_GET
@requires(REVIEW)
def review_opinion_document(request: HttpRequest, pk: int) -> FileResponse:
    return _opinion_file(request, pk, REVIEW, report=False)


@require_GET
@requires(REVIEW)
def review_opinion_report(request: HttpRequest, pk: int) -> FileResponse:
    return _opinion_file(request, pk, REVIEW, report=True)


@require_GET
@requires(ANSWER)
def department_opinion_document(request: HttpRequest, pk: int) -> FileResponse:
    return _opinion_file(request, pk, ANSWER, report=False)


@require_GET
@requires(ANSWER)
def department_opinion_report(request: HttpRequest, pk: int) -> FileResponse:
    return _opinion_file(request, pk, ANSWER, report=True)
