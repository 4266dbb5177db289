#!/usr/bin/env python3
"""法治日志（Fazhi ledger）公开验证程序 — standalone public verifier.

Anyone can check a receipt issued by a Fazhi installation with nothing but this file and a
stock Python (3.8 or newer):

    python3 verifier.py receipt BUNDLE.json [--public-key BASE64]
    python3 verifier.py consistency BUNDLE.json [--public-key BASE64]

Exit status: 0 = verified, 1 = verification failed, 2 = malformed input or the check could
not be carried out (e.g. this Python's OpenSSL lacks SM3).

Why standard library only: the whole point of a transparency log is that citizens need not
trust the operator's software. A single auditable file with no third-party dependencies is
the smallest thing one has to read to be convinced. Hence the pure-Python Ed25519 below
(RFC 8032 §6, verification only) instead of a binding to a crypto package.

The ledger is an RFC 9162 (Certificate Transparency 2.0) Merkle tree:
    leaf hash = H(0x00 || entry_bytes)       (RFC 9162 §2.1.1)
    node hash = H(0x01 || left || right)
H is SM3 (GB/T 32905) or SHA-256, fixed per installation and named in every checkpoint.

Signed checkpoint text (in the spirit of C2SP signed notes / tlog-checkpoint), UTF-8:
    <origin>\\n<tree size, decimal>\\n<base64 root hash>\\n<hash alg>\\n<timestamp>\\n
"""

# Kept runnable on the older Python 3 (>= 3.8) a citizen may have: typing.List & co. in
# runtime expressions, PEP 585/604 syntax only inside (lazy, __future__) annotations.
# ruff: noqa: UP006, UP033, UP035

from __future__ import annotations

import argparse
import base64
import binascii
import functools
import hashlib
import hmac
import json
import re
import sys
from typing import Any, Callable, Dict, List, Mapping, Protocol, Sequence, Tuple

__all__ = [
    "SUPPORTED_HASH_ALGS",
    "BundleError",
    "HashUnavailableError",
    "checkpoint_message",
    "ed25519_verify",
    "empty_root",
    "hash_function",
    "leaf_hash",
    "main",
    "node_hash",
    "parse_bundle",
    "root_from_leaf_hashes",
    "verify_consistency",
    "verify_consistency_bundle",
    "verify_inclusion",
    "verify_receipt",
]

SUPPORTED_HASH_ALGS = ("sm3", "sha256")
DIGEST_SIZE = 32  # both SM3 and SHA-256 produce 256-bit digests

_LEAF_PREFIX = b"\x00"  # RFC 9162 §2.1.1 domain separation: leaves ...
_NODE_PREFIX = b"\x01"  # ... and interior nodes can never collide.

# Known-answer tests, checked once per algorithm before first use. Why: a verifier that
# silently computes the wrong function would "verify" nothing; fail closed instead.
# SHA-256("abc"): FIPS 180-2 Appendix B.1. SM3("abc"): GB/T 32905-2016 Appendix A.1.
_KAT = {
    "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "sm3": "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
}


class HashUnavailableError(RuntimeError):
    """The requested hash cannot be computed by this Python (fail closed)."""


class BundleError(ValueError):
    """A bundle is malformed: it cannot even be checked (CLI exit status 2)."""


class _HashObject(Protocol):
    def copy(self) -> _HashObject: ...

    def update(self, data: bytes, /) -> None: ...

    def digest(self) -> bytes: ...


# --------------------------------------------------------------------------------------
# Hashing
# --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _base_hasher(alg: str) -> _HashObject:
    """A fresh, verified hash object for `alg`; callers `.copy()` it.

    Copying a prepared object is markedly faster than `hashlib.new(name)` (which looks the
    algorithm up by name each time) — it matters for SM3, which has no direct constructor.
    """
    if alg not in SUPPORTED_HASH_ALGS:
        raise ValueError(f"unsupported hash algorithm {alg!r}; expected one of sm3, sha256")
    try:
        base: _HashObject = hashlib.new(alg)
    except ValueError as exc:
        # Deliberately no pure-Python SM3 fallback: a slow, unaudited fallback is exactly
        # the kind of code a verifier must not silently depend on.
        raise HashUnavailableError(
            f"hash algorithm {alg!r} is not available from this Python's hashlib/OpenSSL "
            "(SM3 needs OpenSSL 1.1.1 or newer, not in FIPS-only mode); "
            "本机 Python 不支持该哈希算法，无法验证"
        ) from exc
    probe = base.copy()
    probe.update(b"abc")
    if probe.digest().hex() != _KAT[alg]:
        raise HashUnavailableError(f"hash algorithm {alg!r} failed its known-answer self-test")
    return base


