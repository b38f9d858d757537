"""Competition ranks of many rows at once, and their tallies.

Every replication ranks all entities again. Ranks follow the UN rule
(:func:`egovindex.ranking.rank`, ``"competition"``): ``1 + the number of entities
with a strictly higher score``; equal scores share a rank exactly.

Two implementations give identical results:

- :func:`ranks_generic` uses only the array API standard (pairwise comparisons,
  ``O(n^2)`` per row, which suits GPUs and any array library);
- the NumPy path (:func:`tally_numpy`, :func:`ranks_numpy`) sorts each row once. It
  packs each score's order-preserving 64-bit integer image with the entity's position in
  the low bits, so a single ``np.sort`` of integers gives both order and identity. Two
  scores whose images agree above those bits are checked against the exact scores: a true
  tie shares its rank; the (extremely rare) row with a near tie is ranked exactly by a
  stable argsort instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["level_index", "ranks_generic", "ranks_numpy", "tally_generic", "tally_numpy"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

_SIGN_OFF = np.int64(0x7FFF_FFFF_FFFF_FFFF)


def _packed(scores: FloatArray) -> tuple[IntArray, int]:
    """Sorted packed keys (best first) of each row, and the number of index bits."""
    n = scores.shape[-1]
    bits = max(1, (n - 1).bit_length())
    # -s + 0.0 turns -0.0 into +0.0, so equal scores have equal bit patterns.
    neg = np.negative(scores)
    neg += 0.0
    b = neg.view(np.int64)
    key = b ^ ((b >> 63) & _SIGN_OFF)  # order-preserving image of a float64
    key &= np.int64(~((1 << bits) - 1))
    key |= np.arange(n, dtype=np.int64)
    key.sort(axis=-1)
    return key, bits


def _rank_sorted(key: IntArray, scores: FloatArray, bits: int) -> tuple[IntArray, IntArray]:
    """Entity and competition rank at each sorted position; exact for every row."""
    n = key.shape[-1]
    mask = np.int64((1 << bits) - 1)
    entity = key & mask
    hi = key >> bits
    same = hi[:, 1:] == hi[:, :-1]
    pos = np.broadcast_to(np.arange(1, n + 1, dtype=np.int64), key.shape)
    if not same.any():
        return entity, pos
    rows, cols = np.nonzero(same)
    a = scores[rows, entity[rows, cols]]
    b = scores[rows, entity[rows, cols + 1]]
    inexact = np.unique(rows[a != b])
    # only rows with a tie need the running maximum that gives tied entities one rank
    tied = np.unique(rows)
    rank = np.array(pos)
    new = np.concatenate([np.ones((tied.size, 1), bool), ~same[tied]], axis=1)
    rank[tied] = np.maximum.accumulate(np.where(new, pos[: tied.size], 0), axis=1)
    if inexact.size:
        sub = scores[inexact]
        order = np.argsort(-sub, axis=-1, kind="stable")
        srt = np.take_along_axis(sub, order, axis=-1)
        tie = np.concatenate([np.zeros((sub.shape[0], 1), bool), srt[:, 1:] == srt[:, :-1]], 1)
        rank[inexact] = np.maximum.accumulate(np.where(tie, 0, pos[: sub.shape[0]]), axis=1)
        entity[inexact] = order
    return entity, rank


def ranks_numpy(scores: FloatArray) -> IntArray:
    """Competition ranks (1 = highest score) of every row of ``scores`` ``(B, n)``."""
    s = np.ascontiguousarray(scores, dtype=np.float64)
    key, bits = _packed(s)
    entity, rank = _rank_sorted(key, s, bits)
    out = np.empty_like(rank)
    np.put_along_axis(out, entity, rank, axis=-1)
    return out


def tally_numpy(scores: FloatArray) -> IntArray:
    """Counts ``[e, r]`` of rows in which entity ``e`` has rank ``r + 1``; ``(n, n)``."""
    s = np.ascontiguousarray(scores, dtype=np.float64)
    n = s.shape[-1]
    if s.shape[0] == 0:
        return np.zeros((n, n), dtype=np.int64)
    key, bits = _packed(s)
    entity, rank = _rank_sorted(key, s, bits)
    entity *= n
    entity += rank
    flat = entity - 1
    return np.bincount(flat.ravel(), minlength=n * n).reshape(n, n).astype(np.int64)


def ranks_generic(scores: Any, xp: Any) -> Any:
    """Competition ranks by pairwise comparison, in namespace ``xp``; ``(B, n)`` int64."""
    higher = scores[:, None, :] > scores[:, :, None]
    return 1 + xp.sum(xp.astype(higher, xp.int64), axis=-1)


def tally_generic(scores: Any, weight: Any, xp: Any, *, max_elements: int = 1 << 22) -> Any:
    """Rank counts ``(n, n)`` of the rows with ``weight`` 1, in namespace ``xp``.

    Rows are processed in slices of at most ``max_elements`` pairwise comparisons so
    memory stays bounded.
    """
    b, n = scores.shape
    step = max(1, max_elements // max(1, n * n))
    levels = xp.arange(1, n + 1, dtype=xp.int64, device=_device(scores))
    total = xp.zeros((n, n), dtype=xp.int64, device=_device(scores))
    for lo in range(0, b, step):
        hi = min(lo + step, b)
        r = ranks_generic(scores[lo:hi, :], xp)
        onehot = xp.astype(r[:, :, None] == levels[None, None, :], xp.int64)
        w = xp.reshape(weight[lo:hi], (-1, 1, 1))
        total = total + xp.sum(onehot * w, axis=0)
    return total


def level_index(scores: Any, floors: tuple[float, ...], upper_inclusive: bool, xp: Any) -> Any:
    """Index of each score's level group (0 = best) given decreasing ``floors``."""
    reached = xp.zeros(scores.shape, dtype=xp.int64, device=_device(scores))
    for f in floors:
        above = scores > f if upper_inclusive else scores >= f
        reached = reached + xp.astype(above, xp.int64)
    return len(floors) - reached


def _device(x: Any) -> Any:
    from egovindex.arrays import device_of

    return device_of(x)
