"""Optional compiled tally of ranks and level groups (numba), beside the NumPy path.

The tally is the step of a Monte Carlo run that ranks every entity again in every
replication. The NumPy path (:func:`egovindex.uncertainty.ranks.tally_numpy`) sorts each
row of a chunk from scratch; it is always available and is the reference. Where
`numba <https://numba.pydata.org>`_ is installed (an optional accelerator; no part of the
library needs it), :func:`tally_compiled` gives the same counts faster by using what
consecutive replications share: their orders are nearly the same.

- The rows of a chunk are visited in order of their mean score. A tally does not depend
  on the order of its rows, and rows with close means (the same aggregation choice,
  similar weights) have close orders.
- Each row is then sorted by insertion, starting from the previous row's order, so a row
  costs ``O(n + inversions)`` instead of ``O(n log n)``. A row that would need more than
  ``n * ceil(log2 n)`` moves is sorted from scratch instead, so no input can make a row
  cost more than a full sort and that budget.
- Competition ranks (``1 + the number of entities with a strictly higher score``) and
  level groups are counted in the same pass.

Select the path with ``accelerator=`` (:data:`ACCELERATORS`) on
:func:`egovindex.uncertainty.monte_carlo`: ``"auto"`` (numba where installed),
``"numpy"`` or ``"numba"``.
"""

from __future__ import annotations

import functools
import importlib.util
import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from egovindex.errors import InputError, MissingDependencyError

__all__ = ["ACCELERATORS", "Accelerator", "numba_available", "resolve", "tally_compiled"]

Accelerator = Literal["auto", "numpy", "numba"]
ACCELERATORS: tuple[str, ...] = ("auto", "numpy", "numba")

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@functools.cache
def numba_available() -> bool:
    """Whether numba can be imported (looked up once, without importing it)."""
    return importlib.util.find_spec("numba") is not None


def resolve(accelerator: str) -> Literal["numpy", "numba"]:
    """The tally path that ``accelerator`` selects here.

    Raises
    ------
    InputError
        ``accelerator`` is not one of :data:`ACCELERATORS`.
    MissingDependencyError
        ``"numba"`` was asked for and numba is not installed.
    """
    if accelerator not in ACCELERATORS:
        raise InputError(
            f"unknown accelerator {accelerator!r}; choose one of {', '.join(ACCELERATORS)}"
        )
    if accelerator == "numpy":
        return "numpy"
    if numba_available():
        return "numba"
    if accelerator == "numba":
        raise MissingDependencyError(
            "accelerator='numba' needs numba (pip install numba); "
            "accelerator='numpy' or 'auto' run without it"
        )
    return "numpy"


def _kernel_source(
    scores: FloatArray,
    order: IntArray,
    floors: FloatArray,
    upper_inclusive: bool,
    rank_counts: IntArray,
    level_counts: IntArray,
) -> None:
    """Tally rows ``scores[order]`` into ``rank_counts`` and ``level_counts`` (in place).

    Plain Python over NumPy scalars: numba compiles it; the tests also run it as it is
    on small inputs, so the algorithm is checked without numba.
    """
    b, n = scores.shape
    g = floors.shape[0]
    budget = n * max(1, math.ceil(math.log2(max(n, 2))))
    perm = np.argsort(-scores[order[0]], kind="mergesort")
    vals = np.empty(n, dtype=np.float64)
    for t in range(b):
        row = scores[order[t]]
        for i in range(n):  # this row's scores in the previous row's order
            vals[i] = row[perm[i]]
        moves = 0
        for i in range(1, n):  # insertion sort, descending, carrying the entities along
            k = perm[i]
            v = vals[i]
            j = i - 1
            while j >= 0 and vals[j] < v:
                vals[j + 1] = vals[j]
                perm[j + 1] = perm[j]
                j -= 1
            moves += i - 1 - j
            vals[j + 1] = v
            perm[j + 1] = k
            if moves > budget:
                break
        if moves > budget:  # far from the previous order: sort this row from scratch
            perm = np.argsort(-row, kind="mergesort")
            for i in range(n):
                vals[i] = row[perm[i]]
        rank = 1
        level = 0  # scores fall along the sorted row, so the level group only rises
        for p in range(n):
            v = vals[p]
            if p > 0 and v != vals[p - 1]:  # a new, lower score
                rank = p + 1
            while level < g and not (
                (v > floors[level]) if upper_inclusive else (v >= floors[level])
            ):
                level += 1
            e = perm[p]
            rank_counts[e, rank - 1] += 1
            level_counts[e, level] += 1


@functools.cache
def _compiled() -> Callable[..., None]:
    import numba  # optional accelerator, imported only when selected

    try:  # cached on disk beside the module or in the user's cache folder
        kernel: Callable[..., None] = numba.njit(nogil=True, cache=True)(_kernel_source)
    except RuntimeError:  # no writable cache location: compile in memory each session
        kernel = numba.njit(nogil=True)(_kernel_source)
    return kernel


def tally_compiled(
    scores: FloatArray,
    floors: tuple[float, ...],
    upper_inclusive: bool,
    *,
    kernel: Callable[..., Any] | None = None,
) -> tuple[IntArray, IntArray]:
    """Rank counts ``(n, n)`` and level counts ``(n, len(floors) + 1)`` of ``scores``.

    Parameters
    ----------
    scores
        ``(B, n)`` finite scores of the valid replications.
    floors
        Decreasing floors of the level groups (may be empty: one group).
    upper_inclusive
        Whether a score equal to a floor falls in the group below it.
    kernel
        The tally kernel; default the numba-compiled one. (The tests pass the plain
        Python source to check the algorithm without numba.)

    Returns
    -------
    tuple of numpy.ndarray
        ``[e, r]``: rows in which entity ``e`` had competition rank ``r + 1``;
        ``[e, g]``: rows in which entity ``e`` fell in level group ``g`` (0 = best).
        Equal to :func:`egovindex.uncertainty.ranks.tally_numpy` and
        :func:`egovindex.uncertainty.ranks.level_index` counts.
    """
    s = np.ascontiguousarray(scores, dtype=np.float64)
    b, n = s.shape
    rank_counts = np.zeros((n, n), np.int64)
    level_counts = np.zeros((n, len(floors) + 1), np.int64)
    if b == 0:
        return rank_counts, level_counts
    # rows with close means have close orders; the tally does not depend on row order
    order = np.argsort(s.sum(axis=1), kind="stable").astype(np.int64)
    run = kernel if kernel is not None else _compiled()
    run(s, order, np.asarray(floors, np.float64), bool(upper_inclusive), rank_counts, level_counts)
    return rank_counts, level_counts
