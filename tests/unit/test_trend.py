"""``egovindex.time_to_target`` and ``egovindex.probability_of_target``.

Trend projections are recomputed in the test one country at a time with
:func:`numpy.polyfit` and re-ranked with :func:`egovindex.ranking.rank`; the resampling is
checked against a per-replication loop that draws the same numbers.
"""

from __future__ import annotations

import numpy as np
import pytest

import egovindex as eg
from egovindex.errors import BoundsError, InputError, UnknownCountryError
from egovindex.ranking import rank

H = eg.load_history()
LATEST = H.surveys[-1]
N = len(LATEST)
WINDOW = np.asarray(H.matrix("egdi"))[-4:, :N]  # 2018, 2020, 2022, 2024
YEARS = np.asarray(H.editions[-4:], dtype=float)
VNM = LATEST.locate("VNM")


def projected_by_hand(model: str) -> np.ndarray:
    """(8 years 2026-2040) x countries, one country at a time."""
    out = np.empty((8, N))
    future = np.arange(2026, 2041, 2) - 2024
    for j in range(N):
        y = WINDOW[:, j]
        if model == "linear":
            rate = np.polyfit(YEARS, y, 1)[0]
            out[:, j] = y[-1] + rate * future
        elif model == "compound":
            rate = np.exp(np.polyfit(YEARS, np.log(y), 1)[0]) - 1
            out[:, j] = y[-1] * (1 + rate) ** future
        else:
            rate = np.mean(np.diff(y) / 2)
            out[:, j] = y[-1] + rate * future
    return np.clip(out, 0, 1)


@pytest.mark.parametrize("model", ["linear", "compound", "mean_change"])
def test_projection_and_first_year_match_a_country_by_country_computation(model: str) -> None:
    o = eg.time_to_target(H, "Viet Nam", target_rank=50, model=model)  # type: ignore[arg-type]
    expected = projected_by_hand(model)
    assert o.years == tuple(range(2026, 2041, 2))
    np.testing.assert_allclose(o.projected, expected, rtol=1e-9, atol=1e-12)
    ranks = np.array([rank(row)[VNM] for row in expected])
    assert o.ranks.tolist() == ranks.tolist()
    hits = [y for y, r in zip(o.years, ranks, strict=True) if r <= 50]
    assert o.year_reached == (hits[0] if hits else None)
    # Viet Nam 2024 as published: rank 71, EGDI 0.77092 (methodology C.2, A.9)
    assert (o.current_rank, o.current_egdi, o.last_year) == (71, 0.77092, 2024)


def test_viet_nam_linear_rate() -> None:
    # Published EGDI 2018-2024 (methodology C.2): 0.5931, 0.6667, 0.6787, 0.77092.
    o = eg.time_to_target(H, "VNM", target_rank=50, model="linear")
    y = np.array([0.5931, 0.6667, 0.6787, 0.77092])
    assert o.rate == pytest.approx(np.polyfit([2018, 2020, 2022, 2024], y, 1)[0], rel=1e-12)
    assert o.egdi[0] == pytest.approx(0.77092 + 2 * o.rate, rel=1e-12)


def test_k_sets_the_window() -> None:
    o = eg.time_to_target(H, "VNM", target_rank=50, model="mean_change", k=1)
    assert o.rate == pytest.approx((0.77092 - 0.6787) / 2, rel=1e-12)


def test_within_group_and_already_reached() -> None:
    o = eg.time_to_target(H, "VNM", target_rank=5, within="ASEAN", model="linear")
    assert o.current_rank == 5
    assert o.reached_now
    assert all(1 <= r <= 10 for r in o.ranks)
    members = LATEST.mask("ASEAN")
    for row, r in zip(o.projected, o.ranks, strict=True):
        assert rank(row, within=members)[VNM] == r


def test_target_not_reached_within_the_horizon() -> None:
    # The country with the steepest fall keeps falling: rank 1 never comes.
    rates = np.array([np.polyfit(YEARS, WINDOW[:, j], 1)[0] for j in range(N)])
    assert rates.min() < 0
    worst = LATEST.countries[int(np.argmin(rates))]
    o = eg.time_to_target(H, worst, target_rank=1, horizon=2030, model="linear")
    assert o.year_reached is None
    assert o.years == (2026, 2028, 2030)
    assert o.rate == pytest.approx(rates.min(), rel=1e-9)
    assert all(r > 1 for r in o.ranks)


def test_target_egdi() -> None:
    o = eg.time_to_target(H, "VNM", target_egdi=0.9, model="linear")
    first = next(y for y, e in zip(o.years, o.egdi, strict=True) if e >= 0.9)
    assert o.year_reached == first


def test_outlook_to_dict() -> None:
    d = eg.time_to_target(H, "VNM", target_rank=50, model="linear").to_dict()
    assert d["country"] == "VNM"
    assert d["target_rank"] == 50
    assert d["model"] == "linear"
    assert len(d["years"]) == len(d["projected_egdi"]) == len(d["projected_rank"])
    # past the top of the scale a clipped trend is no forecast: null, and listed
    capped = [y for y, e in zip(d["years"], d["projected_egdi"], strict=True) if e is None]
    assert capped == d["capped"]
    assert capped  # the linear trend of Viet Nam reaches 1 before 2040


