"""A Monte Carlo run on a Dask LocalCluster equals the run in this process."""

from __future__ import annotations

import numpy as np
import pytest

from egovindex.composite import Leaf, Node
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


def test_local_cluster_equals_numpy() -> None:
    tree = Node(
        "root",
        [Leaf("a", ZScore()), Leaf("b", ZScore()), Leaf("c", MinMax())],
        [0.4, 0.3, 0.3],
        rescale=MinMax(),
    )
    data = np.random.default_rng(1).random((20, 3))
    p = Problem(
        tree,
        data,
        ["a", "b", "c"],
        [f"E{i}" for i in range(20)],
        [DirichletWeights("root", 20), AggregationChoice(zeros="zero"), IndicatorNoise(0.05)],
        levels=EGDI_LEVELS,
    )
    local = monte_carlo(p, 2500, seed=4, chunk_size=1000)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = monte_carlo_dask(p, 2500, seed=4, chunk_size=700, client=client)
    np.testing.assert_array_equal(remote.rank_counts, local.rank_counts)
    np.testing.assert_array_equal(remote.level_counts, local.level_counts)
    assert (remote.valid, remote.failures) == (local.valid, local.failures)
    np.testing.assert_array_equal(remote.median_rank, local.median_rank)
