"""Read the embedded CSV tables (``egovindex/datasets/data``) once, with the csv module.

The files are package data, read through :mod:`importlib.resources` so that they are
found in a wheel, a zip or an editable install alike; they are never written.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType

__all__ = ["edition_years", "read_table", "region_table"]

_SURVEY_FILE = re.compile(r"^un_egov_(\d{4})\.csv$")


def _data_dir() -> Traversable:
    return files("egovindex.datasets") / "data"


@functools.cache
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """Return the rows of the embedded CSV file ``name`` as dictionaries (parsed once)."""
    text = (_data_dir() / name).read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text, newline="")))


@functools.cache
def edition_years() -> tuple[int, ...]:
    """Return the years of the embedded ``un_egov_<year>.csv`` tables, ascending."""
    found = (_SURVEY_FILE.match(entry.name) for entry in _data_dir().iterdir())
    return tuple(sorted(int(m.group(1)) for m in found if m))


@functools.cache
def region_table() -> Mapping[str, tuple[str, str]]:
    """Return ``{iso3: (region, sub_region)}`` from ``un_egov_country_regions.csv``."""
    return MappingProxyType(
        {
            row["iso3"]: (row["region"], row["sub_region"])
            for row in read_table("un_egov_country_regions.csv")
        }
    )
