"""`fazhi backup --out FILE` — an online, hash-checked backup (PERF-SECURITY G10).

The archive is a tar file holding:

* the database: SQLite through the online backup API (`sqlite3.Connection.backup`, a
  consistent copy while the service keeps running), PostgreSQL through `pg_dump -Fc`;
* every evidence file under FAZHI_ATTACHMENT_DIR (content-addressed, `attachments/…`);
* `manifest.json`: what is inside, the SHA-256 of each member, and the ledger head and
  latest signed checkpoint at backup time.

Beside it, `FILE.sha256` (the `sha256sum` format) records the hash of the archive itself,
which `fazhi restore` checks before touching anything. The ledger's private signing key
is deliberately NOT in the archive: a backup copied off-site must not be able to sign.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

FORMAT = "fazhi-backup"
VERSION = 1
MANIFEST = "manifest.json"
ATTACHMENTS = "attachments"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    """libpq connection options for pg_dump/pg_restore from Django's settings."""
    s = connection.settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args: list[str] = []
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    args += ["--dbname", str(s["NAME"])]
    return env, args


def run_tool(argv: list[str], env: dict[str, str]) -> None:
    tool = shutil.which(argv[0])
    if tool is None:
        raise CommandError(f"找不到 {argv[0]}，请安装 PostgreSQL 客户端工具")
    result = subprocess.run([tool, *argv[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{argv[0]} 执行失败：{result.stderr.strip()[:2000]}")


def ledger_state() -> dict[str, Any]:
    from fazhi.ledger import selectors
    from fazhi.ledger.models import LedgerHead

    head = LedgerHead.objects.filter(pk=1).first()
    cp = selectors.latest_checkpoint()
    return {
        "tree_size": head.tree_size if head else 0,
        "hash_alg": head.hash_alg if head else str(settings.FAZHI_LEDGER_HASH_ALG),
        "latest_checkpoint": selectors.checkpoint_dict(cp) if cp else None,
    }


class Command(BaseCommand):
    help = "在线备份数据库与附件，并记录备份文件的哈希"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="备份文件路径（.tar）")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"]).resolve()
        if out.exists():
            raise CommandError(f"文件已存在，拒绝覆盖：{out}")
        if connection.vendor not in DB_MEMBER:
            raise CommandError(f"不支持备份 {connection.vendor} 数据库")
        if connection.in_atomic_block:
            raise CommandError("备份不能在事务中进行")
        out.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="fazhi-backup-") as tmp:
            db_file = Path(tmp) / DB_MEMBER[connection.vendor]
            # The ledger state is read before the copy: the copy holds at least this much.
            state = ledger_state()
            self.dump_database(db_file)
            files: dict[str, dict[str, Any]] = {
                db_file.name: {"sha256": sha256_file(db_file), "size": db_file.stat().st_size}
            }
            attachments = self.attachment_files()
            for name, path in attachments:
                files[name] = {"sha256": sha256_file(path), "size": path.stat().st_size}
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "vendor": connection.vendor,
                "database": db_file.name,
                "ledger": state,
                "files": files,
            }
            part = out.with_name(out.name + ".part")
            with tarfile.open(part, "w", format=tarfile.PAX_FORMAT) as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(time.time())
                tar.addfile(info, io.BytesIO(data))
                tar.add(db_file, arcname=db_file.name)
                for name, path in attachments:
                    tar.add(path, arcname=name)
            with part.open("rb") as fh:
                os.fsync(fh.fileno())
            part.replace(out)
        digest = sha256_file(out)
        sidecar(out).write_text(f"{digest}  {out.name}\n", encoding="utf-8")
        result = {
            "file": str(out),
            "sha256": digest,
            "size": out.stat().st_size,
            "vendor": connection.vendor,
            "attachments": len(attachments),
            "ledger_tree_size": state["tree_size"],
            "seconds": round(time.monotonic() - started, 3),
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(
                f"备份完成：{out}（{result['size']} 字节，{len(attachments)} 个附件，"
                f"日志规模 {state['tree_size']}，用时 {result['seconds']} 秒）\n"
                f"SHA-256：{digest}（已写入 {sidecar(out).name}）\n"
                "提示：日志签名私钥不在备份中，请另行妥善保管。"
            )

    def dump_database(self, target: Path) -> None:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            source = connection.connection
            dest = sqlite3.connect(target)
            try:
                # One step (pages=-1): a consistent snapshot; in WAL mode writers go on.
                source.backup(dest, pages=-1)
            finally:
                dest.close()
            return
        env, args = pg_env_and_args()
        run_tool(["pg_dump", "--format=custom", "--file", str(target), *args], env)

    def attachment_files(self) -> list[tuple[str, Path]]:
        root = Path(settings.FAZHI_ATTACHMENT_DIR)
        if not root.is_dir():
            return []
        found = []
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.endswith(".part"):
                found.append((f"{ATTACHMENTS}/{path.relative_to(root).as_posix()}", path))
        return found
