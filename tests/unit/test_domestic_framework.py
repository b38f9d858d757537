"""Domestic frameworks: the DTI v2 and ICT Index built-ins, weights, ranks, bad input."""

import numpy as np
import pytest

import egovindex as eg
from egovindex.domestic import load_framework, read_data
from egovindex.domestic.io import example_file
from egovindex.errors import (
    BoundsError,
    DuplicateEntityError,
    EgovIndexError,
    InputError,
    MissingDataError,
    UnknownIndicatorError,
    WeightError,
)
from egovindex.panel import Panel

DTI_CODES = (
    "awareness",
    "institutions",
    "infrastructure",
    "human_resources",
    "cyber_security",
    "digital_government",
    "digital_economy",
    "digital_society",
)

# Official 2022 province DTI table, https://dti.gov.vn/xep-hang-2022 (methodology B.3.3):
# main-index scores as published (4 decimals), then the published DTI and rank.
DTI_2022_TOP5 = {
    "Da Nang": ((1.0000, 0.9000, 0.8253, 0.8487, 0.7578, 0.8575, 0.7836, 0.5197), 0.8002, 1),
    "Ho Chi Minh City": (
        (0.8917, 0.9000, 0.8258, 0.6267, 0.5580, 0.8406, 0.7611, 0.3590),
        0.7163,
        2,
    ),
    "Quang Ninh": ((0.9581, 0.9000, 0.7648, 0.6250, 0.5382, 0.8385, 0.5904, 0.4505), 0.7024, 3),
    "Thua Thien-Hue": (
        (0.9500, 0.9000, 0.6823, 0.6794, 0.6423, 0.8262, 0.6787, 0.3001),
        0.6975,
        4,
    ),
    "Can Tho": ((0.9000, 0.8000, 0.7233, 0.7376, 0.7226, 0.7325, 0.7556, 0.2947), 0.6924, 5),
}

# Maximum points per main index, Decision 922/QĐ-BTTTT Appendix 1 (methodology B.3.3).
DTI_MAX_POINTS = (100, 100, 100, 100, 100, 200, 150, 150)


def top5_records() -> list[dict[str, object]]:
    return [
        {"entity": e, **dict(zip(DTI_CODES, scores, strict=True))}
        for e, (scores, _, _) in DTI_2022_TOP5.items()
    ]


def test_dti_2022_reproduces_the_five_published_province_scores_and_ranks() -> None:
    fw = load_framework("vn-dti-province-2022")
    assert fw.codes == DTI_CODES
    result = fw.score(top5_records())
    for entity, (_, published, published_rank) in DTI_2022_TOP5.items():
        i = result.entities.index(entity)
        # Published main indices are rounded to 4 decimals, so 1e-4 (not exact 4-decimal
        # agreement) is the honest tolerance.
        assert result.total[i] == pytest.approx(published, abs=1e-4)
        assert result.rank()[i] == published_rank


def test_dti_total_is_total_points_over_1000_computed_independently() -> None:
    fw = load_framework("vn-dti-province-2022")
    result = fw.score(top5_records())
    for entity, (scores, _, _) in DTI_2022_TOP5.items():
        points = sum(s * m for s, m in zip(scores, DTI_MAX_POINTS, strict=True))
        assert result.of(entity)["total"] == pytest.approx(points / 1000, abs=1e-12)
        foundation = sum(s * m for s, m in zip(scores[:5], DTI_MAX_POINTS[:5], strict=True))
        assert result.of(entity)["foundation"] == pytest.approx(foundation / 500, abs=1e-12)


def test_the_shipped_example_csv_holds_the_published_rows() -> None:
    fw = load_framework("vn-dti-province-2022")
    data = read_data(example_file("dti_province_2022_top5.csv"), fw)
    result = data.score()
    assert result.entities == tuple(DTI_2022_TOP5)
    for entity, (scores, published, _) in DTI_2022_TOP5.items():
        assert tuple(data.panel.values[data.panel.index_of(entity)]) == scores
        assert result.of(entity)["total"] == pytest.approx(published, abs=1e-4)


