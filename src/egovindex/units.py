"""The one pint unit registry of egovindex and the canonical units of indicators.

Units enter at the edge (:meth:`egovindex.panel.Panel.from_quantities`); inside the
core every value is a plain float64 in its indicator's canonical unit.

Building a pint registry takes a noticeable fraction of a second, so it is built on
first use: the units egovindex itself declares are recognised by name
(:data:`KNOWN_UNITS`) without it, and ``import egovindex`` never imports pint.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from egovindex.errors import UnitError

if TYPE_CHECKING:
    import pint

__all__ = ["KNOWN_UNITS", "check_unit", "registry", "to_canonical"]

KNOWN_UNITS: frozenset[str] = frozenset(
    {"", "dimensionless", "percent", "per_100", "points", "years", "year", "count"}
)
"""Unit names accepted without building the registry (each is a unit of :func:`registry`;
a test checks that)."""


@cache
def registry() -> pint.UnitRegistry[Any]:
    """Return the shared unit registry, with the units of e-government statistics.

    ``per_100`` (per 100 inhabitants, the ITU convention) and ``percent`` are both
    dimensionless shares; ``points`` counts questionnaire points; ``years`` is time.
    """
    import pint

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry()
    ureg.define("per_100 = 0.01 = per100 = per_hundred_inhabitants")
    ureg.define("points = [] = pts")
    return ureg


def check_unit(unit: str) -> None:
    """Raise :class:`~egovindex.errors.UnitError` unless pint understands ``unit``."""
    if unit in KNOWN_UNITS:
        return
    import pint

    try:
        registry()(unit)
    except (pint.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError) as exc:
        raise UnitError(f"unknown unit {unit!r}: {exc}") from None


def to_canonical(quantity: pint.Quantity[Any], unit: str) -> object:
    """Convert ``quantity`` to ``unit``; raise :class:`pint.DimensionalityError` on a mismatch."""
    return quantity.to(registry()(unit).units).magnitude
