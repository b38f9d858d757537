"""Benchmarks run with ``pytest benchmarks --benchmark-only`` (never in the unit tests).

Each benchmark times the library and, in the same run, a naive baseline; the rates and
ratios are stored in the benchmark's ``extra_info`` (shown with ``--benchmark-json``) and
printed with ``-s``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def pytest_collect_file(file_path: Path, parent: object) -> object:
    """Collect ``bench_*.py`` here (the project's ``python_files`` is ``test_*.py``)."""
    import pytest

    # A file named on the command line is collected by pytest itself; only add the rest.
    session = getattr(parent, "session", None)
    if session is not None and session.isinitpath(file_path):
        return None
    if file_path.suffix == ".py" and file_path.name.startswith("bench_"):
        return pytest.Module.from_parent(parent, path=file_path)  # type: ignore[attr-defined]
    return None
