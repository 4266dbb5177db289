"""Tests for fazhi.ledger.merkle: proofs from stored complete subtrees.

Oracles are the recursive definitions of RFC 9162 §2.1 written out below with plain
hashlib, independent of the code under test, plus the published RFC 6962 SHA-256 vectors.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import itertools
import sys
from collections.abc import Collection, Mapping
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.ledger import merkle, verifier
from fazhi.ledger.merkle import DictNodeStore, MissingNodeError, NodeKey

ALGS = ("sha256", "sm3")

# ---------------------------------------------------------------------------------------
# Published RFC 6962 (SHA-256) test data, from github.com/transparency-dev/merkle:
#   testonly/constants.go  — LeafInputs(), NodeHashes(), RootHashes()
#   proof/verify_test.go   — inclusionProofs, consistencyProofs (the Go file numbers leaves
#                            from 1; converted to 0-based indexes here)
# ---------------------------------------------------------------------------------------
LEAF_INPUTS = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [  # indexed by tree size, 0..8
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
NODE_HASHES = [  # [level][index] for the complete 8-leaf tree
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]
INCLUSION_VECTORS = [  # (0-based leaf index, tree size, proof)
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (0, 1, []),
]
CONSISTENCY_VECTORS = [  # (first size, second size, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]


# ---------------------------------------------------------------------------------------
# Oracle: the recursive RFC 9162 §2.1 definitions, over a fixed list of entries.
# ---------------------------------------------------------------------------------------
MAX_N = 70
ENTRIES = [f"条目 {i}: {'x' * (i % 7)}".encode() for i in range(MAX_N)]


def _h(alg: str, data: bytes) -> bytes:
    return hashlib.new(alg, data).digest()


def _k(n: int) -> int:
    """Largest power of two strictly smaller than n, by counting (not by bit tricks)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


@functools.cache
def ref_mth(alg: str, lo: int, hi: int, entries: tuple[bytes, ...] = tuple(ENTRIES)) -> bytes:
    """MTH(D[lo:hi]) — RFC 9162 §2.1.1."""
    n = hi - lo
    if n == 0:
        return _h(alg, b"")
    if n == 1:
        return _h(alg, b"\x00" + entries[lo])
    k = _k(n)
    return _h(alg, b"\x01" + ref_mth(alg, lo, lo + k, entries) + ref_mth(alg, lo + k, hi, entries))


def ref_path(alg: str, m: int, lo: int, hi: int) -> list[bytes]:
    """PATH(m, D[lo:hi]) — RFC 9162 §2.1.3.1 (m relative to lo)."""
    n = hi - lo
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*ref_path(alg, m, lo, lo + k), ref_mth(alg, lo + k, hi)]
    return [*ref_path(alg, m - k, lo + k, hi), ref_mth(alg, lo, lo + k)]


def ref_subproof(alg: str, m: int, lo: int, hi: int, b: bool) -> list[bytes]:
    """SUBPROOF(m, D[lo:hi], b) — RFC 9162 §2.1.4.1 (m relative to lo)."""
    n = hi - lo
    if m == n:
        return [] if b else [ref_mth(alg, lo, hi)]
    k = _k(n)
    if m <= k:
        return [*ref_subproof(alg, m, lo, lo + k, b), ref_mth(alg, lo + k, hi)]
    return [*ref_subproof(alg, m - k, lo + k, hi, False), ref_mth(alg, lo, lo + k)]


def expected_keys(n: int) -> set[NodeKey]:
    """Every complete aligned subtree of an n-leaf tree, levels >= 0."""
    keys: set[NodeKey] = set()
    level = 0
    while (1 << level) <= n:
        keys.update((level, i) for i in range(n >> level))
        level += 1
    return keys


def build_store(alg: str, entries: list[bytes]) -> DictNodeStore:
    store = DictNodeStore()
    for data in entries:
        store.append_leaf(verifier.leaf_hash(alg, data), alg)
    return store


class CountingStore:
    """Wraps a store, recording each batch read."""

    def __init__(self, inner: merkle.NodeStore) -> None:
        self.inner = inner
        self.batches: list[set[NodeKey]] = []

    def get_nodes(self, keys: Collection[NodeKey]) -> Mapping[NodeKey, bytes]:
        self.batches.append(set(keys))
        return self.inner.get_nodes(keys)


