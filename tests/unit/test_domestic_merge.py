"""Merged entities: ``Framework.score(data, merge=...)``, ``read_merge`` and ``--merge``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovindex.cli import main
from egovindex.domestic import (
    Merger,
    example_file,
    load_framework,
    parse_framework,
    read_data,
    read_merge,
)
from egovindex.errors import DuplicateEntityError, InputError, MissingDataError
from egovindex.panel import Panel

DTI = load_framework("vn-dti-province-2022")
DATA = read_data(example_file("dti_province_2022_top5.csv"), DTI)
# An illustrative mapping (not the 2025 one): three merged entities from five.
MAPPING = {
    "Da Nang": "Central",
    "Thua Thien-Hue": "Central",
    "Ho Chi Minh City": "South",
    "Can Tho": "South",
    "Quang Ninh": "Quang Ninh",
}


def _rows_of(panel: object) -> dict[str, np.ndarray]:
    return {e: panel.values[i] for i, e in enumerate(panel.entities)}  # type: ignore[attr-defined]


def test_default_rule_scores_the_mean_of_the_main_indices() -> None:
    merged = DTI.score(DATA.panel, merge=MAPPING)
    assert merged.entities == ("Central", "South", "Quang Ninh")
    rows = _rows_of(DATA.panel)
    for name, members in (
        ("Central", ["Da Nang", "Thua Thien-Hue"]),
        ("South", ["Ho Chi Minh City", "Can Tho"]),
    ):
        mean = np.mean([rows[m] for m in members], axis=0)
        alone = DTI.score([{"entity": name, **dict(zip(DATA.panel.codes, mean, strict=True))}])
        assert merged.of(name)["total"] == pytest.approx(alone.total[0], abs=1e-15)
    assert merged.of("Quang Ninh")["total"] == pytest.approx(
        DTI.score(DATA.panel).of("Quang Ninh")["total"], abs=1e-15
    )
    # means of the published totals: Central 0.7488, South 0.7044, Quang Ninh 0.7024
    assert list(merged.rank()) == [1, 2, 3]


def test_a_missing_value_is_an_error_before_entities_merge() -> None:
    # Averaging Da Nang with Thua Thien-Hue would hide Da Nang's empty cell.
    values = np.array(DATA.panel.values)
    values[DATA.panel.entities.index("Da Nang"), 0] = np.nan
    gap = Panel(DATA.panel.entities, DATA.panel.indicators, values)
    code = DATA.panel.codes[0]
    with pytest.raises(MissingDataError, match=rf"{code}: Da Nang"):
        DTI.score(gap, merge=MAPPING)
    # under missing="available" the mean is over the entities with a value
    merged = DTI.score(gap, merge=MAPPING, missing="available")
    thua = values[DATA.panel.entities.index("Thua Thien-Hue"), 0]
    assert merged.scores.raw[code][0] == thua


def test_weights_give_a_weighted_mean() -> None:
    weights = dict.fromkeys(MAPPING, 1.0) | {"Da Nang": 3.0}
    merged = DTI.score(DATA.panel, merge=Merger(MAPPING, weights))
    rows = _rows_of(DATA.panel)
    mean = (3 * rows["Da Nang"] + rows["Thua Thien-Hue"]) / 4
    np.testing.assert_allclose(
        merged.scores.raw["awareness"][0], mean[DATA.panel.codes.index("awareness")], atol=1e-15
    )


MINMAX = parse_framework(
    """
