"""Normalisers with a fit/apply split, as in scikit-learn's estimators.

``fit(values, direction)`` computes the parameters (mean and standard deviation,
minimum and maximum, ...) over the entities on the **last axis** and returns a
frozen *fitted* object; ``fitted.apply(values)`` uses them. Fitting again on a
changed panel gives the exact counterfactual (recomputed normalisation);
applying an old fit gives frozen normalisation. Every other axis is a *batch*
axis (Monte Carlo replications, candidate values of a solver): every statistic is
computed per batch index, so one ``fit`` serves a single evaluation and a whole chunk
of replications alike. ``fit(..., axis=k)`` puts the entities on another axis.

Fits work on any array of the Python array API standard (NumPy, CuPy, PyTorch, ...)
with the functions of its own namespace, so the Monte Carlo core calls these same
objects on its device. Given a ``failures`` dictionary, a fit records the batch rows
that cannot be normalised (zero spread, a zero under a lower-is-better ratio) under a
cause instead of raising, and the Monte Carlo core counts those replications as failed;
:meth:`causes` lists the causes a normaliser may record. A new normaliser that follows
the :class:`Normaliser` protocol works in :func:`~egovindex.composite.evaluate` and in
:func:`~egovindex.uncertainty.monte_carlo` alike.

Direction is handled here, once: for a lower-is-better indicator every
normaliser returns a score in which higher is better, so no composite can come
out silently upside down.

NaN marks a missing value: fits ignore it, applies propagate it. Whether missing
values are allowed at all is decided by the caller (see
:func:`egovindex.composite.evaluate`), never here.

References: OECD/JRC *Handbook on Constructing Composite Indicators* (2008),
section 5 (normalisation); UN E-Government Survey 2016 Annex A.1 and 2018 Annex
A.1 (population z-scores, then min-max rescaling).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, Literal, Protocol, runtime_checkable

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.errors import InputError, MissingDataError, NonFiniteError, ZeroSpreadError
from egovindex.panel import Direction, readonly

__all__ = [
    "Affine",
    "Cap",
    "Chain",
    "Failures",
    "Fitted",
    "Goalposts",
    "Identity",
    "MinMax",
    "Normaliser",
    "RankScore",
    "RatioToTarget",
    "ZScore",
    "ZeroSpread",
    "causes_of",
    "fit_apply",
]

FloatArray = NDArray[np.float64]

Failures = dict[str, Any]
"""Cause -> boolean mask over the batch axes of the rows a fit could not normalise."""

ZeroSpread = Literal["error", "zero", "midpoint"]
"""What to do when every entity has the same value: raise, return 0, or return the
midpoint of the output scale (0 for z-scores, 0.5 for min-max)."""


@runtime_checkable
class Fitted(Protocol):
    """A fitted normaliser: parameters plus :meth:`apply`."""

    def apply(self, values: Any) -> Any:
        """Normalise ``values`` with the fitted parameters."""
        ...


@runtime_checkable
class Normaliser(Protocol):
    """Anything with a batched ``fit``.

    ``fit(values, direction, name=..., axis=-1, failures=None)`` computes the parameters
    over the entities on ``axis`` of ``values``, separately for every index of the other
    (batch) axes, with the functions of the array's own namespace. With ``failures=None``
    a row that cannot be normalised raises an :class:`~egovindex.errors.EgovIndexError`;
    given a dictionary, the fit instead records a boolean mask over the batch axes under
    a cause (and the rows are normalised to some finite value). A normaliser that records
    failures lists its causes in an optional ``causes(name) -> tuple[str, ...]`` method.
    """

    def fit(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> Fitted:
        """Compute the parameters over the entities on ``axis`` of ``values``."""
        ...


def causes_of(normaliser: object, name: str) -> tuple[str, ...]:
    """The failure causes ``normaliser`` may record for the node or leaf ``name``."""
    causes = getattr(normaliser, "causes", None)
    return tuple(causes(name)) if callable(causes) else ()


# -- array plumbing: any array-API array, NumPy's own functions for NumPy ---------------


def _array(values: Any) -> tuple[Any, Any]:
    """``values`` as float64 and their namespace (NumPy for NumPy and Python data)."""
    if isinstance(values, np.ndarray) or not hasattr(values, "dtype"):
        return np.asarray(values, dtype=np.float64), np
    if isinstance(values, np.generic):
        return np.asarray(values, dtype=np.float64), np
    from egovindex.arrays import namespace  # other libraries: lazily

    xp = namespace(values)
    return (values if values.dtype == xp.float64 else xp.astype(values, xp.float64)), xp


# NumPy's reductions called as ufunc methods: the same computation as np.sum, np.min,
# np.any (which call them), without their Python wrappers, a microsecond each, which is
# most of the cost of a fit on a few hundred entities.


def _any(xp: Any, a: Any) -> bool:
    return bool(a.any()) if isinstance(a, np.ndarray) else bool(xp.any(a))


def _all(xp: Any, a: Any) -> bool:
    return bool(a.all()) if isinstance(a, np.ndarray) else bool(xp.all(a))


def _sum(xp: Any, a: Any, axis: int) -> Any:
    if xp is np:
        return np.add.reduce(a, axis=axis, keepdims=True)
    return xp.sum(a, axis=axis, keepdims=True)


def _min(xp: Any, a: Any, axis: int) -> Any:
    if xp is np:
        return np.minimum.reduce(a, axis=axis, keepdims=True)
    return xp.min(a, axis=axis, keepdims=True)


def _max(xp: Any, a: Any, axis: int) -> Any:
    if xp is np:
        return np.maximum.reduce(a, axis=axis, keepdims=True)
    return xp.max(a, axis=axis, keepdims=True)


def _param(values: Any) -> Any:
    """A fitted parameter: read-only for NumPy, left on its device otherwise.

    A fit's own parameters come read-only already (:func:`_frozen`) and are kept as they
    are; anything else is copied into a read-only array.
    """
    if isinstance(values, np.ndarray) and values.dtype == np.float64 and _is_frozen(values):
        return values
    return readonly(values) if isinstance(values, np.ndarray | float | int | list) else values


def _is_frozen(values: NDArray[np.float64]) -> bool:
    # read-only and owning its memory: nothing else can write it
    return not values.flags.writeable and values.base is None and values.flags.c_contiguous


def _sign(direction: Direction | str) -> float:
    return direction.sign if isinstance(direction, Direction) else Direction(direction).sign


def _frozen(values: Any) -> Any:
    """A freshly computed NumPy parameter made read-only in place (no copy)."""
    if isinstance(values, np.ndarray) and values.base is None:
        values.setflags(write=False)
    return values


def _require_observed(x: Any, obs: Any, name: str, xp: Any, axis: int) -> None:
    if x.shape[axis] == 0 or (
        obs is not None and bool(xp.any(xp.logical_not(xp.any(obs, axis=axis))))
    ):
        raise MissingDataError(f"indicator {name!r}: no observed values to fit on")


def _observed(x: Any, name: str, xp: Any, axis: int) -> Any:
    """Mask of observed values (every row must have one); ``None`` when none is missing."""
    _require_observed(x, None, name, xp, axis)
    if not _any(xp, xp.isnan(x)):
        return None
    obs = xp.logical_not(xp.isnan(x))
    _require_observed(x, obs, name, xp, axis)
    return obs


def _count_mean(x: Any, name: str, xp: Any, axis: int) -> tuple[Any, Any, Any]:
    """Mask of observed values (``None``: all), their number and their mean.

    The sums and the division are ``np.nanmean``'s. The plain sum comes first: a NaN in a
    row makes its sum NaN, so only then is the observed mask built.
    """
    _require_observed(x, None, name, xp, axis)
    n = x.shape[axis]
    total = _sum(xp, x, axis)
    if not _any(xp, xp.isnan(total)):
        return None, n, total / n
    obs = xp.logical_not(xp.isnan(x))
    _require_observed(x, obs, name, xp, axis)
    count = xp.sum(xp.astype(obs, x.dtype), axis=axis, keepdims=True)
    return obs, count, xp.sum(xp.where(obs, x, 0.0), axis=axis, keepdims=True) / count


def _extremes(x: Any, obs: Any, xp: Any, axis: int) -> tuple[Any, Any]:
    """Minimum and maximum of the observed values (``np.nanmin``, ``np.nanmax``)."""
    if obs is None:
        return _min(xp, x, axis), _max(xp, x, axis)
    low = xp.min(xp.where(obs, x, math.inf), axis=axis, keepdims=True)
    return low, xp.max(xp.where(obs, x, -math.inf), axis=axis, keepdims=True)


def _flat(x: Any, obs: Any, mean: Any, std: Any, xp: Any, axis: int) -> Any:
    """Rows whose observed values are all equal (their range is zero).

    Read from the range, not from std == 0: the mean of a constant row can differ from
    its value in the last bit (mean of [0.1] * 3 is 0.10000000000000002), leaving a std of
    ~1e-17 that would turn a constant into z-scores of -1. That residue is a few ulps of
    the mean, so a row whose std exceeds a millionth of its mean cannot be constant, and
    the range is computed only when some row is that close.
    """
    if not _any(xp, std <= 1e-6 * xp.abs(mean)):
        return xp.zeros_like(std, dtype=xp.bool)
    low, high = _extremes(x, obs, xp, axis)
    return high == low


def _record(failures: Failures, cause: str, mask: Any, xp: Any) -> None:
    failures[cause] = mask if cause not in failures else xp.logical_or(failures[cause], mask)


def _full(xp: Any, shape: tuple[int, ...], value: float, like: Any) -> Any:
    if xp is np:
        return np.full(shape, value)
    from egovindex.arrays import device_of

    return xp.full(shape, value, dtype=xp.float64, device=device_of(like))


def _zero_spread(kind: str, name: str, values: Any, axis: int) -> ZeroSpreadError:
    from egovindex.arrays import to_numpy

    x = np.moveaxis(to_numpy(values), axis, -1)
    flat = x.reshape(-1, x.shape[-1])
    row = int(np.flatnonzero((np.nanmax(flat, -1) - np.nanmin(flat, -1)) == 0)[0])
    value = float(np.nanmax(flat[row]))
    return ZeroSpreadError(
        f"indicator {name!r}: {kind} is zero (every one of {x.shape[-1]} entities has value "
        f"{value:g}); pass on_zero_spread='zero' or 'midpoint' to accept a constant score"
    )


def _spread(
    flat: Any, kind: str, name: str, x: Any, axis: int, failures: Failures | None, xp: Any
) -> None:
    """Raise for, or record, the rows of zero spread under the ``"error"`` rule."""
    if failures is not None:
        _record(failures, f"zero {kind} of {name!r}", xp.squeeze(flat, axis=axis), xp)
    elif _any(xp, flat):
        raise _zero_spread(kind, name, x, axis)


# -- z-score -------------------------------------------------------------------------


@attrs.frozen
class FittedZScore:
    """Mean and standard deviation of a z-score fit (the entity axis kept, of size 1)."""

    mean: Any = attrs.field(converter=_param)
    std: Any = attrs.field(converter=_param)
    sign: float
    ddof: int

    def apply(self, values: Any) -> Any:
        """Return ``sign * (values - mean) / std``; 0 where the spread was zero."""
        x, xp = _array(values)
        positive = self.std > 0
        if _all(xp, positive):  # the usual case: the same arithmetic, two calls fewer
            return self.sign * (x - self.mean) / self.std
        safe = xp.where(positive, self.std, 1.0)
        z = self.sign * (x - self.mean) / safe
        return xp.where(positive, z, 0.0 * x)


@attrs.frozen
class ZScore:
    """Standardisation ``z = (x - mean) / std`` over all entities.

    Parameters
    ----------
    ddof
        Delta degrees of freedom of the standard deviation: 0 (population, the UN
        Survey's rule: 2016 Annex A.1, 2018 Annex A.1) or 1 (sample).
    on_zero_spread
        ``"error"`` (default) raises :class:`~egovindex.errors.ZeroSpreadError` when every
        entity has the same value (or records the row as failed, given ``failures``);
        ``"zero"`` or ``"midpoint"`` give every entity 0.
    """

    ddof: int = attrs.field(default=0, validator=attrs.validators.in_((0, 1)))
    on_zero_spread: ZeroSpread = "error"

    def causes(self, name: str) -> tuple[str, ...]:
        """The zero-spread cause, under the ``"error"`` rule."""
        return (f"zero standard deviation of {name!r}",) if self.on_zero_spread == "error" else ()

    def fit(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> FittedZScore:
        """Fit mean and standard deviation over ``axis``, ignoring NaN."""
        x, xp = _array(values)
        obs, n, mean = _count_mean(x, name, xp, axis)
        if self.ddof and failures is None and bool(xp.any(xp.asarray(n <= self.ddof))):
            raise MissingDataError(
                f"indicator {name!r}: too few observed values for ddof={self.ddof}"
            )
        dev2 = (x - mean) ** 2 if obs is None else xp.where(obs, (x - mean) ** 2, 0.0)
        std = xp.sqrt(_sum(xp, dev2, axis) / (n - self.ddof))
        flat = _flat(x, obs, mean, std, xp, axis)
        std = xp.where(flat, 0.0, std)
        if self.on_zero_spread == "error":
            _spread(flat, "standard deviation", name, x, axis, failures, xp)
        return FittedZScore(_frozen(mean), _frozen(std), _sign(direction), self.ddof)


# -- min-max and goalposts -----------------------------------------------------------


@attrs.frozen
class FittedRange:
    """Lower and upper reference values of a min-max or goalposts fit."""

    low: Any = attrs.field(converter=_param)
    high: Any = attrs.field(converter=_param)
    sign: float
    clip: bool = False
    fill: float = 0.0

    def apply(self, values: Any) -> Any:
        """Return ``(x - low) / (high - low)`` (reversed for lower-is-better)."""
        x, xp = _array(values)
        width = self.high - self.low
        positive = width > 0
        if not self.clip and _all(xp, positive):  # the same arithmetic, fewer calls
            return (x - self.low) / width if self.sign > 0 else (self.high - x) / width
        safe = xp.where(positive, width, 1.0)
        out = (x - self.low) / safe if self.sign > 0 else (self.high - x) / safe
        out = xp.where(positive, out, self.fill + 0.0 * x)
        return xp.clip(out, 0.0, 1.0) if self.clip else out


@attrs.frozen
class MinMax:
    """Min-max rescaling to [0, 1] over all entities: ``(x - min) / (max - min)``.

    Used by every UN Survey edition from 2012 on to bring each component's composite
    value into [0, 1] (2016 Annex A.1; 2018 Annex A.1 for OSI).

    Parameters
    ----------
    on_zero_spread
        ``"error"`` (default; given ``failures``, the row is recorded and scores 0),
        ``"zero"`` (every entity 0) or ``"midpoint"`` (0.5).
    """

    on_zero_spread: ZeroSpread = "error"

    def causes(self, name: str) -> tuple[str, ...]:
        """The zero-range cause, under the ``"error"`` rule."""
        return (f"zero range of {name!r}",) if self.on_zero_spread == "error" else ()

    def fit(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> FittedRange:
        """Fit the minimum and maximum over ``axis``, ignoring NaN."""
        x, xp = _array(values)
        _require_observed(x, None, name, xp, axis)
        low, high = _extremes(x, None, xp, axis)
        if _any(xp, xp.isnan(low)):  # a NaN in a row makes its minimum NaN
            low, high = _extremes(x, _observed(x, name, xp, axis), xp, axis)
        if self.on_zero_spread == "error":
            _spread(high == low, "range", name, x, axis, failures, xp)
        fill = 0.5 if self.on_zero_spread == "midpoint" else 0.0
        return FittedRange(_frozen(low), _frozen(high), _sign(direction), fill=fill)


@attrs.frozen
class Goalposts:
    """Fixed bounds (UNDP HDI style): ``(x - lower) / (upper - lower)``, clipped to [0, 1].

    The parameters do not depend on the data, so scores are comparable over time.
    """

    lower: float
    upper: float
    clip: bool = True

    def __attrs_post_init__(self) -> None:
        if not self.upper > self.lower:
            raise InputError(f"goalposts need upper > lower, got [{self.lower}, {self.upper}]")

    def fit(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> FittedRange:
        """Return the fixed goalposts (``values`` only fixes the output shape)."""
        x, xp = _array(values)
        shape = list(x.shape)
        shape[axis] = 1
        return FittedRange(
            _full(xp, tuple(shape), self.lower, x),
            _full(xp, tuple(shape), self.upper, x),
            _sign(direction),
            clip=self.clip,
        )


# -- rank, ratio, caps ---------------------------------------------------------------


@attrs.frozen
class FittedRank:
    """Reference values of a rank fit (entities on ``axis``)."""

    reference: Any = attrs.field(converter=_param)
    sign: float
    axis: int = -1

    def apply(self, values: Any) -> Any:
        """Share of reference entities strictly worse than each value, in [0, 1]."""
        x, xp = _array(values)
        moved = self.axis not in (-1, x.ndim - 1)
        ref = xp.moveaxis(self.reference, self.axis, -1) if moved else self.reference
        x = xp.moveaxis(x, self.axis, -1) if moved else x
        ref = self.sign * ref
        below = ref[..., None, :] < self.sign * x[..., :, None]
        worse = xp.sum(xp.astype(below, x.dtype), axis=-1)
        n = xp.sum(xp.astype(xp.logical_not(xp.isnan(ref)), x.dtype), axis=-1, keepdims=True)
        out = xp.where(xp.isnan(x), math.nan, worse / xp.maximum(n - 1.0, 1.0))
        return xp.moveaxis(out, -1, self.axis) if moved else out


@attrs.frozen
class RankScore:
    """Rank normalisation: the share of entities with a strictly worse value.

    The best entity scores 1 and the worst 0; ties share a score. Robust to outliers,
    but levels are lost (OECD/JRC Handbook, 2008, section 5).
    """

    def fit(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> FittedRank:
        """Keep the values as the reference set."""
        x, xp = _array(values)
        _observed(x, name, xp, axis)
        return FittedRank(x, _sign(direction), axis)


def _ratio(x: Any, target: float, sign: float, xp: Any) -> Any:
    """``x / target`` (higher is better) or ``target / x`` (lower is better; zeros read as 1,
    the caller has recorded or refused them). An overflow is found by :func:`_overflows`,
    so NumPy's warning about it is not shown."""
    with np.errstate(over="ignore"):
        return x / target if sign > 0 else target / xp.where(x == 0, 1.0, x)


def _overflows(x: Any, ratio: Any, xp: Any) -> Any:
    """Where a finite value's ratio is not finite: ``1e-320`` under a lower-is-better
    target of 4, or ``1e308`` over a target of 0.5."""
    return xp.logical_and(xp.isfinite(x), xp.logical_not(xp.isfinite(ratio)))


@attrs.frozen
class FittedRatio:
    """Target of a ratio-to-target fit; ``guarded``: zeros and overflows were recorded as
    failures, and read as 0 in the output so that failed rows stay finite."""

    target: float
    sign: float
    name: str = ""
    guarded: bool = False

    def apply(self, values: Any) -> Any:
        """``x / target`` (higher is better) or ``target / x`` (lower is better)."""
        x, xp = _array(values)
        if self.sign < 0 and not self.guarded and bool(xp.any(x == 0)):
            raise ZeroSpreadError(
                f"indicator {self.name!r}: a value of 0 has no ratio to a lower-is-better target"
            )
        ratio = _ratio(x, self.target, self.sign, xp)
        over = _overflows(x, ratio, xp)
        if self.guarded:
            return xp.where(over, 0.0, ratio)
        if bool(xp.any(over)):
            bad = float(x[over][0])  # the first value whose ratio overflows
            raise NonFiniteError(
                f"indicator {self.name!r}: the ratio of {bad!r} to the target {self.target!r} "
                "overflows float64"
            )
        return ratio


@attrs.frozen
class RatioToTarget:
    """Distance to a reference: ``x / target`` (``target / x`` for lower-is-better)."""

    target: float

    def __attrs_post_init__(self) -> None:
        if not (np.isfinite(self.target) and self.target > 0):
            raise InputError(f"ratio target must be finite and positive, got {self.target}")

    def causes(self, name: str) -> tuple[str, ...]:
        """A zero under a lower-is-better ratio; a ratio that overflows float64."""
        return (
            f"ratio to target of {name!r} met a zero",
            f"ratio to target of {name!r} overflows",
        )

    def fit(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> FittedRatio:
        """Return the fixed target (given ``failures``, record the rows holding a zero under
        a lower-is-better direction, and the rows where a ratio overflows)."""
        sign = _sign(direction)
        if failures is None:
            return FittedRatio(self.target, sign, name)
        x, xp = _array(values)
        zero, overflow = self.causes(name)
        if sign < 0:
            _record(failures, zero, xp.any(x == 0, axis=axis), xp)
        over = _overflows(x, _ratio(x, self.target, sign, xp), xp)
        _record(failures, overflow, xp.any(over, axis=axis), xp)
        return FittedRatio(self.target, sign, name, guarded=True)


@attrs.frozen
class FittedCap:
    """Bounds of a cap."""

    lower: float | None
    upper: float | None

    def apply(self, values: Any) -> Any:
        """Clip ``values`` to the bounds (raw units, direction irrelevant)."""
        x, xp = _array(values)
        if self.lower is not None:
            x = xp.where(x < self.lower, float(self.lower), x)
        if self.upper is not None:
            x = xp.where(x > self.upper, float(self.upper), x)
        return x


@attrs.frozen
class Cap:
    """Cap raw values before normalising, e.g. the UN TII cut-off of 120 per 100
    inhabitants applied since the 2020 Survey (2022 Survey, Annex, Table A.1)."""

    lower: float | None = None
    upper: float | None = None

    def fit(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> FittedCap:
        """Return the fixed caps."""
        return FittedCap(self.lower, self.upper)


@attrs.frozen
class Identity:
    """Leave values as they are (higher-is-better only: negates lower-is-better)."""

    def fit(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> FittedIdentity:
        """Return the sign of the direction."""
        return FittedIdentity(_sign(direction))


@attrs.frozen
class FittedIdentity:
    """Sign of an identity fit."""

    sign: float

    def apply(self, values: Any) -> Any:
        """Return ``sign * values``."""
        return self.sign * _array(values)[0]


@attrs.frozen
class Affine:
    """Scores mapped to ``offset + scale * score``, after a scoring step in a :class:`Chain`.

    E.g. ``Chain((ZScore(), Affine(100.0, 10.0)))`` gives scores of mean 100 and standard
    deviation 10; ``Chain((MinMax(), Affine(0.0, 100.0)))`` gives scores on [0, 100]. A
    lower-is-better indicator given directly is negated first, as :class:`Identity` does.
    """

    offset: float = 0.0
    scale: float = 1.0

    def __attrs_post_init__(self) -> None:
        if not (math.isfinite(self.offset) and math.isfinite(self.scale) and self.scale > 0):
            raise InputError(
                f"affine map needs a finite offset and a positive scale, got "
                f"offset={self.offset}, scale={self.scale}"
            )

    def fit(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> FittedAffine:
        """Return the fixed map."""
        return FittedAffine(self.offset, self.scale, _sign(direction))


@attrs.frozen
class FittedAffine:
    """Offset, scale and direction sign of an affine map."""

    offset: float
    scale: float
    sign: float = 1.0

    def apply(self, values: Any) -> Any:
        """Return ``offset + scale * values`` (values negated first for lower-is-better)."""
        x = _array(values)[0]
        return self.offset + self.scale * (x if self.sign > 0 else -x)


@attrs.frozen
class FittedChain:
    """The fitted steps of a :class:`Chain`."""

    steps: tuple[Fitted, ...]

    def apply(self, values: Any) -> Any:
        """Apply every fitted step in order."""
        x = _array(values)[0]
        for step in self.steps:
            x = step.apply(x)
        return x


def _steps_tuple(values: Iterable[Normaliser]) -> tuple[Normaliser, ...]:
    return tuple(values)


@attrs.frozen
class Chain:
    """Several steps in order, e.g. ``Chain((Cap(upper=120), ZScore()))``.

    Each step is fitted on the output of the previous one. The direction is passed to
    every step; only the first direction-aware step flips the sign, so the later ones
    see higher-is-better values.
    """

    steps: tuple[Normaliser, ...] = attrs.field(converter=_steps_tuple)

    def causes(self, name: str) -> tuple[str, ...]:
        """The causes of every step."""
        return tuple(c for step in self.steps for c in causes_of(step, name))

    def fit(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> FittedChain:
        """Fit each step on the previous step's output."""
        return self.fit_apply(values, direction, name=name, axis=axis, failures=failures)[0]

    def fit_apply(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> tuple[FittedChain, Any]:
        """Fit each step on the previous step's output; return the fit and the output.

        Fitting a chain applies every step but the last anyway: this keeps that work.
        """
        x = _array(values)[0]
        fitted: list[Fitted] = []
        current = Direction(direction)
        for step in self.steps:
            f, x = fit_apply(step, x, current, name=name, axis=axis, failures=failures)
            fitted.append(f)
            if not isinstance(step, Cap):  # the first scoring step has handled direction
                current = Direction.HIGHER
        return FittedChain(tuple(fitted)), x


def fit_apply(
    normaliser: Normaliser,
    values: Any,
    direction: Direction = Direction.HIGHER,
    *,
    name: str = "",
    axis: int = -1,
    failures: Failures | None = None,
) -> tuple[Fitted, Any]:
    """Fit ``normaliser`` on ``values`` and normalise them: ``(fitted, normalised)``.

    The same as ``fitted = normaliser.fit(values, ...)`` then ``fitted.apply(values)``,
    bit for bit, without applying a :class:`Chain`'s steps twice.
    """
    if isinstance(normaliser, Chain):
        return normaliser.fit_apply(values, direction, name=name, axis=axis, failures=failures)
    f = normaliser.fit(values, direction, name=name, axis=axis, failures=failures)
    return f, f.apply(values)
