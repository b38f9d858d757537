"""Tables in and out: CSV and Excel workbooks, decimal commas, safe atomic writes.

This is an edge module. Readers hand every consumer the same thing, CSV text, so a
workbook is validated by the very code (and with the very messages: row, entity,
column) that validates a CSV file:

- :func:`open_table` opens a ``.csv`` file, or a ``.xlsx`` workbook (optional extra
  ``xlsx``: openpyxl) converted to CSV text whose row numbers are the sheet's;
- :func:`parse_number` reads one numeric cell, strictly (``12.5``) or with a decimal comma
  (``decimal=","``: ``12,5``, as Vietnamese Excel exports write it);
- :func:`write_table` writes rows to ``.csv`` or ``.xlsx``: to a temporary file in the
  same folder, renamed over the target only once complete, so a failed write leaves no
  partial file; text cells a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Literal, TextIO

from egovindex.errors import InputError, MissingDependencyError, NonFiniteError

__all__ = [
    "Decimal",
    "check_decimal",
    "check_writable",
    "comma_hint",
    "is_workbook",
    "neutralise",
    "open_table",
    "parse_number",
    "point_text",
    "write_table",
]

Decimal = Literal[".", ","]
"""The decimal mark of numeric cells: ``"."`` (default, strict) or ``","``."""

_WORKBOOK = (".xlsx", ".xlsm")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_workbook(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names an Excel workbook (``.xlsx``/``.xlsm``), by its suffix."""
    return os.fspath(path).lower().endswith(_WORKBOOK)


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise MissingDependencyError(
            "reading or writing .xlsx needs openpyxl: pip install 'egovindex[xlsx]'"
        ) from None
    return openpyxl


def check_decimal(decimal: str) -> Decimal:
    """Return ``decimal`` if it is ``"."`` or ``","``, else raise :class:`InputError`."""
    if decimal not in (".", ","):
        raise InputError(f"decimal must be '.' or ',', got {decimal!r}")
    return decimal  # type: ignore[return-value]


@contextmanager
def open_table(
    path: str | os.PathLike[str], *, sheet: str | None = None, decimal: Decimal = "."
) -> Iterator[TextIO]:
    """Open a table as CSV text: a CSV file, or a sheet of an ``.xlsx`` workbook.

    A workbook's sheet (the first, or ``sheet``) becomes CSV text with one line per sheet
    row, so a CSV reader's ``line_num`` is the sheet's row number. Cells keep their
    values: numbers, dates (ISO format), text; formulas give their cached result.
    With ``decimal=","`` a CSV file whose header is separated by semicolons (Excel's
    export where the decimal mark is a comma) is read with ``;`` as the separator.

    Raises
    ------
    MissingDependencyError
        A workbook without openpyxl installed (the message names the extra).
    InputError
        ``sheet`` is given for a CSV file, or names no sheet of the workbook.
    """
    check_decimal(decimal)
    if is_workbook(path):
        yield io.StringIO(_sheet_csv(Path(path), sheet, decimal), newline="")
        return
    if sheet is not None:
        raise InputError(f"{path}: sheet={sheet!r} applies to .xlsx workbooks, not CSV files")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        if decimal == ",":
            text = fh.read()
            first = text.split("\n", 1)[0]
            if ";" in first and "," not in first:
                yield _resplit(text)
                return
            yield io.StringIO(text, newline="")
            return
        yield fh


def _resplit(text: str) -> TextIO:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
        writer.writerow(row)
    out.seek(0)
    return out


def _sheet_csv(path: Path, sheet: str | None, decimal: Decimal = ".") -> str:
    openpyxl = _openpyxl()
    if not path.is_file():
        raise FileNotFoundError(2, "No such file or directory", str(path))
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile.BadZipFile, KeyError, ValueError...
        raise InputError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise InputError(
                f"{path}: no sheet {sheet!r}; the workbook has {', '.join(book.sheetnames)}"
            )
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\n")
        for row in ws.iter_rows(values_only=True):
            writer.writerow([_xlsx_text(v, decimal) for v in row])
        return out.getvalue()
    finally:
        book.close()


