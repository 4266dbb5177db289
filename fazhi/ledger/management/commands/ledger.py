"""`fazhi ledger <sub>` — operate the tamper-evident ledger (ARCHITECTURE §6, §8).

    verify [--no-attachments] [--parse-all]   recompute everything; exit 1 naming the entry
    checkpoint                                sign the current tree head (for cron)
    checkpoints [--limit N]                   list signed checkpoints
    proof --seq N [--tree-size M]             receipt bundle (inclusion proof) as JSON
    consistency --first A --second B          consistency bundle as JSON
    witness-keygen --out FILE                 a witness body's own Ed25519 key
    cosign --key FILE --witness NAME [--tree-size N]
                                              co-sign a checkpoint as that witness
    init-key                                  create the log's signing key if missing

Every subcommand takes `--format json`; failures exit non-zero with a Chinese message.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError
from django.http import Http404

from fazhi.core.errors import ConflictError
from fazhi.ledger import selectors, services, verifier
from fazhi.ledger.integrity import verify_ledger
from fazhi.ledger.models import Checkpoint
from fazhi.ledger.signing import (
    create_key_file,
    load_private_key,
    raw_public_key,
    verify_signature,
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class Command(BaseCommand):
    help = "全过程记录（防篡改日志）：验证、检查点、证明、见证签名、签名密钥"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")

        def add(name: str, text: str) -> CommandParser:
            p: CommandParser = sub.add_parser(name, help=text, description=text)
            p.add_argument("--format", choices=["text", "json"], default="text")
            return p

        p = add("verify", "重新计算全部记录、树节点和检查点并核对签名")
        p.add_argument("--no-attachments", action="store_true", help="不核对附件文件")
        p.add_argument("--parse-all", action="store_true", help="逐条解析全部记录的 JSON")
        p.add_argument("--quiet", action="store_true", help="不显示进度")
        add("checkpoint", "立即签署当前日志规模的检查点（供定时任务调用）")
        p = add("checkpoints", "列出已签署的检查点")
        p.add_argument("--limit", type=int, default=20)
        p = add("proof", "输出某条记录的回执（包含性证明）JSON")
        p.add_argument("--seq", type=int, required=True)
        p.add_argument("--tree-size", type=int)
        p = add("consistency", "输出两个检查点之间的一致性证明 JSON")
        p.add_argument("--first", type=int, required=True)
        p.add_argument("--second", type=int, required=True)
        p = add("witness-keygen", "为见证单位生成 Ed25519 密钥")
        p.add_argument("--out", required=True, help="私钥文件（PEM），不得已存在")
        p = add("cosign", "以见证单位的密钥共同签署检查点")
        p.add_argument("--key", required=True, help="见证单位的私钥文件")
        p.add_argument("--witness", required=True, help="见证单位名称，如“某市司法局”")
        p.add_argument("--tree-size", type=int, help="检查点规模（默认最新）")
        add("init-key", "创建本日志的签名密钥（已存在则不变），并输出公钥")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        self.as_json = options["format"] == "json"
        handler = getattr(self, "do_" + action.replace("-", "_"))
        try:
            handler(options)
        except (Http404, services.LedgerError, ValueError, OSError) as exc:
            raise CommandError(str(exc) or exc.__class__.__name__) from exc

    # ---------------------------------------------------------------------------------

    def emit(self, data: Any, text: str) -> None:
        if self.as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text)

    def do_verify(self, options: dict[str, Any]) -> None:
        progress = None
        if not options["quiet"] and not self.as_json and sys.stderr.isatty():

            def progress(done: int, total: int) -> None:
                self.stderr.write(f"\r已验证 {done}/{total} 条", ending="")

        report = verify_ledger(
            check_attachments=not options["no_attachments"],
            parse_all=options["parse_all"],
            progress=progress,
        )
        if progress is not None:
            self.stderr.write("")
        if report.ok:
            lines = [report.summary()]
        else:  # the headline goes to stderr with the exit status; the details here
            lines = [f"发现 {report.problem_count} 处问题（按在日志中的位置排列）："]
            lines += [f"  - {p.message}" for p in report.problems[:20]]
        lines += [f"注意：{w}" for w in report.warnings]
        self.emit(report.as_dict(), "\n".join(lines))
        if not report.ok:
            raise CommandError(report.summary(), returncode=1)

    def do_checkpoint(self, options: dict[str, Any]) -> None:
        cp = services.create_checkpoint()
        data = selectors.checkpoint_dict(cp)
        self.emit(
            data,
            f"检查点：规模 {cp.tree_size}，根哈希 {data['root_hash']}（{cp.hash_alg}），"
            f"时间 {cp.timestamp}",
        )

    def do_checkpoints(self, options: dict[str, Any]) -> None:
        cps = list(selectors.checkpoints()[: max(options["limit"], 0)])
        data = [selectors.checkpoint_dict(cp) for cp in cps]
        text = "\n".join(
            f"{d['tree_size']:>10}  {d['timestamp']}  {d['root_hash']}"
            + (f"  见证：{'、'.join(w['name'] for w in d['witnesses'])}" if d["witnesses"] else "")
            for d in data
        )
        self.emit(data, text or "尚无检查点")

    def do_proof(self, options: dict[str, Any]) -> None:
        bundle = selectors.receipt_bundle(options["seq"], options["tree_size"])
        # The bundle is what gets saved and handed to `verifier.py receipt`: JSON always.
        self.stdout.write(json.dumps(bundle, ensure_ascii=False, indent=2))

    def do_consistency(self, options: dict[str, Any]) -> None:
        bundle = selectors.consistency_bundle(options["first"], options["second"])
        self.stdout.write(json.dumps(bundle, ensure_ascii=False, indent=2))

    def do_init_key(self, options: dict[str, Any]) -> None:
        key_file = Path(settings.FAZHI_LEDGER_KEY_FILE)
        created = not key_file.exists()
        if created:
            try:
                key = create_key_file(key_file)
            except FileExistsError:
                created = False
        if not created:
            key = load_private_key(key_file)
        public = _b64(raw_public_key(key))
        self.emit(
            {"key_file": str(key_file), "public_key": public, "created": created},
            f"{'已创建' if created else '已存在'}日志签名密钥：{key_file}\n"
            f"公钥（Ed25519，base64）：{public}",
        )

    def do_witness_keygen(self, options: dict[str, Any]) -> None:
        out = Path(options["out"])
        try:
            key = create_key_file(out)
        except FileExistsError:
            raise CommandError(f"文件已存在，拒绝覆盖：{out}") from None
        public = _b64(raw_public_key(key))
        self.emit(
            {"key_file": str(out), "public_key": public},
            f"已生成见证密钥：{out}\n公钥（请公布或提交日志运营方）：{public}",
        )

    def do_cosign(self, options: dict[str, Any]) -> None:
        key_path = Path(options["key"])
        if not key_path.exists():
            raise CommandError(f"见证密钥文件不存在：{key_path}")
        key = load_private_key(key_path)
        name = options["witness"].strip()
        if not name:
            raise CommandError("见证单位名称不能为空")
        cp = (
            selectors.get_checkpoint(options["tree_size"])
            if options["tree_size"] is not None
            else selectors.latest_checkpoint()
        )
        if cp is None:
            raise CommandError("尚无检查点可供见证，请先运行 fazhi ledger checkpoint")
        message = services.checkpoint_message(cp)
        root = bytes(cp.root_hash)
        if not verify_signature(bytes(cp.public_key), message, bytes(cp.signature)):
            raise CommandError(f"检查点（规模 {cp.tree_size}）的日志签名无效，拒绝见证")
        state_path = key_path.with_name(key_path.name + ".state.json")
        state = _WitnessState.load(state_path)
        state.check(cp, root)
        signature = key.sign(message)
        try:
            services.add_witness_signature(
                checkpoint=cp, witness=name, public_key=raw_public_key(key), signature=signature
            )
        except (ConflictError, IntegrityError):  # IntegrityError: a concurrent co-signature
            raise CommandError(f"“{name}”已见证过规模为 {cp.tree_size} 的检查点") from None
        state.save(state_path, cp, root)
        self.emit(
            {
                "witness": name,
                "tree_size": cp.tree_size,
                "root_hash": root.hex(),
                "public_key": _b64(raw_public_key(key)),
                "signature": _b64(signature),
            },
            f"“{name}”已见证检查点：规模 {cp.tree_size}，根哈希 {root.hex()}",
        )


class _WitnessState:
    """What a witness remembers between co-signatures (kept beside its key, not in the
    log's database): the log's key and the last tree head it signed. A witness signs a new
    head only if it is an append-only extension of that one — that is what makes its
    signature evidence against a forked or rewritten history."""

    def __init__(self, data: dict[str, Any] | None) -> None:
        self.data = data

    @classmethod
    def load(cls, path: Path) -> _WitnessState:
        if not path.exists():
            return cls(None)
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def check(self, cp: Checkpoint, root: bytes) -> None:
        if self.data is None:
            return
        if self.data["log_public_key"] != _b64(bytes(cp.public_key)):
            raise CommandError("检查点的签名公钥与此前见证的日志公钥不同，拒绝见证")
        m, old_root = int(self.data["tree_size"]), bytes.fromhex(self.data["root_hash"])
        n = cp.tree_size
        if n < m:
            raise CommandError(f"已见证过规模为 {m} 的检查点，不能再见证更早的规模 {n}")
        proof = selectors.consistency_proof(m, n) if 0 < m < n else []
        if not verifier.verify_consistency(cp.hash_alg, m, n, proof, old_root, root):
            raise CommandError(
                f"一致性证明无效：规模为 {n} 的日志不是已见证的规模 {m} 的日志的追加延续"
                "（历史记录可能被改写或日志出现分叉），拒绝见证"
            )

    def save(self, path: Path, cp: Checkpoint, root: bytes) -> None:
        data = {
            "origin": cp.origin,
            "log_public_key": _b64(bytes(cp.public_key)),
            "tree_size": cp.tree_size,
            "root_hash": root.hex(),
        }
        tmp = path.with_name(path.name + ".part")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)


__all__ = ["Command"]
