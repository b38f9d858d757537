"""Methodology.uncertainty_problem: the EGDI's Monte Carlo problem from the tree's top level."""

import numpy as np
import pytest

from egovindex.cli.uncertainty import problem_for
from egovindex.datasets import editions, load_survey
from egovindex.methodologies.un import methodology
from egovindex.uncertainty import monte_carlo

CASES = [
    {},
    {"within": "South-eastern Asia"},
    {"concentration": 20.0, "noise": 0.0, "aggregation": "geometric", "zeros": "floor"},
    {"aggregation": "arithmetic", "zeros": "fail", "within": ["VNM", "THA", "FRA", "DEU"]},
]


@pytest.mark.parametrize("year", editions())
@pytest.mark.parametrize("case", range(len(CASES)))
def test_the_method_gives_the_problem_the_command_built(year: int, case: int) -> None:
    survey = load_survey(year)
    opts = CASES[case]
    old = problem_for(survey, **opts)  # type: ignore[arg-type]
    new = methodology(year).uncertainty_problem(survey, **opts)  # type: ignore[arg-type]
    assert new.tree.weights == old.tree.weights
    assert [c.name for c in new.tree.children] == [c.name for c in old.tree.children]
    np.testing.assert_array_equal(np.asarray(new.data), np.asarray(old.data))
    for field in ("codes", "entities", "factors", "within", "levels", "zero_if_zero"):
        assert getattr(new, field) == getattr(old, field), field
    a = monte_carlo(old, 500, seed=3, accelerator="numpy")
    b = monte_carlo(new, 500, seed=3, accelerator="numpy")
    np.testing.assert_array_equal(a.rank_counts, b.rank_counts)
    np.testing.assert_array_equal(a.level_counts, b.level_counts)
    assert dict(a.failures) == dict(b.failures)
