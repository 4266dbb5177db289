"""The ledger through the API: what it serves verifies with the standalone verifier."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client

from fazhi.core import services as core_services
from fazhi.ledger import services as ledger_services
from fazhi.ledger import verifier
from fazhi.ledger.models import LedgerEntry, WitnessSignature


@pytest.fixture
def two_checkpoints(cast):
    """Checkpoints before and after more activity, signed through the API."""
    admin = _client_for(cast.system_admin)
    first = admin.post("/api/v1/ledger/checkpoints").json()
    for i in range(5):
        core_services.create_organization(
            actor=cast.system_admin,
            code=f"later{i}",
            name=f"后建单位{i}",
            kind="department",
            parent=cast.county,
        )
    second = admin.post("/api/v1/ledger/checkpoints").json()
    assert first["tree_size"] < second["tree_size"]
    return first, second


def _client_for(user) -> Client:
    secret = core_services.issue_api_token(actor=user, name="ledger", expires_in_days=1).secret
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_checkpoint_is_signed_and_public(cast, two_checkpoints):
    _, second = two_checkpoints
    latest = Client().get("/api/v1/ledger/checkpoints/latest").json()
    assert latest == second
    message = verifier.checkpoint_message(
        latest["origin"],
        latest["tree_size"],
        bytes.fromhex(latest["root_hash"]),
        latest["hash_alg"],
        latest["timestamp"],
    )
    assert verifier.ed25519_verify(
        base64.b64decode(latest["public_key"]), message, base64.b64decode(latest["signature"])
    )
    listed = Client().get("/api/v1/ledger/checkpoints").json()
    assert [c["tree_size"] for c in listed["items"]] == sorted(
        (c["tree_size"] for c in two_checkpoints), reverse=True
    )


def test_checkpoint_creation_is_idempotent(cast):
    admin = _client_for(cast.system_admin)
    a = admin.post("/api/v1/ledger/checkpoints").json()
    b = admin.post("/api/v1/ledger/checkpoints").json()
    assert a == b


def test_receipt_from_the_api_verifies(cast, two_checkpoints):
    first, _ = two_checkpoints
    auditor = _client_for(cast.audit_admin)
    seq = first["tree_size"] - 1
    receipt = auditor.get(f"/api/v1/ledger/entries/{seq}/receipt").json()
    public_key = base64.b64decode(first["public_key"])
    ok, verdict = verifier.verify_receipt(receipt, public_key)
    assert ok, verdict
    assert receipt["checkpoint"]["tree_size"] == first["tree_size"]  # first covering one
    assert json.loads(receipt["entry"])["seq"] == seq

    # The same receipt, tampered with, fails: the test can fail.
    forged = {**receipt, "entry": receipt["entry"].replace('"seq"', '"seq" ')}
    assert not verifier.verify_receipt(forged, public_key)[0]


def test_receipt_against_a_named_checkpoint(cast, two_checkpoints):
    _, second = two_checkpoints
    auditor = _client_for(cast.audit_admin)
    receipt = auditor.get(f"/api/v1/ledger/entries/0/receipt?tree_size={second['tree_size']}")
    assert receipt.status_code == 200
    assert receipt.json()["checkpoint"]["tree_size"] == second["tree_size"]
    assert verifier.verify_receipt(receipt.json(), base64.b64decode(second["public_key"]))[0]


def test_receipt_for_an_uncovered_entry_is_404(cast, two_checkpoints):
    _, second = two_checkpoints
    auditor = _client_for(cast.audit_admin)
    response = auditor.get(f"/api/v1/ledger/entries/{second['tree_size'] + 1}/receipt")
    assert response.status_code == 404


@pytest.mark.parametrize("which", [0, 1])
def test_public_inclusion_proof_verifies_against_the_checkpoint_root(cast, two_checkpoints, which):
    cp = two_checkpoints[which]
    auditor = _client_for(cast.audit_admin)
    for seq in range(cp["tree_size"]):
        response = Client().get(
            f"/api/v1/ledger/proofs/inclusion?seq={seq}&tree_size={cp['tree_size']}"
        )
        assert response.status_code == 200
        proof = response.json()
        # Hashes only: no entry text, not even a field that could carry it.
        assert set(proof) == {
            "hash_alg",
            "leaf_index",
            "tree_size",
            "leaf_hash",
            "inclusion_proof",
            "checkpoint",
        }
        # Whoever holds the entry (a receipt holder, an auditor) hashes it themselves.
        body = auditor.get(f"/api/v1/ledger/entries/{seq}").json()["body"]
        leaf = verifier.leaf_hash(proof["hash_alg"], body.encode("utf-8"))
        assert leaf.hex() == proof["leaf_hash"]
        assert verifier.verify_inclusion(
            proof["hash_alg"],
            leaf,
            seq,
            cp["tree_size"],
            [bytes.fromhex(h) for h in proof["inclusion_proof"]],
            bytes.fromhex(cp["root_hash"]),
        )
        # ... and the proof does not fit another entry.
        assert (
            not verifier.verify_inclusion(
                proof["hash_alg"],
                leaf,
                (seq + 1) % cp["tree_size"],
                cp["tree_size"],
                [bytes.fromhex(h) for h in proof["inclusion_proof"]],
                bytes.fromhex(cp["root_hash"]),
            )
            or cp["tree_size"] == 1
        )


def test_inclusion_proof_carries_no_entry_content(cast, two_checkpoints):
    _, second = two_checkpoints
    text = (
        Client()
        .get(f"/api/v1/ledger/proofs/inclusion?seq=1&tree_size={second['tree_size']}")
        .content.decode()
    )
    entry = LedgerEntry.objects.get(seq=1)
    for fragment in (entry.kind, entry.stream, "payload", entry.actor):
        assert fragment not in text


def test_inclusion_proof_needs_a_published_checkpoint(cast, two_checkpoints):
    _, second = two_checkpoints
    response = Client().get(
        f"/api/v1/ledger/proofs/inclusion?seq=0&tree_size={second['tree_size'] - 1}"
    )
    assert response.status_code == 404
    out_of_range = Client().get(
        f"/api/v1/ledger/proofs/inclusion?seq={second['tree_size']}&tree_size={second['tree_size']}"
    )
    assert out_of_range.status_code == 404


def test_consistency_proof_verifies(cast, two_checkpoints):
    first, second = two_checkpoints
    bundle = (
        Client()
        .get(
            f"/api/v1/ledger/proofs/consistency?first={first['tree_size']}&second={second['tree_size']}"
        )
        .json()
    )
    ok, verdict = verifier.verify_consistency_bundle(bundle, base64.b64decode(first["public_key"]))
    assert ok, verdict
    reversed_ = Client().get(
        f"/api/v1/ledger/proofs/consistency?first={second['tree_size']}&second={first['tree_size']}"
    )
    assert reversed_.status_code == 404


def test_entries_list_filters_and_detail(cast):
    auditor = _client_for(cast.audit_admin)
    page = auditor.get("/api/v1/ledger/entries?stream=core.organization&limit=3").json()
    assert page["count"] == 5  # bootstrap + four organizations of the cast
    assert len(page["items"]) == 3
    assert all(e["stream"] == "core.organization" for e in page["items"])
    seqs = [e["seq"] for e in page["items"]]
    assert seqs == sorted(seqs, reverse=True)
    roles = auditor.get("/api/v1/ledger/entries?kind=core.role").json()
    assert roles["count"] == 6 and all(e["kind"].startswith("core.role") for e in roles["items"])
    detail = auditor.get(f"/api/v1/ledger/entries/{seqs[0]}").json()
    row = LedgerEntry.objects.get(seq=seqs[0])
    assert detail["body"] == row.body and detail["leaf_hash"] == bytes(row.leaf_hash).hex()
    assert auditor.get("/api/v1/ledger/entries/999999").status_code == 404


# --- witnesses --------------------------------------------------------------------------------


def _cosign(cp: dict, key: Ed25519PrivateKey, name: str = "市司法局") -> dict:
    message = verifier.checkpoint_message(
        cp["origin"],
        cp["tree_size"],
        bytes.fromhex(cp["root_hash"]),
        cp["hash_alg"],
        cp["timestamp"],
    )
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {
        "witness": name,
        "public_key": base64.b64encode(raw).decode(),
        "signature": base64.b64encode(key.sign(message)).decode(),
    }


def test_witness_cosignature_is_verified_stored_and_in_receipts(cast, two_checkpoints):
    first, _ = two_checkpoints
    admin = _client_for(cast.system_admin)
    url = f"/api/v1/ledger/checkpoints/{first['tree_size']}/witnesses"
    body = _cosign(first, Ed25519PrivateKey.generate())
    response = admin.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content.decode()
    assert response.json() == {
        "name": "市司法局",
        "public_key": body["public_key"],
        "signature": body["signature"],
    }
    again = admin.post(url, body, content_type="application/json")
    assert again.status_code == 409

    receipt = _client_for(cast.audit_admin).get("/api/v1/ledger/entries/0/receipt").json()
    assert [w["name"] for w in receipt["witnesses"]] == ["市司法局"]
    ok, verdict = verifier.verify_receipt(receipt, base64.b64decode(first["public_key"]))
    assert ok and "见证" in verdict


def test_a_bad_cosignature_is_refused(cast, two_checkpoints):
    first, second = two_checkpoints
    admin = _client_for(cast.system_admin)
    # A genuine signature, but over the other checkpoint.
    body = _cosign(second, Ed25519PrivateKey.generate())
    response = admin.post(
        f"/api/v1/ledger/checkpoints/{first['tree_size']}/witnesses",
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not WitnessSignature.objects.exists()


def test_cosignature_input_is_validated(cast, two_checkpoints):
    first, _ = two_checkpoints
    admin = _client_for(cast.system_admin)
    response = admin.post(
        f"/api/v1/ledger/checkpoints/{first['tree_size']}/witnesses",
        {"witness": "市司法局", "public_key": "not base64!", "signature": "AAAA"},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = response.json()["details"]["fields"]
    assert fields["public_key"] == ["公钥应为 base64 编码"]
    assert fields["signature"] == ["签名应为 64 字节"]
    missing = admin.post(
        "/api/v1/ledger/checkpoints/999999/witnesses",
        _cosign(first, Ed25519PrivateKey.generate()),
        content_type="application/json",
    )
    assert missing.status_code == 404


def test_checkpoint_by_the_api_matches_the_service(cast):
    cp = _client_for(cast.system_admin).post("/api/v1/ledger/checkpoints").json()
    assert cp["tree_size"] == ledger_services.tree_size()
