"""G10: `fazhi backup` and `fazhi restore` — a restore drill to a verified state.

Runs against whichever database the suite uses: SQLite (online backup API) or, when
DATABASE_URL points to PostgreSQL, pg_dump/pg_restore into a scratch database.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils.module_loading import import_string

from fazhi.core.indicator_registry import Period, Scope
from fazhi.core.models import Organization
from fazhi.ledger.integrity import verify_ledger
from fazhi.ledger.models import LedgerHead
from fazhi.ledger.tests.test_integrity import build_ledger

# The reports layer sits above the shared kernel (import-linter contract); the drill only
# needs its one public function, looked up by name.
compute_all = import_string("fazhi.reports.selectors.compute_all")


def indicator_values(county_code: str) -> dict[str, object]:
    root = Organization.objects.get(code=county_code)
    return {iv.indicator.code: iv.value for iv in compute_all(Period.year(2024), Scope(root))}


@contextmanager
def empty_database(tmp_path: Path) -> Iterator[None]:
    """Point the default connection at a brand-new, empty database for the block."""
    conn = connection
    saved = conn.settings_dict["NAME"]
    scratch = f"{saved}_restore" if conn.vendor == "postgresql" else str(tmp_path / "empty.sqlite3")
    if conn.vendor == "postgresql":
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{scratch}"')
    conn.close()
    conn.settings_dict["NAME"] = scratch
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict["NAME"] = saved
        if conn.vendor == "postgresql":
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def backup(archive: Path) -> dict:
    out = io.StringIO()
    call_command("backup", "--out", str(archive), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def restore(archive: Path, *args: str) -> dict:
    out = io.StringIO()
    call_command("restore", str(archive), "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def county(transactional_db, cast, settings, tmp_path):
    # Attachments of its own: other tests (Excel imports) leave files in the shared test dir.
    settings.FAZHI_ATTACHMENT_DIR = tmp_path / "attachments"
    build_ledger(cast)
    return cast


def test_a_backup_restores_into_an_empty_database_with_the_same_figures_and_a_valid_ledger(
    county, tmp_path, settings
):
    before = indicator_values(county.county.code)
    assert before["supervision.staff"] == 1  # the cast's 孙监督: the figures are not all 0
    size = LedgerHead.objects.get().tree_size
    archive = tmp_path / "backups" / "fazhi.tar"

    made = backup(archive)
    assert made["ledger_tree_size"] == size and made["attachments"] == 3
    recorded = (archive.parent / "fazhi.tar.sha256").read_text().split()
    assert recorded == [hashlib.sha256(archive.read_bytes()).hexdigest(), "fazhi.tar"]
    assert made["sha256"] == recorded[0]
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names
    assert not any("ed25519" in n or n.endswith(".pem") for n in names)  # no signing key

    settings.FAZHI_ATTACHMENT_DIR = tmp_path / "restored-attachments"
    with empty_database(tmp_path):
        result = restore(archive)
        assert result["ledger"]["ok"] is True
        assert result["attachments"] == 3
        report = verify_ledger()
        assert report.ok, report.summary()
        assert report.entries == size and report.attachments == 3
        assert indicator_values(county.county.code) == before


def test_restore_refuses_a_database_that_is_not_empty(county, tmp_path):
    archive = tmp_path / "fazhi.tar"
    backup(archive)
    with pytest.raises(CommandError, match="目标数据库不是空的"):
        restore(archive)


def test_restore_refuses_an_archive_whose_hash_does_not_match(county, tmp_path):
    archive = tmp_path / "fazhi.tar"
    backup(archive)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    with empty_database(tmp_path), pytest.raises(CommandError, match="SHA-256 与记录不符"):
        restore(archive)


def test_restore_needs_the_recorded_hash(county, tmp_path):
    archive = tmp_path / "fazhi.tar"
    made = backup(archive)
    (tmp_path / "fazhi.tar.sha256").unlink()
    with empty_database(tmp_path):
        with pytest.raises(CommandError, match="--sha256"):
            restore(archive)
        with pytest.raises(CommandError, match="SHA-256 与记录不符"):
            restore(archive, "--sha256", "0" * 64)
        # The operator who kept the hash elsewhere can still restore.
        assert restore(archive, "--sha256", made["sha256"])["ledger"]["ok"] is True


def test_backup_refuses_to_overwrite(county, tmp_path):
    archive = tmp_path / "fazhi.tar"
    archive.write_bytes(b"keep me")
    with pytest.raises(CommandError, match="拒绝覆盖"):
        backup(archive)
    assert archive.read_bytes() == b"keep me"
