"""Composite-index trees and their evaluation.

An index is a tree. A :class:`Leaf` reads one raw indicator and normalises it; a
:class:`Node` aggregates its children with weights and may rescale the result.
The UN EGDI, for example, is ``Node("egdi", [osi, tii, hci], weights 1/3)`` where
``tii`` is ``Node("tii", [Leaf(k, ZScore()) for k in four ITU indicators], weights 1/4,
rescale=MinMax())``.

:func:`evaluate` computes every node over a :class:`~egovindex.panel.Panel` and keeps
every intermediate value and every fitted parameter in a frozen :class:`Scores`, for
audit. :func:`evaluate_array` does the same arithmetic on a plain array with any
number of leading axes (Monte Carlo replications) and returns the node values only.
:func:`compile_flat` compiles trees of leaves (such as the UN components) once into a
:class:`FlatPlan` that gives :func:`evaluate`'s results, bit-for-bit, several times faster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any, Literal, NamedTuple

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.aggregate import Aggregation, ZeroRule, aggregate, check_weights
from egovindex.errors import (
    InputError,
    MissingDataError,
    UnknownIndexError,
    did_you_mean,
    unknown_message,
)
from egovindex.normalise import (
    Cap,
    Chain,
    Fitted,
    FittedCap,
    FittedChain,
    FittedRange,
    FittedZScore,
    MinMax,
    Normaliser,
    ZScore,
    fit_apply,
)
from egovindex.panel import Direction, Indicator, Panel, readonly
from egovindex.ranking import RankMethod, rank

__all__ = [
    "FlatPlan",
    "FlatResult",
    "Leaf",
    "MissingRule",
    "Node",
    "Scores",
    "combine",
    "compile_flat",
    "evaluate",
    "evaluate_array",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MissingRule = Literal["error", "available"]
"""``"error"``: any missing value in a used indicator raises, naming the entities and
indicators. ``"available"``: normalisers fit on the observed entities and each
composite averages the children observed for an entity, with its weights rescaled
over them (the "available-case" rule of the OECD/JRC Handbook, section 3)."""


def _float_tuple(values: Iterable[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _children_tuple(values: Iterable[Leaf | Node]) -> tuple[Leaf | Node, ...]:
    return tuple(values)


@attrs.frozen
class Leaf:
    """A raw indicator read from the panel and normalised.

    Parameters
    ----------
    code
        Indicator code in the panel.
    normaliser
        Applied to the column (fitted over all entities); ``None`` leaves raw values
        (lower-is-better indicators are then rejected, since nothing would invert them).
    """

    code: str
    normaliser: Normaliser | None = None

    @property
    def name(self) -> str:
        """The leaf's name: its indicator code."""
        return self.code