def hash_function(alg: str) -> Callable[[bytes], bytes]:
    """Return H for `alg` ("sm3" or "sha256") as bytes -> 32-byte digest.

    Raises ValueError for an unknown name and HashUnavailableError when the local
    hashlib cannot compute it (never falls back to anything else).
    """
    base = _base_hasher(alg)

    def digest(data: bytes) -> bytes:
        h = base.copy()
        h.update(data)
        return h.digest()

    return digest


def leaf_hash(alg: str, data: bytes) -> bytes:
    """RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0))."""
    h = _base_hasher(alg).copy()
    h.update(_LEAF_PREFIX)
    h.update(data)
    return h.digest()


def node_hash(alg: str, left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: HASH(0x01 || left || right)."""
    h = _base_hasher(alg).copy()
    h.update(_NODE_PREFIX)
    h.update(left)
    h.update(right)
    return h.digest()


def empty_root(alg: str) -> bytes:
    """RFC 9162 §2.1.1: the hash of an empty list is the hash of an empty string."""
    return hash_function(alg)(b"")


def root_from_leaf_hashes(alg: str, leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over already-computed leaf hashes (RFC 9162 §2.1.1), iteratively.

    Pairing neighbours level by level and carrying an odd last node up unchanged yields the
    same tree as the RFC's "split at the largest power of two smaller than n" recursion: the
    left part of every split is a complete subtree, so it is exactly a run of full pairs.
    O(n) hashes, O(n) memory, no recursion (1,000,000 leaves in about a second).
    """
    if not leaf_hashes:
        return empty_root(alg)
    prefixed = _base_hasher(alg).copy()
    prefixed.update(_NODE_PREFIX)
    new = prefixed.copy  # hoisted: attribute lookups dominate in this hot loop
    level: List[bytes] = list(leaf_hashes)
    while len(level) > 1:
        nxt: List[bytes] = []
        append = nxt.append
        for i in range(1, len(level), 2):  # pairs (i - 1, i); an odd last item waits
            h = new()
            h.update(level[i - 1])
            h.update(level[i])
            append(h.digest())
        if len(level) & 1:
            append(level[-1])
        level = nxt
    return level[0]


# --------------------------------------------------------------------------------------
# Proof verification (RFC 9162 §2.1.3.2 and §2.1.4.2)
# --------------------------------------------------------------------------------------


def _is_digest(value: object) -> bool:
    return isinstance(value, (bytes, bytearray)) and len(value) == DIGEST_SIZE


def verify_inclusion(
    alg: str,
    leaf_hash: bytes,
    index: int,
    tree_size: int,
    proof: Sequence[bytes],
    root: bytes,
) -> bool:
    """Verify an inclusion proof exactly as RFC 9162 §2.1.3.2 prescribes.

    The RFC's algorithm already rejects proofs of the wrong length (the `sn == 0` checks);
    we additionally refuse hashes of the wrong size up front, which can only reject inputs
    that could never have verified.
    """
    # Step 1: leaf_index must be inside the tree.
    if not (0 <= index < tree_size):
        return False
    if not (_is_digest(leaf_hash) and _is_digest(root)) or not all(map(_is_digest, proof)):
        return False
    # Steps 2-3.
    fn, sn = index, tree_size - 1
    r = bytes(leaf_hash)
    # Step 4.
    for p in proof:
        if sn == 0:  # 4a: proof longer than the path to the root
            return False
        if fn & 1 or fn == sn:  # 4b: p is a left sibling (or we are on the right edge)
            r = node_hash(alg, p, r)
            if not fn & 1:
                # On the right edge a node may have no sibling at some levels: skip them.
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(alg, r, p)
        fn >>= 1  # 4c
        sn >>= 1
    # Step 5: we must have arrived at the root, and it must match.
    return sn == 0 and hmac.compare_digest(r, root)


def verify_consistency(
    alg: str,
    first_size: int,
    second_size: int,
    proof: Sequence[bytes],
    first_root: bytes,
    second_root: bytes,
) -> bool:
    """Verify a consistency proof exactly as RFC 9162 §2.1.4.2 prescribes.

    The RFC algorithm covers 0 < first_size < second_size. The edge cases follow from the
    definitions: a tree is consistent with itself iff the roots are equal and nothing needs
    proving (empty proof); the empty tree (root = H(""), §2.1.1) is a prefix of every tree.
    """
    if not (0 <= first_size <= second_size):
        return False
    if not (_is_digest(first_root) and _is_digest(second_root)):
        return False
    if not all(map(_is_digest, proof)):
        return False
    if first_size == second_size:
        return (
            len(proof) == 0
            and hmac.compare_digest(first_root, second_root)
            and (first_size > 0 or hmac.compare_digest(first_root, empty_root(alg)))
        )
    if first_size == 0:
        return len(proof) == 0 and hmac.compare_digest(first_root, empty_root(alg))

    # Step 1.
    if len(proof) == 0:
        return False
    path = list(proof)
    # Step 2: when first_size is a power of two, the old root is itself a node of the new
    # tree and PROOF() omits it (§2.1.4.1), so the verifier supplies it.
    if first_size & (first_size - 1) == 0:
        path.insert(0, first_root)
    # Step 3.
    fn, sn = first_size - 1, second_size - 1
    # Step 4: skip the levels where the old tree's last node is a right child.
    while fn & 1:
        fn >>= 1
        sn >>= 1
    # Step 5.
    fr = sr = bytes(path[0])
    # Step 6.
    for c in path[1:]:
        if sn == 0:  # 6a
            return False
        if fn & 1 or fn == sn:  # 6b: c is a left sibling, shared by both trees
            fr = node_hash(alg, c, fr)
            sr = node_hash(alg, c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:  # c only exists in the new tree
            sr = node_hash(alg, sr, c)
        fn >>= 1  # 6c
        sn >>= 1
    # Step 7.
    return hmac.compare_digest(fr, first_root) and hmac.compare_digest(sr, second_root) and sn == 0


# --------------------------------------------------------------------------------------
# Ed25519 verification — RFC 8032 §5.1.7, following the §6 reference implementation.
# Not constant time, which is fine: verification handles only public data.
# --------------------------------------------------------------------------------------

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493  # group order ("q" in RFC 8032 §6)
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)

_Point = Tuple[int, int, int, int]  # extended homogeneous coordinates (X, Y, Z, T)


def _point_add(p: _Point, q: _Point) -> _Point:
    # Unified addition (RFC 8032 §5.1.4); also used for doubling.
    a = (p[1] - p[0]) * (q[1] - q[0]) % _P
    b = (p[1] + p[0]) * (q[1] + q[0]) % _P
    c = 2 * p[3] * q[3] * _D % _P
    d = 2 * p[2] * q[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _point_mul(s: int, p: _Point) -> _Point:
    q: _Point = (0, 1, 1, 0)  # neutral element
    while s > 0:
        if s & 1:
            q = _point_add(q, p)
        p = _point_add(p, p)
        s >>= 1
    return q


def _point_equal(p: _Point, q: _Point) -> bool:
    # x1/z1 == x2/z2  <=>  x1*z2 == x2*z1 (projective comparison, no inversion needed)
    return (p[0] * q[2] - q[0] * p[2]) % _P == 0 and (p[1] * q[2] - q[1] * p[2]) % _P == 0


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:  # non-canonical encoding
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)  # square root candidate, RFC 8032 §5.1.3
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None  # not a square: not a curve point
    if (x & 1) != sign:
        x = _P - x
    return x


def _point_decompress(s: bytes) -> _Point | None:
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % _P)


