"""When a target is reached with every competitor moving too: trends and resampled changes.

:func:`time_to_target` projects the EGDI of *every* country assessed in the latest edition
with one named trend model fitted on the embedded history, re-ranks all of them at each
future Survey year (every two years after the latest edition, the Survey's cycle since
2008), and reports the first year the target holds. :func:`probability_of_target`
replaces the trend by chance: each country's future edition-to-edition changes are drawn
with replacement from its own past changes (a bootstrap), many times over, and the share
of replications in which the target holds is the estimated probability.

Both are the library's own analysis, not a UN method (methodology A.8.4 describes the
frozen comparisons these extend). A trend continues past behaviour mechanically: the
editions differ in method (methodology A.1.1, A.1.2; the 2003-2010 indices are not
min-max rescaled), which is why the fits use the latest editions only by default.
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
_MODELS: tuple[str, ...] = ("linear", "compound", "mean_change")
CYCLE = 2
"""Years between Survey editions since 2008; the projection steps by it."""


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


MAX_HORIZON = 100
"""The furthest a projection reaches: this many years after the last Survey."""


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
        The trend model and the number of past edition-to-edition changes it is fitted
        on (the latest ``k + 1`` editions).
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
        The country's fitted rate: EGDI points per year (``linear``, ``mean_change``) or the
        growth rate per year (``compound``, 0.01 = 1 % a year).
    countries, projected
        Every projected country and its projected EGDI, ``(len(years), len(countries))``.
    """

    country: str
    name: str
    model: TrendModel
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
            "projected_egdi": self.egdi.tolist(),
            "projected_rank": self.ranks.tolist(),
            "year_reached": self.year_reached,
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
        Number of past changes of the country that were resampled.
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


