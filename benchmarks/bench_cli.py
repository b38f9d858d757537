"""``egovindex uncertainty`` against the library, a naive NumPy kernel and a compiled one.

All four do the command's default analysis (:mod:`egdi_default`: EGDI 2024, Dirichlet
weights, arithmetic/geometric choice, 2 % noise, rank and level tallies) in the same
run, so their ratios are comparable even on a shared machine. Goals: the command at
least twice the naive kernel and within 10 % of the library; all cores used by default;
``egovindex --version`` and ``egovindex show`` under 0.5 s.

Rates are reported on the wall clock (what a user waits for) and, for the library and
the command, per CPU-second (what they cost; independent of how many cores were free).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import egdi_default as ref
from egovindex.cli import main
from egovindex.datasets import load_survey
from egovindex.methodologies.un import methodology
from egovindex.uncertainty import monte_carlo

REPS = 200_000
SCRIPT = Path(sys.executable).with_name("egovindex")


def _timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, float, Any]:
    """Best wall and CPU seconds of ``repeat`` calls, and the last result."""
    wall = cpu = float("inf")
    out = None
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        wall = min(wall, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
    return wall, cpu, out


def _cli(argv: list[str]) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(argv) == 0
    return buffer.getvalue()


def _side_by_side(fns: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Best wall seconds of each function, the functions interleaved round by round (so a
    busy spell on a shared machine slows all of them, not one)."""
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(rounds):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - t)
    return best


def test_uncertainty_default_side_by_side(benchmark) -> None:  # type: ignore[no-untyped-def]
    x, w0, zero_col = ref.inputs(2024)
    problem = methodology(2024).uncertainty_problem(load_survey(2024))
    ref.compiled(x, w0, zero_col, 2000)  # compile (or load the cached kernel) first
    monte_carlo(problem, 2000, seed=0)
    out: dict[str, Any] = {}
    fns = {
        "naive_numpy": lambda: out.update(naive=ref.naive_numpy(x, w0, zero_col, REPS)),
        "library": lambda: out.update(api=monte_carlo(problem, REPS, seed=0)),
        "cli": lambda: _cli(["uncertainty", "--reps", str(REPS), "--json"]),
        "compiled_reference": lambda: out.update(comp=ref.compiled(x, w0, zero_col, REPS)),
    }
    benchmark.group = "egovindex uncertainty, default analysis"
    best = benchmark.pedantic(_side_by_side, args=(fns, 3), rounds=1, iterations=1)
    # they estimate the same rank distributions (within sampling error)
    for counts, _ in (out["naive"], out["comp"]):
        assert np.abs(out["api"].rank_probability - counts / REPS).max() < 0.02
    _, api_cpu, _ = _timed(lambda: monte_carlo(problem, REPS, seed=0), 1)
    rates = {name: REPS / seconds for name, seconds in best.items()}
    rates["library_per_cpu_second"] = REPS / api_cpu
    benchmark.extra_info.update(
        {k: round(v) for k, v in rates.items()},
        cli_over_naive=round(rates["cli"] / rates["naive_numpy"], 2),
        cli_over_library=round(rates["cli"] / rates["library"], 3),
        library_over_compiled=round(rates["library"] / rates["compiled_reference"], 3),
        cores=os.cpu_count(),
    )
    print("\n" + ", ".join(f"{k} {v:,.0f}/s" for k, v in rates.items()))
    print(f"extra: {benchmark.extra_info}")


def test_uncertainty_without_noise(benchmark) -> None:  # type: ignore[no-untyped-def]
    # --noise 0: no per-replication data path; the command should match the library
    problem = methodology(2024).uncertainty_problem(load_survey(2024), noise=0.0)
    monte_carlo(problem, 2000, seed=0)
    argv = ["uncertainty", "--reps", str(REPS), "--noise", "0", "--json"]
    fns = {
        "library": lambda: monte_carlo(problem, REPS, seed=0),
        "library_1_thread": lambda: monte_carlo(problem, REPS, seed=0, workers=1),
        "cli": lambda: _cli(argv),
    }
    benchmark.group = "egovindex uncertainty --noise 0"
    best = benchmark.pedantic(_side_by_side, args=(fns, 3), rounds=1, iterations=1)
    rates = {name: REPS / seconds for name, seconds in best.items()}
    benchmark.extra_info.update({k: round(v) for k, v in rates.items()})
    print("\n" + ", ".join(f"{k} {v:,.0f}/s" for k, v in rates.items()))


@pytest.mark.skipif(not SCRIPT.exists(), reason="the egovindex script is not installed")
@pytest.mark.parametrize(
    "argv",
    [["--version"], ["show", "VNM"], ["show", "VNM", "--year", "2024"], ["uncertainty"]],
    ids=lambda a: " ".join(a) or "none",
)
def test_startup(benchmark, argv: list[str]) -> None:  # type: ignore[no-untyped-def]
    def run() -> None:
        subprocess.run([str(SCRIPT), *argv], check=True, capture_output=True)

    benchmark.group = "egovindex start-up, a fresh process"
    benchmark.pedantic(run, rounds=5, iterations=1, warmup_rounds=1)
    seconds = benchmark.stats.stats.min
    benchmark.extra_info.update(seconds=round(seconds, 3))
    print(f"\negovindex {' '.join(argv)}: {seconds:.3f} s")
