"""The case page (案件详情) and the downloads of its documents and evidence."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from fazhi.cases import services
from fazhi.cases.forms import ACTIVITY_LABELS
from fazhi.cases.models import CaseDocument, Evidence, Hearing, PenaltyCase
from fazhi.cases.selectors import case_for, case_page
from fazhi.cases.services import REVIEW_CHECKLIST
from fazhi.cases.views._common import DeadlineContext, actor_of, requires
from fazhi.cases.views.actions import panel
from fazhi.core.permissions import has_perm
from fazhi.ledger.models import Attachment
from fazhi.ledger.services import attachment_path
from fazhi.rules.enforcement import PenaltyType


def _hearing(case: PenaltyCase) -> Hearing | None:
    try:
        return case.hearing
    except ObjectDoesNotExist:
        return None


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
    # Every row below comes from case_page's one query per table: the panel, the deadlines and
    # the services are given (or read through .all()) those rows instead of querying again.
    case = case_page(actor, pk)
    hearing = _hearing(case)
    evidence = case.evidence.all()
    disclosures = list(case.disclosures.all())
    actions = panel(actor, case, disclosures)
    labels = dict(PenaltyType.choices())
    checklist = dict(REVIEW_CHECKLIST)
    missing = services.missing_recordings(
        case, evidence=evidence, hearing_held=hearing is not None and hearing.held
    )
    context = {
        "case": case,
        "officers": case.case_officers.all(),
        "steps": case.steps.all(),
        "deadlines": DeadlineContext.now().of(case),
        "evaluation": _evaluation(case),
        "documents": case.documents.all(),
        "evidence": evidence,
        "missing_recordings": [ACTIVITY_LABELS.get(a, a) for a in missing],
        "disclosures": disclosures,
        "holds": case.holds.all(),
        "reviews": [
            (r, [checklist.get(k, k) for k, ok in (r.checklist or {}).items() if not ok])
            for r in case.legal_reviews.all()
        ],
        "discussions": case.discussions.all(),
        "extensions": case.extensions.all(),
        "remedies": case.remedies.all(),
        "hearing": hearing,
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
