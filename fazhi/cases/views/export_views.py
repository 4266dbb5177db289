"""Exports of the case list: CSV streamed at once, XLSX built in the background with a
progress page (htmx polls the status box; no inline script under the CSP)."""

from __future__ import annotations

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from fazhi.cases import exports
from fazhi.cases.forms import CaseFilterForm
from fazhi.cases.views._common import actor_of, enforcement_orgs, requires
from fazhi.core.exports import XLSX_CONTENT_TYPE


def _filters(request: HttpRequest, data: object) -> dict[str, object]:
    form = CaseFilterForm(data, organizations=enforcement_orgs(actor_of(request)))
    return form.selector_kwargs()


@require_GET
@requires("cases.export")
def case_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The list as filtered, every page, streamed row by row (UTF-8 with BOM for Excel)."""
    return exports.csv_response(actor_of(request), _filters(request, request.GET))


@require_POST
@requires("cases.export")
def case_export_xlsx(request: HttpRequest) -> HttpResponse:
    """Start the workbook of the list as filtered (the filters come as hidden fields)."""
    job = exports.start_xlsx_export(
        actor=actor_of(request), filters=_filters(request, request.POST)
    )
    return redirect("cases:export_status", job_id=job.id)


@require_GET
@requires("cases.export")
def export_status(request: HttpRequest, job_id: str) -> HttpResponse:
    job = exports.get_job_for(actor_of(request), job_id)
    context = {"job": job, "stale_minutes": exports.stale_minutes()}
    if request.headers.get("HX-Request"):
        return render(request, "cases/_export_progress.html", context)
    return render(request, "cases/export_status.html", context)


@require_GET
@requires("cases.export")
def export_download(request: HttpRequest, job_id: str) -> FileResponse:
    job = exports.get_job_for(actor_of(request), job_id)
    if job.state != exports.DONE:
        raise Http404("导出文件尚未生成")
    try:
        stream = exports.job_file(job).open("rb")
    except FileNotFoundError:
        raise Http404("导出文件已过期，请重新导出") from None
    response = FileResponse(stream, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = exports.xlsx_filename_header()
    return response
