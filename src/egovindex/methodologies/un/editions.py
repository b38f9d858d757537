"""What each UN E-Government Survey edition specifies: indicators, weights, caps, rules.

One frozen :class:`Edition` per Survey year, built by :func:`edition` with the named options
of the methodology's option registry (``shared`` methodology, Appendix "option registry").
The facts and their sources (methodology sections A.1-A.7):

==========  ===========================================  ==================  ==============
edition     TII (A.2.1)                                  HCI (A.3.1)         recomputable
==========  ===========================================  ==================  ==============
2003-2005   six indices (Internet users, online           2/3 literacy,       no (published
            population, PCs, mobile, fixed lines, TVs),   1/3 GER             TII and HCI
            weights UNCONFIRMED                                               are inputs)
2008, 2010  5 x 1/5: Internet users, fixed broadband,    2/3 literacy,       no
            PCs, mobile, fixed telephone                  1/3 GER
2012        5 x 1/5: Internet users, fixed broadband,    2/3 literacy,       yes
            fixed Internet, mobile, fixed telephone       1/3 GER
2014, 2016  5 x 1/5: Internet users, fixed broadband,    1/3 literacy,       yes
            wireless broadband, mobile, fixed telephone   2/9 GER, EYS, MYS
2018        as 2016; fourth indicator per option         as 2016             yes
            ``tii_2018_broadband``
2020-2024   4 x 1/4: Internet users, mobile, active       as 2016             yes
            mobile broadband, fixed broadband; cap 120
==========  ===========================================  ==================  ==============

Why 2003-2010 are not recomputable (methodology A.1.2): their published TII and HCI are not
min-max rescaled (TII maxima 0.77-0.86; HCI 1.422 for Micronesia in 2003), and how they were
scaled is UNCONFIRMED. The library takes the published TII and HCI as inputs for those editions
and raises :class:`~egovindex.errors.InputError` when asked to recompute them.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final, Literal, get_args

import attrs

from egovindex.composite import Leaf, Node
from egovindex.errors import InputError, UnconfirmedOptionError, UnknownEditionError
from egovindex.methodologies.un.indicators import (
    AFFORDABILITY_CODE,
    EGOV_LITERACY_CODE,
    INDICATORS,
)
from egovindex.ranking import GROUP_FLOORS, Boundary, RankMethod, RatingMethod

__all__ = [
    "EDITIONS",
    "HCI_CAP_KEYS",
    "HDI_CAPS",
    "OSI_SUBINDICES",
    "RESERVED_EDITIONS",
    "RESERVED_OPTIONS",
    "Broadband",
    "Edition",
    "TopWeights",
    "edition",
]

TopWeights = Literal["published_fit", "equal"]
"""Top-level EGDI weights: ``"published_fit"`` (0.34/0.33/0.33 in 2008 and 2010, which
reproduces the published values) or ``"equal"`` (1/3 each; methodology A.1.1)."""

Broadband = Literal["wireless", "active_mobile"]
"""The 2018 TII's broadband indicator: wireless broadband ([EGOVSPACE], paraphrasing the
2018 annex) or active mobile broadband (2022 Survey Annex, Table A.1)."""

OSI_SUBINDICES: tuple[str, ...] = ("IF", "CP", "SP", "TEC", "EPI")
"""OSI subindices since 2022 (2022 Survey, chapter 1; methodology A.4.3): Institutional
Framework, Content Provision, Services Provision, Technology, E-Participation."""

HCI_CAP_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "ALR": "adult_literacy_pct",
        "GER": "gross_enrolment_ratio_pct",
        "EYS": "expected_years_schooling",
        "MYS": "mean_years_schooling",
    }
)
"""Short names accepted as keys of ``hci_caps`` (indicator codes are accepted too)."""

HDI_CAPS: Mapping[str, float] = MappingProxyType({"EYS": 18.0, "MYS": 15.0, "GER": 100.0})
"""UNDP Human Development Index goalposts, offered as ``hci_caps=HDI_CAPS``; not known to be
used by the UN E-Government Survey (methodology A.3.1, UNCONFIRMED)."""

_DEFAULT: Final = "default"

_TII_2003 = (
    "Internet users",
    "online population",
    "PCs",
    "mobile-cellular subscriptions",
    "fixed-telephone lines",
    "TV sets",
)
_TII_2008 = (
    "internet_users_pct",
    "fixed_broadband_per100",
    "pcs_per100",
    "mobile_subscriptions_per100",
    "fixed_telephone_per100",
)
_TII_2012 = (
    "internet_users_pct",
    "fixed_broadband_per100",
    "fixed_internet_per100",
    "mobile_subscriptions_per100",
    "fixed_telephone_per100",
)
_TII_2014 = (
    "internet_users_pct",
    "fixed_broadband_per100",
    "wireless_broadband_per100",
    "mobile_subscriptions_per100",
    "fixed_telephone_per100",
)
_TII_2020 = (
    "internet_users_pct",
    "mobile_subscriptions_per100",
    "mobile_broadband_per100",
    "fixed_broadband_per100",
)
_HCI_2 = ("adult_literacy_pct", "gross_enrolment_ratio_pct")
_HCI_4 = (
    "adult_literacy_pct",
    "gross_enrolment_ratio_pct",
    "expected_years_schooling",
    "mean_years_schooling",
)
_W5 = (0.2, 0.2, 0.2, 0.2, 0.2)
_W4 = (0.25, 0.25, 0.25, 0.25)
_W_HCI_2 = (2 / 3, 1 / 3)
_W_HCI_4 = (1 / 3, 2 / 9, 2 / 9, 2 / 9)

_COMMON_NOTES = (
    "z-scores use the population standard deviation (2016 Survey Annex A.1; methodology A.1.2); "
    "option ddof=1",
    "each composite is min-max rescaled to [0, 1] from 2012 on (2016 Survey Annex A.1; "
    "published minima 0 and maxima 1, DERIVED; methodology A.1.2)",
    "OSI and EPI are min-max normalised point totals (2018 Survey methodology as restated "
    "by [BLOG-OSI]; methodology A.4.1, A.5)",
    "level groups at 0.25 / 0.50 / 0.75 (UN Knowledge Base [KB-UNPACS]; methodology A.7.1); "
    "boundary inclusion UNCONFIRMED: option group_boundary, default 'lower_inclusive'",
    "ranks are competition ranks on unrounded values (DERIVED; methodology A.8.1); "
    "option rank_method",
)


_EQUAL = (1 / 3, 1 / 3, 1 / 3)


@attrs.frozen(kw_only=True)
class _Facts:
    """The fixed rules of one edition, one keyword each (methodology A.0-A.7)."""

    tii_indicators: tuple[str, ...]
    tii_weights: tuple[float, ...] | None
    tii_recomputable: bool
    hci_indicators: tuple[str, ...]
    hci_weights: tuple[float, ...]
    hci_recomputable: bool
    osi_points_default: bool
    notes: tuple[str, ...]
    tii_labels: tuple[str, ...] = ()  # for editions whose indicators have no column (2003-2005)
    tii_default_cap: float | None = None
    osi_subindices: tuple[str, ...] = ()
    published_fit: tuple[float, float, float] = _EQUAL  # top weights of "published_fit"
    zero_rule: str | None = None  # "osi" or "hci": its zero forces EGDI = 0 (A.1.1)
    hci_above_one: bool = False  # the Survey published HCI above 1 (2003, A.1.2)
    broadband_option: bool = False  # the TII's broadband indicator is an option (2018)
    rating_classes: bool = False  # rating classes within each group (from 2020, A.7.2)
    reserved: bool = False  # announced, not published: UNCONFIRMED options to confirm (2026)


_EARLY = _Facts(
    tii_indicators=(),
    tii_labels=_TII_2003,
    tii_weights=None,
    tii_recomputable=False,
    hci_indicators=_HCI_2,
    hci_weights=_W_HCI_2,
    hci_recomputable=False,
    osi_points_default=False,
    zero_rule="osi",
    notes=(
        "TII: six indices incl. online population and TV sets (2022 Survey Annex Table "
        "A.1; [ICTLOGY]), weights UNCONFIRMED; not min-max rescaled, scaling "
        "UNCONFIRMED: published TII is an input (methodology A.1.2, A.2.1)",
        "HCI: 2/3 adult literacy + 1/3 GER (UNCONFIRMED for 2003-2005, consistent with "
        "the data); published HCI is an input, values above 1 occur in 2003 "
        "(methodology A.1.2, A.3.1)",
        "OSI: web-measure stage model, stage weights UNCONFIRMED: published OSI is the "
        "default input (methodology A.4.2)",
        "EGDI: mean of three; EGDI := 0 when OSI = 0 (DERIVED; methodology A.1.1 item 2)",
    ),
)
_2008 = _Facts(
    tii_indicators=_TII_2008,
    tii_weights=_W5,
    tii_recomputable=False,
    hci_indicators=_HCI_2,
    hci_weights=_W_HCI_2,
    hci_recomputable=False,
    osi_points_default=False,
    published_fit=(0.34, 0.33, 0.33),
    zero_rule="hci",
    notes=(
        "TII: 5 indicators x 1/5 (2022 Survey Annex Table A.1; weights CONFIRMED for "
        "2008 by [UNPAN-2008]); not min-max rescaled, scaling UNCONFIRMED: published "
        "TII is an input (methodology A.1.2, A.2.1)",
        "HCI: 2/3 adult literacy + 1/3 GER (CONFIRMED 2008 [UNPAN-2008], 2010 "
        "[BLOG-2010]); published HCI is an input (methodology A.3.1)",
        "OSI: stage model (five stages in 2008, [UNPAN-2008]), stage weights "
        "UNCONFIRMED: published OSI is the default input (methodology A.4.2)",
        "EGDI: 0.34 OSI + 0.33 TII + 0.33 HCI (DERIVED; option top_weights_rule) and "
        "EGDI := 0 when HCI = 0 (DERIVED; methodology A.1.1 item 3)",
    ),
)
_2012 = _Facts(
    tii_indicators=_TII_2012,
    tii_weights=_W5,
    tii_recomputable=True,
    hci_indicators=_HCI_2,
    hci_weights=_W_HCI_2,
    hci_recomputable=True,
    osi_points_default=False,
    zero_rule="osi",
    notes=(
        "TII: 5 indicators incl. fixed-Internet subscriptions (2022 Survey Annex Table "
        "A.1); equal weights 1/5 UNCONFIRMED (methodology A.2.1)",
        "HCI: 2/3 adult literacy + 1/3 GER, UNCONFIRMED for 2012 (methodology A.3.1)",
        "OSI: stage model, stage weights UNCONFIRMED: published OSI is the default "
        "input; osi_input='raw' min-max normalises supplied points (methodology A.4.2)",
        "EGDI: mean of three; EGDI := 0 when OSI = 0 (DERIVED; methodology A.1.1 item 4)",
    ),
)
_2014 = _Facts(
    tii_indicators=_TII_2014,
    tii_weights=_W5,
    tii_recomputable=True,
    hci_indicators=_HCI_4,
    hci_weights=_W_HCI_4,
    hci_recomputable=True,
    osi_points_default=True,
    notes=(
        "TII: 5 indicators incl. wireless broadband (2022 Survey Annex Table A.1); equal "
        "weights 1/5 UNCONFIRMED (methodology A.2.1)",
        "HCI: 1/3 literacy, 2/9 GER, 2/9 expected and 2/9 mean years of schooling; "
        "2014 as the first four-component edition is UNCONFIRMED (methodology A.3.1)",
        "EGDI: mean of three (2016 Survey Annex A.1; methodology A.1.1)",
    ),
)
_2018 = attrs.evolve(
    _2014,
    broadband_option=True,
    notes=(
        "TII: 5 indicators x 1/5 ([EGOVSPACE] quoting the 2018 annex); the broadband "
        "indicator is wireless ([EGOVSPACE]) or active mobile (2022 Survey Annex Table "
        "A.1): option tii_2018_broadband, default 'wireless' (methodology A.2.1)",
        "HCI: 1/3, 2/9, 2/9, 2/9 (methodology A.3.1)",
        "EGDI: mean of three (2018 Survey Annex A.1; methodology A.1.1)",
    ),
)
_NOTES_2020 = (
    "TII: 4 indicators x 1/4, components capped at 120 (2022 Survey Annex p. 197, Table "
    "A.1; [VNDX-TII]; methodology A.2.1, A.2.2); option tii_cap",
    "HCI: 1/3, 2/9, 2/9, 2/9 (CONFIRMED for 2022 by [VNDX-HCI]; methodology A.3.1); "
    "no caps on EYS, MYS or GER by default (UNCONFIRMED; option hci_caps)",
    "EGDI: mean of three (methodology A.1.1)",
    "rating classes within each group from 2020 (UNCONFIRMED; methodology A.7.2): option "
    "rating_method, default 'count_quartile' (the 2022 Survey's count of VH in Europe)",
)
_NOTE_SUBINDICES = (
    "OSI: five subindices IF, CP, SP, TEC, EPI from 2022 (2022 Survey chapter 1; "
    "methodology A.4.3); their weights are UNCONFIRMED, so recomputing OSI from subindices "
    "needs osi_subindex_weights; by default OSI is the published OSI (osi_input='raw': "
    "the min-max normalised total osi_points)",
)
_2020 = _Facts(
    tii_indicators=_TII_2020,
    tii_weights=_W4,
    tii_recomputable=True,
    tii_default_cap=120.0,
    hci_indicators=_HCI_4,
    hci_weights=_W_HCI_4,
    hci_recomputable=True,
    osi_points_default=True,
    rating_classes=True,
    notes=_NOTES_2020,
)
_2022 = attrs.evolve(_2020, osi_subindices=OSI_SUBINDICES, notes=_NOTES_2020 + _NOTE_SUBINDICES)
_2024 = attrs.evolve(
    _2022,
    notes=(
        "2024: indicator sets, weights, cap and OSI subindices UNCONFIRMED, assumed as "
        "2022 (methodology A.0, A.2.1, A.3.1)",
        *_NOTES_2020,
        *_NOTE_SUBINDICES,
    ),
)

_FACTS: Mapping[int, _Facts] = MappingProxyType(
    {
        2003: attrs.evolve(_EARLY, hci_above_one=True),
        2004: _EARLY,
        2005: _EARLY,
        2008: _2008,
        2010: _2008,
        2012: _2012,
        2014: _2014,
        2016: _2014,
        2018: _2018,
        2020: _2020,
        2022: _2022,
        2024: _2024,
        2026: attrs.evolve(
            _2024,
            reserved=True,
            notes=(
                "2026: reserved, not yet published; the 2024 rules plus the changes reported "
                "for the 2026 cycle, each an UNCONFIRMED option that must be confirmed before "
                "the edition scores: tii_affordability_weight (the TII adds the ITU "
                "affordability price baskets, lower is better) and hci_egov_literacy_weight "
                "(the HCI adds e-government literacy); 0 leaves the indicator out (the 2024 "
                "rules)",
                *_2024.notes,
            ),
        ),
    }
)

EDITIONS: tuple[int, ...] = tuple(y for y, f in _FACTS.items() if not f.reserved)
"""Years of the published UN E-Government Survey editions."""

RESERVED_EDITIONS: tuple[int, ...] = tuple(y for y, f in _FACTS.items() if f.reserved)
"""Announced editions whose rules are reserved: ``methodology(2026)`` holds the 2024 rules
and the reported 2026 changes as UNCONFIRMED options to confirm before it scores."""

RESERVED_OPTIONS: Mapping[str, str] = MappingProxyType(
    {
        "tii_affordability_weight": "the TII with the ITU affordability price baskets "
        f"({AFFORDABILITY_CODE}, lower is better)",
        "hci_egov_literacy_weight": f"the HCI with e-government literacy ({EGOV_LITERACY_CODE})",
    }
)
"""The UNCONFIRMED options of a reserved edition and what each would add."""


def _labels(codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(INDICATORS[c].label for c in codes)


def _facts_of(year: int) -> _Facts:
    """The fixed rules of the edition ``year``; raises for a year that was no edition."""
    try:
        return _FACTS[year]
    except (KeyError, TypeError):
        raise UnknownEditionError(
            f"{year} was not a UN E-Government Survey edition; editions: "
            + ", ".join(str(e) for e in EDITIONS)
            + "; reserved: "
            + ", ".join(str(e) for e in RESERVED_EDITIONS)
        ) from None


@attrs.frozen(kw_only=True)
class Edition:
    """The specification of one UN E-Government Survey edition, options resolved.

    Build it with :func:`edition`. Every field states a rule of the edition; ``notes`` cites
    the source of each and marks the UNCONFIRMED ones.

    Attributes
    ----------
    year
        Survey year.
    tii_indicators, tii_weights
        Raw indicator codes of the TII and their weights (methodology A.2.1). Empty codes and
        ``None`` weights where the edition used indicators this library has no column for
        (2003-2005) or weights are unknown.
    tii_labels
        Human-readable indicator names (also for 2003-2005).
    tii_recomputable
        False for 2003-2010: TII is taken as published (methodology A.1.2).
    tii_cap
        Upper cap applied to every TII component before the z-score: 120 from 2020 (2022
        Survey Annex, Table A.1; methodology A.2.2), ``None`` before (UNCONFIRMED default).
    tii_2018_broadband
        2018 only: ``"wireless"`` (default) or ``"active_mobile"`` (methodology A.2.1).
    hci_indicators, hci_weights
        Education indicators and weights: 2/3 literacy + 1/3 GER to 2012, 1/3 literacy +
        2/9 GER + 2/9 EYS + 2/9 MYS from 2014 (methodology A.3.1).
    hci_recomputable
        False for 2003-2010 (methodology A.1.2).
    hci_caps
        Caps per HCI indicator code, ``None`` by default (UNCONFIRMED; methodology A.3.1).
    osi_points_default
        True where the OSI can be the min-max normalised point total (2014 on; the default
        input 2014-2020, from 2022 the option ``osi_input="raw"``, the published OSI being
        the default, methodology A.4.3); for 2003-2012 the published OSI is the default
        input (stage weights UNCONFIRMED, methodology A.4.2).
    osi_subindices
        ``("IF", "CP", "SP", "TEC", "EPI")`` from 2022 (methodology A.4.3), else empty.
    ddof
        Delta degrees of freedom of the z-scores: 0, the population standard deviation
        (2016 Survey Annex A.1; methodology A.1.2).
    top_weights_rule
        ``"published_fit"`` (0.34/0.33/0.33 in 2008 and 2010) or ``"equal"`` (A.1.1).
    zero_rule
        Apply the edition's EGDI zero rule (A.1.1).
    group_boundary
        ``"lower_inclusive"`` (default) or ``"upper_inclusive"`` (A.7.1, UNCONFIRMED).
    rating_method
        ``"count_quartile"`` (default) or ``"equal_width"`` from 2020; ``None`` before
        (A.7.2, UNCONFIRMED).
    rank_method
        ``"competition"`` (A.8.1), ``"dense"`` or ``"ordinal"``.
    top_weights
        Weights of (OSI, TII, HCI) in the EGDI under ``top_weights_rule`` (A.1.1).
    zero_rule_component
        ``"osi"`` or ``"hci"``, whose zero forces EGDI = 0 under ``zero_rule``, or None
        (A.1.1).
    hci_above_one
        Whether the edition published HCI values above 1 (2003 only, A.1.2).
    egdi_node
        The top level of the EGDI as a :class:`~egovindex.composite.Node` over leaves named
        ``osi``, ``tii``, ``hci``: :attr:`top_weights`, and the zero rule as the node's
        ``zero_if_zero`` (A.1.1). The root of :attr:`Methodology.tree
        <egovindex.methodologies.un.methodology.Methodology.tree>`.
    tii_affordability_weight, hci_egov_literacy_weight
        Reserved editions (2026) only: the weight of the reported new indicator in the TII
        (ITU affordability price baskets, lower is better; the four 2024 indicators share
        the rest equally) and in the HCI (e-government literacy; the 2024 weights are scaled
        to the rest); 0 leaves it out. ``None``: not confirmed (see :attr:`unconfirmed`).
    unconfirmed
        Names of the UNCONFIRMED options still to confirm; an edition with any does not
        score (:class:`~egovindex.errors.UnconfirmedOptionError`).
    notes
        The edition's rules with their sources; UNCONFIRMED items are marked so.

    Notes
    -----
    UNCONFIRMED items and the defaults chosen (methodology, option registry):

    - TII weights 1/5 in 2012-2016, the 2012 HCI, 2014 as the first four-component HCI;
    - 2018 broadband indicator (``tii_2018_broadband="wireless"``);
    - no TII cap before 2020 (``tii_cap=None``); cap of 120 applied to the final value;
    - no HCI caps (``hci_caps=None``; :data:`HDI_CAPS` offered);
    - OSI subindex weights from 2022 (no default: ``osi_subindex_weights`` is required to
      recompute OSI from subindices; each subindex is min-max normalised before weighting
      and the weighted sum is min-max rescaled, as the published OSI spans [0, 1]);
    - the whole 2024 specification (assumed as 2022);
    - group boundary inclusion (``"lower_inclusive"``) and rating classes
      (``"count_quartile"``);
    - the scaling of TII and HCI in 2003-2010 (not recomputed: published inputs).
    """

    year: int
    tii_indicators: tuple[str, ...]
    tii_labels: tuple[str, ...]
    tii_weights: tuple[float, ...] | None
    tii_recomputable: bool
    tii_cap: float | None
    tii_2018_broadband: Broadband | None
    hci_indicators: tuple[str, ...]
    hci_weights: tuple[float, ...]
    hci_recomputable: bool
    hci_caps: Mapping[str, float] | None
    osi_points_default: bool
    osi_subindices: tuple[str, ...]
    ddof: int
    top_weights_rule: TopWeights
    zero_rule: bool
    group_boundary: Boundary
    rating_method: RatingMethod | None
    rank_method: RankMethod
    top_weights: tuple[float, float, float]
    zero_rule_component: str | None
    hci_above_one: bool = attrs.field(default=False, repr=False)
    egdi_node: Node = attrs.field(repr=False)
    tii_affordability_weight: float | None = None
    hci_egov_literacy_weight: float | None = None
    unconfirmed: tuple[str, ...] = ()
    notes: tuple[str, ...] = attrs.field(repr=False)

    @property
    def has_rating_classes(self) -> bool:
        """Whether the edition classifies countries into rating classes (from 2020)."""
        return self.rating_method is not None

    @property
    def group_thresholds(self) -> tuple[float, float, float]:
        """EGDI floors of Very High, High and Middle (methodology A.7.1)."""
        return GROUP_FLOORS

    def options(self) -> dict[str, object]:
        """The resolved values of the edition's named options."""
        return {
            "ddof": self.ddof,
            "tii_cap": self.tii_cap,
            "tii_2018_broadband": self.tii_2018_broadband,
            "hci_caps": None if self.hci_caps is None else dict(self.hci_caps),
            "top_weights_rule": self.top_weights_rule,
            "zero_rule": self.zero_rule,
            "group_boundary": self.group_boundary,
            "rating_method": self.rating_method,
            "rank_method": self.rank_method,
        } | (
            {name: getattr(self, name) for name in RESERVED_OPTIONS}
            if self.year in RESERVED_EDITIONS
            else {}
        )

    def require_confirmed(self) -> None:
        """Raise :class:`~egovindex.errors.UnconfirmedOptionError` naming every UNCONFIRMED
        option still to confirm (reserved editions, 2026)."""
        if not self.unconfirmed:
            return
        what = "; ".join(f"{name} ({RESERVED_OPTIONS[name]})" for name in self.unconfirmed)
        raise UnconfirmedOptionError(
            f"the {self.year} UN methodology is reserved: its reported changes are "
            f"UNCONFIRMED and must be confirmed before it scores: {what}; confirm each "
            f"with methodology({self.year}, "
            + ", ".join(f"{name}=..." for name in self.unconfirmed)
            + ") (a weight in [0, 1); 0 keeps the 2024 rule)",
            self.unconfirmed,
        )


