"""``import egovindex`` stays light: no scipy.stats, no pint registry, until they are used."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from egovindex.units import KNOWN_UNITS, registry


def _modules_after(code: str) -> dict[str, bool]:
    probe = (
        f"{code}\nimport json, sys\n"
        "print(json.dumps({m: m in sys.modules for m in "
        "('scipy.stats', 'pint', 'scipy.special', 'egovindex.uncertainty')}))\n"
        "from egovindex.units import registry\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded: dict[str, bool] = json.loads(done.stdout)
    return loaded


@pytest.mark.parametrize(
    "code",
    [
        "import egovindex",
        "import egovindex.cli",
        "import egovindex; egovindex.load_survey(2024).index('egdi')",
        "from egovindex.methodologies.un import methodology; methodology(2024)",
    ],
)
def test_import_loads_neither_scipy_stats_nor_pint(code: str) -> None:
    loaded = _modules_after(code)
    assert not loaded["scipy.stats"]
    assert not loaded["pint"]  # the registry cannot have been built without pint


def test_ranking_a_matrix_imports_scipy_stats_when_needed() -> None:
    code = "import numpy as np\nfrom egovindex.ranking import rank\nrank(np.ones((2, 3)))"
    assert _modules_after(code)["scipy.stats"]


def test_lazy_names_are_the_public_ones() -> None:
    import egovindex

    for name in egovindex.__all__:
        assert getattr(egovindex, name) is not None
    assert set(egovindex.__all__) <= set(dir(egovindex))
    with pytest.raises(AttributeError):
        _ = egovindex.no_such_name


@pytest.mark.parametrize("unit", sorted(KNOWN_UNITS))
def test_every_known_unit_is_a_unit_of_the_registry(unit: str) -> None:
    registry()(unit)  # raises when pint does not know the unit
