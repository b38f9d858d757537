"""``egovindex services CATALOGUE.csv [--by agency] [--json]``: online public service shares.

CATALOGUE.csv has one row per service: ``service_id``, ``agency``, ``level`` (1-4,
Decree 43/2011) and/or ``online`` (full/partial, Decree 42/2022), ``dossiers_total``,
``dossiers_online``. The output gives the national shares (``share_level3_plus``,
``share_level4``, ``share_full_online``, ``share_with_online_dossiers``,
``online_dossier_rate``) with their counts; ``--by agency`` adds a table of agencies
ranked on ``--rank-by``. JSON (``--json``) is an object ``{"national": {...},
"by_agency": [...], "rank_by": ...}`` with ``by_agency`` always filled, ordered by rank,
and ``"target"`` when ``--target`` is given.
"""

from __future__ import annotations

import argparse
from typing import Any

from egovindex.cli._output import (
    add_input_options,
    add_out_option,
    emit_json,
    format_table,
    write_out,
)
from egovindex.domestic.io import read_catalogue
from egovindex.domestic.services import SHARE_METRICS, ServiceShares
from egovindex.errors import InputError
from egovindex.io.tables import check_writable
from egovindex.projection.shares import share_gap

__all__ = ["register", "run"]

_LABELS = {
    "share_level3_plus": "services at level 3 or 4",
    "share_level4": "services at level 4",
    "share_full_online": "services full online",
    "share_with_online_dossiers": "online services with an online dossier",
    "online_dossier_rate": "dossiers received online",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``services`` sub-command."""
    parser = subparsers.add_parser(
        "services",
        help="shares of online public services per agency and nationally",
        description=(
            "Shares of a catalogue of online public services: level 3+, level 4, full "
            "online, services with online dossiers, online dossier rate; agencies ranked."
        ),
    )
    parser.add_argument("catalogue", metavar="CATALOGUE.csv", help="one row per service")
    parser.add_argument(
        "--by", choices=("agency",), help="also print the shares of each agency, ranked"
    )
    parser.add_argument(
        "--rank-by",
        choices=SHARE_METRICS,
        default="share_level4",
        help="share that ranks the agencies (default share_level4)",
    )
    parser.add_argument(
        "--target",
        metavar="METRIC=SHARE",
        help="items still needed nationally, e.g. share_level4=0.3 (30 %% at level 4)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    add_out_option(parser)
    add_input_options(parser, decimal=False)
    parser.set_defaults(func=run)


def _record(s: ServiceShares) -> dict[str, Any]:
    return s.to_dict()


def run(args: argparse.Namespace) -> int:
    """Read the catalogue and print its shares."""
    target = _target(args.target) if args.target else None
    if args.out:
        check_writable(args.out, args.catalogue)
    catalogue = read_catalogue(args.catalogue, sheet=args.sheet)
    national = catalogue.shares()
    by = catalogue.by_agency()
    ranks = catalogue.rank_agencies(args.rank_by)
    order = sorted(by, key=lambda a: (ranks[a] == 0, ranks[a]))
    agencies = [{"agency": a, "rank": ranks[a], **_record(by[a])} for a in order]
    out: dict[str, Any] = {
        "national": _record(national),
        "by_agency": agencies,
        "rank_by": args.rank_by,
    }
    if target is not None:
        metric, share = target
        current, total = national.counts(metric)
        out["target"] = {
            "metric": metric,
            "share": share,
            "current": current,
            "total": total,
            "needed": share_gap(current, total, share),
        }
    if args.out:
        # one table: the national shares first (agency "national", rank 0), then agencies
        table = [{"agency": "national", "rank": 0, **out["national"]}, *agencies]
        write_out(args.out, table, command="services", what="rows (national, agencies)")
        return 0
    if args.json:
        emit_json(out)
        return 0
    print(f"{len(catalogue)} services, {len(by)} agencies")
    for metric in SHARE_METRICS:
        num, den = national.counts(metric)
        value = national.share(metric)
        shown = "-" if value != value else f"{100 * value:.1f} %"
        print(f"  {metric:<27} {shown:>8}  ({num} of {den} {_LABELS[metric]})")
    if "target" in out:
        t = out["target"]
        print(
            f"target {t['metric']} >= {100 * t['share']:g} %: {t['needed']} more needed "
            f"({t['current']} of {t['total']} now)"
        )
    if args.by == "agency":
        print(f"\nagencies ranked by {args.rank_by} (rank 0: share undefined)")
        print(format_table(agencies, ["rank", "agency", "services", *SHARE_METRICS]))
    return 0


def _target(text: str) -> tuple[str, float]:
    metric, sep, value = text.partition("=")
    metric = metric.strip()
    if not sep or metric not in SHARE_METRICS:
        raise InputError(
            f"--target expects METRIC=SHARE with METRIC one of {', '.join(SHARE_METRICS)}, "
            f"got {text!r}"
        )
    try:
        share = float(value)
    except ValueError:
        raise InputError(f"--target: {value.strip()!r} is not a number") from None
    return metric, share
