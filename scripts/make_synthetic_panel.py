"""Write the seeded synthetic raw-indicator panel shipped with egovindex.

Usage::

    python scripts/make_synthetic_panel.py [--seed 2022] [--out PATH]

One row per UN Member State (the ISO3 list embedded in
``src/egovindex/datasets/data/un_egov_country_regions.csv``, sorted by code) and every raw
column a UN Survey edition from 2012 on may read. The values are INVENTED: a latent
"development" level per country drives correlated indicators in realistic ranges (mobile
subscriptions up to ~190 per 100, so the 2020+ cap of 120 binds for some countries; gross
enrolment above 100 % for some; integer questionnaire points; an ``osi_published`` column,
the min-max normalised point total written exactly, standing in for the OSI a Survey
publishes, the default OSI input from 2022). They are for examples and
tests, not for analysis. The output is deterministic for a given seed and NumPy's PCG64.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "egovindex" / "datasets" / "data"

# Number of binary questionnaire items per OSI subindex: invented for the synthetic panel
# (the Survey's item counts per subindex are not known to this project).
ITEMS = {"osi_if_points": 14, "osi_cp_points": 40, "osi_sp_points": 36, "osi_tec_points": 20}
EPI_ITEMS = 30

COLUMNS = (
    "iso3",
    "internet_users_pct",
    "mobile_subscriptions_per100",
    "mobile_broadband_per100",
    "fixed_broadband_per100",
    "fixed_telephone_per100",
    "wireless_broadband_per100",
    "fixed_internet_per100",
    "pcs_per100",
    "adult_literacy_pct",
    "gross_enrolment_ratio_pct",
    "expected_years_schooling",
    "mean_years_schooling",
    "osi_points",
    *ITEMS,
    "epi_points",
    "osi_published",
)


def iso3_codes() -> list[str]:
    """The 193 ISO3 codes of the embedded country list, sorted."""
    with (DATA / "un_egov_country_regions.csv").open(encoding="utf-8-sig", newline="") as fh:
        return sorted(row["iso3"] for row in csv.DictReader(fh))


def make_panel(seed: int) -> list[dict[str, str]]:
    """Return the synthetic rows (values formatted as strings)."""
    codes = iso3_codes()
    n = len(codes)
    rng = np.random.default_rng(seed)
    d = rng.beta(2.0, 2.0, n)  # latent development level in (0, 1)

    def noisy(centre: np.ndarray, sd: float, low: float, high: float) -> np.ndarray:
        return np.clip(centre + rng.normal(0.0, sd, n), low, high)

    internet = noisy(100.0 / (1.0 + np.exp(-(d - 0.45) * 9.0)), 6.0, 2.0, 99.5)
    mobile = noisy(40.0 + 110.0 * d, 18.0, 15.0, 190.0)
    mobile_bb = noisy(5.0 + 120.0 * d**1.2, 15.0, 1.0, 160.0)
    fixed_bb = noisy(45.0 * d**2, 3.0, 0.01, 50.0)
    telephone = noisy(50.0 * d**2, 5.0, 0.05, 60.0)
    wireless_bb = mobile_bb + np.abs(rng.normal(0.0, 3.0, n))
    fixed_internet = fixed_bb * 1.1 + np.abs(rng.normal(0.0, 1.0, n))
    pcs = noisy(90.0 * d**1.5, 6.0, 0.3, 95.0)
    literacy = noisy(100.0 - 70.0 * (1.0 - d) ** 2, 4.0, 20.0, 100.0)
    ger = noisy(40.0 + 80.0 * d, 10.0, 25.0, 125.0)
    eys = noisy(5.0 + 15.0 * d, 1.2, 4.0, 22.5)
    mys = noisy(1.5 + 12.5 * d, 1.0, 1.0, 14.2)

    # Questionnaire points: binomial counts of binary items, with a propensity that follows
    # development loosely (portals are not a function of wealth alone).
    propensity = np.clip(0.08 + 0.85 * d + rng.normal(0.0, 0.12, n), 0.02, 0.98)
    points = {k: rng.binomial(m, propensity) for k, m in ITEMS.items()}
    epi = rng.binomial(EPI_ITEMS, np.clip(propensity - 0.1, 0.01, 0.97))
    total = sum(points.values()) + epi
    # The stand-in for the published OSI, the min-max of the point total (methodology A.4.1);
    # repr() round-trips, so reading it back gives the same binary64 values.
    osi = (total - total.min()) / (total.max() - total.min())

    rows = []
    for i, code in enumerate(codes):
        row = {
            "iso3": code,
            "internet_users_pct": internet[i],
            "mobile_subscriptions_per100": mobile[i],
            "mobile_broadband_per100": mobile_bb[i],
            "fixed_broadband_per100": fixed_bb[i],
            "fixed_telephone_per100": telephone[i],
            "wireless_broadband_per100": wireless_bb[i],
            "fixed_internet_per100": fixed_internet[i],
            "pcs_per100": pcs[i],
            "adult_literacy_pct": literacy[i],
            "gross_enrolment_ratio_pct": ger[i],
            "expected_years_schooling": eys[i],
            "mean_years_schooling": mys[i],
        }
        out = {k: (v if isinstance(v, str) else f"{float(v):.2f}") for k, v in row.items()}
        out["osi_points"] = str(int(total[i]))
        out.update({k: str(int(v[i])) for k, v in points.items()})
        out["epi_points"] = str(int(epi[i]))
        out["osi_published"] = repr(float(osi[i]))
        rows.append(out)
    return rows


def main() -> None:
    """Parse arguments and write the CSV."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--out", type=Path, default=DATA / "synthetic_raw_2022.csv")
    args = parser.parse_args()
    rows = make_panel(args.seed)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {args.out}")


if __name__ == "__main__":
    main()
