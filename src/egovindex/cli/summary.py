"""``egovindex summary [--year Y] [--by region|sub_region] [--boundary B] [--json]``.

Prints the world and regional (or sub-regional) averages of every published index of one
Survey edition (default: the latest), as simple unweighted means (methodology A.8.3), and
the number of countries in each EGDI level group (methodology A.7.1). JSON: one object
with keys ``year``, ``by``, ``boundary``, ``rows`` (a list of objects with ``name``, ``n``,
``egdi``, ``osi``, ``tii``, ``hci``, ``epi``; the world first) and ``group_counts``
(``{"Very High": n, "High": n, "Middle": n, "Low": n}``), and from 2020 ``rating_method``
and ``class_counts`` (countries per rating class, count quartiles; methodology A.7.2).
"""

from __future__ import annotations

import argparse

from egovindex.cli._data import add_data_option, survey_from
from egovindex.cli._output import emit_json, format_table
from egovindex.ranking import GROUPS
from egovindex.summaries import INDICES, summarise

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``summary`` sub-command."""
    parser = subparsers.add_parser(
        "summary",
        help="world and regional averages, countries per EGDI level group",
        description=(
            "Print the world, regional or sub-regional averages (simple means) of EGDI, OSI, "
            "TII, HCI and EPI in one Survey edition, and the number of countries in each "
            "EGDI level group."
        ),
    )
    parser.add_argument("--year", type=int, metavar="Y", help="Survey edition (default: latest)")
    add_data_option(parser)
    parser.add_argument(
        "--by",
        choices=("region", "sub_region"),
        default="region",
        help="average by region (default) or M49 sub-region",
    )
    parser.add_argument(
        "--boundary",
        choices=("lower_inclusive", "upper_inclusive"),
        default="lower_inclusive",
        help="which side of 0.25/0.50/0.75 is inclusive in the level groups (default lower)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the summary; errors propagate to :func:`egovindex.cli.main`."""
    summary = summarise(survey_from(args), boundary=args.boundary)
    rows = summary.to_rows(args.by)
    if args.json:
        emit_json(
            {
                "year": summary.year,
                "by": args.by,
                "boundary": summary.boundary,
                "rows": rows,
                "group_counts": dict(summary.group_counts),
                "rating_method": summary.rating_method,
                "class_counts": dict(summary.class_counts),
            }
        )
        return 0
    level = "region" if args.by == "region" else "M49 sub-region"
    print(f"UN E-Government Survey {summary.year}: simple means by {level}")
    print(format_table(rows, ("name", "n", *INDICES)))
    counts = ", ".join(f"{g} {summary.group_counts[g]}" for g in GROUPS)
    print(f"\nCountries per EGDI level group ({summary.boundary.replace('_', '-')}): {counts}")
    if summary.class_counts:
        classes = ", ".join(f"{c} {n}" for c, n in summary.class_counts.items())
        print(f"Countries per rating class ({summary.rating_method}): {classes}")
    return 0
