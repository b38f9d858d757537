"""What a country needs to reach a target rank, EGDI value or EGDI group: :func:`gap`.

The answer is the *naive shortcut* of methodology A.8.4: every other country stays at its
published EGDI, and the normalisation is frozen (the published OSI, TII and HCI do not
move, except the country's own). Under competition ranking ("1224", methodology A.8.1)
a country's rank is ``1 + #{others strictly higher}``, so rank ``r`` is reached exactly
when fewer than ``r`` others are strictly higher, that is when its EGDI is at least the
``r``-th highest EGDI among the others. That value is the least EGDI that gives rank
``r``: reaching it *exactly* ties with that competitor, and tied countries share the rank.
(Methodology A.8.4 words the rule as "strictly greater than the country currently at rank
``r``"; on unrounded values a tie is improbable, and with ties sharing a rank the least
value is the tie itself.)

The component paths follow the edition's top-level formula (:func:`egovindex.methodologies.
un.formula.egdi`): a rise ``d`` of one component raises the EGDI by ``w * d``, with the
edition's weight ``w`` (1/3 from 2012; 0.34 for OSI and 0.33 for TII and HCI in 2008 and
2010, methodology A.1.1). The published EGDI is the starting point (it equals the formula
on the published components within source rounding, methodology A.1.3). Where the edition's
zero rule has set the country's EGDI to 0 (OSI = 0 in 2003-2005 and 2012, HCI = 0 in 2008
and 2010), only a positive value of that component lifts the rule: the EGDI is then the
formula on the raised components.

All values are computed so that they hold in floating point: each needed value and each
increase is the least double that reaches the target under the stated arithmetic.
"""

from __future__ import annotations

import math
import operator
import struct
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal, NamedTuple, Protocol

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.errors import BoundsError, InputError, UnknownKeyError, did_you_mean
from egovindex.methodologies.un.editions import TopWeights, edition
from egovindex.ranking import GROUP_FLOORS, GROUPS, Boundary

__all__ = ["COMPONENTS", "Gap", "PublishedEdition", "TargetKind", "gap"]

FloatArray = NDArray[np.float64]
TargetKind = Literal["rank", "egdi", "group"]

COMPONENTS: tuple[str, ...] = ("osi", "tii", "hci")
"""The components of the EGDI, in the order of the edition weights."""

_GROUP_FLOORS: Mapping[str, float] = MappingProxyType(
    dict(zip(GROUPS, (*GROUP_FLOORS, 0.0), strict=True))
)


class PublishedEdition(Protocol):
    """What :func:`gap` reads from a published edition (a ``egovindex.datasets.Survey``)."""

    @property
    def year(self) -> int:
        """Survey year."""

    @property
    def countries(self) -> tuple[str, ...]:
        """ISO3 codes."""

    @property
    def names(self) -> tuple[str, ...]:
        """Country names, aligned with :attr:`countries`."""

    @property
    def egdi(self) -> FloatArray:
        """Published EGDI."""

    @property
    def osi(self) -> FloatArray:
        """Published OSI."""

    @property
    def tii(self) -> FloatArray:
        """Published TII."""

    @property
    def hci(self) -> FloatArray:
        """Published HCI."""

    def locate(self, key: str) -> int:
        """Position of a country (code or name)."""

    def mask(self, within: Any = None) -> NDArray[np.bool_]:
        """Boolean mask of a group's members."""


def _optional_mapping(
    value: Mapping[str, float | None] | None,
) -> Mapping[str, float | None] | None:
    return None if value is None else MappingProxyType(dict(value))


def _mapping(value: Mapping[str, float | None]) -> Mapping[str, float | None]:
    return MappingProxyType(dict(value))


def _within_value(value: str | Sequence[str] | None) -> str | tuple[str, ...] | None:
    if value is None or isinstance(value, str):
        return value
    return tuple(value)


