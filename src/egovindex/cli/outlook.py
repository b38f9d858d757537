"""``egovindex outlook COUNTRY --target-rank R [--by YEAR] [--json]``: when, and how likely.

Forecasts every country of the latest Survey edition at once with ``--model`` (default
``pooled``, the model chosen by the backtest; also ``bootstrap``, ``persistence`` and the
trend models ``linear``, ``compound``, ``mean_change`` fitted on the last ``--k``
changes) and reports, per Survey year (every two years after the latest edition, up to
``--by`` if given, else ``--horizon``), the median EGDI and rank with 80 % / 95 %
intervals, the first year in which the target holds in at least half the draws and, with
``--by YEAR``, the probability of reaching it in some Survey up to that year. Years where
a clipped trend reaches the top of the EGDI scale are shown as no forecast. The last line
is the model's rolling-origin backtest (``egovindex backtest``). JSON: an object with
``country, name, model, k, within, target_rank, target_egdi, last_year, current_rank,
current_egdi, reached_now, rate, years, projected_egdi, projected_rank, rank_intervals,
egdi_intervals, per_year, capped, year_reached, n, seed, horizon, last_survey``,
``probability`` (``null`` without ``--by``; else an object with ``by, years, probability,
per_year, standard_error, n, seed, since, changes_per_country, model``) and ``backtest``
(``rank_error, persistence_error, rank_skill, brier, brier_base, brier_skill,
coverage80, coverage95, origins``).
"""

from __future__ import annotations

import argparse
from typing import Any

