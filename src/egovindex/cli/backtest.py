"""``egovindex backtest [--model M] [--origins Y ...] [--gain G] [--k K] [--json]``: skill.

Refits a forecast model at each origin edition (default 2016, 2018, 2020, 2022) on the
editions up to it and scores its forecast of the next Survey against what was published:
mean absolute rank error against persistence, 80 % / 95 % interval coverage, and the
Brier score of "gains at least G places" against the base rate, with a reliability table.
JSON: the object of :meth:`egovindex.projection.backtest.Backtest.to_dict` (keys
``model, gain, n, seed, since, k, origins, rank_error, persistence_error, rank_skill,
coverage80, coverage95, brier, brier_base, brier_skill, reliability``).
"""

from __future__ import annotations

import argparse
import functools

from egovindex.cli._output import emit_json, format_table
from egovindex.datasets import load_history
from egovindex.projection.backtest import DEFAULT_ORIGINS, Backtest, backtest
from egovindex.projection.forecast import DEFAULT_MODEL, MODELS, ForecastModel

__all__ = ["register", "run", "skill"]


@functools.cache
def skill(model: ForecastModel = DEFAULT_MODEL, k: int = 3) -> Backtest:
    """The default backtest of ``model`` (a trend model: on ``k`` changes) on the
    embedded history (once per process)."""
    return backtest(load_history(), model=model, k=k)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``backtest`` sub-command."""
    parser = subparsers.add_parser(
        "backtest",
        help="how well a forecast model predicted past Surveys (rolling origin)",
        description=(
            "Refit a forecast model at each origin edition, on the editions up to it only, "
            "and score its forecast of the next Survey: rank error against persistence, "
            "interval coverage, and the Brier score of a rank gain against the base rate."
        ),
    )
    parser.add_argument(
        "--model",
        default=DEFAULT_MODEL,
        choices=MODELS,
        help=f"forecast model (default {DEFAULT_MODEL})",
    )
    parser.add_argument(
        "--origins",
        type=int,
        nargs="+",
        default=list(DEFAULT_ORIGINS),
        metavar="YEAR",
        help="origin editions (default 2016 2018 2020 2022)",
    )
    parser.add_argument(
        "--gain", type=int, default=5, metavar="G", help="places gained scored (default 5)"
    )
    parser.add_argument(
        "--k",
        type=int,
        default=3,
        metavar="K",
        help="past changes fitted by a trend model (default 3)",
    )
    parser.add_argument("--n", type=int, default=4000, metavar="N", help="draws (default 4000)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def report(b: Backtest) -> str:
    """The text report: one row per origin, the pooled scores, the reliability table."""
    rows = [
        {
            "origin": o.origin,
            "predicts": o.year,
            "rank_error": o.rank_error,
            "persistence": o.persistence_error,
            "cover80": o.coverage80,
            "cover95": o.coverage95,
            "brier": o.brier,
            "brier_base": o.brier_base,
        }
        for o in b.origins
    ]
    columns = ("origin", "predicts", "rank_error", "persistence", "cover80", "cover95")
    bins = [
        {
            "forecast": f"{r.low:.1f}-{r.high:.1f}",
            "count": r.count,
            "mean_forecast": "-" if r.mean_forecast is None else f"{r.mean_forecast:.3f}",
            "observed": "-" if r.observed is None else f"{r.observed:.3f}",
        }
        for r in b.reliability
    ]
    return "\n".join(
        [
            f"backtest of the {b.model} model: fitted on the editions up to each origin "
            f"(from {b.since}), predicting the next Survey; {b.n} draws, seed {b.seed}",
            format_table(rows, (*columns, "brier", "brier_base")),
            f"all origins: rank error {b.rank_error:.3f} vs {b.persistence_error:.3f} "
            f"persistence (skill {b.rank_skill:+.3f}); Brier {b.brier:.4f} vs "
            f"{b.brier_base:.4f} base rate (skill {b.brier_skill:+.3f}); coverage "
            f"80 %: {b.coverage80:.3f}, 95 %: {b.coverage95:.3f}",
            f"reliability of P(gain >= {b.gain} places at the next Survey), every origin:",
            format_table(bins, ("forecast", "count", "mean_forecast", "observed")),
        ]
    )


def run(args: argparse.Namespace) -> int:
    """Print the backtest; errors propagate to :func:`egovindex.cli.main` (exit code 2)."""
    b = backtest(
        load_history(),
        model=args.model,
        origins=args.origins,
        gain=args.gain,
        n=args.n,
        seed=args.seed,
        k=args.k,
    )
    if args.json:
        emit_json(b.to_dict())
        return 0
    print(report(b))
    return 0
