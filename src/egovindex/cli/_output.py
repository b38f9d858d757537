"""Output helpers shared by the sub-commands: JSON and plain-text tables."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

__all__ = ["clean", "decimals_arg", "emit_json", "format_table"]


def clean(value: Any) -> Any:
    """Make ``value`` JSON-safe: NumPy scalars to Python, NaN to ``None``, recursively."""
    if isinstance(value, Mapping):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if hasattr(value, "tolist"):  # NumPy scalar or array
        return clean(value.tolist())
    if isinstance(value, float) and math.isnan(value):
        return None
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
    """Write ``obj`` as indented JSON followed by a newline."""
    out = stream or sys.stdout
    json.dump(clean(obj), out, indent=2, ensure_ascii=False, allow_nan=False)
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
