"""Invariants of domestic scoring, checked with hypothesis."""

from fractions import Fraction

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

import egovindex as eg
from egovindex.domestic import Catalogue, load_framework, parse_framework

DTI = load_framework("vn-dti-province-2022")
V3 = load_framework("vn-dti-province-2024")
MAX_POINTS = {c: DTI.indicator(c).max_points or 0.0 for c in DTI.codes}

unit = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def dti_scores(draw: st.DrawFn) -> list[dict[str, object]]:
    n = draw(st.integers(1, 12))
    return [{"entity": f"P{i}", **{c: draw(unit) for c in DTI.codes}} for i in range(n)]


@st.composite
def dti_points(draw: st.DrawFn) -> list[dict[str, object]]:
    n = draw(st.integers(1, 12))
    return [
        {"entity": f"P{i}", **{c: draw(st.floats(0.0, m)) for c, m in MAX_POINTS.items()}}
        for i in range(n)
    ]


@given(dti_scores())
def test_every_score_lies_in_the_unit_interval(rows: list[dict[str, object]]) -> None:
    result = DTI.score(rows)
    for code in (*result.columns, "total"):
        values = result[code]
        assert ((values >= 0) & (values <= 1 + 1e-12)).all()


@given(dti_scores(), st.lists(st.floats(0.01, 1.0), min_size=10, max_size=10))
def test_user_weighted_scores_lie_in_the_unit_interval(
    rows: list[dict[str, object]], raw: list[float]
) -> None:
    # random weights for every group of the v3 framework, normalised explicitly
    weights = dict(zip((*V3.pillar_codes, *V3.codes), raw, strict=True))
    result = V3.score(rows, weights=weights, normalise_weights=True)
    assert ((result.total >= 0) & (result.total <= 1 + 1e-12)).all()


@given(dti_points(), st.data())
def test_more_points_never_lower_an_entitys_total(
    rows: list[dict[str, object]], data: st.DataObject
) -> None:
    i = data.draw(st.integers(0, len(rows) - 1))
    code = data.draw(st.sampled_from(DTI.codes))
    old = float(rows[i][code])  # type: ignore[arg-type]
    new = data.draw(st.floats(old, MAX_POINTS[code]))
    before = DTI.score(rows, input="points")
    changed = [dict(r) for r in rows]
    changed[i][code] = new
    after = DTI.score(changed, input="points")
    assert after.total[i] >= before.total[i] - 1e-12
    assert after.rank()[i] <= before.rank()[i]
    # the others' totals do not move: DTI points are absolute, not relative
    others = [j for j in range(len(rows)) if j != i]
    np.testing.assert_allclose(after.total[others], before.total[others])


RELATIVE = parse_framework(
    """
[framework]
name = "relative"
title = "Relative normalisations"
[total]
weights = "equal"
[[indicators]]
code = "a"
normalisation = "minmax"
[[indicators]]
code = "b"
normalisation = "rank"
[[indicators]]
code = "c"
normalisation = "goalposts"
goalposts = [0, 50]
direction = "lower"
"""
)


@given(
    st.lists(st.tuples(*[st.integers(0, 100)] * 3), min_size=2, max_size=10),
    st.data(),
)
def test_a_better_raw_value_never_lowers_an_entitys_total_under_relative_normalisation(
    raw: list[tuple[int, int, int]], data: st.DataObject
) -> None:
    assume(len({r[0] for r in raw}) > 1)  # min-max needs a spread
    rows = [{"entity": f"E{i}", "a": a, "b": b, "c": c} for i, (a, b, c) in enumerate(raw)]
    i = data.draw(st.integers(0, len(rows) - 1))
    code = data.draw(st.sampled_from(("a", "b", "c")))
    step = data.draw(st.integers(1, 50))
    changed = [dict(r) for r in rows]
    # "better": higher for a and b, lower for the lower-is-better c
    changed[i][code] = int(rows[i][code]) + (step if code != "c" else -step)  # type: ignore[call-overload]
    assume(len({r["a"] for r in changed}) > 1)
    before = RELATIVE.score(rows).total
    after = RELATIVE.score(changed).total
    assert after[i] >= before[i] - 1e-12
    assert ((after >= 0) & (after <= 1 + 1e-12)).all()


@st.composite
def catalogues(draw: st.DrawFn) -> list[dict[str, object]]:
    n = draw(st.integers(1, 30))
    rows = []
    for k in range(n):
        level = draw(st.integers(1, 4))
        online = ""
        if level == 4:
            online = draw(st.sampled_from(["", "full", "partial"]))
        total = draw(st.integers(0, 1000))
        online_dossiers = draw(st.integers(0, total)) if level >= 3 else 0
        given_level: object = level if (level <= 2 or draw(st.booleans())) else ""
        if given_level == "" and not online:
            online = "full" if level == 4 else "partial"
        rows.append(
            {
                "service_id": f"S{k}",
                "agency": draw(st.sampled_from(["A", "B", "C", "D"])),
                "level": given_level,
                "online": online,
                "dossiers_total": total,
                "dossiers_online": online_dossiers,
            }
        )
    return rows


@given(catalogues())
def test_shares_are_ratios_of_counts_in_the_unit_interval(rows: list[dict[str, object]]) -> None:
    cat = Catalogue.from_rows(rows)
    national = cat.shares()
    by = cat.by_agency()
    for s in (national, *by.values()):
        for metric in eg.domestic.SHARE_METRICS:
            num, den = s.counts(metric)
            assert 0 <= num <= den
            value = s.share(metric)
            if den == 0:
                assert np.isnan(value)
            else:
                assert value == num / den
                assert 0.0 <= value <= 1.0
        assert s.level4 <= s.level3_plus <= s.services
        assert s.full_online <= s.level3_plus
    for field in (
        "services",
        "level3_plus",
        "level4",
        "full_online",
        "with_online_dossiers",
        "dossiers_total",
        "dossiers_online",
    ):
        assert getattr(national, field) == sum(getattr(s, field) for s in by.values())


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 100))
def test_share_gap_is_the_least_sufficient_count(a: int, b: int, percent: int) -> None:
    current, total = min(a, b), max(a, b)
    share = Fraction(percent, 100)
    k = eg.share_gap(current, total, percent / 100)
    assert 0 <= k <= total - current
    if total:
        assert Fraction(current + k, total) >= share
        if k:
            assert Fraction(current + k - 1, total) < share