@attrs.frozen
class Node:
    """A composite: weighted aggregate of its children, optionally rescaled.

    Parameters
    ----------
    name
        Unique name of the node in the tree (``"tii"``).
    children
        Leaves and nodes.
    weights
        One weight per child; must sum to one (see
        :func:`egovindex.aggregate.normalise_weights`).
    aggregation
        ``"arithmetic"`` (default) or ``"geometric"``.
    rescale
        Normaliser applied to the aggregate, e.g. :class:`~egovindex.normalise.MinMax`.
    zeros
        Rule for a zero child under a geometric mean (see
        :func:`egovindex.aggregate.weighted_geometric`).
    zero_if_zero
        Names of children whose value 0 forces the node's value to 0 for that entity,
        whatever the other children: a non-compensatory rule applied to the aggregate
        before any rescale (the EGDI zero rules of methodology A.1.1: EGDI := 0 when
        OSI = 0 in 2003-2005 and 2012, when HCI = 0 in 2008 and 2010).
    """

    name: str
    children: tuple[Leaf | Node, ...] = attrs.field(converter=_children_tuple)
    weights: tuple[float, ...] = attrs.field(converter=_float_tuple)
    aggregation: Aggregation = "arithmetic"
    rescale: Normaliser | None = None
    zeros: ZeroRule = "error"
    zero_if_zero: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)

    def __attrs_post_init__(self) -> None:
        if not self.children:
            raise InputError(f"node {self.name!r} has no children")
        if len(self.weights) != len(self.children):
            raise InputError(
                f"node {self.name!r} has {len(self.children)} children "
                f"but {len(self.weights)} weights"
            )
        check_weights(self.weights, name=self.name)
        kids = [c.name for c in self.children]
        for name in self.zero_if_zero:
            if name not in kids:
                raise InputError(
                    unknown_message(f"node {self.name!r}: zero_if_zero child", name, kids)
                )
        names = [n.name for n in self.walk()]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise InputError(f"tree {self.name!r}: node names must be unique, repeated: {dup}")

    def walk(self) -> Iterator[Node | Leaf]:
        """Yield the nodes and leaves of the tree, parents before children."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()
            else:
                yield child

    def leaves(self) -> tuple[Leaf, ...]:
        """The leaves of the tree, depth first."""
        return tuple(n for n in self.walk() if isinstance(n, Leaf))

    def find(self, name: str) -> Node | Leaf:
        """Return the node or leaf called ``name``."""
        for n in self.walk():
            if n.name == name:
                return n
        raise UnknownIndexError(_unknown_node(name, [n.name for n in self.walk()]))

    @property
    def codes(self) -> tuple[str, ...]:
        """Indicator codes the tree reads, without repeats, in leaf order."""
        return tuple(dict.fromkeys(leaf.code for leaf in self.leaves()))


@attrs.frozen(eq=False)
class Scores:
    """Everything an evaluation produced: node values, fitted parameters and ranks.

    Attributes
    ----------
    entities
        Entity codes, aligned with every array.
    root
        Name of the root node.
    values
        Node name -> read-only values (leaves: the normalised indicator).
    fitted
        Node name -> fitted normaliser (leaves: their normaliser; nodes: their rescale).
    raw
        Indicator code -> read-only raw values used.
    rank_method
        The rule used by :attr:`ranks` and :meth:`rank`.
    """

    entities: tuple[str, ...] = attrs.field(converter=_str_tuple)
    root: str
    values: Mapping[str, FloatArray]
    fitted: Mapping[str, Fitted]
    raw: Mapping[str, FloatArray]
    rank_method: RankMethod = "competition"

    def __getitem__(self, name: str) -> FloatArray:
        try:
            return self.values[name]
        except KeyError:
            raise UnknownIndexError(_unknown_node(name, list(self.values))) from None

    @property
    def ranks(self) -> Mapping[str, IntArray]:
        """Node name -> competition ranks (1 = best) of every node."""
        return {k: self.rank(k) for k in self.values}

    def rank(self, name: str | None = None, *, within: Sequence[bool] | None = None) -> IntArray:
        """Ranks of one node (default: the root), optionally within a subset mask."""
        r = rank(
            self[name or self.root], method=self.rank_method, within=within, entities=self.entities
        )
        r.setflags(write=False)
        return r

    def of(self, entity: str) -> dict[str, float]:
        """Every node's value for one entity."""
        try:
            i = self.entities.index(entity)
        except ValueError:
            raise UnknownIndexError(_unknown_node(entity, self.entities)) from None
        return {k: float(v[i]) for k, v in self.values.items()}

    def to_pandas(self) -> Any:
        """This result as a :class:`pandas.DataFrame` (``pandas`` extra; columns:
        :func:`egovindex.frames.result_columns`)."""
        from egovindex.frames import frame

        return frame(self, "pandas")

    def to_polars(self) -> Any:
        """This result as a :class:`polars.DataFrame` (``polars`` extra)."""
        from egovindex.frames import frame

        return frame(self, "polars")


def _unknown_node(name: str, known: Sequence[str]) -> str:
    return f"unknown name {name!r}" + did_you_mean(name, known)


