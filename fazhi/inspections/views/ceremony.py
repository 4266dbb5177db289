"""The draw ceremony of a task (抽取现场): commit, reveal, result — and the downloads.

(1) The officer commits: the pool is frozen as a Merkle root and count, the quotas and the
rules fixed, and a future public randomness named; the page shows "承诺已公布" with the digest.
(2) Once that randomness exists, the officer enters it with where it was published. (3) The
result: the entities drawn per stratum with their ranks and the inspectors and substitutes
assigned. A failed or flawed draw is redone only by a new commitment that names the old one,
which stays visible. The ceremony block refreshes itself (htmx polling) while the draw is not
final, so an audience screen (``task_screen``, large type for a projector) follows the
officer's input without anybody touching it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from fazhi.core.errors import DomainError
from fazhi.core.permissions import has_perm
from fazhi.draws import selectors as draw_selectors
from fazhi.draws import verifier
from fazhi.draws.models import Draw, DrawStatus
from fazhi.draws.services import AssignmentRules
from fazhi.inspections import selectors, services
from fazhi.inspections.forms import CommitForm, DateForm, RevealForm, refuse
from fazhi.inspections.models import Entity, Inspector, RiskClass, Task, TaskStatus
from fazhi.inspections.views._common import actor_of, requires

DRAW = "inspections.draw"
POLL_SECONDS = 5
RISK_LABELS = dict(RiskClass.choices)


@dataclass
class Person:
    name: str
    certificate_number: str


@dataclass
class DrawnRow:
    position: int  # 1-based within its stratum
    credit_code: str
    name: str
    rank: str
    inspectors: list[Person] = field(default_factory=list)
    substitutes: list[Person] = field(default_factory=list)


@dataclass
class Stratum:
    code: str
    label: str
    quota: int
    rows: list[DrawnRow]


@dataclass
class DrawView:
    """What a ceremony block shows of one draw, for staff and public alike (no relationships,
    inspectors by name and certificate number only: public under 国办发〔2018〕118号)."""

    draw: Draw
    quotas: list[tuple[str, str, int]]
    rules: dict[str, Any] | None
    strata: list[Stratum]
    history: list[Draw]

    @property
    def pool(self) -> dict[str, Any]:
        return dict(self.draw.commitment.get("pool") or {})

    @property
    def inspector_pool(self) -> dict[str, Any]:
        return dict((self.rules or {}).get("pool") or {})

    @property
    def evidence_url(self) -> str:
        """The evidence's first word when it is a web address (only those become links)."""
        first = (self.draw.randomness_evidence or "").split(maxsplit=1)
        url = first[0] if first else ""
        return url if url.startswith(("https://", "http://")) else ""

    @property
    def waiting(self) -> bool:
        return self.draw.status == DrawStatus.COMMITTED


def _people(ids: Iterable[str], inspectors: dict[str, Inspector]) -> list[Person]:
    out = []
    for i in ids:
        found = inspectors.get(i)
        out.append(Person(found.officer.name if found else "", i))
    return out


def _strata(draw: Draw) -> list[Stratum]:
    result = draw.result or {}
    selected = list(result.get("selected") or [])
    if not selected:
        return []
    tasks = {t["id"]: t for t in result.get("tasks") or []}
    codes = [s["id"] for s in selected]
    names = dict(Entity.objects.filter(credit_code__in=codes).values_list("credit_code", "name"))
    certs = {c for t in tasks.values() for c in [*t["inspectors"], *t["substitutes"]]}
    inspectors = {
        i.officer.certificate_number: i
        for i in Inspector.objects.filter(officer__certificate_number__in=certs).select_related(
            "officer"
        )
    }
    quotas = draw.commitment.get("strata") or {}
    by_stratum: dict[str, Stratum] = {}
    for s in selected:
        code = str(s.get("stratum", ""))
        stratum = by_stratum.setdefault(
            code, Stratum(code, RISK_LABELS.get(code, code or "全部"), int(quotas.get(code, 0)), [])
        )
        t = tasks.get(s["id"], {})
        stratum.rows.append(
            DrawnRow(
                position=len(stratum.rows) + 1,
                credit_code=s["id"],
                name=names.get(s["id"], ""),
                rank=str(s.get("rank") or s.get("md5") or ""),
                inspectors=_people(t.get("inspectors", []), inspectors),
                substitutes=_people(t.get("substitutes", []), inspectors),
            )
        )
    return [by_stratum[k] for k in sorted(by_stratum)]


def draw_history(draw: Draw) -> list[Draw]:
    """The draws this one replaced, the latest first (each re-draw names its predecessor)."""
    out: list[Draw] = []
    current = draw.supersedes
    while current is not None and len(out) < 100:
        out.append(current)
        current = current.supersedes
    return out


def draw_view(draw: Draw) -> DrawView:
    quotas = [
        (code, RISK_LABELS.get(code, code), int(n))
        for code, n in sorted((draw.commitment.get("strata") or {}).items())
    ]
    return DrawView(
        draw=draw,
        quotas=quotas,
        rules=draw.commitment.get("assignment"),
        strata=_strata(draw),
        history=draw_history(draw),
    )


# --- the staff pages --------------------------------------------------------------------------


def _task(request: HttpRequest, pk: int) -> Task:
    return selectors.task_for(actor_of(request), pk)