[framework]
name = "mm"
title = "min-max"
[total]
weights = "equal"
[[indicators]]
code = "a"
normalisation = "minmax"
[[indicators]]
code = "b"
normalisation = "minmax"
"""
)


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100)), min_size=4, max_size=4))
def test_mean_of_scores_averages_every_computed_value(values: list[tuple[float, float]]) -> None:
    a = [v[0] for v in values]
    b = [v[1] for v in values]
    if len(set(a)) < 2 or len(set(b)) < 2:
        return  # min-max needs a spread; that is not what this test is about
    rows = [{"entity": f"e{i}", "a": a[i], "b": b[i]} for i in range(4)]
    mapping = {"e0": "X", "e1": "X", "e2": "Y", "e3": "Y"}
    alone = MINMAX.score(rows)
    merged = MINMAX.score(rows, merge=Merger(mapping, rule="mean_of_scores"))
    for code in ("a", "b", "total"):
        want = [alone[code][:2].mean(), alone[code][2:].mean()]
        np.testing.assert_allclose(merged[code], want, rtol=0, atol=1e-12)


def test_rules_differ_when_the_normalisation_depends_on_the_entities() -> None:
    rows = [
        {"entity": "e0", "a": 0.0, "b": 10.0},
        {"entity": "e1", "a": 10.0, "b": 0.0},
        {"entity": "e2", "a": 4.0, "b": 4.0},
        {"entity": "e3", "a": 6.0, "b": 6.0},
    ]
    mapping = {"e0": "X", "e1": "X", "e2": "Y", "e3": "Z"}
    by_data = MINMAX.score(rows, merge=mapping)
    by_scores = MINMAX.score(rows, merge=Merger(mapping, rule="mean_of_scores"))
    # the merged data (5, 5), (4, 4), (6, 6) are min-max scaled among three entities
    assert by_data.of("X")["total"] == pytest.approx(0.5)
    assert by_scores.of("X")["total"] == pytest.approx(0.5)
    assert by_data.of("Y")["total"] == pytest.approx(0.0)
    assert by_scores.of("Y")["total"] == pytest.approx(0.4)


def test_an_entity_missing_from_the_mapping_is_named() -> None:
    mapping = {k: v for k, v in MAPPING.items() if k != "Can Tho"}
    with pytest.raises(MissingDataError, match="'Can Tho' is not in the merge mapping"):
        DTI.score(DATA.panel, merge=mapping)


def test_a_mapped_entity_not_in_the_data_is_named() -> None:
    with pytest.raises(InputError, match=r"'Can Tho City'.*did you mean"):
        DTI.score(DATA.panel, merge=MAPPING | {"Can Tho City": "South"})


def test_an_entity_mapped_twice_is_named(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        "entity,merged_into\nDa Nang,Central\nCan Tho,South\nDa Nang,South\n", encoding="utf-8"
    )
    with pytest.raises(DuplicateEntityError, match=r"row 4: entity 'Da Nang' is mapped twice"):
        read_merge(path)


def test_a_chain_of_merges_is_an_error() -> None:
    with pytest.raises(InputError, match="'Hue' is merged into 'Da Nang', which is itself"):
        Merger({"Hue": "Da Nang", "Da Nang": "Central", "Can Tho": "Can Tho"})


def test_weights_on_some_rows_only_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("entity,merged_into,weight\nA,X,2\nB,X,\n", encoding="utf-8")
    with pytest.raises(MissingDataError, match="'B' has no weight"):
        read_merge(path)
    with pytest.raises(InputError, match="positive"):
        Merger({"A": "X"}, {"A": 0.0})
    with pytest.raises(InputError, match="unknown merge rule"):
        Merger({"A": "X"}, rule="median")  # type: ignore[arg-type]


def test_groups_must_agree_within_a_merged_entity() -> None:
    groups = ["g1", "g2", "g1", "g2", "g2"]  # Da Nang g1, Thua Thien-Hue g2
    with pytest.raises(InputError, match="'Central' absorbs entities of groups"):
        DTI.score(DATA.panel, groups=groups, merge=MAPPING)


def test_cli_merge(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.csv"
    lines = ["entity,merged_into,weight", *(f"{k},{v},1" for k, v in MAPPING.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    csv_path = str(example_file("dti_province_2022_top5.csv"))
    assert main(["domestic", "vn-dti-province-2022", csv_path, "--merge", str(path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["entity"], r["rank"]) for r in rows] == [
        ("Central", 1),
        ("South", 2),
        ("Quang Ninh", 3),
    ]
    path.write_text("entity,merged_into\nDa Nang,Central\n", encoding="utf-8")
    assert main(["domestic", "vn-dti-province-2022", csv_path, "--merge", str(path)]) == 2
    assert "'Ho Chi Minh City' is not in the merge mapping" in capsys.readouterr().err
