"""Death rates with their source and 95% interval, gap measures and rank ranges.

Every jurisdiction gets a drug-induced death rate and says where it comes from
(``rate_source``):

* both 2022 and 2023 published by CDC WONDER: the pooled average annual rate
  ``(d2022 + d2023) / (p2022 + p2023) × 100,000`` with the exact Poisson (Garwood)
  95% interval of the pooled count;
* one year published (the other suppressed, fewer than 10 deaths): that year's rate and
  CDC WONDER's own 95% interval for it;
* no year published (Kent): the Maryland rate (the same pooled 2022-2023 definition over
  the jurisdictions with both years published), labelled as such; its interval is the
  range suppression allows, 0 to 9 deaths a year (a bound, not a confidence interval).

Gap measures (``GAP_MEASURES``), each larger = larger gap:

* ``deaths``: ``uncovered residents × death rate / 100,000`` (expected deaths a year among
  residents beyond reach; the default);
* ``residents``: residents beyond reach;
* ``svi``: ``uncovered residents × SVI 2022 overall`` (0 least to 1 most vulnerable).

Rank ranges resample the death counts (Poisson around the published count; uniform over
the suppression bound for a fallback rate), ``RANK_DRAWS`` draws with seed ``RANK_SEED``;
``gap_rank_low``/``gap_rank_high`` are the 2.5th/97.5th percentiles of the rank, widened
to include the rank itself. Measures without a death rate have no sampled uncertainty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from geo.errors import InputError

PER_100K = 100_000.0
SUPPRESSED_MAX_DEATHS = 9  # CDC WONDER suppresses counts of 0-9
RANK_DRAWS = 2_000
RANK_SEED = 2022
POOLED = "CDC WONDER 2022-2023 pooled"
STATE_FALLBACK = "Maryland rate 2022-2023 (CDC WONDER; own counts suppressed in both years)"


def one_year_source(year: int, suppressed_year: int) -> str:
    """The ``rate_source`` label of a rate from one published year."""
    return f"CDC WONDER {year} only ({suppressed_year} suppressed)"


@dataclass(frozen=True)
class GapMeasure:
    """One way to score the access gap of a jurisdiction."""

    key: str
    label: str
    unit: str
    formula: str


GAP_MEASURES: dict[str, GapMeasure] = {
    m.key: m
    for m in (
        GapMeasure(
            "deaths",
            "Expected deaths among residents beyond reach",
            "deaths/yr",
            "residents beyond the radius × drug-induced death rate ÷ 100,000",
        ),
        GapMeasure(
            "residents",
            "Residents beyond reach",
            "residents",
            "residents whose nearest listed site is farther than the radius",
        ),
        GapMeasure(
            "svi",
            "Residents beyond reach weighted by social vulnerability",
            "SVI-weighted residents",
            "residents beyond the radius × SVI 2022 overall (0 least, 1 most vulnerable)",
        ),
        GapMeasure(
            "no-vehicle",
            "Residents of car-free households beyond reach",
            "residents without a car",
            "Σ over tracts beyond the radius (with walking minutes chosen: beyond the "
            "walking threshold where the walking network exists, Baltimore City) of tract "
            "residents × share of households with no vehicle (ACS 2019-2023); tracts "
            "without households are unknown",
        ),
        GapMeasure(
            "rurality",
            "Residents beyond reach for how rural their tract is",
            "residents",
            "residents farther than 1 mile in urban tracts or 10 miles in rural tracts "
            "(USDA Food Access Research Atlas convention; RUCA 2020 cores 1, 4, 7 urban, "
            "other codes rural, 99 unknown)",
        ),
    )
}
#: Measures scored tract by tract (the others from jurisdiction columns).
TRACT_MEASURES = ("no-vehicle", "rurality")
DEFAULT_GAP_MEASURE = "deaths"


def check_gap_measure(measure: str) -> str:
    """``measure`` if it is a known gap measure (else a one-line ``ValueError``)."""
    if measure not in GAP_MEASURES:
        raise InputError(f"unknown gap measure {measure!r}; choose from " + ", ".join(GAP_MEASURES))
    return measure


def garwood_interval(
    deaths: np.ndarray | float, person_years: np.ndarray | float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson (Garwood 1936) 95% interval of a rate per 100,000:
    ``[χ²(0.025; 2d) / 2, χ²(0.975; 2d + 2) / 2] / person-years × 100,000``, with
    χ²(p; 2k) / 2 = P⁻¹(k, p), the inverse regularised gamma function (the same values
    as ``scipy.stats.chi2.ppf``, without importing scipy.stats: ~0.5 s at start)."""
    from scipy.special import gammaincinv  # here: the CLI and the URL view import this

    d = np.asarray(deaths, dtype=float)
    low = np.where(d > 0, gammaincinv(np.maximum(d, 1e-12), 0.025), 0.0)
    high = gammaincinv(d + 1, 0.975)
    scale = PER_100K / np.asarray(person_years, dtype=float)
    return low * scale, high * scale


