"""Figures of ``egovindex.plots`` draw the library's numbers, and fail clearly without matplotlib.

Each figure is checked against values computed independently here (published tables,
NumPy means), read back from the matplotlib artists.
"""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest

import egovindex as eg
from egovindex import uncertainty as unc
from egovindex.composite import Leaf, Node
from egovindex.errors import (
    InputError,
    UnknownCountryError,
    UnknownRegionError,
)
from egovindex.normalise import MinMax, ZScore

pytest.importorskip("matplotlib", reason="egovindex.plots needs the plot extra (matplotlib)")

from matplotlib.figure import Figure

from egovindex import plots


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=40)
    return buffer.getvalue()


def test_rank_history_plots_the_published_series() -> None:
    history = eg.load_history()
    fig = plots.rank_history(history, "Viet Nam")
    top, bottom = fig.axes
    years = [s.year for s in history]
    egdi = [s.country("VNM").egdi for s in history]
    ranks = [s.country("VNM").egdi_rank for s in history]
    (egdi_line,) = top.get_lines()
    (rank_line,) = bottom.get_lines()
    np.testing.assert_array_equal(egdi_line.get_xdata(), years)
    np.testing.assert_array_equal(egdi_line.get_ydata(), egdi)
    np.testing.assert_array_equal(rank_line.get_ydata(), ranks)
    low, high = bottom.get_ylim()
    assert low > high  # rank 1 on top
    assert _png(fig).startswith(b"\x89PNG")


def test_rank_history_skips_editions_that_did_not_assess_the_country() -> None:
    history = eg.load_history()
    fig = plots.rank_history(history, "SSD")  # South Sudan: assessed from 2012
    assessed = [s.year for s in history if "SSD" in s.countries]
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_xdata(), assessed)


def test_rank_history_within_a_group_ranks_inside_it() -> None:
    history = eg.load_history()
    fig = plots.rank_history(history, "VNM", within="South-eastern Asia")
    expected = [int(s.rank("egdi", within="South-eastern Asia")[s.locate("VNM")]) for s in history]
    np.testing.assert_array_equal(fig.axes[1].get_lines()[0].get_ydata(), expected)
    assert "South-eastern Asia" in fig.axes[1].get_ylabel()


def test_rank_history_rejects_unknown_country_and_group() -> None:
    history = eg.load_history()
    with pytest.raises(UnknownCountryError):
        plots.rank_history(history, "Atlantis")
    with pytest.raises(UnknownRegionError):
        plots.rank_history(history, "VNM", within="South-East Asia Region")


def _bars(ax: object) -> list[list[float]]:
    return [[p.get_height() for p in c] for c in ax.containers]  # type: ignore[attr-defined]


def test_component_profile_bars_are_the_country_and_simple_group_means() -> None:
    s = eg.load_survey(2022)
    fig = plots.component_profile(s, "VNM")
    (ax,) = fig.axes
    country, group, world = _bars(ax)
    keys = ("osi", "tii", "hci", "epi", "egdi")
    vn = s.country("VNM")
    assert country == [getattr(vn, k) for k in keys]
    members = np.array([r == "South-eastern Asia" for r in s.sub_regions])
    for k, got_group, got_world in zip(keys, group, world, strict=True):
        values = np.array(getattr(s, k))
        assert got_group == pytest.approx(values[members].sum() / members.sum(), abs=1e-12)
        assert got_world == pytest.approx(values.sum() / len(values), abs=1e-12)


def test_component_profile_other_groups() -> None:
    s = eg.load_survey(2024)
    assert len(_bars(plots.component_profile(s, "VNM", group=False).axes[0])) == 2
    fig = plots.component_profile(s, "VNM", group=["VNM", "THA"])
    _, pair, _ = _bars(fig.axes[0])
    assert pair[-1] == pytest.approx((s.country("VNM").egdi + s.country("THA").egdi) / 2)
    with pytest.raises(UnknownRegionError):
        plots.component_profile(s, "VNM", group="Southeast Asia Region")


