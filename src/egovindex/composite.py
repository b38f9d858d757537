"""Composite-index trees and their evaluation.

An index is a tree. A :class:`Leaf` reads one raw indicator and normalises it; a
:class:`Node` aggregates its children with weights and may rescale the result.
The UN EGDI, for example, is ``Node("egdi", [osi, tii, hci], weights 1/3)`` where
``tii`` is ``Node("tii", [Leaf(k, ZScore()) for k in four ITU indicators], weights 1/4,
rescale=MinMax())``.

:func:`evaluate` computes every node over a :class:`~egovindex.panel.Panel` and keeps
every intermediate value and every fitted parameter in a frozen :class:`Scores`, for
audit. :func:`evaluate_array` does the same on a plain array with any number of leading
axes (data sets evaluated independently, such as the exact solver's candidates) and
returns the node values only; :func:`combine` computes one node's own step.

There is one evaluation. Each tree is compiled once into a plan of plain steps
(:func:`egovindex.engine.plan.compile_tree`) and run by the array kernel over a
leading batch axis (:func:`egovindex.engine.kernel.run_tree`): one evaluation is a
batch of one, the exact solver's candidates a batch of data sets, Monte Carlo
replications a batch of factor draws. Normalisers are fitted by their own batched
``fit``, so a new normaliser works everywhere at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache, partial
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.engine.kernel import Kept, run_tree
from egovindex.engine.plan import TreePlan, compile_tree
from egovindex.errors import (
    InputError,
    MissingDataError,
    UnknownIndexError,
)
from egovindex.normalise import (
    Fitted,
)
from egovindex.panel import Direction, Indicator, Panel
from egovindex.ranking import RankMethod, rank
from egovindex.tree import Leaf as Leaf  # re-exported: egovindex.composite.Leaf
from egovindex.tree import Node as Node
from egovindex.tree import _unknown_node

__all__ = [  # Leaf and Node, defined in egovindex.tree, are importable from here too
    "MissingRule",
    "Scores",
    "combine",
    "evaluate",
    "evaluate_array",
    "evaluate_trees",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MissingRule = Literal["error", "available"]
"""``"error"``: any missing value in a used indicator raises, naming the entities and
indicators. ``"available"``: normalisers fit on the observed entities and each
composite averages the children observed for an entity, with its weights rescaled
over them (the "available-case" rule of the OECD/JRC Handbook, section 3)."""


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


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


def evaluate(
    tree: Node,
    panel: Panel,
    *,
    missing: MissingRule = "error",
    rank_method: RankMethod = "competition",
) -> Scores:
    """Evaluate ``tree`` over ``panel`` and keep every intermediate.

    The tree's compiled plan is run by the array kernel as a batch of one
    (:func:`egovindex.engine.kernel.run_tree`): the same run the exact solver makes over
    its candidates and Monte Carlo over its replications.

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
    codes = tree.codes
    raw = {c: panel.column(c) for c in codes}
    values, fitted = evaluate_trees(
        (tree,),
        np.stack([raw[c] for c in codes]).T,  # (entities, codes), columns contiguous
        codes,
        tuple(panel.indicator(c).direction for c in codes),
        entities=panel.entities,
    )
    return Scores(
        entities=panel.entities,
        root=tree.name,
        values=values,
        fitted=fitted,
        raw=raw,
        rank_method=rank_method,
    )


def evaluate_trees(
    trees: Sequence[Node],
    values: FloatArray,
    codes: Sequence[str],
    directions: Sequence[Direction],
    *,
    entities: Sequence[str] | None = None,
    order: Sequence[str] | None = None,
) -> tuple[dict[str, FloatArray], Mapping[str, Fitted]]:
    """Every node value and fitted normaliser of ``trees`` on one data set.

    The core of :func:`evaluate` for callers that validated their data already (a
    methodology scoring its own panel): ``values`` is ``(n_entities, len(codes))``. A
    step the trees share (equal, under one name) is evaluated once.

    ``order`` lists the names in the order the results should be keyed in (default:
    each tree in post-order, each node after its children).

    Returns
    -------
    tuple
        Name -> read-only values, and name -> fitted normaliser (built when first read).
    """
    # columns contiguous: each leaf's batch of one is a view, reduced in the 1-D order
    x = np.asfortranarray(values, dtype=np.float64)
    kept: dict[str, Kept] = {}
    out = _run(tuple(trees), x, codes, directions, keep=kept, entities=entities)
    if order is not None:
        out = {k: out[k] for k in order}
    return (
        {k: _frozen_row(v) for k, v in out.items()},
        _LazyFitted({k: partial(_refit, kept[k]) for k in out if k in kept}),
    )


