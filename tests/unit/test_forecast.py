"""``egovindex.forecast`` and ``egovindex.backtest``: the pooled model and its skill.

The backtest's numbers are recomputed here from the embedded editions by a separate path
(one ``History`` cut at each origin, ranks of each edition with ``egovindex.ranking.rank``,
a base rate counted country by country), never typed in.
"""

from __future__ import annotations

import importlib

import attrs
import numpy as np
import pytest

import egovindex as eg
from egovindex.errors import BoundsError, InputError, UnknownKeyError
from egovindex.ranking import rank

H = eg.load_history()
FC = importlib.import_module("egovindex.projection.forecast")
ORIGINS = (2016, 2018, 2020, 2022)


def cut(year: int) -> eg.History:
    return eg.History(surveys=tuple(s for s in H.surveys if s.year <= year))


@pytest.fixture(scope="module")
def default() -> eg.Backtest:
    return eg.backtest(H)


def test_the_default_model_beats_persistence_and_the_base_rate(default: eg.Backtest) -> None:
    # The acceptance rule: skill > 0 on rank error and on the Brier score over
    # origins 2016-2022; the model is the library's default.
    assert default.model == FC.DEFAULT_MODEL
    assert FC.DEFAULT_MODEL == "pooled"
    assert [o.origin for o in default.origins] == list(ORIGINS)
    assert default.rank_error < default.persistence_error
    assert default.rank_skill > 0
    assert default.brier < default.brier_base
    assert default.brier_skill > 0
    # calibrated intervals: near their nominal coverage over 772 forecasts
    assert 0.74 <= default.coverage80 <= 0.88
    assert 0.90 <= default.coverage95 <= 0.99


def test_every_trend_model_and_the_bootstrap_lose_to_persistence() -> None:
    # what the issue reported, and why the default changed
    for model in ("linear", "compound", "mean_change", "bootstrap"):
        b = eg.backtest(H, model=model)  # type: ignore[arg-type]
        assert b.rank_skill < 0, model
        assert b.brier_skill < 0, model


def test_persistence_error_and_base_rate_recomputed_from_the_editions(
    default: eg.Backtest,
) -> None:
    years = list(H.editions)
    errors = []
    for o, origin in zip(default.origins, ORIGINS, strict=True):
        a, b = H.survey(origin), H.survey(origin + 2)
        assert set(a.countries) == set(b.countries)  # 193 in every edition since 2012
        before = rank(a.egdi)
        after = rank(b.egdi)[[b.locate(c) for c in a.countries]]
        assert o.persistence_error == pytest.approx(np.mean(np.abs(after - before)), abs=1e-12)
        errors.append(np.abs(after - before))
        assert o.events == int(np.sum(before - after >= 5))
        # base rate: every change 2012 -> origin, country by country
        hits = total = 0
        for y in range(2012, origin, 2):
            s0, s1 = H.survey(y), H.survey(y + 2)
            r0, r1 = rank(s0.egdi), rank(s1.egdi)
            for c, code in enumerate(s0.countries):
                hits += int(r0[c] - r1[s1.locate(code)] >= 5)
                total += 1
        assert o.base_rate == pytest.approx(hits / total, abs=1e-15)
        event = (before - after >= 5).astype(float)
        assert o.brier_base == pytest.approx(np.mean((o.base_rate - event) ** 2), abs=1e-12)
    assert years[-1] == 2024
    # the figure for "ranks stay as they are", 7.77
    assert default.persistence_error == pytest.approx(np.mean(errors), abs=1e-12)
    assert round(default.persistence_error, 2) == 7.77


