import pytest

from fazhi.core import services
from fazhi.core.choices import Role
from fazhi.core.errors import DomainError
from fazhi.ledger.models import LedgerEntry


def test_each_core_service_writes_exactly_one_ledger_entry(cast):
    # given
    before = LedgerEntry.objects.count()
    # when
    services.create_organization(
        actor=cast.system_admin, code="xin", name="新单位", kind="department", parent=cast.county
    )
    # then
    assert LedgerEntry.objects.count() == before + 1
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.kind == "core.organization.created"
    assert entry.actor == "user:sysadmin"


def test_an_account_cannot_hold_two_administrator_roles(cast):
    with pytest.raises(DomainError, match="三员分立"):
        services.assign_role(
            actor=cast.security_admin, user=cast.audit_admin, role=Role.SYSTEM_ADMIN
        )


def test_system_admin_cannot_grant_roles(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.assign_role(actor=cast.system_admin, user=cast.officer, role=Role.SUPERVISOR)


def test_seeding_a_year_chinese_calendar_does_not_know_asks_for_manual_entry(cast):
    with pytest.raises(DomainError, match="请手工录入"):
        services.seed_calendar_year(actor=cast.system_admin, year=2099)


def test_seeding_a_year_keeps_manual_edits_and_records_once(cast):
    import datetime as dt

    from fazhi.core.models import CalendarDay

    # given: an administrator's own decision for 2024-10-08 (a normal workday officially)
    services.set_calendar_day(
        actor=cast.system_admin, date=dt.date(2024, 10, 8), is_workday=False, note="本县特别调整"
    )
    before = LedgerEntry.objects.count()
    # when
    added = services.seed_calendar_year(actor=cast.system_admin, year=2024)
    # then
    assert added > 20
    assert CalendarDay.objects.get(date=dt.date(2024, 10, 8)).note == "本县特别调整"
    assert CalendarDay.objects.get(date=dt.date(2024, 10, 12)).is_workday  # 调休上班
    assert LedgerEntry.objects.count() == before + 1


def _security_admin_of(cast, organization):
    """A second security administrator whose data scope is only `organization`."""
    from fazhi.core.testing import TEST_PASSWORD

    narrow = services.create_user(
        actor=cast.system_admin,
        username="secadmin_b",
        full_name="部门安全管理员",
        organization=organization,
        password=TEST_PASSWORD,
    )
    services.assign_role(actor=cast.security_admin, user=narrow, role=Role.SECURITY_ADMIN)
    return narrow


def test_roles_cannot_be_revoked_outside_the_actors_data_scope(cast):
    # given: a security administrator who sees department B only
    narrow = _security_admin_of(cast, cast.department_b)
    before = LedgerEntry.objects.count()

    # when / then: department A's officer keeps the role, and nothing is recorded
    with pytest.raises(DomainError, match="数据范围"):
        services.revoke_role(actor=narrow, user=cast.officer, role=Role.OFFICER)
    assert cast.officer.role_assignments.filter(role=Role.OFFICER).exists()
    assert LedgerEntry.objects.count() == before


def test_totp_cannot_be_enrolled_for_a_user_outside_the_actors_data_scope(cast):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from fazhi.core.choices import DataScope
    from fazhi.core.testing import TEST_PASSWORD

    # given: a system administrator who sees department B only
    narrow = services.create_user(
        actor=cast.system_admin,
        username="sysadmin_b",
        full_name="部门系统管理员",
        organization=cast.department_b,
        password=TEST_PASSWORD,
    )
    services.assign_role(
        actor=cast.security_admin, user=narrow, role=Role.SYSTEM_ADMIN, scope=DataScope.OWN
    )

    # when / then
    with pytest.raises(DomainError, match="数据范围"):
        services.enroll_totp(actor=narrow, user=cast.officer)
    assert not TOTPDevice.objects.filter(user=cast.officer).exists()


@pytest.mark.parametrize("phone", ["abc", "123", "1380013800x"])
def test_a_malformed_phone_number_is_refused_by_the_service_itself(cast, phone):
    from fazhi.core.testing import TEST_PASSWORD

    # The API creates accounts through the service without the page's form.
    with pytest.raises(DomainError, match="手机号码") as exc:
        services.create_user(
            actor=cast.system_admin,
            username="newbie",
            full_name="新人",
            organization=cast.department_a,
            password=TEST_PASSWORD,
            phone=phone,
        )
    assert "phone" in exc.value.details


def test_a_phone_number_is_stored_without_spaces(cast):
    from fazhi.core.testing import TEST_PASSWORD

    user = services.create_user(
        actor=cast.system_admin,
        username="newbie",
        full_name="新人",
        organization=cast.department_a,
        password=TEST_PASSWORD,
        phone=" 138 0013 8000 ",
    )
    assert user.phone == "13800138000"
