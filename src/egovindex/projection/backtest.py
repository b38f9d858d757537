"""Rolling-origin backtests: how well a forecast model predicted the Surveys that followed.

From each origin edition ``Y`` the model is fitted on the editions up to ``Y`` only (the
rows after ``Y`` are never passed to it) and predicts the next edition, ``Y + 2``. Scores:

- **rank error**: mean absolute difference between the median predicted rank and the
  rank published at ``Y + 2`` (competition ranks recomputed on the published EGDI among
  the countries assessed in both editions, methodology A.8.1), against **persistence**
  (every rank stays as at ``Y``);
- **interval coverage**: share of countries whose rank at ``Y + 2`` fell in the central
  80 % and 95 % predictive intervals;
- **Brier score** of the probability of the event "gains at least ``gain`` places at the
  next Survey" (default 5), against the **base rate**: the frequency of that event over
  every edition-to-edition change up to the origin (from ``since``), answered for every
  country. Skill is ``1 - score / reference``: positive when the model beats it.

The reliability table pools every country and origin, in bins of the forecast probability.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.datasets.history import History
from egovindex.errors import InputError
from egovindex.projection.forecast import (
    CYCLE,
    DEFAULT_MODEL,
    QUANTILES,
    SINCE,
    TREND_MODELS,
    ForecastModel,
    _model_arg,
    _whole,
    forecast,
)
from egovindex.ranking import rank

__all__ = [
    "DEFAULT_ORIGINS",
    "Backtest",
    "OriginScore",
    "ReliabilityBin",
    "backtest",
]

FloatArray = NDArray[np.float64]
DEFAULT_ORIGINS: tuple[int, ...] = (2016, 2018, 2020, 2022)
"""Origins of the default backtest: each predicts the next Survey (2018-2024)."""
BINS: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@attrs.frozen
class OriginScore:
    """Scores of one origin (see the module docstring).

    Attributes
    ----------
    origin, year
        Last edition fitted and the edition predicted.
    countries
        Countries scored (assessed in both).
    rank_error, persistence_error
        Mean absolute rank error of the median predicted rank and of persistence.
    coverage80, coverage95
        Share of published ranks inside the central 80 % and 95 % predictive intervals.
    brier, brier_base, base_rate
        Brier score of the model's probabilities, of the base rate, and the base rate.
    events
        Countries in which the event happened.
    """

    origin: int
    year: int
    countries: int
    rank_error: float
    persistence_error: float
    coverage80: float
    coverage95: float
    brier: float
    brier_base: float
    base_rate: float
    events: int


@attrs.frozen
class ReliabilityBin:
    """Forecasts with a probability in ``[low, high)`` (the last bin includes 1)."""

    low: float
    high: float
    count: int
    mean_forecast: float | None
    observed: float | None


def _skill(score: float, reference: float) -> float:
    return 1.0 - score / reference if reference > 0 else 0.0


@attrs.frozen(eq=False)
class Backtest:
    """The result of :func:`backtest`.

    Attributes
    ----------
    model, gain, n, seed, since, k
        As given (``k`` matters to the trend models only).
    origins
        One :class:`OriginScore` per origin.
    reliability
        One :class:`ReliabilityBin` per tenth of probability, every origin pooled.
    """

    model: str
    gain: int
    n: int
    seed: int
    since: int
    origins: tuple[OriginScore, ...]
    reliability: tuple[ReliabilityBin, ...]
    k: int = 3

    def _mean(self, field: str) -> float:
        weights = np.array([o.countries for o in self.origins], float)
        values = np.array([getattr(o, field) for o in self.origins], float)
        return float(weights @ values / weights.sum())

    @property
    def rank_error(self) -> float:
        """Mean absolute rank error over every country and origin."""
        return self._mean("rank_error")

    @property
    def persistence_error(self) -> float:
        """The same for persistence."""
        return self._mean("persistence_error")

    @property
    def rank_skill(self) -> float:
        """``1 - rank_error / persistence_error``."""
        return _skill(self.rank_error, self.persistence_error)

    @property
    def coverage80(self) -> float:
        """Coverage of the 80 % intervals, pooled."""
        return self._mean("coverage80")

    @property
    def coverage95(self) -> float:
        """Coverage of the 95 % intervals, pooled."""
        return self._mean("coverage95")

    @property
    def brier(self) -> float:
        """Brier score, pooled."""
        return self._mean("brier")

    @property
    def brier_base(self) -> float:
        """Brier score of the base rate, pooled."""
        return self._mean("brier_base")

    @property
    def brier_skill(self) -> float:
        """``1 - brier / brier_base``."""
        return _skill(self.brier, self.brier_base)

    def summary_line(self) -> str:
        """One line a reader can weigh a forecast by."""
        first, last = self.origins[0].origin, self.origins[-1].origin
        trend = f" over the last {self.k} changes" if self.model in TREND_MODELS else ""
        return (
            f"backtest of the {self.model} model{trend} (refitted at each origin {first}-{last}, "
            f"predicting the next Survey): rank error {self.rank_error:.2f} vs "
            f"{self.persistence_error:.2f} for 'ranks stay' (skill {self.rank_skill:+.3f}); "
            f"Brier score for 'gains {self.gain}+ places' {self.brier:.3f} vs "
            f"{self.brier_base:.3f} for the base rate (skill {self.brier_skill:+.3f}); "
            f"80 % intervals covered {self.coverage80:.0%}"
        )

    def rows(self) -> list[dict[str, Any]]:
        """One record per origin: ``model`` and the fields of :class:`OriginScore`."""
        return [{"model": self.model, **attrs.asdict(o)} for o in self.origins]

    def to_pandas(self) -> Any:
        """:meth:`rows` as a :class:`pandas.DataFrame` (``pandas`` extra)."""
        from egovindex.frames import frame

        return frame(self, "pandas")

    def to_polars(self) -> Any:
        """:meth:`rows` as a :class:`polars.DataFrame` (``polars`` extra)."""
        from egovindex.frames import frame

        return frame(self, "polars")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: settings, per-origin scores, pooled scores, reliability."""
        return {
            "model": self.model,
            "gain": self.gain,
            "n": self.n,
            "seed": self.seed,
            "since": self.since,
            "k": self.k,
            "origins": [attrs.asdict(o) for o in self.origins],
            "rank_error": self.rank_error,
            "persistence_error": self.persistence_error,
            "rank_skill": self.rank_skill,
            "coverage80": self.coverage80,
            "coverage95": self.coverage95,
            "brier": self.brier,
            "brier_base": self.brier_base,
            "brier_skill": self.brier_skill,
            "reliability": [attrs.asdict(b) for b in self.reliability],
        }


