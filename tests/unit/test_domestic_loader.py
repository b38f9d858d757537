"""Loading frameworks from TOML: built-ins, a user's file, and errors that name key and line."""

import importlib.resources as resources
from pathlib import Path

import numpy as np
import pytest

from egovindex.domestic import builtin_frameworks, load_framework, parse_framework
from egovindex.errors import FrameworkError, UnknownIndexError

BUILTIN = (
    "un-losi-2022",
    "un-losi-2024",
    "vn-dti-ministry-2022",
    "vn-dti-province-2020",
    "vn-dti-province-2022",
    "vn-dti-province-2024",
    "vn-ict-index-province",
)

# A framework for another country: regions scored on three raw indicators with fixed
# goalposts, a relative (min-max) indicator and a lower-is-better indicator.
USER = """\
[framework]
name = "xx-regions"
title = "Regional digital government index"
country = "XXX"
entity = "region"
status = "CONFIRMED"

[total]
code = "index"
weights = "explicit"
rank_method = "competition"

[[pillars]]
code = "services"
weight = 0.6
weights = "equal"

[[pillars]]
code = "access"
weight = 0.4

[[indicators]]
code = "full_online_pct"
pillar = "services"
normalisation = "goalposts"
goalposts = [0, 100]
bounds = [0, 100]
unit = "percent"

[[indicators]]
code = "processing_days"
pillar = "services"
normalisation = "goalposts"
goalposts = [0, 60]
bounds = [0, inf]
direction = "lower"

[[indicators]]
code = "broadband"
pillar = "access"
normalisation = "minmax"
unit = "per_100"
weight = 1.0
"""


def test_every_builtin_framework_loads_and_ships_as_package_data() -> None:
    assert builtin_frameworks() == BUILTIN
    shipped = {p.name for p in (resources.files("egovindex.domestic") / "frameworks").iterdir()}
    assert {f"{n}.toml" for n in BUILTIN} <= shipped
    for name in BUILTIN:
        fw = load_framework(name)
        assert fw.name == name
        assert fw.country == ("" if name.startswith("un-") else "VNM")
        assert fw.sources


def test_a_user_framework_scores_as_computed_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "regions.toml"
    path.write_text(USER, encoding="utf-8")
    fw = load_framework(path)
    assert fw == load_framework(str(path)) == parse_framework(USER)
    rows = [
        {"entity": "North", "full_online_pct": 80.0, "processing_days": 10.0, "broadband": 30.0},
        {"entity": "South", "full_online_pct": 40.0, "processing_days": 90.0, "broadband": 10.0},
        {"entity": "East", "full_online_pct": 60.0, "processing_days": 30.0, "broadband": 20.0},
    ]
    result = fw.score(rows)
    for i, r in enumerate(rows):
        online = r["full_online_pct"] / 100
        days = min(max((60 - r["processing_days"]) / 60, 0.0), 1.0)  # goalposts clip
        broadband = (r["broadband"] - 10) / 20
        expected = 0.6 * (online + days) / 2 + 0.4 * broadband
        assert result.total[i] == pytest.approx(expected)
    assert result.rank().tolist() == [1, 3, 2]


def test_unknown_framework_names_the_nearest_builtin() -> None:
    with pytest.raises(UnknownIndexError, match="did you mean vn-dti-province-2022") as info:
        load_framework("vn-dti-provnce-2022")
    assert "vn-ict-index-province" in str(info.value)
    with pytest.raises(UnknownIndexError, match="no framework file"):
        load_framework("missing/frame.toml")


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line containing ``fragment`` (independent of the loader)."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_toml_syntax_error_names_the_line() -> None:
    text = USER.replace("weight = 0.4", "weight = = 0.4")
    with pytest.raises(FrameworkError, match=rf"regions.toml, line {line_of(text, '= = 0.4')}:"):
        parse_framework(text, origin="regions.toml")