@attrs.frozen
class Gap:
    """What one country needs to reach a target, others frozen at their published values.

    Attributes
    ----------
    country, name, year
        ISO3 code, name and Survey edition.
    within
        The group ranked among (a region, sub-region, grouping or a tuple of ISO3 codes),
        ``None`` for every country of the edition.
    group_size
        Number of countries in that group (the country included).
    target_kind
        ``"rank"``, ``"egdi"`` or ``"group"``: which target was given.
    target_group
        The EGDI group aimed at (``"Very High"``, ...) for a group target, else ``None``.
    current_rank
        Competition rank of the published EGDI within the group (methodology A.8.1).
    target_rank
        The rank aimed at; for an EGDI or group target, the rank that the needed EGDI gives.
    rank_gain
        Places to climb: ``max(0, current_rank - target_rank)``.
    egdi
        Published EGDI.
    egdi_needed
        The least EGDI that reaches the target: for a rank target the ``target_rank``-th
        highest EGDI among the other members (0 when fewer others than that), for an EGDI
        target the value itself, for a group target the group floor (0.75, 0.50, 0.25, 0;
        lower bound inclusive by default, methodology A.7.1).
    egdi_gap
        ``max(0, egdi_needed - egdi)``.
    reached
        Whether the published EGDI already reaches the target.
    threshold_country
        For a rank target, the other member whose EGDI sets ``egdi_needed`` (the first in
        the edition's order where several share it); else ``None``.
    weights
        The edition's weights of (OSI, TII, HCI) in the EGDI.
    components
        The country's published (OSI, TII, HCI).
    zero_ruled_by
        ``"osi"`` or ``"hci"`` when the edition's zero rule holds the country's EGDI at 0
        because that component is 0 (methodology A.1.1), else ``None``.
    component_increase
        ``osi``/``tii``/``hci`` -> the least rise of that component alone that reaches the
        target, or ``None`` when it would have to pass 1 (or cannot lift a zero rule).
    balanced_mix
        The rises of all three components together with the least Euclidean norm that reach
        the target, each component kept within 1; ``None`` when even all three at 1 fall
        short.
    """

    country: str
    name: str
    year: int
    within: str | tuple[str, ...] | None = attrs.field(converter=_within_value)
    group_size: int
    target_kind: TargetKind
    target_group: str | None
    current_rank: int
    target_rank: int
    rank_gain: int
    egdi: float
    egdi_needed: float
    egdi_gap: float
    reached: bool
    threshold_country: str | None
    weights: tuple[float, float, float]
    components: tuple[float, float, float]
    zero_ruled_by: str | None
    component_increase: Mapping[str, float | None] = attrs.field(converter=_mapping)
    balanced_mix: Mapping[str, float | None] | None = attrs.field(converter=_optional_mapping)

    @property
    def feasible(self) -> bool:
        """Whether the target can be reached at all with the components within 1."""
        return self.balanced_mix is not None

    def egdi_after(self, *, osi: float = 0.0, tii: float = 0.0, hci: float = 0.0) -> float:
        """The country's EGDI after the given component rises, under the model of :func:`gap`.

        The published EGDI plus ``w_osi * osi + w_tii * tii + w_hci * hci``; for a
        zero-ruled country, 0 unless its ruled component rises above 0, then the formula on
        the raised components.
        """
        return _after(self.egdi, self.weights, self.components, self._rule_index(), (osi, tii, hci))

    @property
    def zero_ruled(self) -> bool:
        """Whether the edition's zero rule holds the country's EGDI at 0."""
        return self.zero_ruled_by is not None

    def _rule_index(self) -> int | None:
        return None if self.zero_ruled_by is None else COMPONENTS.index(self.zero_ruled_by)

    def to_pandas(self) -> Any:
        """This result as a :class:`pandas.DataFrame` (``pandas`` extra; columns:
        :func:`egovindex.frames.result_columns`)."""
        from egovindex.frames import frame

        return frame(self, "pandas")

    def to_polars(self) -> Any:
        """This result as a :class:`polars.DataFrame` (``polars`` extra)."""
        from egovindex.frames import frame

        return frame(self, "polars")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: ``country, year, within, current_rank, target_rank, rank_gain,
        egdi, egdi_needed, egdi_gap, component_increase`` then ``name, group_size,
        target_kind, target_group, reached, threshold_country, balanced_mix``."""
        within = list(self.within) if isinstance(self.within, tuple) else self.within
        return {
            "country": self.country,
            "year": self.year,
            "within": within,
            "current_rank": self.current_rank,
            "target_rank": self.target_rank,
            "rank_gain": self.rank_gain,
            "egdi": self.egdi,
            "egdi_needed": self.egdi_needed,
            "egdi_gap": self.egdi_gap,
            "component_increase": dict(self.component_increase),
            "name": self.name,
            "group_size": self.group_size,
            "target_kind": self.target_kind,
            "target_group": self.target_group,
            "reached": self.reached,
            "threshold_country": self.threshold_country,
            "balanced_mix": None if self.balanced_mix is None else dict(self.balanced_mix),
        }


# -- arithmetic ------------------------------------------------------------------------


def _after(
    egdi: float,
    w: tuple[float, float, float],
    c: tuple[float, float, float],
    rule: int | None,
    d: tuple[float, float, float],
) -> float:
    """The model's EGDI after rises ``d`` (one fixed order of operations, so monotone)."""
    if rule is None:
        return egdi + (w[0] * d[0] + w[1] * d[1] + w[2] * d[2])
    if d[rule] <= 0:
        return egdi
    return w[0] * (c[0] + d[0]) + w[1] * (c[1] + d[1]) + w[2] * (c[2] + d[2])


