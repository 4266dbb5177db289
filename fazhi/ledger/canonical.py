"""Canonical JSON of ledger entries: sorted keys, UTF-8, no insignificant whitespace."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

JSONValue = Any


def to_json_value(value: object) -> JSONValue:
    """Plain JSON types only: dates and decimals become strings so every database
    round-trips them byte-identically (floats are refused: they do not)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise TypeError("日志内容不接受浮点数，请使用 Decimal 或字符串")
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [to_json_value(v) for v in value]
    raise TypeError(f"日志内容不支持的类型：{type(value).__name__}")


def canonical_json(value: object) -> str:
    return json.dumps(
        to_json_value(value), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
