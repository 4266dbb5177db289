"""/catalog/imports: the Excel import of the enforcement catalog (ARCHITECTURE §5 rule 6, §8).

Upload a workbook (multipart) → a job, validated in the background; poll the job for its
progress and every error (row, column, reason); apply it. The same services as the pages: the
uploader's permission and data scope apply to every row, and applying writes every row or
none, with one ledger event that carries the file's digest.

:func:`import_router` builds these operations for any import group: another app's imports
(/inspections/imports) are the same three with its own kinds and words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import File, Form, Path, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from fazhi.api.v1.errors import ApiError, responses
from fazhi.api.v1.schemas import MAX_DB_INT, OrgRef, org_ref
from fazhi.api.v1.security import caller
from fazhi.catalog import imports
from fazhi.catalog.imports import ImportGroup
from fazhi.catalog.models import ImportJob

JobId = Path(..., ge=1, le=MAX_DB_INT, description="导入任务编号")


class ImportErrorOut(Schema):
    row: int | None = Field(description="Excel 行号；null 表示整个文件")
    column: str = Field(description="列名（中文表头）；空字符串表示整行或整个文件")
    message: str = Field(description="错误原因")


class ImportJobOut(Schema):
    id: int
    kind: str = Field(description="bodies / officers / items / list_entries / standards")
    kind_display: str
    status: str = Field(
        description="queued 排队中 / validating 校验中 / invalid 校验未通过 / "
        "ready 校验通过待导入 / applying 导入中 / done 已导入 / failed 导入失败"
    )
    status_display: str
    original_name: str
    file_digest: str = Field(description="上传文件的哈希（全过程记录中引用）")
    created_by: str = Field(description="上传人（用户名）")
    organization: OrgRef
    total_rows: int
    processed_rows: int
    percent: int
    summary: dict[str, Any] = Field(
        description="rows 行数、created 新增、updated 修改、unchanged 无变化、error_count 错误数；"
        "导入完成后另有 ledger_seq 全过程记录序号"
    )
    error_count: int
    errors: list[ImportErrorOut] = Field(description="全部错误（最多 5000 条），按行号排列")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


def job_out(job: ImportJob) -> dict[str, Any]:
    summary = dict(job.summary or {})
    return {
        "id": job.pk,
        "kind": job.kind,
        "kind_display": job.get_kind_display(),
        "status": job.status,
        "status_display": job.get_status_display(),
        "original_name": job.original_name,
        "file_digest": job.attachment_id,
        "created_by": job.created_by.username,
        "organization": org_ref(job.organization),
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job.percent,
        "summary": summary,
        "error_count": int(summary.get("error_count", len(job.errors))),
        "errors": job.errors,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def import_router(
    group: ImportGroup,
    *,
    module: str,
    tag: str,
    schema: type[ImportJobOut],
    upload_description: str,
    noun: str = "",
) -> Router:
    """The import operations of ``group`` (upload, status, apply), for one app's router.

    ``module`` is the mounting module's ``__name__``: the operation ids are the ones
    ``FazhiAPI`` gives its functions (``<module>_upload``). ``noun`` names the jobs in the
    summaries (名录导入任务), ``schema`` describes the group's kinds.
    """
    router = Router(tags=[tag])
    prefix = module.rsplit(".", 1)[-1]
    files = group.files

    def upload(
        request: HttpRequest,
        kind: str | None = Form(None, description="导入内容"),  # noqa: B008
        file: UploadedFile | None = File(  # noqa: B008
            None,
            description=(
                "按导入模板填写的 Excel（.xlsx）或 CSV 文件"
                if group.csv
                else "按导入模板填写的 Excel 文件（.xlsx）"
            ),
        ),
    ) -> tuple[int, dict[str, Any]]:
        actor = caller(request)
        # Permission before the missing-field checks: a caller who may not import learns only that.
        imports.require_import(actor, kind, group.name)
        if kind is None:
            raise ApiError(
                400, "invalid", "请指定导入内容（kind）", {"fields": {"kind": ["必须填写"]}}
            )
        if file is None:
            raise ApiError(
                400, "invalid", f"请上传{files}文件（file）", {"fields": {"file": ["必须填写"]}}
            )
        job = imports.start_import(
            actor=actor,
            kind=kind,
            file=file,
            original_name=file.name or "upload.xlsx",
            size=file.size or 0,
            content_type=file.content_type or "",
        )
        job.refresh_from_db()
        return 201, job_out(job)

    # Only the group's kinds, an enum in the schema (any other is a 422): built here, so set
    # on the signature before the router reads it.
    upload.__annotations__["kind"] = Literal[group.kinds] | None
    router.post(
        "",
        response={201: schema, **responses(400, 401, 403, 422)},
        summary=f"上传{files}文件，创建{noun}导入任务",
        description=upload_description,
        operation_id=f"{prefix}_upload",
    )(upload)

    @router.get(
        "/{job_id}",
        response={200: schema, **responses(401, 403, 404, 422)},
        summary=f"{noun}导入任务的状态、进度和错误",
        description=(
            "返回状态、已处理行数和全部错误（行号、列名、原因）。超过规定时间没有进展的任务"
            "（处理进程已中断）在查询时标记为 failed。"
        ),
        operation_id=f"{prefix}_get_job",
    )
    def get_job(request: HttpRequest, job_id: int = JobId) -> dict[str, Any]:
        return job_out(imports.get_job_for(caller(request), job_id, group.name))

    @router.post(
        "/{job_id}/apply",
        response={202: schema, **responses(400, 401, 403, 404, 409, 422)},
        summary=f"应用校验通过的{noun}导入",
        description=(
            "只能由上传人对状态为 ready 的任务调用。系统在一个事务中重新校验并写入全部行，"
            "有任何错误则全部不写入（状态变为 invalid 并列出错误）；成功后状态为 done，"
            "并在全过程记录中登记一次导入。"
        ),
        operation_id=f"{prefix}_apply",
    )
    def apply(request: HttpRequest, job_id: int = JobId) -> tuple[int, dict[str, Any]]:
        actor = caller(request)
        job = imports.request_apply(actor=actor, job=imports.get_job_for(actor, job_id, group.name))
        job.refresh_from_db()
        return 202, job_out(job)

    return router


router = import_router(
    imports.IMPORT_GROUP,
    module=__name__,
    tag="执法目录导入",
    schema=ImportJobOut,
    upload_description=(
        "multipart/form-data：kind（导入内容）和 file（按导入模板填写的 .xlsx 文件，默认不超过"
        " 10 MB）。立即返回导入任务；系统在后台校验全部行，不写入任何数据。请轮询"
        " GET /catalog/imports/{job_id} 查看进度和错误，状态为 ready 后再调用 apply。"
    ),
)
