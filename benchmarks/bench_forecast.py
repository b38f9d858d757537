"""The default forecast and its backtest: what ``egovindex outlook`` computes per call.

``egovindex outlook VNM --target-rank 50 --by 2030`` draws the pooled forecast twice
(the table and the "by 2030" probability, 4,000 draws of 193 countries to 2030), and the
rolling-origin backtest of its model (four origins, 4,000 draws each) for its last line.
Baseline in the same run: the same pooled draws one replication at a time (a Python loop
over replications with the same NumPy arithmetic inside), checked to give the same table.
"""

from __future__ import annotations

import sys
import timeit

import numpy as np
import pytest

eg = pytest.importorskip("egovindex")

FC = sys.modules["egovindex.projection.forecast"]


def _loop(values: np.ndarray, osi: np.ndarray, steps: int, n: int, seed: int) -> np.ndarray:
    """The pooled draws replication by replication (draws consumed in the same order)."""
    fit = FC.fit_pooled(values, osi)
    rng = np.random.default_rng(seed)
    z, m, s = FC._standardise(values)
    w = FC._standardise(osi)[0]
    countries = z.shape[1]
    out = np.empty((n, steps, countries))
    lag = np.nan_to_num(w[-1] - w[-2])
    noise = [(rng.standard_normal((n, countries)), rng.standard_normal(n)) for _ in range(steps)]
    c0, c1, c2 = fit.spread
    b0, b1, b2 = fit.coef
    low, high = fit.position_range
    for rep in range(n):
        pos, level = np.nan_to_num(z[-1]).copy(), m[-1]
        for step in range(steps):
            at = np.clip(pos, low, high)
            sd = np.sqrt(np.exp(c0 + c1 * at + c2 * at**2))
            push = b2 * lag if step == 0 else 0.0
            pos = pos + b0 + b1 * pos + push + sd * noise[step][0][rep]
            level = level + fit.drift + fit.drift_sd * noise[step][1][rep]
            scale = s[-1] * np.exp(fit.scale_drift * (step + 1))
            out[rep, step] = 1.0 / (1.0 + np.exp(-(level + scale * pos)))
    return out


def test_outlook_default_model(benchmark) -> None:  # type: ignore[no-untyped-def]
    h = eg.load_history()

    def outlook() -> float:
        o = eg.time_to_target(h, "VNM", target_rank=50, horizon=2030)
        p = eg.probability_of_target(h, "VNM", target_rank=50, by=2030, n=4000)
        b = eg.backtest(h)
        return o.per_year[-1] + p.probability + b.rank_skill

    benchmark.group = "outlook VNM --target-rank 50 --by 2030 (library part)"
    benchmark(outlook)
    print(f"\noutlook, library part: {benchmark.stats.stats.min * 1e3:.0f} ms")


def test_pooled_draws_against_a_replication_loop(benchmark) -> None:  # type: ignore[no-untyped-def]
    h = eg.load_history()
    keep = np.asarray(h.editions) >= 2012
    values = np.asarray(h.matrix("egdi"))[keep]
    osi = np.asarray(h.matrix("osi"))[keep]
    years = np.asarray(h.editions)[keep]
    n = 4000
    benchmark.group = "pooled draws, 4000 x 3 Surveys x 193 countries"
    draws = benchmark(FC.simulate, "pooled", years, values, 3, osi=osi, n=n, seed=0)
    # The vectorised path draws its noise per step in the same order as the loop does.
    np.testing.assert_allclose(draws, _loop(values, osi, 3, n, 0), rtol=1e-12)
    lib = benchmark.stats.stats.min
    loop = min(timeit.repeat(lambda: _loop(values, osi, 3, n, 0), number=1, repeat=3))
    benchmark.extra_info.update(loop_ms=round(loop * 1e3, 1), speedup=round(loop / lib, 1))
    print(f"\npooled draws {lib * 1e3:.1f} ms, loop {loop * 1e3:.0f} ms (x{loop / lib:.0f})")