def test_model_scores_recomputed_from_a_history_cut_at_each_origin(
    default: eg.Backtest,
) -> None:
    probs, events = [], []
    for o in default.origins:
        f = eg.forecast(cut(o.origin), n=default.n, seed=default.seed)
        assert f.years == (o.origin + 2,)
        ranks = rank(f.draws[:, 0])
        nxt = H.survey(o.origin + 2)
        truth = rank(nxt.egdi)[[nxt.locate(c) for c in f.countries]]
        start = rank(H.survey(o.origin).egdi)
        assert f.countries == H.survey(o.origin).countries
        median = np.array(
            [np.quantile(ranks[:, c], 0.5, method="inverted_cdf") for c in range(193)]
        )
        assert o.rank_error == pytest.approx(np.mean(np.abs(median - truth)), abs=1e-12)
        lo = np.quantile(ranks, 0.10, axis=0, method="inverted_cdf")
        hi = np.quantile(ranks, 0.90, axis=0, method="inverted_cdf")
        assert o.coverage80 == pytest.approx(np.mean((truth >= lo) & (truth <= hi)), abs=1e-12)
        p = np.mean(start[None] - ranks >= 5, axis=0)
        event = start - truth >= 5
        assert o.brier == pytest.approx(np.mean((p - event) ** 2), abs=1e-12)
        probs.append(p)
        events.append(event)
    p_all, e_all = np.concatenate(probs), np.concatenate(events)
    for b in default.reliability:
        sel = (p_all >= b.low) & ((p_all < b.high) | (b.high == 1.0))
        assert b.count == int(sel.sum())
        if b.count:
            assert b.observed == pytest.approx(e_all[sel].mean())
    assert sum(b.count for b in default.reliability) == 4 * 193


def test_a_backtest_reads_nothing_after_its_origin() -> None:
    # Origin 2016 scores the same with or without the editions after 2018; the forecast
    # it scores is the one of a History cut at 2016 (recomputed in the test above).
    a = eg.backtest(H, origins=[2016], n=300)
    b = eg.backtest(cut(2018), origins=[2016], n=300)
    assert a.origins == b.origins
    # The edition predicted is read only to score: reversing its EGDIs ruins the score,
    # but leaves every forecast probability and the base rate as they were.
    s = H.survey(2018)
    reversed_2018 = attrs.evolve(s, egdi=np.asarray(s.egdi)[::-1].copy())
    c = eg.backtest(eg.History(surveys=(*cut(2016).surveys, reversed_2018)), origins=[2016], n=300)
    assert [r.mean_forecast for r in c.reliability] == [r.mean_forecast for r in a.reliability]
    assert c.origins[0].base_rate == a.origins[0].base_rate
    assert c.origins[0].rank_error > 5 * a.origins[0].rank_error
    f = eg.forecast(cut(2016), n=300)
    assert f.last_year == 2016
    assert f.countries == H.survey(2016).countries


def test_forecast_is_seeded_bounded_and_shaped() -> None:
    a = eg.forecast(H, horizon=2030, n=500, seed=7)
    b = eg.forecast(H, horizon=2030, n=500, seed=7)
    c = eg.forecast(H, horizon=2030, n=500, seed=8)
    np.testing.assert_array_equal(a.draws, b.draws)
    assert not np.array_equal(a.draws, c.draws)
    assert a.years == (2026, 2028, 2030)
    assert a.draws.shape == (500, 3, 193)
    assert np.all((a.draws > 0) & (a.draws < 1))
    # a horizon between Surveys stops at the earlier one, and says which
    assert eg.forecast(H, horizon=2031, n=10).years == (2026, 2028, 2030)


def test_deterministic_models_are_one_draw() -> None:
    p = eg.forecast(H, model="persistence", horizon=2028)
    assert p.draws.shape == (1, 2, 193)
    np.testing.assert_array_equal(p.draws[0, 1], H.surveys[-1].egdi)
    lin = eg.forecast(H, model="linear", horizon=2030)
    o = eg.time_to_target(H, "VNM", target_rank=50, model="linear", horizon=2030)
    np.testing.assert_array_equal(lin.draws[0], o.projected)


def test_pooled_fit_recovers_a_known_process() -> None:
    # Simulate the model's own equation with known coefficients (an exogenous OSI whose
    # changes push the EGDI's position), started near its stationary spread so that
    # standardising each edition changes little; the fit finds the coefficients.
    rng = np.random.default_rng(0)
    editions, countries, burn = 30, 500, 200
    z = np.zeros((burn + editions, countries))
    w = rng.standard_normal((burn + editions, countries))
    for t in range(1, burn + editions - 1):
        step = -0.05 * z[t] - 0.2 * (w[t] - w[t - 1]) + 0.25 * rng.standard_normal(countries)
        z[t + 1] = z[t] + step
    egdi = 1 / (1 + np.exp(-z[burn:] / 2))
    osi = 1 / (1 + np.exp(-w[burn:] / 2))
    fit = FC.fit_pooled(egdi, osi)
    sd = z[burn:].std(axis=1).mean()  # z is fitted in units of its cross-country spread
    assert fit.coef[1] == pytest.approx(-0.05, abs=0.01)
    assert fit.coef[2] == pytest.approx(-0.2 / sd, rel=0.1)
    assert fit.pairs == (editions - 2) * countries


