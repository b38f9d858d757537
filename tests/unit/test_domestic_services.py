"""Online public services: Decree 43/2011 levels, Decree 42/2022 modes, catalogue shares."""

import csv
import itertools
from pathlib import Path

import numpy as np
import pytest

from egovindex.domestic import (
    Catalogue,
    OnlineMode,
    ServiceLevel,
    classify_level,
    classify_levels,
    example_file,
    online_mode,
    read_catalogue,
)
from egovindex.errors import (
    BoundsError,
    DuplicateEntityError,
    InputError,
    MissingDataError,
    UnknownIndexError,
    UnknownIndicatorError,
)

FEATURES = (
    "info_complete",
    "forms_downloadable",
    "online_submission",
    "online_processing",
    "online_payment",
    "online_or_postal_result",
)


def test_levels_are_ordered_integers_1_to_4() -> None:
    assert [int(v) for v in ServiceLevel] == [1, 2, 3, 4]
    assert ServiceLevel.ONLINE_PAYMENT > ServiceLevel.ONLINE_SUBMISSION > ServiceLevel.FORMS


def expected_level(flags: dict[str, bool]) -> int:
    """Decree 43/2011 Art. 3(4), written as the cumulative table of methodology B.1.1."""
    level = 0
    if flags["info_complete"]:
        level = 1
        if flags["forms_downloadable"]:
            level = 2
            if flags["online_submission"] and flags["online_processing"]:
                level = 3
                if flags["online_payment"] and flags["online_or_postal_result"]:
                    level = 4
    return level


def test_the_classifier_gives_the_highest_cumulative_level_for_every_feature_set() -> None:
    combos = list(itertools.product([False, True], repeat=len(FEATURES)))
    for combo in combos:
        flags = dict(zip(FEATURES, combo, strict=True))
        level = classify_level(**flags)
        assert (0 if level is None else int(level)) == expected_level(flags)
    arrays = {f: np.array([c[i] for c in combos]) for i, f in enumerate(FEATURES)}
    vector = classify_levels(**arrays)
    assert vector.tolist() == [expected_level(dict(zip(FEATURES, c, strict=True))) for c in combos]


def test_online_payment_without_online_submission_is_still_level_2() -> None:
    flags = dict.fromkeys(FEATURES, True)
    flags["online_submission"] = False
    assert classify_level(**flags) is ServiceLevel.FORMS


def test_mapping_to_decree_42_modes() -> None:
    assert online_mode(4) is OnlineMode.FULL
    assert online_mode(4, result_online_or_postal=False) is OnlineMode.PARTIAL
    assert online_mode(ServiceLevel.ONLINE_SUBMISSION) is OnlineMode.PARTIAL
    assert online_mode(2) is None
    assert online_mode(1) is None
    with pytest.raises(BoundsError, match="level 5 is outside 1-4"):
        online_mode(5)
    with pytest.raises(InputError, match="integer 1-4"):
        online_mode("4")  # type: ignore[arg-type]


def row(
    sid: str,
    agency: str,
    level: object = "",
    online: str = "",
    total: object = 10,
    done_online: object = 0,
) -> dict[str, object]:
    return {
        "service_id": sid,
        "agency": agency,
        "level": level,
        "online": online,
        "dossiers_total": total,
        "dossiers_online": done_online,
    }


ROWS = [
    row("a1", "A", 4, "", 100, 90),
    row("a2", "A", 3, "", 50, 0),
    row("a3", "A", 2, "", 20, 0),
    row("b1", "B", "", "full", 40, 10),
    row("b2", "B", "", "partial", 10, 5),
    row("b3", "B", 4, "partial", 30, 30),
    row("c1", "C", 1, "", 5, 0),
]


def test_shares_are_ratios_of_counts_computed_independently() -> None:
    cat = Catalogue.from_rows(ROWS)
    # resolved by hand with the B.1.2 convention: b1 full -> level 4, b2 partial -> 3;
    # a1 level 4 -> full, a2 level 3 -> partial; b3 keeps its given 'partial'.
    assert cat.levels.tolist() == [4, 3, 2, 4, 3, 4, 1]
    assert cat.online.tolist() == [2, 1, 0, 2, 1, 1, 0]
    assert cat.level_derived.tolist() == [False, False, False, True, True, False, False]
    s = cat.shares()
    assert s.share_level3_plus == 5 / 7
    assert s.share_level4 == 3 / 7
    assert s.share_full_online == 2 / 7
    assert s.share_with_online_dossiers == 4 / 5  # a1, b1, b2, b3 of a1, a2, b1, b2, b3
    assert s.online_dossier_rate == (90 + 10 + 5 + 30) / (100 + 50 + 20 + 40 + 10 + 30 + 5)
    by = cat.by_agency()
    assert list(by) == ["A", "B", "C"]
    assert by["A"].share_level4 == 1 / 3
    assert by["B"].share_full_online == 1 / 3
    assert by["C"].share_level3_plus == 0.0
    assert np.isnan(by["C"].share_with_online_dossiers)  # no online service: undefined
    assert sum(v.services for v in by.values()) == s.services


