"""A Monte Carlo run on a Dask LocalCluster equals the run in this process."""

from __future__ import annotations

import numpy as np
import pytest

import egovindex.uncertainty.cluster as cluster_module
import egovindex.uncertainty.montecarlo as montecarlo_module
from egovindex.composite import Leaf, Node
from egovindex.errors import InputError
from egovindex.normalise import MinMax, ZScore
from egovindex.uncertainty import (
    EGDI_LEVELS,
    AggregationChoice,
    DirichletWeights,
    IndicatorNoise,
    Problem,
    monte_carlo,
    monte_carlo_dask,
)

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed")


def _problem() -> Problem:
    tree = Node(
        "root",
        [Leaf("a", ZScore()), Leaf("b", ZScore()), Leaf("c", MinMax())],
        [0.4, 0.3, 0.3],
        rescale=MinMax(),
    )
    data = np.random.default_rng(1).random((20, 3))
    return Problem(
        tree,
        data,
        ["a", "b", "c"],
        [f"E{i}" for i in range(20)],
        [DirichletWeights("root", 20), AggregationChoice(zeros="zero"), IndicatorNoise(0.05)],
        levels=EGDI_LEVELS,
    )


def _local_cluster(threads: int) -> distributed.LocalCluster:
    return distributed.LocalCluster(
        n_workers=1, threads_per_worker=threads, processes=False, dashboard_address=None
    )


def test_local_cluster_equals_numpy() -> None:
    p = _problem()
    local = monte_carlo(p, 2500, seed=4, chunk_size=1000)
    with _local_cluster(threads=1) as cluster, distributed.Client(cluster) as client:
        remote = monte_carlo_dask(p, 2500, seed=4, chunk_size=700, client=client)
    np.testing.assert_array_equal(remote.rank_counts, local.rank_counts)
    np.testing.assert_array_equal(remote.level_counts, local.level_counts)
    assert (remote.valid, remote.failures) == (local.valid, local.failures)
    np.testing.assert_array_equal(remote.median_rank, local.median_rank)


def _chunks_tallied(monkeypatch: pytest.MonkeyPatch, module: object) -> list[tuple[int, int]]:
    """Record the replication ranges ``module`` tallies."""
    seen: list[tuple[int, int]] = []
    tally = montecarlo_module.tally_range

    def spy(plan: object, seed: int, lo: int, hi: int, *args: object) -> object:
        seen.append((lo, hi))
        return tally(plan, seed, lo, hi, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "tally_range", spy)
    return seen


def test_default_chunks_are_those_of_monte_carlo(monkeypatch: pytest.MonkeyPatch) -> None:
    # A short run is cut so that every thread gets chunks, on the cluster as in-process:
    # 20_000 replications over 2 threads are 4 chunks of 5120, not one of 16 * 1024.
    p, reps = _problem(), 20_000
    on_dask = _chunks_tallied(monkeypatch, cluster_module)
    in_process = _chunks_tallied(monkeypatch, montecarlo_module)
    with _local_cluster(threads=2) as cluster, distributed.Client(cluster) as client:
        monte_carlo_dask(p, reps, seed=1, client=client)
    monte_carlo(p, reps, seed=1, workers=2)
    assert sorted(on_dask) == sorted(in_process)
    assert [hi - lo for lo, hi in sorted(in_process)] == [5120, 5120, 5120, 4640]
    on_dask.clear()
    in_process.clear()
    monte_carlo_dask(p, reps, seed=1)  # Dask's local scheduler: monte_carlo's default workers
    monte_carlo(p, reps, seed=1)
    assert sorted(on_dask) == sorted(in_process)


def test_an_oversized_chunk_is_refused_as_by_monte_carlo(monkeypatch: pytest.MonkeyPatch) -> None:
    p, reps = _problem(), 10**9

    def no_tally(*_: object) -> None:
        raise AssertionError("a chunk was tallied before its size was checked")

    monkeypatch.setattr(montecarlo_module, "tally_range", no_tally)
    monkeypatch.setattr(cluster_module, "tally_range", no_tally)
    with pytest.raises(InputError, match="chunk_size") as in_process:
        monte_carlo(p, reps, seed=0, chunk_size=reps)
    with pytest.raises(InputError, match="chunk_size") as on_dask:
        monte_carlo_dask(p, reps, seed=0, chunk_size=reps)
    assert str(on_dask.value) == str(in_process.value)
