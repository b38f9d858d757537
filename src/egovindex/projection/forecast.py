"""A predictive distribution of the whole table at future Surveys: every country at once.

:func:`forecast` draws ``n`` joint futures of the EGDI of every country of the latest
edition, one Survey at a time (every two years after it). Each draw is a whole table, so
ranks (relative by nature, methodology A.8.1) are taken within each simulated table, and
any target (a rank, a rank within a region or ASEAN, an EGDI value, a level group) gets
a probability from the same draws.

The default model, ``"pooled"``, is fitted on the editions from 2012 (193 countries, one
normalisation pipeline, methodology A.1.1, A.1.2). It works in a bounded space: the EGDI
``x`` of a country becomes ``logit(x)``, standardised across the countries of each
edition, ``z = (logit(x) - m_t) / s_t``; rank depends on ``z`` alone. One regression is
pooled over every country and every edition-to-edition change:

    z[t+1] - z[t] = b0 + b1 * z[t] + b2 * (w[t] - w[t-1]) + e,

with ``w`` the same standardised logit of the Online Services Index (OSI). ``b1`` is the
regression of the relative position toward the mean, ``b2`` the reversion of the latest
OSI change: the OSI is the Survey's own assessment of national portals, and part of a
jump in it is gone at the next Survey (it acts at the next Survey only; later steps have
no lag term). The spread of ``e`` depends on where a country sits: ``log E[e^2]`` is
quadratic in ``z`` (scaled so that its mean is the mean squared residual), evaluated
within the range of ``z`` fitted. Back on the EGDI scale,
``m_t`` moves by the mean past change of the cross-country mean of ``logit(x)`` plus a
common shock with the spread of those past changes, and ``s_t`` by its mean past log
change; ``x = expit(m_t + s_t z)`` never leaves (0, 1).

The library's own analysis, not a UN method. Its skill is measured by
:func:`egovindex.projection.backtest` (docs: "How good are the projections?").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.errors import BoundsError, InputError
from egovindex.panel import readonly
from egovindex.projection.gap import _GROUP_FLOORS, _egdi_arg, _group_arg, _rank_arg
from egovindex.ranking import rank

__all__ = [
    "DEFAULT_MODEL",
    "MODELS",
    "Forecast",
    "ForecastModel",
    "PooledFit",
    "forecast",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
ForecastModel = Literal["pooled", "persistence", "bootstrap", "linear", "compound", "mean_change"]
MODELS: tuple[str, ...] = (
    "pooled",
    "persistence",
    "bootstrap",
    "linear",
    "compound",
    "mean_change",
)
"""Every model :func:`forecast` and :func:`~egovindex.projection.backtest` accept."""
DEFAULT_MODEL: ForecastModel = "pooled"
"""The model chosen by the backtest (docs: "How good are the projections?")."""
TREND_MODELS: tuple[str, ...] = ("linear", "compound", "mean_change")
CYCLE = 2
"""Years between Survey editions since 2008; forecasts, trends and the backtest step by it
(defined here only: :mod:`~egovindex.projection.trend` and
:mod:`~egovindex.projection.backtest` import it)."""
SINCE = 2012
_EPS = 1e-4  # logit is taken on [_EPS, 1 - _EPS]; the EGDI never came near either end
QUANTILES = (0.025, 0.10, 0.50, 0.90, 0.975)
"""Quantiles reported: the 95 % and 80 % central intervals and the median."""


_whole = _rank_arg  # a whole-number argument, named in the error (not a bool)


MAX_HORIZON = 100
"""Years after the last Survey that a forecast may reach: nothing is known that far out,
and memory grows with the horizon."""


def check_horizon(value: object, last_year: int, name: str) -> int:
    """``value`` as a forecast horizon: a year from the next Survey after ``last_year`` to
    :data:`MAX_HORIZON` years after it, else :class:`~egovindex.errors.InputError`."""
    h = _whole(value, name)
    if h < last_year + CYCLE:
        raise InputError(
            f"{name} must be at least {last_year + CYCLE} (the next Survey after "
            f"{last_year}), got {value!r}"
        )
    if h > last_year + MAX_HORIZON:
        raise InputError(
            f"{name} must be at most {last_year + MAX_HORIZON} ({MAX_HORIZON} years after "
            f"{last_year}), got {value!r}"
        )
    return h


def check_seed(value: object) -> int:
    """``value`` as a seed of :func:`numpy.random.default_rng`: a non-negative whole number."""
    seed = _whole(value, "seed")
    if seed < 0:
        raise InputError(f"seed must be a non-negative whole number, got {seed}")
    return seed


def _model_arg(model: object) -> ForecastModel:
    if model not in MODELS:
        raise InputError(f"unknown forecast model {model!r}; choose one of {', '.join(MODELS)}")
    return model  # type: ignore[return-value]


# -- the pooled model ------------------------------------------------------------------


@attrs.frozen(eq=False)
class PooledFit:
    """The fitted pooled model (see the module docstring for the equations).

    Attributes
    ----------
    coef
        ``(b0, b1, b2)``: intercept, position and latest-OSI-change coefficients.
    spread
        ``(c0, c1, c2)``: ``E[e^2] = exp(c0 + c1 z + c2 z^2)``.
    drift, drift_sd
        Mean and standard deviation of the past per-Survey changes of the cross-country
        mean of ``logit(EGDI)``.
    scale_drift
        Mean past per-Survey change of the log of its cross-country standard deviation.
    pairs
        Country-to-next-edition changes fitted.
    position_range
        Least and greatest ``z`` fitted: the spread is evaluated at ``z`` clipped to it,
        never extrapolated (a quadratic outside its data would grow without bound).
    """

    coef: FloatArray = attrs.field(converter=readonly)
    spread: FloatArray = attrs.field(converter=readonly)
    drift: float
    drift_sd: float
    scale_drift: float
    pairs: int
    position_range: tuple[float, float]


def _standardise(values: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(z, m, s)`` of ``logit(values)`` per row; 0 (a zero-ruled EGDI) counts as missing."""
    x = np.where(values > 0, np.clip(values, _EPS, 1 - _EPS), np.nan)
    logit = np.log(x / (1 - x))
    m = np.nanmean(logit, axis=1)
    s = np.nanstd(logit, axis=1)
    return (logit - m[:, None]) / s[:, None], m, s


