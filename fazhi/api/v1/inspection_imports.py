"""/inspections/imports: Excel/CSV import of the 双随机 directories (issue 5 §1).

Upload a workbook or CSV file (multipart) → a job, validated in the background; poll the job
for its progress and every error (row, column, reason); apply it. The same jobs, rules and
operations as the catalog's imports (ARCHITECTURE §5 rule 6, :func:`import_router`): the
uploader's permission (inspections.manage) and data scope apply to every row, and applying
writes every row or none, with one ledger event that carries the file's digest.
"""

from __future__ import annotations

from pydantic import Field

from fazhi.api.v1.catalog_imports import ImportJobOut, import_router
from fazhi.inspections.imports import IMPORT_GROUP


class InspectionImportJobOut(ImportJobOut):
    kind: str = Field(
        description="entities 检查对象名录 / inspection_items 抽查事项清单 / "
        "inspectors 执法检查人员名录 / relationships 检查人员回避关系"
    )


router = import_router(
    IMPORT_GROUP,
    module=__name__,
    tag="双随机名录导入",
    schema=InspectionImportJobOut,
    noun="名录",
    upload_description=(
        "multipart/form-data：kind（导入内容）和 file（按导入模板填写的 .xlsx 文件，或同样列名的"
        " CSV 文件，UTF-8 或 GB18030 编码，默认不超过 10 MB）。检查对象名录的列与国家企业信用"
        "信息公示系统的导出一致，按统一社会信用代码新增或修改。立即返回导入任务；系统在后台"
        "校验全部行，不写入任何数据。请轮询 GET /inspections/imports/{job_id}，状态为 ready 后"
        "再调用 apply。"
    ),
)
