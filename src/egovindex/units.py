"""The one pint unit registry of egovindex and the canonical units of indicators.

Units enter at the edge (:meth:`egovindex.panel.Panel.from_quantities`); inside the
core every value is a plain float64 in its indicator's canonical unit.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pint

__all__ = ["registry", "to_canonical"]


@cache
def registry() -> pint.UnitRegistry[Any]:
    """Return the shared unit registry, with the units of e-government statistics.

    ``per_100`` (per 100 inhabitants, the ITU convention) and ``percent`` are both
    dimensionless shares; ``points`` counts questionnaire points; ``years`` is time.
    """
    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry()
    ureg.define("per_100 = 0.01 = per100 = per_hundred_inhabitants")
    ureg.define("points = [] = pts")
    return ureg


def to_canonical(quantity: pint.Quantity[Any], unit: str) -> object:
    """Convert ``quantity`` to ``unit``; raise :class:`pint.DimensionalityError` on a mismatch."""
    return quantity.to(registry()(unit).units).magnitude
