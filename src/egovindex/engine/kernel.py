"""The array-API kernel: every evaluation of a compiled tree, over a leading batch axis.

One kernel runs every evaluation: :func:`run_tree` evaluates a tree on one data set (a
batch of one, :func:`egovindex.composite.evaluate`) or on a batch of data sets (the exact
solver's candidates, :func:`egovindex.composite.evaluate_array`), and
:func:`egovindex.uncertainty.kernel.evaluate_chunk` on a chunk of Monte Carlo
replications. Everything here uses only functions of the Python array API standard on
the namespace ``xp`` of the data, so NumPy, CuPy, PyTorch or JAX arrays stay on their
device. Leaves and rescaled nodes are normalised by the normaliser objects themselves,
fitted in batch over the rows (:mod:`egovindex.normalise`); nodes aggregate with the
array core of :mod:`egovindex.aggregate` (sums over children in NumPy's pairwise order).

Two layouts keep Monte Carlo work small. Without measurement noise the raw data are the
same in every replication, so the leaves can only take a few distinct *states* (one per
combination of the discrete leaf factors: normalisation, capping, imputation): they are
computed once per state per chunk, and a node moves to one row per replication only when
a per-replication factor (weights, aggregation) acts on it. With noise, or a batch of
data sets, every replication has its own data and everything is computed per row.

Failures (a geometric mean meeting a zero or a negative value, zero spread, no observed
child) are flagged per replication and cause, or, in a strict run, raised as the error
the step itself words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.aggregate import arithmetic_mean, child_logs, geometric_mean, weighted_geometric
from egovindex.engine.plan import LeafSpec, NodeSpec, TreePlan
from egovindex.errors import EgovIndexError, InputError, MissingDataError
from egovindex.normalise import Normaliser, fit_apply
from egovindex.panel import Direction

if TYPE_CHECKING:
    from egovindex.uncertainty.factors import ImputationChoice, IndicatorNoise, OutlierCapping

__all__ = ["Kept", "run_replications", "run_tree"]

Flags = dict[str, Any]


class Kept(NamedTuple):
    """What the normaliser of leaf or node ``name`` was fitted on in a run (:func:`run_tree`)."""

    normaliser: Normaliser
    values: Any  # (rows, n): the leaf's column, or the node's aggregate before its rescale
    direction: Direction
    name: str


def _or(flags: Flags, cause: str, flag: Any, xp: Any) -> None:
    flags[cause] = flag if cause not in flags else xp.logical_or(flags[cause], flag)


@attrs.define
class _Ctx:
    """What one chunk evaluation needs besides the plan."""

    plan: TreePlan
    xp: Any
    x: Any  # raw data (n, p), or (B, n, p): one data set per replication
    draws: Sequence[Any] | None  # per factor, None for the nominal run
    size: int  # replications in the chunk
    nominal: bool
    state: Any | None  # (B,) state index of each replication; None in the per-replication layout
    leaf_opts: dict[int, Any]  # factor -> (R, 1) option index of each leaf row
    strict: bool = False  # raise the engine's error instead of flagging a replication
    keep: dict[str, Kept] | None = None  # name -> what its normaliser was fitted on
    entities: Sequence[str] | None = None  # named by the errors of a strict run
    # whether every replication has its own raw data (noise, or a batch of data sets)
    per_rep_data: bool = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.per_rep_data = self.x.ndim == 3 or (self.plan.has_noise and not self.nominal)


@attrs.define
class _Val:
    """Node values: one row per state (``per_rep`` False) or per replication."""

    data: Any
    flags: Flags
    per_rep: bool


def run_tree(
    plan: TreePlan,
    x: Any,
    xp: Any,
    *,
    keep: dict[str, Kept] | None = None,
    entities: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Every leaf and node value of the trees of ``plan`` at their nominal rules.

    The evaluation of :func:`egovindex.composite.evaluate` and
    :func:`~egovindex.composite.evaluate_array`: a strict run, which raises the engine's
    errors (zero spread, a geometric mean meeting a zero, no observed child) rather than
    flagging a replication.

    Parameters
    ----------
    plan
        Trees compiled without factors (:func:`~egovindex.engine.plan.compile_tree`).
    x
        Raw data ``(n, p)`` (a batch of one) or ``(B, n, p)`` (``B`` data sets).
    xp
        The array namespace of ``x``.
    keep
        Filled, if given, with what each normaliser was fitted on (for the audit trail).
    entities
        Entity codes, named by the errors.

    Returns
    -------
    dict
        Name -> values ``(1, n)`` or ``(B, n)``.
    """
    size = 1 if x.ndim == 2 else int(x.shape[0])
    ctx = _context(plan, x, None, size, xp)
    ctx.strict, ctx.keep, ctx.entities = True, keep, entities
    return {name: v.data for name, v in _run(ctx).items()}


