"""What a briefing says, as plain text: the key figures with units, Maryland's value and
the rank among the 24 jurisdictions, one plain sentence per measure, the EMS leave-behind
evidence, the recommended locations by place and the sources as a reader cites them.

No acronym is printed bare: the first use is spelled out. Distances are shown in the
briefing's unit (``mi`` or ``km``; km never shows miles).
"""

from __future__ import annotations

import pandas as pd

from geo.analysis.compare import MEASURE_BY_COLUMN, TOTALS
from geo.analysis.ranking import GAP_MEASURES, STATE_FALLBACK, DeathCountRange
from geo.config import MARYLAND_STATE_FIPS
from geo.data.citations import (
    HOST_SITE_FILES,
    TRACT_CONTEXT_FILES,
    ReaderCitation,
    reader_citations,
)
from geo.render import formatting
from geo.schema import LEAVE_BEHIND_STATUS_LABELS, SITE_TYPE_LABELS

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


def value_text(column: str, value: object, unit: str) -> str:
    """A key figure's value for people (distances, given in miles, shown in ``unit``)."""
    if column.endswith("_miles"):
        return formatting.distance(value, unit)
    if column.startswith("pct_"):
        return formatting.percent(value)
    return (formatting.count if column in _COUNTS else formatting.decimal)(value)


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
    text = value_text(column, row[column], unit)
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


def meanings(
    radius: str,
    catchment: str,
    types: tuple[str, ...],
    decay: str,
    gap_measure: str,
    *,
    ranked: bool = True,
) -> list[tuple[str, str]]:
    """(term, one plain sentence) per measure, in the order of the key figures; the
    ranks among the 24 are explained when ``ranked``."""
    kinds = ", ".join(SITE_TYPE_LABELS[t].lower() for t in types)
    rank = (
        [
            (
                "Rank among the 24:",
                "Where the jurisdiction stands among Maryland's 23 "
                "counties and Baltimore City; 1st is the best value (the 'better when' column "
                "says which way is better). Jurisdictions without a value of their own are not "
                "ranked.",
            )
        ]
        if ranked
        else []
    )
    decay_text = "" if decay == "none" else f"; nearer sites count more ({decay} distance decay)"
    gap = GAP_MEASURES[gap_measure]
    terms = [
        (
            "Residents:",
            "People counted by the 2020 census, placed at the centre of "
            "population of their census tract (a neighbourhood of a few thousand people).",
        ),
        (
            "Listed sites:",
            f"Places of these kinds with a mapped location: {kinds}. A "
            "listing does not confirm that naloxone is in stock.",
        ),
        (
            f"Within {radius}:",
            f"A resident is within reach when the straight-line distance "
            f"from their tract centre to the nearest listed site is {radius} or less; no road "
            "network is used.",
        ),
        (
            "Average distance and 90% distance:",
            "The straight-line distance from each "
            "tract centre to its nearest listed site, averaged over residents; and the "
            "distance that 9 in 10 residents live within.",
        ),
        (
            "Access score:",
            f"Listed sites per 100,000 residents reachable within {catchment}, "
            "counting each site's load: every site within reach of a neighbourhood counts as "
            f"one site shared by all the people who live within {catchment} of it{decay_text}; "
            "averaged over residents, higher is better.",
        ),
        (
            "Drug-induced deaths and rate:",
            "Deaths of residents from drug-induced causes "
            "recorded by CDC WONDER (Centers for Disease Control and Prevention); counts under "
            f"10 a year are suppressed and shown as '{formatting.MISSING}'. The rate is deaths "
            "per 100,000 residents a year, 2022-2023 pooled or the one published year.",
        ),
        (
            "Access gap:",
            spelled_out(
                f"{gap.label}: {gap.formula}. 1st largest means the "
                "largest gap of the 24 jurisdictions; the plausible range comes from 2,000 random "
                "resamples of the death counts."
            ),
        ),
    ]
    return terms + rank


def leave_behind_lines(leave_behind: pd.DataFrame, fips: str, full_name: str) -> list[str]:
    """The jurisdiction's emergency medical services (EMS) leave-behind status with its
    evidence, source and as-of date; statewide, the counts by status. Unknown is "no
    public evidence found", never "no program"."""
    if fips == MARYLAND_STATE_FIPS:
        counts = leave_behind["status"].value_counts()
        return [
            f"Documented in {counts.get('documented', 0)} jurisdictions, announced in "
            f"{counts.get('announced', 0)}; no public evidence found for "
            f"{counts.get('no public evidence found', 0)} (unknown, which is not the "
            "same as having no program)."
        ]
    record = leave_behind.set_index("fips").loc[fips]
    lines = [f"Status: {LEAVE_BEHIND_STATUS_LABELS[record['status']]}."]
    if record["status"] == "no public evidence found":
        lines.append(
            f"No public page describing a leave-behind program in {full_name} was "
            "found; this is unknown, not evidence that there is no program."
        )
    if pd.notna(record["evidence"]):
        evidence = formatting.clip(record["evidence"])
        cut = " (shortened; the full text is in the leave-behind export)"
        lines.append(f"Evidence: {evidence}" + (cut if evidence.endswith("…") else ""))
    if pd.notna(record["earliest_date"]):
        lines.append(f"As of: {record['earliest_date']} (earliest dated evidence).")
    if pd.notna(record["source_url"]) and str(record["source_url"]).strip():
        lines.append(f"Source: {formatting.clip(record['source_url'], 300)}")
    return lines


