"""Domestic scoring frameworks as data: indicators, pillars, weights, rank rule.

A :class:`Framework` declares how a government scores its own provinces or ministries:
which indicators it reads (scores in [0, 1], earned points out of a maximum, or raw
values normalised by goalposts, min-max or rank), how indicators group into pillars,
how pillars and indicators are weighted into a total, and how entities are ranked.
:meth:`Framework.score` builds an :class:`egovindex.composite.Node` tree from the
declaration and evaluates it with :func:`egovindex.composite.evaluate`, so every
intermediate value and fitted parameter is kept.

Frameworks are usually written as TOML files and read with
:func:`egovindex.domestic.load_framework`; the built-in ones (Viet Nam's Digital
Transformation Index and ICT Index, methodology B.2 and B.3) ship with the package.

Weights of a group (the total, or one pillar) follow one rule:

``"explicit"``
    every child declares ``weight``;
``"max_points"``
    weight = the child's maximum points / the group's maximum points, the rule of the
    Digital Transformation Index v2 (DTI = sum of (max_i / 1000) * index_i, Decision
    922/QĐ-BTTTT; methodology B.3.3);
``"equal"``
    every child weighs the same;
``"option"``
    a named option of the framework chooses them (``[options.NAME]`` in TOML);
``"unknown"``
    the weights are not known (an UNCONFIRMED part of a methodology): scoring
    refuses until the user supplies them (``weights={...}`` or ``weights="equal"``).

A child with weight 0 is still computed and ranked, but does not enter its parent's
aggregate ("ranked separately", as the IT-industry pillar of the Vietnam ICT Index).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal, get_args

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.aggregate import Aggregation, ZeroRule, check_weights
from egovindex.composite import Leaf, MissingRule, Node, Scores, evaluate
from egovindex.domestic.declaration import (
    InputKind,
    Normalisation,
    Status,
    WeightRule,
    group_weights,
)
from egovindex.domestic.merge import Merger
from egovindex.domestic.results import DomesticScores
from egovindex.domestic.validation import validate
from egovindex.errors import (
    BoundsError,
    FrameworkError,
    InputError,
    UnknownIndicatorError,
    UnknownKeyError,
    WeightError,
    unknown_message,
)
from egovindex.normalise import Goalposts, MinMax, Normaliser, RankScore
from egovindex.panel import Direction, Indicator, Panel
from egovindex.ranking import RankMethod

__all__ = [
    "DomesticMissing",
    "Framework",
    "IndicatorSpec",
    "InputKind",
    "Normalisation",
    "Pillar",
    "Status",
    "TotalSpec",
    "WeightOption",
    "WeightRule",
]

DomesticMissing = Literal["error", "available", "assessed"]
"""Missing values when scoring a framework: an error, each group over its children with a
value, or points found over points assessed (see :meth:`Framework.score`)."""


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        return (values,)
    return tuple(str(v) for v in values)


def _int_tuple(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(int(v) for v in values)


def _opt_float(value: float | None) -> float | None:
    return None if value is None else float(value)


def _opt_pair(value: Sequence[float] | None) -> tuple[float, float] | None:
    if value is None:
        return None
    pair = tuple(float(v) for v in value)
    if len(pair) != 2:
        raise FrameworkError(f"expected two numbers [lower, upper], got {list(value)}")
    return (pair[0], pair[1])


def _levels(
    value: Iterable[tuple[str, float]] | Mapping[str, float],
) -> tuple[tuple[str, float], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(label), float(threshold)) for label, threshold in items)


def _opt_bounds(
    value: Sequence[float | None] | None,
) -> tuple[float | None, float | None] | None:
    if value is None:
        return None
    pair = tuple(None if v is None else float(v) for v in value)
    if len(pair) != 2:
        raise FrameworkError(f"expected two bounds [lower, upper], got {list(value)}")
    return (pair[0], pair[1])


@attrs.frozen
class IndicatorSpec:
    """One indicator of a framework.

    Parameters
    ----------
    code
        Column name in the data (letters, digits, underscores; starts with a letter).
    label
        Human-readable name.
    pillar
        Code of the pillar the indicator belongs to; ``None`` puts it directly under
        the total.
    normalisation
        See :data:`Normalisation`.
    max_points
        Maximum points of the indicator, when it is scored in points (DTI main
        indices); lets the data give earned points instead of scores, and weights
        the indicator under the ``"max_points"`` rule.
    goalposts
        ``(lower, upper)`` for ``normalisation="goalposts"``.
    bounds
        Admissible raw values ``(lower, upper)`` (either may be ``None``) for
        goalposts, min-max and rank indicators.
    unit
        Unit of raw values (pint), for goalposts, min-max and rank indicators.
    direction
        Whether a higher raw value is better.
    weight
        Weight within the parent group, under the ``"explicit"`` rule only.
    optional
        The data may leave the column out; allowed only for an indicator whose weight
        is 0 (one ranked separately).
    components
        Number of component indicators behind this one (documentation only).
    status
        How sure the methodology is of this indicator's definition.
    note
        Free text (sources, caveats).
    """

    code: str
    label: str = ""
    pillar: str | None = None
    normalisation: Normalisation = "score"
    max_points: float | None = attrs.field(default=None, converter=_opt_float)
    goalposts: tuple[float, float] | None = attrs.field(default=None, converter=_opt_pair)
    bounds: tuple[float | None, float | None] | None = attrs.field(
        default=None, converter=_opt_bounds
    )
    unit: str = "dimensionless"
    direction: Direction = attrs.field(default=Direction.HIGHER, converter=Direction)
    weight: float | None = attrs.field(default=None, converter=_opt_float)
    optional: bool = False
    components: int | None = None
    status: Status = "CONFIRMED"
    note: str = ""

    @property
    def points(self) -> float | None:
        """Maximum points: ``max_points``, or 1 for a binary feature."""
        if self.normalisation == "binary":
            return 1.0
        return self.max_points

    def input_indicator(self, kind: InputKind = "score") -> Indicator:
        """The :class:`~egovindex.panel.Indicator` (unit, bounds) of this column's data."""
        if self.normalisation == "binary":
            return Indicator(self.code, "dimensionless", self.direction, 0.0, 1.0, self.label)
        if self.normalisation == "score":
            if kind == "points" and self.max_points is not None:
                return Indicator(
                    self.code, "points", self.direction, 0.0, self.max_points, self.label
                )
            return Indicator(self.code, "dimensionless", self.direction, 0.0, 1.0, self.label)
        lower, upper = self.bounds if self.bounds is not None else (None, None)
        return Indicator(self.code, self.unit, self.direction, lower, upper, self.label)

    def normaliser(self, kind: InputKind = "score") -> Normaliser:
        """The normaliser turning this column's data into a score in [0, 1]."""
        if self.normalisation == "binary":
            return Goalposts(0.0, 1.0)
        if self.normalisation == "score":
            if kind == "points" and self.max_points is not None:
                return Goalposts(0.0, self.max_points)
            return Goalposts(0.0, 1.0)
        if self.normalisation == "goalposts":
            assert self.goalposts is not None  # checked by Framework
            return Goalposts(*self.goalposts)
        if self.normalisation == "minmax":
            return MinMax()
        return RankScore()


