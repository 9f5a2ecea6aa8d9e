"""The Census Geocoder adapter against answers in its documented JSON format
(``recorded/``: written by hand in that format, not captured; no test uses the network)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.config import geocoder_name, geocoder_timeout_s
from geo.data.geocoder import CensusGeocoder, GeocoderError, parse_census_response

RECORDED = Path(__file__).parent / "recorded"


def recorded(name: str) -> bytes:
    return (RECORDED / f"census_onelineaddress_{name}.json").read_bytes()


class Replay:
    """A fetch that answers from a recorded file and remembers what it was asked."""

    def __init__(self, body: bytes | Exception) -> None:
        self.body = body
        self.calls: list[tuple[str, float]] = []

    def __call__(self, url: str, timeout_s: float) -> bytes:
        self.calls.append((url, timeout_s))
        if isinstance(self.body, Exception):
            raise self.body
        return self.body


def test_a_match_gives_its_coordinates_and_matched_address():
    fetch = Replay(recorded("match"))
    match = CensusGeocoder(fetch, timeout_s=3).locate("1025 Memorial Dr, Oakland, MD 21550")
    assert match is not None
    assert (match.lat, match.lon, match.state) == (39.41742, -79.39671, "MD")
    assert match.matched == "1025 MEMORIAL DR, OAKLAND, MD, 21550"
    url, timeout = fetch.calls[0]
    assert timeout == 3
    query = parse_qs(urlsplit(url).query)
    assert query["benchmark"] == ["Public_AR_Current"] and query["format"] == ["json"]
    assert query["address"] == ["1025 memorial dr, oakland, md 21550"]


def test_answers_are_cached():
    fetch = Replay(recorded("match"))
    geocoder = CensusGeocoder(fetch, timeout_s=1)
    geocoder.locate("1025 Memorial Dr, Oakland, MD 21550")
    geocoder.locate("1025  memorial dr, OAKLAND, md 21550")
    assert len(fetch.calls) == 1


def test_no_match_is_none():
    assert CensusGeocoder(Replay(recorded("nomatch")), timeout_s=1).locate("x") is None


@pytest.mark.parametrize(
    "failure, sentence",
    [
        (TimeoutError("timed out"), "did not answer within 1 s; search by ZIP"),
        (OSError("refused"), "could not be reached; search by ZIP"),
    ],
)
def test_an_unreachable_geocoder_is_one_plain_sentence(failure, sentence):
    with pytest.raises(GeocoderError, match=sentence):
        CensusGeocoder(Replay(failure), timeout_s=1).locate("1 Main St")


@pytest.mark.parametrize(
    "body",
    [
        b"<html>busy</html>",
        b'{"result": {}}',
        b'{"result": {"addressMatches": [{"coordinates": {}}]}}',
    ],
)
def test_an_unreadable_answer_is_one_plain_sentence(body):
    with pytest.raises(GeocoderError, match="could not be read"):
        parse_census_response(body)


def test_the_geocoder_is_off_unless_configured():
    assert geocoder_name({}) is None
    assert geocoder_name({"NALOXONE_GEOCODER": "google"}) is None
    assert geocoder_name({"NALOXONE_GEOCODER": " Census "}) == "census"
    assert geocoder_timeout_s({}) == 5.0
    assert geocoder_timeout_s({"NALOXONE_GEOCODER_TIMEOUT": "nan"}) == 5.0
    assert geocoder_timeout_s({"NALOXONE_GEOCODER_TIMEOUT": "999"}) == 30.0
