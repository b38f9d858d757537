"""Composite trees and evaluation."""

import attrs
import numpy as np
import pytest

from egovindex.composite import Leaf, Node, combine, evaluate, evaluate_array, evaluate_trees
from egovindex.errors import (
    InputError,
    MissingDataError,
    UnknownIndexError,
    WeightError,
    ZeroSpreadError,
)
from egovindex.normalise import Cap, Chain, MinMax, ZScore
from egovindex.panel import Direction, Indicator, Panel

INDS = [Indicator("a"), Indicator("b"), Indicator("c", direction=Direction.LOWER)]
PANEL = Panel.from_columns(
    ["P", "Q", "R", "S"],
    {"a": [1.0, 2.0, 3.0, 6.0], "b": [10.0, 30.0, 20.0, 40.0], "c": [5.0, 1.0, 3.0, 2.0]},
    INDS,
)


def tree() -> Node:
    sub = Node("sub", [Leaf("a", ZScore()), Leaf("c", ZScore())], [0.5, 0.5], rescale=MinMax())
    return Node("top", [sub, Leaf("b", MinMax())], [0.25, 0.75])


def test_evaluate_matches_hand_computation() -> None:
    s = evaluate(tree(), PANEL)
    a, b, c = (PANEL.column(k) for k in "abc")
    za = (a - a.mean()) / a.std()
    zc = -(c - c.mean()) / c.std()
    comp = 0.5 * za + 0.5 * zc
    sub = (comp - comp.min()) / (comp.max() - comp.min())
    top = 0.25 * sub + 0.75 * (b - b.min()) / (b.max() - b.min())
    np.testing.assert_allclose(s["sub"], sub)
    np.testing.assert_allclose(s["top"], top)
    np.testing.assert_allclose(s.fitted["a"].mean, [a.mean()])  # type: ignore[attr-defined]
    assert s.rank().tolist() == list(np.argsort(np.argsort(-top)) + 1)


def test_scores_are_read_only_and_addressable() -> None:
    s = evaluate(tree(), PANEL)
    with pytest.raises(ValueError, match="read-only"):
        s["top"][0] = 1.0
    assert set(s.of("P")) == {"a", "c", "sub", "b", "top"}
    with pytest.raises(UnknownIndexError, match="did you mean sub"):
        s["sbu"]


def test_evaluate_array_equals_evaluate_per_replication() -> None:
    rng = np.random.default_rng(1)
    batch = PANEL.values[None] * rng.uniform(0.5, 1.5, size=(5, *PANEL.values.shape))
    out = evaluate_array(tree(), batch, PANEL.codes, PANEL.indicators)["top"]
    for r in range(5):
        expected = evaluate(tree(), PANEL.with_values(batch[r]))["top"]
        np.testing.assert_allclose(out[r], expected)


def test_missing_values_are_an_error_unless_available_case_chosen() -> None:
    p = PANEL.with_value("Q", "a", np.nan)
    with pytest.raises(MissingDataError, match=r"a: Q"):
        evaluate(tree(), p)
    s = evaluate(tree(), p, missing="available")
    # Q's sub-index averages only its observed child c (weights rescaled over it)
    c = PANEL.column("c")
    zc = -(c - c.mean()) / c.std()
    assert np.isfinite(s["sub"]).all()
    a = p.column("a")
    za = (a - np.nanmean(a)) / np.nanstd(a)
    comp = np.where(np.isnan(za), zc, 0.5 * za + 0.5 * zc)
    np.testing.assert_allclose(s["sub"], (comp - comp.min()) / (comp.max() - comp.min()))
    both = p.with_value("Q", "c", np.nan)
    with pytest.raises(MissingDataError, match=r"node 'sub': entity 'Q' has no observed child"):
        evaluate(tree(), both, missing="available")


def test_tree_validation() -> None:
    with pytest.raises(WeightError):
        Node("x", [Leaf("a"), Leaf("b")], [0.5, 0.6])
    with pytest.raises(InputError, match="2 children but 1 weights"):
        Node("x", [Leaf("a"), Leaf("b")], [1.0])
    with pytest.raises(InputError, match="unique"):
        Node("x", [Leaf("a"), Leaf("a")], [0.5, 0.5])
    with pytest.raises(MissingDataError, match="d"):
        evaluate(Node("x", [Leaf("d")], [1.0]), PANEL)


