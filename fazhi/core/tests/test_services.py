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
