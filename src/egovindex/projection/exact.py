"""Exact counterfactuals from raw indicators: :func:`exact_gap`.

The *exact* level of methodology A.8.4: change one country's raw indicators, refit every
z-score mean and standard deviation and every min-max range over all countries, recompute
every country's indices and re-rank. Unlike the naive shortcut of :func:`egovindex.
projection.gap`, this sees the normalisation move: a country that becomes the new maximum
of a component lowers everybody else's value of it, and a rise of one raw value shifts the
mean and the spread that every other country is standardised with.

The answer is the least *effort* that reaches the target, where the effort is a scalar
that moves the chosen raw indicators along a stated rule:

- one indicator (``rule="single"``): the rise of that indicator, in its own unit (a fall,
  for an indicator where lower is better);
- ``rule="equal_relative"``: the same relative rise ``p`` on each indicator of a set
  (``x -> x * (1 + p)``, or ``x * (1 - p)`` where lower is better), each stopped at its
  bound;
- ``rule="cheapest"`` with ``unit_costs``: a budget spent on the indicators in decreasing
  order of the country's score gain per unit cost at its current values, each filled up to
  its bound before the next (the solution of the linear programme when the score is
  locally linear in the indicators; a stated rule, not a search over every mix).

The search evaluates a grid of candidate efforts in one batched call of
:func:`egovindex.composite.evaluate_array` (a leading axis over candidates, every
normaliser refitted per candidate), then narrows the first bracket where the target starts
to hold with further batched grids down to adjacent doubles. It checks its answer by
re-scoring the changed panel through the ordinary scoring path, and it reports when the
rank is not monotone in the effort on the grid (a flag and the efforts where the target
holds) rather than present a bisection result as a minimum.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.composite import Node, evaluate, evaluate_array
from egovindex.errors import (
    BoundsError,
    InputError,
    UnknownIndexError,
    UnknownIndicatorError,
    did_you_mean,
    nearest,
)
from egovindex.methodologies.un.methodology import Methodology
from egovindex.panel import Direction, Panel, readonly

__all__ = ["Combine", "EffortRule", "ExactGap", "exact_gap"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
EffortRule = Literal["single", "equal_relative", "cheapest"]
Combine = Callable[[Mapping[str, FloatArray]], FloatArray]
"""Turns the node values of a tree (each of shape ``(..., n_entities)``) into the scores
that are ranked, e.g. a top-level formula over the tree's component nodes."""

_UNIT = {
    "single": "raw units of the indicator",
    "equal_relative": "relative rise (0.1 = +10 %)",
    "cheapest": "cost (sum of unit cost x change)",
}
_PROBE = 0.01  # share of each indicator's headroom used to measure its marginal gain
_MAX_ROUNDS = 80


def _mapping(value: Mapping[str, float] | None) -> Mapping[str, float] | None:
    return None if value is None else MappingProxyType(dict(value))


def _tuple_of_pairs(
    value: Sequence[tuple[float, float]],
) -> tuple[tuple[float, float], ...]:
    return tuple((float(a), float(b)) for a, b in value)


def _readonly_int(values: ArrayLike) -> IntArray:
    arr = np.array(values, dtype=np.int64, copy=True)
    arr.setflags(write=False)
    return arr


