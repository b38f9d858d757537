"""The documentation site builds with ``mkdocs build --strict`` and works in a browser.

The browser test drives Debian's headless Chromium (``/usr/bin/chromium``, installed with
``apt-get install chromium``; never a browser downloaded by Playwright) through
Playwright's Python package over the built site served on localhost. The home page and
each worked example must render with their figures loaded, without console errors, and
the search box must find "EGDI". Without mkdocs, Playwright or Chromium the tests are
skipped with the reason (``pytest -ra`` prints it).
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Page (site path) -> the figures (docs/figures/*.png) it must show, loaded.
PAGES: dict[str, set[str]] = {
    "": {"rank_history.png"},
    "examples/viet-nam/": {"rank_history.png", "component_profile.png", "gap_waterfall.png"},
    "examples/score-raw-panel/": set(),
    "examples/province-ranking/": set(),
    "examples/rank-uncertainty-sea/": {"rank_intervals.png"},
}


def _require(*modules: str) -> None:
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(
            f"{', '.join(missing)} not installed: the docs site is not built "
            '(pip install -e ".[docs]" or ".[all]")'
        )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once with ``mkdocs build --strict`` into a temporary folder."""
    _require("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers", "latex2mathml")
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, f"mkdocs build --strict failed:\n{done.stdout}\n{done.stderr}"
    return out


def test_mkdocs_build_strict(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "search" / "search_index.json").is_file()
    for page, figures in PAGES.items():
        assert (site / page / "index.html").is_file(), page
        for figure in figures:
            assert (site / "figures" / figure).is_file(), figure


def test_api_reference_is_generated_from_docstrings(site: Path) -> None:
    html = (site / "api" / "projection" / "index.html").read_text(encoding="utf-8")
    # The docstring of egovindex.projection.gap, rendered by mkdocstrings.
    assert "egovindex.projection.gap" in html
    assert "EGDI needed" in html or "egdi_needed" in html


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The built site on http://127.0.0.1:PORT/ (a thread of the test process)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser_context(served: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A Playwright browser context of Debian's Chromium with a fresh profile."""
    _require("playwright")
    if not CHROMIUM.is_file():
        pytest.skip(
            f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium); "
            "the browser smoke test needs it and never downloads a browser"
        )
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            yield context
        finally:
            context.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_with_its_figures(browser_context: object, served: str, path: str) -> None:
    from playwright.sync_api import BrowserContext

    assert isinstance(browser_context, BrowserContext)
    page = browser_context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: errors.append(f"console: {m.text}") if _is_error(m) else None,
    )
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.on(
        "response",
        lambda r: errors.append(f"HTTP {r.status}: {r.url}") if _is_bad(r) else None,
    )
    try:
        page.goto(served + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        assert page.locator("article h1").first.is_visible(), f"{path}: no visible title"
        images = page.eval_on_selector_all(
            "article img",
            "imgs => imgs.map(i => [i.getAttribute('src'), i.complete, i.naturalWidth])",
        )
        broken = [src for src, complete, width in images if not (complete and width > 0)]
        assert not broken, f"{path}: images not loaded: {broken}"
        shown = {Path(src).name for src, _, _ in images if "figures/" in src}
        assert PAGES[path] <= shown, f"{path}: missing figures {PAGES[path] - shown}"
        assert not errors, f"{path}: " + "; ".join(errors)
    finally:
        page.close()


def _is_error(message: object) -> bool:
    return getattr(message, "type", "") == "error"


def _is_bad(response: object) -> bool:
    return int(getattr(response, "status", 200)) >= 400


def test_search_finds_egdi(browser_context: object, served: str) -> None:
    from playwright.sync_api import BrowserContext
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    assert isinstance(browser_context, BrowserContext)
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if _is_error(m) else None)
    try:
        page.goto(served, wait_until="load")
        # On a desktop-sized window the search box sits in the header.
        box = page.locator("input.md-search__input")
        box.click(timeout=60_000)
        # The browser builds the search index in a worker, slowly on a loaded machine; the
        # count line reads "Initializing search" until it is ready. A query typed before
        # then may be dropped, so it is typed again until the count line answers it.
        meta = page.locator(".md-search-result__meta")
        answered = meta.filter(has_text="matching")
        for _ in range(8):
            box.fill("")
            box.fill("EGDI")
            try:
                answered.wait_for(state="visible", timeout=15_000)
                break
            except PlaywrightTimeout:  # a search worker that never answered: start again
                page.reload(wait_until="load")
                box.click(timeout=60_000)
        assert "matching" in meta.inner_text(), meta.inner_text()
        results = page.locator(".md-search-result__item")
        assert results.count() > 0
        assert "EGDI" in page.locator(".md-search-result__list").inner_text()
        assert not errors, "; ".join(errors)
    finally:
        page.close()
