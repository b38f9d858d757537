"""Variance-based sensitivity: first-order and total-effect Sobol indices of each factor.

With a Saltelli design of base size ``N`` (matrices ``A`` and ``B`` and, for each factor
``i``, ``AB_i`` = ``A`` with factor ``i``'s columns from ``B``) the model is run
``N (k + 2)`` times and, per output,

- first order (Saltelli et al. 2010, *Comput. Phys. Commun.* 181, 259-270, Table 2 (b)):
  ``S_i = mean(f(B) * (f(AB_i) - f(A))) / V``;
- total effect (Jansen 1999; Saltelli et al. 2010, Table 2 (f)):
  ``ST_i = mean((f(A) - f(AB_i))**2) / (2 V)``;

``V`` the variance of ``f`` over ``A`` and ``B`` together. A factor made of several
numbers (a weight vector, the noise of every entity) is one group. An output that never
varies (``V = 0``) gets 0 for every factor: no factor moves it; :attr:`SobolIndices.variance`
shows which.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.errors import InputError
from egovindex.uncertainty.factors import Problem
from egovindex.uncertainty.montecarlo import (
    _host_outcome,
    default_chunk_size,
    evaluate_draws,
    nominal,
)
from egovindex.uncertainty.plan import compile_problem
from egovindex.uncertainty.ranks import ranks_numpy
from egovindex.uncertainty.sampling import Sampler, saltelli

__all__ = ["SobolIndices", "sobol", "sobol_indices"]

FloatArray = NDArray[np.float64]
OUTPUTS = ("score", "rank")


def sobol_indices(
    f_a: ArrayLike, f_b: ArrayLike, f_ab: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """First-order and total-effect indices from model runs on a Saltelli design.

    Parameters
    ----------
    f_a, f_b
        Outputs on the base matrices, shape ``(N, ...)``.
    f_ab
        Outputs on ``AB_i`` for each factor, shape ``(k, N, ...)``.

    Returns
    -------
    first, total, variance
        ``(k, ...)``, ``(k, ...)`` and ``(...)``; 0 where the variance is 0.
    """
    a = np.asarray(f_a, dtype=np.float64)
    b = np.asarray(f_b, dtype=np.float64)
    ab = np.asarray(f_ab, dtype=np.float64)
    if a.shape != b.shape or ab.shape[1:] != a.shape:
        raise InputError(f"shapes do not match: f(A) {a.shape}, f(B) {b.shape}, f(AB) {ab.shape}")
    var = np.var(np.concatenate([a, b], axis=0), axis=0)
    safe = np.where(var > 0, var, 1.0)
    first = np.mean(b[None] * (ab - a[None]), axis=1) / safe
    total = np.mean((a[None] - ab) ** 2, axis=1) / (2.0 * safe)
    zero = var == 0
    return np.where(zero, 0.0, first), np.where(zero, 0.0, total), var


@attrs.frozen(eq=False)
class SobolIndices:
    """Sobol indices of each factor on each ranked entity's score and rank.

    Attributes
    ----------
    factors, entities
        Row and column labels.
    first_order, total
        Output (``"score"``, ``"rank"``) -> ``(n_factors, n_entities)``.
    variance
        Output -> ``(n_entities,)`` variance of the output over the base samples.
    n_base
        Base sample size ``N``.
    n_used
        Base samples kept (a base sample is dropped when any of its runs failed).
    evaluations
        Model runs made.
    failures
        Cause -> failed runs.
    """

    factors: tuple[str, ...]
    entities: tuple[str, ...]
    first_order: Mapping[str, FloatArray]
    total: Mapping[str, FloatArray]
    variance: Mapping[str, FloatArray]
    n_base: int
    n_used: int
    evaluations: int
    failures: Mapping[str, int]

    def rows(self, output: str = "rank") -> list[dict[str, Any]]:
        """One dictionary per entity: each factor's first-order and total index."""
        if output not in OUTPUTS:
            raise InputError(f"unknown output {output!r}; choose 'score' or 'rank'")
        s, st = self.first_order[output], self.total[output]
        return [
            {
                "entity": e,
                "variance": float(self.variance[output][j]),
                **{f"S[{f}]": float(s[i, j]) for i, f in enumerate(self.factors)},
                **{f"ST[{f}]": float(st[i, j]) for i, f in enumerate(self.factors)},
            }
            for j, e in enumerate(self.entities)
        ]


def sobol(
    problem: Problem, n: int = 1024, *, seed: int, chunk_size: int | None = None
) -> SobolIndices:
    """First-order and total-effect Sobol indices of the problem's factors.

    Parameters
    ----------
    problem
        Tree, data and factors (at least one factor must vary).
    n
        Base sample size, a power of two; the model runs ``n * (k + 2)`` times for ``k``
        varying factors.
    seed
        Seed of the scrambled Sobol sequence.
    chunk_size
        Runs evaluated together.
    """
    plan = compile_problem(problem)
    nominal(plan)
    sampler = Sampler(plan, 0)
    dims = sampler.dims
    design = saltelli(dims, n, seed)
    varying = [i for i, d in enumerate(dims) if d > 0]
    chunk = int(chunk_size or default_chunk_size(plan))
    failures: dict[str, int] = {c: 0 for c in plan.causes}

    def run(u: FloatArray) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
        scores, oks = [], []
        for lo in range(0, u.shape[0], chunk):
            part = u[lo : lo + chunk]
            s, f = evaluate_draws(plan, sampler.from_uniform(part), part.shape[0])
            s_host, ok, fl = _host_outcome(s, f, plan, part.shape[0])
            for c, v in fl.items():
                failures[c] += int(v.sum())
            scores.append(s_host)
            oks.append(ok)
        s_all, ok_all = np.concatenate(scores), np.concatenate(oks)
        r = np.zeros(s_all.shape, dtype=np.float64)
        if ok_all.any():
            r[ok_all] = ranks_numpy(s_all[ok_all])
        return s_all, r, ok_all

    s_a, r_a, ok = run(design.matrix("A"))
    s_b, r_b, ok_b = run(design.matrix("B"))
    ok = ok & ok_b
    s_ab, r_ab = [], []
    for i in varying:
        s_i, r_i, ok_i = run(design.matrix(i))
        s_ab.append(s_i)
        r_ab.append(r_i)
        ok &= ok_i
    if not ok.any():
        detail = "; ".join(f"{c}: {v}" for c, v in failures.items() if v)
        raise InputError(f"every base sample had a failed run ({detail})")
    k, m = len(dims), plan.n_ranked
    first: dict[str, FloatArray] = {}
    total: dict[str, FloatArray] = {}
    variance: dict[str, FloatArray] = {}
    for name, fa, fb, fab in (("score", s_a, s_b, s_ab), ("rank", r_a, r_b, r_ab)):
        f1 = np.zeros((k, m))
        ft = np.zeros((k, m))
        if varying:
            s1, st, var = sobol_indices(fa[ok], fb[ok], np.stack([x[ok] for x in fab]))
            f1[varying] = s1
            ft[varying] = st
        else:  # pragma: no cover - saltelli() rejects designs without a varying factor
            var = np.zeros(m)
        first[name], total[name], variance[name] = f1, ft, var
    return SobolIndices(
        factors=problem.factor_names,
        entities=problem.ranked,
        first_order=first,
        total=total,
        variance=variance,
        n_base=n,
        n_used=int(ok.sum()),
        evaluations=n * (len(varying) + 2),
        failures={c: v for c, v in failures.items() if v},
    )