def _ceremony_context(request: HttpRequest, task: Task) -> dict[str, Any]:
    actor = actor_of(request)
    can_draw = has_perm(actor, DRAW)
    draw = task.draw
    view = draw_view(draw) if draw is not None else None
    final = draw is not None and draw.status != DrawStatus.COMMITTED
    return {
        "task": task,
        "view": view,
        "poll": not final,
        "poll_seconds": POLL_SECONDS,
        "can_draw": can_draw,
        # First commitment: only a task still to be drawn; re-draw: after a failed draw or,
        # with a reason, a drawn one whose inspections have not started.
        "can_commit": can_draw and task.status == TaskStatus.PLANNED and draw is None,
        "can_reveal": can_draw and draw is not None and draw.status == DrawStatus.COMMITTED,
        "can_redraw": can_draw
        and draw is not None
        and draw.status != DrawStatus.COMMITTED
        and task.status in (TaskStatus.PLANNED, TaskStatus.DRAWN),
    }


def _task_page(
    request: HttpRequest,
    task: Task,
    *,
    commit_form: CommitForm | None = None,
    reveal_form: RevealForm | None = None,
    publish_form: DateForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    context = _ceremony_context(request, task)
    redraw = context["can_redraw"]
    context.update(
        {
            "commit_form": commit_form or CommitForm(redraw=False),
            "redraw_form": commit_form if redraw and commit_form else CommitForm(redraw=True),
            "reveal_form": reveal_form or RevealForm(),
            "publish_form": publish_form or DateForm(),
            "records": selectors.records_for(actor, task=task),
            "can_publish": has_perm(actor, "inspections.manage") and task.status == TaskStatus.DONE,
            "publication_due": services.publication_due(task)
            if task.status in (TaskStatus.DONE, TaskStatus.PUBLISHED)
            else None,
        }
    )
    return render(request, "inspections/task_detail.html", context, status=status)


@require_GET
@requires("inspections.view")
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_page(request, _task(request, pk))


@require_GET
@requires("inspections.view")
def task_ceremony(request: HttpRequest, pk: int) -> HttpResponse:
    """The ceremony block alone: what the htmx polling swaps in."""
    context = _ceremony_context(request, _task(request, pk))
    context["screen"] = request.GET.get("screen") == "1"
    return render(request, "inspections/_ceremony.html", context)


@require_GET
@requires("inspections.view")
def task_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The audience screen: the ceremony block in large type, following the officer's input."""
    context = _ceremony_context(request, _task(request, pk))
    context["screen"] = True
    return render(request, "inspections/task_screen.html", context)


def _rules(data: dict[str, Any]) -> AssignmentRules:
    return AssignmentRules(
        per_task=data["per_task"],
        substitutes=data["substitutes"],
        same_township=data["same_township"],
        max_pairings=data["max_pairings"],
    )


@require_POST
@requires(DRAW)
def task_commit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    task = _task(request, pk)
    redraw = task.draw is not None
    form = CommitForm(request.POST, redraw=redraw)
    if form.is_valid():
        try:
            services.commit_draw(
                actor=actor,
                task=task,
                randomness_source=form.cleaned_data["randomness_source"],
                randomness_due=form.cleaned_data["randomness_due"],
                rules=_rules(form.cleaned_data),
                redraw_reason=form.cleaned_data.get("redraw_reason", ""),
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, "承诺已公布：候选名单和抽取规则已固定，请在随机数公开后录入")
            return redirect("inspections:task_detail", pk=task.pk)
    return _task_page(request, task, commit_form=form, status=400)


@require_POST
@requires(DRAW)
def task_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    task = _task(request, pk)
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            task = services.reveal_draw(actor=actor, task=task, **form.cleaned_data)
        except DomainError as exc:
            refuse(form, exc)
        else:
            # The task's copy of its draw predates the reveal: read the draw again.
            drawn = Draw.objects.filter(task=task).first()
            if drawn is not None and drawn.status == DrawStatus.FAILED:
                messages.error(request, f"抽取无法完成：{drawn.failure}")
            else:
                messages.success(request, "已抽取，结果已公布")
            return redirect("inspections:task_detail", pk=task.pk)
    return _task_page(request, task, reveal_form=form, status=400)


@require_POST
@requires("inspections.manage")
def task_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    task = _task(request, pk)
    form = DateForm(request.POST)
    if form.is_valid():
        try:
            services.publish_results(actor=actor, task=task, on=form.cleaned_data["on"])
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, "抽查结果已公示")
            return redirect("inspections:task_detail", pk=task.pk)
    return _task_page(request, task, publish_form=form, status=400)


# --- downloads --------------------------------------------------------------------------------

VERIFIER_PATH = Path(verifier.__file__)


def bundle_response(draw: Draw) -> HttpResponse:
    """The verification bundle as a JSON file named after the commitment digest."""
    data = json.dumps(draw_selectors.bundle(draw), ensure_ascii=False, indent=1)
    response = HttpResponse(data.encode(), content_type="application/json; charset=utf-8")
    name = f"draw-{draw.pk}-{draw.commitment_digest[:12]}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def verifier_response() -> FileResponse:
    """fazhi/draws/verifier.py as draw_verifier.py: one file, standard library only."""
    response = FileResponse(
        VERIFIER_PATH.open("rb"),
        as_attachment=True,
        filename="draw_verifier.py",
        content_type="text/x-python; charset=utf-8",
    )
    return response


@require_GET
@requires("inspections.view")
def draw_bundle(request: HttpRequest, pk: int) -> HttpResponse:
    return bundle_response(selectors.draw_for(actor_of(request), pk))


@require_GET
@requires("inspections.view")
def verifier_download(request: HttpRequest) -> FileResponse:
    return verifier_response()
