"""Inspection results, their publication and the publication deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from fazhi.core.choices import Role
from fazhi.core.models import User
from fazhi.core.permissions import has_perm, require, roles_of
from fazhi.core.selectors import visible_organizations
from fazhi.inspections.models import (
    InspectionRecord,
    Outcome,
    Task,
    TaskStatus,
)
from fazhi.inspections.services._common import (
    MAX_FILE_BYTES,
    PUBLICATION_PARAMETER,
    InspectionError,
    UploadedFile,
    _lock_task,
    _plan_stream,
    _require_in_scope,
    _today,
    valid_choice,
)
from fazhi.ledger.services import record as ledger_record
from fazhi.ledger.services import store_attachment
from fazhi.rules.deadlines import Deadline
from fazhi.rules.parameters import default_parameters

# --- results ----------------------------------------------------------------------------------


def _may_record(actor: User, rec: InspectionRecord) -> None:
    require(actor, "inspections.record")
    inspectors = list(rec.inspectors.select_related("officer__organization"))
    if any(i.officer.user_id == actor.pk for i in inspectors):
        return
    if Role.DEPARTMENT_HEAD in roles_of(actor):
        orgs = {rec.task.plan.organization_id, *(i.officer.organization_id for i in inspectors)}
        if visible_organizations(actor).filter(pk__in=orgs).exists():
            return
    raise InspectionError("只有本条记录的检查人员或部门负责人可以录入检查结果")


def _stream_of(f: Any) -> IO[bytes]:
    return f.stream if isinstance(f, UploadedFile) else f


@transaction.atomic
def record_result(
    *,
    actor: User,
    record: InspectionRecord,
    inspected_on: dt.date,
    outcome: str,
    findings: str,
    files: Sequence[Any] = (),
) -> InspectionRecord:
    """Enter what the inspection of one drawn entity found; the photos and papers go into the
    ledger's attachment store and their digests into this step's ledger entry. When every
    record of the task has a result, the task is done (finished on the last inspection day)."""
    rec = (
        InspectionRecord.objects.select_for_update(of=("self",))
        .select_related("task", "task__plan", "task__plan__organization", "task__draw", "entity")
        .get(pk=record.pk)
    )
    _may_record(actor, rec)
    task = Task.objects.select_for_update().get(pk=rec.task_id)
    plan = rec.task.plan
    if task.status != TaskStatus.DRAWN:
        raise InspectionError(f"任务“{task.title}”{TaskStatus(task.status).label}，不能录入结果")
    outcome = valid_choice(outcome, Outcome.values, "outcome", "检查结果")
    findings = (findings or "").strip()
    if outcome != Outcome.PASSED and not findings:
        raise InspectionError("发现问题或未能检查的，应写明检查情况", "findings")
    if inspected_on > _today():
        raise InspectionError("检查日期不能晚于今天", "inspected_on")
    if not plan.starts_on <= inspected_on <= plan.ends_on:
        raise InspectionError(
            f"检查日期应在计划期间（{plan.starts_on:%Y年%m月%d日}至{plan.ends_on:%Y年%m月%d日}）内",
            "inspected_on",
        )
    drawn_at = rec.task.draw.revealed_at if rec.task.draw else None
    if drawn_at is not None and inspected_on < timezone.localdate(drawn_at):
        raise InspectionError("检查日期不能早于抽取日期", "inspected_on")
    evidence: list[dict[str, Any]] = []
    for f in files:
        stored = store_attachment(
            stream=_stream_of(f),
            original_name=str(f.name or "附件"),
            content_type=str(f.content_type or "application/octet-stream"),
        )
        if stored.size == 0:
            raise InspectionError(f"文件“{f.name}”是空文件", "files")
        if stored.size > MAX_FILE_BYTES:
            raise InspectionError(f"文件“{f.name}”超过{MAX_FILE_BYTES >> 20}MB上限", "files")
        evidence.append(
            {
                "digest": stored.digest,
                "name": str(f.name or "附件"),
                "content_type": stored.content_type,
                "size": stored.size,
            }
        )
    rec.inspected_on, rec.outcome, rec.findings = inspected_on, outcome, findings
    rec.evidence = [*rec.evidence, *evidence]
    pending = task.records.exclude(pk=rec.pk).filter(outcome="").exists()
    if not pending:
        days = [
            d
            for d in task.records.exclude(pk=rec.pk).values_list("inspected_on", flat=True)
            if d is not None
        ]
        task.status, task.finished_on = TaskStatus.DONE, max([inspected_on, *days])
        task.save(update_fields=["status", "finished_on", "updated_at"])
    entry = _record_entry(actor, rec, task, evidence)
    rec.ledger_seq = entry
    rec.save()
    return rec


def _record_entry(
    actor: User, rec: InspectionRecord, task: Task, evidence: Sequence[Mapping[str, Any]]
) -> int:
    entry = ledger_record(
        stream=_plan_stream(task.plan),
        kind="inspections.record.result",
        actor=actor,
        payload={
            "record": rec.pk,
            "task": task.number,
            "credit_code": rec.entity.credit_code,
            "inspected_on": rec.inspected_on.isoformat() if rec.inspected_on else None,
            "outcome": rec.outcome,
            "findings": rec.findings,
            "files": [{"name": e["name"], "digest": e["digest"]} for e in evidence],
            "task_status": task.status,
            "finished_on": task.finished_on.isoformat() if task.finished_on else None,
        },
        attachments=[e["digest"] for e in evidence],
    )
    return int(entry.seq)


@transaction.atomic
def publish_results(*, actor: User, task: Task, on: dt.date) -> Task:
    """Publish a finished task's results (一公开, 58号 二（四）); the deadline is
    :func:`publication_due`, kept as a computation, not a column."""
    task = _lock_task(task)
    require(actor, "inspections.manage")
    _require_in_scope(actor, task.plan.organization)
    if task.status != TaskStatus.DONE:
        raise InspectionError(f"任务“{task.title}”{TaskStatus(task.status).label}，不能公示结果")
    if on > _today():
        raise InspectionError("公示日期不能晚于今天", "on")
    if task.finished_on is not None and on < task.finished_on:
        raise InspectionError("公示日期不能早于检查结束日期", "on")
    task.status, task.published_on = TaskStatus.PUBLISHED, on
    task.save(update_fields=["status", "published_on", "updated_at"])
    due = publication_due(task)
    ledger_record(
        stream=_plan_stream(task.plan),
        kind="inspections.task.published",
        actor=actor,
        payload={
            "task": task.pk,
            "number": task.number,
            "on": on.isoformat(),
            "due": due.isoformat() if due else None,
            "on_time": published_on_time(task),
        },
    )
    return task


# --- the publication deadline (computed, never stored) ----------------------------------------


def publication_deadline(task: Task) -> Deadline | None:
    """finished_on + N working days (parameter INSPECTION_RESULT_PUBLICATION_WDAYS), on the
    working-day calendar of the deadlines (holidays and make-up days from the database)."""
    if task.finished_on is None:
        return None
    from fazhi.core.calendar import compute_deadline

    n = default_parameters().int_value(PUBLICATION_PARAMETER, task.finished_on)
    return compute_deadline(start=task.finished_on, n=n, unit="working_days", law="")


def publication_due(task: Task) -> dt.date | None:
    deadline = publication_deadline(task)
    return deadline.due if deadline else None


def published_on_time(task: Task, today: dt.date | None = None) -> bool | None:
    """True / False once published; False when still unpublished after the deadline; None
    while not finished or still within the deadline."""
    due = publication_due(task)
    if due is None:
        return None
    if task.published_on is not None:
        return task.published_on <= due
    return False if (today or _today()) > due else None


def can_record(actor: User, rec: InspectionRecord) -> bool:
    """Whether :func:`record_result` would let ``actor`` record ``rec`` (for the pages)."""
    if not has_perm(actor, "inspections.record"):
        return False
    try:
        _may_record(actor, rec)
    except InspectionError:
        return False
    return True
