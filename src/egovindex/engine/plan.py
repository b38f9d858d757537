"""Trees compiled into plain steps for the array kernel (:mod:`egovindex.engine.kernel`).

Compiling checks once what every evaluation relies on (the data has a column for every
leaf, no lower-is-better indicator is read raw, no two different steps share a name) and
lists every way a replication can fail, so that Monte Carlo counts its failures by cause.
Leaves and nodes keep their normaliser objects: the kernel fits them in batch
(:mod:`egovindex.normalise`), so any normaliser, the library's or a user's, works in
every evaluation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

from egovindex.errors import InputError, MissingDataError
from egovindex.normalise import Normaliser, causes_of
from egovindex.panel import Direction
from egovindex.tree import Leaf, Node

__all__ = ["NON_FINITE", "Bindings", "LeafSpec", "NodeSpec", "TreePlan", "compile_tree"]

NON_FINITE = "non-finite target score"


@attrs.frozen
class LeafSpec:
    """A leaf: its column, direction and normaliser, and the factors acting on it."""

    name: str
    column: int
    direction: Direction
    normaliser: Normaliser | None
    norm_factor: int | None
    norm_options: tuple[Normaliser | None, ...]
    cap_factor: int | None
    noise: tuple[tuple[int, int], ...]  # (factor index, column inside that factor's draws)


@attrs.frozen
class NodeSpec:
    """An inner node: children, weights, aggregation, zero rule, rescale and the factors
    acting on it."""

    name: str
    children: tuple[str, ...]
    weights: tuple[float, ...]
    aggregation: str
    zeros: str
    floor: float
    rescale: Normaliser | None
    weight_factor: int | None
    agg_factor: int | None
    agg_options: tuple[str, ...]
    agg_zeros: str
    agg_floor: float
    zero_children: tuple[int, ...] = ()  # children whose 0 forces the node to 0
    zero_rule: str = "error"  # the node's own ZeroRule, for the engine's error message


@attrs.frozen(eq=False)
class TreePlan:
    """Trees compiled into plain steps: what the array kernel evaluates.

    Build one with :func:`compile_tree`; :func:`egovindex.uncertainty.plan.compile_problem`
    builds the plan of a Monte Carlo problem, a tree plan with its factors bound.
    """

    leaves: tuple[LeafSpec, ...]
    nodes: tuple[NodeSpec, ...]  # children before parents
    order: tuple[str, ...]  # evaluation order of every leaf and node name
    factors: tuple[object, ...]  # the factors the specs' factor indices point to
    state_factors: tuple[int, ...]  # discrete factors acting on leaves
    state_sizes: tuple[int, ...]
    noise_columns: tuple[tuple[int, ...], ...]  # per factor: data columns perturbed
    has_missing: bool
    causes: tuple[str, ...]
    # leaves (positions in ``leaves``) of one normaliser and direction and no normalisation
    # factor, two or more: the kernel fits each group in one call
    leaf_groups: tuple[tuple[int, ...], ...]
    has_noise: bool  # a factor perturbs the raw data: every replication is recomputed
    imputation: int | None  # the imputation factor, if any

    @property
    def n_states(self) -> int:
        """Number of distinct leaf states the discrete leaf factors allow."""
        return math.prod(self.state_sizes)


@attrs.define
class Bindings:
    """What the factors of a Monte Carlo problem act on, resolved for :func:`compile_tree`.

    Factor indices point into the problem's factors; a tree evaluated without factors
    has empty bindings. Filled by :func:`egovindex.uncertainty.plan.compile_problem`.
    """

    weight_of: dict[str, int] = attrs.Factory(dict)
    agg_of: dict[str, int] = attrs.Factory(dict)
    norm_of: dict[str, int] = attrs.Factory(dict)
    cap_of: dict[str, int] = attrs.Factory(dict)
    noise_of: dict[str, int] = attrs.Factory(dict)
    noise_columns: list[tuple[int, ...]] = attrs.Factory(list)
    state_factors: list[int] = attrs.Factory(list)
    state_sizes: list[int] = attrs.Factory(list)
    # leaf code -> the normaliser of each option of its normalisation choice
    norm_options: dict[str, tuple[Normaliser | None, ...]] = attrs.Factory(dict)
    # node name -> (the aggregation of each option, zero rule, floor) of its choice
    agg_options: dict[str, tuple[tuple[str, ...], str, float]] = attrs.Factory(dict)
    has_noise: bool = False
    imputation: int | None = None


def compile_tree(
    trees: Sequence[Node],
    codes: Sequence[str],
    directions: Sequence[Direction],
    *,
    has_missing: bool,
    factors: Sequence[object] = (),
    bindings: Bindings | None = None,
) -> TreePlan:
    """Compile ``trees`` (one or several, evaluated on the same data) for the array kernel.

    Parameters
    ----------
    trees
        The trees; their leaves read the columns ``codes`` of the data. A step they
        share (equal, under the same name) is evaluated once.
    codes, directions
        The data's columns and their directions, in order.
    has_missing
        Whether the data may hold NaN (the available-case steps are then compiled in).
    factors, bindings
        A Monte Carlo problem's factors and what they act on
        (:func:`egovindex.uncertainty.plan.compile_problem`).

    Raises
    ------
    MissingDataError
        The data has no column for an indicator a leaf reads.
    InputError
        A lower-is-better indicator is read raw, or two different steps share a name.
    """
    b = bindings if bindings is not None else Bindings()
    col = {c: j for j, c in enumerate(codes)}
    direction = dict(zip(codes, directions, strict=True))
    absent = [c for t in trees for c in t.codes if c not in col]
    if absent:
        raise MissingDataError(f"the array has no column for: {', '.join(dict.fromkeys(absent))}")
    # a step several trees share (a leaf reading the same indicator with the same
    # normaliser, say) is evaluated once; two different steps of one name are ambiguous
    steps: dict[str, Node | Leaf] = {}
    for step in (n for t in trees for n in t.post_order()):
        if steps.setdefault(step.name, step) != step:
            raise InputError(
                f"trees {[t.name for t in trees]} hold two different steps named {step.name!r}"
            )
    order = tuple(steps)
    causes: list[str] = []
    leaves = [lf for lf in steps.values() if isinstance(lf, Leaf)]
    leaf_specs = [_leaf_spec(lf, col, direction, b, causes) for lf in leaves]
    # children before parents, in reverse walk order: the order of the causes (the first
    # cause of a failed replication is the one it is counted under)
    walked = (n for t in trees for n in reversed(list(t.walk())) if isinstance(n, Node))
    nodes = list({n.name: n for n in walked}.values())
    node_specs = [_node_spec(nd, b, has_missing, causes) for nd in nodes]
    causes.append(NON_FINITE)
    return TreePlan(
        tuple(leaf_specs),
        tuple(node_specs),
        order,
        tuple(factors),
        tuple(b.state_factors),
        tuple(b.state_sizes),
        tuple(b.noise_columns),
        bool(has_missing),
        tuple(dict.fromkeys(causes)),
        _leaf_groups(leaf_specs),
        b.has_noise,
        b.imputation,
    )


def _leaf_groups(specs: Sequence[LeafSpec]) -> tuple[tuple[int, ...], ...]:
    """Positions of the leaves sharing a normaliser and a direction (groups of two or more)."""
    groups: list[list[int]] = []
    for i, spec in enumerate(specs):
        if spec.normaliser is None or spec.norm_factor is not None:
            continue
        for g in groups:
            first = specs[g[0]]
            if first.normaliser == spec.normaliser and first.direction is spec.direction:
                g.append(i)
                break
        else:
            groups.append([i])
    return tuple(tuple(g) for g in groups if len(g) > 1)


def _leaf_spec(
    lf: Leaf,
    col: dict[str, int],
    direction: dict[str, Direction],
    b: Bindings,
    causes: list[str],
) -> LeafSpec:
    if lf.normaliser is None and direction[lf.code] is Direction.LOWER:
        raise InputError(
            f"indicator {lf.code!r} is lower-is-better but its leaf has no normaliser to invert it"
        )
    nf = b.norm_of.get(lf.code)
    options = b.norm_options.get(lf.code, ())
    for norm in (lf.normaliser, *options):
        causes.extend(causes_of(norm, lf.code))
    noise: tuple[tuple[int, int], ...] = ()
    if lf.code in b.noise_of:
        nfi = b.noise_of[lf.code]
        noise = ((nfi, b.noise_columns[nfi].index(col[lf.code])),)
    spec = (lf.code, col[lf.code], direction[lf.code], lf.normaliser, nf, options)
    return LeafSpec(*spec, b.cap_of.get(lf.code), noise)


def _node_spec(nd: Node, b: Bindings, has_missing: bool, causes: list[str]) -> NodeSpec:
    af = b.agg_of.get(nd.name)
    agg_options, agg_zeros, agg_floor = b.agg_options.get(nd.name, ((), "fail", 1e-6))
    zeros = "fail" if nd.zeros == "error" else nd.zeros
    kids = [c.name for c in nd.children]
    if nd.aggregation == "geometric" or "geometric" in agg_options:
        causes.append(f"geometric mean met a negative value at node {nd.name!r}")
        if zeros == "fail" or agg_zeros == "fail":
            causes.append(f"geometric mean met a zero at node {nd.name!r}")
    if has_missing:
        causes.append(f"no observed child at node {nd.name!r}")
    causes.extend(causes_of(nd.rescale, nd.name))
    return NodeSpec(
        nd.name,
        tuple(kids),
        nd.weights,
        nd.aggregation,
        zeros,
        1e-6,
        nd.rescale,
        b.weight_of.get(nd.name),
        af,
        agg_options,
        agg_zeros,
        agg_floor,
        tuple(kids.index(name) for name in nd.zero_if_zero),
        nd.zeros,
    )
