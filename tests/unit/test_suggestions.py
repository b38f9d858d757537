"""One helper words every "did you mean" suggestion: :func:`egovindex.errors.did_you_mean`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import egovindex
from egovindex.datasets.names import country_index
from egovindex.domestic.merge import Merger
from egovindex.errors import InputError, did_you_mean, nearest

SRC = Path(egovindex.__file__).parent


def _docstrings(tree: ast.Module) -> set[int]:
    """ids of the docstring constants of ``tree`` (prose may say "did you mean")."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _uses() -> dict[str, set[str]]:
    """Module path -> which of ``get_close_matches`` and a "did you mean" string it holds."""
    found: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        name = path.relative_to(SRC).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute | ast.Name | ast.alias):
                ident = {ast.Attribute: "attr", ast.Name: "id", ast.alias: "name"}[type(node)]
                if getattr(node, ident) == "get_close_matches":
                    found.setdefault(name, set()).add("get_close_matches")
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and "did you mean" in node.value
            ):
                found.setdefault(name, set()).add("did you mean")
    return found


def test_only_errors_measures_closeness() -> None:
    uses = _uses()
    assert "get_close_matches" in uses["errors.py"]  # the scan sees the one call
    others = [m for m, u in uses.items() if "get_close_matches" in u and m != "errors.py"]
    assert others == []


def test_only_errors_words_a_suggestion() -> None:
    uses = _uses()
    assert "did you mean" in uses["errors.py"]
    others = {m for m, u in uses.items() if "did you mean" in u and m != "errors.py"}
    assert others == set()


def test_the_forms_of_the_suggestion() -> None:
    choices = ["entity", "group", "access"]
    assert did_you_mean("acess", choices) == "; did you mean access?"
    assert did_you_mean("acess", choices, show=repr, paren=True) == " (did you mean 'access'?)"
    assert did_you_mean("acess", choices, lead="") == "did you mean access?"
    assert did_you_mean("zzz", choices) == ""
    assert did_you_mean("zzz", choices, known=True) == "; known: entity, group, access"
    assert did_you_mean("zzz", choices, known=True, limit=2) == (
        "; known: entity, group, ... (3 in all)"
    )
    assert did_you_mean("zzz", [], known=True) == "; there are none"


def test_choices_shown_alike_are_named_once() -> None:
    # several spellings of one country are one suggestion
    same = {"vietnam": "Viet Nam", "vietnm": "Viet Nam", "venezuela": "Venezuela"}
    assert nearest("vietnamm", same, 2, cutoff=0.3) == ["vietnam", "vietnm"]
    assert did_you_mean("vietnamm", same, 2, cutoff=0.3, show=same.__getitem__) == (
        "; did you mean Viet Nam, Venezuela?"
    )


def test_a_mistyped_country_names_the_nearest_countries() -> None:
    phrase = country_index().suggest("Vietnm")
    assert phrase == "did you mean Viet Nam (VNM), Venezuela (VEN)?"  # as docs/quickstart.md


def test_an_unknown_entity_without_a_close_one_lists_the_known() -> None:
    merger = Merger({"A": "A", "B": "A", "Zanzibar": "A"})
    with pytest.raises(
        InputError, match=r"entity 'Zanzibar', which is not in the data; known: A, B$"
    ):
        merger.targets(["A", "B"])
    with pytest.raises(InputError, match=r"'Zanzibar'.*did you mean Zanzibari\?$"):
        Merger({"A": "A", "Zanzibari": "A", "Zanzibar": "A"}).targets(["A", "Zanzibari"])
