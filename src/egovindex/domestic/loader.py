"""Read frameworks from TOML: the built-in ones shipped with the package, or a user's file.

The schema (documented with an annotated example in ``docs/domestic.md``)::

    [framework]            name, title, country, entity, version, years, status,
                           methodology, sources, notes, normalise_weights, format
    [total]                code, label, weights, aggregation, zeros, rank_method,
                           rank_digits, max_points, levels, status, note
    [[pillars]]            code, label, weight, weights, aggregation, zeros,
                           max_points, components, status, note
    [[indicators]]         code, label, pillar, normalisation, max_points, goalposts,
                           bounds, unit, direction, weight, optional, components,
                           status, note
    [options.NAME]         default, status, doc
    [options.NAME.choices] CHOICE = { code = weight, ... }

A malformed file raises :class:`~egovindex.errors.FrameworkError` naming the file, the
line and the key: the line of a TOML syntax error comes from the parser; for a
semantic error (an unknown key, a wrong type, weights that do not sum to one) the
loader finds the key's line by scanning the text.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from egovindex.domestic.declaration import KeyPath, format_key, framework_error
from egovindex.domestic.framework import (
    Framework,
    IndicatorSpec,
    Pillar,
    TotalSpec,
    WeightOption,
)
from egovindex.errors import FrameworkError, UnknownIndexError, nearest

__all__ = ["builtin_frameworks", "load_framework", "parse_framework"]

_FORMAT = 1

_KEYS: dict[str, tuple[str, ...]] = {
    "": ("framework", "total", "pillars", "indicators", "options"),
    "framework": (
        "name",
        "title",
        "country",
        "entity",
        "version",
        "years",
        "status",
        "methodology",
        "sources",
        "notes",
        "normalise_weights",
        "format",
    ),
    "total": (
        "code",
        "label",
        "weights",
        "aggregation",
        "zeros",
        "rank_method",
        "rank_digits",
        "max_points",
        "levels",
        "status",
        "note",
    ),
    "pillars": (
        "code",
        "label",
        "weight",
        "weights",
        "aggregation",
        "zeros",
        "max_points",
        "components",
        "status",
        "note",
    ),
    "indicators": (
        "code",
        "label",
        "pillar",
        "normalisation",
        "max_points",
        "goalposts",
        "bounds",
        "unit",
        "direction",
        "weight",
        "optional",
        "components",
        "status",
        "note",
    ),
    "option": ("default", "choices", "status", "doc"),
}


def _package_dir() -> Any:
    return resources.files("egovindex.domestic") / "frameworks"


def builtin_frameworks() -> tuple[str, ...]:
    """Names of the frameworks shipped with the package, sorted."""
    return tuple(
        sorted(
            p.name.removesuffix(".toml")
            for p in _package_dir().iterdir()
            if p.name.endswith(".toml")
        )
    )


def load_framework(source: str | os.PathLike[str]) -> Framework:
    """Load a framework by built-in name (``"vn-dti-province-2022"``) or from a TOML file.

    A string naming no built-in framework is read as a path when it ends in ``.toml``
    or contains a path separator.

    Raises
    ------
    UnknownIndexError
        Neither a built-in name nor an existing file (the message lists the built-in
        names and suggests the nearest).
    FrameworkError
        The file is malformed; the message names the file, line and key.
    """
    text = str(source)
    if isinstance(source, str) and text in builtin_frameworks():
        return _builtin(text)
    path = Path(source)
    looks_like_path = not isinstance(source, str) or text.endswith(".toml") or "/" in text
    looks_like_path = looks_like_path or os.sep in text
    if not looks_like_path or not path.is_file():
        names = builtin_frameworks()
        hint = nearest(text, names)
        raise UnknownIndexError(
            (f"no framework file {text!r}" if looks_like_path else f"unknown framework {text!r}")
            + (f"; did you mean {', '.join(hint)}?" if hint else "")
            + f" (built-in: {', '.join(names)}; or give the path of a .toml file)"
        )
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FrameworkError(f"{path}: not UTF-8 text ({exc.reason})") from None
    return parse_framework(content, origin=str(path))


@cache
def _builtin(name: str) -> Framework:
    text = (_package_dir() / f"{name}.toml").read_text(encoding="utf-8")
    return parse_framework(text, origin=f"built-in framework {name}")


def parse_framework(text: str, *, origin: str = "<string>") -> Framework:
    """Build a :class:`~egovindex.domestic.framework.Framework` from TOML text.

    ``origin`` names the source in error messages (a file path).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _decode_line(str(exc))
        where = f"{origin}, line {line}" if line else origin
        raise FrameworkError(
            f"{where}: not valid TOML: {_decode_message(str(exc))}", line=line
        ) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise FrameworkError(
            f"{origin}: not valid TOML: arrays or tables nested too deeply"
        ) from None
    try:
        return _build(data)
    except FrameworkError as exc:
        path: KeyPath = exc.key_path
        line = _line_of(text, path) if path else None
        where = origin + (f", line {line}" if line else "")
        key = f", key {format_key(path)}" if path else ""
        raise FrameworkError(f"{where}{key}: {exc}", key_path=path, line=line) from None


