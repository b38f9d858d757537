"""Edition specifications: indicators, weights, caps and options per Survey year."""

import math

import pytest

from egovindex.errors import InputError, UnknownEditionError, UnknownIndicatorError
from egovindex.methodologies.un import EDITIONS, HDI_CAPS, INDICATORS, edition, indicator

TII_2020 = (
    "internet_users_pct",
    "mobile_subscriptions_per100",
    "mobile_broadband_per100",
    "fixed_broadband_per100",
)
HCI_4 = (
    "adult_literacy_pct",
    "gross_enrolment_ratio_pct",
    "expected_years_schooling",
    "mean_years_schooling",
)


@pytest.mark.parametrize("year", [2020, 2022, 2024])
def test_tii_from_2020_is_four_indicators_a_quarter_each_capped_at_120(year: int) -> None:
    # 2022 Survey Annex p. 197, Table A.1: four components, cut-off limit of 120 since 2020.
    ed = edition(year)
    assert ed.tii_indicators == TII_2020
    assert ed.tii_weights == (0.25, 0.25, 0.25, 0.25)
    assert ed.tii_cap == 120.0
    assert ed.tii_recomputable


@pytest.mark.parametrize("year", [2014, 2016, 2018, 2020, 2022, 2024])
def test_hci_from_2014_weights_one_third_and_three_two_ninths(year: int) -> None:
    ed = edition(year)
    assert ed.hci_indicators == HCI_4
    assert ed.hci_weights == pytest.approx((1 / 3, 2 / 9, 2 / 9, 2 / 9))
    assert ed.hci_caps is None


@pytest.mark.parametrize("year", [2003, 2004, 2005, 2008, 2010, 2012])
def test_hci_to_2012_is_two_thirds_literacy_one_third_enrolment(year: int) -> None:
    ed = edition(year)
    assert ed.hci_indicators == ("adult_literacy_pct", "gross_enrolment_ratio_pct")
    assert ed.hci_weights == pytest.approx((2 / 3, 1 / 3))


@pytest.mark.parametrize("year", [2003, 2004, 2005, 2008, 2010])
def test_tii_and_hci_before_2012_are_not_recomputable(year: int) -> None:
    ed = edition(year)
    assert not ed.tii_recomputable
    assert not ed.hci_recomputable
    assert not ed.osi_points_default


def test_tii_indicator_sets_before_2020() -> None:
    assert edition(2008).tii_indicators == (
        "internet_users_pct",
        "fixed_broadband_per100",
        "pcs_per100",
        "mobile_subscriptions_per100",
        "fixed_telephone_per100",
    )
    assert "fixed_internet_per100" in edition(2012).tii_indicators
    assert "wireless_broadband_per100" in edition(2016).tii_indicators
    assert edition(2003).tii_indicators == ()
    assert len(edition(2003).tii_labels) == 6  # six indices incl. TV sets ([ICTLOGY])
    assert edition(2003).tii_weights is None
    for year in (2008, 2010, 2012, 2014, 2016, 2018):
        assert edition(year).tii_weights == pytest.approx((0.2,) * 5)
        assert edition(year).tii_cap is None


def test_2018_broadband_option() -> None:
    assert edition(2018).tii_2018_broadband == "wireless"
    assert "wireless_broadband_per100" in edition(2018).tii_indicators
    active = edition(2018, tii_2018_broadband="active_mobile")
    assert "mobile_broadband_per100" in active.tii_indicators
    assert "wireless_broadband_per100" not in active.tii_indicators
    with pytest.raises(InputError, match=r"2018 edition only"):
        edition(2022, tii_2018_broadband="wireless")
    with pytest.raises(InputError, match=r"unknown tii_2018_broadband"):
        edition(2018, tii_2018_broadband="cable")  # type: ignore[arg-type]


@pytest.mark.parametrize("year", EDITIONS)
def test_every_edition_is_consistent(year: int) -> None:
    ed = edition(year)
    for codes, weights in (
        (ed.tii_indicators, ed.tii_weights),
        (ed.hci_indicators, ed.hci_weights),
    ):
        assert all(c in INDICATORS for c in codes)
        if weights is not None and codes:
            assert len(weights) == len(codes)
            assert math.isclose(sum(weights), 1.0)
    assert ed.notes
    assert any("UNCONFIRMED" in n for n in ed.notes)
    assert ed.has_rating_classes == (year >= 2020)
    assert ed.group_thresholds == (0.75, 0.50, 0.25)  # level-group floors, methodology A.7.1