def _check_choice(name: str, value: object, choices: tuple[object, ...]) -> None:
    if value not in choices:
        raise InputError(
            f"unknown {name} {value!r}; choose one of " + ", ".join(repr(c) for c in choices)
        )


def _positive(value: object) -> float:
    """``float(value)``, or NaN (rejected by the caller's check) when it is no number."""
    if isinstance(value, bool):
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _resolve_hci_caps(
    year: int, caps: Mapping[str, float] | None, indicators: tuple[str, ...]
) -> Mapping[str, float] | None:
    if caps is None:
        return None
    out: dict[str, float] = {}
    for key, value in caps.items():
        code = HCI_CAP_KEYS.get(key, key)
        if code not in indicators:
            raise InputError(
                f"hci_caps key {key!r} is not an HCI indicator of the {year} edition; "
                "use one of " + ", ".join(k for k, c in HCI_CAP_KEYS.items() if c in indicators)
            )
        cap = _positive(value)
        if not (math.isfinite(cap) and cap > 0):
            raise InputError(f"hci_caps[{key!r}] must be a positive finite number, got {value!r}")
        out[code] = cap
    return MappingProxyType(out)


def edition(
    year: int,
    *,
    ddof: int = 0,
    tii_cap: float | Literal["default"] | None = _DEFAULT,
    tii_2018_broadband: Broadband | None = None,
    hci_caps: Mapping[str, float] | None = None,
    top_weights_rule: TopWeights = "published_fit",
    zero_rule: bool = True,
    group_boundary: Boundary = "lower_inclusive",
    rating_method: RatingMethod | None = None,
    rank_method: RankMethod = "competition",
    tii_affordability_weight: float | None = None,
    hci_egov_literacy_weight: float | None = None,
) -> Edition:
    """Return the :class:`Edition` of ``year`` with its options resolved.

    Parameters
    ----------
    year
        Survey year (2003, 2004, 2005, 2008, 2010, 2012, ..., 2024).
    ddof
        0 (population standard deviation, the Surveys' rule) or 1.
    tii_cap
        Cap on every TII component; default 120 from 2020 and none before (methodology
        A.2.2). Only for editions whose TII is recomputed (2012 on).
    tii_2018_broadband
        2018 only: ``"wireless"`` (default) or ``"active_mobile"``.
    hci_caps
        Caps per HCI indicator, keys ``"ALR"``, ``"GER"``, ``"EYS"``, ``"MYS"`` or indicator
        codes (e.g. :data:`HDI_CAPS`); default none (methodology A.3.1, UNCONFIRMED). Only for
        editions whose HCI is recomputed (2012 on).
    top_weights_rule, zero_rule
        See :func:`egovindex.methodologies.un.formula.egdi`.
    group_boundary
        ``"lower_inclusive"`` (default) or ``"upper_inclusive"`` (methodology A.7.1).
    rating_method
        From 2020: ``"count_quartile"`` (default) or ``"equal_width"`` (methodology A.7.2).
    rank_method
        ``"competition"`` (default, methodology A.8.1), ``"dense"`` or ``"ordinal"``.
    tii_affordability_weight, hci_egov_literacy_weight
        Reserved editions (2026) only: confirm the reported changes of the 2026 cycle
        (UNCONFIRMED) with the weight of the new indicator in [0, 1); 0 keeps the 2024
        rule. Until both are given the edition does not score.

    Raises
    ------
    UnknownEditionError
        ``year`` was not a Survey edition.
    InputError
        An option value is unknown, or the option does not apply to the edition (the
        message says why).
    """
    options = (
        year,
        ddof,
        tii_cap,
        tii_2018_broadband,
        hci_caps,
        top_weights_rule,
        zero_rule,
        group_boundary,
        rating_method,
        rank_method,
        tii_affordability_weight,
        hci_egov_literacy_weight,
    )
    if hci_caps is None:
        try:
            hash(options)
        except TypeError:  # an unhashable option: built (and rejected) without the cache
            pass
        else:
            return _cached_edition(*options)
    return _edition(*options)


