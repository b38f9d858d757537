"""Methodology.tree: the EGDI as one tree whose root holds the weights and the zero rule."""

import numpy as np
import pytest

import egovindex as eg
from egovindex.composite import Leaf, Node, combine, evaluate, evaluate_array
from egovindex.errors import InputError, MissingDataError
from egovindex.io.raw_csv import read_raw_csv, synthetic_raw_csv
from egovindex.methodologies.un import INDICATORS, raw_panel
from egovindex.methodologies.un.formula import egdi
from egovindex.panel import Panel
from egovindex.projection.exact import _un_scorer

PANEL = read_raw_csv(synthetic_raw_csv(), 2022)


@pytest.mark.parametrize(
    ("year", "zero"), [(2003, ("osi",)), (2008, ("hci",)), (2012, ("osi",)), (2022, ())]
)
def test_the_root_is_the_editions_top_level(year: int, zero: tuple[str, ...]) -> None:
    m = eg.un.methodology(year)
    assert m.tree.name == "egdi"
    assert [c.name for c in m.tree.children] == ["osi", "tii", "hci"]
    assert m.tree.children == (m.trees["osi"], m.trees["tii"], m.trees["hci"])
    assert m.tree.weights == m.edition.top_weights
    assert m.tree.zero_if_zero == zero  # methodology A.1.1
    assert eg.un.methodology(year, zero_rule=False).tree.zero_if_zero == ()


def test_the_engine_on_the_tree_gives_the_scores_bit_for_bit() -> None:
    m = eg.un.methodology(2022)
    scores = m.score(PANEL)
    whole = evaluate(m.tree, PANEL)
    for name in ("egdi", "osi", "tii", "hci"):
        np.testing.assert_array_equal(whole[name], scores.index(name))


def _panel(m: eg.un.Methodology, rng: np.random.Generator, n: int = 120) -> Panel:
    cols = {}
    for c in m.columns:
        upper = INDICATORS[c].upper
        v = rng.uniform(0.0, 150.0 if upper is None else upper, n)
        if c.endswith("_published"):
            v = rng.uniform(0.0, 1.0, n)
            v[:7] = 0.0  # published zeros: the zero rules of 2003-2012 apply to them
        cols[c] = v
    return raw_panel([f"C{i:03d}" for i in range(n)], cols)


@pytest.mark.parametrize("year", [2003, 2008, 2012, 2018, 2024])
@pytest.mark.parametrize("zero_rule", [True, False])
def test_the_exact_solvers_batch_is_the_formula_over_the_components(
    year: int, zero_rule: bool
) -> None:
    m = eg.un.methodology(year, zero_rule=zero_rule)
    panel = _panel(m, np.random.default_rng(year))
    x = np.repeat(np.asarray(panel.values)[None], 16, axis=0)
    x[:, 5, :] *= np.random.default_rng(1).uniform(0.5, 1.0, size=(16, x.shape[2]))
    codes, dirs = panel.codes, {i.code: i.direction for i in panel.indicators}
    comp = {k: evaluate_array(m.trees[k], x, codes, dirs)[k] for k in ("osi", "tii", "hci")}
    expected = egdi(comp["osi"], comp["tii"], comp["hci"], edition=m.edition)
    got = _un_scorer(m, panel, "egdi").batch(x)
    np.testing.assert_array_equal(got, expected)
    if m.tree.zero_if_zero:
        ruled = comp[m.tree.zero_if_zero[0]] == 0
        assert ruled.any()
        assert (got[ruled] == 0).all()


def test_zero_if_zero_names_a_child() -> None:
    with pytest.raises(InputError, match=r"zero_if_zero child 'os' is not known; did you mean osi"):
        Node("egdi", [Leaf("osi"), Leaf("tii")], [0.5, 0.5], zero_if_zero=("os",))


def test_combine_applies_the_node_step_and_names_an_absent_child() -> None:
    node = Node("egdi", [Leaf("osi"), Leaf("tii")], [0.5, 0.5], zero_if_zero=("osi",))
    np.testing.assert_array_equal(
        combine(node, {"osi": [0.0, 0.4], "tii": 0.8}), [0.0, 0.5 * 0.4 + 0.5 * 0.8]
    )
    with pytest.raises(MissingDataError, match="no values for child tii"):
        combine(node, {"osi": [0.1]})