_G_Y = 4 * pow(5, _P - 2, _P) % _P
_G_X = _recover_x(_G_Y, 0)
assert _G_X is not None
_G: _Point = (_G_X, _G_Y, 1, _G_X * _G_Y % _P)


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Pure Ed25519 verification (RFC 8032 §5.1.7 / §6). Never raises on bad input."""
    if not isinstance(public_key, (bytes, bytearray)) or len(public_key) != 32:
        return False
    if not isinstance(signature, (bytes, bytearray)) or len(signature) != 64:
        return False
    a = _point_decompress(bytes(public_key))
    if a is None:
        return False
    r_bytes = bytes(signature[:32])
    r = _point_decompress(r_bytes)
    if r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _L:  # malleability check required by RFC 8032 §5.1.7 step 1
        return False
    k = int.from_bytes(hashlib.sha512(r_bytes + bytes(public_key) + message).digest(), "little")
    k %= _L
    return _point_equal(_point_mul(s, _G), _point_add(r, _point_mul(k, a)))


# --------------------------------------------------------------------------------------
# Checkpoints
# --------------------------------------------------------------------------------------


def checkpoint_message(
    origin: str, tree_size: int, root_hash: bytes, hash_alg: str, timestamp: str
) -> bytes:
    """The exact bytes a checkpoint signature covers (both signer and verifier use this).

    One field per line, each terminated by "\\n". Text fields must be non-empty and may not
    contain a newline: otherwise two different checkpoints could serialize to the same
    bytes and one signature would vouch for both.
    """
    for name, value in (("origin", origin), ("hash_alg", hash_alg), ("timestamp", timestamp)):
        if not isinstance(value, str):
            raise TypeError(f"checkpoint {name} must be str")
        if not value or "\n" in value:
            raise ValueError(f"checkpoint {name} must be a non-empty single-line string")
    if isinstance(tree_size, bool) or not isinstance(tree_size, int):
        raise TypeError("checkpoint tree_size must be int")
    if tree_size < 0:
        raise ValueError("checkpoint tree_size must be non-negative")
    if not isinstance(root_hash, (bytes, bytearray)):
        raise TypeError("checkpoint root_hash must be bytes")
    root_b64 = base64.b64encode(bytes(root_hash)).decode("ascii")
    return f"{origin}\n{tree_size}\n{root_b64}\n{hash_alg}\n{timestamp}\n".encode()


# --------------------------------------------------------------------------------------
# Bundles
# --------------------------------------------------------------------------------------

_HEX_RE = re.compile(r"(?:[0-9a-fA-F]{2})*")


def _field(obj: Mapping[str, object], key: str, where: str) -> object:
    if key not in obj:
        raise BundleError(f"{where}缺少字段 “{key}”")
    return obj[key]


def _object(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise BundleError(f"{where}应为 JSON 对象")
    return value


def _str(obj: Mapping[str, object], key: str, where: str) -> str:
    value = _field(obj, key, where)
    if not isinstance(value, str):
        raise BundleError(f"{where}字段 “{key}” 应为字符串")
    return value


def _int(obj: Mapping[str, object], key: str, where: str) -> int:
    value = _field(obj, key, where)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BundleError(f"{where}字段 “{key}” 应为非负整数")
    return value


def _hex(value: object, what: str, size: int = DIGEST_SIZE) -> bytes:
    if not isinstance(value, str) or not _HEX_RE.fullmatch(value):
        raise BundleError(f"{what}不是有效的十六进制字符串")
    raw = bytes.fromhex(value)
    if len(raw) != size:
        raise BundleError(f"{what}长度应为 {size} 字节，实际为 {len(raw)} 字节")
    return raw


def _b64(value: object, what: str, size: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise BundleError(f"{what}应为 base64 字符串")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise BundleError(f"{what}不是有效的 base64") from exc
    if size is not None and len(raw) != size:
        raise BundleError(f"{what}长度应为 {size} 字节，实际为 {len(raw)} 字节")
    return raw


def _hash_alg(obj: Mapping[str, object], where: str) -> str:
    alg = _str(obj, "hash_alg", where)
    if alg not in SUPPORTED_HASH_ALGS:
        raise BundleError(f"{where}不支持的哈希算法 “{alg}”（应为 sm3 或 sha256）")
    return alg


def _proof(obj: Mapping[str, object], key: str, where: str) -> List[bytes]:
    value = _field(obj, key, where)
    if not isinstance(value, list):
        raise BundleError(f"{where}字段 “{key}” 应为数组")
    return [_hex(item, f"{where}{key}[{i}]") for i, item in enumerate(value)]


class _Checkpoint:
    """A parsed checkpoint object from a bundle."""

    def __init__(self, value: object, where: str) -> None:
        obj = _object(value, where)
        self.where = where
        self.origin = _str(obj, "origin", where)
        self.tree_size = _int(obj, "tree_size", where)
        self.root_hash = _hex(_field(obj, "root_hash", where), f"{where}root_hash ")
        self.hash_alg = _hash_alg(obj, where)
        self.timestamp = _str(obj, "timestamp", where)
        self.signature = _b64(_field(obj, "signature", where), f"{where}signature ", 64)
        self.public_key = _b64(_field(obj, "public_key", where), f"{where}public_key ", 32)
        try:
            self.message = checkpoint_message(
                self.origin, self.tree_size, self.root_hash, self.hash_alg, self.timestamp
            )
        except ValueError as exc:
            raise BundleError(f"{where}字段格式错误：{exc}") from exc

    def signature_problem(self, expected_key: bytes | None) -> str | None:
        """Why the log's signature is unacceptable, or None if it is fine."""
        if expected_key is not None and not hmac.compare_digest(self.public_key, expected_key):
            return f"{self.where}公钥与指定的日志公钥不一致"
        if not ed25519_verify(self.public_key, self.message, self.signature):
            return f"{self.where}签名无效"
        return None


