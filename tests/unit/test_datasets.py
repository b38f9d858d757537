"""The embedded Survey tables: loading, lookups, groups, ranks and history."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import egovindex as eg
from egovindex.datasets import INDICES, REGIONS, SUB_REGIONS, History
from egovindex.datasets.history import SERIES
from egovindex.datasets.regions import group_mask, resolve_group, valid_groups
from egovindex.errors import (
    InputError,
    UnknownCountryError,
    UnknownEditionError,
    UnknownIndexError,
    UnknownRegionError,
)
from egovindex.methodologies.un.formula import EDITIONS

YEARS = eg.editions()
GROUPS = valid_groups()


def test_editions_are_the_survey_years() -> None:
    # The Survey is biennial since 2008 after 2003, 2004, 2005 (SOURCES.md).
    assert YEARS == (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)
    assert YEARS == EDITIONS


def test_load_is_cached_and_read_only() -> None:
    s = eg.load_survey(2020)
    assert eg.load_survey(2020) is s
    for name in INDICES:
        arr = s.index(name)
        assert arr.dtype == np.float64
        assert not arr.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 1.0
    assert s.egdi_rank.dtype == np.int64
    assert not s.egdi_rank.flags.writeable
    assert s.epi_rank is not None
    assert not s.epi_rank.flags.writeable
    with pytest.raises(TypeError):
        s.decimals["egdi"] = 9  # type: ignore[index]


@pytest.mark.parametrize("year", YEARS)
def test_every_edition_is_consistent(year: int) -> None:
    s = eg.load_survey(year)
    n = len(s)
    assert s.year == year
    assert len(set(s.countries)) == n
    for column in (s.names, s.regions, s.sub_regions, s.egdi_rank, *(s.index(i) for i in INDICES)):
        assert len(column) == n
    assert set(s.regions) <= set(REGIONS)
    for region, sub in zip(s.regions, s.sub_regions, strict=True):
        assert sub in SUB_REGIONS[region]
    # Only the 2020 edition published an EPI rank (SOURCES.md).
    assert (s.epi_rank is not None) == (year == 2020)
    assert set(s.decimals) == set(INDICES)


def test_decimals_follow_the_published_strings() -> None:
    # SOURCES.md "Checks per edition": 2018-2022 carry 4 decimals, 2016 carries 5,
    # 2003 HCI 2 (but Micronesia's 1.422 has 3), 2008 EGDI 4.
    assert dict(eg.load_survey(2020).decimals) == dict.fromkeys(INDICES, 4)
    assert dict(eg.load_survey(2016).decimals) == dict.fromkeys(INDICES, 5)
    assert eg.load_survey(2003).decimals["hci"] == 3
    assert eg.load_survey(2008).decimals["egdi"] == 4
    assert eg.load_survey(2024).decimals["epi"] == 4


def test_country_record() -> None:
    r = eg.load_survey(2024).country("viet nam")
    assert isinstance(r, eg.CountryRecord)
    assert list(r.to_dict()) == [
        "year",
        "iso3",
        "name",
        "egdi",
        "egdi_rank",
        "osi",
        "tii",
        "hci",
        "epi",
        "epi_rank",
        "region",
        "sub_region",
    ]
    assert (r.iso3, r.region, r.sub_region, r.epi_rank) == (
        "VNM",
        "Asia",
        "South-eastern Asia",
        None,
    )


def test_country_not_assessed_in_an_edition() -> None:
    # Montenegro was not assessed 2003-2005 (SOURCES.md, "Rows dropped").
    with pytest.raises(UnknownCountryError, match=r"Montenegro \(MNE\).*2003"):
        eg.load_survey(2003).country("Montenegro")
    with pytest.raises(UnknownCountryError, match="South Sudan"):
        eg.load_survey(2010).mask(["SSD", "VNM"])


@pytest.mark.parametrize("year", [2019, 2001, 2026, 0, -5])
def test_unknown_edition_lists_editions(year: int) -> None:
    with pytest.raises(UnknownEditionError, match=r"2003, 2004, 2005, 2008.*2024") as info:
        eg.load_survey(year)
    assert str(year) in str(info.value)


def test_unknown_edition_of_wrong_type() -> None:
    with pytest.raises(UnknownEditionError, match="'2020'"):
        eg.load_survey("2020")  # type: ignore[arg-type]
    with pytest.raises(UnknownEditionError, match="nearest: 2018, 2020"):
        eg.load_survey(2019)


def test_unknown_index() -> None:
    s = eg.load_survey(2022)
    with pytest.raises(UnknownIndexError, match=r"did you mean egdi.*egdi, osi, tii, hci, epi"):
        s.index("egdx")
    with pytest.raises(UnknownIndexError, match="'gdp'"):
        s.rank("gdp")
    assert s.index("EGDI") is s.egdi


def test_unknown_region_lists_valid_ones_nearest_first() -> None:
    s = eg.load_survey(2022)
    with pytest.raises(UnknownRegionError) as info:
        s.rank("egdi", within="Asai")
    message = str(info.value)
    listed = message.split(": ", 1)[1].split(", ")
    assert listed[0] == "Asia"
    assert sorted(listed) == sorted(GROUPS)


@given(st.sampled_from(GROUPS), st.lists(st.booleans(), max_size=30))
def test_group_names_are_case_insensitive(group: str, flips: list[bool]) -> None:
    typed = "".join(
        c.swapcase() if f else c for c, f in zip(group, flips + [False] * len(group), strict=False)
    )
    assert resolve_group(typed) == group


def test_group_aliases_and_errors() -> None:
    assert resolve_group("south eastern asia") == "South-eastern Asia"
    assert resolve_group("Southeast Asia") == "South-eastern Asia"
    with pytest.raises(InputError, match="empty"):
        eg.load_survey(2022).mask([])


@pytest.mark.parametrize("year", YEARS)
def test_asean_is_south_eastern_asia_minus_timor_leste(year: int) -> None:
    # methodology A.8.2
    s = eg.load_survey(year)
    sea = set(s.members("South-eastern Asia"))
    assert set(s.members("ASEAN")) == sea - {"TLS"}
    assert len(s.members("ASEAN")) == 10
    assert s.members("World") == s.countries == s.members(None)


def test_group_mask_partitions_the_world() -> None:
    s = eg.load_survey(2024)
    by_region = sum(
        group_mask(r, s.countries, s.regions, s.sub_regions).astype(int) for r in REGIONS
    )
    subs = [sub for r in REGIONS for sub in SUB_REGIONS[r]]
    by_sub = sum(s.mask(sub).astype(int) for sub in subs)
    assert np.all(by_region == 1)
    assert np.all(by_sub == 1)


def test_members_follow_published_order() -> None:
    s = eg.load_survey(2020)
    members = s.members("South-eastern Asia")
    positions = [s.countries.index(c) for c in members]
    assert positions == sorted(positions)
    assert s.members(["Viet Nam", "SGP"]) == ("SGP", "VNM")


@given(
    st.sampled_from(YEARS),
    st.sampled_from(INDICES),
    st.sampled_from([*GROUPS, None]),
)
def test_rank_within_group_equals_ranking_members_alone(
    year: int, index: str, group: str | None
) -> None:
    s = eg.load_survey(year)
    ranks = s.rank(index, within=group, ties="none")
    mask = s.mask(group)
    values = s.index(index)[mask]
    # Independent competition rank: 1 + number of members with a strictly higher value.
    expected = 1 + (values[None, :] > values[:, None]).sum(axis=1)
    assert ranks[mask].tolist() == expected.tolist()
    assert np.all(ranks[~mask] == 0)
    # By default a tie is broken where the published global rank breaks it: 1 + number of
    # members higher in value, or equal in value and published ahead.
    published = {"egdi": s.egdi_rank, "epi": s.epi_rank}.get(index)
    if published is not None:
        p = published[mask]
        ahead = (values[None, :] > values[:, None]) | (
            (values[None, :] == values[:, None]) & (p[None, :] < p[:, None])
        )
        expected = 1 + ahead.sum(axis=1)
    assert s.rank(index, within=group)[mask].tolist() == expected.tolist()


@given(st.sampled_from(YEARS), st.data())
def test_rank_within_a_list_of_codes(year: int, data: st.DataObject) -> None:
    s = eg.load_survey(year)
    chosen = data.draw(st.lists(st.sampled_from(s.countries), min_size=1, max_size=25, unique=True))
    # On the values alone (ties="none"); the published tie-breaks are tested above.
    ranks = s.rank("egdi", within=chosen, ties="none")
    sub = s.egdi[s.mask(chosen)]
    dense_order = sorted(set(sub.tolist()), reverse=True)
    dense = s.rank("egdi", within=chosen, method="dense", ties="none")
    for code in chosen:
        i = s.countries.index(code)
        assert ranks[i] == 1 + int((sub > s.egdi[i]).sum())
        assert dense[i] == 1 + dense_order.index(s.egdi[i])
    assert int((ranks > 0).sum()) == len(chosen)
    assert sorted(s.rank("egdi", within=chosen, method="ordinal")[ranks > 0].tolist()) == list(
        range(1, len(chosen) + 1)
    )


@pytest.mark.parametrize("year", YEARS)
def test_recomputed_egdi_rank_equals_published_except_2020_tie_breaks(year: int) -> None:
    s = eg.load_survey(year)
    on_values = s.rank("egdi", ties="none")
    differ = [c for c, a, b in zip(s.countries, on_values, s.egdi_rank, strict=True) if a != b]
    # SOURCES.md: the UN separated four 2020 pairs on unrounded values; the second of
    # each pair is published one place lower than its competition rank on the values.
    expected = {"HUN", "MKD", "AND", "TLS"} if year == 2020 else set()
    assert set(differ) == expected
    # By default the published order breaks those ties.
    assert s.rank("egdi").tolist() == s.egdi_rank.tolist()


def test_history_holds_every_edition() -> None:
    h = eg.load_history()
    assert isinstance(h, History)
    assert eg.load_history() is h
    assert h.editions == YEARS
    assert [s.year for s in h] == list(YEARS)
    assert h[2020] is eg.load_survey(2020)
    assert len(h.countries) == 193
    with pytest.raises(UnknownEditionError, match="2024"):
        h.survey(2021)


def test_history_series_matches_each_edition() -> None:
    h = eg.load_history()
    years, values = h.series("Viet Nam", "egdi")
    assert years.tolist() == list(YEARS)
    assert values.tolist() == [eg.load_survey(y).country("VNM").egdi for y in YEARS]
    assert not values.flags.writeable
    _, ranks = h.series("vnm", "EGDI_RANK")
    assert ranks.tolist() == [eg.load_survey(y).country("VNM").egdi_rank for y in YEARS]
    _, epi_ranks = h.series("VNM", "epi_rank")
    assert [y for y, r in zip(YEARS, epi_ranks, strict=True) if not math.isnan(r)] == [2020]


def test_history_series_nan_where_not_assessed() -> None:
    # Montenegro 2003-2005 and South Sudan 2003-2010 were not assessed (SOURCES.md).
    h = eg.load_history()
    years, mne = h.series("MNE", "osi")
    assert years[np.isnan(mne)].tolist() == [2003, 2004, 2005]
    _, ssd = h.series("South Sudan", "egdi")
    assert years[np.isnan(ssd)].tolist() == [2003, 2004, 2005, 2008, 2010]


def test_history_matrix() -> None:
    h = eg.load_history()
    for index in SERIES:
        m = h.matrix(index)
        assert m.shape == (len(YEARS), 193)
        assert not m.flags.writeable
    m = h.matrix("hci")
    j = h.countries.index("VNM")
    assert m[YEARS.index(2003), j] == eg.load_survey(2003).country("VNM").hci
    assert int(np.isnan(m).sum()) == 3 + 5  # MNE three editions, SSD five
    with pytest.raises(UnknownIndexError, match="egdi_rank"):
        h.matrix("rank")
    with pytest.raises(UnknownCountryError):
        h.series("Atlantis", "egdi")


def test_history_rejects_unordered_editions() -> None:
    with pytest.raises(InputError, match="increasing"):
        History(surveys=(eg.load_survey(2022), eg.load_survey(2020)))
    with pytest.raises(InputError, match="increasing"):
        History(surveys=())


def test_survey_rejects_misaligned_columns() -> None:
    s = eg.load_survey(2022)
    with pytest.raises(InputError, match="egdi has 2 entries for 193"):
        eg.Survey(
            year=s.year,
            countries=s.countries,
            names=s.names,
            regions=s.regions,
            sub_regions=s.sub_regions,
            egdi=[0.1, 0.2],
            osi=s.osi,
            tii=s.tii,
            hci=s.hci,
            epi=s.epi,
            egdi_rank=s.egdi_rank,
            epi_rank=None,
            decimals=s.decimals,
        )


def test_regions_of_aligns_with_the_survey_and_rejects_unknown_codes() -> None:
    from egovindex.datasets import regions_of
    from egovindex.errors import UnknownCountryError

    s = eg.load_survey(2024)
    regions, subs = regions_of(s.countries)
    assert regions == tuple(s.regions)
    assert subs == tuple(s.sub_regions)
    with pytest.raises(UnknownCountryError, match="'XKX'"):
        regions_of(["VNM", "XKX"])
