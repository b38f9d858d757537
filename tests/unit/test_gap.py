"""``egovindex.gap``: EGDI needed, rank gain and component paths, others frozen.

Every answer is checked by re-ranking the edition with the country's value changed
(:func:`egovindex.ranking.rank`, competition ranking): the value reported reaches the
target and the next double below it (:func:`numpy.nextafter`) does not.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize

import egovindex as eg
from egovindex.datasets import Survey
from egovindex.errors import (
    BoundsError,
    InputError,
    UnknownCountryError,
    UnknownKeyError,
    UnknownRegionError,
)
from egovindex.projection.gap import COMPONENTS
from egovindex.ranking import egdi_group, rank

EDITIONS = eg.editions()


def rank_with(survey: Survey, country: str, value: float, within: object = None) -> int:
    """The country's competition rank with its EGDI replaced by ``value``."""
    i = survey.locate(country)
    values = np.array(survey.egdi)
    values[i] = value
    return int(rank(values, within=survey.mask(within))[i])  # type: ignore[arg-type]


def below(x: float) -> float:
    return float(np.nextafter(x, -np.inf))


# -- the worked numbers of methodology A.8.4 --------------------------------------------


def test_viet_nam_2020_eight_places() -> None:
    # Methodology A.8.4 (DERIVED from the UN Data Center export): Viet Nam 0.6667, 86th in
    # 2020; rank 78 was South Africa at 0.6891 -> naive gap +0.0224 (+0.0672 on one
    # component). With competition ranking an EGDI equal to South Africa's shares rank 78,
    # so 0.6891 itself is the least value (the methodology's "strictly greater" is the
    # rule on unrounded values; a tie is what the least value gives).
    s = eg.load_survey(2020)
    g = eg.gap(s, "Viet Nam", target_rank=78)
    assert (g.country, g.current_rank, g.target_rank, g.rank_gain) == ("VNM", 86, 78, 8)
    assert g.egdi == 0.6667
    assert g.egdi_needed == s.country("ZAF").egdi == 0.6891
    assert g.threshold_country == "ZAF"
    assert g.egdi_gap == pytest.approx(0.0224, abs=1e-12)
    assert rank_with(s, "VNM", g.egdi_needed) == 78  # tied with South Africa
    assert rank_with(s, "VNM", below(g.egdi_needed)) == 79
    for name in COMPONENTS:
        assert g.component_increase[name] == pytest.approx(0.0672, abs=1e-12)
    # One place further, rank 77 was the Philippines at 0.6892.
    g77 = eg.gap(s, "VNM", target_rank=77)
    assert (g77.egdi_needed, g77.threshold_country) == (0.6892, "PHL")


def test_viet_nam_2022_fourth_in_south_eastern_asia() -> None:
    # Methodology A.8.4: 2022 Viet Nam 0.6787, 6th in SE Asia; 4th was Brunei at 0.7270
    # -> gap +0.0483.
    s = eg.load_survey(2022)
    g = eg.gap(s, "VNM", target_rank=4, within="South-eastern Asia")
    assert (g.current_rank, g.group_size, g.rank_gain) == (6, 11, 2)
    assert (g.egdi_needed, g.threshold_country) == (0.7270, "BRN")
    assert g.egdi_gap == pytest.approx(0.0483, abs=1e-12)
    assert rank_with(s, "VNM", g.egdi_needed, "South-eastern Asia") == 4
    assert rank_with(s, "VNM", below(g.egdi_needed), "South-eastern Asia") == 5


def test_viet_nam_2024_rank_70_and_fourth_in_asean() -> None:
    # Methodology A.8.4: 2024 Viet Nam 0.77092 (71st), 5th in SE Asia; 4th Indonesia at
    # 0.79911 (gap +0.02819); global rank 70 Republic of Moldova at 0.77195 (+0.00103).
    s = eg.load_survey(2024)
    g = eg.gap(s, "VNM", target_rank=70)
    assert (g.current_rank, g.egdi_needed, g.threshold_country) == (71, 0.77195, "MDA")
    assert g.egdi_gap == pytest.approx(0.00103, abs=1e-12)
    a = eg.gap(s, "VNM", target_rank=4, within="ASEAN")
    assert (a.current_rank, a.egdi_needed, a.threshold_country) == (5, 0.79911, "IDN")
    assert a.egdi_gap == pytest.approx(0.02819, abs=1e-12)


# -- re-ranking every edition -------------------------------------------------------------


