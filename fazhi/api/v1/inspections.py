"""/inspections: 双随机、一公开 — the item list, the entity and inspector directories, plans,
tasks with their verifiable draw (commit, reveal), inspection records and their results.

Same rules as the pages. Reads go through `fazhi.inspections.selectors` (a plan, task or record
outside the caller's data scope is a 404); every write is one service of
`fazhi.inspections.services`. The permission is checked before the row is looked up, so a wrong
role is a 403, never a 404. A refusal naming a field of the request is a 422 with
`details.fields`; other refusals are 400, conflicts 409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import IO, Annotated, Any, cast

from django.http import HttpRequest, HttpResponse
from ninja import Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.params import functions as param
from pydantic import Field, StringConstraints

from fazhi.api.v1.errors import ApiError, responses
from fazhi.api.v1.schemas import MAX_DB_INT, OrgRef, Page, PageQuery, SearchQuery, org_ref, paginate
from fazhi.api.v1.security import caller
from fazhi.catalog.models import EnforcementItem, Officer
from fazhi.core.choices import OrgKind
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.models import Organization, User
from fazhi.core.permissions import require
from fazhi.core.selectors import visible_organizations
from fazhi.draws.models import Draw
from fazhi.draws.services import AssignmentRules
from fazhi.inspections import selectors, services
from fazhi.inspections.models import (
    Entity,
    InspectionItem,
    InspectionRecord,
    Inspector,
    ItemKind,
    Outcome,
    Plan,
    PlanKind,
    RiskClass,
    Task,
    TaskStatus,
)
from fazhi.inspections.views.ceremony import bundle_response
from fazhi.rules.parameters import ParameterError

router = Router(tags=["双随机、一公开"])

VIEW, MANAGE, DRAW, RECORD = (
    "inspections.view",
    "inspections.manage",
    "inspections.draw",
    "inspections.record",
)
WRITE_ERRORS = responses(400, 401, 403, 404, 409, 422)
READ_ERRORS = responses(401, 403, 404, 422)
RowId = param.Path(..., ge=1, le=MAX_DB_INT, description="编号")
Day = Annotated[dt.date, Field(ge=dt.date(1990, 1, 1), le=dt.date(2099, 12, 31))]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, strip_whitespace=True)]
RatioText = Annotated[str, StringConstraints(max_length=20)]


def _text(max_length: int, description: str) -> Any:
    return Field(min_length=1, max_length=max_length, description=description)


@contextmanager
def _input_errors(fields: Collection[str]) -> Iterator[None]:
    """A service's refusal that names a field of this request becomes a 422 on that field."""
    try:
        yield
    except ConflictError:
        raise
    except DomainError as exc:
        named = {str(k).split(".")[0]: v for k, v in (exc.details or {}).items()}
        if not named or any(k not in fields for k in named):
            raise
        details = {
            k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in named.items()
        }
        raise ApiError(422, "validation_error", exc.message, {"fields": details}) from exc
    except ParameterError as exc:
        raise ApiError(400, "invalid", str(exc)) from exc


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "validation_error", message, {"fields": {field: [message]}})


def _org(user: User, code: str, field: str) -> Organization:
    org = visible_organizations(user).filter(code=code).first()
    if org is None:
        raise _invalid(field, f"数据范围内没有代码为“{code}”的单位")
    return org


def _any_org(code: str, field: str, kind: str | None = None) -> Organization:
    qs = Organization.objects.filter(code=code, is_active=True)
    if kind:
        qs = qs.filter(kind=kind)
    org = qs.first()
    if org is None:
        raise _invalid(field, f"没有代码为“{code}”的单位")
    return org


# --- output -----------------------------------------------------------------------------------


class InspectionItemOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    organization: OrgRef
    basis: str
    content: str
    method: str
    qualification: str
    is_active: bool


class InspectionEntityOut(Schema):
    id: int
    credit_code: str
    name: str
    kind: str
    industry: str
    township: OrgRef
    address: str
    risk_class: str
    licences: list[Any]
    is_active: bool


class InspectionPersonOut(Schema):
    name: str
    certificate_number: str


class InspectorDirectoryOut(Schema):
    id: int
    name: str
    certificate_number: str
    organization: OrgRef
    qualifications: list[str]
    township: OrgRef | None
    is_active: bool


class InspectionPlanOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    year: int
    organization: OrgRef
    departments: list[OrgRef]
    items: list[str] = Field(description="抽查事项编码")
    ratios: dict[str, dict[str, str]] = Field(
        description="抽查比例：事项类别（general 一般、key 重点）→ 信用风险类别（A–D）→ 比例"
    )
    industries: list[str]
    starts_on: dt.date
    ends_on: dt.date
    status: str
    published_on: dt.date | None


class InspectionDrawOut(Schema):
    id: int
    status: str
    method: str
    commitment_digest: str
    commitment: dict[str, Any]
    candidate_count: int
    selected_count: int
    randomness_source: str
    randomness_due: dt.date
    randomness: str
    randomness_evidence: str
    result: dict[str, Any] | None
    failure: str
    supersedes: int | None = Field(description="重新抽取所替代的抽取 id")
    redraw_reason: str


class InspectionTaskOut(Schema):
    id: int
    plan: int
    number: str
    title: str
    due_on: dt.date
    status: str
    finished_on: dt.date | None
    published_on: dt.date | None
    draw: InspectionDrawOut | None


class InspectionRecordOut(Schema):
    id: int
    task: int
    credit_code: str
    entity_name: str
    inspectors: list[InspectionPersonOut]
    substitutes: list[InspectionPersonOut]
    inspected_on: dt.date | None
    outcome: str
    findings: str
    evidence: list[Any]
    ledger_seq: int | None


def _item(i: InspectionItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "code": i.code,
        "name": i.name,
        "kind": i.kind,
        "organization": org_ref(i.organization),
        "basis": i.basis,
        "content": i.content,
        "method": i.method,
        "qualification": i.qualification,
        "is_active": i.is_active,
    }


def _entity(e: Entity) -> dict[str, Any]:
    return {
        "id": e.pk,
        "credit_code": e.credit_code,
        "name": e.name,
        "kind": e.kind,
        "industry": e.industry,
        "township": org_ref(e.township),
        "address": e.address,
        "risk_class": e.risk_class,
        "licences": list(e.licences or []),
        "is_active": e.is_active,
    }


def _inspector(i: Inspector) -> dict[str, Any]:
    return {
        "id": i.pk,
        "name": i.officer.name,
        "certificate_number": i.officer.certificate_number,
        "organization": org_ref(i.officer.organization),
        "qualifications": list(i.qualifications or []),
        "township": org_ref(i.township),
        "is_active": i.is_active,
    }


def _plan(p: Plan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "number": p.number,
        "title": p.title,
        "kind": p.kind,
        "year": p.year,
        "organization": org_ref(p.organization),
        "departments": [org_ref(d) for d in p.departments.all()],
        "items": [i.code for i in p.items.all()],
        "ratios": services.stored_ratios(p.ratios),
        "industries": list(p.industries or []),
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "status": p.status,
        "published_on": p.published_on,
    }


def _draw(d: Draw | None) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "id": d.pk,
        "status": d.status,
        "method": d.method,
        "commitment_digest": d.commitment_digest,
        "commitment": d.commitment,
        "candidate_count": d.candidate_count,
        "selected_count": d.selected_count,
        "randomness_source": d.randomness_source,
        "randomness_due": d.randomness_due,
        "randomness": d.randomness,
        "randomness_evidence": d.randomness_evidence,
        "result": d.result,
        "failure": d.failure,
        "supersedes": d.supersedes_id,
        "redraw_reason": d.redraw_reason,
    }


def _task(t: Task) -> dict[str, Any]:
    return {
        "id": t.pk,
        "plan": t.plan_id,
        "number": t.number,
        "title": t.title,
        "due_on": t.due_on,
        "status": t.status,
        "finished_on": t.finished_on,
        "published_on": t.published_on,
        "draw": _draw(t.draw),
    }


def _person(i: Inspector) -> dict[str, str]:
    return {"name": i.officer.name, "certificate_number": i.officer.certificate_number}


def _record(r: InspectionRecord) -> dict[str, Any]:
    return {
        "id": r.pk,
        "task": r.task_id,
        "credit_code": r.entity.credit_code,
        "entity_name": r.entity.name,
        "inspectors": [_person(i) for i in r.inspectors.all()],
        "substitutes": [_person(i) for i in r.substitutes.all()],
        "inspected_on": r.inspected_on,
        "outcome": r.outcome,
        "findings": r.findings,
        "evidence": list(r.evidence or []),
        "ledger_seq": r.ledger_seq,
    }


# --- input ------------------------------------------------------------------------------------