def _frozen_row(values: FloatArray) -> FloatArray:
    """The one row of a batch-of-one result, read-only (a view: the run's arrays are its own)."""
    row: FloatArray = values[0]
    row.setflags(write=False)
    return row


def _refit(kept: Kept) -> Fitted:
    """The fitted normaliser of a batch-of-one run, as its 1-D fit gives it.

    The fit is deterministic, so these are the run's parameters bit for bit, with the
    scalar shapes of a 1-D fit; they are built when first read (most callers never do).
    """
    fitted: Fitted = kept.normaliser.fit(kept.values[0], kept.direction, name=kept.name)
    return fitted


def _run(
    trees: tuple[Node, ...],
    x: FloatArray,
    codes: Sequence[str],
    directions: Sequence[Direction],
    *,
    keep: dict[str, Kept] | None = None,
    entities: Sequence[str] | None = None,
) -> dict[str, FloatArray]:
    """Every node of ``trees`` on ``x`` ``(n, p)`` or ``(B, n, p)``, in post-order."""
    plan = _plan(trees, tuple(codes), tuple(directions), bool(np.isnan(x).any()))
    values = run_tree(plan, x, np, keep=keep, entities=entities)
    return {n.name: values[n.name] for t in trees for n in t.post_order()}


@lru_cache(maxsize=128)
def _cached_plan(
    trees: tuple[Node, ...], codes: tuple[str, ...], directions: tuple[Direction, ...], nan: bool
) -> TreePlan:
    return compile_tree(trees, codes, directions, has_missing=nan)


def _plan(
    trees: tuple[Node, ...], codes: tuple[str, ...], directions: tuple[Direction, ...], nan: bool
) -> TreePlan:
    """The compiled plan of ``trees`` (cached; a tree with an unhashable part compiles anew)."""
    try:
        return _cached_plan(trees, codes, directions, nan)
    except TypeError:
        return compile_tree(trees, codes, directions, has_missing=nan)


def evaluate_array(
    tree: Node,
    values: FloatArray,
    codes: Sequence[str],
    directions: Mapping[str, Direction] | Sequence[Indicator] | None = None,
) -> dict[str, FloatArray]:
    """Evaluate ``tree`` on a raw array ``(..., n_entities, n_indicators)``.

    The leading axes are independent replications: every normaliser is fitted per
    replication, so the normalisation is recomputed each time. Returns node name ->
    values of shape ``(..., n_entities)``. The same compiled run as :func:`evaluate`,
    over a batch; no validation beyond the tree's own: this is the fast path for
    projections; validate inputs with :class:`~egovindex.panel.Panel` first.
    """
    x = np.asarray(values, dtype=np.float64)
    if x.ndim < 2:
        raise InputError(f"values must be (..., entities, indicators), got shape {x.shape}")
    if directions is None:
        dirs: dict[str, Direction] = {}
    elif isinstance(directions, Mapping):
        dirs = dict(directions)
    else:
        dirs = {ind.code: ind.direction for ind in directions}
    lead = x.shape[:-2]
    batch = x if x.ndim == 2 else x.reshape((-1, *x.shape[-2:]))
    direction = tuple(dirs.get(c, Direction.HIGHER) for c in codes)
    out = _run((tree,), batch, codes, direction)
    return {k: v.reshape((*lead, v.shape[-1])) for k, v in out.items()}


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
        stacked = np.asarray(children, dtype=np.float64)
    else:
        absent = [c.name for c in node.children if c.name not in children]
        if absent:
            raise MissingDataError(f"node {node.name!r}: no values for child {', '.join(absent)}")
        arrays = [np.asarray(children[c.name], dtype=np.float64) for c in node.children]
        if len({a.shape for a in arrays}) > 1:
            arrays = list(np.broadcast_arrays(*arrays))
        stacked = np.stack(arrays, -1)
    # the node over raw leaves holding its children's values: the engine's step at the node
    try:
        step = _step_of(node)
    except TypeError:  # a node with an unhashable part (a user's normaliser)
        step = _step_of.__wrapped__(node)
    shape = stacked.shape[:-1]
    x = stacked.reshape((-1, *stacked.shape[-2:])) if stacked.ndim > 1 else stacked[None]
    names = tuple(c.name for c in node.children)
    out = _run((step,), x, names, (Direction.HIGHER,) * len(names))[node.name]
    return out.reshape(shape)


@lru_cache(maxsize=64)
def _step_of(node: Node) -> Node:
    """``node`` with raw leaves in place of its children (a node's own step)."""
    return attrs.evolve(node, children=[Leaf(c.name) for c in node.children])


# -- the audit trail ------------------------------------------------------------------


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
