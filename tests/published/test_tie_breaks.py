"""Ranks within groups follow the published order where the UN broke ties (methodology A.8.1).

In 2020 the UN ranked unrounded EGDIs, so four pairs of equal published EGDIs carry distinct
published ranks (methodology A.1.3): Croatia 51 / Hungary 52, Peru 71 / North Macedonia 72,
Republic of Moldova 79 / Andorra 80, Tajikistan 133 / Timor-Leste 134 (UN Data Center export,
``un_egov_2020.csv``). A rank within any group must keep that order.
"""

from __future__ import annotations

import numpy as np
import pytest

import egovindex.datasets as ds
from egovindex.datasets import Survey
from egovindex.datasets.regions import GROUPINGS, REGIONS, SUB_REGIONS
from egovindex.errors import InputError
from egovindex.ranking import rank

PAIRS_2020 = {"HRV": ("HUN", 51), "PER": ("MKD", 71), "MDA": ("AND", 79), "TJK": ("TLS", 133)}

GROUPS = (*REGIONS, *(s for subs in SUB_REGIONS.values() for s in subs), *GROUPINGS)


def test_the_four_2020_pairs_are_equal_in_value_and_distinct_in_published_rank() -> None:
    s = ds.load_survey(2020)
    for first, (second, r) in PAIRS_2020.items():
        a, b = s.locate(first), s.locate(second)
        assert s.egdi[a] == s.egdi[b]
        assert (int(s.egdi_rank[a]), int(s.egdi_rank[b])) == (r, r + 1)
        # the recomputed global rank keeps them apart, as published
        assert (int(s.rank("egdi")[a]), int(s.rank("egdi")[b])) == (r, r + 1)
        # ... and shares one rank when asked to ignore the published order
        assert int(s.rank("egdi", ties="none")[a]) == int(s.rank("egdi", ties="none")[b]) == r


def test_croatia_and_hungary_within_europe() -> None:
    s = ds.load_survey(2020)
    ranks = s.rank("egdi", within="Europe")
    assert (int(ranks[s.locate("HRV")]), int(ranks[s.locate("HUN")])) == (31, 32)
    shared = s.rank("egdi", within="Europe", ties="none")
    assert int(shared[s.locate("HRV")]) == int(shared[s.locate("HUN")]) == 31


@pytest.mark.parametrize("year", ds.editions())
def test_the_global_rank_is_the_published_rank(year: int) -> None:
    s = ds.load_survey(year)
    assert s.rank("egdi").tolist() == s.egdi_rank.tolist()


def _members_by_published_rank(s: Survey, mask: np.ndarray) -> np.ndarray:
    """The competition rank within the group of each member's published global rank."""
    return rank(s.egdi_rank, higher_is_better=False, within=mask)


@pytest.mark.parametrize("year", ds.editions())
def test_every_group_follows_the_published_order(year: int) -> None:
    # Within every region, sub-region and grouping, the rank is the order of the published
    # global ranks (equal published ranks share a rank), for every edition.
    s = ds.load_survey(year)
    for group in GROUPS:
        mask = s.mask(group)
        if not mask.any():
            continue
        assert (
            s.rank("egdi", within=group).tolist() == _members_by_published_rank(s, mask).tolist()
        ), group


def test_a_list_of_countries_follows_the_published_order() -> None:
    s = ds.load_survey(2020)
    ranks = s.rank("egdi", within=["HUN", "HRV", "TLS", "TJK"])
    got = {c: int(ranks[s.locate(c)]) for c in ("HRV", "HUN", "TJK", "TLS")}
    assert got == {"HRV": 1, "HUN": 2, "TJK": 3, "TLS": 4}
    dense = s.rank("egdi", within=["HUN", "HRV"], method="dense")
    assert (int(dense[s.locate("HRV")]), int(dense[s.locate("HUN")])) == (1, 2)


def test_published_ties_are_kept() -> None:
    # 2022 Iceland & Sweden share rank 5 (0.9410) in the published table (methodology A.8.1).
    s = ds.load_survey(2022)
    ranks = s.rank("egdi", within="Northern Europe")
    assert ranks[s.locate("ISL")] == ranks[s.locate("SWE")]


def test_unknown_tie_rule() -> None:
    with pytest.raises(InputError, match="unknown tie rule"):
        ds.load_survey(2020).rank("egdi", ties="unrounded")  # type: ignore[arg-type]
