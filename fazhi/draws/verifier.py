#!/usr/bin/env python3
"""法治 随机抽取 公开验证程序 — the standalone verifier of a Fazhi random draw.

Anyone can re-compute a published draw (双随机抽查, 案卷评查) with this one file and a stock
Python 3.8 or newer, nothing else installed:

    python3 draw_verifier.py BUNDLE.json

Exit status: 0 = the bundle is consistent and the published result is exactly what the
commitment and the randomness give; 1 = it is not (the reason is printed); 2 = the file is
not a draw bundle, or this Python cannot compute the hash (SM3 needs OpenSSL 1.1.1+).

This file is not a copy of the platform's algorithm: it IS the algorithm. The platform
imports it to make every draw (fazhi.draws.services), so what a citizen runs is what made
the result. Standard library only, for the same reason as the ledger's verifier: the
smallest thing one has to read to be convinced.

How a draw works (ARCHITECTURE §7):

1. Commit, before the randomness exists. The commitment names the pool of candidates (their
   count and the Merkle root of their records, sorted by id), the strata and the quota of
   each, the inspector pool and the assignment rules, the hash algorithm, the method, and the
   future public randomness (e.g. a named lottery draw on a named date). Its digest
   ``H(canonical JSON)`` is published and recorded in the ledger.
2. Reveal: the randomness value is entered with its public evidence.
   ``seed = H(commitment digest || randomness value)``.
3. Select (method "ranked"): every candidate gets ``rank = H(seed || "entity" 0 stratum 0 id)``;
   in each stratum the ``quota`` lowest ranks are drawn. A candidate's rank depends on no
   other candidate, so adding or removing *other* candidates never reorders the rest.
4. Assign (optional): for each drawn candidate, its shortlist — the inspectors holding one of
   its required qualifications (all, when it names none) and, when ``same_township`` is
   false, not from its township — is put in a random order drawn from
   ``H(seed || "inspector" 0 candidate 0 step)`` (Fisher–Yates, see :class:`Assigner`); in that
   order, skipping those excluded for it (a declared relationship, 回避) or at
   ``max_pairings`` earlier inspections of it: first one inspector per required
   qualification, then the next ones up to ``per_task``, then ``substitutes`` more. Each rule
   concerns one pair only, so when the rules leave enough inspectors for a candidate this
   finds them; when not, the draw names the candidate and what excluded the inspectors.
5. Method "rfc3797": RFC 3797 exactly (MD5 over the canonical key of the public numbers), for
   plain draws without strata or assignment; the pool's order is the sorted order of ids.

Canonical JSON: UTF-8, keys sorted, no spaces (``json.dumps(..., ensure_ascii=False,
sort_keys=True, separators=(",", ":"))``). Merkle trees as RFC 9162: leaf = H(0x00 || record),
node = H(0x01 || left || right).
"""

# Kept runnable on the older Python 3 (>= 3.8) a citizen may have.
# ruff: noqa: UP006, UP035

from __future__ import annotations

import argparse
import functools
import hashlib
import heapq
import hmac
import json
import sys
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

FORMAT = "fazhi-draw/1"
METHODS = ("ranked", "rfc3797")
HASH_ALGS = ("sm3", "sha256")

# Known answers, checked before first use so that a wrong hash fails closed.
# SHA-256("abc"): FIPS 180-2 B.1. SM3("abc"): GB/T 32905-2016 A.1.
_KAT = {
    "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    "sm3": "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
}

Record = Dict[str, Any]


class BundleError(ValueError):
    """The input is not a well-formed draw bundle (exit status 2)."""


class DrawError(ValueError):
    """The commitment cannot be satisfied: a quota larger than its stratum, or a candidate
    for whom the rules leave too few inspectors. The message says which, in Chinese."""


class Mismatch(ValueError):
    """The bundle is well formed but does not verify (exit status 1)."""