@attrs.frozen(eq=False)
class ExactGap:
    """The least effort on raw indicators that reaches a target, normalisation recomputed.

    Attributes
    ----------
    country
        The entity moved.
    indicators
        The raw indicators moved.
    rule
        ``"single"``, ``"equal_relative"`` or ``"cheapest"`` (see the module docstring).
    effort_unit
        What :attr:`effort` measures.
    index
        The score ranked (``"egdi"`` for a UN methodology).
    target_rank, target_value
        The target given (the other is ``None``).
    group_size
        Entities ranked among (the country included).
    current_rank, current_value
        Rank and score before any change.
    feasible
        Whether the target holds at some effort on the searched range.
    effort
        The least effort found (0 when the target already holds), ``None`` if infeasible.
    values, changes
        Indicator -> new raw value and signed change at :attr:`effort` (``None`` if
        infeasible).
    rank_reached, value_reached
        Rank and score at :attr:`effort` (at the largest effort searched if infeasible).
    max_effort
        The largest effort searched: where every moved indicator reaches its bound, or the
        ``max_effort`` given, or (indicators without a bound) one observed range beyond the
        observed maximum.
    monotone
        Whether the rank (for a rank target) or the score (for a value target) never got
        worse as the effort grew on the grid and the target, once reached, kept holding.
        When ``False``, :attr:`effort` is the start of the first effort range on the grid
        where the target holds, and :attr:`holding` lists all of them: read both.
    holding
        ``(low, high)`` grid efforts between which the target holds (grid resolution).
    verified
        The answer was re-scored through the ordinary scoring path (``Methodology.score``
        or :func:`egovindex.composite.evaluate`): the target holds at :attr:`effort` and
        not at the largest double below it that the search evaluated.
    order
        Indicators in the order a ``"cheapest"`` budget fills them (others: as given);
        indicators that do not raise the score are left out of that order.
    grid_efforts, grid_ranks, grid_values
        The first search grid and the country's rank and score on it.
    """

    country: str
    indicators: tuple[str, ...]
    rule: EffortRule
    effort_unit: str
    index: str
    target_rank: int | None
    target_value: float | None
    group_size: int
    current_rank: int
    current_value: float
    feasible: bool
    effort: float | None
    values: Mapping[str, float] | None = attrs.field(converter=_mapping)
    changes: Mapping[str, float] | None = attrs.field(converter=_mapping)
    rank_reached: int
    value_reached: float
    max_effort: float
    monotone: bool
    holding: tuple[tuple[float, float], ...] = attrs.field(converter=_tuple_of_pairs)
    verified: bool
    order: tuple[str, ...]
    grid_efforts: FloatArray = attrs.field(converter=readonly)
    grid_ranks: IntArray = attrs.field(converter=_readonly_int)
    grid_values: FloatArray = attrs.field(converter=readonly)


# -- scoring: batched and ordinary ------------------------------------------------------


@attrs.frozen(eq=False)
class _Scorer:
    """Scores of ``index`` for a batch ``(k, n, m)`` of raw arrays, and for one panel."""

    batch: Callable[[FloatArray], FloatArray]
    single: Callable[[Panel], FloatArray]
    index: str


def _un_scorer(m: Methodology, panel: Panel, index: str | None) -> _Scorer:
    key = (index or "egdi").lower()
    if key not in ("egdi", "osi", "tii", "hci", "epi"):
        raise UnknownIndexError(
            f"unknown index {index!r}"
            + did_you_mean(key, ("egdi", "osi", "tii", "hci", "epi"))
            + "; choose egdi, osi, tii, hci or epi"
        )
    tree = m.tree if key == "egdi" else m.trees[key]  # the EGDI: the whole tree (A.1.1)
    codes = panel.codes
    directions = {ind.code: ind.direction for ind in panel.indicators}

    def batch(x: FloatArray) -> FloatArray:
        return evaluate_array(tree, x, codes, directions)[key]

    def single(p: Panel) -> FloatArray:
        return m.score(p).index(key)

    return _Scorer(batch, single, key)


def _tree_scorer(tree: Node, panel: Panel, index: str | None, combine: Combine | None) -> _Scorer:
    key = index or tree.name
    names = [n.name for n in tree.walk()]
    if combine is None and key not in names:
        raise UnknownIndexError(
            f"the tree {tree.name!r} has no node {key!r}" + did_you_mean(key, names)
        )
    codes = panel.codes
    directions = {ind.code: ind.direction for ind in panel.indicators}

    def pick(values: Mapping[str, FloatArray]) -> FloatArray:
        return np.asarray(combine(values) if combine is not None else values[key], np.float64)

    def batch(x: FloatArray) -> FloatArray:
        return pick(evaluate_array(tree, x, codes, directions))

    def single(p: Panel) -> FloatArray:
        return pick(evaluate(tree, p).values)

    return _Scorer(batch, single, key)