@pytest.mark.parametrize("year", EDITIONS)
def test_needed_value_is_the_least_that_reaches_the_rank(year: int) -> None:
    s = eg.load_survey(year)
    current = s.rank("egdi", ties="none")  # gap ranks on the published values
    for k, iso3 in enumerate(s.countries):
        r = max(1, int(current[k]) - 8)
        g = eg.gap(s, iso3, target_rank=r)
        assert g.current_rank == current[k]
        assert rank_with(s, iso3, g.egdi_needed) <= r
        if g.egdi_needed > 0:
            assert rank_with(s, iso3, below(g.egdi_needed)) > r
        assert g.reached == (current[k] <= r)


@pytest.mark.parametrize("year", [2008, 2012, 2020, 2024])
def test_component_increases_reach_the_target_and_no_less_does(year: int) -> None:
    s = eg.load_survey(year)
    current = s.rank("egdi", ties="none")
    for k, iso3 in enumerate(s.countries):
        r = max(1, int(current[k]) - 10)
        g = eg.gap(s, iso3, target_rank=r)
        w = eg.un.top_weights(year)
        for j, name in enumerate(COMPONENTS):
            d = g.component_increase[name]
            rises = {c: 0.0 for c in COMPONENTS}
            if d is None:
                # Infeasible: the rise would pass 1, or a zero rule holds the EGDI at 0.
                need = (g.egdi_needed - g.egdi) / w[j]
                assert g.zero_ruled or need > 1 - g.components[j] - 1e-12
                continue
            assert g.components[j] + d <= 1 + 1e-15
            rises[name] = d
            after = g.egdi_after(**rises)
            if not g.zero_ruled:
                assert after == g.egdi + w[j] * d  # the edition formula's increment
            assert after >= g.egdi_needed
            assert rank_with(s, iso3, after) <= r
            if d > 0:
                rises[name] = below(d)
                assert g.egdi_after(**rises) < g.egdi_needed


def test_balanced_mix_with_equal_weights_is_the_gap_on_each_component() -> None:
    # Least norm of w . d = g with w = (1/3, 1/3, 1/3) and no bound active: d = g w / |w|^2.
    g = eg.gap(eg.load_survey(2020), "VNM", target_rank=78)
    assert g.balanced_mix is not None
    for name in COMPONENTS:
        assert g.balanced_mix[name] == pytest.approx(g.egdi_gap, rel=1e-12)
    assert g.egdi_after(**g.balanced_mix) >= g.egdi_needed  # type: ignore[arg-type]


def _slsqp_mix(g: eg.Gap) -> np.ndarray:
    w = np.asarray(g.weights)
    u = 1 - np.asarray(g.components)
    res = minimize(
        lambda d: float(d @ d),
        x0=np.minimum(u, g.egdi_gap),
        jac=lambda d: 2 * d,
        constraints=[{"type": "eq", "fun": lambda d: float(w @ d - g.egdi_gap)}],
        bounds=list(zip(np.zeros(3), u, strict=True)),
        method="SLSQP",
        options={"ftol": 1e-14, "maxiter": 200},
    )
    assert res.success
    return np.asarray(res.x)


def test_bounded_mix_matches_a_numerical_optimiser() -> None:
    # A country whose TII is near 1: rank 1 needs more than its TII headroom can give.
    s = eg.load_survey(2024)
    i = int(np.argmax(np.where(s.egdi < 0.9, s.tii, 0)))  # high TII, not the leader
    g = eg.gap(s, s.countries[i], target_rank=1)
    assert g.balanced_mix is not None
    mix = np.array([g.balanced_mix[c] for c in COMPONENTS], dtype=float)
    u = 1 - np.asarray(g.components)
    assert (mix <= u + 1e-15).all()
    assert (mix >= 0).all()
    assert np.isclose(mix, u, atol=1e-12).any()  # a bound is active
    np.testing.assert_allclose(mix, _slsqp_mix(g), atol=1e-6)
    assert g.egdi_after(**dict(zip(COMPONENTS, mix.tolist(), strict=True))) >= g.egdi_needed


def test_single_component_past_one_is_infeasible() -> None:
    s = eg.load_survey(2024)
    g = eg.gap(s, "VNM", target_rank=1)
    # Denmark's 0.98474 needs +0.21382 EGDI: 3 x that on one component passes 1 for all.
    assert g.egdi_needed == s.country("DNK").egdi
    for j, name in enumerate(COMPONENTS):
        assert (g.egdi_needed - g.egdi) * 3 > 1 - g.components[j]
        assert g.component_increase[name] is None
    assert g.balanced_mix is not None  # together they can
    assert g.feasible


def _fake(egdi: list[float], osi: list[float], tii: list[float], hci: list[float]) -> Survey:
    codes = ["VNM", "THA", "IDN", "PHL", "MYS"][: len(egdi)]
    n = len(codes)
    return Survey(
        year=2024,
        countries=codes,
        names=codes,
        regions=["Asia"] * n,
        sub_regions=["South-eastern Asia"] * n,
        egdi=egdi,
        osi=osi,
        tii=tii,
        hci=hci,
        epi=[0.5] * n,
        egdi_rank=rank(np.asarray(egdi)),
        epi_rank=None,
        decimals={"egdi": 5, "osi": 5, "tii": 5, "hci": 5, "epi": 5},
    )