# An Edition is immutable; scoring, gaps and projections ask for the same few again and
# again, and building one (its EGDI node validates its weights) costs tens of microseconds.
@functools.lru_cache(maxsize=256, typed=True)
def _cached_edition(*options: Any) -> Edition:
    return _edition(*options)


def _edition(
    year: int,
    ddof: int,
    tii_cap: float | Literal["default"] | None,
    tii_2018_broadband: Broadband | None,
    hci_caps: Mapping[str, float] | None,
    top_weights_rule: TopWeights,
    zero_rule: bool,
    group_boundary: Boundary,
    rating_method: RatingMethod | None,
    rank_method: RankMethod,
    tii_affordability_weight: float | None,
    hci_egov_literacy_weight: float | None,
) -> Edition:
    facts = _facts_of(year)
    _check_choice("ddof", ddof, (0, 1))
    _check_choice("top_weights_rule", top_weights_rule, get_args(TopWeights))
    _check_choice("zero_rule", zero_rule, (True, False))
    _check_choice("group_boundary", group_boundary, get_args(Boundary))
    _check_choice("rank_method", rank_method, get_args(RankMethod))
    cap = _tii_cap(year, facts, tii_cap)
    tii_codes, broadband = _tii_broadband(year, facts, tii_2018_broadband)
    new = _Reserved.resolve(year, facts, tii_affordability_weight, hci_egov_literacy_weight)
    weights = facts.published_fit if top_weights_rule == "published_fit" else _EQUAL
    zero = facts.zero_rule if zero_rule else None
    return Edition(
        year=year,
        tii_indicators=tii_codes + new.tii_codes,
        tii_labels=_labels(tii_codes + new.tii_codes) if tii_codes else facts.tii_labels,
        tii_weights=None if facts.tii_weights is None else new.weights(facts.tii_weights, new.tii),
        tii_recomputable=facts.tii_recomputable,
        tii_cap=cap,
        tii_2018_broadband=broadband,
        hci_indicators=facts.hci_indicators + new.hci_codes,
        hci_weights=new.weights(facts.hci_weights, new.hci),
        hci_recomputable=facts.hci_recomputable,
        hci_caps=_hci_caps(year, facts, hci_caps),
        osi_points_default=facts.osi_points_default,
        osi_subindices=facts.osi_subindices,
        ddof=ddof,
        top_weights_rule=top_weights_rule,
        zero_rule=zero_rule,
        group_boundary=group_boundary,
        rating_method=_rating_method(year, facts, rating_method),
        rank_method=rank_method,
        top_weights=weights,
        zero_rule_component=zero,
        hci_above_one=facts.hci_above_one,
        egdi_node=_egdi_node(weights, zero),
        tii_affordability_weight=new.tii,
        hci_egov_literacy_weight=new.hci,
        unconfirmed=new.unconfirmed,
        notes=facts.notes + _COMMON_NOTES,
    )