# -- effort paths -------------------------------------------------------------------------


@attrs.frozen(eq=False)
class _Path:
    """Maps an effort to the moved indicators' raw values (vectorised over efforts)."""

    rule: EffortRule
    x0: FloatArray  # current values of the moved indicators
    sign: FloatArray  # +1 higher-is-better, -1 lower-is-better
    head: FloatArray  # largest useful change of each (its bound, or the default reach)
    costs: FloatArray  # unit costs, in fill order ("cheapest")
    order: tuple[int, ...]  # fill order ("cheapest")

    def values(self, e: FloatArray) -> FloatArray:
        """Raw values ``(k, m)`` of the moved indicators at efforts ``e`` ``(k,)``."""
        e = np.asarray(e, np.float64)[:, None]
        if self.rule == "single":
            change = np.minimum(e, self.head)
        elif self.rule == "equal_relative":
            change = np.minimum(e * self.x0, self.head)
        else:
            change = np.zeros((e.shape[0], self.x0.size))
            spent = np.zeros_like(e)
            for j in self.order:  # a handful of indicators, not a loop over entities
                cap = self.head[j] * self.costs[j]
                part = np.clip(e - spent, 0.0, cap)
                change[:, j] = part[:, 0] / self.costs[j]
                spent = spent + cap
            change = np.minimum(change, self.head)
        return self.x0 + self.sign * change

    def ceiling(self) -> float:
        """The effort beyond which nothing moves any more."""
        if self.rule == "single":
            return float(self.head[0])
        if self.rule == "equal_relative":
            moving = self.x0 > 0
            return float(np.max(self.head[moving] / self.x0[moving]))
        return float(sum(self.head[j] * self.costs[j] for j in self.order))


def _heads(panel: Panel, cols: Sequence[int], i: int) -> tuple[FloatArray, FloatArray]:
    """Sign and headroom (largest change towards "better") of each moved indicator."""
    sign = np.empty(len(cols))
    head = np.empty(len(cols))
    for k, j in enumerate(cols):
        ind = panel.indicators[j]
        col = panel.values[:, j]
        x = float(col[i])
        observed = col[~np.isnan(col)]
        spread = float(observed.max() - observed.min())
        if ind.direction is Direction.HIGHER:
            sign[k] = 1.0
            bound = ind.upper
            # No bound: one observed range beyond the observed maximum.
            head[k] = bound - x if bound is not None else observed.max() - x + spread
        else:
            sign[k] = -1.0
            bound = ind.lower
            head[k] = x - bound if bound is not None else x - observed.min() + spread
        head[k] = max(head[k], 0.0)
    return sign, head


# -- the search ---------------------------------------------------------------------------


