"""The UN methodology trees and scoring, checked against plain NumPy formulas."""

import numpy as np
import pytest

import egovindex as eg
from egovindex.composite import Node
from egovindex.errors import (
    BoundsError,
    InputError,
    MissingDataError,
    NonFiniteError,
    UnitError,
    UnknownCountryError,
    UnknownIndexError,
    WeightError,
    ZeroSpreadError,
)
from egovindex.methodologies.un import methodology, raw_panel
from egovindex.normalise import Chain, MinMax, ZScore
from egovindex.panel import Indicator, Panel

ENTITIES = ["AAA", "BBB", "CCC", "DDD", "EEE"]
RAW_2022 = {
    "internet_users_pct": [90.0, 70.0, 40.0, 20.0, 60.0],
    "mobile_subscriptions_per100": [150.0, 125.0, 90.0, 60.0, 110.0],  # two above the cap
    "mobile_broadband_per100": [100.0, 80.0, 30.0, 10.0, 50.0],
    "fixed_broadband_per100": [40.0, 20.0, 5.0, 0.5, 10.0],
    "adult_literacy_pct": [99.0, 95.0, 80.0, 50.0, 90.0],
    "gross_enrolment_ratio_pct": [110.0, 95.0, 70.0, 45.0, 85.0],
    "expected_years_schooling": [18.0, 16.0, 12.0, 8.0, 14.0],
    "mean_years_schooling": [12.5, 11.0, 8.0, 3.0, 9.5],
    "osi_points": [120.0, 90.0, 60.0, 20.0, 75.0],
    "epi_points": [30.0, 25.0, 10.0, 2.0, 15.0],
}


TII_2022 = (
    "internet_users_pct",
    "mobile_subscriptions_per100",
    "mobile_broadband_per100",
    "fixed_broadband_per100",
)


def panel(raw: dict[str, list[float]] = RAW_2022, entities: list[str] = ENTITIES) -> Panel:
    return raw_panel(entities, raw)