def evaluate(
    tree: Node,
    panel: Panel,
    *,
    missing: MissingRule = "error",
    rank_method: RankMethod = "competition",
) -> Scores:
    """Evaluate ``tree`` over ``panel`` and keep every intermediate.

    Raises
    ------
    MissingDataError
        The panel lacks a column the tree reads, or (with ``missing="error"``) a value
        is missing; the message names the entities and indicators.
    ZeroSpreadError
        A normaliser met zero variance or range and no fallback was chosen.
    """
    panel.require(tree.codes)
    if missing == "error":
        gaps = {c: e for c, e in panel.missing().items() if c in tree.codes}
        if gaps:
            detail = "; ".join(f"{c}: {', '.join(e)}" for c, e in gaps.items())
            raise MissingDataError(
                f"missing values ({detail}); impute them or pass missing='available'"
            )
    elif missing != "available":
        raise InputError(f"unknown missing-data rule {missing!r}; choose 'error' or 'available'")
    values: dict[str, FloatArray] = {}
    fitted: dict[str, Fitted] = {}
    columns = {c: panel.column(c) for c in tree.codes}
    directions = {c: panel.indicator(c).direction for c in tree.codes}
    _evaluate(tree, columns, directions, values, fitted, panel.entities)
    return Scores(
        entities=panel.entities,
        root=tree.name,
        values={k: readonly(v) for k, v in values.items()},
        fitted=fitted,
        raw={c: panel.column(c) for c in tree.codes},
        rank_method=rank_method,
    )


def evaluate_array(
    tree: Node,
    values: FloatArray,
    codes: Sequence[str],
    directions: Mapping[str, Direction] | Sequence[Indicator] | None = None,
) -> dict[str, FloatArray]:
    """Evaluate ``tree`` on a raw array ``(..., n_entities, n_indicators)``.

    The leading axes are independent replications: every normaliser is fitted per
    replication, so the normalisation is recomputed each time. Returns node name ->
    values of shape ``(..., n_entities)``. No validation beyond the tree's own: this is
    the fast path for Monte Carlo and projections; validate inputs with
    :class:`~egovindex.panel.Panel` first.
    """
    x = np.asarray(values, dtype=np.float64)
    index = {c: j for j, c in enumerate(codes)}
    missing = [c for c in tree.codes if c not in index]
    if missing:
        raise MissingDataError(f"the array has no column for: {', '.join(missing)}")
    if directions is None:
        dirs = {c: Direction.HIGHER for c in codes}
    elif isinstance(directions, Mapping):
        dirs = dict(directions)
    else:
        dirs = {ind.code: ind.direction for ind in directions}
    out: dict[str, FloatArray] = {}
    _evaluate(tree, {c: x[..., index[c]] for c in tree.codes}, dirs, out, {})
    return out


def _evaluate(
    node: Node | Leaf,
    columns: Mapping[str, FloatArray],
    directions: Mapping[str, Direction],
    values: dict[str, FloatArray],
    fitted: dict[str, Fitted],
    entities: Sequence[str] | None = None,
) -> FloatArray:
    if isinstance(node, Leaf):
        col = columns[node.code]
        direction = directions.get(node.code, Direction.HIGHER)
        if node.normaliser is None:
            if direction is Direction.LOWER:
                raise InputError(
                    f"indicator {node.code!r} is lower-is-better but its leaf has no normaliser "
                    "to invert it"
                )
            out = col
        else:
            f, out = fit_apply(node.normaliser, col, direction, name=node.code)
            fitted[node.name] = f
        values[node.name] = out
        return out
    children = np.stack(
        [_evaluate(c, columns, directions, values, fitted, entities) for c in node.children], -1
    )
    agg, rescaled = _combine(node, children, entities)
    if rescaled is not None:
        fitted[node.name] = rescaled
    values[node.name] = agg
    return agg