def _lstsq(x: FloatArray, y: FloatArray) -> FloatArray:
    out: FloatArray = np.asarray(np.linalg.lstsq(x, y, rcond=None)[0], np.float64)
    return out


def fit_pooled(values: FloatArray, osi: FloatArray) -> PooledFit:
    """Fit the pooled model on ``values`` and ``osi`` (editions x countries, NaN where not
    assessed): the EGDI and its Online Services Index.

    Raises
    ------
    InputError
        Fewer than three editions, or no country observed in three consecutive ones.
    """
    if values.shape[0] < 3:
        raise InputError(
            f"the pooled model needs at least three editions to fit, got {values.shape[0]}"
        )
    z = _standardise(values)[0]
    w = _standardise(osi)[0]
    # A change of the OSI unseen (a zero-ruled or missing OSI) carries no signal: 0.
    pos, lag, change = z[1:-1], np.nan_to_num(w[1:-1] - w[:-2]), z[2:] - z[1:-1]
    ok = np.isfinite(pos) & np.isfinite(change)
    if not ok.any():
        raise InputError("no country was assessed in three consecutive editions")
    x = np.stack([np.ones(int(ok.sum())), pos[ok], lag[ok]], axis=1)
    coef = _lstsq(x, change[ok])
    resid = change[ok] - x @ coef
    q = np.stack([np.ones_like(pos[ok]), pos[ok], pos[ok] ** 2], axis=1)
    # log residual^2 on a quadratic in z, then rescaled so the mean variance is matched.
    spread = _lstsq(q, np.log(resid**2 + 1e-12))
    spread[0] += np.log(np.mean(resid**2) / np.mean(np.exp(q @ spread)))
    m, s = _standardise(values)[1:]
    steps = np.diff(m)
    return PooledFit(
        coef=coef,
        spread=spread,
        drift=float(steps.mean()),
        drift_sd=float(steps.std(ddof=1)) if steps.size > 1 else 0.0,
        scale_drift=float(np.diff(np.log(s)).mean()),
        pairs=int(ok.sum()),
        position_range=(float(pos[ok].min()), float(pos[ok].max())),
    )


