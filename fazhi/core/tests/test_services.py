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
        actor=cast.system_admin, code="new", name="新单位", kind="department", parent=cast.county
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
