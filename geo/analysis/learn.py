"""Cited public facts in plain sentences: where to learn to use naloxone for free, what
naloxone is and how to respond to an overdose, and how a county starts EMS leave-behind.

Every sentence comes from one row of the cited-facts table (``data/raw/md_cited_facts.csv``,
loaded by :func:`geo.data.layers.load_cited_facts`) and carries that row's source address
and date. A sentence whose fact, or whose fact's source, is missing is left out, never shown
without its source. Sentences are gettext msgids (:mod:`geo.i18n`); values from the table
(numbers, dates, phone numbers) are filled in after translation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_decimal

from geo.i18n import N_, Translator, language, translator

BALTIMORE_CITY_FIPS = "24510"
#: Titles of the cited pages (as their publishers title them; never translated).
SOURCE_TITLES = {
    "https://bha.health.maryland.gov/naloxone/Pages/home.aspx": (
        "Maryland Department of Health, Overdose Response Program"
    ),
    "https://health.baltimorecity.gov/naloxone": "Baltimore City Health Department, Naloxone",
    "https://health.baltimorecity.gov/node/2781": (
        "Baltimore City Health Department, Overdose Prevention and Response Information"
    ),
    "https://crime.baltimorecity.gov/naloxone-training": (
        "Baltimore City Mayor's Office of Neighborhood Safety and Engagement, Naloxone Training"
    ),
    "https://bha.health.maryland.gov/OVERDOSE_PREVENTION/Pages/Good-Samaritan-Law.aspx": (
        "Maryland Department of Health, Good Samaritan Law"
    ),
    "https://store.samhsa.gov": (
        "SAMHSA Overdose Prevention and Response Toolkit (PEP23-03-00-001)"
    ),
    "https://health.maryland.gov/pha/NALOXONE/Pages/EMS-Naloxone-Leave-Behind.aspx": (
        "Maryland Department of Health, EMS Naloxone Leave-Behind"
    ),
    "https://metajournal.com/articles/986756": (
        "Scharf et al., Best Practices for A Novel EMS-Based Naloxone Leave Behind Program, "
        "Prehospital Emergency Care 2021;25(3):418-426"
    ),
}
_DATE = re.compile(r"^\d{4}(-\d{2}){0,2}$")


@dataclass(frozen=True)
class CitedLine:
    """One sentence for people, with the fact it states and that fact's source."""

    text: str
    fact: str
    source_url: str
    source_date: str
    source_title: str

    def citation(self, _: Translator | None = None) -> str:
        """``title, date (address)``; an undated page says so."""
        where = f" ({self.source_url})" if self.source_url else ""
        return f"{self.source_title}, {source_date_text(self.source_date, _)}{where}"


@dataclass(frozen=True)
class _Sentence:
    fact: str
    message: str
    values: Callable[[pd.Series, str], dict[str, str]] = lambda row, lang: {}


def source_date_text(value: object, _: Translator | None = None) -> str:
    """A source's date as given (``2025``, ``2021-05``), else "undated page"."""
    _ = _ or translator("en")
    missing = value is None or pd.isna(value)  # type: ignore[call-overload]  # pandas-stubs: isna(object) is valid
    text = "" if missing else str(value).strip()
    return text if _DATE.match(text) else _("undated page")


def source_title(url: str) -> str:
    """The page's title (its host name when it has none here)."""
    return SOURCE_TITLES.get(url.strip(), urlsplit(url.strip()).netloc)


def _number(text: object, lang: str) -> str:
    digits = re.sub(r"\D", "", str(text))
    return format_decimal(int(digits), locale=lang) if digits else str(text)


def _date(text: object, lang: str) -> str:
    return format_date(dt.date.fromisoformat(str(text)), format="long", locale=lang)


def _text(value: object) -> str:
    missing = value is None or pd.isna(value)  # type: ignore[call-overload]  # pandas-stubs: isna(object) is valid
    return "" if missing else str(value).strip()


def _has_source(row: pd.Series) -> bool:
    url = row.get("source_url")
    return url is not None and not pd.isna(url) and bool(re.match(r"https?://\S", str(url)))


def _lines(facts: pd.DataFrame, sentences: Iterable[_Sentence], lang: str) -> list[CitedLine]:
    """The sentences whose fact is in ``facts`` with a source; the first row of a fact."""
    _ = translator(lang)
    out = []
    for sentence in sentences:
        rows = facts[facts["fact"] == sentence.fact]
        rows = rows[[_has_source(row) for _, row in rows.iterrows()]]
        if rows.empty:
            continue  # no fact, or no source: nothing is shown
        row = rows.iloc[0]
        url = str(row["source_url"]).strip()
        try:
            text = _(sentence.message).format(**sentence.values(row, lang))
        except ValueError:  # a value the sentence cannot read: leave it out
            continue
        out.append(
            CitedLine(text, sentence.fact, url, _text(row.get("source_date")), source_title(url))
        )
    return out