def _bits(x: float) -> int:
    value: int = struct.unpack("<q", struct.pack("<d", x))[0]
    return value


def _from_bits(b: int) -> float:
    value: float = struct.unpack("<d", struct.pack("<q", b))[0]
    return value


def _least(pred: Callable[[float], bool], guess: float, hi: float) -> float | None:
    """The least double ``x`` in ``[0, hi]`` with ``pred(x)``, for ``pred`` monotone in ``x``.

    Non-negative doubles are ordered like their bit patterns, so the search runs on those
    integers: a galloping search from the close estimate ``guess`` brackets the answer,
    then bisection pins it to the last bit. Returns ``None`` when ``pred(hi)`` is false.
    """
    if not pred(hi):
        return None
    if pred(0.0):
        return 0.0
    top = _bits(hi)
    b = min(max(_bits(max(guess, 0.0)), 0), top)
    step = 1
    if pred(_from_bits(b)):  # b holds: gallop down to a bit pattern that does not
        good, bad = b, max(b - step, 0)
        while pred(_from_bits(bad)):
            good, step = bad, step * 2
            bad = max(good - step, 0)
    else:  # b fails: gallop up to one that holds (top does)
        bad, good = b, min(b + step, top)
        while not pred(_from_bits(good)):
            bad, step = good, step * 2
            good = min(bad + step, top)
    while good - bad > 1:
        m = (good + bad) // 2
        if pred(_from_bits(m)):
            good = m
        else:
            bad = m
    return _from_bits(good)


def _water_fill(g: float, w: tuple[float, ...], u: tuple[float, ...]) -> float:
    """Closed-form ``lam`` with ``sum_i w_i * min(lam * w_i, u_i) = g`` (``g`` feasible).

    KKT conditions of ``min |d|^2`` subject to ``w . d = g`` and ``0 <= d <= u``: each
    ``d_i = clip(lam * w_i, 0, u_i)``. Components saturate in the order of ``u_i / w_i``.
    """
    order = sorted(range(len(w)), key=lambda i: u[i] / w[i])
    saturated = 0.0
    free = sum(wi * wi for wi in w)
    for i in order:
        lam = (g - saturated) / free if free > 0 else math.inf
        if lam * w[i] <= u[i]:
            return lam
        saturated += w[i] * u[i]
        free -= w[i] * w[i]
    return max(ui / wi for ui, wi in zip(u, w, strict=True))


# -- the public function ---------------------------------------------------------------


def _rank_arg(value: object, name: str) -> int:
    if isinstance(value, bool):
        raise InputError(f"{name} must be a whole number, got {value!r}")
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise InputError(f"{name} must be a whole number, got {value!r}") from None


def _group_arg(value: str) -> str:
    for g in GROUPS:
        if str(value).strip().casefold() == g.casefold():
            return g
    raise UnknownKeyError(
        f"unknown EGDI group {value!r}"
        + did_you_mean(str(value), GROUPS)
        + f"; groups: {', '.join(GROUPS)}"
    )


def _egdi_arg(value: object) -> float:
    if isinstance(value, bool):
        raise InputError(f"target_egdi must be a number, got {value!r}")
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(f"target_egdi must be a number, got {value!r}") from None
    if not 0.0 <= x <= 1.0:
        raise BoundsError(f"target_egdi must lie in [0, 1] (the EGDI scale), got {value!r}")
    return x


