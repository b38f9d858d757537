"""Sobol indices against closed forms: the Ishigami function and a linear model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from egovindex.composite import Leaf, Node
from egovindex.errors import InputError
from egovindex.normalise import Identity, ZScore
from egovindex.uncertainty import (
    AggregationChoice,
    DirichletWeights,
    IndicatorNoise,
    Problem,
    saltelli,
    sobol,
    sobol_indices,
)
from egovindex.uncertainty.sobol import FewSamplesWarning, bootstrap_intervals


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
    assert res.warnings == ()
    # the 95 % bootstrap intervals of a well-conditioned estimate bracket it and are narrow
    for est, ci in ((score_s, res.first_order_ci["score"]), (score_st, res.total_ci["score"])):
        assert ci.shape == (2, 2, 6)
        assert (ci[0] <= est).all()
        assert (est <= ci[1]).all()
        assert (ci[1] - ci[0]).max() < 0.2  # N = 4096: about +-0.05 on S, +-0.02 on ST
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
    with pytest.warns(FewSamplesWarning, match=r"rest on \d+ of 256 base samples"):
        res = sobol(p, 256, seed=1)
    assert res.warnings
    assert f"{res.n_used} of 256" in res.warnings[0]
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


def test_bootstrap_is_the_estimator_on_resampled_base_samples() -> None:
    # reference: resample the base samples by index and apply sobol_indices itself
    rng = np.random.default_rng(4)
    n, k, m = 64, 3, 2
    f_a, f_b = rng.normal(size=(n, m)), rng.normal(size=(n, m))
    f_ab = f_a[None] + rng.normal(size=(k, n, m)) * np.array([0.1, 1.0, 3.0])[:, None, None]
    first, total = bootstrap_intervals(f_a, f_b, f_ab, n_bootstrap=50, confidence=0.8, seed=9)
    w = np.random.default_rng(9).multinomial(n, np.full(n, 1 / n), size=50)
    s_all, st_all = [], []
    for counts in w:
        idx = np.repeat(np.arange(n), counts)
        s, st, _ = sobol_indices(f_a[idx], f_b[idx], f_ab[:, idx])
        s_all.append(s)
        st_all.append(st)
    np.testing.assert_allclose(first, np.quantile(s_all, [0.1, 0.9], axis=0), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(
        total, np.quantile(st_all, [0.1, 0.9], axis=0), rtol=1e-9, atol=1e-12
    )


def test_few_valid_samples_widen_the_intervals() -> None:
    # z-scores under a geometric mean: negative scores fail a share of the runs
    data = np.random.default_rng(0).uniform(1, 100, size=(12, 3))
    tree = Node("index", [Leaf(c, ZScore()) for c in "abc"], [0.5, 0.3, 0.2])
    factors = [
        DirichletWeights("index", 20.0),
        AggregationChoice(("arithmetic", "geometric"), zeros="fail"),
    ]
    p = Problem(tree, data, list("abc"), [f"P{i}" for i in range(12)], factors)
    with pytest.warns(FewSamplesWarning):
        res = sobol(p, 256, seed=1)
    assert res.n_used < 256
    # a failed run is counted once: no more failed runs than runs
    assert sum(res.failures.values()) <= res.evaluations
    lo, hi = res.first_order_ci["rank"]
    est = res.first_order["rank"]
    assert (lo <= hi).all()
    assert ((hi - lo) > 0).any()
    assert np.isfinite(est).all()


def test_bootstrap_checks_its_arguments() -> None:
    a = np.zeros((4, 1))
    with pytest.raises(InputError, match="n_bootstrap"):
        bootstrap_intervals(a, a, np.zeros((1, 4, 1)), n_bootstrap=0)
    with pytest.raises(InputError, match="confidence"):
        bootstrap_intervals(a, a, np.zeros((1, 4, 1)), confidence=1.0)
