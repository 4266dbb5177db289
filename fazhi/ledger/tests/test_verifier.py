"""Tests for the standalone public verifier (fazhi/ledger/verifier.py)."""

from __future__ import annotations

import ast
import base64
import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.ledger import merkle, verifier
from fazhi.ledger.tests.test_merkle import (
    CONSISTENCY_VECTORS,
    INCLUSION_VECTORS,
    LEAF_INPUTS,
    ROOTS,
    ref_mth,
)
from fazhi.ledger.verifier import BundleError, HashUnavailableError

VERIFIER_PATH = Path(verifier.__file__)
ALGS = ("sha256", "sm3")
SHA256_EMPTY = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def h(hexstr: str) -> bytes:
    return bytes.fromhex(hexstr)


# ---------------------------------------------------------------------------------------
# Hashing
# ---------------------------------------------------------------------------------------


def test_hash_known_answers() -> None:
    # FIPS 180-2 B.1 and GB/T 32905-2016 A.1.
    assert verifier.hash_function("sha256")(b"abc").hex() == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert verifier.hash_function("sm3")(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_rfc6962_hasher_vectors() -> None:
    # github.com/transparency-dev/merkle rfc6962/rfc6962_test.go (TestRFC6962Hasher).
    assert verifier.empty_root("sha256") == SHA256_EMPTY
    assert verifier.leaf_hash("sha256", b"").hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    assert verifier.leaf_hash("sha256", b"L123456").hex() == (
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert verifier.node_hash("sha256", b"N123", b"N456").hex() == (
        "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


@pytest.mark.parametrize("alg", ALGS)
def test_domain_separation(alg: str) -> None:
    a, b = verifier.leaf_hash(alg, b"a"), verifier.leaf_hash(alg, b"b")
    assert verifier.node_hash(alg, a, b) != verifier.leaf_hash(alg, a + b)
    assert verifier.node_hash(alg, a, b) != verifier.node_hash(alg, b, a)
    assert verifier.leaf_hash(alg, b"") != verifier.empty_root(alg)


def test_unknown_algorithm_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported"):
        verifier.hash_function("md5")
    with pytest.raises(ValueError):
        verifier.leaf_hash("SHA256", b"")


@pytest.fixture
def fresh_hash_cache() -> Any:
    verifier._base_hasher.cache_clear()
    yield
    verifier._base_hasher.cache_clear()


def test_missing_sm3_fails_closed(monkeypatch: pytest.MonkeyPatch, fresh_hash_cache: Any) -> None:
    real_new = hashlib.new

    def no_sm3(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "sm3":
            raise ValueError("unsupported hash type sm3")
        return real_new(name, *args, **kwargs)

    monkeypatch.setattr(hashlib, "new", no_sm3)
    with pytest.raises(HashUnavailableError, match="sm3"):
        verifier.hash_function("sm3")
    with pytest.raises(HashUnavailableError):
        verifier.leaf_hash("sm3", b"x")
    assert verifier.hash_function("sha256")(b"") == SHA256_EMPTY  # others unaffected


def test_wrong_hash_implementation_fails_closed(
    monkeypatch: pytest.MonkeyPatch, fresh_hash_cache: Any
) -> None:
    real_new = hashlib.new
    monkeypatch.setattr(hashlib, "new", lambda name: real_new("sha256"))
    with pytest.raises(HashUnavailableError, match="self-test"):
        verifier.hash_function("sm3")


# ---------------------------------------------------------------------------------------
# root_from_leaf_hashes
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", range(9))
def test_root_from_leaf_hashes_published(size: int) -> None:
    leaves = [verifier.leaf_hash("sha256", d) for d in LEAF_INPUTS[:size]]
    assert verifier.root_from_leaf_hashes("sha256", leaves).hex() == ROOTS[size]


@pytest.mark.parametrize("alg", ALGS)
def test_root_from_leaf_hashes_matches_recursive_definition(alg: str) -> None:
    entries = tuple(str(i).encode() for i in range(300))
    leaves = [verifier.leaf_hash(alg, e) for e in entries]
    for n in [*range(70), 127, 128, 129, 255, 256, 257, 300]:
        assert verifier.root_from_leaf_hashes(alg, leaves[:n]) == ref_mth(alg, 0, n, entries)


# ---------------------------------------------------------------------------------------
# verify_inclusion: published vectors and the transparency-dev corruption probes
# (proof/verify_test.go, corruptInclusionProof)
# ---------------------------------------------------------------------------------------


def _flip(b: bytes, byte: int = 0, mask: int = 8) -> bytes:
    out = bytearray(b)
    out[byte] ^= mask
    return bytes(out)


def inclusion_probes(
    index: int, size: int, proof: list[bytes], root: bytes, leaf: bytes
) -> list[tuple[str, int, int, list[bytes], bytes, bytes]]:
    probes = [
        ("index - 1", index - 1, size, proof, root, leaf),
        ("index + 1", index + 1, size, proof, root, leaf),
        ("index ^ 2", index ^ 2, size, proof, root, leaf),
        ("size * 2", index, size * 2, proof, root, leaf),
        ("size / 2", index, size // 2, proof, root, leaf),
        ("wrong leaf", index, size, proof, root, b"WrongLeaf"),
        ("empty root", index, size, proof, SHA256_EMPTY, leaf),
        ("random root", index, size, proof, SOME_HASH, leaf),
        ("trailing garbage", index, size, [*proof, b""], root, leaf),
        ("trailing root", index, size, [*proof, root], root, leaf),
        ("preceding garbage", index, size, [b"", *proof], root, leaf),
        ("preceding root", index, size, [root, *proof], root, leaf),
    ]
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = _flip(bad[i])
        probes.append((f"modified proof[{i}]", index, size, bad, root, leaf))
    if proof:
        probes.append(("removed component", index, size, proof[:-1], root, leaf))
    if len(proof) > 1:
        probes.append(
            ("inserted component", index, size, [proof[0], SOME_HASH, *proof[1:]], root, leaf)
        )
    return probes


@pytest.mark.parametrize(("index", "size", "proof_hex"), INCLUSION_VECTORS)
def test_verify_inclusion_published(index: int, size: int, proof_hex: list[str]) -> None:
    proof = [h(p) for p in proof_hex]
    root = h(ROOTS[size])
    leaf = verifier.leaf_hash("sha256", LEAF_INPUTS[index])
    assert verifier.verify_inclusion("sha256", leaf, index, size, proof, root)
    wrongly_verified = [
        desc
        for desc, i, n, p, r, lf in inclusion_probes(index, size, proof, root, leaf)
        if verifier.verify_inclusion("sha256", lf, i, n, p, r)
    ]
    assert wrongly_verified == []


@pytest.mark.parametrize(("index", "size"), [(0, 0), (0, 1), (1, 0), (2, 1)])
def test_verify_inclusion_degenerate(index: int, size: int) -> None:
    assert not verifier.verify_inclusion("sha256", SOME_HASH, index, size, [], b"")
    assert not verifier.verify_inclusion("sha256", b"", index, size, [], SHA256_EMPTY)
    assert not verifier.verify_inclusion("sha256", SOME_HASH, index, size, [], SHA256_EMPTY)


def test_verify_inclusion_single_entry() -> None:
    leaf = verifier.leaf_hash("sha256", b"data")
    assert verifier.verify_inclusion("sha256", leaf, 0, 1, [], leaf)
    assert not verifier.verify_inclusion("sha256", leaf, 0, 1, [], b"")
    assert not verifier.verify_inclusion("sha256", b"", 0, 1, [], leaf)
    assert not verifier.verify_inclusion("sha256", leaf, -1, 1, [], leaf)


# ---------------------------------------------------------------------------------------
# verify_consistency (proof/verify_test.go, corruptConsistencyProof and TestVerifyConsistency)
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("m", "n", "proof_hex"), CONSISTENCY_VECTORS)
def test_verify_consistency_published(m: int, n: int, proof_hex: list[str]) -> None:
    proof = [h(p) for p in proof_hex]
    r1, r2 = h(ROOTS[m]), h(ROOTS[n])
    assert verifier.verify_consistency("sha256", m, n, proof, r1, r2)
    if not proof:
        return
    probes = [
        ("size1 - 1", m - 1, n, r1, r2, proof),
        ("size1 + 1", m + 1, n, r1, r2, proof),
        ("size1 ^ 2", m ^ 2, n, r1, r2, proof),
        ("size2 * 2", m, n * 2, r1, r2, proof),
        ("size2 / 2", m, n // 2, r1, r2, proof),
        ("wrong root1", m, n, b"WrongRoot", r2, proof),
        ("wrong root2", m, n, r1, b"WrongRoot", proof),
        ("swapped roots", m, n, r2, r1, proof),
        ("empty proof", m, n, r1, r2, []),
        ("trailing garbage", m, n, r1, r2, [*proof, b""]),
        ("trailing root1", m, n, r1, r2, [*proof, r1]),
        ("trailing root2", m, n, r1, r2, [*proof, r2]),
        ("preceding garbage", m, n, r1, r2, [b"", *proof]),
        ("preceding root1", m, n, r1, r2, [r1, *proof]),
        ("preceding root2", m, n, r1, r2, [r2, *proof]),
        ("preceding proof[0]", m, n, r1, r2, [proof[0], *proof]),
        ("truncated proof", m, n, r1, r2, proof[:-1]),
    ]
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = _flip(bad[i], 0, 16)
        probes.append((f"modified proof[{i}]", m, n, r1, r2, bad))
    wrongly_verified = [
        desc
        for desc, a, b, ra, rb, p in probes
        if verifier.verify_consistency("sha256", a, b, p, ra, rb)
    ]
    assert wrongly_verified == []


def test_verify_consistency_edge_cases() -> None:
    empty = SHA256_EMPTY
    r1, r2 = h(ROOTS[1]), h(ROOTS[2])
    vc = verifier.verify_consistency
    # Same size: consistent iff same root and empty proof.
    assert vc("sha256", 1, 1, [], r1, r1)
    assert not vc("sha256", 1, 1, [], r1, r2)
    assert not vc("sha256", 1, 1, [empty], r1, r1)
    # The empty tree (root H("")) is a prefix of everything, with an empty proof.
    assert vc("sha256", 0, 0, [], empty, empty)
    assert vc("sha256", 0, 2, [], empty, r2)
    assert not vc("sha256", 0, 2, [empty], empty, r2)
    assert not vc("sha256", 0, 2, [], r1, r2)  # a size-0 checkpoint must commit to H("")
    assert not vc("sha256", 0, 0, [], r1, r1)
    # Time travel and non-trivial sizes without proof.
    assert not vc("sha256", 2, 1, [], r2, r1)
    assert not vc("sha256", 1, 2, [], r1, r2)
    assert not vc("sha256", -1, 2, [], r1, r2)
    # Power-of-two first size: the old root is the proof's implicit first element.
    assert vc("sha256", 1, 2, [verifier.leaf_hash("sha256", LEAF_INPUTS[1])], r1, r2)


# ---------------------------------------------------------------------------------------
# Ed25519 (RFC 8032)
# ---------------------------------------------------------------------------------------


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_ed25519_rfc8032_test_1() -> None:
    # RFC 8032 §7.1, TEST 1 (empty message).
    public = h("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    sig = h(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
        "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )
    assert verifier.ed25519_verify(public, b"", sig)
    assert not verifier.ed25519_verify(public, b"\x00", sig)


_KEY = Ed25519PrivateKey.generate()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.data())
def test_ed25519_agrees_with_cryptography(message: bytes, data: st.DataObject) -> None:
    public = raw_public(_KEY)
    sig = _KEY.sign(message)
    assert verifier.ed25519_verify(public, message, sig)
    bit = data.draw(st.integers(0, 511))
    assert not verifier.ed25519_verify(public, message, _flip(sig, bit // 8, 1 << (bit % 8)))
    if message:
        bit = data.draw(st.integers(0, 8 * len(message) - 1))
        tampered = _flip(message, bit // 8, 1 << (bit % 8))
        assert not verifier.ed25519_verify(public, tampered, sig)
    other = raw_public(Ed25519PrivateKey.generate())
    assert not verifier.ed25519_verify(other, message, sig)


def test_ed25519_rejects_malleable_and_malformed_input() -> None:
    message = b"checkpoint"
    public = raw_public(_KEY)
    sig = _KEY.sign(message)
    s = int.from_bytes(sig[32:], "little")
    group_order = 2**252 + 27742317777372353535851937790883648493
    malleated = sig[:32] + (s + group_order).to_bytes(32, "little")  # same point equation
    assert not verifier.ed25519_verify(public, message, malleated)
    assert not verifier.ed25519_verify(public, message, sig[:63])
    assert not verifier.ed25519_verify(public[:31], message, sig)
    assert not verifier.ed25519_verify(b"\xff" * 32, message, sig)  # y >= p: not canonical
    not_on_curve = (2).to_bytes(32, "little")  # y = 2 has no x on edwards25519
    assert not verifier.ed25519_verify(not_on_curve, message, sig)


# ---------------------------------------------------------------------------------------
# Checkpoint text
# ---------------------------------------------------------------------------------------


def test_checkpoint_message_format() -> None:
    root = bytes(range(32))
    msg = verifier.checkpoint_message("县司法局/法治日志", 40, root, "sm3", "2024-05-01T08:00:00Z")
    assert (
        msg
        == (
            "县司法局/法治日志\n40\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\nsm3\n"
            "2024-05-01T08:00:00Z\n"
        ).encode()
    )


@pytest.mark.parametrize(
    "args",
    [
        ("a\nb", 1, b"x", "sm3", "t"),  # a newline would let one signature cover two texts
        ("a", 1, b"x", "sm3\n", "t"),
        ("a", 1, b"x", "sm3", "t\nextra"),
        ("", 1, b"x", "sm3", "t"),
        ("a", -1, b"x", "sm3", "t"),
    ],
)
def test_checkpoint_message_rejects_ambiguous_fields(args: tuple[Any, ...]) -> None:
    with pytest.raises(ValueError):
        verifier.checkpoint_message(*args)


def test_checkpoint_message_rejects_wrong_types() -> None:
    with pytest.raises(TypeError):
        verifier.checkpoint_message("a", True, b"x", "sm3", "t")  # bool is not a size
    with pytest.raises(TypeError):
        verifier.checkpoint_message("a", 1, "00", "sm3", "t")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Bundles, built the way the server does: DictNodeStore + cryptography Ed25519
# ---------------------------------------------------------------------------------------

ORIGIN = "fazhi.example.gov.cn/ledger"
STAMP = "2024-05-01T08:00:00Z"


def entry_text(i: int) -> str:
    body = {"seq": i, "kind": "行政处罚决定", "payload": {"案号": f"示例罚字〔2024〕{i}号"}}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class Log:
    def __init__(self, alg: str, size: int, key: Ed25519PrivateKey | None = None) -> None:
        self.alg = alg
        self.key = key or Ed25519PrivateKey.generate()
        self.entries = [entry_text(i) for i in range(size)]
        self.store = merkle.DictNodeStore()
        for e in self.entries:
            self.store.append_leaf(verifier.leaf_hash(alg, e.encode()), alg)

    def checkpoint(self, size: int, stamp: str = STAMP) -> dict[str, Any]:
        root = merkle.root_hash(size, self.store, self.alg)
        msg = verifier.checkpoint_message(ORIGIN, size, root, self.alg, stamp)
        return {
            "origin": ORIGIN,
            "tree_size": size,
            "root_hash": root.hex(),
            "hash_alg": self.alg,
            "timestamp": stamp,
            "signature": base64.b64encode(self.key.sign(msg)).decode(),
            "public_key": base64.b64encode(raw_public(self.key)).decode(),
        }

    def receipt(self, index: int, size: int) -> dict[str, Any]:
        proof = merkle.inclusion_proof(index, size, self.store, self.alg)
        return {
            "version": 1,
            "hash_alg": self.alg,
            "leaf_index": index,
            "entry": self.entries[index],
            "inclusion_proof": [p.hex() for p in proof],
            "checkpoint": self.checkpoint(size),
        }

    def consistency(self, first: int, second: int) -> dict[str, Any]:
        proof = merkle.consistency_proof(first, second, self.store, self.alg)
        return {
            "version": 1,
            "hash_alg": self.alg,
            "first": self.checkpoint(first, "2024-05-01T08:00:00Z"),
            "second": self.checkpoint(second, "2024-06-01T08:00:00Z"),
            "proof": [p.hex() for p in proof],
        }


def witness(name: str, checkpoint: dict[str, Any]) -> dict[str, str]:
    key = Ed25519PrivateKey.generate()
    msg = verifier.checkpoint_message(
        checkpoint["origin"],
        checkpoint["tree_size"],
        h(checkpoint["root_hash"]),
        checkpoint["hash_alg"],
        checkpoint["timestamp"],
    )
    return {
        "name": name,
        "public_key": base64.b64encode(raw_public(key)).decode(),
        "signature": base64.b64encode(key.sign(msg)).decode(),
    }


@pytest.fixture(scope="module", params=ALGS)
def log(request: pytest.FixtureRequest) -> Log:
    return Log(request.param, 40)


def resign(bundle_cp: dict[str, Any], key: Ed25519PrivateKey) -> None:
    """Re-sign a (tampered) checkpoint with `key`, as a forger holding that key would."""
    msg = verifier.checkpoint_message(
        bundle_cp["origin"],
        bundle_cp["tree_size"],
        h(bundle_cp["root_hash"]),
        bundle_cp["hash_alg"],
        bundle_cp["timestamp"],
    )
    bundle_cp["signature"] = base64.b64encode(key.sign(msg)).decode()
    bundle_cp["public_key"] = base64.b64encode(raw_public(key)).decode()


def test_receipt_verifies(log: Log) -> None:
    for index in (0, 12, 39):
        ok, verdict = verifier.verify_receipt(log.receipt(index, 40))
        assert ok, verdict
        assert verdict.startswith("验证通过")
        assert f"序号为 {index} 的记录" in verdict
        assert "规模为 40 的日志" in verdict


def test_receipt_with_witnesses(log: Log) -> None:
    bundle = log.receipt(12, 40)
    bundle["witnesses"] = [
        witness("县人大法工委", bundle["checkpoint"]),
        witness("市司法局", bundle["checkpoint"]),
    ]
    ok, verdict = verifier.verify_receipt(bundle)
    assert ok, verdict
    assert "2 个见证签名有效" in verdict
    bundle["witnesses"][1]["signature"] = base64.b64encode(
        _flip(base64.b64decode(bundle["witnesses"][1]["signature"]), 5)
    ).decode()
    ok, verdict = verifier.verify_receipt(bundle)
    assert not ok
    assert "市司法局" in verdict


def test_receipt_pinned_key(log: Log) -> None:
    bundle = log.receipt(3, 40)
    assert verifier.verify_receipt(bundle, raw_public(log.key))[0]
    ok, verdict = verifier.verify_receipt(bundle, raw_public(Ed25519PrivateKey.generate()))
    assert not ok
    assert "公钥" in verdict


Tamper = Callable[[dict[str, Any], Log], None]


def _set(path: Sequence[str | int], value: Any) -> Tamper:
    def tamper(bundle: dict[str, Any], log: Log) -> None:
        target: Any = bundle
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return tamper


def _edit_entry(bundle: dict[str, Any], log: Log) -> None:
    bundle["entry"] = bundle["entry"].replace("行政处罚决定", "行政许可决定")


def _flip_proof(bundle: dict[str, Any], log: Log) -> None:
    bundle["inclusion_proof"][2] = _flip(h(bundle["inclusion_proof"][2])).hex()


def _forge_root_with_own_key(bundle: dict[str, Any], log: Log) -> None:
    # A forger rewrites the entry, recomputes a root and signs with their own key: only
    # detectable when the user pins the published key (tested via pinned=True below).
    bundle["entry"] = bundle["entry"].replace("行政处罚决定", "行政许可决定")
    leaf = verifier.leaf_hash(log.alg, bundle["entry"].encode())
    proof = [h(p) for p in bundle["inclusion_proof"]]
    index, size = bundle["leaf_index"], bundle["checkpoint"]["tree_size"]
    fn, sn, r = index, size - 1, leaf
    for p in proof:  # recompute the root the RFC 9162 §2.1.3.2 way
        if fn & 1 or fn == sn:
            r = verifier.node_hash(log.alg, p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = verifier.node_hash(log.alg, r, p)
        fn, sn = fn >> 1, sn >> 1
    bundle["checkpoint"]["root_hash"] = r.hex()
    resign(bundle["checkpoint"], Ed25519PrivateKey.generate())


def _flip_signature(bundle: dict[str, Any], log: Log) -> None:
    sig = base64.b64decode(bundle["checkpoint"]["signature"])
    bundle["checkpoint"]["signature"] = base64.b64encode(_flip(sig, 40)).decode()


def _sign_with_other_key(bundle: dict[str, Any], log: Log) -> None:
    resign(bundle["checkpoint"], Ed25519PrivateKey.generate())


# name -> (tamper, whether detection needs the published key pinned)
RECEIPT_TAMPERS: dict[str, tuple[Tamper, bool]] = {
    "entry edited": (_edit_entry, False),
    "proof element flipped": (_flip_proof, False),
    "index changed": (_set(["leaf_index"], 13), False),
    "index out of range": (_set(["leaf_index"], 40), False),
    "tree size changed": (_set(["checkpoint", "tree_size"], 41), False),
    "root changed": (_set(["checkpoint", "root_hash"], "00" * 32), False),
    "timestamp changed": (_set(["checkpoint", "timestamp"], "2025-01-01T00:00:00Z"), False),
    "origin changed": (_set(["checkpoint", "origin"], "evil.example"), False),
    "signature flipped": (_flip_signature, False),
    "signature by another key": (_sign_with_other_key, True),
    "forged root signed by another key": (_forge_root_with_own_key, True),
}


@pytest.mark.parametrize("pinned", [True, False], ids=["pinned", "unpinned"])
@pytest.mark.parametrize("name", RECEIPT_TAMPERS)
def test_tampered_receipt_fails(log: Log, name: str, pinned: bool) -> None:
    tamper, needs_pinned_key = RECEIPT_TAMPERS[name]
    bundle = log.receipt(12, 40)
    tamper(bundle, log)
    ok, verdict = verifier.verify_receipt(bundle, raw_public(log.key) if pinned else None)
    if needs_pinned_key and not pinned:
        # A self-consistent forgery under the forger's own key: the bundle alone cannot
        # reveal it, which is why the CLI urges --public-key.
        assert ok
        return
    assert not ok, name
    assert verdict.startswith("验证失败：")


def test_hash_alg_mismatch_fails(log: Log) -> None:
    bundle = log.receipt(1, 40)
    bundle["hash_alg"] = "sha256" if log.alg == "sm3" else "sm3"
    ok, verdict = verifier.verify_receipt(bundle)
    assert not ok
    assert "哈希算法" in verdict


MALFORMED: dict[str, Tamper] = {
    "version 2": _set(["version"], 2),
    "version 1.0": _set(["version"], 1.0),
    "version true": _set(["version"], True),
    "unsupported alg": _set(["hash_alg"], "md5"),
    "index negative": _set(["leaf_index"], -1),
    "index string": _set(["leaf_index"], "12"),
    "entry not string": _set(["entry"], {"seq": 12}),
    "entry lone surrogate": _set(["entry"], "\ud800"),
    "proof not list": _set(["inclusion_proof"], "00"),
    "proof bad hex": _set(["inclusion_proof", 0], "zz" * 32),
    "proof short hash": _set(["inclusion_proof", 0], "00" * 31),
    "root short": _set(["checkpoint", "root_hash"], "00"),
    "signature bad base64": _set(["checkpoint", "signature"], "***"),
    "signature short": _set(["checkpoint", "signature"], base64.b64encode(b"x" * 63).decode()),
    "public key short": _set(["checkpoint", "public_key"], base64.b64encode(b"x" * 31).decode()),
    "origin with newline": _set(["checkpoint", "origin"], "a\nb"),
    "checkpoint not object": _set(["checkpoint"], []),
    "witnesses not list": _set(["witnesses"], {}),
    "witness without name": _set(["witnesses"], [{"public_key": "", "signature": ""}]),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_receipt_raises(log: Log, name: str) -> None:
    bundle = log.receipt(12, 40)
    MALFORMED[name](bundle, log)
    with pytest.raises(BundleError):
        verifier.verify_receipt(bundle)


@pytest.mark.parametrize(
    "field", ["version", "hash_alg", "leaf_index", "entry", "inclusion_proof", "checkpoint"]
)
def test_missing_field_is_malformed(log: Log, field: str) -> None:
    bundle = log.receipt(12, 40)
    del bundle[field]
    with pytest.raises(BundleError, match=field):
        verifier.verify_receipt(bundle)


def test_consistency_bundle(log: Log) -> None:
    for first, second in ((1, 40), (12, 40), (32, 40), (40, 40), (0, 40)):
        ok, verdict = verifier.verify_consistency_bundle(log.consistency(first, second))
        assert ok, (first, second, verdict)
        assert verdict.startswith("验证通过")


def test_consistency_bundle_detects_forked_history(log: Log) -> None:
    # Same key, same sizes, but entry 5 was rewritten before the second checkpoint.
    forked = Log(log.alg, 40, key=log.key)
    forked.entries[5] = forked.entries[5].replace("处罚", "许可")
    forked.store = merkle.DictNodeStore()
    for e in forked.entries:
        forked.store.append_leaf(verifier.leaf_hash(log.alg, e.encode()), log.alg)
    bundle = forked.consistency(12, 40)
    bundle["first"] = log.checkpoint(12)  # the checkpoint the citizen saved earlier
    ok, verdict = verifier.verify_consistency_bundle(bundle, raw_public(log.key))
    assert not ok
    assert "一致性证明无效" in verdict


def _flip_consistency_proof(bundle: dict[str, Any], log: Log) -> None:
    bundle["proof"][0] = _flip(h(bundle["proof"][0])).hex()


def _truncate_consistency_proof(bundle: dict[str, Any], log: Log) -> None:
    bundle["proof"].pop()


def _swap_checkpoints(bundle: dict[str, Any], log: Log) -> None:
    bundle["first"], bundle["second"] = bundle["second"], bundle["first"]


def _first_signed_by_other_key(bundle: dict[str, Any], log: Log) -> None:
    resign(bundle["first"], Ed25519PrivateKey.generate())


def _both_signed_by_other_key(bundle: dict[str, Any], log: Log) -> None:
    key = Ed25519PrivateKey.generate()
    resign(bundle["first"], key)
    resign(bundle["second"], key)


def _other_origin(bundle: dict[str, Any], log: Log) -> None:
    bundle["second"]["origin"] = "other.example/ledger"
    resign(bundle["second"], log.key)


def _rewritten_second_root(bundle: dict[str, Any], log: Log) -> None:
    # Even correctly signed by the log itself, a second root that does not extend the first
    # is caught: this is the evidence a split view or rewrite leaves behind.
    bundle["second"]["root_hash"] = "11" * 32
    resign(bundle["second"], log.key)


# name -> (tamper, whether detection needs the published key pinned)
CONSISTENCY_TAMPERS: dict[str, tuple[Tamper, bool]] = {
    "proof flipped": (_flip_consistency_proof, False),
    "proof truncated": (_truncate_consistency_proof, False),
    "checkpoints swapped": (_swap_checkpoints, False),
    "first signed by another key": (_first_signed_by_other_key, False),  # keys differ
    "both signed by another key": (_both_signed_by_other_key, True),
    "origin differs": (_other_origin, False),
    "second root rewritten": (_rewritten_second_root, False),
}


@pytest.mark.parametrize("pinned", [True, False], ids=["pinned", "unpinned"])
@pytest.mark.parametrize("name", CONSISTENCY_TAMPERS)
def test_tampered_consistency_bundle_fails(log: Log, name: str, pinned: bool) -> None:
    tamper, needs_pinned_key = CONSISTENCY_TAMPERS[name]
    bundle = log.consistency(12, 40)
    tamper(bundle, log)
    ok, verdict = verifier.verify_consistency_bundle(
        bundle, raw_public(log.key) if pinned else None
    )
    if needs_pinned_key and not pinned:
        # Both heads re-signed by a forger's own key are self-consistent: only the
        # published key reveals them (hence --public-key, and the verify page's check
        # against the platform's own checkpoints).
        assert ok
        return
    assert not ok, name
    assert verdict.startswith("验证失败：")


# ---------------------------------------------------------------------------------------
# Command line, run exactly as a citizen would: a lone copy of the file, isolated mode
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lone_verifier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("citizen") / "verifier.py"
    shutil.copyfile(VERIFIER_PATH, target)
    return target


def run_cli(script: Path, *args: str, stdin: bytes | None = None) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONIOENCODING"] = "utf-8"
    proc = subprocess.run(
        [sys.executable, "-I", str(script), *args],
        input=stdin,
        capture_output=True,
        cwd=script.parent,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.stderr == b"" or proc.returncode == 2, proc.stderr.decode()
    return proc.returncode, proc.stdout.decode("utf-8")


def write(tmp_path: Path, name: str, bundle: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_cli_receipt_good(lone_verifier: Path, tmp_path: Path, log: Log) -> None:
    path = write(tmp_path, "receipt.json", log.receipt(12, 40))
    code, out = run_cli(lone_verifier, "receipt", path)
    assert code == 0, out
    lines = out.splitlines()
    assert (
        lines[0]
        == "验证通过：序号为 12 的记录（序号从 0 起算）包含在规模为 40 的日志中，检查点签名有效"
    )
    assert "未用 --public-key" in out  # unpinned: tells the user which key to compare

    key = base64.b64encode(raw_public(log.key)).decode()
    code, out = run_cli(lone_verifier, "receipt", path, "--public-key", key)
    assert code == 0, out
    assert "未用 --public-key" not in out
    code, out = run_cli(
        lone_verifier, "--public-key", key, "receipt", "-", stdin=Path(path).read_bytes()
    )
    assert code == 0, out


def test_cli_receipt_tampered(lone_verifier: Path, tmp_path: Path, log: Log) -> None:
    bundle = log.receipt(12, 40)
    _edit_entry(bundle, log)
    code, out = run_cli(lone_verifier, "receipt", write(tmp_path, "bad.json", bundle))
    assert code == 1
    assert out.startswith("验证失败：包含性证明无效")

    other_key = base64.b64encode(raw_public(Ed25519PrivateKey.generate())).decode()
    path = write(tmp_path, "good.json", log.receipt(12, 40))
    code, out = run_cli(lone_verifier, "receipt", path, "--public-key", other_key)
    assert code == 1
    assert out.startswith("验证失败：检查点公钥与指定的日志公钥不一致")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "不是有效的 JSON"),
        (b"[]", "顶层应为 JSON 对象"),
        (b'{"version": 1, "version": 1}', "重复"),
        (b'{"version": NaN}', "NaN"),
        (b"\xff\xfe", "UTF-8"),
        (json.dumps({"version": 1, "hash_alg": "sm3"}).encode(), "缺少字段"),
    ],
)
def test_cli_malformed_input(
    lone_verifier: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(content)
    code, out = run_cli(lone_verifier, "receipt", str(path))
    assert code == 2
    assert out.startswith("输入格式错误：")
    assert message in out


def test_cli_missing_file_and_bad_usage(lone_verifier: Path, tmp_path: Path) -> None:
    code, out = run_cli(lone_verifier, "receipt", str(tmp_path / "nope.json"))
    assert (code, out.startswith("输入格式错误：无法读取文件")) == (2, True)
    code, _ = run_cli(lone_verifier, "frobnicate", "x.json")
    assert code == 2
    code, out = run_cli(lone_verifier, "receipt", str(tmp_path / "x"), "--public-key", "AAAA")
    assert code == 2
    assert "--public-key" in out


def test_cli_consistency(lone_verifier: Path, tmp_path: Path, log: Log) -> None:
    bundle = log.consistency(12, 40)
    code, out = run_cli(lone_verifier, "consistency", write(tmp_path, "c.json", bundle))
    assert code == 0, out
    assert out.startswith("验证通过：规模为 40 的日志完整包含规模为 12 的日志")

    bad = copy.deepcopy(bundle)
    bad["proof"][1] = _flip(h(bad["proof"][1])).hex()
    code, out = run_cli(lone_verifier, "consistency", write(tmp_path, "c2.json", bad))
    assert code == 1
    assert out.startswith("验证失败：一致性证明无效")


# ---------------------------------------------------------------------------------------
# The file must stay a standalone, stdlib-only script
# ---------------------------------------------------------------------------------------


def test_verifier_is_stdlib_only_and_parses_as_python_3_8() -> None:
    source = VERIFIER_PATH.read_text(encoding="utf-8")
    tree = ast.parse(source, feature_version=(3, 8))
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports in the public verifier"
            modules.add((node.module or "").split(".")[0])
    assert modules <= set(sys.stdlib_module_names)
    assert "cryptography" not in modules
    assert "fazhi" not in modules
