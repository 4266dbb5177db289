"""Security controls of issue 2: lockout, password policy, sessions, 三员分立, 2FA, deploy."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from fazhi.core import services
from fazhi.core.choices import ADMIN_ROLES, Role
from fazhi.core.errors import DomainError
from fazhi.core.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT
from fazhi.core.models import LoginAttempt, Organization
from fazhi.core.permissions import PERMISSIONS
from fazhi.core.testing import TEST_PASSWORD, TEST_TOTP_KEY, totp_token
from fazhi.ledger.models import LedgerEntry


def post_login(client: Client, username: str, password: str, otp: str = "") -> str:
    response = client.post(
        "/login/", {"username": username, "password": password, "otp_token": otp}
    )
    return response.content.decode() if response.status_code == 200 else "REDIRECT"


@pytest.mark.django_db
class TestLockout:
    def test_five_failures_lock_the_account_even_for_the_right_password(self, cast, client):
        for _ in range(5):
            assert "用户名或密码错误" in post_login(client, "officer", "wrong") or True
        page = post_login(client, "officer", TEST_PASSWORD)
        assert "锁定" in page

    @override_settings(FAZHI_LOCKOUT_THRESHOLD=3)
    def test_threshold_is_configurable(self, cast, client):
        for _ in range(2):
            post_login(client, "officer", "wrong")
        assert post_login(client, "officer", TEST_PASSWORD) == "REDIRECT"
        client.logout()
        for _ in range(3):
            post_login(client, "officer", "wrong")
        assert "锁定" in post_login(client, "officer", TEST_PASSWORD)

    def test_an_admin_reset_clears_the_lock(self, cast, client):
        for _ in range(5):
            post_login(client, "officer", "wrong")
        services.reset_password(
            actor=cast.system_admin, user=cast.officer, new_password="New-Passw0rd-2024"
        )
        assert post_login(client, "officer", "New-Passw0rd-2024") == "REDIRECT"

    def test_every_attempt_is_recorded_in_table_and_ledger(self, cast, client):
        before = LedgerEntry.objects.filter(stream="core.auth").count()
        post_login(client, "officer", "wrong")
        post_login(client, "nobody", "wrong")
        post_login(client, "officer", TEST_PASSWORD)
        attempts = list(
            LoginAttempt.objects.order_by("at").values_list("username", "succeeded", "reason")
        )
        assert attempts == [
            ("officer", False, "bad_password"),
            ("nobody", False, "unknown_user"),
            ("officer", True, "ok"),
        ]
        assert LedgerEntry.objects.filter(stream="core.auth").count() == before + 3

    def test_unknown_user_and_wrong_password_look_the_same(self, cast, client):
        assert "用户名或密码错误" in post_login(client, "nobody", "x")
        assert "用户名或密码错误" in post_login(client, "officer", "x")

    def test_a_disabled_account_is_named_only_to_who_knows_its_password(self, cast, client):
        services.set_user_active(actor=cast.system_admin, user=cast.officer, is_active=False)
        page = post_login(client, "officer", "wrong")
        assert "用户名或密码错误" in page and "停用" not in page
        assert "账号已停用" in post_login(client, "officer", TEST_PASSWORD)

    @override_settings(FAZHI_LOCKOUT_THRESHOLD=3, OTP_TOTP_THROTTLE_FACTOR=0)
    def test_wrong_totp_codes_count_towards_the_lockout(self, cast, client):
        user = cast.system_admin
        wrong = f"{(int(totp_token()) + 1) % 1_000_000:06d}"
        for _ in range(2):
            assert "动态口令错误" in post_login(client, user.username, TEST_PASSWORD, wrong)
        assert "锁定" in post_login(client, user.username, TEST_PASSWORD, wrong)
        # Locked: even the right password and code are refused until the lock expires.
        assert "锁定" in post_login(client, user.username, TEST_PASSWORD, totp_token())
        reasons = list(
            LoginAttempt.objects.filter(username=user.username)
            .order_by("at", "id")
            .values_list("reason", flat=True)
        )
        assert reasons == ["bad_otp", "bad_otp", "otp_locked_now", "locked"]


@pytest.mark.django_db
class TestPasswordPolicy:
    @pytest.mark.parametrize(
        ("password", "reason"),
        [
            ("Ab1!", "太短"),
            ("abcdefghijk", "至少"),
            ("12345678901", "全部为数字"),
            ("password123", "太常见"),
        ],
    )
    def test_weak_passwords_are_refused_in_chinese(self, cast, password, reason):
        with pytest.raises(DomainError) as exc:
            services.create_user(
                actor=cast.system_admin,
                username="newbie",
                full_name="新人",
                organization=cast.department_a,
                password=password,
            )
        assert reason in exc.value.message

    @override_settings(
        AUTH_PASSWORD_VALIDATORS=[
            {"NAME": "fazhi.core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 0}}
        ]
    )
    def test_composition_rule_can_be_switched_off(self, cast):
        services.create_user(
            actor=cast.system_admin,
            username="newbie",
            full_name="新人",
            organization=cast.department_a,
            password="correct horse battery",
        )


@pytest.mark.django_db
class TestSessions:
    def test_idle_timeout_logs_out(self, cast, login, client):
        login(cast.officer)
        assert client.get("/workbench/").status_code == 200
        session = client.session
        session[SESSION_SEEN_AT] = time.time() - 16 * 60
        session.save()
        response = client.get("/workbench/")
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_activity_refreshes_the_idle_clock(self, cast, login, client):
        login(cast.officer)
        session = client.session
        session[SESSION_SEEN_AT] = time.time() - 14 * 60
        session.save()
        assert client.get("/workbench/").status_code == 200
        assert time.time() - client.session[SESSION_SEEN_AT] < 60

    def test_a_read_within_the_minute_does_not_write_the_session(self, cast, login, client):
        login(cast.officer)
        assert client.get("/workbench/").status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/workbench/").status_code == 200
        writes = [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"]]
        assert not [w for w in writes if not w.startswith("SELECT")], writes

    def test_absolute_lifetime_logs_out_an_active_session(self, cast, login, client):
        login(cast.officer)
        session = client.session
        session[SESSION_LOGIN_AT] = time.time() - 9 * 3600
        session.save()
        response = client.get("/workbench/")
        assert response.status_code == 302

    def test_defaults_meet_the_policy(self, settings):
        assert settings.FAZHI_IDLE_TIMEOUT_MINUTES <= 30
        assert settings.FAZHI_LOCKOUT_THRESHOLD == 5
        assert settings.SESSION_COOKIE_AGE <= 12 * 3600

    def test_deactivating_a_user_ends_their_session(self, cast, login, client):
        login(cast.officer)
        services.set_user_active(actor=cast.system_admin, user=cast.officer, is_active=False)
        assert client.get("/workbench/").status_code == 302


@pytest.mark.django_db
class TestTwoFactor:
    @pytest.mark.parametrize("role", sorted(ADMIN_ROLES))
    def test_administrators_need_a_totp_code(self, cast, client, role):
        user = cast.by_role()[role]
        assert "请输入动态口令" in post_login(client, user.username, TEST_PASSWORD)
        assert post_login(client, user.username, TEST_PASSWORD, totp_token()) == "REDIRECT"

    def test_a_wrong_code_is_refused_and_then_throttled(self, cast, client):
        user = cast.system_admin
        wrong = f"{(int(totp_token()) + 1) % 1_000_000:06d}"
        assert "动态口令错误" in post_login(client, user.username, TEST_PASSWORD, wrong)
        # django-otp's back-off: even the right code waits after a failure.
        assert "过于频繁" in post_login(client, user.username, TEST_PASSWORD, totp_token())

    def test_other_roles_log_in_with_a_password(self, cast, client):
        assert post_login(client, "officer", TEST_PASSWORD) == "REDIRECT"

    def test_two_factor_is_configurable_for_other_roles(self, cast, client, settings):
        settings.FAZHI_2FA_ROLES = [Role.OFFICER]
        assert "尚未绑定" in post_login(client, "officer", TEST_PASSWORD)
        services.enroll_totp(actor=cast.officer, user=cast.officer, key_hex="00" * 20)
        assert post_login(client, "officer", TEST_PASSWORD, totp_token("00" * 20)) == "REDIRECT"


@pytest.mark.django_db
class TestThreeAdministrators:
    def test_no_account_holds_two_admin_roles(self, cast):
        for holder in (cast.system_admin, cast.audit_admin):
            for role in ADMIN_ROLES:
                with pytest.raises((DomainError, PermissionDenied)):
                    services.assign_role(actor=cast.security_admin, user=holder, role=role)

    def test_admins_do_not_hold_business_roles(self, cast):
        with pytest.raises(DomainError, match="业务角色"):
            services.assign_role(
                actor=cast.security_admin, user=cast.audit_admin, role=Role.SUPERVISOR
            )
        with pytest.raises(DomainError, match="业务角色"):
            services.assign_role(
                actor=cast.security_admin, user=cast.officer, role=Role.AUDIT_ADMIN
            )

    def test_system_admin_cannot_read_the_audit_trail(self):
        assert Role.SYSTEM_ADMIN not in PERMISSIONS["ledger.view_entries"]
        assert Role.SYSTEM_ADMIN not in PERMISSIONS["core.view_login_attempts"]

    def test_audit_admin_changes_nothing(self, cast):
        # Managing one's own credentials (API tokens) is not a change to the system.
        writes = [p for p in PERMISSIONS if ".view_" not in p and "_own_" not in p]
        assert writes
        for perm in writes:
            assert Role.AUDIT_ADMIN not in PERMISSIONS[perm], perm
        with pytest.raises(PermissionDenied):
            services.create_user(
                actor=cast.audit_admin,
                username="x",
                full_name="x",
                organization=cast.county,
                password=TEST_PASSWORD,
            )
        with pytest.raises(PermissionDenied):
            services.assign_role(actor=cast.audit_admin, user=cast.officer, role=Role.SUPERVISOR)

    def test_security_admin_cannot_create_accounts_nor_grant_itself(self, cast):
        with pytest.raises(PermissionDenied):
            services.create_user(
                actor=cast.security_admin,
                username="x",
                full_name="x",
                organization=cast.county,
                password=TEST_PASSWORD,
            )
        with pytest.raises(DomainError, match="自己"):
            services.assign_role(
                actor=cast.security_admin, user=cast.security_admin, role=Role.SUPERVISOR
            )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "k" * 20 + "Q9!x" * 15,
        "DJANGO_ALLOWED_HOSTS": "fazhi.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "FAZHI_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "",
        "FAZHI_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_an_unavailable_hash_algorithm_stops_start_up(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "FAZHI_LEDGER_HASH_ALG": "md5",
        "FAZHI_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "fazhi.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "日志哈希算法" in result.stderr


@pytest.mark.django_db
class TestNoAdministratorTakesOverAnother:
    """三员分立 holds for credentials too: the system administrator manages accounts, but
    cannot reset, re-key or switch off the security or audit administrator."""

    @pytest.mark.parametrize("victim", ["security_admin", "audit_admin"])
    def test_system_admin_cannot_take_over_another_administrator(self, cast, victim):
        target = getattr(cast, victim)
        with pytest.raises(DomainError, match="三员分立"):
            services.reset_password(
                actor=cast.system_admin, user=target, new_password="Takeover-2024!x"
            )
        with pytest.raises(DomainError, match="三员分立"):
            services.enroll_totp(actor=cast.system_admin, user=target, key_hex="00" * 20)
        with pytest.raises(DomainError, match="三员分立"):
            services.set_user_active(actor=cast.system_admin, user=target, is_active=False)
        target.refresh_from_db()
        assert target.is_active and target.check_password(TEST_PASSWORD)

    def test_recovery_at_the_console_resets_and_is_recorded(self, cast, client, monkeypatch):
        import io

        from django.core.management import call_command

        # given: the audit administrator is locked out
        for _ in range(5):
            post_login(client, "auditor", "wrong")
        monkeypatch.setattr("sys.stdin", io.StringIO("Recovered-Passw0rd!\n"))
        out = io.StringIO()
        # when
        call_command("recover_admin", "auditor", "--password-stdin", stdout=out)
        # then: the old TOTP key is void, the printed one works, the event is recorded
        secret = out.getvalue().split("密钥（添加到手机令牌）：")[1].split()[0]
        import base64

        key_hex = base64.b32decode(secret).hex()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        keys = list(TOTPDevice.objects.filter(user=cast.audit_admin).values_list("key", flat=True))
        assert keys == [key_hex] and key_hex != TEST_TOTP_KEY
        assert (
            post_login(client, "auditor", "Recovered-Passw0rd!", totp_token(key_hex)) == "REDIRECT"
        )
        entry = LedgerEntry.objects.filter(kind="core.user.admin_recovered").get()
        assert entry.actor == "system" and '"username":"auditor"' in entry.body

    def test_recovery_is_only_for_administrators(self, cast, monkeypatch):
        import io

        from django.core.management import call_command
        from django.core.management.base import CommandError

        monkeypatch.setattr("sys.stdin", io.StringIO("Recovered-Passw0rd!\n"))
        with pytest.raises(CommandError, match="只用于恢复三员账号"):
            call_command("recover_admin", "officer", "--password-stdin")


@pytest.mark.django_db
class TestNullCharacters:
    """NUL is refused at the door on every database (PostgreSQL cannot store it)."""

    def test_api_query_with_nul_is_a_422_in_the_error_contract(self, cast, login):
        client = login(cast.audit_admin, Client())
        response = client.get("/api/v1/ledger/entries", {"stream": "a\x00b"})
        assert response.status_code == 422
        body = response.json()
        assert body["code"] == "validation_error"
        assert body["details"]["fields"] == {"stream": ["请求参数不能包含空字符（U+0000）"]}

    def test_api_json_body_with_escaped_nul_is_refused(self, cast, login):
        client = login(cast.system_admin, Client(enforce_csrf_checks=False))
        response = client.post(
            "/api/v1/organizations",
            data='{"code": "x1", "name": "a\\u0000b", "kind": "department", "parent": "county"}',
            content_type="application/json",
        )
        assert response.status_code == 422
        assert not Organization.objects.filter(code="x1").exists()

    def test_page_query_with_nul_is_a_400(self, cast, login):
        client = login(cast.officer, Client())
        response = client.get("/reports/", {"org": "\x00"})
        assert response.status_code == 400
        assert "空字符" in response.content.decode()

    def test_uploaded_files_may_contain_nul_bytes(self, client, cast):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("回执.json", b"\x00\x01binary", content_type="application/json")
        response = client.post("/ledger/verify/", {"receipt_file": upload, "receipt_text": ""})
        assert response.status_code == 200  # the form's own Chinese error, not the door's
