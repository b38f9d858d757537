"""Input factors of an uncertainty analysis, and the problem they act on, declared as data.

A factor is one arbitrary choice of an index whose effect on the ranks is studied
(OECD/JRC *Handbook on Constructing Composite Indicators*, 2008, step 7; methodology
A.10.1): the weights of a node, the normalisation, the aggregation rule, measurement
error in the raw indicators, the imputation of missing values, the capping of outliers.
Every factor is a frozen value object; sampling (:mod:`egovindex.uncertainty.sampling`)
and evaluation (:mod:`egovindex.uncertainty.montecarlo`) are separate, as in SALib.

A :class:`Problem` binds a composite tree, its raw data and a tuple of factors. A factor
that is given zero width (an infinite Dirichlet concentration, a one-option choice, zero
noise) leaves every replication at the nominal index.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.errors import InputError, UnknownIndicatorError, did_you_mean
from egovindex.panel import Direction, Indicator, Panel
from egovindex.ranking import GROUP_FLOORS, GROUPS
from egovindex.tree import Node

__all__ = [
    "EGDI_LEVELS",
    "AggregationChoice",
    "DirichletWeights",
    "Factor",
    "ImputationChoice",
    "IndicatorNoise",
    "Levels",
    "NormalisationChoice",
    "OutlierCapping",
    "Problem",
    "UniformWeights",
    "ZeroRule",
]

FloatArray = NDArray[np.float64]

ZeroRule = Literal["fail", "zero", "floor"]
"""What a geometric mean does with a zero child inside a replication: ``"fail"`` counts
the replication as failed (cause reported), ``"zero"`` gives the entity a composite of 0,
``"floor"`` replaces the zero by a small positive floor (see
:func:`egovindex.aggregate.weighted_geometric`)."""

NORMALISATIONS = ("zscore", "minmax", "nominal")
AGGREGATIONS = ("arithmetic", "geometric", "nominal")
IMPUTATIONS = ("mean", "median", "min", "available")


def _tuple_of_str(values: Iterable[str] | str | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if isinstance(values, str):
        return (values,)
    return tuple(values)


def _options(allowed: Sequence[str], what: str) -> Any:
    def check(_inst: object, _attr: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if not value:
            raise InputError(f"{what}: give at least one option")
        bad = [v for v in value if v not in allowed]
        if bad:
            raise InputError(f"{what}: unknown option(s) {bad}; choose from {', '.join(allowed)}")
        if len(set(value)) != len(value):
            raise InputError(f"{what}: repeated option in {list(value)}")

    return check


def _zero_rule(_inst: object, _attr: attrs.Attribute[str], value: str) -> None:
    if value not in ("fail", "zero", "floor"):
        raise InputError(f"unknown zero rule {value!r}; choose 'fail', 'zero' or 'floor'")


# -- weights -------------------------------------------------------------------------


@attrs.frozen
class DirichletWeights:
    """Weights of one node drawn from a Dirichlet distribution around its nominal weights.

    The parameters are ``alpha_k = concentration * w_k``: the mean is the nominal weight
    vector and the variance of weight ``k`` is ``w_k (1 - w_k) / (concentration + 1)``.
    Children with nominal weight 0 keep weight 0. ``concentration=math.inf`` gives the
    nominal weights in every replication.

    Parameters
    ----------
    node
        Name of the node whose children's weights vary.
    concentration
        Positive; larger is tighter around the nominal weights.
    label
        Name of the factor in reports (default ``"weights(<node>)"``).
    """

    node: str
    concentration: float
    label: str = ""

    def __attrs_post_init__(self) -> None:
        if not (self.concentration > 0):  # also rejects NaN
            raise InputError(
                f"Dirichlet concentration of node {self.node!r} must be positive, "
                f"got {self.concentration}"
            )

    @property
    def name(self) -> str:
        """The factor's name in reports."""
        return self.label or f"weights({self.node})"


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _floats(values: Iterable[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def _factor_tuple(values: Iterable[Factor]) -> tuple[Factor, ...]:
    return tuple(values)


def _float_or_tuple(value: float | Iterable[float]) -> float | tuple[float, ...]:
    if isinstance(value, int | float):
        return float(value)
    return tuple(float(v) for v in value)


@attrs.frozen
class UniformWeights:
    """Weights of one node drawn uniformly in ranges, then rescaled to sum to one.

    Raw weight ``k`` is uniform on ``[low_k, high_k]``; the replication uses the raw
    weights divided by their sum. ``low`` and ``high`` are one number for every child or
    one per child. With ``low == high`` equal to the nominal weights every replication
    uses the nominal weights exactly.

    Parameters
    ----------
    node
        Name of the node whose children's weights vary.
    low, high
        Bounds of the raw weights (non-negative, ``low <= high``).
    label
        Name of the factor in reports (default ``"weights(<node>)"``).
    """

    node: str
    low: float | tuple[float, ...] = attrs.field(converter=_float_or_tuple)
    high: float | tuple[float, ...] = attrs.field(converter=_float_or_tuple)
    label: str = ""

    def __attrs_post_init__(self) -> None:
        lo, hi = np.atleast_1d(self.low), np.atleast_1d(self.high)
        if lo.shape != hi.shape and lo.size != 1 and hi.size != 1:
            raise InputError(
                f"uniform weights of node {self.node!r}: low has {lo.size} values, high {hi.size}"
            )
        if not (np.isfinite(lo).all() and np.isfinite(hi).all()):
            raise InputError(f"uniform weights of node {self.node!r}: bounds must be finite")
        if (lo < 0).any() or (np.broadcast_to(hi, np.broadcast(lo, hi).shape) < lo).any():
            raise InputError(
                f"uniform weights of node {self.node!r}: need 0 <= low <= high, "
                f"got low={self.low}, high={self.high}"
            )

    @property
    def name(self) -> str:
        """The factor's name in reports."""
        return self.label or f"weights({self.node})"


# -- discrete choices ----------------------------------------------------------------


@attrs.frozen
class NormalisationChoice:
    """The normalisation of the leaves, chosen with equal probability among ``options``.

    Each option replaces the scoring step of a leaf's normaliser (caps before it are
    kept, as in ``Chain((Cap(upper=120), ZScore()))``): ``"zscore"`` (population
    standard deviation, rescaled to ``zscore_scale = (mean, sd)``), ``"minmax"`` (to
    ``minmax_range``) or ``"nominal"`` (the leaf's own normaliser). A z-score scaled to
    (10, 2) and a min-max to (1, 100) keep values positive for a geometric mean, as in the
    JRC's COINr uncertainty analysis of the ASEM index.

    Parameters
    ----------
    options
        Names from ``"zscore"``, ``"minmax"``, ``"nominal"``.
    leaves
        Indicator codes of the leaves concerned; ``None`` for every leaf.
    zscore_scale, minmax_range
        Output scales of the two options.
    on_zero_spread
        ``"fail"`` counts a replication in which an indicator has zero spread as failed;
        ``"zero"`` and ``"midpoint"`` give every entity the fallback score, as in
        :class:`egovindex.normalise.ZScore`.
    """

    options: tuple[str, ...] = attrs.field(
        default=("zscore", "minmax"),
        converter=tuple,
        validator=_options(NORMALISATIONS, "normalisation choice"),
    )
    leaves: tuple[str, ...] | None = attrs.field(default=None, converter=_tuple_of_str)
    zscore_scale: tuple[float, float] = (0.0, 1.0)
    minmax_range: tuple[float, float] = (0.0, 1.0)
    on_zero_spread: Literal["fail", "zero", "midpoint"] = "fail"
    label: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.zscore_scale[1] > 0:
            raise InputError(f"z-score scale must be positive, got {self.zscore_scale[1]}")
        if not self.minmax_range[1] > self.minmax_range[0]:
            raise InputError(f"min-max range needs high > low, got {self.minmax_range}")
        if self.on_zero_spread not in ("fail", "zero", "midpoint"):
            raise InputError(
                f"unknown zero-spread rule {self.on_zero_spread!r}; "
                "choose 'fail', 'zero' or 'midpoint'"
            )

    @property
    def name(self) -> str:
        """The factor's name in reports."""
        return self.label or "normalisation"


@attrs.frozen
class AggregationChoice:
    """The aggregation rule of the nodes, chosen with equal probability among ``options``.

    Parameters
    ----------
    options
        Names from ``"arithmetic"``, ``"geometric"``, ``"nominal"`` (the node's own rule).
    nodes
        Names of the nodes concerned; ``None`` for every node.
    zeros
        Rule for a zero child under a geometric mean (:data:`ZeroRule`); the choice is
        explicit because a min-max rescaled child is 0 for its lowest entity.
    floor
        Value that replaces a zero under ``zeros="floor"``.
    """

    options: tuple[str, ...] = attrs.field(
        default=("arithmetic", "geometric"),
        converter=tuple,
        validator=_options(AGGREGATIONS, "aggregation choice"),
    )
    nodes: tuple[str, ...] | None = attrs.field(default=None, converter=_tuple_of_str)
    zeros: ZeroRule = attrs.field(default="fail", validator=_zero_rule)
    floor: float = 1e-6
    label: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.floor > 0:
            raise InputError(f"geometric floor must be positive, got {self.floor}")

    @property
    def name(self) -> str:
        """The factor's name in reports."""
        return self.label or "aggregation"


@attrs.frozen
class ImputationChoice:
    """How missing raw values are filled, chosen with equal probability among ``options``.

    ``"mean"``, ``"median"`` and ``"min"`` fill a missing value of an indicator with that
    statistic of its observed values in the replication; ``"available"`` leaves it missing
    and each composite averages the children observed for the entity, weights rescaled
    (the available-case rule of :func:`egovindex.composite.evaluate`).
    """

    options: tuple[str, ...] = attrs.field(
        default=("mean", "median"),
        converter=tuple,
        validator=_options(IMPUTATIONS, "imputation choice"),
    )
    label: str = ""

    @property
    def name(self) -> str:
        """The factor's name in reports."""
        return self.label or "imputation"


@attrs.frozen
class OutlierCapping:
    """Winsorise each indicator at a number of points chosen among ``counts``.

    With count ``m`` the ``m`` highest values of an indicator are set to its ``m+1``-th
    highest value (and, with ``tails="both"``, the ``m`` lowest to the ``m+1``-th lowest),
    recomputed in every replication before normalisation. This is a fixed-count version of
    the winsorisation in the JRC's COINr package (background only, methodology A.10.1
    step 3); count 0 leaves the data unchanged.
    """

    counts: tuple[int, ...] = attrs.field(default=(0, 1, 2, 3), converter=tuple)
    tails: Literal["both", "upper", "lower"] = "both"
    codes: tuple[str, ...] | None = attrs.field(default=None, converter=_tuple_of_str)
    label: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.counts or any(int(c) != c or c < 0 for c in self.counts):
            raise InputError(f"capping counts must be non-negative integers, got {self.counts}")
        if self.tails not in ("both", "upper", "lower"):
            raise InputError(f"unknown tails {self.tails!r}; choose 'both', 'upper' or 'lower'")

    @property
    def name(self) -> str:
        """The factor's name in reports."""
        return self.label or "capping"


# -- measurement error ---------------------------------------------------------------


MAX_RELATIVE_NOISE = 100.0
"""Largest relative measurement error: beyond any error model, and it keeps the
perturbed values finite."""


@attrs.frozen
class IndicatorNoise:
    """Measurement error added to raw indicators, independently per entity and indicator.

    The perturbed value is ``x + e * sqrt((relative * |x|)**2 + absolute**2)``, where
    ``e`` is standard normal (``distribution="normal"``) or uniform on [-1, 1]
    (``"uniform"``), then clipped to ``clip`` when given. Missing values stay missing.

    Parameters
    ----------
    relative, absolute
        Size of the error (non-negative); both 0 means no error.
    codes
        Indicators perturbed; ``None`` for every indicator the tree reads.
    clip
        ``(lower, upper)`` bounds of the perturbed values, either may be ``None``.
    """

    relative: float = 0.0
    absolute: float = 0.0
    codes: tuple[str, ...] | None = attrs.field(default=None, converter=_tuple_of_str)
    distribution: Literal["normal", "uniform"] = "normal"
    clip: tuple[float | None, float | None] | None = None
    label: str = ""

    def __attrs_post_init__(self) -> None:
        for what, v in (("relative", self.relative), ("absolute", self.absolute)):
            if not (math.isfinite(v) and v >= 0):
                raise InputError(f"{what} noise must be finite and non-negative, got {v}")
        if self.relative > MAX_RELATIVE_NOISE:
            raise InputError(
                f"relative noise must be at most {MAX_RELATIVE_NOISE:g} (a standard deviation "
                f"{MAX_RELATIVE_NOISE:g} times the value), got {self.relative}"
            )
        if self.distribution not in ("normal", "uniform"):
            raise InputError(
                f"unknown noise distribution {self.distribution!r}; choose 'normal' or 'uniform'"
            )

    @property
    def fixed(self) -> bool:
        """Zero width (no relative and no absolute error): the data are not perturbed."""
        return self.relative == 0 and self.absolute == 0

    @property
    def name(self) -> str:
        """The factor's name in reports."""
        if self.label:
            return self.label
        return "noise" if self.codes is None else f"noise({','.join(self.codes)})"


Factor = (
    DirichletWeights
    | UniformWeights
    | NormalisationChoice
    | AggregationChoice
    | ImputationChoice
    | OutlierCapping
    | IndicatorNoise
)
"""Any input factor."""

_FACTOR_TYPES = (
    DirichletWeights,
    UniformWeights,
    NormalisationChoice,
    AggregationChoice,
    ImputationChoice,
    OutlierCapping,
    IndicatorNoise,
)


# -- levels --------------------------------------------------------------------------


@attrs.frozen
class Levels:
    """Level groups of the target score: ``labels[i]`` holds scores at or above ``floors[i]``.

    Parameters
    ----------
    floors
        Decreasing thresholds, one fewer than the labels (the last group takes the rest).
    labels
        Group names, best first.
    boundary
        ``"lower_inclusive"``: a score equal to a floor belongs to the better group;
        ``"upper_inclusive"``: to the worse one (see :func:`egovindex.ranking.egdi_group`).
    """

    floors: tuple[float, ...] = attrs.field(converter=_floats)
    labels: tuple[str, ...] = attrs.field(converter=_str_tuple)
    boundary: Literal["lower_inclusive", "upper_inclusive"] = "lower_inclusive"

    def __attrs_post_init__(self) -> None:
        if len(self.labels) != len(self.floors) + 1:
            raise InputError(
                f"levels need one more label than floors, got {len(self.labels)} labels "
                f"and {len(self.floors)} floors"
            )
        if any(b >= a for a, b in zip(self.floors, self.floors[1:], strict=False)):
            raise InputError(f"level floors must decrease, got {self.floors}")


EGDI_LEVELS = Levels(GROUP_FLOORS, GROUPS)
"""The UN EGDI level groups Very High / High / Middle / Low (methodology A.7.1); the
boundary rule is UNCONFIRMED and follows :func:`egovindex.ranking.egdi_group`'s default."""


# -- the problem ---------------------------------------------------------------------


def _directions(
    codes: tuple[str, ...], given: Mapping[str, Direction] | Sequence[Indicator] | None
) -> tuple[Direction, ...]:
    if given is None:
        return tuple(Direction.HIGHER for _ in codes)
    if isinstance(given, Mapping):
        return tuple(Direction(given.get(c, Direction.HIGHER)) for c in codes)
    by_code = {ind.code: ind.direction for ind in given}
    return tuple(by_code.get(c, Direction.HIGHER) for c in codes)


def _data_converter(values: Any) -> Any:
    # Keep arrays of any array-API library on their device; plain sequences become NumPy.
    if not isinstance(values, np.ndarray) and (
        hasattr(values, "__array_namespace__")
        or type(values).__module__.split(".")[0] in ("torch", "cupy", "jax", "jaxlib", "dask")
    ):
        return values
    arr = np.array(values, dtype=np.float64, copy=True)
    arr.setflags(write=False)
    return arr


@attrs.frozen(eq=False)
class Problem:
    """A tree, its raw data and the factors whose effect on the ranks is studied.

    Parameters
    ----------
    tree
        The index (see :mod:`egovindex.composite`).
    data
        Raw indicators, shape ``(n_entities, n_indicators)``, NaN for missing. A NumPy
        array, or an array of any array-API library (CuPy, PyTorch, JAX): the Monte Carlo
        core then runs on that array's device.
    codes
        Indicator code of each column of ``data``.
    entities
        Entity code of each row.
    factors
        The input factors, in the order their random numbers are drawn.
    directions
        Direction of each indicator (mapping or indicators); default higher-is-better.
    target
        Node whose score is ranked (default the root).
    within
        Entities ranked among (default all); the others are scored but not ranked.
    levels
        Level groups of the target score (e.g. :data:`EGDI_LEVELS`), or ``None``.
    missing
        ``"error"`` or ``"available"``: the nominal missing-data rule (see
        :func:`egovindex.composite.evaluate`), used where no :class:`ImputationChoice` is
        given.
    zero_if_zero
        Indicator codes whose nominal raw value 0 forces the target score to 0, the EGDI
        rule of the 2003-2005, 2008-2010 and 2012 editions (methodology A.1.1).
    """

    tree: Node
    data: Any = attrs.field(converter=_data_converter)
    codes: tuple[str, ...] = attrs.field(converter=_str_tuple)
    entities: tuple[str, ...] = attrs.field(converter=_str_tuple)
    factors: tuple[Factor, ...] = attrs.field(default=(), converter=_factor_tuple)
    directions: tuple[Direction, ...] = attrs.field(default=None)

    target: str = ""
    within: tuple[str, ...] | None = attrs.field(default=None, converter=_tuple_of_str)
    levels: Levels | None = None
    missing: Literal["error", "available"] = "error"
    zero_if_zero: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    def __attrs_post_init__(self) -> None:
        shape = tuple(self.data.shape)
        if len(shape) != 2 or shape != (len(self.entities), len(self.codes)):
            raise InputError(
                f"data has shape {shape}, expected ({len(self.entities)} entities, "
                f"{len(self.codes)} indicators)"
            )
        if len(set(self.entities)) != len(self.entities):
            dup = sorted({e for e in self.entities if self.entities.count(e) > 1})
            raise InputError(f"repeated entities: {dup}")
        if len(set(self.codes)) != len(self.codes):
            raise InputError(f"repeated indicator codes in {list(self.codes)}")
        given: Any = self.directions
        if (
            given is None
            or isinstance(given, Mapping)
            or any(isinstance(d, Indicator) for d in given)
        ):
            object.__setattr__(self, "directions", _directions(self.codes, given))
        elif len(self.directions) != len(self.codes):
            raise InputError(
                f"{len(self.directions)} directions for {len(self.codes)} indicator codes"
            )
        missing = [c for c in self.tree.codes if c not in self.codes]
        if missing:
            raise UnknownIndicatorError(f"the data has no column for: {', '.join(missing)}")
        if not self.target:
            object.__setattr__(self, "target", self.tree.name)
        else:
            self.tree.find(self.target)  # raises UnknownIndexError, naming near matches
        if self.within is not None:
            unknown = [e for e in self.within if e not in self.entities]
            if unknown:
                raise InputError(
                    f"entities to rank within are not in the data: {unknown}"
                    + did_you_mean(unknown[0], self.entities)
                )
            if len(self.within) < 2:
                raise InputError("rank within at least two entities")
        for f in self.factors:
            if not isinstance(f, _FACTOR_TYPES):
                raise InputError(f"not an uncertainty factor: {f!r}")
        for c in self.zero_if_zero:
            if c not in self.codes:
                raise UnknownIndicatorError(f"zero_if_zero: no indicator {c!r} in the data")
        if self.missing not in ("error", "available"):
            raise InputError(
                f"unknown missing-data rule {self.missing!r}; choose 'error' or 'available'"
            )

    @classmethod
    def from_panel(
        cls,
        tree: Node,
        panel: Panel,
        factors: Iterable[Factor] = (),
        **options: Any,
    ) -> Problem:
        """Build a problem from a validated :class:`~egovindex.panel.Panel`.

        ``options`` are the other fields (``target``, ``within``, ``levels``, ``missing``,
        ``zero_if_zero``).
        """
        panel.require(tree.codes)
        codes = tree.codes
        data = np.stack([panel.column(c) for c in codes], axis=-1)
        return cls(
            tree,
            data,
            codes,
            panel.entities,
            tuple(factors),
            directions=tuple(panel.indicator(c).direction for c in codes),
            **options,
        )

    def with_data(self, data: Any) -> Problem:
        """The same problem on other data of the same shape (e.g. moved to a GPU)."""
        return attrs.evolve(self, data=data)

    def with_factors(self, factors: Iterable[Factor]) -> Problem:
        """The same problem with other factors."""
        return attrs.evolve(self, factors=tuple(factors))

    @property
    def ranked(self) -> tuple[str, ...]:
        """The entities ranked, in data order."""
        if self.within is None:
            return self.entities
        members = set(self.within)
        return tuple(e for e in self.entities if e in members)

    @property
    def factor_names(self) -> tuple[str, ...]:
        """Names of the factors, in order."""
        return tuple(f.name for f in self.factors)
