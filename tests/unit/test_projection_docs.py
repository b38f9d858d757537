"""The Python examples of the projection documentation run and print what the pages show.

Each ``python`` code block runs on its own (the blocks are self-contained); when an
``Output:`` ``text`` block follows, the printed output must equal it line for line.
"""

import contextlib
import io
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ("projections.md", "examples/viet-nam.md")
BLOCK = re.compile(r"```python\n(.*?)```\n(?:\s*Output:\s*\n\s*```text\n(.*?)```\n)?", re.S)


def blocks() -> list[tuple[str, int, str, str | None]]:
    out = []
    for page in PAGES:
        text = (DOCS / page).read_text(encoding="utf-8")
        for m in BLOCK.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            out.append((page, line, m.group(1), m.group(2)))
    return out


BLOCKS = blocks()


def test_every_page_has_examples_with_output() -> None:
    for page in PAGES:
        shown = [b for b in BLOCKS if b[0] == page and b[3] is not None]
        assert len(shown) >= 5, page


@pytest.mark.parametrize(
    ("page", "line", "code", "expected"), BLOCKS, ids=[f"{b[0]}:{b[1]}" for b in BLOCKS]
)
def test_example_prints_what_the_page_shows(
    page: str, line: int, code: str, expected: str | None
) -> None:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(code, f"{page}:{line}", "exec"), {"__name__": "__docs__"})
    if expected is not None:
        got = [s.rstrip() for s in buffer.getvalue().splitlines()]
        assert got == [s.rstrip() for s in expected.splitlines()]
