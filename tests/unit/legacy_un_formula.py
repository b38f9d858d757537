"""The EGDI formula as it was, kept to test the new one against."""

# ruff: noqa
# mypy: ignore-errors
"""The top-level EGDI formula of each UN E-Government Survey edition.

``EGDI = w_OSI * OSI + w_TII * TII + w_HCI * HCI`` with the edition's weights, plus the
special rules the published tables follow (methodology A.1.1, DERIVED from the UN
Data Center export):

- 2003, 2004, 2005 and 2012: a country with OSI = 0 gets EGDI = 0.
- 2008 and 2010: weights 0.34 / 0.33 / 0.33 (the equal mean does not reproduce the
  published values; ``top_weights="equal"`` gives the stated equal weights), and a
  country with HCI = 0 (no education data) gets EGDI = 0.
- every other edition: the equal-weight mean (2016 Survey Annex A.1; 2018 Annex A.1).

The EGDI itself is never min-max rescaled (its maximum is below 1 in every edition).
"""


from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.errors import InputError, NonFiniteError, UnknownEditionError

__all__ = [
    "EDITIONS",
    "TopWeights",
    "egdi",
    "top_weights",
    "zero_rule_component",
]

FloatArray = NDArray[np.float64]
TopWeights = Literal["published_fit", "equal"]

EDITIONS: tuple[int, ...] = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)
"""Years of the UN E-Government Survey editions."""

_EQUAL = (1 / 3, 1 / 3, 1 / 3)
_FIT_2008_2010 = (0.34, 0.33, 0.33)
_ZERO_RULE: dict[int, str] = {
    2003: "osi",
    2004: "osi",
    2005: "osi",
    2012: "osi",
    2008: "hci",
    2010: "hci",
}


# The 2003 Survey published HCI above 1 for two countries (Micronesia 1.422, Tuvalu 1.03)
# and its EGDI includes them: that edition did not min-max rescale HCI (methodology A.1.2;
# data README, known discrepancies). Every other component of every edition is in [0, 1].
_HCI_ABOVE_ONE = frozenset({2003})


def _check_edition(edition: int) -> int:
    if edition not in EDITIONS:
        raise UnknownEditionError(
            f"{edition} was not a UN E-Government Survey edition; editions: "
            + ", ".join(str(e) for e in EDITIONS)
        )
    return edition


def top_weights(edition: int, rule: TopWeights = "published_fit") -> tuple[float, float, float]:
    """Weights of (OSI, TII, HCI) in the EGDI of ``edition``.

    ``rule="published_fit"`` (default) gives 0.34/0.33/0.33 for 2008 and 2010, which
    reproduces the published values (methodology A.1.1 item 3); ``"equal"`` gives 1/3
    each, as contemporaneous descriptions state.
    """
    _check_edition(edition)
    if rule not in ("published_fit", "equal"):
        raise InputError(f"unknown top_weights rule {rule!r}; choose 'published_fit' or 'equal'")
    if rule == "published_fit" and edition in (2008, 2010):
        return _FIT_2008_2010
    return _EQUAL


def zero_rule_component(edition: int) -> str | None:
    """The component whose zero forces EGDI = 0 in ``edition`` (``"osi"``, ``"hci"`` or None)."""
    return _ZERO_RULE.get(_check_edition(edition))


def egdi(
    osi: ArrayLike,
    tii: ArrayLike,
    hci: ArrayLike,
    *,
    edition: int,
    top_weights_rule: TopWeights = "published_fit",
    zero_rule: bool = True,
) -> FloatArray:
    """EGDI from the three component indices under the rules of ``edition``.

    Parameters
    ----------
    osi, tii, hci
        Component indices (broadcastable arrays or scalars).
    edition
        Survey year.
    top_weights_rule
        See :func:`top_weights`.
    zero_rule
        Apply the edition's zero rule (EGDI = 0 when OSI = 0 in 2003-2005 and 2012, when
        HCI = 0 in 2008 and 2010; methodology A.1.1). Default True.

    Returns
    -------
    numpy.ndarray
        The EGDI, same broadcast shape as the inputs.

    Raises
    ------
    InputError
        A component is not a number, NaN, infinite, negative or above 1 (HCI above 1 is
        accepted for 2003 only, as that Survey published it).
    UnknownEditionError
        ``edition`` was not a Survey year.
    """
    w = top_weights(edition, top_weights_rule)
    arrays = []
    for label, v in (("OSI", osi), ("TII", tii), ("HCI", hci)):
        try:
            arrays.append(np.asarray(v, dtype=np.float64))
        except (TypeError, ValueError) as exc:
            raise InputError(f"{label} must be numbers ({exc})") from None
    o, t, h = arrays
    for label, arr in (("OSI", o), ("TII", t), ("HCI", h)):
        if np.isnan(arr).any():
            raise InputError(f"{label} contains a missing (NaN) value; EGDI cannot be computed")
        if np.isinf(arr).any():
            raise NonFiniteError(f"{label} contains an infinite value; EGDI cannot be computed")
        if (arr < 0).any():
            raise InputError(f"{label} value {float(arr[arr < 0].ravel()[0]):g} is negative")
        if (arr > 1).any() and not (label == "HCI" and edition in _HCI_ABOVE_ONE):
            raise InputError(
                f"{label} value {float(arr[arr > 1].ravel()[0]):g} is above 1; the "
                f"component indices of the {edition} Survey lie in [0, 1]"
            )
    out = w[0] * o + w[1] * t + w[2] * h
    rule = zero_rule_component(edition) if zero_rule else None
    if rule is not None:
        out = np.where((o if rule == "osi" else h) == 0, 0.0, out)
    return np.asarray(out, dtype=np.float64)
