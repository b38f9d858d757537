"""The UN EGDI methodology of one Survey edition as composite trees, and its scoring.

:func:`methodology` returns a frozen :class:`Methodology`: the edition's TII, HCI, OSI and
EPI trees (:class:`egovindex.composite.Node`), its options, and :meth:`Methodology.score`,
which computes from a raw-indicator :class:`~egovindex.panel.Panel` every index, the EGDI
(:func:`egovindex.methodologies.un.formula.egdi`), competition ranks, the EPI rank, level
groups and (from 2020) rating classes, returned as a frozen :class:`UNScores`.

The component pipeline (2016 Survey Annex A.1; 2018 Survey Annex A.1; methodology A.1.2):

1. cap raw values where the edition caps them (TII at 120 from 2020, methodology A.2.2);
2. z-score each indicator over all assessed countries with the population standard deviation;
3. weighted sum of the z-scores with the edition's weights (A.2.1, A.3.1);
4. min-max rescale of the sum to [0, 1].

OSI and EPI are min-max normalised point totals (methodology A.4.1, A.5), except that from
2022 the OSI is by default the published one (A.4.3); from 2022, with
``osi_subindex_weights``, the OSI is the min-max rescaled weighted sum of the five min-max
normalised subindices (A.4.3; weights UNCONFIRMED, hence required).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, get_args

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.composite import Leaf, Node, Scores, evaluate_trees
from egovindex.errors import (
    InputError,
    MissingDataError,
    UnitError,
    UnknownCountryError,
    UnknownIndexError,
    did_you_mean,
)
from egovindex.methodologies.un.editions import Broadband, Edition, edition
from egovindex.methodologies.un.formula import TopWeights
from egovindex.methodologies.un.indicators import (
    AFFORDABILITY_CODE,
    INDICATORS,
    OSI_SUBINDEX_CODES,
    PUBLISHED_CODES,
)
from egovindex.methodologies.un.uncertainty import (
    AggregationOptions,
    PublishedComponents,
    egdi_problem,
)
from egovindex.normalise import Cap, Chain, MinMax, Normaliser, ZScore
from egovindex.panel import Direction, Indicator, Panel, readonly
from egovindex.ranking import (
    Boundary,
    RankMethod,
    RatingMethod,
    egdi_groups,
    rank,
    rating_classes,
)

if TYPE_CHECKING:
    from egovindex.uncertainty import Problem

__all__ = [
    "COMPONENTS",
    "InputSource",
    "Methodology",
    "UNMissing",
    "UNScores",
    "methodology",
    "raw_panel",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
StrArray = NDArray[np.str_]

InputSource = Literal["raw", "published"]
"""Where a component index comes from: recomputed from raw indicators or points (``"raw"``),
or read from the ``<index>_published`` column (``"published"``)."""

UNMissing = Literal["error", "available", "exclude", "zero_hci"]
"""Missing-data rules of :meth:`Methodology.score`:

- ``"error"`` (default): any missing value raises, naming the countries and indicators;
- ``"available"``: the engine's available-case rule (normalisers fit on observed values, each
  composite re-weights the children observed for a country; OECD/JRC Handbook, section 3);
- ``"exclude"``: countries with any missing value are not assessed: they are left out before
  normalising and ranking, as the UN export leaves out countries it did not assess
  (methodology A.0), and listed in :attr:`UNScores.excluded`;
- ``"zero_hci"``: 2003-2010 only, a missing published HCI is coded 0, as the published tables
  of those editions code countries without education data (DERIVED; methodology A.1.1 item 3;
  in 2008 and 2010 the zero rule then gives them EGDI 0).
