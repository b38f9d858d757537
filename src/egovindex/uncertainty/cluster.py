"""Monte Carlo runs spread over a Dask cluster (optional extra ``cluster``).

The replications are cut into chunks; a Dask array with one block per chunk is mapped
(``map_blocks``) to the tallies of its chunk, and the blocks are summed on the cluster.
Each chunk draws its own random numbers from the run's seed (see
:mod:`egovindex.uncertainty.sampling`), so the result equals :func:`monte_carlo`'s
bit for bit, whatever the number of workers. Dask is imported only when used.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any

import numpy as np
from numpy.typing import NDArray

from egovindex.errors import InputError
from egovindex.uncertainty.factors import Problem
from egovindex.uncertainty.montecarlo import (
    Tally,
    _check_reps,
    check_workers,
    chunk_for,
    nominal,
    tally_range,
)
from egovindex.uncertainty.plan import Plan, compile_problem
from egovindex.uncertainty.sampling import check_seed
from egovindex.uncertainty.summary import RankSummary, check_quantiles, summarise

__all__ = ["monte_carlo_dask"]


def _block(
    index: NDArray[np.int64], plan: Plan, seed: int, chunk: int, reps: int
) -> NDArray[np.int64]:
    """Tally the chunk whose number is the block's single element."""
    i = int(index[0])
    lo, hi = i * chunk, min((i + 1) * chunk, reps)
    return tally_range(plan, seed, lo, hi).pack()[None, :]


def _threads(client: Any, problem: Problem) -> int:
    """Threads the chunks are spread over: those of ``client``'s workers, else those of
    Dask's current client, else :func:`~egovindex.uncertainty.monte_carlo`'s default."""
    if client is None and "distributed" in sys.modules:  # a current client needs it loaded
        with contextlib.suppress(ValueError):  # none: Dask's local scheduler, on this machine
            client = sys.modules["distributed"].default_client()
    if client is None:
        return check_workers(None, problem.data)
    return max(1, sum(int(n) for n in client.nthreads().values()))


def monte_carlo_dask(
    problem: Problem,
    reps: int,
    *,
    seed: int,
    chunk_size: int | None = None,
    client: Any = None,
    quantiles: tuple[float, float] = (0.05, 0.95),
) -> RankSummary:
    """:func:`~egovindex.uncertainty.monte_carlo` on a Dask distributed cluster.

    Parameters
    ----------
    problem, reps, seed, chunk_size, quantiles
        As for :func:`~egovindex.uncertainty.monte_carlo`; the default ``chunk_size`` is
        the one ``monte_carlo`` would choose with ``workers`` set to the threads of the
        cluster's workers (those of this machine on the local scheduler), and a
        ``chunk_size`` too large for memory is refused the same way.
    client
        A ``distributed.Client``; default: Dask's current client, or the local scheduler.

    Raises
    ------
    InputError
        Dask is not installed (``pip install 'egovindex[cluster]'``), or bad arguments.
    """
    try:
        import dask.array as da
    except ImportError:
        raise InputError(
            "running on a cluster needs Dask: pip install 'egovindex[cluster]'"
        ) from None
    _check_reps(reps, chunk_size)
    check_seed(seed)
    check_quantiles(quantiles)
    plan = compile_problem(problem)
    nom = nominal(plan)
    chunk = chunk_for(plan, chunk_size, int(reps), _threads(client, problem))
    n_chunks = -(-int(reps) // chunk)
    size = Tally.packed_size(plan)
    index = da.arange(n_chunks, chunks=1, dtype=np.int64)
    blocks = index.map_blocks(
        _block,
        plan=plan,
        seed=seed,
        chunk=chunk,
        reps=int(reps),
        new_axis=1,
        chunks=((1,) * n_chunks, (size,)),
        dtype=np.int64,
        meta=np.empty((0, 0), dtype=np.int64),
    )
    total = blocks.sum(axis=0)
    packed = client.compute(total).result() if client is not None else total.compute()
    return summarise(plan, nom, Tally.unpack(np.asarray(packed), plan), quantiles)