# --- hashing ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _base(alg: str) -> Any:
    if alg not in HASH_ALGS:
        raise BundleError(f"不支持的哈希算法“{alg}”（应为 sm3 或 sha256）")
    try:
        base = hashlib.new(alg)
    except ValueError as exc:
        raise BundleError(
            f"本机 Python 不支持哈希算法 {alg}（SM3 需要 OpenSSL 1.1.1 以上）"
        ) from exc
    probe = base.copy()
    probe.update(b"abc")
    if probe.hexdigest() != _KAT[alg]:
        raise BundleError(f"哈希算法 {alg} 自检失败")
    return base


def digest(alg: str, data: bytes) -> bytes:
    h = _base(alg).copy()
    h.update(data)
    return bytes(h.digest())


# What json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) uses,
# made once: json.dumps builds a new encoder on every call with non-default arguments, which
# was most of the time to freeze a pool of a million records (bench/draws.py).
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def canonical(value: Any) -> bytes:
    """The bytes that are hashed for a JSON value (the canonical JSON above)."""
    return _CANONICAL.encode(value).encode("utf-8")


def merkle_root(alg: str, leaves: Iterable[bytes]) -> bytes:
    """RFC 9162 §2.1.1 Merkle tree hash of the leaves, in their order."""
    leaf = _base(alg).copy()
    leaf.update(b"\x00")
    level = []
    for data in leaves:
        h = leaf.copy()
        h.update(data)
        level.append(h.digest())
    if not level:
        return digest(alg, b"")
    node = _base(alg).copy()
    node.update(b"\x01")
    while len(level) > 1:
        nxt = []
        for i in range(1, len(level), 2):
            h = node.copy()
            h.update(level[i - 1])
            h.update(level[i])
            nxt.append(h.digest())
        if len(level) & 1:
            nxt.append(level[-1])
        level = nxt
    return bytes(level[0])


def sorted_records(records: Iterable[Record]) -> List[Record]:
    """Records in the pool's canonical order (by id); an id twice is refused."""
    out = sorted(records, key=lambda r: r["id"])
    for a, b in zip(out, out[1:]):
        if a["id"] == b["id"]:
            raise DrawError(f"名单中编号“{a['id']}”重复")
    return out


def pool_summary(alg: str, records: Sequence[Record]) -> Record:
    """``{"count", "root"}`` of a pool already in canonical order (what a commitment holds)."""
    return {"count": len(records), "root": merkle_root(alg, map(canonical, records)).hex()}


def commitment_digest(commitment: Mapping[str, Any]) -> str:
    return digest(str(commitment["hash_alg"]), canonical(commitment)).hex()


def seed_of(commitment: Mapping[str, Any], randomness: str) -> bytes:
    """seed = H(commitment digest || randomness value), ARCHITECTURE §7 step 2."""
    alg = str(commitment["hash_alg"])
    return digest(alg, bytes.fromhex(commitment_digest(commitment)) + randomness.encode("utf-8"))


# --- method "ranked": strata and quotas -----------------------------------------------------


def _ranker(alg: str, seed: bytes, label: str, scope: str) -> Callable[[str], bytes]:
    prefix = _base(alg).copy()
    prefix.update(seed + label.encode("utf-8") + b"\x00" + scope.encode("utf-8") + b"\x00")
    new = prefix.copy

    def rank(key: str) -> bytes:
        h = new()
        h.update(key.encode("utf-8"))
        value: bytes = h.digest()
        return value

    return rank


def select(
    alg: str, seed: bytes, candidates: Iterable[Record], quotas: Mapping[str, int]
) -> List[Tuple[str, str, bytes]]:
    """The drawn candidates as (stratum, id, rank), by stratum then rank: in each stratum the
    ``quota`` candidates of lowest ``H(seed || "entity" 0 stratum 0 id)``."""
    by_stratum: Dict[str, List[str]] = {}
    for c in candidates:
        stratum = c.get("stratum", "")
        if stratum not in quotas:
            raise DrawError(f"对象“{c['id']}”所在的层“{stratum}”未在承诺中列出")
        by_stratum.setdefault(stratum, []).append(c["id"])
    drawn: List[Tuple[str, str, bytes]] = []
    for stratum in sorted(quotas):
        quota = quotas[stratum]
        ids = by_stratum.get(stratum, [])
        if quota > len(ids):
            raise DrawError(f"层“{stratum}”只有 {len(ids)} 个候选对象，少于抽取数 {quota}")
        rank = _ranker(alg, seed, "entity", stratum)
        best = heapq.nsmallest(quota, ((rank(i), i) for i in ids))
        drawn.extend((stratum, i, r) for r, i in best)
    return drawn


