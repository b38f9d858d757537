"""The published results of the UN E-Government Survey, one :class:`Survey` per edition.

Values are those of the UN Data Center export as embedded in ``datasets/data`` (see
``SOURCES.md``): EGDI, OSI, TII, HCI, EPI, the published EGDI rank, and the EPI rank
where published (2020 only). Each country's M49 region and sub-region are joined from
``un_egov_country_regions.csv`` (methodology A.8.2). Countries that an edition did not
assess (Montenegro 2003-2005, South Sudan 2003-2010) are absent from that edition.
"""

from __future__ import annotations

import functools
import operator
import os
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.datasets._tables import edition_years, read_table, region_table
from egovindex.datasets.names import country_index
from egovindex.datasets.regions import group_mask
from egovindex.errors import (
    InputError,
    UnknownCountryError,
    UnknownEditionError,
    UnknownIndexError,
    did_you_mean,
)
from egovindex.panel import readonly
from egovindex.ranking import Boundary, RankMethod, RatingMethod, rank, rating_classes

__all__ = [
    "INDICES",
    "CountryRecord",
    "Survey",
    "TieBreak",
    "Within",
    "editions",
    "load_survey",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
Within = str | Sequence[str] | None
"""A group of countries: a region, sub-region or grouping name, a list of ISO3 codes
(or names), or ``None`` for every country of the edition."""

_Column = tuple[str, ...] | FloatArray | IntArray
TieBreak = Literal["published", "none"]
"""How :meth:`Survey.rank` treats equal published values: ``"published"`` follows the
published global rank where it separates them, ``"none"`` lets them share a rank."""

INDICES: tuple[str, ...] = ("egdi", "osi", "tii", "hci", "epi")
"""The published indices of every edition, as lower-case names."""


def _readonly_int(values: ArrayLike) -> IntArray:
    arr = np.array(values, dtype=np.int64, copy=True)
    arr.setflags(write=False)
    return arr


def _optional_int(values: ArrayLike | None) -> IntArray | None:
    return None if values is None else _readonly_int(values)


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _proxy(mapping: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(mapping))


def editions() -> tuple[int, ...]:
    """Return the years of the embedded Survey editions: (2003, 2004, 2005, 2008, ..., 2024)."""
    return edition_years()


@attrs.frozen
class CountryRecord:
    """One country's published results in one edition.

    Attributes
    ----------
    year, iso3, name
        Edition, ISO 3166-1 alpha-3 code, UN Data Center name.
    egdi, osi, tii, hci, epi
        Published index values (0-1 scales).
    egdi_rank
        Published global EGDI rank.
    epi_rank
        Published EPI rank, or ``None`` where none was published (every edition but 2020).
    region, sub_region
        UN M49 region and sub-region (methodology A.8.2).
    """

    year: int
    iso3: str
    name: str
    egdi: float
    egdi_rank: int
    osi: float
    tii: float
    hci: float
    epi: float
    epi_rank: int | None
    region: str
    sub_region: str

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a dict with the keys in field order (JSON-ready)."""
        return attrs.asdict(self)


@attrs.frozen(eq=False)
class Survey:
    """The published results of one UN E-Government Survey edition.

    Arrays are read-only and aligned with :attr:`countries` (published EGDI rank order).

    Attributes
    ----------
    year
        Edition.
    countries, names
        ISO3 codes and UN Data Center names.
    regions, sub_regions
        M49 region and sub-region of each country.
    egdi, osi, tii, hci, epi
        Published index values, float64.
    egdi_rank
        Published global EGDI rank, int64. It is the UN's rank, which in 2020 breaks four
        ties of the rounded EGDI on unrounded values (Croatia/Hungary, Peru/North Macedonia,
        Republic of Moldova/Andorra, Tajikistan/Timor-Leste; methodology A.8.1).
        :meth:`rank` follows these tie-breaks, globally and within every group.
    epi_rank
        Published EPI rank (2020 only), else ``None``.
    decimals
        For each index, the most decimals carried by a published value of this edition
        (trailing zeros of the export's 5-place padding ignored), e.g. 4 for 2020's EGDI.
    """

    year: int
    countries: tuple[str, ...] = attrs.field(converter=_strings)
    names: tuple[str, ...] = attrs.field(converter=_strings)
    regions: tuple[str, ...] = attrs.field(converter=_strings)
    sub_regions: tuple[str, ...] = attrs.field(converter=_strings)
    egdi: FloatArray = attrs.field(converter=readonly)
    osi: FloatArray = attrs.field(converter=readonly)
    tii: FloatArray = attrs.field(converter=readonly)
    hci: FloatArray = attrs.field(converter=readonly)
    epi: FloatArray = attrs.field(converter=readonly)
    egdi_rank: IntArray = attrs.field(converter=_readonly_int)
    epi_rank: IntArray | None = attrs.field(converter=_optional_int)
    decimals: Mapping[str, int] = attrs.field(converter=_proxy)

    def __attrs_post_init__(self) -> None:
        n = len(self.countries)
        columns: dict[str, _Column] = {
            "names": self.names,
            "regions": self.regions,
            "sub_regions": self.sub_regions,
            "egdi_rank": self.egdi_rank,
            **{name: self.index(name) for name in INDICES},
        }
        if self.epi_rank is not None:
            columns["epi_rank"] = self.epi_rank
        for label, column in columns.items():
            if len(column) != n:
                raise InputError(
                    f"Survey {self.year}: {label} has {len(column)} entries for {n} countries"
                )
        if len(set(self.countries)) != n:
            raise InputError(f"Survey {self.year}: duplicate ISO3 codes")

    def __len__(self) -> int:
        """Return the number of countries assessed in this edition."""
        return len(self.countries)

    def locate(self, key: str) -> int:
        """Return the position of a country (ISO3 code or name) in :attr:`countries`.

        Raises
        ------
        UnknownCountryError
            Unknown name, or a country that this edition did not assess.
        """
        iso3 = country_index().resolve(key)
        try:
            return self.countries.index(iso3)
        except ValueError:
            name = country_index().names[iso3]
            raise UnknownCountryError(
                f"{name} ({iso3}) was not assessed in the {self.year} Survey "
                f"({len(self)} countries)"
            ) from None

    def country(self, key: str) -> CountryRecord:
        """Return one country's published results.

        Parameters
        ----------
        key
            ISO3 code or name, case- and accent-insensitive, aliases accepted
            ("VNM", "Viet Nam", "Vietnam"; see :mod:`egovindex.datasets.names`).

        Raises
        ------
        UnknownCountryError
            Unknown name (the message lists the nearest ones), or not assessed this year.
        """
        i = self.locate(key)
        return CountryRecord(
            year=self.year,
            iso3=self.countries[i],
            name=self.names[i],
            egdi=float(self.egdi[i]),
            egdi_rank=int(self.egdi_rank[i]),
            osi=float(self.osi[i]),
            tii=float(self.tii[i]),
            hci=float(self.hci[i]),
            epi=float(self.epi[i]),
            epi_rank=None if self.epi_rank is None else int(self.epi_rank[i]),
            region=self.regions[i],
            sub_region=self.sub_regions[i],
        )

    def index(self, name: str) -> FloatArray:
        """Return the values of index ``name`` (egdi, osi, tii, hci, epi; any case).

        Raises
        ------
        UnknownIndexError
            Not one of :data:`INDICES`.
        """
        key = str(name).strip().casefold()
        if key not in INDICES:
            raise UnknownIndexError(
                f"unknown index {name!r}"
                + did_you_mean(key, INDICES)
                + f"; indices: {', '.join(INDICES)}"
            )
        values: FloatArray = getattr(self, key)
        return values

    def mask(self, within: Within = None) -> NDArray[np.bool_]:
        """Return the boolean mask of a group's members, aligned with :attr:`countries`.

        Parameters
        ----------
        within
            A region ("Asia"), an M49 sub-region ("South-eastern Asia"), "ASEAN", "World"
            (names case-insensitive; see :mod:`egovindex.datasets.regions`), a list of
            ISO3 codes or country names, or ``None`` for every country.

        Raises
        ------
        UnknownRegionError
            Unknown group name (the message lists the valid ones, nearest first).
        UnknownCountryError
            A listed country is unknown or was not assessed this edition.
        InputError
            An empty list.
        """
        if within is None:
            return np.ones(len(self), dtype=bool)
        if isinstance(within, str):
            return group_mask(within, self.countries, self.regions, self.sub_regions)
        positions = [self.locate(key) for key in within]
        if not positions:
            raise InputError("the list of countries to rank within is empty")
        out = np.zeros(len(self), dtype=bool)
        out[positions] = True
        return out

    def members(self, within: Within = None) -> tuple[str, ...]:
        """Return the ISO3 codes of a group's members, in :attr:`countries` order.

        See :meth:`mask` for ``within`` and the errors.
        """
        return tuple(np.asarray(self.countries)[self.mask(within)].tolist())

    def rank(
        self,
        index: str,
        within: Within = None,
        *,
        method: RankMethod = "competition",
        ties: TieBreak = "published",
    ) -> IntArray:
        """Rank the countries on a published index, globally or within a group.

        Ranks are recomputed from the published values with
        :func:`egovindex.ranking.rank` (competition ranking by default, methodology A.8.1).
        Where the published global rank (:attr:`egdi_rank`, :attr:`epi_rank`) separates
        countries of equal published value, because the UN ranked unrounded values, the
        ranks follow that published order: ``rank("egdi")`` equals :attr:`egdi_rank` in
        every edition, and within Europe 2020 Croatia is 31st and Hungary 32nd, not both
        31st (methodology A.8.1, A.1.3).

        Parameters
        ----------
        index
            egdi, osi, tii, hci or epi.
        within
            The group to rank among (see :meth:`mask`); ``None`` ranks every country.
        method
            "competition" ("1224"), "dense" or "ordinal".
        ties
            ``"published"`` (default): equal values keep the published order where the
            published rank separates them; ``"none"``: equal values share a rank.

        Returns
        -------
        numpy.ndarray
            int64 ranks aligned with :attr:`countries`; 0 for countries outside the group.
        """
        values = self.index(index)
        published = {"egdi": self.egdi_rank, "epi": self.epi_rank}.get(index.strip().casefold())
        if ties not in ("published", "none"):
            raise InputError(f"unknown tie rule {ties!r}; choose 'published' or 'none'")
        mask = self.mask(within)
        if ties == "none" or published is None or np.isnan(values).any():
            return rank(values, method=method, within=mask, entities=self.countries)
        key = _published_order(values, published)
        return rank(key, method=method, higher_is_better=False, within=mask)

    def rating_classes(
        self,
        *,
        method: RatingMethod = "count_quartile",
        boundary: Boundary = "lower_inclusive",
    ) -> NDArray[np.str_]:
        """Return the rating class of every country (VH ... L1), aligned with :attr:`countries`.

        Computed from the published EGDIs with :func:`egovindex.ranking.rating_classes`
        (count quartiles by default, the reading the 2022 Survey's own count supports;
        ``method="equal_width"`` for the other one; methodology A.7.2).

        Raises
        ------
        InputError
            The edition is before 2020 (the Surveys define no rating classes before).
        """
        return rating_classes(self.egdi, edition=self.year, method=method, boundary=boundary)

    def to_pandas(self) -> Any:
        """This result as a :class:`pandas.DataFrame` (``pandas`` extra; columns:
        :func:`egovindex.frames.result_columns`)."""
        from egovindex.frames import frame

        return frame(self, "pandas")

    def to_polars(self) -> Any:
        """This result as a :class:`polars.DataFrame` (``polars`` extra)."""
        from egovindex.frames import frame

        return frame(self, "polars")


def _published_order(values: FloatArray, published: IntArray) -> FloatArray:
    """A key (lower is better) ordering by value, then by published rank among equal values.

    Countries equal in both share a key, so they still share a rank.
    """
    order = np.lexsort((published, -values))
    v, p = values[order], published[order]
    new = np.ones(values.size, dtype=bool)
    new[1:] = (v[1:] != v[:-1]) | (p[1:] != p[:-1])
    key = np.empty(values.size, dtype=np.float64)
    key[order] = np.cumsum(new)
    return key


def decimals_of(text: str) -> int:
    """Decimals carried by a published number string, trailing zeros ignored."""
    _, _, fraction = text.partition(".")
    return len(fraction.rstrip("0"))


def _check_year(year: int) -> int:
    try:
        value = operator.index(year)
    except TypeError:
        value = None
    if value is None or value not in editions():
        close = sorted(editions(), key=lambda e: abs(e - value))[:2] if value else []
        hint = f"; nearest: {', '.join(map(str, sorted(close)))}" if close else ""
        raise UnknownEditionError(
            f"{year!r} was not a UN E-Government Survey edition{hint}; editions: "
            + ", ".join(map(str, editions()))
        )
    return value


def load_survey(source: int | str | os.PathLike[str]) -> Survey:
    """Return the results of one Survey edition: an embedded one, or one from a file.

    Parameters
    ----------
    source
        The year of an embedded edition (parsed once, cached), or the path of a UN Data
        Center CSV file as downloaded, e.g. the 2026 Survey the day it is published
        (read with :func:`egovindex.datasets.datacenter.read_datacenter_csv`: names
        mapped to ISO3, regions joined, values validated).

    Raises
    ------
    UnknownEditionError
        ``source`` is a year that was not a Survey edition; the message lists
        :func:`editions`.
    InputError
        The file cannot be read or fails validation (the message names the row, the
        country and the column).
    """
    if isinstance(source, str) and source.strip().isdigit() and not os.path.exists(source):
        raise UnknownEditionError(
            f"{source!r} is text, not a year, and no file of that name exists: give the year "
            f"as a number, load_survey({source.strip()}), or the path of a Data Center file"
        )
    if isinstance(source, str | os.PathLike):
        from egovindex.datasets.datacenter import read_datacenter_csv

        return read_datacenter_csv(source)
    return _load(_check_year(source))


@functools.cache
def _load(year: int) -> Survey:
    rows = read_table(f"un_egov_{year}.csv")
    lookup = region_table()
    bad = [r["iso3"] for r in rows if r["year"] != str(year) or r["iso3"] not in lookup]
    if bad:
        raise InputError(f"un_egov_{year}.csv: wrong year or no region for {', '.join(bad)}")
    epi_ranks = [r["epi_rank"] for r in rows]
    return Survey(
        year=year,
        countries=[r["iso3"] for r in rows],
        names=[r["country"] for r in rows],
        regions=[lookup[r["iso3"]][0] for r in rows],
        sub_regions=[lookup[r["iso3"]][1] for r in rows],
        egdi=[float(r["egdi"]) for r in rows],
        osi=[float(r["osi"]) for r in rows],
        tii=[float(r["tii"]) for r in rows],
        hci=[float(r["hci"]) for r in rows],
        epi=[float(r["epi"]) for r in rows],
        egdi_rank=[int(r["egdi_rank"]) for r in rows],
        epi_rank=[int(x) for x in epi_ranks] if all(epi_ranks) else None,
        decimals={k: max(decimals_of(r[k]) for r in rows) for k in INDICES},
    )
