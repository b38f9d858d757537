"""When a target is reached with every competitor moving too, and with what chance.

:func:`time_to_target` projects the EGDI of *every* country assessed in the latest edition
with one model of :func:`~egovindex.projection.forecast`, re-ranks all of them at each
future Survey year (every two years after the latest edition, the Survey's cycle since
2008), and reports the first year the target holds. :func:`probability_of_target` gives
the share of joint draws in which the target holds in some Survey up to a year.

The default model, ``"pooled"`` (a regression pooled over every country in the logit of
the EGDI, with a spread that depends on position), was chosen by the rolling-origin
backtest of :func:`~egovindex.projection.backtest`; the earlier models stay as named
options: the trend models ``"linear"``, ``"compound"`` and ``"mean_change"`` (each
country's own trend, deterministic) and ``"bootstrap"`` (each country's own past changes
resampled). All are the library's own analysis, not a UN method (methodology A.8.4
describes the frozen comparisons these extend). The editions differ in method
(methodology A.1.1, A.1.2; the 2003-2010 indices are not min-max rescaled), which is why
the fits use the editions from 2012, or the latest ones only, by default.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any, Literal, Protocol

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.errors import BoundsError, InputError
from egovindex.panel import readonly
from egovindex.projection.forecast import (
    CYCLE,
    DEFAULT_MODEL,
    QUANTILES,
    SINCE,
    TREND_MODELS,
    ForecastModel,
    _model_arg,
    check_horizon,
    check_seed,
    forecast,
)
from egovindex.projection.gap import _egdi_arg

__all__ = [
    "Outlook",
    "PublishedHistory",
    "TargetProbability",
    "TrendModel",
    "probability_of_target",
    "time_to_target",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
TrendModel = Literal["linear", "compound", "mean_change"]


class _Edition(Protocol):
    @property
    def year(self) -> int: ...

    @property
    def countries(self) -> tuple[str, ...]: ...

    @property
    def names(self) -> tuple[str, ...]: ...

    @property
    def egdi(self) -> FloatArray: ...

    def locate(self, key: str) -> int: ...

    def mask(self, within: Any = None) -> NDArray[np.bool_]: ...


class PublishedHistory(Protocol):
    """What the projections read from a history of editions (``egovindex.load_history()``)."""

    @property
    def editions(self) -> tuple[int, ...]:
        """Edition years, oldest first."""

    @property
    def surveys(self) -> Sequence[_Edition]:
        """One published edition per year, oldest first."""

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country, those of the latest edition first, in its order."""

    def matrix(self, index: str) -> FloatArray:
        """(editions x countries) values, NaN where not assessed."""


def _within_value(value: str | Sequence[str] | None) -> str | tuple[str, ...] | None:
    if value is None or isinstance(value, str):
        return value
    return tuple(value)


def _readonly_int(values: Any) -> IntArray:
    arr = np.array(values, dtype=np.int64, copy=True)
    arr.setflags(write=False)
    return arr


def _int_tuple(values: Sequence[int]) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


