"""Target-gap projections: what a target takes, and when and how likely it is reached.

- :func:`gap`: rank gain, EGDI needed, per-component increases and the least-norm mix,
  others frozen at their published values (methodology A.8.4, naive shortcut);
- :func:`exact_gap`: the least change of raw indicators, every normalisation refitted
  (methodology A.8.4, exact counterfactual);
- :func:`time_to_target`, :func:`probability_of_target`: every country moving on a trend,
  or by resampled past changes;
- :func:`forecast`, :func:`backtest`: joint predictive draws of every country at future
  Surveys, and their rolling-origin skill against persistence and the base rate;
- :func:`share_gap`: items still needed for a share target.
"""

from egovindex.projection.backtest import Backtest, backtest
from egovindex.projection.exact import ExactGap, exact_gap
from egovindex.projection.forecast import Forecast, forecast
from egovindex.projection.gap import Gap, gap
from egovindex.projection.shares import share_gap
from egovindex.projection.trend import (
    Outlook,
    TargetProbability,
    probability_of_target,
    time_to_target,
)

__all__ = [
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
]
