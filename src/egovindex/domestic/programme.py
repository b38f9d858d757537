"""Programme tracking: the tasks of an e-government programme, by agency.

A programme assigns tasks to agencies, each with a due date and a status (``done`` or
``open``, with an optional completion date ``done_on``). :class:`Programme` gives the
completion rate overall and per agency, the tasks overdue at a date, and the agencies
with no task done.

Rules (stated here because programme documents rarely state them):

- a task is *done by* a date ``d`` when its status is ``done`` and it has no
  ``done_on`` or ``done_on <= d``;
- a task is *overdue at* ``d`` when its due date is before ``d`` (the due day itself
  is still on time) and it is not done by ``d``;
- the completion rate counts the status as recorded (``done`` over all tasks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.domestic._records import cell_text, keyed_records
from egovindex.errors import DuplicateEntityError, InputError, MissingDataError

__all__ = ["AgencyProgress", "OverdueTask", "Programme"]

BoolArray = NDArray[np.bool_]
DateArray = NDArray[np.datetime64]

_STATUSES = ("done", "open")


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def _dates(values: Iterable[dt.date | str | None] | DateArray) -> DateArray:
    arr = np.array(
        [np.datetime64("NaT") if v is None else v for v in values]
        if not isinstance(values, np.ndarray)
        else values,
        dtype="datetime64[D]",
    )
    arr.setflags(write=False)
    return arr


def _bools(values: Iterable[bool]) -> BoolArray:
    arr = np.array(list(values), dtype=bool)
    arr.setflags(write=False)
    return arr


@attrs.frozen
class AgencyProgress:
    """One agency's tasks: how many, how many done, the completion rate, overdue."""

    agency: str
    tasks: int
    done: int
    overdue: int = 0

    @property
    def open(self) -> int:
        """Tasks not done."""
        return self.tasks - self.done

    @property
    def completion_rate(self) -> float:
        """Done over all of the agency's tasks."""
        return self.done / self.tasks

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for reports."""
        return {
            "agency": self.agency,
            "tasks": self.tasks,
            "done": self.done,
            "open": self.open,
            "completion_rate": self.completion_rate,
            "overdue": self.overdue,
        }


@attrs.frozen
class OverdueTask:
    """A task past its due date and not done by the reference date."""

    task_id: str
    agency: str
    due: dt.date
    days_overdue: int

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping for reports (dates as ISO 8601)."""
        return {
            "task_id": self.task_id,
            "agency": self.agency,
            "due": self.due.isoformat(),
            "days_overdue": self.days_overdue,
        }


