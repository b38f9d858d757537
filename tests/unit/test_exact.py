"""``egovindex.exact_gap``: least raw-indicator changes with every normaliser refitted.

Answers are checked by re-scoring the changed panel through the ordinary path
(``Methodology.score`` or ``composite.evaluate``) in the test itself.
"""

from __future__ import annotations

import numpy as np
import pytest

import egovindex as eg
from egovindex.composite import Leaf, Node, evaluate
from egovindex.errors import (
    BoundsError,
    InputError,
    MissingDataError,
    UnknownIndexError,
    UnknownIndicatorError,
)
from egovindex.io.raw_csv import read_raw_csv, synthetic_raw_csv
from egovindex.normalise import MinMax, ZScore
from egovindex.panel import Indicator, Panel

M = eg.un.methodology(2022, osi_input="raw")  # the OSI from the questionnaire points
PANEL = read_raw_csv(synthetic_raw_csv(), M)
BASE = M.score(PANEL)
VNM = PANEL.entities.index("VNM")
RANK = int(BASE.egdi_rank[VNM])


def rescored(changes: dict[str, float], country: str = "VNM") -> tuple[int, float]:
    """EGDI rank and value of ``country`` after setting raw values (ordinary scoring)."""
    data = np.array(PANEL.values)
    i = PANEL.entities.index(country)
    for code, value in changes.items():
        data[i, PANEL.codes.index(code)] = value
    s = M.score(PANEL.with_values(data))
    return int(s.egdi_rank[i]), float(s.egdi[i])


def test_one_indicator_least_value_reaches_and_the_next_double_below_does_not() -> None:
    target = RANK - 8
    g = eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=target)
    assert g.feasible
    assert g.verified
    assert g.monotone
    assert g.current_rank == RANK
    assert g.index == "egdi"
    assert g.values is not None
    assert g.effort is not None
    assert g.effort > 0
    v = g.values["osi_points"]
    assert v == PANEL.values[VNM, PANEL.codes.index("osi_points")] + g.effort
    rank_at, value_at = rescored({"osi_points": v})
    assert rank_at <= target
    assert rank_at == g.rank_reached
    assert value_at == g.value_reached
    assert rescored({"osi_points": float(np.nextafter(v, -np.inf))})[0] > target


def test_exact_agrees_with_the_naive_shortcut_below_the_maximum() -> None:
    # With frozen normalisation an OSI rise d costs d * (max - min) points; the exact
    # answer refits the min-max (and the others' EGDI do not move), so the two agree
    # closely unless the country becomes the new maximum.
    g = eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=RANK - 8)
    osi = PANEL.column("osi_points")
    # The EGDI the exact answer needs, as a naive target on the scored (unrounded) values.
    others = np.delete(BASE.egdi, VNM)
    needed = np.sort(others)[::-1][RANK - 8 - 1]
    naive_points = 3 * (needed - BASE.egdi[VNM]) * (osi.max() - osi.min())
    assert g.effort == pytest.approx(naive_points, rel=1e-9)


def test_exact_exceeds_the_naive_shortcut_for_a_new_maximum() -> None:
    # Rank 1 by OSI points alone takes the country past the highest OSQ total: the refit
    # min-max then has a larger range, so each point adds less OSI than the frozen
    # shortcut assumes, and the exact answer needs more points.
    i = int(np.flatnonzero(BASE.egdi_rank == 3)[0])
    country = PANEL.entities[i]
    g = eg.exact_gap(PANEL, M, country, "osi_points", target_rank=1)
    assert g.feasible
    assert g.verified
    assert g.effort is not None
    osi = PANEL.column("osi_points")
    assert osi[i] + g.effort > osi.max()
    needed = np.delete(BASE.egdi, i).max()
    naive_points = 3 * (needed - BASE.egdi[i]) * (osi.max() - osi.min())
    assert g.effort > 1.05 * naive_points
    assert rescored({"osi_points": osi[i] + naive_points}, country)[0] > 1  # shortcut falls short
    assert rescored({"osi_points": osi[i] + g.effort}, country)[0] == 1


