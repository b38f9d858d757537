"""A problem compiled for the Monte Carlo core: the tree as plain steps, factors bound to it.

Compiling checks once what every replication relies on (the nodes and indicators the
factors name exist, missing data has a rule) and lists every way a replication can fail,
so failures are counted by cause. Leaves and nodes keep their normaliser objects: the
array core fits them in batch (:mod:`egovindex.normalise`), so any normaliser, the
library's or a user's, works in the Monte Carlo core.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.composite import Leaf, Node
from egovindex.errors import InputError, MissingDataError, UnknownIndexError, did_you_mean
from egovindex.normalise import (
    Affine,
    Cap,
    Chain,
    MinMax,
    Normaliser,
    ZeroSpread,
    ZScore,
    causes_of,
)
from egovindex.panel import Direction
from egovindex.uncertainty.factors import (
    AggregationChoice,
    DirichletWeights,
    ImputationChoice,
    IndicatorNoise,
    NormalisationChoice,
    OutlierCapping,
    Problem,
    UniformWeights,
)

__all__ = ["LeafSpec", "NodeSpec", "Plan", "TreePlan", "compile_problem", "compile_tree"]

FloatArray = NDArray[np.float64]

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

    Build one with :func:`compile_tree`; :func:`compile_problem` builds the
    :class:`Plan` of a Monte Carlo problem, a tree plan with its factors bound.
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

    @property
    def has_noise(self) -> bool:
        """Whether a factor perturbs the raw data (then every replication is recomputed)."""
        return any(isinstance(f, IndicatorNoise) and not f.fixed for f in self.factors)

    @property
    def n_states(self) -> int:
        """Number of distinct leaf states the discrete leaf factors allow."""
        return math.prod(self.state_sizes)


@attrs.frozen(eq=False)
class Plan(TreePlan):
    """A compiled problem (see :func:`compile_problem`)."""

    problem: Problem
    ranked: tuple[int, ...]  # entity positions ranked
    zero_mask: tuple[bool, ...]  # entities whose target is forced to 0

    @property
    def n_entities(self) -> int:
        """Number of entities scored."""
        return len(self.problem.entities)

    @property
    def n_ranked(self) -> int:
        """Number of entities ranked."""
        return len(self.ranked)


def _replace_scoring(nominal: Normaliser | None, new: tuple[Normaliser, ...]) -> Normaliser:
    """``nominal`` with its first scoring step (the first that is not a cap) replaced."""
    steps = (
        list(nominal.steps) if isinstance(nominal, Chain) else [] if nominal is None else [nominal]
    )
    for i, s in enumerate(steps):
        if not isinstance(s, Cap):
            steps[i : i + 1] = new
            break
    else:
        steps.extend(new)
    return steps[0] if len(steps) == 1 else Chain(steps)


def _option(
    option: str, nominal: Normaliser | None, choice: NormalisationChoice
) -> Normaliser | None:
    """The normaliser of one option of a normalisation choice."""
    if option == "nominal":
        return nominal
    rule: ZeroSpread = "error" if choice.on_zero_spread == "fail" else choice.on_zero_spread
    if option == "zscore":
        loc, scale = choice.zscore_scale
        new: tuple[Normaliser, ...] = (ZScore(0, rule),)
        if (loc, scale) != (0.0, 1.0):
            new = (*new, Affine(loc, scale))
    else:
        lo, hi = choice.minmax_range
        new = (MinMax(rule),)
        if (lo, hi) != (0.0, 1.0):
            new = (*new, Affine(lo, hi - lo))
    return _replace_scoring(nominal, new)


def _options(nominal: Normaliser | None, choice: object) -> tuple[Normaliser | None, ...]:
    """The normaliser of each option of a leaf's normalisation choice (none: no choice)."""
    if not isinstance(choice, NormalisationChoice):
        return ()
    return tuple(_option(o, nominal, choice) for o in choice.options)


def _unknown(kind: str, name: str, known: Sequence[str]) -> UnknownIndexError:
    return UnknownIndexError(f"unknown {kind} {name!r}" + did_you_mean(name, known))


def _claim(owner: dict[str, int], key: str, index: int, what: str) -> None:
    if key in owner:
        raise InputError(
            f"two factors act on the {what} of {key!r} (factors {owner[key]} and {index})"
        )
    owner[key] = index


