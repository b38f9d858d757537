"""Weighted aggregation of normalised children into a composite value.

Weights are validated (finite, non-negative, positive sum) and must sum to one:
normalising them is an explicit call to :func:`normalise_weights`, never a silent
step. References: OECD/JRC *Handbook on Constructing Composite Indicators* (2008),
section 6 (weighting and aggregation).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.errors import InputError, WeightError

__all__ = [
    "Aggregation",
    "ZeroRule",
    "aggregate",
    "arithmetic_mean",
    "check_weights",
    "child_logs",
    "geometric_mean",
    "normalise_weights",
    "pairwise_sum",
    "weighted_arithmetic",
    "weighted_geometric",
]

FloatArray = NDArray[np.float64]

Aggregation = Literal["arithmetic", "geometric"]
ZeroRule = Literal["error", "zero", "floor"]
"""What a geometric mean does with a zero child: raise, return 0 for that entity, or
replace the zero by a small floor (see :func:`weighted_geometric`)."""

_SUM_TOL = 1e-9


def normalise_weights(weights: ArrayLike, *, name: str = "") -> FloatArray:
    """Return ``weights / sum(weights)`` after validating them.

    Raises
    ------
    WeightError
        A weight is not finite or negative, or the sum is not positive.
    """
    w = _validated(weights, name)
    return np.asarray(w / w.sum(axis=-1, keepdims=True), dtype=np.float64)


def check_weights(weights: ArrayLike, *, name: str = "") -> FloatArray:
    """Validate weights that must already sum to one (within 1e-9); return them as floats."""
    w = _validated(weights, name)
    total = w.sum(axis=-1)
    if np.any(np.abs(total - 1.0) > _SUM_TOL):
        bad = float(np.ravel(total)[np.argmax(np.ravel(np.abs(total - 1.0)))])
        raise WeightError(
            f"weights of {name or 'the aggregate'!r} sum to {bad:.12g}, not 1; "
            "call egovindex.aggregate.normalise_weights() to rescale them explicitly"
        )
    return w


def _validated(weights: ArrayLike, name: str) -> FloatArray:
    w = np.asarray(weights, dtype=np.float64)
    label = name or "the aggregate"
    if w.ndim == 0 or w.shape[-1] == 0:
        raise WeightError(f"weights of {label!r} are empty")
    if not np.isfinite(w).all():
        raise WeightError(f"weights of {label!r} must be finite, got {w.tolist()}")
    if (w < 0).any():
        raise WeightError(f"weights of {label!r} must be non-negative, got {w.tolist()}")
    if (w.sum(axis=-1) <= 0).any():
        raise WeightError(f"weights of {label!r} must have a positive sum, got {w.tolist()}")
    return w


def weighted_arithmetic(values: ArrayLike, weights: ArrayLike, *, name: str = "") -> FloatArray:
    """Weighted arithmetic mean over the last axis: ``sum_k w_k * x_k`` (fully compensatory).

    ``values`` has the children on the last axis (``(..., n_entities, k)``); ``weights``
    has shape ``(k,)`` or broadcasts against ``values``.
    """
    x = np.asarray(values, dtype=np.float64)
    w = check_weights(weights, name=name)
    _check_arity(x, w, name)
    cols = [x[..., j] for j in range(w.size)]
    return np.asarray(arithmetic_mean(cols, [float(v) for v in w], np), dtype=np.float64)


def weighted_geometric(
    values: ArrayLike,
    weights: ArrayLike,
    *,
    name: str = "",
    zeros: ZeroRule = "error",
    floor: float = 1e-6,
) -> FloatArray:
    """Weighted geometric mean over the last axis: ``prod_k x_k ** w_k``.

    Needs strictly positive children. ``zeros`` sets the rule for a zero child:
    ``"error"`` (default) raises, ``"zero"`` gives the entity a composite of 0 (full
    non-compensation), ``"floor"`` replaces zeros by ``floor``. Negative values are
    always an error (z-scores must be rescaled first).
    """
    x = np.asarray(values, dtype=np.float64)
    w = check_weights(weights, name=name)
    _check_arity(x, w, name)
    if (x < 0).any():
        raise InputError(
            f"geometric mean of {name or 'the aggregate'!r}: negative child value "
            f"{float(x[x < 0].min()):g}; rescale to [0, 1] (min-max) first"
        )
    zero = x == 0
    if zero.any():
        if zeros == "error":
            raise InputError(
                f"geometric mean of {name or 'the aggregate'!r}: {int(zero.sum())} child value(s) "
                "are 0; choose zeros='zero' or zeros='floor'"
            )
        if zeros == "floor":
            x = np.where(zero, floor, x)
    logs = child_logs([x[..., j] for j in range(w.size)], "zero", floor, np)[0]
    weights = [float(v) for v in w]
    mean = geometric_mean(logs, [], weights, [v > 0 for v in weights], np)
    return np.asarray(mean, dtype=np.float64)


def aggregate(
    values: ArrayLike,
    weights: Sequence[float] | FloatArray,
    how: Aggregation = "arithmetic",
    *,
    name: str = "",
    zeros: ZeroRule = "error",
) -> FloatArray:
    """Dispatch to :func:`weighted_arithmetic` or :func:`weighted_geometric`."""
    if how == "arithmetic":
        return weighted_arithmetic(values, weights, name=name)
    if how == "geometric":
        return weighted_geometric(values, weights, name=name, zeros=zeros)
    raise InputError(f"unknown aggregation {how!r}; choose 'arithmetic' or 'geometric'")


def _check_arity(x: FloatArray, w: FloatArray, name: str) -> None:
    if x.shape[-1] != w.shape[-1]:
        raise WeightError(
            f"{name or 'the aggregate'!r} has {x.shape[-1]} children but {w.shape[-1]} weights"
        )


# -- the array-API core: every evaluation's aggregation -------------------------------
#
# The kernel (egovindex.uncertainty.kernel) aggregates with these for an evaluation, a
# batch of data sets or Monte Carlo replications, on any array library; the validated
# NumPy functions above call them too. Children come as one array per child (rows =
# replications, last axis = entities) so that a sum over children is a sum of arrays in
# NumPy's pairwise order: bit for bit ``np.sum(x * w, axis=-1)`` over stacked children.


def pairwise_sum(terms: Sequence[Any]) -> Any:
    """Sum ``terms`` in NumPy's pairwise order for a reduction over a short axis.

    NumPy adds the ``k`` elements of a contiguous axis with eight running partial sums
    (blocks of 128, halved above); repeating that order makes a weighted sum over
    children bitwise equal to ``np.sum(x * w, axis=-1)`` in the engine.
    """
    k = len(terms)
    if k == 1:
        return terms[0]  # NumPy starts from 0.0; 0.0 + t == t (up to the sign of a zero)
    if k < 8:
        res = terms[0] + terms[1]  # a new array: adding the rest in place alters no input
        for t in terms[2:]:
            res = _iadd(res, t)
        return res
    if k <= 128:
        r = list(terms[:8])
        i = 8
        while i < k - (k % 8):
            for j in range(8):
                r[j] = r[j] + terms[i + j]
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        for t in terms[i:]:
            res = res + t
        return res
    half = k // 2
    half -= half % 8
    return pairwise_sum(terms[:half]) + pairwise_sum(terms[half:])


def _iadd(res: Any, t: Any) -> Any:
    """``res + t``, in place where ``res`` is a NumPy array of the result's shape.

    Each fresh temporary of a chunk is megabytes that the allocator maps anew; reusing
    ``res`` saves that. Other array libraries (some immutable) get the plain sum.
    """
    if (
        isinstance(res, np.ndarray)
        and res.size > 4096  # a small array: the checks below cost more than they save
        and np.broadcast_shapes(res.shape, np.shape(t)) == res.shape
        and np.result_type(res, t) == res.dtype
    ):
        res += t
        return res
    return res + t


def arithmetic_mean(
    cols: Sequence[Any], weights: Sequence[Any], xp: Any, *, missing: bool = False
) -> Any:
    """Weighted arithmetic mean of the children ``cols`` (one array each), any array library.

    ``weights`` are numbers or arrays broadcasting against the children (one weight per
    replication). With ``missing`` (the data may hold NaN), an entity with a missing
    child averages its observed children with their weights rescaled to sum to one (the
    available-case rule of the OECD/JRC Handbook, section 3); an entity with none is NaN.
    """
    plain = pairwise_sum([c * w for c, w in zip(cols, weights, strict=True)])
    if not missing:
        return plain
    # weights rescaled over the observed children, only for entities missing a child
    obs = [xp.logical_not(xp.isnan(c)) for c in cols]
    wo = [_mask_weight(o, w, xp) for o, w in zip(obs, weights, strict=True)]
    total = _observed_total(wo, xp)
    filled = [xp.where(o, c, 0.0) for o, c in zip(obs, cols, strict=True)]
    avail = pairwise_sum([f * (w / total) for f, w in zip(filled, wo, strict=True)])
    return _where_missing(cols, avail, plain, xp)


def _mask_weight(observed: Any, w: Any, xp: Any) -> Any:
    if isinstance(w, float):
        return xp.astype(observed, xp.float64) * w
    return xp.where(observed, w, 0.0)


def _observed_total(wo: list[Any], xp: Any) -> Any:
    """Sum of the observed children's weights; NaN where it is 0 (no observed child with
    weight: a flagged failure), so the shares are NaN there without a 0/0 warning."""
    total = pairwise_sum(wo)
    return xp.where(total > 0, total, math.nan)


def _where_missing(cols: Sequence[Any], avail: Any, plain: Any, xp: Any) -> Any:
    any_nan: Any = None
    for c in cols:
        m = xp.any(xp.isnan(c), axis=-1, keepdims=True)
        any_nan = m if any_nan is None else xp.logical_or(any_nan, m)
    return xp.where(any_nan, avail, plain)


def child_logs(
    cols: Sequence[Any], zeros: str, floor: float, xp: Any
) -> tuple[list[Any], list[Any], list[Any]]:
    """Logarithms of each child and, per row, whether it holds a negative value or a zero.

    ``zeros="floor"`` replaces zeros by ``floor`` first; otherwise log(0) is -inf (a
    geometric mean of 0, the ``"zero"`` rule). Used by :func:`geometric_mean`.
    """
    logs, neg, zero = [], [], []
    for c in cols:
        neg.append(xp.any(c < 0, axis=-1))
        zero.append(xp.any(c == 0, axis=-1))
        v = xp.where(c == 0, floor, c) if zeros == "floor" else c
        pos = v > 0
        logs.append(xp.where(pos, xp.log(xp.where(pos, v, 1.0)), -math.inf))
    return logs, neg, zero


def geometric_mean(
    logs: Sequence[Any],
    cols: Sequence[Any],
    weights: Sequence[Any],
    positive: Sequence[Any],
    xp: Any,
    *,
    missing: bool = False,
) -> Any:
    """Weighted geometric mean ``exp(sum w log x)`` from the children's :func:`child_logs`.

    ``positive`` says where each weight is positive (``True`` for a positive number): a
    zero weight contributes nothing, even against log(0). With ``missing``, ``cols`` are
    the children's values and the available-case rule of :func:`arithmetic_mean` applies.
    """
    terms = [_masked(w, p, lg, xp) for w, p, lg in zip(weights, positive, logs, strict=True)]
    plain = xp.exp(pairwise_sum(terms))
    if not missing:
        return plain
    obs = [xp.logical_not(xp.isnan(c)) for c in cols]
    wo = [_mask_weight(o, w, xp) for o, w in zip(obs, weights, strict=True)]
    total = _observed_total(wo, xp)
    terms_a = [
        # log(0) = -inf is masked where the share is 0: 0 * -inf would be NaN (and a warning)
        xp.where((w / total) > 0, (w / total) * xp.where(o & ((w / total) > 0), lg, 0.0), 0.0)
        for w, o, lg in zip(wo, obs, logs, strict=True)
    ]
    return _where_missing(cols, xp.exp(pairwise_sum(terms_a)), plain, xp)


def _masked(w: Any, positive: Any, log: Any, xp: Any) -> Any:
    if isinstance(positive, bool):
        return w * log if positive else xp.zeros_like(log)
    # a zero weight times log(0) = -inf is NaN (and a RuntimeWarning): mask the log first
    return w * xp.where(positive, log, 0.0)
