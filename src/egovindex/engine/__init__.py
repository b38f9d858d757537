"""The evaluation engine: trees compiled once (:mod:`egovindex.engine.plan`) and run by
one array-API kernel over a leading batch axis (:mod:`egovindex.engine.kernel`).

Every evaluation goes through it: :func:`egovindex.composite.evaluate` (a batch of one),
:func:`egovindex.composite.evaluate_array` (a batch of data sets), the methodologies'
scoring, the exact solver and Monte Carlo (a chunk of replications).
"""