def _decode_line(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


def _decode_message(message: str) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or message


# -- building ------------------------------------------------------------------------


def _build(data: Mapping[str, Any]) -> Framework:
    _only(data, "", ())
    meta = _table(data, "framework", required=True)
    _only(meta, "framework", ("framework",))
    fmt = _int(meta, "format", ("framework",), default=_FORMAT)
    if fmt != _FORMAT:
        raise framework_error(
            f"format {fmt} is not supported (this version reads format {_FORMAT})",
            "framework",
            "format",
        )
    total_t = _table(data, "total", required=True)
    _only(total_t, "total", ("total",))
    total = TotalSpec(
        code=_str(total_t, "code", ("total",), default="total"),
        label=_str(total_t, "label", ("total",), default=""),
        weights=_str(total_t, "weights", ("total",), default="explicit"),
        aggregation=_str(total_t, "aggregation", ("total",), default="arithmetic"),
        zeros=_str(total_t, "zeros", ("total",), default="error"),
        rank_method=_str(total_t, "rank_method", ("total",), default="competition"),
        rank_digits=_int(total_t, "rank_digits", ("total",), default=None),
        max_points=_num(total_t, "max_points", ("total",)),
        levels=_levels(total_t),
        status=_str(total_t, "status", ("total",), default="CONFIRMED"),
        note=_str(total_t, "note", ("total",), default=""),
    )
    pillars = [_pillar(p, i) for i, p in enumerate(_array(data, "pillars"))]
    indicators = [_indicator(t, i) for i, t in enumerate(_array(data, "indicators"))]
    if not indicators:
        raise framework_error("the file declares no [[indicators]]", "indicators")
    options = [_option(name, t) for name, t in _table(data, "options", required=False).items()]
    return Framework(
        name=_str(meta, "name", ("framework",)),
        title=_str(meta, "title", ("framework",)),
        total=total,
        indicators=indicators,
        pillars=pillars,
        options=options,
        country=_str(meta, "country", ("framework",), default=""),
        entity=_str(meta, "entity", ("framework",), default="entity"),
        version=_str(meta, "version", ("framework",), default=""),
        years=_int_list(meta, "years", ("framework",)),
        status=_str(meta, "status", ("framework",), default="CONFIRMED"),
        methodology=_str(meta, "methodology", ("framework",), default=""),
        sources=_str_list(meta, "sources", ("framework",)),
        notes=_str(meta, "notes", ("framework",), default=""),
        normalise_weights=_bool(meta, "normalise_weights", ("framework",), default=False),
    )


def _pillar(t: Mapping[str, Any], i: int) -> Pillar:
    at: KeyPath = ("pillars", i)
    _only(t, "pillars", at)
    return Pillar(
        code=_str(t, "code", at),
        label=_str(t, "label", at, default=""),
        weight=_num(t, "weight", at),
        weights=_str(t, "weights", at, default="explicit"),
        aggregation=_str(t, "aggregation", at, default="arithmetic"),
        zeros=_str(t, "zeros", at, default="error"),
        max_points=_num(t, "max_points", at),
        components=_int(t, "components", at, default=None),
        status=_str(t, "status", at, default="CONFIRMED"),
        note=_str(t, "note", at, default=""),
    )


def _indicator(t: Mapping[str, Any], i: int) -> IndicatorSpec:
    at: KeyPath = ("indicators", i)
    _only(t, "indicators", at)
    direction = _str(t, "direction", at, default="higher")
    if direction not in ("higher", "lower"):
        raise framework_error(
            f"direction must be 'higher' or 'lower', got {direction!r}", *at, "direction"
        )
    goalposts = _pair(t, "goalposts", at, finite=True)
    bounds = _pair(t, "bounds", at, finite=False)
    return IndicatorSpec(
        code=_str(t, "code", at),
        label=_str(t, "label", at, default=""),
        pillar=_str(t, "pillar", at, default=None),
        normalisation=_str(t, "normalisation", at, default="score"),
        max_points=_num(t, "max_points", at),
        goalposts=None if goalposts is None else (float(goalposts[0]), float(goalposts[1])),
        bounds=None if bounds is None else tuple(None if math.isinf(b) else b for b in bounds),
        unit=_str(t, "unit", at, default="dimensionless"),
        direction=direction,
        weight=_num(t, "weight", at),
        optional=_bool(t, "optional", at, default=False),
        components=_int(t, "components", at, default=None),
        status=_str(t, "status", at, default="CONFIRMED"),
        note=_str(t, "note", at, default=""),
    )


def _levels(t: Mapping[str, Any]) -> dict[str, float]:
    value = t.get("levels", {})
    ok = isinstance(value, Mapping) and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()
    )
    if not ok:
        raise framework_error(
            f"levels must be a table of label = lower threshold, got {value!r}", "total", "levels"
        )
    return {str(k): float(v) for k, v in value.items()}


