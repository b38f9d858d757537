"""``share_gap``: items still needed to reach a target share."""

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

import egovindex as eg
from egovindex.errors import BoundsError, InputError, NonFiniteError


def brute_force(current: int, total: int, share: Fraction) -> int:
    """The least k with (current + k) / total >= share, by counting up."""
    k = 0
    while current + k < total and Fraction(current + k, max(total, 1)) < share:
        k += 1
    return k


@pytest.mark.parametrize(
    ("current", "total", "share"),
    [
        (120, 1000, "0.3"),
        (0, 10, "0.3"),
        (3, 10, "0.3"),
        (2, 10, "0.3"),
        (0, 7, "0.5"),
        (0, 0, "0.3"),
        (5, 5, "1"),
        (0, 3, "1"),
        (1, 3, "0.33"),
        (0, 1, "0"),
    ],
)
def test_least_count_that_reaches_the_share(current: int, total: int, share: str) -> None:
    exact = Fraction(share)
    expected = brute_force(current, total, exact)
    assert eg.share_gap(current, total, float(share)) == expected
    assert eg.share_gap(current, total, Decimal(share)) == expected
    assert eg.share_gap(current, total, exact) == expected


def test_decimal_reading_of_float_shares() -> None:
    # 0.07 * 100 is 7.000000000000001 in binary; the answer is still 7 items, not 8.
    assert 0.07 * 100 > 7
    assert eg.share_gap(0, 100, 0.07) == 7
    assert eg.share_gap(0, 10, np.float64(0.3)) == 3
    assert eg.share_gap(np.int64(1), np.int64(10), 0.3) == 2


def test_already_met_needs_nothing() -> None:
    assert eg.share_gap(400, 1000, 0.3) == 0


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((-1, 10, 0.3), BoundsError, "current must not be negative"),
        ((1, -10, 0.3), BoundsError, "total must not be negative"),
        ((11, 10, 0.3), BoundsError, r"current \(11\) exceeds total \(10\)"),
        ((1, 10, 30), BoundsError, r"share, not a percentage"),
        ((1, 10, -0.1), BoundsError, r"\[0, 1\]"),
        ((1, 10, math.nan), NonFiniteError, "finite"),
        ((1.5, 10, 0.3), InputError, "whole number"),
        ((True, 10, 0.3), InputError, "count"),
        ((1, 10, "0.3"), InputError, "number in"),
    ],
)
def test_bad_arguments_are_rejected(
    args: tuple[object, ...], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        eg.share_gap(*args)  # type: ignore[arg-type]