def combine(node: Node, children: Mapping[str, ArrayLike] | FloatArray) -> FloatArray:
    """The value of ``node`` from the values of its children (its own step only).

    ``children`` maps each child's name to its values (broadcastable arrays of any shape,
    leading axes being replications), or is one array with the children on its last axis,
    in the node's order. The node aggregates them with its weights, applies its
    ``zero_if_zero`` rule and its rescale, as :func:`evaluate` does at that node.

    Raises
    ------
    MissingDataError
        A child's values are absent from ``children``.
    """
    if isinstance(children, np.ndarray):
        if children.shape[-1:] != (len(node.children),):
            raise InputError(
                f"node {node.name!r} has {len(node.children)} children; the array's last "
                f"axis holds {children.shape[-1:]}"
            )
        return _combine(node, np.asarray(children, dtype=np.float64))[0]
    absent = [c.name for c in node.children if c.name not in children]
    if absent:
        raise MissingDataError(f"node {node.name!r}: no values for child {', '.join(absent)}")
    arrays = [np.asarray(children[c.name], dtype=np.float64) for c in node.children]
    if len({a.shape for a in arrays}) > 1:
        arrays = list(np.broadcast_arrays(*arrays))
    agg, _ = _combine(node, np.stack(arrays, -1))
    return agg


def _combine(
    node: Node, children: FloatArray, entities: Sequence[str] | None = None
) -> tuple[FloatArray, Fitted | None]:
    """Aggregate ``children`` (children on the last axis), zero rule, rescale."""
    weights = np.asarray(node.weights)
    if node.aggregation == "arithmetic":
        # weighted_arithmetic's sum, without re-validating the weights the node checked
        # when it was built; a NaN child makes its entity's sum NaN.
        agg = np.add.reduce(children * weights, axis=-1)  # np.sum's reduction
        if np.isnan(agg).any() and np.isnan(children).any():
            agg = _aggregate_available(node, children, weights, ~np.isnan(children), entities)
    else:
        observed = ~np.isnan(children)
        if observed.all():
            agg = aggregate(children, weights, node.aggregation, name=node.name, zeros=node.zeros)
        else:
            agg = _aggregate_available(node, children, weights, observed, entities)
    for name in node.zero_if_zero:
        j = next(i for i, c in enumerate(node.children) if c.name == name)
        agg = np.where(children[..., j] == 0, 0.0, agg)
    if node.rescale is None:
        return agg, None
    f = node.rescale.fit(agg, Direction.HIGHER, name=node.name)
    return f.apply(agg), f


def _aggregate_available(
    node: Node,
    children: FloatArray,
    weights: FloatArray,
    observed: NDArray[np.bool_],
    entities: Sequence[str] | None = None,
) -> FloatArray:
    w = np.where(observed, weights, 0.0)
    total = w.sum(-1, keepdims=True)
    if (total <= 0).any():
        i = int(np.argwhere(total[..., 0] <= 0)[0][-1])
        who = repr(entities[i]) if entities is not None else f"at position {i}"
        raise MissingDataError(
            f"node {node.name!r}: entity {who} has no observed child with positive weight "
            f"(children: {', '.join(c.name for c in node.children)})"
        )
    # A missing child contributes the neutral element (0 for sums, 1 for products)
    # with zero weight; the remaining weights are rescaled to sum to one per entity.
    filled = np.where(observed, children, 1.0 if node.aggregation == "geometric" else 0.0)
    return aggregate(filled, w / total, node.aggregation, name=node.name, zeros=node.zeros)


# -- compiled fast path for flat trees ---------------------------------------------------
#
# Scoring a whole methodology through :func:`evaluate` pays, per node, for validation the
# tree already passed at construction, for fitted-parameter objects built step by step and
# for one small NumPy call per statistic per indicator. A :class:`FlatPlan` is compiled
# once from the trees: the indicator rows, caps, signs and weights become arrays, and every
# statistic of every leaf is computed in one call on a (indicators, entities) array. Each
# row is contiguous, so every mean, sum, minimum and maximum is reduced along one row in
# the same order as the 1-D fits of :mod:`egovindex.normalise`: results are bit-for-bit
# those of :func:`evaluate`.

_Maker = Callable[[], Fitted]


