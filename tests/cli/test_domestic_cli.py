"""``egovindex domestic``, ``egovindex services`` and ``egovindex programme``."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from egovindex.cli import main
from egovindex.domestic import example_file, load_framework, read_catalogue, read_tasks

DTI_CSV = str(example_file("dti_province_2022_top5.csv"))
CATALOGUE = str(example_file("catalogue_example.csv"))
TASKS = str(example_file("programme_example.csv"))

# Published 2022 DTI and ranks of the five rows, https://dti.gov.vn/xep-hang-2022 (B.3.3).
PUBLISHED = {
    "Da Nang": (0.8002, 1),
    "Ho Chi Minh City": (0.7163, 2),
    "Quang Ninh": (0.7024, 3),
    "Thua Thien-Hue": (0.6975, 4),
    "Can Tho": (0.6924, 5),
}


def test_domestic_json_has_entity_total_rank_and_one_key_per_index(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["domestic", "vn-dti-province-2022", DTI_CSV, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    fw = load_framework("vn-dti-province-2022")
    assert [r["entity"] for r in rows] == list(PUBLISHED)
    for r in rows:
        published, rank = PUBLISHED[r["entity"]]
        assert r["total"] == pytest.approx(published, abs=1e-4)
        assert r["rank"] == rank
        assert set(fw.codes) | {"foundation", "activity"} <= set(r)
        assert set(r["ranks"]) == set(fw.codes) | {"foundation", "activity"}


def test_domestic_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["domestic", "vn-dti-province-2022", DTI_CSV]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Digital Transformation Index of provinces")
    assert lines[1].split()[:3] == ["rank", "entity", "awareness"]
    assert lines[1].split()[-1] == "total"
    assert lines[2].split()[:3] == ["1", "Da", "Nang"]
    assert lines[2].split()[-1] == "0.8002"


def test_domestic_points_options_and_weights(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "ict.csv"
    data.write_text(
        "entity,technical_infrastructure,human_resources,it_application,it_industry\n"
        "Da Nang,0.7908,0.7892,0.9655,0.11\n",
        encoding="utf-8",
    )
    assert main(["domestic", "vn-ict-index-province", str(data), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["total"] == pytest.approx(0.8485, abs=5e-5)
    args = ["domestic", "vn-ict-index-province", str(data), "--json"]
    assert main([*args, "--option", "ict_index_total=mean_of_four"]) == 0
    four = (0.7908 + 0.7892 + 0.9655 + 0.11) / 4
    assert json.loads(capsys.readouterr().out)[0]["total"] == pytest.approx(four)
    weights = "technical_infrastructure=2,human_resources=1,it_application=1,it_industry=0"
    assert main([*args, "--weights", weights, "--normalise-weights"]) == 0
    mix = (2 * 0.7908 + 0.7892 + 0.9655) / 4
    assert json.loads(capsys.readouterr().out)[0]["total"] == pytest.approx(mix)


def test_unconfirmed_framework_needs_weights(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fw = load_framework("vn-dti-province-2024")
    data = tmp_path / "v3.csv"
    data.write_text(
        "entity," + ",".join(fw.codes) + "\nA," + ",".join(["0.5"] * 8) + "\n", encoding="utf-8"
    )
    assert main(["domestic", "vn-dti-province-2024", str(data)]) == 2
    err = capsys.readouterr().err
    assert "egovindex domestic: error:" in err
    assert "not known" in err
    assert main(["domestic", "vn-dti-province-2024", str(data), "--equal-weights", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["total"] == pytest.approx(0.5)


def test_domestic_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["domestic", "--list", "--json"]) == 0
    names = [r["name"] for r in json.loads(capsys.readouterr().out)]
    assert "vn-dti-province-2022" in names
    assert "vn-ict-index-province" in names


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["domestic", "vn-dti-provnce-2022", DTI_CSV], "did you mean vn-dti-province-2022"),
        (["domestic", "vn-dti-province-2022", "missing.csv"], "missing.csv"),
        (["domestic", "vn-dti-province-2022"], "give FRAMEWORK and DATA.csv"),
        (
            ["domestic", "vn-dti-province-2022", DTI_CSV, "--input", "points", "--weights", "x"],
            "NAME=VALUE",
        ),
        (["domestic", "vn-ict-index-province", DTI_CSV], "not an indicator"),
    ],
)
def test_domestic_errors_exit_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_bad_value_names_row_entity_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        Path(DTI_CSV).read_text(encoding="utf-8").replace("Quang Ninh,0.9581", "Quang Ninh,1.9581")
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    assert main(["domestic", "vn-dti-province-2022", str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing half-computed
    assert "row 4 (entity 'Quang Ninh'), column 'awareness': value 1.9581" in captured.err


def test_services_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["services", CATALOGUE, "--json", "--target", "share_level4=0.5"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"national", "by_agency", "rank_by", "target"}
    cat = read_catalogue(CATALOGUE)
    national = cat.shares()
    for metric in (
        "share_level3_plus",
        "share_level4",
        "share_full_online",
        "share_with_online_dossiers",
        "online_dossier_rate",
    ):
        assert out["national"][metric] == pytest.approx(national.share(metric))
    ranks = cat.rank_agencies("share_level4")
    assert [a["rank"] for a in out["by_agency"]] == sorted(ranks.values())
    assert {a["agency"]: a["rank"] for a in out["by_agency"]} == ranks
    target = out["target"]
    assert target["needed"] == 3  # 5 of 16 at level 4; 8 of 16 reach 50 %
    assert (target["current"], target["total"]) == (national.level4, national.services)


def test_services_table_by_agency(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["services", CATALOGUE, "--by", "agency", "--rank-by", "online_dossier_rate"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "16 services, 4 agencies"
    assert "agencies ranked by online_dossier_rate" in out
    ranked = out.split("agencies ranked by")[1].splitlines()[2]
    assert ranked.split()[:2] == ["1", "Department"]
    assert "Planning" in ranked


def test_services_bad_level_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        Path(CATALOGUE)
        .read_text(encoding="utf-8")
        .replace(
            "TRN-03,Department of Transport,Road works permit,3",
            "TRN-03,Department of Transport,Road works permit,5",
        )
    )
    bad = tmp_path / "cat.csv"
    bad.write_text(text, encoding="utf-8")
    assert main(["services", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "row 12 (service 'TRN-03'), column 'level': 5 is outside 1-4" in err


def test_programme_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["programme", TASKS, "--at", "2025-01-01", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"completion_rate", "by_agency", "overdue", "agencies_with_none_done"} <= set(out)
    assert out["tasks"] == 73
    assert out["done"] == 31
    assert round(100 * out["completion_rate"]) == 42
    assert len(out["by_agency"]) == 23
    assert len(out["agencies_with_none_done"]) == 6
    programme = read_tasks(TASKS)
    assert [t["task_id"] for t in out["overdue"]] == [
        t.task_id for t in programme.overdue("2025-01-01")
    ]


def test_programme_text_and_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["programme", TASKS, "--at", "2025-01-01"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("73 tasks for 23 agencies: 31 done (42 %)")
    assert main(["programme", TASKS, "--at", "01/01/2025"]) == 2
    assert "not a date" in capsys.readouterr().err


def test_subprocess_python_m_egovindex() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "egovindex", "domestic", "vn-dti-province-2022", DTI_CSV, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["entity"] == "Da Nang"
    bad = subprocess.run(
        [sys.executable, "-m", "egovindex", "services", DTI_CSV],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "missing column" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_negative_digits_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    data = str(example_file("dti_province_2022_top5.csv"))
    assert main(["domestic", "vn-dti-province-2022", data, "--digits", "-1"]) == 2
    assert "decimals must be between 0 and 15" in capsys.readouterr().err


def test_available_rule_leaves_a_missing_indicator_unranked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = example_file("dti_province_2022_top5.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")  # Ho Chi Minh City
    cells[1] = ""  # awareness left empty
    lines[2] = ",".join(cells)
    data = tmp_path / "gap.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["domestic", "vn-dti-province-2022", str(data), "--json"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("egovindex domestic: error: gap.csv: missing values")
    assert "awareness: Ho Chi Minh City" in err
    assert err.rstrip().endswith("(on the command line: --missing available)")
    assert main([*args, "--missing", "available"]) == 0
    rows = {r["entity"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["Ho Chi Minh City"]["awareness"] is None
    assert rows["Ho Chi Minh City"]["ranks"]["awareness"] == 0
    assert sorted(r["ranks"]["awareness"] for r in rows.values()) == [0, 1, 2, 3, 4]