def _pooled_draws(
    values: FloatArray,
    osi: FloatArray,
    steps: int,
    n: int,
    rng: np.random.Generator,
    fit: PooledFit,
) -> FloatArray:
    z, m, s = _standardise(values)
    w = _standardise(osi)[0]
    # A zero-ruled EGDI (0, methodology A.1.1) is not fitted, but it starts at the bottom.
    x = np.clip(values[-1], _EPS, 1 - _EPS)
    start = np.where(np.isnan(z[-1]), (np.log(x / (1 - x)) - m[-1]) / s[-1], z[-1])
    pos = np.broadcast_to(start, (n, start.size)).copy()
    # The latest OSI change acts at the next Survey only; later steps have no lag term.
    lag = np.nan_to_num(w[-1] - w[-2])
    level = np.full(n, m[-1])
    c0, c1, c2 = fit.spread
    b0, b1, b2 = fit.coef
    low, high = fit.position_range
    out = np.empty((n, steps, pos.shape[1]))
    for step in range(steps):  # a few Survey cycles; each is vectorised
        at = np.clip(pos, low, high)
        sd = np.sqrt(np.exp(c0 + c1 * at + c2 * at**2))
        push = b2 * lag if step == 0 else 0.0
        pos = pos + b0 + b1 * pos + push + sd * rng.standard_normal(pos.shape)
        level = level + fit.drift + fit.drift_sd * rng.standard_normal(n)
        scale = s[-1] * np.exp(fit.scale_drift * (step + 1))
        out[:, step] = 1.0 / (1.0 + np.exp(-(level[:, None] + scale * pos)))
    return out


# -- the other models ------------------------------------------------------------------


def _bootstrap_draws(
    values: FloatArray, steps: int, n: int, rng: np.random.Generator
) -> FloatArray:
    """Each country's changes resampled from its own past changes (clipped to [0, 1])."""
    changes = np.diff(values, axis=0)
    ok = ~np.isnan(changes.T)
    counts = ok.sum(1)
    order = np.argsort(~ok, axis=1, kind="stable")
    packed = np.take_along_axis(np.where(ok, changes.T, 0.0), order, axis=1)
    columns = np.arange(packed.shape[0])
    current = np.broadcast_to(values[-1], (n, packed.shape[0])).copy()
    out = np.empty((n, steps, packed.shape[0]))
    for step in range(steps):
        pick = np.floor(rng.random(current.shape) * np.maximum(counts, 1)).astype(np.int64)
        current += np.where(counts > 0, packed[columns, pick], 0.0)
        np.clip(current, 0.0, 1.0, out=current)
        out[:, step] = current
    return out


def _trend_draws(model: str, years: IntArray, values: FloatArray, steps: int, k: int) -> FloatArray:
    from egovindex.projection.trend import _project, _rates

    rates = _rates(model, years[-(k + 1) :], values[-(k + 1) :])
    dt = (CYCLE * np.arange(1, steps + 1)).astype(np.float64)
    return _project(model, values[-1], rates, dt)[None]


def simulate(
    model: ForecastModel,
    years: IntArray,
    values: FloatArray,
    steps: int,
    *,
    osi: FloatArray | None = None,
    n: int,
    seed: int,
    since: int = SINCE,
    k: int = 3,
) -> FloatArray:
    """Draws ``(n or 1, steps, countries)`` of the EGDI at the next ``steps`` Surveys.

    ``values`` are (editions x countries) at ``years``; the last row is the start;
    ``osi`` the Online Services Index in the same shape (needed by ``"pooled"``).
    Deterministic models (``persistence`` and the trend models) give one draw. Only the
    rows given are read (:func:`forecast` passes those of its history; a backtest gives it
    a history cut at its origin).
    """
    rng = np.random.default_rng(seed)
    keep = years >= since
    if model == "persistence":
        return np.broadcast_to(values[-1], (1, steps, values.shape[1])).copy()
    if model in TREND_MODELS:
        if not 1 <= k <= len(years) - 1:
            raise InputError(f"k must be between 1 and {len(years) - 1}, got {k!r}")
        return _trend_draws(model, years, values, steps, k)
    if keep.sum() < 2:
        raise InputError(
            f"since={since!r} leaves fewer than two editions; editions: "
            + ", ".join(map(str, years.tolist()))
        )
    if model == "bootstrap":
        return _bootstrap_draws(values[keep], steps, n, rng)
    if osi is None:
        raise InputError("the pooled model needs the OSI of every edition")
    fit = fit_pooled(values[keep], osi[keep])
    return _pooled_draws(values[keep], osi[keep], steps, n, rng, fit)


