"""Entities that merge: score the merged provinces from the provinces each absorbed.

Viet Nam went from 63 to 34 provinces in 2025. The 2024 round of the Digital
Transformation Index (v3, methodology B.3.4) is reported to have ranked the 34 merged
provinces on the mean of the main indices of the provinces each one absorbed, then
computed the DTI from those means. That rule is UNCONFIRMED: the methodology reference
does not state it, and no published table is reproduced here. A :class:`Merger`
generalises it to any framework:

``"mean_of_indicators"`` (default, the 2024 DTI round)
    every data column of a merged entity is the (weighted) mean of that column over the
    entities it absorbed; pillars, the total and the ranks are then computed from those
    means, as for any entity;
``"mean_of_scores"``
    every entity is scored first, and every computed value of a merged entity (each
    indicator score, pillar and the total) is the (weighted) mean of those of the
    entities it absorbed. It differs from the default when a normalisation depends on
    the entities scored (min-max, rank) or an aggregation is not linear (geometric).

Weights (a ``weight`` per absorbed entity, e.g. its population) give a weighted mean;
without them every absorbed entity counts the same. Every entity of the data must be
accounted for: one that keeps its borders maps to itself.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, get_args

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.composite import Scores
from egovindex.errors import DuplicateEntityError, InputError, MissingDataError, did_you_mean
from egovindex.panel import Panel, readonly

__all__ = ["MergeRule", "Merger"]

MergeRule = Literal["mean_of_indicators", "mean_of_scores"]
"""How a merged entity is scored (see the module docstring)."""

FloatArray = NDArray[np.float64]


def _pairs(value: Mapping[str, str]) -> Mapping[str, str]:
    return {str(k): str(v) for k, v in value.items()}


def _weights(value: Mapping[str, float] | None) -> Mapping[str, float] | None:
    return None if value is None else {str(k): float(v) for k, v in value.items()}


@attrs.frozen
class Merger:
    """Which entity each entity merges into, with optional weights and the rule.

    Parameters
    ----------
    into
        Entity -> the entity it is merged into (itself when it keeps its borders).
    weights
        Entity -> weight of that entity in its merged entity's mean (e.g. population);
        ``None`` for equal weights.
    rule
        See :data:`MergeRule`.

    Raises
    ------
    InputError
        An empty mapping, an unknown rule, an empty name, a weight that is not positive
        and finite, or weights missing for some entities.
    """

    into: Mapping[str, str] = attrs.field(converter=_pairs)
    weights: Mapping[str, float] | None = attrs.field(default=None, converter=_weights)
    rule: MergeRule = "mean_of_indicators"

    def __attrs_post_init__(self) -> None:
        if not self.into:
            raise InputError("the merge mapping is empty")
        if self.rule not in get_args(MergeRule):
            raise InputError(
                f"unknown merge rule {self.rule!r}; choose "
                + " or ".join(repr(r) for r in get_args(MergeRule))
            )
        for entity, target in self.into.items():
            if not entity.strip() or not target.strip():
                raise InputError(f"merge mapping: empty name in {entity!r} -> {target!r}")
            onward = self.into.get(target, target)
            if onward != target:
                # a chain A -> B -> C: is B the old entity or the new one?
                raise InputError(
                    f"merge mapping: {entity!r} is merged into {target!r}, which is itself "
                    f"merged into {onward!r}; map {entity!r} to {onward!r}"
                )
        if self.weights is not None:
            for entity in self.into:
                if entity not in self.weights:
                    raise InputError(
                        f"merge mapping: entity {entity!r} has no weight; give a weight for "
                        "every entity or for none (equal weights)"
                    )
            for entity, w in self.weights.items():
                if entity not in self.into:
                    raise InputError(f"merge weights: entity {entity!r} is not in the mapping")
                if not (math.isfinite(w) and w > 0):
                    raise InputError(
                        f"merge mapping: weight of entity {entity!r} must be positive and "
                        f"finite, got {w!r}"
                    )

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, Any]],
        *,
        rule: MergeRule = "mean_of_indicators",
        source: str = "merge mapping",
        row_numbers: Sequence[int] | None = None,
    ) -> Merger:
        """Build from records with keys ``entity``, ``merged_into`` and optional ``weight``.

        Raises
        ------
        DuplicateEntityError
            An entity is mapped twice (the message names it and both rows).
        MissingDataError, InputError
            A missing or empty cell, or a weight that is not a positive number.
        """
        records = list(rows)
        numbers = list(row_numbers) if row_numbers is not None else list(range(1, len(records) + 1))
        into: dict[str, str] = {}
        weights: dict[str, float] = {}
        first: dict[str, int] = {}
        for rec, n in zip(records, numbers, strict=True):
            where = f"{source}, row {n}"
            entity = _cell(rec, "entity", where)
            if entity in first:
                raise DuplicateEntityError(
                    f"{where}: entity {entity!r} is mapped twice (also at row {first[entity]})"
                )
            first[entity] = n
            into[entity] = _cell(rec, "merged_into", f"{where} (entity {entity!r})")
            text = str(rec.get("weight") or "").strip()
            if text:
                try:
                    weights[entity] = float(text)
                except ValueError:
                    raise InputError(
                        f"{where} (entity {entity!r}), column 'weight': {text!r} is not a number"
                    ) from None
        if weights and len(weights) != len(into):
            left = next(e for e in into if e not in weights)
            raise MissingDataError(
                f"{source}: entity {left!r} has no weight; give a weight for every entity "
                "or for none (equal weights)"
            )
        return cls(into, weights or None, rule)

    def targets(self, entities: Sequence[str]) -> tuple[str, ...]:
        """The merged entities, in the order of their first absorbed entity in ``entities``.

        Raises
        ------
        MissingDataError
            An entity of ``entities`` is not in the mapping.
        InputError
            The mapping names an entity that is not in ``entities``.
        """
        for e in entities:
            if e not in self.into:
                raise MissingDataError(
                    f"entity {e!r} is not in the merge mapping; every entity must be mapped "
                    "(to itself if it keeps its borders)"
                )
        known = set(entities)
        for e in self.into:
            if e not in known:
                raise InputError(
                    f"the merge mapping names entity {e!r}, which is not in the data"
                    + did_you_mean(e, entities, known=True, limit=20)
                )
        return tuple(dict.fromkeys(self.into[e] for e in entities))

    def matrix(self, entities: Sequence[str]) -> tuple[tuple[str, ...], FloatArray]:
        """Merged entities and the (merged x original) matrix of weights: an absorbed
        entity's weight (1 without weights) in its merged entity's row, 0 elsewhere. Rows
        are not normalised: each mean divides by the weight of the values observed."""
        targets = self.targets(entities)
        row = {t: i for i, t in enumerate(targets)}
        m = np.zeros((len(targets), len(entities)))
        for j, e in enumerate(entities):
            m[row[self.into[e]], j] = 1.0 if self.weights is None else self.weights[e]
        return targets, m

    def groups(
        self, entities: Sequence[str], groups: Sequence[str] | None
    ) -> tuple[str, ...] | None:
        """The group label of each merged entity; its absorbed entities must share one."""
        if groups is None:
            return None
        out: dict[str, str] = {}
        for e, g in zip(entities, groups, strict=True):
            t = self.into[e]
            if out.setdefault(t, g) != g:
                raise InputError(
                    f"merged entity {t!r} absorbs entities of groups {out[t]!r} and {g!r}; "
                    "ranks within groups need one group per merged entity"
                )
        return tuple(out[t] for t in self.targets(entities))

    def panel(self, panel: Panel) -> Panel:
        """The data of the merged entities: each column's weighted mean (rule
        ``"mean_of_indicators"``); a missing value is left out of its mean
        (:meth:`Framework.score` refuses missing values first unless
        ``missing="available"`` or ``"assessed"``)."""
        targets, m = self.matrix(panel.entities)
        return Panel(targets, panel.indicators, _mean(m, panel.values))

    def scores(self, scores: Scores) -> Scores:
        """Every computed value of the merged entities (rule ``"mean_of_scores"``)."""
        targets, m = self.matrix(scores.entities)
        values = {k: readonly(_mean(m, v[:, None])[:, 0]) for k, v in scores.values.items()}
        raw = {k: readonly(_mean(m, v[:, None])[:, 0]) for k, v in scores.raw.items()}
        return Scores(targets, scores.root, values, scores.fitted, raw, scores.rank_method)


def _mean(m: FloatArray, values: FloatArray) -> FloatArray:
    """Weighted means over the rows of ``m``, leaving missing values out (NaN if all are)."""
    observed = ~np.isnan(values)
    filled = np.where(observed, values, 0.0)
    num = m @ filled
    den = m @ observed.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return out


def _cell(rec: Mapping[str, Any], key: str, where: str) -> str:
    if key not in rec:
        raise MissingDataError(f"{where}: no {key!r} column")
    text = str(rec[key] or "").strip()
    if not text:
        raise MissingDataError(f"{where}, column {key!r}: empty")
    return text
