"""The raw indicators of the UN E-Government Survey, one :class:`Indicator` per CSV column.

A raw-indicator table has one row per country (``iso3``) and the columns declared here.
Every edition reads the columns it needs (:attr:`Methodology.columns
<egovindex.methodologies.un.methodology.Methodology.columns>`) and ignores the others.

Units and bounds (the bounds reject values that cannot be right, not values that are merely
unusual):

- shares of the population are ``percent`` in [0, 100] (Internet users, adult literacy);
- subscriptions and devices are ``per_100`` inhabitants, >= 0 with no upper bound: mobile
  subscriptions exceed 100 in most countries, which is why the Surveys cap TII components at
  120 from 2020 (2022 Survey Annex, Table A.1; methodology A.2.2);
- the gross enrolment ratio is ``percent`` >= 0 without an upper bound: it counts enrolled
  pupils of any age against the school-age population, so it exceeds 100 where pupils repeat
  or start late (UNESCO UIS definition; the 2003 HCI above 1 shows the early Surveys did not cap
  it, methodology A.3.1);
- expected and mean years of schooling are ``years`` in [0, 25]: the largest values published
  by UNDP are about 23 (expected) and 14 (mean); 25 admits every observed value and rejects
  values entered in months or as percentages;
- questionnaire totals are ``points`` >= 0;
- published indices used as inputs (editions whose TII and HCI cannot be recomputed, methodology
  A.1.2) are dimensionless in [0, 1], except ``hci_published``, which is only bounded below
  because the 2003 Survey published HCI values above 1 (Micronesia 1.422, Tuvalu 1.03).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from egovindex.errors import UnknownIndicatorError, unknown_message
from egovindex.panel import Indicator

__all__ = [
    "AFFORDABILITY_CODE",
    "EGOV_LITERACY_CODE",
    "HCI_CODES",
    "INDICATORS",
    "OSI_SUBINDEX_CODES",
    "PUBLISHED_CODES",
    "TII_CODES",
    "indicator",
]

_TII = (
    Indicator(
        "internet_users_pct",
        "percent",
        lower=0.0,
        upper=100.0,
        label="Individuals using the Internet (% of population)",
    ),
    Indicator(
        "mobile_subscriptions_per100",
        "per_100",
        lower=0.0,
        label="Mobile-cellular subscriptions per 100 inhabitants",
    ),
    Indicator(
        "fixed_broadband_per100",
        "per_100",
        lower=0.0,
        label="Fixed-broadband subscriptions per 100 inhabitants",
    ),
    Indicator(
        "mobile_broadband_per100",
        "per_100",
        lower=0.0,
        label="Active mobile-broadband subscriptions per 100 inhabitants",
    ),
    Indicator(
        "fixed_telephone_per100",
        "per_100",
        lower=0.0,
        label="Fixed-telephone subscriptions per 100 inhabitants",
    ),
    Indicator(
        "wireless_broadband_per100",
        "per_100",
        lower=0.0,
        label="Wireless-broadband subscriptions per 100 inhabitants "
        "(satellite, terrestrial fixed wireless and active mobile broadband)",
    ),
    Indicator(
        "fixed_internet_per100",
        "per_100",
        lower=0.0,
        label="Fixed-Internet subscriptions per 100 inhabitants (2012 Survey)",
    ),
    Indicator(
        "pcs_per100",
        "per_100",
        lower=0.0,
        label="Personal computers per 100 inhabitants (2003-2010 Surveys)",
    ),
)

_RESERVED_2026 = (
    Indicator(
        "affordability_basket_pct_gni",
        "percent",
        direction="lower",
        lower=0.0,
        label="Price of the ITU affordability price baskets, % of monthly GNI per capita "
        "(reported for the 2026 TII; lower is better; UNCONFIRMED)",
    ),
    Indicator(
        "egov_literacy_pct",
        "percent",
        lower=0.0,
        upper=100.0,
        label="E-government literacy, % of population (reported for the 2026 HCI; UNCONFIRMED)",
    ),
)
"""Indicators reported for the 2026 Survey cycle (methodology(2026), UNCONFIRMED options).

