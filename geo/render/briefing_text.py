"""What a briefing's key figures say, as plain text: each figure with its unit,
Maryland's value and the rank among the 24 jurisdictions (which way is better), and the
notes under the table. The paragraphs are in :mod:`geo.render.briefing_prose`.

No acronym is printed bare: the first use is spelled out. Distances are shown in the
briefing's unit (``mi`` or ``km``; km never shows miles).
"""

from __future__ import annotations

import pandas as pd

from geo.analysis.compare import MEASURE_BY_COLUMN, TOTALS
from geo.analysis.ranking import GAP_MEASURES, STATE_FALLBACK, DeathCountRange
from geo.config import MARYLAND_STATE_FIPS
from geo.numbers import value_text
from geo.render import formatting

N_JURISDICTIONS = 24
#: Acronyms the briefing's own text may use, each spelled out where first printed.
SPELLED_OUT = {"SVI": "Social Vulnerability Index (SVI)"}
#: Leave-behind status in a table cell.
STATUS_SHORT = {
    "documented": "Documented",
    "announced": "Announced / pilot",
    "no public evidence found": "Unknown",
}


#: The key figures, in order: table column → label for readers (``{radius}``,
#: ``{catchment}`` and ``{unit}`` filled in by :func:`labels`).
KEY_FIGURES: dict[str, str] = {
    "population": "Residents (2020 census, people)",
    "sites": "Listed naloxone sites with a mapped location",
    "sites_per_100k": "Sites per 100,000 residents",
    "pct_pop_within_radius": "Residents within {radius} of a site (% of residents)",
    "uncovered_population": "Residents farther than {radius} from any site (people)",
    "mean_distance_miles": "Average distance to the nearest site ({unit})",
    "p90_distance_miles": "Distance 90% of residents live within ({unit})",
    "access_2sfca_per_100k": (
        "Access score (sites per 100,000 residents within {catchment}, shared by load)"
    ),
    "deaths_2022_2023": "Drug-induced deaths 2022-2023 (deaths, both years)",
    "death_rate_per_100k": "Drug-induced death rate (deaths per 100,000 residents a year)",
}
#: Counts that grow with a jurisdiction's size are shown but not ranked.
UNRANKED = frozenset(TOTALS)
_COUNTS = UNRANKED | {"uncovered_population"}


def higher_is_better(column: str) -> bool | None:
    """Which way a key figure is better, as the Compare page has it (None: not ranked)."""
    if column in UNRANKED:
        return None
    if column == "uncovered_population":
        return False
    return MEASURE_BY_COLUMN[column].higher_is_better


def better_when(column: str) -> str:
    """``higher``, ``lower``, ``shorter`` (distances), ``fewer`` (people), or ``""``."""
    higher = higher_is_better(column)
    if higher is None:
        return ""
    if higher:
        return "higher"
    return "shorter" if column.endswith("_miles") else "fewer" if column in _COUNTS else "lower"


def spelled_out(text: str) -> str:
    """``text`` with each acronym of :data:`SPELLED_OUT` written out at its first use."""
    for short, long in SPELLED_OUT.items():
        if short in text and long not in text:
            text = text.replace(short, long, 1)
    return text


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``22nd``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def figure_text(column: str, value: object, unit: str) -> str:
    """A key figure's value for people: a distance (given in miles) in ``unit`` with the
    unit, a share with ``%``, anything else as :func:`geo.numbers.value_text` writes its
    measure's unit (counts whole, rates with 1 decimal)."""
    if column.endswith("_miles"):
        return formatting.distance(value, unit)
    if column.startswith("pct_"):
        return formatting.percent(value)
    measure = MEASURE_BY_COLUMN.get(column)
    return value_text(value, measure.unit if measure else "people")


def rank_of(table: pd.DataFrame, column: str, fips: str) -> str:
    """``3rd of 24`` (1st = best) among the jurisdictions with a value of their own
    (a rate borrowed from Maryland is not ranked); ``—`` when not ranked, ``""`` for a
    figure that is never ranked."""
    higher = higher_is_better(column)
    if higher is None:
        return ""
    rows = table.drop(index=MARYLAND_STATE_FIPS, errors="ignore")
    values = pd.to_numeric(rows[column], errors="coerce").astype(float)
    if column == "death_rate_per_100k":
        values = values.where(rows["rate_source"] != STATE_FALLBACK)
    if pd.isna(values.get(fips)):
        return formatting.MISSING
    ranks = values.rank(ascending=not higher, method="min")
    return f"{ordinal(int(ranks[fips]))} of {int(values.notna().sum())}"


