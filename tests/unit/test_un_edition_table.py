"""The keyword table of edition facts gives every Edition the positional if-chain gave."""

import itertools

import attrs
import legacy_un_editions as old  # type: ignore[import-not-found]
import legacy_un_formula as old_formula  # type: ignore[import-not-found]
import numpy as np
import pytest

from egovindex.errors import EgovIndexError
from egovindex.methodologies.un import EDITIONS, edition, egdi

OPTIONS = {
    "ddof": [0, 1, 2],
    "tii_cap": ["default", None, 100.0, -1.0],
    "tii_2018_broadband": [None, "wireless", "active_mobile", "cable"],
    "hci_caps": [None, {"EYS": 18.0}, {"XYZ": 1.0}],
    "top_weights_rule": ["published_fit", "equal", "fitted"],
    "zero_rule": [True, False],
    "rating_method": [None, "equal_width", "count_quartile", "thirds"],
}


def _outcome(build, year, opts):  # type: ignore[no-untyped-def]
    try:
        return build(year, **opts)
    except EgovIndexError as exc:
        return (type(exc), str(exc))


def _cases():  # type: ignore[no-untyped-def]
    names = list(OPTIONS)
    for year in (*EDITIONS, 2006, 2030):
        for values in itertools.product(*(OPTIONS[n][:2] for n in names)):
            yield year, dict(zip(names, values, strict=True))
        for name in names:
            for value in OPTIONS[name][2:]:
                yield year, {name: value}


@pytest.mark.parametrize("year", [*EDITIONS, 2006, 2030])
def test_every_edition_and_option_matches_the_if_chain(year: int) -> None:
    n = 0
    for y, opts in _cases():
        if y != year:
            continue
        new, ref = _outcome(edition, y, opts), _outcome(old.edition, y, opts)
        if isinstance(ref, tuple):
            assert new == ref, opts
            continue
        n += 1
        for field in attrs.fields(type(ref)):
            assert getattr(new, field.name) == getattr(ref, field.name), (opts, field.name)
        assert new.top_weights == ref.top_weights
        assert new.zero_rule_component == ref.zero_rule_component
        assert new.group_thresholds == ref.group_thresholds
        assert new.options() == ref.options()
    assert n > 0 or year not in EDITIONS


@pytest.mark.parametrize("year", EDITIONS)
def test_egdi_matches_the_old_formula_bit_for_bit(year: int) -> None:
    rng = np.random.default_rng(year)
    o, t, h = rng.random((3, 500))
    o[:20] = 0.0
    h[10:30] = 0.0
    for rule, zero in itertools.product(("published_fit", "equal"), (True, False)):
        new = egdi(o, t, h, edition=year, top_weights_rule=rule, zero_rule=zero)  # type: ignore[arg-type]
        ref = old_formula.egdi(o, t, h, edition=year, top_weights_rule=rule, zero_rule=zero)
        np.testing.assert_array_equal(new, ref)
        via = egdi(o, t, h, edition=edition(year, top_weights_rule=rule, zero_rule=zero))  # type: ignore[arg-type]
        np.testing.assert_array_equal(via, ref)