def zscore(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / np.sqrt(((x - x.mean()) ** 2).mean())


def minmax(x: np.ndarray) -> np.ndarray:
    return (x - x.min()) / (x.max() - x.min())


def col(name: str, raw: dict[str, list[float]] = RAW_2022) -> np.ndarray:
    return np.array(raw[name], dtype=float)


def test_2022_score_equals_hand_computation() -> None:
    s = methodology(2022, osi_input="raw").score(panel())
    capped = {
        k: np.minimum(col(k), 120.0)
        for k in (
            "internet_users_pct",
            "mobile_subscriptions_per100",
            "mobile_broadband_per100",
            "fixed_broadband_per100",
        )
    }
    tii = minmax(sum(0.25 * zscore(v) for v in capped.values()))
    hci = minmax(
        zscore(col("adult_literacy_pct")) / 3
        + 2 / 9 * zscore(col("gross_enrolment_ratio_pct"))
        + 2 / 9 * zscore(col("expected_years_schooling"))
        + 2 / 9 * zscore(col("mean_years_schooling"))
    )
    osi = minmax(col("osi_points"))
    epi = minmax(col("epi_points"))
    egdi = (osi + tii + hci) / 3
    np.testing.assert_allclose(s.tii, tii, rtol=0, atol=1e-14)
    np.testing.assert_allclose(s.hci, hci, rtol=0, atol=1e-14)
    np.testing.assert_allclose(s.osi, osi, rtol=0, atol=1e-14)
    np.testing.assert_allclose(s.epi, epi, rtol=0, atol=1e-14)
    np.testing.assert_allclose(s.egdi, egdi, rtol=0, atol=1e-14)
    expected_rank = [1 + int((egdi > e).sum()) for e in egdi]
    assert s.egdi_rank.tolist() == expected_rank
    assert s.epi_rank.tolist() == [1 + int((epi > e).sum()) for e in epi]
    assert s.group.tolist() == [eg.egdi_group(float(e)) for e in egdi]
    assert s.rating_class is not None
    assert (
        s.rating_class.tolist() == eg.ranking.rating_classes(egdi, method="count_quartile").tolist()
    )
    # the audit trail keeps the z-scores of the capped values and the fitted parameters
    np.testing.assert_allclose(
        s.scores["mobile_subscriptions_per100"], zscore(capped["mobile_subscriptions_per100"])
    )
    fitted = s.scores.fitted["mobile_subscriptions_per100"]
    assert fitted.steps[1].mean[0] == pytest.approx(capped["mobile_subscriptions_per100"].mean())  # type: ignore[attr-defined]
    assert s.scores.raw["mobile_subscriptions_per100"][0] == 150.0


def test_cap_option_changes_only_what_it_caps() -> None:
    capped = methodology(2022, osi_input="raw").score(panel())
    uncapped = methodology(2022, osi_input="raw", tii_cap=None).score(panel())
    assert not np.allclose(capped.tii, uncapped.tii)  # 150 and 125 were capped to 120
    np.testing.assert_array_equal(capped.hci, uncapped.hci)


def test_ddof_does_not_change_indices_without_missing_values() -> None:
    # methodology A.1.2: a common sqrt((n-1)/n) factor is removed by the min-max step.
    a = methodology(2022, osi_input="raw").score(panel())
    b = methodology(2022, osi_input="raw", ddof=1).score(panel())
    np.testing.assert_allclose(a.tii, b.tii, atol=1e-14)
    np.testing.assert_allclose(a.hci, b.hci, atol=1e-14)
    assert not np.allclose(a.scores["internet_users_pct"], b.scores["internet_users_pct"])


def test_hci_caps_apply_before_the_zscore() -> None:
    s = methodology(2022, osi_input="raw", hci_caps={"GER": 100}).score(panel())
    ger = np.minimum(col("gross_enrolment_ratio_pct"), 100.0)
    np.testing.assert_allclose(s.scores["gross_enrolment_ratio_pct"], zscore(ger))


def test_trees_declare_the_edition() -> None:
    trees = methodology(2022, osi_input="raw").trees
    assert set(trees) == {"tii", "hci", "osi", "epi"}
    tii = trees["tii"]
    assert isinstance(tii, Node)
    assert tii.weights == (0.25,) * 4
    assert isinstance(tii.rescale, MinMax)
    leaf = tii.leaves()[0]
    assert isinstance(leaf.normaliser, Chain)
    hci_leaf = trees["hci"].leaves()[0]
    assert isinstance(hci_leaf.normaliser, ZScore)
    assert hci_leaf.normaliser.ddof == 0
    assert trees["osi"].codes == ("osi_points",)


def test_2018_reads_the_broadband_indicator_of_the_option() -> None:
    assert "wireless_broadband_per100" in methodology(2018).columns
    m = methodology(2018, tii_2018_broadband="active_mobile")
    assert "mobile_broadband_per100" in m.columns
    assert m.options["tii_2018_broadband"] == "active_mobile"
    assert repr(m) == "Methodology(2018, tii_2018_broadband='active_mobile')"


def test_osi_from_subindices_needs_weights_and_matches_hand_computation() -> None:
    raw = {k: v for k, v in RAW_2022.items() if k != "osi_points"}
    points = {
        "osi_if_points": [10.0, 8.0, 6.0, 1.0, 7.0],
        "osi_cp_points": [30.0, 35.0, 20.0, 5.0, 25.0],
        "osi_sp_points": [25.0, 20.0, 22.0, 4.0, 10.0],
        "osi_tec_points": [15.0, 12.0, 8.0, 2.0, 16.0],
    }
    raw.update(points)
    weights = {"IF": 0.1, "CP": 0.3, "SP": 0.3, "TEC": 0.1, "EPI": 0.2}
    m = methodology(2022, osi_subindex_weights=weights)
    assert "osi_points" not in m.columns
    s = m.score(panel(raw))
    parts = [minmax(np.array(points[k])) for k in points] + [minmax(col("epi_points"))]
    expected = minmax(sum(w * p for w, p in zip(weights.values(), parts, strict=True)))
    np.testing.assert_allclose(s.osi, expected, atol=1e-14)
    with pytest.raises(InputError, match=r"missing: EPI"):
        methodology(2022, osi_subindex_weights={k: 0.25 for k in ("IF", "CP", "SP", "TEC")})
    with pytest.raises(WeightError, match=r"sum to"):
        methodology(2022, osi_subindex_weights={k: 0.3 for k in weights})
    with pytest.raises(InputError, match=r"first edition with them is 2022"):
        methodology(2020, osi_subindex_weights=weights)


def test_2012_takes_published_osi_and_applies_the_zero_rule() -> None:
    raw = {
        "internet_users_pct": [90.0, 70.0, 40.0, 20.0, 60.0],
        "fixed_broadband_per100": [40.0, 20.0, 5.0, 0.5, 10.0],
        "fixed_internet_per100": [42.0, 22.0, 6.0, 0.6, 9.0],
        "mobile_subscriptions_per100": [150.0, 125.0, 90.0, 60.0, 110.0],
        "fixed_telephone_per100": [45.0, 30.0, 10.0, 1.0, 12.0],
        "adult_literacy_pct": [99.0, 95.0, 80.0, 50.0, 90.0],
        "gross_enrolment_ratio_pct": [110.0, 95.0, 70.0, 45.0, 85.0],
        "osi_published": [1.0, 0.7, 0.0, 0.2, 0.5],
        "epi_points": [30.0, 25.0, 10.0, 2.0, 15.0],
    }
    m = methodology(2012)
    assert m.options["osi_input"] == "published"
    s = m.score(panel(raw))
    # no cap before 2020: 150 enters the z-score as it is
    tii = minmax(sum(0.2 * zscore(col(k, raw)) for k in m.edition.tii_indicators))
    hci = minmax(
        2 / 3 * zscore(col("adult_literacy_pct", raw))
        + zscore(col("gross_enrolment_ratio_pct", raw)) / 3
    )
    np.testing.assert_allclose(s.tii, tii, atol=1e-14)
    np.testing.assert_allclose(s.hci, hci, atol=1e-14)
    assert s.egdi[2] == 0.0  # OSI = 0 gives EGDI = 0 in 2012 (methodology A.1.1 item 4)
    np.testing.assert_allclose(
        s.egdi[[0, 1, 3, 4]], ((col("osi_published", raw) + tii + hci) / 3)[[0, 1, 3, 4]]
    )
    assert s.rating_class is None
    off = methodology(2012, zero_rule=False).score(panel(raw))
    assert off.egdi[2] > 0


def test_2008_uses_published_components_with_its_weights_and_zero_rules() -> None:
    raw = {
        "tii_published": [0.8, 0.4, 0.2, 0.1, 0.3],
        "hci_published": [0.99, 0.9, 0.7, 0.0, 0.8],
        "osi_published": [1.0, 0.6, 0.3, 0.2, 0.0],
        "epi_points": [30.0, 25.0, 10.0, 2.0, 15.0],
    }
    s = methodology(2008).score(panel(raw))
    o, t, h = (col(f"{k}_published", raw) for k in ("osi", "tii", "hci"))
    expected = np.where(h == 0, 0.0, 0.34 * o + 0.33 * t + 0.33 * h)
    np.testing.assert_allclose(s.egdi, expected, atol=1e-15)
    np.testing.assert_array_equal(s.tii, t)
    equal = methodology(2008, top_weights_rule="equal").score(panel(raw))
    np.testing.assert_allclose(equal.egdi[0], (1.0 + 0.8 + 0.99) / 3)


def test_zero_hci_rule_codes_missing_published_hci_as_zero_for_2003_to_2010() -> None:
    raw = {
        "tii_published": [0.8, 0.4, 0.2, 0.1, 0.3],
        "hci_published": [0.99, 0.9, 0.7, np.nan, 0.8],
        "osi_published": [1.0, 0.6, 0.3, 0.2, 0.1],
        "epi_points": [30.0, 25.0, 10.0, 2.0, 15.0],
    }
    with pytest.raises(MissingDataError, match=r"hci_published: DDD.*'zero_hci'"):
        methodology(2010).score(panel(raw))
    s = methodology(2010).score(panel(raw), missing="zero_hci")
    assert s.hci[3] == 0.0
    assert s.egdi[3] == 0.0
    assert s.egdi_rank[3] == 5
    with pytest.raises(InputError, match=r"zero_hci.*does not apply to the 2022 edition"):
        methodology(2022, osi_input="raw").score(panel(), missing="zero_hci")


def test_raw_recomputation_of_2003_to_2010_components_is_refused() -> None:
    with pytest.raises(InputError, match=r"2008 TII cannot be recomputed.*A.1.2"):
        methodology(2008, tii_input="raw")
    with pytest.raises(InputError, match=r"2004 HCI cannot be recomputed"):
        methodology(2004, hci_input="raw")


def test_missing_columns_are_all_named() -> None:
    raw = {k: v for k, v in RAW_2022.items() if k not in ("epi_points", "mean_years_schooling")}
    with pytest.raises(
        MissingDataError,
        match=r"2022 UN methodology needs columns the data lack: mean_years_schooling, epi_points$",
    ):
        methodology(2022, osi_input="raw").score(panel(raw))
    misspelt = {
        ("mean_year_schooling" if k == "mean_years_schooling" else k): v
        for k, v in RAW_2022.items()
    }
    typo = Panel.from_columns(ENTITIES, misspelt, [Indicator(c) for c in misspelt])
    with pytest.raises(
        MissingDataError,
        match=r"lack: mean_years_schooling; close names present: 'mean_years_schooling' "
        r"\(did you mean 'mean_year_schooling'\?\)$",
    ):
        methodology(2022, osi_input="raw").score(typo)
    old = {"tii_published": [0.1, 0.2, 0.3, 0.4, 0.5]}
    with pytest.raises(MissingDataError, match=r"HCI is taken as published"):
        methodology(2008).score(panel(old))


def test_missing_values_name_countries_and_indicators() -> None:
    raw = dict(RAW_2022)
    raw["internet_users_pct"] = [90.0, np.nan, 40.0, 20.0, 60.0]
    raw["osi_points"] = [120.0, 90.0, np.nan, 20.0, 75.0]
    with pytest.raises(MissingDataError, match=r"internet_users_pct: BBB; osi_points: CCC"):
        methodology(2022, osi_input="raw").score(panel(raw))


def test_exclude_rule_leaves_countries_out_before_normalising() -> None:
    raw = dict(RAW_2022)
    raw["internet_users_pct"] = [90.0, np.nan, 40.0, 20.0, 60.0]
    s = methodology(2022, osi_input="raw").score(panel(raw), missing="exclude")
    assert s.excluded == ("BBB",)
    assert s.entities == ("AAA", "CCC", "DDD", "EEE")
    complete = {k: [v[i] for i in (0, 2, 3, 4)] for k, v in RAW_2022.items()}
    ref = methodology(2022, osi_input="raw").score(panel(complete, ["AAA", "CCC", "DDD", "EEE"]))
    np.testing.assert_array_equal(s.egdi, ref.egdi)


def test_available_rule_reweights_observed_indicators() -> None:
    raw = dict(RAW_2022)
    raw["internet_users_pct"] = [90.0, np.nan, 40.0, 20.0, 60.0]
    s = methodology(2022, osi_input="raw").score(panel(raw), missing="available")
    assert np.isfinite(s.egdi).all()
    np.testing.assert_allclose(s.tii, tii_available(raw), rtol=0, atol=1e-14)


def tii_available(raw: dict[str, list[float]]) -> np.ndarray:
    """2022 TII by hand under missing="available".

    Each indicator is z-scored over the countries that report it (capped at 120); each
    country's composite is the mean of the z-scores it has (the equal weights rescaled
    over its observed indicators); then min-max.
    """
    z = []
    for k in TII_2022:
        x = np.minimum(col(k, raw), 120.0)
        z.append((x - np.nanmean(x)) / np.nanstd(x))
    return minmax(np.nanmean(np.stack(z), axis=0))


def test_unknown_missing_rule() -> None:
    with pytest.raises(InputError, match=r"unknown missing-data rule 'drop'"):
        methodology(2022, osi_input="raw").score(panel(), missing="drop")  # type: ignore[arg-type]


def test_panel_with_other_unit_or_direction_is_rejected() -> None:
    inds = [Indicator(k, "dimensionless") for k in RAW_2022]
    with pytest.raises(UnitError, match=r"internet_users_pct.*reads percent"):
        methodology(2022, osi_input="raw").score(Panel.from_columns(ENTITIES, RAW_2022, inds))


def test_bounds_are_checked_against_the_un_declarations() -> None:
    inds = [Indicator(k, eg.un.INDICATORS[k].unit) for k in RAW_2022]  # no bounds
    raw = dict(RAW_2022)
    raw["internet_users_pct"] = [190.0, 70.0, 40.0, 20.0, 60.0]
    with pytest.raises(BoundsError, match=r"'AAA', indicator 'internet_users_pct'"):
        methodology(2022, osi_input="raw").score(Panel.from_columns(ENTITIES, raw, inds))


def test_constant_indicator_is_a_zero_spread_error() -> None:
    raw = dict(RAW_2022)
    raw["fixed_broadband_per100"] = [5.0] * 5
    with pytest.raises(ZeroSpreadError, match=r"fixed_broadband_per100"):
        methodology(2022, osi_input="raw").score(panel(raw))


def test_unscores_access() -> None:
    s = methodology(2022, osi_input="raw").score(panel())
    assert s.countries == s.entities == tuple(ENTITIES)
    assert s.year == 2022
    assert len(s) == 5
    rows = s.to_rows()
    assert list(rows[0]) == list(s.columns())
    assert s.of("CCC") == rows[2]
    assert rows[0]["egdi"] == s.egdi[0]
    np.testing.assert_array_equal(s.index("TII"), s.tii)
    with pytest.raises(UnknownIndexError, match=r"did you mean osi"):
        s.index("oss")
    with pytest.raises(UnknownCountryError, match=r"'XYZ' was not scored"):
        s.of("XYZ")
    within = [True, False, True, False, True]
    assert s.rank("egdi", within=within)[1] == 0
    with pytest.raises(ValueError, match=r"read-only"):
        s.egdi[0] = 0.0
    with pytest.raises(ValueError, match=r"read-only"):
        s.group[0] = "Low"
    assert s.scores.of("AAA")["egdi"] == s.egdi[0]


def test_rating_method_and_boundary_options_flow_through() -> None:
    s = methodology(2022, osi_input="raw", rating_method="equal_width").score(panel())
    assert s.rating_class is not None
    expected = eg.ranking.rating_classes(s.egdi, method="equal_width")
    assert s.rating_class.tolist() == expected.tolist()


def test_top_level_exports() -> None:
    assert eg.methodology is methodology
    assert eg.un.methodology(2024).edition.year == 2024
    assert float(eg.egdi(0.6, 0.9, 0.3, edition=2024)) == pytest.approx(0.6)
    assert eg.egdi_group(0.7709) == "Very High"
    assert eg.rating_class(0.7709, among=eg.load_survey(2024).egdi, edition=2024) == "V1"


def test_published_inputs_can_replace_any_component() -> None:
    raw = {k: v for k, v in RAW_2022.items() if k not in ("epi_points",)}
    raw["epi_published"] = [1.0, 0.8, 0.3, 0.0, 0.5]
    raw["tii_published"] = [0.9, 0.7, 0.4, 0.1, 0.6]
    m = methodology(2022, tii_input="published", epi_input="published", osi_input="raw")
    assert "tii_published" in m.columns
    assert "internet_users_pct" not in m.columns
    s = m.score(panel(raw))
    np.testing.assert_array_equal(s.tii, raw["tii_published"])
    np.testing.assert_array_equal(s.epi, raw["epi_published"])
    ref = methodology(2022, osi_input="raw").score(panel())
    np.testing.assert_allclose(s.egdi, (ref.osi + s.tii + ref.hci) / 3, atol=1e-15)
    with pytest.raises(InputError, match=r"unknown hci_input 'survey'"):
        methodology(2022, hci_input="survey")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"needs osi_input='raw'"):
        methodology(
            2022,
            osi_input="published",
            osi_subindex_weights={"IF": 1.0, "CP": 0, "SP": 0, "TEC": 0, "EPI": 0},
        )


