"""Composite trees and evaluation."""

import attrs
import numpy as np
import pytest

from egovindex.composite import Leaf, Node, compile_flat, evaluate, evaluate_array
from egovindex.errors import InputError, MissingDataError, UnknownIndexError, WeightError
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


# -- compiled flat plans -----------------------------------------------------------------


def _flat_trees() -> list[Node]:
    capped = Chain((Cap(upper=4.0), ZScore()))
    return [
        Node(
            "s",
            [Leaf("a", capped), Leaf("b", ZScore()), Leaf("c", ZScore())],
            [0.2, 0.3, 0.5],
            rescale=MinMax(),
        ),
        Node("m", [Leaf("b", MinMax()), Leaf("c", MinMax())], [0.5, 0.5]),
        Node("r", [Leaf("a")], [1.0]),
    ]


def _engine(trees: list[Node], panel: Panel) -> tuple[dict, dict, dict]:  # type: ignore[type-arg]
    values: dict = {}  # type: ignore[type-arg]
    fitted: dict = {}  # type: ignore[type-arg]
    raw: dict = {}  # type: ignore[type-arg]
    for t in trees:
        s = evaluate(t, panel)
        values.update(s.values)
        fitted.update(s.fitted)
        raw.update(s.raw)
    return values, fitted, raw


@pytest.mark.parametrize("ddof", [0, 1])
def test_flat_plan_is_bit_for_bit_the_engine(ddof: int) -> None:
    rng = np.random.default_rng(3)
    panel = Panel.from_columns(
        [f"E{i}" for i in range(41)],
        {"a": rng.uniform(0, 9, 41), "b": rng.uniform(0, 50, 41), "c": rng.uniform(1, 5, 41)},
        INDS,
    )
    trees = _flat_trees()
    if ddof:
        trees[0] = attrs.evolve(
            trees[0],
            children=[attrs.evolve(c, normaliser=ZScore(ddof=1)) for c in trees[0].children],
        )
    plan = compile_flat(trees, panel.codes, {i.code: i.direction for i in INDS})
    assert plan is not None
    got = plan.evaluate(np.asarray(panel.values))
    assert got is not None
    values, fitted, raw = _engine(trees, panel)
    assert list(got.values) == list(values)
    for k, v in values.items():
        assert got.values[k].tobytes() == v.tobytes(), k
        assert not got.values[k].flags.writeable
    assert list(got.fitted) == list(fitted)
    assert len(got.fitted) == len(fitted)
    with np.printoptions(floatmode="unique"):  # every digit: repr equal = values equal
        for k, f in fitted.items():
            assert type(got.fitted[k]) is type(f)
            assert repr(got.fitted[k]) == repr(f)
    assert got.fitted["s"] is got.fitted["s"]  # built once, on first read
    with pytest.raises(KeyError):
        got.fitted["nope"]
    assert {k: v.tobytes() for k, v in got.raw.items()} == {k: v.tobytes() for k, v in raw.items()}


def test_flat_plan_defers_errors_and_other_shapes_to_the_engine() -> None:
    dirs = {i.code: i.direction for i in INDS}
    plan = compile_flat(_flat_trees(), PANEL.codes, dirs)
    assert plan is not None
    constant = np.asarray(PANEL.values).copy()
    constant[:, 1] = 7.0
    assert plan.evaluate(constant) is None  # zero spread: evaluate() raises and words it
    assert plan.evaluate(np.empty((0, 3))) is None
    geometric = Node(
        "g", [Leaf("a", MinMax()), Leaf("b", MinMax())], [0.5, 0.5], aggregation="geometric"
    )
    assert compile_flat([geometric], PANEL.codes, dirs) is None
    assert compile_flat([tree()], PANEL.codes, dirs) is None  # nested node
    lenient = Node("z", [Leaf("a", ZScore(on_zero_spread="zero"))], [1.0])
    assert compile_flat([lenient], PANEL.codes, dirs) is None
    raw_lower = Node("l", [Leaf("c")], [1.0])  # evaluate() rejects it with a message
    assert compile_flat([raw_lower], PANEL.codes, dirs) is None
    assert compile_flat([Node("x", [Leaf("a", ZScore())], [1.0])], ["b"], dirs) is None
