"""``egovindex rank [--year Y] [--index I] [--within GROUP] [--top N] [--json]``.

Ranks the countries of one Survey edition (default: the latest) on a published index
(default: EGDI), globally or within a region, an M49 sub-region, "ASEAN" or a
comma-separated list of ISO3 codes. Ranks are competition ranks recomputed on the
published values within the group (methodology A.8.1); for EGDI the published global
rank is shown as well. ``--top N`` keeps the countries ranked N or better (ties at N
included). JSON: a list of objects with keys ``rank, iso3, name, <index>, year`` and,
for EGDI, ``egdi_rank`` (published global rank).
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from egovindex.cli._data import add_data_option, survey_from
from egovindex.cli._output import add_out_option, emit_json, format_table, write_out
from egovindex.cli.show import published_text
from egovindex.datasets import Survey
from egovindex.datasets.survey import Within
from egovindex.errors import InputError

__all__ = ["register", "rows", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``rank`` sub-command."""
    parser = subparsers.add_parser(
        "rank",
        help="rank countries on a published index, globally or within a group",
        description=(
            "Rank the countries of a Survey edition on EGDI, OSI, TII, HCI or EPI, "
            "globally or within a region, sub-region, ASEAN or a list of ISO3 codes."
        ),
    )
    parser.add_argument("--year", type=int, metavar="Y", help="Survey edition (default: latest)")
    add_data_option(parser)
    parser.add_argument(
        "--index", default="egdi", metavar="I", help="egdi (default), osi, tii, hci or epi"
    )
    parser.add_argument(
        "--within",
        metavar="GROUP",
        help="region, M49 sub-region, ASEAN, or comma-separated ISO3 codes (default: all)",
    )
    parser.add_argument("--top", type=int, metavar="N", help="keep ranks 1..N (ties included)")
    parser.add_argument("--json", action="store_true", help="print a JSON list of objects")
    add_out_option(parser)
    parser.set_defaults(func=run)


def _within(text: str | None) -> Within:
    if text is None or "," not in text:
        return text
    return [part.strip() for part in text.split(",") if part.strip()]


def rows(
    survey: Survey, index: str, within: Within = None, top: int | None = None
) -> list[dict[str, Any]]:
    """Return the ranked rows of ``survey`` on ``index``, best first.

    Ties keep the published EGDI order. Raises the library's lookup errors for an
    unknown index, group or country, and :class:`~egovindex.errors.InputError` for a
    ``top`` below 1.
    """
    if top is not None and top < 1:
        raise InputError(f"--top must be a positive whole number, got {top}")
    key = index.strip().casefold()
    values = survey.index(key)
    ranks = survey.rank(key, within)
    order = np.lexsort((np.arange(len(survey)), ranks))
    keep = order[ranks[order] > 0]
    if top is not None:
        keep = keep[ranks[keep] <= top]
    out: list[dict[str, Any]] = []
    for i in keep.tolist():
        row = {
            "rank": int(ranks[i]),
            "iso3": survey.countries[i],
            "name": survey.names[i],
            key: float(values[i]),
            "year": survey.year,
        }
        if key == "egdi":
            row["egdi_rank"] = int(survey.egdi_rank[i])
        out.append(row)
    return out


def run(args: argparse.Namespace) -> int:
    """Print the ranking; errors propagate to :func:`egovindex.cli.main` (exit 2)."""
    survey = survey_from(args)
    within = _within(args.within)
    table = rows(survey, args.index, within, args.top)
    if args.out:
        write_out(args.out, table, command="rank", inputs=[args.data], what="countries")
        return 0
    if args.json:
        emit_json(table)
        return 0
    key = args.index.strip().casefold()
    group = "all countries" if within is None else str(args.within)
    print(
        f"{key.upper()} {survey.year}, ranked within {group} "
        f"({len(survey.members(within))} countries)"
    )
    columns = ["rank", "iso3", "name", key] + (["egdi_rank"] if key == "egdi" else [])
    shown = [{**r, key: published_text(survey, key, r[key])} for r in table]
    print(format_table(shown, columns))
    return 0
