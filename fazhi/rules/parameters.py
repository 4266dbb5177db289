"""Dated, cited legal parameters loaded from ``fazhi/rules/parameters/<area>.yaml``.

Every number the platform takes from a law (a deadline, a threshold, a rate) lives in a YAML
file, never in code, together with the article it comes from and how sure we are of it
(VERIFIED / PARTIAL / UNVERIFIED, as in the shared LEGAL-RULES.md). Laws change on a known
date, so each parameter keeps every version keyed by its effective date and is always read *at a
date* (usually the date the legal fact happened, see 行政处罚法 第三十七条 从旧兼从轻).

File format (one file per area, the file stem is the area)::

    DECISION_DAYS_FROM_FILING:
      description: 行政处罚案件自立案之日起作出处罚决定的期限
      reference: 《中华人民共和国行政处罚法》(2021修订) 第六十条
      status: VERIFIED
      unit: 日
      quote: 行政机关应当自行政处罚案件立案之日起九十日内作出行政处罚决定。  # optional
      note: ...   # required when status is PARTIAL or UNVERIFIED: what is not verified
      values:
        2021-07-15: 90

This module is pure Python: it must never import Django (see ``tests/test_no_django.py``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeAlias

import yaml

__all__ = [
    "DEFAULT_PARAMETER_DIR",
    "DuplicateParameterError",
    "NotYetEffectiveError",
    "ParamValue",
    "Parameter",
    "ParameterError",
    "ParameterFileError",
    "ParameterSet",
    "ParameterTypeError",
    "ResolvedParameter",
    "Status",
    "UnknownParameterError",
    "Version",
    "default_parameters",
    "format_date_zh",
    "load_parameters",
]

DEFAULT_PARAMETER_DIR = Path(__file__).resolve().parent / "parameters"

# A parameter value is plain data: YAML scalars, lists (stored as tuples) and mappings (stored
# read-only). Floats are converted to Decimal at load time because rates such as the 3% daily
# surcharge (行政处罚法 第七十二条) are applied to money and must not suffer binary rounding.
ParamValue: TypeAlias = (
    int | Decimal | str | bool | tuple["ParamValue", ...] | Mapping[str, "ParamValue"]
)

_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_REQUIRED_KEYS = ("description", "reference", "status", "unit", "values")
_OPTIONAL_KEYS = ("quote", "note")


def format_date_zh(d: date) -> str:
    """``2024-09-30`` -> ``2024年9月30日`` (the form used in Chinese legal documents)."""
    return f"{d.year}年{d.month}月{d.day}日"


class Status(StrEnum):
    """How far a rule was checked against the primary text (legend of LEGAL-RULES.md)."""

    VERIFIED = "VERIFIED"
    PARTIAL = "PARTIAL"
    UNVERIFIED = "UNVERIFIED"

    @property
    def label_zh(self) -> str:
        return {
            Status.VERIFIED: "已核实",
            Status.PARTIAL: "部分核实",
            Status.UNVERIFIED: "未核实",
        }[self]


class ParameterError(Exception):
    """Base class; every message is in Chinese so it can be shown to legal staff as is."""


class ParameterFileError(ParameterError, ValueError):
    """A YAML file does not follow the schema (raised at load time, never later)."""


class DuplicateParameterError(ParameterFileError):
    """The same code is defined twice (codes are unique across all area files)."""


class UnknownParameterError(ParameterError, LookupError):
    """No parameter has this code."""


class NotYetEffectiveError(ParameterError, LookupError):
    """The date asked for is before the parameter's first effective date."""


class ParameterTypeError(ParameterError, TypeError):
    """The value exists but is not of the type the caller asked for."""


@dataclass(frozen=True, slots=True)
class Version:
    """One value of a parameter and the first day it applies."""

    effective_from: date
    value: ParamValue


