"""egovindex: e-government indicator models.

The UN E-Government Development Index (EGDI) of every Survey edition, domestic
ICT-application indices, target-gap projections and uncertainty analysis, on one
small, pure composite-index engine.
"""

from importlib.metadata import PackageNotFoundError, version

from egovindex.errors import EgovIndexError

try:
    __version__ = version("egovindex")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["EgovIndexError", "__version__"]
