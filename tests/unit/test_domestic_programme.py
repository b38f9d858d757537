"""Programme tracking: completion, overdue tasks, agencies with none done."""

import csv
import datetime as dt
from pathlib import Path

import pytest

from egovindex.domestic import Programme, example_file, read_tasks
from egovindex.errors import DuplicateEntityError, InputError, MissingDataError


def test_the_documented_example_programme() -> None:
    # The example of the documentation: 73 tasks for 23 agencies, 31 done (42 %), 6
    # agencies with none done (the example file is synthetic, with exactly these counts).
    p = read_tasks(example_file("programme_example.csv"))
    assert len(p) == 73
    assert len(p.agency_names) == 23
    assert p.n_done == 31
    assert round(100 * p.completion_rate) == 42
    assert len(p.agencies_with_none_done()) == 6
    # the same counts, from the raw file with the csv module
    with example_file("programme_example.csv").open(encoding="utf-8") as f:
        raw = list(csv.DictReader(f))
    assert len(raw) == 73
    assert sum(r["status"] == "done" for r in raw) == 31
    assert len({r["agency"] for r in raw}) == 23
    done_by_agency: dict[str, int] = {}
    for r in raw:
        done_by_agency[r["agency"]] = done_by_agency.get(r["agency"], 0) + (r["status"] == "done")
    assert p.agencies_with_none_done() == tuple(a for a, d in done_by_agency.items() if d == 0)
    by = p.by_agency()
    assert sum(a.tasks for a in by) == 73
    assert sum(a.done for a in by) == 31


def tasks(*rows: tuple[str, str, str, str, str]) -> Programme:
    return Programme.from_rows(
        {"task_id": t, "agency": a, "due": d, "status": s, "done_on": o} for t, a, d, s, o in rows
    )


P = tasks(
    ("t1", "A", "2024-03-31", "done", "2024-03-01"),
    ("t2", "A", "2024-06-30", "done", "2024-07-15"),  # done late
    ("t3", "A", "2024-06-30", "open", ""),
    ("t4", "B", "2024-12-31", "open", ""),
    ("t5", "B", "2024-01-31", "done", ""),  # done, date unknown
    ("t6", "C", "2024-05-01", "open", ""),
)


def test_completion_rates_overall_and_by_agency() -> None:
    assert P.completion_rate == 3 / 6
    by = {a.agency: a for a in P.by_agency()}
    assert by["A"].completion_rate == 2 / 3
    assert by["B"].done == 1
    assert by["C"].completion_rate == 0.0
    assert P.agencies_with_none_done() == ("C",)


def test_overdue_at_a_date() -> None:
    # due before the date and not done by it; the due day itself is on time
    at = dt.date(2024, 7, 1)
    assert [t.task_id for t in P.overdue(at)] == ["t6", "t2", "t3"]
    assert P.overdue(at)[0].days_overdue == (at - dt.date(2024, 5, 1)).days
    assert [t.task_id for t in P.overdue("2024-07-16")] == ["t6", "t3"]  # t2 done on 15 July
    assert [t.task_id for t in P.overdue("2024-06-30")] == ["t6"]
    assert {a.agency: a.overdue for a in P.by_agency("2024-07-01")} == {"A": 2, "B": 0, "C": 1}


@pytest.mark.parametrize(
    ("row", "error", "message"),
    [
        (("t", "A", "2024-13-01", "open", ""), InputError, r"column 'due': '2024-13-01' is not"),
        (("t", "A", "", "open", ""), MissingDataError, r"column 'due': empty"),
        (("t", "A", "2024-01-01", "started", ""), InputError, r"'started' is not 'done' or 'open'"),
        (
            ("t", "A", "2024-01-01", "open", "2024-01-02"),
            InputError,
            r"open task has no completion",
        ),
        (("t", "", "2024-01-01", "open", ""), MissingDataError, r"agency': empty"),
    ],
)
def test_bad_rows_are_named(
    row: tuple[str, str, str, str, str], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=r"row 1 \(task 't'\)|row 1"):
        tasks(row)
    with pytest.raises(error, match=message):
        tasks(row)


def test_duplicates_missing_columns_and_bad_dates(tmp_path: Path) -> None:
    with pytest.raises(DuplicateEntityError, match="'t1' already appears at row 1"):
        tasks(("t1", "A", "2024-01-01", "open", ""), ("t1", "B", "2024-01-01", "open", ""))
    path = tmp_path / "tasks.csv"
    path.write_text("task_id,agency,due\nt1,A,2024-01-01\n", encoding="utf-8")
    with pytest.raises(MissingDataError, match=r"tasks\.csv: missing column.*'status'"):
        read_tasks(path)
    path.write_text(
        "task_id,agency,due,status\nt1,A,2024-01-01,done\nt2,A,soon,open\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"tasks.csv, row 3 \(task 't2'\), column 'due'"):
        read_tasks(path)
    with pytest.raises(InputError, match="not an ISO date"):
        P.overdue("next week")
