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

__all__ = ["LeafSpec", "NodeSpec", "Plan", "compile_problem"]

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
    """An inner node: children, weights, aggregation, rescale and the factors acting on it."""

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


@attrs.frozen(eq=False)
class Plan:
    """A compiled problem (see :func:`compile_problem`)."""

    problem: Problem
    leaves: tuple[LeafSpec, ...]
    nodes: tuple[NodeSpec, ...]  # children before parents
    order: tuple[str, ...]  # evaluation order of every leaf and node name
    state_factors: tuple[int, ...]  # discrete factors acting on leaves
    state_sizes: tuple[int, ...]
    noise_columns: tuple[tuple[int, ...], ...]  # per factor: data columns perturbed
    has_missing: bool
    ranked: tuple[int, ...]  # entity positions ranked
    zero_mask: tuple[bool, ...]  # entities whose target is forced to 0
    causes: tuple[str, ...]

    @property
    def n_entities(self) -> int:
        """Number of entities scored."""
        return len(self.problem.entities)

    @property
    def n_ranked(self) -> int:
        """Number of entities ranked."""
        return len(self.ranked)

    @property
    def has_noise(self) -> bool:
        """Whether a factor perturbs the raw data (then every replication is recomputed)."""
        return any(isinstance(f, IndicatorNoise) and not f.fixed for f in self.problem.factors)

    @property
    def n_states(self) -> int:
        """Number of distinct leaf states the discrete leaf factors allow."""
        return math.prod(self.state_sizes)


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
    tree = problem.tree
    factors = problem.factors
    leaves = tree.leaves()
    nodes = [n for n in tree.walk() if isinstance(n, Node)]
    node_names = [n.name for n in nodes]
    leaf_codes = [lf.code for lf in leaves]
    col = {c: j for j, c in enumerate(problem.codes)}
    direction = dict(zip(problem.codes, problem.directions, strict=True))

    weight_of: dict[str, int] = {}
    agg_of: dict[str, int] = {}
    norm_of: dict[str, int] = {}
    cap_of: dict[str, int] = {}
    noise_of: dict[str, int] = {}
    noise_columns: list[tuple[int, ...]] = []
    state_factors: list[int] = []
    state_sizes: list[int] = []
    imputation = [i for i, f in enumerate(factors) if isinstance(f, ImputationChoice)]
    if len(imputation) > 1:
        raise InputError("give at most one imputation choice")
    for i, f in enumerate(factors):
        cols: tuple[int, ...] = ()
        if isinstance(f, DirichletWeights | UniformWeights):
            if f.node not in node_names:
                raise _unknown("node", f.node, node_names)
            _claim(weight_of, f.node, i, "weights")
            if isinstance(f, UniformWeights):
                k = len(tree.find(f.node).children)  # type: ignore[union-attr]
                for bound in (f.low, f.high):
                    if isinstance(bound, tuple) and len(bound) != k:
                        raise InputError(
                            f"uniform weights of node {f.node!r}: {len(bound)} bounds for "
                            f"{k} children"
                        )
        elif isinstance(f, AggregationChoice):
            for name in f.nodes if f.nodes is not None else node_names:
                if name not in node_names:
                    raise _unknown("node", name, node_names)
                _claim(agg_of, name, i, "aggregation")
        elif isinstance(f, NormalisationChoice):
            for code in f.leaves if f.leaves is not None else leaf_codes:
                if code not in leaf_codes:
                    raise _unknown("leaf", code, leaf_codes)
                _claim(norm_of, code, i, "normalisation")
            state_factors.append(i)
            state_sizes.append(len(f.options))
        elif isinstance(f, OutlierCapping):
            for code in f.codes if f.codes is not None else leaf_codes:
                if code not in leaf_codes:
                    raise _unknown("leaf", code, leaf_codes)
                _claim(cap_of, code, i, "capping")
            state_factors.append(i)
            state_sizes.append(len(f.counts))
        elif isinstance(f, ImputationChoice):
            state_factors.append(i)
            state_sizes.append(len(f.options))
        elif isinstance(f, IndicatorNoise):
            codes = f.codes if f.codes is not None else tuple(dict.fromkeys(leaf_codes))
            for code in codes:
                if code not in col:
                    raise _unknown("indicator", code, list(problem.codes))
                _claim(noise_of, code, i, "noise")
            cols = tuple(col[c] for c in codes)
        noise_columns.append(cols)

    if has_missing is None:
        has_missing = _any_nan(problem)
    if has_missing and problem.missing == "error":
        raise MissingDataError(
            "the data has missing values; pass missing='available' (the nominal rule), "
            "or impute them first"
        )

    causes: list[str] = []
    leaf_specs: list[LeafSpec] = []
    for lf in leaves:
        if lf.normaliser is None and direction[lf.code] is Direction.LOWER:
            raise InputError(
                f"indicator {lf.code!r} is lower-is-better but its leaf has no normaliser "
                "to invert it"
            )
        nf = norm_of.get(lf.code)
        choice = factors[nf] if nf is not None else None
        options = _options(lf.normaliser, choice)
        for norm in (lf.normaliser, *options):
            causes.extend(causes_of(norm, lf.code))
        noise: tuple[tuple[int, int], ...] = ()
        if lf.code in noise_of:
            nfi = noise_of[lf.code]
            noise = ((nfi, noise_columns[nfi].index(col[lf.code])),)
        spec = (lf.code, col[lf.code], direction[lf.code], lf.normaliser, nf, options)
        leaf_specs.append(LeafSpec(*spec, cap_of.get(lf.code), noise))

    node_specs: list[NodeSpec] = []
    for nd in reversed(nodes):  # children before parents
        af = agg_of.get(nd.name)
        choice_a = factors[af] if af is not None else None
        agg_options: tuple[str, ...] = ()
        agg_zeros, agg_floor = "fail", 1e-6
        if isinstance(choice_a, AggregationChoice):
            agg_options = tuple(nd.aggregation if o == "nominal" else o for o in choice_a.options)
            agg_zeros, agg_floor = choice_a.zeros, choice_a.floor
        zeros = "fail" if nd.zeros == "error" else nd.zeros
        rescale = nd.rescale
        node_specs.append(
            NodeSpec(
                nd.name,
                tuple(c.name for c in nd.children),
                nd.weights,
                nd.aggregation,
                zeros,
                1e-6,
                rescale,
                weight_of.get(nd.name),
                af,
                agg_options,
                agg_zeros,
                agg_floor,
            )
        )
        if nd.aggregation == "geometric" or "geometric" in agg_options:
            causes.append(f"geometric mean met a negative value at node {nd.name!r}")
            if zeros == "fail" or agg_zeros == "fail":
                causes.append(f"geometric mean met a zero at node {nd.name!r}")
        if has_missing:
            causes.append(f"no observed child at node {nd.name!r}")
        causes.extend(causes_of(rescale, nd.name))
    causes.append(NON_FINITE)

    order = tuple(n.name for n in reversed(list(tree.walk())))
    ranked_set = set(problem.ranked)
    ranked = tuple(i for i, e in enumerate(problem.entities) if e in ranked_set)
    zero_mask = _zero_mask(problem)
    return Plan(
        problem,
        tuple(leaf_specs),
        tuple(node_specs),
        order,
        tuple(state_factors),
        tuple(state_sizes),
        tuple(noise_columns),
        bool(has_missing),
        ranked,
        zero_mask,
        tuple(dict.fromkeys(causes)),
    )


