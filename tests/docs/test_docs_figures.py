"""The documentation's figures come from ``scripts/build_figures.py``, and the script works.

Every PNG under ``docs/figures/`` must be one the script draws with ``egovindex.plots``
(no figure made by hand), every figure a page shows must exist, and the script must
draw them all again, quickly, at the sizes committed.
"""

from __future__ import annotations

import importlib.util
import re
import struct
import time
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FIGURES = DOCS / "figures"
SCRIPT = ROOT / "scripts" / "build_figures.py"
IMAGE = re.compile(r"!\[[^\]]*\]\((?P<src>[^)\s]+)\)")


def _script() -> ModuleType:
    pytest.importorskip("matplotlib", reason="the figures need the plot extra (matplotlib)")
    spec = importlib.util.spec_from_file_location("build_figures", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _size(png: Path) -> tuple[int, int]:
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{png} is not a PNG file"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _shown() -> dict[str, list[str]]:
    """Figure file -> the pages that show it."""
    out: dict[str, list[str]] = {}
    for page in DOCS.rglob("*.md"):
        for m in IMAGE.finditer(page.read_text(encoding="utf-8")):
            target = (page.parent / m["src"]).resolve()
            out.setdefault(str(target), []).append(str(page.relative_to(DOCS)))
    return out


def test_every_figure_shown_exists() -> None:
    missing = {src: pages for src, pages in _shown().items() if not Path(src).is_file()}
    assert not missing, f"images shown but missing: {missing}"


def test_every_committed_figure_is_drawn_by_the_script_and_shown() -> None:
    names = set(_script().FIGURES)
    committed = {p.stem for p in FIGURES.glob("*")}
    assert committed == names, (
        f"docs/figures holds {sorted(committed)}, the script draws {sorted(names)}: "
        "run python scripts/build_figures.py (and delete figures it does not draw)"
    )
    shown = {Path(src).stem for src in _shown() if Path(src).parent == FIGURES.resolve()}
    assert names <= shown, f"figures no page shows: {sorted(names - shown)}"


def test_the_script_redraws_every_figure_quickly(tmp_path: Path) -> None:
    module = _script()
    start = time.perf_counter()
    written = module.build(tmp_path)
    elapsed = time.perf_counter() - start
    assert sorted(p.name for p in written) == sorted(f"{n}.png" for n in module.FIGURES)
    for path in written:
        assert _size(path) == _size(FIGURES / path.name), path.name
    assert elapsed < 60, f"building the figures took {elapsed:.1f} s"
