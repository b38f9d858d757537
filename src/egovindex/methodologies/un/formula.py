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

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from egovindex.composite import combine
from egovindex.errors import InputError, NonFiniteError
from egovindex.methodologies.un.editions import EDITIONS, Edition, TopWeights
from egovindex.methodologies.un.editions import edition as _edition

__all__ = [
    "EDITIONS",
    "TopWeights",
    "egdi",
    "top_weights",
    "zero_rule_component",
]

FloatArray = NDArray[np.float64]


def top_weights(edition: int, rule: TopWeights = "published_fit") -> tuple[float, float, float]:
    """Weights of (OSI, TII, HCI) in the EGDI of ``edition``.

    ``rule="published_fit"`` (default) gives 0.34/0.33/0.33 for 2008 and 2010, which
    reproduces the published values (methodology A.1.1 item 3); ``"equal"`` gives 1/3
    each, as contemporaneous descriptions state.
    """
    _edition(edition)  # an unknown year first, as UnknownEditionError
    if rule not in ("published_fit", "equal"):
        raise InputError(f"unknown top_weights rule {rule!r}; choose 'published_fit' or 'equal'")
    return _edition(edition, top_weights_rule=rule).top_weights


def zero_rule_component(edition: int) -> str | None:
    """The component whose zero forces EGDI = 0 in ``edition`` (``"osi"``, ``"hci"`` or None)."""
    return _edition(edition).zero_rule_component


def egdi(
    osi: ArrayLike,
    tii: ArrayLike,
    hci: ArrayLike,
    *,
    edition: int | Edition,
    top_weights_rule: TopWeights | None = None,
    zero_rule: bool | None = None,
) -> FloatArray:
    """EGDI from the three component indices under the rules of ``edition``.

    Parameters
    ----------
    osi, tii, hci
        Component indices (broadcastable arrays or scalars).
    edition
        Survey year, or an :class:`~egovindex.methodologies.un.editions.Edition` whose
        options already hold ``top_weights_rule`` and ``zero_rule``.
    top_weights_rule
        With a year: see :func:`top_weights` (default ``"published_fit"``).
    zero_rule
        With a year: apply the edition's zero rule (EGDI = 0 when OSI = 0 in 2003-2005 and
        2012, when HCI = 0 in 2008 and 2010; methodology A.1.1). Default True.

    Returns
    -------
    numpy.ndarray
        The EGDI, same broadcast shape as the inputs.

    Raises
    ------
    InputError
        A component is not a number, NaN, infinite, negative or above 1 (HCI above 1 is
        accepted for 2003 only, as that Survey published it); or an Edition was given
        together with ``top_weights_rule`` or ``zero_rule``.
    UnknownEditionError
        ``edition`` was not a Survey year.
    """
    ed = _resolve(edition, top_weights_rule, zero_rule)
    return combine(ed.egdi_node, _components(osi, tii, hci, ed))


def _resolve(
    edition: int | Edition, top_weights_rule: TopWeights | None, zero_rule: bool | None
) -> Edition:
    if not isinstance(edition, Edition):
        return _edition(
            edition,
            top_weights_rule="published_fit" if top_weights_rule is None else top_weights_rule,
            zero_rule=True if zero_rule is None else zero_rule,
        )
    if top_weights_rule is not None or zero_rule is not None:
        raise InputError(
            "egdi(): an Edition already holds top_weights_rule and zero_rule; "
            "set them with edition(...) instead"
        )
    return edition


def _components(osi: ArrayLike, tii: ArrayLike, hci: ArrayLike, ed: Edition) -> FloatArray:
    """The three components stacked on a last axis, checked to lie in [0, 1] (A.1.2)."""
    arrays = []
    for label, v in zip(_LABELS, (osi, tii, hci), strict=True):
        try:
            arrays.append(np.asarray(v, dtype=np.float64))
        except (TypeError, ValueError) as exc:
            raise InputError(f"{label} must be numbers ({exc})") from None
    if len({a.shape for a in arrays}) > 1:
        arrays = list(np.broadcast_arrays(*arrays))
    stacked = np.stack(arrays, -1)
    # One pass over all three for the common case; the slow loop words the error.
    high = stacked[..., :2] if ed.hci_above_one else stacked
    if (
        np.isnan(stacked).any()
        or np.isinf(stacked).any()
        or (stacked < 0).any()
        or (high > 1).any()
    ):
        _explain(arrays, ed)
    return stacked


_LABELS = ("OSI", "TII", "HCI")


def _explain(arrays: list[FloatArray], ed: Edition) -> None:
    """Raise naming the first component and value that is no index in [0, 1]."""
    for label, arr in zip(_LABELS, arrays, strict=True):
        if np.isnan(arr).any():
            raise InputError(f"{label} contains a missing (NaN) value; EGDI cannot be computed")
        if np.isinf(arr).any():
            raise NonFiniteError(f"{label} contains an infinite value; EGDI cannot be computed")
        if (arr < 0).any():
            raise InputError(f"{label} value {float(arr[arr < 0].ravel()[0]):g} is negative")
        if (arr > 1).any() and not (label == "HCI" and ed.hci_above_one):
            raise InputError(
                f"{label} value {float(arr[arr > 1].ravel()[0]):g} is above 1; the "
                f"component indices of the {ed.year} Survey lie in [0, 1]"
            )