def labels(radius: str, catchment: str, unit: str) -> dict[str, str]:
    """Each key figure's label with the radius, catchment and unit filled in."""
    return {
        column: label.format(radius=radius, catchment=catchment, unit=unit)
        for column, label in KEY_FIGURES.items()
    }


def state_cell(
    column: str, state: pd.Series, unit: str, state_deaths: DeathCountRange | None = None
) -> str:
    """Maryland's cell of ``column``; its death count, unknown as one number because of
    suppressed county-years, as the range it is known to lie in (``5,234–5,261 (range)``)."""
    if column == "deaths_2022_2023" and pd.isna(state[column]) and state_deaths is not None:
        return f"{state_deaths.text()} (range)"
    return _cell(column, state, unit)


def deaths_range_note(state_deaths: DeathCountRange) -> str:
    """Why Maryland's death count is a range, as a sentence ('' when it is known)."""
    if not state_deaths.suppressed:
        return ""
    n = len(state_deaths.suppressed)
    return (
        f"Maryland's drug-induced deaths 2022-2023 lie between {state_deaths.low:,} and "
        f"{state_deaths.high:,}: CDC WONDER withholds county counts of 0 to 9, and {n} "
        f"county-year{'s are' if n > 1 else ' is'} withheld ({state_deaths.why()})."
    )


def rank_difference_note(
    table: pd.DataFrame, fips: str, full_name: str, radius: str, catchment: str
) -> str:
    """Why the access-score rank and the within-radius rank differ, when they differ by
    5 places or more ('' otherwise)."""
    score = rank_of(table, "access_2sfca_per_100k", fips)
    within = rank_of(table, "pct_pop_within_radius", fips)
    try:
        apart = abs(int(score.split("of")[0][:-3]) - int(within.split("of")[0][:-3]))
    except ValueError:
        return ""
    if apart < 5:
        return ""
    return (
        f"Why {score} on the access score but {within} on residents within {radius}: the "
        f"score counts sites up to {catchment} away, each shared among the people near "
        "it, so a few sites serving few people score well."
    )


def key_figure_rows(
    table: pd.DataFrame,
    fips: str,
    radius: str,
    catchment: str,
    unit: str,
    state_deaths: DeathCountRange | None = None,
) -> list[tuple[str, str, str, str, str]]:
    """(measure, jurisdiction, Maryland, rank among the 24, better when) rows; the
    statewide briefing leaves the jurisdiction, rank and direction cells empty.
    Maryland's death count, when suppressed county-years leave it unknown, is the range
    ``state_deaths`` it lies in."""
    names = labels(radius, catchment, unit)
    state, statewide = table.loc[MARYLAND_STATE_FIPS], fips == MARYLAND_STATE_FIPS
    rows = []
    for column in KEY_FIGURES:
        maryland = state_cell(column, state, unit, state_deaths)
        if statewide:
            rows.append((names[column], "", maryland, "", ""))
            continue
        rows.append(
            (
                names[column],
                _cell(column, table.loc[fips], unit),
                maryland,
                rank_of(table, column, fips),
                better_when(column),
            )
        )
    if not statewide:
        rows.extend(_gap_rows(table.loc[fips], radius))
    return rows


def _cell(column: str, row: pd.Series, unit: str) -> str:
    """A key-figure cell; the death rate comes with its 95% interval."""
    text = figure_text(column, row[column], unit)
    if column == "death_rate_per_100k" and pd.notna(row["death_rate_ucl95"]):
        text += f" (95% interval {row['death_rate_lcl95']:.1f}–{row['death_rate_ucl95']:.1f})"
    return text


def _gap_rows(row: pd.Series, radius: str) -> list[tuple[str, str, str, str, str]]:
    """The access-gap score and its rank (1st = largest gap) with the plausible range."""
    measure = GAP_MEASURES[str(row["gap_measure"])]
    rank = (
        ""
        if pd.isna(row["gap_rank"])
        else (
            f"{ordinal(int(row['gap_rank']))} largest of {N_JURISDICTIONS}"
            + (
                ""
                if pd.isna(row["gap_rank_low"]) or row["gap_rank_low"] == row["gap_rank_high"]
                else f" (plausible {ordinal(int(row['gap_rank_low']))}–"
                f"{ordinal(int(row['gap_rank_high']))})"
            )
        )
    )
    gap = (
        f"Access gap: {measure.label.lower().replace('beyond reach', 'beyond ' + radius)}"
        f" ({spelled_out(measure.unit)})"
    )
    return [(gap, formatting.decimal(row["gap_score"], 2), "", rank, "smaller")]


def rate_source(row: pd.Series) -> str:
    """Where the jurisdiction's death rate comes from, as a sentence."""
    return f"Death rate source: {row['rate_source']}."