class Assigner:
    """Inspector assignment over one inspector pool (canonical order) under one set of rules
    (ARCHITECTURE §7 step 4).

    A candidate's *shortlist* is the inspectors, in canonical order, that hold one of its
    required qualifications (all, when it names none) and, when ``same_township`` is false,
    are not from its township. The shortlist is walked in a random order — Fisher–Yates, step
    ``i`` swapping in position ``i + H(seed || "inspector" 0 candidate 0 i) mod (n - i)``, a
    256-bit value modulo at most millions, so the bias is below 2**-200 — produced lazily,
    because a candidate needs a handful of inspectors, not a ranking of all of them. On the
    walk an inspector is skipped if excluded for this candidate (a declared relationship,
    回避) or already at ``max_pairings`` earlier inspections of it. Of the eligible ones in
    that order: first one per required qualification (sorted) unless one chosen already holds
    it, then the others up to ``per_task``, then up to ``substitutes`` more (fewer if the
    shortlist runs out). Every rule concerns one pair only, so when the rules leave enough
    inspectors this finds them; when not, DrawError names the candidate and counts the
    inspectors each rule left out (each once, by the first that excludes it: township,
    qualification, relationship, pairings)."""

    def __init__(
        self, alg: str, seed: bytes, inspectors: Sequence[Record], rules: Mapping[str, Any]
    ) -> None:
        self.alg, self.seed, self.inspectors = alg, seed, inspectors
        self.per_task = int(rules.get("per_task", 2))
        self.substitutes = int(rules.get("substitutes", 0))
        self.same_township = bool(rules.get("same_township", True))
        self.max_pairings: Optional[int] = rules.get("max_pairings")
        self.qualifications = [frozenset(i.get("qualifications", ())) for i in inspectors]
        self._shortlists: Dict[Tuple[Any, ...], Tuple[List[int], Dict[str, int]]] = {}
        self.examined = 0  # shortlist positions walked, i.e. inspector hashes made

    def _shortlist(self, needs: Tuple[str, ...], township: Any) -> Tuple[List[int], Dict[str, int]]:
        """(positions of the shortlisted inspectors, how many each rule left out); the same
        for every candidate with these needs (and township, when it matters)."""
        if self.same_township:
            township = None
        key = (needs, township)
        found = self._shortlists.get(key)
        if found is None:
            wanted = frozenset(needs)
            positions: List[int] = []
            reasons: Dict[str, int] = {}
            for position, inspector in enumerate(self.inspectors):
                if township and inspector.get("township") == township:
                    reasons["同乡镇"] = reasons.get("同乡镇", 0) + 1
                elif wanted and not wanted & self.qualifications[position]:
                    reasons["资格不符"] = reasons.get("资格不符", 0) + 1
                else:
                    positions.append(position)
            found = self._shortlists[key] = (positions, reasons)
        return found

    def assign(self, candidate: Record) -> Tuple[List[str], List[str]]:
        """(inspectors, substitutes) of one drawn candidate, as ids; DrawError when the
        rules leave too few."""
        cid = candidate["id"]
        needs = tuple(sorted(set(candidate.get("needs") or ())))
        shortlist, left_out = self._shortlist(needs, candidate.get("township"))
        quals, inspectors, limit = self.qualifications, self.inspectors, self.max_pairings
        wanted = self.per_task + self.substitutes
        uncovered = set(needs)
        eligible: List[int] = []
        skipped: Dict[str, int] = {}
        rank = _ranker(self.alg, self.seed, "inspector", cid)
        count = len(shortlist)
        swapped: Dict[int, int] = {}
        for i in range(count):
            j = i + int.from_bytes(rank(str(i)), "big") % (count - i)
            position = shortlist[swapped.get(j, j)]
            swapped[j] = swapped.get(i, i)
            inspector = inspectors[position]
            if cid in inspector.get("excluded", ()):
                skipped["回避"] = skipped.get("回避", 0) + 1
            elif limit is not None and inspector.get("pairings", {}).get(cid, 0) >= limit:
                skipped["近期已检查过该对象"] = skipped.get("近期已检查过该对象", 0) + 1
            else:
                eligible.append(position)
                uncovered -= quals[position]
                if not uncovered and len(eligible) >= wanted:
                    self.examined += i + 1
                    break  # the rest of the order cannot change the choice
        else:
            self.examined += count
        chosen: List[int] = []
        held: Set[str] = set()
        for need in needs:
            if need in held:
                continue
            for position in eligible:
                if need in quals[position]:
                    chosen.append(position)
                    held |= quals[position]
                    break
            else:
                raise DrawError(
                    f"对象“{cid}”：没有具备“{need}”资格且可以参加的检查人员"
                    + _reasons({**left_out, **skipped})
                )
        rest = [p for p in eligible if p not in chosen]
        missing = max(self.per_task - len(chosen), 0)
        if missing > len(rest):
            raise DrawError(
                f"对象“{cid}”：可以参加的检查人员只有 {len(eligible)} 名，"
                f"少于每户 {self.per_task} 名" + _reasons({**left_out, **skipped})
            )
        chosen.extend(rest[:missing])
        substitutes = rest[missing : missing + self.substitutes]
        return [inspectors[p]["id"] for p in chosen], [inspectors[p]["id"] for p in substitutes]


