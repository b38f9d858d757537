"""Without matplotlib, ``egovindex.plots`` fails with a clear error that names the extra.

(Kept apart from ``test_plots.py``, which is skipped where matplotlib is absent.)
"""

from __future__ import annotations

import sys

import pytest

import egovindex as eg
from egovindex import plots
from egovindex.errors import EgovIndexError, MissingDependencyError


def test_without_matplotlib_a_clear_error_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A None entry in sys.modules makes the import fail as if matplotlib were absent.
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "egovindex\[plot\]"') as info:
        plots.component_profile(eg.load_survey(2024), "VNM")
    assert isinstance(info.value, ImportError)
    assert isinstance(info.value, EgovIndexError)
