"""``egovindex programme TASKS.csv [--at DATE] [--json]``: progress of a programme's tasks.

TASKS.csv has one row per task: ``task_id``, ``agency``, ``due`` (ISO date), ``status``
(done/open) and optional ``done_on``. The output gives the completion rate overall and
per agency, the tasks overdue at ``--at`` (default: today) and the agencies with no task
done. JSON (``--json``) is an object with ``completion_rate``, ``by_agency``, ``overdue``
and ``agencies_with_none_done`` (plus ``at``, ``tasks``, ``done``, ``agencies``).
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from egovindex.cli._output import (
    add_input_options,
    add_out_option,
    emit_json,
    format_table,
    write_out,
)
from egovindex.domestic.io import read_tasks
from egovindex.errors import InputError
from egovindex.io.tables import check_writable

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``programme`` sub-command."""
    parser = subparsers.add_parser(
        "programme",
        help="completion of a programme's tasks by agency, overdue tasks",
        description=(
            "Completion rate overall and per agency, tasks overdue at a date, agencies "
            "with no task done."
        ),
    )
    parser.add_argument("tasks", metavar="TASKS.csv", help="one row per task")
    parser.add_argument(
        "--at", metavar="DATE", help="reference date for overdue tasks, YYYY-MM-DD (default today)"
    )
    parser.add_argument("--json", action="store_true", help="print a JSON object")
    add_out_option(parser)
    add_input_options(parser, decimal=False)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read the tasks and print the programme's progress."""
    at = _date(args.at) if args.at else dt.date.today()
    if args.out:
        check_writable(args.out, args.tasks)
    programme = read_tasks(args.tasks, sheet=args.sheet)
    by = programme.by_agency(at)
    overdue = programme.overdue(at)
    none_done = programme.agencies_with_none_done()
    out: dict[str, Any] = {
        "at": at.isoformat(),
        "tasks": len(programme),
        "done": programme.n_done,
        "agencies": len(by),
        "completion_rate": programme.completion_rate,
        "by_agency": [p.to_dict() for p in by],
        "overdue": [t.to_dict() for t in overdue],
        "agencies_with_none_done": list(none_done),
    }
    if args.out:
        write_out(args.out, out["by_agency"], command="programme", what="agencies")
        return 0
    if args.json:
        emit_json(out)
        return 0
    print(
        f"{len(programme)} tasks for {len(by)} agencies: {programme.n_done} done "
        f"({100 * programme.completion_rate:.0f} %), {len(overdue)} overdue at {at.isoformat()}"
    )
    print(f"agencies with none done ({len(none_done)}): {', '.join(none_done) or '-'}")
    print()
    print(format_table(out["by_agency"], ["agency", "tasks", "done", "completion_rate", "overdue"]))
    if overdue:
        print()
        print(format_table(out["overdue"], ["task_id", "agency", "due", "days_overdue"]))
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--at: {text!r} is not a date (YYYY-MM-DD)") from None
