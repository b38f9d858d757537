"""Results to pandas and polars, and ``Panel.from_frame``."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import egovindex as eg
from egovindex.composite import Leaf, Node, evaluate
from egovindex.domestic import example_file, load_framework, read_data
from egovindex.errors import InputError, MissingDependencyError
from egovindex.normalise import MinMax
from egovindex.panel import Indicator, Panel
from egovindex.uncertainty import monte_carlo

pd = pytest.importorskip("pandas", reason="the pandas extra")
pl = pytest.importorskip("polars", reason="the polars extra")

SURVEY = eg.load_survey(2022)
DTI = load_framework("vn-dti-province-2022")
DTI_DATA = read_data(example_file("dti_province_2022_top5.csv"), DTI)


def _results() -> dict[str, object]:
    problem = eg.methodology(2022).uncertainty_problem(SURVEY, within="ASEAN")
    return {
        "survey": SURVEY,
        "domestic": DTI_DATA.score(),
        "scores": DTI_DATA.score().scores,
        "un": eg.un.methodology(2022).score(eg.io.read_raw_csv(eg.io.synthetic_raw_csv(), 2022)),
        "gap": eg.gap(SURVEY, "VNM", target_rank=50),
        "rank_summary": monte_carlo(problem, 64, seed=1),
        "backtest": eg.backtest(eg.load_history(), n=100),
    }


RESULTS = _results()


@pytest.mark.parametrize("name", list(RESULTS))
def test_pandas_and_polars_hold_the_same_table(name: str) -> None:
    result = RESULTS[name]
    frame = result.to_pandas()  # type: ignore[attr-defined]
    other = result.to_polars()  # type: ignore[attr-defined]
    assert list(frame.columns) == list(other.columns)
    assert frame.shape == other.shape
    for column in frame.columns:
        left = frame[column].tolist()
        right = other[column].to_list()
        assert [None if v != v else v for v in left] == right, column


def test_backtest_frame_has_one_row_per_origin() -> None:
    b = RESULTS["backtest"]
    assert isinstance(b, eg.Backtest)
    frame = b.to_pandas()
    assert frame["origin"].tolist() == [o.origin for o in b.origins]
    assert frame["rank_error"].tolist() == [o.rank_error for o in b.origins]
    assert set(frame["model"]) == {"pooled"}


def test_survey_frame_values_are_the_published_ones() -> None:
    frame = SURVEY.to_pandas()
    assert list(frame.columns[:4]) == ["iso3", "name", "region", "sub_region"]
    np.testing.assert_array_equal(frame["egdi"].to_numpy(), SURVEY.egdi)
    assert frame.loc[frame["iso3"] == "VNM", "egdi_rank"].item() == SURVEY.country("VNM").egdi_rank


def test_domestic_frame_has_one_rank_column_per_index() -> None:
    frame = DTI_DATA.score().to_pandas()
    assert frame["entity"].tolist()[0] == "Da Nang"
    assert "rank_digital_government" in frame.columns
    assert frame["total"].tolist() == [r["total"] for r in DTI_DATA.score().rows()]


def test_rank_summary_frame_has_level_probabilities() -> None:
    summary = RESULTS["rank_summary"]
    frame = summary.to_pandas()  # type: ignore[attr-defined]
    levels = [f"p_{g}" for g in summary.level_labels]  # type: ignore[attr-defined]
    assert set(levels) <= set(frame.columns)
    np.testing.assert_allclose(frame[levels].sum(axis=1), 1.0)


def test_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r"egovindex\[pandas\]"):
        SURVEY.to_pandas()
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(MissingDependencyError, match=r"egovindex\[polars\]"):
        SURVEY.to_polars()


# -- Panel.from_frame ---------------------------------------------------------------------

PROVINCES = {
    "province": ["Hue", "Vinh", "Hanoi"],
    "portal": [0.6, None, 0.9],
    "online": [12.0, 40.0, 33.0],
}


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_from_frame_any_entity_key(library: str) -> None:
    df = pd.DataFrame(PROVINCES) if library == "pandas" else pl.DataFrame(PROVINCES)
    panel = Panel.from_frame(df, entity="province")
    assert panel.entities == ("Hue", "Vinh", "Hanoi")
    assert panel.codes == ("portal", "online")
    assert np.isnan(panel.values[1, 0])
    assert panel.values[2, 1] == 33.0
    # one line to an index: a min-max tree over the two columns
    tree = Node("index", [Leaf("portal", MinMax()), Leaf("online", MinMax())], [0.5, 0.5])
    scores = evaluate(tree, panel, missing="available")
    # Hue 0; Vinh online only, the top: 1; Hanoi (1 + 21/28) / 2 = 0.875
    np.testing.assert_allclose(scores["index"], [0.0, 1.0, 0.875])
    assert scores.rank().tolist() == [3, 1, 2]


def test_from_frame_pandas_index_and_declared_indicators() -> None:
    df = pd.DataFrame(PROVINCES).set_index("province")
    panel = Panel.from_frame(
        df,
        entity="province",
        indicators=[Indicator("portal", upper=1.0, lower=0.0), Indicator("online", "percent")],
    )
    assert panel.indicator("online").unit == "percent"
    with pytest.raises(eg.errors.BoundsError, match=r"'Hanoi'.*'portal'"):
        Panel.from_frame(
            df.assign(portal=[0.6, 0.2, 1.5]),
            entity="province",
            indicators=[Indicator("portal", upper=1.0), Indicator("online")],
        )


def test_from_frame_errors_name_the_column_and_entity() -> None:
    df = pd.DataFrame(PROVINCES)
    with pytest.raises(InputError, match="no column 'iso3'"):
        Panel.from_frame(df)
    with pytest.raises(InputError, match=r"'Vinh'.*'online'.*not a number"):
        Panel.from_frame(df.assign(online=["1", "x", "2"]), entity="province")
    with pytest.raises(InputError, match="pandas or polars"):
        Panel.from_frame({"province": ["a"]}, entity="province")