def _score_origin(
    model: ForecastModel,
    history: History,
    j: int,
    *,
    gain: int,
    n: int,
    seed: int,
    since: int,
    k: int,
) -> tuple[OriginScore, FloatArray, NDArray[np.bool_]]:
    # The model sees a History cut at the origin: nothing after it can leak in.
    origin, after = history.surveys[j], history.surveys[j + 1]
    cut = History(surveys=history.surveys[: j + 1])
    f = forecast(cut, model=model, horizon=after.year, n=n, seed=seed, since=since, k=k)
    common = [c for c in f.countries if c in set(after.countries)]
    cols = np.array([f.locate(c) for c in common], dtype=np.int64)
    ranks = f.ranks(within=common)[:, 0, cols]
    start = rank(f.current[cols])
    truth = rank(after.egdi[[after.locate(c) for c in common]])
    q = np.quantile(ranks, QUANTILES, axis=0, method="inverted_cdf")
    prob = (start - ranks >= gain).mean(axis=0)
    event = start - truth >= gain
    years = np.asarray(cut.editions, np.int64)
    base = _base_rate(years, np.asarray(cut.matrix("egdi"), np.float64), gain, since)
    score = OriginScore(
        origin=origin.year,
        year=after.year,
        countries=len(common),
        rank_error=float(np.abs(q[2] - truth).mean()),
        persistence_error=float(np.abs(start - truth).mean()),
        coverage80=float(((truth >= q[1]) & (truth <= q[3])).mean()),
        coverage95=float(((truth >= q[0]) & (truth <= q[4])).mean()),
        brier=float(np.mean((prob - event) ** 2)),
        brier_base=float(np.mean((base - event) ** 2)),
        base_rate=base,
        events=int(event.sum()),
    )
    return score, prob, event


