"""``egovindex score RAW.csv --edition Y [--json | --out FILE.csv]``.

Scores a raw-indicator CSV (one row per country, see :func:`egovindex.io.read_raw_csv`)
under a UN Survey edition's methodology and writes ``iso3, tii, hci, osi, epi, egdi,
egdi_rank, group, rating_class`` per country: a table on stdout (default), a JSON list of
objects (``--json``) or a CSV file (``--out``). A bad input file ends with exit code 2 and a
message naming the row, country and column; ``--out`` is then not written (the file is
written to a temporary name and renamed only on success).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from typing import get_args

from egovindex.cli._output import decimals_arg, emit_json, format_table
from egovindex.errors import InputError
from egovindex.io.raw_csv import read_raw_csv
from egovindex.methodologies.un.methodology import UNMissing, UNScores, methodology

__all__ = ["register", "run", "write_csv"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``score`` sub-command."""
    parser = subparsers.add_parser(
        "score",
        help="score a raw-indicator CSV under a UN Survey edition",
        description=(
            "Compute TII, HCI, OSI, EPI, EGDI, EGDI rank, level group and rating class "
            "from raw indicators (one row per country, columns named as in "
            "egovindex.methodologies.un.INDICATORS)."
        ),
    )
    parser.add_argument("raw", metavar="RAW.csv", help="raw-indicator CSV with an iso3 column")
    parser.add_argument(
        "--edition", type=int, required=True, metavar="YEAR", help="Survey edition, e.g. 2022"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print a JSON list of objects")
    output.add_argument("--out", metavar="FILE.csv", help="write the results to a CSV file")
    parser.add_argument(
        "--missing",
        choices=get_args(UNMissing),
        default="error",
        help="missing-data rule (default: error; see egovindex.methodologies.un.UNMissing)",
    )
    parser.add_argument(
        "--osi-input",
        choices=("raw", "published"),
        help="OSI from the osi_points column (raw) or the osi_published column (default: "
        "the edition's, published before 2014 and from 2022, methodology A.4.3)",
    )
    parser.add_argument(
        "--digits", type=decimals_arg, default=4, help="decimals in the printed table (default 4)"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read, score and write; errors propagate to :func:`egovindex.cli.main` (exit 2)."""
    if args.out:
        _check_out(args.out)
    m = methodology(args.edition, osi_input=args.osi_input)
    panel = read_raw_csv(args.raw, m, missing="error" if args.missing == "error" else "keep")
    result = m.score(panel, missing=args.missing)
    rows = result.to_rows()
    if result.excluded:
        print(
            f"egovindex score: not scored (missing values): {', '.join(result.excluded)}",
            file=sys.stderr,
        )
    if args.out:
        write_csv(args.out, rows, UNScores.columns())
        print(f"egovindex score: wrote {len(rows)} countries to {args.out}", file=sys.stderr)
    elif args.json:
        emit_json(rows)
    else:
        print(format_table(rows, UNScores.columns(), digits=args.digits))
    return 0


def _check_out(path: str) -> None:
    """Reject an output path that cannot be written, before any work is done."""
    if os.path.isdir(path):
        raise InputError(f"--out {path!r} is a folder; give the name of a CSV file")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError(f"--out {path!r}: the folder {folder!r} does not exist")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back to the same double
    return str(value)


def write_csv(path: str, rows: Sequence[Mapping[str, object]], columns: Sequence[str]) -> None:
    """Write ``rows`` to ``path`` atomically: a temporary file in the same folder, renamed
    only once complete, so a failure never leaves a partial or stale-looking output."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".egovindex-", suffix=".csv.tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_cell(row.get(c)) for c in columns])
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