def test_non_numeric_or_infinite_inputs_are_input_errors() -> None:
    with pytest.raises(NonFiniteError, match="OSI contains an infinite value"):
        eg.egdi(np.inf, 0.5, 0.5, edition=2020)
    with pytest.raises(InputError, match="TII must be numbers"):
        eg.egdi(0.5, "high", 0.5, edition=2020)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="tii_cap"):
        methodology(2020, tii_cap="x")  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"hci_caps\['EYS'\]"):
        methodology(2022, hci_caps={"EYS": "x"})  # type: ignore[dict-item]
    with pytest.raises(InputError, match="osi_subindex_weights must be numbers"):
        methodology(
            2022,
            osi_subindex_weights={"IF": "a", "CP": 0.2, "SP": 0.2, "TEC": 0.2, "EPI": 0.2},  # type: ignore[dict-item]
        )


@pytest.mark.parametrize(
    "m",
    [
        methodology(2022, osi_input="raw"),
        methodology(2022, ddof=1, hci_caps={"EYS": 18.0, "MYS": 15.0}),
        methodology(2022, osi_subindex_weights=dict(IF=0.3, CP=0.2, SP=0.2, TEC=0.2, EPI=0.1)),
        methodology(2008),
    ],
    ids=["2022", "ddof1-caps", "osi-subindices", "2008-published"],
)
def test_score_is_bit_for_bit_the_engine_tree_by_tree(m: object) -> None:
    # score() runs a plan compiled once per methodology; the reference is evaluate().
    from egovindex.composite import evaluate
    from egovindex.methodologies.un.indicators import INDICATORS

    rng = np.random.default_rng(11)
    cols = {}
    for c in m.columns:  # type: ignore[attr-defined]
        ind = INDICATORS[c]
        hi = ind.upper or (1.0 if ind.unit == "dimensionless" else 150.0)
        cols[c] = rng.uniform(0.0, hi, 60)
    p = raw_panel([f"C{i:02d}" for i in range(60)], cols)
    s = m.score(p)  # type: ignore[attr-defined]
    expected: dict[str, np.ndarray] = {}
    for tree in m.trees.values():  # type: ignore[attr-defined]
        expected.update(evaluate(tree, p).values)
    assert list(s.scores.values) == [*expected, "egdi"]
    for k, v in expected.items():
        assert s.scores[k].tobytes() == v.tobytes(), k
        assert not s.scores[k].flags.writeable
    assert m.trees is m.trees  # type: ignore[attr-defined]  # built once


