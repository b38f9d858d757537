"""``egovindex score RAW.csv --edition Y [--json | --out FILE.csv|FILE.xlsx]``.

Scores a raw-indicator CSV or ``.xlsx`` workbook (one row per country, see
:func:`egovindex.io.read_raw_csv`; ``--sheet``, ``--decimal ,``) under a UN Survey
edition's methodology and writes ``iso3, tii, hci, osi, epi, egdi, egdi_rank, group,
rating_class`` per country: a table on stdout (default), a JSON list of objects
(``--json``) or a file (``--out``). A bad input file ends with exit code 2 and a message
naming the row, country and column; ``--out`` is then not written (the file is written to
a temporary name and renamed only on success).
"""

from __future__ import annotations

import argparse
import sys
from typing import get_args

from egovindex.cli._output import (
    add_input_options,
    add_out_option,
    decimals_arg,
    emit_json,
    format_table,
    write_out,
)
from egovindex.io.raw_csv import read_raw_csv
from egovindex.io.tables import check_writable
from egovindex.methodologies.un.methodology import UNMissing, UNScores, methodology

__all__ = ["register", "run"]


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
    add_out_option(output)
    add_input_options(parser)
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
        check_writable(args.out, args.raw)
    m = methodology(args.edition, osi_input=args.osi_input)
    panel = read_raw_csv(
        args.raw,
        m,
        missing="error" if args.missing == "error" else "keep",
        sheet=args.sheet,
        decimal=args.decimal,
    )
    result = m.score(panel, missing=args.missing)
    rows = result.to_rows()
    if result.excluded:
        print(
            f"egovindex score: not scored (missing values): {', '.join(result.excluded)}",
            file=sys.stderr,
        )
    if args.out:
        write_out(
            args.out, rows, UNScores.columns(), command="score", inputs=[args.raw], what="countries"
        )
    elif args.json:
        emit_json(rows)
    else:
        print(format_table(rows, UNScores.columns(), digits=args.digits))
    return 0
