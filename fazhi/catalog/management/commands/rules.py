"""`fazhi rules evaluate FACTS.json [--date YYYY-MM-DD]` — the 裁量计算器 on the command line.

JSON in, JSON out (ARCHITECTURE §8): FACTS.json holds the facts of one case (the fields of
``fazhi.rules.lenience.Facts``, at the top level or under ``"facts"``). When it names an
``item_code`` and carries no inline ``item``, the item, its published list entries and its
benchmark are read from the database as in force on the act date (or ``--date``); otherwise the
JSON must carry ``item``/``entries``/``standard`` itself and the database is not read. The
decision (``lenience_json.decision_to_json``) is printed on stdout; a refusal exits non-zero with
a Chinese message on stderr. ``-`` reads FACTS.json from stdin.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.catalog import selectors
from fazhi.core.errors import DomainError
from fazhi.rules.lenience import ItemPenalty, LenienceError
from fazhi.rules.lenience_json import RESERVED_KEYS, evaluate_json, facts_from_json
from fazhi.rules.parameters import ParameterError, default_parameters

MAX_BYTES = 10 * 1024 * 1024  # a FACTS.json is a few KB; refuse to read a stray huge file


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--date 应为日期（如 2024-03-01），收到“{text}”") from exc


def read_facts(source: str) -> dict[str, Any]:
    """FACTS.json from a path (or stdin for "-"), as a JSON object."""
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            path = Path(source)
            if not path.is_file():
                raise CommandError(f"找不到事实文件：{source}")
            with path.open("rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CommandError(f"无法读取事实文件 {source}：{exc.strerror or exc}") from exc
    if len(raw) > MAX_BYTES:
        raise CommandError("事实文件过大（超过 10 MB）")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CommandError("事实文件不是 UTF-8 编码的文本") from exc
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"事实文件不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}"
        ) from exc
    if not isinstance(data, dict):
        raise CommandError("事实文件的顶层应是 JSON 对象（{…}）")
    return data


def evaluate_facts(obj: Mapping[str, Any], on: dt.date | None = None) -> dict[str, Any]:
    """The decision for ``obj``, with the catalog's data when it names an item and no inline one."""
    params = default_parameters()
    inner = obj.get("facts")
    facts_obj = inner if isinstance(inner, Mapping) else obj
    code = facts_obj.get("item_code")
    if not code or obj.get("item") is not None:
        return evaluate_json(obj, params)
    facts = facts_from_json({k: v for k, v in facts_obj.items() if k not in RESERVED_KEYS})
    # 行政处罚法 第三十七条: the lists and benchmarks in force when the act was committed (ended).
    inputs = selectors.rules_inputs(facts.item_code, on or facts.act_end)
    return evaluate_json(
        obj,
        params,
        item=ItemPenalty(inputs.statutory_fine, inputs.penalty_types),
        entries=inputs.entries,
        standard=inputs.standard,
    )


class Command(BaseCommand):
    help = "裁量计算：按行政处罚法、清单和裁量基准计算处理结果和程序要求（JSON 输入输出）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        p: CommandParser = sub.add_parser(
            "evaluate",
            help="计算一个案件的处理",
            description="读取 FACTS.json，输出计算结果 JSON（含逐条审查记录和说理段落）",
        )
        p.add_argument("facts", metavar="FACTS.json", help="事实文件；“-”表示从标准输入读取")
        p.add_argument(
            "--date",
            type=_date,
            default=None,
            help="按该日有效的清单和裁量基准计算（默认违法行为发生或终了之日）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        obj = read_facts(options["facts"])
        try:
            result = evaluate_facts(obj, options["date"])
        except (LenienceError, ParameterError) as exc:
            raise CommandError(str(exc)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
