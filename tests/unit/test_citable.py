"""The package says how it may be used and cited: LICENSE and CITATION.cff agree with pyproject."""

from __future__ import annotations

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_license_is_the_mit_licence_of_pyproject() -> None:
    assert PROJECT["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 egovindex developers" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text


def test_citation_file_is_cff_1_2_0_and_matches_pyproject() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # The keys CFF 1.2.0 requires (validated with cffconvert 2.0.0 when written).
    assert {"cff-version", "message", "title", "authors"} <= set(cff)
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == PROJECT["version"]
    assert cff["license"] == PROJECT["license"]
    assert cff["authors"] == [{"name": a["name"]} for a in PROJECT["authors"]]
    assert set(cff["keywords"]) == set(PROJECT["keywords"])