class InspectionItemIn(Schema):
    organization: str = _text(64, "抽查主体的单位代码")
    code: Code = Field(description="事项编码")
    name: str = _text(300, "抽查事项")
    kind: ItemKind = Field(description="general 一般检查事项；key 重点检查事项")
    basis: str = _text(5000, "抽查依据")
    qualification: str = _text(50, "检查人员应具备的资格（执法领域）")
    content: str = Field("", max_length=5000, description="抽查内容")
    method: str = Field("现场检查", min_length=1, max_length=100, description="抽查方式")
    catalog_items: list[Code] = Field(
        default_factory=list, max_length=100, description="执法事项编码"
    )


class InspectionEntityIn(Schema):
    credit_code: str = Field(min_length=18, max_length=18, description="统一社会信用代码")
    name: str = _text(200, "名称")
    industry: str = _text(100, "行业")
    township: str = _text(64, "所在乡镇的单位代码")
    risk_class: RiskClass = Field(description="信用风险分类 A–D")
    kind: str = Field("", max_length=50, description="市场主体类型")
    address: str = Field("", max_length=300, description="住所（经营场所）")
    licences: list[Annotated[str, StringConstraints(max_length=200)]] = Field(
        default_factory=list, max_length=50, description="许可证"
    )
    is_active: bool = Field(True, description="存续")


class InspectorDirectoryIn(Schema):
    certificate_number: str = _text(32, "执法证号（执法人员须已登记）")
    qualifications: list[Annotated[str, StringConstraints(min_length=1, max_length=50)]] = Field(
        min_length=1, max_length=20, description="资格（执法领域）"
    )
    township: str | None = Field(None, max_length=64, description="所在（派驻）乡镇的单位代码")
    is_active: bool = True


class InspectionPlanIn(Schema):
    organization: str = _text(64, "牵头单位代码")
    kind: PlanKind = Field(description="department 部门抽查计划；joint 部门联合抽查计划")
    year: int = Field(ge=2000, le=2099, description="年度")
    number: str = _text(100, "计划编号")
    title: str = _text(200, "计划名称")
    items: list[Code] = Field(min_length=1, max_length=200, description="抽查事项编码")
    ratios: dict[str, RatioText | dict[str, RatioText]] = Field(
        max_length=10,
        description=(
            "抽查比例（0 到 1 的小数），按事项类别和信用风险类别："
            '{"general": {"A": "0.01", "B": "0.02", "C": "0.1", "D": "0.3"}, '
            '"key": {"A": "0.03", "B": "0.05", "C": "0.2", "D": "0.5"}}；'
            '也可只按风险类别 {"A": "0.05", "B": …, "C": …, "D": …}（两类事项相同）；'
            "{} 为参数默认值。计划含重点检查事项的，按重点检查事项的比例抽取"
        ),
    )
    starts_on: Day
    ends_on: Day
    departments: list[Code] = Field(
        default_factory=list, max_length=100, description="参加部门代码"
    )
    industries: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=100, description="检查对象行业范围（空为全部）"
    )


class InspectionOnIn(Schema):
    on: Day = Field(description="日期")


class InspectionTaskIn(Schema):
    number: str = _text(100, "任务编号")
    title: str = _text(200, "任务名称")
    due_on: Day = Field(description="检查完成期限")


class InspectionCommitIn(Schema):
    randomness_source: str = _text(500, "将来公开的随机数来源（承诺之后才产生）")
    randomness_due: Day = Field(description="随机数产生日期")
    per_task: int = Field(2, ge=2, le=10, description="每户检查人员数（不少于 2）")
    substitutes: int = Field(2, ge=0, le=10, description="替补人员数")
    same_township: bool = Field(False, description="允许检查人员检查本乡镇的对象")
    max_pairings: int | None = Field(None, ge=1, le=100, description="同一人员检查同一对象次数上限")
    redraw_reason: str = Field("", max_length=500, description="重新抽取的理由（重新抽取时必填）")


class InspectionRevealIn(Schema):
    value: str = _text(500, "公开的随机数（按公告原样）")
    evidence: str = _text(500, "随机数的公开出处（网址或公告）")


class InspectionResultIn(Schema):
    inspected_on: Day = Field(description="检查日期")
    outcome: Outcome = Field(description="检查结果")
    findings: str = Field("", max_length=5000, description="检查情况")


class InspectionItemQuery(SearchQuery):
    organization: str = Field("", max_length=64, description="抽查主体单位代码")


