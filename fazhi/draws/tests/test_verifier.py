"""The draw algorithm and the standalone verifier (no database): RFC 3797's worked example,
determinism, independence from other candidates, selection probabilities, the assignment
rules, refusals that name the constraint, and tampered bundles."""

from __future__ import annotations

import copy
import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.draws import verifier as v

VERIFIER = Path(v.__file__)

# RFC 3797 §6 (the reference code's input and output, richsalz/ietf-rfc3797-code ref.*): a pool
# of 25, three sources of public numbers; the position drawn at each step and its MD5 value.
RFC3797_RANDOMNESS = "9319 / 2 5 12 8 10 / 9 18 26 34 41 45"
RFC3797_EXPECTED = [
    (17, "990DD0A5692A029A98B5E01AA28F3459"),
    (7, "3691E55CB63FCC37914430B2F70B5EC6"),
    (2, "FE814EDF564C190AC1D25753979990FA"),
    (16, "1863CCACEB568C31D7DDBDF1D4E91387"),
    (25, "F4AB33DF4889F0AF29C513905BE1D758"),
    (23, "13EAEB529F61ACFB9A29D0BA3A60DE4A"),
    (8, "992DB77C382CA2BDB9727001F3CDCCD9"),
    (24, "63AB4258ECA922976811C7F55C383CE7"),
    (19, "DFBC5AC97CED01B3A6E348E3CC63F40D"),
    (13, "31CB111C4A4EBE9287CEAE16FE51B909"),
    (22, "07FA46C122F164C215BBC72793B189A3"),
    (5, "AC52F8D75CCBE2E61AFEB3387637D501"),
    (18, "53306F73E14FC0B2FBF434218D25948E"),
    (9, "B5D1403501A81F9A47318BE7893B347C"),
    (1, "85B10B356AA06663EF1B1B407765100A"),
    (4, "3269E6CE559ABD57E2BA6AAB495EB9BD"),
]


def test_rfc3797_worked_example_reproduces_exactly():
    assert v.rfc3797_key(RFC3797_RANDOMNESS) == b"9319./2.5.8.10.12./9.18.26.34.41.45./"
    drawn = v.rfc3797_select(RFC3797_RANDOMNESS, 25, 16)
    assert [(p, h.upper()) for p, h in drawn] == RFC3797_EXPECTED


def test_rfc3797_takes_integer_sources_only():
    assert v.rfc3797_key("7 1 / 30") == b"1.7./30./"
    for bad in ("12abc", "3.14", " / "):
        with pytest.raises(v.BundleError):
            v.rfc3797_key(bad)


# --- building bundles ----------------------------------------------------------------------


def _pool(n: int, strata: int = 3, townships: int = 4, needs=("食品", "特种设备")):
    return v.sorted_records(
        {
            "id": f"E{i:05d}",
            "stratum": f"S{i % strata}",
            "township": f"T{i % townships}",
            "needs": [needs[i % len(needs)]] if needs else [],
        }
        for i in range(n)
    )


def _inspectors(m: int, townships: int = 4, excluded=None, pairings=None):
    quals = (["食品"], ["特种设备"], ["食品", "特种设备"])
    return v.sorted_records(
        {
            "id": f"I{j:03d}",
            "qualifications": quals[j % 3],
            "township": f"T{j % townships}",
            "excluded": sorted((excluded or {}).get(f"I{j:03d}", [])),
            "pairings": (pairings or {}).get(f"I{j:03d}", {}),
        }
        for j in range(m)
    )


def _commitment(pool, quotas, inspectors=None, rules=None, alg="sha256"):
    body = {
        "format": v.FORMAT,
        "hash_alg": alg,
        "method": "ranked",
        "title": "测试抽取",
        "randomness_source": "2024-03-17 双色球开奖号码",
        "pool": v.pool_summary(alg, pool),
        "strata": quotas,
    }
    if inspectors is not None:
        body["assignment"] = {**(rules or {}), "pool": v.pool_summary(alg, inspectors)}
    return body


def _bundle(pool, quotas, randomness="03 07 12 19 25 31 + 09", inspectors=None, rules=None):
    commitment = _commitment(pool, quotas, inspectors, rules)
    return {
        "commitment": commitment,
        "commitment_digest": v.commitment_digest(commitment),
        "randomness": {"value": randomness, "evidence": "https://www.cwl.gov.cn/"},
        "pool": pool,
        "inspectors": inspectors or [],
        "result": v.run(commitment, randomness, pool, inspectors or []),
    }


RULES = {"per_task": 2, "substitutes": 2, "same_township": False, "max_pairings": 1}


@pytest.fixture(scope="module")
def bundle():
    return _bundle(_pool(60), {"S0": 3, "S1": 2, "S2": 1}, inspectors=_inspectors(24), rules=RULES)


# --- the draw -----------------------------------------------------------------------------------


