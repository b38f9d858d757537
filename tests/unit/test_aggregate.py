"""Weighted aggregation and weight validation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egovindex.aggregate import (
    aggregate,
    check_weights,
    normalise_weights,
    weighted_arithmetic,
    weighted_geometric,
)
from egovindex.errors import InputError, WeightError


def test_arithmetic_hci_weights() -> None:
    # HCI weights 1/3, 2/9, 2/9, 2/9 (methodology A.3.1)
    x = np.array([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 1.0, 1.0]])
    np.testing.assert_allclose(weighted_arithmetic(x, [1 / 3, 2 / 9, 2 / 9, 2 / 9]), [1 / 3, 2 / 3])


def test_geometric_mean_and_zero_rules() -> None:
    x = np.array([[4.0, 1.0], [0.0, 9.0]])
    with pytest.raises(InputError, match="are 0"):
        weighted_geometric(x, [0.5, 0.5])
    np.testing.assert_allclose(weighted_geometric(x, [0.5, 0.5], zeros="zero"), [2.0, 0.0])
    floor = weighted_geometric(x, [0.5, 0.5], zeros="floor")
    np.testing.assert_allclose(floor, [2.0, np.sqrt(1e-6 * 9)])
    with pytest.raises(InputError, match="negative"):
        weighted_geometric(np.array([[-1.0, 1.0]]), [0.5, 0.5])


def test_weights_must_sum_to_one_and_normalising_is_explicit() -> None:
    with pytest.raises(WeightError, match="sum to 2"):
        check_weights([1, 1])
    np.testing.assert_allclose(normalise_weights([1, 1]), [0.5, 0.5])


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([np.nan, 1], "finite"),
        ([-0.5, 1.5], "non-negative"),
        ([0, 0], "positive sum"),
        ([], "empty"),
    ],
)
def test_bad_weights(weights: list[float], message: str) -> None:
    with pytest.raises(WeightError, match=message):
        normalise_weights(weights)


def test_arity_and_dispatch() -> None:
    with pytest.raises(WeightError, match="3 children but 2 weights"):
        aggregate(np.ones((2, 3)), [0.5, 0.5])
    with pytest.raises(InputError, match="unknown aggregation"):
        aggregate(np.ones((2, 2)), [0.5, 0.5], "harmonic")  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 300),  # children: NumPy's pairwise blocks (8 partial sums, 128) included
    st.integers(1, 4),
    st.integers(0, 2**32 - 1),
)
def test_the_array_core_sums_children_in_numpys_order(k: int, n: int, seed: int) -> None:
    # One rule for every evaluation: the array-API core adds one array per child; its
    # result is bit for bit NumPy's reduction over stacked children (the sign of a zero
    # aside: a one-child sum keeps -0.0 where NumPy's starts from 0.0).
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.01, 1.0, (n, k)) * 10.0 ** rng.integers(-3, 3, (n, k))
    w = rng.dirichlet(np.ones(k))
    got = weighted_arithmetic(x, w) + 0.0
    assert got.tobytes() == (np.sum(x * w, axis=-1) + 0.0).tobytes()
    logs = np.log(x)
    geo = weighted_geometric(x, w) + 0.0
    assert (
        geo.tobytes() == (np.exp(np.sum(np.where(w > 0, w * logs, 0.0), axis=-1)) + 0.0).tobytes()
    )
