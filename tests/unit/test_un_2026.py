"""methodology(2026): reserved, the 2024 rules plus the reported 2026 changes as
UNCONFIRMED options that refuse to score until confirmed (as the DTI v3 frameworks)."""

from pathlib import Path

import numpy as np
import pytest

import egovindex as eg
from egovindex.cli import main
from egovindex.datasets import editions
from egovindex.errors import EgovIndexError, InputError, UnconfirmedOptionError
from egovindex.io import read_raw_csv, synthetic_raw_csv
from egovindex.methodologies.un import EDITIONS, edition, methodology, raw_panel

PANEL = read_raw_csv(synthetic_raw_csv(), 2024)
BOTH = ("tii_affordability_weight", "hci_egov_literacy_weight")


def test_2026_is_reserved_not_published() -> None:
    assert 2026 not in EDITIONS
    assert 2026 not in editions()
    ed = edition(2026)
    assert ed.unconfirmed == BOTH
    assert any("2026" in n and "UNCONFIRMED" in n for n in ed.notes)
    assert ed.top_weights == edition(2024).top_weights
    assert ed.tii_indicators == edition(2024).tii_indicators  # unconfirmed: nothing added


@pytest.mark.parametrize("attribute", ["trees", "tree", "columns"])
def test_unconfirmed_options_refuse_naming_each(attribute: str) -> None:
    m = methodology(2026)
    with pytest.raises(UnconfirmedOptionError, match="tii_affordability_weight") as err:
        getattr(m, attribute)
    assert err.value.options == BOTH
    assert "hci_egov_literacy_weight" in str(err.value)
    assert isinstance(err.value, EgovIndexError)


def test_score_refuses_until_both_are_confirmed() -> None:
    with pytest.raises(UnconfirmedOptionError) as err:
        methodology(2026).score(PANEL)
    assert err.value.options == BOTH
    with pytest.raises(UnconfirmedOptionError) as err:
        methodology(2026, tii_affordability_weight=0.0).score(PANEL)
    assert err.value.options == ("hci_egov_literacy_weight",)
    assert "tii_affordability_weight" not in str(err.value)


def test_confirmed_as_left_out_the_2024_rules_score_bit_for_bit() -> None:
    m = methodology(2026, tii_affordability_weight=0, hci_egov_literacy_weight=0)
    new, old = m.score(PANEL), methodology(2024).score(PANEL)
    for name in ("egdi", "tii", "hci", "osi", "epi"):
        np.testing.assert_array_equal(new.index(name), old.index(name))
    np.testing.assert_array_equal(new.egdi_rank, old.egdi_rank)


def _with_new_columns(price: np.ndarray) -> eg.un.UNScores:
    m = methodology(2026, tii_affordability_weight=0.2, hci_egov_literacy_weight=0.1)
    cols = {c: np.asarray(PANEL.column(c)) for c in PANEL.codes}
    cols["affordability_basket_pct_gni"] = price
    cols["egov_literacy_pct"] = np.linspace(20.0, 95.0, len(PANEL.entities))
    return m.score(raw_panel(PANEL.entities, cols))


def test_confirmed_weights_add_the_indicators_and_a_lower_price_is_better() -> None:
    m = methodology(2026, tii_affordability_weight=0.2, hci_egov_literacy_weight=0.1)
    assert m.edition.tii_weights == pytest.approx((0.2,) * 5)
    assert m.edition.hci_weights == pytest.approx((0.3, 0.2, 0.2, 0.2, 0.1))
    assert "affordability_basket_pct_gni" in m.columns
    assert "egov_literacy_pct" in m.columns
    assert repr(m) == (
        "Methodology(2026, tii_affordability_weight=0.2, hci_egov_literacy_weight=0.1)"
    )
    n = len(PANEL.entities)
    price = np.linspace(1.0, 40.0, n)
    i = PANEL.entities.index("VNM")
    cheaper = price.copy()
    cheaper[i] = 0.5  # the cheapest basket of all
    base, better = _with_new_columns(price), _with_new_columns(cheaper)
    assert better.tii[i] > base.tii[i]
    # A basket price is not capped at 120 like subscriptions (A.2.2): a price of 300 %
    # of income still ranks below one of 150 %.
    dearer = price.copy()
    dearer[0], dearer[1] = 150.0, 300.0
    s = _with_new_columns(dearer)
    z = s.scores["affordability_basket_pct_gni"]
    assert z[0] > z[1]


@pytest.mark.parametrize("value", [-0.1, 1.0, float("nan"), "a"])
def test_a_confirmation_is_a_weight_in_zero_one(value: object) -> None:
    with pytest.raises(InputError, match=r"tii_affordability_weight must be a weight in \[0, 1\)"):
        edition(2026, tii_affordability_weight=value, hci_egov_literacy_weight=0)  # type: ignore[arg-type]


def test_the_options_belong_to_the_reserved_edition_only() -> None:
    with pytest.raises(InputError, match="reserved editions 2026 only, not 2024"):
        edition(2024, hci_egov_literacy_weight=0.1)
    assert "tii_affordability_weight" not in edition(2024).options()
    assert edition(2026).options()["tii_affordability_weight"] is None


def test_the_command_refuses_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = tmp_path / "raw.csv"
    raw.write_text(synthetic_raw_csv().read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["score", str(raw), "--edition", "2026"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "tii_affordability_weight" in err[0]