def recommendation_rows(
    named: pd.DataFrame, radius: str
) -> tuple[list[str], list[tuple[str, ...]]]:
    """Headers and one row per recommended location (named by place), best first;
    coordinates last."""
    hosts = "kind" in named and bool((named["kind"] != "tract").any())
    headers = [
        "#",
        "Candidate host site (name, address)"
        if hosts
        else "Location (nearest town, jurisdiction; distance to the town)",
        f"Residents newly within {radius}",
        "Running total (residents)",
        "Coordinates (latitude, longitude)",
    ]
    rows = [
        (str(rank), place, formatting.count(gain), formatting.count(total), f"{lat:.4f}, {lon:.4f}")
        for rank, place, gain, total, lat, lon in zip(
            named["rank"],
            named["place"],
            named["newly_covered_population"],
            named["cumulative_covered_population"],
            named["lat"],
            named["lon"],
            strict=True,
        )
    ]
    return headers, rows


def briefing_citations(
    gap_measure: str, host_files: tuple[str, ...] = ()
) -> tuple[ReaderCitation, ...]:
    """The sources a briefing cites: every raw source but the ZIP centres (cited in the
    licences of the sites placed at them) and, unless the gap measure uses it, the
    county context table."""
    skip = {"md_zip_centroids_zipcodes3.csv"}
    if gap_measure != "svi":
        skip.add("md_county_context_oeps.csv")
    if gap_measure == "no-vehicle":
        skip.add(TRACT_CONTEXT_FILES[1])
    elif gap_measure == "rurality":
        skip.add(TRACT_CONTEXT_FILES[0])
    else:
        skip.update(TRACT_CONTEXT_FILES)
    skip.update(f for f in HOST_SITE_FILES if f not in host_files)
    return tuple(c for c in reader_citations() if c.filename not in skip)


#: The raw files of each kind of candidate host site.
_HOST_FILES_BY_KIND = {
    "health_center": HOST_SITE_FILES[0:1],
    "treatment": HOST_SITE_FILES[1:2],
    "rail": HOST_SITE_FILES[2:5],
    "bus": HOST_SITE_FILES[5:6],
}


def host_site_files(recommended: pd.DataFrame) -> tuple[str, ...]:
    """The raw files the recommended host sites come from (none for tract centres)."""
    kinds = recommended["kind"].unique() if "kind" in recommended else ()
    return tuple(f for kind in kinds for f in _HOST_FILES_BY_KIND.get(str(kind), ()))


def refresh_citations(sites: pd.DataFrame) -> list[str]:
    """The sources of sites a published refresh added or moved (local rows that name a
    public source and its licence), one sentence each with how many sites and the
    licence: ``OpenStreetMap via the Overpass API, as of 2026-12-01: 12 sites added or
    moved by a reviewed refresh. Licence: ODbL 1.0 (© OpenStreetMap contributors).``"""
    from geo.local.merge import LOCAL_LICENCE

    if "origin" not in sites or "licence" not in sites:
        return []
    local = sites[sites["origin"].ne("public") & sites["licence"].notna()]
    local = local[local["licence"].ne(LOCAL_LICENCE) & local["source"].notna()]
    counts = local.groupby(["source", "licence"], sort=True).size()
    return [
        f"{source}: {int(n)} site{'' if n == 1 else 's'} added or moved by a reviewed "
        f"refresh. Licence: {licence}."
        for (source, licence), n in counts.items()
    ]


def completeness_sentence(row: pd.Series, full_name: str, radius: str) -> str:
    """One plain sentence on how complete our pharmacy list is in ``row``'s area (a row of
    :func:`geo.analysis.metrics.jurisdiction_metrics`): the residents of tracts where the
    list likely misses a pharmacy and what it means for the figures; empty when unknown."""
    tracts, people = row.get("list_gap_tracts"), row.get("list_gap_population")
    if pd.isna(tracts) or pd.isna(people):
        return ""
    if int(tracts) == 0:
        return (
            f"Checked against the drive times to pharmacies published by OEPS (2025), our "
            f"pharmacy list shows no tract in {full_name} where it likely misses a pharmacy."
        )
    beyond = row.get("list_gap_uncovered_population")
    beyond_text = (
        f", {formatting.count(beyond)} of them farther than {radius} from any listed site"
        if pd.notna(beyond) and int(beyond) > 0
        else ""
    )
    plural = "" if int(tracts) == 1 else "s"
    return (
        f"Our pharmacy list is likely missing pharmacies in {formatting.count(tracts)} "
        f"census tract{plural} of {full_name} where {formatting.count(people)} people "
        f"live{beyond_text}: there, distances and gaps may be overstated, because OEPS's "
        "2025 drive times show a pharmacy closer than any on our list."
    )
