"""Properties of the predictive distribution: probabilities, monotone targets, nested intervals.

The forecasts are drawn once per origin (a few hundred draws; the properties hold for
every set of draws, not only on average, so no tolerance is needed) and hypothesis picks
countries, targets, groups and years.
"""

from __future__ import annotations

import importlib

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import egovindex as eg

H = eg.load_history()
FC = importlib.import_module("egovindex.projection.forecast")
CUTS = (2016, 2020, 2024)
FORECASTS = {
    year: eg.forecast(
        eg.History(surveys=tuple(s for s in H.surveys if s.year <= year)),
        horizon=year + 8,
        n=300,
        seed=year,
    )
    for year in CUTS
}
GROUPS = (None, "Africa", "Americas", "Asia", "Europe", "South-eastern Asia", "ASEAN")


@st.composite
def forecast_country_group(draw: st.DrawFn) -> tuple[eg.Forecast, str, str | None]:
    f = FORECASTS[draw(st.sampled_from(CUTS))]
    within = draw(st.sampled_from(GROUPS))
    members = np.flatnonzero(f.members(within))
    return f, f.countries[int(draw(st.sampled_from(members)))], within


@given(forecast_country_group(), st.integers(1, 193), st.integers(1, 193))
def test_an_easier_rank_target_is_never_less_likely(
    fcw: tuple[eg.Forecast, str, str | None], a: int, b: int
) -> None:
    f, country, within = fcw
    size = int(f.members(within).sum())
    hard, easy = min(a, b, size), min(max(a, b), size)
    p_hard, year_hard = f.probability(country, target_rank=hard, within=within)
    p_easy, year_easy = f.probability(country, target_rank=easy, within=within)
    assert 0.0 <= p_hard <= p_easy <= 1.0
    assert np.all((year_hard >= 0) & (year_hard <= year_easy) & (year_easy <= 1))


@given(
    forecast_country_group(),
    st.floats(0.0, 1.0, allow_nan=False),
    st.floats(0.0, 1.0, allow_nan=False),
)
def test_a_lower_egdi_target_is_never_less_likely(
    fcw: tuple[eg.Forecast, str, str | None], a: float, b: float
) -> None:
    f, country, _ = fcw
    p_high, _ = f.probability(country, target_egdi=max(a, b))
    p_low, _ = f.probability(country, target_egdi=min(a, b))
    assert 0.0 <= p_high <= p_low <= 1.0


@given(forecast_country_group(), st.integers(1, 193), st.integers(0, 3), st.integers(0, 3))
def test_reached_by_a_later_year_is_never_less_likely(
    fcw: tuple[eg.Forecast, str, str | None], target: int, i: int, j: int
) -> None:
    f, country, within = fcw
    target = min(target, int(f.members(within).sum()))
    early, late = f.years[min(i, j)], f.years[max(i, j)]
    p_early, per_year = f.probability(country, target_rank=target, within=within, by=early)
    p_late, _ = f.probability(country, target_rank=target, within=within, by=late)
    assert p_early <= p_late
    # reached by a year is at least as likely as holding in any one year up to it
    upto = np.asarray(f.years) <= early
    assert p_early >= per_year[upto].max()


@given(forecast_country_group())
def test_intervals_nest_and_stay_on_the_scale(fcw: tuple[eg.Forecast, str, str | None]) -> None:
    f, country, within = fcw
    ranks, egdi = f.quantiles(country, within)
    size = int(f.members(within).sum())
    # 95 % interval contains the 80 % one, which contains the median
    assert np.all(np.diff(ranks, axis=1) >= 0)
    assert np.all(np.diff(egdi, axis=1) >= 0)
    assert np.all((ranks >= 1) & (ranks <= size))
    assert np.all((egdi > 0) & (egdi < 1))


@given(
    st.integers(3, 8),
    st.integers(5, 40),
    st.integers(1, 4),
    st.integers(0, 2**32 - 1),
    st.floats(0.01, 1.0),
)
def test_draws_on_arbitrary_panels_are_bounded_and_seeded(
    editions: int, countries: int, steps: int, seed: int, spread: float
) -> None:
    rng = np.random.default_rng(seed)
    logit = rng.normal(0, 1.5, countries) + np.cumsum(
        rng.normal(0.1, spread, (editions, countries)), axis=0
    )
    values = 1 / (1 + np.exp(-logit))
    osi = 1 / (1 + np.exp(-(logit + rng.normal(0, spread, logit.shape))))
    years = 2012 + 2 * np.arange(editions)
    a = FC.simulate("pooled", years, values, steps, osi=osi, n=50, seed=seed)
    b = FC.simulate("pooled", years, values, steps, osi=osi, n=50, seed=seed)
    assert a.shape == (50, steps, countries)
    np.testing.assert_array_equal(a, b)
    assert np.all(np.isfinite(a))
    assert np.all((a >= 0) & (a <= 1))