def assign(
    alg: str,
    seed: bytes,
    candidate: Record,
    inspectors: Sequence[Record],
    rules: Mapping[str, Any],
) -> Tuple[List[str], List[str]]:
    """One candidate's (inspectors, substitutes); a whole draw shares one :class:`Assigner`."""
    return Assigner(alg, seed, inspectors, rules).assign(candidate)


def _reasons(reasons: Mapping[str, int]) -> str:
    if not reasons:
        return ""
    return "（排除：" + "，".join(f"{k} {v} 名" for k, v in sorted(reasons.items())) + "）"


# --- method "rfc3797" -------------------------------------------------------------------------


def rfc3797_key(randomness: str) -> bytes:
    """RFC 3797 §4 canonical key: sources separated by "/" in ``randomness``, in each the
    integers separated by blanks; each source's integers sorted ascending, each followed by
    ".", and every source ended by "/". Only integer sources are accepted (a lottery's
    numbers are integers; the RFC's own example uses only integers)."""
    key = ""
    for source in randomness.split("/"):
        values = source.split()
        if not values:
            continue
        if not all(_is_integer(v) for v in values):
            raise BundleError(f"随机数“{source.strip()}”应为以空格分隔的整数（RFC 3797）")
        key += "".join(f"{n}." for n in sorted(int(v) for v in values)) + "/"
    if not key:
        raise BundleError("随机数为空")
    return key.encode("ascii")


def _is_integer(text: str) -> bool:
    return text.isdigit() or (text[:1] == "-" and text[1:].isdigit())


def rfc3797_select(randomness: str, pool_size: int, count: int) -> List[Tuple[int, str]]:
    """RFC 3797 §5: the 1-based positions drawn, in drawing order, with their MD5 values."""
    if not 0 < pool_size <= 65535 or not 0 <= count <= pool_size:
        raise DrawError(
            f"RFC 3797 要求 1 ≤ 候选数 ≤ 65535 且抽取数不超过候选数（{count}/{pool_size}）"
        )
    key = rfc3797_key(randomness)
    remaining = list(range(1, pool_size + 1))
    out: List[Tuple[int, str]] = []
    for i in range(count):
        counter = bytes([(i >> 8) & 0xFF, i & 0xFF])
        value = hashlib.md5(counter + key + counter).digest()  # noqa: S324 - RFC 3797 §5
        out.append((remaining.pop(int.from_bytes(value, "big") % len(remaining)), value.hex()))
    return out