def _base_rate(years: NDArray[np.int64], values: FloatArray, gain: int, since: int) -> float:
    """Frequency of a gain of ``gain`` places over the changes fitted (editions >= since)."""
    rows = values[years >= since]
    hits = 0
    total = 0
    for a, b in itertools.pairwise(rows):  # a handful of editions
        both = np.isfinite(a) & np.isfinite(b)
        hits += int(np.count_nonzero(rank(a[both]) - rank(b[both]) >= gain))
        total += int(both.sum())
    if total == 0:
        raise InputError("no edition-to-edition change to take a base rate from")
    return hits / total


def _reliability(prob: FloatArray, event: NDArray[np.bool_]) -> tuple[ReliabilityBin, ...]:
    edges = np.asarray(BINS)
    which = np.clip(np.searchsorted(edges, prob, side="right") - 1, 0, len(edges) - 2)
    out = []
    for b in range(len(edges) - 1):
        sel = which == b
        count = int(sel.sum())
        out.append(
            ReliabilityBin(
                low=float(edges[b]),
                high=float(edges[b + 1]),
                count=count,
                mean_forecast=float(prob[sel].mean()) if count else None,
                observed=float(event[sel].mean()) if count else None,
            )
        )
    return tuple(out)


def backtest(
    history: History,
    *,
    model: ForecastModel = DEFAULT_MODEL,
    origins: Sequence[int] = DEFAULT_ORIGINS,
    gain: int = 5,
    n: int = 4000,
    seed: int = 0,
    since: int = SINCE,
    k: int = 3,
) -> Backtest:
    """Refit ``model`` at each origin edition and score its forecast of the next one.

    Parameters
    ----------
    history
        ``egovindex.load_history()`` or any :class:`~egovindex.datasets.History`; at each
        origin the model gets ``History(surveys=...)`` of the editions up to it only.
    model
        Any of :data:`~egovindex.projection.forecast.MODELS`.
    origins
        Origin editions; each must be followed by an edition two years later.
    gain
        The event scored by the Brier score: a gain of at least ``gain`` places.
    n, seed
        Draws per origin and seed (the same seed at every origin).
    since
        First edition fitted and counted in the base rate.
    k
        Changes fitted by a trend model at each origin (ignored by the other models).

    Returns
    -------
    Backtest

    Raises
    ------
    InputError
        Unknown model, an origin without a next edition, bad ``gain`` or ``n``.
    """
    chosen = _model_arg(model)
    years = np.asarray(history.editions, np.int64)
    g, reps, rng_seed, first = (
        _whole(gain, "gain"),
        _whole(n, "n"),
        _whole(seed, "seed"),
        _whole(since, "since"),
    )
    kk = _whole(k, "k")
    if g < 1 or reps < 1:
        raise InputError(f"gain and n must be at least 1, got gain={gain!r}, n={n!r}")
    picked = [_whole(o, "origin") for o in origins]
    if not picked:
        raise InputError("give at least one origin")
    rows, probs, events = [], [], []
    for origin in picked:  # a few origins, each vectorised over countries and draws
        j = int(np.searchsorted(years, origin))
        if j >= len(years) - 1 or years[j] != origin or years[j + 1] != origin + CYCLE:
            raise InputError(
                f"origin {origin!r} needs editions {origin} and {origin + CYCLE} in the "
                "history; editions: " + ", ".join(map(str, years.tolist()))
            )
        score, prob, event = _score_origin(
            chosen, history, j, gain=g, n=reps, seed=rng_seed, since=first, k=kk
        )
        rows.append(score)
        probs.append(prob)
        events.append(event)
    return Backtest(
        model=chosen,
        gain=g,
        n=reps,
        seed=rng_seed,
        since=first,
        origins=tuple(rows),
        reliability=_reliability(np.concatenate(probs), np.concatenate(events)),
        k=kk,
    )
