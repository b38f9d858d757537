"""A synthetic index the size of the JRC's ASEM example: 51 entities, 49 indicators, 4 levels.

Seeded, deterministic data (log-normal indicators with a few outliers) and a tree
index <- 2 pillars <- 8 sub-pillars <- 49 indicators, equal weights within each parent.
The factors mirror the uncertainty analysis in the COINr documentation of that example:
winsorisation (0 to 5 points), normalisation (min-max to [1, 100] or z-scores scaled to
mean 10, sd 2), noisy weights (each raw weight uniform within +/-25 %) and aggregation
(arithmetic or geometric mean).
"""

from __future__ import annotations

import numpy as np

from egovindex.composite import Leaf, Node
from egovindex.normalise import MinMax
from egovindex.uncertainty import (
    AggregationChoice,
    IndicatorNoise,
    NormalisationChoice,
    OutlierCapping,
    Problem,
    UniformWeights,
)

N_ENTITIES = 51
SUB_PILLARS = (7, 6, 6, 6, 6, 6, 6, 6)  # indicators per sub-pillar: 49 in all
PILLARS = ((0, 1, 2, 3), (4, 5, 6, 7))  # sub-pillars per pillar


def tree() -> Node:
    """The 4-level tree (indicator leaves min-max normalised, equal weights)."""
    subs = []
    code = 0
    for s, k in enumerate(SUB_PILLARS):
        leaves = [Leaf(f"i{code + j:02d}", MinMax()) for j in range(k)]
        code += k
        subs.append(Node(f"sub{s}", leaves, [1.0 / k] * k))
    pillars = [
        Node(f"pillar{p}", [subs[i] for i in members], [1.0 / len(members)] * len(members))
        for p, members in enumerate(PILLARS)
    ]
    return Node("index", pillars, [0.5, 0.5])


def data(seed: int = 2026) -> np.ndarray:
    """Seeded raw data ``(51, 49)``: log-normal, a few entities far out on some indicators."""
    rng = np.random.default_rng(seed)
    x = rng.lognormal(mean=3.0, sigma=0.5, size=(N_ENTITIES, sum(SUB_PILLARS)))
    out = rng.random(x.shape) < 0.02
    return np.where(out, x * 6.0, x)


def factors(noise: bool = False) -> list[object]:
    """The factors of the full-rebuild benchmark (optionally with 5 % measurement error)."""
    t = tree()
    nodes = [n for n in t.walk() if isinstance(n, Node)]
    fs: list[object] = [
        OutlierCapping((0, 1, 2, 3, 4, 5)),
        NormalisationChoice(
            ("minmax", "zscore"), minmax_range=(1.0, 100.0), zscore_scale=(10.0, 2.0)
        ),
    ]
    for n in nodes:
        w = np.asarray(n.weights)
        fs.append(UniformWeights(n.name, tuple(0.75 * w), tuple(1.25 * w)))
    fs.append(AggregationChoice(("arithmetic", "geometric"), zeros="fail"))
    if noise:
        fs.append(IndicatorNoise(relative=0.05))
    return fs


def problem(noise: bool = False) -> Problem:
    """The ASEM-size problem."""
    t = tree()
    codes = t.codes
    return Problem(
        t,
        data(),
        codes,
        [f"C{i:02d}" for i in range(N_ENTITIES)],
        factors(noise),  # type: ignore[arg-type]
    )