def _xlsx_text(value: Any, decimal: Decimal = ".") -> str:
    """The CSV text of a workbook cell (numbers as Python writes them, with ``decimal`` as
    their mark, so that number cells read as text cells do; dates in ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value).replace(".", decimal)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    # a line break inside a cell would shift the row numbers of the lines below
    return str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def parse_number(text: str, where: str, column: str, *, decimal: Decimal = ".") -> float:
    """Read one numeric cell; ``nan`` for an empty one.

    ``decimal=","`` reads ``12,5`` as 12.5 (and then refuses a ``.``, which would be a
    thousands separator or a mix-up); the strict default refuses ``12,5`` and its message
    names the option.

    Raises
    ------
    InputError
        Not a number, or ``NaN`` written out (a missing value is an empty cell).
    NonFiniteError
        An infinite value.
    """
    cell = text.strip()
    if not cell:
        return math.nan
    text = point_text(cell, where, column, decimal=decimal)  # its InputError is a ValueError
    try:
        value = float(text)
    except ValueError:
        raise InputError(
            f"{where}, column {column!r}: {cell!r} is not a number{comma_hint(cell, decimal)}"
        ) from None
    if math.isinf(value):
        raise NonFiniteError(f"{where}, column {column!r}: {cell!r} is not finite")
    if math.isnan(value):
        raise InputError(f"{where}, column {column!r}: write a missing value as an empty cell")
    return value


def point_text(cell: str, where: str, column: str, *, decimal: Decimal = ".") -> str:
    """The text of a numeric cell with ``.`` as its decimal mark (``decimal=","``: the one
    comma becomes a point; a ``.`` is then refused, being a thousands separator or a
    mix-up)."""
    if decimal != ",":
        return cell
    if "." in cell:
        raise InputError(
            f"{where}, column {column!r}: {cell!r} has a '.' but the decimal mark is ',' "
            "(thousands separators are not read)"
        )
    return cell.replace(",", ".", 1) if cell.count(",") == 1 else cell


def comma_hint(cell: str, decimal: Decimal = ".") -> str:
    """A hint naming the decimal option, for a strict read of a cell like ``12,5``."""
    if decimal == "." and cell.count(",") == 1 and _is_number(cell.replace(",", ".")):
        return " (a decimal comma? read it with decimal=',', on the command line --decimal ,)"
    return ""


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# -- writing ---------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Prefix a single quote to text a spreadsheet would run as a formula.

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
    neutralised (OWASP, "CSV Injection"); numbers are written as numbers and never
    pass through here.
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def check_writable(path: str | os.PathLike[str], *inputs: str | os.PathLike[str]) -> None:
    """Reject an output path that cannot be written, before any work is done.

    Raises
    ------
    InputError
        A folder, a missing folder, an unsupported suffix, or one of ``inputs`` (the
        file being read).
    """
    p = os.fspath(path)
    if os.path.isdir(p):
        raise InputError(f"--out {p!r} is a folder; give the name of a .csv or .xlsx file")
    if not p.lower().endswith((".csv", *_WORKBOOK)):
        raise InputError(f"--out {p!r}: give a file ending in .csv or .xlsx")
    folder = os.path.dirname(os.path.abspath(p))
    if not os.path.isdir(folder):
        raise InputError(f"--out {p!r}: the folder {folder!r} does not exist")
    for source in inputs:
        if os.path.exists(p) and os.path.samefile(p, source):
            raise InputError(f"--out {p!r} is the input file; write the results elsewhere")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)  # reads back to the same double
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def _xlsx_cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    return neutralise(str(value))


def write_table(
    path: str | os.PathLike[str],
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    sheet: str = "results",
) -> None:
    """Write ``rows`` (one mapping per row) to a ``.csv`` or ``.xlsx`` file, atomically.

    The file is written to a temporary name in the target's folder and renamed over the
    target only once complete: a failure (full disk, a permission denied) leaves no
    partial file and keeps an earlier file of that name. Text cells are neutralised
    (:func:`neutralise`); floats are written in full (CSV: the shortest text that reads
    back to the same double).

    Raises
    ------
    InputError
        The folder does not exist, the path is a folder or has another suffix, or the
        write fails (the message names the path and the reason).
    MissingDependencyError
        ``.xlsx`` without openpyxl.
    """
    target = os.fspath(path)
    check_writable(target)
    workbook = is_workbook(target)
    book = _openpyxl() if workbook else None
    folder = os.path.dirname(os.path.abspath(target))
    suffix = ".xlsx.tmp" if workbook else ".csv.tmp"
    try:
        fd, tmp = tempfile.mkstemp(prefix=".egovindex-", suffix=suffix, dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write {target!r}: {exc.strerror or exc}") from None
    try:
        if book is not None:
            os.close(fd)
            _write_xlsx(book, tmp, rows, columns, sheet)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow([neutralise(c) for c in columns])
                for row in rows:
                    writer.writerow([_csv_cell(row.get(c)) for c in columns])
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise InputError(f"cannot write {target!r}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp)
        raise


def _write_xlsx(
    openpyxl: Any,
    tmp: str,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    sheet: str,
) -> None:
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    ws.append([neutralise(c) for c in columns])
    for row in rows:
        ws.append([_xlsx_cell(row.get(c)) for c in columns])
    book.save(tmp)


def _remove(tmp: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(tmp)