def test_lower_is_better_leaf_without_normaliser_is_refused() -> None:
    with pytest.raises(InputError, match="lower-is-better"):
        evaluate(Node("x", [Leaf("c")], [1.0]), PANEL)


def test_geometric_node() -> None:
    t = Node("g", [Leaf("a", MinMax()), Leaf("b", MinMax())], [0.5, 0.5], "geometric", zeros="zero")
    s = evaluate(t, PANEL)
    a = (PANEL.column("a") - 1) / 5
    b = (PANEL.column("b") - 10) / 30
    np.testing.assert_allclose(s["g"], np.sqrt(a * b))


# -- one engine: compiled plans run by the array kernel ----------------------------------


def _forest() -> list[Node]:
    """Trees sharing the leaf ``b`` (same indicator, same normaliser), with a ``ZScore``
    group, a ``Chain`` and a ``MinMax`` group and a raw leaf."""
    capped = Chain((Cap(upper=4.0), ZScore()))
    return [
        Node(
            "s",
            [Leaf("a", capped), Leaf("b", ZScore()), Leaf("c", ZScore())],
            [0.2, 0.3, 0.5],
            rescale=MinMax(),
        ),
        Node(
            "m", [Leaf("b", ZScore()), Leaf("d", MinMax()), Leaf("e", MinMax())], [0.5, 0.25, 0.25]
        ),
        Node("r", [Leaf("a2")], [1.0]),
    ]


def _forest_panel(missing: bool = False) -> Panel:
    rng = np.random.default_rng(3)
    cols = {k: rng.uniform(0, 9, 41) for k in ("a", "b", "c", "d", "e", "a2")}
    if missing:
        cols["c"][[2, 7]] = np.nan
        cols["d"][5] = np.nan
    inds = [Indicator(k, direction=Direction.LOWER if k == "c" else Direction.HIGHER) for k in cols]
    return Panel.from_columns([f"E{i}" for i in range(41)], cols, inds)


@pytest.mark.parametrize("missing", [False, True])
def test_trees_evaluated_together_are_each_tree_evaluated_alone(missing: bool) -> None:
    panel = _forest_panel(missing)
    trees = _forest()
    codes = list(dict.fromkeys(c for t in trees for c in t.codes))
    dirs = [panel.indicator(c).direction for c in codes]
    x = np.stack([panel.column(c) for c in codes], -1)
    values, fitted = evaluate_trees(trees, x, codes, dirs, entities=panel.entities)
    alone: dict[str, np.ndarray] = {}
    for t in trees:
        alone.update(evaluate(t, panel, missing="available").values)
    assert list(values) == list(alone)  # each tree in post-order, a shared leaf once
    for k, v in alone.items():
        assert values[k].tobytes() == v.tobytes(), k
        assert not values[k].flags.writeable
    assert set(fitted) == {"a", "b", "c", "d", "e", "s"}


def test_two_different_steps_of_one_name_are_refused() -> None:
    trees = [Node("s", [Leaf("b", ZScore())], [1.0]), Node("m", [Leaf("b", MinMax())], [1.0])]
    with pytest.raises(InputError, match="two different steps named 'b'"):
        evaluate_trees(trees, np.ones((3, 1)), ["b"], [Direction.HIGHER])


@pytest.mark.parametrize("ddof", [0, 1])
def test_fitted_parameters_are_those_of_a_one_dimensional_fit(ddof: int) -> None:
    panel = _forest_panel()
    t = Node("s", [Leaf("a", ZScore(ddof)), Leaf("b", ZScore(ddof))], [0.5, 0.5], rescale=MinMax())
    s = evaluate(t, panel)
    with np.printoptions(floatmode="unique"):  # every digit: repr equal = values equal
        for code in ("a", "b"):
            direct = ZScore(ddof).fit(panel.column(code), name=code)
            assert repr(s.fitted[code]) == repr(direct)
        agg = np.add.reduce(np.stack([s["a"] * 0.5, s["b"] * 0.5], -1), axis=-1)
        assert repr(s.fitted["s"]) == repr(MinMax().fit(agg, name="s"))
    assert s.fitted["a"] is s.fitted["a"]  # built once, on first read
    with pytest.raises(KeyError):
        s.fitted["nope"]


