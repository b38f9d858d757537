"""``egovindex gap`` and ``egovindex outlook`` through the command-line entry point."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import egovindex as eg
from egovindex.cli import main

GAP_KEYS = [
    "country",
    "year",
    "within",
    "current_rank",
    "target_rank",
    "rank_gain",
    "egdi",
    "egdi_needed",
    "egdi_gap",
    "component_increase",
]


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, object]:
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert isinstance(out, dict)
    return out


def test_gap_viet_nam_2020_through_the_module() -> None:
    # Methodology A.8.4: Viet Nam 0.6667 (86th) in 2020; rank 78 was South Africa at
    # 0.6891; +0.0224 EGDI, +0.0672 on one component.
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "egovindex",
            "gap",
            "VNM",
            "--year",
            "2020",
            "--target-rank",
            "78",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(out.stdout)
    assert list(data)[:10] == GAP_KEYS
    assert (data["country"], data["year"], data["within"]) == ("VNM", 2020, None)
    assert (data["current_rank"], data["target_rank"], data["rank_gain"]) == (86, 78, 8)
    assert (data["egdi"], data["egdi_needed"]) == (0.6667, 0.6891)
    assert data["egdi_gap"] == pytest.approx(0.0224, abs=1e-12)
    assert set(data["component_increase"]) == {"osi", "tii", "hci"}
    for value in data["component_increase"].values():
        assert value == pytest.approx(0.0672, abs=1e-12)


GAP_ARGS = ["gap", "Viet Nam", "--year", "2022", "--target-rank", "4", "--within", "ASEAN"]
GAP_ARGS += ["--json"]


def test_gap_json_equals_the_api(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        capsys,
        [*GAP_ARGS, "--full-precision"],
    )
    g = eg.gap(eg.load_survey(2022), "VNM", target_rank=4, within="ASEAN")
    assert data == json.loads(json.dumps(g.to_dict()))
    rounded = _json(
        capsys,
        GAP_ARGS,
    )
    assert rounded["egdi_gap"] == round(g.egdi_gap, 6) == 0.0483  # not 0.04830000000000001
    assert data["egdi_needed"] == 0.727
    assert data["within"] == "ASEAN"


def test_gap_infeasible_component_is_null(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["gap", "VNM", "--year", "2024", "--target-rank", "1", "--json"])
    assert data["component_increase"] == {"osi": None, "tii": None, "hci": None}


def test_gap_list_within_and_default_year(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["gap", "VNM", "--target-rank", "1", "--within", "VNM,THA", "--json"])
    assert data["year"] == eg.editions()[-1]
    assert data["within"] == ["VNM", "THA"]
    assert data["egdi_needed"] == eg.load_survey(2024).country("THA").egdi


def test_gap_human_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gap", "VNM", "--year", "2020", "--target-rank", "78"]) == 0
    text = capsys.readouterr().out
    assert "Viet Nam (VNM), 2020 Survey" in text
    assert "86 now, 78 at the EGDI needed (8 places to gain)" in text
    assert "0.6891 needed" in text
    assert "South Africa (ZAF)" in text
    assert "+0.0224 EGDI" in text
    assert "OSI 0.6529  +0.0672 -> 0.7201" in text
    assert "balanced mix (least Euclidean norm): OSI +0.0224, TII +0.0224, HCI +0.0224" in text


def test_gap_group_and_egdi_targets(capsys: pytest.CaptureFixture[str]) -> None:
    group = _json(capsys, ["gap", "VNM", "--year", "2022", "--target-group", "Very High", "--json"])
    assert group["egdi_needed"] == 0.75
    assert group["target_group"] == "Very High"
    assert main(["gap", "VNM", "--year", "2024", "--target-group", "Very High"]) == 0
    assert "already reached" in capsys.readouterr().out
    value = _json(capsys, ["gap", "VNM", "--year", "2024", "--target-egdi", "0.8", "--json"])
    assert value["egdi_needed"] == 0.8


def test_gap_zero_rule_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gap", "LBY", "--year", "2012", "--target-rank", "150"]) == 0
    text = capsys.readouterr().out
    assert "because OSI is 0" in text
    tii = eg.load_survey(2012).country("LBY").tii  # Libya's published 2012 TII
    assert f"TII {tii:.5f}  not feasible (the edition's zero rule holds the EGDI at 0)" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["gap", "Atlantis", "--target-rank", "3"], "Atlantis"),
        (["gap", "VNM", "--target-rank", "0"], "between 1 and 193"),
        (["gap", "VNM", "--target-rank", "3", "--within", "Europe"], "not a member of Europe"),
        (["gap", "VNM", "--target-group", "Top"], "unknown EGDI group"),
        (["gap", "VNM", "--year", "2019", "--target-rank", "3"], "edition"),
        (["outlook", "VNM", "--target-rank", "50", "--by", "2025"], "by must be at least"),
    ],
)
def test_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_gap_needs_exactly_one_target(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gap", "VNM"]) == 2
    assert main(["gap", "VNM", "--target-rank", "3", "--target-egdi", "0.5"]) == 2
    err = capsys.readouterr().err
    assert "not allowed with" in err
    assert len(err.strip().splitlines()) == 2  # one line per usage error, no usage block


def test_outlook_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(
        capsys,
        [
            "outlook",
            "VNM",
            "--target-rank",
            "50",
            "--by",
            "2030",
            "--n",
            "500",
            "--json",
            "--full-precision",
        ],
    )
    h = eg.load_history()
    # the table stops at --by, and the default model is the backtested one
    o = eg.time_to_target(h, "VNM", target_rank=50, horizon=2030, n=500)
    assert data["model"] == "pooled"
    assert data["year_reached"] == o.year_reached
    assert data["projected_rank"] == o.ranks.tolist()
    assert data["rank_intervals"]["80"] == o.rank_quantiles[:, [1, 3]].tolist()
    assert data["horizon"] == 2030
    assert data["years"] == [2026, 2028, 2030]
    p = data["probability"]
    assert isinstance(p, dict)
    expected = eg.probability_of_target(h, "VNM", target_rank=50, by=2030, n=500)
    assert p["probability"] == expected.probability
    assert p["by"] == 2030
    assert p["model"] == "pooled"
    b = eg.backtest(h)
    assert data["backtest"]["rank_skill"] == b.rank_skill
    assert data["backtest"]["origins"] == [2016, 2018, 2020, 2022]


def test_outlook_stops_at_the_year_asked_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["outlook", "VNM", "--target-rank", "50", "--by", "2031", "--json"])
    assert data["years"] == [2026, 2028, 2030]
    assert data["horizon"] == 2031
    assert data["last_survey"] == 2030
    assert main(["outlook", "VNM", "--target-rank", "50", "--by", "2031", "--n", "200"]) == 0
    text = capsys.readouterr().out
    assert "no Survey falls in 2031: the last one by then is 2030" in text
    assert "2032" not in text
    assert main(["outlook", "VNM", "--target-rank", "50", "--by", "2030", "--n", "200"]) == 0
    assert "no Survey falls" not in capsys.readouterr().out


def test_outlook_prints_the_backtest_skill_of_the_model(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for model in ("pooled", "linear"):
        assert main(["outlook", "VNM", "--target-rank", "50", "--model", model, "--n", "200"]) == 0
        last = capsys.readouterr().out.rstrip().splitlines()[-1]
        assert last == eg.backtest(eg.load_history(), model=model).summary_line()  # type: ignore[arg-type]


def test_outlook_human_report(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["outlook", "VNM", "--target-rank", "4", "--within", "ASEAN", "--model", "compound"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "Viet Nam (VNM): target rank 4 among ASEAN" in text
    assert "2024: rank 5, EGDI 0.7709" in text
    assert "trend: compound over the last 3 changes" in text
    o = eg.time_to_target(eg.load_history(), "VNM", target_rank=4, within="ASEAN", model="compound")
    assert f"first Survey with the target: {o.year_reached}" in text
    assert "probability" not in text


def test_outlook_names_the_first_edition_fitted(capsys: pytest.CaptureFixture[str]) -> None:
    # 2003, 2004, 2005, 2008, ..., 2024: eleven changes, not a two-year cycle back from 2024
    argv = ["outlook", "VNM", "--target-rank", "50", "--model", "bootstrap", "--n", "100"]
    assert main([*argv, "--since", "2003"]) == 0
    text = capsys.readouterr().out
    assert "fitted on the 11 edition-to-edition changes since 2003;" in text
    assert main(["outlook", "VNM", "--target-rank", "50", "--model", "persistence"]) == 0
    text = capsys.readouterr().out
    assert "model: persistence, every EGDI stays as published in 2024 (nothing fitted)" in text


def test_outlook_report_never_prints_values_past_the_top_of_the_scale(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["outlook", "VNM", "--target-rank", "50", "--horizon", "2040", "--model", "linear"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    o = eg.time_to_target(eg.load_history(), "VNM", target_rank=50, horizon=2040, model="linear")
    first = o.capped[0]
    assert f"note: from {first} the projection reaches the top of the EGDI scale" in text
    rows = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line[:2] == "20"}
    for year in o.capped:
        assert rows[str(year)] == ["-", "-"]  # no EGDI 1.0000, no "rank 1"
    assert "1.0000" not in text
    argv[5] = str(first - 2)
    assert main(argv) == 0
    assert "note:" not in capsys.readouterr().out
    # the pooled model works in logit space: its draws never reach the top
    pooled = eg.time_to_target(eg.load_history(), "VNM", target_rank=50, horizon=2040)
    assert pooled.capped == ()
    assert pooled.egdi_quantiles.max() < 1.0


def test_outlook_without_by_has_null_probability(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["outlook", "VNM", "--target-rank", "1", "--horizon", "2028", "--json"])
    assert data["probability"] is None
    assert data["years"] == [2026, 2028]
