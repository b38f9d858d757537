"""Normalisers with a fit/apply split, as in scikit-learn's estimators.

``fit(values, direction)`` computes the parameters (mean and standard deviation,
minimum and maximum, ...) over the entities on the **last axis** and returns a
frozen *fitted* object; ``fitted.apply(values)`` uses them. Fitting again on a
changed panel gives the exact counterfactual (recomputed normalisation);
applying an old fit gives frozen normalisation. Leading axes (Monte Carlo
replications) are carried through: every statistic is computed per leading index.

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

from collections.abc import Iterable
from typing import Literal, Protocol, runtime_checkable

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.errors import InputError, MissingDataError, ZeroSpreadError
from egovindex.panel import Direction, readonly

__all__ = [
    "Cap",
    "Chain",
    "Fitted",
    "Goalposts",
    "Identity",
    "MinMax",
    "Normaliser",
    "RankScore",
    "RatioToTarget",
    "ZScore",
    "ZeroSpread",
]

FloatArray = NDArray[np.float64]

ZeroSpread = Literal["error", "zero", "midpoint"]
"""What to do when every entity has the same value: raise, return 0, or return the
midpoint of the output scale (0 for z-scores, 0.5 for min-max)."""


@runtime_checkable
class Fitted(Protocol):
    """A fitted normaliser: parameters plus :meth:`apply`."""

    def apply(self, values: FloatArray) -> FloatArray:
        """Normalise ``values`` (entities on the last axis) with the fitted parameters."""
        ...


@runtime_checkable
class Normaliser(Protocol):
    """Anything with ``fit(values, direction, name=...) -> Fitted``."""

    def fit(
        self, values: FloatArray, direction: Direction = Direction.HIGHER, *, name: str = ""
    ) -> Fitted:
        """Compute the parameters over the entities on the last axis of ``values``."""
        ...


def _as_float(values: FloatArray) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _require_observed(x: FloatArray, name: str) -> None:
    if x.shape[-1] == 0 or np.isnan(x).all(axis=-1).any():
        raise MissingDataError(f"indicator {name!r}: no observed values to fit on")


def _zero_spread(kind: str, name: str, x: FloatArray) -> ZeroSpreadError:
    flat = x.reshape(-1, x.shape[-1])
    row = int(np.flatnonzero((np.nanmax(flat, -1) - np.nanmin(flat, -1)) == 0)[0])
    value = float(np.nanmax(flat[row]))
    return ZeroSpreadError(
        f"indicator {name!r}: {kind} is zero (every one of {x.shape[-1]} entities has value "
        f"{value:g}); pass on_zero_spread='zero' or 'midpoint' to accept a constant score"
    )


# -- z-score -------------------------------------------------------------------------


@attrs.frozen
class FittedZScore:
    """Mean and standard deviation of a z-score fit (shape: leading axes + (1,))."""

    mean: FloatArray = attrs.field(converter=readonly)
    std: FloatArray = attrs.field(converter=readonly)
    sign: float
    ddof: int

    def apply(self, values: FloatArray) -> FloatArray:
        """Return ``sign * (values - mean) / std``; 0 where the spread was zero."""
        x = _as_float(values)
        safe = np.where(self.std > 0, self.std, 1.0)
        z = self.sign * (x - self.mean) / safe
        return np.where(self.std > 0, z, 0.0 * x)


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
        entity has the same value; ``"zero"`` or ``"midpoint"`` give every entity 0.
    """

    ddof: int = attrs.field(default=0, validator=attrs.validators.in_((0, 1)))
    on_zero_spread: ZeroSpread = "error"

    def fit(
        self, values: FloatArray, direction: Direction = Direction.HIGHER, *, name: str = ""
    ) -> FittedZScore:
        """Fit mean and standard deviation over the last axis, ignoring NaN."""
        x = _as_float(values)
        _require_observed(x, name)
        mean = np.nanmean(x, axis=-1, keepdims=True)
        n = np.sum(~np.isnan(x), axis=-1, keepdims=True)
        if self.ddof and (n <= self.ddof).any():
            raise MissingDataError(
                f"indicator {name!r}: too few observed values for ddof={self.ddof}"
            )
        std = np.sqrt(np.nansum((x - mean) ** 2, axis=-1, keepdims=True) / (n - self.ddof))
        # Zero spread is read from the range, not from std == 0: the mean of a constant
        # column can differ from its value in the last bit (mean of [0.1] * 3 is
        # 0.10000000000000002), leaving a std of ~1e-17 that would turn a constant into
        # z-scores of -1 instead of raising.
        flat = np.nanmax(x, axis=-1, keepdims=True) == np.nanmin(x, axis=-1, keepdims=True)
        std = np.where(flat, 0.0, std)
        if flat.any() and self.on_zero_spread == "error":
            raise _zero_spread("standard deviation", name, x)
        return FittedZScore(mean, std, Direction(direction).sign, self.ddof)


