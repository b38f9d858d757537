"""Figures of the library's results, drawn with matplotlib (the optional extra ``plot``).

- :func:`rank_history`: a country's EGDI and rank over every Survey edition;
- :func:`component_profile`: a country's OSI, TII, HCI, EPI and EGDI beside the simple
  means of its sub-region and of the world (methodology A.8.3);
- :func:`gap_waterfall`: from the EGDI a country has to the EGDI a target needs, through
  the least-norm mix of component rises of a :class:`~egovindex.projection.Gap`;
- :func:`rank_intervals`: the nominal rank, median rank and 5-95 % interval of every
  entity of a Monte Carlo :class:`~egovindex.uncertainty.RankSummary`;
- :func:`reliability`: observed frequency against forecast probability, per bin, of a
  rolling-origin :class:`~egovindex.projection.Backtest`.

Each function returns a new :class:`matplotlib.figure.Figure` built without
``matplotlib.pyplot``, so no global state, GUI backend or open-figure registry is touched:
save it with ``fig.savefig(path)``, or show it in a notebook. matplotlib is imported only
when a function is called; without it the call raises
:class:`~egovindex.errors.MissingDependencyError` (an :class:`ImportError`) that says how
to install it (``pip install "egovindex[plot]"``).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from egovindex.errors import InputError, MissingDependencyError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from egovindex.datasets import History, Survey
    from egovindex.datasets.survey import Within
    from egovindex.projection import Backtest, Gap
    from egovindex.uncertainty import RankSummary

__all__ = ["component_profile", "gap_waterfall", "rank_history", "rank_intervals", "reliability"]

# One palette for every figure, so a component keeps its colour across pages.
_COLOURS = {
    "country": "#1f4e99",
    "group": "#7fa6d9",
    "world": "#b8b8b8",
    "osi": "#2a9d8f",
    "tii": "#e9a23b",
    "hci": "#8c5fbf",
    "epi": "#5f7f3f",
    "egdi": "#1f4e99",
    "needed": "#c0392b",
}


def _figure(width: float, height: float) -> Figure:
    """A new Figure, or a clear error when matplotlib is missing."""
    try:
        module = importlib.import_module("matplotlib.figure")
    except ImportError as exc:  # the extra is optional; say how to get it
        raise MissingDependencyError(
            "egovindex.plots needs matplotlib, which is not installed; "
            'install the "plot" extra: pip install "egovindex[plot]"'
        ) from exc
    figure: Figure = module.Figure(figsize=(width, height), layout="constrained")
    return figure


def _style(ax: Axes) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)


def rank_history(history: History, country: str, *, within: Within = None) -> Figure:
    """Draw a country's EGDI (top) and EGDI rank (bottom) over every edition it was assessed.

    Parameters
    ----------
    history
        Published results of several editions (:func:`egovindex.load_history`).
    country
        ISO3 code or name ("VNM", "Viet Nam").
    within
        ``None`` plots the published global rank; a region, sub-region, "ASEAN" or a list
        of ISO3 codes plots the rank recomputed within that group in each edition
        (competition ranking on the published EGDI, methodology A.8.1).

    Returns
    -------
    matplotlib.figure.Figure
        Two stacked axes sharing the edition years; the rank axis points down (1 on top),
        and every point is labelled with its value.

    Raises
    ------
    UnknownCountryError
        Unknown country, or one assessed in no edition of ``history``.
    UnknownRegionError
        Unknown group name.
    MissingDependencyError
        matplotlib is not installed.
    """
    years, egdi = history.series(country, "egdi")
    surveys = [history[int(y)] for y, v in zip(years, egdi, strict=True) if np.isfinite(v)]
    shown = np.array([s.year for s in surveys])
    values = np.array([float(s.egdi[s.locate(country)]) for s in surveys])
    if within is None:
        ranks = np.array([int(s.egdi_rank[s.locate(country)]) for s in surveys])
        rank_label = "EGDI rank (published)"
    else:
        ranks = np.array([int(s.rank("egdi", within=within)[s.locate(country)]) for s in surveys])
        rank_label = f"EGDI rank within {_group_label(within)}"
    record = surveys[-1].country(country)

    fig = _figure(7.5, 5.2)
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(1, 1.3))
    top.plot(shown, values, marker="o", color=_COLOURS["egdi"], linewidth=2)
    for x, v in zip(shown, values, strict=True):
        top.annotate(
            f"{v:.2f}", (x, v), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8
        )
    top.set_ylabel("EGDI")
    top.set_ylim(0, 1.08)
    _style(top)

    bottom.plot(shown, ranks, marker="o", color=_COLOURS["needed"], linewidth=2)
    for x, r in zip(shown, ranks, strict=True):
        bottom.annotate(
            f"{r}", (x, r), textcoords="offset points", xytext=(0, -13), ha="center", fontsize=8
        )
    span = max(int(ranks.max()) - int(ranks.min()), 4)
    bottom.set_ylim(int(ranks.max()) + 0.25 * span, max(int(ranks.min()) - 0.25 * span, 0.5))
    bottom.set_ylabel(rank_label)
    bottom.set_xlabel("Survey edition")
    bottom.set_xticks(shown)
    bottom.tick_params(axis="x", labelrotation=45)
    _style(bottom)
    fig.suptitle(f"{record.name} ({record.iso3}) in the UN E-Government Survey")
    return fig


def component_profile(survey: Survey, country: str, *, group: Within | bool = True) -> Figure:
    """Draw a country's OSI, TII, HCI, EPI and EGDI beside group and world means.

    Parameters
    ----------
    survey
        One published edition (:func:`egovindex.load_survey`).
    country
        ISO3 code or name.
    group
        ``True`` (default) compares with the country's M49 sub-region, ``False`` with the
        world only; a region, sub-region, "ASEAN" or list of ISO3 codes names the group.
        Means are simple, unweighted means over the members, the country included, as the
        Surveys print them (methodology A.8.3).

    Returns
    -------
    matplotlib.figure.Figure
        Grouped bars on a 0-1 scale, each labelled with its value.

    Raises
    ------
    UnknownCountryError, UnknownRegionError
        Unknown country or group.
    MissingDependencyError
        matplotlib is not installed.
    """
    record = survey.country(country)
    indices = ("osi", "tii", "hci", "epi", "egdi")
    series: list[tuple[str, list[float], str]] = [
        (record.name, [float(getattr(record, k)) for k in indices], _COLOURS["country"])
    ]
    members: Within = record.sub_region if group is True else None if group is False else group
    if members is not None and not isinstance(members, bool):
        mask = survey.mask(members)
        series.append(
            (
                f"{_group_label(members)} mean ({int(mask.sum())})",
                [float(np.mean(survey.index(k)[mask])) for k in indices],
                _COLOURS["group"],
            )
        )
    series.append(
        (
            f"World mean ({len(survey)})",
            [float(np.mean(survey.index(k))) for k in indices],
            _COLOURS["world"],
        )
    )

    fig = _figure(7.5, 4.2)
    ax = fig.subplots()
    x = np.arange(len(indices), dtype=np.float64)
    width = 0.8 / len(series)
    for j, (label, values, colour) in enumerate(series):
        bars = ax.bar(x + (j - (len(series) - 1) / 2) * width, values, width, label=label)
        for bar in bars:
            bar.set_color(colour)
        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=2)
    ax.set_xticks(x, [k.upper() for k in indices])
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("index value (0-1)")
    ax.legend(loc="upper left", fontsize=8, frameon=False, ncols=len(series))
    _style(ax)
    ax.set_title(f"{record.name}: components of the EGDI, {survey.year} Survey")
    return fig


def gap_waterfall(gap: Gap) -> Figure:
    """Draw the way from a country's EGDI to the EGDI its target needs.

    The left panel is a waterfall: the published EGDI, the EGDI added by each component
    rise of the least-norm mix (:attr:`~egovindex.projection.Gap.balanced_mix`, accumulated
    with :meth:`~egovindex.projection.Gap.egdi_after`, so an edition's zero rule is
    respected), and the EGDI needed. The right panel shows the rise of each component
    needed if it alone moved (:attr:`~egovindex.projection.Gap.component_increase`), with
    the ones that would have to pass 1 marked infeasible.

    Parameters
    ----------
    gap
        The answer of :func:`egovindex.gap`.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed.
    """
    fig = _figure(8.5, 4.2)
    left, right = fig.subplots(1, 2, width_ratios=(1.6, 1))
    _waterfall_panel(left, gap)
    _alone_panel(right, gap)
    where = "" if gap.within is None else f" within {_group_label(gap.within)}"
    fig.suptitle(
        f"{gap.name}, {gap.year}: rank {gap.current_rank} to {gap.target_rank}{where}"
        f" (EGDI gap {gap.egdi_gap:+.4f})"
    )
    return fig


_COMPONENTS = ("osi", "tii", "hci")


def _waterfall_bars(gap: Gap) -> tuple[list[str], list[float], list[float], list[str]]:
    """Labels, bottoms, heights and colours of the waterfall: now, each rise, needed."""
    labels = ["EGDI now"]
    bottoms = [0.0]
    heights = [gap.egdi]
    colours = [_COLOURS["egdi"]]
    mix = gap.balanced_mix
    if mix is not None and not gap.reached:
        level = gap.egdi
        rises: dict[str, float] = {}
        for name in _COMPONENTS:
            rises[name] = float(mix.get(name) or 0.0)
            after = gap.egdi_after(**rises)
            labels.append(f"{name.upper()}\n{rises[name]:+.4f}")
            bottoms.append(level)
            heights.append(after - level)
            colours.append(_COLOURS[name])
            level = after
    labels.append("EGDI needed")
    bottoms.append(0.0)
    heights.append(gap.egdi_needed)
    colours.append(_COLOURS["needed"])
    return labels, bottoms, heights, colours


def _waterfall_panel(ax: Axes, gap: Gap) -> None:
    labels, bottoms, heights, colours = _waterfall_bars(gap)
    bars = ax.bar(range(len(labels)), heights, bottom=bottoms, color=colours, width=0.65)
    # Steps are labelled with the EGDI they add, the two totals with their value.
    steps = [f"{h:+.4f}" if b else f"{h:.4f}" for b, h in zip(bottoms, heights, strict=True)]
    ax.bar_label(bars, labels=steps, fontsize=7, padding=2)
    ax.set_xticks(range(len(labels)), labels, fontsize=8)
    low = min(gap.egdi, gap.egdi_needed)
    high = max(gap.egdi, gap.egdi_needed)
    pad = max(high - low, 0.02)
    ax.set_ylim(max(0.0, low - 1.5 * pad), min(1.05, high + 1.0 * pad))
    ax.axhline(gap.egdi_needed, color=_COLOURS["needed"], linewidth=0.8, linestyle="--")
    ax.set_ylabel("EGDI")
    _style(ax)
    if gap.reached:
        ax.set_title("target already reached", fontsize=9)
    elif gap.balanced_mix is None:
        ax.set_title("infeasible: all three components at 1 fall short", fontsize=9)
    else:
        ax.set_title("least-norm mix of component rises", fontsize=9)


def _alone_panel(ax: Axes, gap: Gap) -> None:
    alone = [gap.component_increase.get(name) for name in _COMPONENTS]
    shown = [0.0 if v is None else float(v) for v in alone]
    bars = ax.bar(range(3), shown, color=[_COLOURS[n] for n in _COMPONENTS], width=0.6)
    ax.bar_label(
        bars,
        labels=["infeasible" if v is None else f"+{v:.4f}" for v in alone],
        fontsize=7,
        padding=2,
    )
    ax.set_xticks(range(3), [n.upper() for n in _COMPONENTS])
    ax.set_ylim(0, max([*shown, 0.01]) * 1.3)
    ax.set_ylabel("rise needed (0-1 scale)")
    ax.set_title("one component alone", fontsize=9)
    _style(ax)


def rank_intervals(summary: RankSummary, *, entities: Sequence[str] | None = None) -> Figure:
    """Draw each entity's rank interval, median rank and nominal rank from a Monte Carlo run.

    Parameters
    ----------
    summary
        The result of :func:`egovindex.uncertainty.monte_carlo`.
    entities
        The entities to show (default: all ranked ones), drawn in nominal-rank order.

    Returns
    -------
    matplotlib.figure.Figure
        One row per entity, best nominal rank on top: a bar from the lower to the upper
        quantile rank (5 % and 95 % by default), a dot at the median and a diamond at the
        nominal rank.

    Raises
    ------
    UnknownCountryError
        An entity that is not among the ranked ones.
    InputError
        ``entities`` is empty.
    MissingDependencyError
        matplotlib is not installed.
    """
    chosen = list(summary.entities) if entities is None else [str(e) for e in entities]
    if not chosen:
        raise InputError("rank_intervals needs at least one entity to draw")
    rows = np.array([summary.index(e) for e in chosen], dtype=np.int64)
    rows = rows[np.argsort(summary.nominal_rank[rows], kind="stable")]
    interval = summary.interval[rows]
    median = summary.median_rank[rows]
    nominal = summary.nominal_rank[rows]
    y = np.arange(len(rows), dtype=np.float64)

    fig = _figure(7.0, 1.5 + 0.32 * len(rows))
    ax = fig.subplots()
    lo, hi = summary.quantiles
    ax.hlines(
        y,
        interval[:, 0] - 0.25,
        interval[:, 1] + 0.25,
        color=_COLOURS["group"],
        linewidth=7,
        label=f"{lo:.0%}-{hi:.0%} interval",
    )
    ax.plot(
        median,
        y,
        "o",
        markersize=9,
        markerfacecolor="white",
        markeredgecolor=_COLOURS["country"],
        markeredgewidth=1.8,
        label="median rank",
    )
    ax.plot(nominal, y, "D", color=_COLOURS["needed"], markersize=4, label="nominal rank")
    ax.set_yticks(y, [summary.entities[i] for i in rows])
    ax.invert_yaxis()
    top = int(interval[:, 1].max())
    ax.set_xlim(0.25, top + 0.75)
    if top <= 30:
        ax.set_xticks(range(1, top + 1))
    ax.set_xlabel("rank")
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    ax.set_title(
        f"Rank uncertainty: {summary.valid:,} valid replications; "
        f"factors: {', '.join(summary.factors)}",
        fontsize=10,
    )
    return fig


def reliability(backtest: Backtest) -> Figure:
    """Draw the reliability diagram of a backtest's target probabilities.

    Parameters
    ----------
    backtest
        The result of :func:`egovindex.projection.backtest`.

    Returns
    -------
    matplotlib.figure.Figure
        Left: the observed frequency of the event against the mean forecast probability of
        each non-empty bin (a dot, its area growing with the number of forecasts), with the
        diagonal of perfect reliability and a dashed line at the mean base rate. Right: the
        number of forecasts per bin.

    Raises
    ------
    MissingDependencyError
        matplotlib is not installed.
    """
    bins = [b for b in backtest.reliability if b.count]
    forecast = np.array([b.mean_forecast for b in bins], dtype=np.float64)
    observed = np.array([b.observed for b in bins], dtype=np.float64)
    counts = np.array([b.count for b in bins], dtype=np.float64)
    fig = _figure(7.5, 3.4)
    ax, hist = fig.subplots(1, 2, width_ratios=(1.4, 1.0))
    ax.plot([0, 1], [0, 1], color=_COLOURS["world"], linewidth=1, label="perfectly reliable")
    base = float(np.mean([o.base_rate for o in backtest.origins]))
    ax.axhline(base, color=_COLOURS["needed"], linestyle="--", linewidth=1, label="base rate")
    ax.plot(forecast, observed, color=_COLOURS["country"], linewidth=1)
    ax.scatter(
        forecast,
        observed,
        s=12 + 200 * counts / counts.max(),
        color=_COLOURS["country"],
        zorder=3,
        label=f"{backtest.model} model",
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("forecast probability")
    ax.set_ylabel("observed frequency")
    ax.legend(fontsize=8, frameon=False, loc="upper left")
    _style(ax)
    edges = [b.low for b in backtest.reliability]
    hist.bar(
        edges,
        [b.count for b in backtest.reliability],
        width=0.09,
        align="edge",
        color=_COLOURS["group"],
    )
    hist.set_xlim(0, 1)
    hist.set_xlabel("forecast probability")
    hist.set_ylabel("forecasts")
    _style(hist)
    first, last = backtest.origins[0].origin, backtest.origins[-1].origin
    fig.suptitle(
        f"P(gain >= {backtest.gain} places at the next Survey), origins {first}-{last}: "
        f"Brier skill {backtest.brier_skill:+.3f} over the base rate",
        fontsize=10,
    )
    return fig


def _group_label(within: Within | str | tuple[str, ...]) -> str:
    if within is None:
        return "the world"
    if isinstance(within, str):
        return within
    codes = list(within)
    return ", ".join(codes) if len(codes) <= 4 else f"{len(codes)} countries"
