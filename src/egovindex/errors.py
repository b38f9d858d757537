"""The exceptions of egovindex: one hierarchy rooted in :class:`EgovIndexError`.

Every message names what went wrong concretely: the entity (country, province,
ministry), the indicator and the offending value, or the list of valid choices.
Catch :class:`EgovIndexError` to handle every error the library raises on purpose.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

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


def nearest(key: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` choices closest to ``key`` (case-insensitive), best first.

    Used to build "did you mean ...?" messages.
    """
    pool = list(choices)
    lowered = {c.casefold(): c for c in pool}
    hits = difflib.get_close_matches(key.casefold(), list(lowered), n=n, cutoff=0.5)
    return [lowered[h] for h in hits]


def did_you_mean(key: str, choices: Iterable[str], n: int = 3) -> str:
    """``"; did you mean a, b?"`` with the choices closest to ``key``, or ``""`` if none is.

    The one place the library words a suggestion for a mistyped name.
    """
    hint = nearest(key, choices, n)
    return f"; did you mean {', '.join(hint)}?" if hint else ""


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
    pool = list(choices)
    tail = did_you_mean(key, pool)
    if not tail:
        tail = f"; known: {', '.join(pool)}" if pool else "; there are none"
    return f"{what} {key!r} is not known{tail}"
