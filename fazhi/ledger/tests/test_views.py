"""The ledger pages: staff explorer, public checkpoints, proofs, verifier and verify page."""

from __future__ import annotations

import base64
import io
import json
from html import unescape
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core import services as core_services
from fazhi.core.choices import OrgKind
from fazhi.ledger import services, verifier
from fazhi.ledger.models import Checkpoint, LedgerEntry

STAFF_ROLES_ALLOWED = {"audit_admin", "supervisor", "rule_of_law_office"}
STAFF_ROLES_REFUSED = {
    "system_admin",
    "security_admin",
    "officer",
    "legal_reviewer",
    "department_head",
}


@pytest.fixture
def checkpoint(cast) -> Checkpoint:
    return services.create_checkpoint()


def _raw_key(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _download_receipt(client: Client, seq: int) -> dict:
    response = client.get(reverse("ledger:receipt", args=[seq]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment")
    return json.loads(response.content.decode("utf-8"))


def _verify(bundle_text: str | bytes, *, name: str = "回执.json", seq: int | None = None):
    """Post a receipt file to the public verify page as an anonymous visitor."""
    data: dict[str, object] = {
        "receipt_file": SimpleUploadedFile(
            name,
            bundle_text.encode("utf-8") if isinstance(bundle_text, str) else bundle_text,
            content_type="application/json",
        )
    }
    if seq is not None:
        data["seq"] = seq
    return Client().post(reverse("ledger:verify"), data)


# --- who may see what -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ledger:entry_list", "ledger:entry_detail", "ledger:receipt"])
def test_anonymous_is_sent_to_login_from_staff_pages(client, cast, checkpoint, name):
    url = reverse(name, args=[0]) if name != "ledger:entry_list" else reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("role", sorted(STAFF_ROLES_ALLOWED | STAFF_ROLES_REFUSED))
def test_entry_pages_by_role(cast, checkpoint, login, role):
    client = login(getattr(cast, role))
    expected = 200 if role in STAFF_ROLES_ALLOWED else 403
    for url in (
        reverse("ledger:entry_list"),
        reverse("ledger:entry_detail", args=[0]),
        reverse("ledger:receipt", args=[0]),
    ):
        assert client.get(url).status_code == expected, (role, url)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/ledger/checkpoints/",
        "/ledger/verify/",
        "/ledger/verifier.py",
    ],
)
def test_public_pages_need_no_login(client, cast, checkpoint, url):
    assert client.get(url).status_code == 200


def test_unknown_entry_is_404(cast, checkpoint, login):
    client = login(cast.supervisor)
    assert client.get(reverse("ledger:entry_detail", args=[10_000])).status_code == 404
    assert client.get(reverse("ledger:receipt", args=[10_000])).status_code == 404


# --- the explorer --------------------------------------------------------------------


def test_entry_list_filters_by_stream_kind_and_actor(cast, login):
    client = login(cast.audit_admin)
    url = reverse("ledger:entry_list")

    response = client.get(url, {"stream": "core.organization"})
    entries = list(response.context["page"])
    assert entries and {e.stream for e in entries} == {"core.organization"}
    # Every stream is offered as a tab.
    assert {"core.organization", "core.user", "core.auth"} <= set(response.context["streams"])

    entries = list(client.get(url, {"kind": "core.role.assigned"}).context["page"])
    assert entries and {e.kind for e in entries} == {"core.role.assigned"}

    entries = list(client.get(url, {"actor": "secadmin"}).context["page"])
    assert entries and {e.actor for e in entries} == {"user:secadmin"}

    # Newest first, with the local time shown.
    html = client.get(url).content.decode()
    newest = LedgerEntry.objects.order_by("-seq").first()
    assert newest is not None
    assert f'href="/ledger/entries/{newest.seq}/"' in html


def test_entry_list_is_paginated(cast, login):
    client = login(cast.supervisor)
    total = LedgerEntry.objects.count()
    for i in range(55 - total if total < 55 else 0):
        core_services.create_organization(
            actor=cast.system_admin,
            code=f"p{i}",
            name=f"分页单位{i}",
            kind=OrgKind.OTHER,
            parent=cast.county,
        )
    response = client.get(reverse("ledger:entry_list"))
    page = response.context["page"]
    assert len(page) == 50
    assert page.paginator.num_pages >= 2
    second = client.get(reverse("ledger:entry_list"), {"page": 2}).context["page"]
    assert {e.seq for e in page}.isdisjoint({e.seq for e in second})


def test_entry_detail_shows_body_hash_checkpoint_proof_and_qr(cast, checkpoint, login):
    client = login(cast.rule_of_law_office)
    entry = LedgerEntry.objects.get(seq=3)
    html = client.get(reverse("ledger:entry_detail", args=[3])).content.decode()
    assert bytes(entry.leaf_hash).hex() in html
    assert bytes(checkpoint.root_hash).hex() in html
    assert reverse("ledger:receipt", args=[3]) in html and "下载回执" in html
    assert "<svg" in html  # the QR code, inline
    assert "/ledger/verify/?seq=3" in html
    # The canonical body, pretty-printed (indented keys).
    assert '\n  "kind": "core.organization.created"' in unescape(html)
    bundle = _download_receipt(client, 3)
    for h in bundle["inclusion_proof"]:
        assert h in html


def test_entry_not_yet_checkpointed_has_no_receipt(cast, login):
    client = login(cast.supervisor)
    html = client.get(reverse("ledger:entry_detail", args=[0])).content.decode()
    assert "尚未被任何已签名的检查点覆盖" in html
    assert reverse("ledger:receipt", args=[0]) not in html
    assert client.get(reverse("ledger:receipt", args=[0])).status_code == 404


def test_list_page_query_counts_do_not_grow_with_rows(cast, login):
    client = login(cast.supervisor)
    url = reverse("ledger:entry_list")
    services.create_checkpoint()

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as entries_q:
            assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as checkpoints_q:
            assert client.get(reverse("ledger:checkpoint_list")).status_code == 200
        return len(entries_q), len(checkpoints_q)

    before = counts()
    for i in range(12):
        core_services.create_organization(
            actor=cast.system_admin,
            code=f"q{i}",
            name=f"单位{i}",
            kind=OrgKind.OTHER,
            parent=cast.county,
        )
        cp = services.create_checkpoint()
        key = Ed25519PrivateKey.generate()
        services.add_witness_signature(
            checkpoint=cp,
            witness="市司法局",
            public_key=_raw_key(key),
            signature=key.sign(services.checkpoint_message(cp)),
        )
    assert counts() == before


# --- receipts and the public verify page ----------------------------------------------------


def test_downloaded_receipt_verifies_on_the_public_page(cast, checkpoint, login):
    client = login(cast.audit_admin)
    bundle = _download_receipt(client, 5)
    text = json.dumps(bundle, ensure_ascii=False)

    response = _verify(text)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["result"].ok, response.context["result"].verdict
    assert "verdict-ok" in html and "验证通过" in html
    assert "根哈希与签名公钥一致" in html

    # Pasting works as well as uploading.
    pasted = Client().post(reverse("ledger:verify"), {"receipt_text": text})
    assert pasted.context["result"].ok


def test_tampered_receipt_fails(cast, checkpoint, login):
    client = login(cast.audit_admin)
    bundle = _download_receipt(client, 5)
    original = bundle["entry"]
    position = original.index('"kind":"') + len('"kind":"')
    changed = "X" if original[position] != "X" else "Y"
    bundle["entry"] = original[:position] + changed + original[position + 1 :]
    assert sum(a != b for a, b in zip(original, bundle["entry"], strict=True)) == 1

    response = _verify(json.dumps(bundle, ensure_ascii=False))
    html = response.content.decode()
    assert not response.context["result"].ok
    assert "verdict-fail" in html and "验证未通过" in html
    assert "包含性证明无效" in html


def test_receipt_signed_by_another_key_is_not_this_platforms(cast, checkpoint, login):
    """Self-consistent but signed by a stranger: the offline check passes, the page says no."""
    client = login(cast.audit_admin)
    bundle = _download_receipt(client, 2)
    stranger = Ed25519PrivateKey.generate()
    cp = bundle["checkpoint"]
    message = verifier.checkpoint_message(
        cp["origin"],
        cp["tree_size"],
        bytes.fromhex(cp["root_hash"]),
        cp["hash_alg"],
        cp["timestamp"],
    )
    cp["public_key"] = base64.b64encode(_raw_key(stranger)).decode()
    cp["signature"] = base64.b64encode(stranger.sign(message)).decode()
    assert verifier.verify_receipt(bundle)[0]  # the bundle is internally consistent

    response = _verify(json.dumps(bundle))
    assert not response.context["result"].ok
    assert "不是本平台公布的检查点" in response.content.decode()


def test_absurd_sizes_are_refused_not_crashed(cast, checkpoint, login):
    client = login(cast.supervisor)
    bundle = _download_receipt(client, 1)
    bundle["checkpoint"]["tree_size"] = 10**30
    bundle["leaf_index"] = 10**29
    response = _verify(json.dumps(bundle))
    assert response.status_code == 200
    assert not response.context["result"].ok


def test_qr_code_sequence_must_match_the_receipt(cast, checkpoint, login):
    client = login(cast.supervisor)
    bundle = _download_receipt(client, 1)
    page = Client().get(reverse("ledger:verify"), {"seq": 4}).content.decode()
    assert "序号为 4 的记录" in page
    response = _verify(json.dumps(bundle), seq=4)
    assert not response.context["result"].ok
    assert "二维码所指" in response.content.decode()
    assert _verify(json.dumps(bundle), seq=1).context["result"].ok


def test_verify_page_shows_only_what_is_in_the_bundle(cast, checkpoint, login):
    client = login(cast.audit_admin)
    bundle = _download_receipt(client, 0)  # the installation bootstrap: no officer in it
    html = _verify(json.dumps(bundle)).content.decode()
    assert "验证通过" in html
    later = LedgerEntry.objects.get(kind="core.user.created", body__contains='"officer_b"')
    assert "officer_b" not in html
    assert later.body not in html


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"{not json", "回执.json", "不是有效的 JSON"),
        (b"[1, 2]", "回执.json", "顶层应为 JSON 对象"),
        (b'{"a": 1, "a": 2}', "回执.json", "重复"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "回执.json", "UTF-8"),
        (b"{}", "photo.png", "文件类型不正确"),
        (b"{" + b" " * (1024 * 1024) + b"}", "回执.json", "文件过大"),
        (b'{"version": 1}', "回执.json", "回执格式错误"),
    ],
)
def test_bad_uploads_get_clear_chinese_errors(db, content, name, message):
    response = _verify(content, name=name)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "verdict-ok" not in html