# -- min-max and goalposts -----------------------------------------------------------


@attrs.frozen
class FittedRange:
    """Lower and upper reference values of a min-max or goalposts fit."""

    low: FloatArray = attrs.field(converter=readonly)
    high: FloatArray = attrs.field(converter=readonly)
    sign: float
    clip: bool = False
    fill: float = 0.0

    def apply(self, values: FloatArray) -> FloatArray:
        """Return ``(x - low) / (high - low)`` (reversed for lower-is-better)."""
        x = _as_float(values)
        width = self.high - self.low
        safe = np.where(width > 0, width, 1.0)
        out = (x - self.low) / safe if self.sign > 0 else (self.high - x) / safe
        out = np.where(width > 0, out, self.fill + 0.0 * x)
        return np.clip(out, 0.0, 1.0) if self.clip else out


@attrs.frozen
class MinMax:
    """Min-max rescaling to [0, 1] over all entities: ``(x - min) / (max - min)``.

    Used by every UN Survey edition from 2012 on to bring each component's composite
    value into [0, 1] (2016 Annex A.1; 2018 Annex A.1 for OSI).

    Parameters
    ----------
    on_zero_spread
        ``"error"`` (default), ``"zero"`` (every entity 0) or ``"midpoint"`` (0.5).
    """

    on_zero_spread: ZeroSpread = "error"

    def fit(
        self, values: FloatArray, direction: Direction = Direction.HIGHER, *, name: str = ""
    ) -> FittedRange:
        """Fit the minimum and maximum over the last axis, ignoring NaN."""
        x = _as_float(values)
        _require_observed(x, name)
        low = np.nanmin(x, axis=-1, keepdims=True)
        high = np.nanmax(x, axis=-1, keepdims=True)
        if (high == low).any() and self.on_zero_spread == "error":
            raise _zero_spread("range", name, x)
        fill = 0.5 if self.on_zero_spread == "midpoint" else 0.0
        return FittedRange(low, high, Direction(direction).sign, fill=fill)


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
        self, values: FloatArray, direction: Direction = Direction.HIGHER, *, name: str = ""
    ) -> FittedRange:
        """Return the fixed goalposts (``values`` only fixes the output shape)."""
        shape = (*_as_float(values).shape[:-1], 1)
        return FittedRange(
            np.full(shape, self.lower),
            np.full(shape, self.upper),
            Direction(direction).sign,
            clip=self.clip,
        )


# -- rank, ratio, caps ---------------------------------------------------------------


@attrs.frozen
class FittedRank:
    """Reference values of a rank fit."""

    reference: FloatArray = attrs.field(converter=readonly)
    sign: float

    def apply(self, values: FloatArray) -> FloatArray:
        """Share of reference entities strictly worse than each value, in [0, 1]."""
        x = _as_float(values)
        ref = self.sign * self.reference
        worse = np.sum(ref[..., None, :] < self.sign * x[..., :, None], axis=-1)
        n = np.sum(~np.isnan(ref), axis=-1, keepdims=True)
        return np.where(np.isnan(x), np.nan, worse / np.maximum(n - 1, 1))


