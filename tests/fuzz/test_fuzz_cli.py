"""Fuzzing the command line: mutated input files give a result or one clean error line.

Each test takes a valid input file (a domestic example, a framework TOML, a raw-indicator
CSV, a services catalogue, a programme), mutates it byte by byte (bytes replaced,
inserted or deleted, plus tokens that break parsers and arithmetic: huge and negative
numbers, NaN, deep nesting, stray quotes and separators) and runs the command in
process through :func:`egovindex.cli.main`. Whatever the bytes, the command either
succeeds (exit 0) or fails with exit code 2 and exactly one line on stderr: never a
traceback, and never a warning (warnings are turned into errors here, so a NaN or an
overflow that NumPy would only warn about is caught too). Command lines are fuzzed the
same way, with option values that break arithmetic or argparse: negative, zero, huge,
NaN and infinite numbers, unknown words, empty lists.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovindex.cli import main
from egovindex.io import synthetic_raw_csv

DOMESTIC = Path(__file__).resolve().parents[2] / "src" / "egovindex" / "domestic"
EXAMPLES = DOMESTIC / "examples"
FRAMEWORKS = DOMESTIC / "frameworks"

TOKENS: tuple[bytes, ...] = (
    b"1e19",
    b"1e308",
    b"-1e308",
    b"1e-320",
    b"-1",
    b"0",
    b"nan",
    b"inf",
    b"-inf",
    b"9" * 40,
    b"0.5",
    b"\x00",
    b"\xff\xfe",
    b'"',
    b",",
    b",,",
    b"\n",
    b"\r\n",
    b"=",
    b"[",
    b"[[",
    b"[" * 2000,
    b"{",
    b"}",
    b"]",
    b"#",
    b"'",
    b"\\",
    b"\xc3\xa9",
    b" ",
    b"\t",
    b"true",
    b"[framework]\n",
    b"[[indicators]]\n",
    b"[]",
    b'""',
    b"[1e308, 1e308]",
    b"[0, 0]",
    b"[nan, 1]",
    b"[1, -1]",
    b'"max_points"',
    b'"equal"',
    b"1e-300",
    b"2024-13-45",
    b"1999-01-01",
    b"done",
    b"open",
    b"Agency 01",
    b"JUS-01",
    b"VNM",
)

# Bounded so the suite stays fast; each example runs one command in process.
# EGOVINDEX_FUZZ_EXAMPLES=5000 runs a deeper search.
FUZZ = settings(
    max_examples=int(os.environ.get("EGOVINDEX_FUZZ_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Mutation = tuple[int, str, bytes]
mutations = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1 << 20),
        st.sampled_from(["replace", "insert", "delete", "truncate", "value", "cell"]),
        st.one_of(st.binary(min_size=1, max_size=1), st.sampled_from(TOKENS)),
    ),
    min_size=1,
    max_size=6,
)


def mutate(data: bytes, edits: Sequence[Mutation]) -> bytes:
    """Apply ``edits`` (position taken modulo the current length) to ``data``."""
    out = bytearray(data)
    for pos, op, chunk in edits:
        i = pos % (len(out) + 1)
        if op == "replace":
            out[i : i + len(chunk)] = chunk
        elif op == "insert":
            out[i:i] = chunk
        elif op == "delete":
            del out[i : i + len(chunk)]
        elif op == "truncate":
            del out[i:]
        else:  # a whole TOML value (after "=") or CSV cell (after ",") replaced
            out = _replace_field(out, pos, b"=" if op == "value" else b",", chunk)
    return bytes(out)


def _replace_field(data: bytearray, pos: int, sep: bytes, chunk: bytes) -> bytearray:
    """Replace what follows the ``pos``-th ``sep`` up to the next separator or line end."""
    starts = [k + 1 for k in range(len(data)) if data[k : k + 1] == sep]
    if not starts:
        return data
    start = starts[pos % len(starts)]
    end = start
    while end < len(data) and data[end : end + 1] not in (b"\n", b"\r", sep):
        end += 1
    data[start:end] = b" " + chunk if sep == b"=" else chunk
    return data


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """Run ``egovindex argv`` in process; return exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        warnings.simplefilter("error")
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def check(files: dict[str, bytes], argv: Callable[[dict[str, str]], list[str]]) -> None:
    """Write ``files`` to a fresh folder, run the command, require a result or one error line."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name, content in files.items():
            path = Path(tmp) / name
            path.write_bytes(content)
            paths[name] = str(path)
        code, out, err = run_cli(argv(paths))
    assert code in (0, 2), (code, err)
    if code == 0:
        assert out, "a successful command prints its result"
    else:
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert "error:" in lines[0], err


def _read(path: Path) -> bytes:
    return path.read_bytes()


@FUZZ
@given(edits=mutations)
def test_domestic_data_csv(edits: list[Mutation]) -> None:
    data = mutate(_read(EXAMPLES / "dti_province_2022_top5.csv"), edits)
    check({"data.csv": data}, lambda p: ["domestic", "vn-dti-province-2022", p["data.csv"]])


@FUZZ
@given(edits=mutations)
def test_domestic_framework_toml(edits: list[Mutation]) -> None:
    toml = mutate(_read(FRAMEWORKS / "vn-dti-province-2022.toml"), edits)
    files = {"fw.toml": toml, "data.csv": _read(EXAMPLES / "dti_province_2022_top5.csv")}
    check(files, lambda p: ["domestic", p["fw.toml"], p["data.csv"]])


@FUZZ
@given(edits=mutations)
def test_domestic_points_framework(edits: list[Mutation]) -> None:
    toml = mutate(_read(FRAMEWORKS / "vn-ict-index-province.toml"), edits)
    data = _read(EXAMPLES / "dti_province_2022_top5.csv")
    check({"fw.toml": toml, "data.csv": data}, lambda p: ["domestic", p["fw.toml"], p["data.csv"]])


@FUZZ
@given(edits=mutations)
def test_services_catalogue(edits: list[Mutation]) -> None:
    data = mutate(_read(EXAMPLES / "catalogue_example.csv"), edits)
    check({"c.csv": data}, lambda p: ["services", p["c.csv"], "--by", "agency"])


@FUZZ
@given(edits=mutations)
def test_programme_tasks(edits: list[Mutation]) -> None:
    data = mutate(_read(EXAMPLES / "programme_example.csv"), edits)
    check({"t.csv": data}, lambda p: ["programme", p["t.csv"]])


@FUZZ
@given(edits=mutations, year=st.sampled_from(["2022", "2008"]))
def test_score_raw_csv(edits: list[Mutation], year: str) -> None:
    lines = synthetic_raw_csv().read_bytes().splitlines(keepends=True)
    data = mutate(b"".join(lines[:25]), edits)  # 24 countries: fast, and still a ranking
    check({"raw.csv": data}, lambda p: ["score", p["raw.csv"], "--edition", year])


# -- command-line options -------------------------------------------------------------

NUMBERS = ("-1", "0", "1", "2", "3", "0.02", "1e-320", "1e19", "1e308", "nan", "inf", "-inf", "x")
WORDS = ("VNM", "Viet Nam", "ASEAN", "Asia", ",", "VNM,THA", "Mars", "", "-")


def options(names: tuple[str, ...], values: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    """Up to three ``--name value`` pairs."""
    pair = st.tuples(st.sampled_from(names), st.sampled_from(values))
    return st.lists(pair, max_size=3).map(lambda ps: [w for p in ps for w in p])


@FUZZ
@given(
    opts=options(
        ("--concentration", "--noise", "--seed", "--top", "--year", "--chunk-size", "--workers"),
        NUMBERS,
    ),
    within=st.sampled_from((None, *WORDS)),
    zeros=st.sampled_from(("fail", "zero", "floor")),
)
def test_uncertainty_options(opts: list[str], within: str | None, zeros: str) -> None:
    argv = ["uncertainty", "--reps", "64", "--zeros", zeros, *opts]
    check({}, lambda _: argv + ([] if within is None else ["--within", within]))


@FUZZ
@given(
    target=st.sampled_from(("--target-rank", "--target-egdi")),
    value=st.sampled_from(NUMBERS),
    opts=options(("--k", "--horizon", "--seed", "--since", "--by", "--n"), (*NUMBERS, "2030")),
    model=st.sampled_from(("linear", "compound", "mean_change")),
)
def test_outlook_options(target: str, value: str, opts: list[str], model: str) -> None:
    argv = ["outlook", "VNM", target, value, "--model", model, *opts]
    if "--n" not in opts:
        argv += ["--n", "200"]
    check({}, lambda _: argv)


@FUZZ
@given(
    country=st.sampled_from(WORDS),
    target=st.sampled_from(("--target-rank", "--target-egdi")),
    value=st.sampled_from(NUMBERS),
    opts=options(("--year", "--within"), (*NUMBERS, *WORDS)),
)
def test_gap_options(country: str, target: str, value: str, opts: list[str]) -> None:
    check({}, lambda _: ["gap", country, target, value, *opts])


@pytest.mark.parametrize(
    "argv",
    [
        ["outlook", "VNM", "--target-rank", "50", "--by", "2030", "--seed", "-1"],
        ["outlook", "VNM", "--target-rank", "5", "--horizon", "99999999"],
        ["uncertainty", "--reps", "100", "--noise", "1e308"],
        ["uncertainty", "--reps", "3000000", "--chunk-size", "3000000"],
        ["uncertainty", "--reps", "100", "--workers", "0"],
        ["outlook", "VNM", "--target-rank", "50", "--by", "2030", "--n", "1000000000"],
        ["uncertainty", "--bogus"],
        ["rank", "--top"],
        [],
    ],
)
def test_regressions_are_one_line_errors(argv: list[str]) -> None:
    code, _, err = run_cli(argv)
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


def test_a_zero_weight_on_a_zero_component_warns_nothing() -> None:
    # Dirichlet weights of concentration 0.01 put weight 0 on components; a zero
    # component under the geometric mean once gave 0 * log(0) = NaN and a RuntimeWarning
    code, out, err = run_cli(
        ["uncertainty", "--reps", "500", "--year", "2003", "--concentration", "0.01"]
    )
    assert code == 0, err
    assert err == ""
    assert out


@pytest.mark.parametrize("count", ["1e19", "1e308", "99999999999999999999"])
def test_huge_dossier_counts(tmp_path: Path, count: str) -> None:
    text = (EXAMPLES / "catalogue_example.csv").read_text(encoding="utf-8")
    path = tmp_path / "c.csv"
    path.write_text(text.replace("5200,3900", f"{count},3900"), encoding="utf-8")
    code, _, err = run_cli(["services", str(path)])
    assert code == 2
    assert "exceeds the largest count" in err


def test_deeply_nested_framework(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("[framework]\na = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    data = str(EXAMPLES / "dti_province_2022_top5.csv")
    code, _, err = run_cli(["domestic", str(path), data])
    assert code == 2
    assert "nested too deeply" in err