def test_earned_points_give_the_same_scores_as_indices() -> None:
    fw = load_framework("vn-dti-province-2022")
    as_points = [
        {
            "entity": r["entity"],
            **{
                c: float(r[c]) * m  # type: ignore[arg-type]
                for c, m in zip(DTI_CODES, DTI_MAX_POINTS, strict=True)
            },
        }
        for r in top5_records()
    ]
    a = fw.score(top5_records())
    b = fw.score(as_points, input="points")
    np.testing.assert_allclose(b.total, a.total, atol=1e-12)
    np.testing.assert_allclose(b["digital_government"], a["digital_government"], atol=1e-12)


def test_ties_share_a_competition_rank_and_the_next_rank_is_skipped() -> None:
    fw = load_framework("vn-dti-province-2022")
    base = dict(zip(DTI_CODES, DTI_2022_TOP5["Can Tho"][0], strict=True))
    higher = {**base, "awareness": 1.0}
    rows = [
        {"entity": "A", **higher},
        {"entity": "B", **base},
        {"entity": "C", **base},
        {"entity": "D", **{**base, "digital_society": 0.0}},
    ]
    result = fw.score(rows)
    assert result.rank().tolist() == [1, 2, 2, 4]
    assert [r["entity"] for r in result.rows()] == ["A", "B", "C", "D"]


def test_ranks_use_the_published_precision() -> None:
    # Two totals that differ by less than half a unit of the 4th decimal tie, as two
    # provinces with equal published scores do (2022: Thanh Hoa and Yen Bai both 15th).
    fw = load_framework("vn-dti-province-2022")
    base = dict(zip(DTI_CODES, DTI_2022_TOP5["Can Tho"][0], strict=True))
    rows = [{"entity": "A", **base}, {"entity": "B", **{**base, "awareness": 0.9001}}]
    result = fw.score(rows)
    assert result.total[1] > result.total[0]
    assert result.rank().tolist() == [1, 1]


def test_ministries_rank_within_groups() -> None:
    fw = load_framework("vn-dti-ministry-2022")
    rows = []
    for i, (group, level) in enumerate(
        [("public services", 0.9), ("public services", 0.5), ("none", 0.4), ("none", 0.6)]
    ):
        rows.append({"entity": f"M{i}", "group": group, **dict.fromkeys(fw.codes, level)})
    result = fw.score(rows)
    assert result.rank().tolist() == [1, 2, 2, 1]
    assert result.total.tolist() == pytest.approx([0.9, 0.5, 0.4, 0.6])
    assert [r["entity"] for r in result.rows()] == ["M0", "M1", "M3", "M2"]


def test_ict_index_total_is_the_mean_of_three_pillars_da_nang_2016_and_2023() -> None:
    """DERIVED hypothesis (methodology B.2, two data points): the province ICT Index is
    the mean of technical infrastructure, HR infrastructure and IT application, with the
    IT-industry pillar ranked separately. Published pillar and total values: 2023 from
    vietnam.vn and vietbao.vn, 2016 from baodanang.vn (sources in the framework file)."""
    fw = load_framework("vn-ict-index-province")
    cols = ("technical_infrastructure", "human_resources", "it_application")
    y2023 = fw.score(
        [
            {
                "entity": "Da Nang",
                **dict(zip(cols, (0.7908, 0.7892, 0.9655), strict=True)),
                "it_industry": 0.11,
            }
        ]
    )
    assert y2023.total[0] == pytest.approx(0.8485, abs=5e-5)  # published to 4 decimals
    y2016 = fw.score([{"entity": "Da Nang", **dict(zip(cols, (0.84, 0.76, 0.89), strict=True))}])
    assert y2016.total[0] == pytest.approx(0.83, abs=5e-3)  # published to 2 decimals
    # The alternative reading (all four pillars) does not reproduce 2023.
    four = fw.score(
        [
            {
                "entity": "Da Nang",
                **dict(zip(cols, (0.7908, 0.7892, 0.9655), strict=True)),
                "it_industry": 0.11,
            }
        ],
        options={"ict_index_total": "mean_of_four"},
    )
    assert abs(four.total[0] - 0.8485) > 0.1