def _check_version(bundle: Mapping[str, object]) -> None:
    version = _field(bundle, "version", "")
    if type(version) is not int or version != 1:  # not bool, not 1.0
        raise BundleError(f"不支持的版本 {version!r}（本程序支持 version 1）")


def verify_receipt(
    bundle: Mapping[str, Any], expected_public_key: bytes | None = None
) -> tuple[bool, str]:
    """Check a receipt bundle; returns (ok, Chinese verdict line).

    Checks: the entry's leaf hash, its inclusion under the checkpoint root, the log's
    Ed25519 signature over checkpoint_message(...), and every optional witness co-signature.
    Raises BundleError if the bundle is malformed, HashUnavailableError if the hash cannot
    be computed here. Pass `expected_public_key` (the operator's published key) to make the
    signature check meaningful: a key carried inside the bundle proves nothing by itself.
    """
    bundle = _object(bundle, "回执")
    _check_version(bundle)
    alg = _hash_alg(bundle, "")
    index = _int(bundle, "leaf_index", "")
    entry = _str(bundle, "entry", "")
    try:
        entry_bytes = entry.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BundleError("entry 不是有效的 UTF-8 文本") from exc
    proof = _proof(bundle, "inclusion_proof", "")
    cp = _Checkpoint(_field(bundle, "checkpoint", ""), "检查点")
    witnesses: List[Tuple[str, bytes, bytes]] = []
    raw_witnesses = bundle.get("witnesses", [])
    if not isinstance(raw_witnesses, list):
        raise BundleError("witnesses 应为数组")
    for i, raw in enumerate(raw_witnesses):
        where = f"见证签名[{i}]"
        w = _object(raw, where)
        witnesses.append(
            (
                _str(w, "name", where),
                _b64(_field(w, "public_key", where), f"{where}public_key ", 32),
                _b64(_field(w, "signature", where), f"{where}signature ", 64),
            )
        )

    # Everything parsed; from here on a problem is a verification failure, not bad input.
    if cp.hash_alg != alg:
        return False, f"验证失败：回执声明的哈希算法 {alg} 与检查点签名的 {cp.hash_alg} 不一致"
    problem = cp.signature_problem(expected_public_key)
    if problem is not None:
        return False, f"验证失败：{problem}"
    if index >= cp.tree_size:
        return False, f"验证失败：记录序号 {index} 不在规模为 {cp.tree_size} 的日志范围内"
    leaf = leaf_hash(alg, entry_bytes)
    if not verify_inclusion(alg, leaf, index, cp.tree_size, proof, cp.root_hash):
        return False, (
            f"验证失败：包含性证明无效——该记录内容或序号 {index} 与规模为 "
            f"{cp.tree_size} 的日志根哈希不符（记录可能被篡改）"
        )
    for name, key, sig in witnesses:
        if not ed25519_verify(key, cp.message, sig):
            return False, f"验证失败：见证单位“{name}”的签名无效"
    verdict = (
        f"验证通过：序号为 {index} 的记录（序号从 0 起算）包含在规模为 {cp.tree_size} "
        f"的日志中，检查点签名有效"
    )
    if witnesses:
        names = "、".join(name for name, _, _ in witnesses)
        verdict += f"，{len(witnesses)} 个见证签名有效（{names}）"
    return True, verdict


