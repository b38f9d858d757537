"""Every embedded Survey edition together: a country's series across editions.

The editions are 2003, 2004, 2005, 2008, 2010, ..., 2024 (no Survey in the other
years). A country that an edition did not assess (Montenegro 2003-2005, South Sudan
2003-2010) has NaN in that edition's place.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.datasets.names import country_index
from egovindex.datasets.survey import INDICES, Survey, editions, load_survey
from egovindex.errors import (
    InputError,
    UnknownCountryError,
    UnknownEditionError,
    UnknownIndexError,
    did_you_mean,
)

__all__ = ["SERIES", "History", "load_history"]

SERIES: tuple[str, ...] = (*INDICES, "egdi_rank", "epi_rank")
"""What :meth:`History.series` and :meth:`History.matrix` accept."""


def _surveys(values: tuple[Survey, ...]) -> tuple[Survey, ...]:
    surveys = tuple(values)
    years = [s.year for s in surveys]
    if not surveys or years != sorted(set(years)):
        raise InputError(f"a History needs editions in increasing year order, got {years}")
    return surveys


@attrs.frozen(eq=False)
class History:
    """The published results of several Survey editions, oldest first.

    Attributes
    ----------
    surveys
        One :class:`~egovindex.datasets.survey.Survey` per edition, by increasing year.
    """

    surveys: tuple[Survey, ...] = attrs.field(converter=_surveys)

    @property
    def editions(self) -> tuple[int, ...]:
        """Years of the editions held."""
        return tuple(s.year for s in self.surveys)

    @property
    def countries(self) -> tuple[str, ...]:
        """ISO3 codes of every country assessed in at least one edition.

        In the order of the latest edition (its published rank order), then any country
        absent from it by code.
        """
        latest = self.surveys[-1].countries
        others = sorted({c for s in self.surveys for c in s.countries} - set(latest))
        return latest + tuple(others)

    def __len__(self) -> int:
        """Return the number of editions."""
        return len(self.surveys)

    def __iter__(self) -> Iterator[Survey]:
        """Iterate over the editions, oldest first."""
        return iter(self.surveys)

    def __getitem__(self, year: int) -> Survey:
        """Return the edition of ``year`` (same as :meth:`survey`)."""
        return self.survey(year)

    def survey(self, year: int) -> Survey:
        """Return the edition of ``year``.

        Raises
        ------
        UnknownEditionError
            ``year`` is not one of :attr:`editions`.
        """
        for s in self.surveys:
            if s.year == year:
                return s
        raise UnknownEditionError(
            f"{year!r} is not an edition of this history; editions: "
            + ", ".join(map(str, self.editions))
        )

    def matrix(self, index: str) -> NDArray[np.float64]:
        """Return an (editions x :attr:`countries`) float64 array of ``index``.

        Parameters
        ----------
        index
            egdi, osi, tii, hci, epi, egdi_rank or epi_rank (ranks as floats).

        Returns
        -------
        numpy.ndarray
            NaN where a country was not assessed, or where no rank was published
            (``epi_rank`` outside 2020).

        Raises
        ------
        UnknownIndexError
            Not one of :data:`SERIES`.
        """
        key = _series_key(index)
        countries = self.countries
        column = {c: j for j, c in enumerate(countries)}
        out = np.full((len(self), len(countries)), np.nan)
        for i, s in enumerate(self.surveys):
            values = getattr(s, key)
            if values is not None:
                out[i, [column[c] for c in s.countries]] = values
        out.setflags(write=False)
        return out

    def series(self, country: str, index: str) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """Return ``(years, values)`` of one country's ``index`` over every edition.

        Parameters
        ----------
        country
            ISO3 code or name (see :mod:`egovindex.datasets.names`).
        index
            See :meth:`matrix`.

        Returns
        -------
        tuple of numpy.ndarray
            Edition years (int64) and values (float64, NaN where not assessed).

        Raises
        ------
        UnknownCountryError, UnknownIndexError
            Unknown country or index.
        """
        iso3 = country_index().resolve(country)
        countries = self.countries
        if iso3 not in countries:
            raise UnknownCountryError(
                f"{country_index().names[iso3]} ({iso3}) was assessed in none of the "
                f"editions {', '.join(map(str, self.editions))}"
            )
        values = np.array(self.matrix(index)[:, countries.index(iso3)])
        years = np.array(self.editions, dtype=np.int64)
        years.setflags(write=False)
        values.setflags(write=False)
        return years, values


def _series_key(index: str) -> str:
    key = str(index).strip().casefold()
    if key not in SERIES:
        raise UnknownIndexError(
            f"unknown index {index!r}"
            + did_you_mean(key, SERIES)
            + f"; choose one of {', '.join(SERIES)}"
        )
    return key


def load_history(extra: Iterable[Survey | str | os.PathLike[str]] = ()) -> History:
    """Return every embedded edition as one :class:`History`, plus any ``extra`` ones.

    Parameters
    ----------
    extra
        Further editions: :class:`Survey` objects or paths of UN Data Center CSV files
        (read with :func:`load_survey`), e.g. the 2026 Survey once published. An extra
        edition of a year already embedded replaces the embedded one.

    Raises
    ------
    InputError
        Two extra editions of the same year, or a file that fails validation.
    """
    surveys = [s if isinstance(s, Survey) else load_survey(s) for s in extra]
    if not surveys:
        return _embedded_history()
    years = [s.year for s in surveys]
    twice = sorted({y for y in years if years.count(y) > 1})
    if twice:
        raise InputError(f"two extra editions of the same year: {', '.join(map(str, twice))}")
    by_year = {s.year: s for s in _embedded_history().surveys} | {s.year: s for s in surveys}
    return History(surveys=tuple(by_year[y] for y in sorted(by_year)))


@functools.cache
def _embedded_history() -> History:
    """Every embedded edition (parsed once, cached)."""
    return History(surveys=tuple(load_survey(year) for year in editions()))
