"""Invariants of the engine, checked with hypothesis."""

import numpy as np
import pytest
from hypothesis import assume, example, given
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


U = float(np.finfo(np.float64).eps) / 2  # unit roundoff of binary64, 2**-53


def zscore_error_bound(magnitude: float, sigma: float, n: int) -> float:
    """First-order bound on the rounding error of z-scores computed in binary64.

    For values whose inputs are off by at most ``2u * magnitude`` (``y = a x + b``: one
    product, one sum), the mean (a sum of n terms and a division) is off by at most
    ``(n + 1) u * magnitude``, each deviation ``y_i - mean`` by ``(n + 3) u * magnitude``,
    the standard deviation by the same relative to ``sigma`` plus ``(n + 2) u`` (the sum
    of squares and the root), and ``z_i = d_i / sigma`` with ``|z_i| <= sqrt(n)`` by

        (n + 3) u * (magnitude / sigma) * (1 + sqrt(n)) + (n + 3) u * sqrt(n).

    ``magnitude / sigma`` is the conditioning: the size of the values relative to their
    spread. An almost-constant column far from 0 has little spread for its size, so its
    z-scores carry few correct digits whatever the code does. A factor 2 covers the
    second-order terms.
    """
    k = (n + 3) * U
    return 2 * (k * (magnitude / sigma) * (1 + np.sqrt(n)) + k * np.sqrt(n))


@given(
    arrays(np.float64, st.integers(2, 40), elements=st.floats(-1e3, 1e3)),
    st.floats(1e-3, 1e3),
    st.floats(-1e3, 1e3),
)
# An almost-constant column (spread 1.1e-6) shrunk by 1e-3 and shifted by 18: the shifted
# values are 3.5e10 times their spread, so the z-scores agree to about 2e-6 only, which a
# fixed tolerance of 1e-6 rejected although the code is as accurate as binary64 allows.
@example(x=np.array([0.0, 0.0, 1.1e-6]), a=1e-3, b=18.0)
def test_zscores_invariant_under_positive_affine_change(x: np.ndarray, a: float, b: float) -> None:
    assume(spread(x))
    z = ZScore().fit(x).apply(x)
    y = a * x + b
    z2 = ZScore().fit(y).apply(y)
    n, sigma = x.size, float(np.std(x))
    # Each side is off from the exact z-scores of the exact values by at most its bound.
    tol = zscore_error_bound(float(np.abs(x).max()), sigma, n) + zscore_error_bound(
        float(np.abs(a * x).max()) + abs(b), a * sigma, n
    )
    np.testing.assert_allclose(z, z2, rtol=0, atol=tol)


def test_the_affine_tolerance_follows_the_conditioning() -> None:
    # Well-conditioned data get a tolerance near 1e-13, far below the old fixed 1e-6, so a
    # real error (a z-score off by 1e-9) fails; the almost-constant, shifted column gets
    # the few digits binary64 leaves it.
    x = np.linspace(-1.0, 1.0, 40)
    tol = zscore_error_bound(1.0, float(np.std(x)), 40)
    assert tol < 2e-13
    z, z2 = ZScore().fit(x).apply(x), ZScore().fit(3 * x + 5).apply(3 * x + 5)
    np.testing.assert_allclose(z, z2, rtol=0, atol=2 * tol)
    with pytest.raises(AssertionError):
        np.testing.assert_allclose(z, z2 + 1e-9, rtol=0, atol=2 * tol)
    x = np.array([0.0, 0.0, 1.1e-6])
    loose = zscore_error_bound(18.0, 1e-3 * float(np.std(x)), 3)
    y = 1e-3 * x + 18.0
    observed = np.abs(ZScore().fit(x).apply(x) - ZScore().fit(y).apply(y)).max()
    assert 1e-6 < observed <= loose < 1e-3


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
    # Ranks are permuted exactly for every entity without a near tie. Entities whose
    # scores agree to rounding may swap or split a tie when the summation order of a mean
    # or a standard deviation changes (see test_row_order_can_split_a_mathematical_tie).
    s = base["t"]
    gap = np.abs(s[:, None] - s[None, :]) + np.diag(np.full(len(s), np.inf))
    clear = gap.min(axis=1) > 1e-9
    np.testing.assert_array_equal(moved.rank()[clear[perm]], base.rank()[perm][clear[perm]])
    # a near-tied entity stays within its group's span of ranks
    for i in np.flatnonzero(~clear):
        group = np.abs(s - s[i]) <= 1e-9
        span = base.rank()[group]
        got = moved.rank()[list(perm).index(i)]
        assert span.min() <= got <= span.min() + group.sum() - 1


def test_row_order_can_split_a_mathematical_tie() -> None:
    """A documented counterexample to exact permutation invariance of ranks.

    Entities P = (1, 1, 0) and Q = (0, 0, 1) among nine zeros, weights 0.2/0.3/0.5, are
    tied in exact arithmetic: every column holds one 1 and ten 0s, so every column has
    the same mean and standard deviation and P's score 0.5 z1 + 0.5 z0 equals Q's. In
    floating point the standard deviations are sums taken in row order, so where Q sits
    can change the last bit of column c's: the two scores then differ by about one unit
    in the last place and competition ranking gives them 1 and 2 instead of 1 and 1.
    The scores always agree to 1e-15; ranks of near ties are only as firm as the rounding.
    """
    inds = [Indicator(c) for c in "abc"]
    tree = Node("t", [Leaf(c, ZScore()) for c in "abc"], [0.2, 0.3, 0.5], rescale=MinMax())
    pairs = []
    for q in range(1, 11):  # P first, Q in each other row
        values = np.zeros((11, 3))
        values[0] = (1.0, 1.0, 0.0)
        values[q] = (0.0, 0.0, 1.0)
        s = evaluate(tree, Panel([f"E{i}" for i in range(11)], inds, values))
        assert abs(s["t"][0] - s["t"][q]) <= 1e-15
        pairs.append(sorted(s.rank()[[0, q]].tolist()))
    assert [1, 1] in pairs  # somewhere the tie holds
    assert [1, 2] in pairs  # and somewhere the row order splits it
