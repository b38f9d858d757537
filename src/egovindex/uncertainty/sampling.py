"""Random and quasi-random designs for the factors of a problem.

Plain Monte Carlo draws come from NumPy's ``Generator`` (PCG64). They are drawn in fixed
blocks of :data:`BLOCK` replications, block ``b`` from the stream seeded by
``SeedSequence(seed, spawn_key=(b,))``, so replication ``r`` gets the same numbers
whatever the chunk size, the number of workers or the array library that evaluates it.

The Sobol/Saltelli design (:func:`saltelli`) uses ``scipy.stats.qmc.Sobol`` (scrambled)
in ``2 D`` dimensions, ``D`` the number of uniform variates all factors need; each factor
maps its uniforms to values by the inverse of its distribution function (Saltelli et al.
2010, *Comput. Phys. Commun.* 181, 259-270).

Factor values, per replication: weights ``(B, k)`` float; a discrete choice ``(B,)``
option index; measurement noise ``(B, n_entities, n_columns)`` standardised errors.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.composite import Node
from egovindex.errors import InputError
from egovindex.uncertainty.factors import (
    AggregationChoice,
    DirichletWeights,
    Factor,
    ImputationChoice,
    IndicatorNoise,
    NormalisationChoice,
    OutlierCapping,
    UniformWeights,
)
from egovindex.uncertainty.plan import Plan

__all__ = ["BLOCK", "Design", "Sampler", "check_seed", "saltelli"]

BLOCK = 1024
"""Replications per random-number block (part of the reproducibility contract)."""

FloatArray = NDArray[np.float64]

_U_EPS = 1e-12  # keeps inverse distribution functions finite at u = 0 or 1


def check_seed(seed: int) -> int:
    """Validate a seed: a non-negative integer."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


@attrs.frozen
class _Bound:
    """A factor bound to its problem: how many uniforms it needs and how to draw it."""

    factor: Factor
    dims: int
    nominal: FloatArray  # nominal weights, or empty
    varying: NDArray[np.bool_]  # which weights vary
    shape: tuple[int, ...]  # trailing shape of the values

    def draw(self, rng: np.random.Generator, n: int) -> NDArray[Any]:
        f = self.factor
        if isinstance(f, DirichletWeights):
            out = np.zeros((n, self.nominal.size))
            if self.dims == 0:
                out[:] = self.nominal
            else:
                out[:, self.varying] = rng.dirichlet(
                    f.concentration * self.nominal[self.varying], size=n
                )
            return out
        if isinstance(f, UniformWeights):
            low, high = self._bounds()
            if self.dims == 0:
                return np.tile(self._fixed(low), (n, 1))
            raw = rng.uniform(low, high, size=(n, low.size))
            return np.asarray(raw / raw.sum(axis=1, keepdims=True))
        if isinstance(f, IndicatorNoise):
            if self.dims == 0:
                return np.zeros((n, *self.shape))
            if f.distribution == "normal":
                return rng.standard_normal((n, *self.shape))
            return rng.uniform(-1.0, 1.0, size=(n, *self.shape))
        m = _n_options(f)
        return rng.integers(0, m, size=n, dtype=np.int64)

    def from_uniform(self, u: FloatArray) -> NDArray[Any]:
        from scipy import special  # imported on first use: it takes ~0.2 s

        f = self.factor
        n = u.shape[0]
        uc = np.clip(u, _U_EPS, 1.0 - _U_EPS)
        if isinstance(f, DirichletWeights):
            out = np.zeros((n, self.nominal.size))
            if self.dims == 0:
                out[:] = self.nominal
                return out
            g = special.gammaincinv(f.concentration * self.nominal[self.varying], uc)
            out[:, self.varying] = g / g.sum(axis=1, keepdims=True)
            return out
        if isinstance(f, UniformWeights):
            low, high = self._bounds()
            if self.dims == 0:
                return np.tile(self._fixed(low), (n, 1))
            raw = np.tile(low, (n, 1))
            raw[:, self.varying] = low[self.varying] + u * (high - low)[self.varying]
            return np.asarray(raw / raw.sum(axis=1, keepdims=True))
        if isinstance(f, IndicatorNoise):
            if self.dims == 0:
                return np.zeros((n, *self.shape))
            e = special.ndtri(uc) if f.distribution == "normal" else 2.0 * u - 1.0
            return np.asarray(e).reshape(n, *self.shape)
        m = _n_options(f)
        if self.dims == 0:
            return np.zeros(n, dtype=np.int64)
        return np.minimum(np.floor(u[:, 0] * m), m - 1).astype(np.int64)

    def _bounds(self) -> tuple[FloatArray, FloatArray]:
        f = self.factor
        assert isinstance(f, UniformWeights)
        k = self.nominal.size
        low = np.broadcast_to(np.asarray(f.low, dtype=np.float64), (k,)).copy()
        high = np.broadcast_to(np.asarray(f.high, dtype=np.float64), (k,)).copy()
        return low, high

    def _fixed(self, low: FloatArray) -> FloatArray:
        # Zero-width ranges at the nominal weights reproduce them exactly.
        if np.array_equal(low, self.nominal):
            return self.nominal
        return np.asarray(low / low.sum())


def _n_options(f: Factor) -> int:
    if isinstance(f, NormalisationChoice | AggregationChoice | ImputationChoice):
        return len(f.options)
    if isinstance(f, OutlierCapping):
        return len(f.counts)
    raise AssertionError(f)  # pragma: no cover


