"""The exceptions of egovindex: one hierarchy rooted in :class:`EgovIndexError`.

Every message names what went wrong concretely: the entity (country, province,
ministry), the indicator and the offending value, or the list of valid choices.
Catch :class:`EgovIndexError` to handle every error the library raises on purpose.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

__all__ = [
    "BoundsError",
    "DuplicateEntityError",
    "EgovIndexError",
    "FrameworkError",
    "InfeasibleTargetError",
    "InputError",
    "MissingDataError",
    "MissingDependencyError",
    "NonFiniteError",
    "UnconfirmedOptionError",
    "UnitError",
    "UnknownCountryError",
    "UnknownEditionError",
    "UnknownIndexError",
    "UnknownIndicatorError",
    "UnknownKeyError",
    "UnknownRegionError",
    "WeightError",
    "ZeroSpreadError",
    "did_you_mean",
    "nearest",
    "unknown_message",
]


class EgovIndexError(Exception):
    """Root of every exception raised deliberately by egovindex."""


class InputError(EgovIndexError, ValueError):
    """Input data that cannot be scored as given."""


class DuplicateEntityError(InputError):
    """The same entity code appears more than once."""


class UnknownIndicatorError(InputError):
    """An indicator code that the panel or methodology does not declare."""


class UnitError(InputError):
    """A quantity whose physical dimension does not match its indicator's unit."""


class BoundsError(InputError):
    """A value outside its indicator's declared bounds."""


class NonFiniteError(InputError):
    """An infinite value (NaN marks a missing value; infinity is never valid)."""


class MissingDataError(InputError):
    """Missing values where no explicit missing-data rule was chosen."""


class WeightError(InputError):
    """Weights that are not finite, negative, sum to zero, or do not sum to one."""


class UnconfirmedOptionError(InputError):
    """An UNCONFIRMED option of a methodology that must be confirmed before it scores.

    Attributes
    ----------
    options
        The names of the options still to confirm.
    """

    def __init__(self, message: str, options: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.options = options


class ZeroSpreadError(EgovIndexError, ArithmeticError):
    """A normaliser met zero variance or zero range and no fallback was chosen."""


class FrameworkError(InputError):
    """A malformed framework declaration (for example a domestic TOML file).

    Attributes
    ----------
    key_path
        The declaration key at fault, e.g. ``("pillars", 0, "weight")`` for
        ``pillars[0].weight``; empty when the error is about the whole declaration.
    line
        The line of the TOML file holding that key (1-based), or ``None`` when unknown or
        not read from a file.
    """

    def __init__(
        self, message: str, *, key_path: tuple[str | int, ...] = (), line: int | None = None
    ) -> None:
        super().__init__(message)
        self.key_path = key_path
        self.line = line


class InfeasibleTargetError(EgovIndexError):
    """A target that cannot be reached under the stated rules."""


class MissingDependencyError(EgovIndexError, ImportError):
    """An optional dependency (an extra such as ``plot``) that is not installed."""


class UnknownKeyError(EgovIndexError, LookupError):
    """A lookup key (year, country, index, region) that is not known."""

    def __str__(self) -> str:  # LookupError/KeyError would wrap the message in quotes
        return str(self.args[0]) if self.args else ""


class UnknownEditionError(UnknownKeyError):
    """A year that was not a UN E-Government Survey edition."""


class UnknownCountryError(UnknownKeyError):
    """A country code or name that is not in the Survey."""


class UnknownIndexError(UnknownKeyError):
    """An index name (egdi, osi, tii, hci, epi, ...) that is not known."""


class UnknownRegionError(UnknownKeyError):
    """A region, sub-region or group name that is not known."""


def nearest(key: str, choices: Iterable[str], n: int = 3, *, cutoff: float = 0.5) -> list[str]:
    """Return up to ``n`` choices closest to ``key`` (case-insensitive), best first.

    The one place the library measures how close a mistyped name is to the valid ones
    (:func:`difflib.get_close_matches`, similarity at least ``cutoff``).
    """
    pool = list(choices)
    lowered = {c.casefold(): c for c in pool}
    hits = difflib.get_close_matches(key.casefold(), list(lowered), n=n, cutoff=cutoff)
    return [lowered[h] for h in hits]


def did_you_mean(
    key: str,
    choices: Iterable[str],
    n: int = 3,
    *,
    cutoff: float = 0.5,
    show: Callable[[str], str] = str,
    lead: str = "; ",
    paren: bool = False,
    known: bool = False,
    limit: int | None = None,
) -> str:
    """``"; did you mean a, b?"`` with the choices closest to ``key``, or ``""`` if none is.

    The one place the library words a suggestion for a mistyped name.

    Parameters
    ----------
    key
        The unknown name.
    choices
        The valid names.
    n, cutoff
        At most ``n`` suggestions, each at least ``cutoff`` similar (see :func:`nearest`).
    show
        How each suggestion is written (``repr`` quotes it); suggestions written alike
        are named once.
    lead
        What comes before ``"did you mean"`` (``""`` to start a phrase of one's own).
    paren
        Write ``" (did you mean a, b?)"`` instead, to follow each of several unknown
        names in a list.
    known
        When nothing is close, name the valid choices instead (``"; known: a, b, c"``,
        ``"; there are none"`` when there are none) rather than saying nothing.
    limit
        Name at most this many valid choices (and how many there are in all); all when
        ``None``.
    """
    pool = list(choices)
    # every close choice, best first, so that choices ``show`` writes alike count once
    close = nearest(key, pool, max(len(pool), 1), cutoff=cutoff)
    hint = list(dict.fromkeys(show(h) for h in close))[:n]
    if hint:
        phrase = f"did you mean {', '.join(hint)}?"
        return f" ({phrase})" if paren else f"{lead}{phrase}"
    if not known:
        return ""
    if not pool:
        return "; there are none"
    if limit is not None and len(pool) > limit:
        return f"; known: {', '.join(pool[:limit])}, ... ({len(pool)} in all)"
    return f"; known: {', '.join(pool)}"


def unknown_message(what: str, key: str, choices: Iterable[str]) -> str:
    """Return "<what> '<key>' is not known" with the nearest choices, or all of them.

    Parameters
    ----------
    what
        What was looked up, e.g. ``"framework 'x': option"``.
    key
        The unknown key.
    choices
        The valid keys (``"there are none"`` is said when empty).
    """
    return f"{what} {key!r} is not known{did_you_mean(key, choices, known=True)}"
