"""MkDocs hook: render the pages' LaTeX as MathML when the site is built.

``pymdownx.arithmatex`` (generic mode) keeps ``$...$`` and ``$$...$$`` away from Markdown
and wraps them in ``<span class="arithmatex">\\(...\\)</span>`` or
``<div class="arithmatex">\\[...\\]</div>``. This hook converts those to MathML with
``latex2mathml``, which browsers render natively, so the site needs no JavaScript math
library and no network access.
"""

from __future__ import annotations

import html
import re
from typing import Any

from latex2mathml.converter import convert

_BLOCK = re.compile(r'<div class="arithmatex">\s*\\\[(.*?)\\\]\s*</div>', re.S)
_INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)


def _mathml(match: re.Match[str], display: str) -> str:
    tex = html.unescape(match.group(1)).strip()
    return convert(tex, display=display)


def on_page_content(page_html: str, **kwargs: Any) -> str:
    """Replace every arithmatex span and div of a page by MathML."""
    page_html = _BLOCK.sub(lambda m: _mathml(m, "block"), page_html)
    return _INLINE.sub(lambda m: _mathml(m, "inline"), page_html)