def test_the_draw_is_a_function_of_commitment_and_randomness(bundle):
    again = v.run(
        bundle["commitment"], bundle["randomness"]["value"], bundle["pool"], bundle["inspectors"]
    )
    assert again == bundle["result"]
    other = v.run(
        bundle["commitment"], "03 07 12 19 25 32 + 09", bundle["pool"], bundle["inspectors"]
    )
    assert other["selected"] != bundle["result"]["selected"]
    assert [s["stratum"] for s in bundle["result"]["selected"]] == ["S0"] * 3 + ["S1"] * 2 + ["S2"]


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=5, max_value=80),
    k=st.integers(min_value=1, max_value=5),
    randomness=st.text(min_size=1, max_size=20),
    data=st.data(),
)
def test_removing_a_candidate_not_drawn_changes_nobody_drawn(n, k, randomness, data):
    pool = _pool(n, strata=1, needs=())
    k = min(k, n - 1)
    seed = v.digest("sha256", randomness.encode())
    drawn = v.select("sha256", seed, pool, {"S0": k})
    chosen = {i for _, i, _ in drawn}
    removed = data.draw(st.sampled_from([r["id"] for r in pool if r["id"] not in chosen]))
    smaller = [r for r in pool if r["id"] != removed]
    assert v.select("sha256", seed, smaller, {"S0": k}) == drawn
    # and adding one that ranks below the k-th changes nobody either
    assert len(drawn) == k


def test_each_candidate_is_drawn_with_its_strata_probability():
    """Chi-square over 2,000 fixed seeds: 20 candidates, 5 drawn, so each is expected
    500 times; 19 degrees of freedom, critical value at p = 0.001 is 43.8."""
    pool = _pool(20, strata=1, needs=())
    counts = {r["id"]: 0 for r in pool}
    for s in range(2000):
        seed = hashlib.sha256(f"seed-{s}".encode()).digest()
        for _, i, _ in v.select("sha256", seed, pool, {"S0": 5}):
            counts[i] += 1
    expected = 2000 * 5 / 20
    chi2 = sum((c - expected) ** 2 / expected for c in counts.values())
    assert chi2 < 43.8, (chi2, counts)


def test_a_quota_larger_than_its_stratum_names_the_stratum():
    with pytest.raises(v.DrawError, match="层“S1”只有 1 个候选对象，少于抽取数 2"):
        v.select("sha256", b"s", _pool(3, strata=2, needs=()), {"S0": 1, "S1": 2})


# --- inspector assignment ----------------------------------------------------------------------


def _breaks(task, candidate, inspectors_by_id, rules) -> list[str]:
    """The rules a task breaks, checked here from the rules' own words, not by the code
    under test."""
    found = []
    cid = candidate["id"]
    for key in task["inspectors"] + task["substitutes"]:
        inspector = inspectors_by_id[key]
        if cid in inspector["excluded"]:
            found.append("回避")
        if not rules["same_township"] and inspector["township"] == candidate["township"]:
            found.append("同乡镇")
        if candidate["needs"] and not set(candidate["needs"]) & set(inspector["qualifications"]):
            found.append("资格不符")
        if inspector["pairings"].get(cid, 0) >= rules["max_pairings"]:
            found.append("近期已检查过")
    held = set().union(*(inspectors_by_id[k]["qualifications"] for k in task["inspectors"]))
    if not set(candidate["needs"]) <= held:
        found.append("资格未覆盖")
    if len(set(task["inspectors"])) != rules["per_task"]:
        found.append("人数")
    if set(task["inspectors"]) & set(task["substitutes"]):
        found.append("替补重复")
    return found


def test_assignment_never_breaks_a_rule_over_100000_generated_candidates():
    """100,000 candidates with random relationships, townships, qualifications and earlier
    pairings: every assignment keeps 回避, township, qualification and pairing rules."""
    rng = random.Random(20241128)
    inspectors: list[dict[str, Any]] = []
    for j in range(40):
        inspectors.append(
            {
                "id": f"I{j:03d}",
                "qualifications": rng.sample(
                    ["食品", "药品", "特种设备", "广告"], rng.randint(1, 2)
                ),
                "township": f"T{rng.randrange(13)}",
                "excluded": [],
                "pairings": {},
            }
        )
    pool: list[dict[str, Any]] = []
    for i in range(100_000):
        cid = f"E{i:06d}"
        pool.append(
            {
                "id": cid,
                "stratum": "S",
                "township": f"T{rng.randrange(13)}",
                "needs": rng.sample(["食品", "药品", "特种设备", "广告"], rng.randint(0, 2)),
            }
        )
        for inspector in rng.sample(inspectors, 3):
            inspector["excluded"].append(cid)
        inspector = rng.choice(inspectors)
        inspector["pairings"][cid] = rng.randint(1, 3)
    inspectors = v.sorted_records(inspectors)
    by_id = {r["id"]: r for r in inspectors}
    for record in inspectors:
        record["excluded"] = set(record["excluded"])  # membership is what the rule reads
    rules = {"per_task": 2, "substitutes": 1, "same_township": False, "max_pairings": 2}
    seed = hashlib.sha256(b"assignment").digest()
    assigner = v.Assigner("sha256", seed, inspectors, rules)
    broken = refused = 0
    for candidate in pool:
        try:
            chosen, subs = assigner.assign(candidate)
        except v.DrawError:
            refused += 1
            continue
        broken += bool(
            _breaks({"inspectors": chosen, "substitutes": subs}, candidate, by_id, rules)
        )
    assert broken == 0
    assert refused < 100  # with 40 inspectors nearly every candidate can be served


