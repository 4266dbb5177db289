"""The `template`, `import` and `export` subcommands of an import group, for its app's command.

``fazhi catalog`` and ``fazhi inspections`` are this command for their group
(:class:`~fazhi.catalog.imports.ImportGroup`): the same job a page upload creates, validated in
the foreground with progress on stderr, then applied (all rows or none) and recorded in the
ledger once. The actor's roles and data scope apply exactly as on the pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.catalog import imports
from fazhi.catalog.imports import ImportGroup
from fazhi.catalog.models import ImportJob, ImportStatus
from fazhi.core.errors import DomainError
from fazhi.core.models import User

SHOWN_ERRORS = 50


class ImportCommand(BaseCommand):
    """An app's command is this with its ``group``, ``help`` and the words that differ."""

    group: ImportGroup
    kind_option = False  # the kind as ``--kind KIND`` rather than as the first argument
    export_actor_help = "以该用户的数据范围导出"
    filter_help = "筛选条件，与列表页相同"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        files = self.group.files
        out = "输出文件（.xlsx 或 .csv）" if self.group.csv else "输出文件（.xlsx）"

        p = sub.add_parser("template", help="生成导入模板")
        self._add_kind(p, "导入内容")
        p.add_argument("out", help=out)

        p = sub.add_parser("import", help=f"校验并导入{files}文件")
        self._add_kind(p, "导入内容")
        p.add_argument(
            "file", help="Excel（.xlsx）或CSV文件" if self.group.csv else "Excel文件（.xlsx）"
        )
        p.add_argument("--actor", required=True, help="以该用户的身份和数据范围导入")
        p.add_argument("--dry-run", action="store_true", help="只校验，不导入")
        p.add_argument("--quiet", action="store_true", help="不显示进度")

        p = sub.add_parser("export", help=f"导出为与导入模板相同的{files}")
        self._add_kind(p, "导出内容")
        p.add_argument("out", help=out)
        p.add_argument("--actor", required=True, help=self.export_actor_help)
        p.add_argument(
            "--filter", action="append", default=[], metavar="NAME=VALUE", help=self.filter_help
        )

    def _add_kind(self, parser: CommandParser, help: str) -> None:
        names = [self.group.short_name(k) for k in self.group.kinds]
        if self.kind_option:
            parser.add_argument("--kind", required=True, choices=names, help=help)
        else:
            parser.add_argument("kind", choices=names, help=help)

    def _fmt(self, path: str) -> str:
        """The file's format by its name: .csv where the group takes CSV, else .xlsx."""
        return self.group.fmt("csv" if path.lower().endswith(".csv") else "xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        options["kind"] = self.group.kind_for(options["kind"])
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
        Path(options["out"]).write_bytes(self.group.template(kind, self._fmt(options["out"])))
        self.stdout.write(f"已生成{self.group.label(kind)}导入模板：{options['out']}")

    def do_export(self, options: dict[str, Any]) -> None:
        filters: dict[str, str] = {}
        for item in options["filter"]:
            name, sep, value = item.partition("=")
            if not sep:
                raise CommandError(f"筛选条件应为 NAME=VALUE：{item}")
            filters[name.strip()] = value.strip()
        content, count = self.group.export(
            actor=self._actor(options["actor"]),
            kind=options["kind"],
            filters=filters,
            fmt=self._fmt(options["out"]),
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
                content_type="text/csv" if self._fmt(path.name) == "csv" else "",
                dispatch=False,
            )
        job = imports.validate_job(job.pk, progress=progress)
        if show:
            self.stderr.write("")
        if job.status != ImportStatus.READY:
            self._refuse(job)
        summary = job.summary or {}
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
        if job.status != ImportStatus.DONE:
            self._refuse(job)
        summary = job.summary or {}
        self.stdout.write(
            f"已导入：共 {summary.get('rows', 0)} 行，新增 {summary.get('created', 0)} 条、"
            f"修改 {summary.get('updated', 0)} 条，{summary.get('unchanged', 0)} 条无变化"
            f"（导入任务 {job.pk}，全过程记录第 {summary.get('ledger_seq')} 号）"
        )

    def _refuse(self, job: ImportJob) -> NoReturn:
        """The job's errors on stdout, then exit 1: nothing was imported."""
        self._errors(job.errors, (job.summary or {}).get("error_count", len(job.errors)))
        raise CommandError(
            f"导入任务 {job.pk}：{job.get_status_display()}，未导入任何数据", returncode=1
        )

    def _errors(self, errors: list[dict[str, Any]], count: int) -> None:
        out = self.stdout
        out.write(f"发现 {count} 处错误：")
        for e in errors[:SHOWN_ERRORS]:
            where = f"第{e['row']}行" if e.get("row") else "文件"
            column = f"【{e['column']}】" if e.get("column") else ""
            out.write(f"  {where}{column}{e['message']}")
        if count > SHOWN_ERRORS:
            out.write(f"  ……另有 {count - SHOWN_ERRORS} 处错误，完整清单见页面“{self.group.title}”")
