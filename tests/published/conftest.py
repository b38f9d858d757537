"""Shared facts and fixtures of the reproduction suite (published UN Survey tables).

Every number here is either published (the source is cited next to it) or DERIVED from
the UN Data Center export and documented in ``methodology.md`` / ``data/README.md``,
which are cited by section.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

import egovindex.datasets as ds
from egovindex.datasets import Survey
from egovindex.methodologies.un.formula import EDITIONS, top_weights

# Decimals carried by the UN export per edition and index: methodology A.1.3 (DERIVED
# from the export; trailing zeros are padding). In 2003-2005 HCI is printed with 2
# decimals (a handful of values carry 3, e.g. Micronesia 1.422).
PRECISION: Mapping[int, Mapping[str, int]] = {
    2003: {"egdi": 5, "osi": 5, "tii": 5, "hci": 2, "epi": 4},
    2004: {"egdi": 5, "osi": 5, "tii": 5, "hci": 2, "epi": 5},
    2005: {"egdi": 5, "osi": 5, "tii": 5, "hci": 2, "epi": 5},
    2008: {"egdi": 4, "osi": 5, "tii": 5, "hci": 5, "epi": 5},
    2010: {"egdi": 5, "osi": 5, "tii": 5, "hci": 5, "epi": 5},
    2012: {"egdi": 5, "osi": 5, "tii": 5, "hci": 5, "epi": 4},
    2014: {"egdi": 5, "osi": 5, "tii": 5, "hci": 4, "epi": 5},
    2016: {"egdi": 5, "osi": 5, "tii": 5, "hci": 5, "epi": 5},
    2018: {"egdi": 4, "osi": 4, "tii": 4, "hci": 4, "epi": 4},
    2020: {"egdi": 4, "osi": 4, "tii": 4, "hci": 4, "epi": 4},
    2022: {"egdi": 4, "osi": 4, "tii": 4, "hci": 4, "epi": 4},
    2024: {"egdi": 5, "osi": 5, "tii": 5, "hci": 5, "epi": 4},
}

# Components that entered the EGDI exactly as printed, so they carry no rounding error:
# the 2003-2005 HCI. Its 2-decimal values are the HCI itself, not roundings of a finer one:
# every 2003-2005 EGDI > 0 is the mean of the printed components within 6.7e-6 (data
# README "EGDI vs mean of components"), whereas a rounded 2-dp HCI would put up to
# 5e-3 / 3 = 1.7e-3 between them (DERIVED; methodology A.1.3).
EXACT: Mapping[int, frozenset[str]] = {
    2003: frozenset({"hci"}),
    2004: frozenset({"hci"}),
    2005: frozenset({"hci"}),
}

# Slack for binary floating point only (values are exact multiples of 1e-5 / 3 at most
# a few ulps away): far below any half unit of a published decimal.
FLOAT_SLACK = 1e-12


def half_unit(decimals: int) -> float:
    """Half a unit of the last published decimal: the largest rounding error."""
    return 0.5 * 10.0**-decimals


def egdi_tolerance(year: int, *, exact: frozenset[str] | None = None) -> float:
    """Largest |formula(published components) - published EGDI| that rounding explains.

    The UN computed EGDI from *unrounded* components and then rounded both the
    components and the EGDI for publication (methodology A.1.3: ranks follow unrounded
    values). With published component ``c_k = u_k + e_k``, ``|e_k| <= h_k`` (half a unit
    of the component's last decimal, 0 for a component in :data:`EXACT`) and published
    ``EGDI = sum_k w_k u_k + e``, ``|e| <= h_EGDI``, the formula applied to the published
    components is off by

        |sum_k w_k c_k - EGDI| = |sum_k w_k e_k - e| <= h_EGDI + sum_k w_k h_k,

    with the edition's top-level weights w_k (1/3 each; 0.34/0.33/0.33 in 2008 and 2010,
    methodology A.1.1 item 3). E.g. 4-dp editions: 5e-5 + 5e-5 = 1e-4; 2014 (HCI 4 dp):
    5e-6 + (5e-6 + 5e-6 + 5e-5) / 3 = 2.5e-5; 5-dp editions (2010, 2012, 2016, 2024):
    1e-5; 2003-2005 (HCI exact): 5e-6 + (5e-6 + 5e-6) / 3 = 8.3e-6.

    ``exact`` overrides :data:`EXACT` for the edition (``frozenset()``: every component
    rounded at its printed precision).
    """
    dp = PRECISION[year]
    exact_here = EXACT.get(year, frozenset()) if exact is None else exact
    w = dict(zip(("osi", "tii", "hci"), top_weights(year), strict=True))
    bound = half_unit(dp["egdi"])
    for k, wk in w.items():
        bound += 0.0 if k in exact_here else wk * half_unit(dp[k])
    return bound + FLOAT_SLACK


@pytest.fixture(params=EDITIONS, ids=str)
def survey(request: pytest.FixtureRequest) -> Survey:
    """The published tables of every edition, one test per edition."""
    year: int = request.param
    return ds.load_survey(year)


@pytest.fixture
def tolerance() -> Callable[..., float]:
    """:func:`egdi_tolerance`, for tests that need it by year."""
    return egdi_tolerance


@pytest.fixture
def precision() -> Mapping[int, Mapping[str, int]]:
    """Decimals of the UN export per edition and index (methodology A.1.3)."""
    return PRECISION