@attrs.frozen
class Pillar:
    """A group of indicators aggregated into one score.

    Parameters
    ----------
    code, label
        Identifier (unique in the framework) and name.
    weight
        Weight within the total, under the total's ``"explicit"`` rule only.
    weights
        Rule for the weights of the pillar's indicators (:data:`WeightRule`).
    aggregation
        ``"arithmetic"`` (default) or ``"geometric"``.
    zeros
        Rule for a zero child under a geometric mean.
    max_points
        Maximum points of the pillar; when given it must equal the sum of its
        indicators' maxima (otherwise that sum is used).
    components, status, note
        As for :class:`IndicatorSpec`.
    """

    code: str
    label: str = ""
    weight: float | None = attrs.field(default=None, converter=_opt_float)
    weights: WeightRule = "explicit"
    aggregation: Aggregation = "arithmetic"
    zeros: ZeroRule = "error"
    max_points: float | None = attrs.field(default=None, converter=_opt_float)
    components: int | None = None
    status: Status = "CONFIRMED"
    note: str = ""


@attrs.frozen
class TotalSpec:
    """The total of a framework and its rank rule.

    Parameters
    ----------
    code, label
        Name of the total (``"dti"``) and its label.
    weights
        Rule for the weights of the total's children (pillars, and indicators that
        belong to no pillar).
    aggregation, zeros
        As for :class:`Pillar`.
    rank_method
        ``"competition"`` (ties share a rank, the next is skipped; default),
        ``"dense"`` or ``"ordinal"``.
    rank_digits
        Rank on values rounded to this many decimals (the precision of the published
        scores), or on unrounded values when ``None``.
    max_points
        The points the total is divided by, when the published index divides by more
        points than its children hold (the 2024 LOSI: 95 features over 96; the total
        is then scaled by the children's points / ``max_points``). Only with the
        ``"max_points"`` weight rule.
    levels
        Level groups of the total: ``(label, lower threshold)`` pairs, highest first;
        a value is in the first level whose threshold it reaches (lower bound
        inclusive, as the Survey's four groups, methodology A.7.1) and below every
        threshold in the last.
    status, note
        As for :class:`IndicatorSpec`.
    """

    code: str = "total"
    label: str = ""
    weights: WeightRule = "explicit"
    aggregation: Aggregation = "arithmetic"
    zeros: ZeroRule = "error"
    rank_method: RankMethod = "competition"
    rank_digits: int | None = None
    max_points: float | None = attrs.field(default=None, converter=_opt_float)
    levels: tuple[tuple[str, float], ...] = attrs.field(default=(), converter=_levels)
    status: Status = "CONFIRMED"
    note: str = ""


