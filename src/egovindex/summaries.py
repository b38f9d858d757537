"""Summaries as the Surveys print them: averages by region and counts per level group.

Two rules, both DERIVED from the UN Data Center export and exact on it:

- World, regional and sub-regional averages of an index are **simple, unweighted
  arithmetic means** of the member countries' values (methodology A.8.3): the 2020
  world, Asia and South-eastern Asia EGDI averages 0.5988, 0.6373 and 0.6321 quoted by
  Viet Nam's Ministry of Information and Communications are the plain means of the
  published 2020 EGDIs.
- The number of countries in each EGDI level group (Very High, High, Middle, Low;
  thresholds 0.75, 0.50, 0.25, methodology A.7.1) reproduces the A.7.1 table for every
  edition; 2014-2024 are also printed in the 2024 Survey, Figure 2.2.
- From 2020 the number of countries in each rating class (VH ... L1, methodology A.7.2)
  follows :func:`egovindex.ranking.rating_classes`, count quartiles by default.

The functions take plain arrays and do no I/O, so they summarise published results
(:func:`egovindex.datasets.load_survey`) and results computed from raw indicators
(:meth:`egovindex.un.methodology` ``.score(...)``) alike; :func:`summarise` is the adapter
for any object that carries ``countries`` (or ``entities``), ``regions``,
``sub_regions`` and index arrays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.errors import (
    InputError,
    MissingDataError,
    NonFiniteError,
    UnknownIndexError,
    did_you_mean,
)
from egovindex.ranking import (
    GROUPS,
    RATING_CLASSES,
    Boundary,
    RatingMethod,
    egdi_groups,
    rating_classes,
)

__all__ = [
    "INDICES",
    "Level",
    "Summary",
    "class_counts",
    "group_counts",
    "regional_means",
    "summarise",
    "world_means",
]

FloatArray = NDArray[np.float64]
Level = Literal["region", "sub_region"]

INDICES: tuple[str, ...] = ("egdi", "osi", "tii", "hci", "epi")
"""The indices a Survey publishes per country, in the order summaries list them."""

WORLD = "World"
"""Label of the all-countries row of :meth:`Summary.to_rows`."""

_LEVELS: tuple[str, ...] = ("region", "sub_region")


def _labels(groups: ArrayLike, n: int | None, what: str) -> NDArray[np.str_]:
    raw = np.asarray(groups, dtype=object)
    if raw.ndim != 1:
        raise InputError(f"{what} must be one label per country (1-D), got shape {raw.shape}")
    if n is not None and raw.size != n:
        raise InputError(f"{what} holds {raw.size} labels for {n} countries")
    blank = [i for i, v in enumerate(raw) if not isinstance(v, str) or not v.strip()]
    if blank:
        raise InputError(f"{what} label of the country at position {blank[0]} is empty or missing")
    return np.asarray(raw, dtype=np.str_)


def _vector(
    name: str, values: ArrayLike, n: int | None, entities: Sequence[str] | None
) -> FloatArray:
    try:
        x = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"index {name!r} holds non-numeric values") from None
    if x.ndim != 1:
        raise InputError(f"index {name!r} must be one value per country (1-D), got {x.shape}")
    if n is not None and x.size != n:
        raise InputError(f"index {name!r} holds {x.size} values for {n} countries")
    nan = np.flatnonzero(np.isnan(x))
    if nan.size:
        i = int(nan[0])
        who = repr(entities[i]) if entities is not None and i < len(entities) else f"at {i}"
        raise MissingDataError(
            f"cannot average index {name!r}: the value of country {who} is missing (NaN)"
        )
    inf = np.flatnonzero(np.isinf(x))
    if inf.size:
        i = int(inf[0])
        who = repr(entities[i]) if entities is not None and i < len(entities) else f"at {i}"
        raise NonFiniteError(f"cannot average index {name!r}: the value of country {who} is {x[i]}")
    return x


def world_means(
    values: Mapping[str, ArrayLike], *, entities: Sequence[str] | None = None
) -> dict[str, float]:
    """Unweighted mean of each index over every country (methodology A.8.3).

    Parameters
    ----------
    values
        Index name -> one value per country.
    entities
        Country codes, used only to name a missing value in the error message.

    Returns
    -------
    dict
        Index name -> world average.

    Raises
    ------
    InputError
        An index is empty, not 1-D, or the indices differ in length.
    MissingDataError
        A value is NaN.
    """
    n: int | None = None
    out: dict[str, float] = {}
    for name, arr in values.items():
        x = _vector(name, arr, n, entities)
        n = x.size
        if not n:
            raise InputError(f"index {name!r} has no values to average")
        out[name] = float(np.mean(x))
    return out


def regional_means(
    values: Mapping[str, ArrayLike],
    regions: ArrayLike,
    *,
    entities: Sequence[str] | None = None,
) -> dict[str, dict[str, float]]:
    """Unweighted mean of each index within each region (methodology A.8.3).

    Works for any grouping: regions, M49 sub-regions, or labels of your own.

    Parameters
    ----------
    values
        Index name -> one value per country.
    regions
        One group label per country, aligned with the values.
    entities
        Country codes, used only to name a missing value in the error message.

    Returns
    -------
    dict
        Group label (sorted) -> {index name -> mean of the members' values}.

    Raises
    ------
    InputError
        A label is empty, or the lengths of labels and values differ.
    MissingDataError
        A value is NaN.

    Examples
    --------
    >>> regional_means({"egdi": [0.25, 0.75, 0.9]}, ["Asia", "Asia", "Europe"])
    {'Asia': {'egdi': 0.5}, 'Europe': {'egdi': 0.9}}
    """
    labels = _labels(regions, None, "regions")
    names, inverse = np.unique(labels, return_inverse=True)
    sizes = np.bincount(inverse, minlength=names.size)
    out: dict[str, dict[str, float]] = {str(g): {} for g in names}
    for key, arr in values.items():
        x = _vector(key, arr, labels.size, entities)
        # One pass over the countries per index, whatever the number of groups.
        means = np.bincount(inverse, weights=x, minlength=names.size) / sizes
        for g, m in zip(names, means, strict=True):
            out[str(g)][key] = float(m)
    return out


def _sizes(labels: NDArray[np.str_]) -> dict[str, int]:
    names, counts = np.unique(labels, return_counts=True)
    return {str(g): int(c) for g, c in zip(names, counts, strict=True)}


def group_counts(egdi: ArrayLike, *, boundary: Boundary = "lower_inclusive") -> dict[str, int]:
    """Number of countries in each EGDI level group, best group first (methodology A.7.1).

    Parameters
    ----------
    egdi
        EGDI values in [0, 1].
    boundary
        Which side of 0.25 / 0.50 / 0.75 is inclusive (UNCONFIRMED, methodology A.7.1;
        see :func:`egovindex.ranking.egdi_group`). It changes one published count only:
        Cameroon 2005 (EGDI 0.25000) is Middle under ``"lower_inclusive"`` (default) and
        Low under ``"upper_inclusive"``.

    Returns
    -------
    dict
        ``{"Very High": n, "High": n, "Middle": n, "Low": n}``, zeros included.

    Raises
    ------
    InputError
        A value lies outside [0, 1], or ``boundary`` is unknown.
    MissingDataError
        A value is NaN.
    """
    x = np.asarray(egdi, dtype=np.float64)
    if x.ndim != 1:
        raise InputError(f"EGDI must be one value per country (1-D), got shape {x.shape}")
    groups = egdi_groups(x, boundary=boundary)
    return {g: int(np.count_nonzero(groups == g)) for g in GROUPS}


def class_counts(
    egdi: ArrayLike,
    *,
    method: RatingMethod = "count_quartile",
    boundary: Boundary = "lower_inclusive",
) -> dict[str, int]:
    """Number of countries in each rating class, best first (methodology A.7.2).

    Parameters
    ----------
    egdi
        The EGDI values of every country of one edition (2020 on).
    method
        ``"count_quartile"`` (default) or ``"equal_width"``; see
        :func:`egovindex.ranking.rating_classes`.
    boundary
        Level-group boundary rule (methodology A.7.1).

    Returns
    -------
    dict
        ``{"VH": n, "V3": n, ..., "L1": n}``: the 16 classes, zeros included.

    Raises
    ------
    InputError
        A value lies outside [0, 1], or ``method`` / ``boundary`` is unknown.
    MissingDataError
        A value is NaN.
    """
    x = np.asarray(egdi, dtype=np.float64)
    if x.ndim != 1:
        raise InputError(f"EGDI must be one value per country (1-D), got shape {x.shape}")
    classes = rating_classes(x, method=method, boundary=boundary)
    return {c: int(np.count_nonzero(classes == c)) for g in GROUPS for c in RATING_CLASSES[g]}


def _frozen_nested(value: Mapping[str, Mapping[str, float]]) -> Mapping[str, Mapping[str, float]]:
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in value.items()})


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Summary:
    """World, regional and sub-regional averages and level-group counts of one edition.

    Attributes
    ----------
    year
        Survey year, when the summarised object carries one.
    indices
        The averaged indices, in :data:`INDICES` order.
    size
        Number of countries.
    world
        Index -> world average (simple mean, methodology A.8.3).
    regions, sub_regions
        Region (sub-region) -> index -> simple mean of its members; ``sub_regions`` is
        empty when no sub-region labels were given.
    region_sizes, sub_region_sizes
        Region (sub-region) -> number of member countries.
    group_counts
        EGDI level group -> number of countries (methodology A.7.1); empty when EGDI is
        not among ``indices``.
    boundary
        The level-group boundary rule used for ``group_counts``.
    class_counts
        Rating class -> number of countries (methodology A.7.2); empty before 2020, when
        the year is unknown, or when EGDI is not among ``indices``.
    rating_method
        The rating-class method of ``class_counts`` (``None`` where it is empty).
    """

    year: int | None
    indices: tuple[str, ...]
    size: int
    world: Mapping[str, float] = attrs.field(converter=_frozen)
    regions: Mapping[str, Mapping[str, float]] = attrs.field(converter=_frozen_nested)
    region_sizes: Mapping[str, int] = attrs.field(converter=_frozen)
    sub_regions: Mapping[str, Mapping[str, float]] = attrs.field(converter=_frozen_nested)
    sub_region_sizes: Mapping[str, int] = attrs.field(converter=_frozen)
    group_counts: Mapping[str, int] = attrs.field(converter=_frozen)
    boundary: Boundary = "lower_inclusive"
    class_counts: Mapping[str, int] = attrs.field(default={}, converter=_frozen)
    rating_method: RatingMethod | None = None

    def means(self, by: Level = "region") -> Mapping[str, Mapping[str, float]]:
        """Averages by ``"region"`` or ``"sub_region"``.

        Raises
        ------
        InputError
            ``by`` is neither level, or sub-regions were not given.
        """
        if by == "region":
            return self.regions
        if by == "sub_region":
            if not self.sub_regions:
                raise InputError("no sub-region labels were given, so no sub-regional averages")
            return self.sub_regions
        raise InputError(f"unknown level {by!r}; choose one of {', '.join(_LEVELS)}")

    def to_rows(self, by: Level = "region") -> list[dict[str, object]]:
        """One row per group, the world first: ``name``, ``n`` and the mean of each index."""
        table = self.means(by)
        sizes = self.region_sizes if by == "region" else self.sub_region_sizes
        rows: list[dict[str, object]] = [{"name": WORLD, "n": self.size, **self.world}]
        rows.extend({"name": g, "n": sizes[g], **table[g]} for g in table)
        return rows

    def to_dict(self) -> dict[str, object]:
        """Plain nested dictionaries (JSON-ready)."""
        return {
            "year": self.year,
            "indices": list(self.indices),
            "n": self.size,
            "world": dict(self.world),
            "regions": {k: dict(v) for k, v in self.regions.items()},
            "region_sizes": dict(self.region_sizes),
            "sub_regions": {k: dict(v) for k, v in self.sub_regions.items()},
            "sub_region_sizes": dict(self.sub_region_sizes),
            "group_counts": dict(self.group_counts),
            "boundary": self.boundary,
            "class_counts": dict(self.class_counts),
            "rating_method": self.rating_method,
        }


def _index_values(obj: object, name: str) -> ArrayLike | None:
    value = getattr(obj, name, None)
    if value is not None and not callable(value):
        arr: ArrayLike = value
        return arr
    table = getattr(obj, "values", None)  # the engine's Scores: node name -> values
    if isinstance(table, Mapping) and name in table:
        found: ArrayLike = table[name]
        return found
    return None


def summarise(
    obj: object,
    *,
    indices: Sequence[str] | None = None,
    regions: ArrayLike | None = None,
    sub_regions: ArrayLike | None = None,
    boundary: Boundary = "lower_inclusive",
    rating_method: RatingMethod = "count_quartile",
) -> Summary:
    """Summarise one edition's results: averages by world, region, sub-region; group counts.

    Parameters
    ----------
    obj
        Anything with ``countries`` (or ``entities``) and index arrays as attributes
        (``egdi``, ``osi``, ``tii``, ``hci``, ``epi``) or in a ``values`` mapping: a
        published ``Survey``, the result of ``methodology(year).score(panel)``, the
        engine's ``Scores``. ``regions``/``sub_regions`` and ``year`` are taken from it
        when present.
    indices
        Indices to average; default: every one of :data:`INDICES` that ``obj`` has.
    regions, sub_regions
        One label per country; override (or supply, for objects without them) the
        labels of ``obj``. Sub-regions are optional.
    boundary
        Level-group boundary rule for :attr:`Summary.group_counts` (methodology A.7.1).
    rating_method
        Rating-class method for :attr:`Summary.class_counts` (methodology A.7.2):
        ``"count_quartile"`` (default) or ``"equal_width"``.

    Returns
    -------
    Summary

    Raises
    ------
    InputError
        ``obj`` has no countries, no region labels, or arrays of the wrong length.
    UnknownIndexError
        A requested index is not in ``obj``.
    MissingDataError
        A value to average is NaN.
    """
    countries = getattr(obj, "countries", None)
    if countries is None:
        countries = getattr(obj, "entities", None)
    if countries is None:
        raise InputError(
            f"cannot summarise a {type(obj).__name__}: it has no 'countries' or 'entities'"
        )
    codes = tuple(str(c) for c in countries)
    if not codes:
        raise InputError("cannot summarise: there are no countries")
    if indices is None:
        names = tuple(k for k in INDICES if _index_values(obj, k) is not None)
        if not names:
            raise InputError(
                f"cannot summarise a {type(obj).__name__}: it holds none of the indices "
                + ", ".join(INDICES)
            )
    else:
        names = tuple(indices)
    values: dict[str, FloatArray] = {}
    for name in names:
        found = _index_values(obj, name)
        if found is None:
            raise UnknownIndexError(
                f"{type(obj).__name__} has no index {name!r}" + did_you_mean(name, INDICES)
            )
        values[name] = _vector(name, found, len(codes), codes)
    region_labels = regions if regions is not None else getattr(obj, "regions", None)
    if region_labels is None:
        raise InputError(
            f"a {type(obj).__name__} carries no region labels; pass regions= (one per country)"
        )
    reg = _labels(region_labels, len(codes), "regions")
    sub_labels = sub_regions if sub_regions is not None else getattr(obj, "sub_regions", None)
    sub = None if sub_labels is None else _labels(sub_labels, len(codes), "sub_regions")
    year = getattr(obj, "year", None)
    if year is None:
        year = getattr(obj, "edition", None)
    rated = "egdi" in values and year is not None and int(year) >= 2020
    return Summary(
        year=None if year is None else int(year),
        indices=names,
        size=len(codes),
        world=world_means(values, entities=codes),
        regions=regional_means(values, reg, entities=codes),
        region_sizes=_sizes(reg),
        sub_regions={} if sub is None else regional_means(values, sub, entities=codes),
        sub_region_sizes={} if sub is None else _sizes(sub),
        group_counts=group_counts(values["egdi"], boundary=boundary) if "egdi" in values else {},
        boundary=boundary,
        class_counts=(
            class_counts(values["egdi"], method=rating_method, boundary=boundary) if rated else {}
        ),
        rating_method=rating_method if rated else None,
    )
