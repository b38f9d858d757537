"""What a run of replications adds up to: :class:`Tally`, and the nominal index it is read against.

A :class:`Tally` holds integer counts (ranks, level groups, failures by cause) that add
with ``+``, so a run's result does not depend on how its replications are cut into
chunks, threads or cluster tasks. :class:`Nominal` is the index at the nominal factors.
Both are produced by :mod:`egovindex.uncertainty.montecarlo` and read by
:mod:`egovindex.uncertainty.summary`; they live here so neither of those imports the other's
types back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from egovindex.uncertainty.plan import Plan

__all__ = ["Nominal", "Tally"]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@attrs.frozen(eq=False)
class Tally:
    """Additive counts from a set of replications (sum two with ``+``).

    Attributes
    ----------
    replications
        Replications run.
    valid
        Replications that did not fail.
    failures
        Failed replications per cause, aligned with the plan's causes. A replication
        failing for several causes is counted once, under the first in the plan's order
        (leaves before nodes, children before parents: where the failure began), so the
        failures add up to ``replications - valid``.
    rank_counts
        ``[e, r]``: valid replications in which ranked entity ``e`` had rank ``r + 1``.
    level_counts
        ``[e, g]``: valid replications in which entity ``e`` fell in level group ``g``.
    """

    replications: int
    valid: int
    failures: tuple[int, ...]
    rank_counts: IntArray
    level_counts: IntArray

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.replications + other.replications,
            self.valid + other.valid,
            tuple(a + b for a, b in zip(self.failures, other.failures, strict=True)),
            self.rank_counts + other.rank_counts,
            self.level_counts + other.level_counts,
        )

    @classmethod
    def empty(cls, plan: Plan) -> Tally:
        """No replications yet."""
        m = plan.n_ranked
        g = 0 if plan.problem.levels is None else len(plan.problem.levels.labels)
        return cls(
            0,
            0,
            tuple(0 for _ in plan.causes),
            np.zeros((m, m), np.int64),
            np.zeros((m, g), np.int64),
        )

    def pack(self) -> IntArray:
        """Everything as one flat int64 vector (for transport between processes)."""
        head = np.asarray([self.replications, self.valid, *self.failures], dtype=np.int64)
        return np.concatenate([head, self.rank_counts.ravel(), self.level_counts.ravel()])

    @classmethod
    def unpack(cls, vector: IntArray, plan: Plan) -> Tally:
        """Inverse of :meth:`pack`."""
        v = np.asarray(vector, dtype=np.int64)
        m = plan.n_ranked
        g = 0 if plan.problem.levels is None else len(plan.problem.levels.labels)
        c = len(plan.causes)
        head, rest = v[: 2 + c], v[2 + c :]
        return cls(
            int(head[0]),
            int(head[1]),
            tuple(int(x) for x in head[2:]),
            rest[: m * m].reshape(m, m).copy(),
            rest[m * m :].reshape(m, g).copy(),
        )

    @staticmethod
    def packed_size(plan: Plan) -> int:
        """Length of :meth:`pack`'s vector for ``plan``."""
        m = plan.n_ranked
        g = 0 if plan.problem.levels is None else len(plan.problem.levels.labels)
        return 2 + len(plan.causes) + m * m + m * g


@attrs.frozen(eq=False)
class Nominal:
    """The index at the nominal factors: scores, ranks and level groups of the ranked."""

    scores: FloatArray
    ranks: IntArray
    levels: IntArray | None