The price of a basket is bounded below only: in the poorest countries it exceeds the whole
monthly income per person."""

_HCI = (
    Indicator(
        "adult_literacy_pct",
        "percent",
        lower=0.0,
        upper=100.0,
        label="Adult literacy rate, population 15+ (%)",
    ),
    Indicator(
        "gross_enrolment_ratio_pct",
        "percent",
        lower=0.0,
        label="Combined primary, secondary and tertiary gross enrolment ratio (%)",
    ),
    Indicator(
        "expected_years_schooling",
        "years",
        lower=0.0,
        upper=25.0,
        label="Expected years of schooling",
    ),
    Indicator(
        "mean_years_schooling",
        "years",
        lower=0.0,
        upper=25.0,
        label="Mean years of schooling, adults 25+",
    ),
)

_POINTS = (
    Indicator("osi_points", "points", lower=0.0, label="Online Service Questionnaire total points"),
    Indicator(
        "osi_if_points",
        "points",
        lower=0.0,
        label="OSQ points, Institutional Framework subindex (from 2022)",
    ),
    Indicator(
        "osi_cp_points",
        "points",
        lower=0.0,
        label="OSQ points, Content Provision subindex (from 2022)",
    ),
    Indicator(
        "osi_sp_points",
        "points",
        lower=0.0,
        label="OSQ points, Services Provision subindex (from 2022)",
    ),
    Indicator(
        "osi_tec_points",
        "points",
        lower=0.0,
        label="OSQ points, Technology subindex (from 2022)",
    ),
    Indicator(
        "epi_points",
        "points",
        lower=0.0,
        label="E-participation questionnaire points (also the OSI's EPI subindex from 2022)",
    ),
)

_PUBLISHED = (
    Indicator("osi_published", lower=0.0, upper=1.0, label="Online Service Index as published"),
    Indicator(
        "tii_published",
        lower=0.0,
        upper=1.0,
        label="Telecommunication Infrastructure Index as published",
    ),
    Indicator(
        "hci_published",
        lower=0.0,
        label="Human Capital Index as published (above 1 for two countries in 2003)",
    ),
    Indicator("epi_published", lower=0.0, upper=1.0, label="E-Participation Index as published"),
)

INDICATORS: Mapping[str, Indicator] = MappingProxyType(
    {ind.code: ind for ind in (*_TII, *_HCI, *_POINTS, *_PUBLISHED, *_RESERVED_2026)}
)
"""Every raw-table column a UN edition may read, by code."""

AFFORDABILITY_CODE = "affordability_basket_pct_gni"
"""The TII indicator reported for the 2026 cycle: affordability price baskets (lower is better)."""

EGOV_LITERACY_CODE = "egov_literacy_pct"
"""The HCI indicator reported for the 2026 cycle: e-government literacy."""

TII_CODES: tuple[str, ...] = tuple(ind.code for ind in _TII)
"""Codes of the telecommunication indicators (all editions together)."""

HCI_CODES: tuple[str, ...] = tuple(ind.code for ind in _HCI)
"""Codes of the education indicators (all editions together)."""

OSI_SUBINDEX_CODES: Mapping[str, str] = MappingProxyType(
    {
        "IF": "osi_if_points",
        "CP": "osi_cp_points",
        "SP": "osi_sp_points",
        "TEC": "osi_tec_points",
        "EPI": "epi_points",
    }
)
"""The five OSI subindices of the 2022 Survey (methodology A.4.3) and their point columns.

The EPI subindex reads ``epi_points``: since 2022 the e-participation questions also form
the EPI subindex of the OSI (methodology A.5)."""

PUBLISHED_CODES: Mapping[str, str] = MappingProxyType(
    {"osi": "osi_published", "tii": "tii_published", "hci": "hci_published", "epi": "epi_published"}
)
"""Column holding each published index, for editions (or options) that take it as input."""


def indicator(code: str) -> Indicator:
    """Return the declared :class:`~egovindex.panel.Indicator` for a raw column ``code``.

    Raises
    ------
    UnknownIndicatorError
        ``code`` is not a UN raw column; the message suggests close names.
    """
    try:
        return INDICATORS[code]
    except KeyError:
        raise UnknownIndicatorError(unknown_message("UN raw indicator", code, INDICATORS)) from None