def test_mix_infeasible_when_every_component_at_one_falls_short() -> None:
    # VNM's published EGDI (0.2) sits below its formula value: with all three at 1 it
    # gains 0.1 + 0.1 + 0.1 = 0.3, short of the 0.99 needed for rank 1.
    s = _fake([0.2, 0.99, 0.5], [0.7, 0.99, 0.5], [0.7, 0.99, 0.5], [0.7, 0.99, 0.5])
    g = eg.gap(s, "VNM", target_rank=1)
    assert g.balanced_mix is None
    assert not g.feasible
    assert all(v is None for v in g.component_increase.values())
    assert g.egdi_after(osi=0.3, tii=0.3, hci=0.3) < g.egdi_needed


def test_ties_share_the_target_rank() -> None:
    # Two others tied at 0.8 hold ranks 1 and 1; rank 1 needs 0.8 (a three-way tie).
    s = _fake([0.5, 0.8, 0.8, 0.3], [0.5, 0.8, 0.8, 0.3], [0.5, 0.8, 0.8, 0.3], [0.5] * 4)
    assert eg.gap(s, "VNM", target_rank=1).egdi_needed == 0.8
    assert eg.gap(s, "VNM", target_rank=2).egdi_needed == 0.8  # still rank 1, tied
    assert eg.gap(s, "VNM", target_rank=3).egdi_needed == 0.3
    last = eg.gap(s, "VNM", target_rank=4)
    assert last.egdi_needed == 0.0
    assert last.reached
    assert last.threshold_country is None


def test_published_tie_breaks_of_2020_are_shared_ranks_on_published_values() -> None:
    # Methodology A.1.3: the UN ranked Croatia 51 and Hungary 52 at 0.7745 on unrounded
    # values; on the published values they share rank 51, which is the rank gap() uses.
    s = eg.load_survey(2020)
    assert s.country("HUN").egdi_rank == 52
    g = eg.gap(s, "HUN", target_rank=51)
    assert g.current_rank == 51
    assert g.reached
    assert g.egdi_gap == 0


# -- zero rule ----------------------------------------------------------------------------


def test_zero_rule_2012_only_osi_lifts_the_egdi() -> None:
    # Methodology A.1.1 item 4: Libya's OSI is 0 in 2012, so its EGDI is 0 (rank 191).
    s = eg.load_survey(2012)
    g = eg.gap(s, "LBY", target_rank=150)
    assert g.zero_ruled_by == "osi"
    assert g.egdi == 0.0
    assert g.component_increase["tii"] is None
    assert g.component_increase["hci"] is None
    d = g.component_increase["osi"]
    assert d is not None
    assert d > 0
    c = g.components
    # Any positive OSI lifts the rule; the formula on the published components is enough.
    assert (c[0] + c[1] + c[2]) / 3 >= g.egdi_needed
    assert g.egdi_after(osi=d) == pytest.approx((c[0] + d + c[1] + c[2]) / 3, abs=1e-15)
    assert rank_with(s, "LBY", g.egdi_after(osi=d)) <= 150
    assert g.egdi_after(osi=0.0) == 0.0
    assert g.balanced_mix is not None
    assert g.balanced_mix["osi"] is not None
    assert g.egdi_after(**g.balanced_mix) >= g.egdi_needed  # type: ignore[arg-type]


def test_zero_rule_2008_hci() -> None:
    # Methodology A.1.1 item 3: in 2008 a country with HCI = 0 has EGDI 0 (Somalia's OSI
    # is 0 too: only HCI can lift the rule).
    s = eg.load_survey(2008)
    g = eg.gap(s, "SOM", target_rank=150)
    assert g.zero_ruled_by == "hci"
    assert g.component_increase["osi"] is None
    assert g.component_increase["tii"] is None
    d = g.component_increase["hci"]
    assert d is not None
    w = (0.34, 0.33, 0.33)  # methodology A.1.1 item 3
    c = g.components
    assert g.egdi_after(hci=d) >= g.egdi_needed
    assert w[0] * c[0] + w[1] * c[1] + w[2] * (c[2] + d) >= g.egdi_needed
    assert g.egdi_after(hci=below(d)) < g.egdi_needed
    off = eg.gap(s, "SOM", target_rank=150, zero_rule=False)
    assert off.zero_ruled_by is None
    assert off.component_increase["osi"] is not None


