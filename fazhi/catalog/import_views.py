"""Pages of the Excel/CSV import and export: upload, progress, preview, apply, download.

One set of pages for every import group (:class:`~fazhi.catalog.imports.ImportGroup`): each
view takes the group as a keyword argument from its URL pattern (:mod:`fazhi.catalog.
import_urls`), so the catalog's pages and another app's (the 双随机 directories) differ only in
what the group says.

Thin like every view: parse, authorize, one service or selector, render. The upload returns at
once with a redirect to the job page; validation and apply run in the background
(:mod:`fazhi.catalog.imports`), and the page polls a small partial with htmx (no inline script:
the CSP forbids it).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from fazhi.catalog import excel, imports
from fazhi.catalog.imports import ImportGroup
from fazhi.catalog.models import ImportJob, ImportStatus
from fazhi.core import exports
from fazhi.core.errors import DomainError
from fazhi.core.models import User
from fazhi.core.permissions import has_perm, require

PAGE_SIZE = 50
ERROR_PAGE_SIZE = 50
ERROR_HEADERS = ("行号", "列", "错误说明")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="导入内容")
    file = forms.FileField(widget=forms.ClearableFileInput)

    def __init__(self, *args: Any, group: ImportGroup, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["kind"])
        field.choices = [(k, group.label(k)) for k in kinds]
        file = self.fields["file"]
        file.label = f"{group.files}文件"
        file.help_text = f"{group.upload_help}，不超过{excel.max_upload_bytes() // 1048576} MB"
        file.widget.attrs["accept"] = ".xlsx,.csv" if group.csv else ".xlsx"


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _kind(group: ImportGroup, name: str) -> str:
    kind = group.kind_for(name)
    if kind is None:
        raise Http404("没有这种导入内容")
    return kind


def _kind_links(actor: User, group: ImportGroup) -> list[dict[str, Any]]:
    importable = set(imports.importable_kinds(actor, group.name))
    can_view = has_perm(actor, group.view_permission)
    return [
        {
            "kind": group.short_name(kind),
            "label": group.label(kind),
            "template": kind in importable,
            "export": can_view,
        }
        for kind in group.kinds
    ]


def _upload_form(actor: User, group: ImportGroup, *args: Any) -> UploadForm:
    return UploadForm(*args, group=group, kinds=imports.importable_kinds(actor, group.name))


def _list_page(
    request: HttpRequest, group: ImportGroup, form: UploadForm, status: int = 200
) -> HttpResponse:
    actor = _actor(request)
    jobs = imports.jobs_for(actor, group.name)
    context = {
        "group": group,
        "form": form,
        "page": Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page")),
        "kinds": _kind_links(actor, group),
    }
    return render(request, "catalog/import_list.html", context, status=status)


@login_required
@require_GET
def import_list(request: HttpRequest, group: ImportGroup) -> HttpResponse:
    actor = _actor(request)
    imports.require_import(actor, group=group.name)
    return _list_page(request, group, _upload_form(actor, group))


@login_required
@require_POST
def import_upload(request: HttpRequest, group: ImportGroup) -> HttpResponse:
    actor = _actor(request)
    imports.require_import(actor, group=group.name)
    form = _upload_form(actor, group, request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.start_import(
                actor=actor,
                kind=form.cleaned_data["kind"],
                file=upload,
                original_name=upload.name or "upload.xlsx",
                size=upload.size or 0,
                content_type=upload.content_type or "",
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, f"已上传“{job.original_name}”，校验进度和结果见本页")
            return redirect(f"{group.namespace}:import_detail", pk=job.pk)
    return _list_page(request, group, form, status=400)


def _job_context(actor: User, group: ImportGroup, job: ImportJob) -> dict[str, Any]:
    return {
        "group": group,
        "job": job,
        "running": job.status in imports.RUNNING,
        "can_apply": job.status == ImportStatus.READY and job.created_by_id == actor.pk,
        "summary": job.summary or {},
        "error_count": (job.summary or {}).get("error_count", len(job.errors)),
        "stale_minutes": imports.stale_minutes(),
        "can_view_ledger": has_perm(actor, "ledger.view_entries"),
    }


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int, group: ImportGroup) -> HttpResponse:
    actor = _actor(request)
    job = imports.get_job_for(actor, pk, group.name)
    context = _job_context(actor, group, job)
    context["errors"] = Paginator(job.errors, ERROR_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/import_detail.html", context)


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int, group: ImportGroup) -> HttpResponse:
    """The status box alone, polled every second while the job runs."""
    actor = _actor(request)
    job = imports.get_job_for(actor, pk, group.name)
    response = render(request, "catalog/import_progress.html", _job_context(actor, group, job))
    if request.headers.get("HX-Request") and job.status not in imports.RUNNING:
        # Finished: reload the whole page, which shows the preview, the errors or the result.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int, group: ImportGroup) -> HttpResponse:
    actor = _actor(request)
    job = imports.get_job_for(actor, pk, group.name)
    try:
        imports.request_apply(actor=actor, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已开始导入，完成前请勿重复操作")
    return redirect(f"{group.namespace}:import_detail", pk=job.pk)


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int, group: ImportGroup) -> HttpResponse:
    """Every error of the job as a workbook, to fix the file row by row."""
    job = imports.get_job_for(_actor(request), pk, group.name)
    rows = (
        (e.get("row") or "", e.get("column") or "（整个文件）", e.get("message", ""))
        for e in job.errors
    )
    content = exports.build_workbook("错误清单", ERROR_HEADERS, rows)
    return exports.xlsx_response(f"导入错误清单-{job.pk}", content)


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str, group: ImportGroup) -> HttpResponse:
    kind = _kind(group, kind)
    imports.require_import(_actor(request), kind)
    fmt = group.fmt(request.GET.get("format", ""))
    content = group.template(kind, fmt)
    return exports.file_response(f"{group.label(kind)}导入模板", content, fmt)


@login_required
@require_GET
def export_download(request: HttpRequest, kind: str, group: ImportGroup) -> HttpResponse:
    """The rows the user may read, as the import sheet (filters as on the list pages)."""
    kind = _kind(group, kind)
    actor = _actor(request)
    require(actor, group.view_permission)
    fmt = group.fmt(request.GET.get("format", ""))
    content, _ = group.export(actor=actor, kind=kind, filters=request.GET.dict(), fmt=fmt)
    return exports.file_response(f"{group.label(kind)}导出", content, fmt)