class InspectionEntityQuery(SearchQuery):
    industry: str = Field("", max_length=100)
    risk_class: RiskClass | None = None
    township: str = Field("", max_length=64, description="乡镇单位代码")


class InspectionPlanQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2099)
    kind: PlanKind | None = None


class InspectionTaskQuery(PageQuery):
    plan: int | None = Field(None, ge=1, le=MAX_DB_INT)
    status: TaskStatus | None = None


class InspectionRecordQuery(PageQuery):
    task: int | None = Field(None, ge=1, le=MAX_DB_INT)


# --- directories ------------------------------------------------------------------------------


@router.get(
    "/items", response={200: Page[InspectionItemOut], **READ_ERRORS}, summary="抽查事项清单"
)
def list_items(request: HttpRequest, q: Query[InspectionItemQuery]) -> dict[str, Any]:
    qs = selectors.items_for(caller(request), q=q.search, organization=q.organization or None)
    return paginate(qs.order_by("organization__path", "code"), q, _item)


@router.post("/items", response={201: InspectionItemOut, **WRITE_ERRORS}, summary="新增抽查事项")
def create_item(request: HttpRequest, payload: InspectionItemIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, MANAGE)
    org = _org(user, payload.organization, "organization")
    catalog_items = list(EnforcementItem.objects.filter(code__in=payload.catalog_items))
    if len(catalog_items) != len(set(payload.catalog_items)):
        raise _invalid("catalog_items", "有执法事项编码不存在")
    with _input_errors(InspectionItemIn.model_fields):
        item = services.save_item(
            actor=user,
            organization=org,
            code=payload.code,
            name=payload.name,
            kind=payload.kind.value,
            basis=payload.basis,
            qualification=payload.qualification,
            content=payload.content,
            method=payload.method,
            catalog_items=catalog_items,
        )
    return 201, _item(item)


@router.get(
    "/entities", response={200: Page[InspectionEntityOut], **READ_ERRORS}, summary="检查对象名录库"
)
def list_entities(request: HttpRequest, q: Query[InspectionEntityQuery]) -> dict[str, Any]:
    qs = selectors.entities_for(
        caller(request),
        q=q.search,
        industry=q.industry,
        risk_class=q.risk_class.value if q.risk_class else "",
        township=q.township or None,
    )
    return paginate(qs, q, _entity)


@router.post(
    "/entities", response={201: InspectionEntityOut, **WRITE_ERRORS}, summary="新增检查对象"
)
def create_entity(request: HttpRequest, payload: InspectionEntityIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, MANAGE)
    township = _any_org(payload.township, "township", OrgKind.TOWNSHIP)
    with _input_errors(InspectionEntityIn.model_fields):
        entity = services.save_entity(
            actor=user,
            credit_code=payload.credit_code.strip().upper(),
            name=payload.name,
            industry=payload.industry,
            township=township,
            risk_class=payload.risk_class.value,
            kind=payload.kind,
            address=payload.address,
            licences=payload.licences,
            is_active=payload.is_active,
        )
    return 201, _entity(entity)


@router.get(
    "/inspectors",
    response={200: Page[InspectorDirectoryOut], **READ_ERRORS},
    summary="执法检查人员名录库",
)
def list_inspectors(request: HttpRequest, q: Query[SearchQuery]) -> dict[str, Any]:
    qs = selectors.inspectors_for(caller(request), q=q.search)
    return paginate(qs.order_by("officer__certificate_number"), q, _inspector)


@router.post(
    "/inspectors", response={201: InspectorDirectoryOut, **WRITE_ERRORS}, summary="纳入检查人员"
)
def create_inspector(
    request: HttpRequest, payload: InspectorDirectoryIn
) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, MANAGE)
    officer = Officer.objects.filter(
        certificate_number=payload.certificate_number,
        organization__in=visible_organizations(user),
    ).first()
    if officer is None:
        raise _invalid("certificate_number", "数据范围内没有这个执法证号的执法人员")
    township = (
        _any_org(payload.township, "township", OrgKind.TOWNSHIP) if payload.township else None
    )
    with _input_errors({*InspectorDirectoryIn.model_fields, "officer"}):
        inspector = services.save_inspector(
            actor=user,
            officer=officer,
            qualifications=payload.qualifications,
            township=township,
            is_active=payload.is_active,
        )
    inspector = selectors.inspectors_for(user).get(pk=inspector.pk)
    return 201, _inspector(inspector)