# -- the forecast object ---------------------------------------------------------------


def _int_tuple(values: Sequence[int]) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


@attrs.frozen(eq=False)
class Forecast:
    """Joint draws of every country's EGDI at future Surveys.

    Attributes
    ----------
    model
        The model (see :data:`MODELS`).
    countries, names
        ISO3 codes and names of the latest edition, in its order.
    last_year
        The latest edition held (the start).
    years
        Projected Survey years, ``last_year + 2`` up to the horizon.
    current
        Published EGDI in ``last_year``.
    draws
        ``(n, len(years), len(countries))`` simulated EGDI (one draw for deterministic
        models).
    n, seed, since
        Draws requested, seed of :func:`numpy.random.default_rng`, first edition fitted.
    """

    model: ForecastModel
    countries: tuple[str, ...]
    names: tuple[str, ...]
    last_year: int
    years: tuple[int, ...] = attrs.field(converter=_int_tuple)
    current: FloatArray = attrs.field(converter=readonly)
    draws: FloatArray = attrs.field(converter=readonly)
    n: int
    seed: int
    since: int
    _latest: Any = attrs.field(alias="latest")

    def locate(self, country: str) -> int:
        """Column of ``country`` (ISO3 code or name)."""
        return int(self._latest.locate(country))

    def members(self, within: str | Sequence[str] | None = None) -> BoolArray:
        """Mask of the countries of ``within`` (membership of the latest edition)."""
        return np.asarray(self._latest.mask(within), bool)

    def ranks(self, within: str | Sequence[str] | None = None) -> IntArray:
        """Competition ranks in each draw and year among ``within`` (0 outside it)."""
        return rank(self.draws, within=self.members(within))

    def quantiles(
        self, country: str, within: str | Sequence[str] | None = None
    ) -> tuple[IntArray, FloatArray]:
        """Rank and EGDI quantiles :data:`QUANTILES` of ``country``, ``(len(years), 5)``."""
        i = self.locate(country)
        mask = self.members(within)
        if not mask[i]:
            raise InputError(f"{self.names[i]} ({self.countries[i]}) is not a member of {within!r}")
        r = self.ranks(within)[:, :, i]
        q = np.asarray(QUANTILES)
        ranks = np.quantile(r, q, axis=0, method="inverted_cdf").T.astype(np.int64)
        egdi = np.quantile(self.draws[:, :, i], q, axis=0).T
        return ranks, egdi

    def holds(
        self,
        country: str,
        *,
        target_rank: int | None = None,
        target_egdi: float | None = None,
        target_group: str | None = None,
        within: str | Sequence[str] | None = None,
    ) -> BoolArray:
        """Whether the target holds, ``(draws, len(years))`` (give exactly one target)."""
        i = self.locate(country)
        given = [t is not None for t in (target_rank, target_egdi, target_group)]
        if sum(given) != 1:
            raise InputError("give exactly one target: target_rank, target_egdi or target_group")
        if target_rank is not None:
            mask = self.members(within)
            if not mask[i]:
                raise InputError(
                    f"{self.names[i]} ({self.countries[i]}) is not a member of {within!r}"
                )
            r = _whole(target_rank, "target_rank")
            if not 1 <= r <= int(mask.sum()):
                raise BoundsError(f"target_rank must be between 1 and {int(mask.sum())}, got {r}")
            out: BoolArray = self.ranks(within)[:, :, i] <= r
            return out
        floor = (
            _GROUP_FLOORS[_group_arg(target_group)]  # lower bound inclusive (A.7.1)
            if target_group is not None
            else _egdi_arg(target_egdi)
        )
        hit: BoolArray = self.draws[:, :, i] >= floor
        return hit

    def probability(
        self,
        country: str,
        *,
        by: int | None = None,
        target_rank: int | None = None,
        target_egdi: float | None = None,
        target_group: str | None = None,
        within: str | Sequence[str] | None = None,
    ) -> tuple[float, FloatArray]:
        """``(P(the target holds in some Survey up to by), P per year)``.

        ``by`` defaults to the last projected year; years after ``by`` are not counted.

        Raises
        ------
        InputError
            ``by`` before the first projected year, or after the horizon (the draws say
            nothing of the Surveys after it: forecast with a later ``horizon``).
        """
        hit = self.holds(
            country,
            target_rank=target_rank,
            target_egdi=target_egdi,
            target_group=target_group,
            within=within,
        )
        until = self.years[-1] if by is None else _whole(by, "by")
        upto = np.asarray(self.years) <= until
        if not upto.any():
            raise InputError(f"by must be at least {self.years[0]}, got {by!r}")
        if until > self.years[-1] + CYCLE - 1:
            raise InputError(
                f"by={by!r} is after the horizon of this forecast, {self.years[-1]}: "
                f"forecast with horizon={until} to reach it"
            )
        return float(hit[:, upto].any(axis=1).mean()), hit.mean(axis=0)


