"""The worked example: the shipped synthetic 193-country raw panel scored for 2022 and 2024.

Every intermediate of one country (Viet Nam) is recomputed here with plain NumPy from the
published formulas (methodology A.1.2, A.2.2, A.3.1, A.4.1, A.5, A.7), independently of the
engine, and compared with what the library reports.
"""

import csv
import importlib.util
import io
from pathlib import Path

import numpy as np
import pytest

from egovindex.io import read_raw_csv, synthetic_raw_csv
from egovindex.methodologies.un import methodology

COUNTRY = "VNM"
# 2022 Survey Annex, Table A.1 (TII, cap 120) and methodology A.3.1 (HCI weights)
TII = {
    "internet_users_pct": 0.25,
    "mobile_subscriptions_per100": 0.25,
    "mobile_broadband_per100": 0.25,
    "fixed_broadband_per100": 0.25,
}
HCI = {
    "adult_literacy_pct": 1 / 3,
    "gross_enrolment_ratio_pct": 2 / 9,
    "expected_years_schooling": 2 / 9,
    "mean_years_schooling": 2 / 9,
}
CAP = 120.0


def load() -> tuple[list[str], dict[str, np.ndarray]]:
    text = synthetic_raw_csv().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    codes = [r["iso3"] for r in rows]
    columns = {k: np.array([float(r[k]) for r in rows]) for k in rows[0] if k != "iso3"}
    return codes, columns


def hand(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The Survey's formulas, written out with NumPy only."""
    out: dict[str, np.ndarray] = {}
    for name, weights, cap in (("tii", TII, CAP), ("hci", HCI, None)):
        composite = np.zeros(len(next(iter(columns.values()))))
        for code, w in weights.items():
            x = columns[code] if cap is None else np.minimum(columns[code], cap)
            mean = x.sum() / x.size
            sd = np.sqrt(((x - mean) ** 2).sum() / x.size)  # population sd
            out[f"{code}:mean"] = np.array(mean)
            out[f"{code}:sd"] = np.array(sd)
            out[code] = (x - mean) / sd
            composite = composite + w * out[code]
        out[f"{name}:composite"] = composite
        out[name] = (composite - composite.min()) / (composite.max() - composite.min())
    for name, code in (("osi", "osi_points"), ("epi", "epi_points")):
        x = columns[code]
        out[name] = (x - x.min()) / (x.max() - x.min())
    out["egdi"] = (out["osi"] + out["tii"] + out["hci"]) / 3
    out["egdi_rank"] = np.array([1 + (out["egdi"] > e).sum() for e in out["egdi"]])
    return out


def group_and_class(e: float, cohort: np.ndarray) -> tuple[str, str]:
    # methodology A.7.1 (lower bounds inclusive) and A.7.2 reading (b), the default: the
    # group's n members, best first, are cut after round(k * n / 4), k = 1, 2, 3
    groups = [("Very High", 0.75, 1.01, "VH V3 V2 V1"), ("High", 0.5, 0.75, "HV H3 H2 H1")]
    groups += [("Middle", 0.25, 0.5, "MH M3 M2 M1"), ("Low", 0.0, 0.25, "LM L3 L2 L1")]
    for name, floor, ceiling, labels in groups:
        if e >= floor:
            members = cohort[(cohort >= floor) & (cohort < ceiling)]
            position = int((members > e).sum())  # members ahead of e
            cuts = [round(k * members.size / 4) for k in (1, 2, 3)]
            return name, labels.split()[sum(position >= c for c in cuts)]
    raise AssertionError(e)


@pytest.mark.parametrize("year", [2022, 2024])
def test_every_intermediate_of_one_country_matches_the_hand_computation(year: int) -> None:
    codes, columns = load()
    expected = hand(columns)
    i = codes.index(COUNTRY)
    result = methodology(year).score(read_raw_csv(synthetic_raw_csv(), year))
    assert result.entities == tuple(codes)
    audit = result.scores
    for code in (*TII, *HCI):
        fitted = audit.fitted[code]
        zfit = fitted.steps[1] if hasattr(fitted, "steps") else fitted
        assert zfit.mean[0] == pytest.approx(float(expected[f"{code}:mean"]), abs=1e-12)
        assert zfit.std[0] == pytest.approx(float(expected[f"{code}:sd"]), abs=1e-12)
        assert audit[code][i] == pytest.approx(expected[code][i], abs=1e-12)
        assert audit.raw[code][i] == columns[code][i]
    for name in ("tii", "hci"):
        comp = expected[f"{name}:composite"]
        low, high = audit.fitted[name].low[0], audit.fitted[name].high[0]
        assert low == pytest.approx(comp.min(), abs=1e-12)
        assert high == pytest.approx(comp.max(), abs=1e-12)
        assert low + audit[name][i] * (high - low) == pytest.approx(comp[i], abs=1e-12)
    for name in ("tii", "hci", "osi", "epi", "egdi"):
        assert result.index(name)[i] == pytest.approx(expected[name][i], abs=1e-12)
        np.testing.assert_allclose(result.index(name), expected[name], rtol=0, atol=1e-12)
    assert result.egdi_rank[i] == expected["egdi_rank"][i]
    row = result.of(COUNTRY)
    assert (row["group"], row["rating_class"]) == group_and_class(
        float(expected["egdi"][i]), expected["egdi"]
    )
    # the cap binds in this panel: the synthetic mobile subscriptions exceed 120 somewhere
    assert (columns["mobile_subscriptions_per100"] > CAP).any()


def test_2024_scores_equal_2022_because_2024_is_assumed_as_2022() -> None:
    # methodology A.0: the 2024 specification is UNCONFIRMED and assumed as 2022.
    panel = read_raw_csv(synthetic_raw_csv(), 2022)
    a, b = methodology(2022).score(panel), methodology(2024).score(panel)
    assert a.to_rows() == b.to_rows()


def test_the_script_reproduces_the_shipped_panel() -> None:
    script = Path(__file__).resolve().parents[2] / "scripts" / "make_synthetic_panel.py"
    if not script.exists():
        pytest.skip("scripts/ is not part of an installed distribution")
    spec = importlib.util.spec_from_file_location("make_synthetic_panel", script)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.make_panel(2022)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=module.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    # NumPy's Generator streams are stable across releases except for documented fixes;
    # if this fails after a NumPy upgrade, rerun the script and review the diff.
    assert buffer.getvalue() == synthetic_raw_csv().read_text(encoding="utf-8")
