"""`fazhi ledger …` as operators and cron run it: the real console script in a subprocess
against a database file, and every subcommand through call_command."""

from __future__ import annotations

import base64
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from fazhi.ledger import services, verifier
from fazhi.ledger.models import Checkpoint, LedgerHead, WitnessSignature
from fazhi.ledger.signing import load_private_key, raw_public_key
from fazhi.ledger.tests.test_integrity import append, build_ledger, edit_body, sql, swap_bodies


def _fazhi_script() -> Path:
    script = Path(django_settings.BASE_DIR) / ".venv" / "bin" / "fazhi"
    return script if script.exists() else Path(sys.executable).parent / "fazhi"


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def run_fazhi(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script, on the test database (committed data: the tests
    below use transactional_db), as a separate process."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
    }
    return subprocess.run(
        [str(_fazhi_script()), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=django_settings.BASE_DIR,
    )


# --------------------------------------------------------------------------------------
# The console script in a subprocess
# --------------------------------------------------------------------------------------


@pytest.fixture
def committed_ledger(transactional_db, cast):
    # Evidence files live in this process's temporary attachment directory, which the
    # child cannot see: the subprocess tests use a ledger without them.
    build_ledger(cast, with_files=False)


def test_fazhi_ledger_verify_passes_in_a_subprocess(committed_ledger):
    result = run_fazhi("ledger", "verify", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["entries"] == LedgerHead.objects.get().tree_size
    assert report["checkpoints"] == Checkpoint.objects.count()


def test_fazhi_ledger_verify_fails_naming_an_edited_entry_in_a_subprocess(committed_ledger):
    edit_body(17)
    result = run_fazhi("ledger", "verify")
    assert result.returncode == 1
    assert "验证失败：第 17 条记录被修改（叶子哈希不符）" in result.stderr
    assert "第 17 条记录被修改（叶子哈希不符）" in result.stdout


def test_fazhi_ledger_verify_fails_naming_a_deleted_entry_in_a_subprocess(committed_ledger):
    sql("DELETE FROM ledger_ledgerentry WHERE seq = %s", [23])
    result = run_fazhi("ledger", "verify", "--format", "json")
    assert result.returncode == 1
    assert "验证失败：第 23 条记录被删除" in result.stderr
    assert json.loads(result.stdout)["first_failure"]["seq"] == 23


def test_fazhi_ledger_verify_fails_naming_swapped_entries_in_a_subprocess(committed_ledger):
    swap_bodies(30, 41)
    result = run_fazhi("ledger", "verify")
    assert result.returncode == 1
    assert "验证失败：第 30 条记录顺序被调换（内容中的序号为 41）" in result.stderr


# --------------------------------------------------------------------------------------
# The other subcommands
# --------------------------------------------------------------------------------------


def ledger_json(*args: str) -> Any:
    out = io.StringIO()
    call_command("ledger", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def ledger_error(*args: str) -> str:
    with pytest.raises(CommandError) as excinfo:
        call_command("ledger", *args, stdout=io.StringIO())
    assert excinfo.value.returncode != 0
    return str(excinfo.value)


@pytest.fixture
def log_key(cast) -> bytes:
    services.create_checkpoint()  # creates the installation's key on first use
    return raw_public_key(load_private_key(Path(django_settings.FAZHI_LEDGER_KEY_FILE)))


def test_checkpoint_signs_the_current_head_and_checkpoints_lists_it(cast, log_key):
    append(1)
    cp = ledger_json("checkpoint")
    assert cp["tree_size"] == LedgerHead.objects.get().tree_size
    assert base64.b64decode(cp["public_key"]) == log_key
    message = verifier.checkpoint_message(
        cp["origin"],
        cp["tree_size"],
        bytes.fromhex(cp["root_hash"]),
        cp["hash_alg"],
        cp["timestamp"],
    )
    assert verifier.ed25519_verify(log_key, message, base64.b64decode(cp["signature"]))
    listed = ledger_json("checkpoints")
    assert [c["tree_size"] for c in listed] == sorted(
        Checkpoint.objects.values_list("tree_size", flat=True), reverse=True
    )


def test_proof_prints_a_receipt_the_public_verifier_accepts(cast, log_key):
    ledger_json("checkpoint")
    out = io.StringIO()
    call_command("ledger", "proof", "--seq", "3", stdout=out)
    ok, verdict = verifier.verify_receipt(json.loads(out.getvalue()), log_key)
    assert ok, verdict
    assert "序号为 3 的记录" in verdict


def test_consistency_prints_a_bundle_the_public_verifier_accepts(cast, log_key):
    first = ledger_json("checkpoint")["tree_size"]
    for i in range(5):
        append(i)
    second = ledger_json("checkpoint")["tree_size"]
    out = io.StringIO()
    call_command(
        "ledger", "consistency", "--first", str(first), "--second", str(second), stdout=out
    )
    ok, verdict = verifier.verify_consistency_bundle(json.loads(out.getvalue()), log_key)
    assert ok, verdict


def test_proof_and_consistency_fail_clearly(cast, log_key):
    assert "不存在" in ledger_error("proof", "--seq", "99999")
    assert "检查点不存在" in ledger_error("consistency", "--first", "1", "--second", "2")


def test_a_subcommand_is_required(db):
    with pytest.raises(CommandError):
        call_command("ledger")


def test_init_key_creates_the_key_once(db, settings, tmp_path):
    settings.FAZHI_LEDGER_KEY_FILE = tmp_path / "keys" / "log.pem"
    created = ledger_json("init-key")
    again = ledger_json("init-key")
    assert created["created"] is True and again["created"] is False
    assert created["public_key"] == again["public_key"]
    assert stat.S_IMODE(settings.FAZHI_LEDGER_KEY_FILE.stat().st_mode) == 0o600


def test_a_witness_cosigns_and_verification_checks_its_signature(cast, log_key, tmp_path):
    key_file = tmp_path / "sfj.pem"
    generated = ledger_json("witness-keygen", "--out", str(key_file))
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "文件已存在" in ledger_error("witness-keygen", "--out", str(key_file))

    signed = ledger_json("cosign", "--key", str(key_file), "--witness", "某市司法局")
    assert signed["public_key"] == generated["public_key"]
    w = WitnessSignature.objects.get()
    assert w.witness == "某市司法局" and w.checkpoint.tree_size == signed["tree_size"]
    assert ledger_json("verify")["witness_signatures"] == 1
    assert "已见证过" in ledger_error("cosign", "--key", str(key_file), "--witness", "某市司法局")

    # Later the log grows; the witness signs the new head after checking that it extends
    # the one it signed before.
    for i in range(6):
        append(i)
    ledger_json("checkpoint")
    again = ledger_json("cosign", "--key", str(key_file), "--witness", "某市司法局")
    assert again["tree_size"] == signed["tree_size"] + 6
    # …and will not sign backwards.
    assert "不能再见证更早" in ledger_error(
        "cosign",
        "--key",
        str(key_file),
        "--witness",
        "某市司法局",
        "--tree-size",
        str(signed["tree_size"]),
    )


def test_a_witness_refuses_a_head_that_does_not_extend_what_it_signed(cast, log_key, tmp_path):
    key_file = tmp_path / "sfj.pem"
    ledger_json("witness-keygen", "--out", str(key_file))
    ledger_json("cosign", "--key", str(key_file), "--witness", "某市司法局")
    # The head the witness remembers is not a prefix of the history the log now serves
    # (as after a rewrite of past entries): it must refuse to vouch for the new head.
    state_file = key_file.with_name(key_file.name + ".state.json")
    state = json.loads(state_file.read_text())
    state["root_hash"] = "00" * 32
    state_file.write_text(json.dumps(state))
    append(1)
    ledger_json("checkpoint")
    message = ledger_error("cosign", "--key", str(key_file), "--witness", "某市司法局")
    assert "一致性证明无效" in message
    assert WitnessSignature.objects.count() == 1


def test_cosign_needs_an_existing_key_and_a_validly_signed_checkpoint(cast, log_key, tmp_path):
    assert "见证密钥文件不存在" in ledger_error(
        "cosign", "--key", str(tmp_path / "none.pem"), "--witness", "某市司法局"
    )
    key_file = tmp_path / "sfj.pem"
    ledger_json("witness-keygen", "--out", str(key_file))
    cp = Checkpoint.objects.order_by("-tree_size")[0]
    sql("UPDATE ledger_checkpoint SET signature = %s WHERE id = %s", [b"\x00" * 64, cp.pk])
    assert "日志签名无效" in ledger_error(
        "cosign", "--key", str(key_file), "--witness", "某市司法局"
    )
