"""Read a raw-indicator CSV (one row per country) into a :class:`~egovindex.panel.Panel`.

The file has a header row with ``iso3`` and indicator columns named as in
:data:`egovindex.methodologies.un.indicators.INDICATORS` (``internet_users_pct``,
``mobile_subscriptions_per100``, ..., ``osi_points``, ``epi_points``). The reader keeps only
the columns the chosen edition reads (:attr:`Methodology.columns
<egovindex.methodologies.un.methodology.Methodology.columns>`), in that order, and ignores
the others (a ``country`` name column, notes).

Every problem is reported with the file, the row number (counted as in a spreadsheet or a
text editor: the header is row 1), the country and the column: a missing column (all of them
are named), an empty, duplicate or unknown ISO3 code, an empty or non-numeric cell, a value
outside the indicator's bounds, a file without data rows.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Literal, TextIO, get_args

import numpy as np

from egovindex.datasets.names import country_index
from egovindex.errors import (
    BoundsError,
    DuplicateEntityError,
    InputError,
    MissingDataError,
    NonFiniteError,
    UnknownCountryError,
    did_you_mean,
    nearest,
)
from egovindex.io.tables import Decimal, comma_hint, is_workbook, open_table, point_text
from egovindex.methodologies.un.indicators import INDICATORS
from egovindex.methodologies.un.methodology import Methodology, methodology
from egovindex.panel import Indicator, Panel

__all__ = [
    "CellRule",
    "Source",
    "read_raw_csv",
    "synthetic_raw_csv",
    "un_member_codes",
]

Source = str | os.PathLike[str] | Traversable | TextIO
"""A path, an ``importlib.resources`` file, or an open text stream."""

CellRule = Literal["error", "keep"]
"""What an empty cell is: an error (default) or a missing value (NaN) left to the
methodology's missing-data rule (:data:`egovindex.methodologies.un.UNMissing`)."""

_ENTITY = "iso3"


def synthetic_raw_csv() -> Traversable:
    """The shipped synthetic raw panel: 193 UN members, every raw column, seeded.

    Made by ``scripts/make_synthetic_panel.py``; the values are invented (realistic ranges),
    for examples and tests only.
    """
    return files("egovindex.datasets") / "data" / "synthetic_raw_2022.csv"


def un_member_codes() -> frozenset[str]:
    """ISO3 codes of the 193 UN Member States, from the embedded country list."""
    return frozenset(country_index().names)


def _name(source: Source) -> str:
    """The name messages give ``source`` (a file's base name, or the stream's name)."""
    if isinstance(source, str | os.PathLike):
        return os.path.basename(os.fspath(source))
    return str(getattr(source, "name", "<stream>"))


@contextmanager
def _opened(
    source: Source, sheet: str | None = None, decimal: Decimal = "."
) -> Iterator[tuple[TextIO, str]]:
    if isinstance(source, str | os.PathLike) and (
        is_workbook(source) or decimal != "." or sheet is not None
    ):
        with open_table(source, sheet=sheet, decimal=decimal) as fh:
            yield fh, os.path.basename(os.fspath(source))
        return
    if isinstance(source, io.TextIOBase) or hasattr(source, "read"):
        stream: TextIO = source  # type: ignore[assignment]
        yield stream, str(getattr(source, "name", "<stream>"))
        return
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        with open(name, encoding="utf-8-sig", newline="") as fh:
            yield fh, os.path.basename(name)
        return
    yield io.StringIO(source.read_text(encoding="utf-8-sig"), newline=""), source.name


def read_raw_csv(
    source: Source,
    edition: int | Methodology,
    *,
    missing: CellRule = "error",
    countries: Iterable[str] | None = None,
    check_countries: bool = True,
    sheet: str | None = None,
    decimal: Decimal = ".",
) -> Panel:
    """Read a raw-indicator CSV (or ``.xlsx`` workbook) into a panel of the columns
    ``edition`` reads.

    Parameters
    ----------
    source
        Path, ``importlib.resources`` file or open text stream (UTF-8; a byte-order mark
        is accepted).
    edition
        Survey year (its default methodology) or a :class:`Methodology` with options.
    missing
        ``"error"`` (default): an empty cell is an error. ``"keep"``: it becomes a missing
        value, for :meth:`Methodology.score`'s ``missing`` rule to handle.
    countries
        Valid ISO3 codes; default the 193 UN Member States (:func:`un_member_codes`).
    check_countries
        Validate the codes (default True).
    sheet
        The sheet of an ``.xlsx`` workbook (default the first; extra ``xlsx``).
    decimal
        ``","`` reads decimal commas (``12,5``); the default ``"."`` is strict.

    Returns
    -------
    Panel
        Countries in file order, the edition's columns in :attr:`Methodology.columns` order.

    Raises
    ------
    MissingDataError
        Columns the edition needs are absent (all are named), or an empty cell under
        ``missing="error"``.
    DuplicateEntityError, UnknownCountryError
        An ISO3 code appears twice or is not a known country.
    InputError, NonFiniteError, BoundsError
        Empty file, no data rows, wrong number of cells, non-numeric or infinite value,
        value out of bounds. Every message names the row, the country and the column.
    """
    if missing not in get_args(CellRule):
        raise InputError(f"unknown empty-cell rule {missing!r}; choose 'error' or 'keep'")
    m = edition if isinstance(edition, Methodology) else methodology(edition)
    needed = m.columns
    valid: Callable[[str], str | None] | None = None  # code -> None if valid, else a hint
    if check_countries:
        valid = _validator(countries)
    name = _name(source)
    try:
        with _opened(source, sheet, decimal) as (stream, name):
            reader = csv.reader(stream)
            header = _header(reader, name)
            index = _columns(header, m, name)
            entities, data = _rows(reader, header, index, needed, name, valid, missing, decimal)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise InputError(f"{name}: malformed CSV ({exc})") from None
    indicators: Sequence[Indicator] = [INDICATORS[c] for c in needed]
    return Panel(entities, indicators, data)