def test_it_industry_is_ranked_separately_and_may_be_left_out() -> None:
    fw = load_framework("vn-ict-index-province")
    rows = [
        {
            "entity": "P",
            "technical_infrastructure": 0.9,
            "human_resources": 0.9,
            "it_application": 0.9,
            "it_industry": 0.1,
        },
        {
            "entity": "Q",
            "technical_infrastructure": 0.5,
            "human_resources": 0.5,
            "it_application": 0.5,
            "it_industry": 0.8,
        },
    ]
    result = fw.score(rows)
    assert result.rank().tolist() == [1, 2]
    assert result.rank("it_industry").tolist() == [2, 1]
    assert result.weights["ict_index"]["it_industry"] == 0.0
    without = [{k: v for k, v in r.items() if k != "it_industry"} for r in rows]
    assert fw.score(without).total.tolist() == pytest.approx(result.total.tolist())
    with pytest.raises(MissingDataError, match="it_industry"):
        fw.score(without, options={"ict_index_total": "mean_of_four"})


def test_unconfirmed_frameworks_refuse_to_score_without_weights() -> None:
    for name in ("vn-dti-province-2020", "vn-dti-province-2024"):
        fw = load_framework(name)
        assert fw.status == "UNCONFIRMED"
        rows = [{"entity": "A", **dict.fromkeys(fw.codes, 0.5)}]
        with pytest.raises(WeightError, match=r"not known.*supply them"):
            fw.score(rows)
        assert fw.score(rows, weights="equal").total[0] == pytest.approx(0.5)


def test_user_weights_for_v3_are_used_as_given() -> None:
    fw = load_framework("vn-dti-province-2024")
    values = dict(zip(fw.codes, (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8), strict=True))
    weights = {
        "foundation": 0.4,
        "activity": 0.6,
        **dict.fromkeys(
            ("awareness", "institutions", "infrastructure", "human_resources", "cyber_security"),
            0.2,
        ),
        "digital_government": 0.5,
        "digital_economy": 0.25,
        "digital_society": 0.25,
    }
    result = fw.score([{"entity": "A", **values}], weights=weights)
    foundation = (0.1 + 0.2 + 0.3 + 0.4 + 0.5) / 5
    activity = 0.5 * 0.6 + 0.25 * 0.7 + 0.25 * 0.8
    assert result.total[0] == pytest.approx(0.4 * foundation + 0.6 * activity)


def test_partial_or_bad_user_weights_are_rejected() -> None:
    fw = load_framework("vn-dti-province-2024")
    rows = [{"entity": "A", **dict.fromkeys(fw.codes, 0.5)}]
    with pytest.raises(WeightError, match=r"not .*activity"):
        fw.score(rows, weights={"foundation": 1.0})
    with pytest.raises(WeightError, match=r"sum to 2"):
        fw.score(rows, weights={"foundation": 1.0, "activity": 1.0})
    with pytest.raises(WeightError, match="non-negative"):
        fw.score(rows, weights={"foundation": -0.5, "activity": 1.5})
    with pytest.raises(UnknownIndicatorError, match="did you mean foundation"):
        fw.score(rows, weights={"foundaton": 1.0})
    relative = {**dict.fromkeys(fw.codes, 1.0), "foundation": 1.0, "activity": 3.0}
    normalised = fw.weights(None, relative, normalise_weights=True)
    assert normalised["dti"] == {"foundation": 0.25, "activity": 0.75}
    assert normalised["activity"]["digital_society"] == pytest.approx(1 / 3)


