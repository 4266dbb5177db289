"""The database as a Merkle node store: leaves from LedgerEntry, interior nodes from LedgerNode."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.db import connection

from fazhi.ledger.models import NODE_LEVEL_SHIFT, LedgerEntry, LedgerNode, node_key

_MASK = (1 << NODE_LEVEL_SHIFT) - 1


class DatabaseNodeStore:
    """Reads any set of complete-subtree roots in ONE query (leaves and nodes together).

    Raw SQL, not the ORM: a proof or an append is one tiny indexed read, and compiling
    ORM queries costs more than running them (PERF-SECURITY G5/G6: ≥ 1,000 appends/s,
    proofs ≤ 1 ms at scale; one round trip matters on PostgreSQL).
    """

    def get_nodes(self, keys: Collection[tuple[int, int]]) -> Mapping[tuple[int, int], bytes]:
        leaves = [index for level, index in keys if level == 0]
        interior = [node_key(level, index) for level, index in keys if level > 0]
        parts: list[str] = []
        params: list[int] = []
        q = connection.ops.quote_name
        if leaves:
            parts.append(
                f"SELECT 0, seq, leaf_hash FROM {q(LedgerEntry._meta.db_table)} "  # noqa: S608
                f"WHERE seq IN ({', '.join(['%s'] * len(leaves))})"
            )
            params += leaves
        if interior:
            parts.append(
                f"SELECT 1, key, hash FROM {q(LedgerNode._meta.db_table)} "  # noqa: S608
                f"WHERE key IN ({', '.join(['%s'] * len(interior))})"
            )
            params += interior
        found: dict[tuple[int, int], bytes] = {}
        if not parts:
            return found
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for is_node, key, digest in cursor.fetchall():
                key = int(key)
                if is_node:
                    found[(key >> NODE_LEVEL_SHIFT, key & _MASK)] = bytes(digest)
                else:
                    found[(0, key)] = bytes(digest)
        return found
