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

Each index comes with a bootstrap percentile confidence interval (the base samples
resampled with replacement, ``n_bootstrap`` times; Archer, Saltelli & Sobol 1997,
*J. Stat. Comput. Simul.* 58, 99-120), so an estimate that rests on too few samples shows
it: a first-order index of -1.04 with an interval of [-3, 0.9] says "no information", not
"negative". When runs fail (a geometric mean meeting a negative value, say), the base
samples with a failed run are left out; the indices then rest on fewer samples than
asked, and :func:`sobol` says so with a :class:`FewSamplesWarning` and in
:attr:`SobolIndices.warnings`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.errors import InputError
from egovindex.uncertainty.factors import Problem
from egovindex.uncertainty.montecarlo import (
    _host_outcome,
    chunk_for,
    evaluate_draws,
    nominal,
)
from egovindex.uncertainty.plan import Plan, compile_problem
from egovindex.uncertainty.ranks import ranks_numpy
from egovindex.uncertainty.sampling import Sampler, saltelli

__all__ = ["FewSamplesWarning", "SobolIndices", "bootstrap_intervals", "sobol", "sobol_indices"]

FloatArray = NDArray[np.float64]
OUTPUTS = ("score", "rank")


class FewSamplesWarning(UserWarning):
    """Sobol indices that rest on fewer base samples than asked (runs failed)."""


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


