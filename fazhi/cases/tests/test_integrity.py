"""`fazhi ledger verify` catches a decision row, a published snapshot or an evidence file
changed behind the services' back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from fazhi.cases import services
from fazhi.cases.models import Disclosure, PenaltyCase
from fazhi.cases.testing import PERSON, walk
from fazhi.cases.workflow import Status
from fazhi.ledger.integrity import verify_ledger
from fazhi.ledger.services import attachment_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(cc, settings, tmp_path):
    # Files of this test only: an edited file must not leak into other tests' stores.
    settings.FAZHI_ATTACHMENT_DIR = tmp_path / "attachments"
    case = walk(cc, Status.SERVED, party=PERSON)
    services.publish_decision(actor=cc.cast.officer, case=case, on=dt.date(2024, 3, 18))
    report = verify_ledger()
    assert report.ok, report.summary()
    return case


def _raw(sql: str, params: list[str | int]) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


def test_a_lowered_fine_fails_verification_naming_the_decision_entry(published):
    table = PenaltyCase._meta.db_table
    _raw(f"UPDATE {table} SET fine = %s WHERE id = %s", ["100.00", published.pk])
    report = verify_ledger()
    assert not report.ok
    seq = published.steps.get(action="decide").ledger_seq
    assert report.first is not None and report.first.seq == seq
    assert "罚款金额" in report.summary() and published.number in report.summary()


def test_an_edited_public_snapshot_fails_verification(published):
    d = Disclosure.objects.get(case=published)
    snapshot = {**d.snapshot, "fine": "1.00"}
    Disclosure.objects.filter(pk=d.pk).update(snapshot=snapshot)  # behind the services' back
    report = verify_ledger()
    assert not report.ok
    assert "公示内容" in report.summary()


def test_an_edited_evidence_file_fails_verification(published):
    evidence = published.evidence.first()
    path = attachment_path(evidence.attachment_id)
    path.write_bytes(path.read_bytes() + b"edited")
    report = verify_ledger()
    assert not report.ok
    assert "文件内容被修改" in report.summary()
