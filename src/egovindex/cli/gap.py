"""``egovindex gap COUNTRY --year Y (--target-rank R | --target-egdi X | --target-group G)
[--within REGION] [--json]``: what a country needs to reach a target.

Every other country stays at its published EGDI and the published components are frozen
(methodology A.8.4, naive shortcut; competition ranking, A.8.1). The report gives the
current and target rank, the EGDI needed (the least value that reaches the target: ties
share a rank), the gap, the rise of each component alone (under the edition's EGDI
formula; "not feasible" when it would pass 1) and the balanced mix of least Euclidean
norm. JSON: an object with the keys ``country, year, within, current_rank, target_rank,
rank_gain, egdi, egdi_needed, egdi_gap, component_increase`` (``osi``/``tii``/``hci`` ->
number, or ``null`` when infeasible), then ``name, group_size, target_kind,
target_group, reached, threshold_country, balanced_mix``.
"""

from __future__ import annotations

import argparse

from egovindex.cli._data import add_data_option, survey_from
from egovindex.cli._output import add_out_option, emit_json, write_out
from egovindex.datasets import Survey
from egovindex.datasets.survey import Within
from egovindex.projection.gap import COMPONENTS, Gap, gap

__all__ = ["parse_within", "register", "report", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``gap`` sub-command."""
    parser = subparsers.add_parser(
        "gap",
        help="what a country needs to reach a target rank, EGDI or group",
        description=(
            "EGDI needed, rank gain and component increases for a target rank, EGDI value "
            "or EGDI group, every other country at its published value."
        ),
    )
    parser.add_argument(
        "country", metavar="COUNTRY", help="ISO3 code or name, e.g. VNM, 'Viet Nam'"
    )
    parser.add_argument("--year", type=int, metavar="Y", help="Survey edition (default: latest)")
    add_data_option(parser)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--target-rank", type=int, metavar="R", help="rank to reach (1 = best)")
    target.add_argument("--target-egdi", type=float, metavar="X", help="EGDI value to reach")
    target.add_argument("--target-group", metavar="G", help="EGDI group to reach, e.g. 'Very High'")
    parser.add_argument(
        "--within",
        metavar="REGION",
        help="rank within a region, M49 sub-region, ASEAN or comma-separated ISO3 codes",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_out_option(parser)
    parser.set_defaults(func=run)


def parse_within(text: str | None) -> Within:
    """A group name, or a comma-separated list of ISO3 codes as a list."""
    if text is None or "," not in text:
        return text
    return [part.strip() for part in text.split(",") if part.strip()]


def _group_text(g: Gap) -> str:
    if g.within is None:
        return f"all {g.group_size} countries"
    if isinstance(g.within, str):
        return f"{g.within} ({g.group_size} countries)"
    return f"{', '.join(g.within)} ({g.group_size} countries)"


def report(g: Gap, digits: int, names: dict[str, str] | None = None) -> str:
    """The human-readable report of one :class:`~egovindex.projection.gap.Gap`.

    ``digits`` decimals for EGDI values; ``names`` maps ISO3 codes to names (for the
    country holding the target rank).
    """

    def f(x: float) -> str:
        return f"{x:.{digits}f}"

    lines = [f"{g.name} ({g.country}), {g.year} Survey, ranked among {_group_text(g)}"]
    if g.target_kind == "group":
        aim = f"the {g.target_group} group (EGDI from {f(g.egdi_needed)})"
    elif g.target_kind == "egdi":
        aim = f"EGDI {f(g.egdi_needed)}"
    else:
        aim = f"rank {g.target_rank}"
    lines.append(f"target: {aim}")
    lines.append(
        f"rank:   {g.current_rank} now, {g.target_rank} at the EGDI needed"
        + (f" ({g.rank_gain} place{'s' if g.rank_gain > 1 else ''} to gain)" if g.rank_gain else "")
    )
    who = ""
    if g.threshold_country:
        holder = g.threshold_country
        if names and holder in names:
            holder = f"{names[holder]} ({holder})"
        who = (
            f" (rank {g.target_rank} is held at {f(g.egdi_needed)} by {holder}; "
            "an equal EGDI shares the rank)"
        )
    lines.append(f"EGDI:   {f(g.egdi)} now, {f(g.egdi_needed)} needed{who}")
    if g.reached:
        lines.append("the target is already reached: no increase needed")
        return "\n".join(lines)
    lines.append(f"gap:    +{f(g.egdi_gap)} EGDI")
    if g.zero_ruled_by is not None:
        ruled = g.zero_ruled_by.upper()
        lines.append(
            f"zero rule: the published EGDI is 0 because {ruled} is 0 (methodology A.1.1); "
            f"any rise of {ruled} above 0 lifts it"
        )
    weights = ", ".join(f"{c.upper()} {w:.4g}" for c, w in zip(COMPONENTS, g.weights, strict=True))
    lines.append(f"one component alone (EGDI weights {weights}; others frozen):")
    for c, now in zip(COMPONENTS, g.components, strict=True):
        d = g.component_increase[c]
        text = "not feasible (would pass 1)" if d is None else f"+{f(d)} -> {f(now + d)}"
        if d is None and g.zero_ruled:
            text = "not feasible (the edition's zero rule holds the EGDI at 0)"
        lines.append(f"  {c.upper()} {f(now)}  {text}")
    mix = g.balanced_mix
    if mix is None:
        lines.append("balanced mix: not feasible, even with every component at 1")
    else:
        parts = ", ".join(f"{c.upper()} +{f(float(mix[c] or 0.0))}" for c in COMPONENTS)
        lines.append(f"balanced mix (least Euclidean norm): {parts}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the gap; errors propagate to :func:`egovindex.cli.main` (exit code 2)."""
    survey: Survey = survey_from(args)
    g = gap(
        survey,
        args.country,
        target_rank=args.target_rank,
        target_egdi=args.target_egdi,
        target_group=args.target_group,
        within=parse_within(args.within),
    )
    if args.out:  # one row; component_increase {osi: ...} becomes component_increase_osi
        write_out(args.out, [g.to_dict()], command="gap", inputs=[args.data], what="row")
        return 0
    if args.json:
        emit_json(g.to_dict())
        return 0
    names = dict(zip(survey.countries, survey.names, strict=True))
    print(report(g, max(4, survey.decimals["egdi"]), names))
    return 0