def bootstrap_intervals(
    f_a: ArrayLike,
    f_b: ArrayLike,
    f_ab: ArrayLike,
    *,
    n_bootstrap: int = 500,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[FloatArray, FloatArray]:
    """Bootstrap percentile intervals of the first-order and total-effect indices.

    The ``N`` base samples (a row of ``f_a``, the same row of ``f_b`` and of each
    ``f_ab[i]``) are resampled with replacement ``n_bootstrap`` times and the estimators
    of :func:`sobol_indices` recomputed on each resample; the interval is the central
    ``confidence`` range of those estimates. A resample is a vector of multiplicities,
    so each costs one matrix product, not a copy of the runs.

    Returns
    -------
    first, total
        ``(2, k, ...)``: lower and upper bounds (0 where the variance is 0).
    """
    a = np.asarray(f_a, dtype=np.float64)
    b = np.asarray(f_b, dtype=np.float64)
    ab = np.asarray(f_ab, dtype=np.float64)
    sobol_indices(a, b, ab)  # validates the shapes
    if isinstance(n_bootstrap, bool) or not isinstance(n_bootstrap, int) or n_bootstrap < 1:
        raise InputError(f"n_bootstrap must be a positive integer, got {n_bootstrap!r}")
    if not 0 < confidence < 1:
        raise InputError(f"confidence must lie strictly between 0 and 1, got {confidence}")
    n, k = a.shape[0], ab.shape[0]
    rest = a.shape[1:]
    rng = np.random.default_rng(seed)
    w = rng.multinomial(n, np.full(n, 1.0 / n), size=n_bootstrap).astype(np.float64) / n

    def mean(x: FloatArray) -> FloatArray:  # (n, ...) -> (n_bootstrap, ...), resampled means
        return np.asarray((w @ x.reshape(n, -1)).reshape(n_bootstrap, *rest))

    mu = 0.5 * (mean(a) + mean(b))
    var = np.maximum(0.5 * (mean(a * a) + mean(b * b)) - mu * mu, 0.0)
    # a resample whose output does not vary gets 0, as sobol_indices gives a constant output
    scale = np.where(var > 0, 1.0 / np.where(var > 0, var, 1.0), 0.0)
    first = np.stack([mean(b * (ab[i] - a)) for i in range(k)], axis=1) * scale[:, None]
    total = np.stack([mean((a - ab[i]) ** 2) for i in range(k)], axis=1) * (0.5 * scale[:, None])
    lo, hi = 0.5 * (1 - confidence), 0.5 * (1 + confidence)
    return np.quantile(first, [lo, hi], axis=0), np.quantile(total, [lo, hi], axis=0)


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
        Cause -> failed runs (a run failing for several causes counted once, under the
        first, as in :class:`~egovindex.uncertainty.montecarlo.Tally`).
    first_order_ci, total_ci
        Output -> ``(2, n_factors, n_entities)``: lower and upper bootstrap bounds.
    confidence
        Level of the intervals.
    warnings
        Why the indices are less reliable than asked (fewer base samples used than
        drawn); empty when they are not.
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
    first_order_ci: Mapping[str, FloatArray]
    total_ci: Mapping[str, FloatArray]
    confidence: float = 0.95
    warnings: tuple[str, ...] = ()

    def rows(self, output: str = "rank") -> list[dict[str, Any]]:
        """One dictionary per entity: each factor's first-order and total index and bounds.

        Keys ``S[f]``, ``S[f]_low``, ``S[f]_high``, ``ST[f]``, ``ST[f]_low``, ``ST[f]_high``.
        """
        if output not in OUTPUTS:
            raise InputError(f"unknown output {output!r}; choose 'score' or 'rank'")
        out = []
        for j, e in enumerate(self.entities):
            row: dict[str, Any] = {"entity": e, "variance": float(self.variance[output][j])}
            for key, est, ci in (
                ("S", self.first_order[output], self.first_order_ci[output]),
                ("ST", self.total[output], self.total_ci[output]),
            ):
                for i, f in enumerate(self.factors):
                    row[f"{key}[{f}]"] = float(est[i, j])
                    row[f"{key}[{f}]_low"] = float(ci[0, i, j])
                    row[f"{key}[{f}]_high"] = float(ci[1, i, j])
            out.append(row)
        return out


def sobol(
    problem: Problem,
    n: int = 1024,
    *,
    seed: int,
    chunk_size: int | None = None,
    n_bootstrap: int = 500,
    confidence: float = 0.95,
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
        Seed of the scrambled Sobol sequence (and of the bootstrap).
    chunk_size
        Runs evaluated together.
    n_bootstrap, confidence
        Bootstrap resamples and level of the confidence intervals
        (:func:`bootstrap_intervals`).

    Warns
    -----
    FewSamplesWarning
        Runs failed, so the indices rest on fewer than ``n`` base samples (the message
        and :attr:`SobolIndices.warnings` say how many).

    Raises
    ------
    InputError
        Every base sample had a failed run, or bad arguments.
    """
    plan = compile_problem(problem)
    nominal(plan)
    sampler = Sampler(plan, 0)
    dims = sampler.dims
    design = saltelli(dims, n, seed)
    varying = [i for i, d in enumerate(dims) if d > 0]
    runner = _Runner(plan, sampler, chunk_for(plan, chunk_size, n))
    s_a, r_a, ok = runner(design.matrix("A"))
    s_b, r_b, ok_b = runner(design.matrix("B"))
    ok = ok & ok_b
    s_ab, r_ab = [], []
    for i in varying:
        s_i, r_i, ok_i = runner(design.matrix(i))
        s_ab.append(s_i)
        r_ab.append(r_i)
        ok &= ok_i
    failures = {c: v for c, v in runner.failures.items() if v}
    if not ok.any():
        detail = "; ".join(f"{c}: {v}" for c, v in failures.items())
        raise InputError(f"every base sample had a failed run ({detail})")
    k, m = len(dims), plan.n_ranked
    est: dict[str, dict[str, FloatArray]] = {x: {} for x in ("S", "ST", "V", "S_ci", "ST_ci")}
    for name, fa, fb, fab in (("score", s_a, s_b, s_ab), ("rank", r_a, r_b, r_ab)):
        parts = (fa[ok], fb[ok], np.stack([x[ok] for x in fab]))
        s1, st, var = sobol_indices(*parts)
        ci1, cit = bootstrap_intervals(
            *parts, n_bootstrap=n_bootstrap, confidence=confidence, seed=seed
        )
        for key, value, shape in (
            ("S", s1, (k, m)),
            ("ST", st, (k, m)),
            ("S_ci", ci1, (2, k, m)),
            ("ST_ci", cit, (2, k, m)),
        ):
            full = np.zeros(shape)
            full[..., varying, :] = value
            est[key][name] = full
        est["V"][name] = var
    used = int(ok.sum())
    notes = _few_samples(used, n, failures)
    return SobolIndices(
        factors=problem.factor_names,
        entities=problem.ranked,
        first_order=est["S"],
        total=est["ST"],
        variance=est["V"],
        n_base=n,
        n_used=used,
        evaluations=n * (len(varying) + 2),
        failures=failures,
        first_order_ci=est["S_ci"],
        total_ci=est["ST_ci"],
        confidence=float(confidence),
        warnings=notes,
    )


def _few_samples(used: int, n: int, failures: Mapping[str, int]) -> tuple[str, ...]:
    """The warning of indices resting on ``used`` of ``n`` base samples (issued here)."""
    if used == n:
        return ()
    causes = "; ".join(f"{c}: {v}" for c, v in failures.items())
    note = (
        f"the Sobol indices rest on {used} of {n} base samples ({n - used} had a failed "
        f"run; failed runs by cause: {causes}); read them with their confidence intervals"
    )
    warnings.warn(note, FewSamplesWarning, stacklevel=3)
    return (note,)


class _Runner:
    """Runs the model on rows of uniforms, chunk by chunk; counts failed runs once."""

    def __init__(self, plan: Plan, sampler: Sampler, chunk: int) -> None:
        self.plan, self.sampler, self.chunk = plan, sampler, chunk
        self.failures: dict[str, int] = {c: 0 for c in plan.causes}

    def __call__(self, u: FloatArray) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
        """Scores, ranks (0 in a failed run) and success flags of each row of ``u``."""
        scores, oks = [], []
        for lo in range(0, u.shape[0], self.chunk):
            part = u[lo : lo + self.chunk]
            s, f = evaluate_draws(self.plan, self.sampler.from_uniform(part), part.shape[0])
            s_host, ok, fl = _host_outcome(s, f, self.plan, part.shape[0])
            for c, v in fl.items():
                self.failures[c] += int(v.sum())
            scores.append(s_host)
            oks.append(ok)
        s_all, ok_all = np.concatenate(scores), np.concatenate(oks)
        r = np.zeros(s_all.shape, dtype=np.float64)
        if ok_all.any():
            r[ok_all] = ranks_numpy(s_all[ok_all])
        return s_all, r, ok_all