def _rate_row(years: pd.DataFrame) -> dict[str, object]:
    """The rate of one jurisdiction from its CDC WONDER year rows."""
    published = years[~years["suppressed"]]
    person_years = float(years["population"].sum())
    if len(published) == len(years) and len(years) > 1:
        deaths = float(published["deaths"].sum())
        low, high = garwood_interval(deaths, person_years)
        return {
            "rate_deaths": deaths,
            "rate_population": person_years,
            "death_rate_per_100k": deaths / person_years * PER_100K,
            "death_rate_lcl95": float(low),
            "death_rate_ucl95": float(high),
            "rate_source": POOLED,
        }
    if len(published) >= 1:
        row = published.sort_values("year").iloc[-1]
        missing = years.loc[years["suppressed"], "year"]
        source = (
            one_year_source(int(row["year"]), int(missing.iloc[0]))
            if len(missing)
            else f"CDC WONDER {int(row['year'])} only"
        )
        return {
            "rate_deaths": float(row["deaths"]),
            "rate_population": float(row["population"]),
            "death_rate_per_100k": float(row["deaths"]) / row["population"] * PER_100K,
            "death_rate_lcl95": float(row["rate_lcl95"]),
            "death_rate_ucl95": float(row["rate_ucl95"]),
            "rate_source": source,
        }
    return {
        "rate_deaths": np.nan,
        "rate_population": person_years,
        "death_rate_per_100k": np.nan,
        "death_rate_lcl95": 0.0,
        "death_rate_ucl95": SUPPRESSED_MAX_DEATHS * len(years) / person_years * PER_100K,
        "rate_source": STATE_FALLBACK,
    }


def death_rates(burden: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, float | str]]:
    """Per jurisdiction (index fips): deaths_2022_2023 (both years published, else
    missing), the rate used, its interval, ``rate_source``; and the statewide rate
    with its Garwood interval (jurisdictions with both years published)."""
    rows = {fips: _rate_row(group) for fips, group in burden.groupby("fips")}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "fips"
    pooled = out["rate_source"] == POOLED
    state_deaths = out.loc[pooled, "rate_deaths"].sum()
    state_years = out.loc[pooled, "rate_population"].sum()
    low, high = garwood_interval(state_deaths, state_years)
    state: dict[str, float | str] = {
        "death_rate_per_100k": state_deaths / state_years * PER_100K,
        "death_rate_lcl95": float(low),
        "death_rate_ucl95": float(high),
        "rate_source": POOLED + " (jurisdictions with both years published)",
    }
    fallback = out["rate_source"] == STATE_FALLBACK
    out.loc[fallback, "death_rate_per_100k"] = state["death_rate_per_100k"]
    out["deaths_2022_2023"] = (
        out["rate_deaths"].where(pooled).astype("Float64").round().astype("Int64")
    )
    return out, state