# --- the whole draw ---------------------------------------------------------------------------


def run(
    commitment: Mapping[str, Any],
    randomness: str,
    pool: Sequence[Record],
    inspectors: Sequence[Record] = (),
) -> Record:
    """The result a commitment, its randomness and its pools give (pools in canonical order)."""
    alg = str(commitment["hash_alg"])
    if commitment["method"] == "rfc3797":
        drawn = rfc3797_select(randomness, len(pool), int(commitment["count"]))
        return {"selected": [{"id": pool[p - 1]["id"], "position": p, "md5": h} for p, h in drawn]}
    seed = seed_of(commitment, randomness)
    selected = select(alg, seed, pool, commitment["strata"])
    result: Record = {
        "seed": seed.hex(),
        "selected": [{"id": i, "stratum": s, "rank": r.hex()} for s, i, r in selected],
    }
    rules = commitment.get("assignment")
    if rules:
        by_id = {c["id"]: c for c in pool}
        assigner = Assigner(alg, seed, inspectors, rules)
        tasks = []
        for _, i, _ in selected:
            chosen, substitutes = assigner.assign(by_id[i])
            tasks.append({"id": i, "inspectors": chosen, "substitutes": substitutes})
        result["tasks"] = tasks
    return result


def check_bundle(bundle: Mapping[str, Any]) -> Record:
    """Re-compute a bundle; Mismatch with the reason when it does not verify."""
    try:
        commitment = bundle["commitment"]
        alg = str(commitment["hash_alg"])
        if commitment.get("format") != FORMAT or commitment.get("method") not in METHODS:
            raise BundleError(f"不是 {FORMAT} 格式的抽取承诺")
        pool = list(bundle["pool"])
        inspectors = list(bundle.get("inspectors") or [])
        randomness = str(bundle["randomness"]["value"])
        published = bundle["result"]
        claimed = str(bundle["commitment_digest"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise BundleError(f"抽取包缺少必要内容：{exc}") from exc
    if not hmac.compare_digest(claimed, commitment_digest(commitment)):
        raise Mismatch("承诺摘要与承诺内容不符")
    ids = [r.get("id") if isinstance(r, dict) else None for r in pool + inspectors]
    if not all(isinstance(i, str) for i in ids):
        raise BundleError("名单中有记录缺少编号")
    if [r["id"] for r in pool] != sorted(r["id"] for r in pool):
        raise Mismatch("候选名单未按编号排序")
    if pool_summary(alg, pool) != commitment["pool"]:
        raise Mismatch("候选名单与承诺中的名单（数量或默克尔根）不符")
    assignment = commitment.get("assignment")
    if assignment and pool_summary(alg, inspectors) != assignment["pool"]:
        raise Mismatch("检查人员名单与承诺中的名单（数量或默克尔根）不符")
    try:
        expected = run(commitment, randomness, pool, inspectors)
    except DrawError as exc:
        raise Mismatch(f"按承诺无法完成抽取：{exc}") from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise BundleError(f"抽取包内容不完整：{exc}") from exc
    if canonical(expected) != canonical(published):
        raise Mismatch("公布的抽取结果与重新计算的结果不符")
    return expected


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="验证法治平台公布的随机抽取结果")
    parser.add_argument("bundle", help="抽取包（JSON 文件）")
    args = parser.parse_args(argv)
    try:
        with open(args.bundle, encoding="utf-8") as f:
            bundle = json.load(f)
        if not isinstance(bundle, dict):
            raise BundleError("抽取包应为 JSON 对象")
        result = check_bundle(bundle)
    except (OSError, ValueError) as exc:
        if isinstance(exc, Mismatch):
            print(f"验证失败：{exc}")
            return 1
        print(f"无法验证：{exc}")
        return 2
    print(f"验证通过：抽中 {len(result['selected'])} 个对象，与公布结果一致。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
