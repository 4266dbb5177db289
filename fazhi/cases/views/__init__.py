"""Back-office pages of penalty cases (issue 4 §9), one module per subject.

Thin, like every page: parse the form, authorize, call one service or selector, render. Every
read goes through the scoped selectors, so another organization's case is a 404; every write
is a service call whose Chinese refusal is shown on the form that caused it, input kept.
"""

from fazhi.cases.views.actions import case_action
from fazhi.cases.views.detail import case_detail, document_download, evidence_download
from fazhi.cases.views.export_views import (
    case_export_csv,
    case_export_xlsx,
    export_download,
    export_status,
)
from fazhi.cases.views.intake import case_create, case_on_spot
from fazhi.cases.views.lists import case_list, deadline_list

__all__ = [
    "case_action",
    "case_create",
    "case_detail",
    "case_export_csv",
    "case_export_xlsx",
    "case_list",
    "case_on_spot",
    "deadline_list",
    "document_download",
    "evidence_download",
    "export_download",
    "export_status",
]