@attrs.frozen
class _Reserved:
    """The confirmed weights of a reserved edition's new TII and HCI indicators (2026)."""

    tii: float | None = None
    hci: float | None = None
    unconfirmed: tuple[str, ...] = ()

    @classmethod
    def resolve(cls, year: int, facts: _Facts, tii: float | None, hci: float | None) -> _Reserved:
        given = {"tii_affordability_weight": tii, "hci_egov_literacy_weight": hci}
        if not facts.reserved:
            for name, value in given.items():
                if value is not None:
                    raise InputError(
                        f"{name} applies to the reserved editions "
                        + ", ".join(map(str, RESERVED_EDITIONS))
                        + f" only, not {year}"
                    )
            return cls()
        for name, value in given.items():
            w = math.nan if value is None else _positive(value)
            if value is not None and not (math.isfinite(w) and 0 <= w < 1):
                raise InputError(f"{name} must be a weight in [0, 1), got {value!r}")
        missing = tuple(name for name, value in given.items() if value is None)
        return cls(
            None if tii is None else float(tii), None if hci is None else float(hci), missing
        )

    @property
    def tii_codes(self) -> tuple[str, ...]:
        return (AFFORDABILITY_CODE,) if self.tii else ()

    @property
    def hci_codes(self) -> tuple[str, ...]:
        return (EGOV_LITERACY_CODE,) if self.hci else ()

    @staticmethod
    def weights(base: tuple[float, ...], new: float | None) -> tuple[float, ...]:
        """``base`` scaled to ``1 - new`` with ``new`` appended; ``base`` when ``new`` is 0
        or unconfirmed."""
        if not new:
            return base
        return (*(w * (1.0 - new) for w in base), new)


