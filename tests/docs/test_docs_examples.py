"""Every code example of the documentation runs, and the output it shows is what it prints.

One mechanism for every page, built on Sybil's Markdown lexer (the convention is written
for page authors at the top of ``docs/index.md``):

- a ``python`` fenced block runs; the blocks of a page share one namespace, top to bottom;
- a ``text`` block that follows a ``python`` block, with nothing but an ``Output:`` line
  between them, is that block's output: what the block prints must equal it line for
  line (trailing spaces ignored);
- a ``python`` block that starts with ``>>>`` is a doctest (output under each prompt);
- a ``console`` block holds ``$ egovindex ...`` commands, each followed by the output it
  prints (stdout and stderr); ``$ echo $?`` shows the exit status of the command before;
- ``<!-- skip: next -->`` before a block skips it (Sybil's skip directive);
- other languages (``bash`` synopses, ``toml``, ``csv``, ``text`` on its own) are shown,
  not run.

Each page runs in a fresh temporary directory, so an example may write files.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import shlex
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

sybil = pytest.importorskip("sybil", reason="the docs examples are run with Sybil (docs extra)")

from sybil import Document, Example, Region  # noqa: E402
from sybil.evaluators.doctest import DocTestEvaluator  # noqa: E402
from sybil.evaluators.python import pad  # noqa: E402
from sybil.parsers.abstract.doctest import DocTestStringParser  # noqa: E402
from sybil.parsers.markdown import SkipParser  # noqa: E402
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))

# Languages that are shown but never run; anything else is a typo or an unknown
# convention, and the page fails.
SHOWN_ONLY = {"text", "bash", "toml", "csv", "json", "ini", "yaml"}
RUN = {"python", "console"}
_BETWEEN_OUTPUT = re.compile(r"\A\s*(?:Output:)?\s*\Z")


def _normalise(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _compare(expected: str, got: str, what: str) -> str | None:
    """None when equal, else a unified diff (Sybil reports a returned string as failure)."""
    want, have = _normalise(expected), _normalise(got)
    if want == have:
        return None
    diff = difflib.unified_diff(want, have, "shown in the page", "printed", lineterm="")
    return f"{what} does not print what the page shows:\n" + "\n".join(diff)


class PythonWithOutput:
    """Evaluate a ``python`` block and compare its printed output with the block after it."""

    def __call__(self, example: Example) -> str | None:
        source, expected = example.parsed
        buffer = io.StringIO()
        code = compile(pad(source, example.line + source.line_offset), example.path, "exec")
        with contextlib.redirect_stdout(buffer):
            exec(code, example.namespace)
        example.namespace.pop("__builtins__", None)
        if expected is None:
            return None
        return _compare(expected, buffer.getvalue(), f"the python block at line {example.line}")


class Console:
    """Run the ``$ egovindex ...`` commands of a ``console`` block through the CLI."""

    def __call__(self, example: Example) -> str | None:
        from egovindex.cli import main

        status = 0
        for command, expected in _console_steps(example.parsed):
            argv = shlex.split(command)
            buffer = io.StringIO()
            if argv == ["echo", "$?"]:
                buffer.write(f"{status}\n")
            elif argv and argv[0] == "egovindex":
                # argparse wraps help to the terminal width: fix it so pages do not
                # depend on the terminal the tests run in.
                with (
                    _environ(COLUMNS="80"),
                    contextlib.redirect_stdout(buffer),
                    contextlib.redirect_stderr(buffer),
                ):
                    try:
                        status = main(argv[1:])
                    except SystemExit as exc:  # --help, --version and usage errors
                        status = exc.code if isinstance(exc.code, int) else 1
            else:
                return (
                    f"console block at line {example.line}: only `egovindex ...` and "
                    f"`echo $?` run in the docs, not {command!r}"
                )
            failure = _compare(expected, buffer.getvalue(), f"`{command}` (line {example.line})")
            if failure:
                return failure
        return None


def _console_steps(source: str) -> Iterator[tuple[str, str]]:
    command: str | None = None
    output: list[str] = []
    for line in source.splitlines():
        if line.startswith("$ "):
            if command is not None:
                yield command, "\n".join(output)
            command, output = line[2:], []
        elif command is None:
            if line.strip():
                raise ValueError(f"console block output before any `$ ` command: {line!r}")
        else:
            output.append(line)
    if command is not None:
        yield command, "\n".join(output)


@contextlib.contextmanager
def _environ(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class MarkdownExamples:
    """The Sybil parser of the convention above."""

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(language=r"[\w+-]*")
        self.doctest = DocTestStringParser(DocTestEvaluator())

    def __call__(self, document: Document) -> Iterable[Region]:
        blocks = list(self.lexer(document))
        for i, block in enumerate(blocks):
            language = block.lexemes["language"]
            source = block.lexemes["source"]
            if language == "console":
                block.parsed = source
                block.evaluator = Console()
                yield block
            elif language == "python" and source.startswith(">>>"):
                for region in self.doctest(source, document.path):
                    region.adjust(block, source)
                    yield region
            elif language == "python":
                expected = None
                end = block.end
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                if (
                    nxt is not None
                    and nxt.lexemes["language"] == "text"
                    and _BETWEEN_OUTPUT.match(document.text[block.end : nxt.start])
                ):
                    expected, end = str(nxt.lexemes["source"]), nxt.end
                yield Region(block.start, end, (source, expected), PythonWithOutput())


SYBIL = sybil.Sybil(parsers=[MarkdownExamples(), SkipParser()], patterns=["*.md"])


def _languages(page: str) -> list[tuple[int, str]]:
    text = (DOCS / page).read_text(encoding="utf-8")
    found = []
    for block in FencedCodeBlockLexer(language=r"[\w+-]*")(Document(text, page)):
        found.append((text.count("\n", 0, block.start) + 1, str(block.lexemes["language"])))
    return found


def test_the_docs_have_pages() -> None:
    assert "index.md" in PAGES
    assert len(PAGES) >= 10


@pytest.mark.parametrize("page", PAGES)
def test_every_code_block_is_run_or_explicitly_shown_only(page: str) -> None:
    unknown = [(line, lang) for line, lang in _languages(page) if lang not in RUN | SHOWN_ONLY]
    assert not unknown, (
        f"{page}: fenced blocks without a known language (line, language): {unknown}; "
        f"use one of {sorted(RUN | SHOWN_ONLY)}"
    )


@pytest.mark.parametrize("page", PAGES)
def test_page_examples_run_and_print_what_they_show(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # examples may write files
    document = SYBIL.parse(DOCS / page)
    for example in document:
        example.evaluate()
    document.namespace.clear()


def _evaluate(markdown: str, tmp_path: Path) -> list[Any]:
    """Run a Markdown string through the same parser (for testing the mechanism)."""
    path = tmp_path / "page.md"
    path.write_text(markdown, encoding="utf-8")
    document = SYBIL.parse(path)
    examples = list(document)
    for example in examples:
        example.evaluate()
    return examples


def test_mechanism_checks_shown_output(tmp_path: Path) -> None:
    good = "```python\nprint(1 + 1)\n```\n\nOutput:\n\n```text\n2\n```\n"
    assert len(_evaluate(good, tmp_path)) == 1
    with pytest.raises(AssertionError, match="does not print what the page shows"):
        _evaluate(good.replace("\n2\n", "\n3\n"), tmp_path)


def test_mechanism_runs_doctests_and_console_blocks(tmp_path: Path) -> None:
    doctest = "```python\n>>> 1 + 1\n2\n\n```\n"
    assert _evaluate(doctest, tmp_path)
    with pytest.raises(AssertionError):
        _evaluate(doctest.replace("\n2\n", "\n5\n"), tmp_path)
    console = "```console\n$ egovindex show NOWHERE\n{}\n$ echo $?\n2\n```\n"
    message = "egovindex show: error: " + _cli_error(["show", "NOWHERE"])
    assert _evaluate(console.format(message), tmp_path)
    with pytest.raises(AssertionError, match="does not print"):
        _evaluate(console.format(message).replace("\n2\n", "\n0\n"), tmp_path)
    with pytest.raises(AssertionError, match="only `egovindex"):
        _evaluate("```console\n$ rm -rf /\n```\n", tmp_path)


def test_mechanism_fails_on_an_error_in_a_block(tmp_path: Path) -> None:
    with pytest.raises(ZeroDivisionError):
        _evaluate("```python\n1 / 0\n```\n", tmp_path)


def _cli_error(argv: list[str]) -> str:
    from egovindex.cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        assert main(argv) == 2
    return buffer.getvalue().strip().split(": error: ", 1)[1]


def test_mechanism_honours_the_skip_directive(tmp_path: Path) -> None:
    page = "<!-- skip: next -->\n\n```python\n1 / 0\n```\n\n```python\nprint('ran')\n```\n"
    assert len(_evaluate(page, tmp_path)) == 3  # the directive and both blocks, one skipped