LEARN_STATEWIDE = (
    _Sentence(
        "orp_training_statewide",
        N_(
            "Maryland's Overdose Response Program teaches people how to respond to an "
            "overdose, and people who attend a training may receive naloxone. Its online "
            "registry and calendar list trainings near you."
        ),
    ),
    _Sentence(
        "pharmacy_naloxone_no_training_required_since",
        N_(
            "Since {date}, anyone in Maryland can get naloxone at a pharmacy without a "
            "prescription or a training certificate."
        ),
        lambda row, lang: {"date": _date(row["value"], lang)},
    ),
)
LEARN_BALTIMORE_CITY = (
    _Sentence(
        "baltimore_city_orp_training_free",
        N_(
            "In Baltimore City, the Health Department's Overdose Response Program trainings "
            "come with free naloxone: live online, or for a group on request."
        ),
    ),
    _Sentence(
        "baltimore_city_people_trained_since_2015",
        N_(
            "Since 2015 the Health Department and its partners have trained more than "
            "{count} people."
        ),
        lambda row, lang: {"count": _number(row["value"], lang)},
    ),
    _Sentence(
        "baltimore_city_neighbour_training_free",
        N_(
            "You and your neighbors can set up a free naloxone training together through the "
            "City's Prevention Coordinator."
        ),
    ),
    _Sentence(
        "baltimore_city_crisis_line",
        N_("Baltimore's crisis, information and referral line answers 24 hours a day: {phone}."),
        lambda row, lang: {"phone": str(row["value"])},
    ),
)
NALOXONE_BASICS = (
    _Sentence(
        "naloxone_restores_breathing",
        N_(
            "Naloxone (Narcan) is a medicine that can quickly restore the breathing of a person "
            "who has overdosed on opioids such as heroin, fentanyl or prescription pain pills."
        ),
    ),
    _Sentence(
        "naloxone_no_effect_without_overdose",
        N_("It is easy to use and has no side effects on someone who is not having an overdose."),
    ),
)
RESPONSE_STEPS = (
    _Sentence(
        "overdose_response_steps",
        N_("If someone will not wake up or is barely breathing, call 911."),
    ),
    _Sentence("overdose_response_steps", N_("Give naloxone.")),
    _Sentence(
        "overdose_response_steps",
        N_("Support their breathing: give rescue breaths, or lay them on their side."),
    ),
    _Sentence("overdose_response_steps", N_("Stay with them until help arrives.")),
    _Sentence(
        "good_samaritan_law_effective",
        N_(
            "Maryland's Good Samaritan Law: if you call 911 to help someone who is overdosing, "
            "you will not be arrested, charged or prosecuted for having drugs or drug "
            "paraphernalia, and your parole or probation is not affected."
        ),
    ),
)
COUNTY_START = (
    _Sentence(
        "ems_leave_behind_opt_in",
        N_(
            "Maryland's EMS naloxone leave-behind program has run since 2018 and is opt-in: "
            "each county chooses to join."
        ),
    ),
    _Sentence(
        "ems_leave_behind_naloxone_no_cost",
        N_("The State of Maryland gives EMS companies the naloxone at no cost."),
    ),
    _Sentence(
        "ems_leave_behind_doses_2018_2021",
        N_(
            "Between 2018 and 2021, the programs of the jurisdictions taking part left "
            "{doses} doses of naloxone with Maryland residents."
        ),
        lambda row, lang: {"doses": _number(row["value"], lang)},
    ),
    _Sentence(
        "naloxone_refill_organizations",
        N_(
            "A leave-behind kit can connect people to the {count} organizations that refill "
            "naloxone in every Maryland county."
        ),
        lambda row, lang: {"count": str(row["value"])},
    ),
    _Sentence(
        "howard_county_leave_behind_study_family",
        N_(
            "Howard County's program (June 2018 to June 2019) found that people whose kit was "
            "left with a family member were {ratio} times as likely to be connected to a peer "
            "recovery specialist: the family and social network matter."
        ),
        lambda row, lang: {"ratio": str(row["value"])},
    ),
)


def local_health_department(sites: pd.DataFrame, fips: str | None) -> pd.Series | None:
    """The listed health department of jurisdiction ``fips`` (None if none is listed)."""
    if fips is None or "type" not in sites:
        return None
    found = sites[(sites["type"] == "health_department") & (sites["jurisdiction_fips"] == fips)]
    if "closed" in found:
        found = found[~found["closed"].astype(bool)]
    return None if found.empty else found.iloc[0]


def learn_lines(
    facts: pd.DataFrame,
    fips: str | None = None,
    sites: pd.DataFrame | None = None,
    lang: object = "en",
) -> list[CitedLine]:
    """ "Learn to use naloxone, free": the jurisdiction's health department (from the site
    listing, with its source), the statewide program, pharmacies without a certificate and,
    in Baltimore City, the City's programs and crisis line."""
    code = language(lang)
    _ = translator(code)
    out: list[CitedLine] = []
    department = local_health_department(sites, fips) if sites is not None else None
    source = None if department is None else department.get("source")
    if department is not None and source is not None and not pd.isna(source):
        phone = department.get("phone")
        message = (
            _("Ask {name} about Overdose Response Program training: {phone}.")
            if phone is not None and not pd.isna(phone)
            else _("Ask {name} about Overdose Response Program training.")
        )
        url = department.get("source_url")
        url = "" if url is None or pd.isna(url) else str(url).strip()
        out.append(
            CitedLine(
                message.format(name=department["name"], phone=phone),
                "site:" + str(department["id"]),
                url,
                _text(department.get("source_date")),
                str(source),
            )
        )
    out += _lines(facts, LEARN_STATEWIDE, code)
    if fips == BALTIMORE_CITY_FIPS:
        out += _lines(facts, LEARN_BALTIMORE_CITY, code)
    return out


def naloxone_basics(facts: pd.DataFrame, lang: object = "en") -> list[CitedLine]:
    """What naloxone is, cited."""
    return _lines(facts, NALOXONE_BASICS, language(lang))


def response_steps(facts: pd.DataFrame, lang: object = "en") -> list[CitedLine]:
    """The overdose-response steps and the Good Samaritan Law, cited."""
    return _lines(facts, RESPONSE_STEPS, language(lang))


def county_start_lines(facts: pd.DataFrame, lang: object = "en") -> list[CitedLine]:
    """How a county starts EMS leave-behind: opt-in, no-cost naloxone, what the programs
    did, refills, the Howard County study; each cited."""
    return _lines(facts, COUNTY_START, language(lang))
