"""Uncertainty and sensitivity analysis of composite indices.

How firm is a rank? Declare the arbitrary choices of an index as input factors (weights,
normalisation, aggregation, measurement error, imputation, outlier capping), replicate
the index many times with them drawn at random, and read each entity's rank
distribution: nominal and median rank, a 5-95 % interval, the probability of each rank
and level group (:func:`monte_carlo`). A Saltelli design gives first-order and
total-effect Sobol indices of each factor on each entity's score and rank
(:func:`sobol`). The method is step 7 of the OECD/JRC *Handbook on Constructing
Composite Indicators* (2008; methodology A.10.1).

The core is vectorised over replications, written against the Python array API
standard (NumPy by default; CuPy, PyTorch or JAX arrays stay on their device), chunked so
memory stays bounded, and seeded so the same seed gives the same result whatever the
chunk size or backend. :func:`monte_carlo_dask` spreads a run over a Dask cluster.
"""

from egovindex.uncertainty.cluster import monte_carlo_dask
from egovindex.uncertainty.factors import (
    EGDI_LEVELS,
    AggregationChoice,
    DirichletWeights,
    Factor,
    ImputationChoice,
    IndicatorNoise,
    Levels,
    NormalisationChoice,
    OutlierCapping,
    Problem,
    UniformWeights,
)
from egovindex.uncertainty.montecarlo import Replications, monte_carlo, replicate
from egovindex.uncertainty.sampling import saltelli
from egovindex.uncertainty.sobol import FewSamplesWarning, SobolIndices, sobol, sobol_indices
from egovindex.uncertainty.summary import RankSummary

__all__ = [
    "EGDI_LEVELS",
    "AggregationChoice",
    "DirichletWeights",
    "Factor",
    "FewSamplesWarning",
    "ImputationChoice",
    "IndicatorNoise",
    "Levels",
    "NormalisationChoice",
    "OutlierCapping",
    "Problem",
    "RankSummary",
    "Replications",
    "SobolIndices",
    "UniformWeights",
    "monte_carlo",
    "monte_carlo_dask",
    "replicate",
    "saltelli",
    "sobol",
    "sobol_indices",
]
