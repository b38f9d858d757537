"""The default analysis of ``egovindex uncertainty``, written three ways for comparison.

The analysis: the EGDI of one Survey edition from its published components (OSI, TII,
HCI); per replication, Dirichlet weights around the edition's weights (concentration
100), the arithmetic or the geometric mean (equally likely; a zero component gives EGDI
0 under the geometric mean), 2 % relative normal noise on every component clipped to
[0, 1], the edition's zero rule; then every country's competition rank and EGDI level
group are tallied.

- :func:`naive_numpy` is the plain vectorised NumPy program one would write first:
  draw a chunk, compute both means, pick, sort, count.
- :func:`compiled` is the same work compiled end to end with numba (one pass per
  replication: noise, both means, insertion sort from the previous order, counts),
  on as many threads as there are cores: a reference for how fast this analysis can go.

Neither reproduces the library's random streams (they draw their own), so they are
compared on rates; both are checked to give the same rank distributions as the
library within sampling error.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
from numpy.typing import NDArray

from egovindex.datasets import load_survey
from egovindex.methodologies.un.formula import top_weights, zero_rule_component

FLOORS = (0.75, 0.50, 0.25)


def inputs(year: int = 2024) -> tuple[NDArray[np.float64], NDArray[np.float64], int]:
    """Components ``(n, 3)``, nominal weights and the zero-rule column (-1: none)."""
    s = load_survey(year)
    x = np.stack([np.asarray(s.index(c), dtype=np.float64) for c in ("osi", "tii", "hci")], 1)
    rule = zero_rule_component(year)
    return x, np.asarray(top_weights(year)), {"osi": 0, "hci": 2}.get(rule or "", -1)


def competition_ranks(s: NDArray[np.float64]) -> NDArray[np.int64]:
    """0-based competition ranks of each row (highest first; ties share the best rank)."""
    b, n = s.shape
    order = np.argsort(-s, axis=1, kind="stable")
    srt = np.take_along_axis(s, order, axis=1)
    pos = np.broadcast_to(np.arange(n), (b, n))
    new = np.ones((b, n), bool)
    new[:, 1:] = srt[:, 1:] != srt[:, :-1]
    start = np.maximum.accumulate(np.where(new, pos, 0), axis=1)  # first place of each tie
    ranks = np.empty((b, n), np.int64)
    np.put_along_axis(ranks, order, start, axis=1)
    return ranks


def naive_numpy(
    x: NDArray[np.float64],
    w0: NDArray[np.float64],
    zero_col: int,
    reps: int,
    *,
    seed: int = 0,
    chunk: int = 4096,
    concentration: float = 100.0,
    noise: float = 0.02,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Rank and level counts ``(n, n)`` and ``(n, 4)`` of ``reps`` replications."""
    rng = np.random.default_rng(seed)
    n = x.shape[0]
    rank_counts = np.zeros((n, n), np.int64)
    level_counts = np.zeros((n, 4), np.int64)
    floors = np.asarray(FLOORS)[::-1]
    for lo in range(0, reps, chunk):
        b = min(chunk, reps - lo)
        w = rng.dirichlet(concentration * w0, size=b)  # (b, 3)
        geo = rng.integers(0, 2, size=b).astype(bool)
        xs = x[None] + rng.standard_normal((b, n, 3)) * (noise * np.abs(x))[None]
        np.clip(xs, 0.0, 1.0, out=xs)
        arith = np.einsum("bnk,bk->bn", xs, w)
        with np.errstate(divide="ignore"):
            logs = np.log(xs)
        zero = (xs == 0).any(axis=2)
        geom = np.exp(np.einsum("bnk,bk->bn", np.where(xs > 0, logs, 0.0), w))
        geom[zero] = 0.0
        s = np.where(geo[:, None], geom, arith)
        if zero_col >= 0:
            s[xs[:, :, zero_col] == 0] = 0.0
        ranks = competition_ranks(s)
        ent = np.broadcast_to(np.arange(n), (b, n))
        rank_counts += np.bincount((ent * n + ranks).ravel(), minlength=n * n).reshape(n, n)
        lev = 3 - np.searchsorted(floors, s, side="right")  # 0 = Very High ... 3 = Low
        level_counts += np.bincount((ent * 4 + lev).ravel(), minlength=n * 4).reshape(n, 4)
    return rank_counts, level_counts


def _numba_kernel() -> Any:
    import numba

    @numba.njit(cache=True, nogil=True)
    def batch(x, sd, w, geo, e, zero_col, floors, order, rank_counts, level_counts):  # type: ignore[no-untyped-def]
        n = x.shape[0]
        s = np.empty(n)
        for pick in (False, True):  # arithmetic replications, then geometric: close orders
            for b in range(w.shape[0]):
                if geo[b] != pick:
                    continue
                for i in range(n):
                    a = 0.0
                    lg = 0.0
                    zero = False
                    zc = False
                    for k in range(3):
                        v = x[i, k] + e[b, i, k] * sd[i, k]
                        v = 0.0 if v < 0.0 else (1.0 if v > 1.0 else v)
                        a += w[b, k] * v
                        if v == 0.0:
                            zero = True
                            zc = zc or k == zero_col
                        elif pick:
                            lg += w[b, k] * math.log(v)
                    val = (0.0 if zero else math.exp(lg)) if pick else a
                    s[i] = 0.0 if zc else val
                for i in range(1, n):  # insertion sort from the previous order, descending
                    j = order[i]
                    v = s[j]
                    m = i - 1
                    while m >= 0 and s[order[m]] < v:
                        order[m + 1] = order[m]
                        m -= 1
                    order[m + 1] = j
                r = 0
                for i in range(n):
                    if i == 0 or s[order[i]] != s[order[i - 1]]:
                        r = i
                    rank_counts[order[i], r] += 1
                for i in range(n):
                    g = 3
                    for f in range(3):
                        if s[i] >= floors[f]:
                            g = f
                            break
                    level_counts[i, g] += 1

    return batch


def compiled(
    x: NDArray[np.float64],
    w0: NDArray[np.float64],
    zero_col: int,
    reps: int,
    *,
    seed: int = 0,
    threads: int | None = None,
    concentration: float = 100.0,
    noise: float = 0.02,
    block: int = 1024,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The same counts, compiled end to end, ``reps`` split over ``threads`` threads.

    Random numbers come from NumPy's generators in blocks (its ziggurat normals are the
    fastest available); everything else is one compiled pass per block.
    """
    import concurrent.futures

    batch = _numba_kernel()
    threads = threads or os.cpu_count() or 1
    n = x.shape[0]
    floors = np.asarray(FLOORS)
    sd = noise * np.abs(x)

    def part(t: int, count: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        rng = np.random.default_rng([seed, t])
        rank_counts = np.zeros((n, n), np.int64)
        level_counts = np.zeros((n, 4), np.int64)
        order = np.arange(n)
        for lo in range(0, count, block):
            b = min(block, count - lo)
            w = rng.dirichlet(concentration * w0, size=b)
            geo = rng.integers(0, 2, size=b).astype(np.bool_)
            e = rng.standard_normal((b, n, 3))
            batch(x, sd, w, geo, e, zero_col, floors, order, rank_counts, level_counts)
        return rank_counts, level_counts

    parts = [reps // threads + (1 if t < reps % threads else 0) for t in range(threads)]
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        results = [f.result() for f in [pool.submit(part, t, c) for t, c in enumerate(parts)]]
    rank_total = np.sum([r[0] for r in results], axis=0)
    level_total = np.sum([r[1] for r in results], axis=0)
    return rank_total, level_total
