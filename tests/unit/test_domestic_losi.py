"""The UN Local Online Service Index as built-in frameworks (methodology A.6)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovindex.cli import main
from egovindex.domestic import load_framework, parse_framework, read_data
from egovindex.errors import BoundsError, FrameworkError, InputError, MissingDataError

LOSI22 = load_framework("un-losi-2022")
LOSI24 = load_framework("un-losi-2024")

# Criteria and their indicator counts, UN E-Government Survey 2022 LOSI annex and
# Knowledge Base LOSI page ([S2022-LOSI], [KB-LOSI]).
CRITERIA_2022 = {
    "institutional_framework": 8,
    "content_provision": 25,
    "services_provision": 18,
    "participation_engagement": 17,
    "technology": 18,
}


def _rows(features: np.ndarray, fw: object) -> list[dict[str, object]]:
    codes = fw.codes  # type: ignore[attr-defined]
    return [
        {"entity": f"city{i}", **{c: int(v) for c, v in zip(codes, row, strict=True)}}
        for i, row in enumerate(features)
    ]


def test_2022_declares_the_published_criteria_and_counts() -> None:
    assert LOSI22.pillar_codes == tuple(CRITERIA_2022)
    assert {p: len(LOSI22.children(p)) for p in LOSI22.pillar_codes} == CRITERIA_2022
    assert len(LOSI22.codes) == 86
    assert all(LOSI22.indicator(c).normalisation == "binary" for c in LOSI22.codes)
    assert [label for label, _ in LOSI22.total.levels] == ["Very High", "High", "Middle", "Low"]


def test_2024_has_95_features_over_96_and_says_it_is_unconfirmed() -> None:
    assert len(LOSI24.codes) == 95
    assert LOSI24.total.max_points == 96
    assert LOSI24.status == LOSI24.total.status == "UNCONFIRMED"
    everything = LOSI24.score(_rows(np.ones((1, 95)), LOSI24))
    assert everything.total[0] == pytest.approx(95 / 96, abs=1e-15)


features_2022 = st.lists(
    st.lists(st.integers(0, 1), min_size=86, max_size=86), min_size=2, max_size=12
)


@given(features_2022)
def test_losi_is_features_found_over_features_assessed(data: list[list[int]]) -> None:
    x = np.asarray(data, dtype=float)
    result = LOSI22.score(_rows(x, LOSI22))
    np.testing.assert_allclose(result.total, x.sum(axis=1) / 86, rtol=0, atol=1e-14)
    start = 0
    for code, n in CRITERIA_2022.items():
        share = x[:, start : start + n].sum(axis=1) / n
        np.testing.assert_allclose(result[code], share, rtol=0, atol=1e-14)
        start += n


@given(features_2022)
def test_equal_counts_share_a_competition_rank(data: list[list[int]]) -> None:
    x = np.asarray(data, dtype=float)
    result = LOSI22.score(_rows(x, LOSI22))
    found = x.sum(axis=1)
    ranks = result.rank()
    for i in range(len(found)):
        assert ranks[i] == 1 + int(np.sum(found > found[i]))  # competition rule


@given(features_2022)
def test_criterion_counts_score_as_the_features_do(data: list[list[int]]) -> None:
    x = np.asarray(data, dtype=float)
    by_feature = LOSI22.score(_rows(x, LOSI22))
    counts, start = [], 0
    for n in CRITERIA_2022.values():
        counts.append(x[:, start : start + n].sum(axis=1))
        start += n
    rows = [
        {"entity": f"city{i}", **{p: c[i] for p, c in zip(CRITERIA_2022, counts, strict=True)}}
        for i in range(len(x))
    ]
    by_count = LOSI22.score(rows, input="points")
    np.testing.assert_allclose(by_count.total, by_feature.total, rtol=0, atol=1e-14)
    assert list(by_count.rank()) == list(by_feature.rank())


@pytest.mark.parametrize(
    ("found", "level"), [(72, "Very High"), (71, "High"), (48, "High"), (47, "Middle"), (23, "Low")]
)
def test_levels_are_lower_bound_inclusive(found: int, level: str) -> None:
    # 72/96 = 0.75, 48/96 = 0.50 exactly: the boundary cases of the Survey's groups
    x = np.zeros((1, 95))
    x[0, :found] = 1
    result = LOSI24.score(_rows(x, LOSI24))
    assert result.levels() == (level,)
    assert result.rows()[0]["level"] == level


def test_a_feature_other_than_0_or_1_is_an_error_naming_the_city() -> None:
    rows = _rows(np.ones((2, 86)), LOSI22)
    rows[1]["cp_03"] = 0.5
    with pytest.raises(BoundsError, match=r"'city1'.*'cp_03'.*0\.5.*binary"):
        LOSI22.score(rows)


def test_a_fractional_count_is_an_error() -> None:
    rows = [{"entity": "A", **dict.fromkeys(CRITERIA_2022, 3)}]
    rows[0]["technology"] = 3.5
    with pytest.raises(BoundsError, match=r"'A'.*'technology'.*whole number"):
        LOSI22.score(rows, input="points")


def test_a_criterion_given_with_its_own_features_is_an_error() -> None:
    rows = _rows(np.ones((1, 86)), LOSI22)
    rows[0]["technology"] = 1.0
    with pytest.raises(InputError, match=r"technology.*tec_01"):
        LOSI22.score(rows)


def test_missing_features_are_an_error_unless_a_rule_is_named() -> None:
    x = np.ones((2, 86))
    rows = _rows(x, LOSI22)
    rows[0]["if_01"] = float("nan")
    rows[0]["if_02"] = 0
    with pytest.raises(MissingDataError, match="if_01"):
        LOSI22.score(rows)
    result = LOSI22.score(rows, missing="available")
    # found / assessed within the criterion: 6 of the 7 features assessed
    assert result["institutional_framework"][0] == pytest.approx(6 / 7, abs=1e-15)
    # "available" weighs the criteria by their declared counts; "assessed" gives the
    # LOSI as features found over features assessed: 84 of 85
    assert result.total[0] == pytest.approx(8 / 86 * 6 / 7 + 78 / 86, abs=1e-15)
    assessed = LOSI22.score(rows, missing="assessed")
    assert assessed.total[0] == pytest.approx(84 / 85, abs=1e-15)
    assert assessed.total[1] == 1.0
    assert assessed["institutional_framework"][0] == pytest.approx(6 / 7, abs=1e-15)


@given(features_2022, st.integers(0, 2**32 - 1))
def test_assessed_rule_is_found_over_assessed(data: list[list[int]], seed: int) -> None:
    x = np.asarray(data, dtype=float)
    rng = np.random.default_rng(seed)
    x[rng.random(x.shape) < 0.2] = np.nan
    x[:, 0] = 1.0  # every city has at least one feature assessed
    result = LOSI22.score(_rows_nan(x), missing="assessed")
    found = np.nansum(x, axis=1)
    assessed = np.sum(~np.isnan(x), axis=1)
    np.testing.assert_allclose(result.total, found / assessed, rtol=0, atol=1e-14)


def _rows_nan(x: np.ndarray) -> list[dict[str, object]]:
    return [
        {"entity": f"city{i}", **dict(zip(LOSI22.codes, row.tolist(), strict=True))}
        for i, row in enumerate(x)
    ]


def test_assessed_rule_needs_points_weights() -> None:
    ict = load_framework("vn-ict-index-province")
    rows = [{"entity": "A", **dict.fromkeys(ict.codes, 0.5)}]
    with pytest.raises(InputError, match="max_points"):
        ict.score(rows, missing="assessed")


def _write(path: Path, header: list[str], rows: list[list[object]]) -> str:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return str(path)


def test_csv_binary_error_names_row_city_and_column(tmp_path: Path) -> None:
    rows = [["Hue", *([1] * 86)], ["Vinh", *([0] * 85), 2]]
    path = _write(tmp_path / "c.csv", ["entity", *LOSI22.codes], rows)
    with pytest.raises(BoundsError, match=r"row 3 \(entity 'Vinh'\), column 'tec_18'"):
        read_data(path, LOSI22)


def test_cli_scores_cities_from_features_and_from_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    x = np.zeros((2, 86), dtype=int)
    x[0, :60] = 1
    x[1, :30] = 1
    path = _write(
        tmp_path / "f.csv",
        ["entity", *LOSI22.codes],
        [["Hue", *x[0]], ["Vinh", *x[1]]],
    )
    assert main(["domestic", "un-losi-2022", path, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["entity"], r["rank"], r["level"]) for r in rows] == [
        ("Hue", 1, "High"),
        ("Vinh", 2, "Middle"),
    ]
    assert rows[0]["total"] == pytest.approx(60 / 86, abs=1e-6)
    counts = _write(
        tmp_path / "k.csv",
        ["entity", *CRITERIA_2022],
        [["Hue", 8, 25, 18, 9, 0], ["Vinh", 8, 22, 0, 0, 0]],
    )
    assert main(["domestic", "un-losi-2022", counts, "--input", "points"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split()[-2:] == ["total", "level"]
    assert out[2].split()[-2:] == ["0.6977", "High"]


# -- the generic declarations behind LOSI: binary, [total] max_points and levels ---------

_SMALL = """
[framework]
name = "small"
title = "small"
[total]
weights = "max_points"
{total}
[[indicators]]
code = "a"
normalisation = "binary"
[[indicators]]
code = "b"
normalisation = "binary"
"""


def test_levels_at_and_below_every_threshold() -> None:
    fw = parse_framework(_SMALL.format(total="levels = { top = 0.9, mid = 0.4 }"))
    rows = [{"entity": e, "a": a, "b": b} for e, a, b in (("x", 1, 1), ("y", 0, 1), ("z", 0, 0))]
    # 1.0 top; 0.5 mid; 0.0 is below every threshold: the last level
    assert fw.score(rows).levels() == ("top", "mid", "mid")


@pytest.mark.parametrize(
    ("total", "message"),
    [
        ("levels = { low = 0.1, high = 0.9 }", "highest first"),
        ('levels = { top = "x" }', "table of label = lower threshold"),
        ("max_points = 1", "below the points of its children"),
        ('weights = "equal"\nmax_points = 3', "needs weights = 'max_points'"),
    ],
)
def test_bad_total_declarations_name_the_line(total: str, message: str) -> None:
    text = _SMALL.format(total=total)
    if 'weights = "equal"' in total:
        text = text.replace('weights = "max_points"\n', "", 1)
    with pytest.raises(FrameworkError, match=message):
        parse_framework(text)
