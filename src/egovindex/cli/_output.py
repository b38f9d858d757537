"""Output helpers shared by the sub-commands: JSON, plain-text tables and ``--out`` files.

Numbers in JSON are rounded to the precision that means something (:func:`meaningful`:
6 decimals, or 4 significant digits below 0.001; the published indices carry 4 or 5
decimals, methodology A.1.3),
unless a command runs with ``--full-precision`` (every sub-command has the option).
Files written with ``--out`` always hold full precision.
"""

from __future__ import annotations

import argparse
import contextvars
import json
import math
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Literal, TextIO

from egovindex.io.tables import check_writable, write_table

__all__ = [
    "Precision",
    "add_input_options",
    "add_out_option",
    "add_precision_option",
    "clean",
    "decimals_arg",
    "emit_json",
    "flatten",
    "format_table",
    "json_precision",
    "meaningful",
    "write_out",
]

Precision = Literal["meaningful", "full"]
"""How JSON numbers are written: rounded by :func:`meaningful` (default) or in full."""

_PRECISION: contextvars.ContextVar[Precision] = contextvars.ContextVar(
    "egovindex_json_precision", default="meaningful"
)


def meaningful(value: float) -> float:
    """Round ``value`` to 6 decimals, or to 4 significant digits when below 0.001.

    ``0.028189999999999937`` becomes ``0.02819``; ``2.5e-07`` stays ``2.5e-07``.
    """
    if not math.isfinite(value) or value == 0.0:
        return value
    if abs(value) < 1e-3:
        return float(f"{value:.4g}")
    return round(value, 6)


@contextmanager
def json_precision(precision: Precision) -> Iterator[None]:
    """Within the block, :func:`emit_json` writes numbers at ``precision``."""
    if precision not in ("meaningful", "full"):
        raise ValueError(f"unknown precision {precision!r}")
    token = _PRECISION.set(precision)
    try:
        yield
    finally:
        _PRECISION.reset(token)


def add_precision_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--full-precision``: JSON numbers in full instead of :func:`meaningful`."""
    parser.add_argument(
        "--full-precision",
        dest="precision",
        action="store_const",
        const="full",
        default="meaningful",
        help="JSON numbers in full (default: 6 decimals, 4 significant digits below 0.001)",
    )


def add_out_option(parser: argparse.ArgumentParser | Any) -> None:
    """Add ``--out FILE.csv|FILE.xlsx`` (a parser or a mutually exclusive group)."""
    parser.add_argument(
        "--out",
        metavar="FILE.csv|FILE.xlsx",
        help="write the results to a CSV file or an Excel workbook (xlsx extra), in full precision",
    )


def add_input_options(parser: argparse.ArgumentParser, *, decimal: bool = True) -> None:
    """Add ``--sheet NAME`` (the sheet of an ``.xlsx`` input) and ``--decimal {.,,}``."""
    parser.add_argument(
        "--sheet", metavar="NAME", help="sheet of an .xlsx workbook (default: the first)"
    )
    if decimal:
        parser.add_argument(
            "--decimal",
            choices=(".", ","),
            default=".",
            help="decimal mark of the numbers read: '.' (default, strict) or ',' (12,5)",
        )


def flatten(row: Mapping[str, Any]) -> dict[str, Any]:
    """One level of nesting as ``key_sub`` columns (``ranks: {a: 1}`` -> ``rank_a``), as
    :func:`egovindex.frames.columns_of` flattens it; lists as ``"a; b"`` text cells."""
    from egovindex.frames import _flat

    return {
        k: "; ".join(str(x) for x in v) if isinstance(v, list | tuple) else v
        for k, v in _flat(row).items()
    }


def write_out(
    path: str,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
    *,
    command: str,
    inputs: Sequence[str | None] = (),
    what: str = "rows",
) -> None:
    """Write ``rows`` to ``path`` (:func:`egovindex.io.tables.write_table`) and say so on
    stderr; nested values are flattened (:func:`flatten`). ``columns`` defaults to every
    key, in order of first appearance; ``inputs`` are files the command read, which the
    output must not overwrite."""
    check_writable(path, *[i for i in inputs if i and os.path.exists(i)])
    flat = [flatten(r) for r in rows]
    cols = list(columns) if columns is not None else list(dict.fromkeys(k for r in flat for k in r))
    write_table(path, flat, cols)
    print(f"egovindex {command}: wrote {len(flat)} {what} to {path}", file=sys.stderr)


def clean(value: Any, precision: Precision = "full") -> Any:
    """Make ``value`` JSON-safe: NumPy scalars to Python, NaN to ``None``, recursively;
    floats rounded by :func:`meaningful` when ``precision="meaningful"``."""
    if isinstance(value, Mapping):
        return {str(k): clean(v, precision) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v, precision) for v in value]
    if hasattr(value, "tolist"):  # NumPy scalar or array
        return clean(value.tolist(), precision)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return meaningful(value) if precision == "meaningful" else value
    return value


def decimals_arg(text: str) -> int:
    """Argument type of ``--digits``: a whole number of decimals, 0 to 15.

    Raises
    ------
    argparse.ArgumentTypeError
        ``text`` is not such a number (argparse turns it into a usage error, exit code 2).
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= 15:
        raise argparse.ArgumentTypeError(f"decimals must be between 0 and 15, got {value}")
    return value


def emit_json(obj: Any, stream: TextIO | None = None) -> None:
    """Write ``obj`` as indented JSON followed by a newline, numbers at the precision of
    the running command (:func:`json_precision`)."""
    out = stream or sys.stdout
    json.dump(clean(obj, _PRECISION.get()), out, indent=2, ensure_ascii=False, allow_nan=False)
    out.write("\n")


def _cell(value: Any, digits: int) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.{digits}f}"
    return str(value)


def format_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, digits: int = 4
) -> str:
    """Format ``rows`` as an aligned plain-text table with a header line."""
    cells = [[_cell(r.get(c), digits) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    for row in cells:
        lines.append(
            "  ".join(
                v.rjust(w) if _numeric(v) else v.ljust(w) for v, w in zip(row, widths, strict=True)
            ).rstrip()
        )
    return "\n".join(lines)


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
