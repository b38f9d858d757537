"""Normalisers: fit/apply, direction, fallbacks."""

import numpy as np
import pytest

from egovindex.errors import InputError, MissingDataError, ZeroSpreadError
from egovindex.normalise import (
    Cap,
    Chain,
    Goalposts,
    Identity,
    MinMax,
    RankScore,
    RatioToTarget,
    ZScore,
)
from egovindex.panel import Direction

X = np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])  # population sd 2, mean 5


def test_zscore_population_and_sample() -> None:
    z = ZScore().fit(X).apply(X)
    np.testing.assert_allclose(z, (X - 5.0) / 2.0)
    z1 = ZScore(ddof=1).fit(X).apply(X)
    np.testing.assert_allclose(z1, (X - 5.0) / np.std(X, ddof=1))


def test_zscore_lower_is_better_flips_sign() -> None:
    up = ZScore().fit(X).apply(X)
    down = ZScore().fit(X, Direction.LOWER).apply(X)
    np.testing.assert_allclose(down, -up)


def test_minmax_and_direction() -> None:
    f = MinMax().fit(X)
    np.testing.assert_allclose(f.apply(X), (X - 2) / 7)
    np.testing.assert_allclose(MinMax().fit(X, Direction.LOWER).apply(X), (9 - X) / 7)


def test_fit_apply_split_freezes_parameters() -> None:
    f = MinMax().fit(X)
    np.testing.assert_allclose(f.apply(np.array([9.0, 16.0])), [1.0, 2.0])


def test_zero_spread_is_an_error_unless_a_fallback_is_named() -> None:
    const = np.full(5, 3.0)
    with pytest.raises(ZeroSpreadError, match=r"'osi'.*value 3"):
        ZScore().fit(const, name="osi")
    with pytest.raises(ZeroSpreadError):
        MinMax().fit(const)
    np.testing.assert_array_equal(ZScore(on_zero_spread="zero").fit(const).apply(const), 0.0)
    np.testing.assert_array_equal(MinMax(on_zero_spread="midpoint").fit(const).apply(const), 0.5)
    np.testing.assert_array_equal(MinMax(on_zero_spread="zero").fit(const).apply(const), 0.0)


def test_zero_spread_is_found_despite_a_rounding_residue_in_the_mean() -> None:
    # The float mean of [0.1] * 3 is 0.10000000000000002, so the computed std is ~1e-17,
    # not 0; the constant must still count as zero spread, not become z-scores of -1.
    const = np.full(3, 0.1)
    assert np.nanmean(const) != 0.1
    with pytest.raises(ZeroSpreadError, match=r"value 0\.1"):
        ZScore().fit(const, name="x")
    np.testing.assert_array_equal(ZScore(on_zero_spread="zero").fit(const).apply(const), 0.0)
    batch = np.stack([X, np.full(X.shape, 0.1)])
    z = ZScore(on_zero_spread="zero").fit(batch).apply(batch)
    np.testing.assert_allclose(z[0], (X - 5.0) / 2.0)
    np.testing.assert_array_equal(z[1], 0.0)


def test_goalposts_clip_and_reject_bad_bounds() -> None:
    f = Goalposts(0, 18).fit(np.array([9.0, 20.0, -1.0]))
    np.testing.assert_allclose(f.apply(np.array([9.0, 20.0, -1.0])), [0.5, 1.0, 0.0])
    with pytest.raises(InputError):
        Goalposts(1, 1)


def test_rank_score_ties_and_direction() -> None:
    x = np.array([1.0, 3.0, 3.0, 5.0])
    np.testing.assert_allclose(RankScore().fit(x).apply(x), [0, 1 / 3, 1 / 3, 1])
    np.testing.assert_allclose(RankScore().fit(x, Direction.LOWER).apply(x), [1, 1 / 3, 1 / 3, 0])


def test_ratio_to_target() -> None:
    x = np.array([50.0, 100.0])
    np.testing.assert_allclose(RatioToTarget(100).fit(x).apply(x), [0.5, 1.0])
    np.testing.assert_allclose(RatioToTarget(100).fit(x, Direction.LOWER).apply(x), [2.0, 1.0])
    with pytest.raises(ZeroSpreadError):
        RatioToTarget(100).fit(x, Direction.LOWER).apply(np.array([0.0]))
    with pytest.raises(InputError):
        RatioToTarget(0)


def test_cap_then_zscore_chain() -> None:
    x = np.array([80.0, 100.0, 130.0, 150.0])
    capped = np.minimum(x, 120)
    z = Chain((Cap(upper=120), ZScore())).fit(x).apply(x)
    np.testing.assert_allclose(z, (capped - capped.mean()) / capped.std())


def test_chain_direction_is_applied_once() -> None:
    x = np.array([1.0, 2.0, 4.0])
    once = Chain((ZScore(), MinMax())).fit(x, Direction.LOWER).apply(x)
    np.testing.assert_allclose(once, MinMax().fit(x, Direction.LOWER).apply(x))


def test_identity_negates_lower_is_better() -> None:
    np.testing.assert_array_equal(Identity().fit(X, Direction.LOWER).apply(X), -X)


def test_nan_ignored_in_fit_and_propagated() -> None:
    x = np.array([1.0, np.nan, 3.0])
    out = MinMax().fit(x).apply(x)
    np.testing.assert_array_equal(out[[0, 2]], [0.0, 1.0])
    assert np.isnan(out[1])
    with pytest.raises(MissingDataError):
        ZScore().fit(np.array([np.nan, np.nan]), name="x")


def test_batched_fit_is_per_replication() -> None:
    batch = np.stack([X, 2 * X + 1])
    z = ZScore().fit(batch).apply(batch)
    np.testing.assert_allclose(z[0], (X - 5.0) / 2.0)  # X: mean 5, population sd 2
    np.testing.assert_allclose(z[1], z[0])  # affine change of the second row: same z
