"""Domestic e-government scoring: frameworks as data, online services, programme tasks.

- :func:`load_framework` reads a scoring framework (a TOML file, or a built-in name
  from :func:`builtin_frameworks`: Viet Nam's Digital Transformation Index of
  provinces and ministries and the Vietnam ICT Index, methodology B.2-B.3);
  :meth:`Framework.score` scores entities on it with the composite engine.
- :class:`Catalogue` (:func:`read_catalogue`) gives the shares of online public
  services per agency and nationally; :class:`ServiceLevel` and
  :func:`classify_level` implement Decree 43/2011's four levels, :class:`OnlineMode`
  Decree 42/2022's full/partial online (methodology B.1).
- :class:`Programme` (:func:`read_tasks`) tracks the tasks of a programme by agency.
- :class:`Merger` (:func:`read_merge`) scores entities that merged (Viet Nam's 63
  provinces into 34 in 2025) from the entities each absorbed.
"""

from egovindex.domestic.framework import (
    Framework,
    IndicatorSpec,
    Pillar,
    TotalSpec,
    WeightOption,
)
from egovindex.domestic.io import (
    FrameworkData,
    example_file,
    read_catalogue,
    read_data,
    read_merge,
    read_tasks,
)
from egovindex.domestic.loader import builtin_frameworks, load_framework, parse_framework
from egovindex.domestic.merge import Merger, MergeRule
from egovindex.domestic.programme import AgencyProgress, OverdueTask, Programme
from egovindex.domestic.results import DomesticScores
from egovindex.domestic.services import (
    SHARE_METRICS,
    Catalogue,
    OnlineMode,
    ServiceLevel,
    ServiceShares,
    classify_level,
    classify_levels,
    online_mode,
)

__all__ = [
    "SHARE_METRICS",
    "AgencyProgress",
    "Catalogue",
    "DomesticScores",
    "Framework",
    "FrameworkData",
    "IndicatorSpec",
    "MergeRule",
    "Merger",
    "OnlineMode",
    "OverdueTask",
    "Pillar",
    "Programme",
    "ServiceLevel",
    "ServiceShares",
    "TotalSpec",
    "WeightOption",
    "builtin_frameworks",
    "classify_level",
    "classify_levels",
    "example_file",
    "load_framework",
    "online_mode",
    "parse_framework",
    "read_catalogue",
    "read_data",
    "read_merge",
    "read_tasks",
]
