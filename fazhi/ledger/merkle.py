"""Proof generation for the ledger's RFC 9162 Merkle tree, from stored subtree roots.

Storage model. The database keeps the root of every COMPLETE, ALIGNED subtree, keyed by
(level, index): node (L, i) is MTH(D[i*2^L : (i+1)*2^L]); level 0 holds the leaf hashes.
Such a node never changes once its last leaf is appended, so it can be written exactly once
(`nodes_completed_by_append`) and read forever.

Every subtree the RFC 9162 algorithms ask for is D[a:b] with a a multiple of the largest
power of two not exceeding b - a. Either it is complete (one stored node), or it is on the
right edge of the tree, in which case its root folds from its decomposition into complete
aligned subtrees (`range_decomposition`), which are stored. So every proof needs
O(log n) stored nodes — all fetched in ONE `NodeStore.get_nodes` round trip — and a few
hashes; the tree is never rebuilt.

Pure Python (no Django): the database-backed store lives elsewhere and implements
`NodeStore`. Hashing and verification come from the standalone public verifier so that the
code which produces proofs and the code citizens run to check them share one definition.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Protocol

from fazhi.ledger.verifier import empty_root, node_hash

__all__ = [
    "DictNodeStore",
    "MissingNodeError",
    "NodeKey",
    "NodeStore",
    "consistency_proof",
    "inclusion_proof",
    "nodes_completed_by_append",
    "range_decomposition",
    "root_hash",
    "subtree_hash",
]

NodeKey = tuple[int, int]  # (level, index): root of leaves [index * 2**level, (index+1) * 2**level)
_Range = tuple[int, int]  # half-open leaf range [start, end)


class NodeStore(Protocol):
    """Read access to stored complete-subtree roots."""

    def get_nodes(self, keys: Collection[NodeKey]) -> Mapping[NodeKey, bytes]:
        """Return the stored hashes for `keys` in one batch read (absent keys omitted)."""
        ...


class MissingNodeError(LookupError):
    """The store lacks a node that must exist for a tree of the requested size."""


# --------------------------------------------------------------------------------------
# Tree geometry
# --------------------------------------------------------------------------------------


def _split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2): RFC 9162 §2.1.1's k."""
    return 1 << ((n - 1).bit_length() - 1)


def range_decomposition(start: int, end: int) -> list[NodeKey]:
    """The complete aligned subtrees exactly covering leaves [start, end), left to right.

    Greedy: at each position take the largest subtree that is aligned there and still fits.
    The result is minimal and has at most 2*log2(end - start) + 2 elements.
    """
    if not (0 <= start <= end):
        raise ValueError(f"invalid leaf range [{start}, {end})")
    out: list[NodeKey] = []
    while start < end:
        # Largest level allowed by alignment (start=0 is aligned to everything) ...
        level = (start & -start).bit_length() - 1 if start else (end - start).bit_length()
        # ... and by the remaining width.
        while (1 << level) > end - start:
            level -= 1
        out.append((level, start >> level))
        start += 1 << level
    return out


def _inclusion_ranges(index: int, tree_size: int) -> list[_Range]:
    """Leaf ranges whose MTHs form PATH(index, D[tree_size]), leaf level first.

    RFC 9162 §2.1.3.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k,
    else PATH(m - k, D[k:n]) : MTH(D[0:k]). Unrolled top-down, then reversed because ':'
    appends — the sibling nearest the leaf comes first.
    """
    lo, hi = 0, tree_size
    top_down: list[_Range] = []
    while hi - lo > 1:
        k = _split_point(hi - lo)
        if index < lo + k:
            top_down.append((lo + k, hi))
            hi = lo + k
        else:
            top_down.append((lo, lo + k))
            lo += k
    top_down.reverse()
    return top_down


def _consistency_ranges(first_size: int, second_size: int) -> list[_Range]:
    """Leaf ranges whose MTHs form PROOF(first_size, D[second_size]) (0 < m < n).

    RFC 9162 §2.1.4.1: PROOF(m, D[n]) = SUBPROOF(m, D[n], true), where
      SUBPROOF(m, D[m], true)  = {}            (the old root is known to the verifier)
      SUBPROOF(m, D[m], false) = {MTH(D[m])}
      SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])          if m <= k
                           = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])  if m > k
    Unrolled with absolute leaf positions; m stays the absolute end of the old tree.
    """
    lo, hi, b = 0, second_size, True
    top_down: list[_Range] = []
    while first_size != hi:
        k = _split_point(hi - lo)
        if first_size <= lo + k:
            top_down.append((lo + k, hi))
            hi = lo + k
        else:
            top_down.append((lo, lo + k))
            lo += k
            b = False
    if not b:
        top_down.append((lo, hi))
    top_down.reverse()
    return top_down


# --------------------------------------------------------------------------------------
# Reading subtree roots from the store
# --------------------------------------------------------------------------------------


def _fetch(store: NodeStore, keys: Iterable[NodeKey]) -> Mapping[NodeKey, bytes]:
    wanted = set(keys)
    if not wanted:
        return {}
    found = store.get_nodes(wanted)
    missing = wanted.difference(found)
    if missing:
        raise MissingNodeError(f"node store lacks {len(missing)} node(s), e.g. {min(missing)}")
    return found