# --- plans and tasks --------------------------------------------------------------------------


@router.get("/plans", response={200: Page[InspectionPlanOut], **READ_ERRORS}, summary="抽查计划")
def list_plans(request: HttpRequest, q: Query[InspectionPlanQuery]) -> dict[str, Any]:
    qs = selectors.plans_for(caller(request), year=q.year, kind=q.kind.value if q.kind else None)
    return paginate(qs.order_by("-year", "number"), q, _plan)


@router.post("/plans", response={201: InspectionPlanOut, **WRITE_ERRORS}, summary="制定抽查计划")
def create_plan(request: HttpRequest, payload: InspectionPlanIn) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, MANAGE)
    org = _org(user, payload.organization, "organization")
    items = list(selectors.items_for(user).filter(code__in=payload.items))
    if len(items) != len(set(payload.items)):
        raise _invalid("items", "有抽查事项编码不存在或不在数据范围内")
    departments = [_any_org(c, "departments") for c in dict.fromkeys(payload.departments)]
    with _input_errors(InspectionPlanIn.model_fields):
        plan = services.create_plan(
            actor=user,
            organization=org,
            kind=payload.kind.value,
            year=payload.year,
            number=payload.number,
            title=payload.title,
            items=items,
            ratios=payload.ratios,  # both forms; the service checks and normalizes them
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            departments=departments,
            industries=payload.industries,
        )
    return 201, _plan(selectors.plan_for(user, plan.pk))


@router.get(
    "/plans/{plan_id}", response={200: InspectionPlanOut, **READ_ERRORS}, summary="抽查计划详情"
)
def get_plan(request: HttpRequest, plan_id: int = RowId) -> dict[str, Any]:
    return _plan(selectors.plan_for(caller(request), plan_id))


@router.post(
    "/plans/{plan_id}/publish",
    response={200: InspectionPlanOut, **WRITE_ERRORS},
    summary="公布抽查计划",
)
def publish_plan(
    request: HttpRequest, payload: InspectionOnIn, plan_id: int = RowId
) -> dict[str, Any]:
    user = caller(request)
    require(user, MANAGE)
    plan = selectors.plan_for(user, plan_id)
    with _input_errors(InspectionOnIn.model_fields):
        services.publish_plan(actor=user, plan=plan, on=payload.on)
    return _plan(selectors.plan_for(user, plan_id))


@router.post(
    "/plans/{plan_id}/tasks",
    response={201: InspectionTaskOut, **WRITE_ERRORS},
    summary="添加抽查任务",
)
def add_task(
    request: HttpRequest, payload: InspectionTaskIn, plan_id: int = RowId
) -> tuple[int, dict[str, Any]]:
    user = caller(request)
    require(user, MANAGE)
    plan = selectors.plan_for(user, plan_id)
    with _input_errors(InspectionTaskIn.model_fields):
        task = services.add_task(
            actor=user, plan=plan, number=payload.number, title=payload.title, due_on=payload.due_on
        )
    return 201, _task(selectors.task_for(user, task.pk))


@router.get("/tasks", response={200: Page[InspectionTaskOut], **READ_ERRORS}, summary="抽查任务")
def list_tasks(request: HttpRequest, q: Query[InspectionTaskQuery]) -> dict[str, Any]:
    qs = selectors.tasks_for(
        caller(request), plan=q.plan, status=q.status.value if q.status else None
    )
    return paginate(qs.order_by("-plan__year", "plan__number", "number"), q, _task)


@router.get(
    "/tasks/{task_id}",
    response={200: InspectionTaskOut, **READ_ERRORS},
    summary="抽查任务详情（含当前抽取）",
)
def get_task(request: HttpRequest, task_id: int = RowId) -> dict[str, Any]:
    return _task(selectors.task_for(caller(request), task_id))


