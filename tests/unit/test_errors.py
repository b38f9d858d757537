"""The error helpers: structured FrameworkError fields and the one "did you mean" wording."""

import pytest

from egovindex.domestic import parse_framework
from egovindex.errors import FrameworkError, did_you_mean, unknown_message

TOML = """\
[framework]
name = "t"
title = "Test"

[total]
code = "total"
weights = "equal"

[[indicators]]
code = "a"

[[indicators]]
code = "b"
"""


def _line(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_semantic_error_carries_the_key_path_and_line() -> None:
    text = TOML.replace('code = "b"', 'code = "a"')
    with pytest.raises(FrameworkError) as info:
        parse_framework(text, origin="t.toml")
    assert info.value.key_path == ("indicators", 1, "code")
    assert info.value.line == len(text.splitlines())
    assert f"t.toml, line {info.value.line}, key indicators[1].code" in str(info.value)


def test_a_syntax_error_carries_the_line() -> None:
    text = TOML.replace('weights = "equal"', 'weights = = "equal"')
    with pytest.raises(FrameworkError) as info:
        parse_framework(text, origin="t.toml")
    assert info.value.line == _line(text, "= =")
    assert info.value.key_path == ()


def test_did_you_mean_names_the_close_choices_or_nothing() -> None:
    assert did_you_mean("tii", ["egdi", "tii_x", "hci"]) == "; did you mean tii_x?"
    assert did_you_mean("zzz", ["egdi", "osi"]) == ""
    assert unknown_message("index", "osj", ["osi", "tii"]) == (
        "index 'osj' is not known; did you mean osi?"
    )
    assert unknown_message("index", "zzz", ["osi", "tii"]) == (
        "index 'zzz' is not known; known: osi, tii"
    )
    assert unknown_message("option", "x", []) == "option 'x' is not known; there are none"
