"""Ranking rules."""

import numpy as np
import pytest

from egovindex.datasets import load_survey
from egovindex.errors import InputError, MissingDataError
from egovindex.ranking import egdi_group, rank, rating_class


def test_competition_dense_ordinal() -> None:
    x = [0.9, 0.8, 0.8, 0.7]
    assert rank(x).tolist() == [1, 2, 2, 4]
    assert rank(x, method="dense").tolist() == [1, 2, 2, 3]
    assert rank(x, method="ordinal").tolist() == [1, 2, 3, 4]
    assert rank(x, higher_is_better=False).tolist() == [4, 2, 2, 1]


def test_rank_within_subset() -> None:
    x = [0.9, 0.8, 0.85, 0.7]
    assert rank(x, within=[False, True, True, True]).tolist() == [0, 2, 1, 3]


def test_rank_batched_rows_independent() -> None:
    x = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])
    assert rank(x).tolist() == [[3, 2, 1], [1, 2, 3]]


def test_rank_rejects_nan_and_names_entity() -> None:
    with pytest.raises(MissingDataError, match="'THA'"):
        rank([0.5, np.nan], entities=["VNM", "THA"])
    with pytest.raises(InputError):
        rank([1.0], method="olympic")  # type: ignore[arg-type]


def test_groups_methodology_c1() -> None:
    # methodology C.1 item 1 (thresholds 0.25/0.50/0.75, UN Knowledge Base)
    assert egdi_group(0.7709) == "Very High"
    assert egdi_group(0.6667) == "High"
    assert egdi_group(0.4998) == "Middle"
    assert egdi_group(0.2401) == "Low"
    assert egdi_group(0.25) == "Middle"
    assert egdi_group(0.25, boundary="upper_inclusive") == "Low"


def test_rating_class_viet_nam() -> None:
    # methodology A.7.2: Viet Nam 2020 H3 (0.6667), 2024 V1 (0.77092), under both readings
    for year, value, label in ((2020, 0.6667, "H3"), (2024, 0.77092, "V1")):
        among = load_survey(year).egdi
        assert rating_class(value, among=among, edition=year) == label
        assert rating_class(value, edition=year, method="equal_width") == label
    assert rating_class(1.0, method="equal_width") == "VH"
    with pytest.raises(InputError, match="2020"):
        rating_class(0.5, edition=2018)


def test_bad_shapes_and_non_numbers_are_input_errors() -> None:
    with pytest.raises(InputError, match="one flag per entity"):
        rank([1.0, 2.0, 3.0], within=[True, False])
    with pytest.raises(InputError, match="must be numbers"):
        rank([[1.0, 2.0], [3.0]])
    with pytest.raises(InputError, match="must be numbers"):
        egdi_group("high")  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["competition", "dense", "ordinal"])
def test_one_dimensional_ranks_are_scipy_rankdata(method: str) -> None:
    # rank() ranks one row with a sort of its own; rows of a batch go to scipy.
    rng = np.random.default_rng(5)
    for _ in range(200):
        x = np.round(rng.uniform(0, 1, int(rng.integers(1, 40))), 1)  # many ties
        within = rng.uniform(size=x.size) < 0.7
        for mask in (None, within):
            one = rank(x, method=method, within=mask)  # type: ignore[arg-type]
            batch = rank(np.vstack([x, x]), method=method, within=mask)  # type: ignore[arg-type]
            assert one.dtype == np.int64
            assert one.tolist() == batch[0].tolist()


def test_groups_and_classes_on_every_threshold() -> None:
    # Group floors 0.25 / 0.50 / 0.75 (methodology A.7.1); each group cut into four rating
    # classes of width 0.0625 (A.7.2, reading (a), the equal-width option).
    edges = [0.0, 0.25, 0.3125, 0.5, 0.5625, 0.75, 0.8125, 0.9375, 1.0]
    lower = [rating_class(v, method="equal_width") for v in edges]
    upper = [rating_class(v, method="equal_width", boundary="upper_inclusive") for v in edges]
    assert lower == ["L1", "M1", "M2", "H1", "H2", "V1", "V2", "VH", "VH"]
    assert upper == ["L1", "LM", "M1", "MH", "H1", "HV", "V1", "V3", "VH"]
    assert [egdi_group(v) for v in (0.25, 0.5, 0.75)] == ["Middle", "High", "Very High"]
    assert [egdi_group(v, boundary="upper_inclusive") for v in (0.25, 0.5, 0.75)] == [
        "Low",
        "Middle",
        "High",
    ]