def gap(
    survey: PublishedEdition,
    country: str,
    *,
    target_rank: int | None = None,
    target_egdi: float | None = None,
    target_group: str | None = None,
    within: str | Sequence[str] | None = None,
    top_weights_rule: TopWeights = "published_fit",
    zero_rule: bool = True,
    boundary: Boundary = "lower_inclusive",
) -> Gap:
    """What ``country`` needs to reach a target, every other country at its published EGDI.

    Give exactly one target. See the module docstring for the model (methodology A.8.4,
    "naive shortcut"; competition ranking, methodology A.8.1).

    Parameters
    ----------
    survey
        A published edition, ``egovindex.load_survey(year)``.
    country
        ISO3 code or name.
    target_rank
        Rank to reach (1 = best) within ``within``; between 1 and the group size.
    target_egdi
        EGDI value to reach, in [0, 1].
    target_group
        EGDI group to reach: ``"Very High"``, ``"High"``, ``"Middle"`` or ``"Low"``
        (floors 0.75, 0.50, 0.25, 0; methodology A.7.1).
    within
        Rank among a region, an M49 sub-region, ``"ASEAN"``, or a list of ISO3 codes (the
        country must belong to it); ``None`` ranks among every country of the edition.
    top_weights_rule
        Weights of the 2008 and 2010 EGDI: ``"published_fit"`` (0.34/0.33/0.33, default)
        or ``"equal"`` (methodology A.1.1 item 3).
    zero_rule
        Apply the edition's zero rule to the country (methodology A.1.1; default True).
    boundary
        Group boundary rule for ``target_group`` (UNCONFIRMED, methodology A.7.1):
        ``"lower_inclusive"`` (default: 0.75 is Very High, so the floor itself is needed)
        or ``"upper_inclusive"`` (the least double above the floor is needed).

    Returns
    -------
    Gap

    Raises
    ------
    InputError
        Not exactly one target, a target that is not a number, or a country outside
        ``within``.
    BoundsError
        ``target_rank`` outside 1..group size, ``target_egdi`` outside [0, 1].
    UnknownKeyError
        Unknown country, group name or EGDI group.

    Examples
    --------
    >>> import egovindex as eg
    >>> g = eg.gap(eg.load_survey(2020), "VNM", target_rank=78)
    >>> g.current_rank, g.egdi_needed, g.threshold_country
    (86, 0.6891, 'ZAF')
    """
    _check_request(target_rank, target_egdi, target_group, boundary)
    year = int(survey.year)
    # The EGDI's top level (weights and zero rule) from the edition's tree (A.1.1).
    top = edition(year, top_weights_rule=top_weights_rule, zero_rule=zero_rule).egdi_node
    w = (top.weights[0], top.weights[1], top.weights[2])
    i = survey.locate(country)
    iso3 = survey.countries[i]
    members = survey.mask(within)
    if not members[i]:
        raise InputError(
            f"{survey.names[i]} ({iso3}) is not a member of {_describe(within)} "
            f"in the {year} Survey"
        )
    egdi_all = np.asarray(survey.egdi, dtype=np.float64)
    others_mask = members.copy()
    others_mask[i] = False
    others = egdi_all[others_mask]
    n = int(members.sum())
    e = float(egdi_all[i])
    current = 1 + int(np.count_nonzero(others > e))

    if target_rank is not None:
        target = _rank_target(survey, target_rank, others, others_mask, n, within)
    else:
        target = _value_target(target_egdi, target_group, boundary, others)
    kind, needed, rank_target, threshold, group = target

    c = (float(survey.osi[i]), float(survey.tii[i]), float(survey.hci[i]))
    rule = next((COMPONENTS.index(name) for name in top.zero_if_zero), None)
    if rule is not None and c[rule] != 0:
        rule = None
    increase, mix = _paths(e, needed, w, c, rule)
    return Gap(
        country=iso3,
        name=survey.names[i],
        year=year,
        within=within,
        group_size=n,
        target_kind=kind,
        target_group=group,
        current_rank=current,
        target_rank=rank_target,
        rank_gain=max(0, current - rank_target),
        egdi=e,
        egdi_needed=needed,
        egdi_gap=max(0.0, needed - e),
        reached=e >= needed,
        threshold_country=threshold,
        weights=w,
        components=c,
        zero_ruled_by=None if rule is None else COMPONENTS[rule],
        component_increase=increase,
        balanced_mix=mix,
    )


def _check_request(
    target_rank: int | None, target_egdi: float | None, target_group: str | None, boundary: str
) -> None:
    given = [t is not None for t in (target_rank, target_egdi, target_group)]
    if sum(given) != 1:
        raise InputError(
            f"give exactly one target: target_rank, target_egdi or target_group (got {sum(given)})"
        )
    if boundary not in ("lower_inclusive", "upper_inclusive"):
        raise InputError(
            f"unknown boundary rule {boundary!r}; choose 'lower_inclusive' or 'upper_inclusive'"
        )


