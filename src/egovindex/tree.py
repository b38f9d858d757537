"""Composite-index trees: leaves that read and normalise one indicator, nodes that
aggregate their children.

A tree is a frozen value: build it once, evaluate it with
:func:`egovindex.composite.evaluate` (one panel), :func:`~egovindex.composite.evaluate_array`
(a batch of data sets) or the Monte Carlo core (:mod:`egovindex.uncertainty`), all of which
run its compiled plan (:mod:`egovindex.engine`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import attrs

from egovindex.aggregate import Aggregation, ZeroRule, check_weights
from egovindex.errors import InputError, UnknownIndexError, did_you_mean, unknown_message
from egovindex.normalise import Normaliser

__all__ = ["Leaf", "Node"]


def _float_tuple(values: Iterable[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _children_tuple(values: Iterable[Leaf | Node]) -> tuple[Leaf | Node, ...]:
    return tuple(values)


@attrs.frozen(cache_hash=True)  # plans are cached by tree: hash once
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


@attrs.frozen(cache_hash=True)
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

    def post_order(self) -> Iterator[Node | Leaf]:
        """Yield the nodes and leaves, each after its children, children in order.

        The order the engine evaluates them in, and so meets an error in.
        """
        for child in self.children:
            if isinstance(child, Node):
                yield from child.post_order()
            else:
                yield child
        yield self

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


def _unknown_node(name: str, known: Sequence[str]) -> str:
    return f"unknown name {name!r}" + did_you_mean(name, known)
