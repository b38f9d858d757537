"""The optional compiled tally equals the NumPy tally, with numba and without it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from egovindex.composite import Leaf, Node
from egovindex.errors import InputError, MissingDependencyError
from egovindex.uncertainty import (
    EGDI_LEVELS,
    AggregationChoice,
    DirichletWeights,
    Problem,
    accel,
    monte_carlo,
)
from egovindex.uncertainty.ranks import level_index, tally_numpy

FLOORS = EGDI_LEVELS.floors


def _reference(scores: np.ndarray, floors: tuple[float, ...], upper: bool) -> tuple:
    n = scores.shape[1]
    g = len(floors) + 1
    lev = level_index(scores, floors, upper, np)
    flat = (np.arange(n, dtype=np.int64) * g + lev).ravel()
    levels = np.bincount(flat, minlength=n * g).reshape(n, g)
    return tally_numpy(scores), levels


# Scores from a small set of values, so ties (within and across rows) are common.
rows = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 12), st.integers(1, 9)),
    elements=st.sampled_from([0.0, 0.25, 0.5, 0.5, 0.75, 0.9, 1.0, 0.33, 0.66]),
)


@settings(max_examples=150, deadline=None)
@given(rows, st.booleans())
def test_python_kernel_equals_numpy_tally(scores: np.ndarray, upper: bool) -> None:
    # The kernel's own source, run as plain Python: the algorithm is checked without numba.
    got = accel.tally_compiled(scores, FLOORS, upper, kernel=accel._kernel_source)
    want = _reference(scores, FLOORS, upper)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])


def test_rows_far_from_the_previous_order_fall_back_to_a_full_sort() -> None:
    # Every row has the same mean, so they are visited as given: ascending after
    # descending, each switch n(n-1)/2 moves, over the budget of n*ceil(log2 n).
    n = 40
    up = np.linspace(0.0, 1.0, n)
    scores = np.stack([up, up[::-1]] * 5)
    got = accel.tally_compiled(scores, (), False, kernel=accel._kernel_source)
    np.testing.assert_array_equal(got[0], tally_numpy(scores))
    assert got[1].shape == (n, 1)
    assert (got[1][:, 0] == scores.shape[0]).all()


def test_no_rows_give_zero_counts() -> None:
    rc, lc = accel.tally_compiled(np.zeros((0, 4)), FLOORS, False, kernel=accel._kernel_source)
    assert rc.shape == (4, 4)
    assert lc.shape == (4, 4)
    assert not rc.any()
    assert not lc.any()


def test_resolve_names_the_choices() -> None:
    assert accel.resolve("numpy") == "numpy"
    assert accel.resolve("auto") in ("numpy", "numba")
    with pytest.raises(InputError, match=r"unknown accelerator 'cuda'.*auto, numpy, numba"):
        accel.resolve("cuda")


def test_numba_asked_for_but_absent_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accel, "numba_available", lambda: False)
    assert accel.resolve("auto") == "numpy"
    with pytest.raises(MissingDependencyError, match="pip install numba"):
        accel.resolve("numba")
    with pytest.raises(MissingDependencyError):
        monte_carlo(_problem(), 10, seed=0, accelerator="numba")


def _problem() -> Problem:
    rng = np.random.default_rng(5)
    data = rng.uniform(0.0, 1.0, size=(60, 3))
    data[7] = data[3]  # an exact tie in every replication
    return Problem(
        Node("egdi", [Leaf("osi"), Leaf("tii"), Leaf("hci")], [1 / 3, 1 / 3, 1 / 3]),
        data,
        ["osi", "tii", "hci"],
        [f"C{i:02d}" for i in range(60)],
        [DirichletWeights("egdi", 50.0), AggregationChoice(zeros="zero")],
        levels=EGDI_LEVELS,
    )


numba_only = pytest.mark.skipif(
    not accel.numba_available(), reason="numba is not installed (optional accelerator)"
)


@numba_only
def test_compiled_kernel_equals_numpy_tally_on_a_large_chunk() -> None:
    rng = np.random.default_rng(0)
    scores = np.round(rng.uniform(size=(3000, 150)), 2)  # rounding makes many ties
    for upper in (False, True):
        got = accel.tally_compiled(scores, FLOORS, upper)
        want = _reference(scores, FLOORS, upper)
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])


@numba_only
@pytest.mark.parametrize("workers", [1, 2])
def test_monte_carlo_is_the_same_with_and_without_numba(workers: int) -> None:
    p = _problem()
    a = monte_carlo(p, 5000, seed=11, chunk_size=700, workers=workers, accelerator="numpy")
    b = monte_carlo(p, 5000, seed=11, chunk_size=700, workers=workers, accelerator="numba")
    np.testing.assert_array_equal(a.rank_counts, b.rank_counts)
    np.testing.assert_array_equal(a.level_counts, b.level_counts)
    assert a.valid == b.valid == 5000
    assert a.rank_counts.sum() == 5000 * len(a.entities)
