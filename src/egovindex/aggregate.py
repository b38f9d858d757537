"""Weighted aggregation of normalised children into a composite value.

Weights are validated (finite, non-negative, positive sum) and must sum to one:
normalising them is an explicit call to :func:`normalise_weights`, never a silent
step. References: OECD/JRC *Handbook on Constructing Composite Indicators* (2008),
section 6 (weighting and aggregation).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.errors import InputError, WeightError

__all__ = [
    "Aggregation",
    "ZeroRule",
    "aggregate",
    "check_weights",
    "normalise_weights",
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
    return np.asarray(np.sum(x * w, axis=-1), dtype=np.float64)


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
    with np.errstate(divide="ignore"):
        logs = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), -np.inf)
    return np.asarray(np.exp(np.sum(np.where(w > 0, w * logs, 0.0), axis=-1)), dtype=np.float64)


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
