"""The embedded tables equal the published data they were copied from, and published facts hold.

The comparison with the source CSV files needs the project's shared data folder
(``../shared/data`` next to the repository, or ``$EGOVINDEX_SHARED_DATA``); those tests
skip, saying why, where it is absent. The SHA-256 checksums of the sources, recorded in
``SHA256SUMS`` beside the embedded tables, are checked everywhere. The published facts
need only the package.
"""

import csv
import hashlib
import os
from importlib.resources import files
from pathlib import Path

import numpy as np
import pytest

import egovindex as eg

SHARED = Path(
    os.environ.get("EGOVINDEX_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)
EMBEDDED = files("egovindex.datasets") / "data"
TABLES = [
    *(f"un_egov_{year}.csv" for year in eg.editions()),
    "un_egov_country_regions.csv",
    "itu_internet_users_pct_latest_2023.csv",
    "itu_fixed_broadband_per_100_latest_2023.csv",
]


def _shared(name: str) -> Path:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared data folder not found: {path} (set EGOVINDEX_SHARED_DATA)")
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", TABLES)
def test_embedded_file_is_a_byte_copy(name: str) -> None:
    assert (EMBEDDED / name).read_bytes() == _shared(name).read_bytes()


def _manifest() -> dict[str, str]:
    # SHA256SUMS beside the tables: `sha256sum` of the shared source files, taken when
    # they were copied, so the copies are checked where the shared folder is absent too.
    text = (EMBEDDED / "SHA256SUMS").read_text(encoding="utf-8")
    return {name: digest for digest, name in (line.split() for line in text.splitlines())}


def test_every_embedded_table_is_in_the_checksum_manifest() -> None:
    assert sorted(_manifest()) == sorted(TABLES)


@pytest.mark.parametrize("name", TABLES)
def test_embedded_file_matches_its_recorded_checksum(name: str) -> None:
    assert hashlib.sha256((EMBEDDED / name).read_bytes()).hexdigest() == _manifest()[name]


# SHA-256 of the shared un_egov_all_editions.csv (2,308 rows), recorded 2026-12-02.
ALL_EDITIONS_SHA256 = "cfb35cad3d3a9c50b8c4b6347daa3d8aee272389c5b70e9c99c6c1ab149b314d"


def test_embedded_editions_stack_to_the_all_editions_file() -> None:
    # The shared stacked file is the 12 edition files under one header, byte for byte.
    parts = [(EMBEDDED / f"un_egov_{y}.csv").read_bytes() for y in eg.editions()]
    header = parts[0].split(b"\n", 1)[0] + b"\n"
    assert all(p.startswith(header) for p in parts)
    stacked = header + b"".join(p[len(header) :] for p in parts)
    assert hashlib.sha256(stacked).hexdigest() == ALL_EDITIONS_SHA256


@pytest.mark.parametrize("year", eg.editions())
def test_loaded_survey_equals_source_csv(year: int) -> None:
    rows = _rows(_shared(f"un_egov_{year}.csv"))
    regions = {r["iso3"]: r for r in _rows(_shared("un_egov_country_regions.csv"))}
    s = eg.load_survey(year)
    assert s.countries == tuple(r["iso3"] for r in rows)
    assert s.names == tuple(r["country"] for r in rows)
    for index in ("egdi", "osi", "tii", "hci", "epi"):
        assert s.index(index).tolist() == [float(r[index]) for r in rows]
    assert s.egdi_rank.tolist() == [int(r["egdi_rank"]) for r in rows]
    if s.epi_rank is None:
        assert all(r["epi_rank"] == "" for r in rows)
    else:
        assert s.epi_rank.tolist() == [int(r["epi_rank"]) for r in rows]
    # Region and sub-region are joined from the lookup; the edition's own region
    # column was filled from the same lookup and must agree.
    assert s.regions == tuple(regions[r["iso3"]]["region"] for r in rows)
    assert s.regions == tuple(r["region"] for r in rows)
    assert s.sub_regions == tuple(regions[r["iso3"]]["sub_region"] for r in rows)


def test_history_equals_stacked_source_file() -> None:
    rows = _rows(_shared("un_egov_all_editions.csv"))
    h = eg.load_history()
    assert len(rows) == sum(len(s) for s in h) == 2308
    for row in rows:
        record = h[int(row["year"])].country(row["iso3"])
        assert (record.egdi, record.egdi_rank) == (float(row["egdi"]), int(row["egdi_rank"]))


# Published facts (need no shared folder).


def test_viet_nam_2020() -> None:
    # UN E-Government Survey 2020 Data Center export; methodology A.9 and C.2
    # (MIC: EGDI 0.6667, 86th of 193; TII 69th, HCI 117th, OSI 81st, EPI 70th).
    s = eg.load_survey(2020)
    vnm = s.country("Viet Nam")
    assert (vnm.egdi, vnm.egdi_rank, vnm.epi_rank) == (0.6667, 86, 70)
    i = s.locate("VNM")
    assert (s.rank("tii")[i], s.rank("hci")[i], s.rank("osi")[i], s.rank("epi")[i]) == (
        69,
        117,
        81,
        70,
    )
    # 6th of 11 in South-eastern Asia, 24th of 47 in Asia (methodology A.9).
    assert s.rank("egdi", within="South-eastern Asia")[i] == 6
    assert s.rank("egdi", within="Asia")[i] == 24
    assert s.rank("egdi", within="ASEAN")[i] == 6


def test_viet_nam_rank_history() -> None:
    # MIC: 99 (2014), 89 (2016), 88 (2018), 86 (2020); 71 in 2024, 5th in SE Asia
    # after Singapore, Thailand, Malaysia, Indonesia (methodology A.9).
    _, ranks = eg.load_history().series("VNM", "egdi_rank")
    by_year = dict(zip(eg.editions(), ranks.tolist(), strict=True))
    assert [by_year[y] for y in (2014, 2016, 2018, 2020, 2024)] == [99, 89, 88, 86, 71]
    s = eg.load_survey(2024)
    sea = s.rank("egdi", within="South-eastern Asia")
    ahead = [c for c, r in zip(s.countries, sea, strict=True) if 0 < r < 5]
    assert sorted(ahead) == ["IDN", "MYS", "SGP", "THA"]
    assert sea[s.locate("VNM")] == 5


def test_2022_iceland_and_sweden_share_rank_5() -> None:
    # methodology A.8.1 / C.3: tie at 0.9410, both published rank 5.
    s = eg.load_survey(2022)
    isl, swe = s.country("Iceland"), s.country("Sweden")
    assert isl.egdi == swe.egdi == 0.9410
    assert isl.egdi_rank == swe.egdi_rank == 5
    assert s.rank("egdi")[s.locate("ISL")] == s.rank("egdi")[s.locate("SWE")] == 5


def test_2020_tie_breaks_published_but_not_recomputed() -> None:
    # methodology A.8.1: Croatia 51 / Hungary 52 at 0.7745 (UN ranked unrounded values).
    s = eg.load_survey(2020)
    assert (s.country("HRV").egdi_rank, s.country("HUN").egdi_rank) == (51, 52)
    assert s.rank("egdi", ties="none")[s.locate("HUN")] == 51
    assert s.rank("egdi")[s.locate("HUN")] == 52  # the published order breaks the tie


@pytest.mark.parametrize("year", eg.editions())
def test_region_counts(year: int) -> None:
    # methodology A.8.2: Africa 54, Americas 35, Asia 47, Europe 43, Oceania 14 (193
    # members); South Sudan (Africa, to 2010) and Montenegro (Europe, to 2005) missing earlier.
    s = eg.load_survey(year)
    counts = {r: len(s.members(r)) for r in ("Africa", "Americas", "Asia", "Europe", "Oceania")}
    expected = {"Africa": 54, "Americas": 35, "Asia": 47, "Europe": 43, "Oceania": 14}
    expected["Africa"] -= year <= 2010
    expected["Europe"] -= year <= 2005
    assert counts == expected
    assert len(s.members("South-eastern Asia")) == 11


def test_row_counts() -> None:
    # SOURCES.md: 191 rows (2003-2005), 192 (2008, 2010), 193 from 2012.
    counts = [len(eg.load_survey(y)) for y in eg.editions()]
    assert counts == [191, 191, 191, 192, 192] + [193] * 7


def test_regional_means_2020() -> None:
    # methodology A.8.3 (MIC via cand.com.vn): unweighted means, world 0.5988,
    # Asia 0.6373, South-eastern Asia 0.6321.
    s = eg.load_survey(2020)
    means = [
        round(float(np.mean(s.egdi[s.mask(g)])), 4) for g in (None, "Asia", "South-eastern Asia")
    ]
    assert means == [0.5988, 0.6373, 0.6321]
