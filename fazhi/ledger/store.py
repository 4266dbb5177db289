"""The database as a Merkle node store: leaves from LedgerEntry, interior nodes from LedgerNode."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from fazhi.ledger.models import NODE_LEVEL_SHIFT, LedgerEntry, LedgerNode, node_key


class DatabaseNodeStore:
    """Reads any set of complete-subtree roots in at most two queries (leaves, nodes)."""

    def get_nodes(self, keys: Collection[tuple[int, int]]) -> Mapping[tuple[int, int], bytes]:
        leaf_indexes = [index for level, index in keys if level == 0]
        interior = [node_key(level, index) for level, index in keys if level > 0]
        found: dict[tuple[int, int], bytes] = {}
        if leaf_indexes:
            for seq, leaf in LedgerEntry.objects.filter(seq__in=leaf_indexes).values_list(
                "seq", "leaf_hash"
            ):
                found[(0, seq)] = bytes(leaf)
        if interior:
            mask = (1 << NODE_LEVEL_SHIFT) - 1
            for key, digest in LedgerNode.objects.filter(key__in=interior).values_list(
                "key", "hash"
            ):
                found[(key >> NODE_LEVEL_SHIFT, key & mask)] = bytes(digest)
        return found