def _host(data: object) -> FloatArray:
    if isinstance(data, np.ndarray):
        return data
    from egovindex.uncertainty.arrays import to_numpy

    return to_numpy(data)


def _any_nan(problem: Problem) -> bool:
    return bool(np.isnan(_host(problem.data)).any())


def _node_zero_rule(tree: Node) -> tuple[str, ...]:
    """Indicator codes of the root's ``zero_if_zero`` rule (e.g. the EGDI zero rule).

    The array core applies the rule to the target where the named child is a raw leaf (its
    value is the data's, so a zero in the data forces the target to zero); a rule anywhere
    else is refused rather than left out of the replications.
    """
    for node in tree.walk():
        if isinstance(node, Node) and node.zero_if_zero and node is not tree:
            raise InputError(
                f"node {node.name!r}: zero_if_zero is applied by the Monte Carlo core at the "
                "root only; move the rule to the root or use Problem(zero_if_zero=...)"
            )
    kids = {c.name: c for c in tree.children}
    out = []
    for name in tree.zero_if_zero:
        child = kids[name]
        if not isinstance(child, Leaf) or child.normaliser is not None:
            raise InputError(
                f"node {tree.name!r}: zero_if_zero child {name!r} must be a raw indicator "
                "leaf (no normaliser) for the Monte Carlo core to apply the rule"
            )
        out.append(child.code)
    return tuple(out)


def _zero_mask(problem: Problem) -> tuple[bool, ...]:
    root = _node_zero_rule(problem.tree)
    # The root's rule sets the root's value: it holds for the target when that is the root.
    codes = dict.fromkeys(
        (*problem.zero_if_zero, *(root if problem.target == problem.tree.name else ()))
    )
    if not codes:
        return tuple(False for _ in problem.entities)
    x = _host(problem.data)
    cols = [problem.codes.index(c) for c in codes]
    return tuple(bool(v) for v in (x[:, cols] == 0).any(axis=1))
