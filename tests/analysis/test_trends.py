"""Issue 26.3: the trend data equal the source rows; the two series stay apart."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.analysis import trends
from geo.config import RAW_DIR


@pytest.fixture(scope="module")
def rows(data):
    return trends.trend_rows(data.trend, data.burden, data.jurisdictions)


def test_modelled_rows_equal_the_source_file(rows):
    raw = pd.read_csv(
        RAW_DIR / "md_county_overdose_mortality_rate_2014_2021_oeps_hepvu.csv",
        dtype={"county_fips": str},
    )
    modelled = rows[rows["series"] == trends.MODELLED]
    merged = modelled.merge(raw, left_on=["fips", "year"], right_on=["county_fips", "year"])
    assert len(merged) == len(raw) == len(modelled) == 24 * 8
    assert merged["rate_per_100k"].tolist() == merged["OdMortRt"].astype(float).tolist()


def test_wonder_rows_equal_the_source_file_and_suppressed_stay_missing(rows):
    raw = pd.read_csv(RAW_DIR / "md_drug_alcohol_induced_deaths_cdcwonder_2022_2023.csv", dtype=str)
    raw = raw[raw["cause_code"] == "D"]  # drug-induced causes (the file also has alcohol)
    wonder = rows[rows["series"] == trends.WONDER].set_index(["fips", "year"])
    assert len(wonder) == len(raw) == 48
    for _, source in raw.iterrows():
        shown = wonder.loc[(source["county_fips"], int(source["year"])), "rate_per_100k"]
        if source["crude_rate_per_100k"] == "Suppressed":
            assert np.isnan(shown)
        else:
            assert shown == float(source["crude_rate_per_100k"])
    # Kent (both years) and Garrett 2022 are suppressed: no rate drawn, never zero
    assert wonder.loc[("24029", 2022), "rate_per_100k"] != 0
    assert np.isnan(wonder.loc[("24029", 2022), "rate_per_100k"])
    assert np.isnan(wonder.loc[("24023", 2022), "rate_per_100k"])


def test_maryland_lines_by_hand(rows, data):
    pop = dict(zip(data.jurisdictions["fips"], data.jurisdictions["pop_2020"], strict=True))
    year = data.trend[data.trend["year"] == 2018]
    expected = sum(
        r * pop[f] for f, r in zip(year["fips"], year["modelled_rate_per_100k"], strict=True)
    ) / sum(pop.values())
    state = trends.maryland_rows(rows).set_index(["series", "year"])["rate_per_100k"]
    assert state[(trends.MODELLED, 2018)] == pytest.approx(expected)
    b = data.burden[(data.burden["year"] == 2023) & ~data.burden["suppressed"]]
    assert state[(trends.WONDER, 2023)] == pytest.approx(
        b["deaths"].sum() / b["population"].sum() * 100_000
    )


def test_the_series_are_never_one_line(rows):
    """No year has both series; the modelled series ends in 2021 and WONDER starts in 2022."""
    years = rows.groupby("series")["year"].agg(["min", "max"])
    assert tuple(years.loc[trends.MODELLED]) == (2014, 2021)
    assert tuple(years.loc[trends.WONDER]) == (2022, 2023)
    assert "never a count" in trends.change_text(rows, "24023").replace(
        "not counts", "never a count"
    )


def test_trend_figure_draws_the_two_series_apart(rows, data):
    from geo.render import trend_figure

    names = dict(zip(data.jurisdictions["fips"], data.jurisdictions["name"], strict=True))
    figure = trend_figure.trend_figure(rows, ["24023"], names)
    ax = figure.axes[0]
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) > 1]
    for line in lines:  # no drawn line crosses the 2021/2022 divide
        x = np.asarray(line.get_xdata(), dtype=float)
        if not np.isnan(x).all() and x.min() < 2021.5 < x.max():
            assert np.allclose(x, 2021.5)  # only the divider itself
    modelled = [line for line in lines if list(line.get_xdata()) == list(range(2014, 2022))]
    assert any(
        list(line.get_ydata())
        == rows[(rows["fips"] == "24023") & (rows["series"] == "modelled")][
            "rate_per_100k"
        ].tolist()
        for line in modelled
    )