@pytest.mark.parametrize("missing", [False, True])
def test_leaves_fitted_in_groups_give_the_bits_of_fitting_each_alone(
    missing: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from egovindex.engine import kernel

    panel = _forest_panel(missing)
    grouped = {t.name: evaluate(t, panel, missing="available") for t in _forest()}
    monkeypatch.setattr(kernel, "_GROUP_MAX", 0)  # every leaf fitted on its own
    for t in _forest():
        alone = evaluate(t, panel, missing="available")
        for k, v in alone.values.items():
            assert grouped[t.name].values[k].tobytes() == v.tobytes(), k


def test_a_failing_group_raises_the_error_of_its_own_leaf() -> None:
    panel = _forest_panel()
    cols = {c: panel.column(c).copy() for c in panel.codes}
    cols["c"][:] = 7.0  # the group {b, c} of z-scores meets a zero spread in c
    constant = Panel.from_columns(panel.entities, cols, panel.indicators)
    with pytest.raises(ZeroSpreadError, match="indicator 'c': standard deviation is zero"):
        evaluate(_forest()[0], constant)


def test_the_zero_rule_acts_before_the_rescale_in_every_evaluation() -> None:
    node = Node("x", [Leaf("a"), Leaf("b")], [0.5, 0.5], rescale=MinMax(), zero_if_zero=("a",))
    inds = [Indicator("a"), Indicator("b")]
    p = Panel.from_columns(["P", "Q", "R"], {"a": [0.0, 0.5, 1.0], "b": [1.0, 0.2, 0.6]}, inds)
    s = evaluate(node, p)
    # aggregates (0 by the rule, 0.35, 0.8), then min-max: (0, 0.4375, 1)
    np.testing.assert_allclose(s["x"], [0.0, 0.35 / 0.8, 1.0])
    batch = np.stack([np.asarray(p.values)] * 2)
    np.testing.assert_array_equal(evaluate_array(node, batch, p.codes)["x"][1], s["x"])


@attrs.define  # mutable: unhashable, so its trees cannot be cached by value
class _Doubling:
    factor: float = 2.0

    def fit(
        self,
        values: object,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: object = None,
    ) -> "_Doubled":
        return _Doubled(self.factor)


@attrs.frozen
class _Doubled:
    factor: float

    def apply(self, values: object) -> np.ndarray:
        return np.asarray(values, dtype=np.float64) * self.factor


def test_a_users_unhashable_normaliser_is_evaluated_and_combined() -> None:
    node = Node("t", [Leaf("a", _Doubling()), Leaf("b", MinMax())], [0.5, 0.5])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        hash(node)
    s = evaluate(node, PANEL)
    b = PANEL.column("b")
    np.testing.assert_allclose(s["t"], 0.5 * 2 * PANEL.column("a") + 0.5 * (b - 10) / 30)
    assert s.fitted["a"] == _Doubled(2.0)
    scaled = Node("u", [Leaf("a"), Leaf("b")], [0.5, 0.5], rescale=_Doubling())  # type: ignore[arg-type]
    np.testing.assert_allclose(combine(scaled, {"a": [1.0], "b": [3.0]}), [4.0])


def test_a_strict_run_raises_the_steps_own_errors_naming_node_and_entity() -> None:
    inds = [Indicator("a"), Indicator("b")]
    p = Panel.from_columns(["P", "Q", "R"], {"a": [0.0, 0.5, 1.0], "b": [1.0, 0.2, 0.6]}, inds)
    geometric = Node("g", [Leaf("a"), Leaf("b")], [0.5, 0.5], aggregation="geometric")
    with pytest.raises(InputError, match=r"geometric mean of 'g': 1 child value\(s\) are 0"):
        evaluate(geometric, p)
    shifted = Node("g", [Leaf("a", ZScore()), Leaf("b")], [0.5, 0.5], aggregation="geometric")
    with pytest.raises(InputError, match="geometric mean of 'g': negative child value"):
        evaluate(shifted, p)
    floored = attrs.evolve(geometric, zeros="zero")
    assert evaluate(floored, p)["g"][0] == 0.0  # the "zero" rule: no error, a 0
    gaps = Panel.from_columns(
        ["P", "Q", "R"], {"a": [0.2, np.nan, 1.0], "b": [1.0, np.nan, 0.6]}, inds
    )
    mean = Node("m", [Leaf("a"), Leaf("b")], [0.5, 0.5])
    with pytest.raises(MissingDataError, match="node 'm': entity 'Q' has no observed child"):
        evaluate(mean, gaps, missing="available")
    with pytest.raises(MissingDataError, match="node 'm': entity at position 1 has no"):
        evaluate_array(mean, np.asarray(gaps.values), gaps.codes)
