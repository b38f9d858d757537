"""Properties of the UN methodology on generated raw panels, and the rank-reversal counterexample.

The counterexample (see docs/concepts/rank-reversal.md): under recomputed z-scores, raising
one raw TII or HCI indicator of a country can lower its EGDI rank relative to another country.
"""

import numpy as np
import pytest
from hypothesis import assume, given, reject
from hypothesis import strategies as st

from egovindex.errors import ZeroSpreadError
from egovindex.methodologies.un import INDICATORS, Methodology, UNScores, methodology, raw_panel

RECOMPUTED = (2012, 2014, 2016, 2018, 2020, 2022, 2024)
SUBINDEX_WEIGHTS = {"IF": 0.1, "CP": 0.25, "SP": 0.35, "TEC": 0.1, "EPI": 0.2}


def _upper(code: str) -> float:
    ind = INDICATORS[code]
    if ind.upper is not None:
        return ind.upper
    return 200.0  # per 100 inhabitants, GER or points: above the 120 cap, as in real data


@st.composite
def scored_panels(
    draw: st.DrawFn, subindices: bool = False
) -> tuple[Methodology, dict[str, list[float]]]:
    """A methodology of a recomputed edition and a complete raw panel for it."""
    if subindices:
        m = methodology(draw(st.sampled_from((2022, 2024))), osi_subindex_weights=SUBINDEX_WEIGHTS)
    else:
        m = methodology(draw(st.sampled_from(RECOMPUTED)), osi_input="raw")
    n = draw(st.integers(3, 9))
    columns: dict[str, list[float]] = {}
    for code in m.columns:
        if INDICATORS[code].unit == "points":  # questionnaire points are counts
            values = draw(st.lists(st.integers(0, 200), min_size=n, max_size=n, unique=True))
            columns[code] = [float(v) for v in values]
        else:
            columns[code] = draw(
                st.lists(
                    st.floats(0.0, _upper(code), allow_nan=False, allow_subnormal=False).map(
                        lambda v: round(v, 3)
                    ),
                    min_size=n,
                    max_size=n,
                    unique=True,
                )
            )
    return m, columns


def _score(
    m: Methodology, columns: dict[str, list[float]], order: list[int] | None = None
) -> UNScores:
    n = len(next(iter(columns.values())))
    idx = list(range(n)) if order is None else order
    entities = [f"C{i:02d}" for i in idx]
    panel = raw_panel(entities, {k: [v[i] for i in idx] for k, v in columns.items()})
    try:
        return m.score(panel)
    except ZeroSpreadError:
        reject()  # e.g. every value above the cap: constant after capping


@given(scored_panels())
def test_rescaled_indices_span_zero_to_one_and_egdi_stays_inside(
    case: tuple[Methodology, dict[str, list[float]]],
) -> None:
    s = _score(*case)
    for name in ("tii", "hci", "osi", "epi"):
        values = s.index(name)
        assert values.min() == 0.0
        assert values.max() == 1.0
    assert (s.egdi >= 0.0).all()
    assert (s.egdi <= 1.0).all()


@given(scored_panels(subindices=True))
def test_osi_from_subindices_spans_zero_to_one(
    case: tuple[Methodology, dict[str, list[float]]],
) -> None:
    s = _score(*case)
    assert s.osi.min() == 0.0
    assert s.osi.max() == 1.0


@given(scored_panels(), st.randoms(use_true_random=False))
def test_permuting_countries_permutes_the_results(
    case: tuple[Methodology, dict[str, list[float]]], rnd: object
) -> None:
    m, columns = case
    n = len(next(iter(columns.values())))
    order = list(range(n))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    a = _score(m, columns)
    b = _score(m, columns, order)
    inverse = np.argsort(order)
    for name in ("tii", "hci", "osi", "epi", "egdi"):
        np.testing.assert_allclose(b.index(name)[inverse], a.index(name), rtol=0, atol=1e-12)
    gaps = np.abs(a.egdi[:, None] - a.egdi[None, :]) + np.eye(n)
    assume(gaps.min() > 1e-9)  # summation order may split a float tie either way
    assert b.egdi_rank[inverse].tolist() == a.egdi_rank.tolist()
    assert b.entities == tuple(a.entities[i] for i in order)


@given(scored_panels())
def test_ddof_choice_leaves_complete_panels_unchanged(
    case: tuple[Methodology, dict[str, list[float]]],
) -> None:
    # methodology A.1.2: with n observations everywhere the sample sd only rescales every
    # z-score by one constant, which the min-max step removes.
    m, columns = case
    a = _score(m, columns)
    other = methodology(m.edition.year, ddof=1, osi_input="raw")
    b = _score(other, columns)
    for name in ("tii", "hci"):
        np.testing.assert_allclose(a.index(name), b.index(name), rtol=0, atol=1e-9)


