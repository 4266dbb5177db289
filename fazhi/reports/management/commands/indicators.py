"""`fazhi indicators --year Y [--org CODE] --format json` — every indicator, computed now.

Output contract (ARCHITECTURE §8): `{code: {name, value, unit, precision}}`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.indicator_registry import Period, Scope
from fazhi.core.models import Organization
from fazhi.reports.selectors import compute_all, county_root


class Command(BaseCommand):
    help = "按年度和单位计算全部统计指标"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--org", default="", help="单位代码（默认全县）")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["org"]:
            org = Organization.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"单位代码不存在：{options['org']}")
        else:
            if not Organization.objects.exists():
                raise CommandError("数据库中没有任何单位：先运行 `fazhi demo` 或初始化系统")
            org = county_root()
        values = compute_all(Period.year(options["year"]), Scope(org))
        if options["format"] == "json":
            data = {v.indicator.code: v.as_dict() for v in values}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{org.name} · {options['year']}年")
        for v in values:
            self.stdout.write(
                f"  {v.indicator.code:<36} {v.value}{v.indicator.unit}\t{v.indicator.name}"
            )