@attrs.frozen(eq=False)
class Programme:
    """The tasks of a programme (validated on construction).

    Attributes
    ----------
    task_ids, agencies
        Task identifiers (unique) and the agency responsible for each.
    due
        Due dates (``datetime64[D]``).
    done
        Whether each task's status is ``done``.
    done_on
        Completion dates (``NaT`` where not given); only done tasks may have one.
    """

    task_ids: tuple[str, ...] = attrs.field(converter=_str_tuple)
    agencies: tuple[str, ...] = attrs.field(converter=_str_tuple)
    due: DateArray = attrs.field(converter=_dates)
    done: BoolArray = attrs.field(converter=_bools)
    done_on: DateArray = attrs.field(converter=_dates)

    def __attrs_post_init__(self) -> None:
        n = len(self.task_ids)
        for name in ("agencies", "due", "done", "done_on"):
            if len(getattr(self, name)) != n:
                raise InputError(
                    f"programme: {name} has {len(getattr(self, name))} entries, not {n}"
                )
        if n == 0:
            raise MissingDataError("a programme needs at least one task")
        seen: set[str] = set()
        for tid in self.task_ids:
            if tid in seen:
                raise DuplicateEntityError(f"task {tid!r} appears more than once")
            seen.add(tid)
        bad = np.flatnonzero(np.isnat(self.due))
        if bad.size:
            raise MissingDataError(f"task {self.task_ids[int(bad[0])]!r} has no due date")
        bad = np.flatnonzero(~self.done & ~np.isnat(self.done_on))
        if bad.size:
            i = int(bad[0])
            raise InputError(
                f"task {self.task_ids[i]!r} ({self.agencies[i]}) is open but has a completion "
                f"date done_on {self.done_on[i]}"
            )

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, Any]],
        *,
        row_numbers: Sequence[int] | None = None,
        source: str | None = None,
    ) -> Programme:
        """Build a programme from records (e.g. CSV rows of strings).

        Keys: ``task_id``, ``agency``, ``due`` (ISO date, ``2025-06-30``), ``status``
        (``done``/``open``), optional ``done_on`` (ISO date, done tasks only).
        ``row_numbers`` and ``source`` make error messages point at the row.
        """
        ids: list[str] = []
        agencies: list[str] = []
        due: list[dt.date] = []
        done: list[bool] = []
        done_on: list[dt.date | None] = []
        for where, tid, agency, rec in keyed_records(
            rows,
            id_key="task_id",
            kind="task",
            required=("due", "status"),
            row_numbers=row_numbers,
            source=source,
        ):
            status = cell_text(rec["status"]).casefold()
            if status not in _STATUSES:
                raise InputError(f"{where}, column 'status': {status!r} is not 'done' or 'open'")
            finished = _date(rec.get("done_on"), where, "done_on", required=False)
            if finished is not None and status == "open":
                raise InputError(
                    f"{where}, column 'done_on': an open task has no completion date "
                    f"(got {finished.isoformat()}); set status to 'done' or clear done_on"
                )
            due_date = _date(rec["due"], where, "due", required=True)
            assert due_date is not None
            ids.append(tid)
            agencies.append(agency)
            due.append(due_date)
            done.append(status == "done")
            done_on.append(finished)
        return cls(ids, agencies, due, done, done_on)

    # -- results -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.task_ids)

    @property
    def agency_names(self) -> tuple[str, ...]:
        """Agencies in order of first appearance."""
        return tuple(dict.fromkeys(self.agencies))

    @property
    def n_done(self) -> int:
        """Tasks whose status is done."""
        return int(self.done.sum())

    @property
    def completion_rate(self) -> float:
        """Done tasks over all tasks."""
        return self.n_done / len(self)

    def done_by(self, at: dt.date | str) -> BoolArray:
        """Whether each task was done by ``at`` (done with no date, or ``done_on <= at``)."""
        day = np.datetime64(_as_date(at), "D")
        out = self.done & (np.isnat(self.done_on) | (self.done_on <= day))
        return np.asarray(out, dtype=bool)

    def overdue_mask(self, at: dt.date | str) -> BoolArray:
        """Whether each task is overdue at ``at`` (due before ``at`` and not done by it)."""
        day = np.datetime64(_as_date(at), "D")
        return np.asarray((self.due < day) & ~self.done_by(at), dtype=bool)

    def overdue(self, at: dt.date | str) -> tuple[OverdueTask, ...]:
        """Tasks overdue at ``at``, most overdue first (ties in input order)."""
        day = np.datetime64(_as_date(at), "D")
        rows = np.flatnonzero(self.overdue_mask(at))
        late = (day - self.due[rows]).astype(np.int64)
        order = rows[np.argsort(-late, kind="stable")]
        return tuple(
            OverdueTask(
                self.task_ids[i],
                self.agencies[i],
                self.due[i].astype(dt.date),
                int((day - self.due[i]).astype(np.int64)),
            )
            for i in (int(j) for j in order)
        )

    def by_agency(self, at: dt.date | str | None = None) -> tuple[AgencyProgress, ...]:
        """Progress per agency, in order of first appearance (overdue counted at ``at``)."""
        names = self.agency_names
        index = {a: i for i, a in enumerate(names)}
        codes = np.fromiter((index[a] for a in self.agencies), dtype=np.int64, count=len(self))
        tasks = np.bincount(codes, minlength=len(names))
        done = np.bincount(codes, weights=self.done, minlength=len(names))
        late = (
            np.bincount(codes, weights=self.overdue_mask(at), minlength=len(names))
            if at is not None
            else np.zeros(len(names))
        )
        return tuple(
            AgencyProgress(a, int(tasks[i]), round(done[i]), round(late[i]))
            for i, a in enumerate(names)
        )

    def agencies_with_none_done(self) -> tuple[str, ...]:
        """Agencies none of whose tasks is done, in order of first appearance."""
        return tuple(p.agency for p in self.by_agency() if p.done == 0)


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def _date(value: Any, where: str, column: str, *, required: bool) -> dt.date | None:
    if isinstance(value, dt.date):
        return _as_date(value)
    text = cell_text(value)
    if not text:
        if required:
            raise MissingDataError(f"{where}, column {column!r}: empty")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{where}, column {column!r}: {text!r} is not an ISO date (YYYY-MM-DD)"
        ) from None
