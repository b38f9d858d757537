"""Survey editions read from a UN Data Center CSV file as downloaded (``eg.load_survey(path)``).

The files are generated here from the embedded tables, which were made from the same export
(SOURCES.md): the header the Data Center writes, the published number strings, current
country names, and placeholder rows (empty rank, every index 0) for countries an edition
did not assess. A fake "2026" edition is the 2024 table under another year.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

import egovindex as eg
from egovindex.cli import main
from egovindex.datasets._tables import read_table
from egovindex.datasets.datacenter import HEADER, read_datacenter_csv
from egovindex.errors import (
    BoundsError,
    DuplicateEntityError,
    InputError,
    MissingDataError,
    UnknownCountryError,
    UnknownEditionError,
)

FIELDS = ("year", "country", "egdi_rank", "egdi", "epi", "osi", "hci", "tii")
# SOURCES.md "Rows dropped": the export lists these with no rank and every index 0.
NOT_ASSESSED = {2003: ("Montenegro", "South Sudan"), 2010: ("South Sudan",)}


def datacenter_text(year: int, *, as_year: int | None = None, bom: bool = False) -> str:
    """The embedded edition ``year`` written back as the Data Center exports it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([HEADER[f] for f in FIELDS])
    label = str(as_year or year)
    for r in read_table(f"un_egov_{year}.csv"):
        writer.writerow([label, *(r[f] for f in FIELDS[1:])])
    for name in NOT_ASSESSED.get(year, ()):
        writer.writerow([label, f" {name} ", "", "0", "0", "0", "0", "0"])
    return ("\ufeff" if bom else "") + out.getvalue()


