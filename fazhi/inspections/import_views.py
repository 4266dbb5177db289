"""Pages of the 双随机 directories' Excel/CSV import and export: upload, progress, apply,
errors, templates and exports (included as namespace ``inspection_imports``).

Thin like every view: parse, authorize, one service or selector, render. The job machinery is
the catalog's (:mod:`fazhi.catalog.imports`, through :mod:`fazhi.inspections.imports`): the
upload returns at once with a redirect to the job page, validation and apply run in the
background, and the page polls a small partial with htmx (no inline script: the CSP forbids it).
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

from fazhi.catalog.excel import max_upload_bytes
from fazhi.catalog.models import ImportJob, ImportStatus
from fazhi.core import exports
from fazhi.core.errors import DomainError
from fazhi.core.models import User
from fazhi.core.permissions import has_perm, require
from fazhi.inspections import excel, imports

PAGE_SIZE = 50
ERROR_PAGE_SIZE = 50
ERROR_HEADERS = ("行号", "列", "错误说明")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="导入内容")
    file = forms.FileField(
        label="Excel或CSV文件",
        help_text=(
            "请使用下载的模板填写（.xlsx），或上传国家企业信用信息公示系统等导出的同样列名的"
            f"CSV文件，不超过{max_upload_bytes() // 1048576} MB"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["kind"])
        field.choices = [(k, excel.LABELS[k]) for k in kinds]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _kind(name: str) -> str:
    kind = excel.kind_for(name)
    if kind is None:
        raise Http404("没有这种导入内容")
    return kind


def _fmt(request: HttpRequest) -> str:
    return "csv" if request.GET.get("format") == "csv" else "xlsx"


def _file_response(name: str, content: bytes, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        return exports.xlsx_response(name, content)
    response = exports.xlsx_response(name, content)  # the same safe Content-Disposition …
    response["Content-Type"] = CSV_CONTENT_TYPE  # … for a CSV file
    response["Content-Disposition"] = response["Content-Disposition"].replace(".xlsx", ".csv")
    return response


def _kind_links(actor: User) -> list[dict[str, Any]]:
    importable = set(imports.importable_kinds(actor))
    can_view = has_perm(actor, "inspections.view")
    short = {v: k for k, v in excel.SHORT_NAMES.items()}
    return [
        {
            "kind": short[kind],
            "label": excel.LABELS[kind],
            "template": kind in importable,
            "export": can_view,
        }
        for kind in excel.KINDS
    ]


def _list_page(request: HttpRequest, form: UploadForm, status: int = 200) -> HttpResponse:
    actor = _actor(request)
    jobs = imports.jobs_for(actor)
    context = {
        "form": form,
        "page": Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page")),
        "kinds": _kind_links(actor),
    }
    return render(request, "inspections/import_list.html", context, status=status)


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    imports.require_import(actor)
    return _list_page(request, UploadForm(kinds=imports.importable_kinds(actor)))


@login_required
@require_POST
def import_upload(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    imports.require_import(actor)
    form = UploadForm(request.POST, request.FILES, kinds=imports.importable_kinds(actor))
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
            return redirect("inspection_imports:import_detail", pk=job.pk)
    return _list_page(request, form, status=400)


def _job_context(actor: User, job: ImportJob) -> dict[str, Any]:
    return {
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
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    job = imports.get_job_for(actor, pk)
    context = _job_context(actor, job)
    context["errors"] = Paginator(job.errors, ERROR_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inspections/import_detail.html", context)


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The status box alone, polled every second while the job runs."""
    actor = _actor(request)
    job = imports.get_job_for(actor, pk)
    response = render(request, "inspections/import_progress.html", _job_context(actor, job))
    if request.headers.get("HX-Request") and job.status not in imports.RUNNING:
        # Finished: reload the whole page, which shows the preview, the errors or the result.
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_apply(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    job = imports.get_job_for(actor, pk)
    try:
        imports.request_apply(actor=actor, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已开始导入，完成前请勿重复操作")
    return redirect("inspection_imports:import_detail", pk=job.pk)


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """Every error of the job as a workbook, to fix the file row by row."""
    job = imports.get_job_for(_actor(request), pk)
    rows = (
        (e.get("row") or "", e.get("column") or "（整个文件）", e.get("message", ""))
        for e in job.errors
    )
    content = exports.build_workbook("错误清单", ERROR_HEADERS, rows)
    return exports.xlsx_response(f"导入错误清单-{job.pk}", content)


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    imports.require_import(_actor(request), kind)
    fmt = _fmt(request)
    return _file_response(f"{excel.LABELS[kind]}导入模板", excel.template(kind, fmt), fmt)


@login_required
@require_GET
def export_download(request: HttpRequest, kind: str) -> HttpResponse:
    """The rows the user may read, as the import sheet (filters as on the directory pages)."""
    kind = _kind(kind)
    actor = _actor(request)
    require(actor, "inspections.view")
    fmt = _fmt(request)
    content, _ = excel.export_file(actor=actor, kind=kind, filters=request.GET.dict(), fmt=fmt)
    return _file_response(f"{excel.LABELS[kind]}导出", content, fmt)