def _egdi_node(weights: tuple[float, float, float], zero: str | None) -> Node:
    """EGDI = w . (OSI, TII, HCI), 0 where the zero-rule component is 0 (methodology A.1.1)."""
    leaves = [Leaf(name) for name in ("osi", "tii", "hci")]
    return Node("egdi", leaves, weights, zero_if_zero=() if zero is None else (zero,))


def _tii_cap(year: int, facts: _Facts, tii_cap: float | Literal["default"] | None) -> float | None:
    if tii_cap == _DEFAULT:
        return facts.tii_default_cap
    if not facts.tii_recomputable:
        raise InputError(
            f"tii_cap does not apply to the {year} edition: its TII is taken as published "
            "(methodology A.1.2)"
        )
    cap = None if tii_cap is None else _positive(tii_cap)
    if cap is not None and not (math.isfinite(cap) and cap > 0):
        raise InputError(f"tii_cap must be None or a positive finite number, got {tii_cap!r}")
    return cap


def _tii_broadband(
    year: int, facts: _Facts, tii_2018_broadband: Broadband | None
) -> tuple[tuple[str, ...], Broadband | None]:
    """The TII codes and the resolved 2018 broadband option (methodology A.2.1)."""
    if not facts.broadband_option:
        if tii_2018_broadband is not None:
            raise InputError(
                f"tii_2018_broadband applies to the 2018 edition only, not {year} "
                "(methodology A.2.1)"
            )
        return facts.tii_indicators, None
    broadband = "wireless" if tii_2018_broadband is None else tii_2018_broadband
    _check_choice("tii_2018_broadband", broadband, get_args(Broadband))
    if broadband == "wireless":
        return facts.tii_indicators, broadband
    codes = tuple(
        "mobile_broadband_per100" if c == "wireless_broadband_per100" else c
        for c in facts.tii_indicators
    )
    return codes, broadband


def _hci_caps(
    year: int, facts: _Facts, hci_caps: Mapping[str, float] | None
) -> Mapping[str, float] | None:
    if hci_caps is not None and not facts.hci_recomputable:
        raise InputError(
            f"hci_caps does not apply to the {year} edition: its HCI is taken as published "
            "(methodology A.1.2)"
        )
    return _resolve_hci_caps(year, hci_caps, facts.hci_indicators)


def _rating_method(
    year: int, facts: _Facts, rating_method: RatingMethod | None
) -> RatingMethod | None:
    if not facts.rating_classes:
        if rating_method is not None:
            raise InputError(
                f"rating classes were introduced in the 2020 Survey; the {year} edition has "
                "none (methodology A.7.2)"
            )
        return None
    method: RatingMethod = "count_quartile" if rating_method is None else rating_method
    _check_choice("rating_method", method, get_args(RatingMethod))
    return method