@pytest.mark.parametrize(
    ("old", "new", "fragment", "message"),
    [
        (
            'weights = "equal"',
            'weigths = "equal"',
            "weigths",
            r"unknown key 'weigths'.*did you mean",
        ),
        ("weight = 1.0", 'weight = "one"', 'weight = "one"', r"weight must be a number"),
        ("weight = 0.4", "weight = 0.5", "weight = 0.5", r"sum to 1\.1, not 1"),
        ('pillar = "access"', 'pillar = "acess"', 'pillar = "acess"', r"did you mean access"),
        ("goalposts = [0, 60]", "goalposts = [60, 0]", "goalposts = [60, 0]", r"lower < upper"),
        ('direction = "lower"', 'direction = "down"', 'direction = "down"', r"'higher' or 'lower'"),
        (
            'code = "broadband"',
            'code = "full_online_pct"',
            'code = "full_online_pct"\npillar = "access"',
            r"used twice",
        ),
        (
            'normalisation = "minmax"',
            'normalisation = "zscore"',
            "zscore",
            r"normalisation must be one of",
        ),
        (
            'rank_method = "competition"',
            'rank_method = "olympic"',
            "olympic",
            r"rank_method must be",
        ),
        ('unit = "per_100"', 'unit = "furlongs_per_day"', "furlongs", r"unknown unit"),
        ('code = "index"', 'code = "the index"', "the index", r"not a valid code"),
    ],
)
def test_semantic_errors_name_the_key_and_line(
    old: str, new: str, fragment: str, message: str
) -> None:
    assert old in USER
    text = USER.replace(old, new)
    with pytest.raises(FrameworkError, match=message) as info:
        parse_framework(text, origin="regions.toml")
    first = fragment.splitlines()[0]
    # the duplicate code is reported at its second occurrence
    lines = [i for i, line in enumerate(text.splitlines(), 1) if first in line]
    assert f"line {lines[-1]}," in str(info.value)


def test_missing_tables_and_required_keys_are_named() -> None:
    text = USER.replace("[total]", "[totals]")
    with pytest.raises(FrameworkError, match=r"line 8, key totals: unknown key 'totals'"):
        parse_framework(text)
    assert line_of(text, "[totals]") == 8
    no_total = USER[: USER.index("[total]")] + USER[USER.index("[[pillars]]") :]
    with pytest.raises(FrameworkError, match=r"missing \[total\] table"):
        parse_framework(no_total)
    # a missing key is reported at the header of its table
    with pytest.raises(FrameworkError, match=r"line 1, key framework.title: missing required"):
        parse_framework(USER.replace('title = "Regional digital government index"\n', ""))
    with pytest.raises(FrameworkError, match=r"no .*indicators"):
        parse_framework(USER.split("[[indicators]]")[0])


def test_an_explicit_group_without_a_weight_is_an_error() -> None:
    text = USER.replace("weight = 1.0\n", "")
    with pytest.raises(FrameworkError, match="'broadband' needs a weight") as info:
        parse_framework(text)
    header = line_of(text, 'code = "broadband"') - 1  # its [[indicators]] header
    assert f"line {header}," in str(info.value)


def test_max_points_rule_needs_points_everywhere() -> None:
    text = (
        USER.replace('weights = "explicit"', 'weights = "max_points"')
        .replace("weight = 0.6\n", "")
        .replace("weight = 0.4\n", "")
    )
    with pytest.raises(FrameworkError, match="has no max_points"):
        parse_framework(text)


def test_option_errors_name_the_choice_line() -> None:
    text = (
        Path(str(resources.files("egovindex.domestic") / "frameworks"))
        / "vn-ict-index-province.toml"
    ).read_text(encoding="utf-8")
    bad = text.replace("it_application = 1, it_industry = 0 }", "it_application = 1 }")
    with pytest.raises(FrameworkError, match="not it_industry") as info:
        parse_framework(bad)
    assert f"line {line_of(bad, 'mean_of_three = {')}," in str(info.value)
    bad = text.replace('default = "mean_of_three"', 'default = "median"')
    with pytest.raises(FrameworkError, match="default 'median' is not known") as info:
        parse_framework(bad)
    assert f"line {line_of(bad, 'default = ')}," in str(info.value)


def test_an_optional_indicator_must_not_weigh_in_a_total() -> None:
    text = USER.replace('direction = "lower"', 'direction = "lower"\noptional = true')
    with pytest.raises(FrameworkError, match=r"optional but weighs 0\.5"):
        parse_framework(text)


def test_declared_pillar_points_must_match_the_indicators() -> None:
    fw_text = (
        Path(str(resources.files("egovindex.domestic") / "frameworks"))
        / "vn-dti-province-2022.toml"
    ).read_text(encoding="utf-8")
    bad = fw_text.replace("max_points = 500\ncomponents = 42", "max_points = 400\ncomponents = 42")
    with pytest.raises(FrameworkError, match=r"max_points 400 differs from .* 500"):
        parse_framework(bad)


def test_builtin_dti_weights_are_max_points_over_1000() -> None:
    fw = load_framework("vn-dti-province-2022")
    w = fw.weights()
    # Appendix 1 of Decision 922/QĐ-BTTTT: 100 points each for the five foundation
    # indices, 200/150/150 for the activity indices (methodology B.3.3).
    flat = {c: w["dti"][fw.parent(c)] * w[fw.parent(c)][c] for c in fw.codes}
    expected = dict(zip(fw.codes, np.array([100] * 5 + [200, 150, 150]) / 1000, strict=True))
    assert flat == pytest.approx(expected)
