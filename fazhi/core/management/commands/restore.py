"""`fazhi restore FILE` — restore a `fazhi backup` archive into an EMPTY database.

Order of checks, before anything is written: the archive's SHA-256 (FILE.sha256 or
--sha256), the manifest, the hash of every member, the database vendor, and that the
target database holds no data. Then the database is restored, the evidence files are put
back (each checked against its content hash again), and the ledger is verified end to end;
the command fails unless the restored record verifies.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tarfile
import tempfile
import time
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from fazhi.core.management.commands.backup import (
    ATTACHMENTS,
    FORMAT,
    MANIFEST,
    VERSION,
    pg_env_and_args,
    run_tool,
    sha256_file,
    sidecar,
)

VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _nonempty_tables() -> list[tuple[str, int]]:
    """Tables of this project (and user accounts) that already hold rows."""
    existing = set(connection.introspection.table_names())
    found = []
    with connection.cursor() as cur:
        for model in apps.get_models():
            app = model._meta.app_config.name
            table = model._meta.db_table
            if table not in existing or not (app.startswith("fazhi.") or app == "django_otp"):
                continue
            if model._meta.proxy or not model._meta.managed:
                continue
            cur.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            n = int(cur.fetchone()[0])
            if n:
                found.append((table, n))
    return found


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name != ""


class Command(BaseCommand):
    help = "将 fazhi backup 生成的备份恢复到空数据库，并验证日志"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="备份文件（.tar）")
        parser.add_argument("--sha256", help="备份文件的 SHA-256（缺少 .sha256 文件时必填）")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["file"]).resolve()
        if not archive.is_file():
            raise CommandError(f"备份文件不存在：{archive}")
        if connection.in_atomic_block:
            raise CommandError("恢复不能在事务中进行")
        started = time.monotonic()
        digest = self.check_archive_hash(archive, options["sha256"])

        with (
            tempfile.TemporaryDirectory(prefix="fazhi-restore-") as tmp,
            tarfile.open(archive, "r:") as tar,
        ):
            manifest = self.read_manifest(tar)
            vendor = manifest["vendor"]
            if vendor != connection.vendor:
                raise CommandError(
                    f"备份来自 {VENDOR_NAMES.get(vendor, vendor)} 数据库，当前数据库是 "
                    f"{VENDOR_NAMES.get(connection.vendor, connection.vendor)}，无法恢复"
                )
            occupied = _nonempty_tables()
            if occupied:
                table, n = occupied[0]
                raise CommandError(
                    f"目标数据库不是空的（例如 {table} 表已有 {n} 行），"
                    "恢复只能在空数据库中进行，以免覆盖现有数据"
                )
            staged = self.extract(tar, manifest, Path(tmp))
            self.restore_database(staged[manifest["database"]], vendor)
            restored = self.restore_attachments(staged)

        from fazhi.ledger.integrity import verify_ledger

        report = verify_ledger()
        result = {
            "file": str(archive),
            "sha256": digest,
            "vendor": vendor,
            "attachments": restored,
            "backup_created_at": manifest["created_at"],
            "ledger": report.as_dict(),
            "seconds": round(time.monotonic() - started, 3),
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"恢复完成：{archive.name}（备份于 {manifest['created_at']}，{restored} 个附件，"
                f"用时 {result['seconds']} 秒）\n{report.summary()}"
            )
        if not report.ok:
            raise CommandError(f"恢复后的日志未通过验证：{report.summary()}")

    # ---------------------------------------------------------------------------------

    def check_archive_hash(self, archive: Path, given: str | None) -> str:
        expected = (given or "").strip().lower()
        if not expected:
            side = sidecar(archive)
            if not side.exists():
                raise CommandError(
                    f"找不到 {side.name}，无法确认备份文件完整；请用 --sha256 提供备份时记录的哈希"
                )
            expected = side.read_text(encoding="utf-8").split()[0].strip().lower()
        actual = sha256_file(archive)
        if actual != expected:
            raise CommandError(
                f"备份文件的 SHA-256 与记录不符（记录 {expected}，实际 {actual}），"
                "文件可能已损坏或被篡改，拒绝恢复"
            )
        return actual

    def read_manifest(self, tar: tarfile.TarFile) -> dict[str, Any]:
        try:
            member = tar.getmember(MANIFEST)
            fh = tar.extractfile(member)
            if fh is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.loads(fh.read().decode("utf-8"))
        except (KeyError, ValueError) as exc:
            raise CommandError("备份文件中缺少有效的 manifest.json") from exc
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise CommandError("不是本系统可识别的备份文件格式")
        return manifest

    def extract(
        self, tar: tarfile.TarFile, manifest: dict[str, Any], into: Path
    ) -> dict[str, Path]:
        """Extract every listed member to `into`, checking its SHA-256 on the way."""
        files: dict[str, dict[str, Any]] = manifest["files"]
        staged: dict[str, Path] = {}
        for name, meta in files.items():
            if not _safe_member(name):
                raise CommandError(f"备份文件中的路径不安全：{name}")
            try:
                member = tar.getmember(name)
            except KeyError:
                raise CommandError(f"备份文件缺少 {name}") from None
            fh = tar.extractfile(member)
            if fh is None:
                raise CommandError(f"备份文件中的 {name} 不是普通文件")
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            h = hashlib.sha256()
            with target.open("wb") as out:
                for chunk in iter(lambda: fh.read(1 << 20), b""):  # noqa: B023
                    h.update(chunk)
                    out.write(chunk)
            if h.hexdigest() != meta["sha256"]:
                raise CommandError(f"备份文件中的 {name} 哈希不符，拒绝恢复")
            staged[name] = target
        return staged

    def restore_database(self, dump: Path, vendor: str) -> None:
        if vendor == "sqlite":
            connection.ensure_connection()
            source = sqlite3.connect(dump)
            try:
                source.backup(connection.connection, pages=-1)
            finally:
                source.close()
        else:
            env, args = pg_env_and_args()
            connection.close()  # no session of ours may hold a lock on the tables dropped
            run_tool(
                [
                    "pg_restore",
                    "--no-owner",
                    "--no-privileges",
                    "--clean",
                    "--if-exists",
                    "--exit-on-error",
                    "--single-transaction",
                    *args,
                    str(dump),
                ],
                env,
            )
        connection.close()  # reconnect: the schema under Django's feet just changed

    def restore_attachments(self, staged: dict[str, Path]) -> int:
        root = Path(settings.FAZHI_ATTACHMENT_DIR)
        count = 0
        prefix = ATTACHMENTS + "/"
        for name, path in staged.items():
            if not name.startswith(prefix):
                continue
            target = root / name[len(prefix) :]
            if target.exists():
                if sha256_file(target) != sha256_file(path):
                    raise CommandError(f"附件目录中已有不同内容的同名文件：{target}")
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            count += 1
        return count
