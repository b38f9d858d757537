"""MkDocs hook: turn the docstrings' Sphinx roles into cross-references.

The docstrings use reStructuredText roles such as ``:func:`gap``` or
``:class:`~egovindex.errors.InputError```, which Markdown renders as the role name
followed by inline code. This hook replaces each by an ``autoref`` element that
mkdocs-autorefs (installed with mkdocstrings) resolves to a link to the object's API
documentation; a name it cannot resolve is left as plain code, without a warning. A
``~`` shows the last part of the name only, as in Sphinx. An unqualified name is looked
up in the module that the page documents (its first ``::: module`` line).
"""

from __future__ import annotations

import html
import re
from typing import Any

_ROLE = re.compile(
    r":(?:py:)?(?:func|class|mod|meth|attr|data|exc|obj|const|type):<code>(?P<target>[^<]+)</code>"
)
_MODULE = re.compile(r"^:::\s*(?P<module>[\w.]+)", re.M)


def _replace(match: re.Match[str], module: str | None) -> str:
    target = html.unescape(match.group("target")).strip()
    short = target.startswith("~")
    name = target.lstrip("~").lstrip(".").removesuffix("()")
    shown = name.rsplit(".", 1)[-1] if short else name
    identifier = name if name.startswith("egovindex") or module is None else f"{module}.{name}"
    return (
        f'<autoref identifier="{html.escape(identifier)}" optional>'
        f"<code>{html.escape(shown)}</code></autoref>"
    )


def on_page_content(page_html: str, page: Any, **kwargs: Any) -> str:
    """Replace every Sphinx role of a page by an optional cross-reference."""
    found = _MODULE.search(page.markdown or "")
    module = found.group("module") if found else None
    return _ROLE.sub(lambda m: _replace(m, module), page_html)