def write(tmp_path: Path, text: str, name: str = "EGOV_DATA.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.fixture
def fake_2026(tmp_path: Path) -> Path:
    return write(tmp_path, datacenter_text(2024, as_year=2026, bom=True), "EGOV_DATA_2026.csv")


@pytest.mark.parametrize("year", [2003, 2010, 2020, 2024])
def test_a_written_back_edition_reads_as_the_embedded_one(tmp_path: Path, year: int) -> None:
    got = eg.load_survey(write(tmp_path, datacenter_text(year)))
    want = eg.load_survey(year)
    assert got.year == year
    for field in ("countries", "names", "regions", "sub_regions"):
        assert getattr(got, field) == getattr(want, field)
    for index in ("egdi", "osi", "tii", "hci", "epi"):
        assert got.index(index).tolist() == want.index(index).tolist()
    assert got.egdi_rank.tolist() == want.egdi_rank.tolist()
    assert dict(got.decimals) == dict(want.decimals)
    assert got.epi_rank is None  # the export carries no EPI rank


def test_a_new_edition_works_as_a_survey(fake_2026: Path) -> None:
    s = eg.load_survey(str(fake_2026))
    ref = eg.load_survey(2024)
    assert (s.year, len(s)) == (2026, 193)
    assert s.country("Vietnam").egdi == ref.country("VNM").egdi
    assert s.rank("egdi", within="ASEAN").tolist() == ref.rank("egdi", within="ASEAN").tolist()
    assert s.rating_classes().tolist() == ref.rating_classes().tolist()
    assert eg.summarise(s).to_dict() == {**eg.summarise(ref).to_dict(), "year": 2026}
    g, h = eg.gap(s, "VNM", target_rank=50), eg.gap(ref, "VNM", target_rank=50)
    assert g.to_dict() == {**h.to_dict(), "year": 2026}
    # The formula of a later edition is that of every edition since 2012 (methodology A.1.1).
    np.testing.assert_array_equal(
        eg.egdi(s.osi, s.tii, s.hci, edition=2026), eg.egdi(s.osi, s.tii, s.hci, edition=2024)
    )
    with pytest.raises(UnknownEditionError, match="2025 was not"):
        eg.egdi(0.5, 0.5, 0.5, edition=2025)


def test_the_history_takes_extra_editions(fake_2026: Path, tmp_path: Path) -> None:
    h = eg.load_history(extra=[fake_2026])
    assert h.editions == (*eg.editions(), 2026)
    years, values = h.series("VNM", "egdi")
    assert (years[-1], values[-1]) == (2026, eg.load_survey(2024).country("VNM").egdi)
    assert eg.load_history() is eg.load_history()  # the embedded history stays cached
    assert eg.load_history().editions == eg.editions()
    # An extra edition of an embedded year replaces it; two of one year are refused.
    again = write(tmp_path, datacenter_text(2022, as_year=2024), "other.csv")
    assert eg.load_history(extra=[again])[2024].egdi.tolist() == eg.load_survey(2022).egdi.tolist()
    with pytest.raises(InputError, match="two extra editions of the same year: 2026"):
        eg.load_history(extra=[fake_2026, eg.load_survey(fake_2026)])


def test_rows_in_any_order_with_aliases_and_spaces(tmp_path: Path) -> None:
    lines = datacenter_text(2024, as_year=2026).splitlines()
    body = lines[1:][::-1]
    body = [line.replace("Viet Nam", "  Vietnam ").replace("Türkiye", "Turkey") for line in body]
    header = ", ".join(f" {h.upper()} " for h in lines[0].split(","))  # spaces, case
    s = read_datacenter_csv(write(tmp_path, "\n".join([header, *body]) + "\n"))
    ref = eg.load_survey(2024)
    assert s.countries == ref.countries  # published rank order restored
    assert s.names[s.locate("VNM")] == "Vietnam"


def edited(tmp_path: Path, old: str, new: str, year: int = 2024) -> Path:
    text = datacenter_text(year, as_year=2026)
    assert old in text
    return write(tmp_path, text.replace(old, new, 1))


def test_unknown_country_name_is_named(tmp_path: Path) -> None:
    path = edited(tmp_path, "Viet Nam", "Viet Nan")
    with pytest.raises(UnknownCountryError, match=r"row \d+: unknown country 'Viet Nan'.*Viet Nam"):
        eg.load_survey(path)


def test_validation_names_row_country_and_column(tmp_path: Path) -> None:
    vnm = next(r for r in read_table("un_egov_2024.csv") if r["iso3"] == "VNM")
    row = ",".join(["2026", vnm["country"], *(vnm[f] for f in FIELDS[2:])])
    cases = [
        (row.replace(vnm["tii"], "1.2", 1), BoundsError, "Telecommunication .* 1.2 is outside"),
        (row.replace(vnm["osi"], "", 1), MissingDataError, "'Online Service Index' is empty"),
        (row.replace(vnm["epi"], "n/a", 1), InputError, "'E-Participation Index' 'n/a' is not a"),
        (
            row.replace(",71,", ",0,", 1),
            InputError,
            "'E-Government Rank' '0' is not a whole number from 1 to 193",
        ),
    ]
    for new, error, message in cases:
        path = edited(tmp_path, row, new)
        with pytest.raises(error, match=rf"EGOV_DATA.csv, row \d+ \(Viet Nam\): {message}"):
            eg.load_survey(path)


def test_duplicates_years_and_columns(tmp_path: Path) -> None:
    with pytest.raises(DuplicateEntityError, match=r"Viet Nam \(VNM\) appears twice.*'Vietnam'"):
        eg.load_survey(edited(tmp_path, "Thailand", "Vietnam"))
    with pytest.raises(InputError, match=r"one Survey edition per file.*2026 \(row 2\), 2025"):
        eg.load_survey(edited(tmp_path, "\r\n2026,Viet Nam", "\r\n2025,Viet Nam"))
    with pytest.raises(InputError, match="lacks the columns Human Capital Index"):
        eg.load_survey(edited(tmp_path, "Human Capital Index", "HCI"))
    with pytest.raises(InputError, match="no such Data Center file"):
        eg.load_survey(tmp_path / "absent.csv")
    with pytest.raises(InputError, match="the file is empty"):
        eg.load_survey(write(tmp_path, ""))
    with pytest.raises(InputError, match="no assessed country"):
        eg.load_survey(write(tmp_path, datacenter_text(2024).splitlines()[0] + "\n"))


# -- the command line: --data FILE ---------------------------------------------------------


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> object:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_commands_on_a_new_edition(fake_2026: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data", str(fake_2026)]
    # Single-edition commands give the 2024 answers, labelled 2026.
    for args in (["summary"], ["gap", "VNM", "--target-rank", "50"]):
        new, old = run_json([*args, *data], capsys), run_json([*args, "--year", "2024"], capsys)
        assert isinstance(new, dict)
        assert isinstance(old, dict)
        assert new == {**old, "year": 2026}
    ranked = run_json(["rank", "--within", "ASEAN", *data], capsys)
    before = run_json(["rank", "--within", "ASEAN", "--year", "2024"], capsys)
    assert isinstance(ranked, list)
    assert isinstance(before, list)
    assert ranked == [{**r, "year": 2026} for r in before]
    args = ["uncertainty", "--reps", "64", "--top", "3"]
    new, old = run_json([*args, *data], capsys), run_json([*args, "--year", "2024"], capsys)
    assert isinstance(new, dict)
    assert isinstance(old, dict)
    assert new == {**old, "year": 2026}
    # show and outlook read the history with the new edition added.
    shown = run_json(["show", "VNM", *data], capsys)
    assert isinstance(shown, list)
    assert [r["year"] for r in shown][-2:] == [2024, 2026]
    assert run_json(["show", "VNM", "--year", "2026", *data], capsys) == {
        **run_json(["show", "VNM", "--year", "2024"], capsys),  # type: ignore[dict-item]
        "year": 2026,
    }
    outlook = run_json(["outlook", "VNM", "--target-rank", "20", *data], capsys)
    assert isinstance(outlook, dict)
    assert outlook != run_json(["outlook", "VNM", "--target-rank", "20"], capsys)


def test_data_and_year_must_agree(fake_2026: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", "--year", "2022", "--data", str(fake_2026)]) == 2
    assert "--year 2022 but --data" in capsys.readouterr().err
    assert main(["summary", "--data", str(fake_2026.with_name("absent.csv"))]) == 2
    assert "no such Data Center file" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["rank"], ["gap", "VNM", "--target-rank", "50"]])
def test_out_never_overwrites_the_data_file(
    command: list[str], fake_2026: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fake_2026.read_bytes()
    assert main([*command, "--data", str(fake_2026), "--out", str(fake_2026)]) == 2
    assert "is the input file" in capsys.readouterr().err
    assert fake_2026.read_bytes() == before
