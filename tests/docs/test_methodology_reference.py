"""Every methodology section and source key that the code cites exists in the site.

Docstrings and messages cite "methodology A.8.4", "(methodology A.1.1, A.1.3)", "B.3.3" and
source keys such as [BLOG-OSI]; docs/methodology/reference.md must have a heading for every
cited section and a full reference for every cited key.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "egovindex"
DOCS = ROOT / "docs"
REFERENCE = DOCS / "methodology" / "reference.md"

SECTION = r"[A-C]\.\d+(?:\.\d+)*"
# "methodology A.1.1", "methodology A.1.1, A.1.3", "methodology A.4.2; B.3.3", "A.1 and A.2"
CITATION = re.compile(rf"\bmethodology,?\s+((?:{SECTION})(?:\s*(?:,|;|/|and)\s*{SECTION})*)")
# The domestic frameworks declare their section as data: methodology = "B.3.3".
DECLARED = re.compile(rf'^methodology\s*=\s*"({SECTION})"', re.MULTILINE)
HEADING = re.compile(rf"^#{{1,6}}\s+({SECTION})\b", re.MULTILINE)
KEY = re.compile(r"\[([A-Z][A-Z0-9]+(?:-[A-Za-z0-9]+)+|[A-Z]{4,}[A-Z0-9]*)\]")
DEFINED_KEY = re.compile(r"^- \*\*\[([^\]]+)\]\*\*", re.MULTILINE)


def _text(paths: list[Path]) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in paths)


def cited_sections(text: str) -> set[str]:
    found: set[str] = set()
    for match in CITATION.finditer(" ".join(text.split())):  # citations may wrap lines
        found.update(re.findall(SECTION, match.group(1)))
    return found


def test_the_citation_pattern_reads_lists() -> None:
    text = "see methodology A.1.1, A.1.3 and\n    A.8.1; methodology B.3.3 (not Annex A.1)"
    assert cited_sections(text) == {"A.1.1", "A.1.3", "A.8.1", "B.3.3"}


def _package_files() -> list[Path]:
    return sorted(p for ext in ("*.py", "*.toml", "*.md") for p in SRC.rglob(ext))


def test_every_cited_section_has_a_heading() -> None:
    text = _text(_package_files())
    cited = cited_sections(text) | set(DECLARED.findall(text))
    assert {"B.2", "B.3.3"} <= set(DECLARED.findall(text))
    assert len(cited) >= 25  # the code cites many sections; an empty match would be a bug
    headings = set(HEADING.findall(_text(sorted((DOCS / "methodology").glob("*.md")))))
    assert sorted(cited - headings) == []


def test_every_section_cited_in_the_docs_exists() -> None:
    pages = [p for p in sorted(DOCS.rglob("*.md")) if p.name != "cli.md"]
    cited = cited_sections(_text(pages))
    headings = set(HEADING.findall(REFERENCE.read_text(encoding="utf-8")))
    assert sorted(cited - headings) == []


def test_every_source_key_has_its_full_reference() -> None:
    pages = [p for p in sorted(DOCS.rglob("*.md")) if p.name != "cli.md"]
    used = set(KEY.findall(_text([*_package_files(), *pages])))
    assert {"BLOG-OSI", "S2022-A197", "EGOVSPACE", "ICTLOGY"} <= used
    text = REFERENCE.read_text(encoding="utf-8")
    defined = set(DEFINED_KEY.findall(text))
    assert sorted(used - defined) == []
    # A full reference is more than the key: a title and, where one exists, an address.
    for key in defined:
        entry = text.split(f"- **[{key}]**", 1)[1].split("\n- ", 1)[0]
        assert len(entry.split()) >= 6, key