@attrs.define
class _Bindings:
    """Which factor (its index in the problem's factors) acts on which node or leaf."""

    weight_of: dict[str, int] = attrs.Factory(dict)
    agg_of: dict[str, int] = attrs.Factory(dict)
    norm_of: dict[str, int] = attrs.Factory(dict)
    cap_of: dict[str, int] = attrs.Factory(dict)
    noise_of: dict[str, int] = attrs.Factory(dict)
    noise_columns: list[tuple[int, ...]] = attrs.Factory(list)
    state_factors: list[int] = attrs.Factory(list)
    state_sizes: list[int] = attrs.Factory(list)


def _check_uniform(f: UniformWeights, tree: Node) -> None:
    k = len(tree.find(f.node).children)  # type: ignore[union-attr]
    for bound in (f.low, f.high):
        if isinstance(bound, tuple) and len(bound) != k:
            raise InputError(
                f"uniform weights of node {f.node!r}: {len(bound)} bounds for {k} children"
            )


def _bind(problem: Problem) -> _Bindings:
    """Resolve the names every factor acts on, refusing unknown names and double claims."""
    tree, b = problem.tree, _Bindings()
    node_names = [n.name for n in tree.walk() if isinstance(n, Node)]
    leaf_codes = [lf.code for lf in tree.leaves()]
    col = {c: j for j, c in enumerate(problem.codes)}
    if sum(isinstance(f, ImputationChoice) for f in problem.factors) > 1:
        raise InputError("give at most one imputation choice")

    def claim(
        owner: dict[str, int], names: Sequence[str], known: Sequence[str], what: str, i: int
    ) -> None:
        for name in names:
            if name not in known:
                raise _unknown(_KIND_OF[what], name, known)
            _claim(owner, name, i, what)

    for i, f in enumerate(problem.factors):
        cols: tuple[int, ...] = ()
        if isinstance(f, DirichletWeights | UniformWeights):
            claim(b.weight_of, [f.node], node_names, "weights", i)
            if isinstance(f, UniformWeights):
                _check_uniform(f, tree)
        elif isinstance(f, AggregationChoice):
            nodes = f.nodes if f.nodes is not None else node_names
            claim(b.agg_of, nodes, node_names, "aggregation", i)
        elif isinstance(f, NormalisationChoice | OutlierCapping):
            names = f.leaves if isinstance(f, NormalisationChoice) else f.codes
            owner = b.norm_of if isinstance(f, NormalisationChoice) else b.cap_of
            what = "normalisation" if isinstance(f, NormalisationChoice) else "capping"
            claim(owner, names if names is not None else leaf_codes, leaf_codes, what, i)
        elif isinstance(f, IndicatorNoise):
            codes = f.codes if f.codes is not None else tuple(dict.fromkeys(leaf_codes))
            claim(b.noise_of, codes, list(problem.codes), "noise", i)
            cols = tuple(col[c] for c in codes)
        if isinstance(f, NormalisationChoice | ImputationChoice):
            b.state_factors.append(i)
            b.state_sizes.append(len(f.options))
        elif isinstance(f, OutlierCapping):
            b.state_factors.append(i)
            b.state_sizes.append(len(f.counts))
        b.noise_columns.append(cols)
    return b


_KIND_OF = {
    "weights": "node",
    "aggregation": "node",
    "normalisation": "leaf",
    "capping": "leaf",
    "noise": "indicator",
}