def _choices(
    value: Mapping[str, Mapping[str, float]],
) -> Mapping[str, Mapping[str, float]]:
    return MappingProxyType(
        {
            str(k): MappingProxyType({str(c): float(w) for c, w in v.items()})
            for k, v in value.items()
        }
    )


@attrs.frozen
class WeightOption:
    """A named choice between weight sets (e.g. ``ict_index_total``).

    Parameters
    ----------
    name
        Option name, passed as ``options={name: choice}`` to :meth:`Framework.score`.
    default
        The choice used when none is given.
    choices
        Choice name -> {child code: weight}. Every group a choice touches must list
        each of its children (0 leaves a child out of the aggregate).
    status, doc
        How sure the default is, and why it is the default.
    """

    name: str
    default: str
    choices: Mapping[str, Mapping[str, float]] = attrs.field(converter=_choices)
    status: Status = "CONFIRMED"
    doc: str = ""


def _indicators(values: Iterable[IndicatorSpec]) -> tuple[IndicatorSpec, ...]:
    return tuple(values)


def _pillars(values: Iterable[Pillar]) -> tuple[Pillar, ...]:
    return tuple(values)


def _options(values: Iterable[WeightOption]) -> tuple[WeightOption, ...]:
    return tuple(values)


@attrs.frozen
class Framework:
    """A declared domestic scoring framework (validated on construction).

    Parameters
    ----------
    name
        Identifier, e.g. ``"vn-dti-province-2022"``.
    title
        Human-readable title.
    total
        The total and its rank rule.
    indicators
        Indicators, in output order.
    pillars
        Pillars, in output order (may be empty: indicators then aggregate directly
        into the total).
    options
        Named weight options.
    country, entity, version, years, status, methodology, sources, notes
        Metadata: ISO3 code of the country, what is scored (``"province"``), version
        of the methodology, assessment years it applies to, overall status, section
        of the methodology document, citations, free text.
    normalise_weights
        Divide declared explicit weights (and option choices) by their sum in each
        group, instead of requiring them to sum to one.

    Raises
    ------
    FrameworkError
        A malformed declaration; the message names the offending key.
    """

    name: str
    title: str
    total: TotalSpec
    indicators: tuple[IndicatorSpec, ...] = attrs.field(converter=_indicators)
    pillars: tuple[Pillar, ...] = attrs.field(default=(), converter=_pillars)
    options: tuple[WeightOption, ...] = attrs.field(default=(), converter=_options)
    country: str = ""
    entity: str = "entity"
    version: str = ""
    years: tuple[int, ...] = attrs.field(default=(), converter=_int_tuple)
    status: Status = "CONFIRMED"
    methodology: str = ""
    sources: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    notes: str = ""
    normalise_weights: bool = False

    def __attrs_post_init__(self) -> None:
        validate(self)

    # -- structure -----------------------------------------------------------------

    @property
    def codes(self) -> tuple[str, ...]:
        """Indicator codes (data columns), in declaration order."""
        return tuple(i.code for i in self.indicators)

    @property
    def pillar_codes(self) -> tuple[str, ...]:
        """Pillar codes, in declaration order."""
        return tuple(p.code for p in self.pillars)

    def indicator(self, code: str) -> IndicatorSpec:
        """Return the indicator called ``code``."""
        for spec in self.indicators:
            if spec.code == code:
                return spec
        raise UnknownIndicatorError(
            unknown_message(f"framework {self.name!r}: indicator", code, self.codes)
        )

    def children(self, group: str) -> tuple[str, ...]:
        """Codes of the children of ``group`` (the total's code or a pillar's code)."""
        if group == self.total.code:
            return self.pillar_codes + tuple(i.code for i in self.indicators if i.pillar is None)
        if group in self.pillar_codes:
            return tuple(i.code for i in self.indicators if i.pillar == group)
        raise UnknownKeyError(
            unknown_message(
                f"framework {self.name!r}: group", group, (self.total.code, *self.pillar_codes)
            )
        )

    @property
    def groups(self) -> tuple[str, ...]:
        """The total's code followed by every pillar code."""
        return (self.total.code, *self.pillar_codes)

    def parent(self, code: str) -> str:
        """The group a pillar or indicator belongs to."""
        if code in self.pillar_codes:
            return self.total.code
        return self.indicator(code).pillar or self.total.code

    def max_points(self, code: str) -> float | None:
        """Maximum points of an indicator, a pillar or the total.

        A group's maximum is the sum over its children; a pillar whose indicators have no
        maxima falls back on the ``max_points`` it declares.
        """
        if code in self.codes:
            return self.indicator(code).points
        if code == self.total.code and self.total.max_points is not None:
            return self.total.max_points
        points = [self.max_points(k) for k in self.children(code)]
        if any(p is None for p in points):
            return self._pillar(code).max_points if code in self.pillar_codes else None
        return float(sum(p for p in points if p is not None))

    def weight_rule(self, group: str) -> WeightRule:
        """The :data:`WeightRule` of ``group``."""
        if group == self.total.code:
            return self.total.weights
        return self._pillar(group).weights

    def _pillar(self, code: str) -> Pillar:
        for p in self.pillars:
            if p.code == code:
                return p
        raise UnknownKeyError(
            unknown_message(f"framework {self.name!r}: pillar", code, self.pillar_codes)
        )

    def declared_weight(self, code: str) -> float | None:
        """The ``weight`` a pillar or indicator declares (``None`` when it declares none)."""
        if code in self.pillar_codes:
            return self._pillar(code).weight
        return self.indicator(code).weight

    # -- weights -------------------------------------------------------------------

    def weights(
        self,
        options: Mapping[str, str] | None = None,
        weights: Mapping[str, float] | Literal["equal"] | None = None,
        *,
        normalise_weights: bool = False,
    ) -> dict[str, dict[str, float]]:
        """Resolve the weight of every child in every group.

        Parameters
        ----------
        options
            Option name -> choice (default: each option's ``default``).
        weights
            User weights, child code -> weight; every group they touch must be listed
            in full (0 leaves a child out). ``"equal"`` gives equal weights to every
            group whose weights the framework leaves unknown.
        normalise_weights
            Divide the user weights by their sum in each group (otherwise they must
            sum to one).

        Returns
        -------
        dict
            Group code -> {child code: weight}, each group summing to one.

        Raises
        ------
        WeightError
            A group's weights are unknown and were not supplied, or supplied weights
            are invalid (negative, not summing to one, a group listed in part).
        """
        resolved: dict[str, dict[str, float] | None] = {
            g: self._base_weights(g) for g in self.groups
        }
        for option in self.options:
            choice = self._choice(option, options)
            resolved.update(
                group_weights(
                    self,
                    option.choices[choice],
                    f"option {option.name}={choice}",
                    normalise=self.normalise_weights,
                )
            )
        if options:
            unknown = [k for k in options if k not in {o.name for o in self.options}]
            if unknown:
                raise InputError(
                    unknown_message(
                        f"framework {self.name!r}: option",
                        unknown[0],
                        [o.name for o in self.options],
                    )
                )
        if isinstance(weights, str):
            if weights != "equal":
                raise WeightError(
                    f"weights must be a mapping of code -> weight or 'equal', got {weights!r}"
                )
            for g, w in resolved.items():
                if w is None:
                    kids = self.children(g)
                    resolved[g] = {k: 1.0 / len(kids) for k in kids}
        elif weights is not None:
            resolved.update(
                group_weights(self, weights, "the weights given", normalise=normalise_weights)
            )
        missing = [g for g, w in resolved.items() if w is None]
        if missing:
            g = missing[0]
            where = f" (methodology {self.methodology})" if self.methodology else ""
            raise WeightError(
                f"framework {self.name!r}: the weights of {g!r} over "
                f"{', '.join(self.children(g))} are not known{where}; "
                + (
                    "so are those of " + ", ".join(repr(m) for m in missing[1:]) + "; "
                    if len(missing) > 1
                    else ""
                )
                + "supply them with weights={code: weight, ...} or weights='equal'"
            )
        out = {g: w for g, w in resolved.items() if w is not None}
        for g, w in out.items():
            check_weights(list(w.values()), name=f"{self.name}: {g}")
        return out

    def _choice(self, option: WeightOption, options: Mapping[str, str] | None) -> str:
        choice = (options or {}).get(option.name, option.default)
        if choice not in option.choices:
            raise InputError(
                unknown_message(
                    f"framework {self.name!r}: option {option.name!r} choice",
                    str(choice),
                    list(option.choices),
                )
            )
        return str(choice)

    def _base_weights(self, group: str) -> dict[str, float] | None:
        rule = self.weight_rule(group)
        kids = self.children(group)
        if rule == "equal":
            return {k: 1.0 / len(kids) for k in kids}
        if rule == "max_points":
            points = {k: self.max_points(k) for k in kids}
            total = sum(p for p in points.values() if p is not None)
            return {k: float(p or 0.0) / total for k, p in points.items()}
        if rule == "explicit":
            declared = {k: float(self.declared_weight(k) or 0.0) for k in kids}
            if self.normalise_weights:
                total = sum(declared.values())
                return {k: w / total for k, w in declared.items()}
            return declared
        return None  # "option" (filled by an option) or "unknown"

    # -- data ------------------------------------------------------------------------

    @property
    def data_columns(self) -> tuple[str, ...]:
        """Codes a data column may carry: every indicator, and every pillar (a pillar's
        column holds its score, or its points with ``input="points"``, e.g. the count of
        features found, in place of its indicators)."""
        return self.codes + self.pillar_codes

    def input_indicators(self, kind: InputKind = "score") -> tuple[Indicator, ...]:
        """Indicators (unit, bounds) of the data columns for the input ``kind``."""
        _check_kind(kind)
        return tuple(spec.input_indicator(kind) for spec in self.indicators)

    def column_indicator(self, code: str, kind: InputKind = "score") -> Indicator:
        """The :class:`~egovindex.panel.Indicator` of one data column (indicator or pillar)."""
        if code in self.codes:
            return self.indicator(code).input_indicator(kind)
        pillar = self._pillar(code)
        top = self.max_points(code)
        if kind == "points" and top is not None:
            return Indicator(code, "points", Direction.HIGHER, 0.0, top, pillar.label)
        return Indicator(code, "dimensionless", Direction.HIGHER, 0.0, 1.0, pillar.label)

    def _column_normaliser(self, code: str, kind: InputKind) -> Normaliser:
        if code in self.codes:
            return self.indicator(code).normaliser(kind)
        top = self.max_points(code)
        return Goalposts(0.0, top) if kind == "points" and top is not None else Goalposts(0.0, 1.0)

    def panel(
        self,
        rows: Iterable[Mapping[str, Any]],
        *,
        input: InputKind = "score",
        entity_key: str = "entity",
    ) -> Panel:
        """Build a validated :class:`~egovindex.panel.Panel` from records.

        Each record maps ``entity_key`` to the entity and data columns
        (:attr:`data_columns`) to values (scores, or points when ``input="points"``); a
        ``"group"`` key is ignored here (see :meth:`score`). Unknown keys are rejected.

        Raises
        ------
        UnknownIndicatorError
            A key that is not an indicator or pillar of the framework.
        BoundsError
            A score outside [0, 1], points above the maximum, a binary feature other
            than 0 or 1.
        DuplicateEntityError
            An entity appears twice.
        """
        _check_kind(input)
        records = [dict(r) for r in rows]
        clean = [{k: v for k, v in r.items() if k != "group"} for r in records]
        present: dict[str, None] = {}
        for r in clean:
            for key in r:
                if key != entity_key and key not in self.data_columns:
                    raise UnknownIndicatorError(
                        unknown_message(
                            f"framework {self.name!r}: record of {r.get(entity_key)!r} has "
                            "unknown column",
                            key,
                            self.data_columns,
                        )
                    )
                if key != entity_key:
                    present[key] = None
        codes = [c for c in self.data_columns if c in present] or list(self.codes)
        panel = Panel.from_rows(
            clean, [self.column_indicator(c, input) for c in codes], entity_key=entity_key
        )
        self.check_data(panel, input)
        return panel

    def check_data(self, panel: Panel, input: InputKind = "score") -> None:
        """Checks a panel needs beyond its bounds: a pillar given together with its own
        indicators, a binary feature other than 0 or 1, a count of binary features that
        is not a whole number.

        Raises
        ------
        InputError
            A pillar column and columns of its indicators.
        BoundsError
            A binary value other than 0 or 1, or a fractional count (naming the entity).
        """
        for p in self.pillar_codes:
            if p in panel.codes:
                own = [c for c in self.children(p) if c in panel.codes]
                if own:
                    raise InputError(
                        f"framework {self.name!r}: the data give pillar {p!r} and its "
                        f"indicators {', '.join(own)}; give one or the other"
                    )
        for code in panel.codes:
            col = panel.column(code)
            bad, what = self.breaks_value_rule(code, col, input)
            if bad.size:
                i = int(bad[0])
                raise BoundsError(
                    f"framework {self.name!r}: entity {panel.entities[i]!r}, column "
                    f"{code!r}: value {col[i]:g}: {what}"
                )

    def breaks_value_rule(
        self, code: str, values: Any, input: InputKind = "score"
    ) -> tuple[NDArray[np.intp], str]:
        """Positions of ``values`` (a data column ``code``) that break its value rule, and
        the rule: a binary feature is 0 or 1; with ``input="points"`` a pillar of binary
        features holds a whole count. Empty positions where no rule applies."""
        col = np.asarray(values, dtype=np.float64).ravel()
        if code in self.codes:
            if self.indicator(code).normalisation != "binary":
                return np.empty(0, np.intp), ""
            bad = ~np.isnan(col) & (col != 0.0) & (col != 1.0)
            return np.flatnonzero(bad), "a binary feature is 1 (found) or 0 (not found)"
        binary = all(self.indicator(c).normalisation == "binary" for c in self.children(code))
        if not (binary and input == "points"):
            return np.empty(0, np.intp), ""
        bad = ~np.isnan(col) & (col != np.round(col))
        return np.flatnonzero(bad), "a count of features found is a whole number"

    def tree(
        self,
        weights: Mapping[str, Mapping[str, float]],
        present: Iterable[str] | None = None,
        *,
        input: InputKind = "score",
    ) -> Node:
        """Build the :class:`~egovindex.composite.Node` tree for resolved ``weights``.

        ``present`` lists the data columns available: an indicator with weight 0 and
        no column is left out (it would only be ranked separately); one with a
        positive weight is kept, so evaluation names the missing column. A pillar
        whose code is present is a leaf read from its column.
        """
        have = set(self.codes if present is None else present)
        node = self._node(self.total.code, weights, have, input)
        if node is None:  # pragma: no cover - a total always has a positive weight
            raise InputError(f"framework {self.name!r}: nothing to score")
        assert isinstance(node, Node)
        return node

    def _node(
        self,
        code: str,
        weights: Mapping[str, Mapping[str, float]],
        have: set[str],
        kind: InputKind,
    ) -> Node | Leaf | None:
        if code in self.codes or (code in self.pillar_codes and code in have):
            return Leaf(code, self._column_normaliser(code, kind)) if code in have else None
        kids: list[Node | Leaf] = []
        ws: list[float] = []
        for child in self.children(code):
            w = weights[code][child]
            sub = self._node(child, weights, have, kind)
            if sub is None and w > 0 and child in self.codes:
                sub = Leaf(child, self.indicator(child).normaliser(kind))
            if sub is None:
                continue
            kids.append(sub)
            ws.append(w)
        if not kids or sum(ws) <= 0:
            return None
        rescale: Normaliser | None = None
        if code == self.total.code:
            agg, zeros = self.total.aggregation, self.total.zeros
            rescale = self._total_scale()
        else:
            p = self._pillar(code)
            agg, zeros = p.aggregation, p.zeros
        return Node(code, kids, ws, aggregation=agg, zeros=zeros, rescale=rescale)

    def _assessed_total(self, scores: Scores, panel: Panel, kind: InputKind) -> Scores:
        """Replace the total by the points found over the points assessed (``missing=
        "assessed"``): the same engine, on a flat tree of every data column weighted by
        its maximum points."""
        groups = [g for g in self.groups if self.weight_rule(g) != "max_points"]
        geometric = [g for g in self.groups if self._aggregation(g) != "arithmetic"]
        if groups or geometric:
            raise InputError(
                f"framework {self.name!r}: missing='assessed' sums points, so every group "
                "must weigh by max_points and aggregate arithmetically; "
                f"{(groups or geometric)[0]!r} does not (use missing='available')"
            )
        codes = list(panel.codes)
        points = [float(self.max_points(c) or 0.0) for c in codes]
        total = sum(points)
        flat = Node(
            self.total.code,
            [Leaf(c, self._column_normaliser(c, kind)) for c in codes],
            [p / total for p in points],
            rescale=self._total_scale(),
        )
        values = dict(scores.values)
        values[self.total.code] = evaluate(flat, panel, missing="available")[self.total.code]
        return Scores(
            scores.entities, scores.root, values, scores.fitted, scores.raw, scores.rank_method
        )

    def _aggregation(self, group: str) -> str:
        if group == self.total.code:
            return self.total.aggregation
        return self._pillar(group).aggregation

    def _total_scale(self) -> Normaliser | None:
        """Divide by the total's declared max_points rather than its children's sum."""
        declared = self.total.max_points
        if declared is None:
            return None
        summed = sum(self.max_points(k) or 0.0 for k in self.children(self.total.code))
        return Goalposts(0.0, declared / summed) if declared > summed else None

    def score(
        self,
        data: Panel | Iterable[Mapping[str, Any]],
        *,
        input: InputKind = "score",
        options: Mapping[str, str] | None = None,
        weights: Mapping[str, float] | Literal["equal"] | None = None,
        normalise_weights: bool = False,
        missing: DomesticMissing = "error",
        groups: Sequence[str] | None = None,
        merge: Merger | Mapping[str, str] | None = None,
    ) -> DomesticScores:
        """Score entities: every indicator, pillar and the total, with ranks.

        Parameters
        ----------
        data
            A :class:`~egovindex.panel.Panel` whose columns are data columns
            (:attr:`data_columns`: indicator codes, or pillar codes in place of their
            indicators), or records as for :meth:`panel` (a ``"group"`` key there sets
            ``groups``).
        input
            ``"score"`` (values in [0, 1]) or ``"points"`` (earned points in
            [0, max_points] for indicators and pillars that have maximum points; a
            pillar of binary features then holds the count of features found).
        options, weights, normalise_weights
            See :meth:`weights`.
        missing
            ``"error"`` (default), ``"available"`` (see
            :func:`egovindex.composite.evaluate`: each group averages its children with
            a value, so a pillar of binary features is the share of features found among
            those assessed) or ``"assessed"`` (as ``"available"``, and the total is the
            points found over the points assessed across every pillar, as the LOSI
            defines it; only for a framework whose groups all weigh by max_points).
        groups
            One group label per entity; ranks are then computed within each group
            (e.g. ministries with and without public services, methodology B.3.1).
        merge
            Score merged entities instead: a :class:`~egovindex.domestic.merge.Merger`,
            or a mapping entity -> merged entity (equal weights, rule
            ``"mean_of_indicators"``, as the 2024 DTI round). Every entity of the data
            must be mapped (to itself if it keeps its borders).

        Raises
        ------
        WeightError
            The framework's weights are unknown (UNCONFIRMED) and none were supplied.
        BoundsError, MissingDataError, DuplicateEntityError, UnknownIndicatorError
            Data that cannot be scored as given.
        """
        _check_kind(input)
        if input == "points" and all(self.max_points(c) is None for c in self.codes):
            raise InputError(
                f"framework {self.name!r} declares no maximum points for any indicator, "
                "so its data must be scores (input='score')"
            )
        if isinstance(data, Panel):
            unknown = [c for c in data.codes if c not in self.data_columns]
            if unknown:
                raise UnknownIndicatorError(
                    unknown_message(
                        f"framework {self.name!r}: panel column", unknown[0], self.data_columns
                    )
                )
            inds = [self.column_indicator(c, input) for c in data.codes]
            panel = Panel(data.entities, inds, data.values)
            self.check_data(panel, input)
        else:
            records = [dict(r) for r in data]
            if groups is None and any("group" in r for r in records):
                groups = [str(r.get("group", "")) for r in records]
            panel = self.panel(records, input=input)
        group_labels = None if groups is None else tuple(str(g) for g in groups)
        if group_labels is not None and len(group_labels) != len(panel.entities):
            raise InputError(f"{len(group_labels)} group labels for {len(panel.entities)} entities")
        if missing not in get_args(DomesticMissing):
            raise InputError(
                f"unknown missing-data rule {missing!r}; choose "
                + ", ".join(repr(m) for m in get_args(DomesticMissing))
            )
        rule: MissingRule = "error" if missing == "error" else "available"
        resolved = self.weights(options, weights, normalise_weights=normalise_weights)
        merger = None if merge is None else merge if isinstance(merge, Merger) else Merger(merge)
        if merger is not None:
            merged_groups = merger.groups(panel.entities, group_labels)
            if merger.rule == "mean_of_indicators":
                if rule == "error" and np.isnan(panel.values).any():
                    # the mean over the absorbed entities would hide the gap: refuse it
                    # as the unmerged data are refused, naming the entity and column
                    evaluate(self.tree(resolved, panel.codes, input=input), panel, missing=rule)
                panel, group_labels = merger.panel(panel), merged_groups
        tree = self.tree(resolved, panel.codes, input=input)
        scores = evaluate(tree, panel, missing=rule, rank_method=self.total.rank_method)
        if missing == "assessed":
            scores = self._assessed_total(scores, panel, input)
        if merger is not None and merger.rule == "mean_of_scores":
            scores, group_labels = merger.scores(scores), merged_groups
        return DomesticScores(self, scores, resolved, group_labels, input, merger)


def _check_kind(kind: str) -> None:
    if kind not in get_args(InputKind):
        raise InputError(f"unknown input kind {kind!r}; choose 'score' or 'points'")
