"""Every write of 双随机、一公开 (ARCHITECTURE §5 rule 1, §7).

一单两库 (items, entities, inspectors and their declared relationships), plans and tasks, the
task's verifiable draw (through :mod:`fazhi.draws.services`, which freezes the pools and
records the commitment and the reveal), the inspection records and the publication of the
results. Each function: keyword-only, an actor, atomic, the moved row locked, the permission
and data scope checked, refusals as :class:`InspectionError` in Chinese, one ledger entry.

Numbers from the law or from local rules (sampling ratios, inspectors per entity, recusal
options, the publication deadline) are parameters in ``fazhi/rules/parameters/inspections.yaml``.

The functions live in ``directories``, ``plans``, ``drawing`` and ``results``; import them
from here.
"""

from fazhi.inspections.services._common import (
    MAX_FILE_BYTES,
    PROBLEM_OUTCOMES,
    PUBLICATION_PARAMETER,
    RATIO_PARAMETER,
    InspectionError,
    UploadedFile,
    check_township,
    county_townships,
    default_rules,
    params_on,
    quota,
    required_strings,
    required_text,
    stored_ratios,
    valid_choice,
)
from fazhi.inspections.services.directories import (
    declare_relationship,
    remove_relationship,
    save_entity,
    save_inspector,
    save_item,
)
from fazhi.inspections.services.drawing import (
    ClassQuota,
    commit_draw,
    entity_pool,
    inspector_pool,
    quota_preview,
    quotas_for,
    ratio_kind,
    reveal_draw,
)
from fazhi.inspections.services.plans import add_task, create_plan, publish_plan
from fazhi.inspections.services.results import (
    can_record,
    publication_deadline,
    publication_due,
    publish_results,
    published_on_time,
    record_result,
)

__all__ = [
    "MAX_FILE_BYTES",
    "PROBLEM_OUTCOMES",
    "PUBLICATION_PARAMETER",
    "RATIO_PARAMETER",
    "ClassQuota",
    "InspectionError",
    "UploadedFile",
    "add_task",
    "can_record",
    "check_township",
    "commit_draw",
    "county_townships",
    "create_plan",
    "declare_relationship",
    "default_rules",
    "entity_pool",
    "inspector_pool",
    "params_on",
    "publication_deadline",
    "publication_due",
    "publish_plan",
    "publish_results",
    "published_on_time",
    "quota",
    "quota_preview",
    "quotas_for",
    "ratio_kind",
    "record_result",
    "remove_relationship",
    "required_strings",
    "required_text",
    "reveal_draw",
    "save_entity",
    "save_inspector",
    "save_item",
    "stored_ratios",
    "valid_choice",
]
