"""Monte Carlo uncertainty analysis: replicate the index under random factors, tally ranks.

:func:`monte_carlo` evaluates ``reps`` replications in chunks and keeps, per ranked
entity, how often it took each rank and each level group: integer tallies, so memory
does not grow with ``reps`` and the result does not depend on how the replications are
cut into chunks, run in threads, or spread over a Dask cluster
(:mod:`egovindex.uncertainty.cluster`). :func:`replicate` returns every replication's
scores and ranks instead, for analyses of one's own.

The core runs in the array namespace of the problem's data (NumPy by default; CuPy,
PyTorch or JAX arrays stay on their device); the random numbers are drawn on the host
(:mod:`egovindex.uncertainty.sampling`) and moved to the device chunk by chunk.
"""

from __future__ import annotations

import collections
import concurrent.futures
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from egovindex.arrays import from_numpy, is_numpy, namespace, to_numpy
from egovindex.errors import InputError, ZeroSpreadError
from egovindex.uncertainty.accel import Accelerator, resolve, tally_compiled
from egovindex.uncertainty.factors import Problem
from egovindex.uncertainty.kernel import evaluate_chunk
from egovindex.uncertainty.plan import Plan, compile_problem
from egovindex.uncertainty.ranks import (
    level_index,
    ranks_generic,
    ranks_numpy,
    tally_generic,
    tally_numpy,
)
from egovindex.uncertainty.sampling import BLOCK, Sampler, check_seed
from egovindex.uncertainty.summary import RankSummary, check_quantiles, summarise
from egovindex.uncertainty.tally import Nominal, Tally

__all__ = [
    "AUTO_COMPILED_FROM",
    "MAX_CHUNK_NUMBERS",
    "Nominal",
    "Replications",
    "Tally",
    "check_workers",
    "chunk_for",
    "default_chunk_size",
    "evaluate_draws",
    "monte_carlo",
    "nominal",
    "parallel_chunk_size",
    "replicate",
    "tally_range",
]

AUTO_COMPILED_FROM = 100_000
"""Replications from which ``accelerator="auto"`` uses the compiled tally (numba)."""

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
Progress = Callable[[int, int], None]


@attrs.frozen(eq=False)
class Replications:
    """Every replication of a run (see :func:`replicate`).

    Attributes
    ----------
    entities
        The ranked entities.
    scores, ranks
        ``(reps, n)``: target score and competition rank (0 in a failed replication).
    valid
        ``(reps,)``: whether the replication succeeded.
    failures
        Cause -> ``(reps,)`` flags of the failed replications counted under that cause:
        each failed replication under exactly one, the first of its causes in the plan's
        order (as in :class:`Tally`).
    """

    entities: tuple[str, ...]
    scores: FloatArray
    ranks: IntArray
    valid: NDArray[np.bool_]
    failures: dict[str, NDArray[np.bool_]]


MAX_CHUNK_NUMBERS = 1 << 28
"""The most numbers one chunk's arrays may hold (2 GiB of float64): a larger
``chunk_size`` is refused rather than left to exhaust memory."""


def _numbers_per_replication(plan: Plan) -> int:
    n = plan.n_entities
    per_rep = n * (2 * len(plan.nodes) + 8) + (n * 3 * len(plan.leaves) if plan.has_noise else 0)
    return max(per_rep, 1)


