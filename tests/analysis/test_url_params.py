"""The strict query-parameter reader: ASCII digits only, bounded lengths, allowed values,
never an exception, whatever the link holds."""

from __future__ import annotations

import pytest

from geo.analysis import url_params
from geo.analysis.recommend import CANDIDATE_CHOICE_VALUES
from geo.analysis.view import MAX_K, PARAM_MAX_CHARS, View, view_from_query, view_to_query

FIPS = {"24001", "24003", "24510"}
PAGES = {"overview", "find", "compare"}

#: Values a hostile link may hold: Unicode digits (superscript, Arabic-Indic, fullwidth,
#: Devanagari), signs, exponents, underscores, inf/nan, control characters, bidi
#: overrides, zero-width spaces, huge lengths and Markdown.
HOSTILE = [
    "²",
    "١",
    "١٠",
    "５",
    "２４００１",
    "४",
    "1²",
    "-1",
    "+3",
    "1e1",
    "1_0",
    "inf",
    "nan",
    "0x10",
    " 3",
    "3 ",
    "3\x00",
    "\x00",
    "24001\n",
    "24001\r\nX: y",
    "\u202e10",
    "1\u200b0",
    "9" * 100_000,
    "a," * 50_000,
    "24001," * 10_000,
    "![t](http://host/track.png)",
    "",
]
KEYS = [
    "types",
    "r",
    "unit",
    "focus",
    "page",
    "data",
    "gap",
    "compare",
    "chart",
    "k",
    "measure",
    "minutes",
    "candidates",
]


def test_whole_numbers_are_ascii_digits_within_bounds():
    assert url_params.whole_number("7", 0, 25) == 7
    assert url_params.whole_number("0", 0, 25) == 0
    for text in ("²", "١", "５", "४", "-1", "+1", " 1", "1 ", "26", "1.0", "", "9" * 50):
        assert url_params.whole_number(text, 0, 25) is None, text


def test_decimals_are_ascii_within_bounds():
    assert url_params.decimal("2.5", 0, 100) == 2.5
    assert url_params.decimal("10", 0, 100) == 10.0
    assert url_params.decimal("5.", 0, 100) == 5.0
    assert url_params.decimal(".5", 0, 100) == 0.5
    for text in ("١٠", "５", "1e1", "1_0", "inf", "nan", "-1", "0", "100.5", "", "."):
        assert url_params.decimal(text, 0, 100) is None, text


def test_first_refuses_long_and_control_text_and_takes_the_last_repeat():
    assert url_params.first({}, "k") == (None, True)
    assert url_params.first({"k": ["1", "2"]}, "k") == ("2", True)
    assert url_params.first({"k": []}, "k") == ("", True)
    assert url_params.first({"k": "x" * 11}, "k", 10) == (None, False)
    for text in ("a\x00", "a\nb", "a\rb", "\u202eab", "a\u200bb", "\x1b[31m"):
        assert url_params.first({"k": text}, "k") == (None, False), repr(text)


def test_choices_are_bounded_and_deduplicated():
    good, refused = url_params.choices("24001,24001,nope,24003", FIPS)
    assert good == ("24001", "24003") and refused == 1
    good, refused = url_params.choices("24001," * 10_000, FIPS)
    assert good == ("24001",) and refused == 1  # the rest beyond MAX_ITEMS is refused


def test_the_reported_k_case():
    """``?k=²``: ``"²".isdigit()`` is true and ``int("²")`` raised for every page."""
    view = view_from_query({"k": "²"}, FIPS, PAGES)
    assert view.k is None
    assert view.problems == (f"ignored k in the link (a whole number from 0 to {MAX_K})",)


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_every_parameter_survives_every_hostile_value(key, value):
    view = view_from_query({key: value}, FIPS, PAGES)
    default = View()
    assert view.radius == default.radius or key == "r"
    assert 0 < view.radius <= 100
    assert view.k is None or 0 <= view.k <= MAX_K
    assert view.unit in ("mi", "km") and view.focus in FIPS | {"24"}
    assert view.access in ("straight", "walk", "drive") and 0 < view.minutes <= 120
    assert set(view.compare) <= FIPS and len(view.compare) <= len(FIPS)
    assert view.candidates in (None, *CANDIDATE_CHOICE_VALUES)
    if value:  # every hostile non-empty value is reported, and never repeated
        assert view.problems, (key, value[:20])
        for problem in view.problems:
            assert len(problem) < 200 and "http" not in problem and "\x00" not in problem


def test_repeated_keys_take_the_last_value():
    view = view_from_query({"k": ["²", "3"], "r": ["١٠", "8"]}, FIPS)
    assert (view.k, view.radius, view.problems) == (3, 8.0, ())
    view = view_from_query({"k": ["3", "²"]}, FIPS)
    assert view.k is None and view.problems


def test_lengths_are_bounded_per_parameter():
    assert set(PARAM_MAX_CHARS) == set(KEYS)
    for key in KEYS:
        view = view_from_query({key: "1" * (PARAM_MAX_CHARS[key] + 1)}, FIPS, PAGES)
        assert any("too long or holding control characters" in p for p in view.problems), key


def test_the_travel_measure_and_minutes():
    view = view_from_query({"measure": "walk", "minutes": "20"}, FIPS, PAGES)
    assert (view.access, view.minutes, view.problems) == ("walk", 20.0, ())
    for bad in ({"measure": "bike"}, {"minutes": "0"}, {"minutes": "121"}, {"minutes": "1e1"}):
        view = view_from_query(bad, FIPS, PAGES)
        assert (view.access, view.minutes) == ("straight", 15.0) and view.problems, bad


def test_recommend_among_is_kept_in_the_link():
    hosts = "health-centers,treatment,transit,bus"
    view = view_from_query({"candidates": hosts}, FIPS, PAGES)
    assert (view.candidates, view.problems) == (hosts, ())
    assert view_to_query(view)["candidates"] == hosts
    assert "candidates" not in view_to_query(View())  # the default is not written
    for bad in ("bus", "tracts,bus", "health-centers", "TRACTS"):
        view = view_from_query({"candidates": bad}, FIPS, PAGES)
        assert view.candidates is None and view.problems == (
            "ignored unknown candidates in the link (use tracts or "
            "health-centers,treatment,transit or health-centers,treatment,transit,bus)",
        ), bad
