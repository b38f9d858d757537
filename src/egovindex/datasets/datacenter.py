"""Read a Survey edition from a UN Data Center CSV file, as downloaded.

The UN publishes each E-Government Survey as a CSV export of its Data Center
(https://publicadministration.un.org/egovkb/en-us/Data-Center) with the header::

    Survey Year,Country Name,E-Government Rank,E-Government Index,E-Participation Index,
    Online Service Index,Human Capital Index,Telecommunication Infrastructure Index

:func:`read_datacenter_csv` turns such a file into a :class:`~egovindex.datasets.Survey`,
so that an edition published after this package (the 2026 Survey, say) works wherever
an embedded one does (``eg.load_survey(path)``, ``eg.load_history(extra=[path])``,
``--data FILE`` on the command line). The embedded tables were made from the same export
(``SOURCES.md``), and the reader applies the same rules:

- country names, stripped of stray spaces, are mapped to ISO3 codes with the package's
  names and aliases (:mod:`egovindex.datasets.names`); an unknown name is an error that
  names it, with the nearest known names;
- the M49 region and sub-region of each country are joined from the embedded lookup
  (methodology A.8.2);
- rows of countries the edition did not assess (empty rank, every index 0, as the
  export lists them) are dropped, as ``SOURCES.md`` "Rows dropped" does;
- every other cell must be present and a number; indices lie in [0, 1] (the HCI may
  exceed 1, as the 2003 export prints 1.422 for Micronesia); ranks are whole numbers
  from 1 to the number of countries; one Survey year; no country twice;
- rows are kept in published rank order (ties by file order), as the embedded tables.

The file may carry a byte-order mark and extra columns (ignored); header names are
matched ignoring case and surrounding spaces.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from egovindex.datasets._tables import region_table
from egovindex.datasets.names import country_index
from egovindex.datasets.survey import INDICES, Survey, decimals_of
from egovindex.errors import (
    BoundsError,
    DuplicateEntityError,
    InputError,
    MissingDataError,
    UnknownCountryError,
)

__all__ = ["HEADER", "read_datacenter_csv"]

HEADER: Mapping[str, str] = {
    "year": "Survey Year",
    "country": "Country Name",
    "egdi_rank": "E-Government Rank",
    "egdi": "E-Government Index",
    "epi": "E-Participation Index",
    "osi": "Online Service Index",
    "hci": "Human Capital Index",
    "tii": "Telecommunication Infrastructure Index",
}
"""The Data Center's column names, by the field they fill."""

_Row = dict[str, str]


def read_datacenter_csv(path: str | os.PathLike[str]) -> Survey:
    """Return the Survey edition of a UN Data Center CSV file.

    Parameters
    ----------
    path
        The file as downloaded (see the module documentation for what it must hold).

    Returns
    -------
    Survey
        Countries in published rank order, regions joined, ``epi_rank`` ``None`` (the
        export carries no EPI rank).

    Raises
    ------
    InputError
        The file is missing or unreadable, lacks a column, holds several Survey years,
        a cell that is not a number, or a rank outside 1..n.
    UnknownCountryError
        A country name that no code, name or alias matches (named, with the row).
    DuplicateEntityError
        Two rows for one country.
    MissingDataError
        An empty cell.
    BoundsError
        An index outside [0, 1] (HCI: below 0).
    """
    name = Path(path).name
    rows = list(_rows(Path(path), name))
    assessed = [(line, row) for line, row in rows if not _placeholder(row)]
    if not assessed:
        raise InputError(f"{name}: no assessed country (every row is empty or all zeros)")
    year = _year(assessed, name)
    codes = _codes(assessed, name)
    values = {k: [_number(row, k, line, name) for line, row in assessed] for k in INDICES}
    ranks = [_rank(row, line, name, len(assessed)) for line, row in assessed]
    for k in INDICES:
        _check_bounds(k, values[k], assessed, name)
    order = sorted(range(len(assessed)), key=lambda i: ranks[i])
    lookup = region_table()
    return Survey(
        year=year,
        countries=[codes[i] for i in order],
        names=[assessed[i][1]["country"] for i in order],
        regions=[lookup[codes[i]][0] for i in order],
        sub_regions=[lookup[codes[i]][1] for i in order],
        **{k: [values[k][i] for i in order] for k in INDICES},
        egdi_rank=[ranks[i] for i in order],
        epi_rank=None,
        decimals={k: max(decimals_of(row[k]) for _, row in assessed) for k in INDICES},
    )