def test_equal_relative_rise() -> None:
    codes = ["internet_users_pct", "fixed_broadband_per100", "mobile_broadband_per100"]
    g = eg.exact_gap(PANEL, M, "VNM", codes, rule="equal_relative", target_rank=RANK - 8)
    assert g.feasible
    assert g.verified
    assert g.effort is not None
    assert g.values is not None
    x0 = {c: float(PANEL.values[VNM, PANEL.codes.index(c)]) for c in codes}
    for c in codes:
        assert g.values[c] == pytest.approx(x0[c] * (1 + g.effort), rel=1e-12)
    assert rescored(dict(g.values))[0] <= RANK - 8
    less = {c: x0[c] * (1 + g.effort * (1 - 1e-9)) for c in codes}
    assert rescored(less)[0] > RANK - 8


def test_equal_relative_stops_each_indicator_at_its_bound() -> None:
    # Internet users is a percentage (upper bound 100): a large relative rise stops there.
    codes = ["internet_users_pct", "osi_points"]
    g = eg.exact_gap(PANEL, M, "VNM", codes, rule="equal_relative", target_rank=5)
    assert g.max_effort > 0
    x0 = PANEL.values[VNM, PANEL.codes.index("internet_users_pct")]
    assert x0 * (1 + g.max_effort) > 100
    assert g.feasible
    assert g.verified
    assert g.values is not None
    assert g.values["internet_users_pct"] == 100.0  # saturated on the way
    assert rescored(dict(g.values))[0] <= 5


def test_cheapest_fills_the_cheap_indicator_first() -> None:
    codes = ["internet_users_pct", "osi_points"]
    target = RANK - 5
    alone = eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=target)
    cheap = eg.exact_gap(
        PANEL,
        M,
        "VNM",
        codes,
        rule="cheapest",
        unit_costs={"internet_users_pct": 1000.0, "osi_points": 1.0},
        target_rank=target,
    )
    assert cheap.order[0] == "osi_points"
    assert cheap.verified
    assert cheap.changes is not None
    assert cheap.changes["internet_users_pct"] == 0.0
    assert alone.effort is not None
    assert cheap.effort is not None
    assert cheap.effort == pytest.approx(alone.effort, rel=1e-9)  # cost 1 per point
    dear = eg.exact_gap(
        PANEL,
        M,
        "VNM",
        codes,
        rule="cheapest",
        unit_costs={"internet_users_pct": 1.0, "osi_points": 1000.0},
        target_rank=target,
    )
    assert dear.order[0] == "internet_users_pct"
    assert dear.verified
    assert dear.values is not None
    assert rescored(dict(dear.values))[0] <= target
    # Each single-indicator answer priced at its unit cost is no cheaper than the rule's.
    net = eg.exact_gap(PANEL, M, "VNM", "internet_users_pct", target_rank=target)
    singles = [1000.0 * alone.effort]
    if net.effort is not None:
        singles.append(net.effort)
    assert dear.effort is not None
    assert dear.effort <= min(singles) * (1 + 1e-9)


def test_target_value_and_other_index() -> None:
    target = float(BASE.egdi[VNM]) + 0.02
    g = eg.exact_gap(PANEL, M, "VNM", "mean_years_schooling", target_value=target)
    assert g.feasible
    assert g.verified
    assert g.values is not None
    assert rescored(dict(g.values))[1] >= target
    below = float(np.nextafter(g.values["mean_years_schooling"], -np.inf))
    assert rescored({"mean_years_schooling": below})[1] < target
    tii = eg.exact_gap(PANEL, M, "VNM", "fixed_broadband_per100", target_rank=10, index="tii")
    assert tii.index == "tii"
    assert tii.feasible
    assert tii.verified
    assert tii.values is not None
    data = np.array(PANEL.values)
    data[VNM, PANEL.codes.index("fixed_broadband_per100")] = tii.values["fixed_broadband_per100"]
    assert M.score(PANEL.with_values(data)).rank("tii")[VNM] <= 10