def test_gap_waterfall_steps_add_up_to_the_egdi_needed() -> None:
    g = eg.gap(eg.load_survey(2020), "VNM", target_rank=78)
    fig = plots.gap_waterfall(g)
    left, right = fig.axes
    bars = list(left.containers[0])
    assert bars[0].get_height() == g.egdi
    assert bars[-1].get_height() == g.egdi_needed
    steps = bars[1:-1]
    assert len(steps) == 3
    assert steps[0].get_y() == g.egdi
    for before, after in itertools.pairwise(steps):
        assert after.get_y() == pytest.approx(before.get_y() + before.get_height(), abs=1e-15)
    top = steps[-1].get_y() + steps[-1].get_height()
    assert top == pytest.approx(g.egdi_after(**dict(g.balanced_mix or {})), abs=1e-15)
    assert top >= g.egdi_needed - 1e-15
    alone = [p.get_height() for p in right.containers[0]]
    assert alone == [g.component_increase[k] for k in ("osi", "tii", "hci")]


def test_gap_waterfall_marks_infeasible_components_and_reached_targets() -> None:
    s = eg.load_survey(2024)
    far = eg.gap(s, "VNM", target_rank=1)
    assert all(v is None for v in far.component_increase.values())
    right = plots.gap_waterfall(far).axes[1]
    labels = [t.get_text() for t in right.texts]
    assert labels.count("infeasible") == 3

    near = eg.gap(s, "VNM", target_rank=80)
    assert near.reached
    left = plots.gap_waterfall(near).axes[0]
    assert left.get_title() == "target already reached"
    assert len(left.containers[0]) == 2  # EGDI now and EGDI needed, no steps


@pytest.fixture(scope="module")
def summary() -> unc.RankSummary:
    data = np.random.default_rng(3).uniform(1, 100, size=(7, 3))
    tree = Node("index", [Leaf(c, ZScore()) for c in "abc"], [0.5, 0.3, 0.2], rescale=MinMax())
    factors = [unc.DirichletWeights("index", 20.0), unc.IndicatorNoise(relative=0.1)]
    problem = unc.Problem(tree, data, list("abc"), [f"E{i}" for i in range(7)], factors)
    return unc.monte_carlo(problem, 400, seed=11)


def test_rank_intervals_draws_each_entity_in_nominal_order(summary: unc.RankSummary) -> None:
    fig = plots.rank_intervals(summary)
    (ax,) = fig.axes
    order = np.argsort(summary.nominal_rank, kind="stable")
    assert [t.get_text() for t in ax.get_yticklabels()] == [summary.entities[i] for i in order]
    (segments,) = ax.collections
    ends = np.array([seg[:, 0] for seg in segments.get_segments()])
    np.testing.assert_allclose(ends[:, 0] + 0.25, summary.interval[order, 0])
    np.testing.assert_allclose(ends[:, 1] - 0.25, summary.interval[order, 1])
    median, nominal = ax.get_lines()
    np.testing.assert_array_equal(median.get_xdata(), summary.median_rank[order])
    np.testing.assert_array_equal(nominal.get_xdata(), summary.nominal_rank[order])


def test_rank_intervals_subset_and_errors(summary: unc.RankSummary) -> None:
    fig = plots.rank_intervals(summary, entities=["E3", "E0"])
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert sorted(shown) == ["E0", "E3"]
    with pytest.raises(InputError, match="at least one entity"):
        plots.rank_intervals(summary, entities=[])
    with pytest.raises(UnknownCountryError, match="E9"):
        plots.rank_intervals(summary, entities=["E9"])


def test_reliability_plots_each_non_empty_bin_of_the_backtest() -> None:
    b = eg.backtest(eg.load_history(), n=500)
    fig = plots.reliability(b)
    ax, hist = fig.axes
    filled = [r for r in b.reliability if r.count]
    points = ax.collections[0].get_offsets()
    np.testing.assert_allclose(points[:, 0], [r.mean_forecast for r in filled])
    np.testing.assert_allclose(points[:, 1], [r.observed for r in filled])
    heights = [p.get_height() for p in hist.patches]
    assert heights == [r.count for r in b.reliability]
    base = np.mean([o.base_rate for o in b.origins])
    assert any(np.allclose(line.get_ydata(), base) for line in ax.get_lines())
    assert f"Brier skill {b.brier_skill:+.3f}" in fig.get_suptitle()
    assert _png(fig)[:4] == b"\x89PNG"
