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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.aggregate import Aggregation, ZeroRule, aggregate, check_weights
from egovindex.errors import InputError, MissingDataError, UnknownIndexError, nearest
from egovindex.normalise import Fitted, Normaliser
from egovindex.panel import Direction, Indicator, Panel, readonly
from egovindex.ranking import RankMethod, rank

__all__ = ["Leaf", "MissingRule", "Node", "Scores", "evaluate", "evaluate_array"]

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
    """

    name: str
    children: tuple[Leaf | Node, ...] = attrs.field(converter=_children_tuple)
    weights: tuple[float, ...] = attrs.field(converter=_float_tuple)
    aggregation: Aggregation = "arithmetic"
    rescale: Normaliser | None = None
    zeros: ZeroRule = "error"

    def __attrs_post_init__(self) -> None:
        if not self.children:
            raise InputError(f"node {self.name!r} has no children")
        if len(self.weights) != len(self.children):
            raise InputError(
                f"node {self.name!r} has {len(self.children)} children "
                f"but {len(self.weights)} weights"
            )
        check_weights(self.weights, name=self.name)
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


def _unknown_node(name: str, known: Sequence[str]) -> str:
    hint = nearest(name, known)
    return f"unknown name {name!r}" + (f"; did you mean {', '.join(hint)}?" if hint else "")


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
            f = node.normaliser.fit(col, direction, name=node.code)
            fitted[node.name] = f
            out = f.apply(col)
        values[node.name] = out
        return out
    children = np.stack(
        [_evaluate(c, columns, directions, values, fitted, entities) for c in node.children], -1
    )
    weights = np.asarray(node.weights)
    observed = ~np.isnan(children)
    if observed.all():
        agg = aggregate(children, weights, node.aggregation, name=node.name, zeros=node.zeros)
    else:
        agg = _aggregate_available(node, children, weights, observed, entities)
    if node.rescale is not None:
        f = node.rescale.fit(agg, Direction.HIGHER, name=node.name)
        fitted[node.name] = f
        agg = f.apply(agg)
    values[node.name] = agg
    return agg


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