def test_already_there_needs_nothing() -> None:
    g = eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=RANK)
    assert g.effort == 0.0
    assert g.feasible
    assert g.rank_reached == RANK
    assert g.changes == {"osi_points": 0.0}


def test_bound_makes_a_target_infeasible() -> None:
    # Internet users cannot pass 100 %: rank 1 is out of reach through it alone.
    g = eg.exact_gap(PANEL, M, "VNM", "internet_users_pct", target_rank=1)
    x0 = PANEL.values[VNM, PANEL.codes.index("internet_users_pct")]
    assert g.max_effort == pytest.approx(100 - x0)
    assert not g.feasible
    assert g.effort is None
    assert g.values is None
    assert rescored({"internet_users_pct": 100.0})[0] > 1
    assert g.rank_reached == rescored({"internet_users_pct": 100.0})[0]


def test_max_effort_caps_the_search() -> None:
    g = eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=RANK - 8, max_effort=1.0)
    assert g.max_effort == 1.0
    assert not g.feasible


def test_within_a_group_of_entities() -> None:
    group = ["VNM", "THA", "IDN", "PHL", "MYS", "SGP"]
    mask = np.isin(np.asarray(PANEL.entities), group).tolist()

    def rank_in_group(points: float) -> int:
        data = np.array(PANEL.values)
        data[VNM, PANEL.codes.index("osi_points")] = points
        return int(M.score(PANEL.with_values(data)).rank(within=mask)[VNM])

    g = eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=2, within=group)
    assert g.group_size == 6
    assert g.current_rank == rank_in_group(PANEL.column("osi_points")[VNM])
    assert g.feasible
    assert g.verified
    assert g.values is not None
    assert rank_in_group(g.values["osi_points"]) <= 2
    assert rank_in_group(float(np.nextafter(g.values["osi_points"], -np.inf))) > 2
    # Rank 1 in the group is out of reach through OSI points alone.
    top = eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=1, within=group)
    assert not top.feasible
    assert rank_in_group(PANEL.column("osi_points")[VNM] + top.max_effort) > 1


# -- a tree of one's own, and non-monotone ranks ------------------------------------------

TREE = Node("idx", [Leaf("a", ZScore()), Leaf("b", ZScore())], [0.5, 0.5])
SMALL = Panel(
    ["E0", "E1", "E2", "E3", "E4"],
    [Indicator("a", lower=0.0), Indicator("b", lower=0.0)],
    # E0 leads on "a": raising it further inflates the spread of "a", which squeezes the
    # others' differences on "a" so that E3 (low "a", high "b") overtakes E0 again.
    np.array([[7.3, 1.2], [2.1, 3.7], [2.6, 6.2], [1.0, 7.3], [2.5, 6.1]]),
)


def small_rank(a: float) -> int:
    data = np.array(SMALL.values)
    data[0, 0] = a
    return int(evaluate(TREE, SMALL.with_values(data)).rank()[0])


def test_non_monotone_rank_is_reported() -> None:
    g = eg.exact_gap(SMALL, TREE, "E0", "a", target_rank=1, max_effort=20.0)
    efforts = np.linspace(0.0, 20.0, 201)
    ranks = [small_rank(7.3 + e) for e in efforts]  # independent re-scoring
    assert ranks[0] > 1
    assert min(ranks) == 1
    assert ranks[-1] > 1
    assert not g.monotone
    assert len(g.holding) >= 1
    assert g.holding[0][1] < 20.0
    assert g.effort is not None
    assert g.verified
    assert small_rank(7.3 + g.effort) == 1
    assert small_rank(float(np.nextafter(7.3 + g.effort, -np.inf))) > 1
    last_hold = g.holding[-1][1]
    assert small_rank(7.3 + last_hold + 1.0) > 1


