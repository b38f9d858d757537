"""Country names, codes and aliases: resolve what a user types to an ISO3 code.

A country is found by its ISO 3166-1 alpha-3 code or by a name, ignoring case, accents
(Unicode NFKD, combining marks dropped), punctuation and spaces: ``"VNM"``, ``"vnm"``,
``"Viet Nam"``, ``"Vietnam"`` and ``"VIỆT NAM"`` are one country. Names are the UN Data
Center's current names (used by the export in every edition, see ``SOURCES.md``), the
UNU-EGOV short names, the aliases in :data:`ALIASES` (older UN names such as "Swaziland"
or "The former Yugoslav Republic of Macedonia", and everyday names such as "Turkey",
"South Korea", "Ivory Coast", "Holland"), and ISO-style inverted names
("Korea, Republic of"). An unknown key raises :class:`~egovindex.errors.UnknownCountryError`
listing the nearest known names.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from egovindex.datasets._tables import read_table
from egovindex.errors import InputError, UnknownCountryError, did_you_mean

__all__ = ["ALIASES", "NameIndex", "country_index", "name_key", "resolve_country"]

ALIASES: Mapping[str, str] = MappingProxyType(
    {
        # Everyday and former names -> ISO3. Official UN names need no entry.
        "Vietnam": "VNM",
        "Turkey": "TUR",
        "Czechia": "CZE",
        "Swaziland": "SWZ",
        "Macedonia": "MKD",
        "FYR Macedonia": "MKD",
        "The former Yugoslav Republic of Macedonia": "MKD",
        "South Korea": "KOR",
        "Korea": "KOR",
        "Korea, Rep.": "KOR",
        "North Korea": "PRK",
        "DPR Korea": "PRK",
        "DPRK": "PRK",
        "Korea, Dem. People's Rep.": "PRK",
        "Russia": "RUS",
        "Iran": "IRN",
        "Syria": "SYR",
        "Laos": "LAO",
        "Lao PDR": "LAO",
        "Bolivia (Plurinational State of)": "BOL",
        "Venezuela (Bolivarian Republic of)": "VEN",
        "Tanzania": "TZA",
        "Moldova": "MDA",
        "UK": "GBR",
        "United Kingdom": "GBR",
        "Great Britain": "GBR",
        "Britain": "GBR",
        "USA": "USA",
        "US": "USA",
        "United States": "USA",
        "America": "USA",
        "Ivory Coast": "CIV",
        "Cape Verde": "CPV",
        "Burma": "MMR",
        "East Timor": "TLS",
        "Micronesia": "FSM",
        "Federated States of Micronesia": "FSM",
        "Brunei": "BRN",
        "Holland": "NLD",
        "The Netherlands": "NLD",
        "Georgia": "GEO",
        "The Gambia": "GMB",
        "Sao Tome": "STP",
        "DR Congo": "COD",
        "DRC": "COD",
        "Congo, Dem. Rep.": "COD",
        "Congo-Kinshasa": "COD",
        "Republic of the Congo": "COG",
        "Congo-Brazzaville": "COG",
        "Congo, Rep.": "COG",
        "UAE": "ARE",
        "Emirates": "ARE",
        "CAR": "CAF",
        "Kyrgyz Republic": "KGZ",
        "Slovak Republic": "SVK",
        "Libyan Arab Jamahiriya": "LBY",
        "Egypt, Arab Rep.": "EGY",
        "St Kitts": "KNA",
        "St Vincent": "VCT",
        "Bosnia": "BIH",
        "Trinidad": "TTO",
        "Antigua": "ATG",
        "PNG": "PNG",
        # The 2003-2005 Serbia row is the then "Serbia and Montenegro" entry (SOURCES.md).
        "Serbia and Montenegro": "SRB",
    }
)


_INVERTED = re.compile(r"^([^,]+),\s*([^,]+)$")


def name_key(text: str) -> str:
    """Return the comparison key of a name or code: accents, case, punctuation, spaces dropped.

    Also drops a leading "the" and reads "St"/"St." as "Saint", so that "The Gambia" is
    "Gambia" and "St Lucia" is "Saint Lucia".

    Examples
    --------
    >>> name_key("Côte d'Ivoire") == name_key("cote divoire")
    True
    >>> name_key("Viet Nam") == name_key("VIETNAM")
    True
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"['’.]", "", plain).replace("&", " and ")
    words = re.findall(r"[^\W_]+", plain)
    if words and words[0] == "the":
        words = words[1:]
    return "".join("saint" if w == "st" else w for w in words)


