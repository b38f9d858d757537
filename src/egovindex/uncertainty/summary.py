"""What a Monte Carlo run says about each entity's rank.

Per ranked entity: the nominal rank, the median rank, the rank interval between two
quantiles (5 % and 95 % by default), the probability of each rank and of each level
group, and the number of replications all of it rests on, next to the failures by cause.
Quantiles use the inverted empirical distribution function (NumPy's
``method="inverted_cdf"``): the ``q`` quantile is the smallest rank ``r`` reached or
bettered in at least ``ceil(q * valid)`` replications, so it is always a rank that
occurred.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.errors import InputError, UnknownCountryError, did_you_mean

if TYPE_CHECKING:
    from egovindex.uncertainty.plan import Plan
    from egovindex.uncertainty.tally import Nominal, Tally

__all__ = ["RankSummary", "check_quantiles", "quantile_ranks", "summarise"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def quantile_ranks(counts: IntArray, q: float) -> IntArray:
    """The ``q`` quantile (inverted CDF) of each row of rank counts ``(n, n_ranks)``."""
    total = counts.sum(axis=1)
    virtual = total * float(q)
    k = np.floor(virtual) + (virtual > np.floor(virtual))
    k = np.clip(k, 1, np.maximum(total, 1)).astype(np.int64)
    cum = np.cumsum(counts, axis=1)
    first: IntArray = np.argmax(cum >= k[:, None], axis=1).astype(np.int64) + 1
    return first


@attrs.frozen(eq=False)
class RankSummary:
    """Rank uncertainty of every ranked entity.

    Attributes
    ----------
    entities
        The ranked entities, in data order.
    factors
        Names of the factors varied.
    nominal_score, nominal_rank
        The index and competition rank at the nominal factors.
    rank_counts
        ``[e, r]``: valid replications with entity ``e`` at rank ``r + 1``.
    level_labels
        Level groups (best first); empty when the problem has none.
    nominal_level
        Index into ``level_labels`` of each entity's nominal group (``None`` without levels).
    level_counts
        ``[e, g]``: valid replications with entity ``e`` in group ``g``.
    replications, valid
        Replications run, and those the summary rests on.
    failures
        Cause -> number of replications that failed for it (causes that occurred).
    quantiles
        Levels of the rank interval.
    """

    entities: tuple[str, ...]
    factors: tuple[str, ...]
    nominal_score: FloatArray
    nominal_rank: IntArray
    rank_counts: IntArray
    level_labels: tuple[str, ...]
    nominal_level: IntArray | None
    level_counts: IntArray
    replications: int
    valid: int
    failures: Mapping[str, int]
    quantiles: tuple[float, float] = (0.05, 0.95)

    @property
    def failed(self) -> int:
        """Replications excluded because they failed."""
        return self.replications - self.valid

    @property
    def rank_probability(self) -> FloatArray:
        """``[e, r]``: probability that entity ``e`` has rank ``r + 1``."""
        return np.asarray(self.rank_counts / self.valid, dtype=np.float64)

    @property
    def level_probability(self) -> FloatArray:
        """``[e, g]``: probability that entity ``e`` is in level group ``g``."""
        return np.asarray(self.level_counts / self.valid, dtype=np.float64)

    @property
    def median_rank(self) -> IntArray:
        """Median rank of each entity (inverted-CDF 50 % quantile)."""
        return quantile_ranks(self.rank_counts, 0.5)

    @property
    def interval(self) -> IntArray:
        """``(n, 2)``: the lower and upper quantile ranks (best and worst plausible)."""
        lo, hi = self.quantiles
        return np.stack(
            [quantile_ranks(self.rank_counts, lo), quantile_ranks(self.rank_counts, hi)], axis=1
        )

    @property
    def mean_rank(self) -> FloatArray:
        """Mean rank of each entity."""
        r = np.arange(1, self.rank_counts.shape[1] + 1)
        return np.asarray((self.rank_counts * r).sum(axis=1) / self.valid, dtype=np.float64)

    @property
    def p_nominal_rank(self) -> FloatArray:
        """Probability that each entity keeps its nominal rank."""
        idx = self.nominal_rank - 1
        return self.rank_probability[np.arange(len(self.entities)), idx]

    @property
    def p_nominal_level(self) -> FloatArray | None:
        """Probability that each entity stays in its nominal level group."""
        if self.nominal_level is None:
            return None
        return self.level_probability[np.arange(len(self.entities)), self.nominal_level]

    def index(self, entity: str) -> int:
        """Position of ``entity`` among :attr:`entities`."""
        try:
            return self.entities.index(entity)
        except ValueError:
            raise UnknownCountryError(
                f"{entity!r} is not among the ranked entities"
                + did_you_mean(entity, self.entities, known=True, limit=20)
            ) from None

    def of(self, entity: str) -> dict[str, Any]:
        """One entity's row (see :meth:`rows`)."""
        return self.rows()[self.index(entity)]

    def rows(self) -> list[dict[str, Any]]:
        """One dictionary per entity: nominal, median and interval ranks, probabilities."""
        med, itv = self.median_rank, self.interval
        prob = self.rank_probability
        p_nom = self.p_nominal_rank
        lev = self.level_probability
        p_lev = self.p_nominal_level
        lo, hi = self.quantiles
        lo_key, hi_key = f"rank_p{_pct(lo)}", f"rank_p{_pct(hi)}"
        out = []
        for i, e in enumerate(self.entities):
            row: dict[str, Any] = {
                "entity": e,
                "score": float(self.nominal_score[i]),
                "rank": int(self.nominal_rank[i]),
                "median_rank": int(med[i]),
                lo_key: int(itv[i, 0]),
                hi_key: int(itv[i, 1]),
                "p_rank": float(p_nom[i]),
                "rank_probabilities": {
                    int(r + 1): float(prob[i, r]) for r in np.flatnonzero(self.rank_counts[i])
                },
            }
            if self.nominal_level is not None and p_lev is not None:
                row["level"] = self.level_labels[int(self.nominal_level[i])]
                row["p_level"] = float(p_lev[i])
                row["level_probabilities"] = {
                    g: float(lev[i, j]) for j, g in enumerate(self.level_labels)
                }
            out.append(row)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready."""
        return {
            "factors": list(self.factors),
            "replications": self.replications,
            "valid": self.valid,
            "failures": dict(self.failures),
            "quantiles": list(self.quantiles),
            "entities": self.rows(),
        }

    def to_pandas(self) -> Any:
        """This result as a :class:`pandas.DataFrame` (``pandas`` extra; columns:
        :func:`egovindex.frames.result_columns`)."""
        from egovindex.frames import frame

        return frame(self, "pandas")

    def to_polars(self) -> Any:
        """This result as a :class:`polars.DataFrame` (``polars`` extra)."""
        from egovindex.frames import frame

        return frame(self, "polars")


def _pct(q: float) -> str:
    v = 100 * q
    return f"{round(v):02d}" if math.isclose(v, round(v)) else f"{v:g}".replace(".", "_")


def check_quantiles(quantiles: tuple[float, float]) -> tuple[float, float]:
    """Validate the interval's quantile levels: ``0 < low <= high < 1``."""
    lo, hi = (float(q) for q in quantiles)
    if not (0 < lo <= hi < 1):
        raise InputError(f"quantile levels must satisfy 0 < low <= high < 1, got {quantiles}")
    return lo, hi


def summarise(
    plan: Plan, nominal: Nominal, tally: Tally, quantiles: tuple[float, float] = (0.05, 0.95)
) -> RankSummary:
    """Build the :class:`RankSummary` of a run.

    Raises
    ------
    InputError
        The quantile levels are not ``0 < lo <= hi < 1``, or no replication succeeded.
    """
    lo, hi = check_quantiles(quantiles)
    failures = {c: n for c, n in zip(plan.causes, tally.failures, strict=True) if n}
    if tally.valid == 0:
        detail = "; ".join(f"{c}: {n}" for c, n in failures.items())
        raise InputError(f"every one of {tally.replications} replications failed ({detail})")
    levels = plan.problem.levels
    return RankSummary(
        entities=plan.problem.ranked,
        factors=plan.problem.factor_names,
        nominal_score=nominal.scores,
        nominal_rank=nominal.ranks,
        rank_counts=tally.rank_counts,
        level_labels=() if levels is None else levels.labels,
        nominal_level=nominal.levels,
        level_counts=tally.level_counts,
        replications=tally.replications,
        valid=tally.valid,
        failures=failures,
        quantiles=(lo, hi),
    )
