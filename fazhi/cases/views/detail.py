"""The case page (案件详情) and the downloads of its documents and evidence."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from fazhi.cases import services
from fazhi.cases.forms import ACTIVITY_LABELS
from fazhi.cases.models import CaseDocument, CaseOfficer, Evidence, Hearing, PenaltyCase
from fazhi.cases.selectors import case_for
from fazhi.cases.services import REVIEW_CHECKLIST
from fazhi.cases.views._common import DeadlineContext, actor_of, requires
from fazhi.cases.views.actions import panel
from fazhi.core.permissions import has_perm
from fazhi.ledger.models import Attachment
from fazhi.ledger.services import attachment_path
from fazhi.rules.enforcement import PenaltyType


def _hearing(case: PenaltyCase) -> Hearing | None:
    return Hearing.objects.filter(case=case).select_related("host").first()


def _evaluation(case: PenaltyCase) -> dict[str, Any]:
    """The stored conclusion of the rules engine, as the page shows it."""
    e = dict(case.evaluation or {})
    procedure = e.get("procedure") or {}
    return {
        "treatment": e.get("treatment_label", ""),
        "mandatory": e.get("mandatory_label", ""),
        "allowed": e.get("allowed_labels", []),
        "fine_text": e.get("fine_text", ""),
        "time_barred": e.get("time_barred", False),
        "applied_entries": e.get("applied_entries", []),
        "procedure": procedure,
        "trace": e.get("trace", []),
        "paragraph": e.get("paragraph", ""),
        "warnings": e.get("warnings", []),
    }


@require_GET
@requires("cases.view")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = case_for(actor, pk)
    actions = panel(actor, case)
    labels = dict(PenaltyType.choices())
    reviews = case.legal_reviews.select_related("reviewer")
    checklist = dict(REVIEW_CHECKLIST)
    context = {
        "case": case,
        "officers": CaseOfficer.objects.filter(case=case).select_related("officer"),
        "steps": case.steps.select_related("actor").order_by("id"),
        "deadlines": DeadlineContext.now().of(case),
        "evaluation": _evaluation(case),
        "documents": case.documents.select_related("attachment"),
        "evidence": case.evidence.select_related("attachment"),
        "missing_recordings": [
            ACTIVITY_LABELS.get(a, a) for a in services.missing_recordings(case)
        ],
        "disclosures": case.disclosures.select_related("actor").order_by("version"),
        "holds": case.holds.select_related("approved_by"),
        "reviews": [
            (r, [checklist.get(k, k) for k, ok in (r.checklist or {}).items() if not ok])
            for r in reviews
        ],
        "discussions": case.discussions.all(),
        "extensions": case.extensions.select_related("approved_by"),
        "remedies": case.remedies.all(),
        "hearing": _hearing(case),
        "penalty_labels": [labels.get(t, t) for t in case.penalty_types or []],
        "proposed_labels": [labels.get(t, t) for t in case.proposed_types or []],
        "relief": services.relief_amount(case) if case.lenient else None,
        "actions": [a for a in actions if not a.danger],
        "danger_actions": [a for a in actions if a.danger],
        "today": timezone.localdate(),
        "can_view_ledger": has_perm(actor, "ledger.view_entries"),
    }
    return render(request, "cases/case_detail.html", context)


def _file_response(attachment: Attachment) -> FileResponse:
    """The stored file, streamed; always as a download (an uploaded file is never rendered
    by the browser in the platform's origin)."""
    try:
        stream = attachment_path(attachment.digest).open("rb")
    except FileNotFoundError:
        raise Http404("文件不在存储中（可能尚未从备份恢复），请联系系统管理员") from None
    return FileResponse(
        stream,
        as_attachment=True,
        filename=attachment.original_name or attachment.digest,
        content_type=attachment.content_type or "application/octet-stream",
    )


@require_GET
@requires("cases.view")
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    case = case_for(actor_of(request), pk)
    doc = get_object_or_404(CaseDocument.objects.select_related("attachment"), case=case, pk=doc_pk)
    return _file_response(doc.attachment)


@require_GET
@requires("cases.view")
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    case = case_for(actor_of(request), pk)
    item = get_object_or_404(
        Evidence.objects.select_related("attachment"), case=case, pk=evidence_pk
    )
    return _file_response(item.attachment)