def run_replications(
    plan: TreePlan, x: Any, draws: Sequence[Any] | None, size: int, xp: Any, target: str
) -> tuple[Any, Flags]:
    """The values of node ``target`` in ``size`` Monte Carlo replications, and their flags.

    Parameters
    ----------
    plan
        A problem's plan, its factors bound (:func:`egovindex.uncertainty.plan.compile_problem`).
    x
        Raw data ``(n_entities, n_indicators)`` in namespace ``xp``.
    draws
        One array per factor, on the device of ``x``; ``None`` evaluates the nominal
        index (``size`` must be 1).

    Returns
    -------
    tuple
        Values ``(size, n_entities)`` and failure flags ``cause -> (size,)``.
    """
    ctx = _context(plan, x, draws, size, xp)
    value = _to_rep(_run(ctx)[target], ctx)
    scores = value.data
    if scores.shape[0] != size:
        scores = xp.broadcast_to(scores, (size, scores.shape[1]))
    return scores, {cause: _rows(f, ctx) for cause, f in value.flags.items()}


def _context(plan: TreePlan, x: Any, draws: Sequence[Any] | None, size: int, xp: Any) -> _Ctx:
    """The chunk's layout: the option index of each leaf row and each replication's state."""
    nominal = draws is None
    int64 = xp.int64
    leaf_opts: dict[int, Any] = {}
    state = None
    if nominal:
        for fi in plan.state_factors:
            leaf_opts[fi] = xp.full((1, 1), -1, dtype=int64, device=_dev(x))
        state = xp.zeros((size,), dtype=int64, device=_dev(x))
    elif plan.has_noise:
        for fi in plan.state_factors:
            leaf_opts[fi] = xp.reshape(draws[fi], (size, 1))  # type: ignore[index]
    else:
        # one row per combination of the discrete leaf factors; each replication points
        # to its combination (mixed-radix number of its option indices)
        state = xp.zeros((size,), dtype=int64, device=_dev(x))
        if plan.state_factors:
            sizes = plan.state_sizes
            combos = np.indices(sizes).reshape(len(sizes), -1)
            for pos, fi in enumerate(plan.state_factors):
                stride = int(np.prod(sizes[pos + 1 :]))
                col = combos[pos].reshape(-1, 1)
                leaf_opts[fi] = xp.asarray(col, dtype=int64, device=_dev(x))
                state = state + draws[fi] * stride  # type: ignore[index]
    return _Ctx(plan, xp, x, draws, size, nominal, state, leaf_opts)


def _run(ctx: _Ctx) -> dict[str, _Val]:
    """Every leaf and node of the plan, children before parents."""
    plan = ctx.plan
    values: dict[str, _Val] = {}
    by_leaf = {s.name: s for s in plan.leaves}
    by_node = {s.name: s for s in plan.nodes}
    inputs: dict[str, Any] = {}  # leaf inputs computed for a group that was not fitted
    grouped = _grouped_leaves(ctx, inputs)
    for name in plan.order:
        if name in grouped:
            values[name] = grouped[name]
        elif name in by_leaf:
            values[name] = _leaf(by_leaf[name], ctx, inputs.pop(name, None))
        else:
            values[name] = _node(by_node[name], [values[c] for c in by_node[name].children], ctx)
    return values


def _dev(x: Any) -> Any:
    if isinstance(x, np.ndarray):
        return "cpu"
    from egovindex.arrays import device_of

    return device_of(x)


def _rows(flag: Any, ctx: _Ctx) -> Any:
    xp = ctx.xp
    flag = xp.reshape(flag, (-1,))
    if flag.shape[0] == ctx.size:
        return flag
    if flag.shape[0] == 1:
        return xp.broadcast_to(flag, (ctx.size,))
    return xp.take(flag, ctx.state, axis=0)  # pragma: no cover - flags follow their values


