"""Ranks, ranks within groups, EGDI level groups and rating classes.

The UN Survey ranks with *competition ranking* ("1224"): ``rank = 1 + number of
entities with a strictly higher value``; equal values share a rank and the next
rank is skipped. Every published EGDI rank of every edition 2003-2024 follows
this rule on the published values, except four 2020 pairs that the UN ranked on
unrounded values (methodology A.8.1, A.1.3).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.errors import InputError, MissingDataError

__all__ = [
    "GROUPS",
    "GROUP_FLOORS",
    "RATING_CLASSES",
    "Boundary",
    "RankMethod",
    "RatingMethod",
    "egdi_group",
    "egdi_groups",
    "rank",
    "rating_class",
    "rating_classes",
]

IntArray = NDArray[np.int64]
RankMethod = Literal["competition", "dense", "ordinal"]
Boundary = Literal["lower_inclusive", "upper_inclusive"]
RatingMethod = Literal["equal_width", "count_quartile"]

_SCIPY_METHOD = {"competition": "min", "dense": "dense", "ordinal": "ordinal"}

GROUPS: tuple[str, ...] = ("Very High", "High", "Middle", "Low")
"""EGDI level groups, best first (UN Knowledge Base; methodology A.7.1)."""

GROUP_FLOORS: tuple[float, float, float] = (0.75, 0.50, 0.25)
"""EGDI floors of Very High, High and Middle (UN Knowledge Base [KB-UNPACS]; methodology
A.7.1); Low is everything below 0.25."""

_GROUP_FLOORS = (*GROUP_FLOORS, -np.inf)
_GROUP_LABELS: NDArray[np.str_] = np.asarray(GROUPS, dtype=np.str_)
_RISING_FLOORS = np.asarray(_GROUP_FLOORS[-2::-1])  # 0.25, 0.50, 0.75

RATING_CLASSES: dict[str, tuple[str, ...]] = {
    "Very High": ("VH", "V3", "V2", "V1"),
    "High": ("HV", "H3", "H2", "H1"),
    "Middle": ("MH", "M3", "M2", "M1"),
    "Low": ("LM", "L3", "L2", "L1"),
}
"""Rating classes of each group, best first (from the 2020 Survey; methodology A.7.2,
labels UNCONFIRMED)."""

# Row g: the classes of GROUPS[g], worst first (column = sub-interval from the floor up).
_CLASS_LABELS: NDArray[np.str_] = np.asarray([RATING_CLASSES[g][::-1] for g in GROUPS])
# Lower end of each group's EGDI interval (Low starts at 0).
_INTERVAL_FLOORS = np.asarray([*GROUP_FLOORS, 0.0])


def rank(
    values: ArrayLike,
    *,
    method: RankMethod = "competition",
    higher_is_better: bool = True,
    within: ArrayLike | None = None,
    entities: Sequence[str] | None = None,
) -> IntArray:
    """Rank entities on the last axis; 1 is best.

    Parameters
    ----------
    values
        Scores with entities on the last axis (leading axes, e.g. Monte Carlo
        replications, are ranked independently).
    method
        ``"competition"`` ("1224", the UN rule, default), ``"dense"`` ("1223") or
        ``"ordinal"`` ("1234", ties broken by position).
    higher_is_better
        Rank the highest value first (default) or the lowest.
    within
        Boolean mask of the entities to rank among; the others get rank 0
        (not ranked). Default: rank all.
    entities
        Entity codes, used only to name a missing value in the error message.

    Raises
    ------
    MissingDataError
        A ranked value is NaN.
    """
    x = _floats(values, "values to rank")
    if method not in _SCIPY_METHOD:
        raise InputError(
            f"unknown rank method {method!r}; choose one of {', '.join(_SCIPY_METHOD)}"
        )
    try:
        mask = None if within is None else np.broadcast_to(np.asarray(within, bool), x.shape)
    except ValueError:
        raise InputError(
            f"the 'within' mask must hold one flag per entity (values of shape {x.shape})"
        ) from None
    nan = np.isnan(x) if mask is None else np.isnan(x) & mask
    if nan.any():
        i = int(np.argwhere(nan)[0][-1])
        who = repr(entities[i]) if entities is not None else f"at position {i}"
        raise MissingDataError(f"cannot rank: the value of entity {who} is missing (NaN)")
    key = -x if higher_is_better else x
    if mask is not None:
        # Entities outside the group are pushed behind every member, then zeroed.
        key = np.where(mask, key, np.inf)
    if key.ndim == 1:
        ranks = _ranks_1d(key, method)
    else:
        from scipy.stats import rankdata  # imported here: scipy.stats costs ~0.4 s to import

        ranks = rankdata(key, method=_SCIPY_METHOD[method], axis=-1).astype(np.int64)
    return ranks if mask is None else np.where(mask, ranks, 0)


def _ranks_1d(key: NDArray[np.float64], method: RankMethod) -> IntArray:
    """The ranks :func:`scipy.stats.rankdata` gives a NaN-free 1-D ``key`` (lowest first).

    One sort instead of rankdata's general machinery, which costs several times more on a
    single edition's 193 values.
    """
    if method == "ordinal":  # ties broken by position, as rankdata's stable sort does
        order = np.argsort(key, kind="stable")
        out = np.empty(key.shape, dtype=np.int64)
        out[order] = np.arange(1, key.size + 1)
        return out
    # competition: 1 + number of strictly smaller keys; dense: 1 + number of smaller
    # distinct keys. Both are the left insertion point in the sorted (distinct) keys.
    ref = np.sort(key) if method == "competition" else np.unique(key)
    return np.searchsorted(ref, key, side="left").astype(np.int64) + 1


def _floats(values: ArrayLike, what: str) -> NDArray[np.float64]:
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what} must be numbers ({exc})") from None


def egdi_group(value: float, *, boundary: Boundary = "lower_inclusive") -> str:
    """Return the EGDI level group of one value: Very High, High, Middle or Low.

    Thresholds 0.75, 0.50 and 0.25 (UN Knowledge Base, UNPACS; methodology A.7.1).
    Which side of a threshold is inclusive is UNCONFIRMED: the default
    ``"lower_inclusive"`` puts 0.75 in Very High; ``"upper_inclusive"`` puts it in High.
    Only Cameroon 2005 (EGDI 0.25000) sits exactly on a threshold.
    """
    return str(egdi_groups(np.asarray([value]), boundary=boundary)[0])


def egdi_groups(values: ArrayLike, *, boundary: Boundary = "lower_inclusive") -> NDArray[np.str_]:
    """Vectorised :func:`egdi_group`."""
    x = _checked_egdi(values, boundary)
    groups: NDArray[np.str_] = _GROUP_LABELS[_group_index(x, boundary)]
    return groups


def _checked_egdi(values: ArrayLike, boundary: Boundary) -> NDArray[np.float64]:
    """``values`` as floats, after checking they can be classified under ``boundary``."""
    x = _floats(values, "EGDI values")
    if not ((x >= 0) & (x <= 1)).all():  # one pass; NaN fails it too
        if np.isnan(x).any():
            raise MissingDataError("cannot classify a missing (NaN) EGDI value")
        bad = float(x[(x < 0) | (x > 1)][0])
        raise InputError(f"EGDI value {bad:g} is outside [0, 1]")
    if boundary not in ("lower_inclusive", "upper_inclusive"):
        raise InputError(f"unknown boundary rule {boundary!r}")
    return x


def _group_index(x: NDArray[np.float64], boundary: Boundary) -> NDArray[np.intp]:
    """Position in :data:`GROUPS` of each (validated) EGDI value.

    The floors fall with the group, so the group of a value is the number of floors it
    does not reach: 0 (Very High) if it reaches 0.75, 3 (Low) if it is below 0.25.
    """
    # Floors reached: those <= x (lower_inclusive) or < x (upper_inclusive).
    side: Literal["left", "right"] = "right" if boundary == "lower_inclusive" else "left"
    reached = np.searchsorted(_RISING_FLOORS, x, side=side)
    return np.asarray(len(_RISING_FLOORS) - reached, dtype=np.intp)


def rating_class(
    value: float,
    *,
    among: ArrayLike | None = None,
    edition: int | None = None,
    method: RatingMethod = "count_quartile",
    boundary: Boundary = "lower_inclusive",
) -> str:
    """Return the rating class of one EGDI value.

    Under the default ``method="count_quartile"`` (see :func:`rating_classes`) a class
    is a position within the group, so it depends on the other countries: ``among``
    holds the EGDI values of every country of the edition (e.g.
    ``eg.load_survey(2024).egdi``). A ``value`` equal to one of them is that country;
    any other value is classified as if it were added to them. Its position in its
    group is its competition rank there, so a value tied with another across a class
    boundary gets the better class.

    ``method="equal_width"`` needs no cohort: each group's interval of width 0.25 is cut
    into four sub-intervals of width 0.0625, best first (VH = [0.9375, 1], V3 =
    [0.875, 0.9375), ...). The Surveys define rating classes from 2020 on; an earlier
    ``edition`` raises (methodology A.7.2).

    Raises
    ------
    InputError
        ``method="count_quartile"`` without ``among``, an unknown method, an edition
        before 2020 or a value outside [0, 1].
    """
    if edition is not None and edition < 2020:
        raise InputError(f"rating classes were introduced in the 2020 Survey, not {edition}")
    if method == "equal_width":
        x = np.asarray([value])
        return str(rating_classes(x, edition=edition, method=method, boundary=boundary)[0])
    if method != "count_quartile":
        rating_classes(np.asarray([value]), method=method)  # raises: unknown method
    if among is None:
        raise InputError(
            f"the count_quartile rating class of EGDI {value:g} is a position among the "
            "edition's countries: pass among=<their EGDI values> (e.g. "
            "load_survey(2024).egdi), or method='equal_width'"
        )
    cohort = _checked_egdi(among, boundary).ravel()
    v = float(_checked_egdi(np.asarray([value]), boundary)[0])
    if not np.any(cohort == v):
        cohort = np.append(cohort, v)
    groups = _group_index(cohort, boundary)
    g = int(_group_index(np.asarray([v]), boundary)[0])
    members = cohort[groups == g]
    position = int(np.count_nonzero(members > v))  # 0-based competition position
    cuts = np.round(np.linspace(0, members.size, 5)).astype(int)
    q = int(np.searchsorted(cuts[1:], position, side="right"))
    return RATING_CLASSES[GROUPS[g]][q]


def rating_classes(
    values: ArrayLike,
    *,
    edition: int | None = None,
    method: RatingMethod = "count_quartile",
    boundary: Boundary = "lower_inclusive",
) -> NDArray[np.str_]:
    """Rating classes of a set of EGDI values (the countries of one edition).

    ``method="count_quartile"`` (default) sorts each group's n members by EGDI, best
    first, and puts the class boundaries after the best ``round(k * n / 4)``
    members, k = 1, 2, 3, rounding halves to even (:func:`numpy.round`): n = 57 gives
    14, 14, 15, 14; n = 62 gives 16, 15, 15, 16; n = 7 gives 2, 2, 1, 2. This is the
    rule that reproduces every class size of the methodology A.7.2 table (2020-2024);
    plain splits do not (:func:`numpy.array_split` gives 15, 14, 14, 14 for 57).
    Members with equal EGDI that straddle a boundary are split in input order, as that
    table counts them (2022: Bhutan and Gabon, both 0.5521, High members 55 and 56).
    ``method="equal_width"`` cuts each group's EGDI interval into four equal parts of
    width 0.0625 instead.

    The Surveys do not state the rule (methodology A.7.2), but the 2022 Survey does
    count one class: it says Denmark is one of eight countries of Europe, six of them in
    the European Union, rated VH. Count quartiles give exactly 8 and 6 on the published
    2022 EGDIs; equal widths give 6 and 5 (tests/published/test_groups_classes.py), hence
    the default.

    Raises
    ------
    InputError
        ``edition`` is before 2020, ``method`` is unknown, or a value is outside [0, 1].
    MissingDataError
        A value is NaN.
    """
    if edition is not None and edition < 2020:
        raise InputError(f"rating classes were introduced in the 2020 Survey, not {edition}")
    if method not in ("equal_width", "count_quartile"):
        raise InputError(
            f"unknown rating method {method!r}; choose 'equal_width' or 'count_quartile'"
        )
    x = _checked_egdi(values, boundary)
    if method == "equal_width" and x.size:
        return _equal_width_classes(x, boundary)
    return _count_quartile_classes(x.reshape(-1), _group_index(x, boundary).reshape(-1)).reshape(
        x.shape
    )


def _count_quartile_classes(x: NDArray[np.float64], g: NDArray[np.intp]) -> NDArray[np.str_]:
    """Count-quartile classes of 1-D EGDI values ``x`` in groups ``g`` (positions in GROUPS).

    Each member's position in its group, best first, ties in input order (one stable sort
    by group, then EGDI descending), is compared with the group's cut positions
    ``round(k * n / 4)``, k = 1, 2, 3 (:func:`numpy.round` rounds halves to even: the cut
    positions of methodology A.7.2 (b)).
    """
    n = x.size
    order = np.lexsort((-x, g))  # stable: equal keys keep input order
    counts = np.bincount(g, minlength=len(GROUPS))
    starts = np.cumsum(counts) - counts
    position = np.empty(n, dtype=np.intp)
    position[order] = np.arange(n) - np.repeat(starts, counts)
    cuts = np.round(counts[:, None] * (np.arange(1, 4) / 4.0))  # (group, 3)
    quartile = (position[:, None] >= cuts[g]).sum(axis=1)
    classes: NDArray[np.str_] = _CLASS_LABELS[g, 3 - quartile]  # rows are worst first
    return classes


def _equal_width_classes(x: NDArray[np.float64], boundary: Boundary) -> NDArray[np.str_]:
    """Equal-width rating classes of validated EGDI values, all groups at once."""
    g = _group_index(x, boundary)
    pos = (x - _INTERVAL_FLOORS[g]) / 0.0625
    # 1e-12: a value on a sub-interval boundary (0.8125 = 0.75 + 0.0625) stays on the
    # inclusive side despite rounding in the subtraction.
    part = np.floor(pos + 1e-12) if boundary == "lower_inclusive" else np.ceil(pos - 1e-12) - 1
    classes: NDArray[np.str_] = _CLASS_LABELS[g, np.clip(part, 0, 3).astype(np.intp)]
    return classes