def test_agencies_are_ranked_on_any_share_with_ties() -> None:
    cat = Catalogue.from_rows(ROWS)
    assert cat.rank_agencies("share_level3_plus") == {"A": 2, "B": 1, "C": 3}
    assert cat.rank_agencies("share_level4") == {"A": 2, "B": 1, "C": 3}
    assert cat.rank_agencies("share_with_online_dossiers") == {"A": 2, "B": 1, "C": 0}
    tied = Catalogue.from_rows([row("x", "X", 4), row("y", "Y", 4), row("z", "Z", 3)])
    assert tied.rank_agencies("share_level4") == {"X": 1, "Y": 1, "Z": 3}
    with pytest.raises(UnknownIndexError, match="did you mean share_level4"):
        cat.rank_agencies("share_levl4")


def test_counts_feed_share_gap() -> None:
    from egovindex import share_gap

    cat = Catalogue.from_rows(ROWS)
    num, den = cat.shares().counts("share_level4")
    assert (num, den) == (3, 7)
    needed = share_gap(num, den, 0.6)
    assert (num + needed) / den >= 0.6 > (num + needed - 1) / den


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (row("s", "A", 5), BoundsError, r"row 1 \(service 's'\), column 'level': 5 is outside 1-4"),
        (row("s", "A", 0), BoundsError, r"column 'level': 0 is outside 1-4"),
        (row("s", "A", "three"), InputError, r"'three' is not a level"),
        (row("s", "A", 3, "", 10, 11), BoundsError, r"11 online dossiers exceed dossiers_total 10"),
        (row("s", "A", 3, "", -1, 0), BoundsError, r"dossiers_total': -1 is negative"),
        (row("s", "A", 3, "", 2.5, 0), InputError, r"not a whole number"),
        (row("s", "A", 3, "", "", 0), MissingDataError, r"dossiers_total': empty"),
        (row("s", "A", 2, "full"), BoundsError, r"level-2 service is an information service"),
        (row("s", "A", 3, "full"), BoundsError, r"level-3 service .* cannot be full online"),
        (row("s", "A", 2, "", 10, 1), BoundsError, r"level-2 service takes no online dossiers"),
        (row("s", "A", "", "sometimes"), InputError, r"'sometimes' is not 'full' or 'partial'"),
        (row("s", "A"), MissingDataError, r"neither 'level' nor 'online'"),
        (row("", "A", 3), MissingDataError, r"service_id': empty"),
        (row("s", "", 3), MissingDataError, r"agency': empty"),
    ],
)
def test_bad_rows_raise_clear_errors(
    bad: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        Catalogue.from_rows([bad])


def test_duplicate_service_and_missing_column_are_rejected() -> None:
    with pytest.raises(DuplicateEntityError, match="'a1' already appears at row 1"):
        Catalogue.from_rows([ROWS[0], ROWS[1], ROWS[0]])
    incomplete = {k: v for k, v in ROWS[0].items() if k != "dossiers_online"}
    with pytest.raises(MissingDataError, match="no 'dossiers_online' column"):
        Catalogue.from_rows([incomplete])


def test_the_constructor_validates_resolved_arrays_too() -> None:
    good = Catalogue.from_rows(ROWS)
    with pytest.raises(BoundsError, match=r"'a1'.*exceeds dossiers_total"):
        Catalogue(
            good.service_ids,
            good.agencies,
            good.levels,
            good.online,
            good.dossiers_total,
            good.dossiers_total + 1,
            good.level_derived,
            good.online_derived,
        )


def write(path: Path, rows: list[dict[str, object]], header: list[str] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, header or list(rows[0]), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def test_csv_errors_name_file_row_service_and_column(tmp_path: Path) -> None:
    bad = [*ROWS[:3], row("d9", "D", 7)]
    path = write(tmp_path / "cat.csv", bad)
    with pytest.raises(BoundsError, match=r"cat.csv, row 5 \(service 'd9'\), column 'level'"):
        read_catalogue(path)
    path = write(
        tmp_path / "nolevel.csv",
        ROWS,
        ["service_id", "agency", "dossiers_total", "dossiers_online"],
    )
    with pytest.raises(MissingDataError, match="give a 'level' column"):
        read_catalogue(path)
    path = write(
        tmp_path / "noagency.csv",
        ROWS,
        ["service_id", "level", "dossiers_total", "dossiers_online"],
    )
    with pytest.raises(MissingDataError, match=r"missing column.*'agency'"):
        read_catalogue(path)
    renamed = [{("levle" if k == "level" else k): v for k, v in r.items()} for r in ROWS]
    path = write(tmp_path / "typo.csv", renamed)
    with pytest.raises(UnknownIndicatorError, match="'levle'; did you mean 'level'"):
        read_catalogue(path)


def test_the_example_catalogue_reads_and_is_consistent() -> None:
    cat = read_catalogue(example_file("catalogue_example.csv"))
    with example_file("catalogue_example.csv").open(encoding="utf-8") as f:
        raw = list(csv.DictReader(f))
    assert len(cat) == len(raw) == 16
    s = cat.shares()
    assert s.services == 16
    assert s.dossiers_total == sum(int(r["dossiers_total"]) for r in raw)
    assert s.dossiers_online == sum(int(r["dossiers_online"]) for r in raw)
    assert len(cat.by_agency()) == len({r["agency"] for r in raw})
