"""Sobol indices against closed forms: the Ishigami function and a linear model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from egovindex.composite import Leaf, Node
from egovindex.errors import InputError
from egovindex.normalise import Identity
from egovindex.uncertainty import (
    AggregationChoice,
    DirichletWeights,
    IndicatorNoise,
    Problem,
    saltelli,
    sobol,
    sobol_indices,
)


def _ishigami(u: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    x = -math.pi + 2 * math.pi * u
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_ishigami_indices_match_the_closed_form() -> None:
    a, b = 7.0, 0.1
    # closed form (Ishigami and Homma 1990; Saltelli et al. 2008, section 4.5)
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    s_exact = np.array([v1 / v, v2 / v, 0.0])
    st_exact = np.array([(v1 + v13) / v, v2 / v, v13 / v])

    d = saltelli((1, 1, 1), 2**14, seed=7)
    f_a, f_b = _ishigami(d.matrix("A")), _ishigami(d.matrix("B"))
    f_ab = np.stack([_ishigami(d.matrix(i)) for i in range(3)])
    s, st, var = sobol_indices(f_a, f_b, f_ab)
    assert var == pytest.approx(v, rel=0.03)
    np.testing.assert_allclose(s, s_exact, atol=0.03)
    np.testing.assert_allclose(st, st_exact, atol=0.03)


def test_linear_model_through_a_problem() -> None:
    # score_e = 0.7 (x_e + 0.3 e1) + 0.3 (y_e + 1.0 e2): variance shares are closed form
    w, s1, s2 = (0.7, 0.3), 0.3, 1.0
    tree = Node("idx", [Leaf("x", Identity()), Leaf("y", Identity())], list(w))
    data = np.random.default_rng(0).random((6, 2))
    p = Problem(
        tree,
        data,
        ["x", "y"],
        list("ABCDEF"),
        [IndicatorNoise(absolute=s1, codes=("x",)), IndicatorNoise(absolute=s2, codes=("y",))],
    )
    res = sobol(p, 2**12, seed=3)
    v1, v2 = (w[0] * s1) ** 2, (w[1] * s2) ** 2
    exact = np.array([v1, v2]) / (v1 + v2)
    score_s, score_st = res.first_order["score"], res.total["score"]
    np.testing.assert_allclose(score_s, np.broadcast_to(exact[:, None], (2, 6)), atol=0.04)
    np.testing.assert_allclose(score_st, np.broadcast_to(exact[:, None], (2, 6)), atol=0.04)
    assert res.n_used == res.n_base == 2**12
    assert res.evaluations == 2**12 * 4
    assert res.first_order["rank"].shape == (2, 6)
    rows = res.rows("rank")
    assert set(rows[0]) >= {"entity", "variance", "S[noise(x)]", "ST[noise(y)]"}


def test_fixed_factors_get_zero_and_failures_drop_base_samples() -> None:
    tree = Node("idx", [Leaf("x", Identity()), Leaf("y", Identity())], [0.5, 0.5])
    data = np.array([[0.2, 0.9], [0.4, 0.0], [0.8, 0.5]])
    p = Problem(
        tree,
        data,
        ["x", "y"],
        list("ABC"),
        [DirichletWeights("idx", math.inf), AggregationChoice()],
    )
    res = sobol(p, 256, seed=1)
    assert (res.first_order["score"][0] == 0).all()
    assert (res.total["score"][0] == 0).all()
    # the geometric mean meets B's zero: every base sample with a geometric run is dropped
    assert res.failures["geometric mean met a zero at node 'idx'"] > 0
    assert 0 < res.n_used < 256


def test_design_checks() -> None:
    with pytest.raises(InputError, match="power of two"):
        saltelli((1, 2), 1000, seed=0)
    with pytest.raises(InputError, match="no factor varies"):
        saltelli((0, 0), 64, seed=0)
    d1, d2 = saltelli((2, 1), 64, seed=5), saltelli((2, 1), 64, seed=5)
    np.testing.assert_array_equal(d1.a, d2.a)
    ab = d1.matrix(0)
    np.testing.assert_array_equal(ab[:, :2], d1.b[:, :2])
    np.testing.assert_array_equal(ab[:, 2], d1.a[:, 2])
    with pytest.raises(InputError, match="shapes"):
        sobol_indices(np.zeros(4), np.zeros(5), np.zeros((1, 4)))
