"""Every edition's facts as the methodology cites them (sections A.1.1-A.7.2).

The keyword table replaced a positional if-chain; it was tested against it, option by
option, before the chain was deleted. This test keeps it against the cited values.
"""

import numpy as np
import pytest

from egovindex.methodologies.un import EDITIONS, edition, egdi

ITU_2008 = ("internet_users_pct", "fixed_broadband_per100", "pcs_per100")
ITU_2012 = ("internet_users_pct", "fixed_broadband_per100", "fixed_internet_per100")
ITU_2014 = ("internet_users_pct", "fixed_broadband_per100", "wireless_broadband_per100")
PHONES = ("mobile_subscriptions_per100", "fixed_telephone_per100")
TII_2020 = (
    "internet_users_pct",
    "mobile_subscriptions_per100",
    "mobile_broadband_per100",
    "fixed_broadband_per100",
)
HCI_2 = ("adult_literacy_pct", "gross_enrolment_ratio_pct")
HCI_4 = (*HCI_2, "expected_years_schooling", "mean_years_schooling")
W5, W4 = (0.2,) * 5, (0.25,) * 4
W_HCI_2, W_HCI_4 = (2 / 3, 1 / 3), (1 / 3, 2 / 9, 2 / 9, 2 / 9)
THIRDS = (1 / 3, 1 / 3, 1 / 3)
SUB = ("IF", "CP", "SP", "TEC", "EPI")

# year: TII codes, TII weights, cap, HCI codes, HCI weights, recomputable, OSI from points,
# top weights (published fit), zero rule, OSI subindices. Sources: methodology A.1.1 (top
# weights, zero rules), A.1.2 (recomputable), A.2.1-A.2.2 (TII, cap 120 from 2020: 2022
# Survey Annex Table A.1), A.3.1 (HCI), A.4.2-A.4.3 (OSI).
CITED = {
    2003: ((), None, None, HCI_2, W_HCI_2, False, False, THIRDS, "osi", ()),
    2004: ((), None, None, HCI_2, W_HCI_2, False, False, THIRDS, "osi", ()),
    2005: ((), None, None, HCI_2, W_HCI_2, False, False, THIRDS, "osi", ()),
    2008: (
        (*ITU_2008, *PHONES),
        W5,
        None,
        HCI_2,
        W_HCI_2,
        False,
        False,
        (0.34, 0.33, 0.33),
        "hci",
        (),
    ),
    2010: (
        (*ITU_2008, *PHONES),
        W5,
        None,
        HCI_2,
        W_HCI_2,
        False,
        False,
        (0.34, 0.33, 0.33),
        "hci",
        (),
    ),
    2012: ((*ITU_2012, *PHONES), W5, None, HCI_2, W_HCI_2, True, False, THIRDS, "osi", ()),
    2014: ((*ITU_2014, *PHONES), W5, None, HCI_4, W_HCI_4, True, True, THIRDS, None, ()),
    2016: ((*ITU_2014, *PHONES), W5, None, HCI_4, W_HCI_4, True, True, THIRDS, None, ()),
    2018: ((*ITU_2014, *PHONES), W5, None, HCI_4, W_HCI_4, True, True, THIRDS, None, ()),
    2020: (TII_2020, W4, 120.0, HCI_4, W_HCI_4, True, True, THIRDS, None, ()),
    2022: (TII_2020, W4, 120.0, HCI_4, W_HCI_4, True, True, THIRDS, None, SUB),
    2024: (TII_2020, W4, 120.0, HCI_4, W_HCI_4, True, True, THIRDS, None, SUB),
}


def test_the_table_holds_every_edition() -> None:
    assert tuple(CITED) == EDITIONS


@pytest.mark.parametrize("year", EDITIONS)
def test_every_edition_states_the_cited_rules(year: int) -> None:
    tii, tii_w, cap, hci, hci_w, recomputable, points, top, zero, sub = CITED[year]
    ed = edition(year)
    assert ed.tii_indicators == tii
    assert ed.tii_weights == (None if tii_w is None else pytest.approx(tii_w))
    assert ed.tii_cap == cap
    assert ed.hci_indicators == hci
    assert ed.hci_weights == pytest.approx(hci_w)
    assert ed.tii_recomputable is recomputable
    assert ed.hci_recomputable is recomputable
    assert ed.osi_points_default is points
    assert ed.top_weights == pytest.approx(top)
    assert ed.zero_rule_component == zero
    assert ed.osi_subindices == sub
    assert ed.has_rating_classes is (year >= 2020)  # rating classes from 2020 (A.7.2)
    assert ed.hci_above_one is (year == 2003)  # Micronesia 1.422 in 2003 (A.1.2)
    assert (ed.tii_2018_broadband is not None) is (year == 2018)
    assert ed.group_thresholds == (0.75, 0.50, 0.25)  # [KB-UNPACS], A.7.1
    assert len(ed.tii_labels) == (6 if year <= 2005 else len(tii))


@pytest.mark.parametrize("year", EDITIONS)
def test_egdi_of_a_year_and_of_its_edition_agree(year: int) -> None:
    rng = np.random.default_rng(year)
    o, t, h = rng.random((3, 200))
    o[:20] = 0.0
    h[10:30] = 0.0
    for rule in ("published_fit", "equal"):
        for zero in (True, False):
            by_year = egdi(o, t, h, edition=year, top_weights_rule=rule, zero_rule=zero)  # type: ignore[arg-type]
            ed = edition(year, top_weights_rule=rule, zero_rule=zero)  # type: ignore[arg-type]
            np.testing.assert_array_equal(egdi(o, t, h, edition=ed), by_year)
            w = ed.top_weights
            expected = w[0] * o + w[1] * t + w[2] * h
            if zero and CITED[year][8] is not None:
                expected[(o if CITED[year][8] == "osi" else h) == 0] = 0.0
            np.testing.assert_array_equal(by_year, expected)


@pytest.mark.parametrize("year", EDITIONS)
def test_a_cached_edition_is_the_one_built_afresh(year: int) -> None:
    from egovindex.methodologies.un import editions

    assert edition(year) is edition(year)  # immutable, built once
    fresh = editions._edition(
        year, 0, "default", None, None, "published_fit", True, "lower_inclusive", None,
        "competition", None, None,
    )  # fmt: skip
    assert edition(year) == fresh
    assert edition(year, ddof=True) is not edition(year, ddof=1)  # typed: True is no 1
