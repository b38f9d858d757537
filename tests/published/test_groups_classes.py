"""EGDI level groups (methodology A.7.1) and rating classes 2020-2024 (methodology A.7.2).

The rating-class method is UNCONFIRMED; both readings of A.7.2 are tested against the
class sizes A.7.2 derives from the export, and Viet Nam's class against what both give.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import egovindex as eg
import egovindex.datasets as ds
from egovindex.errors import InputError, MissingDataError
from egovindex.ranking import (
    GROUPS,
    RATING_CLASSES,
    Boundary,
    RatingMethod,
    egdi_groups,
    rating_class,
    rating_classes,
)

# Class sizes, best class first, per group (Very High, High, Middle, Low): methodology
# A.7.2 table, column (a) equal-width and column (b) count-quartiles (DERIVED).
CLASS_SIZES_A72: dict[RatingMethod, dict[int, tuple[tuple[int, ...], ...]]] = {
    "equal_width": {
        2020: ((5, 12, 22, 18), (23, 15, 12, 19), (16, 19, 9, 15), (2, 5, 1, 0)),
        2022: ((9, 14, 19, 18), (24, 12, 15, 22), (13, 13, 14, 13), (3, 3, 1, 0)),
        2024: ((12, 21, 22, 21), (12, 22, 12, 16), (14, 11, 5, 14), (6, 3, 2, 0)),
    },
    "count_quartile": {
        2020: ((14, 14, 15, 14), (17, 17, 18, 17), (15, 15, 14, 15), (2, 2, 2, 2)),
        2022: ((15, 15, 15, 15), (18, 18, 19, 18), (13, 13, 14, 13), (2, 2, 1, 2)),
        2024: ((19, 19, 19, 19), (16, 15, 15, 16), (11, 11, 11, 11), (3, 3, 2, 3)),
    },
}

# Viet Nam (methodology A.7.2, C.2): 2020 High (MIC), H3 (29th of 69 High); 2022 H3
# (26th of 73); 2024 Very High for the first time (vietbao 507815), V1 (71st of 76).
VIET_NAM = {2020: ("High", "H3"), 2022: ("High", "H3"), 2024: ("Very High", "V1")}

METHODS: tuple[RatingMethod, ...] = ("equal_width", "count_quartile")


def sizes(classes: np.ndarray) -> tuple[tuple[int, ...], ...]:
    return tuple(
        tuple(int(np.count_nonzero(classes == c)) for c in RATING_CLASSES[g]) for g in GROUPS
    )


def test_methodology_c1_item_1() -> None:
    # methodology C.1 item 1 (thresholds 0.25 / 0.50 / 0.75, A.7.1).
    assert eg.egdi_group(0.7709) == "Very High"
    assert eg.egdi_group(0.6667) == "High"
    assert eg.egdi_group(0.4998) == "Middle"
    assert eg.egdi_group(0.2401) == "Low"


@pytest.mark.parametrize("year", [2020, 2022, 2024])
@pytest.mark.parametrize("method", METHODS)
def test_class_sizes_reproduce_the_methodology_table(year: int, method: RatingMethod) -> None:
    s = ds.load_survey(year)
    classes = rating_classes(s.egdi, edition=year, method=method)
    assert sizes(classes) == CLASS_SIZES_A72[method][year]
    # Each group's classes add up to the group's published size (methodology A.7.1).
    group_sizes = {g: int(np.count_nonzero(egdi_groups(s.egdi) == g)) for g in GROUPS}
    assert tuple(sum(row) for row in sizes(classes)) == tuple(group_sizes.values())


@pytest.mark.parametrize("year", sorted(VIET_NAM))
@pytest.mark.parametrize("method", METHODS)
def test_viet_nam_group_and_class(year: int, method: RatingMethod) -> None:
    s = ds.load_survey(year)
    i = s.countries.index("VNM")
    group, label = VIET_NAM[year]
    assert eg.egdi_group(s.egdi[i]) == group
    assert rating_classes(s.egdi, edition=year, method=method)[i] == label
    # The scalar form: a value alone (equal width) or a value among its edition.
    assert eg.rating_class(s.egdi[i], among=s.egdi, edition=year, method=method) == label


@pytest.mark.parametrize("year", [2020, 2022, 2024])
def test_viet_nam_position_within_its_group(year: int) -> None:
    # The within-group positions methodology A.7.2 quotes: 29th of 69, 26th of 73, 71st of 76.
    expected = {2020: (29, 69), 2022: (26, 73), 2024: (71, 76)}[year]
    s = ds.load_survey(year)
    i = s.countries.index("VNM")
    members = egdi_groups(s.egdi) == eg.egdi_group(s.egdi[i])
    within = eg.ranking.rank(s.egdi, within=members)
    assert (int(within[i]), int(members.sum())) == expected


def test_count_quartile_cut_rule() -> None:
    # The cuts fall after round(k * n / 4) members, halves to even: n = 57 -> 14, 14, 15, 14.
    for n in range(1, 120):
        x = np.linspace(0.99, 0.76, n)  # n distinct Very High values
        got = [
            int(np.count_nonzero(rating_classes(x, method="count_quartile") == c))
            for c in RATING_CLASSES["Very High"]
        ]
        cuts = [0, *(round(k * n / 4) for k in (1, 2, 3)), n]
        assert got == [b - a for a, b in itertools.pairwise(cuts)]
        assert max(got) - min(got) <= 1


def test_rating_class_errors() -> None:
    with pytest.raises(InputError, match="introduced in the 2020 Survey, not 2018"):
        rating_class(0.6, edition=2018)
    with pytest.raises(InputError, match="unknown rating method 'quintile'"):
        rating_classes([0.6], method="quintile")  # type: ignore[arg-type]
    with pytest.raises(MissingDataError, match="NaN"):
        rating_classes([0.6, float("nan")])
    with pytest.raises(InputError, match=r"1\.2 is outside"):
        rating_class(1.2, method="equal_width")
    with pytest.raises(InputError, match=r"1\.2 is outside"):
        rating_class(1.2, among=[0.5])
    with pytest.raises(InputError, match=r"EGDI 0\.6 is a position among .* pass among="):
        rating_class(0.6)
    with pytest.raises(InputError, match="unknown rating method 'quintile'"):
        rating_class(0.6, among=[0.6], method="quintile")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="introduced in the 2020 Survey, not 2018"):
        rating_class(0.6, among=[0.6], edition=2018)
    with pytest.raises(InputError, match="unknown boundary rule"):
        eg.egdi_group(0.5, boundary="closed")  # type: ignore[arg-type]


def test_equal_width_edges() -> None:
    # methodology A.7.2 (a): VH = [0.9375, 1], V3 = [0.875, 0.9375), ..., L1 = [0, 0.0625).
    assert [rating_class(v, method="equal_width") for v in (1.0, 0.9375, 0.875, 0.8125, 0.75)] == [
        "VH",
        "VH",
        "V3",
        "V2",
        "V1",
    ]
    assert [rating_class(v, method="equal_width") for v in (0.0, 0.0625, 0.1875, 0.25)] == [
        "L1",
        "L2",
        "LM",
        "M1",
    ]
    # Upper-inclusive: 0.75 belongs to High (and is its best class), 0.25 to Low.
    assert rating_class(0.75, method="equal_width", boundary="upper_inclusive") == "HV"
    assert rating_class(0.25, method="equal_width", boundary="upper_inclusive") == "LM"


# -- properties --------------------------------------------------------------------------------

egdi_values = st.lists(st.floats(0.0, 1.0, allow_nan=False), min_size=1, max_size=60)
boundaries = st.sampled_from(["lower_inclusive", "upper_inclusive"])


def _order(labels: np.ndarray, scale: tuple[str, ...]) -> np.ndarray:
    return np.asarray([scale.index(str(v)) for v in labels])  # 0 = best


@given(egdi_values, boundaries)
def test_groups_are_monotone_in_egdi(values: list[float], boundary: Boundary) -> None:
    x = np.asarray(values)
    pos = _order(egdi_groups(x, boundary=boundary), GROUPS)
    higher = x[:, None] > x[None, :]
    # A higher EGDI never sits in a worse (later) group.
    assert not np.any(higher & (pos[:, None] > pos[None, :]))


@given(egdi_values, boundaries, st.sampled_from(METHODS))
def test_rating_classes_are_monotone_within_a_group(
    values: list[float], boundary: Boundary, method: RatingMethod
) -> None:
    x = np.asarray(values)
    groups = egdi_groups(x, boundary=boundary)
    classes = rating_classes(x, method=method, boundary=boundary)
    for g, labels in RATING_CLASSES.items():
        members = groups == g
        assert set(classes[members].tolist()) <= set(labels)
        xs, pos = x[members], _order(classes[members], labels)
        higher = xs[:, None] > xs[None, :]
        assert not np.any(higher & (pos[:, None] > pos[None, :]))


@given(egdi_values, boundaries)
def test_equal_width_class_depends_on_the_value_alone(
    values: list[float], boundary: Boundary
) -> None:
    x = np.asarray(values)
    together = rating_classes(x, method="equal_width", boundary=boundary)
    alone = [rating_class(v, method="equal_width", boundary=boundary) for v in values]
    assert together.tolist() == alone


# The 27 member states of the European Union in 2022 (ISO3).
EU_2022 = frozenset(
    [
        "AUT",
        "BEL",
        "BGR",
        "HRV",
        "CYP",
        "CZE",
        "DNK",
        "EST",
        "FIN",
        "FRA",
        "DEU",
        "GRC",
        "HUN",
        "IRL",
        "ITA",
        "LVA",
        "LTU",
        "LUX",
        "MLT",
        "NLD",
        "POL",
        "PRT",
        "ROU",
        "SVK",
        "SVN",
        "ESP",
        "SWE",
    ]
)


@pytest.mark.parametrize(
    ("method", "europe", "eu"), [("count_quartile", 8, 6), ("equal_width", 6, 5)]
)
def test_the_2022_survey_count_of_vh_in_europe(method: RatingMethod, europe: int, eu: int) -> None:
    # The 2022 Survey says Denmark is one of eight countries of Europe, six of them in the
    # EU, in the highest rating class VH. Only count quartiles give 8 and 6, so they are the
    # default (methodology A.7.2); equal widths give 6 and 5.
    s = ds.load_survey(2022)
    vh = s.rating_classes(method=method) == "VH"
    in_europe = [
        c for c, r, v in zip(s.countries, s.regions, vh, strict=True) if v and r == "Europe"
    ]
    assert "DNK" in in_europe
    assert (len(in_europe), len(EU_2022.intersection(in_europe))) == (europe, eu)


def test_count_quartile_is_the_default_everywhere() -> None:
    s = ds.load_survey(2022)
    quartiles = rating_classes(s.egdi, method="count_quartile")
    assert not np.array_equal(quartiles, rating_classes(s.egdi, method="equal_width"))
    assert rating_classes(s.egdi).tolist() == quartiles.tolist()
    assert s.rating_classes().tolist() == quartiles.tolist()
    assert eg.un.methodology(2022).edition.rating_method == "count_quartile"
    summary = eg.summarise(s)
    assert summary.rating_method == "count_quartile"
    assert tuple(summary.class_counts.values()) == tuple(
        itertools.chain.from_iterable(CLASS_SIZES_A72["count_quartile"][2022])
    )
    assert eg.summarise(ds.load_survey(2018)).class_counts == {}


@pytest.mark.parametrize("year", [2020, 2022, 2024])
def test_scalar_class_among_the_edition_is_the_array_class(year: int) -> None:
    # One value among its edition is classed by its competition position in its group, so it
    # agrees with the array form except for a tie split across a class boundary, which the
    # array form splits in input order (2022: Gabon, tied with Bhutan at 0.5521).
    s = ds.load_survey(year)
    together = s.rating_classes()
    alone = [rating_class(v, among=s.egdi) for v in s.egdi]
    differ = [c for c, a, b in zip(s.countries, together, alone, strict=True) if a != b]
    assert differ == (["GAB"] if year == 2022 else [])
    # A value not in the edition is classed as if it were added to it.
    assert rating_class(1.0, among=s.egdi) == "VH"
