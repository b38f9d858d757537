"""The ``egovindex`` command line.

Each sub-command lives in its own module ``egovindex.cli.<name>`` that defines
``register(subparsers)``; the parser it adds sets ``func`` to a callable
``run(args) -> int``. Every deliberate error (:class:`~egovindex.errors.EgovIndexError`)
and every unreadable file ends with exit code 2 and a one-line message on stderr,
never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from egovindex import __version__
from egovindex.cli._output import add_precision_option, json_precision
from egovindex.errors import EgovIndexError

__all__ = ["COMMANDS", "build_parser", "console", "main"]

COMMANDS: tuple[str, ...] = (
    "show",
    "rank",
    "score",
    "domestic",
    "services",
    "programme",
    "uncertainty",
    "summary",
    "gap",
    "outlook",
    "backtest",
)
"""Sub-command modules, in the order ``--help`` lists them."""

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="egovindex",
        description="E-government indicator models: UN EGDI, domestic indices, projections.",
    )
    parser.add_argument("--version", action="version", version=f"egovindex {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"egovindex.cli.{name}").register(sub)
    for command in sub.choices.values():
        add_precision_option(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with json_precision(args.precision):
            code: int = args.func(args)
    except EgovIndexError as exc:
        print(f"egovindex {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - e.g. piped into `head`
        return 0
    except OSError as exc:  # an unreadable or unwritable file named on the command line
        where = f": {exc.filename}" if exc.filename else ""
        print(f"egovindex {args.command}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_USAGE
    return code


def console() -> None:
    """Entry point of the ``egovindex`` script."""
    raise SystemExit(main())
