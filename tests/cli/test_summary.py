"""``egovindex summary``: regional averages and level-group counts of a Survey edition."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from egovindex.cli import main
from egovindex.datasets import editions


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    assert main(["summary", *argv, "--json"]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def by_name(payload: dict[str, object]) -> dict[str, dict[str, object]]:
    rows = payload["rows"]
    assert isinstance(rows, list)
    return {str(r["name"]): r for r in rows}


def test_json_2020_regions(capsys: pytest.CaptureFixture[str]) -> None:
    payload = run_json(capsys, "--year", "2020")
    assert payload["year"] == 2020
    assert payload["by"] == "region"
    rows = by_name(payload)
    assert list(rows) == ["World", "Africa", "Americas", "Asia", "Europe", "Oceania"]
    # MIC's 2020 figures (cand.com.vn; methodology A.8.3): world 0.5988, Asia 0.6373.
    assert round(float(rows["World"]["egdi"]), 4) == 0.5988  # type: ignore[arg-type]
    assert round(float(rows["Asia"]["egdi"]), 4) == 0.6373  # type: ignore[arg-type]
    assert rows["Asia"]["n"] == 47
    assert set(rows["World"]) == {"name", "n", "egdi", "osi", "tii", "hci", "epi"}
    # 2024 Survey Figure 2.2 / methodology A.7.1: 57 / 69 / 59 / 8 in 2020.
    assert payload["group_counts"] == {"Very High": 57, "High": 69, "Middle": 59, "Low": 8}


def test_json_by_sub_region(capsys: pytest.CaptureFixture[str]) -> None:
    rows = by_name(run_json(capsys, "--year", "2020", "--by", "sub_region"))
    assert len(rows) == 23  # the world and 22 M49 sub-regions (methodology A.8.2)
    # cand.com.vn (methodology A.8.3): South-eastern Asia 0.6321 in 2020.
    assert round(float(rows["South-eastern Asia"]["egdi"]), 4) == 0.6321  # type: ignore[arg-type]
    assert rows["South-eastern Asia"]["n"] == 11


def test_default_year_is_the_latest(capsys: pytest.CaptureFixture[str]) -> None:
    payload = run_json(capsys)
    assert payload["year"] == max(editions())


def test_boundary_option(capsys: pytest.CaptureFixture[str]) -> None:
    # Cameroon 2005 (EGDI 0.25000) moves from Middle to Low (methodology A.7.1).
    lower = run_json(capsys, "--year", "2005")
    upper = run_json(capsys, "--year", "2005", "--boundary", "upper_inclusive")
    assert lower["group_counts"] == {"Very High": 17, "High": 42, "Middle": 86, "Low": 46}
    assert upper["group_counts"] == {"Very High": 17, "High": 42, "Middle": 85, "Low": 47}
    assert upper["boundary"] == "upper_inclusive"


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--year", "2020"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "UN E-Government Survey 2020: simple means by region"
    assert lines[1].split() == ["name", "n", "egdi", "osi", "tii", "hci", "epi"]
    assert lines[2].split()[:3] == ["World", "193", "0.5988"]
    assert "Very High 57, High 69, Middle 59, Low 8" in out


def test_unknown_year_exits_2_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--year", "2019"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("egovindex summary: error: 2019 was not a UN E-Government Survey")
    assert "2018" in err
    assert "2020" in err


def test_bad_level_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--by", "continent"]) == 2
    assert "invalid choice: 'continent'" in capsys.readouterr().err


def test_through_the_interpreter() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "egovindex", "summary", "--year", "2022", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    # methodology A.7.1 / 2024 Survey Figure 2.2: 60 / 73 / 53 / 7 in 2022.
    assert payload["group_counts"] == {"Very High": 60, "High": 73, "Middle": 53, "Low": 7}
