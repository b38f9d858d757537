"""Factors and problems reject bad declarations with clear messages."""

from __future__ import annotations

import math

import numpy as np
import pytest

from egovindex.composite import Leaf, Node
from egovindex.errors import InputError, UnknownIndexError, UnknownIndicatorError
from egovindex.normalise import MinMax
from egovindex.panel import Direction, Indicator, Panel
from egovindex.uncertainty import (
    AggregationChoice,
    DirichletWeights,
    ImputationChoice,
    IndicatorNoise,
    Levels,
    NormalisationChoice,
    OutlierCapping,
    Problem,
    UniformWeights,
    monte_carlo,
)

TREE = Node("idx", [Leaf("x", MinMax()), Leaf("y", MinMax())], [0.5, 0.5])
DATA = np.array([[1.0, 2.0], [2.0, 1.0], [3.0, 5.0]])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: DirichletWeights("idx", 0.0), "concentration"),
        (lambda: DirichletWeights("idx", math.nan), "concentration"),
        (lambda: UniformWeights("idx", 0.6, 0.4), "low <= high"),
        (lambda: UniformWeights("idx", -0.1, 0.4), "low <= high"),
        (lambda: NormalisationChoice(("zscore", "rank")), "unknown option"),
        (lambda: NormalisationChoice(()), "at least one"),
        (lambda: NormalisationChoice(("zscore", "zscore")), "repeated"),
        (lambda: NormalisationChoice(zscore_scale=(0.0, -1.0)), "positive"),
        (lambda: AggregationChoice(("median",)), "unknown option"),
        (lambda: AggregationChoice(zeros="error"), "zero rule"),
        (lambda: ImputationChoice(("hot-deck",)), "unknown option"),
        (lambda: OutlierCapping((0, -1)), "non-negative integers"),
        (lambda: IndicatorNoise(relative=-0.1), "non-negative"),
        (lambda: IndicatorNoise(distribution="cauchy"), "distribution"),  # type: ignore[arg-type]
        (lambda: Levels((0.5,), ("a", "b", "c")), "one more label"),
        (lambda: Levels((0.2, 0.5), ("a", "b", "c")), "decrease"),
    ],
)
def test_bad_factors_raise(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match=message):
        make()


def test_bad_problems_raise() -> None:
    with pytest.raises(InputError, match=r"shape \(3, 2\), expected \(2 entities"):
        Problem(TREE, DATA, ["x", "y"], ["A", "B"])
    with pytest.raises(InputError, match="repeated entities"):
        Problem(TREE, DATA, ["x", "y"], ["A", "A", "B"])
    with pytest.raises(UnknownIndicatorError, match="no column for: y"):
        Problem(TREE, DATA, ["x", "z"], ["A", "B", "C"])
    with pytest.raises(UnknownIndexError, match="unknown name 'idz'"):
        Problem(TREE, DATA, ["x", "y"], ["A", "B", "C"], target="idz")
    with pytest.raises(InputError, match="not in the data"):
        Problem(TREE, DATA, ["x", "y"], ["A", "B", "C"], within=("A", "Q"))
    with pytest.raises(InputError, match="not an uncertainty factor"):
        Problem(TREE, DATA, ["x", "y"], ["A", "B", "C"], ["weights"])  # type: ignore[list-item]
    with pytest.raises(UnknownIndicatorError, match="zero_if_zero"):
        Problem(TREE, DATA, ["x", "y"], ["A", "B", "C"], zero_if_zero=("w",))


def test_factor_targets_are_checked_when_run() -> None:
    p = Problem(TREE, DATA, ["x", "y"], ["A", "B", "C"])
    with pytest.raises(UnknownIndexError, match="did you mean idx"):
        monte_carlo(p.with_factors([DirichletWeights("ids", 3)]), 10, seed=0)
    with pytest.raises(UnknownIndexError, match="unknown leaf 'w'"):
        monte_carlo(p.with_factors([NormalisationChoice(leaves=("w",))]), 10, seed=0)
    with pytest.raises(InputError, match="3 bounds for 2 children"):
        monte_carlo(p.with_factors([UniformWeights("idx", (0.1, 0.2, 0.3), 0.5)]), 10, seed=0)
    with pytest.raises(InputError, match="two factors act on the noise"):
        monte_carlo(p.with_factors([IndicatorNoise(0.1), IndicatorNoise(0.2)]), 10, seed=0)


def test_from_panel_and_lower_is_better() -> None:
    inds = [Indicator("x", "dimensionless"), Indicator("y", "dimensionless", Direction.LOWER)]
    panel = Panel(["A", "B", "C"], inds, DATA)
    p = Problem.from_panel(TREE, panel, [DirichletWeights("idx", 10)])
    assert p.directions == (Direction.HIGHER, Direction.LOWER)
    r = monte_carlo(p, 200, seed=0)
    # min-max: x -> 0, .5, 1; y (lower is better) -> (5 - y) / 4 = .75, 1, 0
    np.testing.assert_allclose(r.nominal_score, [0.375, 0.75, 0.5])
    assert r.nominal_rank.tolist() == [3, 1, 2]
    bad = Node("idx", [Leaf("x"), Leaf("y")], [0.5, 0.5])
    with pytest.raises(InputError, match="lower-is-better"):
        monte_carlo(Problem.from_panel(bad, panel, [DirichletWeights("idx", 10)]), 10, seed=0)
