"""The command-line reference page is the parser's own help text, for every sub-command.

``docs/cli.md`` is written by ``scripts/build_cli_reference.py``; this test renders the
page again from ``egovindex.cli.build_parser()`` and compares. (The docs example tests
also run each ``$ egovindex ... --help`` block of the page through the CLI.)
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from egovindex.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cli.md"
SCRIPT = ROOT / "scripts" / "build_cli_reference.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_cli_reference", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_page_matches_the_parser() -> None:
    expected = _script().render()
    page = PAGE.read_text(encoding="utf-8")
    assert page == expected, (
        "docs/cli.md differs from the parser's help: run python scripts/build_cli_reference.py"
    )


def test_every_sub_command_has_its_help_on_the_page() -> None:
    page = PAGE.read_text(encoding="utf-8")
    documented = re.findall(r"^\$ egovindex (\w+) --help$", page, flags=re.M)
    assert documented == list(COMMANDS)
    assert re.search(r"^\$ egovindex --help$", page, flags=re.M)


def test_help_text_is_what_the_installed_command_prints() -> None:
    # The page is rendered in-process; the real program, run as a subprocess at the same
    # width, must print the same help.
    module = _script()
    done = subprocess.run(
        [sys.executable, "-m", "egovindex", "gap", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "COLUMNS": module.WIDTH},
    )
    assert done.stdout.rstrip() + "\n" == module.help_text(["gap"])


def test_check_mode_reports_a_stale_page(tmp_path: Path) -> None:
    module = _script()
    stale = tmp_path / "cli.md"
    stale.write_text("# out of date\n", encoding="utf-8")
    module.PAGE = stale
    assert module.main_(["--check"]) == 1
    assert module.main_([]) == 0
    assert module.main_(["--check"]) == 0
    assert stale.read_text(encoding="utf-8") == module.render()
