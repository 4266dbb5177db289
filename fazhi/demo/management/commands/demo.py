"""`fazhi demo` — build the demo county (东辽县) through the services, and print its logins."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from fazhi.core.choices import Role
from fazhi.core.models import Organization, User
from fazhi.demo.builder import DEMO_PASSWORD, build_demo_atomic


class Command(BaseCommand):
    help = "构建演示县（东辽县）并打印演示账号"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=2024)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--scale", type=int, default=1, help="执法人员数量倍数（用于性能测试）")
        parser.add_argument("--if-empty", action="store_true", help="数据库已有数据时跳过")
        parser.add_argument("--logins", action="store_true", help="只打印演示账号")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["logins"]:
            self.print_logins(options["format"])
            return
        if Organization.objects.exists():
            if options["if_empty"]:
                self.stdout.write("数据库已有数据，跳过演示数据构建。")
                return
            raise CommandError("数据库已有数据：演示县只能构建在空数据库中")
        started = time.monotonic()
        result = build_demo_atomic(
            year=options["year"],
            seed=options["seed"],
            scale=options["scale"],
            progress=lambda m: self.stderr.write(f"· {m}"),
        )
        self.stderr.write(
            f"演示县构建完成：{result.organizations} 个单位，{result.users} 个业务账号，"
            f"用时 {time.monotonic() - started:.1f} 秒"
        )
        if options["format"] == "json":
            self.print_logins("json")

    def print_logins(self, fmt: str) -> None:
        rows = []
        wanted = [
            Role.SYSTEM_ADMIN,
            Role.SECURITY_ADMIN,
            Role.AUDIT_ADMIN,
            Role.RULE_OF_LAW_OFFICE,
            Role.SUPERVISOR,
            Role.DEPARTMENT_HEAD,
            Role.LEGAL_REVIEWER,
            Role.OFFICER,
            Role.MEDIATOR,
            Role.OUTREACH_STAFF,
            Role.GOVSERVICE_STAFF,
        ]
        preferred = {"fzb", "jd_xian_1", "scjgj_fzr", "scjgj_fzsh", "scjgj_zf1"}
        for role in wanted:
            users = list(
                User.objects.filter(role_assignments__role=role, is_active=True)
                .select_related("organization")
                .order_by("username")
            )
            if not users:
                continue
            user = next((u for u in users if u.username in preferred), users[0])
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            rows.append(
                {
                    "role": Role(role).label,
                    "username": user.username,
                    "name": user.full_name,
                    "organization": user.organization.name if user.organization else "",
                    "password": DEMO_PASSWORD,
                    "totp_secret": base64.b32encode(bytes.fromhex(device.key)).decode()
                    if device
                    else "",
                }
            )
        if fmt == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not rows:
            self.stdout.write("尚无演示账号：运行 `fazhi demo` 构建演示县。")
            return
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）/ Demo logins:")
        for r in rows:
            self.stdout.write(
                f"  {r['role']:<12}\t{r['username']:<12}\t{r['name']}\t{r['organization']}"
            )
        admins = [r for r in rows if r["totp_secret"]]
        if admins:
            self.stdout.write(
                "\n三员账号须输入动态口令（TOTP）。把下列密钥添加到手机令牌（或扫描二维码）：\n"
                "Administrators log in with a TOTP code; add these secrets to an authenticator:"
            )
            for r in admins:
                self.stdout.write(f"  {r['username']:<10} {r['totp_secret']}")
                self.print_qr(r["username"], r["totp_secret"])
            self.stdout.write(
                "  也可以用命令得到当前口令 / current code: "
                'fazhi shell -c "from django_otp.oath import totp;import base64;'
                "print('%06d' % totp(base64.b32decode('<密钥>')))\""
            )
        self.stdout.write(f"\n访问 / Open: {settings.FAZHI_PUBLIC_BASE_URL}/login/\n")

    def print_qr(self, username: str, secret: str) -> None:
        import io

        import qrcode

        uri = f"otpauth://totp/%E6%B3%95%E6%B2%BB:{username}?secret={secret}&issuer=Fazhi"
        qr = qrcode.QRCode(border=1)
        qr.add_data(uri)
        out = io.StringIO()
        qr.print_ascii(out=out, invert=True)
        self.stdout.write(out.getvalue())
