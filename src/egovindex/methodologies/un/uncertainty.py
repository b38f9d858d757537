"""The Monte Carlo problem of an edition's EGDI on a Survey's published components.

:meth:`Methodology.uncertainty_problem
<egovindex.methodologies.un.methodology.Methodology.uncertainty_problem>` builds it; the
``egovindex uncertainty`` command, the benchmarks and the figures call that method. The
tree is the top level of :attr:`Methodology.tree
<egovindex.methodologies.un.methodology.Methodology.tree>` (edition weights and zero rule,
methodology A.1.1) over the published OSI, TII and HCI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np
from numpy.typing import ArrayLike

from egovindex.composite import Leaf, Node
from egovindex.errors import InputError

if TYPE_CHECKING:
    from egovindex.uncertainty import Problem

__all__ = ["AggregationOptions", "PublishedComponents", "egdi_problem"]

AggregationOptions = Literal["both", "arithmetic", "geometric"]
"""The aggregations drawn with equal probability: both, or one of them."""


class PublishedComponents(Protocol):
    """What :func:`egdi_problem` reads from a published edition (a ``Survey``)."""

    @property
    def year(self) -> int:
        """Survey year."""

    @property
    def countries(self) -> tuple[str, ...]:
        """ISO3 codes, aligned with the indices."""

    def index(self, name: str) -> ArrayLike:
        """The published values of index ``name`` (``osi``, ``tii``, ``hci``)."""

    def members(self, within: str | Sequence[str] | None = None) -> tuple[str, ...]:
        """ISO3 codes of a region, group or list."""


def egdi_problem(
    top: Node,
    survey: PublishedComponents,
    *,
    within: str | Sequence[str] | None = None,
    concentration: float = 100.0,
    noise: float | None = 0.02,
    aggregation: AggregationOptions = "both",
    zeros: Literal["fail", "zero", "floor"] = "zero",
) -> Problem:
    """The uncertainty problem of the node ``top`` over the published components of ``survey``.

    ``top`` is an edition's EGDI node (children ``osi``, ``tii``, ``hci``); only its own step
    is kept (its weights and ``zero_if_zero`` rule), over leaves reading the published
    components. See :meth:`Methodology.uncertainty_problem
    <egovindex.methodologies.un.methodology.Methodology.uncertainty_problem>`.
    """
    from egovindex.uncertainty import (
        EGDI_LEVELS,
        AggregationChoice,
        DirichletWeights,
        Factor,
        IndicatorNoise,
        Problem,
    )

    if aggregation not in ("both", "arithmetic", "geometric"):
        raise InputError(
            f"unknown aggregation {aggregation!r}; choose 'both', 'arithmetic' or 'geometric'"
        )
    codes = tuple(c.name for c in top.children)
    tree = Node(top.name, [Leaf(c) for c in codes], top.weights, zero_if_zero=top.zero_if_zero)
    data = np.stack([np.asarray(survey.index(c), dtype=np.float64) for c in codes], axis=1)
    options: tuple[str, ...] = (
        ("arithmetic", "geometric") if aggregation == "both" else (aggregation,)
    )
    factors: list[Factor] = [
        DirichletWeights(top.name, concentration),
        AggregationChoice(options, zeros=zeros),  # type: ignore[arg-type]
    ]
    if noise is not None:
        factors.append(IndicatorNoise(relative=noise, clip=(0.0, 1.0)))
    return Problem(
        tree,
        data,
        codes,
        survey.countries,
        factors,
        within=None if within is None else survey.members(within),
        levels=EGDI_LEVELS,
        zero_if_zero=top.zero_if_zero,
    )