@dataclass(frozen=True)
class DeathCountRange:
    """A total of drug-induced deaths known only to lie in ``low``..``high`` (deaths)
    because the ``suppressed`` county-years (name, year) were withheld by CDC WONDER,
    each 0 to ``SUPPRESSED_MAX_DEATHS`` deaths."""

    low: int
    high: int
    suppressed: tuple[tuple[str, int], ...]

    def text(self) -> str:
        """``11,905–11,932`` (or the one number when nothing is suppressed)."""
        if self.low == self.high:
            return f"{self.low:,}"
        return f"{self.low:,}–{self.high:,}"

    def why(self) -> str:
        """Which county-years are suppressed, as a phrase: ``Garrett 2022, Kent 2022 and
        Kent 2023``."""
        parts = [f"{name} {year}" for name, year in self.suppressed]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def death_count_range(burden: pd.DataFrame, fips: str | None = None) -> DeathCountRange:
    """The range the total of ``burden``'s deaths (all years given) lies in, statewide
    or for one jurisdiction ``fips``: the published counts summed, plus 0 to
    ``SUPPRESSED_MAX_DEATHS`` for each suppressed county-year (CDC WONDER withholds
    sub-national counts of 0-9). Nothing is imputed: both ends are stated."""
    rows = burden if fips is None else burden[burden["fips"] == fips]
    deaths = pd.to_numeric(rows["deaths"], errors="coerce")
    missing = rows[deaths.isna()].sort_values(["name", "year"])
    known = int(deaths.sum(skipna=True))
    return DeathCountRange(
        known,
        known + SUPPRESSED_MAX_DEATHS * len(missing),
        tuple((str(n), int(y)) for n, y in zip(missing["name"], missing["year"], strict=True)),
    )


def gap_scores(
    uncovered: npt.ArrayLike, rate_per_100k: npt.ArrayLike, svi: npt.ArrayLike, measure: str
) -> np.ndarray:
    """The gap score of each jurisdiction under ``measure`` (see the module docstring)."""
    check_gap_measure(measure)
    residents = np.asarray(uncovered, dtype=float)
    if measure == "residents":
        return residents
    if measure == "svi":
        return residents * np.asarray(svi, dtype=float)
    return residents * np.asarray(rate_per_100k, dtype=float) / PER_100K


def ranks_descending(scores: np.ndarray) -> np.ndarray:
    """Rank 1 = largest score, ties share the best rank, missing scores stay missing
    (rows of a 2-D array are ranked separately)."""
    return (
        pd.DataFrame(np.atleast_2d(scores))
        .rank(axis=1, ascending=False, method="min")
        .to_numpy()
        .reshape(np.shape(scores))
    )


def sampled_rates(
    rates: pd.DataFrame, draws: int = RANK_DRAWS, seed: int = RANK_SEED
) -> np.ndarray:
    """``draws × jurisdictions`` death rates: Poisson counts around each published count
    over its person-years; for a fallback rate, uniform over its suppression bound."""
    rng = np.random.default_rng(seed)
    deaths = rates["rate_deaths"].to_numpy(dtype=float)
    person_years = rates["rate_population"].to_numpy(dtype=float)
    known = np.isfinite(deaths)
    sampled = np.empty((draws, len(rates)))
    sampled[:, known] = (
        rng.poisson(deaths[known], size=(draws, int(known.sum()))) / person_years[known] * PER_100K
    )
    upper = rates["death_rate_ucl95"].to_numpy(dtype=float)[~known]
    sampled[:, ~known] = rng.uniform(0.0, upper, size=(draws, int((~known).sum())))
    return sampled


def rank_ranges(
    uncovered: np.ndarray,
    rates: pd.DataFrame,
    svi: np.ndarray,
    measure: str,
    draws: int = RANK_DRAWS,
    seed: int = RANK_SEED,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rank, rank_low and rank_high per jurisdiction (rows of ``rates`` aligned with
    ``uncovered`` and ``svi``); see the module docstring for the resampling."""
    rate = rates["death_rate_per_100k"].to_numpy(dtype=float)
    rank = ranks_descending(gap_scores(uncovered, rate, svi, measure))
    if measure != "deaths":
        return rank, rank.copy(), rank.copy()
    sampled = sampled_rates(rates, draws, seed)
    drawn = ranks_descending(np.asarray(uncovered, dtype=float)[None, :] * sampled / PER_100K)
    low = np.percentile(drawn, 2.5, axis=0, method="lower")
    high = np.percentile(drawn, 97.5, axis=0, method="higher")
    return rank, np.fmin(low, rank), np.fmax(high, rank)