def exact_gap(
    panel: Panel,
    scorer: Methodology | Node,
    country: str,
    indicators: str | Sequence[str],
    *,
    target_rank: int | None = None,
    target_value: float | None = None,
    within: Sequence[str] | NDArray[np.bool_] | None = None,
    rule: EffortRule | None = None,
    unit_costs: Mapping[str, float] | None = None,
    index: str | None = None,
    combine: Combine | None = None,
    max_effort: float | None = None,
    grid: int = 129,
) -> ExactGap:
    """The least effort on raw indicators that reaches a target, every normaliser refitted.

    Parameters
    ----------
    panel
        Raw indicators of every country (no missing value): the normalisation is refitted
        over all of them for every candidate.
    scorer
        A UN :class:`~egovindex.methodologies.un.methodology.Methodology` (``eg.un.
        methodology(2022)``: its trees and the edition's EGDI formula) or any
        :class:`~egovindex.composite.Node` (with ``combine`` for a top-level formula).
    country
        Entity code in ``panel``.
    indicators
        The raw indicator to move, or several (then give ``rule``).
    target_rank
        Rank to reach within ``within`` (competition ranking, methodology A.8.1).
    target_value
        Score to reach instead (the EGDI for a UN methodology).
    within
        Entity codes (or a boolean mask aligned with the panel) to rank among; all
        entities are scored and normalised regardless. Default: every entity.
    rule
        ``"single"`` (the default for one indicator), ``"equal_relative"`` or
        ``"cheapest"`` (see the module docstring).
    unit_costs
        ``"cheapest"`` only: indicator -> positive cost of one unit of change.
    index
        The score to rank: ``"egdi"`` (default), ``"osi"``, ``"tii"``, ``"hci"`` or
        ``"epi"`` for a UN methodology; a node name of a tree (default its root).
    combine
        Tree scorers only: node values -> the ranked score.
    max_effort
        Largest effort to search (effort units), within the indicators' bounds.
    grid
        Candidates per batched evaluation (at least 9). The first grid also tests
        monotonicity.

    Returns
    -------
    ExactGap

    Raises
    ------
    InputError
        Bad target, rule, costs, grid or indicator set; a country outside ``within``.
    BoundsError
        ``target_rank`` outside 1..group size.
    UnknownIndicatorError, UnknownIndexError
        Unknown indicator or index.
    MissingDataError, ZeroSpreadError
        As the scorer raises them for the panel.
    """
    codes = (indicators,) if isinstance(indicators, str) else tuple(indicators)
    chosen = _check_request(panel, codes, rule, target_rank, target_value, grid)
    cols = [panel.codes.index(c) for c in codes]
    i = panel.index_of(country)
    mask = _within_mask(panel, within)
    if not mask[i]:
        raise InputError(f"{country!r} is not among the entities ranked ('within')")
    others = mask.copy()
    others[i] = False
    n = int(mask.sum())
    sc = _scorer(scorer, panel, index, combine)
    base = np.asarray(sc.single(panel), np.float64)  # validates the panel, as scoring does
    r, v = _target(target_rank, target_value, n)
    search = _Search(sc, np.asarray(panel.values, np.float64), i, cols, others, r, v)
    path = _effort_path(panel, search, codes, chosen, unit_costs, float(base[i]))
    ceiling = path.ceiling()
    if max_effort is not None:
        if not (isinstance(max_effort, int | float) and max_effort >= 0):
            raise InputError(f"max_effort must be a non-negative number, got {max_effort!r}")
        ceiling = min(ceiling, float(max_effort))
    efforts = np.linspace(0.0, ceiling, grid)
    g_ranks, g_own = search.scored(path.values(efforts))
    ok = search.holds(g_ranks, g_own)
    answer = _Answer(
        country, codes, chosen, sc.index, r, v, n,
        current_rank=int(1 + np.count_nonzero(base[others] > base[i])),
        current_value=float(base[i]),
        path=path, ceiling=ceiling, efforts=efforts, g_ranks=g_ranks, g_own=g_own, ok=ok,
    )  # fmt: skip
    if bool(ok[0]):
        verified = _check(sc, panel, path, i, cols, others, search.holds, 0.0, None)
        return answer.result(0.0, int(g_ranks[0]), float(g_own[0]), verified)
    if not ok.any():
        return answer.result(None, int(g_ranks[-1]), float(g_own[-1]), False)
    first = int(np.argmax(ok))
    lo, hi, at_rank, at_value = _narrow(
        search, path, float(efforts[first - 1]), float(efforts[first]),
        int(g_ranks[first]), float(g_own[first]), grid,
    )  # fmt: skip
    verified = _check(sc, panel, path, i, cols, others, search.holds, hi, lo)
    return answer.result(hi, at_rank, at_value, verified)


