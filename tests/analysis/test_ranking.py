"""Issue 16: rates for every suppression pattern, their intervals, gap measures, rank ranges."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from geo.analysis import metrics, ranking
from geo.config import RAW_DIR


def burden_rows(
    fips: str, d2022: int | None, d2023: int | None, p2022: int = 20_000, p2023: int = 20_000
) -> list[dict[str, object]]:
    """CDC WONDER-like rows; None = suppressed. One-year intervals are Garwood too."""
    rows = []
    for year, deaths, population in ((2022, d2022, p2022), (2023, d2023, p2023)):
        low, high = ranking.garwood_interval(deaths or 0, population)
        rows.append(
            {
                "fips": fips,
                "year": year,
                "deaths": deaths,
                "population": population,
                "suppressed": deaths is None,
                "rate_lcl95": None if deaths is None else float(low),
                "rate_ucl95": None if deaths is None else float(high),
            }
        )
    return rows


def synthetic_burden() -> pd.DataFrame:
    rows = (
        burden_rows("24001", 30, 10)
        + burden_rows("24003", None, 12, p2023=30_000)
        + burden_rows("24005", None, None, 10_000, 10_000)
    )
    frame = pd.DataFrame(rows)
    frame["deaths"] = frame["deaths"].astype("Int64")
    return frame


def test_rate_for_each_suppression_pattern_by_hand():
    rates, state = ranking.death_rates(synthetic_burden())
    both, one, none = rates.loc["24001"], rates.loc["24003"], rates.loc["24005"]
    assert both["death_rate_per_100k"] == pytest.approx(40 / 40_000 * 1e5)  # 100
    assert both["rate_source"] == ranking.POOLED
    assert both["deaths_2022_2023"] == 40
    assert both["death_rate_lcl95"] == pytest.approx(chi2.ppf(0.025, 80) / 2 / 40_000 * 1e5)
    assert both["death_rate_ucl95"] == pytest.approx(chi2.ppf(0.975, 82) / 2 / 40_000 * 1e5)
    assert one["death_rate_per_100k"] == pytest.approx(12 / 30_000 * 1e5)  # 40
    assert one["rate_source"] == "CDC WONDER 2023 only (2022 suppressed)"
    assert pd.isna(one["deaths_2022_2023"])
    assert state["death_rate_per_100k"] == pytest.approx(100.0)  # only 24001 is pooled
    assert none["death_rate_per_100k"] == pytest.approx(100.0)
    assert none["rate_source"] == ranking.STATE_FALLBACK
    assert (none["death_rate_lcl95"], none["death_rate_ucl95"]) == pytest.approx(
        (0.0, 18 / 20_000 * 1e5)
    )


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ("deaths", [10_000 * 100 / 1e5, 5_000 * 40 / 1e5, 20_000 * 100 / 1e5]),
        ("residents", [10_000, 5_000, 20_000]),
        ("svi", [10_000 * 0.5, 5_000 * 0.9, 20_000 * 0.1]),
    ],
)
def test_gap_measures_by_hand(measure, expected):
    rates, _ = ranking.death_rates(synthetic_burden())
    uncovered = np.array([10_000.0, 5_000.0, 20_000.0])
    svi = np.array([0.5, 0.9, 0.1])
    scores = ranking.gap_scores(uncovered, rates["death_rate_per_100k"], svi, measure)
    np.testing.assert_allclose(scores, expected)
    rank, low, high = ranking.rank_ranges(uncovered, rates, svi, measure)
    np.testing.assert_array_equal(rank, ranking.ranks_descending(np.array(expected)))
    assert (low <= rank).all() and (rank <= high).all()


def test_unknown_gap_measure_is_refused():
    with pytest.raises(ValueError, match="unknown gap measure 'x'; choose from deaths"):
        ranking.check_gap_measure("x")


def test_pooled_rate_equals_an_independent_computation_from_the_raw_file(data):
    raw = pd.read_csv(RAW_DIR / "md_drug_alcohol_induced_deaths_cdcwonder_2022_2023.csv", dtype=str)
    raw = raw[raw["cause_code"] == "D"]
    rates, _ = ranking.death_rates(data.burden)
    for fips, rows in raw.groupby("county_fips"):
        if (rows["deaths"] == "Suppressed").any():
            continue
        expected = rows["deaths"].astype(int).sum() / rows["population"].astype(int).sum() * 1e5
        assert rates.loc[fips, "death_rate_per_100k"] == pytest.approx(expected, rel=1e-12)
    garrett = raw[(raw["county_fips"] == "24023") & (raw["year"] == "2023")].iloc[0]
    assert rates.loc["24023", "death_rate_lcl95"] == float(garrett["crude_rate_lcl95"])
    assert rates.loc["24023", "death_rate_ucl95"] == float(garrett["crude_rate_ucl95"])


def test_garwood_matches_cdc_wonder_one_year_intervals(data):
    published = data.burden[~data.burden["suppressed"] & (data.burden["deaths"] < 100)]
    low, high = ranking.garwood_interval(
        published["deaths"].to_numpy(dtype=float), published["population"].to_numpy(dtype=float)
    )
    np.testing.assert_allclose(low, published["rate_lcl95"], atol=0.051)
    np.testing.assert_allclose(high, published["rate_ucl95"], atol=0.051)


def test_rank_ranges_bracket_the_rank_and_narrow_as_counts_grow():
    def widths(scale: int) -> np.ndarray:
        # Four jurisdictions with close rates; counts (and person-years) scaled up.
        deaths = np.array([20, 22, 24, 26]) * scale
        rates = pd.DataFrame(
            {"rate_deaths": deaths.astype(float), "rate_population": np.full(4, 50_000.0 * scale)}
        )
        rates["death_rate_per_100k"] = rates["rate_deaths"] / rates["rate_population"] * 1e5
        rates["death_rate_ucl95"] = np.nan
        rank, low, high = ranking.rank_ranges(np.full(4, 1_000.0), rates, np.zeros(4), "deaths")
        assert (low <= rank).all() and (rank <= high).all()
        np.testing.assert_array_equal(rank, [4, 3, 2, 1])
        return high - low

    small, large = widths(1), widths(100)
    assert (large <= small).all() and large.sum() < small.sum()
    assert large.sum() == 0


def test_rank_ranges_are_reproducible(data):
    scenario_table = metrics.jurisdiction_metrics(
        data, metrics.select_sites(data), metrics.radius_m_from(miles=5)
    )
    again = metrics.jurisdiction_metrics(
        data, metrics.select_sites(data), metrics.radius_m_from(miles=5)
    )
    pd.testing.assert_frame_equal(scenario_table, again)


def test_every_measure_ranks_all_24_on_real_data(data):
    for measure in ranking.GAP_MEASURES:
        table = metrics.jurisdiction_metrics(
            data, metrics.select_sites(data), metrics.radius_m_from(miles=5), gap_measure=measure
        )
        counties = table[table["fips"] != "24"]
        assert counties["gap_rank"].notna().all(), measure
        assert counties["gap_rank"].min() == 1 and counties["gap_rank"].max() <= 24
        assert (counties["gap_measure"] == measure).all()
    table = metrics.jurisdiction_metrics(
        data, metrics.select_sites(data), metrics.radius_m_from(miles=5), gap_measure="svi"
    )
    svi = table.set_index("fips")
    assert svi.loc["24023", "gap_score"] == pytest.approx(
        svi.loc["24023", "uncovered_population"] * svi.loc["24023", "svi_overall"]
    )
