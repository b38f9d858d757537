"""Properties of the Monte Carlo core: exact ranks, quantiles, reproducibility."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from egovindex.composite import Leaf, Node
from egovindex.normalise import MinMax, ZScore
from egovindex.ranking import rank
from egovindex.uncertainty import (
    AggregationChoice,
    DirichletWeights,
    IndicatorNoise,
    NormalisationChoice,
    Problem,
    replicate,
)
from egovindex.uncertainty.ranks import ranks_numpy, tally_numpy
from egovindex.uncertainty.summary import quantile_ranks

# scores with many exact ties and near ties (values a few ulps apart)
_base = st.sampled_from([0.0, -0.0, 0.5, 1.0, 0.1 + 0.2, 0.3, -1.5, 1e300, -1e-300, 5e-324])
_scores = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 6), st.integers(1, 40)),
    elements=st.one_of(_base, st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)),
)


@given(_scores)
def test_fast_ranks_equal_competition_ranks(s: np.ndarray) -> None:
    expected = np.stack([rank(row) for row in s])
    np.testing.assert_array_equal(ranks_numpy(s), expected)
    n = s.shape[1]
    counts = np.zeros((n, n), np.int64)
    for row in expected:
        counts[np.arange(n), row - 1] += 1
    np.testing.assert_array_equal(tally_numpy(s), counts)


@given(
    hnp.arrays(
        np.int64, st.tuples(st.integers(1, 4), st.integers(1, 12)), elements=st.integers(0, 9)
    ),
    st.floats(0.001, 0.999),
)
def test_quantiles_equal_numpy_inverted_cdf(counts: np.ndarray, q: float) -> None:
    counts[:, 0] += 1  # every row has observations
    got = quantile_ranks(counts, q)
    for i, row in enumerate(counts):
        sample = np.repeat(np.arange(1, row.size + 1), row)
        assert got[i] == np.quantile(sample, q, method="inverted_cdf")


def _problem(data: np.ndarray) -> Problem:
    tree = Node(
        "root",
        [Leaf("a", ZScore(on_zero_spread="zero")), Leaf("b", MinMax(on_zero_spread="zero"))],
        [0.5, 0.5],
    )
    return Problem(
        tree,
        data,
        ["a", "b"],
        [f"E{i}" for i in range(data.shape[0])],
        [
            DirichletWeights("root", 5.0),
            NormalisationChoice(on_zero_spread="zero"),
            AggregationChoice(zeros="zero"),
            IndicatorNoise(relative=0.1),
        ],
    )


@settings(max_examples=25, deadline=None)
@given(
    hnp.arrays(np.float64, st.tuples(st.integers(2, 8), st.just(2)), elements=st.floats(0, 10)),
    st.integers(0, 2**32),
    st.integers(1, 90),
)
def test_chunk_size_never_changes_a_replication(data: np.ndarray, seed: int, chunk: int) -> None:
    p = _problem(data)
    a = replicate(p, 90, seed=seed, chunk_size=90)
    b = replicate(p, 90, seed=seed, chunk_size=chunk)
    np.testing.assert_array_equal(a.valid, b.valid)
    np.testing.assert_array_equal(a.ranks, b.ranks)
    np.testing.assert_array_equal(a.scores[a.valid], b.scores[b.valid])


@settings(max_examples=25, deadline=None)
@given(
    hnp.arrays(np.float64, st.tuples(st.integers(2, 8), st.just(2)), elements=st.floats(0.1, 10)),
    st.integers(0, 2**32),
)
def test_ranks_are_competition_ranks_of_the_scores(data: np.ndarray, seed: int) -> None:
    reps = replicate(_problem(data), 40, seed=seed)
    assert reps.valid.any()  # zeros and zero spreads have explicit rules here: none fails
    for s, r, ok in zip(reps.scores, reps.ranks, reps.valid, strict=True):
        if ok:
            np.testing.assert_array_equal(r, rank(s))
