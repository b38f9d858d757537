"""Reading raw-indicator CSV files: columns per edition, errors naming row, country, column."""

import io
from pathlib import Path

import numpy as np
import pytest

from egovindex.errors import (
    BoundsError,
    DuplicateEntityError,
    InputError,
    MissingDataError,
    NonFiniteError,
    UnknownCountryError,
)
from egovindex.io import read_raw_csv, synthetic_raw_csv, un_member_codes
from egovindex.methodologies.un import methodology

# The 2022 edition reading the OSI from the questionnaire points, the option these files
# exercise (the default 2022 OSI input is the published OSI, methodology A.4.3).
POINTS_2022 = methodology(2022, osi_input="raw")

COLUMNS_2022 = (
    "internet_users_pct",
    "mobile_subscriptions_per100",
    "mobile_broadband_per100",
    "fixed_broadband_per100",
    "adult_literacy_pct",
    "gross_enrolment_ratio_pct",
    "expected_years_schooling",
    "mean_years_schooling",
    "osi_points",
    "epi_points",
)
ROWS = {
    "VNM": ("78.1", "130.5", "90.2", "21.7", "95.8", "80.0", "13.0", "8.5", "90", "20"),
    "THA": ("88.0", "170.0", "100.0", "20.0", "94.0", "85.0", "15.0", "8.7", "95", "22"),
    "DNK": ("98.0", "125.0", "140.0", "45.0", "99.0", "110.0", "19.0", "12.9", "130", "28"),
}


def write(tmp_path: Path, text: str, name: str = "raw.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def csv_text(
    rows: dict[str, tuple[str, ...]] = ROWS, columns: tuple[str, ...] = COLUMNS_2022
) -> str:
    lines = [",".join(("iso3", *columns))]
    lines += [",".join((k, *v)) for k, v in rows.items()]
    return "\n".join(lines) + "\n"


def with_cell(code: str, column: str, value: str) -> dict[str, tuple[str, ...]]:
    rows = dict(ROWS)
    cells = list(rows[code])
    cells[COLUMNS_2022.index(column)] = value
    rows[code] = tuple(cells)
    return rows


def test_reads_the_edition_columns_in_order(tmp_path: Path) -> None:
    text = csv_text().replace("iso3,", "iso3,country,", 1)
    text = text.replace("VNM,", "VNM,Viet Nam,").replace("THA,", "THA,Thailand,")
    text = text.replace("DNK,", "DNK,Denmark,")
    panel = read_raw_csv(write(tmp_path, text), POINTS_2022)
    assert panel.entities == ("VNM", "THA", "DNK")
    assert panel.codes == POINTS_2022.columns
    assert panel.column("internet_users_pct").tolist() == [78.1, 88.0, 98.0]
    assert panel.indicator("internet_users_pct").unit == "percent"


def test_columns_in_any_order_and_unneeded_columns_are_ignored(tmp_path: Path) -> None:
    cols = (*reversed(COLUMNS_2022), "pcs_per100")
    rows = {k: (*reversed(v), "10") for k, v in ROWS.items()}
    panel = read_raw_csv(write(tmp_path, csv_text(rows, cols)), POINTS_2022)
    assert panel.codes == POINTS_2022.columns
    assert panel.column("epi_points").tolist() == [20.0, 22.0, 28.0]


def test_missing_columns_are_all_named_with_close_names(tmp_path: Path) -> None:
    cols = tuple(
        "mean_year_schooling" if c == "mean_years_schooling" else c
        for c in COLUMNS_2022
        if c != "osi_points"
    )
    rows = {
        k: tuple(x for i, x in enumerate(v) if COLUMNS_2022[i] != "osi_points")
        for k, v in ROWS.items()
    }
    with pytest.raises(MissingDataError) as err:
        read_raw_csv(write(tmp_path, csv_text(rows, cols)), POINTS_2022)
    msg = str(err.value)
    assert (
        "raw.csv: the 2022 edition needs columns the file lacks: mean_years_schooling, osi_points"
        in msg
    )
    assert "'mean_years_schooling' (found 'mean_year_schooling')" in msg


