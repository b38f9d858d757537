"""Regions, sub-regions and groupings of countries (UN M49, as used by the Survey).

Every country's region and sub-region come from one lookup table
(``un_egov_country_regions.csv``, UNU-EGOV/datasets, M49-consistent; methodology A.8.2),
never from an edition file: the five regions hold Africa 54, Americas 35, Asia 47,
Europe 43 and Oceania 14 countries, in 22 M49 sub-regions.

Two groupings are added (methodology A.8.2):

- ``"ASEAN"``: South-eastern Asia minus Timor-Leste, i.e. the ten ASEAN members during
  the 2003-2024 editions (Timor-Leste was not a member then). Revisit for later editions.
- ``"World"``: every country of the edition.

Group names are matched ignoring case, accents, punctuation and spaces
(``"south-eastern asia"``, ``"SOUTH EASTERN ASIA"``); ``"Southeast Asia"`` is accepted
for the M49 "South-eastern Asia". Note that ``"Micronesia"`` here is the M49 sub-region
(five countries), not the Federated States of Micronesia.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from egovindex.datasets._tables import region_table
from egovindex.datasets.names import name_key
from egovindex.errors import UnknownCountryError, UnknownRegionError

__all__ = [
    "ASEAN",
    "ASEAN_EXCLUDED",
    "GROUPINGS",
    "REGIONS",
    "SUB_REGIONS",
    "WORLD",
    "group_mask",
    "regions_of",
    "resolve_group",
    "valid_groups",
]

REGIONS: tuple[str, ...] = ("Africa", "Americas", "Asia", "Europe", "Oceania")
"""The five UN M49 regions used by the Survey (methodology A.8.2)."""

SUB_REGIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "Africa": (
            "Eastern Africa",
            "Middle Africa",
            "Northern Africa",
            "Southern Africa",
            "Western Africa",
        ),
        "Americas": ("Caribbean", "Central America", "North America", "South America"),
        "Asia": (
            "Central Asia",
            "Eastern Asia",
            "South-eastern Asia",
            "Southern Asia",
            "Western Asia",
        ),
        "Europe": ("Eastern Europe", "Northern Europe", "Southern Europe", "Western Europe"),
        "Oceania": ("Australia and New Zealand", "Melanesia", "Micronesia", "Polynesia"),
    }
)
"""The 22 M49 sub-regions of each region, as named in the lookup table."""

ASEAN = "ASEAN"
WORLD = "World"
GROUPINGS: tuple[str, ...] = (ASEAN, WORLD)
"""Groupings that are neither an M49 region nor a sub-region."""

ASEAN_EXCLUDED: tuple[str, ...] = ("TLS",)
"""South-eastern Asian countries outside ASEAN in the 2003-2024 editions (methodology A.8.2)."""

_ASEAN_SUB_REGION = "South-eastern Asia"
_EXTRA_SPELLINGS = {"Southeast Asia": "South-eastern Asia"}


def valid_groups() -> tuple[str, ...]:
    """Return every accepted group name: regions, sub-regions, then groupings."""
    subs = tuple(s for region in REGIONS for s in SUB_REGIONS[region])
    return REGIONS + subs + GROUPINGS


def _lookup() -> dict[str, str]:
    table = {name_key(name): name for name in valid_groups()}
    table.update({name_key(k): v for k, v in _EXTRA_SPELLINGS.items()})
    return table


_BY_KEY = _lookup()


def resolve_group(name: str) -> str:
    """Return the canonical spelling of a region, sub-region or grouping name.

    Raises
    ------
    UnknownRegionError
        Not a known name; the message lists every valid name, nearest first.
    """
    key = name_key(name)
    if key in _BY_KEY:
        return _BY_KEY[key]
    choices = valid_groups()
    ordered = sorted(
        choices, key=lambda c: -difflib.SequenceMatcher(None, key, name_key(c)).ratio()
    )
    raise UnknownRegionError(
        f"unknown region {name!r}; valid regions, sub-regions and groups (nearest first): "
        + ", ".join(ordered)
    )


def group_mask(
    name: str,
    countries: Sequence[str],
    regions: Sequence[str],
    sub_regions: Sequence[str],
) -> NDArray[np.bool_]:
    """Return the boolean mask of the countries that belong to group ``name``.

    Parameters
    ----------
    name
        A region, an M49 sub-region, ``"ASEAN"`` or ``"World"`` (see :func:`resolve_group`).
    countries, regions, sub_regions
        ISO3 codes and each country's region and sub-region, aligned.

    Raises
    ------
    UnknownRegionError
        ``name`` is not a known group.
    """
    group = resolve_group(name)
    if group == WORLD:
        return np.ones(len(countries), dtype=bool)
    if group == ASEAN:
        in_sub: NDArray[np.bool_] = np.asarray(sub_regions) == _ASEAN_SUB_REGION
        return in_sub & ~np.isin(np.asarray(countries), ASEAN_EXCLUDED)
    column = regions if group in REGIONS else sub_regions
    mask: NDArray[np.bool_] = np.asarray(column) == group
    return mask


def regions_of(countries: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the M49 regions and sub-regions of ISO3 codes, aligned with ``countries``.

    Use it to summarise scores computed from raw indicators, which carry no regions:
    ``summarise(scores, regions=regions_of(codes)[0], sub_regions=regions_of(codes)[1])``.

    Raises
    ------
    UnknownCountryError
        A code is not one of the 193 UN Member States of the lookup table.
    """
    table = region_table()
    unknown = [c for c in countries if c not in table]
    if unknown:
        raise UnknownCountryError(
            f"no M49 region for {', '.join(map(repr, unknown[:5]))}"
            + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
            + "; expected ISO3 codes of UN Member States"
        )
    return tuple(table[c][0] for c in countries), tuple(table[c][1] for c in countries)
