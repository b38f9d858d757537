"""A Monte Carlo problem compiled: its tree's plan (:mod:`egovindex.engine.plan`) with the
factors bound to it.

Binding checks once what every replication relies on (the nodes and indicators the
factors name exist, no two factors act on one thing, missing data has a rule) and
resolves each factor to the steps it acts on: the normaliser of each option of a
normalisation choice, the aggregation of each option of an aggregation choice.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.engine.plan import (
    NON_FINITE,
    Bindings,
    LeafSpec,
    NodeSpec,
    TreePlan,
    compile_tree,
)
from egovindex.errors import InputError, MissingDataError, UnknownIndexError, did_you_mean
from egovindex.normalise import (
    Affine,
    Cap,
    Chain,
    MinMax,
    Normaliser,
    ZeroSpread,
    ZScore,
)
from egovindex.tree import Node
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

__all__ = [
    "NON_FINITE",
    "LeafSpec",
    "NodeSpec",
    "Plan",
    "TreePlan",
    "compile_problem",
    "compile_tree",
]

FloatArray = NDArray[np.float64]


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


def _check_uniform(f: UniformWeights, tree: Node) -> None:
    k = len(tree.find(f.node).children)  # type: ignore[union-attr]
    for bound in (f.low, f.high):
        if isinstance(bound, tuple) and len(bound) != k:
            raise InputError(
                f"uniform weights of node {f.node!r}: {len(bound)} bounds for {k} children"
            )


def _bind(problem: Problem) -> Bindings:
    """Resolve the names every factor acts on, refusing unknown names and double claims."""
    tree, b = problem.tree, Bindings()
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
    _resolve(problem, b)
    return b


def _resolve(problem: Problem, b: Bindings) -> None:
    """The steps each bound choice selects between, and the layout facts of the factors."""
    factors = problem.factors
    for leaf in problem.tree.leaves():
        if leaf.code in b.norm_of:
            b.norm_options[leaf.code] = _options(leaf.normaliser, factors[b.norm_of[leaf.code]])
    for node in problem.tree.walk():
        choice = factors[b.agg_of[node.name]] if node.name in b.agg_of else None
        if isinstance(node, Node) and isinstance(choice, AggregationChoice):
            opts = tuple(node.aggregation if o == "nominal" else o for o in choice.options)
            b.agg_options[node.name] = (opts, choice.zeros, choice.floor)
    b.has_noise = any(isinstance(f, IndicatorNoise) and not f.fixed for f in factors)
    imputation = [i for i, f in enumerate(factors) if isinstance(f, ImputationChoice)]
    b.imputation = imputation[0] if imputation else None


_KIND_OF = {
    "weights": "node",
    "aggregation": "node",
    "normalisation": "leaf",
    "capping": "leaf",
    "noise": "indicator",
}


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
    from egovindex.arrays import to_numpy

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
