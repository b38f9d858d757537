"""Online public services: levels, full/partial online, catalogue shares per agency.

Two legal schemes describe how far a public service is online in Viet Nam:

- **Decree 43/2011/NĐ-CP, Article 3(4)** (methodology B.1.1): four cumulative levels.
  Level 1 gives full information on the procedure; level 2 adds downloadable forms
  (the dossier is still submitted in person or by post); level 3 adds online
  submission and processing (fees are paid and results received at the agency);
  level 4 adds online payment and the result returned online, in person or by post.
- **Decree 42/2022/NĐ-CP, Article 11(1)** (methodology B.1.2): *full online*
  ("toàn trình": performed and resolved online, result returned online or by public
  post) and *partial online* ("một phần": any other online public service).

To read both in one time series this module uses the convention of methodology
B.1.2 (a library convention, not a legal rule): level 4 => full online, level 3 =>
partial online, levels 1-2 => not online public services; and back, for a catalogue
that gives only ``online``: full => level 4, partial => level 3. A catalogue may
give both; the given value wins, and impossible pairs (a level-1 or -2 service
marked online, a level-3 service marked full online) are rejected.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, get_args

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.domestic._records import cell_text, keyed_records
from egovindex.errors import (
    BoundsError,
    DuplicateEntityError,
    InputError,
    MissingDataError,
    UnknownIndexError,
    nearest,
)
from egovindex.ranking import RankMethod, rank

__all__ = [
    "SHARE_METRICS",
    "Catalogue",
    "OnlineMode",
    "ServiceLevel",
    "ServiceShares",
    "ShareMetric",
    "classify_level",
    "classify_levels",
    "online_mode",
]

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

MAX_COUNT = 10**15
"""The largest dossier count accepted: exact as a float (below 2**53), and the sum over
9,000 services still fits a 64-bit integer, so every share is computed exactly."""

ShareMetric = Literal[
    "share_level3_plus",
    "share_level4",
    "share_full_online",
    "share_with_online_dossiers",
    "online_dossier_rate",
]
SHARE_METRICS: tuple[str, ...] = get_args(ShareMetric)
"""The five shares a catalogue gives, per agency and nationally."""


class ServiceLevel(enum.IntEnum):
    """Level of an online public service, Decree 43/2011/NĐ-CP, Article 3(4).

    Levels are cumulative and ordered (methodology B.1.1).
    """

    INFORMATION = 1
    """Full information on the procedure and its legal basis."""
    FORMS = 2
    """Level 1 plus forms to download and fill in; submission in person or by post."""
    ONLINE_SUBMISSION = 3
    """Level 2 plus online submission and processing; fees and result at the agency."""
    ONLINE_PAYMENT = 4
    """Level 3 plus online payment of fees; result returned online, in person or by post."""


class OnlineMode(enum.Enum):
    """Full or partial online service, Decree 42/2022/NĐ-CP, Article 11(1)."""

    PARTIAL = "partial"
    FULL = "full"


_MODE_CODE = {None: 0, OnlineMode.PARTIAL: 1, OnlineMode.FULL: 2}
_MODE_WORDS = {
    "full": OnlineMode.FULL,
    "toàn trình": OnlineMode.FULL,
    "partial": OnlineMode.PARTIAL,
    "một phần": OnlineMode.PARTIAL,
}


def classify_levels(
    *,
    info_complete: ArrayLike,
    forms_downloadable: ArrayLike,
    online_submission: ArrayLike,
    online_processing: ArrayLike,
    online_payment: ArrayLike,
    online_or_postal_result: ArrayLike,
) -> IntArray:
    """Vectorised :func:`classify_level`: the level of each service, 0 below level 1."""
    features = [
        np.asarray(f, dtype=bool)
        for f in (
            info_complete,
            forms_downloadable,
            online_submission,
            online_processing,
            online_payment,
            online_or_postal_result,
        )
    ]
    shape = np.broadcast_shapes(*(f.shape for f in features))
    info, forms, submit, process, pay, result = (np.broadcast_to(f, shape) for f in features)
    # Cumulative: each level needs every condition of the levels below it.
    l1 = info
    l2 = l1 & forms
    l3 = l2 & submit & process
    l4 = l3 & pay & result
    return np.asarray(
        l1.astype(np.int64) + l2 + l3 + l4,
        dtype=np.int64,
    )


def classify_level(
    *,
    info_complete: bool,
    forms_downloadable: bool,
    online_submission: bool,
    online_processing: bool,
    online_payment: bool,
    online_or_postal_result: bool,
) -> ServiceLevel | None:
    """The highest level whose cumulative conditions all hold (Decree 43/2011, Art. 3(4)).

    Parameters
    ----------
    info_complete
        Full information on the procedure and the legal documents governing it.
    forms_downloadable
        Forms can be downloaded and filled in.
    online_submission, online_processing
        The dossier is submitted online; processing transactions happen online.
    online_payment
        Fees are paid online; pass ``True`` for a service that charges no fee.
    online_or_postal_result
        The result is returned online or by post (level-4 condition (iii) as
        operationalised by provinces, methodology B.1.1).

    Returns
    -------
    ServiceLevel or None
        ``None`` when not even level 1 holds (the procedure's information is
        incomplete).

    Examples
    --------
    >>> classify_level(info_complete=True, forms_downloadable=True, online_submission=True,
    ...                online_processing=True, online_payment=False,
    ...                online_or_postal_result=True)
    <ServiceLevel.ONLINE_SUBMISSION: 3>
    """
    level = int(
        classify_levels(
            info_complete=info_complete,
            forms_downloadable=forms_downloadable,
            online_submission=online_submission,
            online_processing=online_processing,
            online_payment=online_payment,
            online_or_postal_result=online_or_postal_result,
        )
    )
    return ServiceLevel(level) if level else None


def online_mode(
    level: int | ServiceLevel, *, result_online_or_postal: bool = True
) -> OnlineMode | None:
    """Map a Decree 43 level to the Decree 42 scheme (library convention, B.1.2).

    Level 4 is full online when its result is returned online or by post (the
    default), partial otherwise; level 3 is partial; levels 1-2 are information
    services, not online public services under Decree 42/2022 (``None``).
    """
    lv = _level(level)
    if lv == ServiceLevel.ONLINE_PAYMENT:
        return OnlineMode.FULL if result_online_or_postal else OnlineMode.PARTIAL
    if lv == ServiceLevel.ONLINE_SUBMISSION:
        return OnlineMode.PARTIAL
    return None


def _level(value: object) -> ServiceLevel:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise InputError(f"a service level is an integer 1-4, got {value!r}")
    if not 1 <= int(value) <= 4:
        raise BoundsError(f"service level {int(value)} is outside 1-4 (Decree 43/2011, Art. 3(4))")
    return ServiceLevel(int(value))


# -- shares ------------------------------------------------------------------------------


@attrs.frozen
class ServiceShares:
    """Counts of a set of services and the shares they give.

    Every share is a ratio of two counts, in [0, 1], or NaN when its denominator is 0.

    Attributes
    ----------
    services
        Services in the set (every level).
    level3_plus
        Services at level 3 or 4, i.e. online public services (full or partial).
    level4
        Services at level 4.
    full_online
        Full-online services.
    with_online_dossiers
        Online services that received at least one online dossier.
    dossiers_total, dossiers_online
        Dossiers received, and those received online.
    """

    services: int
    level3_plus: int
    level4: int
    full_online: int
    with_online_dossiers: int
    dossiers_total: int
    dossiers_online: int

    @property
    def share_level3_plus(self) -> float:
        """Services at level 3 or 4 over all services."""
        return _ratio(self.level3_plus, self.services)

    @property
    def share_level4(self) -> float:
        """Services at level 4 over all services."""
        return _ratio(self.level4, self.services)

    @property
    def share_full_online(self) -> float:
        """Full-online services over all services."""
        return _ratio(self.full_online, self.services)

    @property
    def share_with_online_dossiers(self) -> float:
        """Services with at least one online dossier over services at level 3+ or online."""
        return _ratio(self.with_online_dossiers, self.level3_plus)

    @property
    def online_dossier_rate(self) -> float:
        """Online dossiers over all dossiers."""
        return _ratio(self.dossiers_online, self.dossiers_total)

    def share(self, metric: str) -> float:
        """One of :data:`SHARE_METRICS` by name."""
        return float(getattr(self, _metric(metric)))

    def counts(self, metric: str) -> tuple[int, int]:
        """Numerator and denominator of a share.

        With :func:`egovindex.share_gap`, ``share_gap(*s.counts("share_level4"), 0.3)``
        is the number of services still to bring to level 4 for a 30 % share.
        """
        m = _metric(metric)
        return {
            "share_level3_plus": (self.level3_plus, self.services),
            "share_level4": (self.level4, self.services),
            "share_full_online": (self.full_online, self.services),
            "share_with_online_dossiers": (self.with_online_dossiers, self.level3_plus),
            "online_dossier_rate": (self.dossiers_online, self.dossiers_total),
        }[m]

    def to_dict(self) -> dict[str, float | int]:
        """Counts and shares as a flat mapping."""
        out: dict[str, float | int] = attrs.asdict(self)
        out.update({m: self.share(m) for m in SHARE_METRICS})
        return out


def _ratio(num: int, den: int) -> float:
    return num / den if den else math.nan


def _metric(metric: str) -> str:
    if metric not in SHARE_METRICS:
        hint = nearest(metric, SHARE_METRICS)
        raise UnknownIndexError(
            f"unknown share {metric!r}"
            + (f"; did you mean {', '.join(hint)}?" if hint else "")
            + f" (choose from {', '.join(SHARE_METRICS)})"
        )
    return metric


# -- the catalogue -------------------------------------------------------------------------


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def _ints(values: ArrayLike) -> IntArray:
    try:
        arr = np.array(values, dtype=np.int64, copy=True)
    except OverflowError:
        raise BoundsError("catalogue: a count or code too large for a 64-bit integer") from None
    arr.setflags(write=False)
    return arr


def _bools(values: ArrayLike) -> BoolArray:
    arr = np.array(values, dtype=bool, copy=True)
    arr.setflags(write=False)
    return arr


@attrs.frozen(eq=False)
class Catalogue:
    """A catalogue of online public services, one entry per service (validated).

    Build one with :meth:`from_rows` (or :func:`egovindex.domestic.read_catalogue` from
    CSV); the constructor takes resolved arrays.

    Attributes
    ----------
    service_ids, agencies
        Service identifiers (unique) and the agency providing each.
    levels
        Decree 43 level 1-4 per service (given, or derived from ``online``).
    online
        0 = not an online public service, 1 = partial, 2 = full online (given, or
        derived from ``levels``).
    dossiers_total, dossiers_online
        Dossiers received, and those received online.
    level_derived, online_derived
        Where a value came from the mapping convention rather than the data.
    """

    service_ids: tuple[str, ...] = attrs.field(converter=_str_tuple)
    agencies: tuple[str, ...] = attrs.field(converter=_str_tuple)
    levels: IntArray = attrs.field(converter=_ints)
    online: IntArray = attrs.field(converter=_ints)
    dossiers_total: IntArray = attrs.field(converter=_ints)
    dossiers_online: IntArray = attrs.field(converter=_ints)
    level_derived: BoolArray = attrs.field(converter=_bools)
    online_derived: BoolArray = attrs.field(converter=_bools)

    def __attrs_post_init__(self) -> None:
        n = len(self.service_ids)
        for name in (
            "agencies",
            "levels",
            "online",
            "dossiers_total",
            "dossiers_online",
            "level_derived",
            "online_derived",
        ):
            if len(getattr(self, name)) != n:
                raise InputError(
                    f"catalogue: {name} has {len(getattr(self, name))} entries, not {n}"
                )
        seen: set[str] = set()
        for sid in self.service_ids:
            if sid in seen:
                raise DuplicateEntityError(f"service {sid!r} appears more than once")
            seen.add(sid)
        self._check(self.levels < 1, "level {v} is outside 1-4", self.levels)
        self._check(self.levels > 4, "level {v} is outside 1-4", self.levels)
        self._check((self.online < 0) | (self.online > 2), "online code {v} not 0-2", self.online)
        self._check(self.dossiers_total < 0, "dossiers_total {v} is negative", self.dossiers_total)
        self._check(
            self.dossiers_online < 0, "dossiers_online {v} is negative", self.dossiers_online
        )
        self._check(
            self.dossiers_total > MAX_COUNT,
            f"dossiers_total {{v}} exceeds the largest count {MAX_COUNT:,}",
            self.dossiers_total,
        )
        self._check(
            self.dossiers_online > self.dossiers_total,
            "dossiers_online {v} exceeds dossiers_total",
            self.dossiers_online,
        )
        self._check(
            (self.levels <= 2) & (self.online > 0),
            "level {v} is an information service, not an online public service, "
            "so it cannot be full or partial online (Decree 42/2022, Art. 11(1))",
            self.levels,
        )
        self._check(
            (self.levels == 3) & (self.online == 2),
            "a level-{v} service has fees paid and results received at the agency "
            "(Decree 43/2011, Art. 3(4)), so it cannot be full online",
            self.levels,
        )
        self._check(
            (self.levels <= 2) & (self.dossiers_online > 0),
            "a level-{v} service takes no online dossiers (submission is in person or by post)",
            self.levels,
        )

    def _check(self, bad: BoolArray, message: str, values: IntArray) -> None:
        rows = np.flatnonzero(bad)
        if rows.size:
            i = int(rows[0])
            more = f" ({rows.size} services)" if rows.size > 1 else ""
            raise BoundsError(
                f"service {self.service_ids[i]!r} ({self.agencies[i]}): "
                + message.format(v=int(values[i]))
                + more
            )

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, Any]],
        *,
        row_numbers: Sequence[int] | None = None,
        source: str | None = None,
    ) -> Catalogue:
        """Build a catalogue from records (e.g. CSV rows of strings).

        Keys: ``service_id``, ``agency``, ``level`` (1-4) and/or ``online``
        (``full``/``partial``; also ``toàn trình``/``một phần``), ``dossiers_total``,
        ``dossiers_online``. An empty value counts as not given. ``row_numbers`` and
        ``source`` (a file name) make error messages point at the row.

        Raises
        ------
        MissingDataError
            A required key is absent, or a service has neither a level nor an
            online mode.
        BoundsError
            A level outside 1-4, online dossiers above the total, a negative count,
            or an impossible level/online pair.
        DuplicateEntityError
            A service id appears twice.
        """
        ids: list[str] = []
        agencies: list[str] = []
        levels: list[int] = []
        modes: list[int] = []
        totals: list[int] = []
        onlines: list[int] = []
        level_derived: list[bool] = []
        online_derived: list[bool] = []
        for where, sid, agency, rec in keyed_records(
            rows,
            id_key="service_id",
            kind="service",
            required=("dossiers_total", "dossiers_online"),
            row_numbers=row_numbers,
            source=source,
        ):
            if "level" not in rec and "online" not in rec:
                raise MissingDataError(f"{where}: give a 'level' (1-4) or an 'online' column")
            level = _parse_level(rec.get("level"), where)
            mode = _parse_mode(rec.get("online"), where)
            if level is None and mode is None:
                raise MissingDataError(f"{where}: neither 'level' nor 'online' is given")
            total = _parse_count(rec["dossiers_total"], where, "dossiers_total")
            online = _parse_count(rec["dossiers_online"], where, "dossiers_online")
            if online > total:
                raise BoundsError(
                    f"{where}, column 'dossiers_online': {online} online dossiers exceed "
                    f"dossiers_total {total}"
                )
            if level is not None and mode is not None:
                if level <= 2:
                    raise BoundsError(
                        f"{where}, column 'online': a level-{level} service is an information "
                        "service, not an online public service, so it cannot be "
                        f"{mode.value} online (Decree 42/2022, Art. 11(1))"
                    )
                if level == 3 and mode is OnlineMode.FULL:
                    raise BoundsError(
                        f"{where}, column 'online': a level-3 service has fees paid and results "
                        "received at the agency (Decree 43/2011, Art. 3(4)), so it cannot be "
                        "full online"
                    )
            resolved_level = level if level is not None else _level_of(mode)
            if resolved_level <= 2 and online > 0:
                raise BoundsError(
                    f"{where}, column 'dossiers_online': a level-{resolved_level} service takes "
                    f"no online dossiers, got {online}"
                )
            ids.append(sid)
            agencies.append(agency)
            levels.append(resolved_level)
            modes.append(_MODE_CODE[mode if mode is not None else online_mode(resolved_level)])
            totals.append(total)
            onlines.append(online)
            level_derived.append(level is None)
            online_derived.append(mode is None)
        return cls(ids, agencies, levels, modes, totals, onlines, level_derived, online_derived)

    # -- results ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.service_ids)

    def agency_names(self) -> tuple[str, ...]:
        """Agencies in order of first appearance."""
        return tuple(dict.fromkeys(self.agencies))

    def shares(self) -> ServiceShares:
        """Counts and shares over the whole catalogue (national)."""
        return self._shares(np.zeros(len(self), dtype=np.int64), 1)[0]

    def by_agency(self) -> dict[str, ServiceShares]:
        """Counts and shares per agency, in order of first appearance."""
        names = self.agency_names()
        index = {a: i for i, a in enumerate(names)}
        codes = np.fromiter((index[a] for a in self.agencies), dtype=np.int64, count=len(self))
        return dict(zip(names, self._shares(codes, len(names)), strict=True))

    def _shares(self, codes: IntArray, n: int) -> list[ServiceShares]:
        def count(mask: ArrayLike) -> IntArray:
            return np.bincount(codes, weights=np.asarray(mask, dtype=np.float64), minlength=n)

        level3 = self.levels >= 3
        columns = {
            "services": count(np.ones(len(self))),
            "level3_plus": count(level3),
            "level4": count(self.levels == 4),
            "full_online": count(self.online == 2),
            "with_online_dossiers": count(level3 & (self.dossiers_online > 0)),
            "dossiers_total": np.bincount(codes, weights=self.dossiers_total, minlength=n),
            "dossiers_online": np.bincount(codes, weights=self.dossiers_online, minlength=n),
        }
        return [ServiceShares(**{k: round(v[i]) for k, v in columns.items()}) for i in range(n)]

    def rank_agencies(
        self, metric: str = "share_level4", *, method: RankMethod = "competition"
    ) -> dict[str, int]:
        """Rank agencies on one share (1 = highest); 0 where the share is undefined."""
        by = self.by_agency()
        values = np.array([s.share(metric) for s in by.values()])
        defined = ~np.isnan(values)
        ranks = rank(np.where(defined, values, 0.0), method=method, within=defined)
        return {a: int(r) for a, r in zip(by, ranks, strict=True)}


def _level_of(mode: OnlineMode | None) -> int:
    # Convention of methodology B.1.2, read backwards: full online => level 4,
    # partial => level 3.
    return 4 if mode is OnlineMode.FULL else 3


def _parse_level(value: Any, where: str) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise InputError(f"{where}, column 'level': {text!r} is not a level 1-4") from None
    if not number.is_integer() or not 1 <= number <= 4:
        raise BoundsError(
            f"{where}, column 'level': {text} is outside 1-4 (Decree 43/2011, Art. 3(4))"
        )
    return int(number)


def _parse_mode(value: Any, where: str) -> OnlineMode | None:
    if isinstance(value, OnlineMode):
        return value
    text = cell_text(value).casefold()
    if not text:
        return None
    if text not in _MODE_WORDS:
        raise InputError(
            f"{where}, column 'online': {text!r} is not 'full' or 'partial' "
            "(Decree 42/2022, Art. 11(1))"
        )
    return _MODE_WORDS[text]


def _parse_count(value: Any, where: str, column: str) -> int:
    text = cell_text(value)
    if not text:
        raise MissingDataError(f"{where}, column {column!r}: empty (give 0 for none)")
    try:
        number = float(text)
    except ValueError:
        raise InputError(f"{where}, column {column!r}: {text!r} is not a count") from None
    if not math.isfinite(number) or not number.is_integer():
        raise InputError(f"{where}, column {column!r}: {text!r} is not a whole number")
    if number < 0:
        raise BoundsError(f"{where}, column {column!r}: {text} is negative")
    if number > MAX_COUNT:
        raise BoundsError(
            f"{where}, column {column!r}: {text} exceeds the largest count {MAX_COUNT:,}"
        )
    return int(number)
