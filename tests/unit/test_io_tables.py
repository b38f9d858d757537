"""Tables in and out: workbooks, decimal commas, neutralised cells, atomic writes."""

from __future__ import annotations

import csv
import datetime as dt
import os
import sys
from pathlib import Path

import numpy as np
import pytest

from egovindex.cli import main
from egovindex.domestic import example_file, load_framework, read_data, read_tasks
from egovindex.errors import BoundsError, InputError, MissingDependencyError
from egovindex.io import read_raw_csv, synthetic_raw_csv
from egovindex.io.tables import neutralise, parse_number, write_table

openpyxl = pytest.importorskip("openpyxl", reason="the xlsx extra")

DTI = load_framework("vn-dti-province-2022")
DTI_CSV = example_file("dti_province_2022_top5.csv")


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _workbook(path: Path, rows: list[list[object]], sheet: str = "data") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def _as_numbers(rows: list[list[str]]) -> list[list[object]]:
    out: list[list[object]] = [list(rows[0])]
    for row in rows[1:]:
        out.append([row[0], *(float(v) for v in row[1:])])
    return out


# -- neutralised cells --------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_a_spreadsheet_would_run_is_quoted(start: str) -> None:
    assert neutralise(f"{start}1+1") == f"'{start}1+1"
    assert neutralise("Ha Noi") == "Ha Noi"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_written_text_cells_are_neutralised_and_numbers_kept(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out{suffix}"
    rows = [{"entity": '=HYPERLINK("http://x")', "value": -0.5}, {"entity": "@SUM(A1)", "value": 2}]
    write_table(path, rows, ["entity", "value"])
    if suffix == ".csv":
        got = _csv_rows(path)[1:]
        assert got == [['\'=HYPERLINK("http://x")', "-0.5"], ["'@SUM(A1)", "2"]]
    else:
        ws = openpyxl.load_workbook(path).active
        cells = list(ws.iter_rows(min_row=2, values_only=True))
        assert cells == [('\'=HYPERLINK("http://x")', -0.5), ("'@SUM(A1)", 2)]
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


# -- atomic writes ----------------------------------------------------------------------


def test_a_failing_write_leaves_no_file_and_keeps_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.csv"
    path.write_text("previous\n", encoding="utf-8")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(InputError, match=r"cannot write .*No space left on device"):
        write_table(path, [{"a": 1.0}], ["a"])
    assert path.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no temporary left


def test_unwritable_targets_are_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        write_table(tmp_path / "missing" / "out.csv", [], ["a"])
    with pytest.raises(InputError, match="is a folder"):
        write_table(tmp_path, [], ["a"])
    with pytest.raises(InputError, match=r"\.csv or \.xlsx"):
        write_table(tmp_path / "out.txt", [], ["a"])


def test_cli_refuses_to_overwrite_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "dti.csv"
    data.write_bytes(DTI_CSV.read_bytes())
    assert main(["domestic", "vn-dti-province-2022", str(data), "--out", str(data)]) == 2
    assert "is the input file" in capsys.readouterr().err
    assert data.read_bytes() == DTI_CSV.read_bytes()


@pytest.mark.parametrize(
    "argv",
    [
        ["domestic", "vn-dti-province-2022", str(DTI_CSV)],
        ["services", str(example_file("catalogue_example.csv"))],
        ["programme", str(example_file("programme_example.csv")), "--at", "2025-01-01"],
        ["gap", "VNM", "--year", "2022", "--target-rank", "50"],
        ["rank", "--year", "2022", "--top", "5"],
        ["uncertainty", "--year", "2022", "--reps", "50", "--within", "ASEAN"],
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_out_on_every_command(
    argv: list[str], suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"out{suffix}"
    assert main([*argv, "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    if suffix == ".csv":
        rows = _csv_rows(out)
    else:
        rows = [list(r) for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    assert len(rows) >= 2
    assert len(set(map(len, rows))) == 1


def test_domestic_out_reads_back_to_the_same_values(tmp_path: Path) -> None:
    out = tmp_path / "dti.csv"
    assert main(["domestic", "vn-dti-province-2022", str(DTI_CSV), "--out", str(out)]) == 0
    rows = _csv_rows(out)
    header = rows[0]
    assert header[:2] == ["entity", "awareness"]
    assert "rank_digital_government" in header
    result = DTI.score(read_data(DTI_CSV, DTI).panel)
    for want, got in zip(result.rows(), rows[1:], strict=True):
        assert float(got[header.index("total")]) == want["total"]  # full precision


# -- workbooks --------------------------------------------------------------------------


def test_a_workbook_reads_as_the_csv_does(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "dti.xlsx", _as_numbers(_csv_rows(DTI_CSV)))
    from_csv = read_data(DTI_CSV, DTI).panel
    from_xlsx = read_data(book, DTI).panel
    assert from_xlsx.entities == from_csv.entities
    np.testing.assert_array_equal(from_xlsx.values, from_csv.values)


def test_number_cells_of_a_workbook_read_with_decimal_commas(tmp_path: Path) -> None:
    # A workbook's number cells carry no decimal mark; with decimal="," they read as
    # with the default, beside text cells written "0,5".
    rows = _as_numbers(_csv_rows(DTI_CSV))
    rows[1][1] = str(rows[1][1]).replace(".", ",")
    book = _workbook(tmp_path / "dti.xlsx", rows)
    from_csv = read_data(DTI_CSV, DTI).panel
    np.testing.assert_array_equal(read_data(book, DTI, decimal=",").panel.values, from_csv.values)


def test_workbook_errors_name_the_sheet_row_entity_and_column(tmp_path: Path) -> None:
    rows = _as_numbers(_csv_rows(DTI_CSV))
    rows.insert(1, [None] * len(rows[0]))  # a blank row 2: the numbering follows the sheet
    rows[4][3] = 1.7
    book = _workbook(tmp_path / "dti.xlsx", rows)
    with pytest.raises(
        BoundsError, match=r"row 5 \(entity 'Quang Ninh'\), column 'infrastructure'"
    ):
        read_data(book, DTI)


def test_sheet_selection(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.active.append(["nothing here"])
    ws = book.create_sheet("dti")
    for row in _as_numbers(_csv_rows(DTI_CSV)):
        ws.append(row)
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert read_data(path, DTI, sheet="dti").panel.entities[0] == "Da Nang"
    with pytest.raises(InputError, match="no sheet 'DTI'; the workbook has notes, dti"):
        read_data(path, DTI, sheet="DTI")
    with pytest.raises(InputError, match=r"applies to \.xlsx"):
        read_data(DTI_CSV, DTI, sheet="dti")


def test_date_cells_of_a_task_workbook(tmp_path: Path) -> None:
    rows = _csv_rows(example_file("programme_example.csv"))
    header = rows[0]
    cells: list[list[object]] = [header]
    for row in rows[1:]:
        rec = dict(zip(header, row, strict=True))
        for key in ("due", "done_on"):
            if rec.get(key):
                rec[key] = dt.datetime.fromisoformat(rec[key])  # type: ignore[assignment]
        cells.append([rec[h] for h in header])
    book = _workbook(tmp_path / "tasks.xlsx", cells)
    want = read_tasks(example_file("programme_example.csv"))
    got = read_tasks(book)
    assert got.completion_rate == want.completion_rate
    assert got.overdue(dt.date(2025, 1, 1)) == want.overdue(dt.date(2025, 1, 1))


def test_score_reads_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.reader(synthetic_raw_csv().read_text(encoding="utf-8").splitlines()))
    path = _workbook(tmp_path / "raw.xlsx", rows)  # text cells: read as the CSV's text
    panel = read_raw_csv(path, 2022)
    want = read_raw_csv(synthetic_raw_csv(), 2022)
    np.testing.assert_array_equal(panel.values, want.values)
    assert main(["score", str(path), "--edition", "2022", "--sheet", "data", "--json"]) == 0


def test_missing_openpyxl_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _workbook(tmp_path / "dti.xlsx", _as_numbers(_csv_rows(DTI_CSV)))
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingDependencyError, match=r"egovindex\[xlsx\]"):
        read_data(book, DTI)
    with pytest.raises(MissingDependencyError, match=r"egovindex\[xlsx\]"):
        write_table(tmp_path / "out.xlsx", [], ["a"])


# -- decimal commas ---------------------------------------------------------------------


def test_decimal_commas_read_when_asked_and_the_strict_error_names_the_option(
    tmp_path: Path,
) -> None:
    text = DTI_CSV.read_text(encoding="utf-8")
    lines = text.strip().splitlines()
    semicolons = "\n".join(line.replace(",", ";").replace(".", ",") for line in lines) + "\n"
    path = tmp_path / "vn.csv"
    path.write_text(semicolons, encoding="utf-8")
    got = read_data(path, DTI, decimal=",").panel
    np.testing.assert_array_equal(got.values, read_data(DTI_CSV, DTI).panel.values)

    quoted = tmp_path / "quoted.csv"
    quoted.write_text(
        "entity,awareness,institutions,infrastructure,human_resources,cyber_security,"
        'digital_government,digital_economy,digital_society\nHue,"0,95",1,1,1,1,1,1,1\n',
        encoding="utf-8",
    )
    with pytest.raises(
        InputError, match=r"row 2 \(entity 'Hue'\), column 'awareness'.*--decimal ,"
    ):
        read_data(quoted, DTI)
    assert read_data(quoted, DTI, decimal=",").panel.values[0, 0] == 0.95


def test_parse_number_rules() -> None:
    assert parse_number("12,5", "w", "c", decimal=",") == 12.5
    assert parse_number("-3", "w", "c", decimal=",") == -3.0
    assert np.isnan(parse_number(" ", "w", "c"))
    with pytest.raises(InputError, match="decimal mark is ','"):
        parse_number("1.234,5", "w", "c", decimal=",")
    with pytest.raises(InputError, match="decimal=','"):
        parse_number("12,5", "w", "c")
    with pytest.raises(InputError, match=r"is not a number$"):
        parse_number("1,2,3", "w", "c")


def test_cli_decimal_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = DTI_CSV.read_text(encoding="utf-8").strip().splitlines()
    path = tmp_path / "vn.csv"
    path.write_text(
        "\n".join(line.replace(",", ";").replace(".", ",") for line in lines) + "\n",
        encoding="utf-8",
    )
    assert main(["domestic", "vn-dti-province-2022", str(path), "--decimal", ",", "--json"]) == 0
    assert capsys.readouterr().out.count('"entity"') == 5


def test_score_reads_decimal_commas(tmp_path: Path) -> None:
    text = synthetic_raw_csv().read_text(encoding="utf-8")
    path = tmp_path / "raw.csv"
    path.write_text(text.replace(",", ";").replace(".", ","), encoding="utf-8")
    want = read_raw_csv(synthetic_raw_csv(), 2022)
    np.testing.assert_array_equal(read_raw_csv(path, 2022, decimal=",").values, want.values)
    rows = list(csv.reader(text.splitlines()))
    rows[1][2] = rows[1][2].replace(".", ",")  # one decimal comma in a comma-separated file
    quoted = tmp_path / "quoted.csv"
    with quoted.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    with pytest.raises(InputError, match=r"row 2 .*--decimal ,"):
        read_raw_csv(quoted, 2022)
