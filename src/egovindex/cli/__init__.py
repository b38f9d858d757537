"""The ``egovindex`` command line.

Each sub-command lives in its own module ``egovindex.cli.<name>`` that defines
``register(subparsers)``; the parser it adds sets ``func`` to a callable
``run(args) -> int``. Every deliberate error (:class:`~egovindex.errors.EgovIndexError`)
and every unreadable file ends with exit code 2 and a one-line message on stderr,
never a traceback; so does a usage error (argparse's usage block is replaced by one line
naming ``--help``).

Only the sub-command being run is imported (with the libraries it needs), so the command
line starts fast; ``--help`` without a sub-command imports them all to list them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from egovindex.cli._output import add_precision_option, json_precision
from egovindex.errors import EgovIndexError

__all__ = ["COMMANDS", "UsageError", "build_parser", "console", "main"]

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


class UsageError(EgovIndexError):
    """A command line that does not parse (unknown option, missing or invalid argument)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are :class:`UsageError`, not a usage block and exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message} (see '{self.prog} --help')")


def build_parser(commands: Sequence[str] = COMMANDS) -> argparse.ArgumentParser:
    """Return the top-level parser with the sub-commands ``commands`` (default: all)."""
    from egovindex import __version__

    parser = _Parser(
        prog="egovindex",
        description="E-government indicator models: UN EGDI, domestic indices, projections.",
    )
    parser.add_argument("--version", action="version", version=f"egovindex {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in commands:
        importlib.import_module(f"egovindex.cli.{name}").register(sub)
    for command in sub.choices.values():
        add_precision_option(command)
    return parser


def _commands_needed(argv: Sequence[str]) -> Sequence[str]:
    """The sub-commands to import for ``argv``: the one named, none for ``--version``, or all.

    The top-level options take no values, so the first word not starting with ``-`` is
    the sub-command.
    """
    for word in argv:
        if not word.startswith("-"):
            return (word,) if word in COMMANDS else COMMANDS
        if word in ("-h", "--help"):
            return COMMANDS
    return () if "--version" in argv else COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    words = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(_commands_needed(words)).parse_args(words)
    except UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    try:
        with json_precision(args.precision):
            code: int = args.func(args)
    except EgovIndexError as exc:
        _error(f"egovindex {args.command}: error: {exc}")
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - e.g. piped into `head`
        return 0
    except MemoryError as exc:  # a request too large for this machine (say, --n 10**9)
        detail = f" ({exc})" if str(exc) else ""
        _error(
            f"egovindex {args.command}: error: not enough memory{detail}; "
            "ask for fewer replications or a smaller chunk"
        )
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover - Ctrl-C during a long run
        _error(f"egovindex {args.command}: interrupted")
        return 130
    except OSError as exc:  # an unreadable or unwritable file named on the command line
        where = f": {exc.filename}" if exc.filename else ""
        _error(f"egovindex {args.command}: error: {exc.strerror or exc}{where}")
        return EXIT_USAGE
    return code


def _error(message: str) -> None:
    """Print ``message`` on one line of stderr: line breaks (say, from a quoted CSV cell
    echoed in the message) are shown escaped."""
    print(message.translate(_LINE_BREAKS), file=sys.stderr)


# every character str.splitlines() breaks at, shown as its escape
_LINE_BREAKS = {ord(c): repr(c)[1:-1] for c in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def console() -> None:
    """Entry point of the ``egovindex`` script."""
    raise SystemExit(main())