def default_chunk_size(plan: Plan) -> int:
    """Replications per chunk so one chunk's arrays hold about 2**23 numbers."""
    chunk = (1 << 23) // _numbers_per_replication(plan)
    return int(min(16, max(1, chunk // BLOCK)) * BLOCK)


def chunk_for(plan: Plan, chunk_size: int | None, reps: int, workers: int = 1) -> int:
    """The chunk size of a run: ``chunk_size`` (checked against :data:`MAX_CHUNK_NUMBERS`)
    or :func:`parallel_chunk_size`."""
    if chunk_size is None:
        return parallel_chunk_size(plan, reps, workers)
    chunk = min(int(chunk_size), reps)
    per_rep = _numbers_per_replication(plan)
    if chunk * per_rep > MAX_CHUNK_NUMBERS:
        raise InputError(
            f"chunk_size {chunk_size} would hold about {chunk * per_rep * 8 / 2**30:.1f} GiB "
            f"of numbers at once; at most {MAX_CHUNK_NUMBERS // per_rep} for this problem"
        )
    return chunk


def parallel_chunk_size(plan: Plan, reps: int, workers: int) -> int:
    """:func:`default_chunk_size`, made smaller (in whole blocks) so ``workers`` threads
    each get at least two chunks of a short run. The result does not depend on it."""
    chunk = default_chunk_size(plan)
    if workers > 1:
        share = -(-reps // (2 * workers))  # ceil
        chunk = min(chunk, max(BLOCK, -(-share // BLOCK) * BLOCK))
    return chunk


def check_workers(workers: int | None, data: Any = None) -> int:
    """Validate ``workers``; ``None`` means one per core for NumPy data, else one."""
    if workers is None:
        return (os.cpu_count() or 1) if data is None or is_numpy(data) else 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(f"workers must be a positive integer, got {workers!r}")
    return workers


def _device_draws(draws: Sequence[NDArray[Any]], xp: Any, like: Any) -> list[Any]:
    return [from_numpy(xp, d, like) for d in draws]


def evaluate_draws(
    plan: Plan, draws: Sequence[NDArray[Any]], size: int, *, xp: Any = None
) -> tuple[Any, dict[str, Any]]:
    """Evaluate replications with the given host factor values.

    Returns the ranked entities' target scores ``(size, m)`` and the failure flags
    ``cause -> (size,)``, both in the data's namespace and device.
    """
    x = plan.problem.data
    xp = xp or namespace(x)
    out = evaluate_chunk(plan, x, _device_draws(draws, xp, x), size, xp)
    ranked = from_numpy(xp, np.asarray(plan.ranked, dtype=np.int64), x)
    return xp.take(out.scores, ranked, axis=1), dict(out.flags)


def nominal(plan: Plan) -> Nominal:
    """The nominal index of ``plan``.

    Raises
    ------
    ZeroSpreadError
        A normaliser of the nominal index meets zero spread.
    InputError
        The nominal index fails for another reason (a geometric mean meeting a zero or
        a negative value, an entity without observed children).
    """
    x = plan.problem.data
    xp = namespace(x)
    out = evaluate_chunk(plan, x, None, 1, xp)
    for cause, flag in out.flags.items():
        if bool(to_numpy(flag).any()):
            err = ZeroSpreadError if cause.startswith("zero ") else InputError
            raise err(f"the nominal index cannot be computed: {cause}")
    scores = to_numpy(out.scores)[0, list(plan.ranked)].astype(np.float64)
    ranks = ranks_numpy(scores[None, :])[0]
    levels = None
    if plan.problem.levels is not None:
        lv = plan.problem.levels
        levels = level_index(scores, lv.floors, lv.boundary == "upper_inclusive", np)
    return Nominal(scores, ranks, levels)


def tally_range(
    plan: Plan, seed: int, start: int, stop: int, accelerator: Accelerator = "auto"
) -> Tally:
    """Run replications ``start`` to ``stop - 1`` of the seeded run and tally them.

    ``accelerator`` selects the tally of NumPy data (:mod:`egovindex.uncertainty.accel`);
    every choice gives the same counts.
    """
    x = plan.problem.data
    xp = namespace(x)
    size = stop - start
    draws = Sampler(plan, seed).draw(start, stop)
    scores, flags = evaluate_draws(plan, draws, size, xp=xp)
    firsts, failed = first_causes(plan.causes, flags, xp)
    counts = [0 if f is None else int(xp.sum(xp.astype(f, xp.int64))) for f in firsts]
    levels = plan.problem.levels
    m = plan.n_ranked
    if is_numpy(scores) and resolve(accelerator) == "numba":
        ok = np.ones(size, bool) if failed is None else ~np.asarray(failed)
        good = scores[ok] if failed is not None else scores
        floors = () if levels is None else levels.floors
        upper = levels is not None and levels.boundary == "upper_inclusive"
        rank_counts, level_counts = tally_compiled(good, floors, upper)
        if levels is None:
            level_counts = np.zeros((m, 0), np.int64)
        valid = int(ok.sum())
    elif is_numpy(scores):
        ok = np.ones(size, bool) if failed is None else ~np.asarray(failed)
        good = scores[ok]
        rank_counts = tally_numpy(good)
        if levels is None:
            level_counts = np.zeros((m, 0), np.int64)
        else:
            g = len(levels.labels)
            lev = level_index(good, levels.floors, levels.boundary == "upper_inclusive", np)
            flat = (np.arange(m, dtype=np.int64) * g + lev).ravel()
            level_counts = np.bincount(flat, minlength=m * g).reshape(m, g).astype(np.int64)
        valid = int(ok.sum())
    else:
        ok_x = (
            xp.ones((size,), dtype=xp.bool, device=_dev(scores))
            if failed is None
            else xp.logical_not(failed)
        )
        weight = xp.astype(ok_x, xp.int64)
        # failed rows may hold NaN; their weight is 0, and a finite stand-in keeps ranks defined
        safe = xp.where(xp.reshape(ok_x, (-1, 1)), scores, 0.0)
        rank_counts = to_numpy(tally_generic(safe, weight, xp)).astype(np.int64)
        if levels is None:
            level_counts = np.zeros((m, 0), np.int64)
        else:
            lev = level_index(safe, levels.floors, levels.boundary == "upper_inclusive", xp)
            labels = xp.arange(len(levels.labels), dtype=xp.int64, device=_dev(scores))
            onehot = xp.astype(lev[:, :, None] == labels[None, None, :], xp.int64)
            level_counts = to_numpy(xp.sum(onehot * xp.reshape(weight, (-1, 1, 1)), axis=0)).astype(
                np.int64
            )
        valid = int(xp.sum(weight))
    return Tally(size, valid, tuple(counts), rank_counts, level_counts)


def first_causes(causes: Sequence[str], flags: dict[str, Any], xp: Any) -> tuple[list[Any], Any]:
    """Each failed replication flagged under its first cause only, and all failures.

    Returns the flags aligned with ``causes`` (``None`` for a cause that never
    occurred) and the union of the failure flags (``None`` when nothing failed).
    """
    failed: Any = None
    firsts: list[Any] = []
    for cause in causes:
        f = flags.get(cause)
        if f is None:
            firsts.append(None)
            continue
        firsts.append(f if failed is None else xp.logical_and(f, xp.logical_not(failed)))
        failed = f if failed is None else xp.logical_or(failed, f)
    return firsts, failed


def _dev(x: Any) -> Any:
    from egovindex.arrays import device_of

    return device_of(x)


def _chunks(reps: int, chunk: int) -> Iterator[tuple[int, int]]:
    # a generator: a run of any length holds no list of its chunks
    return ((lo, min(lo + chunk, reps)) for lo in range(0, reps, chunk))


def _check_reps(reps: int, chunk_size: int | None) -> None:
    if isinstance(reps, bool) or not isinstance(reps, int | np.integer) or reps < 1:
        raise InputError(f"the number of replications must be a positive integer, got {reps!r}")
    if chunk_size is not None and (not isinstance(chunk_size, int | np.integer) or chunk_size < 1):
        raise InputError(f"chunk_size must be a positive integer, got {chunk_size!r}")


def monte_carlo(
    problem: Problem,
    reps: int,
    *,
    seed: int,
    chunk_size: int | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    quantiles: tuple[float, float] = (0.05, 0.95),
    accelerator: Accelerator = "auto",
) -> RankSummary:
    """Replicate the index ``reps`` times under the problem's factors and summarise ranks.

    Parameters
    ----------
    problem
        Tree, data and factors.
    reps
        Number of replications.
    seed
        Non-negative integer; the same seed gives the same result whatever
        ``chunk_size``, ``workers`` or array library.
    chunk_size
        Replications evaluated together (bounds memory); default from the problem size,
        and small enough that every worker gets a chunk.
    workers
        Threads evaluating chunks at once (NumPy and the compiled tally release the GIL
        in their heavy loops); default: one per core (``os.cpu_count()``) for NumPy
        data, one for other array libraries (their device runs the chunks).
    progress
        Called as ``progress(done, total)`` after each chunk.
    quantiles
        Lower and upper quantile levels of the rank interval (default 5 % and 95 %).
    accelerator
        How NumPy chunks are tallied (:mod:`egovindex.uncertainty.accel`): ``"auto"``
        uses numba where it is installed and the run has at least
        :data:`AUTO_COMPILED_FROM` replications (below that, importing numba costs more
        than it saves), ``"numpy"`` never does, ``"numba"`` requires it. The result is
        the same whichever is used.

    Returns
    -------
    RankSummary
        Nominal and median ranks, intervals, rank and level probabilities, failures.

    Raises
    ------
    InputError
        Bad arguments, or every replication failed (the message lists the causes).
    """
    _check_reps(reps, chunk_size)
    check_seed(seed)
    check_quantiles(quantiles)
    workers = check_workers(workers, problem.data)
    resolve(accelerator)  # an unknown or unavailable accelerator fails before any work
    if accelerator == "auto" and reps < AUTO_COMPILED_FROM:
        accelerator = "numpy"  # importing numba and loading the kernel would cost more
    plan = compile_problem(problem)
    nom = nominal(plan)
    chunk = chunk_for(plan, chunk_size, int(reps), workers)
    ranges = _chunks(int(reps), chunk)
    total = Tally.empty(plan)
    done = 0
    if workers == 1 or reps <= chunk:
        for lo, hi in ranges:
            total = total + tally_range(plan, seed, lo, hi, accelerator)
            done += hi - lo
            if progress is not None:
                progress(done, reps)
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            # at most two chunks per worker in flight, so memory stays bounded
            pending: collections.deque[concurrent.futures.Future[Tally]] = collections.deque()
            for lo, hi in ranges:
                pending.append(pool.submit(tally_range, plan, seed, lo, hi, accelerator))
                while len(pending) >= 2 * workers:
                    total, done = _collect(pending.popleft(), total, done, reps, progress)
            while pending:  # in order, so progress is monotone
                total, done = _collect(pending.popleft(), total, done, reps, progress)
    return summarise(plan, nom, total, quantiles)


def _collect(
    fut: concurrent.futures.Future[Tally],
    total: Tally,
    done: int,
    reps: int,
    progress: Progress | None,
) -> tuple[Tally, int]:
    part = fut.result()
    done += part.replications
    if progress is not None:
        progress(done, reps)
    return total + part, done


def replicate(
    problem: Problem, reps: int, *, seed: int, chunk_size: int | None = None
) -> Replications:
    """Every replication's target scores and ranks (memory grows with ``reps``).

    The same seed gives the same replications as :func:`monte_carlo`.
    """
    _check_reps(reps, chunk_size)
    plan = compile_problem(problem)
    nominal(plan)
    chunk = chunk_for(plan, chunk_size, int(reps))
    sampler = Sampler(plan, seed)
    scores, ranks, valid = [], [], []
    flags: dict[str, list[NDArray[np.bool_]]] = {c: [] for c in plan.causes}
    for lo, hi in _chunks(int(reps), chunk):
        s, f = evaluate_draws(plan, sampler.draw(lo, hi), hi - lo)
        s_host, ok, fl = _host_outcome(s, f, plan, hi - lo)
        r = np.zeros(s_host.shape, np.int64)
        if ok.any():
            if is_numpy(s):
                r[ok] = ranks_numpy(s_host[ok])
            else:
                xp = namespace(s)
                r[ok] = to_numpy(ranks_generic(s, xp)).astype(np.int64)[ok]
        scores.append(s_host)
        ranks.append(r)
        valid.append(ok)
        for c in plan.causes:
            flags[c].append(fl[c])
    return Replications(
        tuple(plan.problem.ranked),
        np.concatenate(scores),
        np.concatenate(ranks),
        np.concatenate(valid),
        {c: np.concatenate(v) for c, v in flags.items()},
    )


def _host_outcome(
    scores: Any, flags: dict[str, Any], plan: Plan, size: int
) -> tuple[FloatArray, NDArray[np.bool_], dict[str, NDArray[np.bool_]]]:
    s = np.asarray(to_numpy(scores), dtype=np.float64)
    host = {c: np.asarray(to_numpy(f), dtype=bool) for c, f in flags.items()}
    firsts, failed = first_causes(plan.causes, host, np)
    fl = {
        c: np.zeros(size, dtype=bool) if f is None else f
        for c, f in zip(plan.causes, firsts, strict=True)
    }
    ok = np.ones(size, dtype=bool) if failed is None else ~failed
    return s, ok, fl
