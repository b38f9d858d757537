"""``egovindex domestic FRAMEWORK DATA.csv [--json]``: score entities on a domestic framework.

FRAMEWORK is a built-in name (``egovindex domestic --list``) or the path of a TOML file
(see ``docs/domestic.md``). DATA.csv has an ``entity`` column, an optional ``group``
column (ranks are then within groups) and one column per indicator. The output has, per
entity, each indicator and pillar, the total and the rank: a table (default) or a JSON
list of objects with keys ``entity``, ``total``, ``rank``, one per indicator and pillar,
and ``ranks`` (the rank of each indicator and pillar).
"""

from __future__ import annotations

import argparse
import os
from typing import get_args

from egovindex.cli._output import (
    add_input_options,
    add_out_option,
    decimals_arg,
    emit_json,
    format_table,
    write_out,
)
from egovindex.domestic.framework import Framework
from egovindex.domestic.io import read_data, read_merge
from egovindex.domestic.loader import builtin_frameworks, load_framework
from egovindex.domestic.merge import MergeRule
from egovindex.errors import InputError, MissingDataError
from egovindex.io.tables import check_writable

__all__ = ["register", "run"]

_MAX_SHOWN = 12


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``domestic`` sub-command."""
    parser = subparsers.add_parser(
        "domestic",
        help="score provinces or ministries on a domestic framework (DTI, ICT Index, ...)",
        description=(
            "Score entities on a domestic framework: a built-in name such as "
            "vn-dti-province-2022 (see --list) or a TOML file. DATA.csv holds an 'entity' "
            "column, an optional 'group' column and one column per indicator."
        ),
    )
    parser.add_argument("framework", nargs="?", metavar="FRAMEWORK", help="built-in name or .toml")
    parser.add_argument("data", nargs="?", metavar="DATA.csv", help="one row per entity")
    parser.add_argument("--list", action="store_true", help="list the built-in frameworks")
    parser.add_argument(
        "--input",
        choices=("score", "points"),
        default="score",
        help="indicator values are scores in [0, 1] (default) or earned points",
    )
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=CHOICE",
        help="choose a named option of the framework, e.g. ict_index_total=mean_of_four",
    )
    weights = parser.add_mutually_exclusive_group()
    weights.add_argument(
        "--weights",
        metavar="CODE=W,...",
        help="weights for pillars or indicators (each group listed in full)",
    )
    weights.add_argument(
        "--equal-weights",
        action="store_true",
        help="equal weights wherever the framework leaves them unknown (UNCONFIRMED)",
    )
    parser.add_argument(
        "--normalise-weights",
        action="store_true",
        help="divide the --weights of each group by their sum",
    )
    _add_scoring_options(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON list of objects")
    add_out_option(parser)
    add_input_options(parser)
    parser.add_argument(
        "--digits", type=decimals_arg, default=4, help="decimals in the printed table (default 4)"
    )
    parser.set_defaults(func=run)


def _add_scoring_options(parser: argparse.ArgumentParser) -> None:
    """The options on missing values and merged entities."""
    parser.add_argument(
        "--missing",
        choices=("error", "available", "assessed"),
        default="error",
        help="missing values: an error (default), average the available children, or "
        "points found over points assessed (LOSI)",
    )
    parser.add_argument(
        "--merge",
        metavar="MAPPING.csv",
        help="score merged entities: columns entity,merged_into and an optional weight",
    )
    parser.add_argument(
        "--merge-rule",
        choices=get_args(MergeRule),
        default="mean_of_indicators",
        help="mean of the indicators then the index (default, the 2024 DTI round) or mean "
        "of every score",
    )


def run(args: argparse.Namespace) -> int:
    """Load, read, score and print; errors propagate to :func:`egovindex.cli.main`."""
    if args.list:
        _list(args.json)
        return 0
    if args.framework is None or args.data is None:
        raise InputError("give FRAMEWORK and DATA.csv (or --list for the built-in frameworks)")
    if args.out:
        check_writable(args.out, args.data, *([args.merge] if args.merge else []))
    framework = load_framework(args.framework)
    data = read_data(args.data, framework, input=args.input, sheet=args.sheet, decimal=args.decimal)
    weights: dict[str, float] | str | None = None
    if args.equal_weights:
        weights = "equal"
    elif args.weights:
        weights = {k: _number(v) for k, v in _pairs(args.weights.split(","), "--weights").items()}
    options = _pairs(args.option, "--option")
    merge = (
        read_merge(args.merge, rule=args.merge_rule, decimal=args.decimal) if args.merge else None
    )
    try:
        result = data.score(
            options=options,
            weights=weights,
            normalise_weights=args.normalise_weights,
            missing=args.missing,
            merge=merge,
        )
    except MissingDataError as exc:
        # name the file, and the option as this command spells it
        raise MissingDataError(
            f"{os.path.basename(args.data)}: {exc} (on the command line: --missing available)"
        ) from None
    rows = result.rows()
    if args.out:
        write_out(args.out, rows, command="domestic", what=f"{framework.entity} rows")
        return 0
    if args.json:
        emit_json(rows)
        return 0
    print(_title(framework))
    columns = ["rank", "entity"]
    if result.groups is not None:
        columns.insert(0, "group")
    shown = [c for c in result.columns if c not in framework.codes]
    # A framework of many indicators (the 86 LOSI features) prints its pillars only;
    # --json has every column.
    columns += [*(result.columns if len(framework.codes) <= _MAX_SHOWN else shown), "total"]
    if framework.total.levels:
        columns.append("level")
    print(format_table(rows, columns, digits=args.digits))
    return 0


def _pairs(items: list[str], flag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InputError(f"{flag} expects NAME=VALUE, got {item!r}")
        out[name.strip()] = value.strip()
    return out


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InputError(f"--weights: {text!r} is not a number") from None


def _title(fw: Framework) -> str:
    status = f" [{fw.status}]" if fw.status != "CONFIRMED" else ""
    return f"{fw.title}{status}"


def _list(as_json: bool) -> None:
    frameworks = [load_framework(name) for name in builtin_frameworks()]
    rows = [
        {
            "name": fw.name,
            "status": fw.status,
            "entity": fw.entity,
            "years": ", ".join(str(y) for y in fw.years),
            "title": fw.title,
        }
        for fw in frameworks
    ]
    if as_json:
        emit_json(rows)
    else:
        print(format_table(rows, ["name", "status", "entity", "years", "title"]))
