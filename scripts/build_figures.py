"""Build the documentation's figures with the library's own ``egovindex.plots``.

Usage::

    python scripts/build_figures.py [--out docs/figures] [--only NAME ...]

Every PNG under ``docs/figures/`` comes from this script, never from hand: the pages show
what the library draws from its embedded data. It needs the ``plot`` extra (matplotlib)
and runs in a few seconds. The PNGs carry no creation date or software version, so a
rebuild with the same matplotlib gives the same bytes.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import egovindex as eg
from egovindex import plots
from egovindex import uncertainty as unc

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "figures"
DPI = 110

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def rank_history() -> Figure:
    """Viet Nam's EGDI and published rank, 2003-2024 (docs/examples/viet-nam.md)."""
    return plots.rank_history(eg.load_history(), "VNM")


def component_profile() -> Figure:
    """Viet Nam's components in 2024 beside South-eastern Asia and the world."""
    return plots.component_profile(eg.load_survey(2024), "VNM")


def gap_waterfall() -> Figure:
    """What rank 78 (eight places up) needed in the 2020 Survey."""
    return plots.gap_waterfall(eg.gap(eg.load_survey(2020), "VNM", target_rank=78))


def rank_intervals() -> Figure:
    """Rank uncertainty in South-eastern Asia, 2024: the problem of
    docs/examples/rank-uncertainty-sea.md (same factors, replications and seed)."""
    s = eg.load_survey(2024)
    # Dirichlet weights, arithmetic or geometric mean, 2 % noise: the method's defaults.
    problem = eg.un.methodology(2024).uncertainty_problem(s, within="South-eastern Asia")
    return plots.rank_intervals(unc.monte_carlo(problem, 2000, seed=2024))


def reliability() -> Figure:
    """Reliability of the default forecast model's rank-gain probabilities, backtested
    from origins 2016-2022 (docs/projection-skill.md)."""
    return plots.reliability(eg.backtest(eg.load_history()))


FIGURES: dict[str, Callable[[], Figure]] = {
    "rank_history": rank_history,
    "component_profile": component_profile,
    "gap_waterfall": gap_waterfall,
    "rank_intervals": rank_intervals,
    "reliability": reliability,
}
"""File stem -> the function that draws it."""


def build(out: Path, only: list[str] | None = None) -> list[Path]:
    """Draw the figures named in ``only`` (default: all) as PNG files under ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in only or list(FIGURES):
        start = time.perf_counter()
        fig = FIGURES[name]()
        path = out / f"{name}.png"
        # No date or version in the file, so rebuilding changes nothing when nothing changed.
        fig.savefig(path, dpi=DPI, metadata={"Software": None})
        written.append(path)
        print(f"wrote {path} ({time.perf_counter() - start:.2f} s)")
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--only", nargs="+", choices=sorted(FIGURES), help="figures to build")
    args = parser.parse_args(argv)
    build(args.out, args.only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
