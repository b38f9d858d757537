"""The UN E-Government Survey methodology, edition by edition (2003-2024).

- :func:`methodology` (``eg.un.methodology(2022)``): an edition's TII, HCI, OSI and EPI
  trees, options and :meth:`~Methodology.score` from raw indicators;
- :func:`edition`: the frozen :class:`Edition` specification (indicators, weights, caps,
  special rules with their sources);
- :func:`egdi`: the top-level formula of an edition with its special rules;
- :data:`INDICATORS`: the raw-indicator columns, with units and bounds.
"""

from egovindex.methodologies.un.editions import (
    HDI_CAPS,
    OSI_SUBINDICES,
    RESERVED_EDITIONS,
    Edition,
    edition,
)
from egovindex.methodologies.un.formula import (
    EDITIONS,
    TopWeights,
    egdi,
    top_weights,
    zero_rule_component,
)
from egovindex.methodologies.un.indicators import INDICATORS, indicator
from egovindex.methodologies.un.methodology import (
    COMPONENTS,
    InputSource,
    Methodology,
    UNMissing,
    UNScores,
    methodology,
    raw_panel,
)

__all__ = [
    "COMPONENTS",
    "EDITIONS",
    "HDI_CAPS",
    "INDICATORS",
    "OSI_SUBINDICES",
    "RESERVED_EDITIONS",
    "Edition",
    "InputSource",
    "Methodology",
    "TopWeights",
    "UNMissing",
    "UNScores",
    "edition",
    "egdi",
    "indicator",
    "methodology",
    "raw_panel",
    "top_weights",
    "zero_rule_component",
]