def test_2010_weights_option() -> None:
    s = eg.load_survey(2010)
    fit = eg.gap(s, "VNM", target_rank=80)
    equal = eg.gap(s, "VNM", target_rank=80, top_weights_rule="equal")
    assert fit.weights == (0.34, 0.33, 0.33)
    assert equal.component_increase["osi"] == pytest.approx(fit.egdi_gap * 3, rel=1e-12)
    assert fit.component_increase["osi"] == pytest.approx(fit.egdi_gap / 0.34, rel=1e-12)


# -- other targets ------------------------------------------------------------------------


def test_target_group_very_high_is_the_floor() -> None:
    s = eg.load_survey(2022)
    g = eg.gap(s, "VNM", target_group="very high")
    assert (g.target_kind, g.target_group, g.egdi_needed) == ("group", "Very High", 0.75)
    assert egdi_group(g.egdi_needed) == "Very High"
    assert egdi_group(below(g.egdi_needed)) == "High"
    # 60 countries were Very High in 2022 (methodology A.7.1): 0.75 ranks 61st.
    assert g.target_rank == 61
    up = eg.gap(s, "VNM", target_group="Very High", boundary="upper_inclusive")
    assert up.egdi_needed == math.nextafter(0.75, 1.0)
    assert egdi_group(up.egdi_needed, boundary="upper_inclusive") == "Very High"
    assert egdi_group(0.75, boundary="upper_inclusive") == "High"


def test_target_group_already_reached() -> None:
    g = eg.gap(eg.load_survey(2024), "VNM", target_group="Very High")
    assert g.reached
    assert g.egdi_gap == 0
    assert g.rank_gain == 0
    assert dict(g.component_increase) == {"osi": 0.0, "tii": 0.0, "hci": 0.0}


def test_target_egdi() -> None:
    s = eg.load_survey(2024)
    g = eg.gap(s, "VNM", target_egdi=0.8)
    assert g.egdi_needed == 0.8
    assert g.target_rank == rank_with(s, "VNM", 0.8)
    assert g.rank_gain == 71 - g.target_rank


def test_within_a_list_equals_within_the_group_name() -> None:
    s = eg.load_survey(2024)
    by_name = eg.gap(s, "VNM", target_rank=3, within="ASEAN")
    by_list = eg.gap(s, "VNM", target_rank=3, within=list(s.members("ASEAN")))
    assert by_name.egdi_needed == by_list.egdi_needed
    assert by_name.component_increase == by_list.component_increase
    assert by_list.within == s.members("ASEAN")


def test_to_dict_keys() -> None:
    d = eg.gap(eg.load_survey(2020), "VNM", target_rank=78).to_dict()
    assert list(d)[:10] == [
        "country",
        "year",
        "within",
        "current_rank",
        "target_rank",
        "rank_gain",
        "egdi",
        "egdi_needed",
        "egdi_gap",
        "component_increase",
    ]
    assert set(d["component_increase"]) == {"osi", "tii", "hci"}


# -- bad input ----------------------------------------------------------------------------


def test_bad_targets() -> None:
    s = eg.load_survey(2024)
    with pytest.raises(InputError, match="exactly one target"):
        eg.gap(s, "VNM")
    with pytest.raises(InputError, match="exactly one target"):
        eg.gap(s, "VNM", target_rank=5, target_egdi=0.8)
    with pytest.raises(BoundsError, match="between 1 and 193"):
        eg.gap(s, "VNM", target_rank=0)
    with pytest.raises(BoundsError, match="between 1 and 10"):
        eg.gap(s, "VNM", target_rank=11, within="ASEAN")
    with pytest.raises(InputError, match="whole number"):
        eg.gap(s, "VNM", target_rank=True)
    with pytest.raises(InputError, match="whole number"):
        eg.gap(s, "VNM", target_rank=2.5)  # type: ignore[arg-type]
    with pytest.raises(BoundsError, match=r"\[0, 1\]"):
        eg.gap(s, "VNM", target_egdi=1.2)
    with pytest.raises(InputError, match="number"):
        eg.gap(s, "VNM", target_egdi="high")  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="did you mean Very High"):
        eg.gap(s, "VNM", target_group="Very Hihg")
    with pytest.raises(InputError, match="boundary"):
        eg.gap(s, "VNM", target_group="High", boundary="middle")  # type: ignore[arg-type]


def test_bad_country_and_group() -> None:
    s = eg.load_survey(2024)
    with pytest.raises(UnknownCountryError):
        eg.gap(s, "Atlantis", target_rank=5)
    with pytest.raises(UnknownRegionError):
        eg.gap(s, "VNM", target_rank=5, within="South East Asai")
    with pytest.raises(InputError, match=r"Viet Nam \(VNM\) is not a member of Europe"):
        eg.gap(s, "VNM", target_rank=5, within="Europe")