def _check_request(
    panel: Panel,
    codes: tuple[str, ...],
    rule: EffortRule | None,
    target_rank: int | None,
    target_value: float | None,
    grid: int,
) -> EffortRule:
    """Validate the request of :func:`exact_gap`; return the effort rule."""
    if not codes:
        raise InputError("name at least one indicator to move")
    if len(set(codes)) != len(codes):
        raise InputError(f"indicators are repeated: {', '.join(codes)}")
    chosen: EffortRule = rule or "single"
    if chosen not in _UNIT:
        raise InputError(f"unknown rule {rule!r}; choose one of {', '.join(_UNIT)}")
    if chosen == "single" and len(codes) != 1:
        raise InputError(
            f"{len(codes)} indicators need a rule to share the effort: "
            "rule='equal_relative' or rule='cheapest' with unit_costs"
        )
    if (target_rank is None) == (target_value is None):
        raise InputError("give exactly one target: target_rank or target_value")
    if not isinstance(grid, int) or isinstance(grid, bool) or grid < 9:
        raise InputError(f"grid must be a whole number of at least 9, got {grid!r}")
    unknown = [c for c in codes if c not in panel.codes]
    if unknown:
        hints = {c: nearest(c, panel.codes) for c in unknown}
        raise UnknownIndicatorError(
            "the panel has no indicator "
            + "; ".join(
                repr(c) + (f" (did you mean {', '.join(h)}?)" if h else "")
                for c, h in hints.items()
            )
        )
    return chosen


def _scorer(
    scorer: Methodology | Node, panel: Panel, index: str | None, combine: Combine | None
) -> _Scorer:
    if isinstance(scorer, Methodology):
        if combine is not None:
            raise InputError("combine applies to a tree scorer; a Methodology has its EGDI")
        return _un_scorer(scorer, panel, index)
    if isinstance(scorer, Node):
        return _tree_scorer(scorer, panel, index, combine)
    raise InputError(
        f"scorer must be a UN Methodology or a composite Node, got {type(scorer).__name__}"
    )


def _target(
    target_rank: int | None, target_value: float | None, n: int
) -> tuple[int | None, float | None]:
    """(rank, value): the validated target, exactly one of them set."""
    if target_rank is not None:
        if isinstance(target_rank, bool) or not isinstance(target_rank, int | np.integer):
            raise InputError(f"target_rank must be a whole number, got {target_rank!r}")
        r = int(target_rank)
        if not 1 <= r <= n:
            raise BoundsError(f"target_rank must be between 1 and {n}, got {r}")
        return r, None
    try:
        v = float(target_value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"target_value must be a number, got {target_value!r}") from None
    if not math.isfinite(v):
        raise InputError(f"target_value must be finite, got {target_value!r}")
    return None, v


@attrs.frozen(eq=False)
class _Search:
    """The country's rank and score for candidate values of the moved indicators."""

    sc: _Scorer
    values0: FloatArray  # the panel's raw values
    i: int  # the country's row
    cols: Sequence[int]  # the moved indicators' columns
    others: NDArray[np.bool_]  # the entities it is ranked against
    r: int | None  # target rank, or
    v: float | None  # target value

    def scored(self, moved: FloatArray) -> tuple[IntArray, FloatArray]:
        """Rank and score of the country for each row of new values ``(k, m)``."""
        x = np.repeat(self.values0[None], moved.shape[0], axis=0)
        x[:, self.i, self.cols] = moved
        s = self.sc.batch(x)
        own = s[:, self.i]
        ranks = 1 + np.count_nonzero(s[:, self.others] > own[:, None], axis=1)
        return ranks.astype(np.int64), own

    def holds(self, ranks: IntArray, own: FloatArray) -> NDArray[np.bool_]:
        """Whether the target holds for each candidate."""
        goal = math.inf if self.v is None else self.v  # exactly one of r and v is set
        out: NDArray[np.bool_] = ranks <= self.r if self.r is not None else own >= goal
        return out