def test_top_weights_and_zero_rules_come_from_the_formula() -> None:
    assert edition(2008).top_weights == (0.34, 0.33, 0.33)
    assert edition(2008, top_weights_rule="equal").top_weights == pytest.approx((1 / 3,) * 3)
    assert edition(2010).zero_rule_component == "hci"
    assert edition(2012).zero_rule_component == "osi"
    assert edition(2012, zero_rule=False).zero_rule_component is None
    assert edition(2022).zero_rule_component is None


def test_osi_subindices_from_2022() -> None:
    assert edition(2020).osi_subindices == ()
    assert edition(2022).osi_subindices == ("IF", "CP", "SP", "TEC", "EPI")
    assert edition(2024).osi_subindices == edition(2022).osi_subindices


def test_tii_cap_option() -> None:
    assert edition(2022, tii_cap=None).tii_cap is None
    assert edition(2016, tii_cap=120).tii_cap == 120.0
    with pytest.raises(InputError, match=r"taken as published"):
        edition(2008, tii_cap=120)
    with pytest.raises(InputError, match=r"positive finite"):
        edition(2022, tii_cap=-1)


def test_hci_caps_option() -> None:
    # The optional caps are the UNDP HDI goalposts (expected 18 and mean 15 years of
    # schooling, enrolment 100 %): methodology A.3.1, an option UNCONFIRMED for the UN.
    ed = edition(2022, hci_caps=HDI_CAPS)
    assert ed.hci_caps == {
        "expected_years_schooling": 18.0,
        "mean_years_schooling": 15.0,
        "gross_enrolment_ratio_pct": 100.0,
    }
    assert edition(2022, hci_caps={"mean_years_schooling": 14}).hci_caps == {
        "mean_years_schooling": 14.0
    }
    with pytest.raises(InputError, match=r"not an HCI indicator of the 2012 edition"):
        edition(2012, hci_caps={"EYS": 18})
    with pytest.raises(InputError, match=r"taken as published"):
        edition(2008, hci_caps={"GER": 100})
    with pytest.raises(InputError, match=r"positive finite"):
        edition(2022, hci_caps={"MYS": math.nan})


def test_rating_method_option() -> None:
    # count quartiles by default: the 2022 Survey's count of VH countries in Europe (A.7.2)
    assert edition(2020).rating_method == "count_quartile"
    assert edition(2024, rating_method="equal_width").rating_method == "equal_width"
    assert edition(2018).rating_method is None
    with pytest.raises(InputError, match=r"introduced in the 2020 Survey"):
        edition(2018, rating_method="equal_width")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("ddof", 2),
        ("group_boundary", "middle"),
        ("rank_method", "olympic"),
        ("top_weights_rule", "fitted"),
        ("rating_method", "deciles"),
    ],
)
def test_bad_option_values_name_the_choices(option: str, value: object) -> None:
    with pytest.raises(InputError, match=f"unknown {option}.*choose one of"):
        edition(2022, **{option: value})  # type: ignore[arg-type]


def test_unknown_edition_lists_the_editions() -> None:
    with pytest.raises(UnknownEditionError, match=r"2006 was not.*2003, 2004"):
        edition(2006)


def test_options_report_resolved_values() -> None:
    opts = edition(2022).options()
    assert opts["tii_cap"] == 120.0
    assert opts["ddof"] == 0
    assert opts["group_boundary"] == "lower_inclusive"


def test_indicator_declarations_and_bounds() -> None:
    assert indicator("internet_users_pct").unit == "percent"
    assert indicator("internet_users_pct").upper == 100.0
    assert indicator("gross_enrolment_ratio_pct").upper is None  # GER may exceed 100
    assert indicator("mobile_subscriptions_per100").unit == "per_100"
    assert indicator("expected_years_schooling").upper == 25.0
    assert indicator("hci_published").upper is None  # 2003 published HCI above 1
    with pytest.raises(UnknownIndicatorError, match=r"did you mean internet_users_pct"):
        indicator("internet_user_pct")