def _fold(alg: str, decomposition: list[NodeKey], nodes: Mapping[NodeKey, bytes]) -> bytes:
    """MTH of a range from its decomposition (which must be non-empty).

    Folding from the right is exactly the RFC recursion for such a range: the left part of
    each split is the first (largest) complete subtree, the right part is the rest.
    """
    acc = nodes[decomposition[-1]]
    for key in reversed(decomposition[:-1]):
        acc = node_hash(alg, nodes[key], acc)
    return acc


def _range_hashes(alg: str, ranges: list[_Range], store: NodeStore) -> list[bytes]:
    """MTH of every range, with a single batch read for all of them."""
    decompositions = [range_decomposition(a, b) for a, b in ranges]
    nodes = _fetch(store, (key for d in decompositions for key in d))
    return [_fold(alg, d, nodes) for d in decompositions]


def subtree_hash(start: int, end: int, store: NodeStore, alg: str) -> bytes:
    """MTH(D[start:end]) for a non-empty range, from stored complete subtrees (one read).

    Meaningful as a node of the log's tree when `start` is aligned to the largest power of
    two not exceeding `end - start` (every subtree that RFC 9162 proofs use is).
    """
    if not (0 <= start < end):
        raise ValueError(f"invalid non-empty leaf range [{start}, {end})")
    return _range_hashes(alg, [(start, end)], store)[0]


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def root_hash(tree_size: int, store: NodeStore, alg: str) -> bytes:
    """MTH(D[tree_size]) in O(log n): the right fold of the tree's decomposition."""
    if tree_size < 0:
        raise ValueError("tree_size must be non-negative")
    if tree_size == 0:
        return empty_root(alg)  # RFC 9162 §2.1.1: MTH({}) = HASH()
    return subtree_hash(0, tree_size, store, alg)


def inclusion_proof(index: int, tree_size: int, store: NodeStore, alg: str) -> list[bytes]:
    """PATH(index, D[tree_size]) per RFC 9162 §2.1.3.1, from one `get_nodes` call.

    `alg` is needed because right-edge siblings are not stored and must be folded.
    """
    if not (0 <= index < tree_size):
        raise ValueError(f"leaf index {index} not in a tree of size {tree_size}")
    return _range_hashes(alg, _inclusion_ranges(index, tree_size), store)


def consistency_proof(first_size: int, second_size: int, store: NodeStore, alg: str) -> list[bytes]:
    """PROOF(first_size, D[second_size]) per RFC 9162 §2.1.4.1, from one `get_nodes` call.

    The RFC defines it for 0 < first_size < second_size; for first_size == 0 or
    first_size == second_size nothing needs proving and the proof is empty (which is what
    `verifier.verify_consistency` expects).
    """
    if not (0 <= first_size <= second_size):
        raise ValueError(f"no consistency proof from size {first_size} to {second_size}")
    if first_size in (0, second_size):
        return []
    return _range_hashes(alg, _consistency_ranges(first_size, second_size), store)


def nodes_completed_by_append(
    index: int, leaf_hash: bytes, store: NodeStore, alg: str
) -> list[tuple[int, int, bytes]]:
    """The complete subtree roots (level >= 1) that appending leaf `index` closes.

    After the append the tree has index + 1 leaves, so node (L, j) becomes complete iff
    (index + 1) is a multiple of 2^L, with j = (index + 1) / 2^L - 1. Its right child is the
    node closed one level below (or the new leaf); its left child is an older complete node
    that is already stored. All those left siblings are read in one batch (none for an even
    index, which closes nothing). Returned bottom-up as (level, index, hash); the caller
    stores the leaf itself at (0, index).
    """
    if index < 0:
        raise ValueError("leaf index must be non-negative")
    size = index + 1
    levels = (size & -size).bit_length() - 1  # trailing zero bits = number of closed nodes
    if levels == 0:
        return []
    left_keys = [(level - 1, (size >> (level - 1)) - 2) for level in range(1, levels + 1)]
    nodes = _fetch(store, left_keys)
    out: list[tuple[int, int, bytes]] = []
    acc = leaf_hash
    for level, left in enumerate(left_keys, start=1):
        acc = node_hash(alg, nodes[left], acc)
        out.append((level, (size >> level) - 1, acc))
    return out


class DictNodeStore:
    """In-memory NodeStore for tests and benchmarks."""

    def __init__(self) -> None:
        self.nodes: dict[NodeKey, bytes] = {}
        self.size = 0  # number of leaves appended through append_leaf()
        self.get_nodes_calls = 0
        self.keys_read = 0

    def get_nodes(self, keys: Collection[NodeKey]) -> Mapping[NodeKey, bytes]:
        self.get_nodes_calls += 1
        self.keys_read += len(keys)
        return {key: self.nodes[key] for key in keys if key in self.nodes}

    def append_leaf(self, leaf_hash: bytes, alg: str) -> int:
        """Store a new leaf and the nodes it completes, as the ledger does; returns its index."""
        index = self.size
        completed = nodes_completed_by_append(index, leaf_hash, self, alg)
        self.nodes[(0, index)] = leaf_hash
        for level, i, digest in completed:
            self.nodes[(level, i)] = digest
        self.size += 1
        return index
