"""Monte Carlo chunks: the engine's kernel run over a chunk of replications.

:func:`evaluate_chunk` runs the compiled problem (:mod:`egovindex.uncertainty.plan`) by
the kernel every evaluation uses (:mod:`egovindex.engine.kernel`), then takes the target
score of each replication with its failure flags.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from egovindex.arrays import device_of
from egovindex.engine.kernel import run_replications
from egovindex.errors import InputError
from egovindex.uncertainty.plan import NON_FINITE, Plan

__all__ = ["Outcome", "evaluate_chunk"]


@attrs.frozen(eq=False)
class Outcome:
    """Target scores ``(B, n_entities)`` and failure flags ``cause -> (B,)`` of a chunk."""

    scores: Any
    flags: Mapping[str, Any]


def evaluate_chunk(plan: Plan, x: Any, draws: Sequence[Any] | None, size: int, xp: Any) -> Outcome:
    """Evaluate ``size`` replications given their factor draws (``None``: the nominal index).

    Parameters
    ----------
    plan
        The compiled problem.
    x
        Raw data ``(n_entities, n_indicators)`` in namespace ``xp``.
    draws
        One array per factor (see :mod:`egovindex.uncertainty.sampling`), on the
        device of ``x``; ``None`` evaluates the nominal index (``size`` must be 1).
    size
        Number of replications.
    xp
        The array namespace.
    """
    scores, flags = run_replications(plan, x, draws, size, xp, plan.problem.target)
    if any(plan.zero_mask):
        mask = xp.asarray(np.asarray(plan.zero_mask), device=device_of(x))
        scores = xp.where(mask, 0.0, scores)
    unlisted = [c for c in flags if c not in plan.causes]
    if unlisted:
        raise InputError(
            f"a normaliser recorded the failure cause {unlisted[0]!r}, which its causes() "
            "does not list; list every cause its fit may record"
        )
    ranked = xp.asarray(np.asarray(plan.ranked, dtype=np.int64), device=device_of(x))
    bad = xp.logical_not(xp.all(xp.isfinite(xp.take(scores, ranked, axis=1)), axis=1))
    flags[NON_FINITE] = bad if NON_FINITE not in flags else xp.logical_or(flags[NON_FINITE], bad)
    return Outcome(scores, flags)