def test_too_few_eligible_inspectors_names_the_candidate_and_the_reasons():
    pool = [{"id": "E1", "stratum": "S", "township": "T1", "needs": ["食品"]}]
    inspectors = v.sorted_records(
        [
            {"id": "A", "qualifications": ["食品"], "township": "T1", "excluded": []},
            {"id": "B", "qualifications": ["食品"], "township": "T2", "excluded": ["E1"]},
            {"id": "C", "qualifications": ["药品"], "township": "T2", "excluded": []},
            {"id": "D", "qualifications": ["食品"], "township": "T3", "excluded": []},
        ]
    )
    rules = {"per_task": 2, "same_township": False}
    with pytest.raises(v.DrawError) as refused:
        v.assign("sha256", b"seed", pool[0], inspectors, rules)
    message = str(refused.value)
    assert "对象“E1”：可以参加的检查人员只有 1 名，少于每户 2 名" in message
    assert "同乡镇 1 名" in message and "回避 1 名" in message and "资格不符 1 名" in message
    # When the rules leave enough, the same candidate is served.
    chosen, _ = v.assign("sha256", b"seed", pool[0], inspectors, {"per_task": 2})
    assert sorted(chosen) == ["A", "D"]


def test_every_required_qualification_is_covered_when_it_can_be():
    candidate = {"id": "E1", "stratum": "S", "needs": ["食品", "特种设备"]}
    inspectors = v.sorted_records(
        [{"id": f"F{j}", "qualifications": ["食品"]} for j in range(20)]
        + [{"id": "Z", "qualifications": ["特种设备"]}]
    )
    for s in range(50):
        chosen, _ = v.assign("sha256", bytes([s]), candidate, inspectors, {"per_task": 2})
        assert "Z" in chosen and len(chosen) == 2


# --- the verifier ---------------------------------------------------------------------------


def _run_cli(tmp_path: Path, content: bytes) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "bundle.json"
    path.write_bytes(content)
    return subprocess.run(
        [sys.executable, "-I", str(VERIFIER), str(path)],  # -I: no project on the path
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_standalone_verifier_accepts_a_published_bundle(tmp_path, bundle):
    done = _run_cli(tmp_path, json.dumps(bundle, ensure_ascii=False).encode())
    assert done.returncode == 0, done.stdout + done.stderr
    assert "验证通过" in done.stdout


def _tampered(bundle, where: str):
    b = copy.deepcopy(bundle)
    if where == "pool":
        b["pool"][7]["township"] = "T9"
    elif where == "randomness":
        b["randomness"]["value"] = b["randomness"]["value"][:-1] + "8"
    elif where == "result":
        b["result"]["selected"][0]["id"] = b["pool"][-1]["id"]
    elif where == "inspectors":
        b["inspectors"][0]["excluded"] = [b["pool"][0]["id"]]
    elif where == "commitment":
        b["commitment"]["strata"]["S0"] = 2
    return b


@pytest.mark.parametrize("where", ["pool", "randomness", "result", "inspectors", "commitment"])
def test_the_verifier_refuses_a_bundle_changed_anywhere(tmp_path, bundle, where):
    done = _run_cli(tmp_path, json.dumps(_tampered(bundle, where), ensure_ascii=False).encode())
    assert done.returncode == 1, done.stdout
    assert "验证失败" in done.stdout


def _with_section(bundle, section: str, value):
    b = copy.deepcopy(bundle)
    if section == "randomness":
        b["randomness"]["value"] = value
    else:
        b[section] = value
    return b


@pytest.mark.parametrize("section", ["pool", "randomness", "result", "inspectors"])
def test_one_byte_changed_in_a_section_is_refused(bundle, section):
    """Every 7th byte of the section's JSON in turn: whenever the altered bytes still parse
    to something else, the verifier refuses the bundle."""
    original = bundle["randomness"]["value"] if section == "randomness" else bundle[section]
    raw = json.dumps(original, ensure_ascii=False).encode()
    tried = accepted = 0
    for pos in range(0, len(raw), 7):
        changed = bytearray(raw)
        changed[pos] = ord("0") if changed[pos] != ord("0") else ord("1")
        try:
            value = json.loads(bytes(changed))
        except ValueError:
            continue  # no longer JSON: not a bundle at all
        if value == original:
            continue
        tried += 1
        try:
            v.check_bundle(_with_section(bundle, section, value))
        except (v.Mismatch, v.BundleError):
            continue
        accepted += 1
    assert tried > 0 and accepted == 0


def test_a_file_that_is_not_a_bundle_exits_2(tmp_path):
    assert _run_cli(tmp_path, b"[1, 2]").returncode == 2
    assert _run_cli(tmp_path, b"{not json").returncode == 2