def test_quantiles_and_targets_of_a_forecast() -> None:
    f = eg.forecast(H, horizon=2030, n=400, seed=1)
    ranks, egdi = f.quantiles("VNM")
    assert ranks.shape == egdi.shape == (3, 5)
    assert np.all(np.diff(ranks, axis=1) >= 0)
    assert np.all(np.diff(egdi, axis=1) >= 0)
    p, per_year = f.probability("VNM", target_rank=50, by=2030)
    assert p >= per_year.max()
    # group targets are the group floors (A.7.1)
    pg, _ = f.probability("VNM", target_group="very high")
    pe, _ = f.probability("VNM", target_egdi=0.75)
    assert pg == pe
    asean, _ = f.probability("VNM", target_rank=4, within="ASEAN")
    assert 0 <= asean <= 1
    with pytest.raises(InputError, match="exactly one target"):
        f.holds("VNM")
    with pytest.raises(BoundsError):
        f.holds("VNM", target_rank=11, within="ASEAN")
    with pytest.raises(UnknownKeyError):
        f.holds("VNM", target_group="Stellar")
    with pytest.raises(InputError, match="not a member"):
        f.holds("VNM", target_rank=3, within="Africa")
    # a year past the horizon is not answered with the probability up to the horizon
    assert f.probability("VNM", target_rank=50, by=2031)[0] == p
    with pytest.raises(InputError, match="by=2032 is after the horizon of this forecast, 2030"):
        f.probability("VNM", target_rank=50, by=2032)


def test_bad_input_is_named() -> None:
    with pytest.raises(InputError, match="unknown forecast model 'cubic'"):
        eg.forecast(H, model="cubic")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="horizon must be at least 2026"):
        eg.forecast(H, horizon=2024)
    with pytest.raises(InputError, match="n must be at least 1"):
        eg.forecast(H, n=0)
    with pytest.raises(InputError, match="at least three editions"):
        eg.forecast(H, since=2022)
    with pytest.raises(InputError, match="origin 2024 needs editions 2024 and 2026"):
        eg.backtest(H, origins=[2024])
    with pytest.raises(InputError, match="origin 2015"):
        eg.backtest(H, origins=[2015])
    with pytest.raises(InputError, match="at least one origin"):
        eg.backtest(H, origins=[])
    with pytest.raises(InputError, match="gain and n must be at least 1"):
        eg.backtest(H, gain=0)


def test_backtest_to_dict_and_summary_line(default: eg.Backtest) -> None:
    d = default.to_dict()
    assert d["rank_skill"] == default.rank_skill
    assert [o["origin"] for o in d["origins"]] == list(ORIGINS)
    assert len(d["reliability"]) == 10
    line = default.summary_line()
    assert f"rank error {default.rank_error:.2f} vs {default.persistence_error:.2f}" in line
    assert f"(skill {default.brier_skill:+.3f})" in line


@pytest.mark.parametrize("year", [2016, 2018, 2020, 2022, 2024])
def test_a_history_cut_at_any_edition_forecasts_from_it(year: int) -> None:
    h = cut(year)
    f = eg.forecast(h, horizon=year + 4, n=200)
    assert f.last_year == year
    assert f.years == (year + 2, year + 4)
    assert f.countries == H.survey(year).countries
    o = eg.time_to_target(h, "VNM", target_rank=50, horizon=year + 4, n=200)
    assert o.last_year == year
    assert o.current_rank == int(rank(H.survey(year).egdi)[H.survey(year).locate("VNM")])


def test_too_short_a_cut_is_a_clear_error_and_zero_ruled_countries_start_last() -> None:
    with pytest.raises(InputError, match="at least three editions"):
        eg.forecast(cut(2014))
    # Fitted from 2008, a cut at 2012 starts from the three zero-ruled EGDIs of 2012
    # (methodology A.1.1): they start below every other country, not at the mean.
    f = eg.forecast(cut(2012), n=500, since=2008)
    zero = f.current == 0
    assert zero.sum() == 3
    median = np.median(f.draws[:, 0], axis=0)
    assert np.all(np.isfinite(f.draws))
    assert median[zero].max() < np.sort(median[~zero])[5]