def compile_tree(
    trees: Sequence[Node],
    codes: Sequence[str],
    directions: Sequence[Direction],
    *,
    has_missing: bool,
    factors: Sequence[object] = (),
    bindings: _Bindings | None = None,
) -> TreePlan:
    """Compile ``trees`` (one, or several with distinct names) for the array kernel.

    Parameters
    ----------
    trees
        The trees; their leaves read the columns ``codes`` of the data.
    codes, directions
        The data's columns and their directions, in order.
    has_missing
        Whether the data may hold NaN (the available-case steps are then compiled in).
    factors, bindings
        A Monte Carlo problem's factors and what they act on (see :func:`compile_problem`).

    Raises
    ------
    MissingDataError
        The data has no column for an indicator a leaf reads.
    InputError
        A lower-is-better indicator is read raw, or two trees share a name.
    """
    b = bindings if bindings is not None else _Bindings()
    col = {c: j for j, c in enumerate(codes)}
    direction = dict(zip(codes, directions, strict=True))
    absent = [c for t in trees for c in t.codes if c not in col]
    if absent:
        raise MissingDataError(f"the array has no column for: {', '.join(dict.fromkeys(absent))}")
    # a leaf read by several trees (the same indicator, the same normaliser) is evaluated
    # once; any other shared name would make the results ambiguous
    steps: dict[str, Node | Leaf] = {}
    for step in (n for t in trees for n in t.post_order()):
        if steps.setdefault(step.name, step) != step or (
            isinstance(step, Node) and steps[step.name] is not step
        ):
            raise InputError(
                f"trees {[t.name for t in trees]} hold two different steps named {step.name!r}"
            )
    order = tuple(steps)
    causes: list[str] = []
    leaves = [lf for lf in steps.values() if isinstance(lf, Leaf)]
    leaf_specs = [_leaf_spec(lf, col, direction, tuple(factors), b, causes) for lf in leaves]
    # children before parents, in reverse walk order: the order of the causes (the first
    # cause of a failed replication is the one it is counted under)
    walked = (n for t in trees for n in reversed(list(t.walk())) if isinstance(n, Node))
    nodes = list({n.name: n for n in walked}.values())
    node_specs = [_node_spec(nd, tuple(factors), b, has_missing, causes) for nd in nodes]
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
    factors: tuple[object, ...],
    b: _Bindings,
    causes: list[str],
) -> LeafSpec:
    if lf.normaliser is None and direction[lf.code] is Direction.LOWER:
        raise InputError(
            f"indicator {lf.code!r} is lower-is-better but its leaf has no normaliser to invert it"
        )
    nf = b.norm_of.get(lf.code)
    options = _options(lf.normaliser, factors[nf] if nf is not None else None)
    for norm in (lf.normaliser, *options):
        causes.extend(causes_of(norm, lf.code))
    noise: tuple[tuple[int, int], ...] = ()
    if lf.code in b.noise_of:
        nfi = b.noise_of[lf.code]
        noise = ((nfi, b.noise_columns[nfi].index(col[lf.code])),)
    spec = (lf.code, col[lf.code], direction[lf.code], lf.normaliser, nf, options)
    return LeafSpec(*spec, b.cap_of.get(lf.code), noise)


def _node_spec(
    nd: Node, factors: tuple[object, ...], b: _Bindings, has_missing: bool, causes: list[str]
) -> NodeSpec:
    af = b.agg_of.get(nd.name)
    choice = factors[af] if af is not None else None
    agg_options: tuple[str, ...] = ()
    agg_zeros, agg_floor = "fail", 1e-6
    if isinstance(choice, AggregationChoice):
        agg_options = tuple(nd.aggregation if o == "nominal" else o for o in choice.options)
        agg_zeros, agg_floor = choice.zeros, choice.floor
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


def compile_problem(problem: Problem, *, has_missing: bool | None = None) -> Plan:
    """Compile ``problem``: resolve names, bind factors, list the failure causes.

    Raises
    ------
    UnknownIndexError
        A factor names a node or indicator the tree does not have.
    InputError
        Two factors act on the same thing.
    MissingDataError
        The data has missing values and no rule (``missing="available"`` or an
        :class:`~egovindex.uncertainty.factors.ImputationChoice`) covers them.
    """
    bindings = _bind(problem)
    if has_missing is None:
        has_missing = _any_nan(problem)
    if has_missing and problem.missing == "error":
        raise MissingDataError(
            "the data has missing values; pass missing='available' (the nominal rule), "
            "or impute them first"
        )
    tree = compile_tree(
        [problem.tree],
        problem.codes,
        problem.directions,
        has_missing=has_missing,
        factors=problem.factors,
        bindings=bindings,
    )
    ranked_set = set(problem.ranked)
    ranked = tuple(i for i, e in enumerate(problem.entities) if e in ranked_set)
    fields = {a.name: getattr(tree, a.name) for a in attrs.fields(TreePlan)}
    return Plan(**fields, problem=problem, ranked=ranked, zero_mask=_zero_mask(problem))


def _host(data: object) -> FloatArray:
    if isinstance(data, np.ndarray):
        return data
    from egovindex.uncertainty.arrays import to_numpy

    return to_numpy(data)


def _any_nan(problem: Problem) -> bool:
    return bool(np.isnan(_host(problem.data)).any())


def _zero_mask(problem: Problem) -> tuple[bool, ...]:
    """Entities whose nominal raw value of a ``Problem.zero_if_zero`` indicator is 0.

    A node's own ``zero_if_zero`` rule is a step of the tree, applied by the kernel at
    the node to each replication's values, as :func:`egovindex.composite.evaluate` does.
    """
    codes = dict.fromkeys(problem.zero_if_zero)
    if not codes:
        return tuple(False for _ in problem.entities)
    x = _host(problem.data)
    cols = [problem.codes.index(c) for c in codes]
    return tuple(bool(v) for v in (x[:, cols] == 0).any(axis=1))