class _Target(NamedTuple):
    kind: TargetKind
    needed: float  # the least EGDI that reaches the target
    rank: int  # the rank that EGDI gives
    threshold: str | None  # the country to draw level with (rank targets)
    group: str | None  # the target group (group targets)


def _rank_target(
    survey: PublishedEdition,
    target_rank: int,
    others: FloatArray,
    others_mask: NDArray[np.bool_],
    n: int,
    within: str | Sequence[str] | None,
) -> _Target:
    r = _rank_arg(target_rank, "target_rank")
    if not 1 <= r <= n:
        raise BoundsError(
            f"target_rank must be between 1 and {n} (the number of countries ranked "
            f"within {_describe(within)} in {int(survey.year)}), got {r}"
        )
    if r > others.size:
        return _Target("rank", 0.0, r, None, None)  # fewer than r others: any EGDI will do
    # The r-th highest of the others: with it, at most r - 1 others are strictly higher
    # (rank <= r); one double below it, r others are (rank r + 1).
    pos = np.flatnonzero(others_mask)
    j = int(np.argpartition(-others, r - 1)[r - 1])
    needed = float(others[j])
    tied = pos[others == needed]
    return _Target("rank", needed, r, survey.countries[int(tied[0])], None)


def _value_target(
    target_egdi: float | None, target_group: str | None, boundary: Boundary, others: FloatArray
) -> _Target:
    group: str | None = None
    if target_egdi is not None:
        kind: TargetKind = "egdi"
        needed = _egdi_arg(target_egdi)
    else:
        kind = "group"
        group = _group_arg(str(target_group))
        needed = _GROUP_FLOORS[group]
        if boundary == "upper_inclusive" and needed > 0.0:
            needed = math.nextafter(needed, math.inf)
    return _Target(kind, needed, 1 + int(np.count_nonzero(others > needed)), None, group)


def _describe(within: str | Sequence[str] | None) -> str:
    if within is None:
        return "all countries"
    if isinstance(within, str):
        return within
    return "the listed countries (" + ", ".join(within) + ")"


def _paths(
    e: float,
    needed: float,
    w: tuple[float, float, float],
    c: tuple[float, float, float],
    rule: int | None,
) -> tuple[dict[str, float | None], dict[str, float | None] | None]:
    """Single-component increases and the least-norm mix (see :class:`Gap`)."""
    zero = {name: 0.0 for name in COMPONENTS}
    if e >= needed:
        return dict(zero), dict(zero)
    # Headroom below 1 (0 where a published value already exceeds 1, as 2003 HCI does).
    u = tuple(max(0.0, 1.0 - ci) for ci in c)
    base = e if rule is None else w[0] * c[0] + w[1] * c[1] + w[2] * c[2]
    g = needed - base

    def reaches(d: tuple[float, float, float]) -> bool:
        return _after(e, w, c, rule, d) >= needed

    increase: dict[str, float | None] = {}
    for k, name in enumerate(COMPONENTS):
        if rule is not None and k != rule:
            increase[name] = None  # the ruled component stays 0, so the EGDI stays 0
            continue

        def alone(x: float, k: int = k) -> bool:
            if rule is None:  # the same arithmetic as _after with the other rises at 0
                return e + w[k] * x >= needed
            d = [0.0, 0.0, 0.0]
            d[k] = x
            return reaches((d[0], d[1], d[2]))

        # Feasible when the rise fits the headroom 1 - c: the component stays within 1.
        top = u[k]
        if not alone(top):
            increase[name] = None
            continue
        increase[name] = _least(alone, g / w[k], top)

    def mixed(lam: float) -> tuple[float, float, float]:
        return (min(lam * w[0], u[0]), min(lam * w[1], u[1]), min(lam * w[2], u[2]))

    lam_top = max(ui / wi for ui, wi in zip(u, w, strict=True))
    if not reaches(mixed(lam_top)):
        return increase, None
    guess = _water_fill(max(g, 0.0), w, u)
    lam = _least(lambda x: reaches(mixed(x)), guess, lam_top)
    if lam is None:  # pragma: no cover - excluded by the check above
        return increase, None
    d = mixed(lam)
    return increase, dict(zip(COMPONENTS, d, strict=True))
