"""CSV readers for domestic scoring: framework data, service catalogues, programme tasks.

This is an edge module (it reads files). Every error names the file, the row (counting
the header as row 1, as a spreadsheet does), the entity and the column. Files are read
as UTF-8 (a byte-order mark, as Excel writes one, is accepted).

- :func:`read_data`: columns ``entity``, an optional ``group`` (rank within groups) and
  one column per indicator of the framework; an empty cell is a missing value.
- :func:`read_catalogue`: ``service_id``, ``agency``, ``level`` and/or ``online``,
  ``dossiers_total``, ``dossiers_online`` (other columns, such as a service name, are
  ignored).
- :func:`read_tasks`: ``task_id``, ``agency``, ``due``, ``status``, optional
  ``done_on`` (other columns, such as a task title, are ignored).
- :func:`read_merge`: ``entity``, ``merged_into``, optional ``weight``: which entity each
  one is merged into (see :class:`~egovindex.domestic.merge.Merger`).
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from egovindex.domestic.framework import DomesticMissing, Framework, InputKind
from egovindex.domestic.merge import Merger, MergeRule
from egovindex.domestic.programme import Programme
from egovindex.domestic.results import DomesticScores
from egovindex.domestic.services import Catalogue
from egovindex.errors import (
    BoundsError,
    DuplicateEntityError,
    InputError,
    MissingDataError,
    UnknownIndicatorError,
    UnknownKeyError,
    did_you_mean,
)
from egovindex.io.tables import Decimal, open_table, parse_number
from egovindex.panel import Panel

__all__ = [
    "FrameworkData",
    "example_file",
    "read_catalogue",
    "read_data",
    "read_merge",
    "read_tasks",
]

Row = tuple[int, dict[str, str]]


def example_file(name: str) -> Path:
    """Path of an example CSV shipped with the package (see its ``SOURCES.md``).

    ``dti_province_2022_top5.csv`` (published 2022 DTI main indices of the five leading
    provinces), ``programme_example.csv`` and ``catalogue_example.csv`` (illustrative,
    synthetic).
    """
    folder = resources.files("egovindex.domestic") / "examples"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".csv"))
    if name not in names:
        raise UnknownKeyError(
            f"no example file {name!r}"
            + did_you_mean(name, names)
            + f" (examples: {', '.join(names)})"
        )
    return Path(str(folder / name))


@attrs.frozen(eq=False)
class FrameworkData:
    """Data read for a framework: the validated panel and the optional group labels."""

    framework: Framework
    panel: Panel
    groups: tuple[str, ...] | None = None
    input: InputKind = "score"

    def score(
        self,
        *,
        options: dict[str, str] | None = None,
        weights: dict[str, float] | str | None = None,
        normalise_weights: bool = False,
        missing: DomesticMissing = "error",
        merge: Merger | dict[str, str] | None = None,
    ) -> DomesticScores:
        """Score the data with :meth:`Framework.score`."""
        return self.framework.score(
            self.panel,
            input=self.input,
            options=options,
            weights=weights,  # type: ignore[arg-type]
            normalise_weights=normalise_weights,
            missing=missing,
            groups=self.groups,
            merge=merge,
        )


def _read(
    path: str | os.PathLike[str], *, sheet: str | None = None, decimal: Decimal = "."
) -> tuple[list[str], list[Row]]:
    p = Path(path)
    try:
        with open_table(p, sheet=sheet, decimal=decimal) as handle:
            reader = csv.reader(handle)
            try:
                header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise MissingDataError(f"{p}: the file is empty (no header row)") from None
            if len(set(header)) != len(header):
                dup = sorted({h for h in header if header.count(h) > 1})
                raise InputError(f"{p}, row 1: repeated column(s) {', '.join(dup)}")
            rows: list[Row] = []
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue  # blank line
                if len(cells) > len(header):
                    raise InputError(
                        f"{p}, row {reader.line_num}: {len(cells)} cells but the header has "
                        f"{len(header)} columns"
                    )
                cells = cells + [""] * (len(header) - len(cells))
                rows.append((reader.line_num, dict(zip(header, cells, strict=True))))
    except UnicodeDecodeError as exc:
        raise InputError(f"{p}: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise InputError(f"{p}: malformed CSV ({exc})") from None
    if not rows:
        raise MissingDataError(f"{p}: no data rows below the header")
    return header, rows


def _require(path: str | os.PathLike[str], header: Sequence[str], needed: Sequence[str]) -> None:
    missing = [c for c in needed if c not in header]
    if missing:
        extra = [h for h in header if h not in needed]
        hints = [repr(m) + did_you_mean(m, extra, show=repr, paren=True) for m in missing]
        raise MissingDataError(
            f"{path}: missing column(s) {', '.join(hints)}; the header has {', '.join(header)}"
        )


def _near_misses(path: str | os.PathLike[str], header: Sequence[str], known: Sequence[str]) -> None:
    """Reject a column that looks like a misspelt known column which is absent."""
    absent = [k for k in known if k not in header]
    for h in header:
        if h in known:
            continue
        hint = did_you_mean(h, absent, n=1, cutoff=0.8, show=repr)
        if hint:
            raise UnknownIndicatorError(f"{path}, row 1: unknown column {h!r}{hint}")


def read_data(
    path: str | os.PathLike[str],
    framework: Framework,
    *,
    input: InputKind = "score",
    sheet: str | None = None,
    decimal: Decimal = ".",
) -> FrameworkData:
    """Read one row per entity for ``framework`` from a CSV file or an ``.xlsx`` workbook.

    Columns: ``entity``, optional ``group``, and the framework's indicator codes
    (optional indicators may be left out), or a pillar's code in place of its
    indicators. Values are scores in [0, 1], or earned points in [0, max_points] with
    ``input="points"``. ``sheet`` names a workbook's sheet (default the first);
    ``decimal=","`` reads decimal commas (``12,5``; a CSV file separated by ``;`` is
    then read as such).

    Raises
    ------
    MissingDataError
        A required column is absent, or the file has no rows.
    UnknownIndicatorError
        A column that is not an indicator of the framework.
    BoundsError, NonFiniteError, InputError
        A value out of bounds, infinite, or not a number (naming row, entity, column).
    DuplicateEntityError
        An entity appears twice.
    """
    header, rows = _read(path, sheet=sheet, decimal=decimal)
    allowed = ["entity", "group", *framework.data_columns]
    for h in header:
        if h not in allowed:
            raise UnknownIndicatorError(
                f"{path}, row 1: column {h!r} is not an indicator of framework "
                f"{framework.name!r}"
                + did_you_mean(h, allowed)
                + f" (columns: {', '.join(allowed)})"
            )
    given = [p for p in framework.pillar_codes if p in header]
    required = [
        "entity",
        *(i.code for i in framework.indicators if not i.optional and i.pillar not in given),
    ]
    _require(path, header, required)
    codes = [c for c in framework.data_columns if c in header]
    indicators = {c: framework.column_indicator(c, input) for c in codes}
    entities: list[str] = []
    groups: list[str] = []
    values = np.full((len(rows), len(codes)), np.nan)
    first_row: dict[str, int] = {}
    for r, (line, rec) in enumerate(rows):
        entity = rec["entity"].strip()
        if not entity:
            raise MissingDataError(f"{path}, row {line}, column 'entity': empty")
        if entity in first_row:
            raise DuplicateEntityError(
                f"{path}, row {line}: entity {entity!r} already appears at row {first_row[entity]}"
            )
        first_row[entity] = line
        entities.append(entity)
        if "group" in header:
            group = rec["group"].strip()
            if not group:
                raise MissingDataError(
                    f"{path}, row {line} (entity {entity!r}), column 'group': empty"
                )
            groups.append(group)
        for j, code in enumerate(codes):
            values[r, j] = parse_number(
                rec[code], f"{path}, row {line} (entity {entity!r})", code, decimal=decimal
            )
            _check_bounds(
                values[r, j],
                f"{path}, row {line} (entity {entity!r})",
                code,
                indicators[code],
                framework,
                input,
            )
    panel = Panel(entities, [indicators[c] for c in codes], values)
    try:
        framework.check_data(panel, input)
    except InputError as exc:
        raise type(exc)(f"{path}: {exc}") from None
    return FrameworkData(framework, panel, tuple(groups) if groups else None, input)


def _check_bounds(
    value: float, where: str, column: str, indicator: Any, framework: Framework, kind: InputKind
) -> None:
    low, high = indicator.lower, indicator.upper
    if math.isnan(value):
        return
    _check_binary(value, where, column, framework, kind)
    if (low is not None and value < low) or (high is not None and value > high):
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        what = "points" if indicator.unit == "points" else "value"
        hint = ""
        top = framework.max_points(column)
        if kind == "score" and top is not None and 1 < value <= top:
            hint = " (earned points? read the file with input='points', CLI --input points)"
        raise BoundsError(
            f"{where}, column {column!r}: {what} {value:g} is outside [{lo}, {hi}]{hint}"
        )


def _check_binary(
    value: float, where: str, column: str, framework: Framework, kind: InputKind
) -> None:
    """A binary feature is 0 or 1; a count of binary features is a whole number."""
    bad, what = framework.breaks_value_rule(column, [value], kind)
    if bad.size:
        raise BoundsError(f"{where}, column {column!r}: value {value:g}: {what}")


def read_catalogue(path: str | os.PathLike[str], *, sheet: str | None = None) -> Catalogue:
    """Read a service catalogue from CSV or ``.xlsx`` (see :meth:`Catalogue.from_rows`)."""
    header, rows = _read(path, sheet=sheet)
    _near_misses(
        path,
        header,
        ("service_id", "agency", "level", "online", "dossiers_total", "dossiers_online"),
    )
    _require(path, header, ("service_id", "agency", "dossiers_total", "dossiers_online"))
    if "level" not in header and "online" not in header:
        raise MissingDataError(
            f"{path}: give a 'level' column (1-4, Decree 43/2011) or an 'online' column "
            "(full/partial, Decree 42/2022), or both"
        )
    return Catalogue.from_rows(
        [rec for _, rec in rows], row_numbers=[n for n, _ in rows], source=str(path)
    )


def read_tasks(path: str | os.PathLike[str], *, sheet: str | None = None) -> Programme:
    """Read the tasks of a programme from CSV or ``.xlsx`` (see :meth:`Programme.from_rows`)."""
    header, rows = _read(path, sheet=sheet)
    _near_misses(path, header, ("task_id", "agency", "due", "status", "done_on"))
    _require(path, header, ("task_id", "agency", "due", "status"))
    return Programme.from_rows(
        [rec for _, rec in rows], row_numbers=[n for n, _ in rows], source=str(path)
    )


def read_merge(
    path: str | os.PathLike[str],
    *,
    rule: MergeRule = "mean_of_indicators",
    sheet: str | None = None,
    decimal: Decimal = ".",
) -> Merger:
    """Read a merge mapping: columns ``entity``, ``merged_into`` and optional ``weight``.

    Raises
    ------
    MissingDataError
        A column or a cell is missing (a weight on some rows only).
    DuplicateEntityError
        An entity is mapped twice (naming it and both rows).
    InputError
        A weight that is not a positive number.
    """
    header, rows = _read(path, sheet=sheet, decimal=decimal)
    _near_misses(path, header, ("entity", "merged_into", "weight"))
    _require(path, header, ("entity", "merged_into"))
    where = str(path)
    records = [
        rec | {"weight": _weight(rec.get("weight", ""), f"{where}, row {n}", decimal)}
        for n, rec in rows
    ]
    return Merger.from_rows(records, rule=rule, source=where, row_numbers=[n for n, _ in rows])


def _weight(text: str, where: str, decimal: Decimal) -> str:
    value = parse_number(text, where, "weight", decimal=decimal)
    return "" if math.isnan(value) else repr(value)
