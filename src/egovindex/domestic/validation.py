"""Validation of a :class:`~egovindex.domestic.framework.Framework` declaration.

Every check raises :func:`~egovindex.domestic.declaration.framework_error`, which records
the declaration key at fault so that the TOML loader can name the file's line.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import TYPE_CHECKING, Any, get_args

from egovindex.aggregate import Aggregation, ZeroRule
from egovindex.domestic.declaration import (
    KeyPath,
    Normalisation,
    Status,
    WeightRule,
    format_key,
    framework_error,
    group_weights,
)
from egovindex.errors import InputError, UnknownKeyError, WeightError, unknown_message
from egovindex.ranking import RankMethod

if TYPE_CHECKING:
    from egovindex.domestic.framework import Framework

__all__ = ["validate"]

_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_RESERVED = ("entity", "group", "total", "rank", "ranks")


def validate(fw: Framework) -> None:
    """Check a declaration; raise :func:`framework_error` naming the key at fault."""
    for key in ("name", "title"):
        if not str(getattr(fw, key)).strip():
            raise framework_error(f"the framework needs a non-empty {key}", "framework", key)
    _check_status(fw.status, "framework", "status")
    if not fw.indicators:
        raise framework_error(f"framework {fw.name!r} declares no indicators", "indicators")
    seen: dict[str, KeyPath] = {}

    def claim(code: str, *key: str | int) -> None:
        if not _CODE.match(code):
            raise framework_error(
                f"code {code!r} must start with a letter and hold only letters, digits and "
                "underscores (it names a data column)",
                *key,
            )
        if code in _RESERVED:
            raise framework_error(
                f"code {code!r} is reserved for the output ({', '.join(_RESERVED)})", *key
            )
        if code in seen:
            raise framework_error(
                f"code {code!r} is used twice (also at {format_key(seen[code])})", *key
            )
        seen[code] = key

    t = fw.total
    if not _CODE.match(t.code):
        raise framework_error(f"total code {t.code!r} is not a valid code", "total", "code")
    seen[t.code] = ("total", "code")
    _check_choice(t.weights, WeightRule, "total", "weights")
    _check_choice(t.aggregation, Aggregation, "total", "aggregation")
    _check_choice(t.zeros, ZeroRule, "total", "zeros")
    _check_choice(t.rank_method, RankMethod, "total", "rank_method")
    _check_status(t.status, "total", "status")
    if t.rank_digits is not None and not 0 <= t.rank_digits <= 15:
        raise framework_error(
            f"rank_digits must be an integer in 0..15, got {t.rank_digits}", "total", "rank_digits"
        )
    _validate_total(fw)
    for i, p in enumerate(fw.pillars):
        claim(p.code, "pillars", i, "code")
        _check_choice(p.weights, WeightRule, "pillars", i, "weights")
        _check_choice(p.aggregation, Aggregation, "pillars", i, "aggregation")
        _check_choice(p.zeros, ZeroRule, "pillars", i, "zeros")
        _check_status(p.status, "pillars", i, "status")
        _check_points(p.max_points, "pillars", i, "max_points")
    for i, ind in enumerate(fw.indicators):
        claim(ind.code, "indicators", i, "code")
        _check_choice(ind.normalisation, Normalisation, "indicators", i, "normalisation")
        _check_status(ind.status, "indicators", i, "status")
        _check_points(ind.max_points, "indicators", i, "max_points")
        if ind.pillar is not None and ind.pillar not in fw.pillar_codes:
            raise framework_error(
                unknown_message(f"indicator {ind.code!r}: pillar", ind.pillar, fw.pillar_codes),
                "indicators",
                i,
                "pillar",
            )
        if ind.normalisation == "goalposts":
            if ind.goalposts is None:
                raise framework_error(
                    f"indicator {ind.code!r}: normalisation 'goalposts' needs "
                    "goalposts = [lower, upper]",
                    "indicators",
                    i,
                    "normalisation",
                )
            lo, hi = ind.goalposts
            if not (math.isfinite(lo) and math.isfinite(hi) and hi > lo):
                raise framework_error(
                    f"indicator {ind.code!r}: goalposts need finite lower < upper, got "
                    f"[{lo:g}, {hi:g}]",
                    "indicators",
                    i,
                    "goalposts",
                )
        elif ind.goalposts is not None:
            raise framework_error(
                f"indicator {ind.code!r}: goalposts are only used with normalisation "
                f"'goalposts', not {ind.normalisation!r}",
                "indicators",
                i,
                "goalposts",
            )
        if ind.normalisation in ("score", "binary"):
            for key in ("bounds",):
                if getattr(ind, key) is not None:
                    raise framework_error(
                        f"indicator {ind.code!r}: a score lies in [0, 1] (or in [0, max_points]); "
                        f"{key} does not apply",
                        "indicators",
                        i,
                        key,
                    )
        elif ind.max_points is not None:
            raise framework_error(
                f"indicator {ind.code!r}: max_points applies to normalisation 'score' only",
                "indicators",
                i,
                "max_points",
            )
        if ind.bounds is not None:
            lo_b, hi_b = ind.bounds
            if lo_b is not None and hi_b is not None and lo_b > hi_b:
                raise framework_error(
                    f"indicator {ind.code!r}: bounds [{lo_b:g}, {hi_b:g}] are reversed",
                    "indicators",
                    i,
                    "bounds",
                )
        try:
            ind.input_indicator("score")
        except InputError as exc:
            raise framework_error(
                f"indicator {ind.code!r}: {exc}", "indicators", i, "unit"
            ) from None
    for p_i, p in enumerate(fw.pillars):
        if not fw.children(p.code):
            raise framework_error(
                f"pillar {p.code!r} has no indicators (set pillar = {p.code!r} on some)",
                "pillars",
                p_i,
                "code",
            )
        declared = p.max_points
        summed = fw.max_points(p.code) if declared is None else _sum_points(fw, p.code)
        if declared is not None and summed is not None and abs(declared - summed) > 1e-9:
            raise framework_error(
                f"pillar {p.code!r}: max_points {declared:g} differs from the sum of its "
                f"indicators' max_points {summed:g}",
                "pillars",
                p_i,
                "max_points",
            )
    for group in fw.groups:
        _validate_group(fw, group)
    option_groups = _validate_options(fw)
    for group in fw.groups:
        if fw.weight_rule(group) == "option" and group not in option_groups:
            raise framework_error(
                f"the weights of {group!r} come from an option, but no option sets them",
                *_group_key(fw, group),
            )
    _validate_optional(fw)


def _validate_options(fw: Framework) -> dict[str, str]:
    """Check the named options; return which option sets the weights of each group."""
    option_groups: dict[str, str] = {}
    names: set[str] = set()
    for opt in fw.options:
        if opt.name in names:
            raise framework_error(f"option {opt.name!r} is declared twice", "options", opt.name)
        names.add(opt.name)
        _check_status(opt.status, "options", opt.name, "status")
        if not opt.choices:
            raise framework_error(f"option {opt.name!r} has no choices", "options", opt.name)
        if opt.default not in opt.choices:
            raise framework_error(
                unknown_message(f"option {opt.name!r}: default", opt.default, list(opt.choices)),
                "options",
                opt.name,
                "default",
            )
        for choice, ws in opt.choices.items():
            try:
                touched = group_weights(
                    fw, ws, f"option {opt.name}={choice}", normalise=fw.normalise_weights
                )
            except (InputError, UnknownKeyError) as exc:
                raise framework_error(str(exc), "options", opt.name, "choices", choice) from None
            for g in touched:
                if option_groups.setdefault(g, opt.name) != opt.name:
                    raise framework_error(
                        f"options {option_groups[g]!r} and {opt.name!r} both set the "
                        f"weights of {g!r}",
                        "options",
                        opt.name,
                        "choices",
                        choice,
                    )
    return option_groups


def _validate_total(fw: Framework) -> None:
    t = fw.total
    if t.max_points is not None:
        _check_points(t.max_points, "total", "max_points")
        if t.weights != "max_points":
            raise framework_error(
                "total max_points (the points the total is divided by) needs "
                "weights = 'max_points'",
                "total",
                "max_points",
            )
        summed = sum(fw.max_points(k) or 0.0 for k in fw.children(t.code))
        if t.max_points < summed:
            raise framework_error(
                f"total max_points {t.max_points:g} is below the points of its children "
                f"({summed:g})",
                "total",
                "max_points",
            )
    labels = [label for label, _ in t.levels]
    floors = [floor for _, floor in t.levels]
    if len(set(labels)) != len(labels) or not all(label.strip() for label in labels):
        raise framework_error("levels need distinct, non-empty labels", "total", "levels")
    if not all(math.isfinite(f) for f in floors) or any(
        a <= b for a, b in itertools.pairwise(floors)
    ):
        raise framework_error(
            "levels are label = lower threshold, highest first, with finite thresholds "
            f"that decrease; got {dict(t.levels)}",
            "total",
            "levels",
        )


def _validate_group(fw: Framework, group: str) -> None:
    rule = fw.weight_rule(group)
    kids = fw.children(group)
    group_key = _group_key(fw, group)
    for k in kids:
        declared = fw.declared_weight(k)
        key = _child_key(fw, k, "weight")
        if rule != "explicit" and declared is not None:
            raise framework_error(
                f"{k!r} declares a weight, but the weights of {group!r} follow the rule "
                f"{rule!r}; set {group!r} weights = 'explicit' or drop the weight",
                *key,
            )
        if rule == "explicit":
            if declared is None:
                raise framework_error(
                    f"{k!r} needs a weight: the weights of {group!r} are 'explicit'", *key[:-1]
                )
            if not math.isfinite(declared) or declared < 0:
                raise framework_error(
                    f"weight of {k!r} must be finite and non-negative, got {declared:g}", *key
                )
        if rule == "max_points" and fw.max_points(k) is None:
            raise framework_error(
                f"the weights of {group!r} follow max_points, but {k!r} has no max_points",
                *_child_key(fw, k, "max_points"),
            )
    if rule == "explicit":
        ws = [float(fw.declared_weight(k) or 0.0) for k in kids]
        total = sum(ws)
        if total <= 0:
            raise framework_error(f"the weights of {group!r} sum to 0", *group_key)
        if not fw.normalise_weights and abs(total - 1.0) > 1e-9:
            listed = ", ".join(f"{k}={w:g}" for k, w in zip(kids, ws, strict=True))
            raise framework_error(
                f"the weights of {group!r} ({listed}) sum to {total:.12g}, not 1; "
                "fix them or set normalise_weights = true",
                *_child_key(fw, kids[-1], "weight"),
            )
    if rule == "max_points" and sum(fw.max_points(k) or 0.0 for k in kids) <= 0:
        raise framework_error(f"the max_points of {group!r} sum to 0", *group_key)


def _validate_optional(fw: Framework) -> None:
    """An optional indicator may be absent only if no default weight puts it in a total."""
    try:
        default = fw.weights()
    except WeightError:
        default = {}
    for i, ind in enumerate(fw.indicators):
        if not ind.optional:
            continue
        parent = fw.parent(ind.code)
        if parent in default and default[parent][ind.code] > 0:
            raise framework_error(
                f"indicator {ind.code!r} is optional but weighs "
                f"{default[parent][ind.code]:g} in {parent!r}; only an indicator with weight 0 "
                "(ranked separately) may be left out of the data",
                "indicators",
                i,
                "optional",
            )


def _group_key(fw: Framework, group: str) -> KeyPath:
    if group == fw.total.code:
        return ("total", "weights")
    return ("pillars", fw.pillar_codes.index(group), "weights")


def _child_key(fw: Framework, code: str, key: str) -> KeyPath:
    if code in fw.pillar_codes:
        return ("pillars", fw.pillar_codes.index(code), key)
    return ("indicators", fw.codes.index(code), key)


def _sum_points(fw: Framework, pillar: str) -> float | None:
    points = [fw.indicator(k).points for k in fw.children(pillar)]
    if any(p is None for p in points):
        return None
    return float(sum(p for p in points if p is not None))


def _check_choice(value: object, kind: Any, *key: str | int) -> None:
    allowed = get_args(kind)
    if value not in allowed:
        raise framework_error(
            f"{key[-1]} must be one of {', '.join(repr(a) for a in allowed)}, got {value!r}", *key
        )


def _check_status(value: object, *key: str | int) -> None:
    _check_choice(value, Status, *key)


def _check_points(value: float | None, *key: str | int) -> None:
    if value is not None and not (math.isfinite(value) and value > 0):
        raise framework_error(f"max_points must be a positive number, got {value:g}", *key)