def _to_rep(val: _Val, ctx: _Ctx) -> _Val:
    if val.per_rep:
        return val
    xp = ctx.xp
    data = val.data
    if data.shape[0] == 1:
        data = xp.broadcast_to(data, (ctx.size, data.shape[1]))
    else:
        data = xp.take(data, ctx.state, axis=0)
    flags = {}
    for c, f in val.flags.items():
        f = xp.reshape(f, (-1,))
        flags[c] = (
            xp.broadcast_to(f, (ctx.size,)) if f.shape[0] == 1 else xp.take(f, ctx.state, axis=0)
        )
    return _Val(data, flags, True)


# -- leaves --------------------------------------------------------------------------


def _leaf(spec: LeafSpec, ctx: _Ctx, col: Any = None) -> _Val:
    """The leaf's normalised values (each option's, where a normalisation factor acts);
    ``col`` is its input (:func:`_leaf_input`) when already computed."""
    xp = ctx.xp
    col = _leaf_input(spec, ctx) if col is None else col
    per_rep = ctx.per_rep_data
    flags: Flags = {}
    if spec.norm_factor is None or ctx.nominal:
        out = _apply(spec.normaliser, col, spec.direction, spec.name, flags, ctx)
    else:
        idx = ctx.leaf_opts[spec.norm_factor]
        out = None
        for o, norm in enumerate(spec.norm_options):
            sub: Flags = {}
            v = _apply(norm, col, spec.direction, spec.name, sub, ctx)
            chosen = idx == o
            out = v if out is None else xp.where(chosen, v, out)
            for c, f in sub.items():
                _or(flags, c, xp.logical_and(xp.reshape(f, (-1, 1)), chosen)[:, 0], xp)
    return _Val(out, flags, per_rep)


def _leaf_input(spec: LeafSpec, ctx: _Ctx) -> Any:
    """The leaf's column before normalisation: noise, imputation and capping applied."""
    xp, plan = ctx.xp, ctx.plan
    factors = plan.factors
    x = ctx.x
    col = x[:, :, spec.column] if x.ndim == 3 else xp.reshape(x[:, spec.column], (1, -1))
    if ctx.per_rep_data and spec.noise and not ctx.nominal:
        fi, j = spec.noise[0]
        noise = cast("IndicatorNoise", factors[fi])
        e = ctx.draws[fi][:, :, j]  # type: ignore[index]
        sd = _noise_sd(col, noise, xp)
        if isinstance(e, np.ndarray) and isinstance(col, np.ndarray):
            # the same sum and clip, in one buffer (no temporaries of a chunk's size)
            out = np.multiply(e, sd)
            col = np.add(out, col, out=out)
            lo, hi = noise.clip if noise.clip is not None else (None, None)
            if lo is not None or hi is not None:
                col = np.clip(col, lo, hi, out=col)
        else:
            col = col + e * sd
        if noise.clip is not None and not isinstance(col, np.ndarray):
            lo, hi = noise.clip
            if lo is not None:
                col = xp.where(col < lo, float(lo), col)
            if hi is not None:
                col = xp.where(col > hi, float(hi), col)
    if plan.has_missing:
        col = _impute(col, ctx)
    if spec.cap_factor is not None:
        col = _cap(col, spec, ctx)
    return col


# Leaves sharing a normaliser and a direction are fitted in one call on their stacked
# columns (rows fitted independently, each contiguous, so in the order of a fit of that
# column alone: the same bits). It saves the per-call cost of a small fit, which is most
# of a batch-of-one run; above this many numbers a leaf is fitted alone, the stacking
# copy then costing more than the call it saves.
_GROUP_MAX = 16384