@dataclass(frozen=True, slots=True)
class ResolvedParameter:
    """A parameter looked up at a date: the value plus everything needed to cite it."""

    code: str
    value: ParamValue
    effective_from: date
    reference: str
    status: Status
    description: str
    unit: str = ""
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Parameter:
    """A parameter with all its dated versions, sorted by effective date."""

    code: str
    area: str
    description: str
    reference: str
    status: Status
    unit: str
    versions: tuple[Version, ...]
    quote: str | None = None
    note: str | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if not self.versions:
            raise ParameterFileError(f"参数“{self.code}”没有任何带生效日期的取值。")
        dates = [v.effective_from for v in self.versions]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ParameterFileError(f"参数“{self.code}”的生效日期必须唯一且按先后排列。")

    @property
    def first_effective(self) -> date:
        return self.versions[0].effective_from

    def version_on(self, on: date) -> Version:
        """The version in force on ``on``: the latest one whose effective date is <= ``on``."""
        found: Version | None = None
        for version in self.versions:
            if version.effective_from <= on:
                found = version
            else:
                break
        if found is None:
            raise NotYetEffectiveError(
                f"参数“{self.code}”（{self.description}）在{format_date_zh(on)}尚未生效："
                f"最早生效日期为{format_date_zh(self.first_effective)}"
                f"（依据：{self.reference}）。"
            )
        return found

    def resolve(self, on: date) -> ResolvedParameter:
        version = self.version_on(on)
        return ResolvedParameter(
            code=self.code,
            value=version.value,
            effective_from=version.effective_from,
            reference=self.reference,
            status=self.status,
            description=self.description,
            unit=self.unit,
            quote=self.quote,
            note=self.note,
        )


@dataclass(frozen=True)
class ParameterSet:
    """All parameters, by code. Immutable; build it with :func:`load_parameters`."""

    parameters: Mapping[str, Parameter] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for code, parameter in self.parameters.items():
            if code != parameter.code:
                raise ParameterFileError(f"参数代码“{code}”与其内容“{parameter.code}”不一致。")
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    @classmethod
    def of(cls, parameters: Iterable[Parameter]) -> ParameterSet:
        by_code: dict[str, Parameter] = {}
        for parameter in parameters:
            if parameter.code in by_code:
                other = by_code[parameter.code]
                raise DuplicateParameterError(
                    f"参数代码“{parameter.code}”重复定义：{other.source} 与 {parameter.source}。"
                )
            by_code[parameter.code] = parameter
        return cls(by_code)

    def __contains__(self, code: object) -> bool:
        return code in self.parameters

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self.parameters.values())

    def __len__(self) -> int:
        return len(self.parameters)

    def codes(self) -> tuple[str, ...]:
        return tuple(sorted(self.parameters))

    def areas(self) -> tuple[str, ...]:
        return tuple(sorted({p.area for p in self.parameters.values()}))

    def in_area(self, area: str) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters.values() if p.area == area)

    def parameter(self, code: str) -> Parameter:
        try:
            return self.parameters[code]
        except KeyError:
            raise UnknownParameterError(f"未知参数代码“{code}”。") from None

    def get(self, code: str, on: date) -> ResolvedParameter:
        """The parameter ``code`` as in force on ``on``, with its citation and status."""
        return self.parameter(code).resolve(on)

    def value(self, code: str, on: date) -> ParamValue:
        return self.get(code, on).value

    def int_value(self, code: str, on: date) -> int:
        value = self.value(code, on)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ParameterTypeError(f"参数“{code}”的取值不是整数：{value!r}。")
        return value

    def decimal_value(self, code: str, on: date) -> Decimal:
        value = self.value(code, on)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise ParameterTypeError(f"参数“{code}”的取值不是数值：{value!r}。")
        return Decimal(value)

    def str_value(self, code: str, on: date) -> str:
        value = self.value(code, on)
        if not isinstance(value, str):
            raise ParameterTypeError(f"参数“{code}”的取值不是文本：{value!r}。")
        return value

    def mapping_value(self, code: str, on: date) -> Mapping[str, ParamValue]:
        value = self.value(code, on)
        if not isinstance(value, Mapping):
            raise ParameterTypeError(f"参数“{code}”的取值不是映射：{value!r}。")
        return value