def _validator(countries: Iterable[str] | None) -> Callable[[str], str | None]:
    if countries is None:
        members = un_member_codes()
        index = country_index()
        return lambda code: None if code in members else "; " + index.suggest(code)
    # Codes in the file are read stripped and upper-cased; compare like with like.
    known = frozenset(str(c).strip().upper() for c in countries)

    def check(code: str) -> str | None:
        if code in known:
            return None
        return did_you_mean(code, known)

    return check


def _header(reader: Iterator[list[str]], name: str) -> list[str]:
    for row in reader:
        if any(cell.strip() for cell in row):
            header = [cell.strip().lstrip("\ufeff").strip() for cell in row]
            seen: set[str] = set()
            for col in header:
                if not col:
                    raise InputError(f"{name}, row 1: a column has an empty name")
                if col in seen:
                    raise InputError(f"{name}, row 1: column {col!r} appears twice")
                seen.add(col)
            return header
    raise InputError(
        f"{name} is empty: expected a header row with {_ENTITY!r} and indicator columns"
    )


def _columns(header: list[str], m: Methodology, name: str) -> dict[str, int]:
    needed = m.columns
    if _ENTITY not in header:
        hint = nearest(_ENTITY, header)
        raise MissingDataError(
            f"{name}: the header has no {_ENTITY!r} column"
            + (f" (did you mean {', '.join(map(repr, hint))}?)" if hint else "")
        )
    absent = [c for c in needed if c not in header]
    if absent:
        # Only unknown names can be misspellings; a known code is simply another column.
        spare = [h for h in header if h not in INDICATORS and h != _ENTITY]
        hints = [
            f"{c!r} (found {', '.join(map(repr, close))})"
            for c in absent
            if (close := nearest(c, spare))
        ]
        raise MissingDataError(
            f"{name}: the {m.edition.year} edition needs columns the file lacks: "
            + ", ".join(absent)
            + (f"; close names in the file: {'; '.join(hints)}" if hints else "")
            + m.column_hint(absent)
        )
    return {c: header.index(c) for c in (_ENTITY, *needed)}


def _rows(
    reader: Iterator[list[str]],
    header: list[str],
    index: dict[str, int],
    needed: Sequence[str],
    name: str,
    valid: Callable[[str], str | None] | None,
    missing: CellRule,
    decimal: Decimal = ".",
) -> tuple[list[str], np.ndarray[tuple[int, int], np.dtype[np.float64]]]:
    entities: list[str] = []
    first_row: dict[str, int] = {}
    values: list[list[float]] = []
    for count, row in enumerate(reader, start=2):
        # csv readers count physical lines (the header is line 1); plain iterators do not.
        line = int(getattr(reader, "line_num", count))
        if not any(cell.strip() for cell in row):
            continue  # blank line
        if len(row) != len(header):
            raise InputError(
                f"{name}, row {line}: {len(row)} cells, but the header has {len(header)} columns"
            )
        code = row[index[_ENTITY]].strip().upper()
        where = f"{name}, row {line}"
        if not code:
            raise InputError(f"{where}, column {_ENTITY!r}: the ISO3 code is empty")
        hint = valid(code) if valid is not None else None
        if hint is not None:
            raise UnknownCountryError(
                f"{where}, column {_ENTITY!r}: unknown ISO3 code {code!r}{hint}"
            )
        if code in first_row:
            raise DuplicateEntityError(
                f"{where}, column {_ENTITY!r}: ISO3 code {code!r} already appears in row "
                f"{first_row[code]}"
            )
        first_row[code] = line
        entities.append(code)
        values.append(
            [
                _cell(row[index[c]], INDICATORS[c], f"{where} ({code})", missing, decimal)
                for c in needed
            ]
        )
    if not entities:
        raise InputError(f"{name} has a header but no data rows")
    return entities, np.asarray(values, dtype=np.float64).reshape(len(entities), len(needed))


def _cell(
    text: str, ind: Indicator, where: str, missing: CellRule, decimal: Decimal = "."
) -> float:
    cell = text.strip()
    col = f"column {ind.code!r}"
    if not cell:
        if missing == "keep":
            return math.nan
        raise MissingDataError(
            f"{where}, {col}: empty cell; fill it, or read with missing='keep' and choose a "
            "missing-data rule when scoring"
        )
    text = point_text(cell, where, ind.code, decimal=decimal)  # its InputError is a ValueError
    try:
        value = float(text)
    except ValueError:
        raise InputError(
            f"{where}, {col}: {cell!r} is not a number{comma_hint(cell, decimal)}"
        ) from None
    if math.isnan(value):
        raise InputError(
            f"{where}, {col}: {cell!r} is not a number (leave the cell empty for a missing value)"
        )
    if math.isinf(value):
        raise NonFiniteError(f"{where}, {col}: {cell!r} is not finite")
    if (ind.lower is not None and value < ind.lower) or (
        ind.upper is not None and value > ind.upper
    ):
        low = "-inf" if ind.lower is None else f"{ind.lower:g}"
        high = "inf" if ind.upper is None else f"{ind.upper:g}"
        raise BoundsError(
            f"{where}, {col}: value {value:g} is outside [{low}, {high}] ({ind.unit})"
        )
    return value
