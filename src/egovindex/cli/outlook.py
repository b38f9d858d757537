"""``egovindex outlook COUNTRY --target-rank R [--by YEAR] [--json]``: when, and how likely.

Projects every country of the latest Survey edition with a trend model (``--model``
linear, compound or mean_change, fitted on the last ``--k`` edition-to-edition changes)
and reports the first Survey year (every two years after the latest edition, up to
``--horizon``) in which the country reaches the target rank. With ``--by YEAR`` it also
estimates the probability of reaching it in some Survey up to that year by resampling
each country's past edition-to-edition changes (``--n`` replications, ``--seed``).
JSON: an object with ``country, name, model, k, within, target_rank, target_egdi,
last_year, current_rank, current_egdi, reached_now, rate, years, projected_egdi,
projected_rank, year_reached, horizon`` and ``probability`` (``null`` without ``--by``;
else an object with ``by, years, probability, per_year, standard_error, n, seed, since,
changes_per_country``).
"""

from __future__ import annotations

import argparse
from typing import Any

from egovindex.cli._data import add_data_option, history_from
from egovindex.cli._output import emit_json, format_table
from egovindex.cli.gap import parse_within
from egovindex.projection.trend import (
    Outlook,
    TargetProbability,
    probability_of_target,
    time_to_target,
)

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``outlook`` sub-command."""
    parser = subparsers.add_parser(
        "outlook",
        help="when a target rank is reached at current trends, and with what chance",
        description=(
            "Project every country's EGDI with a trend model and report the first Survey "
            "year in which the target holds; with --by, the probability of reaching it by "
            "that year from resampled past changes."
        ),
    )
    parser.add_argument(
        "country", metavar="COUNTRY", help="ISO3 code or name, e.g. VNM, 'Viet Nam'"
    )
    add_data_option(parser)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--target-rank", type=int, metavar="R", help="rank to reach (1 = best)")
    target.add_argument("--target-egdi", type=float, metavar="X", help="EGDI value to reach")
    parser.add_argument(
        "--by", type=int, metavar="YEAR", help="also estimate the probability by this year"
    )
    parser.add_argument(
        "--within",
        metavar="REGION",
        help="rank within a region, M49 sub-region, ASEAN or comma-separated ISO3 codes",
    )
    parser.add_argument(
        "--model",
        default="linear",
        choices=("linear", "compound", "mean_change"),
        help="trend model (default linear)",
    )
    parser.add_argument(
        "--k", type=int, default=3, metavar="K", help="past changes fitted (default 3)"
    )
    parser.add_argument(
        "--horizon", type=int, default=2040, metavar="YEAR", help="last year (default 2040)"
    )
    parser.add_argument(
        "--n", type=int, default=10_000, metavar="N", help="replications (default 10000)"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument(
        "--since",
        type=int,
        default=2012,
        metavar="YEAR",
        help="first edition whose changes are resampled (default 2012)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def _target_text(o: Outlook) -> str:
    return f"rank {o.target_rank}" if o.target_rank is not None else f"EGDI {o.target_egdi:.4f}"


def _report(o: Outlook, p: TargetProbability | None) -> str:
    group = "all countries" if o.within is None else str(o.within)
    rate = (
        f"{o.rate * 100:+.2f} % a year" if o.model == "compound" else f"{o.rate:+.4f} EGDI a year"
    )
    lines = [
        f"{o.name} ({o.country}): target {_target_text(o)} among {group}",
        f"{o.last_year}: rank {o.current_rank}, EGDI {o.current_egdi:.4f}"
        + (" (target already reached)" if o.reached_now else ""),
        f"trend: {o.model} over the last {o.k} changes ({rate}), every country projected",
    ]
    rows = [
        {"year": y, "egdi": float(e), "rank": int(r)}
        for y, e, r in zip(o.years, o.egdi.tolist(), o.ranks.tolist(), strict=True)
    ]
    lines.append(format_table(rows, ("year", "egdi", "rank")))
    capped = [y for y, e in zip(o.years, o.egdi.tolist(), strict=True) if e >= 1.0]
    if capped:
        # projections are clipped to the EGDI scale; at 1 the country ties with every
        # other country projected there, so those ranks say little
        lines.append(
            f"note: from {capped[0]} the projection reaches the top of the EGDI scale (1.0), "
            "where every country projected there shares the rank: the trend is past its "
            "range of validity"
        )
    if o.year_reached is None:
        lines.append(f"the target does not hold in any Survey up to {o.years[-1]}")
    else:
        lines.append(f"first Survey with the target: {o.year_reached}")
    if p is not None:
        lines.append(
            f"probability of reaching it by {p.by}: {p.probability * 100:.1f} % "
            f"(+/- {p.standard_error * 100:.1f}; {p.n} resampled futures of each country's "
            f"changes since {p.since}, seed {p.seed})"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the outlook; errors propagate to :func:`egovindex.cli.main` (exit code 2)."""
    history = history_from(args)
    within = parse_within(args.within)
    o = time_to_target(
        history,
        args.country,
        target_rank=args.target_rank,
        target_egdi=args.target_egdi,
        within=within,
        model=args.model,
        k=args.k,
        horizon=args.horizon,
    )
    p = None
    if args.by is not None:
        p = probability_of_target(
            history,
            args.country,
            target_rank=args.target_rank,
            target_egdi=args.target_egdi,
            by=args.by,
            n=args.n,
            seed=args.seed,
            within=within,
            since=args.since,
        )
    if args.json:
        out: dict[str, Any] = o.to_dict()
        out["horizon"] = args.horizon
        if p is None:
            out["probability"] = None
        else:
            d = p.to_dict()
            out["probability"] = {
                key: d[key]
                for key in (
                    "by",
                    "years",
                    "probability",
                    "per_year",
                    "standard_error",
                    "n",
                    "seed",
                    "since",
                    "changes_per_country",
                )
            }
        emit_json(out)
        return 0
    print(_report(o, p))
    return 0