def _start(history: Any) -> tuple[Any, IntArray, FloatArray, FloatArray]:
    latest = history.surveys[-1]
    count = len(latest.countries)
    if tuple(history.countries[:count]) != tuple(latest.countries):
        raise InputError("the history's countries must start with the latest edition's")
    values = np.asarray(history.matrix("egdi"), np.float64)[:, :count]
    osi = np.asarray(history.matrix("osi"), np.float64)[:, :count]
    return latest, np.asarray(history.editions, np.int64), values, osi


def forecast(
    history: Any,
    *,
    model: ForecastModel = DEFAULT_MODEL,
    horizon: int | None = None,
    n: int = 4000,
    seed: int = 0,
    since: int = SINCE,
    k: int = 3,
) -> Forecast:
    """Joint draws of every country's EGDI at each Survey up to ``horizon``.

    Parameters
    ----------
    history
        ``egovindex.load_history()``, or a ``History(surveys=...)`` cut at any edition:
        the forecast starts from its latest edition and reads nothing later.
    model
        ``"pooled"`` (default, chosen by the backtest), ``"persistence"`` (every EGDI
        stays), ``"bootstrap"`` (each country's own past changes resampled), or a trend
        model of :func:`~egovindex.projection.time_to_target`: ``"linear"``,
        ``"compound"``, ``"mean_change"`` (fitted on the last ``k`` changes).
    horizon
        Last year projected; default the next Survey. Survey years are every two years
        after the latest edition; a horizon between two of them stops at the earlier.
    n, seed
        Draws and seed of :func:`numpy.random.default_rng` (same seed, same draws).
    since
        First edition fitted by ``"pooled"`` and ``"bootstrap"`` (default 2012).
    k
        Changes fitted by the trend models.

    Returns
    -------
    Forecast

    Raises
    ------
    InputError
        Unknown model, bad ``horizon``, ``n``, ``seed``, ``since`` or ``k``.
    """
    chosen = _model_arg(model)
    latest, years, values, osi = _start(history)
    last = int(years[-1])
    h = last + CYCLE if horizon is None else check_horizon(horizon, last, "horizon")
    reps = _whole(n, "n")
    if reps < 1:
        raise InputError(f"n must be at least 1, got {n!r}")
    future = np.arange(last + CYCLE, h + 1, CYCLE, dtype=np.int64)
    first = _whole(since, "since")
    draws = simulate(
        chosen,
        years,
        values,
        future.size,
        osi=osi,
        n=reps,
        seed=check_seed(seed),
        since=first,
        k=_whole(k, "k"),
    )
    return Forecast(
        model=chosen,
        countries=tuple(latest.countries),
        names=tuple(latest.names),
        last_year=last,
        years=tuple(int(y) for y in future),
        current=values[-1],
        draws=draws,
        n=reps,
        seed=int(seed),
        since=first,
        latest=latest,
    )
