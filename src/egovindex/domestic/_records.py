"""Row checks shared by the record tables of domestic scoring (service catalogues, tasks).

Both tables have one row per item with a unique identifier and the agency responsible;
both report a problem with the source, the row, the item and the column.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from egovindex.errors import DuplicateEntityError, MissingDataError

__all__ = ["Keyed", "cell_text", "keyed_records"]

Keyed = tuple[str, str, str, Mapping[str, Any]]
"""``(where, item id, agency, record)``; ``where`` names the source, row and item."""


def cell_text(value: Any) -> str:
    """The stripped text of a cell; ``""`` for ``None``."""
    return "" if value is None else str(value).strip()


def keyed_records(
    rows: Iterable[Mapping[str, Any]],
    *,
    id_key: str,
    kind: str,
    required: Sequence[str],
    row_numbers: Sequence[int] | None = None,
    source: str | None = None,
) -> Iterator[Keyed]:
    """Yield each record with its identifier and agency, after the checks every table needs.

    Parameters
    ----------
    rows
        Records, e.g. CSV rows of strings.
    id_key, kind
        The identifier column (``"service_id"``) and what an item is called (``"service"``).
    required
        Keys every record must hold (besides ``id_key`` and ``"agency"``).
    row_numbers, source
        Row number of each record and the file name, for the messages (default 1, 2, ...).

    Raises
    ------
    MissingDataError
        A required key is absent, or the identifier or agency is empty.
    DuplicateEntityError
        An identifier appears twice (the message names both rows).
    """
    records = list(rows)
    numbers = list(row_numbers) if row_numbers is not None else list(range(1, len(records) + 1))
    first_row: dict[str, int] = {}
    for rec, n in zip(records, numbers, strict=True):
        where = f"{source}, row {n}" if source else f"row {n}"
        for key in (id_key, "agency", *required):
            if key not in rec:
                raise MissingDataError(f"{where}: no {key!r} column")
        item = cell_text(rec[id_key])
        if not item:
            raise MissingDataError(f"{where}, column {id_key!r}: empty")
        where = f"{where} ({kind} {item!r})"
        if item in first_row:
            raise DuplicateEntityError(
                f"{where}: {kind} id {item!r} already appears at row {first_row[item]}"
            )
        first_row[item] = n
        agency = cell_text(rec["agency"])
        if not agency:
            raise MissingDataError(f"{where}, column 'agency': empty")
        yield where, item, agency, rec