def test_older_editions_need_other_columns(tmp_path: Path) -> None:
    with pytest.raises(
        MissingDataError,
        match=r"lacks: tii_published, hci_published, osi_published; the 2008 TII is taken",
    ):
        read_raw_csv(write(tmp_path, csv_text()), 2008)
    m = methodology(2018, tii_2018_broadband="active_mobile")
    with pytest.raises(MissingDataError, match=r"2018 edition needs.*fixed_telephone_per100"):
        read_raw_csv(write(tmp_path, csv_text()), m)


def test_duplicate_code_names_both_rows(tmp_path: Path) -> None:
    text = csv_text() + "VNM," + ",".join(ROWS["VNM"]) + "\n"
    with pytest.raises(
        DuplicateEntityError,
        match=r"row 5, column 'iso3': ISO3 code 'VNM' already appears in row 2",
    ):
        read_raw_csv(write(tmp_path, text), POINTS_2022)


def test_unknown_code_is_named_with_suggestion(tmp_path: Path) -> None:
    rows = dict(ROWS)
    rows["VMN"] = rows.pop("VNM")
    with pytest.raises(
        UnknownCountryError,
        match=r"raw.csv, row 4, column 'iso3': unknown ISO3 code 'VMN'; did you mean",
    ):
        read_raw_csv(write(tmp_path, csv_text(rows)), POINTS_2022)


def test_custom_country_list_and_no_check(tmp_path: Path) -> None:
    rows = dict(ROWS)
    rows["XKX"] = rows.pop("VNM")  # Kosovo: not a UN member
    path = write(tmp_path, csv_text(rows))
    with pytest.raises(UnknownCountryError):
        read_raw_csv(path, POINTS_2022)
    assert "XKX" in read_raw_csv(path, POINTS_2022, countries=["XKX", "THA", "DNK"]).entities
    # the list is compared as the file's codes are read: stripped and upper-cased
    assert "XKX" in read_raw_csv(path, POINTS_2022, countries=[" xkx", "tha", "dnk"]).entities
    assert "XKX" in read_raw_csv(path, POINTS_2022, check_countries=False).entities


def test_lower_case_codes_are_normalised(tmp_path: Path) -> None:
    rows = {k.lower(): v for k, v in ROWS.items()}
    assert read_raw_csv(write(tmp_path, csv_text(rows)), POINTS_2022).entities == (
        "VNM",
        "THA",
        "DNK",
    )


def test_empty_cell_is_an_error_or_a_missing_value(tmp_path: Path) -> None:
    path = write(tmp_path, csv_text(with_cell("THA", "adult_literacy_pct", " ")))
    with pytest.raises(
        MissingDataError, match=r"row 3 \(THA\), column 'adult_literacy_pct': empty cell"
    ):
        read_raw_csv(path, POINTS_2022)
    panel = read_raw_csv(path, POINTS_2022, missing="keep")
    assert np.isnan(panel.column("adult_literacy_pct")[1])
    with pytest.raises(InputError, match=r"unknown empty-cell rule"):
        read_raw_csv(path, POINTS_2022, missing="zero")  # type: ignore[arg-type]


def test_empty_iso3_cell(tmp_path: Path) -> None:
    text = csv_text() + "," + ",".join(ROWS["VNM"]) + "\n"
    with pytest.raises(InputError, match=r"row 5, column 'iso3': the ISO3 code is empty"):
        read_raw_csv(write(tmp_path, text), POINTS_2022)


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("abc", InputError, r"'abc' is not a number$"),
        ("nan", InputError, r"'nan' is not a number \(leave the cell empty"),
        ("inf", NonFiniteError, r"'inf' is not finite"),
        ("-3", BoundsError, r"value -3 is outside \[0, inf\] \(per_100\)"),
    ],
)
def test_bad_cells_name_row_country_and_column(
    tmp_path: Path, value: str, error: type[Exception], message: str
) -> None:
    text = csv_text(with_cell("DNK", "fixed_broadband_per100", value))
    where = r"raw.csv, row 4 \(DNK\), column 'fixed_broadband_per100': "
    with pytest.raises(error, match=where + message):
        read_raw_csv(write(tmp_path, text), POINTS_2022)


