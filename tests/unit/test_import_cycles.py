"""No two egovindex modules import each other, directly or around a longer loop.

The graph is read from the source with :mod:`ast`: only imports that run when a module is
loaded count (top-level statements, including those under ``if``/``try`` and in class
bodies); imports under ``if TYPE_CHECKING:`` and inside functions are deliberate ways of
deferring a dependency and are left out. An edge goes to the module named by the import,
or to the submodule when ``from package import name`` names one; the implicit import of
a module's parent packages is not an edge (a parent always starts loading before its
children, so it cannot close a loop that breaks loading).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import egovindex

SRC = Path(egovindex.__file__).parent
PACKAGE = "egovindex"


def _module_name(path: Path) -> str:
    parts = (PACKAGE, *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _load_time_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements of ``body`` that run when the module is loaded."""
    for stmt in body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            yield stmt
        elif isinstance(stmt, ast.If):
            if not _is_type_checking(stmt.test):
                yield from _load_time_imports(stmt.body)
            yield from _load_time_imports(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, stmt.orelse, stmt.finalbody):
                yield from _load_time_imports(block)
            for handler in stmt.handlers:
                yield from _load_time_imports(handler.body)
        elif isinstance(stmt, ast.With | ast.ClassDef):
            yield from _load_time_imports(stmt.body)


def _absolute(stmt: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not stmt.level:
        return stmt.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (stmt.level - 1)]
    return ".".join([*base, stmt.module] if stmt.module else base)


def _targets(
    stmt: ast.Import | ast.ImportFrom, module: str, path: Path, known: set[str]
) -> set[str]:
    if isinstance(stmt, ast.Import):
        return {a.name for a in stmt.names if a.name in known}
    source = _absolute(stmt, module, path.name == "__init__.py")
    out = set()
    for alias in stmt.names:
        sub = f"{source}.{alias.name}"
        if sub in known:
            out.add(sub)
        elif source in known:
            out.add(source)
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the egovindex modules it imports at load time."""
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges: set[str] = set()
        for stmt in _load_time_imports(tree.body):
            edges |= _targets(stmt, name, path, known)
        graph[name] = edges - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_the_graph_is_read_from_every_module() -> None:
    graph = import_graph()
    assert len(graph) > 50
    assert "egovindex.errors" in graph["egovindex.uncertainty.montecarlo"]
    assert "egovindex.uncertainty.tally" in graph["egovindex.uncertainty.montecarlo"]
    # summary names Plan only for type checking, so that is no edge
    assert "egovindex.uncertainty.plan" not in graph["egovindex.uncertainty.summary"]


def test_the_cycle_finder_finds_a_loop() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_relative_imports_resolve_against_the_package() -> None:
    stmt = ast.parse("from .summary import RankSummary").body[0]
    assert isinstance(stmt, ast.ImportFrom)
    assert _absolute(stmt, "egovindex.uncertainty.montecarlo", False) == (
        "egovindex.uncertainty.summary"
    )
    assert _absolute(stmt, "egovindex.uncertainty", True) == "egovindex.uncertainty.summary"


def test_no_import_cycles_among_egovindex_modules() -> None:
    assert cycles(import_graph()) == []


def test_the_moved_tally_types_are_importable_where_they_were() -> None:
    from egovindex.uncertainty import montecarlo, tally

    assert montecarlo.Tally is tally.Tally
    assert montecarlo.Nominal is tally.Nominal
    assert {"Tally", "Nominal"} <= set(montecarlo.__all__)