"""

COMPONENTS: tuple[str, ...] = ("tii", "hci", "osi", "epi")
"""The component trees of every edition, in output order."""

_OUTPUT_COLUMNS = (
    "iso3",
    "tii",
    "hci",
    "osi",
    "epi",
    "egdi",
    "egdi_rank",
    "group",
    "rating_class",
)


def raw_panel(entities: Sequence[str], columns: Mapping[str, ArrayLike]) -> Panel:
    """Build a :class:`~egovindex.panel.Panel` of UN raw indicators from plain columns.

    Each key must be a code of :data:`~egovindex.methodologies.un.indicators.INDICATORS`;
    its unit and bounds are checked.
    """
    return Panel.from_columns(entities, columns, INDICATORS.values())


def _zscore_leaf(code: str, ddof: int, cap: float | None) -> Leaf:
    z = ZScore(ddof=ddof)
    steps: tuple[Normaliser, ...] = (Cap(upper=cap), z)
    normaliser: Normaliser = z if cap is None else Chain(steps)
    return Leaf(code, normaliser)


def _node(
    name: str,
    children: Sequence[Leaf | Node],
    weights: Sequence[float],
    rescale: Normaliser | None = None,
) -> Node:
    kids: tuple[Leaf | Node, ...] = tuple(children)
    return Node(name, kids, weights, rescale=rescale)


def _published(name: str) -> Node:
    return _node(name, [Leaf(PUBLISHED_CODES[name])], [1.0])


def _check_subindex_weights(
    ed: Edition, weights: Mapping[str, float] | None
) -> Mapping[str, float] | None:
    if weights is None:
        return None
    if not ed.osi_subindices:
        raise InputError(
            f"the {ed.year} OSI has no subindices (the first edition with them is 2022, "
            "methodology A.4.3); osi_subindex_weights does not apply"
        )
    unknown = [k for k in weights if k not in ed.osi_subindices]
    missing = [k for k in ed.osi_subindices if k not in weights]
    if unknown or missing:
        raise InputError(
            "osi_subindex_weights needs exactly the keys "
            + ", ".join(ed.osi_subindices)
            + (f"; unknown: {', '.join(map(repr, unknown))}" if unknown else "")
            + (f"; missing: {', '.join(missing)}" if missing else "")
        )
    try:
        out = {k: float(weights[k]) for k in ed.osi_subindices}
    except (TypeError, ValueError):
        raise InputError(f"osi_subindex_weights must be numbers, got {dict(weights)!r}") from None
    if not all(math.isfinite(w) and w >= 0 for w in out.values()):
        raise InputError(f"osi_subindex_weights must be finite and non-negative, got {out}")
    return MappingProxyType(out)


@attrs.frozen(eq=False, repr=False)
class Methodology:
    """One Survey edition's EGDI methodology: trees, options and scoring.

    Build it with :func:`methodology`.

    Attributes
    ----------
    edition
        The :class:`~egovindex.methodologies.un.editions.Edition` specification.
    osi_subindex_weights
        From 2022: weights of the OSI subindices ``IF``, ``CP``, ``SP``, ``TEC``, ``EPI``
        (summing to 1). ``None`` (default) computes the OSI from the total ``osi_points``.
        The Survey's weights are UNCONFIRMED (methodology A.4.3), so there is no default.
    tii_input, hci_input, osi_input, epi_input
        ``"raw"`` or ``"published"`` for each component (see :data:`InputSource`).
    """

    edition: Edition
    osi_subindex_weights: Mapping[str, float] | None = None
    tii_input: InputSource = "raw"
    hci_input: InputSource = "raw"
    osi_input: InputSource = "raw"
    epi_input: InputSource = "raw"

    def __attrs_post_init__(self) -> None:
        ed = self.edition
        for name in COMPONENTS:
            value = getattr(self, f"{name}_input")
            if value not in get_args(InputSource):
                raise InputError(f"unknown {name}_input {value!r}; choose 'raw' or 'published'")
        for name, ok in (("tii", ed.tii_recomputable), ("hci", ed.hci_recomputable)):
            if getattr(self, f"{name}_input") == "raw" and not ok:
                raise InputError(
                    f"the {ed.year} {name.upper()} cannot be recomputed from raw indicators: "
                    "the 2003-2010 Surveys did not min-max rescale TII and HCI and their "
                    "scaling is UNCONFIRMED (methodology A.1.2); use "
                    f"{name}_input='published' and the column {PUBLISHED_CODES[name]!r}"
                )
        weights = _check_subindex_weights(ed, self.osi_subindex_weights)
        if weights is not None and self.osi_input != "raw":
            raise InputError("osi_subindex_weights needs osi_input='raw'")
        object.__setattr__(self, "osi_subindex_weights", weights)
        if weights is not None:
            # Validate the sum to one now rather than at the first score.
            self._osi_tree()

    def __repr__(self) -> str:
        changed = {
            k: v for k, v in self.options.items() if v != methodology(self.edition.year).options[k]
        }
        extra = "".join(f", {k}={v!r}" for k, v in changed.items())
        return f"Methodology({self.edition.year}{extra})"

    # -- trees ---------------------------------------------------------------------

    def _tii_tree(self) -> Node:
        """TII (methodology A.2): z-scores of the capped indicators, weighted sum, min-max.

        2020 on: internet users, mobile-cellular, active mobile-broadband, fixed-broadband,
        1/4 each, capped at 120 (2022 Survey Annex p. 197, Table A.1).
        """
        ed = self.edition
        if self.tii_input == "published" or ed.tii_weights is None:
            return _published("tii")
        # The cap of 120 is on subscriptions per 100 (A.2.2), not on a price (2026 option).
        leaves = [
            _zscore_leaf(c, ed.ddof, None if c == AFFORDABILITY_CODE else ed.tii_cap)
            for c in ed.tii_indicators
        ]
        return _node("tii", leaves, ed.tii_weights, rescale=MinMax())

    def _hci_tree(self) -> Node:
        """HCI (methodology A.3): z-scores, weights 1/3, 2/9, 2/9, 2/9 (2014 on), min-max."""
        ed = self.edition
        if self.hci_input == "published":
            return _published("hci")
        caps = ed.hci_caps or {}
        leaves = [_zscore_leaf(c, ed.ddof, caps.get(c)) for c in ed.hci_indicators]
        return _node("hci", leaves, ed.hci_weights, rescale=MinMax())

    def _osi_tree(self) -> Node:
        """OSI: min-max of the OSQ point total (methodology A.4.1); from 2022 optionally the
        min-max rescaled weighted sum of the min-max normalised subindices (A.4.3)."""
        if self.osi_input == "published":
            return _published("osi")
        weights = self.osi_subindex_weights
        if weights is None:
            return _node("osi", [Leaf("osi_points", MinMax())], [1.0])
        leaves = [Leaf(OSI_SUBINDEX_CODES[k], MinMax()) for k in self.edition.osi_subindices]
        return _node(
            "osi", leaves, [weights[k] for k in self.edition.osi_subindices], rescale=MinMax()
        )

    def _epi_tree(self) -> Node:
        """EPI: min-max of the e-participation point total (methodology A.5)."""
        if self.epi_input == "published":
            return _published("epi")
        return _node("epi", [Leaf("epi_points", MinMax())], [1.0])

    @property
    def trees(self) -> Mapping[str, Node]:
        """The component trees ``tii``, ``hci``, ``osi``, ``epi`` of the edition.

        - ``tii``: z-scored (population sd) indicators, capped where the edition caps them,
          weighted sum, min-max (methodology A.1.2, A.2; 2022 Survey Annex Table A.1);
        - ``hci``: the same pipeline over the education indicators (A.3.1);
        - ``osi``: min-max of ``osi_points`` (A.4.1) or, from 2022 with
          ``osi_subindex_weights``, of the weighted min-max subindices (A.4.3);
        - ``epi``: min-max of ``epi_points`` (A.5).

        A component taken as published is a single leaf reading ``<name>_published``
        (2003-2010 TII and HCI, methodology A.1.2; 2003-2012 OSI by default, A.4.2).
        """
        return self._plan.trees

    @property
    def tree(self) -> Node:
        """The EGDI as one tree: :attr:`Edition.egdi_node
        <egovindex.methodologies.un.editions.Edition.egdi_node>` over the ``osi``, ``tii``
        and ``hci`` trees of :attr:`trees`.

        Its root holds the edition's top weights and, as its ``zero_if_zero`` rule, the
        zero rule (EGDI := 0 when OSI = 0 in 2003-2005 and 2012, when HCI = 0 in 2008 and
        2010; methodology A.1.1). The EPI is not part of the EGDI (A.5).
        """
        return self._plan.tree

    @property
    def columns(self) -> tuple[str, ...]:
        """The raw-table columns this methodology reads, in tree order."""
        return self._plan.columns

    def uncertainty_problem(
        self,
        survey: PublishedComponents,
        *,
        within: str | Sequence[str] | None = None,
        concentration: float = 100.0,
        noise: float | None = 0.02,
        aggregation: AggregationOptions = "both",
        zeros: Literal["fail", "zero", "floor"] = "zero",
    ) -> Problem:
        """The Monte Carlo problem of this edition's EGDI on a Survey's published components.

        The top level of :attr:`tree` (weights and zero rule) over the published OSI, TII
        and HCI of ``survey``, with three factors: Dirichlet weights around the edition's
        (``concentration``; ``inf`` fixes them), the aggregation (arithmetic and/or
        geometric; ``zeros`` is the rule for a zero component under the geometric mean) and
        relative measurement error on each component (``noise``, normal, clipped to
        [0, 1]; ``None`` leaves the data as published). Countries are classified into the
        EGDI level groups (methodology A.7.1).

        Parameters
        ----------
        survey
            A published edition (:func:`egovindex.load_survey`) of the same year.
        within
            Rank within a region, sub-region, group or list of ISO3 codes.

        Raises
        ------
        InputError
            ``survey`` is another year than the methodology's edition.
        """
        if int(survey.year) != self.edition.year:
            raise InputError(
                f"the {self.edition.year} methodology cannot analyse the {survey.year} Survey; "
                f"use methodology({survey.year})"
            )
        return egdi_problem(
            self.edition.egdi_node,
            survey,
            within=within,
            concentration=concentration,
            noise=noise,
            aggregation=aggregation,
            zeros=zeros,
        )

    @functools.cached_property
    def _plan(self) -> _ScoringPlan:
        # Everything scoring needs that depends on the methodology only, built once: the
        # methodology is frozen, and rebuilding (and re-validating) the trees, the column
        # list and the bounds on every score() was most of its cost.
        self.edition.require_confirmed()  # a reserved edition (2026) has no trees until then
        trees = MappingProxyType(
            {
                "tii": self._tii_tree(),
                "hci": self._hci_tree(),
                "osi": self._osi_tree(),
                "epi": self._epi_tree(),
            }
        )
        return _ScoringPlan.build(trees, self.edition.egdi_node)

    @property
    def options(self) -> Mapping[str, object]:
        """Every named option and its resolved value."""
        opts = self.edition.options()
        opts["osi_subindex_weights"] = (
            None if self.osi_subindex_weights is None else dict(self.osi_subindex_weights)
        )
        for name in COMPONENTS:
            opts[f"{name}_input"] = getattr(self, f"{name}_input")
        return MappingProxyType(opts)

    # -- scoring -------------------------------------------------------------------

    def _checked_values(self, panel: Panel) -> FloatArray:
        """The columns of :attr:`columns` from ``panel``, checked against the UN declarations.

        Raises the errors :meth:`score` documents for absent columns, units, directions and
        bounds.
        """
        plan = self._plan
        codes = plan.columns
        present = panel.codes
        missing = [c for c in codes if c not in present]
        if missing:
            others = [k for k in present if k not in codes]
            hints = [
                f"{c!r}{hint}"
                for c in missing
                if (hint := did_you_mean(c, others, show=repr, paren=True))
            ]
            raise MissingDataError(
                f"the {self.edition.year} UN methodology needs columns the data lack: "
                + ", ".join(missing)
                + (f"; close names present: {'; '.join(hints)}" if hints else "")
                + self.column_hint(missing)
            )
        index = {c: j for j, c in enumerate(present)}
        for c, mine in zip(codes, plan.indicators, strict=True):
            theirs = panel.indicators[index[c]]
            if theirs.unit != mine.unit or theirs.direction is not mine.direction:
                raise UnitError(
                    f"indicator {c!r} is declared as {theirs.unit} ({theirs.direction.value} is "
                    f"better) in the panel, but the UN methodology reads {mine.unit} "
                    f"({mine.direction.value} is better); build the panel with raw_panel()"
                )
        values = panel.values[:, [index[c] for c in codes]]
        if not plan.within_bounds(values):
            # The panel's own bounds may be wider than the UN's: let Panel word the error.
            Panel(panel.entities, plan.indicators, values)
        return values

    def column_hint(self, missing: Sequence[str]) -> str:
        """Explain why published-index columns among ``missing`` are needed ('' if none)."""
        year = self.edition.year
        parts = [
            f"; the {year} {name.upper()} is taken as published (methodology A.1.2)"
            for name in ("tii", "hci")
            if PUBLISHED_CODES[name] in missing
            and not getattr(self.edition, f"{name}_recomputable")
        ]
        if PUBLISHED_CODES["osi"] in missing and not self.edition.osi_points_default:
            parts.append(
                f"; the {year} OSI is taken as published by default (stage weights UNCONFIRMED, "
                "methodology A.4.2; osi_input='raw' reads osi_points)"
            )
        elif PUBLISHED_CODES["osi"] in missing and self.edition.osi_subindices:
            parts.append(
                f"; the {year} OSI is taken as published by default (subindex weights "
                "UNCONFIRMED, methodology A.4.3; osi_input='raw' reads osi_points)"
            )
        return "".join(parts)

    def score(self, panel: Panel, *, missing: UNMissing = "error") -> UNScores:
        """Compute every index, the EGDI, ranks, level groups and rating classes.

        Parameters
        ----------
        panel
            Raw indicators of the assessed countries (see :func:`raw_panel`,
            :func:`egovindex.io.read_raw_csv`), with at least :attr:`columns`.
        missing
            Missing-data rule, see :data:`UNMissing`.

        Returns
        -------
        UNScores

        Raises
        ------
        MissingDataError
            A needed column is absent (every one is named), or a value is missing under
            ``missing="error"`` (every country and indicator is named).
        ZeroSpreadError
            An indicator or composite has the same value for every country.
        InputError
            Bad option or data (bounds, units).
        """
        if missing not in get_args(UNMissing):
            raise InputError(
                f"unknown missing-data rule {missing!r}; choose one of "
                + ", ".join(get_args(UNMissing))
            )
        entities, values, excluded = self._prepared(panel, missing)
        plan = self._plan
        audit_values, fitted = evaluate_trees(
            (plan.tree, plan.trees["epi"]),
            values,
            plan.columns,
            plan.directions,
            entities=entities,
            order=plan.audit_order,
        )
        comp = {name: audit_values[name] for name in COMPONENTS}
        _check_computed(comp, entities)
        total = audit_values["egdi"]
        ed = self.edition
        audit = Scores(
            entities=entities,
            root="egdi",
            values=MappingProxyType(audit_values),
            fitted=fitted,
            raw=MappingProxyType({c: readonly(values[:, j]) for j, c in enumerate(plan.columns)}),
            rank_method=ed.rank_method,
        )
        classes = (
            rating_classes(total, method=ed.rating_method, boundary=ed.group_boundary)
            if ed.rating_method is not None
            else None
        )
        return UNScores(
            edition=ed.year,
            entities=entities,
            tii=comp["tii"],
            hci=comp["hci"],
            osi=comp["osi"],
            epi=comp["epi"],
            egdi=total,
            egdi_rank=rank(total, method=ed.rank_method),
            epi_rank=rank(comp["epi"], method=ed.rank_method),
            group=egdi_groups(total, boundary=ed.group_boundary),
            rating_class=classes,
            scores=audit,
            excluded=excluded,
        )

    def _prepared(
        self, panel: Panel, missing: UNMissing
    ) -> tuple[tuple[str, ...], FloatArray, tuple[str, ...]]:
        """Checked values with the missing-data rule applied: (entities, values, excluded)."""
        values = self._checked_values(panel)
        entities = panel.entities
        excluded: tuple[str, ...] = ()
        if missing == "exclude":
            gaps = np.isnan(values).any(axis=1)
            excluded = tuple(entities[int(i)] for i in np.flatnonzero(gaps))
            entities = tuple(entities[int(i)] for i in np.flatnonzero(~gaps))
            values = values[~gaps]
        elif missing == "zero_hci":
            if self.hci_input != "published" or self.edition.year > 2010:
                raise InputError(
                    "missing='zero_hci' is the rule of the 2003-2010 published HCI "
                    "(methodology A.1.1 item 3); it does not apply to the "
                    f"{self.edition.year} edition with hci_input={self.hci_input!r}"
                )
            j = self._plan.columns.index(PUBLISHED_CODES["hci"])
            values = values.copy()
            values[:, j] = np.nan_to_num(values[:, j], nan=0.0)
        if len(entities) == 0:
            raise MissingDataError("no country left to score")
        if missing != "available" and np.isnan(values).any():
            gaps_by_code = Panel(entities, self._plan.indicators, values).missing()
            detail = "; ".join(f"{c}: {', '.join(e)}" for c, e in gaps_by_code.items())
            raise MissingDataError(
                f"missing values ({detail}); fill them or choose a missing-data rule "
                "(missing='exclude', 'available'"
                + (", 'zero_hci'" if self.edition.year <= 2010 else "")
                + ")"
            )
        return entities, values, excluded


@attrs.frozen(eq=False)
class _ScoringPlan:
    """What scoring needs from a methodology, computed once (see ``Methodology._plan``)."""

    trees: Mapping[str, Node]
    tree: Node  # the EGDI: the edition's top level over the osi, tii and hci trees
    columns: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    lower: FloatArray  # UN bounds of each column, -inf / +inf where unbounded
    upper: FloatArray
    directions: tuple[Direction, ...]
    audit_order: tuple[str, ...]  # the component trees' nodes in post-order, then "egdi"

    @classmethod
    def build(cls, trees: Mapping[str, Node], top: Node) -> _ScoringPlan:
        columns = tuple(dict.fromkeys(c for t in trees.values() for c in t.codes))
        indicators = tuple(INDICATORS[c] for c in columns)
        return cls(
            trees=trees,
            tree=attrs.evolve(top, children=[trees[c.name] for c in top.children]),
            columns=columns,
            indicators=indicators,
            lower=np.array([-np.inf if i.lower is None else i.lower for i in indicators]),
            upper=np.array([np.inf if i.upper is None else i.upper for i in indicators]),
            directions=tuple(i.direction for i in indicators),
            audit_order=(*(n.name for t in trees.values() for n in t.post_order()), "egdi"),
        )

    def within_bounds(self, values: FloatArray) -> bool:
        """Whether ``values`` (columns as :attr:`columns`) are finite or NaN and in bounds."""
        return not (
            np.isinf(values).any() or (values < self.lower).any() or (values > self.upper).any()
        )


def _check_computed(comp: Mapping[str, FloatArray], entities: Sequence[str]) -> None:
    """Raise naming the countries whose component could not be computed (NaN)."""
    if not np.isnan(sum(comp.values(), np.zeros(len(entities)))).any():
        return  # one pass over the four components: a NaN in any makes the sum NaN
    for name, arr in comp.items():
        nan = np.flatnonzero(np.isnan(arr))
        if nan.size:
            who = ", ".join(entities[int(i)] for i in nan)
            raise MissingDataError(f"{name.upper()} could not be computed for: {who}")


def _str_tuple(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(map(str, values))


def _readonly_int(values: ArrayLike) -> IntArray:
    arr = np.array(values, dtype=np.int64, copy=True)
    arr.setflags(write=False)
    return arr


def _readonly_str(values: ArrayLike | None) -> StrArray | None:
    if values is None:
        return None
    arr = np.array(values, dtype=np.str_, copy=True)
    arr.setflags(write=False)
    return arr


def _readonly_str_required(values: ArrayLike) -> StrArray:
    arr = np.array(values, dtype=np.str_, copy=True)
    arr.setflags(write=False)
    return arr


@attrs.frozen(eq=False)
class UNScores:
    """Every index of one edition computed from raw indicators, with ranks and classes.

    All arrays are read-only and aligned with :attr:`entities`.

    Attributes
    ----------
    edition
        Survey year.
    entities
        ISO3 codes of the scored countries, in panel order.
    tii, hci, osi, epi, egdi
        The indices.
    egdi_rank, epi_rank
        Ranks of EGDI and EPI (competition ranks by default, methodology A.8.1, A.5).
    group
        EGDI level group: Very High, High, Middle, Low (methodology A.7.1).
    rating_class
        Rating class from 2020 (methodology A.7.2), ``None`` before.
    scores
        The engine's :class:`~egovindex.composite.Scores` with every intermediate: z-scores
        of each indicator, composites, the fitted means, standard deviations, minima and
        maxima (``scores.fitted``), the raw values (``scores.raw``) and the EGDI.
    excluded
        Countries left out under ``missing="exclude"``.
    """

    edition: int
    entities: tuple[str, ...] = attrs.field(converter=_str_tuple)
    tii: FloatArray = attrs.field(converter=readonly)
    hci: FloatArray = attrs.field(converter=readonly)
    osi: FloatArray = attrs.field(converter=readonly)
    epi: FloatArray = attrs.field(converter=readonly)
    egdi: FloatArray = attrs.field(converter=readonly)
    egdi_rank: IntArray = attrs.field(converter=_readonly_int)
    epi_rank: IntArray = attrs.field(converter=_readonly_int)
    group: StrArray = attrs.field(converter=_readonly_str_required)
    rating_class: StrArray | None = attrs.field(converter=_readonly_str)
    scores: Scores
    excluded: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    @property
    def countries(self) -> tuple[str, ...]:
        """ISO3 codes (alias of :attr:`entities`, as in a published ``Survey``)."""
        return self.entities

    @property
    def year(self) -> int:
        """Survey year (alias of :attr:`edition`)."""
        return self.edition

    def index(self, name: str) -> FloatArray:
        """The values of index ``name``: ``egdi``, ``osi``, ``tii``, ``hci`` or ``epi``."""
        key = name.lower()
        if key not in ("egdi", *COMPONENTS):
            raise UnknownIndexError(
                f"unknown index {name!r}"
                + did_you_mean(key, ("egdi", *COMPONENTS))
                + "; choose egdi, osi, tii, hci or epi"
            )
        arr: FloatArray = getattr(self, key)
        return arr

    def rank(self, name: str = "egdi", *, within: Sequence[bool] | None = None) -> IntArray:
        """Ranks of index ``name`` (default EGDI), optionally within a boolean mask."""
        out = rank(
            self.index(name), method=self.scores.rank_method, within=within, entities=self.entities
        )
        out.setflags(write=False)
        return out

    def of(self, country: str) -> dict[str, object]:
        """One country's output row (see :meth:`to_rows`)."""
        try:
            i = self.entities.index(country)
        except ValueError:
            raise UnknownCountryError(
                f"{country!r} was not scored" + did_you_mean(country, self.entities)
            ) from None
        return self._row(i)

    def _row(self, i: int) -> dict[str, object]:
        return {
            "iso3": self.entities[i],
            "tii": float(self.tii[i]),
            "hci": float(self.hci[i]),
            "osi": float(self.osi[i]),
            "epi": float(self.epi[i]),
            "egdi": float(self.egdi[i]),
            "egdi_rank": int(self.egdi_rank[i]),
            "group": str(self.group[i]),
            "rating_class": None if self.rating_class is None else str(self.rating_class[i]),
        }

    def to_rows(self) -> list[dict[str, object]]:
        """One dict per country with keys ``iso3, tii, hci, osi, epi, egdi, egdi_rank, group,
        rating_class`` (``rating_class`` is None before 2020), in panel order."""
        return [self._row(i) for i in range(len(self.entities))]

    @staticmethod
    def columns() -> tuple[str, ...]:
        """The keys of :meth:`to_rows`, in output order."""
        return _OUTPUT_COLUMNS

    def __len__(self) -> int:
        return len(self.entities)

    def to_pandas(self) -> Any:
        """This result as a :class:`pandas.DataFrame` (``pandas`` extra; columns:
        :func:`egovindex.frames.result_columns`)."""
        from egovindex.frames import frame

        return frame(self, "pandas")

    def to_polars(self) -> Any:
        """This result as a :class:`polars.DataFrame` (``polars`` extra)."""
        from egovindex.frames import frame

        return frame(self, "polars")


