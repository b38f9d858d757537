"""The published UN E-Government Survey results, 2003-2024, embedded in the package.

- :func:`editions`, :func:`load_survey` -> :class:`Survey` (one edition),
  :func:`load_history` -> :class:`History` (every edition);
- :func:`resolve_country`: ISO3 code or name (case/accent-insensitive, aliases) -> ISO3;
- :mod:`egovindex.datasets.regions`: M49 regions and sub-regions, "ASEAN".

The tables are read from package data with :mod:`importlib.resources` and parsed once.
"""

from egovindex.datasets.datacenter import read_datacenter_csv
from egovindex.datasets.history import History, load_history
from egovindex.datasets.names import resolve_country
from egovindex.datasets.regions import REGIONS, SUB_REGIONS, regions_of
from egovindex.datasets.survey import INDICES, CountryRecord, Survey, editions, load_survey

__all__ = [
    "INDICES",
    "REGIONS",
    "SUB_REGIONS",
    "CountryRecord",
    "History",
    "Survey",
    "editions",
    "load_history",
    "load_survey",
    "read_datacenter_csv",
    "regions_of",
    "resolve_country",
]
