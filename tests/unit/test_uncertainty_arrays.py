"""The array-API path (array-api-strict, PyTorch on CPU) gives NumPy's numbers."""

from __future__ import annotations

import numpy as np
import pytest

from egovindex.composite import Leaf, Node
from egovindex.errors import InputError
from egovindex.normalise import Cap, Chain, MinMax, RankScore, ZScore
from egovindex.panel import Direction
from egovindex.uncertainty import (
    EGDI_LEVELS,
    AggregationChoice,
    DirichletWeights,
    ImputationChoice,
    IndicatorNoise,
    NormalisationChoice,
    OutlierCapping,
    Problem,
    monte_carlo,
    replicate,
)
from egovindex.uncertainty.ranks import ranks_generic, ranks_numpy, tally_generic, tally_numpy

xps = pytest.importorskip("array_api_strict", reason="array-api-strict is not installed")
pytest.importorskip("array_api_compat", reason="array-api-compat is not installed")

CODES = ("a", "b", "c", "d")


def _problem(factors, noise: bool) -> Problem:  # type: ignore[no-untyped-def]
    tree = Node(
        "root",
        [
            Node(
                "p1",
                [Leaf("a", Chain((Cap(upper=0.95), ZScore()))), Leaf("b", ZScore())],
                [0.5, 0.5],
                rescale=MinMax(),
            ),
            Node("p2", [Leaf("c", MinMax()), Leaf("d", RankScore())], [0.3, 0.7]),
        ],
        [0.6, 0.4],
    )
    data = np.random.default_rng(8).uniform(0.05, 1, size=(18, 4))
    data[4, 2] = np.nan
    fs = list(factors) + ([IndicatorNoise(relative=0.1, codes=("a", "b"))] if noise else [])
    return Problem(
        tree,
        data,
        CODES,
        [f"E{i}" for i in range(18)],
        fs,
        directions={"b": Direction.LOWER},
        levels=EGDI_LEVELS,
        missing="available",
    )


FACTORS = (
    DirichletWeights("root", 10.0),
    AggregationChoice(zeros="floor", nodes=("root", "p2")),
    NormalisationChoice(("nominal", "minmax")),
    OutlierCapping((0, 2)),
    ImputationChoice(("mean", "median", "available")),
)


@pytest.mark.parametrize("noise", [False, True])
def test_array_api_strict_equals_numpy(noise: bool) -> None:
    p = _problem(FACTORS, noise)
    strict = p.with_data(xps.asarray(p.data))
    a = replicate(p, 700, seed=3, chunk_size=256)
    b = replicate(strict, 700, seed=3, chunk_size=256)
    np.testing.assert_array_equal(a.valid, b.valid)
    np.testing.assert_allclose(b.scores[a.valid], a.scores[a.valid], rtol=0, atol=1e-13)
    np.testing.assert_array_equal(a.ranks, b.ranks)
    sa = monte_carlo(p, 700, seed=3)
    sb = monte_carlo(strict, 700, seed=3, chunk_size=300)
    np.testing.assert_array_equal(sa.rank_counts, sb.rank_counts)
    np.testing.assert_array_equal(sa.level_counts, sb.level_counts)
    assert sa.failures == sb.failures


def test_torch_cpu_equals_numpy() -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")
    p = _problem(FACTORS, True)
    t = p.with_data(torch.asarray(np.array(p.data), dtype=torch.float64))
    assert type(t.data).__module__.startswith("torch")
    a = monte_carlo(p, 600, seed=1)
    b = monte_carlo(t, 600, seed=1)
    np.testing.assert_array_equal(a.rank_counts, b.rank_counts)
    np.testing.assert_array_equal(a.median_rank, b.median_rank)


def test_generic_and_numpy_ranks_agree_with_ties() -> None:
    rng = np.random.default_rng(0)
    s = np.round(rng.random((300, 9)), 1)  # many exact ties
    s[:, 3] = -0.0
    s[:, 4] = 0.0  # -0.0 and 0.0 are equal
    ranks_np = ranks_numpy(s)
    ranks_x = np.asarray(ranks_generic(xps.asarray(s), xps))
    np.testing.assert_array_equal(ranks_np, ranks_x)
    w = xps.ones((300,), dtype=xps.int64)
    np.testing.assert_array_equal(tally_numpy(s), np.asarray(tally_generic(xps.asarray(s), w, xps)))


def test_non_arrays_are_rejected() -> None:
    from egovindex.arrays import namespace

    with pytest.raises(InputError, match="not an array"):
        namespace(object())


@pytest.mark.parametrize("noise", [False, True])
def test_row_split_aggregation_equals_the_generic_path(noise: bool) -> None:
    # With NumPy data, no missing values and a per-replication aggregation choice, each
    # replication is aggregated only the way it chose (kernel._rows_of); the array-API
    # path computes both means for every row and selects. They must agree.
    p = _problem(FACTORS[:4], noise)
    data = np.array(p.data)
    data[4, 2] = 0.5  # no missing value: the row split applies
    p = p.with_data(data)
    strict = p.with_data(xps.asarray(data))
    a = replicate(p, 900, seed=4, chunk_size=256)
    b = replicate(strict, 900, seed=4, chunk_size=256)
    np.testing.assert_array_equal(a.valid, b.valid)
    assert a.valid.sum() > 800
    np.testing.assert_allclose(b.scores[a.valid], a.scores[a.valid], rtol=0, atol=1e-13)
    np.testing.assert_array_equal(a.ranks, b.ranks)


@pytest.mark.parametrize("noise", [False, True])
def test_leaves_fitted_in_groups_on_array_api_strict_equal_numpy(noise: bool) -> None:
    # Leaves sharing a normaliser and a direction are fitted in one stacked call (the
    # kernel's leaf groups); on another array library the gather and the stacked fit must
    # give NumPy's numbers too.
    tree = Node(
        "root",
        [
            Node("z", [Leaf("a", ZScore()), Leaf("b", ZScore())], [0.5, 0.5], rescale=MinMax()),
            Node("m", [Leaf("c", MinMax()), Leaf("d", MinMax())], [0.3, 0.7]),
        ],
        [0.6, 0.4],
        zero_if_zero=("m",),  # a node rule, applied by the kernel on this library too
    )
    data = np.random.default_rng(5).uniform(0.05, 1, size=(15, 4))
    data[3, 2:] = 0.0  # entity 3 is the minimum of c and d: m = 0, so its root is 0
    fs: list[object] = [DirichletWeights("root", 10.0)]
    if noise:
        fs.append(IndicatorNoise(relative=0.1))
    p = Problem(tree, data, CODES, [f"E{i}" for i in range(15)], fs)
    a = replicate(p, 300, seed=2, chunk_size=128)
    b = replicate(p.with_data(xps.asarray(p.data)), 300, seed=2, chunk_size=128)
    np.testing.assert_array_equal(a.valid, b.valid)
    np.testing.assert_allclose(b.scores, a.scores, rtol=0, atol=1e-13)
    if not noise:
        assert (np.asarray(b.scores)[:, 3] == 0).all()