def _bind(f: Factor, plan: Plan, index: int) -> _Bound:
    empty = np.zeros(0)
    none = np.zeros(0, dtype=bool)
    if isinstance(f, DirichletWeights | UniformWeights):
        node = plan.problem.tree.find(f.node)
        assert isinstance(node, Node)
        w = np.asarray(node.weights, dtype=np.float64)
        if isinstance(f, DirichletWeights):
            varying = w > 0
            dims = 0 if math.isinf(f.concentration) or varying.sum() < 2 else int(varying.sum())
            return _Bound(f, dims, w, varying, (w.size,))
        low = np.broadcast_to(np.asarray(f.low, dtype=np.float64), w.shape)
        high = np.broadcast_to(np.asarray(f.high, dtype=np.float64), w.shape)
        if not high.sum() > 0:
            raise InputError(f"uniform weights of node {f.node!r}: every upper bound is 0")
        varying = high > low
        return _Bound(f, int(varying.sum()), w, varying, (w.size,))
    if isinstance(f, IndicatorNoise):
        shape = (plan.n_entities, len(plan.noise_columns[index]))
        size = 0 if (f.relative == 0 and f.absolute == 0) else shape[0] * shape[1]
        return _Bound(f, size, empty, none, shape)
    m = _n_options(f)
    return _Bound(f, 1 if m > 1 else 0, empty, none, ())


class Sampler:
    """Factor values for replications ``[start, stop)`` of a seeded run.

    Parameters
    ----------
    plan
        The compiled problem.
    seed
        Non-negative integer; the same seed gives the same draws for every replication.
    """

    def __init__(self, plan: Plan, seed: int) -> None:
        self.seed = check_seed(seed)
        self.bound = tuple(_bind(f, plan, i) for i, f in enumerate(plan.problem.factors))
        self._cache: dict[int, list[NDArray[Any]]] = {}

    @property
    def dims(self) -> tuple[int, ...]:
        """Uniform variates each factor needs in a quasi-random design (0: fixed)."""
        return tuple(b.dims for b in self.bound)

    def block(self, b: int) -> list[NDArray[Any]]:
        """The draws of block ``b`` (replications ``b*BLOCK`` to ``(b+1)*BLOCK``)."""
        hit = self._cache.get(b)
        if hit is not None:
            return hit
        rng = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=(b,)))
        )
        out = [bf.draw(rng, BLOCK) for bf in self.bound]
        if len(self._cache) >= 4:
            self._cache.pop(next(iter(self._cache)))
        self._cache[b] = out
        return out

    def draw(self, start: int, stop: int) -> list[NDArray[Any]]:
        """Factor values of replications ``start`` to ``stop - 1``."""
        first, last = start // BLOCK, (stop - 1) // BLOCK
        blocks = [self.block(b) for b in range(first, last + 1)]
        lo = start - first * BLOCK
        hi = lo + (stop - start)
        return [
            np.concatenate([blk[i] for blk in blocks], axis=0)[lo:hi]
            if len(blocks) > 1
            else blocks[0][i][lo:hi]
            for i in range(len(self.bound))
        ]

    def from_uniform(self, u: FloatArray) -> list[NDArray[Any]]:
        """Factor values from uniforms ``(n, sum(dims))`` (columns in factor order)."""
        out = []
        pos = 0
        for bf in self.bound:
            out.append(bf.from_uniform(u[:, pos : pos + bf.dims]))
            pos += bf.dims
        return out


@attrs.frozen(eq=False)
class Design:
    """A Saltelli design: base matrices ``a`` and ``b`` ``(n, D)`` and the factor groups."""

    a: FloatArray
    b: FloatArray
    groups: tuple[slice, ...]

    @property
    def n(self) -> int:
        """Base sample size."""
        return int(self.a.shape[0])

    def matrix(self, which: int | str) -> FloatArray:
        """``"A"``, ``"B"``, or ``i``: A with the columns of group ``i`` taken from B."""
        if which == "A":
            return self.a
        if which == "B":
            return self.b
        assert isinstance(which, int)
        ab = self.a.copy()
        g = self.groups[which]
        ab[:, g] = self.b[:, g]
        return ab


def _sobol_engine(d: int, seed: int) -> Any:
    from scipy.stats import qmc  # scipy.stats is slow to import; only Sobol designs need it

    params = inspect.signature(qmc.Sobol).parameters
    rng = np.random.default_rng(seed)
    if "rng" in params:
        return qmc.Sobol(d, scramble=True, rng=rng)
    return qmc.Sobol(d, scramble=True, seed=rng)  # pragma: no cover - SciPy < 1.15


def saltelli(dims: Sequence[int], n: int, seed: int) -> Design:
    """A scrambled Sobol design for groups of ``dims`` uniforms and base size ``n``.

    Parameters
    ----------
    dims
        Uniform variates per factor (a factor with 0 is fixed and gets an empty group).
    n
        Base sample size, a power of two (the Sobol sequence's balance needs it).
    seed
        Seed of the scrambling.

    Raises
    ------
    InputError
        ``n`` is not a power of two, no factor varies, or the design needs more
        dimensions than SciPy's Sobol generator has (21201).
    """
    check_seed(seed)
    if n < 2 or n & (n - 1):
        raise InputError(f"the base sample size must be a power of two >= 2, got {n}")
    total = int(sum(dims))
    if total == 0:
        raise InputError("no factor varies: every factor has zero width")
    if 2 * total > 21201:
        raise InputError(
            f"the design needs {2 * total} Sobol dimensions, more than 21201; "
            "perturb fewer indicators"
        )
    u = _sobol_engine(2 * total, seed).random_base2(int(math.log2(n)))
    groups = []
    pos = 0
    for d in dims:
        groups.append(slice(pos, pos + d))
        pos += d
    return Design(u[:, :total], u[:, total:], tuple(groups))
