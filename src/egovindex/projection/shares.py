"""How many more items a share target needs: ``share_gap``.

Targets of the "share" type are common in e-government programmes, e.g. "at least
30 % of online public services at level 4" (Resolution 17/NQ-CP of 7 March 2019;
methodology B.5). With ``total`` items of which ``current`` already qualify, the
items still to bring up are the least ``k`` with ``(current + k) / total >= target``:
``k = max(0, ceil(target * total) - current)``.
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from fractions import Fraction

from egovindex.errors import BoundsError, InputError, NonFiniteError

__all__ = ["share_gap"]


def _count(value: object, name: str) -> int:
    if isinstance(value, bool):
        raise InputError(f"{name} must be a count (a whole number), got {value!r}")
    if isinstance(value, numbers.Integral):
        out = int(value)
    elif isinstance(value, numbers.Real):
        f = float(value)
        if not math.isfinite(f):
            raise NonFiniteError(f"{name} must be a finite count, got {value!r}")
        if not f.is_integer():
            raise InputError(f"{name} must be a whole number of items, got {value!r}")
        out = int(f)
    else:
        raise InputError(f"{name} must be a count (a whole number), got {value!r}")
    if out < 0:
        raise BoundsError(f"{name} must not be negative, got {out}")
    return out


def _share(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise InputError(f"target_share must be a number in [0, 1], got {value!r}")
    if not math.isfinite(float(value)):
        raise NonFiniteError(f"target_share must be finite, got {value!r}")
    # A float is read as the decimal it prints as (0.3 -> 3/10), so that 30 % of 10
    # items is exactly 3, not 3.0000000000000004 rounded up to 4.
    share = Fraction(repr(float(value))) if isinstance(value, float) else Fraction(str(value))
    if not 0 <= share <= 1:
        raise BoundsError(
            f"target_share must lie in [0, 1] (a share, not a percentage), got {value!r}"
        )
    return share


def share_gap(current: int, total: int, target_share: float) -> int:
    """Items still needed to reach a target share, rounded up.

    Parameters
    ----------
    current
        Items that already qualify (e.g. services at level 4).
    total
        All items (e.g. every online public service); unchanged by the effort.
    target_share
        Target share in [0, 1] (0.3 for 30 %); a float is read as the decimal it
        prints as.

    Returns
    -------
    int
        The least ``k >= 0`` with ``(current + k) / total >= target_share``; 0 when the
        target is already met.

    Raises
    ------
    InputError
        A count that is not a whole number or a share that is not a number.
    BoundsError
        A negative count, ``current > total``, or a share outside [0, 1].

    Examples
    --------
    >>> share_gap(current=120, total=1000, target_share=0.30)  # 30 % at level 4
    180
    >>> share_gap(current=5, total=10, target_share=0.3)
    0
    """
    c = _count(current, "current")
    n = _count(total, "total")
    if c > n:
        raise BoundsError(f"current ({c}) exceeds total ({n}): a share cannot pass 1")
    needed = math.ceil(_share(target_share) * n) - c
    return max(0, needed)
