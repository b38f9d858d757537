"""``egovindex show COUNTRY [--year Y] [--json]``: one country's published indices and ranks.

Without ``--year`` it prints the country's history over every embedded edition (editions
that did not assess the country are named, not shown). JSON: one object with the keys
``year, iso3, name, egdi, egdi_rank, osi, tii, hci, epi, epi_rank, region, sub_region``
(``--year``), or a list of such objects (history). ``epi_rank`` is ``null`` where no EPI
rank was published (every edition but 2020).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Any

from egovindex.cli._data import add_data_option, history_from
from egovindex.cli._output import emit_json, format_table
from egovindex.datasets import (
    CountryRecord,
    History,
    Survey,
    load_history,
    load_survey,
    resolve_country,
)

__all__ = ["COLUMNS", "published_text", "register", "run"]

COLUMNS: tuple[str, ...] = ("year", "egdi", "egdi_rank", "osi", "tii", "hci", "epi", "epi_rank")
"""Columns of the human-readable table."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``show`` sub-command."""
    parser = subparsers.add_parser(
        "show",
        help="one country's published indices and ranks",
        description=(
            "Print a country's published EGDI, OSI, TII, HCI, EPI and ranks in one Survey "
            "edition (--year), or in every edition."
        ),
    )
    parser.add_argument(
        "country", metavar="COUNTRY", help="ISO3 code or name, e.g. VNM, 'Viet Nam'"
    )
    parser.add_argument("--year", type=int, metavar="Y", help="Survey edition (default: all)")
    add_data_option(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def published_text(survey: Survey, index: str, value: float) -> str:
    """Format ``value`` of ``index`` with the decimals the edition published."""
    return f"{value:.{survey.decimals[index]}f}"


def _row(survey: Survey, record: CountryRecord) -> dict[str, Any]:
    row = record.to_dict()
    for index in ("egdi", "osi", "tii", "hci", "epi"):
        row[index] = published_text(survey, index, row[index])
    return row


def _pairs(
    country: str, year: int | None, history: History | None = None
) -> list[tuple[Survey, CountryRecord]]:
    history = history or load_history()
    if year is not None:
        survey = history.survey(year) if year in history.editions else load_survey(year)
        return [(survey, survey.country(country))]
    iso3 = resolve_country(country)
    return [(s, s.country(iso3)) for s in history if iso3 in s.countries]


def _not_assessed(iso3: str, history: History | None = None) -> Iterable[int]:
    return [s.year for s in history or load_history() if iso3 not in s.countries]


def run(args: argparse.Namespace) -> int:
    """Print the country's record(s); errors propagate to :func:`egovindex.cli.main`."""
    history = history_from(args)
    pairs = _pairs(args.country, args.year, history)
    records = [record for _, record in pairs]
    if args.json:
        emit_json(records[0].to_dict() if args.year is not None else [r.to_dict() for r in records])
        return 0
    first = records[0]
    print(f"{first.name} ({first.iso3}), {first.region} / {first.sub_region}")
    print(format_table([_row(s, r) for s, r in pairs], COLUMNS))
    missing = [] if args.year is not None else list(_not_assessed(first.iso3, history))
    if missing:
        print(f"not assessed in: {', '.join(map(str, missing))}")
    return 0
