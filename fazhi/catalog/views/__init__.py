"""Back-office pages of the enforcement catalog and the 裁量计算器, one module per subject.

Thin, like every page: parse the form, authorize, call one service or selector, render. Every
read goes through the scoped selectors, so another organization's row is a 404; every write is
a service call whose Chinese refusal is shown on the form that caused it, with the input kept.
"""

from fazhi.catalog.views.bodies import (
    body_create,
    body_detail,
    body_edit,
    body_list,
)
from fazhi.catalog.views.calculator import (
    calculator_view,
)
from fazhi.catalog.views.items import (
    delegation_evaluate,
    item_active,
    item_create,
    item_delegate,
    item_detail,
    item_edit,
    item_list,
    item_lookup,
    item_publish,
)
from fazhi.catalog.views.lists import (
    list_create,
    list_detail,
    list_entry_add,
    list_entry_remove,
    list_list,
    list_publish,
)
from fazhi.catalog.views.officers import (
    officer_create,
    officer_detail,
    officer_edit,
    officer_list,
    officer_shadowing,
    officer_status,
    officer_training,
)
from fazhi.catalog.views.standards import (
    standard_create,
    standard_detail,
    standard_list,
    standard_publish,
)

__all__ = [
    "body_create",
    "body_detail",
    "body_edit",
    "body_list",
    "calculator_view",
    "delegation_evaluate",
    "item_active",
    "item_create",
    "item_delegate",
    "item_detail",
    "item_edit",
    "item_list",
    "item_lookup",
    "item_publish",
    "list_create",
    "list_detail",
    "list_entry_add",
    "list_entry_remove",
    "list_list",
    "list_publish",
    "officer_create",
    "officer_detail",
    "officer_edit",
    "officer_list",
    "officer_shadowing",
    "officer_status",
    "officer_training",
    "standard_create",
    "standard_detail",
    "standard_list",
    "standard_publish",
]
