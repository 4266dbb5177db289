"""/inspections/imports: Excel/CSV import of the 双随机 directories (issue 5 §1).

Upload a workbook or CSV file (multipart) → a job, validated in the background; poll the job
for its progress and every error (row, column, reason); apply it. The same jobs and rules as
the pages and as the catalog's imports (ARCHITECTURE §5 rule 6): the uploader's permission
(inspections.manage) and data scope apply to every row, and applying writes every row or
none, with one ledger event that carries the file's digest.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import File, Form, Path, Router
from ninja.files import UploadedFile
from pydantic import Field

from fazhi.api.v1.catalog_imports import ImportJobOut, job_out
from fazhi.api.v1.errors import ApiError, responses
from fazhi.api.v1.schemas import MAX_DB_INT
from fazhi.api.v1.security import caller
from fazhi.inspections import imports

router = Router(tags=["双随机名录导入"])

JobId = Path(..., ge=1, le=MAX_DB_INT, description="导入任务编号")
Kind = Literal["entities", "inspection_items", "inspectors", "relationships"]


class InspectionImportJobOut(ImportJobOut):
    kind: str = Field(
        description="entities 检查对象名录 / inspection_items 抽查事项清单 / "
        "inspectors 执法检查人员名录 / relationships 检查人员回避关系"
    )


@router.post(
    "",
    response={201: InspectionImportJobOut, **responses(400, 401, 403, 422)},
    summary="上传Excel或CSV文件，创建名录导入任务",
    description=(
        "multipart/form-data：kind（导入内容）和 file（按导入模板填写的 .xlsx 文件，或同样列名的"
        " CSV 文件，UTF-8 或 GB18030 编码，默认不超过 10 MB）。检查对象名录的列与国家企业信用"
        "信息公示系统的导出一致，按统一社会信用代码新增或修改。立即返回导入任务；系统在后台"
        "校验全部行，不写入任何数据。请轮询 GET /inspections/imports/{job_id}，状态为 ready 后"
        "再调用 apply。"
    ),
)
def upload(
    request: HttpRequest,
    kind: Kind | None = Form(None, description="导入内容"),  # noqa: B008
    file: UploadedFile | None = File(  # noqa: B008
        None, description="按导入模板填写的 Excel（.xlsx）或 CSV 文件"
    ),
) -> tuple[int, dict[str, Any]]:
    actor = caller(request)
    # Permission before the missing-field checks: a caller who may not import learns only that.
    imports.require_import(actor, kind)
    if kind is None:
        raise ApiError(400, "invalid", "请指定导入内容（kind）", {"fields": {"kind": ["必须填写"]}})
    if file is None:
        raise ApiError(
            400, "invalid", "请上传Excel或CSV文件（file）", {"fields": {"file": ["必须填写"]}}
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


@router.get(
    "/{job_id}",
    response={200: InspectionImportJobOut, **responses(401, 403, 404, 422)},
    summary="名录导入任务的状态、进度和错误",
    description=(
        "返回状态、已处理行数和全部错误（行号、列名、原因）。超过规定时间没有进展的任务"
        "（处理进程已中断）在查询时标记为 failed。"
    ),
)
def get_job(request: HttpRequest, job_id: int = JobId) -> dict[str, Any]:
    return job_out(imports.get_job_for(caller(request), job_id))


@router.post(
    "/{job_id}/apply",
    response={202: InspectionImportJobOut, **responses(400, 401, 403, 404, 409, 422)},
    summary="应用校验通过的名录导入",
    description=(
        "只能由上传人对状态为 ready 的任务调用。系统在一个事务中重新校验并写入全部行，"
        "有任何错误则全部不写入（状态变为 invalid 并列出错误）；成功后状态为 done，"
        "并在全过程记录中登记一次导入。"
    ),
)
def apply(request: HttpRequest, job_id: int = JobId) -> tuple[int, dict[str, Any]]:
    actor = caller(request)
    job = imports.request_apply(actor=actor, job=imports.get_job_for(actor, job_id))
    job.refresh_from_db()
    return 202, job_out(job)
