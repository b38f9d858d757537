"""``egovindex uncertainty`` through its entry point and as a subprocess."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

import egovindex.cli.uncertainty as uncertainty_cli
from egovindex.cli import main
from egovindex.uncertainty.accel import numba_available

pytest.importorskip("egovindex.datasets", reason="the embedded datasets are not available")


def test_table_within_a_sub_region(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["uncertainty", "--year", "2024", "--reps", "200", "--within", "South-eastern Asia"]
    )
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["rank", "iso3", "name"]
    assert any(" VNM " in line for line in lines)
    rows = [ln.split() for ln in lines[1:] if ln.strip()]
    members = [r for r in rows if r[0].isdigit() and len(r[1]) == 3 and r[1].isupper()]
    assert len(members) == 11  # the 11 M49 South-eastern Asia members (methodology A.8.2)
    assert "200 of 200 replications (seed 0)" in out


def test_json_is_reproducible(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["uncertainty", "--year", "2022", "--reps", "200", "--seed", "5", "--json", "--top", "5"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    assert main([*args, "--chunk-size", "64"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert first == second
    # the NumPy tally (the default for short runs) and the compiled one agree exactly
    assert main([*args, "--accelerator", "numpy"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    if numba_available():
        assert main([*args, "--accelerator", "numba", "--workers", "2"]) == 0
        assert json.loads(capsys.readouterr().out) == first
    assert first["replications"] == 200
    assert first["year"] == 2022
    row = first["countries"][0]
    assert row["rank"] == 1
    assert row["rank_p05"] <= row["median_rank"] <= row["rank_p95"]
    assert sum(row["rank_probabilities"].values()) == pytest.approx(1.0)
    assert set(row["level_probabilities"]) == {"Very High", "High", "Middle", "Low"}


def test_fixed_factors_reproduce_the_nominal_ranks(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["uncertainty", "--year", "2020", "--reps", "200", "--json", "--concentration", "inf"]
    assert main([*args, "--noise", "0", "--aggregation", "arithmetic"]) == 0
    rows = json.loads(capsys.readouterr().out)["countries"]
    assert len(rows) == 193
    assert all(r["median_rank"] == r["rank"] == r["rank_p95"] and r["p_rank"] == 1 for r in rows)


def test_failures_are_reported(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["uncertainty", "--year", "2024", "--reps", "200", "--zeros", "fail", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] < 200
    assert data["failures"] == {"geometric mean met a zero at node 'egdi'": 200 - data["valid"]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2001"], "2001"),
        (["--reps", "0"], "replications"),
        (["--within", "Atlantis"], "Atlantis"),
        (["--top", "0"], "--top"),
        (["--concentration", "-1"], "concentration"),
    ],
)
def test_bad_input_exits_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["uncertainty", "--reps", "10", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("egovindex uncertainty: error:")
    assert message in err
    assert err.count("\n") == 1


def _datacenter_file(tmp_path: Path) -> Path:
    """The embedded 2024 edition written as the UN Data Center exports it."""
    from egovindex.datasets._tables import read_table
    from egovindex.datasets.datacenter import HEADER

    path = tmp_path / "EGOV_DATA_2024.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(HEADER.values())
        for row in read_table("un_egov_2024.csv"):
            writer.writerow(["2024", *(row[field] for field in list(HEADER)[1:])])
    return path


def test_out_never_overwrites_the_data_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _datacenter_file(tmp_path)
    args = ["uncertainty", "--data", str(data), "--reps", "20", "--top", "3"]
    assert main([*args, "--json"]) == 0  # the file is a valid input
    capsys.readouterr()
    before = data.read_bytes()

    def no_run(*_: object, **__: object) -> None:
        raise AssertionError("the replications ran before --out was checked")

    monkeypatch.setattr(uncertainty_cli, "monte_carlo", no_run)
    assert main([*args, "--out", str(data)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("egovindex uncertainty: error: --out")
    assert "is the input file" in err
    assert err.count("\n") == 1
    assert data.read_bytes() == before


def test_subprocess_with_progress_bar() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "egovindex",
            "uncertainty",
            "--reps",
            "300",
            "--progress",
            "--top",
            "3",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "300/300" in proc.stderr
    assert proc.stdout.splitlines()[1].split()[0] == "1"
