"""Methodology.uncertainty_problem: the EGDI's Monte Carlo problem from the tree's top level.

It replaced the command line's own problem builder; the two were tested equal (problem and
Monte Carlo tallies, every edition and option) before the builder was deleted.
"""

import numpy as np
import pytest

from egovindex.datasets import editions, load_survey
from egovindex.errors import InputError
from egovindex.methodologies.un import methodology
from egovindex.uncertainty import (
    EGDI_LEVELS,
    AggregationChoice,
    DirichletWeights,
    IndicatorNoise,
)
from egovindex.uncertainty.montecarlo import replicate


@pytest.mark.parametrize("year", editions())
def test_the_problem_is_the_top_of_the_tree_on_published_components(year: int) -> None:
    survey = load_survey(year)
    m = methodology(year)
    p = m.uncertainty_problem(survey)
    assert p.tree.weights == m.tree.weights == m.edition.top_weights
    assert p.zero_if_zero == p.tree.zero_if_zero == m.tree.zero_if_zero
    assert p.codes == ("osi", "tii", "hci")
    for j, c in enumerate(p.codes):
        np.testing.assert_array_equal(np.asarray(p.data)[:, j], survey.index(c))
    assert p.entities == survey.countries
    assert p.factors == (
        DirichletWeights("egdi", 100.0),
        AggregationChoice(("arithmetic", "geometric"), zeros="zero"),
        IndicatorNoise(relative=0.02, clip=(0.0, 1.0)),
    )
    assert p.levels == EGDI_LEVELS
    assert p.within is None


def test_options_within_and_no_noise() -> None:
    survey = load_survey(2024)
    p = methodology(2024).uncertainty_problem(
        survey, within="South-eastern Asia", noise=None, aggregation="geometric", zeros="floor"
    )
    assert p.within == survey.members("South-eastern Asia")
    assert p.factors == (
        DirichletWeights("egdi", 100.0),
        AggregationChoice(("geometric",), zeros="floor"),
    )


def test_the_zero_rule_holds_in_every_replication() -> None:
    # 2012: EGDI := 0 when OSI = 0 (methodology A.1.1 item 4), under either aggregation.
    survey = load_survey(2012)
    zero = np.asarray(survey.osi) == 0
    assert zero.any()  # the 2012 Survey has countries with OSI 0
    p = methodology(2012).uncertainty_problem(survey, noise=0.1, aggregation="arithmetic")
    r = replicate(p, 300, seed=1)
    assert r.valid.all()
    assert (r.scores[:, zero] == 0).all()
    assert (r.scores[:, ~zero] > 0).all()


def test_another_year_is_refused() -> None:
    with pytest.raises(InputError, match="methodology\\(2022\\)"):
        methodology(2024).uncertainty_problem(load_survey(2022))
    with pytest.raises(InputError, match="unknown aggregation"):
        methodology(2024).uncertainty_problem(load_survey(2024), aggregation="median")  # type: ignore[arg-type]


def test_the_monte_carlo_core_applies_the_roots_zero_rule() -> None:
    # The rule held by the tree alone (not repeated as Problem.zero_if_zero) is applied.
    from egovindex.composite import Leaf, Node
    from egovindex.normalise import MinMax
    from egovindex.uncertainty import Problem

    survey = load_survey(2012)
    full = methodology(2012).uncertainty_problem(survey, noise=0.1, aggregation="arithmetic")
    tree_only = Problem(full.tree, full.data, full.codes, full.entities, full.factors)
    assert tree_only.zero_if_zero == ()
    a, b = replicate(full, 200, seed=4), replicate(tree_only, 200, seed=4)
    np.testing.assert_array_equal(a.scores, b.scores)
    # Below the root, or on a normalised child, the rule is a step of the node, as in
    # evaluate: a replication at the nominal factors is the engine's value.
    from egovindex.composite import evaluate_array

    inner = Node("x", [Leaf("osi"), Leaf("tii")], [0.5, 0.5], zero_if_zero=("osi",))
    nested = Node("egdi", [inner, Leaf("hci")], [0.5, 0.5])
    scaled = Node("egdi", [Leaf("osi", MinMax()), Leaf("tii")], [0.5, 0.5], zero_if_zero=("osi",))
    dirs = dict(zip(full.codes, full.directions, strict=True))
    zero = np.asarray(full.data)[:, full.codes.index("osi")] == 0
    assert zero.any()
    for tree in (nested, scaled):
        p = Problem(tree, full.data, full.codes, full.entities)
        engine = evaluate_array(tree, np.asarray(full.data), full.codes, dirs)
        np.testing.assert_array_equal(replicate(p, 3, seed=1).scores[0], engine["egdi"])
    inner_values = evaluate_array(nested, np.asarray(full.data), full.codes, dirs)["x"]
    assert (inner_values[zero] == 0).all()
    assert (inner_values[~zero] > 0).all()