def _effort_path(
    panel: Panel,
    search: _Search,
    codes: tuple[str, ...],
    chosen: EffortRule,
    unit_costs: Mapping[str, float] | None,
    base: float,
) -> _Path:
    sign, head = _heads(panel, search.cols, search.i)
    x0 = panel.values[search.i, search.cols].astype(np.float64)
    costs = np.ones(len(codes))
    order = tuple(range(len(codes)))
    if chosen == "equal_relative" and not (x0 > 0).any():
        raise InputError(
            f"{panel.entities[search.i]!r} has 0 on every indicator of {', '.join(codes)}: "
            "an equal relative rise moves nothing"
        )
    if chosen == "cheapest":
        costs = _costs(codes, unit_costs)
        order = _fill_order(x0, sign, head, costs, search.scored, base)
    elif unit_costs is not None:
        raise InputError("unit_costs apply to rule='cheapest' only")
    return _Path(chosen, x0, sign, head, costs, order)


def _narrow(
    search: _Search,
    path: _Path,
    lo: float,
    hi: float,
    at_rank: int,
    at_value: float,
    grid: int,
) -> tuple[float, float, int, float]:
    """Narrow the bracket ``(lo, hi]`` where the target starts to hold down to adjacent
    doubles with batched grids: (lo, hi, rank at hi, value at hi)."""
    for _ in range(_MAX_ROUNDS):
        if math.nextafter(lo, math.inf) >= hi:
            break
        inner = np.unique(np.linspace(lo, hi, grid)[1:-1])
        inner = inner[(inner > lo) & (inner < hi)]
        if inner.size == 0:
            break
        rk, own = search.scored(path.values(inner))
        hit = search.holds(rk, own)
        if hit.any():
            j = int(np.argmax(hit))
            hi, at_rank, at_value = float(inner[j]), int(rk[j]), float(own[j])
            if j > 0:
                lo = float(inner[j - 1])
        else:
            lo = float(inner[-1])
    return lo, hi, at_rank, at_value


@attrs.frozen(eq=False, kw_only=False)
class _Answer:
    """Everything :class:`ExactGap` reports besides the effort found."""

    country: str
    codes: tuple[str, ...]
    rule: EffortRule
    index: str
    r: int | None
    v: float | None
    n: int
    current_rank: int = attrs.field(kw_only=True)
    current_value: float = attrs.field(kw_only=True)
    path: _Path = attrs.field(kw_only=True)
    ceiling: float = attrs.field(kw_only=True)
    efforts: FloatArray = attrs.field(kw_only=True)
    g_ranks: IntArray = attrs.field(kw_only=True)
    g_own: FloatArray = attrs.field(kw_only=True)
    ok: NDArray[np.bool_] = attrs.field(kw_only=True)

    def monotone(self) -> bool:
        """Whether the rank (or score) never worsens along the first grid."""
        steps = np.diff(self.ok.astype(np.int8))
        if self.r is not None:
            mono = bool(np.all(np.diff(self.g_ranks) <= 0))
        else:
            scale = max(1.0, float(np.abs(self.g_own).max()))
            mono = bool(np.all(np.diff(self.g_own) >= -1e-12 * scale))
        return mono and not (steps < 0).any()

    def result(
        self, effort: float | None, rank_at: int, value_at: float, verified: bool
    ) -> ExactGap:
        x0, codes = self.path.x0, self.codes
        new = None if effort is None else self.path.values(np.asarray([effort]))[0]
        return ExactGap(
            country=self.country,
            indicators=codes,
            rule=self.rule,
            effort_unit=_UNIT[self.rule],
            index=self.index,
            target_rank=self.r,
            target_value=self.v,
            group_size=self.n,
            current_rank=self.current_rank,
            current_value=self.current_value,
            feasible=effort is not None,
            effort=effort,
            values=None if new is None else dict(zip(codes, new.tolist(), strict=True)),
            changes=None if new is None else dict(zip(codes, (new - x0).tolist(), strict=True)),
            rank_reached=rank_at,
            value_reached=value_at,
            max_effort=self.ceiling,
            monotone=self.monotone(),
            holding=_intervals(self.efforts, self.ok),
            verified=verified,
            order=tuple(codes[j] for j in self.path.order),
            grid_efforts=self.efforts,
            grid_ranks=self.g_ranks,
            grid_values=self.g_own,
        )