def time_to_target(
    history: PublishedHistory,
    country: str,
    *,
    target_rank: int | None = None,
    target_egdi: float | None = None,
    within: str | Sequence[str] | None = None,
    model: TrendModel = "linear",
    k: int = 3,
    horizon: int = 2040,
) -> Outlook:
    """The first Survey year in which a target holds, every country moving on its trend.

    Every country of the latest edition is projected from its latest published EGDI with
    the rate of ``model`` fitted on its last ``k`` edition-to-edition changes (the latest
    ``k + 1`` editions; editions in which it was not assessed are skipped):

    - ``"linear"``: least-squares slope of EGDI on year;
    - ``"compound"``: least-squares slope of log EGDI on year, i.e. a constant growth rate
      (non-positive values are skipped);
    - ``"mean_change"``: mean of the changes per year between consecutive editions.

    A country with fewer than two values in the window keeps its latest value. Projections
    are clipped to [0, 1] (the EGDI scale) and every projected year re-ranks all countries
    with competition ranking (methodology A.8.1).

    Parameters
    ----------
    history
        ``egovindex.load_history()`` (or any history with the same shape).
    country
        ISO3 code or name.
    target_rank, target_egdi
        Exactly one: a rank within ``within``, or an EGDI value.
    within
        A region, sub-region, ``"ASEAN"`` or list of ISO3 codes (membership of the latest
        edition); ``None`` for every country.
    model
        ``"linear"`` (default), ``"compound"`` or ``"mean_change"``.
    k
        Number of past changes fitted (at least 1; at most the editions held minus 1).
    horizon
        Last year projected (later than the latest edition).

    Returns
    -------
    Outlook

    Raises
    ------
    InputError
        Not exactly one target, unknown model, bad ``k`` or ``horizon``, a country outside
        ``within``.
    BoundsError
        A target outside its range.
    UnknownKeyError
        Unknown country or group.
    """
    if model not in _MODELS:
        raise InputError(f"unknown trend model {model!r}; choose one of {', '.join(_MODELS)}")
    s = _setup(history, country, target_rank, target_egdi, within)
    kk = _whole(k, "k")
    if not 1 <= kk <= len(s.years) - 1:
        raise InputError(
            f"k must be between 1 and {len(s.years) - 1} (changes between the "
            f"{len(s.years)} editions held), got {k!r}"
        )
    last_year = int(s.years[-1])
    h = _whole(horizon, "horizon")
    if h < last_year + CYCLE:
        raise InputError(
            f"horizon must be at least {last_year + CYCLE} (the next Survey after "
            f"{last_year}), got {horizon!r}"
        )
    if h > last_year + MAX_HORIZON:  # a trend says nothing that far out; and memory grows with it
        raise InputError(
            f"horizon must be at most {last_year + MAX_HORIZON} ({MAX_HORIZON} years after "
            f"{last_year}), got {horizon!r}"
        )
    rates = _rates(model, s.years[-(kk + 1) :], s.values[-(kk + 1) :])
    years = np.arange(last_year + CYCLE, h + 1, CYCLE, dtype=np.int64)
    last = s.values[-1]
    projected = _project(model, last, rates, (years - last_year).astype(np.float64))
    ranks = _ranks(projected, s.i, s.others)
    own = projected[:, s.i]
    ok = _holds(s, ranks, own)
    now_rank = _ranks(last, s.i, s.others)
    reached_now = bool(_holds(s, np.asarray([now_rank]), np.asarray([last[s.i]]))[0])
    return Outlook(
        country=s.latest.countries[s.i],
        name=s.latest.names[s.i],
        model=model,
        k=kk,
        within=within,
        target_rank=s.target_rank,
        target_egdi=s.target_egdi,
        last_year=last_year,
        current_rank=int(now_rank),
        current_egdi=float(last[s.i]),
        reached_now=reached_now,
        years=tuple(int(y) for y in years),
        egdi=own,
        ranks=ranks,
        year_reached=int(years[int(np.argmax(ok))]) if ok.any() else None,
        rate=float(rates[s.i]),
        countries=tuple(s.latest.countries),
        projected=projected,
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
    since: int = 2012,
) -> TargetProbability:
    """The probability that a target holds in some Survey up to ``by``, by resampling.

    Each replication moves every country of the latest edition, one Survey at a time
    (``last_year + 2``, ``+ 4``, ... up to ``by``), by a change drawn with replacement
    from that country's own past edition-to-edition EGDI changes (editions from ``since``
    on; by default 2012-2024, the editions with 193 countries and one normalisation
    pipeline, methodology A.1.1, A.1.2). Values are clipped to [0, 1] after each step and
    every country is re-ranked (competition ranking, methodology A.8.1). Draws come from
    ``numpy.random.default_rng(seed)`` and are vectorised over replications and countries,
    so a seed gives the same answer on every run.

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
        Replications (at least 1).
    seed
        Seed of the generator.
    within
        Group ranked among (see :func:`time_to_target`).
    since
        First edition whose changes are resampled (changes between consecutive editions
        both from ``since`` on).

    Returns
    -------
    TargetProbability

    Raises
    ------
    InputError
        Bad target, ``by``, ``n``, ``seed`` or ``since``; no past change to resample.
    """
    s = _setup(history, country, target_rank, target_egdi, within)
    reps = _whole(n, "n")
    if reps < 1:
        raise InputError(f"n must be at least 1, got {n!r}")
    rng_seed = _whole(seed, "seed")
    if rng_seed < 0:  # NumPy seeds are non-negative
        raise InputError(f"seed must be a non-negative whole number, got {rng_seed}")
    last_year = int(s.years[-1])
    until = _whole(by, "by")
    if until < last_year + CYCLE:
        raise InputError(
            f"by must be at least {last_year + CYCLE} (the next Survey after {last_year}), "
            f"got {by!r}"
        )
    first = _whole(since, "since")
    keep = s.years >= first
    if keep.sum() < 2:
        raise InputError(
            f"since={since!r} leaves fewer than two editions; editions: "
            + ", ".join(map(str, s.years.tolist()))
        )
    changes = np.diff(s.values[keep], axis=0)  # (m, countries), NaN where not assessed
    # Pack each country's observed changes to the front of its row, counts aside.
    ok = ~np.isnan(changes.T)
    counts = ok.sum(1)
    order = np.argsort(~ok, axis=1, kind="stable")
    packed = np.take_along_axis(np.where(ok, changes.T, 0.0), order, axis=1)
    if counts[s.i] == 0:
        raise InputError(f"{country!r} has no edition-to-edition change since {first}")
    years = np.arange(last_year + CYCLE, until + 1, CYCLE, dtype=np.int64)
    rng = np.random.default_rng(rng_seed)
    columns = np.arange(packed.shape[0])
    current = np.broadcast_to(s.values[-1], (reps, packed.shape[0])).copy()
    ever = np.zeros(reps, bool)
    per_year = np.empty(years.size)
    for step in range(years.size):  # a few Survey cycles; each is vectorised
        pick = np.floor(rng.random(current.shape) * np.maximum(counts, 1)).astype(np.int64)
        current += np.where(counts > 0, packed[columns, pick], 0.0)
        np.clip(current, 0.0, 1.0, out=current)
        hit = _holds(s, _ranks(current, s.i, s.others), current[:, s.i])
        per_year[step] = hit.mean()
        ever |= hit
    p = float(ever.mean())
    return TargetProbability(
        country=s.latest.countries[s.i],
        within=within,
        target_rank=s.target_rank,
        target_egdi=s.target_egdi,
        by=until,
        last_year=last_year,
        years=tuple(int(y) for y in years),
        probability=p,
        per_year=per_year,
        standard_error=float(np.sqrt(p * (1.0 - p) / reps)),
        n=reps,
        seed=rng_seed,
        since=first,
        changes_per_country=int(counts[s.i]),
    )