def _grouped_leaves(ctx: _Ctx, inputs: dict[str, Any]) -> dict[str, _Val]:
    """Leaves evaluated in groups (see :data:`_GROUP_MAX`); the others are left out.

    The groups are the plan's (:attr:`~egovindex.uncertainty.plan.TreePlan.leaf_groups`).
    A group in which a row fails is left out whole: its leaves are then evaluated one by
    one in the plan's order, which records (or, strict, raises) their own causes. The
    inputs computed for a group left out are put in ``inputs``, for those evaluations.
    """
    out: dict[str, _Val] = {}
    xp, leaves = ctx.xp, ctx.plan.leaves
    for group in ctx.plan.leaf_groups:
        specs = [leaves[i] for i in group]
        norm, direction = specs[0].normaliser, specs[0].direction
        assert norm is not None  # groups are of normalised leaves
        if _raw_inputs(specs, ctx) and ctx.x.shape[0] <= _GROUP_MAX:
            # the columns as they are: one gather of the rows of x^T (each row contiguous)
            cols = [spec.column for spec in specs]
            index = xp.asarray(cols, dtype=xp.int64, device=_dev(ctx.x))
            rows = xp.take(xp.permute_dims(ctx.x, (1, 0)), index, axis=0)
            stacked = xp.reshape(rows, (len(cols), 1, rows.shape[-1]))
            members = [(spec, stacked[i, ...]) for i, spec in enumerate(specs)]
            out.update(_fit_group(norm, direction, members, ctx, stacked))
            continue
        members = [(spec, _leaf_input(spec, ctx)) for spec in specs]
        shape = members[0][1].shape
        fitted: dict[str, _Val] = {}
        if math.prod(shape) <= _GROUP_MAX and all(c.shape == shape for _, c in members):
            fitted = _fit_group(norm, direction, members, ctx)
        out.update(fitted)
        if not fitted:  # evaluated one by one: their inputs are not computed again
            inputs.update((spec.name, col) for spec, col in members)
    return out


def _raw_inputs(specs: Sequence[LeafSpec], ctx: _Ctx) -> bool:
    """Whether the leaves read the data unchanged (no noise, imputation or capping)."""
    if ctx.x.ndim != 2:
        return False
    if ctx.nominal:
        return True
    return not ctx.plan.has_missing and all(not s.noise and s.cap_factor is None for s in specs)


def _fit_group(
    norm: Normaliser,
    direction: Direction,
    members: list[tuple[LeafSpec, Any]],
    ctx: _Ctx,
    stacked: Any = None,
) -> dict[str, _Val]:
    xp = ctx.xp
    if stacked is None:
        stacked = xp.stack([col for _, col in members], axis=0)
    name = members[0][0].name
    if ctx.strict:
        try:
            values = fit_apply(norm, stacked, direction, name=name)[1]
        except EgovIndexError:
            return {}  # each leaf alone, in order, raises its own error
    else:
        failures: Flags = {}
        values = fit_apply(norm, stacked, direction, name=name, failures=failures)[1]
        if any(bool(xp.any(f)) for f in failures.values()):
            return {}
    if ctx.keep is not None:
        for spec, col in members:
            ctx.keep[spec.name] = Kept(norm, col, direction, spec.name)
    return {
        spec.name: _Val(values[i, ...], {}, ctx.per_rep_data) for i, (spec, _) in enumerate(members)
    }


def _noise_sd(col: Any, noise: IndicatorNoise, xp: Any) -> Any:
    if noise.relative == 0:
        return noise.absolute + 0.0 * col
    if noise.absolute == 0:
        return noise.relative * xp.abs(col)
    return xp.sqrt((noise.relative * col) ** 2 + noise.absolute**2)


def _impute(col: Any, ctx: _Ctx) -> Any:
    xp, plan = ctx.xp, ctx.plan
    factors = plan.factors
    fi = plan.imputation
    if fi is None or ctx.nominal:
        return col  # nominal rule "available": values stay missing
    choice = cast("ImputationChoice", factors[fi])
    idx = ctx.leaf_opts[fi]
    miss = xp.isnan(col)
    out = col
    for o, opt in enumerate(choice.options):
        if opt == "available":
            continue
        fill = _statistic(col, opt, xp)
        out = xp.where(xp.logical_and(miss, idx == o), fill, out)
    return out