from egovindex.cli._data import add_data_option, history_from
from egovindex.cli._output import emit_json, format_table
from egovindex.cli.backtest import skill
from egovindex.cli.gap import parse_within
from egovindex.projection.backtest import Backtest
from egovindex.projection.forecast import DEFAULT_MODEL, MODELS, TREND_MODELS
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
        help="when a target rank is reached, and with what chance (backtested forecast)",
        description=(
            "Forecast every country's EGDI at the next Surveys (median, 80 %% and 95 %% "
            "intervals) and report the first Survey year in which the target holds; with "
            "--by, the probability of reaching it by that year."
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
        "--by",
        type=int,
        metavar="YEAR",
        help="also the probability by this year; the table stops there",
    )
    parser.add_argument(
        "--within",
        metavar="REGION",
        help="rank within a region, M49 sub-region, ASEAN or comma-separated ISO3 codes",
    )
    parser.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        choices=MODELS,
        help=f"forecast model (default {DEFAULT_MODEL}, chosen by the backtest)",
    )
    parser.add_argument(
        "--k",
        type=int,
        default=3,
        metavar="K",
        help="past changes fitted by a trend model (default 3)",
    )
    parser.add_argument(
        "--horizon",
        type=int,
        metavar="YEAR",
        help="last year projected (default: --by if given, else 2040)",
    )
    parser.add_argument("--n", type=int, default=4000, metavar="N", help="draws (default 4000)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument(
        "--since",
        type=int,
        default=2012,
        metavar="YEAR",
        help="first edition fitted or resampled (default 2012)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def _target_text(o: Outlook) -> str:
    return f"rank {o.target_rank}" if o.target_rank is not None else f"EGDI {o.target_egdi:.4f}"


def _row(o: Outlook, j: int) -> dict[str, Any]:
    egdi, rank = float(o.egdi[j]), int(o.ranks[j])
    q = o.rank_quantiles[j]
    if o.model in TREND_MODELS and egdi >= 1.0:
        return {"year": o.years[j], "egdi": None, "rank": None}  # the note says why
    row: dict[str, Any] = {"year": o.years[j], "egdi": egdi, "rank": rank}
    if o.n > 1:
        row["rank 80 %"] = f"{q[1]}-{q[3]}"
        row["rank 95 %"] = f"{q[0]}-{q[4]}"
        row["P(target)"] = f"{o.per_year[j]:.1%}"
    return row


def _model_line(o: Outlook, since: int) -> str:
    if o.model in TREND_MODELS:
        rate = (
            f"{o.rate * 100:+.2f} % a year"
            if o.model == "compound"
            else f"{o.rate:+.4f} EGDI a year"
        )
        return f"trend: {o.model} over the last {o.k} changes ({rate}), every country projected"
    if o.model == "persistence":
        return (
            f"model: persistence, every EGDI stays as published in {o.last_year} (nothing fitted)"
        )
    return (
        f"model: {o.model}, fitted on the {o.k} edition-to-edition changes since "
        f"{since}; {o.n} joint draws of every country (seed {o.seed})"
    )


def _report(o: Outlook, p: TargetProbability | None, asked: int, b: Backtest, since: int) -> str:
    group = "all countries" if o.within is None else str(o.within)
    lines = [
        f"{o.name} ({o.country}): target {_target_text(o)} among {group}",
        f"{o.last_year}: rank {o.current_rank}, EGDI {o.current_egdi:.4f}"
        + (" (target already reached)" if o.reached_now else ""),
        _model_line(o, since),
    ]
    rows = [_row(o, j) for j in range(len(o.years))]
    columns = ["year", "egdi", "rank"]
    if o.n > 1:
        columns += ["rank 80 %", "rank 95 %", "P(target)"]
    lines.append(format_table(rows, columns))
    if asked != o.years[-1]:
        lines.append(f"no Survey falls in {asked}: the last one by then is {o.years[-1]}")
    if o.capped:
        # at 1 the country ties with every other country projected there: no forecast
        lines.append(
            f"note: from {o.capped[0]} the projection reaches the top of the EGDI scale (1.0), "
            "where every country projected there shares the rank: the trend is past its "
            "range of validity and those years (-) are no forecast"
        )
    if o.year_reached is None:
        lines.append(f"the target does not hold in any Survey up to {o.years[-1]}")
    else:
        lines.append(
            f"first Survey with the target: {o.year_reached}"
            + (" (it holds there in at least half the draws)" if o.n > 1 else "")
        )
    if p is not None:
        how = (
            f"+/- {p.standard_error * 100:.1f}; {p.n} draws of the {p.model} model, seed {p.seed}"
            if p.n > 1
            else f"the {p.model} model is deterministic: 0 or 100 %"
        )
        lines.append(f"probability of reaching it by {p.by}: {p.probability * 100:.1f} % ({how})")
    lines.append(b.summary_line())
    return "\n".join(lines)


_PROBABILITY_KEYS = (
    "by",
    "years",
    "probability",
    "per_year",
    "standard_error",
    "n",
    "seed",
    "since",
    "changes_per_country",
    "model",
)
_BACKTEST_KEYS = (
    "rank_error",
    "persistence_error",
    "rank_skill",
    "brier",
    "brier_base",
    "brier_skill",
    "coverage80",
    "coverage95",
)


def run(args: argparse.Namespace) -> int:
    """Print the outlook; errors propagate to :func:`egovindex.cli.main` (exit code 2)."""
    history = history_from(args)
    within = parse_within(args.within)
    horizon = args.horizon if args.horizon is not None else (args.by or 2040)
    common: dict[str, Any] = {
        "target_rank": args.target_rank,
        "target_egdi": args.target_egdi,
        "within": within,
        "model": args.model,
        "n": args.n,
        "seed": args.seed,
        "since": args.since,
    }
    p = None
    if args.by is not None:  # first, so that a bad --by is reported as such
        p = probability_of_target(history, args.country, by=args.by, k=args.k, **common)
    o = time_to_target(history, args.country, k=args.k, horizon=horizon, **common)
    b = skill(args.model, args.k)
    if args.json:
        out: dict[str, Any] = o.to_dict()
        out["horizon"] = horizon
        out["last_survey"] = o.years[-1]
        out["probability"] = None if p is None else {k: p.to_dict()[k] for k in _PROBABILITY_KEYS}
        d = b.to_dict()
        out["backtest"] = {k: d[k] for k in _BACKTEST_KEYS}
        out["backtest"]["origins"] = [r["origin"] for r in d["origins"]]
        emit_json(out)
        return 0
    print(_report(o, p, horizon, b, args.since))
    return 0
