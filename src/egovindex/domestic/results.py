"""The result of scoring a framework: values, ranks within groups, report rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.composite import Scores
from egovindex.domestic.declaration import InputKind
from egovindex.errors import UnknownKeyError, nearest
from egovindex.ranking import rank

if TYPE_CHECKING:  # for annotations only: the framework module imports this one
    from egovindex.domestic.declaration import InputKind
    from egovindex.domestic.framework import Framework
    from egovindex.domestic.merge import Merger

__all__ = ["DomesticScores"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@attrs.frozen(eq=False)
class DomesticScores:
    """The result of :meth:`Framework.score`.

    Attributes
    ----------
    framework
        The framework scored.
    scores
        The engine's :class:`~egovindex.composite.Scores`: every node's values and
        fitted parameters.
    weights
        The resolved weights, group -> {child: weight}.
    groups
        Group label per entity (ranks are within groups), or ``None``.
    input
        The input kind the data were given in.
    merge
        The :class:`~egovindex.domestic.merge.Merger` applied, or ``None``: the
        entities are then the merged ones.
    """

    framework: Framework
    scores: Scores
    weights: Mapping[str, Mapping[str, float]]
    groups: tuple[str, ...] | None = None
    input: InputKind = "score"
    merge: Merger | None = None

    @property
    def entities(self) -> tuple[str, ...]:
        """Entity codes, aligned with every array."""
        return self.scores.entities

    @property
    def total(self) -> FloatArray:
        """The framework's total per entity (read-only)."""
        return self.scores[self.framework.total.code]

    @property
    def columns(self) -> tuple[str, ...]:
        """Indicator and pillar codes computed, in declaration order (indicators first)."""
        fw = self.framework
        return tuple(c for c in (*fw.codes, *fw.pillar_codes) if c in self.scores.values)

    def __getitem__(self, code: str) -> FloatArray:
        """Values of one indicator (as a score in [0, 1]), pillar, or the total."""
        if code == "total":
            return self.total
        return self.scores[code]

    def _rounded(self, code: str | None) -> FloatArray:
        values = self[code or self.framework.total.code]
        digits = self.framework.total.rank_digits
        return np.round(values, digits) if digits is not None else values

    def levels(self) -> tuple[str, ...]:
        """The level group of each entity's total (``[total] levels`` of the framework,
        e.g. the Survey's Very High, High, Middle and Low, methodology A.7.1), on the
        total rounded to ``rank_digits``; ``""`` for a missing total.

        Raises
        ------
        UnknownKeyError
            The framework declares no levels.
        """
        levels = self.framework.total.levels
        if not levels:
            raise UnknownKeyError(f"framework {self.framework.name!r} declares no levels")
        values = self._rounded(None)
        floors = np.array([floor for _, floor in levels])
        labels = np.array([label for label, _ in levels] + [""], dtype=object)
        # thresholds decrease: the level is the number of thresholds above the value
        # (below every threshold: the last level); a missing total has no level
        above = np.sum(floors[None, :] > values[:, None], axis=1)
        index = np.where(np.isnan(values), len(levels), np.minimum(above, len(levels) - 1))
        return tuple(str(v) for v in labels[index])

    def rank(self, code: str | None = None) -> IntArray:
        """Ranks (1 = best) of the total or of one pillar or indicator.

        Uses the framework's rank method and ``rank_digits``; within each group when
        groups were given. An entity whose value is missing (an indicator left empty
        under ``missing="available"``) is not ranked on it: its rank is 0.
        """
        values = self._rounded(code)
        method = self.framework.total.rank_method
        observed = ~np.isnan(values)
        filled = np.where(observed, values, 0.0)
        if self.groups is None:
            out = rank(filled, method=method, within=observed, entities=self.entities)
        else:
            labels = np.asarray(self.groups)
            out = np.zeros(len(self.entities), dtype=np.int64)
            for g in dict.fromkeys(self.groups):
                mask = (labels == g) & observed
                out += rank(filled, method=method, within=mask, entities=self.entities)
        out.setflags(write=False)
        return out

    def of(self, entity: str) -> dict[str, float]:
        """Every computed value (indicators, pillars, ``"total"``) for one entity."""
        try:
            i = self.entities.index(entity)
        except ValueError:
            hint = nearest(entity, self.entities)
            raise UnknownKeyError(
                f"entity {entity!r} is not known"
                + (f"; did you mean {', '.join(hint)}?" if hint else "")
            ) from None
        out = {c: float(self[c][i]) for c in self.columns}
        out["total"] = float(self.total[i])
        return out

    def to_pandas(self) -> Any:
        """:meth:`rows` as a :class:`pandas.DataFrame` (``ranks`` as ``rank_<code>``
        columns); needs the ``pandas`` extra."""
        from egovindex.frames import columns_of, to_pandas

        return to_pandas(columns_of(self.rows()))

    def to_polars(self) -> Any:
        """:meth:`rows` as a :class:`polars.DataFrame`; needs the ``polars`` extra."""
        from egovindex.frames import columns_of, to_polars

        return to_polars(columns_of(self.rows()))

    def rows(self) -> list[dict[str, Any]]:
        """One record per entity, ordered by group then rank (ties: input order).

        Keys: ``entity``, ``group`` (when groups were given), one per indicator and
        pillar, ``total``, ``rank``, ``level`` (when the framework declares levels) and
        ``ranks`` (code -> rank of each indicator and pillar).
        """
        total_rank = self.rank()
        levels = self.levels() if self.framework.total.levels else None
        ranks = {c: self.rank(c) for c in self.columns}
        labels = self.groups or ("",) * len(self.entities)
        first = {g: k for k, g in enumerate(dict.fromkeys(labels))}  # groups in input order
        order = sorted(
            range(len(self.entities)), key=lambda i: (first[labels[i]], int(total_rank[i]), i)
        )
        out: list[dict[str, Any]] = []
        for i in order:
            rec: dict[str, Any] = {"entity": self.entities[i]}
            if self.groups is not None:
                rec["group"] = self.groups[i]
            for c in self.columns:
                rec[c] = float(self[c][i])
            rec["total"] = float(self.total[i])
            rec["rank"] = int(total_rank[i])
            if levels is not None:
                rec["level"] = levels[i]
            rec["ranks"] = {c: int(ranks[c][i]) for c in self.columns}
            out.append(rec)
        return out