def _option(name: str, t: Any) -> WeightOption:
    at: KeyPath = ("options", name)
    if not isinstance(t, Mapping):
        raise framework_error(f"options.{name} must be a table", *at)
    _only(t, "option", at)
    raw = t.get("choices")
    if not isinstance(raw, Mapping) or not raw:
        raise framework_error(f"option {name!r} needs a [options.{name}.choices] table", *at)
    choices: dict[str, dict[str, float]] = {}
    for choice, ws in raw.items():
        key = (*at, "choices", choice)
        if not isinstance(ws, Mapping):
            raise framework_error(
                f"choice {choice!r} must be a table of code = weight, got {ws!r}", *key
            )
        choices[choice] = {}
        for code, w in ws.items():
            if isinstance(w, bool) or not isinstance(w, int | float):
                raise framework_error(
                    f"choice {choice!r}: weight of {code!r} must be a number, got {w!r}", *key
                )
            choices[choice][code] = float(w)
    return WeightOption(
        name=name,
        default=_str(t, "default", at),
        choices=choices,
        status=_str(t, "status", at, default="CONFIRMED"),
        doc=_str(t, "doc", at, default=""),
    )


# -- typed access with key paths --------------------------------------------------------

_MISSING = object()


def _only(t: Mapping[str, Any], kind: str, at: KeyPath) -> None:
    allowed = _KEYS[kind]
    for key in t:
        if key not in allowed:
            hint = nearest(key, allowed)
            raise framework_error(
                f"unknown key {key!r}"
                + (f"; did you mean {', '.join(hint)}?" if hint else "")
                + f" (allowed: {', '.join(allowed)})",
                *at,
                key,
            )


def _get(t: Mapping[str, Any], key: str, at: KeyPath, default: Any) -> Any:
    value = t.get(key, _MISSING)
    if value is _MISSING:
        if default is _MISSING:
            raise framework_error(f"missing required key {key!r}", *at, key)
        return default
    return value


def _str(t: Mapping[str, Any], key: str, at: KeyPath, default: Any = _MISSING) -> Any:
    value = _get(t, key, at, default)
    if value is not default and not isinstance(value, str):
        raise framework_error(f"{key} must be a string, got {value!r}", *at, key)
    return value