class SyntheticStore:
    """Answers for any COMPLETE node of a tree of `size` leaves with a made-up hash, and
    fails the test if asked for a node that cannot exist yet — so huge trees can be probed
    without building them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.batches: list[set[NodeKey]] = []

    def get_nodes(self, keys: Collection[NodeKey]) -> Mapping[NodeKey, bytes]:
        self.batches.append(set(keys))
        for level, index in keys:
            assert level >= 0
            assert index >= 0
            assert (index + 1) << level <= self.size, f"incomplete node {(level, index)}"
        return {key: hashlib.sha256(repr(key).encode()).digest() for key in keys}


# ---------------------------------------------------------------------------------------
# Published vectors
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rfc6962_store() -> DictNodeStore:
    return build_store("sha256", LEAF_INPUTS)


def test_stored_nodes_equal_published_node_hashes(rfc6962_store: DictNodeStore) -> None:
    published = {
        (level, i): bytes.fromhex(h)
        for level, row in enumerate(NODE_HASHES)
        for i, h in enumerate(row)
    }
    assert rfc6962_store.nodes == published


@pytest.mark.parametrize("size", range(9))
def test_root_hash_published(rfc6962_store: DictNodeStore, size: int) -> None:
    assert merkle.root_hash(size, rfc6962_store, "sha256").hex() == ROOTS[size]


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_VECTORS)
def test_inclusion_proof_published(
    rfc6962_store: DictNodeStore, index: int, size: int, proof: list[str]
) -> None:
    got = merkle.inclusion_proof(index, size, rfc6962_store, "sha256")
    assert [p.hex() for p in got] == proof


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY_VECTORS)
def test_consistency_proof_published(
    rfc6962_store: DictNodeStore, first: int, second: int, proof: list[str]
) -> None:
    got = merkle.consistency_proof(first, second, rfc6962_store, "sha256")
    assert [p.hex() for p in got] == proof


# ---------------------------------------------------------------------------------------
# Exhaustive cross-check against the recursive oracle
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ALGS)
def test_cross_check_every_proof_up_to_70_leaves(alg: str) -> None:
    store = DictNodeStore()
    leaves = [verifier.leaf_hash(alg, e) for e in ENTRIES]
    assert leaves[0] == _h(alg, b"\x00" + ENTRIES[0])
    assert merkle.root_hash(0, store, alg) == ref_mth(alg, 0, 0)
    for n in range(1, MAX_N + 1):
        assert store.append_leaf(leaves[n - 1], alg) == n - 1
        # The store holds exactly the complete subtrees, nothing more.
        assert set(store.nodes) == expected_keys(n)
        root = merkle.root_hash(n, store, alg)
        assert root == ref_mth(alg, 0, n)
        assert verifier.root_from_leaf_hashes(alg, leaves[:n]) == root
        for index in range(n):
            proof = merkle.inclusion_proof(index, n, store, alg)
            assert proof == ref_path(alg, index, 0, n), (index, n)
            assert verifier.verify_inclusion(alg, leaves[index], index, n, proof, root)
        for m in range(n + 1):
            proof = merkle.consistency_proof(m, n, store, alg)
            want = ref_subproof(alg, m, 0, n, True) if 0 < m < n else []
            assert proof == want, (m, n)
            assert verifier.verify_consistency(alg, m, n, proof, ref_mth(alg, 0, m), root)


@pytest.mark.parametrize("alg", ALGS)
def test_subtree_hash_of_every_tree_shaped_range(alg: str) -> None:
    # RFC 9162 subtrees D[a:b] start at a multiple of the largest power of two <= b - a.
    store = build_store(alg, ENTRIES[:40])
    checked = 0
    for start in range(40):
        for end in range(start + 1, 41):
            if start % (1 << ((end - start).bit_length() - 1)) == 0:
                assert merkle.subtree_hash(start, end, store, alg) == ref_mth(alg, start, end)
                checked += 1
    assert checked == 183  # sanity: the loop really ran over all such ranges


# ---------------------------------------------------------------------------------------
# Storage access pattern: one batch, O(log n) keys, never an incomplete node
# ---------------------------------------------------------------------------------------


def test_inclusion_proof_calls_get_nodes_exactly_once() -> None:
    store = CountingStore(build_store("sha256", ENTRIES))
    for index in (0, 1, 31, 63, 64, 69):
        store.batches.clear()
        merkle.inclusion_proof(index, MAX_N, store, "sha256")
        assert len(store.batches) == 1


def test_consistency_proof_and_root_hash_call_get_nodes_exactly_once() -> None:
    store = CountingStore(build_store("sha256", ENTRIES))
    for m in (1, 7, 32, 33, 69):
        store.batches.clear()
        merkle.consistency_proof(m, MAX_N, store, "sha256")
        assert len(store.batches) == 1
    store.batches.clear()
    merkle.root_hash(MAX_N, store, "sha256")
    assert len(store.batches) == 1


@pytest.mark.parametrize("size", [1, 2, 3, 1_000_000, 2**40, 2**40 + 12_345, 2**62 - 1])
def test_huge_trees_need_few_reads_of_complete_nodes_only(size: int) -> None:
    log_n = max(1, (size - 1).bit_length())
    for index in {0, 1 % size, size // 3, size // 2, size - 2 if size > 1 else 0, size - 1}:
        store = SyntheticStore(size)
        proof = merkle.inclusion_proof(index, size, store, "sha256")
        assert len(store.batches) == (1 if size > 1 else 0)  # a 1-leaf tree needs no read
        assert not store.batches or len(store.batches[0]) <= 2 * log_n + 2
        assert len(proof) <= log_n
    for first in {1, size // 2, size - 1} - {0}:
        store = SyntheticStore(size)
        merkle.consistency_proof(first, size, store, "sha256")
        assert len(store.batches) <= 1
        assert not store.batches or len(store.batches[0]) <= 2 * log_n + 2
    store = SyntheticStore(size)
    merkle.root_hash(size, store, "sha256")
    assert len(store.batches) == 1
    assert len(store.batches[0]) == size.bit_count()


def test_nodes_completed_by_append_example() -> None:
    store = CountingStore(build_store("sha256", LEAF_INPUTS[:3]))
    leaf = verifier.leaf_hash("sha256", LEAF_INPUTS[3])
    completed = merkle.nodes_completed_by_append(3, leaf, store, "sha256")
    assert [(level, i) for level, i, _ in completed] == [(1, 1), (2, 0)]
    assert [h.hex() for _, _, h in completed] == [NODE_HASHES[1][1], NODE_HASHES[2][0]]
    assert store.batches == [{(0, 2), (1, 0)}]  # the left siblings, in one read


def test_even_index_closes_nothing_and_reads_nothing() -> None:
    store = CountingStore(DictNodeStore())
    assert merkle.nodes_completed_by_append(0, b"\x00" * 32, store, "sha256") == []
    assert merkle.nodes_completed_by_append(1 << 40, b"\x00" * 32, store, "sha256") == []
    assert store.batches == []


def test_append_at_huge_index_reads_one_batch_of_left_siblings() -> None:
    size = 2**40
    store = SyntheticStore(size - 1)
    completed = merkle.nodes_completed_by_append(size - 1, b"\x07" * 32, store, "sha256")
    assert [(level, i) for level, i, _ in completed] == [
        (level, (size >> level) - 1) for level in range(1, 41)
    ]
    assert len(store.batches) == 1
    assert len(store.batches[0]) == 40


# ---------------------------------------------------------------------------------------
# range_decomposition
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "want"),
    [
        (0, 0, []),
        (0, 1, [(0, 0)]),
        (0, 8, [(3, 0)]),
        (0, 7, [(2, 0), (1, 2), (0, 6)]),
        (3, 13, [(0, 3), (2, 1), (2, 2), (0, 12)]),
        (6, 8, [(1, 3)]),
        (5, 6, [(0, 5)]),
    ],
)
def test_range_decomposition_examples(start: int, end: int, want: list[NodeKey]) -> None:
    assert merkle.range_decomposition(start, end) == want


@given(st.integers(0, 2**48), st.integers(0, 2**20))
def test_range_decomposition_is_an_exact_minimal_cover(start: int, width: int) -> None:
    end = start + width
    keys = merkle.range_decomposition(start, end)
    pos = start
    for level, index in keys:
        assert index << level == pos  # contiguous, left to right, aligned
        pos += 1 << level
    assert pos == end
    # Minimal: no two consecutive siblings that could have been one parent node.
    for (l1, i1), (l2, i2) in itertools.pairwise(keys):
        assert not (l1 == l2 and i1 % 2 == 0 and i2 == i1 + 1)
    assert len(keys) <= 2 * max(1, width.bit_length()) + 2


def test_range_decomposition_rejects_inverted_range() -> None:
    with pytest.raises(ValueError):
        merkle.range_decomposition(5, 4)


# ---------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------


def test_bad_arguments_are_refused() -> None:
    store = build_store("sha256", LEAF_INPUTS)
    with pytest.raises(ValueError):
        merkle.inclusion_proof(8, 8, store, "sha256")
    with pytest.raises(ValueError):
        merkle.inclusion_proof(-1, 8, store, "sha256")
    with pytest.raises(ValueError):
        merkle.consistency_proof(5, 4, store, "sha256")
    with pytest.raises(ValueError):
        merkle.root_hash(-1, store, "sha256")
    with pytest.raises(ValueError):
        merkle.nodes_completed_by_append(-1, b"", store, "sha256")


def test_missing_nodes_raise_instead_of_producing_a_wrong_proof() -> None:
    store = build_store("sha256", LEAF_INPUTS)
    del store.nodes[(1, 0)]
    with pytest.raises(MissingNodeError):
        merkle.inclusion_proof(2, 8, store, "sha256")  # path: (0, 3), (1, 0), (2, 1)
    with pytest.raises(MissingNodeError):
        merkle.root_hash(9, store, "sha256")  # asks for a leaf that was never appended
    with pytest.raises(MissingNodeError):
        merkle.nodes_completed_by_append(3, b"\x00" * 32, DictNodeStore(), "sha256")


# ---------------------------------------------------------------------------------------
# Hypothesis: tampering never verifies
# ---------------------------------------------------------------------------------------

HYP = settings(max_examples=150, deadline=None)


@st.composite
def log_and_index(draw: st.DrawFn) -> tuple[str, list[bytes], int]:
    alg = draw(st.sampled_from(ALGS))
    n = draw(st.integers(1, 100))
    entries = [f"e{i}".encode() for i in range(n)]
    return alg, entries, draw(st.integers(0, n - 1))


@HYP
@given(log_and_index(), st.data())
def test_mutated_inclusion_proof_never_verifies(
    case: tuple[str, list[bytes], int], data: st.DataObject
) -> None:
    alg, entries, index = case
    n = len(entries)
    store = build_store(alg, entries)
    root = merkle.root_hash(n, store, alg)
    leaf = verifier.leaf_hash(alg, entries[index])
    proof = merkle.inclusion_proof(index, n, store, alg)
    assert verifier.verify_inclusion(alg, leaf, index, n, proof, root)
    if proof:
        pos = data.draw(st.integers(0, len(proof) - 1))
        bit = data.draw(st.integers(0, 8 * len(proof[pos]) - 1))
        bad = list(proof)
        bad[pos] = (int.from_bytes(bad[pos], "big") ^ (1 << bit)).to_bytes(len(bad[pos]), "big")
        assert not verifier.verify_inclusion(alg, leaf, index, n, bad, root)
        assert not verifier.verify_inclusion(alg, leaf, index, n, proof[:-1], root)
    assert not verifier.verify_inclusion(alg, leaf, index, n, [*proof, root], root)
    # A different entry at the same position.
    other = verifier.leaf_hash(alg, entries[index] + b"!")
    assert not verifier.verify_inclusion(alg, other, index, n, proof, root)


@HYP
@given(log_and_index(), st.data())
def test_inclusion_proof_at_wrong_index_never_verifies(
    case: tuple[str, list[bytes], int], data: st.DataObject
) -> None:
    alg, entries, index = case
    n = len(entries)
    store = build_store(alg, entries)
    root = merkle.root_hash(n, store, alg)
    leaf = verifier.leaf_hash(alg, entries[index])
    proof = merkle.inclusion_proof(index, n, store, alg)
    wrong = data.draw(st.integers(0, 2 * n + 2).filter(lambda j: j != index))
    assert not verifier.verify_inclusion(alg, leaf, wrong, n, proof, root)


@HYP
@given(log_and_index(), st.data())
def test_inclusion_proof_against_another_checkpoint_never_verifies(
    case: tuple[str, list[bytes], int], data: st.DataObject
) -> None:
    # "Wrong size" means a proof for size n checked against the genuine (size, root) pair
    # of another size of the same log. Caveat, inherent to RFC 9162: with the root held
    # FIXED a wrong size can verify (leaf 0 of a 4-leaf tree "verifies" as size 3, reading
    # node H(2,3) as a leaf hash), which is why size and root are only ever trusted
    # together, as signed in one checkpoint.
    alg, entries, index = case
    n = len(entries)
    longer = entries + [f"later {i}".encode() for i in range(n)]
    store = build_store(alg, longer)
    leaf = verifier.leaf_hash(alg, entries[index])
    proof = merkle.inclusion_proof(index, n, store, alg)
    other = data.draw(st.integers(index + 1, 2 * n).filter(lambda s: s != n))
    other_root = merkle.root_hash(other, store, alg)
    assert not verifier.verify_inclusion(alg, leaf, index, other, proof, other_root)


@st.composite
def log_and_sizes(draw: st.DrawFn) -> tuple[str, list[bytes], int]:
    alg = draw(st.sampled_from(ALGS))
    n = draw(st.integers(2, 100))
    entries = [f"e{i}".encode() for i in range(n)]
    return alg, entries, draw(st.integers(1, n - 1))


@HYP
@given(log_and_sizes(), st.data())
def test_mutated_consistency_proof_never_verifies(
    case: tuple[str, list[bytes], int], data: st.DataObject
) -> None:
    alg, entries, m = case
    n = len(entries)
    store = build_store(alg, entries)
    old, new = merkle.root_hash(m, store, alg), merkle.root_hash(n, store, alg)
    proof = merkle.consistency_proof(m, n, store, alg)
    assert verifier.verify_consistency(alg, m, n, proof, old, new)
    pos = data.draw(st.integers(0, len(proof) - 1))
    bit = data.draw(st.integers(0, 255))
    bad = list(proof)
    bad[pos] = (int.from_bytes(bad[pos], "big") ^ (1 << bit)).to_bytes(32, "big")
    assert not verifier.verify_consistency(alg, m, n, bad, old, new)
    assert not verifier.verify_consistency(alg, m, n, proof[:-1], old, new)
    assert not verifier.verify_consistency(alg, m, n, [*proof, new], old, new)
    assert not verifier.verify_consistency(alg, m, n, proof, new, old)
    # Wrong first size, with that size's genuine root.
    other = data.draw(st.integers(1, n).filter(lambda s: s != m))
    assert not verifier.verify_consistency(
        alg, other, n, proof, merkle.root_hash(other, store, alg), new
    )


@HYP
@given(log_and_sizes(), st.data())
def test_forked_history_never_verifies(
    case: tuple[str, list[bytes], int], data: st.DataObject
) -> None:
    alg, entries, m = case
    n = len(entries)
    j = data.draw(st.integers(0, m - 1))  # rewrite an entry the old checkpoint covered
    forked_entries = list(entries)
    forked_entries[j] = b"rewritten " + entries[j]
    honest, forked = build_store(alg, entries), build_store(alg, forked_entries)
    old = merkle.root_hash(m, honest, alg)
    forked_new = merkle.root_hash(n, forked, alg)
    for store in (honest, forked):
        proof = merkle.consistency_proof(m, n, store, alg)
        assert not verifier.verify_consistency(alg, m, n, proof, old, forked_new)
    # The original entry is no longer provably in the forked log.
    for store in (honest, forked):
        proof = merkle.inclusion_proof(j, n, store, alg)
        leaf = verifier.leaf_hash(alg, entries[j])
        assert not verifier.verify_inclusion(alg, leaf, j, n, proof, forked_new)


@HYP
@given(log_and_sizes(), st.data())
def test_appending_after_first_size_stays_consistent(
    case: tuple[str, list[bytes], int], data: st.DataObject
) -> None:
    # Control for the fork test: changing an entry at or after first_size is a legitimate
    # different future, and must verify — so the fork test fails for the right reason.
    alg, entries, m = case
    n = len(entries)
    j = data.draw(st.integers(m, n - 1))
    other_future = list(entries)
    other_future[j] = b"different " + entries[j]
    store = build_store(alg, other_future)
    old = merkle.root_hash(m, build_store(alg, entries[:m]), alg)
    proof = merkle.consistency_proof(m, n, store, alg)
    assert verifier.verify_consistency(alg, m, n, proof, old, merkle.root_hash(n, store, alg))


# ---------------------------------------------------------------------------------------
# Module hygiene
# ---------------------------------------------------------------------------------------


def test_merkle_imports_only_stdlib_and_the_verifier() -> None:
    source = Path(merkle.__file__).read_text(encoding="utf-8")
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    allowed = {"fazhi.ledger.verifier"}
    assert {m for m in modules if m.split(".")[0] not in sys.stdlib_module_names} <= allowed