def methodology(
    year: int,
    *,
    ddof: int = 0,
    tii_cap: float | Literal["default"] | None = "default",
    tii_2018_broadband: Broadband | None = None,
    hci_caps: Mapping[str, float] | None = None,
    osi_subindex_weights: Mapping[str, float] | None = None,
    top_weights_rule: TopWeights = "published_fit",
    zero_rule: bool = True,
    group_boundary: Boundary = "lower_inclusive",
    rating_method: RatingMethod | None = None,
    rank_method: RankMethod = "competition",
    tii_affordability_weight: float | None = None,
    hci_egov_literacy_weight: float | None = None,
    tii_input: InputSource | None = None,
    hci_input: InputSource | None = None,
    osi_input: InputSource | None = None,
    epi_input: InputSource = "raw",
) -> Methodology:
    """Return the EGDI methodology of the Survey edition ``year``.

    Options are those of :func:`egovindex.methodologies.un.editions.edition` plus:

    Parameters
    ----------
    osi_subindex_weights
        From 2022: weights of ``IF``, ``CP``, ``SP``, ``TEC``, ``EPI`` summing to 1; the OSI
        is then recomputed from the subindex point columns (methodology A.4.3). Required for
        that recomputation: the Survey's weights are UNCONFIRMED.
    tii_input, hci_input
        ``"raw"`` (default from 2012) or ``"published"`` (default, and the only choice, for
        2003-2010, methodology A.1.2).
    osi_input
        ``"published"`` (``osi_published``): the default for 2003-2012, whose stage-model
        weights are UNCONFIRMED (methodology A.4.2), and from 2022, whose OSI weights five
        subindices with UNCONFIRMED weights, so that methodology A.4.3 makes the published
        OSI the default input. ``"raw"``: the min-max normalised point total ``osi_points``
        (the default for 2014-2020, methodology A.4.1; from 2022 a named option that gives
        every questionnaire item equal weight), or with ``osi_subindex_weights`` the
        weighted subindices (the default when weights are given).
    epi_input
        ``"raw"`` (``epi_points``, default) or ``"published"``.

    Notes
    -----
    ``methodology(2026)`` is reserved: the 2024 rules plus the changes reported for the 2026
    cycle as UNCONFIRMED options, ``tii_affordability_weight`` (ITU affordability price
    baskets in the TII, lower is better) and ``hci_egov_literacy_weight`` (e-government
    literacy in the HCI). Until both are confirmed, :meth:`Methodology.score`,
    :attr:`~Methodology.trees` and :attr:`~Methodology.columns` raise
    :class:`~egovindex.errors.UnconfirmedOptionError` naming them.

    Examples
    --------
    >>> import egovindex as eg
    >>> m = eg.un.methodology(2022)
    >>> m.columns[:2]
    ('internet_users_pct', 'mobile_subscriptions_per100')
    """
    ed = edition(
        year,
        ddof=ddof,
        tii_cap=tii_cap,
        tii_2018_broadband=tii_2018_broadband,
        hci_caps=hci_caps,
        top_weights_rule=top_weights_rule,
        zero_rule=zero_rule,
        group_boundary=group_boundary,
        rating_method=rating_method,
        rank_method=rank_method,
        tii_affordability_weight=tii_affordability_weight,
        hci_egov_literacy_weight=hci_egov_literacy_weight,
    )
    return Methodology(
        ed,
        osi_subindex_weights=osi_subindex_weights,
        tii_input=tii_input or ("raw" if ed.tii_recomputable else "published"),
        hci_input=hci_input or ("raw" if ed.hci_recomputable else "published"),
        osi_input=osi_input or _default_osi_input(ed, osi_subindex_weights),
        epi_input=epi_input,
    )


def _default_osi_input(ed: Edition, weights: Mapping[str, float] | None) -> InputSource:
    """The OSI input by default: raw points 2014-2020, published otherwise (A.4.2, A.4.3).

    From 2022 the point total weights every questionnaire item equally, which the five
    subindices with their UNCONFIRMED weights do not, so the published OSI is the default
    (methodology A.4.3); subindex weights, when given, ask for the recomputation.
    """
    if weights is not None:
        return "raw"
    return "raw" if ed.osi_points_default and not ed.osi_subindices else "published"
