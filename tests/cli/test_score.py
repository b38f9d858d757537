"""``egovindex score RAW.csv --edition Y [--json | --out FILE.csv]``."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from egovindex.cli import main
from egovindex.io import read_raw_csv, synthetic_raw_csv
from egovindex.methodologies.un import methodology

COLUMNS = ["iso3", "tii", "hci", "osi", "epi", "egdi", "egdi_rank", "group", "rating_class"]


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    path = tmp_path / "raw.csv"
    path.write_text(synthetic_raw_csv().read_text(encoding="utf-8"), encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def expected(path: Path, year: int) -> list[dict[str, object]]:
    return methodology(year).score(read_raw_csv(path, year)).to_rows()


def test_table_on_stdout(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(raw), "--edition", "2022"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == COLUMNS
    assert len(lines) == 194
    vnm = next(r for r in expected(raw, 2022) if r["iso3"] == "VNM")
    row = next(line for line in lines if line.startswith("VNM"))
    assert row.split()[5] == f"{vnm['egdi']:.4f}"


def test_json_is_a_list_of_objects(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(raw), "--edition", "2024", "--json", "--full-precision"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == expected(raw, 2024)
    assert list(rows[0]) == COLUMNS


def test_json_numbers_are_rounded_to_6_decimals_by_default(
    raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", str(raw), "--edition", "2024", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    full = expected(raw, 2024)
    for got, want in zip(rows, full, strict=True):
        for key in ("tii", "hci", "osi", "epi", "egdi"):
            assert got[key] == round(want[key], 6)  # type: ignore[call-overload]
        assert got["egdi_rank"] == want["egdi_rank"]


def test_out_writes_a_csv_that_reads_back_exactly(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "scores.csv"
    assert main(["score", str(raw), "--edition", "2022", "--out", str(out)]) == 0
    assert "wrote 193 countries" in capsys.readouterr().err
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == COLUMNS
    for got, want in zip(rows, expected(raw, 2022), strict=True):
        assert got["iso3"] == want["iso3"]
        assert float(got["egdi"]) == want["egdi"]  # full precision, no rounding
        assert int(got["egdi_rank"]) == want["egdi_rank"]
        assert got["rating_class"] == want["rating_class"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw.csv", "scores.csv"]


def test_editions_before_2020_have_no_rating_class(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "s.csv"
    assert main(["score", str(raw), "--edition", "2018", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["rating_class"] for r in rows} == {""}
    assert main(["score", str(raw), "--edition", "2016", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["rating_class"] is None


def test_bad_file_exits_2_naming_row_country_column_and_writes_nothing(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = raw.read_text(encoding="utf-8").splitlines()[5]  # row 6: the 5th country
    cells = line.split(",")
    iso3, cells[1] = cells[0], "abc"
    edit(raw, line, ",".join(cells))
    out = tmp_path / "scores.csv"
    assert main(["score", str(raw), "--edition", "2022", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("egovindex score: error: raw.csv, row 6 ")
    assert f"({iso3}), column 'internet_users_pct': 'abc' is not a number" in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw.csv"]


def test_failure_leaves_an_existing_output_untouched(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "scores.csv"
    out.write_text("previous results\n", encoding="utf-8")
    text = raw.read_text(encoding="utf-8")
    vnm = next(r for r in text.splitlines() if r.startswith("VNM,"))
    raw.write_text(text + vnm + "\n", encoding="utf-8")  # duplicate row 195
    assert main(["score", str(raw), "--edition", "2022", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "row 195, column 'iso3': ISO3 code 'VNM' already appears in row" in err
    assert out.read_text(encoding="utf-8") == "previous results\n"


def test_file_that_is_not_utf8_exits_2(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw.write_bytes(b"iso3,osi_points\n\xff\xfeVNM,1\n")
    assert main(["score", str(raw), "--edition", "2022"]) == 2
    err = capsys.readouterr().err
    assert err == "egovindex score: error: raw.csv: not UTF-8 text (invalid start byte)\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "raw.csv is empty"),
        ("iso3,osi_points\n", "the 2022 edition needs columns the file lacks: internet_users_pct"),
        (None, "raw.csv has a header but no data rows"),
    ],
)
def test_empty_or_incomplete_files(
    raw: Path, content: str | None, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if content is None:
        content = raw.read_text(encoding="utf-8").splitlines()[0] + "\n"
    raw.write_text(content, encoding="utf-8")
    assert main(["score", str(raw), "--edition", "2022"]) == 2
    assert message in capsys.readouterr().err


def test_unknown_code_and_out_of_bounds(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(raw, "\nVNM,", "\nVMN,")
    assert main(["score", str(raw), "--edition", "2022"]) == 2
    assert "unknown ISO3 code 'VMN'; did you mean Viet Nam (VNM)" in capsys.readouterr().err
    edit(raw, "\nVMN,", "\nVNM,")
    line = next(r for r in raw.read_text(encoding="utf-8").splitlines() if r.startswith("VNM,"))
    cells = line.split(",")
    cells[1] = "140"  # internet users above 100 %
    edit(raw, line, ",".join(cells))
    assert main(["score", str(raw), "--edition", "2022"]) == 2
    err = capsys.readouterr().err
    assert "(VNM), column 'internet_users_pct': value 140 is outside [0, 100]" in err


def test_missing_rule_option(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = next(r for r in raw.read_text(encoding="utf-8").splitlines() if r.startswith("VNM,"))
    cells = line.split(",")
    cells[2] = ""
    edit(raw, line, ",".join(cells))
    assert main(["score", str(raw), "--edition", "2022"]) == 2
    assert "(VNM), column 'mobile_subscriptions_per100': empty cell" in capsys.readouterr().err
    assert main(["score", str(raw), "--edition", "2022", "--missing", "exclude", "--json"]) == 0
    captured = capsys.readouterr()
    assert "not scored (missing values): VNM" in captured.err
    assert len(json.loads(captured.out)) == 192


def test_unknown_edition_and_missing_file(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(raw), "--edition", "2021"]) == 2
    assert "2021 was not a UN E-Government Survey edition" in capsys.readouterr().err
    assert main(["score", str(raw.with_name("absent.csv")), "--edition", "2022"]) == 2
    assert "absent.csv" in capsys.readouterr().err


def test_json_and_out_are_exclusive(raw: Path, tmp_path: Path) -> None:
    argv = ["score", str(raw), "--edition", "2022", "--json", "--out", str(tmp_path / "x.csv")]
    assert main(argv) == 2


FULL = ["--json", "--full-precision"]


def test_module_entry_point(raw: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "egovindex", "score", str(raw), "--edition", "2022", *FULL],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows == expected(raw, 2022)
    bad = subprocess.run(
        [sys.executable, "-m", "egovindex", "score", str(raw), "--edition", "2008"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "the 2008 edition needs columns the file lacks: tii_published" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_unwritable_out_and_bad_digits_are_usage_errors(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", str(raw), "--edition", "2022", "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    missing = tmp_path / "absent" / "x.csv"
    assert main(["score", str(raw), "--edition", "2022", "--out", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw.csv"]
    for bad in ("-3", "x", "99"):
        assert main(["score", str(raw), "--edition", "2022", "--digits", bad]) == 2
        assert "--digits" in capsys.readouterr().err


def test_osi_input_option(raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # From 2022 the published OSI is the default input (methodology A.4.3); --osi-input raw
    # reads the point total instead, and a file without osi_published then still scores.
    text = raw.read_text(encoding="utf-8").splitlines()
    drop = text[0].split(",").index("osi_published")
    points_only = tmp_path / "points.csv"
    points_only.write_text(
        "\n".join(",".join(c for j, c in enumerate(line.split(",")) if j != drop) for line in text)
        + "\n",
        encoding="utf-8",
    )
    assert main(["score", str(points_only), "--edition", "2022", "--json"]) == 2
    assert "osi_published" in capsys.readouterr().err
    args = [
        "score",
        str(points_only),
        "--edition",
        "2022",
        "--json",
        "--osi-input",
        "raw",
        "--full-precision",
    ]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)
    m = methodology(2022, osi_input="raw")
    assert rows == m.score(read_raw_csv(points_only, m)).to_rows()
