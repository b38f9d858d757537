"""``egovindex show`` and ``egovindex rank`` through the command-line entry point."""

import json
import subprocess
import sys

import pytest

import egovindex as eg
from egovindex.cli import main

SHOW_KEYS = [
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


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_show_viet_nam_2020_json_through_the_module() -> None:
    # Done-criterion; UN E-Government Survey 2020: Viet Nam EGDI 0.6667, rank 86
    # (methodology A.9, C.2).
    out = subprocess.run(
        [sys.executable, "-m", "egovindex", "show", "VNM", "--year", "2020", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    assert list(data) == SHOW_KEYS
    assert (data["iso3"], data["egdi"], data["egdi_rank"]) == ("VNM", 0.6667, 86)
    assert (data["epi_rank"], data["region"], data["sub_region"]) == (
        70,
        "Asia",
        "South-eastern Asia",
    )


def test_show_accepts_names(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["show", "türkiye", "--year", "2022", "--json"])
    assert isinstance(data, dict)
    assert data["iso3"] == "TUR"
    assert data["epi_rank"] is None


def test_show_history_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["show", "Montenegro", "--json"])
    assert isinstance(data, list)
    assert [d["year"] for d in data] == [y for y in eg.editions() if y >= 2008]
    assert all(list(d) == SHOW_KEYS for d in data)
    assert data[-1]["egdi"] == eg.load_survey(2024).country("MNE").egdi


def test_show_human_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "Montenegro"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Montenegro (MNE), Europe / Southern Europe"
    assert lines[1].split() == ["year", "egdi", "egdi_rank", "osi", "tii", "hci", "epi", "epi_rank"]
    assert lines[-1] == "not assessed in: 2003, 2004, 2005"
    # Values at the edition's published precision: 2020 has 4 decimals, 2024 five.
    row_2020 = next(line for line in lines if line.startswith("2020")).split()
    assert row_2020[1] == f"{eg.load_survey(2020).country('MNE').egdi:.4f}"
    row_2024 = next(line for line in lines if line.startswith("2024")).split()
    assert row_2024[1] == f"{eg.load_survey(2024).country('MNE').egdi:.5f}"


def test_show_one_year_human(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "Viet Nam", "--year", "2020"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # Viet Nam 2020 as published (methodology C.2): EGDI 0.6667, rank 86, OSI 0.6529,
    # TII 0.6694, HCI 0.6779, EPI 0.7024, EPI rank 70.
    assert lines[2].split() == [
        "2020",
        "0.6667",
        "86",
        "0.6529",
        "0.6694",
        "0.6779",
        "0.7024",
        "70",
    ]
    assert len(lines) == 3


def test_rank_within_region_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["rank", "--year", "2020", "--within", "south-eastern asia", "--json"])
    assert isinstance(data, list)
    assert len(data) == 11
    assert list(data[0]) == ["rank", "iso3", "name", "egdi", "year", "egdi_rank"]
    # methodology A.9: Viet Nam 6th of 11 after SGP, MYS, THA, BRN, PHL (2020).
    assert [d["iso3"] for d in data[:6]] == ["SGP", "MYS", "THA", "BRN", "PHL", "VNM"]
    assert [d["rank"] for d in data] == list(range(1, 12))
    assert data[5]["egdi_rank"] == 86


def test_rank_default_is_latest_edition_egdi(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["rank", "--json"])
    assert isinstance(data, list)
    s = eg.load_survey(eg.editions()[-1])
    assert len(data) == len(s)
    assert {d["year"] for d in data} == {s.year}
    ranks = [d["rank"] for d in data]
    assert ranks == sorted(ranks)
    assert [d["egdi"] for d in data] == sorted(s.egdi.tolist(), reverse=True)


def test_rank_top_keeps_ties(capsys: pytest.CaptureFixture[str]) -> None:
    # 2022: Iceland and Sweden share rank 5 (methodology A.8.1), so the top 5 has six rows.
    data = _json(capsys, ["rank", "--year", "2022", "--top", "5", "--json"])
    assert isinstance(data, list)
    assert [d["rank"] for d in data] == [1, 2, 3, 4, 5, 5]
    assert {d["iso3"] for d in data[4:]} == {"ISL", "SWE"}


def test_rank_other_index_and_code_list(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        capsys, ["rank", "--year", "2020", "--index", "EPI", "--within", "VNM, THA,SGP", "--json"]
    )
    assert isinstance(data, list)
    s = eg.load_survey(2020)
    assert [d["iso3"] for d in data] == sorted(
        ["VNM", "THA", "SGP"], key=lambda c: -s.country(c).epi
    )
    assert list(data[0]) == ["rank", "iso3", "name", "epi", "year"]


def test_rank_human_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--year", "2024", "--within", "ASEAN", "--top", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "EGDI 2024, ranked within ASEAN (10 countries)"
    assert lines[1].split() == ["rank", "iso3", "name", "egdi", "egdi_rank"]
    # methodology A.9: 2024 Viet Nam 5th after Singapore, Thailand, Malaysia, Indonesia; 71st.
    assert lines[-1].split() == ["5", "VNM", "Viet", "Nam", "0.77092", "71"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "Atlantis"], "unknown country 'Atlantis'"),
        (["show", "Vietnma", "--year", "2020"], "Viet Nam (VNM)"),
        (["show", "VNM", "--year", "2019"], "2019 was not a UN E-Government Survey edition"),
        (["show", "MNE", "--year", "2003"], "not assessed in the 2003 Survey"),
        (["rank", "--year", "2021"], "editions: 2003"),
        (["rank", "--within", "Asai"], "unknown region 'Asai'"),
        (["rank", "--index", "gdp"], "unknown index 'gdp'"),
        (["rank", "--top", "0"], "--top must be a positive whole number"),
        (["rank", "--within", "VNM,XXX"], "unknown country 'XXX'"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert message in lines[0]
    assert "Traceback" not in captured.err


def test_bad_input_through_the_module_has_no_traceback() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "egovindex", "rank", "--within", "Narnia"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.count("\n") == 1
    assert "unknown region 'Narnia'" in out.stderr
