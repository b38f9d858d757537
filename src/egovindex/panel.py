"""Indicators and panels: the raw data every index is computed from.

A :class:`Panel` is a table of entities (countries, provinces, ministries) by
indicators, stored as a read-only float64 array with NaN for a missing value.
Each column is described once by an :class:`Indicator`: its unit, its direction
(is a higher value better or worse?) and its admissible bounds. Construction
validates everything, so a panel that exists is a panel that can be scored.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.errors import (
    BoundsError,
    DuplicateEntityError,
    InputError,
    MissingDataError,
    NonFiniteError,
    UnitError,
    UnknownIndicatorError,
    did_you_mean,
    nearest,
)
from egovindex.units import check_unit, registry, to_canonical

if TYPE_CHECKING:
    import pint

__all__ = ["Direction", "Indicator", "Panel", "readonly"]

FloatArray = NDArray[np.float64]


class Direction(enum.Enum):
    """Whether a higher raw value of an indicator is better or worse."""

    HIGHER = "higher"
    LOWER = "lower"

    @property
    def sign(self) -> float:
        """+1 for higher-is-better, -1 for lower-is-better."""
        return 1.0 if self is Direction.HIGHER else -1.0


def readonly(values: ArrayLike) -> FloatArray:
    """Return ``values`` as a new C-contiguous float64 array that cannot be written.

    Raises
    ------
    InputError
        ``values`` are not numbers, or not a rectangular array.
    """
    try:
        arr = np.array(values, dtype=np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise InputError(f"values must be numbers in a rectangular array ({exc})") from None
    arr.setflags(write=False)
    return arr


def _check_unit(_inst: object, _attr: attrs.Attribute[str], value: str) -> None:
    check_unit(value)  # the registry is built only for a unit egovindex does not declare


@attrs.frozen
class Indicator:
    """One raw indicator: its code, unit, direction and admissible bounds.

    Parameters
    ----------
    code
        Identifier used in panels and methodology trees (``"internet_users_pct"``).
    unit
        Canonical unit understood by pint (``"percent"``, ``"per_100"``, ``"years"``,
        ``"points"``, ``"dimensionless"``).
    direction
        :attr:`Direction.HIGHER` when a higher value is better (the default).
    lower, upper
        Inclusive bounds of admissible values; ``None`` for unbounded.
    label
        Human-readable name for reports.
    """

    code: str = attrs.field(validator=attrs.validators.min_len(1))
    unit: str = attrs.field(default="dimensionless", validator=_check_unit)
    direction: Direction = attrs.field(default=Direction.HIGHER, converter=Direction)
    lower: float | None = None
    upper: float | None = None
    label: str = ""

    def __attrs_post_init__(self) -> None:
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise BoundsError(
                f"indicator {self.code!r}: lower bound {self.lower} exceeds "
                f"upper bound {self.upper}"
            )


def _indicator_index(indicators: Sequence[Indicator]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, ind in enumerate(indicators):
        if ind.code in index:
            raise InputError(f"indicator {ind.code!r} is declared twice")
        index[ind.code] = i
    return index


def _entities_converter(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def _indicators_converter(values: Iterable[Indicator]) -> tuple[Indicator, ...]:
    return tuple(values)


@attrs.frozen(eq=False)
class Panel:
    """Entities x indicators, float64, NaN = missing; validated on construction.

    Build one with :meth:`from_columns`, :meth:`from_rows` or :meth:`from_quantities`
    rather than the raw constructor.

    Raises
    ------
    DuplicateEntityError
        An entity code appears twice.
    NonFiniteError
        A value is infinite.
    BoundsError
        A value lies outside its indicator's bounds.
    """

    entities: tuple[str, ...] = attrs.field(converter=_entities_converter)
    indicators: tuple[Indicator, ...] = attrs.field(converter=_indicators_converter)
    values: FloatArray = attrs.field(converter=readonly)

    def __attrs_post_init__(self) -> None:
        n, k = len(self.entities), len(self.indicators)
        if self.values.shape != (n, k):
            raise InputError(
                f"values have shape {self.values.shape}, expected {(n, k)} "
                f"({n} entities x {k} indicators)"
            )
        seen: set[str] = set()
        for e in self.entities:
            if e in seen:
                raise DuplicateEntityError(f"entity {e!r} appears more than once")
            seen.add(e)
        _indicator_index(self.indicators)
        self._check_values()

    def _check_values(self) -> None:
        bad = np.isinf(self.values)
        if bad.any():
            i, j = (int(v) for v in np.argwhere(bad)[0])
            raise NonFiniteError(
                f"entity {self.entities[i]!r}, indicator {self.indicators[j].code!r}: "
                f"value {self.values[i, j]} is not finite"
            )
        for j, ind in enumerate(self.indicators):
            col = self.values[:, j]
            with np.errstate(invalid="ignore"):
                low = col < ind.lower if ind.lower is not None else np.zeros(col.shape, bool)
                high = col > ind.upper if ind.upper is not None else np.zeros(col.shape, bool)
            out = np.flatnonzero(low | high)
            if out.size:
                i = int(out[0])
                raise BoundsError(
                    f"entity {self.entities[i]!r}, indicator {ind.code!r}: value {col[i]:g} "
                    f"is outside [{_fmt(ind.lower, '-inf')}, {_fmt(ind.upper, 'inf')}]"
                    + (f" ({out.size} values out of bounds)" if out.size > 1 else "")
                )

    # -- construction -------------------------------------------------------------

    @classmethod
    def from_columns(
        cls,
        entities: Iterable[str],
        columns: Mapping[str, ArrayLike],
        indicators: Iterable[Indicator],
    ) -> Panel:
        """Build a panel from one array per indicator code.

        Every column must be a known indicator; indicators without a column are
        left out of the panel (a methodology names what it still needs).
        """
        ents = tuple(entities)
        known = {ind.code: ind for ind in indicators}
        for code in columns:
            if code not in known:
                raise UnknownIndicatorError(_unknown(code, known))
        used = [known[c] for c in columns]
        data = np.empty((len(ents), len(used)), dtype=np.float64)
        for j, (code, col) in enumerate(columns.items()):
            try:
                arr = np.asarray(col, dtype=np.float64)
            except (TypeError, ValueError) as exc:
                # Name the first entity whose value is not a number (error path only).
                if isinstance(col, Iterable) and not isinstance(col, str | bytes):
                    for entity, value in zip(ents, col, strict=False):
                        if value is not None:
                            _as_float(value, entity, code)
                raise InputError(f"indicator {code!r}: values are not numbers ({exc})") from None
            if arr.shape != (len(ents),):
                raise InputError(
                    f"indicator {code!r}: column has shape {arr.shape}, expected ({len(ents)},)"
                )
            data[:, j] = arr
        return cls(ents, used, data)

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, Any]],
        indicators: Iterable[Indicator],
        *,
        entity_key: str = "iso3",
    ) -> Panel:
        """Build a panel from records such as ``{"iso3": "VNM", "internet_users_pct": 70.3}``.

        Keys other than ``entity_key`` must be known indicator codes; a missing key or
        ``None`` is a missing value (NaN).
        """
        known = {ind.code: ind for ind in indicators}
        records = list(rows)
        codes: list[str] = []
        for rec in records:
            if entity_key not in rec:
                raise InputError(f"record {dict(rec)!r} has no {entity_key!r} key")
            for key in rec:
                if key == entity_key:
                    continue
                if key not in known:
                    raise UnknownIndicatorError(_unknown(key, known))
                if key not in codes:
                    codes.append(key)
        entities = [str(rec[entity_key]) for rec in records]
        data = np.full((len(records), len(codes)), np.nan)
        for i, rec in enumerate(records):
            for j, code in enumerate(codes):
                value = rec.get(code)
                if value is not None:
                    data[i, j] = _as_float(value, entities[i], code)
        return cls(entities, [known[c] for c in codes], data)

    @classmethod
    def from_frame(
        cls,
        frame: Any,
        *,
        entity: str = "iso3",
        indicators: Iterable[Indicator] | None = None,
    ) -> Panel:
        """Build a panel from a pandas or polars DataFrame, one row per entity.

        Parameters
        ----------
        frame
            A :class:`pandas.DataFrame` (``entity`` may be its index) or a
            :class:`polars.DataFrame`.
        entity
            The column naming the entities: ``"iso3"``, ``"province"``, any key.
        indicators
            The indicators of the other columns (unit, direction, bounds); default one
            dimensionless, unbounded, higher-is-better indicator per other column.

        Raises
        ------
        InputError
            No ``entity`` column, a value that is not a number (naming the entity and
            the column), or a column not among ``indicators``.
        DuplicateEntityError, BoundsError, NonFiniteError
            As for the constructor.

        Examples
        --------
        ``Panel.from_frame(df, entity="province")``, then score it with a framework or
        an :func:`~egovindex.composite.evaluate` tree.
        """
        from egovindex.frames import frame_records  # the edge module, imported lazily

        records = frame_records(frame, entity)
        if indicators is None:
            codes = [str(c) for c in frame.columns if str(c) != entity]
            inds: list[Indicator] = [Indicator(c) for c in codes]
        else:
            inds = list(indicators)
        for rec in records:
            rec[entity] = "" if rec.get(entity) is None else str(rec[entity])
        return cls.from_rows(records, inds, entity_key=entity)

    @classmethod
    def from_quantities(
        cls,
        entities: Iterable[str],
        columns: Mapping[str, pint.Quantity[Any]],
        indicators: Iterable[Indicator],
    ) -> Panel:
        """Build a panel from pint quantities, converted to each indicator's unit.

        Raises
        ------
        UnitError
            A column's dimension does not match its indicator's unit (for example
            years given for a percentage).
        """
        import pint

        known = {ind.code: ind for ind in indicators}
        converted: dict[str, ArrayLike] = {}
        for code, q in columns.items():
            if code not in known:
                raise UnknownIndicatorError(_unknown(code, known))
            if not isinstance(q, registry().Quantity):
                raise UnitError(
                    f"indicator {code!r}: expected a pint quantity of "
                    "egovindex.units.registry(), "
                    f"got {type(q).__name__}"
                )
            try:
                converted[code] = np.asarray(to_canonical(q, known[code].unit), dtype=np.float64)
            except pint.DimensionalityError as exc:
                raise UnitError(
                    f"indicator {code!r}: cannot convert {q.units} to {known[code].unit} ({exc})"
                ) from None
        return cls.from_columns(entities, converted, known.values())

    # -- access ---------------------------------------------------------------------

    @property
    def codes(self) -> tuple[str, ...]:
        """Indicator codes, in column order."""
        return tuple(ind.code for ind in self.indicators)

    def indicator(self, code: str) -> Indicator:
        """Return the :class:`Indicator` declared for ``code``."""
        return self.indicators[self._col(code)]

    def column(self, code: str) -> FloatArray:
        """Return the (read-only) values of one indicator, aligned with :attr:`entities`."""
        return self.values[:, self._col(code)]

    def index_of(self, entity: str) -> int:
        """Return the row of ``entity``."""
        try:
            return self.entities.index(entity)
        except ValueError:
            raise InputError(
                f"unknown entity {entity!r}" + did_you_mean(entity, self.entities)
            ) from None

    def _col(self, code: str) -> int:
        for j, ind in enumerate(self.indicators):
            if ind.code == code:
                return j
        raise UnknownIndicatorError(_unknown(code, {i.code: i for i in self.indicators}))

    def require(self, codes: Iterable[str]) -> None:
        """Raise :class:`MissingDataError` naming every code in ``codes`` the panel lacks."""
        missing = [c for c in codes if c not in self.codes]
        if missing:
            raise MissingDataError(f"the panel has no column for: {', '.join(missing)}")

    def missing(self) -> dict[str, tuple[str, ...]]:
        """Map each indicator code with missing values to the entities missing it."""
        out: dict[str, tuple[str, ...]] = {}
        for j, code in enumerate(self.codes):
            rows = np.flatnonzero(np.isnan(self.values[:, j]))
            if rows.size:
                out[code] = tuple(self.entities[int(i)] for i in rows)
        return out

    # -- derived panels -------------------------------------------------------------

    def with_values(self, values: ArrayLike) -> Panel:
        """Return a panel with the same entities and indicators and new values (validated)."""
        return Panel(self.entities, self.indicators, values)

    def with_value(self, entity: str, code: str, value: float) -> Panel:
        """Return a copy with one cell changed (bounds are checked again)."""
        data = self.values.copy()
        data[self.index_of(entity), self._col(code)] = value
        return self.with_values(data)

    def subset(self, entities: Iterable[str]) -> Panel:
        """Return the rows of ``entities``, in the order given."""
        rows = [self.index_of(e) for e in entities]
        return Panel([self.entities[i] for i in rows], self.indicators, self.values[rows])

    def __len__(self) -> int:
        return len(self.entities)

    def __repr__(self) -> str:
        shape = f"{len(self.entities)} entities x {len(self.indicators)} indicators"
        return f"Panel({shape}: {', '.join(self.codes)})"


def _as_float(value: Any, entity: str, code: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise InputError(
            f"entity {entity!r}, indicator {code!r}: value {value!r} is not a number"
        ) from None
    if math.isinf(out):
        raise NonFiniteError(
            f"entity {entity!r}, indicator {code!r}: value {value!r} is not finite"
        )
    return out


def _unknown(code: str, known: Mapping[str, object]) -> str:
    hint = nearest(code, known)
    return f"unknown indicator {code!r}" + (
        f"; did you mean {', '.join(hint)}?" if hint else f"; known: {', '.join(sorted(known))}"
    )


def _fmt(bound: float | None, unbounded: str) -> str:
    return unbounded if bound is None else f"{bound:g}"
