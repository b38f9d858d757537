"""The API reference covers every public module and every top-level name.

The pages under ``docs/api/`` are mkdocstrings directives (``::: module``); mkdocs
renders them from the docstrings (``tests/docs/test_docs_site.py`` builds the site with
``--strict``, so a directive that does not resolve fails there).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import egovindex

ROOT = Path(__file__).resolve().parents[2]
API = ROOT / "docs" / "api"
DIRECTIVE = re.compile(r"^:::\s*(?P<target>[\w.]+)", re.M)

# Top-level modules documented under another name, or not public API.
ELSEWHERE = {
    "un": "egovindex.methodologies.un",  # an alias module
    "methodologies": "egovindex.methodologies.un",
}


def _targets() -> set[str]:
    found: set[str] = set()
    for page in API.glob("*.md"):
        found.update(m["target"] for m in DIRECTIVE.finditer(page.read_text(encoding="utf-8")))
    return found


def test_every_public_module_has_an_api_page() -> None:
    targets = _targets()
    modules = [
        m.name for m in pkgutil.iter_modules(egovindex.__path__) if not m.name.startswith("_")
    ]
    missing = [name for name in modules if ELSEWHERE.get(name, f"egovindex.{name}") not in targets]
    assert not missing, f"modules without a page under docs/api/: {missing}"


def test_every_directive_names_an_importable_object() -> None:
    for target in sorted(_targets()):
        parts = target.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj: object = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
            break
        else:  # pragma: no cover - the assertion below reports it
            raise AssertionError(f"cannot import {target}")


def test_every_top_level_name_is_in_the_summary_table() -> None:
    page = (API / "egovindex.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\[`(\w+)`\]", page)) | set(re.findall(r"^\| `(\w+)`", page, re.M))
    missing = sorted(set(egovindex.__all__) - listed)
    assert not missing, f"names of egovindex.__all__ missing from docs/api/egovindex.md: {missing}"