def _num(t: Mapping[str, Any], key: str, at: KeyPath) -> float | None:
    value = t.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise framework_error(f"{key} must be a number, got {value!r}", *at, key)
    return float(value)


def _int(t: Mapping[str, Any], key: str, at: KeyPath, default: int | None) -> int | None:
    value = t.get(key, default)
    if value is default:
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise framework_error(f"{key} must be an integer, got {value!r}", *at, key)
    return value


def _bool(t: Mapping[str, Any], key: str, at: KeyPath, default: bool) -> bool:
    value = t.get(key, default)
    if not isinstance(value, bool):
        raise framework_error(f"{key} must be true or false, got {value!r}", *at, key)
    return value


def _str_list(t: Mapping[str, Any], key: str, at: KeyPath) -> tuple[str, ...]:
    value = t.get(key, [])
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise framework_error(f"{key} must be a list of strings, got {value!r}", *at, key)
    return tuple(value)


def _int_list(t: Mapping[str, Any], key: str, at: KeyPath) -> tuple[int, ...]:
    value = t.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        raise framework_error(f"{key} must be a list of integers, got {value!r}", *at, key)
    return tuple(value)


def _pair(
    t: Mapping[str, Any], key: str, at: KeyPath, *, finite: bool
) -> tuple[float, float] | None:
    value = t.get(key)
    if value is None:
        return None
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    )
    if not ok or any(math.isnan(v) for v in value):
        raise framework_error(f"{key} must be two numbers [lower, upper], got {value!r}", *at, key)
    if finite and not all(math.isfinite(v) for v in value):
        raise framework_error(f"{key} must be finite, got {value!r}", *at, key)
    return (float(value[0]), float(value[1]))


def _table(data: Mapping[str, Any], key: str, *, required: bool) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        if required:
            raise framework_error(f"missing [{key}] table", key)
        return {}
    if not isinstance(value, Mapping):
        raise framework_error(f"{key} must be a table ([{key}]), got {value!r}", key)
    return value


def _array(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise framework_error(f"{key} must be an array of tables ([[{key}]])", key)
    return value


# -- finding a key's line ----------------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")


def _norm_table(name: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


def _targets(path: KeyPath) -> list[tuple[str | None, int | None, str | None]]:
    """(table, array index, key) places to look for ``path``, most precise first."""
    head = path[0]
    if head in ("pillars", "indicators"):
        index = path[1] if len(path) > 1 and isinstance(path[1], int) else 0
        key = str(path[2]) if len(path) > 2 else None
        return [(str(head), index, key), (str(head), index, None)]
    if head == "options" and len(path) > 1:
        name = str(path[1])
        out: list[tuple[str | None, int | None, str | None]] = []
        if len(path) > 3 and path[2] == "choices":
            out.append((f"options.{name}.choices", None, str(path[3])))
            out.append((f"options.{name}", None, "choices"))
        elif len(path) > 2:
            out.append((f"options.{name}", None, str(path[2])))
        out.append((f"options.{name}", None, None))
        return out
    if head in ("framework", "total", "options"):
        key = str(path[1]) if len(path) > 1 else None
        return [(str(head), None, key), (str(head), None, None)]
    # An unknown top-level key may be a key or a table header ([name] or [[name]]).
    return [(None, None, str(head)), (str(head), None, None), (str(head), 0, None)]


def _line_of(text: str, path: KeyPath) -> int | None:
    """The 1-based line of ``path`` in the TOML ``text`` (best effort), or ``None``."""
    lines = text.splitlines()
    for table, index, key in _targets(path):
        current: str | None = None
        counts: dict[str, int] = {}
        position: int | None = None
        for n, line in enumerate(lines, 1):
            m = _HEADER.match(line)
            if m:
                current = _norm_table(m.group(2))
                if m.group(1) == "[[":
                    counts[current] = counts.get(current, -1) + 1
                    position = counts[current]
                else:
                    position = None
                if key is None and current == table and position == index:
                    return n
                continue
            if (
                key is not None
                and current == table
                and position == index
                and re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line)
            ):
                return n
    return None
