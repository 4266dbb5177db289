"""`fazhi draw verify BUNDLE.json [--format json]` — re-compute a published draw.

The check is the standalone verifier's own (``fazhi.draws.verifier.check_bundle``, the file the
portal hands out as draw_verifier.py), so the command and the public script cannot disagree.
Exit status as the verifier: 0 verified, 1 the bundle does not verify (something was altered),
2 the bundle cannot be read or is not a draw bundle.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.draws import verifier


class Command(BaseCommand):
    help = "随机抽取：验证公布的抽取包"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        p: CommandParser = sub.add_parser(
            "verify",
            help="按承诺、随机数和名单重新计算抽取结果，与公布的结果核对",
            description="按承诺、随机数和名单重新计算抽取结果，与公布的结果核对",
        )
        p.add_argument("bundle", help="抽取包（JSON 文件，从公开门户下载）")
        p.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        ok, code, message, selected = self.verify(options["bundle"])
        if options["format"] == "json":
            data = {"ok": ok, "message": message, "selected": selected}
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stdout.write(message)
        if code:
            # The message is already on stdout; CommandError sets the exit status.
            raise CommandError("验证未通过" if code == 1 else "无法验证", returncode=code)

    @staticmethod
    def verify(path: str) -> tuple[bool, int, str, int]:
        """(ok, exit status, Chinese message, number selected)."""
        try:
            with open(path, encoding="utf-8") as f:
                bundle = json.load(f)
            if not isinstance(bundle, dict):
                raise verifier.BundleError("抽取包应为 JSON 对象")
            result = verifier.check_bundle(bundle)
        except verifier.Mismatch as exc:
            return False, 1, f"验证失败：{exc}", 0
        except (OSError, ValueError) as exc:
            return False, 2, f"无法验证：{exc}", 0
        n = len(result["selected"])
        return True, 0, f"验证通过：抽中 {n} 个对象，与公布结果一致。", n