def verify_consistency_bundle(
    bundle: Mapping[str, Any], expected_public_key: bytes | None = None
) -> tuple[bool, str]:
    """Check that the log at `second` is an append-only extension of the log at `first`.

    Both checkpoints must come from the same log (origin and key) and carry valid
    signatures; then the RFC 9162 §2.1.4.2 consistency proof is checked. Raises BundleError
    on malformed input, HashUnavailableError if the hash cannot be computed here.
    """
    bundle = _object(bundle, "一致性证明")
    _check_version(bundle)
    alg = _hash_alg(bundle, "")
    first = _Checkpoint(_field(bundle, "first", ""), "旧检查点")
    second = _Checkpoint(_field(bundle, "second", ""), "新检查点")
    proof = _proof(bundle, "proof", "")

    for cp in (first, second):
        if cp.hash_alg != alg:
            return False, f"验证失败：{cp.where}的哈希算法 {cp.hash_alg} 与声明的 {alg} 不一致"
    if first.origin != second.origin:
        return False, "验证失败：两个检查点来自不同的日志（origin 不同）"
    if not hmac.compare_digest(first.public_key, second.public_key):
        # Otherwise anyone could pair a genuine checkpoint with one signed by their own key.
        return False, "验证失败：两个检查点的签名公钥不同"
    for cp in (first, second):
        problem = cp.signature_problem(expected_public_key)
        if problem is not None:
            return False, f"验证失败：{problem}"
    m, n = first.tree_size, second.tree_size
    if m > n:
        return False, f"验证失败：旧检查点规模 {m} 大于新检查点规模 {n}"
    if not verify_consistency(alg, m, n, proof, first.root_hash, second.root_hash):
        return False, (
            f"验证失败：一致性证明无效——无法证明规模为 {n} 的日志是在规模为 {m} 的日志"
            "之后只追加而成（历史记录可能被修改或日志出现分叉）"
        )
    return True, (
        f"验证通过：规模为 {n} 的日志完整包含规模为 {m} 的日志（只追加、未改写历史），"
        "两个检查点签名均有效"
    )


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def _reject_duplicates(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    # Duplicate keys are parsed differently by different JSON libraries; a verifier must
    # not see a different document than the one the operator's software produced.
    out: Dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise BundleError(f"JSON 中字段 “{key}” 重复")
        out[key] = value
    return out


def _reject_constant(name: str) -> None:
    raise BundleError(f"JSON 中不允许 {name}")


def _load_bundle(path: str) -> Dict[str, Any]:
    try:
        if path == "-":
            text = sys.stdin.buffer.read().decode("utf-8")
        else:
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8")
    except OSError as exc:
        raise BundleError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise BundleError("文件不是 UTF-8 编码") from exc
    return parse_bundle(text)


def parse_bundle(text: str) -> Dict[str, Any]:
    """Parse a bundle strictly: duplicate keys and NaN/Infinity are refused, so every
    reader of a bundle (this file, the platform's verify page) judges the same document."""
    try:
        data = json.loads(
            text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        raise BundleError(f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）") from exc
    if not isinstance(data, dict):
        raise BundleError("顶层应为 JSON 对象（以 { 开头）")
    return data


def _emit(line: str) -> None:
    # A console that cannot show Chinese must not turn a verdict into a traceback.
    try:
        print(line)
    except UnicodeEncodeError:
        sys.stdout.flush()
        sys.stdout.buffer.write(line.encode("utf-8") + b"\n")
        sys.stdout.buffer.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verifier.py",
        description="验证法治日志的回执（包含性证明）或两个检查点之间的一致性证明。",
    )
    parser.add_argument(
        "--public-key",
        metavar="BASE64",
        help=(
            "日志运营方公布的 Ed25519 公钥（base64）。强烈建议指定，否则只能证明签名来自包内公钥。"
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("receipt", "验证回执"), ("consistency", "验证一致性证明")):
        p = sub.add_parser(name, help=text)
        p.add_argument("bundle", metavar="BUNDLE.json", help="JSON 文件路径，- 表示标准输入")
        # Accept the option after the subcommand too, where users tend to put it.
        p.add_argument("--public-key", metavar="BASE64", dest="sub_public_key")
    args = parser.parse_args(argv)

    try:
        key_text = args.sub_public_key or args.public_key
        expected = None if key_text is None else _b64(key_text, "--public-key ", 32)
        bundle = _load_bundle(args.bundle)
        if args.command == "receipt":
            ok, verdict = verify_receipt(bundle, expected)
        else:
            ok, verdict = verify_consistency_bundle(bundle, expected)
    except BundleError as exc:
        _emit(f"输入格式错误：{exc}")
        return 2
    except HashUnavailableError as exc:
        _emit(f"无法验证：{exc}")
        return 2

    _emit(verdict)
    if ok and expected is None:
        # Report which key signed, so the user can compare it with the published one.
        key_field = "checkpoint" if args.command == "receipt" else "first"
        key_b64 = str(bundle[key_field]["public_key"])
        _emit(
            f"注意：未用 --public-key 指定日志公钥，签名仅证明来自包内公钥 {key_b64}，"
            "请与运营方公布的公钥核对。"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
