"""``egovindex uncertainty --year Y [--reps N] [--seed S] [--within GROUP] [--json]``.

How firm is each country's EGDI rank? The command replicates the EGDI of one Survey
edition from its published components (OSI, TII, HCI) with three factors varied at
random: the top-level weights (Dirichlet around the edition's weights, ``--concentration``),
the aggregation (arithmetic or geometric mean, ``--zeros`` sets the rule for a zero
component under the geometric mean) and relative measurement error on each component
(``--noise``, normal, clipped to [0, 1]). The edition's zero rule (EGDI 0 where OSI or
HCI is 0, methodology A.1.1) is kept in every replication.

It prints, per country: the nominal EGDI and rank (recomputed from the components, ranked
within ``--within`` when given), the median rank, the 5-95 % rank interval, the
probability of keeping the nominal rank and of staying in the nominal level group; then
the number of replications the summary rests on and the failures by cause. JSON: an
object with ``year``, ``within``, ``seed``, ``factors``, ``replications``, ``valid``,
``failures`` and ``countries`` (one object per country with ``iso3``, ``name``, ``egdi``,
``rank``, ``median_rank``, ``rank_p05``, ``rank_p95``, ``p_rank``, ``rank_probabilities``,
``level``, ``p_level``, ``level_probabilities``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from egovindex.cli._data import add_data_option
from egovindex.cli._output import add_out_option, emit_json, format_table, write_out
from egovindex.errors import InputError
from egovindex.io.tables import check_writable
from egovindex.methodologies.un.methodology import methodology
from egovindex.uncertainty import RankSummary, monte_carlo
from egovindex.uncertainty.accel import ACCELERATORS

__all__ = ["ProgressBar", "register", "run"]

_PROGRESS_FROM = 200_000  # replications from which the progress bar is shown by default


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``uncertainty`` sub-command."""
    parser = subparsers.add_parser(
        "uncertainty",
        help="Monte Carlo rank uncertainty of the EGDI of a Survey edition",
        description=(
            "Replicate the EGDI of a Survey edition from its published components with "
            "random weights, aggregation and measurement error; report each country's "
            "median rank, 5-95 % interval and rank probabilities."
        ),
    )
    parser.add_argument("--year", type=int, metavar="Y", help="Survey edition (default: latest)")
    add_data_option(parser)
    parser.add_argument(
        "--reps", type=int, default=10_000, metavar="N", help="replications (default 10000)"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument(
        "--within",
        metavar="GROUP",
        help="rank within a region, M49 sub-region, ASEAN or comma-separated ISO3 codes",
    )
    parser.add_argument(
        "--concentration",
        type=float,
        default=100.0,
        metavar="C",
        help="Dirichlet concentration of the weights (default 100; 'inf' fixes them)",
    )
    parser.add_argument(
        "--noise",
        type=float,
        default=0.02,
        metavar="REL",
        help="relative measurement error of each component (default 0.02)",
    )
    parser.add_argument(
        "--aggregation",
        choices=("both", "arithmetic", "geometric"),
        default="both",
        help="aggregation options drawn with equal probability (default both)",
    )
    parser.add_argument(
        "--zeros",
        choices=("fail", "zero", "floor"),
        default="zero",
        help="a zero component under a geometric mean: fail the replication, "
        "give EGDI 0 (default), or floor it at 1e-6",
    )
    parser.add_argument("--top", type=int, metavar="N", help="print only nominal ranks 1..N")
    _add_run_options(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    add_out_option(parser)
    parser.set_defaults(func=run)


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options on how the replications run: none changes the results."""
    parser.add_argument("--chunk-size", type=int, metavar="B", help="replications per chunk")
    parser.add_argument(
        "--workers",
        type=int,
        metavar="W",
        help="threads running chunks (default: one per core); the results are the same",
    )
    parser.add_argument(
        "--accelerator",
        choices=ACCELERATORS,
        default="auto",
        help="rank tally: numba where installed for 100,000 replications or more (auto, the "
        "default), numpy, or numba; the results are the same",
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=f"progress bar on stderr (default: on for {_PROGRESS_FROM:,} replications or more "
        "when stderr is a terminal)",
    )


def _within(text: str | None) -> str | list[str] | None:
    if text is None or "," not in text:
        return text
    return [part.strip() for part in text.split(",") if part.strip()]


class ProgressBar:
    """A plain-text progress bar on a stream (``rich``'s when it is installed)."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 30) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.width = width
        self.start = time.perf_counter()
        self._rich: Any = None
        try:  # optional; plain text otherwise
            progress = importlib.import_module("rich.progress")
        except ImportError:
            pass
        else:
            self._rich = progress.Progress(transient=True)
            self._task = self._rich.add_task("replications", total=total)
            self._rich.start()

    def __call__(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` replications."""
        if self._rich is not None:
            self._rich.update(self._task, completed=done)
            if done >= total:
                self._rich.stop()
            return
        frac = done / total if total else 1.0
        filled = int(self.width * frac)
        rate = done / max(time.perf_counter() - self.start, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {done:,}/{total:,} "
            f"({rate:,.0f} replications/s)"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _progress(args: argparse.Namespace) -> Callable[[int, int], None] | None:
    show = args.progress
    if show is None:
        show = args.reps >= _PROGRESS_FROM and sys.stderr.isatty()
    return ProgressBar(args.reps) if show else None


def _rows(summary: RankSummary, survey: Any) -> list[dict[str, Any]]:
    names = dict(zip(survey.countries, survey.names, strict=True))
    out = []
    for row in summary.rows():
        iso3 = row.pop("entity")
        out.append({"iso3": iso3, "name": names[iso3], "egdi": row.pop("score"), **row})
    out.sort(key=lambda r: (r["rank"], r["median_rank"], r["iso3"]))
    return out


def run(args: argparse.Namespace) -> int:
    """Run the ``uncertainty`` sub-command."""
    from egovindex.cli._data import survey_from

    if args.top is not None and args.top < 1:
        raise InputError(f"--top must be a positive whole number, got {args.top}")
    survey = survey_from(args)
    if args.out:  # refuse a bad --out (say, the --data file itself) before the long run
        check_writable(args.out, *([args.data] if args.data else []))
    year = survey.year
    within = _within(args.within)
    problem = methodology(year).uncertainty_problem(
        survey,
        within=within,
        concentration=args.concentration,
        noise=args.noise,
        aggregation=args.aggregation,
        zeros=args.zeros,
    )
    summary = monte_carlo(
        problem,
        args.reps,
        seed=args.seed,
        chunk_size=args.chunk_size,
        workers=args.workers,
        progress=_progress(args),
        accelerator=args.accelerator,
    )
    rows = _rows(summary, survey)
    if args.top is not None:
        rows = [r for r in rows if r["rank"] <= args.top]
    if args.out:
        dense = [{k: v for k, v in r.items() if k != "rank_probabilities"} for r in rows]
        write_out(args.out, dense, command="uncertainty", inputs=[args.data], what="countries")
        return 0
    if args.json:
        emit_json(
            {
                "year": year,
                "within": args.within,
                "seed": args.seed,
                "factors": list(summary.factors),
                "replications": summary.replications,
                "valid": summary.valid,
                "failures": dict(summary.failures),
                "countries": rows,
            }
        )
        return 0
    columns = ["rank", "iso3", "name", "egdi", "median_rank", "rank_p05", "rank_p95", "p_rank"]
    columns += ["level", "p_level"]
    print(format_table(rows, columns, digits=4))
    fails = ", ".join(f"{c}: {n}" for c, n in summary.failures.items()) or "none"
    print(
        f"\n{summary.valid:,} of {summary.replications:,} replications (seed {args.seed}); "
        f"factors: {', '.join(summary.factors)}; failures: {fails}"
    )
    return 0
