"""Every function of the library is short: at most 60 lines of code besides its docstring."""

import ast
from pathlib import Path

import egovindex

LIMIT = 60
SRC = Path(egovindex.__file__).parent


def _code_lines(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = fn.body
    first = body[0]
    is_doc = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    if is_doc and len(body) > 1:
        first = body[1]
    end = fn.end_lineno or fn.lineno
    return end - first.lineno + 1


def _lengths() -> dict[str, int]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                key = f"{path.relative_to(SRC).as_posix()}::{node.name}"
                out[key] = max(out.get(key, 0), _code_lines(node))
    return out


def test_every_function_is_at_most_60_lines_of_code() -> None:
    lengths = _lengths()
    assert len(lengths) > 500  # the walk found the library's functions
    too_long = {k: n for k, n in lengths.items() if n > LIMIT}
    assert not too_long, f"functions over {LIMIT} lines: {too_long}"