def _rows(path: Path, name: str) -> Iterator[tuple[int, _Row]]:
    """``(file line, row)`` with the fields of :data:`HEADER`, values stripped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"no such Data Center file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the Data Center file {path}: {exc}") from None
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        raise InputError(f"{name}: the file is empty")
    position = _positions(header, name)
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        yield line, {field: cells[j].strip() for field, j in position.items()}


def _positions(header: Sequence[str], name: str) -> dict[str, int]:
    found = {h.strip().casefold(): j for j, h in enumerate(header)}
    missing = [label for label in HEADER.values() if label.casefold() not in found]
    if missing:
        raise InputError(
            f"{name}: not a UN Data Center export; it lacks the columns {', '.join(missing)} "
            f"(header: {', '.join(h.strip() for h in header)})"
        )
    return {field: found[label.casefold()] for field, label in HEADER.items()}


def _placeholder(row: _Row) -> bool:
    """A country the edition did not assess: no rank and every index 0 (SOURCES.md)."""
    if row["egdi_rank"]:
        return False
    try:
        return all(float(row[k] or "0") == 0 for k in INDICES)
    except ValueError:
        return False


def _where(name: str, line: int, row: _Row) -> str:
    return f"{name}, row {line} ({row['country'] or 'no country name'})"


def _year(rows: list[tuple[int, _Row]], name: str) -> int:
    years: dict[str, int] = {}
    for line, row in rows:
        if not row["year"]:
            raise MissingDataError(f"{_where(name, line, row)}: 'Survey Year' is empty")
        years.setdefault(row["year"], line)
    if len(years) > 1:
        listed = ", ".join(f"{y} (row {line})" for y, line in years.items())
        raise InputError(f"{name}: one Survey edition per file, but it holds the years {listed}")
    text = next(iter(years))
    try:
        return int(text)
    except ValueError:
        raise InputError(f"{name}: 'Survey Year' {text!r} is not a year") from None


def _codes(rows: list[tuple[int, _Row]], name: str) -> list[str]:
    index = country_index()
    seen: dict[str, tuple[int, str]] = {}
    codes = []
    for line, row in rows:
        if not row["country"]:
            raise MissingDataError(f"{name}, row {line}: 'Country Name' is empty")
        try:
            iso3 = index.resolve(row["country"])
        except UnknownCountryError as exc:
            raise UnknownCountryError(f"{name}, row {line}: {exc}") from None
        if iso3 in seen:
            first, spelled = seen[iso3]
            raise DuplicateEntityError(
                f"{name}: {index.names[iso3]} ({iso3}) appears twice, in rows {first} "
                f"({spelled!r}) and {line} ({row['country']!r})"
            )
        seen[iso3] = (line, row["country"])
        codes.append(iso3)
    return codes


def _number(row: _Row, field: str, line: int, name: str) -> float:
    text = row[field]
    if not text:
        raise MissingDataError(f"{_where(name, line, row)}: {HEADER[field]!r} is empty")
    try:
        value = float(text)
    except ValueError:
        raise InputError(
            f"{_where(name, line, row)}: {HEADER[field]!r} {text!r} is not a number"
        ) from None
    if not math.isfinite(value):
        raise InputError(f"{_where(name, line, row)}: {HEADER[field]!r} is {text!r}")
    return value


def _rank(row: _Row, line: int, name: str, n: int) -> int:
    value = _number(row, "egdi_rank", line, name)
    if value != int(value) or not 1 <= value <= n:
        raise InputError(
            f"{_where(name, line, row)}: 'E-Government Rank' {row['egdi_rank']!r} is not a "
            f"whole number from 1 to {n}"
        )
    return int(value)


def _check_bounds(field: str, values: list[float], rows: list[tuple[int, _Row]], name: str) -> None:
    upper = math.inf if field == "hci" else 1.0
    for value, (line, row) in zip(values, rows, strict=True):
        if not 0.0 <= value <= upper:
            bounds = "at least 0" if field == "hci" else "in [0, 1]"
            raise BoundsError(
                f"{_where(name, line, row)}: {HEADER[field]} {row[field]} is outside its "
                f"bounds (an index is {bounds})"
            )
