"""egovindex: e-government indicator models.

The UN E-Government Development Index (EGDI) of every Survey edition, domestic
ICT-application indices, target-gap projections and uncertainty analysis, on one
small, pure composite-index engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

    __version__: str

# Public name -> the module defining it. Imported on first access (PEP 562), so that
# ``import egovindex`` and the command line start fast and load only what they use.
_LAZY: dict[str, str] = {
    **dict.fromkeys(("domestic", "un", "uncertainty"), ""),
    **dict.fromkeys(
        ("CountryRecord", "History", "Survey", "editions", "load_history", "load_survey"),
        "egovindex.datasets",
    ),
    "EgovIndexError": "egovindex.errors",
    **dict.fromkeys(("egdi", "methodology"), "egovindex.methodologies.un"),
    **dict.fromkeys(
        (
            "Backtest",
            "ExactGap",
            "Forecast",
            "Gap",
            "Outlook",
            "TargetProbability",
            "backtest",
            "exact_gap",
            "forecast",
            "gap",
            "probability_of_target",
            "share_gap",
            "time_to_target",
        ),
        "egovindex.projection",
    ),
    **dict.fromkeys(("egdi_group", "rating_class"), "egovindex.ranking"),
    **dict.fromkeys(("group_counts", "regional_means", "summarise"), "egovindex.summaries"),
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value: Any = version("egovindex")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            value = "0.0.0"
    elif name in _LAZY:
        where = _LAZY[name]
        if where:
            value = getattr(importlib.import_module(where), name)
        else:
            value = importlib.import_module(f"egovindex.{name}")
    else:
        raise AttributeError(f"module 'egovindex' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