@given(scored_panels(), st.data())
def test_more_osq_points_never_lower_the_osi_rank(
    case: tuple[Methodology, dict[str, list[float]]], data: st.DataObject
) -> None:
    m, columns = case
    n = len(columns["osi_points"])
    who = data.draw(st.integers(0, n - 1))
    before = _score(m, columns)
    raised = dict(columns)
    raised["osi_points"] = list(columns["osi_points"])
    raised["osi_points"][who] += data.draw(st.integers(1, 100))
    after = _score(m, raised)
    assert after.rank("osi")[who] <= before.rank("osi")[who]
    assert after.osi[who] >= before.osi[who]


@given(scored_panels(subindices=True), st.data())
def test_more_points_in_one_subindex_never_lower_the_osi_rank(
    case: tuple[Methodology, dict[str, list[float]]], data: st.DataObject
) -> None:
    m, columns = case
    code = data.draw(
        st.sampled_from(
            ("osi_if_points", "osi_cp_points", "osi_sp_points", "osi_tec_points", "epi_points")
        )
    )
    n = len(columns[code])
    who = data.draw(st.integers(0, n - 1))
    before = _score(m, columns)
    raised = dict(columns)
    raised[code] = list(columns[code])
    raised[code][who] += data.draw(st.integers(1, 100))
    after = _score(m, raised)
    assert after.rank("osi")[who] <= before.rank("osi")[who]
    if code == "epi_points":
        assert after.epi_rank[who] <= before.epi_rank[who]


# -- the counterexample ---------------------------------------------------------------------
#
# Six countries. AAA and BBB have identical OSI points and identical values of every
# indicator except two: AAA leads on fixed broadband (a high outlier), BBB on Internet users.
# Raising AAA's fixed broadband from 30 to 45 per 100 inflates that indicator's standard
# deviation faster than AAA's lead over BBB (BBB is a low outlier: its z-score rises as the
# mean moves up), so AAA's standardised lead shrinks and BBB overtakes it.

ENTITIES = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"]
TII_CASE = {
    "internet_users_pct": [20.0, 90.0, 40.0, 50.0, 60.0, 70.0],
    "mobile_subscriptions_per100": [100.0, 100.0, 80.0, 90.0, 115.0, 70.0],
    "mobile_broadband_per100": [60.0, 60.0, 40.0, 50.0, 90.0, 30.0],
    "fixed_broadband_per100": [30.0, 0.5, 8.0, 10.0, 12.0, 9.0],
    "adult_literacy_pct": [90.0, 90.0, 70.0, 80.0, 95.0, 60.0],
    "gross_enrolment_ratio_pct": [80.0, 80.0, 60.0, 70.0, 90.0, 50.0],
    "expected_years_schooling": [13.0, 13.0, 10.0, 11.0, 15.0, 8.0],
    "mean_years_schooling": [9.0, 9.0, 5.0, 7.0, 11.0, 4.0],
    "osi_points": [50.0, 50.0, 20.0, 30.0, 60.0, 10.0],
    "epi_points": [10.0, 10.0, 5.0, 7.0, 12.0, 2.0],
}
# The same mechanism inside the HCI: AAA leads on mean years of schooling, BBB (a low outlier
# there) on adult literacy; AAA's schooling rises from 7 to 12 years.
HCI_CASE = {
    "internet_users_pct": [60.0, 60.0, 40.0, 50.0, 95.0, 30.0],
    "mobile_subscriptions_per100": [100.0, 100.0, 80.0, 90.0, 115.0, 70.0],
    "mobile_broadband_per100": [60.0, 60.0, 40.0, 50.0, 90.0, 30.0],
    "fixed_broadband_per100": [10.0, 10.0, 8.0, 10.0, 30.0, 9.0],
    "adult_literacy_pct": [71.0, 99.0, 60.0, 70.0, 80.0, 90.0],
    "gross_enrolment_ratio_pct": [80.0, 80.0, 60.0, 70.0, 90.0, 50.0],
    "expected_years_schooling": [13.0, 13.0, 10.0, 11.0, 15.0, 8.0],
    "mean_years_schooling": [7.0, 1.2, 3.0, 3.6, 4.2, 3.3],
    "osi_points": [50.0, 50.0, 20.0, 30.0, 60.0, 10.0],
    "epi_points": [10.0, 10.0, 5.0, 7.0, 12.0, 2.0],
}


def _pop_z(x: np.ndarray) -> np.ndarray:
    return (x - x.mean()) / x.std()


