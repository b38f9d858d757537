"""Reading framework data from CSV: errors name the file, row, entity and column."""

from pathlib import Path

import pytest

from egovindex.domestic import example_file, load_framework, read_data
from egovindex.errors import (
    BoundsError,
    DuplicateEntityError,
    InputError,
    MissingDataError,
    NonFiniteError,
    UnknownIndicatorError,
    UnknownKeyError,
)

FW = load_framework("vn-dti-province-2022")
HEADER = "entity," + ",".join(FW.codes)


def csv_file(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "data.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


GOOD = "Da Nang,1,0.9,0.8253,0.8487,0.7578,0.8575,0.7836,0.5197"


@pytest.mark.parametrize(
    ("line", "error", "message"),
    [
        (
            "Hue,1.2,0.9,0.8,0.8,0.7,0.8,0.7,0.5",
            BoundsError,
            r"data.csv, row 3 \(entity 'Hue'\), column 'awareness': value 1.2 is outside \[0, 1\]",
        ),
        ("Hue,90,0.9,0.8,0.8,0.7,0.8,0.7,0.5", BoundsError, r"input='points'"),
        ("Hue,x,0.9,0.8,0.8,0.7,0.8,0.7,0.5", InputError, r"row 3 \(entity 'Hue'\).*'x' is not a"),
        (
            "Hue,inf,0.9,0.8,0.8,0.7,0.8,0.7,0.5",
            NonFiniteError,
            r"'awareness': 'inf' is not finite",
        ),
        ("Hue,nan,0.9,0.8,0.8,0.7,0.8,0.7,0.5", InputError, r"empty cell"),
        (
            "Da Nang,1,0.9,0.8,0.8,0.7,0.8,0.7,0.5",
            DuplicateEntityError,
            r"row 3: entity 'Da Nang' already appears at row 2",
        ),
        (",1,0.9,0.8,0.8,0.7,0.8,0.7,0.5", MissingDataError, r"row 3, column 'entity': empty"),
        ("Hue,1,0.9,0.8,0.8,0.7,0.8,0.7,0.5,9", InputError, r"row 3: 10 cells"),
    ],
)
def test_bad_cells_name_row_entity_and_column(
    tmp_path: Path, line: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        read_data(csv_file(tmp_path, GOOD, line), FW)


def test_points_are_checked_against_each_maximum(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "Hue,100,100,100,100,100,200,150,151")
    with pytest.raises(BoundsError, match=r"'digital_society': points 151 is outside \[0, 150\]"):
        read_data(path, FW, input="points")
    path = csv_file(tmp_path, "Hue,100,100,100,100,100,200,150,150")
    assert read_data(path, FW, input="points").score().total[0] == pytest.approx(1.0)


def test_columns_are_checked_against_the_framework(tmp_path: Path) -> None:
    header = HEADER.replace("digital_society", "digital_societies")
    with pytest.raises(
        UnknownIndicatorError, match=r"'digital_societies'.*did you mean digital_society"
    ):
        read_data(csv_file(tmp_path, GOOD, header=header), FW)
    header = HEADER.replace(",digital_society", "")
    with pytest.raises(MissingDataError, match=r"missing column\(s\) 'digital_society'"):
        read_data(csv_file(tmp_path, GOOD.rsplit(",", 1)[0], header=header), FW)
    with pytest.raises(MissingDataError, match="no data rows"):
        read_data(csv_file(tmp_path), FW)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(MissingDataError, match="empty"):
        read_data(empty, FW)


def test_group_column_ranks_within_groups(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "North,A,0.9,0.9,0.9,0.9,0.9,0.9,0.9,0.9",
        "South,B,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5",
        "East,A,0.7,0.7,0.7,0.7,0.7,0.7,0.7,0.7",
        header="entity,group," + ",".join(FW.codes),
    )
    result = read_data(path, FW).score()
    assert result.groups == ("A", "B", "A")
    assert result.rank().tolist() == [1, 1, 2]


def test_empty_cells_are_missing_values(tmp_path: Path) -> None:
    path = csv_file(tmp_path, GOOD, "Hue,,0.9,0.8,0.8,0.7,0.8,0.7,0.5")
    data = read_data(path, FW)
    with pytest.raises(MissingDataError, match="awareness: Hue"):
        data.score()
    assert data.score(missing="available").total.shape == (2,)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(("\ufeff" + HEADER + "\n" + GOOD + "\n").encode("utf-8"))
    assert read_data(path, FW).panel.entities == ("Da Nang",)


def test_unknown_example_file() -> None:
    with pytest.raises(UnknownKeyError, match=r"did you mean programme_example\.csv"):
        example_file("programme_exampel.csv")