def _within_mask(
    panel: Panel, within: Sequence[str] | NDArray[np.bool_] | None
) -> NDArray[np.bool_]:
    n = len(panel)
    if within is None:
        return np.ones(n, bool)
    arr = np.asarray(within)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise InputError(f"the 'within' mask needs {n} flags, got shape {arr.shape}")
        return arr.copy()
    rows = [panel.index_of(str(e)) for e in within]
    if not rows:
        raise InputError("the list of entities to rank within is empty")
    out = np.zeros(n, bool)
    out[rows] = True
    return out


def _costs(codes: Sequence[str], unit_costs: Mapping[str, float] | None) -> FloatArray:
    if unit_costs is None:
        raise InputError("rule='cheapest' needs unit_costs: indicator -> cost of one unit")
    unknown = [k for k in unit_costs if k not in codes]
    missing = [c for c in codes if c not in unit_costs]
    if unknown or missing:
        raise InputError(
            "unit_costs needs exactly the moved indicators "
            + ", ".join(codes)
            + (f"; unknown: {', '.join(map(repr, unknown))}" if unknown else "")
            + (f"; missing: {', '.join(missing)}" if missing else "")
        )
    out = np.empty(len(codes))
    for k, c in enumerate(codes):
        try:
            out[k] = float(unit_costs[c])
        except (TypeError, ValueError):
            raise InputError(
                f"unit cost of {c!r} must be a number, got {unit_costs[c]!r}"
            ) from None
        if not (math.isfinite(out[k]) and out[k] > 0):
            raise InputError(f"unit cost of {c!r} must be finite and positive, got {out[k]:g}")
    return out


def _fill_order(
    x0: FloatArray,
    sign: FloatArray,
    head: FloatArray,
    costs: FloatArray,
    scored: Callable[[FloatArray], tuple[IntArray, FloatArray]],
    base: float,
) -> tuple[int, ...]:
    """Indicators by decreasing score gain per unit cost at the current values.

    Each indicator is probed alone with a rise of 1 % of its headroom (all probes in one
    batch: probe ``j`` moves indicator ``j`` only). Indicators whose probe does not raise
    the score are left out of the order.
    """
    m = x0.size
    steps = _PROBE * head
    moved = np.repeat(x0[None], m, axis=0)
    k = np.arange(m)
    moved[k, k] = x0 + sign * steps
    _, own = scored(moved)
    gains = own - base
    safe = np.where(steps > 0, steps, 1.0)
    eff = np.where(steps > 0, gains / (costs * safe), -np.inf)
    return tuple(int(j) for j in np.argsort(-eff, kind="stable") if eff[j] > 0)


def _check(
    sc: _Scorer,
    panel: Panel,
    path: _Path,
    i: int,
    cols: Sequence[int],
    others: NDArray[np.bool_],
    holds: Callable[[IntArray, FloatArray], NDArray[np.bool_]],
    effort: float,
    below: float | None,
) -> bool:
    """Re-score through the ordinary path: the target holds at ``effort``, not at ``below``."""

    def at(e: float) -> bool:
        data = np.array(panel.values, dtype=np.float64)
        data[i, cols] = path.values(np.asarray([e]))[0]
        s = np.asarray(sc.single(panel.with_values(data)), np.float64)
        rank = np.asarray([1 + np.count_nonzero(s[others] > s[i])], np.int64)
        return bool(holds(rank, np.asarray([s[i]]))[0])

    return at(effort) and (below is None or not at(below))


def _intervals(efforts: FloatArray, ok: NDArray[np.bool_]) -> tuple[tuple[float, float], ...]:
    """Runs of grid efforts where the target holds, as (first, last) pairs."""
    flags = np.concatenate(([False], ok, [False])).astype(np.int8)
    starts = np.flatnonzero(np.diff(flags) == 1)
    ends = np.flatnonzero(np.diff(flags) == -1) - 1
    return tuple((float(efforts[a]), float(efforts[b])) for a, b in zip(starts, ends, strict=True))