def _statistic(col: Any, what: str, xp: Any) -> Any:
    obs = xp.logical_not(xp.isnan(col))
    n = xp.sum(xp.astype(obs, col.dtype), axis=-1, keepdims=True)
    if what == "mean":
        return xp.sum(xp.where(obs, col, 0.0), axis=-1, keepdims=True) / n
    if what == "min":
        return xp.min(xp.where(obs, col, math.inf), axis=-1, keepdims=True)
    srt = xp.sort(xp.where(obs, col, math.inf), axis=-1)
    k = xp.astype(n, xp.int64)
    lo = xp.take_along_axis(srt, xp.clip((k - 1) // 2, 0, None), axis=-1)
    hi = xp.take_along_axis(srt, xp.clip(k // 2, 0, None), axis=-1)
    return (lo + hi) / 2.0


def _cap(col: Any, spec: LeafSpec, ctx: _Ctx) -> Any:
    xp = ctx.xp
    fi = spec.cap_factor
    assert fi is not None
    capping = cast("OutlierCapping", ctx.plan.factors[fi])
    if ctx.nominal or max(capping.counts) == 0:
        return col
    idx = ctx.leaf_opts[fi]
    counts = xp.asarray(np.asarray(capping.counts, dtype=np.int64), device=_dev(col))
    m = xp.reshape(xp.take(counts, xp.reshape(idx, (-1,)), axis=0), (-1, 1))
    obs = xp.logical_not(xp.isnan(col))
    rows = max(col.shape[0], m.shape[0])
    full = xp.broadcast_to(xp.where(obs, col, math.inf), (rows, col.shape[1]))
    srt = xp.sort(full, axis=-1)
    k = xp.sum(xp.astype(xp.broadcast_to(obs, full.shape), xp.int64), axis=-1, keepdims=True)
    out = col
    if capping.tails in ("both", "upper"):
        hi = xp.take_along_axis(srt, xp.clip(k - 1 - m, 0, None), axis=-1)
        out = xp.where(out > hi, hi, out)
    if capping.tails in ("both", "lower"):
        lo = xp.take_along_axis(srt, xp.minimum(m, xp.clip(k - 1, 0, None)), axis=-1)
        out = xp.where(out < lo, lo, out)
    return out


# -- normalisation steps -------------------------------------------------------------


def _apply(
    normaliser: Normaliser | None,
    x: Any,
    direction: Direction,
    name: str,
    flags: Flags,
    ctx: _Ctx,
) -> Any:
    """Fit ``normaliser`` over the entities of every row of ``x`` and apply it.

    The normaliser's own batched fit does the work (so any normaliser runs here); rows
    it cannot normalise are recorded in ``flags`` under their cause, not raised, except
    in a strict run, where the fit raises its own error.
    """
    if normaliser is None:
        return x
    if ctx.keep is not None:
        ctx.keep[name] = Kept(normaliser, x, direction, name)
    failures = None if ctx.strict else flags
    return fit_apply(normaliser, x, direction, name=name, failures=failures)[1]


# -- nodes ---------------------------------------------------------------------------


def _gather(data: Any, per_rep: bool, ctx: _Ctx) -> Any:
    """Rows of a child aligned with the replications (a single row broadcasts)."""
    if per_rep or data.shape[0] == 1:
        return data
    return ctx.xp.take(data, ctx.state, axis=0)


def _node(spec: NodeSpec, children: list[_Val], ctx: _Ctx) -> _Val:
    """Aggregate the children, apply the node's zero rule, then its rescale."""
    xp = ctx.xp
    per_rep_factor = not ctx.nominal and (
        spec.weight_factor is not None or spec.agg_factor is not None
    )
    per_rep = per_rep_factor or any(c.per_rep for c in children)
    mixed = per_rep and not all(c.per_rep for c in children)

    def align(data: Any, child: _Val) -> Any:
        # children computed once per state are spread over the replications only when
        # the node needs one row per replication
        return _gather(data, child.per_rep, ctx) if mixed or per_rep_factor else data

    flags: Flags = {}
    for c in children:
        for cause, f in c.flags.items():
            _or(flags, cause, align(xp.reshape(f, (-1, 1)), c)[:, 0], xp)
    weights, positive = _node_weights(spec, len(children), ctx)
    value = _aggregate(spec, children, align, (weights, positive), flags, ctx)
    if ctx.plan.has_missing:
        none: Any = True
        for c, p in zip(children, positive, strict=True):
            gone = xp.logical_or(xp.isnan(align(c.data, c)), _not(p, xp))
            none = gone if none is True else xp.logical_and(none, gone)
        _or(flags, f"no observed child at node {spec.name!r}", xp.any(none, axis=-1), xp)
        if ctx.strict and bool(xp.any(none)):
            _raise_unobserved(spec, np.asarray(none), ctx)
    if ctx.strict and any(bool(xp.any(f)) for f in flags.values()):
        _raise_geometric(spec, [align(c.data, c) for c in children])
    for j in spec.zero_children:
        # the non-compensatory rule acts on the aggregate, before any rescale (A.1.1)
        value = xp.where(align(children[j].data, children[j]) == 0, 0.0, value)
    if spec.rescale:
        value = _apply(spec.rescale, value, Direction.HIGHER, spec.name, flags, ctx)
    return _Val(value, flags, per_rep)


def _aggregate(
    spec: NodeSpec,
    children: list[_Val],
    align: Any,
    weighting: tuple[list[Any], list[Any]],
    flags: Flags,
    ctx: _Ctx,
) -> Any:
    """The node's aggregate of its children, flagging what a geometric mean met."""
    xp = ctx.xp
    weights, positive = weighting
    geo, any_arith, zeros, floor = _node_aggregation(spec, ctx)
    # NumPy, a per-replication choice and no missing values: each replication's rows are
    # aggregated only the way it chose (same operations row by row, so the same bits as
    # computing both and selecting), instead of both ways for every row.
    split = (
        any_arith
        and isinstance(geo, np.ndarray)
        and not ctx.plan.has_missing
        and isinstance(ctx.x, np.ndarray)
    )
    rows_g = rows_a = None
    if split:
        chosen_g = np.asarray(geo).reshape(-1)
        rows_g, rows_a = np.flatnonzero(chosen_g), np.flatnonzero(~chosen_g)
    arith = None
    if any_arith:
        cols = _rows_of([align(c.data, c) for c in children], rows_a)
        arith = arithmetic_mean(cols, _rows_of(weights, rows_a), xp, missing=ctx.plan.has_missing)
    if geo is None:
        return arith
    if split:
        rows = (rows_g, zeros, floor)
        geom = _geometric_rows(spec.name, children, align, weights, positive, rows, flags, ctx)
        return _scatter_rows(ctx.size, (rows_a, arith), (rows_g, geom))
    chosen = None if geo is True else xp.reshape(geo, (-1,))
    rule = (zeros, floor, chosen)
    geom = _geometric_all(spec.name, children, align, (weights, positive), rule, flags, ctx)
    return geom if arith is None else xp.where(geo, geom, arith)


def _geometric_all(
    name: str,
    children: list[_Val],
    align: Any,
    weighting: tuple[list[Any], list[Any]],
    rule: tuple[str, float, Any],
    flags: Flags,
    ctx: _Ctx,
) -> Any:
    """The geometric mean of every row; ``rule`` is (zeros, floor, rows that chose it)."""
    xp = ctx.xp
    weights, positive = weighting
    zeros, floor, chosen = rule
    logs, neg, zero = child_logs([c.data for c in children], zeros, floor, xp)
    geom = geometric_mean(
        [align(lg, c) for lg, c in zip(logs, children, strict=True)],
        [align(c.data, c) for c in children] if ctx.plan.has_missing else [],
        weights,
        positive,
        xp,
        missing=ctx.plan.has_missing,
    )
    for cause, per_child, on in (
        (f"geometric mean met a negative value at node {name!r}", neg, True),
        (f"geometric mean met a zero at node {name!r}", zero, zeros == "fail"),
    ):
        if on:
            hit = _flag_rows(per_child, children, align, xp)
            _or(flags, cause, hit if chosen is None else xp.logical_and(hit, chosen), xp)
    return geom


def _raise_unobserved(spec: NodeSpec, none: NDArray[np.bool_], ctx: _Ctx) -> None:
    """The engine's error for an entity with no observed child of positive weight."""
    i = int(np.argwhere(none)[0][-1])
    who = repr(ctx.entities[i]) if ctx.entities is not None else f"at position {i}"
    raise MissingDataError(
        f"node {spec.name!r}: entity {who} has no observed child with positive weight "
        f"(children: {', '.join(spec.children)})"
    )


def _raise_geometric(spec: NodeSpec, cols: list[Any]) -> None:
    """The error of :func:`egovindex.aggregate.weighted_geometric` for what the node met."""
    x = np.stack(np.broadcast_arrays(*(np.asarray(c) for c in cols)), -1)
    weighted_geometric(
        np.where(np.isnan(x), 1.0, x),
        spec.weights,
        name=spec.name,
        zeros=spec.zero_rule,  # type: ignore[arg-type]
    )
    raise InputError(f"geometric mean of {spec.name!r} failed")  # pragma: no cover


def _node_weights(spec: NodeSpec, n: int, ctx: _Ctx) -> tuple[list[Any], list[Any]]:
    """The children's weights (drawn per replication, or fixed) and where they are > 0."""
    xp = ctx.xp
    if spec.weight_factor is not None and not ctx.nominal:
        w = ctx.draws[spec.weight_factor]  # type: ignore[index]
        weights: list[Any] = [w[:, j : j + 1] for j in range(n)]
        positive: list[Any] = [wj > 0 for wj in weights]
        if all(bool(xp.all(p)) for p in positive):
            positive = [True] * len(weights)
        return weights, positive
    return list(spec.weights), [wj > 0 for wj in spec.weights]


def _node_aggregation(spec: NodeSpec, ctx: _Ctx) -> tuple[Any, bool, Any, Any]:
    """Which replications aggregate geometrically (a mask, True for all, None for none),
    whether any aggregates arithmetically, and the zero rule and floor that apply."""
    xp = ctx.xp
    if spec.agg_factor is not None and not ctx.nominal:
        idx = xp.reshape(ctx.draws[spec.agg_factor], (-1, 1))  # type: ignore[index]
        geo_opts = [o for o, a in enumerate(spec.agg_options) if a == "geometric"]
        geo: Any = None
        for o in geo_opts:
            geo = idx == o if geo is None else xp.logical_or(geo, idx == o)
        return geo, len(geo_opts) < len(spec.agg_options), spec.agg_zeros, spec.agg_floor
    geo = True if spec.aggregation == "geometric" else None
    return geo, geo is None, spec.zeros, spec.floor


def _geometric_rows(
    name: str,
    children: list[_Val],
    align: Any,
    weights: list[Any],
    positive: list[Any],
    rule: tuple[Any, str, float],
    flags: Flags,
    ctx: _Ctx,
) -> Any:
    """The geometric mean of only the replications ``rows`` that chose it (NumPy).

    ``rule`` is ``(rows, zeros, floor)``: the rows, and the zero rule and floor.

    Logarithms are taken on those rows alone; the failure flags are spread back over
    the chunk. Row by row these are the operations of the general path, so the same bits.
    """
    rows, zeros, floor = rule
    data = _rows_of([align(c.data, c) for c in children], rows)
    logs, neg, zero = child_logs(data, zeros, floor, ctx.xp)
    geom = geometric_mean(logs, [], _rows_of(weights, rows), _rows_of(positive, rows), ctx.xp)
    for cause, per_child, on in (
        (f"geometric mean met a negative value at node {name!r}", neg, True),
        (f"geometric mean met a zero at node {name!r}", zero, zeros == "fail"),
    ):
        if on:
            hit = np.zeros(ctx.size, dtype=bool)
            hit[rows] = np.logical_or.reduce(np.broadcast_arrays(*per_child))
            _or(flags, cause, hit, ctx.xp)
    return geom


def _rows_of(items: list[Any], rows: NDArray[np.intp] | None) -> list[Any]:
    """``items`` restricted to replication rows ``rows`` (``None``: all rows).

    Scalars, flags and arrays of one row (shared by every replication) stay as they are.
    """
    if rows is None:
        return items
    return [a[rows] if isinstance(a, np.ndarray) and a.shape[0] > 1 else a for a in items]


def _scatter_rows(size: int, *parts: tuple[Any, Any]) -> NDArray[np.float64]:
    """Rows ``(rows, values)`` of each part put together into ``(size, n)``."""
    n = max(np.shape(v)[-1] for _, v in parts)
    out = np.empty((size, n), dtype=np.float64)
    for rows, values in parts:
        out[rows] = values
    return out


def _flag_rows(per_child: list[Any], children: list[_Val], align: Any, xp: Any) -> Any:
    out = None
    for f, c in zip(per_child, children, strict=True):
        g = align(xp.reshape(f, (-1, 1)), c)[:, 0]
        out = g if out is None else xp.logical_or(out, g)
    return out


def _not(p: Any, xp: Any) -> Any:
    return (not p) if isinstance(p, bool) else xp.logical_not(p)
