"""Back-office pages of 双随机、一公开 (issue 5 §6), one module per subject.

Thin, like every page: parse the form, authorize, call one service or selector, render. Every
read goes through the scoped selectors (``fazhi.inspections.selectors``), so another
department's plan or task is a 404; every write is a service call whose Chinese refusal is
shown on the form that caused it, input kept.
"""

from fazhi.inspections.views.ceremony import (
    draw_bundle,
    task_ceremony,
    task_commit,
    task_detail,
    task_publish,
    task_reveal,
    task_screen,
    verifier_download,
)
from fazhi.inspections.views.directories import (
    entity_edit,
    entity_list,
    inspector_create,
    inspector_detail,
    inspector_list,
    item_edit,
    item_list,
    relationship_remove,
)
from fazhi.inspections.views.plans import (
    plan_create,
    plan_detail,
    plan_list,
    plan_publish,
    task_create,
    task_list,
)
from fazhi.inspections.views.records import record_detail, record_export

__all__ = [
    "draw_bundle",
    "entity_edit",
    "entity_list",
    "inspector_create",
    "inspector_detail",
    "inspector_list",
    "item_edit",
    "item_list",
    "plan_create",
    "plan_detail",
    "plan_list",
    "plan_publish",
    "record_detail",
    "record_export",
    "relationship_remove",
    "task_ceremony",
    "task_commit",
    "task_create",
    "task_detail",
    "task_list",
    "task_publish",
    "task_reveal",
    "task_screen",
    "verifier_download",
]
