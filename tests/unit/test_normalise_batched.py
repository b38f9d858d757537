"""Batched fits: one fit over a batch of rows equals a fit per row, bit for bit; failures
recorded per row; a user's normaliser runs in evaluate and in Monte Carlo alike."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovindex.composite import Leaf, Node, evaluate
from egovindex.errors import EgovIndexError, InputError, NonFiniteError, ZeroSpreadError
from egovindex.normalise import (
    Affine,
    Cap,
    Chain,
    Failures,
    FittedZScore,
    Goalposts,
    Identity,
    MinMax,
    Normaliser,
    RankScore,
    RatioToTarget,
    ZScore,
    causes_of,
)
from egovindex.panel import Direction, Indicator, Panel
from egovindex.uncertainty import (
    DirichletWeights,
    IndicatorNoise,
    NormalisationChoice,
    Problem,
    monte_carlo,
)

NORMALISERS: list[Normaliser] = [
    ZScore(),
    ZScore(ddof=1),
    ZScore(on_zero_spread="zero"),
    MinMax(),
    MinMax(on_zero_spread="midpoint"),
    Goalposts(0.0, 10.0),
    Goalposts(-5.0, 5.0, clip=False),
    RankScore(),
    RatioToTarget(4.0),
    Identity(),
    Chain((Cap(upper=6.0), ZScore())),
    Chain((Cap(lower=1.0), MinMax(), Affine(1.0, 99.0))),
    Chain((ZScore(), Affine(100.0, 10.0))),
]


@st.composite
def batches(draw: st.DrawFn) -> np.ndarray:
    rows, n = draw(st.integers(1, 5)), draw(st.integers(2, 9))
    cells = st.one_of(
        st.sampled_from([0.0, 1.0, 2.0, 0.1]),
        st.floats(-50, 50, allow_nan=False, width=64),
        st.just(np.nan),
    )
    x = np.array([[draw(cells) for _ in range(n)] for _ in range(rows)])
    x[:, 0] = np.where(np.isnan(x[:, 0]), 1.5, x[:, 0])  # every row has an observed value
    x[:, 1] = np.where(np.isnan(x[:, 1]), -0.5, x[:, 1])  # and two, for ddof=1
    return x


def _row_by_row(norm: Normaliser, x: np.ndarray, direction: Direction) -> tuple[Any, Any]:
    """Each row fitted alone (NaN where the 1-D fit raises) and the rows that raised."""
    out, failed = np.empty_like(x), np.zeros(x.shape[0], dtype=bool)
    for i, row in enumerate(x):
        try:
            out[i] = norm.fit(row, direction, name="v").apply(row)
        except (ZeroSpreadError, NonFiniteError):
            out[i], failed[i] = np.nan, True
    return out, failed


@given(batches(), st.sampled_from(NORMALISERS), st.sampled_from(list(Direction)))
def test_a_batched_fit_is_a_fit_per_row_bit_for_bit(
    x: np.ndarray, norm: Normaliser, direction: Direction
) -> None:
    expected, failed = _row_by_row(norm, x, direction)
    failures: Failures = {}
    got = norm.fit(x, direction, name="v", failures=failures).apply(x)
    recorded = np.zeros(x.shape[0], dtype=bool)
    for mask in failures.values():
        recorded |= np.asarray(mask)
    assert set(failures) <= set(causes_of(norm, "v"))
    np.testing.assert_array_equal(recorded, failed)
    ok = ~failed
    assert np.array_equal(got[ok], expected[ok], equal_nan=True)
    assert np.isfinite(got[failed][~np.isnan(x[failed])]).all()  # failed rows stay finite


@pytest.mark.parametrize(
    ("value", "direction", "target"),
    [(1e-320, Direction.LOWER, 4.0), (1e308, Direction.HIGHER, 0.5)],
)
def test_a_ratio_that_overflows_is_a_failure_not_an_infinity(
    value: float, direction: Direction, target: float
) -> None:
    x = np.array([[1.0, value, 2.0], [1.0, 3.0, 2.0]])
    norm = RatioToTarget(target)
    with pytest.raises(NonFiniteError, match=r"'v'.*overflows"):
        norm.fit(x[0], direction, name="v").apply(x[0])
    failures: Failures = {}
    got = norm.fit(x, direction, name="v", failures=failures).apply(x)
    np.testing.assert_array_equal(failures["ratio to target of 'v' overflows"], [True, False])
    assert np.isfinite(got).all()


@given(batches(), st.sampled_from(NORMALISERS))
def test_the_entity_axis_can_be_any_axis(x: np.ndarray, norm: Normaliser) -> None:
    failures: Failures = {}
    last = norm.fit(x, name="v", failures=failures).apply(x)
    first = norm.fit(x.T, name="v", axis=0, failures={}).apply(x.T)
    assert np.array_equal(first.T, last, equal_nan=True)


def test_without_failures_a_batch_raises_naming_the_indicator() -> None:
    x = np.array([[1.0, 2.0, 3.0], [4.0, 4.0, 4.0]])
    with pytest.raises(ZeroSpreadError, match=r"'osi'.*value 4"):
        ZScore().fit(x, name="osi")
    failures: Failures = {}
    z = ZScore().fit(x, name="osi", failures=failures).apply(x)
    np.testing.assert_array_equal(failures["zero standard deviation of 'osi'"], [False, True])
    np.testing.assert_array_equal(z[1], 0.0)


def test_affine_rescales_scores_and_checks_its_scale() -> None:
    x = np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    t = Chain((ZScore(), Affine(100.0, 10.0))).fit(x).apply(x)
    assert np.mean(t) == 100.0
    assert np.std(t) == 10.0
    np.testing.assert_array_equal(Affine(1.0, 2.0).fit(x, Direction.LOWER).apply(x), 1.0 - 2.0 * x)
    with pytest.raises(InputError, match="positive scale"):
        Affine(0.0, 0.0)


# -- a user's normaliser, written once, in evaluate and in Monte Carlo ------------------


@attrs.frozen
class FittedLog:
    sign: float

    def apply(self, values: Any) -> Any:
        x = np.asarray(values, dtype=np.float64)
        return self.sign * np.log10(np.where(x > 0, x, 1.0))


@attrs.frozen
class Log10:
    """log10 of a positive indicator: a normaliser the library does not know."""

    def causes(self, name: str) -> tuple[str, ...]:
        return (f"non-positive value of {name!r}",)

    def fit(
        self,
        values: Any,
        direction: Direction = Direction.HIGHER,
        *,
        name: str = "",
        axis: int = -1,
        failures: Failures | None = None,
    ) -> FittedLog:
        bad = np.any(np.asarray(values) <= 0, axis=axis)
        if failures is not None:
            failures[f"non-positive value of {name!r}"] = bad
        elif bad.any():
            raise InputError(f"indicator {name!r}: log10 needs positive values")
        return FittedLog(Direction(direction).sign)


def _tree() -> Node:
    return Node(
        "root",
        [Leaf("a", Log10()), Leaf("b", MinMax()), Leaf("c", Chain((Log10(), MinMax())))],
        [0.5, 0.25, 0.25],
        rescale=MinMax(),
    )


X = np.array([[10.0, 3.0, 5.0], [100.0, 1.0, 50.0], [1000.0, 2.0, 7.0], [20.0, 8.0, 9.0]])
ENTITIES = ("w", "x", "y", "z")


def _panel(x: np.ndarray, codes: str = "abc") -> Panel:
    return Panel.from_columns(
        ENTITIES, {c: x[:, j] for j, c in enumerate(codes)}, [Indicator(c) for c in codes]
    )


def test_a_new_normaliser_works_in_evaluate_and_in_monte_carlo() -> None:
    panel = _panel(X)
    scores = evaluate(_tree(), panel)
    np.testing.assert_array_equal(scores["a"], np.log10(X[:, 0]))
    problem = Problem(_tree(), X, "abc", ENTITIES, [DirichletWeights("root", 50.0)])
    result = monte_carlo(problem, 500, seed=1, workers=1)
    assert np.array_equal(result.nominal_score, scores["root"])  # the engine's bits
    assert result.valid == 500


def test_a_new_normaliser_records_its_failures_per_replication() -> None:
    noisy = Problem(_tree(), X, "abc", ENTITIES, [IndicatorNoise(absolute=8.0, codes=("c",))])
    result = monte_carlo(noisy, 400, seed=2, workers=1)
    failed = result.failures["non-positive value of 'c'"]
    assert 0 < failed < 400
    assert result.valid == 400 - failed
    choice = NormalisationChoice(("nominal", "zscore"))
    chosen = monte_carlo(Problem(_tree(), X, "abc", ENTITIES, [choice]), 200, seed=3, workers=1)
    assert chosen.valid == 200
    with pytest.raises(EgovIndexError, match="log10 needs positive"):
        evaluate(_tree(), _panel(-X))


def test_a_cause_a_normaliser_does_not_list_is_refused() -> None:
    @attrs.frozen
    class Unlisted(Log10):
        def causes(self, name: str) -> tuple[str, ...]:
            return ()

    tree = Node("root", [Leaf("a", Unlisted()), Leaf("b", MinMax())], [0.5, 0.5])
    p = Problem(tree, X[:, :2], "ab", ENTITIES, [DirichletWeights("root", 50.0)])
    with pytest.raises(InputError, match="does not list"):
        monte_carlo(p, 10, seed=1, workers=1)


def test_a_constant_with_a_rounding_residue_fails_in_monte_carlo_as_in_evaluate() -> None:
    # mean([0.1] * 3) is 0.10000000000000002, so the std is ~1e-17, not 0: the zero spread
    # is read from the range, in the one fit both paths call
    ents = ENTITIES[:3]
    x = np.column_stack([np.full(3, 0.1), X[:3, 1]])
    tree = Node("root", [Leaf("a", ZScore()), Leaf("b", MinMax())], [0.5, 0.5])
    panel = Panel.from_columns(ents, {"a": x[:, 0], "b": x[:, 1]}, [Indicator("a"), Indicator("b")])
    with pytest.raises(ZeroSpreadError):
        evaluate(tree, panel)
    with pytest.raises(ZeroSpreadError):
        monte_carlo(Problem(tree, x, "ab", ents, [DirichletWeights("root", 9.0)]), 10, seed=1)
    lenient = Node("root", [Leaf("a", MinMax("midpoint")), Leaf("b", MinMax())], [0.5, 0.5])
    choice = NormalisationChoice(("nominal", "zscore"))  # the z-score option fails
    result = monte_carlo(Problem(lenient, x, "ab", ents, [choice]), 200, seed=1, workers=1)
    assert result.failures["zero standard deviation of 'a'"] == 200 - result.valid > 0


def test_fitted_parameters_are_read_only_and_never_freeze_a_callers_array() -> None:
    x = np.array([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]])
    for fitted in (ZScore().fit(x), MinMax().fit(x)):
        for param in attrs.astuple(fitted, recurse=False):
            if isinstance(param, np.ndarray):
                assert not param.flags.writeable
                with pytest.raises(ValueError, match="read-only"):
                    param[...] = 0.0
    mine = np.array([[2.0]])
    z = FittedZScore(mine, np.array([[1.0]]), 1.0, 0)
    assert mine.flags.writeable  # copied, not frozen in place
    mine[0, 0] = 5.0
    assert float(z.mean[0, 0]) == 2.0
