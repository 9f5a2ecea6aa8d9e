"""Overdose death rates over time: two series that are never joined.

* ``modelled``: the NCHS model-based (smoothed) county drug-overdose mortality rate per
  100,000, 2014-2021 (ICD-10 X40-X44, X60-X64, X85, Y10-Y14; via HepVu/OEPS). A modelled
  estimate, never a count. The source has no Maryland row: Maryland's line is the
  population-weighted mean of the 24 modelled rates (2020 census populations), labelled
  as such.
* ``wonder``: the CDC WONDER drug-induced death rate per 100,000, 2022-2023 (crude rate
  as published; a suppressed year, under 10 deaths, has no rate). Maryland's rate that
  year: published deaths ÷ population of the jurisdictions with that year published.

The definitions differ (drug-induced is broader than drug overdose), so the two series are
drawn as separate lines with separate labels and never connected.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.config import MARYLAND_STATE_FIPS

PER_100K = 100_000.0
MODELLED = "modelled"
WONDER = "wonder"
SERIES_LABELS = {
    MODELLED: "Modelled drug-overdose death rate (NCHS model-based estimates, 2014-2021)",
    WONDER: "Drug-induced death rate (CDC WONDER, 2022-2023; a different definition)",
}
MARYLAND_LINE = {
    MODELLED: "Maryland: population-weighted mean of the 24 modelled rates (2020 census)",
    WONDER: "Maryland: published deaths ÷ population of jurisdictions with that year published",
}
TREND_COLUMNS = (
    "fips",
    "name",
    "series",
    "year",
    "rate_per_100k",
    "maryland_rate_per_100k",
)


def trend_rows(
    trend: pd.DataFrame,
    burden: pd.DataFrame,
    jurisdictions: pd.DataFrame,
    fips: list[str] | None = None,
) -> pd.DataFrame:
    """Long table (:data:`TREND_COLUMNS`), one row per jurisdiction, series and year:
    the modelled rates 2014-2021 as in ``trend`` (``layers.load_overdose_trend``) and the
    CDC WONDER crude rates 2022-2023 as in ``burden`` (missing where suppressed), each
    with Maryland's value of the same series that year. ``fips``: only those
    jurisdictions (in that order; default all)."""
    names = dict(zip(jurisdictions["fips"], jurisdictions["name"], strict=True))
    weights = dict(zip(jurisdictions["fips"], jurisdictions["pop_2020"], strict=True))
    modelled = trend.assign(weight=trend["fips"].map(weights).astype(float))
    known = modelled["modelled_rate_per_100k"].notna()
    state_modelled = (
        modelled.loc[known, "modelled_rate_per_100k"] * modelled.loc[known, "weight"]
    ).groupby(modelled.loc[known, "year"]).sum() / modelled.loc[known].groupby("year")[
        "weight"
    ].sum()
    published = burden[~burden["suppressed"].astype(bool)]
    by_year = published.groupby("year")[["deaths", "population"]].sum()
    state_wonder = by_year["deaths"].astype(float) / by_year["population"] * PER_100K
    rows = pd.concat(
        [
            pd.DataFrame(
                {
                    "fips": trend["fips"],
                    "series": MODELLED,
                    "year": trend["year"].astype(int),
                    "rate_per_100k": trend["modelled_rate_per_100k"].astype(float),
                    "maryland_rate_per_100k": trend["year"].map(state_modelled).astype(float),
                }
            ),
            pd.DataFrame(
                {
                    "fips": burden["fips"],
                    "series": WONDER,
                    "year": burden["year"].astype(int),
                    "rate_per_100k": burden["crude_rate_per_100k"]
                    .where(~burden["suppressed"].astype(bool))
                    .astype(float),
                    "maryland_rate_per_100k": burden["year"].map(state_wonder).astype(float),
                }
            ),
        ],
        ignore_index=True,
    )
    rows["name"] = rows["fips"].map(names)
    order = list(fips) if fips is not None else list(jurisdictions["fips"])
    rows = rows[rows["fips"].isin(order)]
    rows["_order"] = rows["fips"].map({f: i for i, f in enumerate(order)})
    rows["_series"] = (rows["series"] == WONDER).astype(int)
    rows = rows.sort_values(["_order", "_series", "year"], ignore_index=True)
    return rows[list(TREND_COLUMNS)]


def maryland_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Maryland's line of each series (series, year, rate_per_100k), from ``rows``."""
    state = (
        rows.groupby(["series", "year"], as_index=False)[["maryland_rate_per_100k"]]
        .first()
        .rename(columns={"maryland_rate_per_100k": "rate_per_100k"})
    )
    state.insert(0, "fips", MARYLAND_STATE_FIPS)
    return state


def change_text(rows: pd.DataFrame, fips: str) -> str:
    """One sentence on the modelled rate's change 2014 → 2021 for ``fips`` (per 100,000,
    a modelled rate; never a count)."""
    own = rows[(rows["fips"] == fips) & (rows["series"] == MODELLED)].set_index("year")
    if own.empty or not {2014, 2021} <= set(own.index):
        return ""
    rate, state_rate = own["rate_per_100k"], own["maryland_rate_per_100k"]
    first, last = rate.loc[2014], rate.loc[2021]
    state_first, state_last = state_rate.loc[2014], state_rate.loc[2021]
    if not np.isfinite([first, last, state_first, state_last]).all():
        return ""
    return (
        f"Modelled overdose death rate {first:.1f} per 100,000 in 2014 and {last:.1f} in "
        f"2021 (Maryland {state_first:.1f} and {state_last:.1f}); modelled rates, not counts."
    )