@router.post(
    "/tasks/{task_id}/commit",
    response={201: InspectionTaskOut, **WRITE_ERRORS},
    summary="作出抽取承诺",
    description=(
        "固定候选名单（默克尔根和数量）、各层抽取数和检查人员分派规则，并写明将来公开的随机数来源。"
        "已有抽取的任务只能重新抽取：须写明 redraw_reason，原抽取仍然公开（ARCHITECTURE §7）。"
    ),
)
def commit(
    request: HttpRequest, payload: InspectionCommitIn, task_id: int = RowId
) -> tuple[int, Any]:
    user = caller(request)
    require(user, DRAW)
    task = selectors.task_for(user, task_id)
    rules = AssignmentRules(
        per_task=payload.per_task,
        substitutes=payload.substitutes,
        same_township=payload.same_township,
        max_pairings=payload.max_pairings,
    )
    with _input_errors(InspectionCommitIn.model_fields):
        services.commit_draw(
            actor=user,
            task=task,
            randomness_source=payload.randomness_source,
            randomness_due=payload.randomness_due,
            rules=rules,
            redraw_reason=payload.redraw_reason,
        )
    return 201, _task(selectors.task_for(user, task_id))


@router.post(
    "/tasks/{task_id}/reveal",
    response={200: InspectionTaskOut, **WRITE_ERRORS},
    summary="录入公开随机数并抽取",
    description="随机数只能录入一次；条件不能满足时抽取记为失败并说明原因，须重新承诺。",
)
def reveal(
    request: HttpRequest, payload: InspectionRevealIn, task_id: int = RowId
) -> dict[str, Any]:
    user = caller(request)
    require(user, DRAW)
    task = selectors.task_for(user, task_id)
    with _input_errors(InspectionRevealIn.model_fields):
        services.reveal_draw(actor=user, task=task, value=payload.value, evidence=payload.evidence)
    return _task(selectors.task_for(user, task_id))


@router.post(
    "/tasks/{task_id}/publish",
    response={200: InspectionTaskOut, **WRITE_ERRORS},
    summary="公示抽查结果",
)
def publish_results(
    request: HttpRequest, payload: InspectionOnIn, task_id: int = RowId
) -> dict[str, Any]:
    user = caller(request)
    require(user, MANAGE)
    task = selectors.task_for(user, task_id)
    with _input_errors(InspectionOnIn.model_fields):
        services.publish_results(actor=user, task=task, on=payload.on)
    return _task(selectors.task_for(user, task_id))


@router.get(
    "/draws/{draw_id}/bundle",
    response=READ_ERRORS,
    summary="下载抽取包（验证用 JSON）",
    openapi_extra={
        "responses": {
            200: {
                "description": "抽取包：承诺、随机数、名单和结果，可用 draw_verifier.py 验证",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        }
    },
)
def draw_bundle(request: HttpRequest, draw_id: int = RowId) -> HttpResponse:
    user = caller(request)
    require(user, VIEW)
    return bundle_response(selectors.draw_for(user, draw_id))


# --- records ----------------------------------------------------------------------------------


@router.get(
    "/records", response={200: Page[InspectionRecordOut], **READ_ERRORS}, summary="抽查记录"
)
def list_records(request: HttpRequest, q: Query[InspectionRecordQuery]) -> dict[str, Any]:
    qs = selectors.records_for(caller(request), task=q.task)
    return paginate(qs.order_by("task", "pk"), q, _record)


@router.get(
    "/records/{record_id}",
    response={200: InspectionRecordOut, **READ_ERRORS},
    summary="抽查记录详情",
)
def get_record(request: HttpRequest, record_id: int = RowId) -> dict[str, Any]:
    return _record(selectors.record_for(caller(request), record_id))


@router.post(
    "/records/{record_id}/result",
    response={200: InspectionRecordOut, **WRITE_ERRORS},
    summary="录入检查结果",
    description=(
        "multipart/form-data：检查日期、结果、检查情况和现场照片等文件（files，可多个）。"
        "只有该记录的检查人员或部门负责人可以录入；文件哈希记入全过程记录。"
    ),
)
def record_result(
    request: HttpRequest,
    payload: Form[InspectionResultIn],
    record_id: int = RowId,
    files: list[UploadedFile] | None = param.File(None, description="现场照片等（可多个）"),  # noqa: B008
) -> dict[str, Any]:
    user = caller(request)
    require(user, RECORD)
    record = selectors.record_for(user, record_id)
    uploads = [
        services.UploadedFile(
            stream=cast(IO[bytes], f),
            name=f.name or "photo",
            content_type=f.content_type or "application/octet-stream",
        )
        for f in files or []
    ]
    with _input_errors({*InspectionResultIn.model_fields, "files"}):
        services.record_result(
            actor=user,
            record=record,
            inspected_on=payload.inspected_on,
            outcome=payload.outcome.value,
            findings=payload.findings,
            files=uploads,
        )
    return _record(selectors.record_for(user, record_id))