def test_zero_spread_and_available_rule_still_use_the_engine_messages() -> None:
    raw = dict(RAW_2022, epi_points=[5.0] * 5)
    with pytest.raises(ZeroSpreadError, match="'epi_points': range is zero"):
        methodology(2022, osi_input="raw").score(panel(raw))
    gappy = dict(RAW_2022, fixed_broadband_per100=[40.0, np.nan, 5.0, 0.5, 10.0])
    s = methodology(2022, osi_input="raw").score(panel(gappy), missing="available")
    np.testing.assert_allclose(s.tii, tii_available(gappy), rtol=0, atol=1e-14)


@pytest.mark.parametrize("year", [2022, 2024])
def test_osi_default_from_2022_is_the_published_osi(year: int) -> None:
    # methodology A.4.3: the subindex weights are UNCONFIRMED and the point total would
    # weight every item equally, so the published OSI is the default input from 2022;
    # the points reading is the named option osi_input="raw"; weights ask for the subindices.
    m = methodology(year)
    assert m.osi_input == "published"
    assert "osi_published" in m.columns
    assert "osi_points" not in m.columns
    assert methodology(year, osi_input="raw").columns.count("osi_points") == 1
    weights = {"IF": 0.2, "CP": 0.2, "SP": 0.2, "TEC": 0.2, "EPI": 0.2}
    assert methodology(year, osi_subindex_weights=weights).osi_input == "raw"
    assert [methodology(y).osi_input for y in (2012, 2014, 2020)] == ["published", "raw", "raw"]
    raw = {k: v for k, v in RAW_2022.items() if k != "osi_points"}
    osi = [0.9, 0.7, 0.4, 0.0, 1.0]
    s = m.score(panel({**raw, "osi_published": osi}))
    assert s.osi.tolist() == osi
