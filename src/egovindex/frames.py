"""Data frames at the edge: results to pandas or polars, frames to records.

pandas and polars are optional extras (``pip install 'egovindex[pandas]'``,
``'egovindex[polars]'``), imported only when a conversion is asked for; without them
the conversion raises :class:`~egovindex.errors.MissingDependencyError` naming the
extra. The core never imports this module: result objects call it from their
``to_pandas()``/``to_polars()`` methods.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from egovindex.errors import InputError, MissingDependencyError

__all__ = ["columns_of", "frame", "frame_records", "result_columns", "to_pandas", "to_polars"]


def _import(name: str) -> Any:
    try:
        return __import__(name)
    except ImportError:
        raise MissingDependencyError(
            f"this needs {name}: pip install 'egovindex[{name}]'"
        ) from None


def _flat(row: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, Mapping):
            prefix = "rank" if key == "ranks" else key
            for sub, v in value.items():
                out[f"{prefix}_{sub}"] = v
        else:
            out[key] = value
    return out


def columns_of(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Records to columns; one level of nesting becomes ``key_sub`` columns (``ranks``
    gives ``rank_<code>``); a key absent from a record is ``None`` there."""
    flat = [_flat(r) for r in rows]
    keys = list(dict.fromkeys(k for r in flat for k in r))
    return {k: [r.get(k) for r in flat] for k in keys}


def to_pandas(columns: Mapping[str, Sequence[Any]]) -> Any:
    """A :class:`pandas.DataFrame` of ``columns`` (name -> values, in order)."""
    pandas = _import("pandas")
    return pandas.DataFrame({k: list(v) for k, v in columns.items()})


def to_polars(columns: Mapping[str, Sequence[Any]]) -> Any:
    """A :class:`polars.DataFrame` of ``columns`` (name -> values, in order)."""
    polars = _import("polars")
    return polars.DataFrame({k: list(v) for k, v in columns.items()}, strict=False)


def result_columns(result: Any) -> dict[str, list[Any]]:
    """The columns of a result object, one row per country or entity.

    - :class:`~egovindex.datasets.Survey`: ``iso3, name, region, sub_region, egdi, osi,
      tii, hci, epi, egdi_rank`` (and ``epi_rank`` when published), ``year``;
    - :class:`~egovindex.composite.Scores`: ``entity`` and every node's values;
    - UN scores (:meth:`Methodology.score`): the columns of ``to_rows()``;
    - :class:`~egovindex.domestic.DomesticScores`: the columns of ``rows()``;
    - :class:`~egovindex.projection.Gap`: one row, the keys of ``to_dict()``;
    - :class:`~egovindex.projection.Backtest`: one row per origin, its ``rows()``;
    - :class:`~egovindex.uncertainty.RankSummary`: the scalar columns of ``rows()`` and
      ``level_probabilities`` as ``p_<level>`` (the sparse ``rank_probabilities`` are
      left out: see ``rank_probability``).
    """
    from egovindex.composite import Scores
    from egovindex.datasets.survey import Survey

    if isinstance(result, Survey):
        out: dict[str, list[Any]] = {
            "iso3": list(result.countries),
            "name": list(result.names),
            "region": list(result.regions),
            "sub_region": list(result.sub_regions),
        }
        for key in ("egdi", "osi", "tii", "hci", "epi"):
            out[key] = result.index(key).tolist()
        out["egdi_rank"] = result.egdi_rank.tolist()
        if result.epi_rank is not None:
            out["epi_rank"] = result.epi_rank.tolist()
        out["year"] = [result.year] * len(result)
        return out
    if isinstance(result, Scores):
        return {"entity": list(result.entities)} | {k: v.tolist() for k, v in result.values.items()}
    if hasattr(result, "to_rows"):
        return columns_of(result.to_rows())
    if hasattr(result, "level_labels") and hasattr(result, "rows"):  # RankSummary
        rows = []
        for r in result.rows():
            rec = {k: v for k, v in r.items() if not isinstance(v, Mapping)}
            rec |= {f"p_{g}": p for g, p in r.get("level_probabilities", {}).items()}
            rows.append(rec)
        return columns_of(rows)
    if hasattr(result, "rows"):
        return columns_of(result.rows())
    if hasattr(result, "to_dict"):
        return columns_of([result.to_dict()])
    raise InputError(f"no table for a {type(result).__name__}")


def frame(result: Any, kind: str) -> Any:
    """``result`` (see :func:`result_columns`) as a ``"pandas"`` or ``"polars"`` frame."""
    columns = result_columns(result)
    return to_pandas(columns) if kind == "pandas" else to_polars(columns)


def frame_records(frame: Any, entity: str) -> list[dict[str, Any]]:
    """The rows of a pandas or polars data frame as records; ``entity`` may be a column or
    the name of a pandas index. Missing values (NaN, None, pandas NA) become ``None``.

    Raises
    ------
    InputError
        Not a pandas or polars frame, or no ``entity`` column.
    """
    if hasattr(frame, "to_dicts"):  # polars
        columns = list(frame.columns)
        records: list[dict[str, Any]] = frame.to_dicts()
    elif hasattr(frame, "to_dict") and hasattr(frame, "columns"):  # pandas
        if entity not in frame.columns and entity in (frame.index.names or []):
            frame = frame.reset_index()
        columns = [str(c) for c in frame.columns]
        records = [{str(k): v for k, v in r.items()} for r in frame.to_dict(orient="records")]
    else:
        raise InputError(f"expected a pandas or polars DataFrame, got {type(frame).__name__}")
    if entity not in columns:
        raise InputError(
            f"the frame has no column {entity!r} (columns: {', '.join(map(str, columns))}); "
            "name the entity column with entity=..."
        )
    return [{k: _missing_to_none(v) for k, v in r.items()} for r in records]


def _missing_to_none(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if value != value:  # pandas NA, NaT and NumPy NaN
            return None
    except (TypeError, ValueError):  # pandas NA refuses a truth value
        return None
    return value