def test_unknown_option_and_choice_are_named() -> None:
    fw = load_framework("vn-ict-index-province")
    rows = [
        {
            "entity": "A",
            "technical_infrastructure": 0.5,
            "human_resources": 0.5,
            "it_application": 0.5,
        }
    ]
    with pytest.raises(InputError, match="did you mean ict_index_total"):
        fw.score(rows, options={"ict_index_totl": "mean_of_three"})
    with pytest.raises(InputError, match="did you mean mean_of_three"):
        fw.score(rows, options={"ict_index_total": "mean_of_thre"})


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"awareness": 1.2}, BoundsError, r"'A'.*awareness.*1\.2 is outside \[0, 1\]"),
        ({"awareness": -0.1}, BoundsError, r"awareness.*outside"),
        ({"awareness": float("inf")}, EgovIndexError, r"awareness.*not finite"),
        ({"awareness": "high"}, InputError, r"'high' is not a number"),
        ({"awarenes": 0.5}, UnknownIndicatorError, r"did you mean awareness"),
    ],
)
def test_bad_scores_are_rejected_by_name(
    change: dict[str, object], error: type[Exception], message: str
) -> None:
    fw = load_framework("vn-dti-province-2022")
    row = {"entity": "A", **dict.fromkeys(DTI_CODES, 0.5), **change}
    with pytest.raises(error, match=message):
        fw.score([row])


def test_points_above_the_maximum_are_rejected() -> None:
    fw = load_framework("vn-dti-province-2022")
    row = {"entity": "A", **dict.fromkeys(DTI_CODES, 50.0), "digital_government": 201.0}
    with pytest.raises(BoundsError, match=r"digital_government.*201.*\[0, 200\]"):
        fw.score([row], input="points")
    fw.score([{**row, "digital_government": 200.0}], input="points")


def test_duplicate_entity_and_missing_column_are_rejected() -> None:
    fw = load_framework("vn-dti-province-2022")
    row = {"entity": "A", **dict.fromkeys(DTI_CODES, 0.5)}
    with pytest.raises(DuplicateEntityError, match="'A'"):
        fw.score([row, row])
    incomplete = {k: v for k, v in row.items() if k != "digital_society"}
    with pytest.raises(MissingDataError, match="digital_society"):
        fw.score([incomplete])


def test_missing_values_need_an_explicit_rule() -> None:
    fw = load_framework("vn-dti-province-2022")
    rows = [
        {"entity": "A", **dict.fromkeys(DTI_CODES, 0.5), "awareness": None},
        {"entity": "B", **dict.fromkeys(DTI_CODES, 0.5)},
    ]
    with pytest.raises(MissingDataError, match="awareness: A"):
        fw.score(rows)
    result = fw.score(rows, missing="available")
    assert result.total.tolist() == pytest.approx([0.5, 0.5])
    # The missing indicator leaves A unranked on it (rank 0), not the whole report.
    assert result.rank("awareness").tolist() == [0, 1]
    assert result.rank().tolist() == [1, 1]
    assert [r["ranks"]["awareness"] for r in result.rows()] == [0, 1]


def test_a_panel_is_revalidated_against_the_framework() -> None:
    fw = load_framework("vn-dti-province-2022")
    good = fw.panel(top5_records())
    loose = Panel(good.entities, [eg.panel.Indicator(c) for c in good.codes], good.values)
    np.testing.assert_allclose(fw.score(loose).total, fw.score(good).total)
    with pytest.raises(BoundsError, match="awareness"):
        fw.score(loose.with_value("Da Nang", "awareness", 3.0))


def test_points_input_needs_declared_maxima() -> None:
    fw = load_framework("vn-dti-province-2024")
    with pytest.raises(InputError, match="no maximum points"):
        fw.score([{"entity": "A", **dict.fromkeys(fw.codes, 0.5)}], input="points", weights="equal")


def test_results_are_read_only_and_keep_the_engine_audit_trail() -> None:
    result = load_framework("vn-dti-province-2022").score(top5_records())
    with pytest.raises(ValueError, match="read-only"):
        result.total[0] = 1.0
    assert set(result.scores.values) >= {"dti", "foundation", "activity", *DTI_CODES}
    row = result.rows()[0]
    assert set(row) == {"entity", "total", "rank", "ranks", *DTI_CODES, "foundation", "activity"}
    with pytest.raises(EgovIndexError, match="did you mean Da Nang"):
        result.of("Da Nag")