def _candidates(text: str) -> list[str]:
    """Keys to try for ``text``: as typed, then an ISO-style inverted "Name, Qualifier"."""
    keys = [name_key(text)]
    inverted = _INVERTED.match(text.strip())
    if inverted:
        keys.append(name_key(f"{inverted.group(2)} {inverted.group(1)}"))
    return keys


def _frozen_map(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


@attrs.frozen
class NameIndex:
    """Lookup from name keys (see :func:`name_key`) to ISO3 codes.

    Attributes
    ----------
    keys
        ``{name_key: iso3}`` for every code, name and alias.
    names
        ``{iso3: display name}`` (the UN Data Center name), used in messages.
    """

    keys: Mapping[str, str] = attrs.field(converter=_frozen_map)
    names: Mapping[str, str] = attrs.field(converter=_frozen_map)

    @classmethod
    def build(cls, entries: Iterable[tuple[str, Iterable[str]]]) -> NameIndex:
        """Build an index from ``(iso3, names)`` pairs; the first name is the display name.

        Raises
        ------
        InputError
            Two countries share a code, name or alias (after :func:`name_key`).
        """
        keys: dict[str, str] = {}
        names: dict[str, str] = {}
        for iso3, spellings in entries:
            spellings = list(spellings)
            names.setdefault(iso3, spellings[0] if spellings else iso3)
            for spelling in (iso3, *spellings):
                key = name_key(spelling)
                if keys.setdefault(key, iso3) != iso3:
                    raise InputError(
                        f"the name {spelling!r} would stand for both {keys[key]} and {iso3}"
                    )
        return cls(keys=keys, names=names)

    def resolve(self, key: str) -> str:
        """Return the ISO3 code of ``key`` (an ISO3 code or a name).

        Raises
        ------
        UnknownCountryError
            No country has that code, name or alias; the message lists the nearest names.
        """
        key = str(key)
        for candidate in _candidates(key):
            if candidate in self.keys:
                return self.keys[candidate]
        raise UnknownCountryError(f"unknown country {key!r}; {self.suggest(key)}")

    def suggest(self, key: str, n: int = 3) -> str:
        """Return a "did you mean" phrase naming up to ``n`` countries nearest to ``key``."""
        hint = did_you_mean(name_key(key), self.keys, n, cutoff=0.6, show=self._shown, lead="")
        return hint or "give an ISO3 code (e.g. 'VNM') or a country name (e.g. 'Viet Nam')"

    def _shown(self, key: str) -> str:
        iso3 = self.keys[key]
        return f"{self.names[iso3]} ({iso3})"


@functools.cache
def country_index() -> NameIndex:
    """Return the index of every country of the embedded Surveys (193 UN member states)."""
    by_code: dict[str, list[str]] = {}
    for row in read_table("un_egov_country_regions.csv"):
        by_code[row["iso3"]] = [row["country_un_egov_2024"], row["country_unu"]]
    for alias, iso3 in ALIASES.items():
        by_code[iso3].append(alias)
    return NameIndex.build(by_code.items())


def resolve_country(key: str) -> str:
    """Return the ISO3 code of a country given by ISO3 code or name (case/accent-insensitive).

    Parameters
    ----------
    key
        ``"VNM"``, ``"Viet Nam"``, ``"vietnam"``, ``"Türkiye"``, ``"Turkey"``, ...

    Raises
    ------
    UnknownCountryError
        Not a known code, name or alias; the message lists the nearest names.
    """
    return country_index().resolve(key)
