"""`fazhi rules evaluate FACTS.json [--date]`: JSON in, the decision as JSON out, the item's
lists and benchmark read from the database when the facts name an item, non-zero on refusal."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.catalog.testing import CatalogCast, build_catalog
from fazhi.core.testing import Cast, build_cast

FACTS = {
    "item_code": "SCJ-CF-001",
    "act_date": "2024-03-01",
    "discovered_date": "2024-04-01",
    "party_kind": "organization",
    "harm": "minor",
    "corrected_in_time": True,
}
ORDINARY = {**FACTS, "harm": "ordinary", "severity": "serious", "corrected_in_time": False}


@pytest.fixture
def catalog(cast: Cast) -> CatalogCast:
    return build_catalog(cast)


def write(tmp_path: Path, data: Any, name: str = "facts.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def evaluate(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("rules", "evaluate", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_items_list_entry_and_benchmark_come_from_the_database(catalog, tmp_path):
    decision = evaluate(write(tmp_path, FACTS))
    assert decision["treatment"] == "no_penalty"
    assert decision["mandatory_label"] == "可以"
    assert [(e["list_title"], e["number"]) for e in decision["applied_entries"]] == [
        ("《测试县市场监督管理局首违不罚事项清单》(2024年版)", 1)
    ]
    assert "不予行政处罚" in decision["paragraph"]
    ordinary = evaluate(write(tmp_path, ORDINARY))
    # The published benchmark's 一般/情节较重 tier narrows the statutory 10000–100000 yuan.
    assert (ordinary["fine_range"]["minimum"], ordinary["fine_range"]["maximum"]) == (
        "30000",
        "70000",
    )


def test_date_picks_the_lists_and_benchmark_in_force_then(catalog, tmp_path):
    # Before 2024-01-01 neither the list nor the benchmark was in force.
    ordinary = evaluate(write(tmp_path, ORDINARY), "--date", "2023-06-01")
    assert (ordinary["fine_range"]["minimum"], ordinary["fine_range"]["maximum"]) == (
        "10000",
        "100000",
    )
    first = evaluate(write(tmp_path, FACTS), "--date", "2023-06-01")
    assert first["applied_entries"] == []
    # 第三十三条第一款 itself still allows it: the list only adds its citation.
    assert first["treatment"] == "no_penalty"


def test_inline_data_needs_no_database(db, tmp_path):
    facts: dict[str, Any] = {
        "facts": {"act_date": "2024-03-01", "discovered_date": "2024-04-01", "harm": "none"},
        "item": {"statutory_fine": {"minimum": "1000", "maximum": "5000"}},
        "entries": [
            {
                "kind": "reduced",
                "list_title": "《某减轻处罚清单》",
                "number": 3,
                "item_code": "X-1",
                "violation": "某违法行为",
                "legal_basis": "《中华人民共和国行政处罚法》第三十二条",
                "conditions": {"max_harm": "minor"},
            }
        ],
    }
    facts["facts"]["item_code"] = "X-1"
    path = write(tmp_path, facts)
    with CaptureQueriesContext(connection) as queries:
        decision = evaluate(path)
    assert len(queries) == 0
    assert decision["treatment"] == "reduced"
    assert decision["applied_entries"][0]["number"] == 3


def test_facts_from_stdin(catalog, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(json.dumps(FACTS).encode())))
    assert evaluate("-")["treatment"] == "no_penalty"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "事实文件不是有效的 JSON：第1行第2列"),
        ("[1, 2]", "事实文件的顶层应是 JSON 对象"),
        (json.dumps({**FACTS, "harm": "huge"}), "字段“harm”的取值“huge”无效"),
        (json.dumps({**FACTS, "act_date": "2019-01-01"}), "第三十七条比较新旧规定"),
        (json.dumps({**FACTS, "item_code": "NO-SUCH"}), "执法事项NO-SUCH不存在或已停用"),
    ],
)
def test_refusals_are_chinese_command_errors(catalog, tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        evaluate(write(tmp_path, content))


def test_missing_file_and_bad_date(db, tmp_path):
    with pytest.raises(CommandError, match="找不到事实文件"):
        evaluate(str(tmp_path / "none.json"))
    with pytest.raises(CommandError, match="--date 应为日期"):
        evaluate(write(tmp_path, FACTS), "--date", "2024-13-01")


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def run_fazhi(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script as a separate process, on the test database."""
    script = Path(settings.BASE_DIR) / ".venv" / "bin" / "fazhi"
    if not script.exists():
        script = Path(sys.executable).parent / "fazhi"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
    }
    return subprocess.run(
        [str(script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )


def test_the_console_script_prints_json_and_exits_non_zero_on_refusal(transactional_db, tmp_path):
    build_catalog(build_cast())  # committed, so the child process sees it
    ok = run_fazhi("rules", "evaluate", write(tmp_path, FACTS))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["treatment"] == "no_penalty"
    refused = run_fazhi("rules", "evaluate", write(tmp_path, {**FACTS, "harm": "huge"}, "bad.json"))
    assert refused.returncode != 0
    assert "字段“harm”的取值“huge”无效" in refused.stderr
    assert refused.stdout == ""