def test_wrong_number_of_cells(tmp_path: Path) -> None:
    text = csv_text(with_cell("DNK", "fixed_broadband_per100", "7,5"))  # a decimal comma
    with pytest.raises(InputError, match=r"raw.csv, row 4: 12 cells, but the header has 11"):
        read_raw_csv(write(tmp_path, text), POINTS_2022)


def test_percent_above_100_is_out_of_bounds(tmp_path: Path) -> None:
    text = csv_text(with_cell("VNM", "internet_users_pct", "101"))
    with pytest.raises(
        BoundsError,
        match=r"row 2 \(VNM\), column 'internet_users_pct': value 101 is outside \[0, 100\]",
    ):
        read_raw_csv(write(tmp_path, text), POINTS_2022)


def test_gross_enrolment_above_100_is_accepted(tmp_path: Path) -> None:
    panel = read_raw_csv(
        write(tmp_path, csv_text(with_cell("VNM", "gross_enrolment_ratio_pct", "118.2"))),
        POINTS_2022,
    )
    assert panel.column("gross_enrolment_ratio_pct")[0] == 118.2


def test_empty_file_and_no_rows(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"empty.csv is empty"):
        read_raw_csv(write(tmp_path, "\n\n", "empty.csv"), POINTS_2022)
    with pytest.raises(InputError, match=r"raw.csv has a header but no data rows"):
        read_raw_csv(write(tmp_path, csv_text({})), POINTS_2022)


def test_header_problems(tmp_path: Path) -> None:
    with pytest.raises(MissingDataError, match=r"no 'iso3' column.*did you mean 'iso'"):
        read_raw_csv(write(tmp_path, csv_text().replace("iso3", "iso", 1)), 2022)
    text = csv_text().replace("iso3,", "iso3,osi_points,", 1)
    with pytest.raises(InputError, match=r"row 1: column 'osi_points' appears twice"):
        read_raw_csv(write(tmp_path, text), POINTS_2022)


def test_blank_lines_are_skipped_and_rows_keep_file_numbers(tmp_path: Path) -> None:
    lines = csv_text().splitlines()
    text = (
        "\n".join([lines[0], "", lines[1], lines[2], ",,,,,,,,,,", "VNM," + ",".join(ROWS["VNM"])])
        + "\n"
    )
    with pytest.raises(DuplicateEntityError, match=r"row 6.*already appears in row 3"):
        read_raw_csv(write(tmp_path, text), POINTS_2022)


def test_stream_and_byte_order_mark(tmp_path: Path) -> None:
    panel = read_raw_csv(io.StringIO(csv_text()), POINTS_2022)
    assert panel.entities == ("VNM", "THA", "DNK")
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text().encode())
    assert read_raw_csv(path, POINTS_2022).entities == ("VNM", "THA", "DNK")


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_raw_csv(tmp_path / "absent.csv", POINTS_2022)


def test_shipped_synthetic_panel_reads_for_every_recomputable_edition() -> None:
    assert len(un_member_codes()) == 193
    for year in (2014, 2016, 2018, 2020, 2022, 2024):
        panel = read_raw_csv(synthetic_raw_csv(), year)
        assert len(panel) == 193
        assert set(panel.entities) == un_member_codes()


def test_the_2022_default_reads_the_published_osi(tmp_path: Path) -> None:
    # methodology A.4.3: from 2022 the published OSI is the default input; a file with the
    # questionnaire points only is named as lacking osi_published, with the way out.
    path = write(tmp_path, csv_text())
    with pytest.raises(InputError, match=r"lacks: osi_published.*A\.4\.3.*osi_input='raw'"):
        read_raw_csv(path, 2022)
    cols = tuple("osi_published" if c == "osi_points" else c for c in COLUMNS_2022)
    rows = {k: (*v[:8], "0.5", v[9]) for k, v in ROWS.items()}
    panel = read_raw_csv(write(tmp_path, csv_text(rows, cols)), 2022)
    assert "osi_published" in panel.codes
    assert "osi_points" not in panel.codes