def test_empty_submission_and_oversized_paste(db):
    html = Client().post(reverse("ledger:verify"), {}).content.decode()
    assert "请粘贴回执内容，或上传回执文件" in html
    big = "{" + " " * (1024 * 1024) + "}"
    html = Client().post(reverse("ledger:verify"), {"receipt_text": big}).content.decode()
    assert "粘贴的内容过大" in html


def test_verify_post_is_csrf_protected(db):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("ledger:verify"), {"receipt_text": "{}"}).status_code == 403
    page = strict.get(reverse("ledger:verify"))
    assert "csrfmiddlewaretoken" in page.content.decode()


def test_verify_page_explains_offline_verification(cast, checkpoint):
    html = Client().get(reverse("ledger:verify")).content.decode()
    assert "python3 verifier.py receipt 回执.json" in html
    assert reverse("ledger:verifier_download") in html
    assert base64.b64encode(bytes(checkpoint.public_key)).decode() in html


# --- public downloads -----------------------------------------------------------------------


def test_verifier_download_is_the_file_on_disk(db):
    response = Client().get(reverse("ledger:verifier_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/x-python")
    assert 'filename="verifier.py"' in response["Content-Disposition"]
    served = response.getvalue()
    assert served == Path(verifier.__file__).read_bytes()


def test_downloaded_receipt_verifies_with_the_downloaded_verifier(
    cast, checkpoint, login, tmp_path
):
    """The offline path end to end: the served verifier.py run on a served receipt."""
    import subprocess
    import sys

    client = login(cast.supervisor)
    receipt = tmp_path / "回执.json"
    receipt.write_bytes(client.get(reverse("ledger:receipt", args=[2])).content)
    script = tmp_path / "verifier.py"
    script.write_bytes(Client().get(reverse("ledger:verifier_download")).getvalue())
    key = base64.b64encode(bytes(checkpoint.public_key)).decode()
    run = subprocess.run(
        [sys.executable, str(script), "receipt", str(receipt), "--public-key", key],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "验证通过" in run.stdout


# --- checkpoints ----------------------------------------------------------------------------


def test_checkpoint_list_is_public_and_complete(cast, checkpoint):
    witness = Ed25519PrivateKey.generate()
    services.add_witness_signature(
        checkpoint=checkpoint,
        witness="辽源市司法局",
        public_key=_raw_key(witness),
        signature=witness.sign(services.checkpoint_message(checkpoint)),
    )
    html = Client().get(reverse("ledger:checkpoint_list")).content.decode()
    assert str(checkpoint.tree_size) in html
    assert bytes(checkpoint.root_hash).hex() in html
    assert base64.b64encode(bytes(checkpoint.signature)).decode() in html
    assert base64.b64encode(bytes(checkpoint.public_key)).decode() in html
    assert "辽源市司法局" in html
    assert checkpoint.hash_alg.upper() in html
    assert "生成检查点" not in html  # no button for the public


def test_checkpoint_list_finds_the_checkpoints_covering_an_entry(cast, checkpoint):
    size = checkpoint.tree_size
    core_services.create_organization(
        actor=cast.system_admin,
        code="later",
        name="后建单位",
        kind=OrgKind.OTHER,
        parent=cast.county,
    )
    newer = services.create_checkpoint()
    rows = Client().get(reverse("ledger:checkpoint_list"), {"seq": size}).context["rows"]
    assert [r["tree_size"] for r in rows] == [newer.tree_size]


def test_checkpoint_create_by_system_admin(cast, login):
    client = login(cast.system_admin)
    size = services.tree_size()
    assert not Checkpoint.objects.filter(tree_size=size).exists()
    response = client.post(reverse("ledger:checkpoint_create"))
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:checkpoint_list")
    cp = Checkpoint.objects.get(tree_size=size)
    assert services.tree_size() == size  # creating a checkpoint appends no entry
    assert verifier.ed25519_verify(
        bytes(cp.public_key), services.checkpoint_message(cp), bytes(cp.signature)
    )
    page = client.get(reverse("ledger:checkpoint_list")).content.decode()
    assert "生成检查点" in page and f"日志规模 {size}" in page
    assert client.get(reverse("ledger:checkpoint_create")).status_code == 405


def test_checkpoint_create_refused_by_the_ledger_is_a_message_not_a_500(cast, login, settings):
    client = login(cast.system_admin)
    # The installation's hash algorithm changed under a ledger that already has entries.
    settings.FAZHI_LEDGER_HASH_ALG = "sha256" if services.hash_alg() == "sm3" else "sm3"
    response = client.post(reverse("ledger:checkpoint_create"), follow=True)
    assert response.status_code == 200
    assert "拒绝写入" in response.content.decode()
    assert not Checkpoint.objects.exists()


@pytest.mark.parametrize("role", ["audit_admin", "supervisor", "officer", "security_admin"])
def test_checkpoint_create_refused_to_others(cast, login, role):
    client = login(getattr(cast, role))
    assert client.post(reverse("ledger:checkpoint_create")).status_code == 403
    assert not Checkpoint.objects.exists()


def test_checkpoint_create_anonymous_goes_to_login(client, cast):
    response = client.post(reverse("ledger:checkpoint_create"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Checkpoint.objects.exists()


def test_consistency_bundle_is_public_and_verifies(cast, checkpoint):
    core_services.create_organization(
        actor=cast.system_admin,
        code="grow",
        name="新增单位",
        kind=OrgKind.OTHER,
        parent=cast.county,
    )
    newer = services.create_checkpoint()
    response = Client().get(
        reverse("ledger:consistency"), {"first": checkpoint.tree_size, "second": newer.tree_size}
    )
    assert response.status_code == 200
    ok, verdict = verifier.verify_consistency_bundle(response.json())
    assert ok, verdict


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({}, 400),
        ({"first": "x", "second": "1"}, 400),
        ({"first": 5, "second": 3}, 400),
        ({"first": 1, "second": 999_999}, 404),
    ],
)
def test_consistency_errors_are_json_in_chinese(cast, checkpoint, params, status):
    response = Client().get(reverse("ledger:consistency"), params)
    assert response.status_code == status
    body = response.json()
    assert body["code"] in {"invalid", "not_found"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_receipt_file_is_utf8_json_with_the_entry(cast, checkpoint, login):
    client = login(cast.supervisor)
    response = client.get(reverse("ledger:receipt", args=[4]))
    assert "filename*=utf-8''" in response["Content-Disposition"]
    bundle = json.load(io.BytesIO(response.content))
    assert bundle["entry"] == LedgerEntry.objects.get(seq=4).body
    assert bundle["leaf_index"] == 4
    assert bundle["checkpoint"]["tree_size"] == checkpoint.tree_size
