"""``egovindex backtest`` through the command-line entry point."""

from __future__ import annotations

import json

import pytest

import egovindex as eg
from egovindex.cli import main


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, dict)
    return data


def test_backtest_json_is_the_library_result(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["backtest", "--json", "--full-precision"])
    b = eg.backtest(eg.load_history())
    assert data["model"] == "pooled"
    assert data["rank_error"] == b.rank_error
    assert data["persistence_error"] == b.persistence_error
    assert data["brier_skill"] == b.brier_skill
    origins = data["origins"]
    assert isinstance(origins, list)
    assert [o["origin"] for o in origins] == [2016, 2018, 2020, 2022]
    assert [o["year"] for o in origins] == [2018, 2020, 2022, 2024]


def test_backtest_options(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["backtest", "--model", "linear", "--origins", "2018", "2020", "--gain", "3"]
    data = _json(capsys, [*argv, "--json", "--full-precision"])
    b = eg.backtest(eg.load_history(), model="linear", origins=[2018, 2020], gain=3)
    assert data["rank_error"] == b.rank_error
    assert data["brier"] == b.brier
    assert data["gain"] == 3


def test_backtest_of_a_trend_model_uses_its_k(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        capsys, ["backtest", "--model", "linear", "--k", "1", "--json", "--full-precision"]
    )
    one = eg.backtest(eg.load_history(), model="linear", k=1)
    assert data["k"] == 1
    assert data["rank_error"] == one.rank_error
    assert one.rank_error != eg.backtest(eg.load_history(), model="linear").rank_error
    assert "linear model over the last 1 changes" in one.summary_line()
    # outlook's last line is the backtest of the model it ran, k included
    assert main(["outlook", "VNM", "--target-rank", "50", "--model", "linear", "--k", "1"]) == 0
    assert capsys.readouterr().out.rstrip().splitlines()[-1] == one.summary_line()


def test_backtest_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backtest", "--n", "500"]) == 0
    text = capsys.readouterr().out
    b = eg.backtest(eg.load_history(), n=500)
    assert "backtest of the pooled model" in text
    assert f"rank error {b.rank_error:.3f} vs {b.persistence_error:.3f} persistence" in text
    assert "reliability of P(gain >= 5 places at the next Survey)" in text
    for o in b.origins:
        assert f"  {o.origin}      {o.year}" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["backtest", "--origins", "2024"], "origin 2024 needs editions 2024 and 2026"),
        (["backtest", "--gain", "0"], "gain and n must be at least 1"),
    ],
)
def test_backtest_errors_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("egovindex backtest: error:")
    assert message in err