class _LazyFitted(Mapping[str, Fitted]):
    """Read-only name -> fitted normaliser mapping whose objects are built when first read.

    A methodology's audit trail holds about twenty small frozen fitted objects that most
    callers never read; each costs about a microsecond to build (its arrays are copied
    read-only), a tenth of a whole UN score in all.
    """

    __slots__ = ("_made", "_makers")

    def __init__(self, makers: dict[str, _Maker]) -> None:
        self._makers = makers
        self._made: dict[str, Fitted] = {}

    def __getitem__(self, name: str) -> Fitted:
        try:
            return self._made[name]
        except KeyError:
            fitted = self._makers[name]()  # KeyError for an unknown name, as a dict
            self._made[name] = fitted
            return fitted

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)

    def __repr__(self) -> str:
        return repr(dict(self))


@attrs.frozen(eq=False)
class _Group:
    """Leaves of one normaliser kind: positions in the plan, panel rows and parameters."""

    positions: list[int]
    rows: IntArray
    sign: FloatArray  # (k, 1)
    higher: bool  # every sign is +1: skip the multiplication (1.0 * x == x)
    caps: FloatArray  # (k, 1), +inf where uncapped (z-scores only)
    ddof: int  # z-scores only; one value per plan (see compile_flat)


@attrs.frozen(eq=False)
class _FlatNode:
    name: str
    children: tuple[int, ...]  # positions in FlatPlan.leaves, consecutive
    weights: FloatArray
    rescale: bool  # min-max rescaled (MinMax with on_zero_spread="error")


class FlatResult(NamedTuple):
    """What :meth:`FlatPlan.evaluate` computed, keyed as :class:`Scores` keys them.

    Every array is read-only.
    """

    values: dict[str, FloatArray]
    fitted: Mapping[str, Fitted]
    raw: dict[str, FloatArray]


_KIND_Z, _KIND_RANGE, _KIND_RAW = 0, 1, 2


def _leaf_kind(leaf: Leaf, direction: Direction) -> tuple[int, Cap | None, int] | None:
    """(kind, cap, ddof) of a leaf the plan can evaluate, ``None`` for any other leaf."""
    norm = leaf.normaliser
    if norm is None:
        # A lower-is-better raw leaf is an error that :func:`evaluate` words.
        return (_KIND_RAW, None, 0) if direction is Direction.HIGHER else None
    cap: Cap | None = None
    if isinstance(norm, Chain) and len(norm.steps) == 2 and type(norm.steps[0]) is Cap:
        cap, norm = norm.steps[0], norm.steps[1]
        if cap.lower is not None or cap.upper is None:
            return None
    # Only the raising zero-spread rule: the plan defers zero spreads to the engine.
    if type(norm) is ZScore and norm.on_zero_spread == "error":
        return (_KIND_Z, cap, norm.ddof)
    if type(norm) is MinMax and norm.on_zero_spread == "error" and cap is None:
        return (_KIND_RANGE, None, 0)
    return None