# --- loading -----------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys.

    PyYAML silently keeps the last of two equal keys. In a legal table that would hide a
    duplicated code or two versions with the same effective date, so we refuse instead.
    """


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise ParameterFileError(f"YAML 键“{key}”重复（第{key_node.start_mark.line + 1}行）。")
        result[key] = loader.construct_object(value_node, deep=True)
    return result


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _convert_value(raw: object, where: str) -> ParamValue:
    if isinstance(raw, bool | int | str):
        return raw
    if isinstance(raw, float):
        # repr() gives the shortest string that round-trips, so 0.03 -> Decimal("0.03").
        return Decimal(repr(raw))
    if isinstance(raw, list):
        return tuple(_convert_value(item, where) for item in raw)
    if isinstance(raw, dict):
        converted: dict[str, ParamValue] = {}
        for key, item in raw.items():
            if not isinstance(key, str):
                raise ParameterFileError(f"{where}：映射的键必须是文本，收到 {key!r}。")
            converted[key] = _convert_value(item, where)
        return MappingProxyType(converted)
    raise ParameterFileError(f"{where}：不支持的取值 {raw!r}（不得为空值或日期时间）。")


def _parse_effective_date(raw: object, where: str) -> date:
    # YAML turns ``2021-07-15`` into a date already; quoted keys arrive as strings.
    if isinstance(raw, datetime):
        raise ParameterFileError(f"{where}：生效日期只能是日期，不能带时刻：{raw!r}。")
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise ParameterFileError(f"{where}：生效日期必须写作 YYYY-MM-DD，收到 {raw!r}。")


def _required_text(spec: Mapping[str, object], key: str, where: str) -> str:
    raw = spec.get(key)
    if not isinstance(raw, str) or not raw.strip():
        raise ParameterFileError(f"{where}：缺少“{key}”或其不是非空文本。")
    return raw.strip()


def _optional_text(spec: Mapping[str, object], key: str, where: str) -> str | None:
    raw = spec.get(key)
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise ParameterFileError(f"{where}：“{key}”必须是非空文本。")
    return raw.strip()


def _parse_parameter(code: object, spec: object, area: str, source: str) -> Parameter:
    if not isinstance(code, str) or not _CODE_RE.match(code):
        raise ParameterFileError(
            f"{source}：参数代码 {code!r} 不合法（字母开头，仅含字母数字下划线）。"
        )
    where = f"{source} 参数“{code}”"
    if not isinstance(spec, dict):
        raise ParameterFileError(f"{where}：定义必须是映射。")
    unknown = sorted(set(spec) - set(_REQUIRED_KEYS) - set(_OPTIONAL_KEYS))
    if unknown:
        raise ParameterFileError(f"{where}：未知字段 {', '.join(map(str, unknown))}。")

    description = _required_text(spec, "description", where)
    reference = _required_text(spec, "reference", where)
    unit = _required_text(spec, "unit", where)
    quote = _optional_text(spec, "quote", where)
    note = _optional_text(spec, "note", where)

    raw_status = spec.get("status")
    try:
        status = Status(str(raw_status))
    except ValueError:
        allowed = " / ".join(s.value for s in Status)
        raise ParameterFileError(
            f"{where}：status 必须是 {allowed}，收到 {raw_status!r}。"
        ) from None
    if status is not Status.VERIFIED and note is None:
        # Anything not checked character by character must say what is uncertain, so a
        # reviewer knows what to confirm before relying on it (LEGAL-RULES legend).
        raise ParameterFileError(
            f"{where}：状态为 {status.value} 的参数必须用 note 说明未核实之处。"
        )

    raw_values = spec.get("values")
    if not isinstance(raw_values, dict) or not raw_values:
        raise ParameterFileError(f"{where}：values 必须至少包含一个“生效日期: 取值”。")
    versions = sorted(
        (
            Version(_parse_effective_date(key, where), _convert_value(value, where))
            for key, value in raw_values.items()
        ),
        key=lambda v: v.effective_from,
    )
    return Parameter(
        code=code,
        area=area,
        description=description,
        reference=reference,
        status=status,
        unit=unit,
        versions=tuple(versions),
        quote=quote,
        note=note,
        source=source,
    )


def load_file(path: Path) -> tuple[Parameter, ...]:
    """Parse and validate one ``<area>.yaml`` file."""
    source = path.name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise ParameterFileError(f"{source}：YAML 语法错误：{exc}") from exc
    if not isinstance(data, dict) or not data:
        raise ParameterFileError(f"{source}：文件必须是“参数代码: 定义”的非空映射。")
    return tuple(_parse_parameter(code, spec, path.stem, source) for code, spec in data.items())


def load_parameters(dir: Path | str | None = None) -> ParameterSet:
    """Load every ``*.yaml`` file in ``dir`` (default: ``fazhi/rules/parameters``).

    All validation happens here, so a broken file fails at start-up, not in the middle of
    computing someone's deadline.
    """
    directory = DEFAULT_PARAMETER_DIR if dir is None else Path(dir)
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise ParameterFileError(f"目录 {directory} 中没有参数文件（*.yaml）。")
    parameters: list[Parameter] = []
    for path in files:
        parameters.extend(load_file(path))
    return ParameterSet.of(parameters)


@functools.cache
def default_parameters() -> ParameterSet:
    """The packaged parameters, loaded once (a ParameterSet is immutable, so sharing is safe)."""
    return load_parameters()
