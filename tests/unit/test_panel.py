"""Panel construction and validation."""

import numpy as np
import pytest

from egovindex.errors import (
    BoundsError,
    DuplicateEntityError,
    EgovIndexError,
    InputError,
    MissingDataError,
    NonFiniteError,
    UnitError,
    UnknownIndicatorError,
)
from egovindex.panel import Direction, Indicator, Panel
from egovindex.units import registry

INDS = [
    Indicator("internet_users_pct", unit="percent", lower=0, upper=100),
    Indicator("mean_years_schooling", unit="years", lower=0, upper=25),
    Indicator("cost", direction=Direction.LOWER),
]


def test_from_columns_keeps_order_and_is_read_only() -> None:
    p = Panel.from_columns(["VNM", "THA"], {"internet_users_pct": [70.3, 85.0]}, INDS)
    assert p.entities == ("VNM", "THA")
    assert p.codes == ("internet_users_pct",)
    np.testing.assert_array_equal(p.column("internet_users_pct"), [70.3, 85.0])
    with pytest.raises(ValueError, match="read-only"):
        p.values[0, 0] = 1.0


def test_duplicate_entity_is_named() -> None:
    with pytest.raises(DuplicateEntityError, match="'VNM'"):
        Panel.from_columns(["VNM", "VNM"], {"cost": [1, 2]}, INDS)


def test_unknown_indicator_suggests_nearest() -> None:
    with pytest.raises(UnknownIndicatorError, match="did you mean internet_users_pct"):
        Panel.from_columns(["VNM"], {"internet_user_pct": [1]}, INDS)


def test_out_of_bounds_names_entity_indicator_value() -> None:
    with pytest.raises(BoundsError, match=r"'THA'.*'internet_users_pct'.*101"):
        Panel.from_columns(["VNM", "THA"], {"internet_users_pct": [70, 101]}, INDS)


def test_infinite_value_rejected_but_nan_is_missing() -> None:
    with pytest.raises(NonFiniteError, match="'THA'"):
        Panel.from_columns(["VNM", "THA"], {"cost": [1, np.inf]}, INDS)
    p = Panel.from_columns(["VNM", "THA"], {"cost": [1, np.nan]}, INDS)
    assert p.missing() == {"cost": ("THA",)}


def test_from_rows_missing_key_is_nan_and_text_is_rejected() -> None:
    p = Panel.from_rows([{"iso3": "VNM", "cost": 2}, {"iso3": "THA"}], INDS)
    assert np.isnan(p.column("cost")[1])
    with pytest.raises(InputError, match=r"'VNM'.*'cost'.*'abc'"):
        Panel.from_rows([{"iso3": "VNM", "cost": "abc"}], INDS)


def test_from_quantities_converts_and_checks_dimension() -> None:
    u = registry()
    p = Panel.from_quantities(
        ["VNM", "THA"], {"internet_users_pct": np.array([0.7035, 0.85]) * u.dimensionless}, INDS
    )
    np.testing.assert_allclose(p.column("internet_users_pct"), [70.35, 85.0])
    months = np.array([120.0, 96.0]) * u.month
    p = Panel.from_quantities(["VNM", "THA"], {"mean_years_schooling": months}, INDS)
    np.testing.assert_allclose(p.column("mean_years_schooling"), [10.0, 8.0])
    with pytest.raises(UnitError, match=r"'internet_users_pct'.*year"):
        Panel.from_quantities(["VNM"], {"internet_users_pct": np.array([3.0]) * u.year}, INDS)
    with pytest.raises(UnitError, match="pint quantity"):
        Panel.from_quantities(["VNM"], {"internet_users_pct": np.array([3.0])}, INDS)  # type: ignore[dict-item]


def test_unknown_unit_and_bad_bounds() -> None:
    with pytest.raises(UnitError):
        Indicator("x", unit="bananas_per_widget")
    with pytest.raises(BoundsError):
        Indicator("x", lower=2, upper=1)


def test_with_value_rechecks_bounds_and_require_names_missing() -> None:
    p = Panel.from_columns(["VNM", "THA"], {"internet_users_pct": [70, 80]}, INDS)
    assert p.with_value("VNM", "internet_users_pct", 90).column("internet_users_pct")[0] == 90
    with pytest.raises(BoundsError):
        p.with_value("VNM", "internet_users_pct", 120)
    with pytest.raises(MissingDataError, match="cost"):
        p.require(["internet_users_pct", "cost"])


def test_every_error_is_an_egovindex_error() -> None:
    for exc in (BoundsError, DuplicateEntityError, UnitError, MissingDataError):
        assert issubclass(exc, EgovIndexError)


def test_non_numbers_are_input_errors_naming_the_entity() -> None:
    with pytest.raises(InputError, match=r"entity 'B', indicator 'a': value 'zz' is not a number"):
        Panel.from_columns(["A", "B"], {"a": ["1", "zz"]}, [Indicator("a")])
    with pytest.raises(InputError, match="numbers"):
        Panel(["A"], [Indicator("a"), Indicator("b")], [["1", "q"]])
