"""Scoring 193 countries from raw indicators with the UN 2022 methodology.

Timed against a hand-written NumPy computation of the same indices (TII, HCI, OSI, EPI,
EGDI and the EGDI competition ranks) in the same run; the results are checked equal.
Goal: the library within 1.5 times the hand-written code (about 150 microseconds).
"""

from __future__ import annotations

import timeit

import numpy as np
import pytest

eg = pytest.importorskip("egovindex")
raw_csv = pytest.importorskip("egovindex.io.raw_csv")

from egovindex.composite import evaluate_array  # noqa: E402
from egovindex.ranking import rank  # noqa: E402


def _setup() -> tuple[object, object, np.ndarray, tuple[str, ...]]:
    m = eg.methodology(2022, osi_input="raw")  # every index from raw points, as timed by hand
    panel = raw_csv.read_raw_csv(raw_csv.synthetic_raw_csv(), m)
    codes = tuple(panel.codes)
    return m, panel, np.asarray(panel.values), codes


def _by_hand(x: np.ndarray, codes: tuple[str, ...], ed: object) -> dict[str, np.ndarray]:
    col = {c: x[:, codes.index(c)] for c in codes}

    def z(v: np.ndarray) -> np.ndarray:
        return (v - v.mean()) / v.std()

    def mm(v: np.ndarray) -> np.ndarray:
        return (v - v.min()) / (v.max() - v.min())

    cap = ed.tii_cap  # type: ignore[attr-defined]
    tii = mm(
        sum(
            w * z(np.minimum(col[c], cap))
            for c, w in zip(ed.tii_indicators, ed.tii_weights, strict=True)
        )
    )  # type: ignore[attr-defined]
    hci = mm(sum(w * z(col[c]) for c, w in zip(ed.hci_indicators, ed.hci_weights, strict=True)))  # type: ignore[attr-defined]
    osi = mm(col["osi_points"])
    epi = mm(col["epi_points"])
    egdi = (osi + tii + hci) / 3
    return {
        "tii": tii,
        "hci": hci,
        "osi": osi,
        "epi": epi,
        "egdi": egdi,
        "egdi_rank": 1 + (egdi[None, :] > egdi[:, None]).sum(1),
    }


def _best(fn: object, number: int = 200) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number  # type: ignore[arg-type]


def test_un_2022_methodology_score(benchmark) -> None:  # type: ignore[no-untyped-def]
    m, panel, x, codes = _setup()
    ed = m.edition  # type: ignore[attr-defined]
    ref = _by_hand(x, codes, ed)
    benchmark.group = "scoring 193 countries, UN 2022"
    scores = benchmark(m.score, panel)  # type: ignore[attr-defined]
    for k in ("tii", "hci", "osi", "epi", "egdi"):
        np.testing.assert_allclose(getattr(scores, k), ref[k], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(scores.egdi_rank, ref["egdi_rank"])
    hand = _best(lambda: _by_hand(x, codes, ed))
    lib = benchmark.stats.stats.min
    benchmark.extra_info.update(hand_us=round(hand * 1e6, 1), ratio=round(lib / hand, 2))
    print(f"\n[score] library {lib * 1e6:,.0f} us; by hand {hand * 1e6:,.0f} us; x{lib / hand:.2f}")


def test_engine_fast_path(benchmark) -> None:  # type: ignore[no-untyped-def]
    m, panel, x, codes = _setup()
    ed = m.edition  # type: ignore[attr-defined]
    trees = m.trees  # type: ignore[attr-defined]
    egdi_tree = m.tree  # type: ignore[attr-defined]
    dirs = {ind.code: ind.direction for ind in panel.indicators}  # type: ignore[attr-defined]

    def run() -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        v = evaluate_array(egdi_tree, x, codes, dirs)
        e = evaluate_array(trees["epi"], x, codes, dirs)["epi"]
        return v, e, rank(v["egdi"])

    benchmark.group = "scoring 193 countries, UN 2022"
    v, _e, r = benchmark(run)
    ref = _by_hand(x, codes, ed)
    np.testing.assert_allclose(v["egdi"], ref["egdi"], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(r, ref["egdi_rank"])
    hand = _best(lambda: _by_hand(x, codes, ed))
    lib = benchmark.stats.stats.min
    benchmark.extra_info.update(hand_us=round(hand * 1e6, 1), ratio=round(lib / hand, 2))
    print(
        f"\n[engine] library {lib * 1e6:,.0f} us; by hand {hand * 1e6:,.0f} us; x{lib / hand:.2f}"
    )