@attrs.frozen(eq=False)
class Outlook:
    """Every country projected with one trend model; when the target first holds.

    Attributes
    ----------
    country, name
        ISO3 code and name.
    model, k
        The model and the number of past edition-to-edition changes it is fitted on (a
        trend model: the latest ``k + 1`` editions; the pooled model and the bootstrap:
        every change from ``since`` on).
    within
        The group ranked among (``None``: every country of the latest edition).
    target_rank, target_egdi
        The target (one is ``None``).
    last_year
        The latest edition: the projection starts from its published values.
    current_rank, current_egdi
        The country's rank within the group and EGDI in the latest edition.
    reached_now
        The target already holds in the latest edition.
    years
        Projected Survey years, ``last_year + 2`` up to the horizon.
    egdi, ranks
        The country's projected EGDI and rank in each of :attr:`years`.
    year_reached
        The first projected year in which the target holds, ``None`` if it does not hold
        by the horizon.
    rate
        The country's fitted rate: EGDI points per year (``linear``, ``mean_change``), the
        growth rate per year (``compound``, 0.01 = 1 % a year), or for the probabilistic
        models the median change to the next Survey per year.
    countries, projected
        Every projected country and its projected (median) EGDI,
        ``(len(years), len(countries))``.
    rank_quantiles, egdi_quantiles
        The country's rank and EGDI at the quantiles 2.5, 10, 50, 90 and 97.5 %,
        ``(len(years), 5)``: the central 95 % and 80 % predictive intervals and the median
        (all equal for a deterministic trend).
    per_year
        Share of draws in which the target holds in each of :attr:`years` (0 or 1 for a
        deterministic trend); :attr:`year_reached` is the first year it is at least 1/2.
    capped
        Years in which a clipped trend reached the top of the EGDI scale (1): there the
        projection says nothing (every country at 1 shares rank 1).
    n, seed
        Draws and seed (1 draw for deterministic models).
    """

    country: str
    name: str
    model: ForecastModel
    k: int
    within: str | tuple[str, ...] | None = attrs.field(converter=_within_value)
    target_rank: int | None
    target_egdi: float | None
    last_year: int
    current_rank: int
    current_egdi: float
    reached_now: bool
    years: tuple[int, ...] = attrs.field(converter=_int_tuple)
    egdi: FloatArray = attrs.field(converter=readonly)
    ranks: IntArray = attrs.field(converter=_readonly_int)
    year_reached: int | None
    rate: float
    countries: tuple[str, ...]
    projected: FloatArray = attrs.field(converter=readonly)
    rank_quantiles: IntArray = attrs.field(converter=_readonly_int)
    egdi_quantiles: FloatArray = attrs.field(converter=readonly)
    per_year: FloatArray = attrs.field(converter=readonly)
    n: int = 1
    seed: int = 0

    @property
    def capped(self) -> tuple[int, ...]:
        """Years where the country's projection sits at the top of the scale (EGDI 1)."""
        return tuple(y for y, e in zip(self.years, self.egdi.tolist(), strict=True) if e >= 1.0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (without the full projection of every country)."""
        return {
            "country": self.country,
            "name": self.name,
            "model": self.model,
            "k": self.k,
            "within": list(self.within) if isinstance(self.within, tuple) else self.within,
            "target_rank": self.target_rank,
            "target_egdi": self.target_egdi,
            "last_year": self.last_year,
            "current_rank": self.current_rank,
            "current_egdi": self.current_egdi,
            "reached_now": self.reached_now,
            "rate": self.rate,
            "years": list(self.years),
            # past the top of the scale a clipped trend is no forecast: null there
            "projected_egdi": [None if e >= 1.0 else e for e in self.egdi.tolist()],
            "projected_rank": [
                None if e >= 1.0 else r
                for e, r in zip(self.egdi.tolist(), self.ranks.tolist(), strict=True)
            ],
            "rank_intervals": {
                "80": self.rank_quantiles[:, [1, 3]].tolist(),
                "95": self.rank_quantiles[:, [0, 4]].tolist(),
            },
            "egdi_intervals": {
                "80": self.egdi_quantiles[:, [1, 3]].tolist(),
                "95": self.egdi_quantiles[:, [0, 4]].tolist(),
            },
            "per_year": self.per_year.tolist(),
            "capped": list(self.capped),
            "year_reached": self.year_reached,
            "n": self.n,
            "seed": self.seed,
        }


@attrs.frozen(eq=False)
class TargetProbability:
    """The chance of reaching a target, from resampled past edition-to-edition changes.

    Attributes
    ----------
    country, within, target_rank, target_egdi
        As given.
    by
        The last year considered; :attr:`years` are the Survey years up to it.
    years
        Projected Survey years, ``last_year + 2`` up to ``by``.
    probability
        Share of replications in which the target holds in at least one of :attr:`years`
        ("reached by ``by``").
    per_year
        Share of replications in which the target holds in each of :attr:`years`.
    standard_error
        Monte Carlo standard error of :attr:`probability`, ``sqrt(p (1 - p) / n)``.
    n, seed, since
        Replications, seed of :func:`numpy.random.default_rng`, and the first edition whose
        changes are resampled.
    changes_per_country
        Number of past edition-to-edition changes of the country from ``since`` on (those
        resampled by ``"bootstrap"``).
    model
        The forecast model the draws come from.
    """

    country: str
    within: str | tuple[str, ...] | None = attrs.field(converter=_within_value)
    target_rank: int | None
    target_egdi: float | None
    by: int
    last_year: int
    years: tuple[int, ...] = attrs.field(converter=_int_tuple)
    probability: float
    per_year: FloatArray = attrs.field(converter=readonly)
    standard_error: float
    n: int
    seed: int
    since: int
    changes_per_country: int
    model: ForecastModel = "bootstrap"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict of every field."""
        return {
            "country": self.country,
            "within": list(self.within) if isinstance(self.within, tuple) else self.within,
            "target_rank": self.target_rank,
            "target_egdi": self.target_egdi,
            "by": self.by,
            "last_year": self.last_year,
            "years": list(self.years),
            "probability": self.probability,
            "per_year": self.per_year.tolist(),
            "standard_error": self.standard_error,
            "n": self.n,
            "seed": self.seed,
            "since": self.since,
            "changes_per_country": self.changes_per_country,
            "model": self.model,
        }


# -- shared set-up -----------------------------------------------------------------------


@attrs.frozen(eq=False)
class _Setup:
    latest: _Edition
    values: FloatArray  # (editions, countries of the latest edition)
    years: IntArray
    i: int
    others: NDArray[np.bool_]
    target_rank: int | None
    target_egdi: float | None


def _whole(value: object, name: str) -> int:
    if isinstance(value, bool):
        raise InputError(f"{name} must be a whole number, got {value!r}")
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise InputError(f"{name} must be a whole number, got {value!r}") from None


def _setup(
    history: PublishedHistory,
    country: str,
    target_rank: int | None,
    target_egdi: float | None,
    within: str | Sequence[str] | None,
) -> _Setup:
    if (target_rank is None) == (target_egdi is None):
        raise InputError("give exactly one target: target_rank or target_egdi")
    latest = history.surveys[-1]
    i = latest.locate(country)
    members = np.asarray(latest.mask(within), bool)
    if not members[i]:
        raise InputError(
            f"{latest.names[i]} ({latest.countries[i]}) is not a member of "
            f"{within!r} in the {latest.year} Survey"
        )
    n = len(latest.countries)
    # History.countries lists the latest edition's countries first, in its order.
    if tuple(history.countries[:n]) != tuple(latest.countries):
        raise InputError("the history's countries must start with the latest edition's")
    values = np.asarray(history.matrix("egdi"), np.float64)[:, :n]
    others = members.copy()
    others[i] = False
    rank: int | None = None
    value: float | None = None
    if target_rank is not None:
        rank = _whole(target_rank, "target_rank")
        size = int(members.sum())
        if not 1 <= rank <= size:
            raise BoundsError(f"target_rank must be between 1 and {size}, got {rank}")
    else:
        value = _egdi_arg(target_egdi)  # the same checks and messages as gap()
    return _Setup(
        latest=latest,
        values=values,
        years=np.asarray(history.editions, np.int64),
        i=i,
        others=others,
        target_rank=rank,
        target_egdi=value,
    )


def _ranks(values: FloatArray, i: int, others: NDArray[np.bool_]) -> IntArray:
    """Competition rank of entity ``i`` among ``others`` on the last axis (methodology A.8.1)."""
    own = values[..., i : i + 1]
    out: IntArray = 1 + np.count_nonzero(values[..., others] > own, axis=-1)
    return out


def _holds(s: _Setup, ranks: IntArray, own: FloatArray) -> NDArray[np.bool_]:
    if s.target_rank is not None:
        out: NDArray[np.bool_] = ranks <= s.target_rank
    else:
        out = own >= (s.target_egdi if s.target_egdi is not None else np.inf)
    return out


# -- trend models ------------------------------------------------------------------------


def _slopes(t: FloatArray, y: FloatArray) -> FloatArray:
    """Least-squares slope of each column of ``y`` on ``t``, over its observed rows.

    Columns with fewer than two observed rows get slope 0.
    """
    ok = ~np.isnan(y)
    count = ok.sum(0)
    tt = np.where(ok, t[:, None], 0.0)
    yy = np.where(ok, y, 0.0)
    safe = np.maximum(count, 1)
    t_mean = tt.sum(0) / safe
    y_mean = yy.sum(0) / safe
    dt = np.where(ok, t[:, None] - t_mean, 0.0)
    sxx = (dt * dt).sum(0)
    sxy = (dt * (yy - y_mean)).sum(0)
    out: FloatArray = np.where((count >= 2) & (sxx > 0), sxy / np.where(sxx > 0, sxx, 1.0), 0.0)
    return out


def _rates(model: str, years: IntArray, window: FloatArray) -> FloatArray:
    """Per-country yearly rate of ``model`` fitted on ``window`` (editions x countries)."""
    t = years.astype(np.float64)
    if model == "linear":
        return _slopes(t, window)
    if model == "compound":
        logs = np.where(window > 0, np.log(np.where(window > 0, window, 1.0)), np.nan)
        return np.expm1(_slopes(t, logs))
    steps = np.diff(window, axis=0) / np.diff(t)[:, None]
    ok = ~np.isnan(steps)
    count = ok.sum(0)
    total = np.where(ok, steps, 0.0).sum(0)
    out: FloatArray = np.where(count > 0, total / np.maximum(count, 1), 0.0)
    return out


def _project(model: str, last: FloatArray, rates: FloatArray, dt: FloatArray) -> FloatArray:
    """Projected values ``(len(dt), countries)``, anchored at ``last``, clipped to [0, 1]."""
    if model == "compound":
        out = last[None, :] * (1.0 + rates[None, :]) ** dt[:, None]
    else:
        out = last[None, :] + rates[None, :] * dt[:, None]
    clipped: FloatArray = np.clip(out, 0.0, 1.0)
    return clipped


def _changes(s: _Setup, since: int) -> int:
    """Past edition-to-edition changes of the country from ``since`` on."""
    keep = s.years >= since
    return int(np.count_nonzero(~np.isnan(np.diff(s.values[keep, s.i]))))


def time_to_target(
    history: PublishedHistory,
    country: str,
    *,
    target_rank: int | None = None,
    target_egdi: float | None = None,
    within: str | Sequence[str] | None = None,
    model: ForecastModel = DEFAULT_MODEL,
    k: int = 3,
    horizon: int = 2040,
    n: int = 4000,
    seed: int = 0,
    since: int = SINCE,
) -> Outlook:
    """The first Survey year in which a target holds, every country moving at once.

    Every country of the latest edition is projected from its latest published EGDI with
    :func:`~egovindex.projection.forecast` and re-ranked at each future Survey year
    (every two years after the latest edition, up to ``horizon``; competition ranking,
    methodology A.8.1). The default model, ``"pooled"``, gives a predictive distribution:
    :attr:`Outlook.egdi` and :attr:`Outlook.ranks` are medians, the intervals are in
    :attr:`Outlook.rank_quantiles`, and the first year reached is the first in which the
    target holds in at least half the draws. The trend models fit each country's rate on
    its last ``k`` edition-to-edition changes (the latest ``k + 1`` editions; editions
    in which it was not assessed are skipped) and are deterministic:

    - ``"linear"``: least-squares slope of EGDI on year;
    - ``"compound"``: least-squares slope of log EGDI on year, i.e. a constant growth rate
      (non-positive values are skipped);
    - ``"mean_change"``: mean of the changes per year between consecutive editions.

    A country with fewer than two values in the window keeps its latest value. Trend
    projections are clipped to [0, 1]; where they reach 1 they are no forecast
    (:attr:`Outlook.capped`).

    Parameters
    ----------
    history
        ``egovindex.load_history()`` (or any history with the same shape, e.g. one cut at
        an edition with ``History(surveys=...)``).
    country
        ISO3 code or name.
    target_rank, target_egdi
        Exactly one: a rank within ``within``, or an EGDI value.
    within
        A region, sub-region, ``"ASEAN"`` or list of ISO3 codes (membership of the latest
        edition); ``None`` for every country.
    model
        ``"pooled"`` (default, chosen by the backtest), ``"bootstrap"``,
        ``"persistence"``, ``"linear"``, ``"compound"`` or ``"mean_change"``.
    k
        Number of past changes a trend model fits (at least 1; at most the editions held
        minus 1).
    horizon
        Last year projected (later than the latest edition); the projection stops at the
        last Survey year up to it.
    n, seed, since
        Draws, seed and first edition fitted of the probabilistic models.

    Returns
    -------
    Outlook

    Raises
    ------
    InputError
        Not exactly one target, unknown model, bad ``k``, ``horizon``, ``n`` or ``seed``,
        a country outside ``within``.
    BoundsError
        A target outside its range.
    UnknownKeyError
        Unknown country or group.
    """
    chosen = _model_arg(model)
    s = _setup(history, country, target_rank, target_egdi, within)
    kk = _whole(k, "k")
    if not 1 <= kk <= len(s.years) - 1:
        raise InputError(
            f"k must be between 1 and {len(s.years) - 1} (changes between the "
            f"{len(s.years)} editions held), got {k!r}"
        )
    last_year = int(s.years[-1])
    h = check_horizon(horizon, last_year, "horizon")
    f = forecast(history, model=chosen, horizon=h, n=n, seed=seed, since=since, k=kk)
    ranks = _ranks(f.draws, s.i, s.others)  # (draws, years)
    own = f.draws[:, :, s.i]
    per_year = _holds(s, ranks, own).mean(axis=0)
    q = np.asarray(QUANTILES)
    rank_q = np.quantile(ranks, q, axis=0, method="inverted_cdf").T.astype(np.int64)
    egdi_q = np.quantile(own, q, axis=0).T
    last = s.values[-1]
    now_rank = _ranks(last, s.i, s.others)
    reached_now = bool(_holds(s, np.asarray([now_rank]), np.asarray([last[s.i]]))[0])
    if chosen in TREND_MODELS:
        rate = float(_rates(chosen, s.years[-(kk + 1) :], s.values[-(kk + 1) :])[s.i])
    else:
        rate = float((egdi_q[0, 2] - last[s.i]) / CYCLE)
    ok = per_year >= 0.5
    return Outlook(
        country=s.latest.countries[s.i],
        name=s.latest.names[s.i],
        model=chosen,
        k=kk if chosen in TREND_MODELS else max(int(np.count_nonzero(s.years >= since)) - 1, 0),
        within=within,
        target_rank=s.target_rank,
        target_egdi=s.target_egdi,
        last_year=last_year,
        current_rank=int(now_rank),
        current_egdi=float(last[s.i]),
        reached_now=reached_now,
        years=f.years,
        egdi=egdi_q[:, 2],
        ranks=rank_q[:, 2],
        year_reached=int(f.years[int(np.argmax(ok))]) if ok.any() else None,
        rate=rate,
        countries=tuple(s.latest.countries),
        projected=np.median(f.draws, axis=0),
        rank_quantiles=rank_q,
        egdi_quantiles=egdi_q,
        per_year=per_year,
        n=int(f.draws.shape[0]),
        seed=f.seed,
    )


def probability_of_target(
    history: PublishedHistory,
    country: str,
    *,
    target_rank: int | None = None,
    target_egdi: float | None = None,
    by: int,
    n: int = 10000,
    seed: int = 0,
    within: str | Sequence[str] | None = None,
    since: int = SINCE,
    model: ForecastModel = DEFAULT_MODEL,
    k: int = 3,
) -> TargetProbability:
    """The probability that a target holds in some Survey up to ``by``.

    Each of ``n`` draws of :func:`~egovindex.projection.forecast` moves every country of
    the latest edition one Survey at a time (``last_year + 2``, ``+ 4``, ... up to the
    last Survey year not after ``by``) and re-ranks all of them (competition ranking,
    methodology A.8.1). The default model, ``"pooled"``, is the one the backtest chose
    (docs: "How good are the projections?"). ``model="bootstrap"`` is the earlier
    method: each country moves by a change drawn with replacement from its own past
    edition-to-edition EGDI changes (editions from ``since`` on; by default 2012-2024,
    the editions with 193 countries and one normalisation pipeline, methodology A.1.1,
    A.1.2), clipped to [0, 1] after each step. Draws come from
    ``numpy.random.default_rng(seed)`` and are vectorised over draws and countries, so a
    seed gives the same answer on every run.

    Parameters
    ----------
    history
        ``egovindex.load_history()``.
    country
        ISO3 code or name.
    target_rank, target_egdi
        Exactly one target.
    by
        Last year considered (at least the next Survey year).
    n
        Draws (at least 1).
    seed
        Seed of the generator.
    within
        Group ranked among (see :func:`time_to_target`).
    since
        First edition fitted (``"pooled"``) or whose changes are resampled
        (``"bootstrap"``).
    model
        Any model of :func:`~egovindex.projection.forecast`; deterministic models give
        0 or 1.
    k
        Changes fitted by a trend model (as in :func:`time_to_target`).

    Returns
    -------
    TargetProbability

    Raises
    ------
    InputError
        Bad target, ``by``, ``n``, ``seed``, ``since``, ``k`` or model; no past change to
        resample.
    """
    chosen = _model_arg(model)
    s = _setup(history, country, target_rank, target_egdi, within)
    reps = _whole(n, "n")
    if reps < 1:
        raise InputError(f"n must be at least 1, got {n!r}")
    rng_seed = check_seed(seed)
    last_year = int(s.years[-1])
    until = check_horizon(by, last_year, "by")
    first = _whole(since, "since")
    changes = _changes(s, first)
    if chosen == "bootstrap" and changes == 0 and (s.years >= first).sum() >= 2:
        raise InputError(f"{country!r} has no edition-to-edition change since {first}")
    f = forecast(
        history, model=chosen, horizon=until, n=reps, seed=rng_seed, since=first, k=_whole(k, "k")
    )
    hit = _holds(s, _ranks(f.draws, s.i, s.others), f.draws[:, :, s.i])
    p = float(hit.any(axis=1).mean())
    draws = int(f.draws.shape[0])
    return TargetProbability(
        country=s.latest.countries[s.i],
        within=within,
        target_rank=s.target_rank,
        target_egdi=s.target_egdi,
        by=until,
        last_year=last_year,
        years=f.years,
        probability=p,
        per_year=hit.mean(axis=0),
        standard_error=float(np.sqrt(p * (1.0 - p) / draws)),
        n=draws,
        seed=rng_seed,
        since=first,
        changes_per_country=changes,
        model=chosen,
    )
