"""`fazhi recover_admin USERNAME` — recover a 三员 account at the server console.

The web interface cannot do this (no administrator may take over another's account);
whoever can run commands on the server can, and the ledger records that it happened.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core import services
from fazhi.core.errors import DomainError


class Command(BaseCommand):
    help = "在服务器上恢复三员（系统/安全/审计管理员）账号：新密码、新动态口令"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--password-stdin", action="store_true", help="从标准输入读取新密码（用于脚本）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("新密码：")
            if getpass.getpass("再次输入新密码：") != password:
                raise CommandError("两次输入的密码不一致")
        try:
            enrollment = services.recover_admin_credentials(
                username=options["username"], new_password=password
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已恢复账号 {options['username']}：密码已更新，旧的动态口令已作废。")
        self.stdout.write(f"新的动态口令密钥（添加到手机令牌）：{enrollment.secret_base32}")
        self.stdout.write(f"或扫描：{enrollment.provisioning_uri()}")