def test_monotone_tree_is_flagged_monotone_and_combine_is_used() -> None:
    tree = Node("idx", [Leaf("a", ZScore()), Leaf("b", ZScore())], [0.5, 0.5], rescale=MinMax())
    g = eg.exact_gap(
        SMALL,
        tree,
        "E1",
        "b",
        target_value=0.9,
        combine=lambda v: v["idx"],
    )
    assert g.feasible
    assert g.verified
    assert g.values is not None
    data = np.array(SMALL.values)
    data[1, 1] = g.values["b"]
    assert evaluate(tree, SMALL.with_values(data))["idx"][1] >= 0.9


def test_a_node_tree_gives_the_methodology_answer() -> None:
    trees = M.trees
    egdi_tree = Node("egdi", [trees["osi"], trees["tii"], trees["hci"]], [1 / 3, 1 / 3, 1 / 3])
    a = eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=RANK - 8)
    b = eg.exact_gap(PANEL, egdi_tree, "VNM", "osi_points", target_rank=RANK - 8)
    assert a.effort is not None
    assert b.effort is not None
    assert b.effort == pytest.approx(a.effort, rel=1e-9)


# -- bad input ----------------------------------------------------------------------------


def test_bad_input() -> None:
    with pytest.raises(InputError, match="exactly one target"):
        eg.exact_gap(PANEL, M, "VNM", "osi_points")
    with pytest.raises(InputError, match="exactly one target"):
        eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=3, target_value=0.5)
    with pytest.raises(InputError, match="need a rule"):
        eg.exact_gap(PANEL, M, "VNM", ["osi_points", "epi_points"], target_rank=3)
    with pytest.raises(InputError, match="unknown rule"):
        eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=3, rule="fastest")  # type: ignore[arg-type]
    with pytest.raises(UnknownIndicatorError, match="did you mean osi_points"):
        eg.exact_gap(PANEL, M, "VNM", "osi_point", target_rank=3)
    with pytest.raises(InputError, match="needs unit_costs"):
        eg.exact_gap(PANEL, M, "VNM", ["osi_points"], rule="cheapest", target_rank=3)
    with pytest.raises(InputError, match="missing: osi_points"):
        eg.exact_gap(PANEL, M, "VNM", ["osi_points"], rule="cheapest", unit_costs={}, target_rank=3)
    with pytest.raises(InputError, match="finite and positive"):
        eg.exact_gap(
            PANEL,
            M,
            "VNM",
            ["osi_points"],
            rule="cheapest",
            unit_costs={"osi_points": -1},
            target_rank=3,
        )
    with pytest.raises(InputError, match="only"):
        eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=3, unit_costs={"osi_points": 1})
    with pytest.raises(BoundsError, match="between 1 and 193"):
        eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=0)
    with pytest.raises(InputError, match="not among"):
        eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=1, within=["THA", "IDN"])
    with pytest.raises(InputError, match="grid"):
        eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=1, grid=3)
    with pytest.raises(UnknownIndexError, match="did you mean tii"):
        eg.exact_gap(PANEL, M, "VNM", "osi_points", target_rank=1, index="tij")
    with pytest.raises(InputError, match="unknown entity"):
        eg.exact_gap(PANEL, M, "Atlantis", "osi_points", target_rank=1)
    with pytest.raises(InputError, match="scorer"):
        eg.exact_gap(PANEL, "egdi", "VNM", "osi_points", target_rank=1)  # type: ignore[arg-type]
    zero = Panel(SMALL.entities, SMALL.indicators, np.where(np.eye(5, 2) > 0, 0.0, 1.0))
    with pytest.raises(InputError, match="moves nothing"):
        eg.exact_gap(zero, TREE, "E0", ["a"], rule="equal_relative", target_rank=1)


def test_missing_values_are_rejected_as_scoring_does() -> None:
    data = np.array(PANEL.values)
    data[3, 0] = np.nan
    with pytest.raises(MissingDataError):
        eg.exact_gap(PANEL.with_values(data), M, "VNM", "osi_points", target_rank=3)
