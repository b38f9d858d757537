"""egovindex: e-government indicator models.

The UN E-Government Development Index (EGDI) of every Survey edition, domestic
ICT-application indices, target-gap projections and uncertainty analysis, on one
small, pure composite-index engine.
"""

from importlib.metadata import PackageNotFoundError, version

from egovindex import domestic, un, uncertainty
from egovindex.datasets import (
    CountryRecord,
    History,
    Survey,
    editions,
    load_history,
    load_survey,
)
from egovindex.errors import EgovIndexError
from egovindex.methodologies.un import egdi, methodology
from egovindex.projection import (
    Backtest,
    ExactGap,
    Forecast,
    Gap,
    Outlook,
    TargetProbability,
    backtest,
    exact_gap,
    forecast,
    gap,
    probability_of_target,
    share_gap,
    time_to_target,
)
from egovindex.ranking import egdi_group, rating_class
from egovindex.summaries import group_counts, regional_means, summarise

try:
    __version__ = version("egovindex")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Backtest",
    "CountryRecord",
    "EgovIndexError",
    "ExactGap",
    "Forecast",
    "Gap",
    "History",
    "Outlook",
    "Survey",
    "TargetProbability",
    "__version__",
    "backtest",
    "domestic",
    "editions",
    "egdi",
    "egdi_group",
    "exact_gap",
    "forecast",
    "gap",
    "group_counts",
    "load_history",
    "load_survey",
    "methodology",
    "probability_of_target",
    "rating_class",
    "regional_means",
    "share_gap",
    "summarise",
    "time_to_target",
    "un",
    "uncertainty",
]
