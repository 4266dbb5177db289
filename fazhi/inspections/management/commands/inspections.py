"""`fazhi inspections <sub>` — the 双随机 directories' Excel/CSV round-trip from the command line.

    template --kind KIND OUT.xlsx|OUT.csv           the import template of KIND
    import --kind KIND FILE.xlsx|FILE.csv --actor USERNAME [--dry-run]
                                                    validate every row (progress on stderr),
                                                    then apply all rows or none
    export --kind KIND OUT.xlsx|OUT.csv --actor USERNAME [--filter NAME=VALUE ...]
                                                    what USERNAME may read, as the import sheet

KIND is one of entities, items, inspectors, relationships. The output format follows the file
name (.csv, else .xlsx). The actor's roles and data scope apply exactly as on the pages; the
import is the same job a page upload creates and is recorded in the ledger once, when applied.
The subcommands are the catalog's (:mod:`fazhi.catalog.management.import_command`) for this
app's import group.
"""

from __future__ import annotations

from fazhi.catalog.management.import_command import ImportCommand
from fazhi.inspections.imports import IMPORT_GROUP


class Command(ImportCommand):
    help = (
        "双随机名录库的Excel/CSV导入导出：下载模板、导入（先校验全部行，再全部导入或全部不导入）、"
        "导出"
    )
    group = IMPORT_GROUP
    kind_option = True
    export_actor_help = "以该用户的权限导出"
    filter_help = "筛选条件，与名录页相同（q、industry、risk_class、township、organization）"