@attrs.frozen
class RankScore:
    """Rank normalisation: the share of entities with a strictly worse value.

    The best entity scores 1 and the worst 0; ties share a score. Robust to outliers,
    but levels are lost (OECD/JRC Handbook, 2008, section 5).
    """

    def fit(
        self, values: FloatArray, direction: Direction = Direction.HIGHER, *, name: str = ""
    ) -> FittedRank:
        """Keep the values as the reference set."""
        x = _as_float(values)
        _require_observed(x, name)
        return FittedRank(x, Direction(direction).sign)


@attrs.frozen
class FittedRatio:
    """Target of a ratio-to-target fit."""

    target: float
    sign: float
    name: str = ""

    def apply(self, values: FloatArray) -> FloatArray:
        """``x / target`` (higher is better) or ``target / x`` (lower is better)."""
        x = _as_float(values)
        if self.sign > 0:
            return x / self.target
        if (x == 0).any():
            raise ZeroSpreadError(
                f"indicator {self.name!r}: a value of 0 has no ratio to a lower-is-better target"
            )
        return self.target / x


@attrs.frozen
class RatioToTarget:
    """Distance to a reference: ``x / target`` (``target / x`` for lower-is-better)."""

    target: float

    def __attrs_post_init__(self) -> None:
        if not (np.isfinite(self.target) and self.target > 0):
            raise InputError(f"ratio target must be finite and positive, got {self.target}")

    def fit(
        self, values: FloatArray, direction: Direction = Direction.HIGHER, *, name: str = ""
    ) -> FittedRatio:
        """Return the fixed target."""
        return FittedRatio(self.target, Direction(direction).sign, name)


@attrs.frozen
class FittedCap:
    """Bounds of a cap."""

    lower: float | None
    upper: float | None

    def apply(self, values: FloatArray) -> FloatArray:
        """Clip ``values`` to the bounds (raw units, direction irrelevant)."""
        return np.clip(_as_float(values), self.lower, self.upper)


@attrs.frozen
class Cap:
    """Cap raw values before normalising, e.g. the UN TII cut-off of 120 per 100
    inhabitants applied since the 2020 Survey (2022 Survey, Annex, Table A.1)."""

    lower: float | None = None
    upper: float | None = None

    def fit(
        self, values: FloatArray, direction: Direction = Direction.HIGHER, *, name: str = ""
    ) -> FittedCap:
        """Return the fixed caps."""
        return FittedCap(self.lower, self.upper)


@attrs.frozen
class Identity:
    """Leave values as they are (higher-is-better only: negates lower-is-better)."""

    def fit(
        self, values: FloatArray, direction: Direction = Direction.HIGHER, *, name: str = ""
    ) -> FittedIdentity:
        """Return the sign of the direction."""
        return FittedIdentity(Direction(direction).sign)


@attrs.frozen
class FittedIdentity:
    """Sign of an identity fit."""

    sign: float

    def apply(self, values: FloatArray) -> FloatArray:
        """Return ``sign * values``."""
        return self.sign * _as_float(values)


@attrs.frozen
class FittedChain:
    """The fitted steps of a :class:`Chain`."""

    steps: tuple[Fitted, ...]

    def apply(self, values: FloatArray) -> FloatArray:
        """Apply every fitted step in order."""
        x = _as_float(values)
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

    def fit(
        self, values: FloatArray, direction: Direction = Direction.HIGHER, *, name: str = ""
    ) -> FittedChain:
        """Fit each step on the previous step's output."""
        x = _as_float(values)
        fitted: list[Fitted] = []
        current = Direction(direction)
        for step in self.steps:
            f = step.fit(x, current, name=name)
            fitted.append(f)
            x = f.apply(x)
            if not isinstance(step, Cap):  # the first scoring step has handled direction
                current = Direction.HIGHER
        return FittedChain(tuple(fitted))
