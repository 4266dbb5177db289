"""`fazhi catalog <sub>` — the enforcement catalog's Excel round-trip from the command line.

    template KIND OUT.xlsx                          the import template of KIND
    import KIND FILE.xlsx --actor USERNAME [--dry-run]
                                                    validate every row (progress on stderr),
                                                    then apply all rows or none
    export KIND OUT.xlsx --actor USERNAME [--filter NAME=VALUE ...]
                                                    what USERNAME may see, as the import sheet

KIND is one of bodies, officers, items, list_entries, standards. The actor's roles and data
scope apply exactly as on the pages; the import is the same job a page upload creates (it shows
in “Excel导入导出”) and is recorded in the ledger once, when applied. The subcommands are every
import group's (:mod:`fazhi.catalog.management.import_command`).
"""

from __future__ import annotations

from fazhi.catalog.imports import IMPORT_GROUP
from fazhi.catalog.management.import_command import ImportCommand


class Command(ImportCommand):
    help = "执法目录的Excel导入导出：下载模板、导入（先校验全部行，再全部导入或全部不导入）、导出"
    group = IMPORT_GROUP
    filter_help = (
        "筛选条件，与列表页相同（q、category、organization、status、kind、list、published）"
    )