def test_bad_trend_input() -> None:
    with pytest.raises(InputError, match="unknown forecast model"):
        eg.time_to_target(H, "VNM", target_rank=50, model="cubic")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="exactly one target"):
        eg.time_to_target(H, "VNM")
    with pytest.raises(InputError, match="k must be between 1 and 11"):
        eg.time_to_target(H, "VNM", target_rank=50, k=0)
    with pytest.raises(InputError, match="horizon must be at least 2026"):
        eg.time_to_target(H, "VNM", target_rank=50, horizon=2024)
    with pytest.raises(BoundsError):
        eg.time_to_target(H, "VNM", target_rank=194)
    with pytest.raises(BoundsError):
        eg.time_to_target(H, "VNM", target_egdi=2.0)
    with pytest.raises(UnknownCountryError):
        eg.time_to_target(H, "Atlantis", target_rank=5)
    with pytest.raises(InputError, match="not a member"):
        eg.time_to_target(H, "VNM", target_rank=5, within="Africa")


# -- probability by resampling ----------------------------------------------------------


def by_loop(country: str, target_rank: int, by: int, n: int, seed: int) -> float:
    """The same bootstrap, one replication and one country at a time."""
    values = np.asarray(H.matrix("egdi"))[-7:, :N]  # 2012-2024
    changes = [np.diff(values[:, j]) for j in range(N)]
    i = LATEST.locate(country)
    rng = np.random.default_rng(seed)
    steps = (by - 2024) // 2
    draws = [rng.random((n, N)) for _ in range(steps)]
    hits = 0
    for rep in range(n):
        current = values[-1].copy()
        reached = False
        for s in range(steps):
            for j in range(N):
                c = changes[j]
                current[j] = min(1.0, max(0.0, current[j] + c[int(draws[s][rep, j] * c.size)]))
            if 1 + int(np.sum(np.delete(current, i) > current[i])) <= target_rank:
                reached = True
        hits += reached
    return hits / n


def test_probability_matches_a_per_replication_loop() -> None:
    p = eg.probability_of_target(
        H, "VNM", target_rank=60, by=2028, n=300, seed=3, model="bootstrap"
    )
    assert p.years == (2026, 2028)
    assert p.changes_per_country == 6
    assert p.probability == by_loop("VNM", 60, 2028, 300, 3)
    assert p.standard_error == pytest.approx(np.sqrt(p.probability * (1 - p.probability) / 300))


def test_probability_is_seeded_and_bounded() -> None:
    a = eg.probability_of_target(H, "VNM", target_rank=50, by=2030, n=2000, seed=1)
    b = eg.probability_of_target(H, "VNM", target_rank=50, by=2030, n=2000, seed=1)
    assert a.probability == b.probability
    assert a.per_year.tolist() == b.per_year.tolist()
    assert 0 <= a.probability <= 1
    assert a.probability >= a.per_year.max()  # reached by 2030 >= reached in any one year


def test_certain_and_impossible_targets() -> None:
    sure = eg.probability_of_target(H, "VNM", target_rank=N, by=2026, n=200)
    assert sure.probability == 1.0
    # Viet Nam's largest past rise (2012-2024) twice falls short of EGDI 0.99.
    values = np.asarray(H.matrix("egdi"))[-7:, VNM]
    assert 0.77092 + 2 * np.diff(values).max() < 0.99
    never = eg.probability_of_target(H, "VNM", target_egdi=0.99, by=2028, n=500, model="bootstrap")
    assert never.probability == 0.0


def test_a_trend_probability_uses_the_k_of_its_outlook() -> None:
    # Philippines, rank 50 by 2030: reached on the trend of the last change, not of three
    o1 = eg.time_to_target(H, "PHL", target_rank=50, model="linear", k=1, horizon=2030)
    o3 = eg.time_to_target(H, "PHL", target_rank=50, model="linear", k=3, horizon=2030)
    assert (o1.year_reached is None) != (o3.year_reached is None)
    for k, o in ((1, o1), (3, o3)):
        p = eg.probability_of_target(H, "PHL", target_rank=50, by=2030, model="linear", k=k)
        assert p.probability == float(o.year_reached is not None)


def test_bad_probability_input() -> None:
    with pytest.raises(InputError, match="by must be at least 2026"):
        eg.probability_of_target(H, "VNM", target_rank=50, by=2025)
    with pytest.raises(InputError, match="n must be at least 1"):
        eg.probability_of_target(H, "VNM", target_rank=50, by=2030, n=0)
    with pytest.raises(InputError, match="fewer than two editions"):
        eg.probability_of_target(H, "VNM", target_rank=50, by=2030, since=2024)
    with pytest.raises(InputError, match="whole number"):
        eg.probability_of_target(H, "VNM", target_rank=50, by=2030, seed=1.5)  # type: ignore[arg-type]
