"""The vocabulary of a domestic framework declaration, shared by the framework, its
validation and the TOML loader: the kinds of status, normalisation, weight rule and input,
key paths into a declaration, the error naming one, and the split of given weights into
the framework's groups.

It imports none of them, so that each can import it (the framework's validation is called
by the framework and needs these names).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

from egovindex.errors import FrameworkError, UnknownIndicatorError, WeightError, unknown_message

__all__ = [
    "InputKind",
    "KeyPath",
    "Normalisation",
    "Status",
    "WeightRule",
    "format_key",
    "framework_error",
    "group_weights",
]

Status = Literal["CONFIRMED", "DERIVED", "SECONDARY", "UNCONFIRMED"]
"""How sure the methodology is of a part of a framework (methodology section 0.1)."""

Normalisation = Literal["score", "binary", "goalposts", "minmax", "rank"]
"""How an indicator's data become a score in [0, 1]: ``"score"`` (already in [0, 1],
or earned points divided by ``max_points``), ``"binary"`` (a feature found, 1, or not
found, 0: worth one point, as every question of the UN LOSI, methodology A.6),
``"goalposts"`` (fixed bounds), ``"minmax"`` (relative to the entities scored),
``"rank"`` (share of entities worse)."""

WeightRule = Literal["explicit", "max_points", "equal", "option", "unknown"]
"""How the weights of a group's children are given (see the module docstring)."""

InputKind = Literal["score", "points"]
"""What the data hold for indicators with ``max_points``: scores in [0, 1], or earned
points in [0, max_points]."""

KeyPath = tuple[str | int, ...]


def framework_error(message: str, *key: str | int) -> FrameworkError:
    """Return a :class:`FrameworkError` that remembers the declaration key at fault.

    The TOML loader reads the key (``error.key_path``) to name the line of the file.
    """
    return FrameworkError(message, key_path=tuple(key))


class _Groups(Protocol):
    """What :func:`group_weights` reads from a framework."""

    @property
    def name(self) -> str: ...

    @property
    def pillar_codes(self) -> tuple[str, ...]: ...

    @property
    def codes(self) -> tuple[str, ...]: ...

    def parent(self, code: str) -> str: ...

    def children(self, code: str) -> Sequence[str]: ...


def group_weights(
    fw: _Groups, given: Mapping[str, float], what: str, *, normalise: bool
) -> dict[str, dict[str, float] | None]:
    """Split child -> weight into complete groups; validate every group touched."""
    by_group: dict[str, dict[str, float]] = {}
    known = fw.pillar_codes + fw.codes
    for code, w in given.items():
        if code not in known:
            raise UnknownIndicatorError(
                unknown_message(
                    f"framework {fw.name!r}: {what} name a pillar or indicator", code, known
                )
            )
        value = float(w)
        if not math.isfinite(value) or value < 0:
            raise WeightError(
                f"framework {fw.name!r}: {what}: weight of {code!r} must be finite and "
                f"non-negative, got {w!r}"
            )
        by_group.setdefault(fw.parent(code), {})[code] = value
    out: dict[str, dict[str, float] | None] = {}
    for g, ws in by_group.items():
        kids = fw.children(g)
        left = [k for k in kids if k not in ws]
        if left:
            raise WeightError(
                f"framework {fw.name!r}: {what} cover {', '.join(ws)} of {g!r} but not "
                f"{', '.join(left)}; give a weight for each child of {g!r} (0 leaves one out)"
            )
        total = sum(ws.values())
        if total <= 0:
            raise WeightError(f"framework {fw.name!r}: {what}: the weights of {g!r} sum to 0")
        ordered = {k: ws[k] for k in kids}
        if normalise:
            ordered = {k: v / total for k, v in ordered.items()}
        elif abs(total - 1.0) > 1e-9:
            raise WeightError(
                f"framework {fw.name!r}: {what}: the weights of {g!r} sum to {total:.12g}, "
                "not 1; rescale them or ask for normalise_weights"
            )
        out[g] = ordered
    return out


def format_key(key: KeyPath) -> str:
    """Format a declaration key path as TOML spells it: ``("pillars", 0, "code")`` ->
    ``pillars[0].code``."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out
