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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.catalog.models import ImportStatus
from fazhi.core.errors import DomainError
from fazhi.core.models import User
from fazhi.inspections import excel, imports

SHOWN_ERRORS = 50


def _fmt(path: str) -> str:
    return "csv" if path.lower().endswith(".csv") else "xlsx"


class Command(BaseCommand):
    help = (
        "双随机名录库的Excel/CSV导入导出：下载模板、导入（先校验全部行，再全部导入或全部不导入）、"
        "导出"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        kinds = list(excel.SHORT_NAMES)

        p = sub.add_parser("template", help="生成导入模板")
        p.add_argument("--kind", required=True, choices=kinds, help="导入内容")
        p.add_argument("out", help="输出文件（.xlsx 或 .csv）")

        p = sub.add_parser("import", help="校验并导入Excel或CSV文件")
        p.add_argument("--kind", required=True, choices=kinds, help="导入内容")
        p.add_argument("file", help="Excel（.xlsx）或CSV文件")
        p.add_argument("--actor", required=True, help="以该用户的身份和数据范围导入")
        p.add_argument("--dry-run", action="store_true", help="只校验，不导入")
        p.add_argument("--quiet", action="store_true", help="不显示进度")

        p = sub.add_parser("export", help="导出为与导入模板相同的Excel或CSV")
        p.add_argument("--kind", required=True, choices=kinds, help="导出内容")
        p.add_argument("out", help="输出文件（.xlsx 或 .csv）")
        p.add_argument("--actor", required=True, help="以该用户的权限导出")
        p.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="筛选条件，与名录页相同（q、industry、risk_class、township、organization）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        options["kind"] = excel.SHORT_NAMES[options["kind"]]
        try:
            getattr(self, "do_" + options["action"])(options)
        except (DomainError, PermissionDenied, OSError) as exc:
            message = exc.message if isinstance(exc, DomainError) else str(exc)
            raise CommandError(message or exc.__class__.__name__) from exc

    def _actor(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在或已停用")
        return user

    def do_template(self, options: dict[str, Any]) -> None:
        kind = options["kind"]
        Path(options["out"]).write_bytes(excel.template(kind, _fmt(options["out"])))
        self.stdout.write(f"已生成{excel.LABELS[kind]}导入模板：{options['out']}")

    def do_export(self, options: dict[str, Any]) -> None:
        filters: dict[str, str] = {}
        for item in options["filter"]:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"筛选条件应为 NAME=VALUE：{item}")
            filters[name.strip()] = value.strip()
        content, count = excel.export_file(
            actor=self._actor(options["actor"]),
            kind=options["kind"],
            filters=filters,
            fmt=_fmt(options["out"]),
        )
        Path(options["out"]).write_bytes(content)
        self.stdout.write(f"已导出 {count} 行：{options['out']}")

    def do_import(self, options: dict[str, Any]) -> None:
        actor = self._actor(options["actor"])
        path = Path(options["file"])
        show = not options["quiet"]

        def progress(done: int, total: int) -> None:
            if show:
                self.stderr.write(f"\r已校验 {done}/{total} 行", ending="")
                self.stderr.flush()

        with path.open("rb") as fh:
            job = imports.start_import(
                actor=actor,
                kind=options["kind"],
                file=fh,
                original_name=path.name,
                size=path.stat().st_size,
                content_type="text/csv" if _fmt(path.name) == "csv" else "",
                dispatch=False,
            )
        job = imports.validate_job(job.pk, progress=progress)
        if show:
            self.stderr.write("")
        summary = job.summary or {}
        if job.status != ImportStatus.READY:
            self._errors(job.errors, summary.get("error_count", len(job.errors)))
            raise CommandError(
                f"导入任务 {job.pk}：{job.get_status_display()}，未导入任何数据", returncode=1
            )
        plan_text = (
            f"校验通过：共 {summary.get('rows', 0)} 行，将新增 {summary.get('created', 0)} 条、"
            f"修改 {summary.get('updated', 0)} 条，{summary.get('unchanged', 0)} 条无变化"
        )
        if options["dry_run"]:
            self.stdout.write(f"{plan_text}（试运行，未导入；导入任务 {job.pk}）")
            return
        if show:
            self.stderr.write("正在写入数据库……")
        imports.request_apply(actor=actor, job=job, dispatch=False)
        job = imports.apply_job(job.pk)
        summary = job.summary or {}
        if job.status != ImportStatus.DONE:
            self._errors(job.errors, summary.get("error_count", len(job.errors)))
            raise CommandError(
                f"导入任务 {job.pk}：{job.get_status_display()}，未导入任何数据", returncode=1
            )
        self.stdout.write(
            f"已导入：共 {summary.get('rows', 0)} 行，新增 {summary.get('created', 0)} 条、"
            f"修改 {summary.get('updated', 0)} 条，{summary.get('unchanged', 0)} 条无变化"
            f"（导入任务 {job.pk}，全过程记录第 {summary.get('ledger_seq')} 号）"
        )

    def _errors(self, errors: list[dict[str, Any]], count: int) -> None:
        out = self.stdout
        out.write(f"发现 {count} 处错误：")
        for e in errors[:SHOWN_ERRORS]:
            where = f"第{e['row']}行" if e.get("row") else "文件"
            column = f"【{e['column']}】" if e.get("column") else ""
            out.write(f"  {where}{column}{e['message']}")
        if count > SHOWN_ERRORS:
            out.write(f"  ……另有 {count - SHOWN_ERRORS} 处错误，完整清单见页面“名录导入导出”")