@attrs.frozen(eq=False)
class FlatPlan:
    """Trees of depth one (nodes of leaves), compiled for fast exact evaluation.

    Build one with :func:`compile_flat`. :meth:`evaluate` gives the values, fitted
    parameters and raw columns that :func:`evaluate` gives for each tree, merged in
    tree order, bit-for-bit.

    Attributes
    ----------
    codes
        Indicator codes, in the column order :meth:`evaluate` expects.
    """

    codes: tuple[str, ...]
    _leaves: tuple[Leaf, ...]
    _caps: tuple[Cap | None, ...]  # per leaf: the Cap of a Chain((Cap, ZScore)) leaf
    _nodes: tuple[_FlatNode, ...]
    _z: _Group
    _range: _Group
    _raw: _Group

    def evaluate(self, values: FloatArray) -> FlatResult | None:
        """Evaluate every tree on ``values`` of shape ``(n_entities, len(codes))``.

        ``values`` must hold no NaN (validate and apply a missing-data rule first).
        Returns ``None`` where :func:`evaluate` would raise (zero spread, too few entities
        for ``ddof``), so that the caller can let the engine word the error.
        """
        t = np.ascontiguousarray(np.asarray(values, dtype=np.float64).T)
        t.setflags(write=False)
        n = t.shape[1]
        if n == 0:
            return None
        # One row per leaf, in leaf order: the children of a node are consecutive rows.
        leaf_values = np.empty((len(self._leaves), n))
        makers: list[_Maker | None] = [None] * len(self._leaves)
        if not (self._zscores(t, leaf_values, makers) and self._ranges(t, leaf_values, makers)):
            return None
        leaf_values[self._raw.positions] = t[self._raw.rows]
        leaf_values.setflags(write=False)
        out: dict[str, FloatArray] = {}
        fitted: dict[str, _Maker] = {}
        for node in self._nodes:
            if not self._node(node, leaf_values, makers, out, fitted):
                return None
        return FlatResult(out, _LazyFitted(fitted), {c: t[j] for j, c in enumerate(self.codes)})

    def _zscores(self, t: FloatArray, out: FloatArray, makers: list[_Maker | None]) -> bool:
        g = self._z
        if not g.positions:
            return True
        n = t.shape[1]
        if g.ddof and n <= g.ddof:
            return False  # too few entities for ddof: the engine raises MissingDataError
        x = np.minimum(t[g.rows], g.caps)  # == np.clip(x, None, cap); +inf: no cap
        if (np.fmax.reduce(x, axis=-1) == np.fmin.reduce(x, axis=-1)).any():
            return False  # zero spread: the engine raises ZeroSpreadError
        mean = np.add.reduce(x, axis=-1, keepdims=True) / n
        std = np.sqrt(np.add.reduce((x - mean) ** 2, axis=-1, keepdims=True) / (n - g.ddof))
        # The arithmetic of FittedZScore.apply, row by row; its guards against a zero std
        # (which a tiny spread can still underflow to) select nothing when all are positive.
        centred = x - mean if g.higher else g.sign * (x - mean)
        positive = std > 0
        if positive.all():
            out[g.positions] = centred / std
        else:
            safe = np.where(positive, std, 1.0)
            out[g.positions] = np.where(positive, centred / safe, 0.0 * x)
        for i, pos in enumerate(g.positions):
            z = partial(FittedZScore, mean[i], std[i], float(g.sign[i, 0]), g.ddof)
            cap = self._caps[pos]
            makers[pos] = z if cap is None else partial(_capped, cap, z)
        return True

    def _ranges(self, t: FloatArray, out: FloatArray, makers: list[_Maker | None]) -> bool:
        g = self._range
        if not g.positions:
            return True
        x = t[g.rows]
        low = np.fmin.reduce(x, axis=-1, keepdims=True)  # as np.nanmin without NaN
        high = np.fmax.reduce(x, axis=-1, keepdims=True)
        if (high == low).any():
            return False  # zero range: the engine raises ZeroSpreadError
        # The arithmetic of FittedRange.apply; the width is positive on every row.
        width = high - low
        if g.higher:
            out[g.positions] = (x - low) / width
        else:
            out[g.positions] = np.where(g.sign > 0, (x - low) / width, (high - x) / width)
        for i, pos in enumerate(g.positions):
            makers[pos] = partial(FittedRange, low[i], high[i], float(g.sign[i, 0]))
        return True

    def _node(
        self,
        node: _FlatNode,
        leaf_values: FloatArray,
        makers: list[_Maker | None],
        values: dict[str, FloatArray],
        fitted: dict[str, _Maker],
    ) -> bool:
        for pos in node.children:
            name = self._leaves[pos].name
            values[name] = leaf_values[pos]
            make = makers[pos]
            if make is not None:
                fitted[name] = make
        first, stop = node.children[0], node.children[-1] + 1
        if stop - first == 1 and node.weights[0] == 1.0:
            agg = leaf_values[first]  # one child of weight 1: sum(1.0 * x) == x
        else:
            # (entities, children) C-contiguous, as the engine's np.stack(..., -1), so that
            # the sum over children is reduced in the same order.
            weighted = np.ascontiguousarray((leaf_values[first:stop] * node.weights[:, None]).T)
            agg = np.add.reduce(weighted, axis=-1)
        if node.rescale:
            low = np.fmin.reduce(agg, axis=-1, keepdims=True)
            high = np.fmax.reduce(agg, axis=-1, keepdims=True)
            if (high == low).any():
                return False  # zero range: the engine raises ZeroSpreadError
            fitted[node.name] = partial(FittedRange, low, high, 1.0)
            agg = (agg - low) / (high - low)
        agg.setflags(write=False)
        values[node.name] = agg
        return True


