"""Monte Carlo rank uncertainty: nominal equivalence, reproducibility, failures, backends."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from egovindex.composite import Leaf, Node, evaluate_array
from egovindex.errors import InputError, MissingDataError, UnknownIndexError, ZeroSpreadError
from egovindex.normalise import Cap, Chain, Identity, MinMax, RankScore, ZScore
from egovindex.panel import Direction
from egovindex.ranking import rank
from egovindex.uncertainty import (
    EGDI_LEVELS,
    AggregationChoice,
    DirichletWeights,
    ImputationChoice,
    IndicatorNoise,
    Levels,
    NormalisationChoice,
    OutlierCapping,
    Problem,
    UniformWeights,
    monte_carlo,
    replicate,
)
from egovindex.uncertainty.montecarlo import default_chunk_size, nominal, tally_range
from egovindex.uncertainty.plan import compile_problem

CODES = ("a", "b", "c", "d", "e")


def _tree() -> Node:
    return Node(
        "root",
        [
            Node(
                "p1",
                [Leaf("a", Chain((Cap(upper=0.9), ZScore()))), Leaf("b", ZScore())],
                [0.4, 0.6],
                rescale=MinMax(),
            ),
            Node("p2", [Leaf("c", MinMax()), Leaf("d", RankScore())], [0.5, 0.5]),
            Leaf("e", MinMax()),
        ],
        [0.5, 0.3, 0.2],
    )


def _data(n: int = 25, seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.05, 1.0, size=(n, len(CODES)))


def _problem(factors=(), n: int = 25, **kw) -> Problem:  # type: ignore[no-untyped-def]
    dirs = {"b": Direction.LOWER}
    return Problem(
        _tree(), _data(n), CODES, [f"E{i:02d}" for i in range(n)], factors, directions=dirs, **kw
    )


ALL_FACTORS = (
    DirichletWeights("root", 30.0),
    UniformWeights("p1", 0.2, 0.8),
    AggregationChoice(zeros="zero"),
    NormalisationChoice(("zscore", "minmax", "nominal"), zscore_scale=(10.0, 2.0)),
    OutlierCapping((0, 1, 2)),
    IndicatorNoise(relative=0.05, codes=("a", "c")),
)


def test_nominal_equals_the_engine_bit_for_bit() -> None:
    p = _problem()
    dirs = dict(zip(p.codes, p.directions, strict=True))
    engine = evaluate_array(p.tree, p.data, p.codes, dirs)["root"]
    nom = nominal(compile_problem(p))
    np.testing.assert_array_equal(nom.scores, engine)
    np.testing.assert_array_equal(nom.ranks, rank(engine))


def test_zero_width_factors_give_the_nominal_ranks_in_every_replication() -> None:
    zero = (
        DirichletWeights("root", math.inf),
        UniformWeights("p1", (0.4, 0.6), (0.4, 0.6)),
        AggregationChoice(("nominal",)),
        NormalisationChoice(("nominal",)),
        OutlierCapping((0,)),
        IndicatorNoise(relative=0.0),
    )
    p = _problem(zero)
    nom = nominal(compile_problem(p))
    reps = replicate(p, 300, seed=1, chunk_size=128)
    assert reps.valid.all()
    assert (reps.ranks == nom.ranks).all()
    np.testing.assert_array_equal(reps.scores, np.broadcast_to(nom.scores, reps.scores.shape))
    summary = monte_carlo(p, 300, seed=1)
    np.testing.assert_array_equal(summary.median_rank, nom.ranks)
    np.testing.assert_array_equal(summary.interval, np.stack([nom.ranks, nom.ranks], 1))
    np.testing.assert_array_equal(summary.p_nominal_rank, 1.0)


def test_identical_entities_share_ranks_in_every_replication() -> None:
    data = _data(12)
    data[3] = data[7]  # two identical entities share their rank in every replication
    p = Problem(_tree(), data, CODES, [f"E{i}" for i in range(12)], [DirichletWeights("root", 5)])
    reps = replicate(p, 200, seed=0)
    assert (reps.ranks[:, 3] == reps.ranks[:, 7]).all()
    for row_s, row_r in zip(reps.scores[:20], reps.ranks[:20], strict=True):
        np.testing.assert_array_equal(row_r, rank(row_s))


@pytest.mark.parametrize("chunk", [5, 333, 1024, 5000])
def test_same_seed_same_result_whatever_the_chunk_size(chunk: int) -> None:
    # 1100 replications cross the boundary of the first random-number block (1024)
    p = _problem(ALL_FACTORS)
    ref = replicate(p, 1100, seed=11, chunk_size=1100)
    got = replicate(p, 1100, seed=11, chunk_size=chunk)
    np.testing.assert_array_equal(got.scores, ref.scores)
    np.testing.assert_array_equal(got.ranks, ref.ranks)
    a = monte_carlo(p, 1100, seed=11, chunk_size=1100)
    b = monte_carlo(p, 1100, seed=11, chunk_size=chunk, workers=2)
    np.testing.assert_array_equal(a.rank_counts, b.rank_counts)
    assert a.failures == b.failures


def test_monte_carlo_tallies_equal_the_replications() -> None:
    p = _problem(ALL_FACTORS, levels=Levels((0.6, 0.3), ("top", "mid", "low")))
    reps = replicate(p, 1500, seed=5)
    s = monte_carlo(p, 1500, seed=5)
    ok = reps.valid
    assert s.valid == int(ok.sum())
    counts = np.zeros_like(s.rank_counts)
    for e in range(len(s.entities)):
        counts[e] = np.bincount(reps.ranks[ok, e] - 1, minlength=len(s.entities))
    np.testing.assert_array_equal(s.rank_counts, counts)
    for e in (0, 9, 24):
        r = reps.ranks[ok, e]
        assert s.median_rank[e] == np.quantile(r, 0.5, method="inverted_cdf")
        assert s.interval[e, 0] == np.quantile(r, 0.05, method="inverted_cdf")
        assert s.interval[e, 1] == np.quantile(r, 0.95, method="inverted_cdf")
        groups = np.where(reps.scores[ok, e] >= 0.6, 0, np.where(reps.scores[ok, e] >= 0.3, 1, 2))
        np.testing.assert_array_equal(s.level_counts[e], np.bincount(groups, minlength=3))
    np.testing.assert_allclose(s.rank_probability.sum(axis=1), 1.0)


def test_different_seeds_differ() -> None:
    p = _problem(ALL_FACTORS)
    a = replicate(p, 50, seed=1)
    b = replicate(p, 50, seed=2)
    assert not np.array_equal(a.scores, b.scores)


def _rank_distribution(values: np.ndarray, sigma: float, e: int) -> np.ndarray:
    """P(rank of entity e = r), entities v_i + sigma*N(0,1) independent (quadrature)."""
    n = values.size
    others = np.delete(values, e)

    def density(x: float, r: int) -> float:
        # probability that exactly r-1 others exceed x (Poisson-binomial), by DP
        p = stats.norm.sf((x - others) / sigma)
        dist = np.zeros(n)
        dist[0] = 1.0
        for q in p:
            dist[1:] = dist[1:] * (1 - q) + dist[:-1] * q
            dist[0] *= 1 - q
        return float(dist[r - 1] * stats.norm.pdf(x, values[e], sigma))

    lo, hi = values[e] - 9 * sigma, values[e] + 9 * sigma
    return np.array([integrate.quad(density, lo, hi, args=(r,))[0] for r in range(1, n + 1)])


def test_interval_coverage_on_a_case_with_a_known_answer() -> None:
    # five entities v = 0, 0.5, 1, 1.5, 2 with independent N(0, 1) measurement error
    values = np.array([0.0, 0.5, 1.0, 1.5, 2.0])
    tree = Node("idx", [Leaf("x", Identity())], [1.0])
    p = Problem(tree, values[:, None], ["x"], list("ABCDE"), [IndicatorNoise(absolute=1.0)])
    reps = 40_000
    s = monte_carlo(p, reps, seed=2024)
    for e in range(5):
        exact = _rank_distribution(values, 1.0, e)
        assert exact.sum() == pytest.approx(1.0, abs=1e-6)
        se = np.sqrt(exact * (1 - exact) / reps)
        assert np.all(np.abs(s.rank_probability[e] - exact) < 5 * se + 1e-9)
        cdf = np.cumsum(exact)
        lo = int(np.argmax(cdf >= 0.05)) + 1
        hi = int(np.argmax(cdf >= 0.95)) + 1
        assert (s.interval[e, 0], s.interval[e, 1]) == (lo, hi)


def test_failures_are_counted_with_their_causes() -> None:
    # geometric means of z-scores meet negative values: those replications fail
    p = _problem((AggregationChoice(nodes=("p1",)), DirichletWeights("root", 50)))
    s = monte_carlo(p, 2000, seed=3)
    reps = replicate(p, 2000, seed=3)
    cause = "geometric mean met a negative value at node 'p1'"
    assert set(s.failures) == {cause}
    assert s.failures[cause] == int(reps.failures[cause].sum()) == s.failed
    assert 700 < s.failed < 1300  # about half the replications choose the geometric mean
    assert s.valid + s.failed == 2000
    assert (reps.ranks[~reps.valid] == 0).all()


def test_a_replication_failing_for_several_causes_is_counted_once() -> None:
    # z-scores under a geometric mean at every node: a replication whose pillars meet a
    # negative value also fails at the parents. Each is counted once, under the first cause.
    leaves = [Leaf(c, ZScore()) for c in "abcd"]
    tree = Node(
        "index",
        [Node("p", leaves[:2], [0.5, 0.5]), Node("q", leaves[2:], [0.5, 0.5])],
        [0.5, 0.5],
    )
    data = np.random.default_rng(0).uniform(1, 100, size=(12, 4))
    factors = [AggregationChoice(("arithmetic", "geometric"), zeros="fail")]
    p = Problem(tree, data, list("abcd"), [f"P{i}" for i in range(12)], factors)
    s = monte_carlo(p, 2000, seed=7)
    assert s.failed > 0
    assert sum(s.failures.values()) == s.failed == s.replications - s.valid
    reps = replicate(p, 2000, seed=7)
    flags = np.stack(list(reps.failures.values()))
    assert (flags.sum(axis=0) == ~reps.valid).all()  # exactly one cause per failure
    assert {c: int(f.sum()) for c, f in reps.failures.items() if f.any()} == dict(s.failures)


def test_zero_rule_under_the_geometric_mean_is_explicit() -> None:
    tree = Node("idx", [Leaf("x", MinMax()), Leaf("y", MinMax())], [0.5, 0.5])
    data = np.random.default_rng(0).random((10, 2))
    ents = [f"E{i}" for i in range(10)]
    fail = Problem(tree, data, ["x", "y"], ents, [AggregationChoice(("geometric",))])
    with pytest.raises(InputError, match="every one of 100 replications failed"):
        monte_carlo(fail, 100, seed=0)
    zero = monte_carlo(
        fail.with_factors([AggregationChoice(("geometric",), zeros="zero")]), 100, seed=0
    )
    assert zero.valid == 100
    floor = monte_carlo(
        fail.with_factors([AggregationChoice(("geometric",), zeros="floor")]), 100, seed=0
    )
    assert floor.valid == 100


def test_zero_variance_after_perturbation_is_a_counted_failure() -> None:
    tree = Node("idx", [Leaf("x", ZScore()), Leaf("y", ZScore())], [0.5, 0.5])
    data = np.array([[0.0, 1.0], [1.0, 2.0], [2.0, 0.5]])
    # clipping every perturbed x into [5, 6] leaves them equal where the noise is large
    noise = IndicatorNoise(absolute=100.0, codes=("x",), clip=(5.0, 6.0))
    p = Problem(tree, data, ["x", "y"], ["A", "B", "C"], [noise])
    s = monte_carlo(p, 500, seed=1)
    assert s.failures == {"zero standard deviation of 'x'": s.failed}
    assert s.failed > 0


def test_nominal_failure_raises() -> None:
    tree = Node("idx", [Leaf("x", ZScore()), Leaf("y", ZScore())], [0.5, 0.5])
    data = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 0.5]])
    p = Problem(tree, data, ["x", "y"], ["A", "B", "C"], [DirichletWeights("idx", 5)])
    with pytest.raises(ZeroSpreadError, match="zero standard deviation of 'x'"):
        monte_carlo(p, 10, seed=0)


def test_missing_data_needs_a_rule_and_imputation_works() -> None:
    data = _data(15)
    data[2, 1] = np.nan
    data[5, 3] = np.nan
    ents = [f"E{i}" for i in range(15)]
    with pytest.raises(MissingDataError, match="missing"):
        monte_carlo(Problem(_tree(), data, CODES, ents, [DirichletWeights("root", 9)]), 10, seed=0)
    p = Problem(
        _tree(),
        data,
        CODES,
        ents,
        [ImputationChoice(("mean", "median", "min", "available")), DirichletWeights("root", 9)],
        missing="available",
    )
    nom = nominal(compile_problem(p))
    from egovindex.composite import evaluate
    from egovindex.panel import Indicator, Panel

    panel = Panel(ents, [Indicator(c, "dimensionless") for c in CODES], data)
    engine = evaluate(p.tree, panel, missing="available")["root"]
    np.testing.assert_allclose(nom.scores, engine, rtol=0, atol=1e-12)
    s = monte_carlo(p, 800, seed=4)
    assert s.valid == 800
    a = replicate(p, 800, seed=4, chunk_size=100)
    b = replicate(p, 800, seed=4, chunk_size=800)
    np.testing.assert_array_equal(a.ranks, b.ranks)


def test_within_ranks_only_members() -> None:
    p = _problem((DirichletWeights("root", 20),), within=("E01", "E05", "E09", "E10"))
    s = monte_carlo(p, 400, seed=0)
    assert s.entities == ("E01", "E05", "E09", "E10")
    assert s.rank_counts.shape == (4, 4)
    nom = nominal(compile_problem(p))
    full = nominal(compile_problem(_problem()))
    idx = [1, 5, 9, 10]
    np.testing.assert_array_equal(nom.ranks, rank(full.scores[idx]))


def test_zero_if_zero_forces_the_target_to_zero() -> None:
    tree = Node("egdi", [Leaf("osi"), Leaf("tii")], [0.5, 0.5])
    data = np.array([[0.0, 0.9], [0.5, 0.5], [0.7, 0.2]])
    p = Problem(
        tree,
        data,
        ["osi", "tii"],
        ["A", "B", "C"],
        [DirichletWeights("egdi", 3)],
        zero_if_zero=("osi",),
        levels=EGDI_LEVELS,
    )
    reps = replicate(p, 100, seed=0)
    assert (reps.scores[:, 0] == 0).all()
    assert (reps.ranks[:, 0] == 3).all()


def test_tally_ranges_add_up() -> None:
    plan = compile_problem(_problem(ALL_FACTORS))
    whole = tally_range(plan, 9, 0, 2000)
    parts = tally_range(plan, 9, 0, 333) + tally_range(plan, 9, 333, 2000)
    np.testing.assert_array_equal(whole.pack(), parts.pack())


def test_bad_arguments_raise() -> None:
    p = _problem((DirichletWeights("root", 20),))
    with pytest.raises(InputError, match="positive integer"):
        monte_carlo(p, 0, seed=0)
    with pytest.raises(InputError, match="seed"):
        monte_carlo(p, 10, seed=-1)
    with pytest.raises(InputError, match="chunk_size"):
        monte_carlo(p, 10, seed=0, chunk_size=0)
    with pytest.raises(InputError, match="quantile"):
        monte_carlo(p, 10, seed=0, quantiles=(0.9, 0.1))
    with pytest.raises(UnknownIndexError, match="did you mean"):
        monte_carlo(_problem((DirichletWeights("roto", 20),)), 10, seed=0)
    with pytest.raises(InputError, match="two factors"):
        monte_carlo(
            _problem((DirichletWeights("root", 2), DirichletWeights("root", 3))), 10, seed=0
        )


def test_progress_is_reported() -> None:
    calls: list[tuple[int, int]] = []
    monte_carlo(
        _problem((DirichletWeights("root", 20),)),
        3000,
        seed=0,
        chunk_size=1024,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(1024, 3000), (2048, 3000), (3000, 3000)]


def test_threads_with_many_chunks_in_order_and_same_result() -> None:
    # 29 chunks for 2 workers: at most 4 are in flight, collected in order
    p = _problem((DirichletWeights("root", 20),))
    calls: list[int] = []
    two = monte_carlo(
        p, 200, seed=3, chunk_size=7, workers=2, progress=lambda d, t: calls.append(d)
    )
    one = monte_carlo(p, 200, seed=3, chunk_size=7)
    assert calls == [*range(7, 200, 7), 200]
    np.testing.assert_array_equal(two.rank_counts, one.rank_counts)


def test_summary_rows_and_lookup() -> None:
    s = monte_carlo(_problem((DirichletWeights("root", 20),), levels=EGDI_LEVELS), 500, seed=0)
    row = s.of("E03")
    assert row["rank"] == s.nominal_rank[3]
    assert sum(row["rank_probabilities"].values()) == pytest.approx(1.0)
    assert sum(row["level_probabilities"].values()) == pytest.approx(1.0)
    with pytest.raises(Exception, match="did you mean"):
        s.of("E3x")
    assert s.to_dict()["replications"] == 500


def test_per_state_layout_equals_per_replication_recomputation() -> None:
    # without noise the leaves are computed once per discrete state. Noise far below the
    # data's last bit (1e-300 on values >= 0.05) forces the per-replication layout
    # without changing a value, and it is drawn after every other factor, so it changes
    # no other draw. A zero-width noise factor does not force it: it perturbs nothing.
    factors = (
        DirichletWeights("root", 30.0),
        UniformWeights("p1", 0.2, 0.8),
        AggregationChoice(zeros="zero"),
        NormalisationChoice(("zscore", "minmax", "nominal"), zscore_scale=(10.0, 2.0)),
        OutlierCapping((0, 1, 2)),
    )
    p = _problem(factors)
    assert not compile_problem(p).has_noise
    assert not compile_problem(p.with_factors([*factors, IndicatorNoise()])).has_noise
    q = p.with_factors([*factors, IndicatorNoise(absolute=1e-300)])
    assert compile_problem(q).has_noise
    a = replicate(p, 1200, seed=8, chunk_size=500)
    b = replicate(q, 1200, seed=8, chunk_size=700)
    np.testing.assert_array_equal(a.valid, b.valid)
    np.testing.assert_array_equal(a.scores, b.scores)
    np.testing.assert_array_equal(a.ranks, b.ranks)


def test_every_core_by_default_gives_the_same_counts() -> None:
    from egovindex.uncertainty.montecarlo import check_workers, parallel_chunk_size

    p = _problem(ALL_FACTORS)
    plan = compile_problem(p)
    # a short run is still shared out: at least two chunks per worker, whole blocks
    assert parallel_chunk_size(plan, 3000, 2) == 1024
    assert parallel_chunk_size(plan, 3000, 1) == default_chunk_size(plan)
    assert check_workers(None, p.data) >= 1
    a = monte_carlo(p, 3000, seed=4, workers=1)
    b = monte_carlo(p, 3000, seed=4)  # workers=None: one per core
    c = monte_carlo(p, 3000, seed=4, workers=3)
    for other in (b, c):
        np.testing.assert_array_equal(a.rank_counts, other.rank_counts)
        np.testing.assert_array_equal(a.level_counts, other.level_counts)
        assert a.failures == other.failures
    with pytest.raises(InputError, match="workers must be a positive integer"):
        monte_carlo(p, 10, seed=0, workers=0)


def test_a_chunk_too_large_for_memory_is_refused() -> None:
    p = _problem(ALL_FACTORS, n=200)
    with pytest.raises(InputError, match=r"chunk_size 10000000 would hold about .* GiB"):
        monte_carlo(p, 10**7, seed=0, chunk_size=10**7)
    # the same chunk size is fine where the run is short: the chunk is the whole run
    assert monte_carlo(p, 50, seed=0, chunk_size=10**7).replications == 50


def test_missing_values_and_zero_weights_warn_nothing() -> None:
    # Dirichlet weights of concentration 0.05 put weight 0 on children; with missing
    # values the available-case shares were once 0/0 (and 0 * log 0) with RuntimeWarnings
    import warnings

    tree = Node("index", [Leaf(c, MinMax()) for c in "abc"], [0.5, 0.3, 0.2])
    data = np.random.default_rng(0).uniform(1, 100, size=(8, 3))
    data[3, 0] = np.nan
    data[4, 1:] = np.nan
    factors = [
        DirichletWeights("index", 0.05),
        AggregationChoice(("arithmetic", "geometric"), zeros="fail"),
        ImputationChoice(("available", "mean")),
    ]
    p = Problem(tree, data, list("abc"), [f"P{i}" for i in range(8)], factors, missing="available")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = monte_carlo(p, 2000, seed=1)
    assert 0 < s.valid < 2000
    assert sum(s.failures.values()) == s.failed