@pytest.mark.parametrize(
    ("case", "code", "new_value", "lead", "weights"),
    [
        (TII_CASE, "fixed_broadband_per100", 45.0, "internet_users_pct", (0.25, 0.25)),
        (HCI_CASE, "mean_years_schooling", 12.0, "adult_literacy_pct", (2 / 9, 1 / 3)),
    ],
    ids=["tii-fixed-broadband", "hci-mean-years-of-schooling"],
)
@pytest.mark.parametrize("year", [2020, 2022, 2024])
def test_raising_a_raw_indicator_can_lower_the_egdi_rank(
    case: dict[str, list[float]],
    code: str,
    new_value: float,
    lead: str,
    weights: tuple[float, float],
    year: int,
) -> None:
    m = methodology(year, osi_input="raw")  # OSI from the points, as the case gives
    before = m.score(raw_panel(ENTITIES, case))
    raised = {k: list(v) for k, v in case.items()}
    old_value = raised[code][0]
    raised[code][0] = new_value
    after = m.score(raw_panel(ENTITIES, raised))

    assert new_value > old_value
    # AAA improved on the indicator, in raw terms and in its own z-score ...
    assert after.scores[code][0] > before.scores[code][0]
    # ... yet it was ahead of BBB and is now behind it, and its global rank got worse.
    assert before.egdi[0] > before.egdi[1]
    assert after.egdi[0] < after.egdi[1]
    assert before.egdi_rank[0] < before.egdi_rank[1]
    assert after.egdi_rank[0] > after.egdi_rank[1]
    assert after.egdi_rank[0] > before.egdi_rank[0]

    # Independent check of the mechanism with plain NumPy: AAA and BBB differ only on
    # `code` and `lead`, so the sign of their composite gap is that of
    # w_code * (z_A - z_B on code) + w_lead * (z_A - z_B on lead).
    def gap(values: dict[str, list[float]]) -> float:
        x = np.array(values[code])
        y = np.array(values[lead])
        return weights[0] * (_pop_z(x)[0] - _pop_z(x)[1]) + weights[1] * (
            _pop_z(y)[0] - _pop_z(y)[1]
        )

    assert gap(case) > 0 > gap(raised)
    # the standardised lead on the raised indicator shrank although the raw lead grew
    x0, x1 = np.array(case[code]), np.array(raised[code])
    assert x1[0] - x1[1] > x0[0] - x0[1]
    assert _pop_z(x1)[0] - _pop_z(x1)[1] < _pop_z(x0)[0] - _pop_z(x0)[1]


# A second route, through the min-max endpoints: AAA already has the highest TII composite,
# so its TII is 1 and cannot rise. Raising its mobile broadband only moves the fitted mean
# and standard deviation (BBB, far below the mean, gains z-score) and the min-max endpoints;
# AAA's EGDI stays exactly the same while BBB's rises past it.
LEADER_CASE = {
    "internet_users_pct": [7.2, 15.9, 5.4, 5.2, 17.5],
    "mobile_subscriptions_per100": [19.4, 12.4, 9.7, 11.4, 7.7],
    "mobile_broadband_per100": [16.1, 2.1, 1.8, 4.1, 14.6],
    "fixed_broadband_per100": [3.1, 3.1, 11.6, 8.4, 5.6],
    "adult_literacy_pct": [12.4, 17.8, 12.8, 1.6, 6.4],
    "gross_enrolment_ratio_pct": [4.0, 16.2, 5.6, 12.9, 11.1],
    "expected_years_schooling": [10.6, 10.8, 12.8, 15.9, 18.3],
    "mean_years_schooling": [11.2, 1.6, 3.6, 7.7, 10.7],
    "osi_points": [3.8, 8.7, 17.4, 15.7, 3.6],
    "epi_points": [6.1, 12.8, 14.1, 11.5, 3.3],
}


def test_the_component_leader_gains_nothing_and_can_be_overtaken() -> None:
    m = methodology(2022, osi_input="raw")
    entities = ENTITIES[:5]
    before = m.score(raw_panel(entities, LEADER_CASE))
    raised = {k: list(v) for k, v in LEADER_CASE.items()}
    raised["mobile_broadband_per100"][0] = 19.5  # from 16.1
    after = m.score(raw_panel(entities, raised))
    code = "mobile_broadband_per100"

    assert before.tii[0] == after.tii[0] == 1.0  # the maximum stays the maximum
    assert after.egdi[0] == before.egdi[0]  # so AAA's EGDI does not move at all
    assert after.scores[code][1] > before.scores[code][1]  # BBB's z-score rises
    width = [
        s.scores.fitted["tii"].high[0] - s.scores.fitted["tii"].low[0] for s in (before, after)
    ]
    assert width[1] > width[0]  # the min-max endpoints moved apart
    assert after.tii[1] > before.tii[1]
    assert before.egdi_rank[:2].tolist() == [2, 3]
    assert after.egdi_rank[:2].tolist() == [3, 2]
