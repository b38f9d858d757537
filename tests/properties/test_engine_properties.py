"""Invariants of the engine, checked with hypothesis."""

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from egovindex.composite import Leaf, Node, evaluate
from egovindex.normalise import MinMax, ZScore
from egovindex.panel import Indicator, Panel
from egovindex.ranking import rank

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def spread(x: np.ndarray) -> bool:
    return bool(np.ptp(x) > 1e-6 * max(1.0, float(np.abs(x).max())))


@given(arrays(np.float64, st.integers(2, 60), elements=finite))
def test_minmax_lands_in_unit_interval_with_both_ends(x: np.ndarray) -> None:
    assume(spread(x))
    y = MinMax().fit(x).apply(x)
    assert y.min() == 0.0
    assert y.max() == 1.0
    assert ((y >= 0) & (y <= 1)).all()


@given(arrays(np.float64, st.integers(2, 60), elements=finite))
def test_zscores_have_mean_zero_and_unit_spread(x: np.ndarray) -> None:
    assume(spread(x))
    z = ZScore().fit(x).apply(x)
    assert abs(z.mean()) < 1e-9
    assert abs(z.std() - 1.0) < 1e-9


@given(
    arrays(np.float64, st.integers(2, 40), elements=st.floats(-1e3, 1e3)),
    st.floats(1e-3, 1e3),
    st.floats(-1e3, 1e3),
)
def test_zscores_invariant_under_positive_affine_change(x: np.ndarray, a: float, b: float) -> None:
    assume(spread(x))
    z = ZScore().fit(x).apply(x)
    z2 = ZScore().fit(a * x + b).apply(a * x + b)
    np.testing.assert_allclose(z, z2, atol=1e-6)


@given(arrays(np.float64, st.integers(1, 50), elements=st.sampled_from([0.1, 0.2, 0.3, 0.5])))
def test_tied_values_get_equal_ranks(x: np.ndarray) -> None:
    r = rank(x)
    for v in np.unique(x):
        assert len(set(r[x == v].tolist())) == 1
        assert r[x == v][0] == 1 + int((x > v).sum())


@given(
    st.integers(3, 30).flatmap(
        lambda n: st.tuples(
            arrays(np.float64, (n, 3), elements=st.floats(0, 100)), st.permutations(range(n))
        )
    )
)
def test_permuting_entities_permutes_the_output(data: tuple[np.ndarray, list[int]]) -> None:
    values, perm = data
    for j in range(3):
        assume(spread(values[:, j]))
    inds = [Indicator(c) for c in "abc"]
    ents = [f"E{i}" for i in range(len(values))]
    tree = Node("t", [Leaf(c, ZScore()) for c in "abc"], [0.2, 0.3, 0.5], rescale=MinMax())
    comp = np.array([ZScore().fit(values[:, j]).apply(values[:, j]) for j in range(3)]).T
    assume(spread(comp @ np.array([0.2, 0.3, 0.5])))
    base = evaluate(tree, Panel(ents, inds, values))
    moved = evaluate(tree, Panel([ents[i] for i in perm], inds, values[perm]))
    np.testing.assert_allclose(moved["t"], base["t"][perm], atol=1e-12)
    np.testing.assert_array_equal(moved.rank(), base.rank()[perm])
