"""Properties of ``egovindex.gap`` on the embedded editions and on arbitrary values."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import egovindex as eg
from egovindex.datasets import Survey
from egovindex.ranking import rank

EDITIONS = eg.editions()
SURVEYS = {year: eg.load_survey(year) for year in EDITIONS}
GROUPS = ("Africa", "Americas", "Asia", "Europe", "Oceania", "South-eastern Asia", "ASEAN")


@st.composite
def edition_and_country(draw: st.DrawFn) -> tuple[Survey, str]:
    s = SURVEYS[draw(st.sampled_from(EDITIONS))]
    return s, draw(st.sampled_from(s.countries))


def _restricted(s: Survey, members: tuple[str, ...]) -> Survey:
    """An edition holding only ``members``: the global computation on that group."""
    rows = [s.locate(c) for c in members]
    return Survey(
        year=s.year,
        countries=[s.countries[i] for i in rows],
        names=[s.names[i] for i in rows],
        regions=[s.regions[i] for i in rows],
        sub_regions=[s.sub_regions[i] for i in rows],
        egdi=s.egdi[rows],
        osi=s.osi[rows],
        tii=s.tii[rows],
        hci=s.hci[rows],
        epi=s.epi[rows],
        egdi_rank=s.egdi_rank[rows],
        epi_rank=None,
        decimals=s.decimals,
    )


@given(edition_and_country(), st.integers(1, 193), st.integers(1, 193))
def test_egdi_needed_never_falls_as_the_target_tightens(
    sc: tuple[Survey, str], a: int, b: int
) -> None:
    s, country = sc
    n = len(s)
    hi, lo = min(a, b, n), min(max(a, b), n)  # hi is the tighter (better) rank
    tight = eg.gap(s, country, target_rank=hi)
    loose = eg.gap(s, country, target_rank=lo)
    assert tight.egdi_needed >= loose.egdi_needed
    assert tight.egdi_gap >= loose.egdi_gap
    for c in ("osi", "tii", "hci"):
        t, lo_inc = tight.component_increase[c], loose.component_increase[c]
        if t is not None:  # feasible for the tighter target -> feasible and no larger
            assert lo_inc is not None
            assert lo_inc <= t


@given(edition_and_country(), st.integers(0, 192))
def test_zero_gap_when_already_there(sc: tuple[Survey, str], extra: int) -> None:
    s, country = sc
    current = int(s.rank("egdi", ties="none")[s.locate(country)])
    target = min(current + extra, len(s))
    g = eg.gap(s, country, target_rank=target)
    assert g.reached
    assert g.egdi_gap == 0
    assert g.rank_gain == 0
    assert g.current_rank == current
    assert all(v == 0.0 for v in g.component_increase.values())
    assert g.balanced_mix is not None
    assert all(v == 0.0 for v in g.balanced_mix.values())


@given(st.sampled_from(EDITIONS), st.sampled_from(GROUPS), st.data())
def test_within_a_region_equals_the_global_computation_on_its_members(
    year: int, group: str, data: st.DataObject
) -> None:
    s = SURVEYS[year]
    members = s.members(group)
    country = data.draw(st.sampled_from(members))
    r = data.draw(st.integers(1, len(members)))
    inside = eg.gap(s, country, target_rank=r, within=group)
    alone = eg.gap(_restricted(s, members), country, target_rank=r)
    for field in (
        "current_rank",
        "target_rank",
        "rank_gain",
        "egdi_needed",
        "egdi_gap",
        "threshold_country",
        "group_size",
    ):
        assert getattr(inside, field) == getattr(alone, field), field
    assert inside.component_increase == alone.component_increase
    assert inside.balanced_mix == alone.balanced_mix


@given(edition_and_country(), st.data())
def test_least_value_on_every_edition(sc: tuple[Survey, str], data: st.DataObject) -> None:
    s, country = sc
    r = data.draw(st.integers(1, len(s)))
    g = eg.gap(s, country, target_rank=r)
    i = s.locate(country)
    values = np.array(s.egdi)
    values[i] = g.egdi_needed
    assert rank(values)[i] <= r
    if g.egdi_needed > 0:
        values[i] = np.nextafter(g.egdi_needed, -np.inf)
        assert rank(values)[i] > r


values_01 = st.floats(0.0, 1.0, allow_nan=False, width=64)


@st.composite
def fake_edition(draw: st.DrawFn) -> Survey:
    """Five countries with arbitrary values (ties likely: few distinct values)."""
    pool = draw(st.lists(values_01, min_size=1, max_size=4))
    codes = ["VNM", "THA", "IDN", "PHL", "MYS"]

    def column() -> list[float]:
        return [draw(st.sampled_from(pool)) for _ in codes]

    egdi = column()
    return Survey(
        year=draw(st.sampled_from(EDITIONS)),
        countries=codes,
        names=codes,
        regions=["Asia"] * 5,
        sub_regions=["South-eastern Asia"] * 5,
        egdi=egdi,
        osi=column(),
        tii=column(),
        hci=column(),
        epi=[0.5] * 5,
        egdi_rank=rank(np.asarray(egdi)),
        epi_rank=None,
        decimals={"egdi": 5, "osi": 5, "tii": 5, "hci": 5, "epi": 5},
    )


@given(fake_edition(), st.integers(1, 5), st.sampled_from(["VNM", "THA", "IDN"]))
def test_paths_on_arbitrary_values_reach_the_target_exactly(
    s: Survey, r: int, country: str
) -> None:
    g = eg.gap(s, country, target_rank=r)
    i = s.locate(country)
    values = np.array(s.egdi)
    values[i] = g.egdi_needed
    assert rank(values)[i] <= r
    if g.egdi_needed > 0:
        values[i] = np.nextafter(g.egdi_needed, -np.inf)
        assert rank(values)[i] > r
    for c, d in g.component_increase.items():
        if d is None:
            continue
        after = g.egdi_after(**{c: d})
        assert after >= g.egdi_needed
        if d > 0:
            assert g.egdi_after(**{c: float(np.nextafter(d, -np.inf))}) < g.egdi_needed
    if g.balanced_mix is not None:
        assert g.egdi_after(**g.balanced_mix) >= g.egdi_needed  # type: ignore[arg-type]
    elif not g.reached:
        # Infeasible: even every component at 1 falls short.
        head = {
            c: max(0.0, 1.0 - v) for c, v in zip(("osi", "tii", "hci"), g.components, strict=False)
        }
        assert g.egdi_after(**head) < g.egdi_needed
