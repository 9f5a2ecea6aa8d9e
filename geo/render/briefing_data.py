"""The numbers a briefing prints and the scenario they come from: the jurisdiction found
from what a person typed, its full name, the key-figure rows and the recommended
locations named by place."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.analysis.metrics import AccessData
from geo.analysis.place_names import check_unit, name_recommendations
from geo.analysis.ranking import death_count_range
from geo.analysis.scenario import Scenario
from geo.config import MARYLAND_STATE_FIPS
from geo.errors import InputError
from geo.render import briefing_text as words
from geo.render import formatting

DEFAULT_K = 5


@dataclass(frozen=True)
class BriefingFigures:
    """The numbers a briefing prints (also used by tests to check the PDF), and the
    scenario they come from (its sites and nearest-site distances draw the map).
    ``rows`` are (measure, jurisdiction, Maryland, rank among the 24, better when)."""

    scenario: Scenario
    fips: str
    name: str
    full_name: str
    unit: str
    radius_label: str
    catchment_label: str
    rows: list[tuple[str, str, str, str, str]]
    recommended: pd.DataFrame
    named: pd.DataFrame

    @property
    def statewide(self) -> bool:
        return self.fips == MARYLAND_STATE_FIPS


def resolve_jurisdiction(data: AccessData, text: str) -> str:
    """FIPS of a jurisdiction given by FIPS (``24001``), county code (``001``) or name
    (case-insensitive, e.g. ``baltimore city``); ``24``/``Maryland`` is statewide."""
    wanted = str(text).strip()
    if wanted.lower() in (MARYLAND_STATE_FIPS, "maryland", "md", "statewide"):
        return MARYLAND_STATE_FIPS
    fips = set(data.jurisdictions["fips"])
    if wanted in fips:
        return wanted
    if f"24{wanted}" in fips:
        return f"24{wanted}"
    by_name = {
        n.lower(): f
        for f, n in zip(data.jurisdictions["fips"], data.jurisdictions["name"], strict=True)
    }
    by_name.update(
        {
            n.lower(): f
            for f, n in zip(
                data.jurisdictions["fips"], data.jurisdictions["full_name"], strict=True
            )
        }
    )
    key = wanted.lower().removesuffix(" county").replace("saint ", "st. ")
    for candidate in (wanted.lower(), key):
        if candidate in by_name:
            return by_name[candidate]
    raise InputError(
        f"unknown jurisdiction {text!r}; give a FIPS code such as 24001 or a "
        "name such as 'Allegany' or 'Baltimore City'"
    )


def full_names(data: AccessData) -> dict[str, str]:
    """``full_name`` of every jurisdiction by FIPS, and ``Maryland`` for ``24``."""
    names = dict(zip(data.jurisdictions["fips"], data.jurisdictions["full_name"], strict=True))
    names[MARYLAND_STATE_FIPS] = "Maryland"
    return names


def briefing_figures(
    scenario: Scenario,
    fips: str,
    *,
    k: int = DEFAULT_K,
    unit: str = "mi",
    candidates: str | None = None,
) -> BriefingFigures:
    """The key-figure rows and recommended sites (named by place) of a briefing,
    distances in ``unit`` (``mi`` or ``km``). Recommendations follow the one rule of
    :meth:`Scenario.recommend`: the scenario's gap measure, inside ``fips`` (statewide for
    ``24``), among ``candidates`` (tract centres by default)."""
    check_unit(unit)
    table = scenario.table().set_index("fips")
    radius = formatting.radius(scenario.radius_m, unit)
    catchment = formatting.radius(
        round(scenario.catchment_m, -2) if unit == "km" else scenario.catchment_m, unit
    )  # 16.1 km, not 16.093
    recommended = scenario.recommend(k, within=fips, candidates=candidates)
    return BriefingFigures(
        scenario,
        fips,
        str(table.loc[fips, "name"]),
        full_names(scenario.data)[fips],
        unit,
        radius,
        catchment,
        words.key_figure_rows(
            table, fips, radius, catchment, unit, death_count_range(scenario.data.burden)
        ),
        recommended,
        name_recommendations(recommended, scenario.data.jurisdictions, unit=unit),
    )


def local_update_count(data: AccessData) -> int:
    """Sites and leave-behind records in ``data`` that come from local updates."""
    return sum(
        int((frame["origin"] != "public").sum())
        for frame in (data.sites, data.leave_behind)
        if "origin" in frame
    )