def _capped(cap: Cap, zscore: _Maker) -> Fitted:
    return FittedChain((FittedCap(cap.lower, cap.upper), zscore()))


def compile_flat(
    trees: Sequence[Node], codes: Sequence[str], directions: Mapping[str, Direction]
) -> FlatPlan | None:
    """Compile ``trees`` into a :class:`FlatPlan`, or return ``None`` if one cannot hold them.

    Parameters
    ----------
    trees
        Nodes whose children are all leaves, aggregated arithmetically, optionally
        rescaled by :class:`~egovindex.normalise.MinMax`. Leaves: no normaliser,
        :class:`~egovindex.normalise.ZScore`, ``Chain((Cap(upper=...), ZScore(...)))`` or
        :class:`~egovindex.normalise.MinMax`, with the raising zero-spread rule and one
        ``ddof`` for every z-score.
    codes
        Column order of the arrays :meth:`FlatPlan.evaluate` will receive; must hold
        every code the trees read.
    directions
        Indicator code -> direction (missing: higher is better).

    Returns
    -------
    FlatPlan or None
        ``None`` when a tree has another shape: evaluate it with :func:`evaluate`.
    """
    index = {c: j for j, c in enumerate(codes)}
    leaves: list[Leaf] = []
    caps: list[Cap | None] = []
    nodes: list[_FlatNode] = []
    groups: dict[int, list[tuple[int, int, float, float, int]]] = {k: [] for k in range(3)}
    for tree in trees:
        if tree.aggregation != "arithmetic" or not all(isinstance(c, Leaf) for c in tree.children):
            return None
        if tree.rescale is not None and tree.rescale != MinMax():
            return None
        if tree.zero_if_zero:
            return None  # the node rule is the engine's
        first = len(leaves)
        for leaf in tree.leaves():
            direction = directions.get(leaf.code, Direction.HIGHER)
            kind = _leaf_kind(leaf, direction)
            if kind is None or leaf.code not in index:
                return None
            kind_id, cap, ddof = kind
            upper = np.inf if cap is None or cap.upper is None else float(cap.upper)
            groups[kind_id].append((len(leaves), index[leaf.code], direction.sign, upper, ddof))
            leaves.append(leaf)
            caps.append(cap)
        nodes.append(
            _FlatNode(
                tree.name,
                tuple(range(first, len(leaves))),
                np.asarray(tree.weights, dtype=np.float64),
                tree.rescale is not None,
            )
        )
    if len({e[4] for e in groups[_KIND_Z]}) > 1:
        return None
    z, rng, raw = (_group(groups[k]) for k in (_KIND_Z, _KIND_RANGE, _KIND_RAW))
    return FlatPlan(tuple(codes), tuple(leaves), tuple(caps), tuple(nodes), z, rng, raw)


def _group(entries: Sequence[tuple[int, int, float, float, int]]) -> _Group:
    sign = np.array([[e[2]] for e in entries], dtype=np.float64).reshape(-1, 1)
    return _Group(
        positions=[e[0] for e in entries],
        rows=np.array([e[1] for e in entries], dtype=np.intp),
        sign=sign,
        higher=bool((sign > 0).all()),
        caps=np.array([[e[3]] for e in entries], dtype=np.float64).reshape(-1, 1),
        ddof=entries[0][4] if entries else 0,
    )
