"""``egovindex.un``: the UN E-Government Survey methodology (an alias of
:mod:`egovindex.methodologies.un`, so that ``import egovindex.un`` and ``eg.un`` both work)."""

from egovindex.methodologies.un import *  # noqa: F403
from egovindex.methodologies.un import __all__ as __all__
