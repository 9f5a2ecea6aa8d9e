"""The refresh sources (geo.data.refresh) against recorded answers in the services'
documented formats and against a stand-in Overpass API on 127.0.0.1.

Recorded answers (``tests/data/recorded/``, see its README): ``overpass_baltimore_2015.json``
holds the four real pharmacies of a 2015 OpenStreetMap extract of downtown Baltimore
(© OpenStreetMap contributors, ODbL) written as the Overpass API answers them; the
error pages, the runtime-error remark, the truncated answer and the out-of-state answer
follow the Overpass API's formats; ``overture_places_test.parquet`` is synthetic test rows
in the Overture places schema. No test uses the internet: every test here fails if
anything connects to an address other than loopback.
"""

from __future__ import annotations

import json

import pytest

from geo.config import (
    DEFAULT_OVERPASS_URL,
    DEFAULT_REFRESH_TIMEOUT_S,
    overpass_url,
    refresh_timeout_s,
)
from geo.data import refresh, refresh_overpass, refresh_overture
from geo.data.refresh import RefreshError
from tests.support.overpass import (
    RECORDED,
    Answer,
    closed_port_url,
    forbid_non_loopback,
    overpass_stand_in,
    recorded,
)


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    return forbid_non_loopback(monkeypatch)


@pytest.fixture
def server():
    with overpass_stand_in() as stand_in:
        yield stand_in


def test_the_settings_default_to_the_public_endpoint_and_60_seconds():
    assert overpass_url({}) == DEFAULT_OVERPASS_URL == "https://overpass-api.de/api/interpreter"
    assert refresh_timeout_s({}) == DEFAULT_REFRESH_TIMEOUT_S == 60.0
    assert overpass_url({"NALOXONE_OVERPASS_URL": " http://127.0.0.1:1/x "}) == (
        "http://127.0.0.1:1/x"
    )
    assert refresh_timeout_s({"NALOXONE_REFRESH_TIMEOUT": "2.5"}) == 2.5
    assert refresh_timeout_s({"NALOXONE_REFRESH_TIMEOUT": "soon"}) == 60.0
    assert refresh_timeout_s({"NALOXONE_REFRESH_TIMEOUT": "0"}) == 1.0


def test_the_query_asks_for_maryland_pharmacies_and_naloxone_vending_machines():
    query = refresh_overpass.overpass_query(60)
    assert "[out:json][timeout:60]" in query
    assert 'area["ISO3166-2"="US-MD"]' in query
    assert 'nwr["amenity"="pharmacy"](area.maryland)' in query
    assert '["amenity"="vending_machine"]["vending"~"naloxone",i]' in query
    assert "out center tags" in query


def test_the_recorded_baltimore_answer_gives_its_four_pharmacies(jurisdictions):
    fetched = refresh_overpass.parse_overpass(
        recorded("overpass_baltimore_2015.json"), jurisdictions=jurisdictions
    )
    sites = fetched.sites.set_index("source_id")
    assert fetched.fetched == "2015-02-27T00:00:00Z"
    assert sorted(sites.index) == [
        "osm-node-2550101892",
        "osm-node-2964277030",
        "osm-node-2984647407",
        "osm-way-189159053",
    ]
    assert set(sites["type"]) == {"pharmacy"}
    assert set(sites["jurisdiction_fips"]) == {"24510"}  # Baltimore City
    way = sites.loc["osm-way-189159053"]  # a building: placed at its centre
    assert (way["name"], way["address"], way["city"], way["zip"], way["hours"]) == (
        "Rite Aid",
        "2801 Foster Avenue",
        "Baltimore",
        "21224",
        "24/7",
    )
    assert (way["lat"], way["lon"]) == (39.2835752, -76.576746)
    assert sites.loc["osm-node-2550101892", "lat"] == 39.284081


def _answer(*elements: dict) -> bytes:
    return json.dumps(
        {
            "version": 0.6,
            "osm3s": {"timestamp_osm_base": "2026-12-01T00:00:00Z"},
            "elements": list(elements),
        }
    ).encode()


def test_vending_machines_count_only_when_they_vend_naloxone(jurisdictions):
    body = _answer(
        {
            "type": "node",
            "id": 1,
            "lat": 39.29,
            "lon": -76.61,
            "tags": {
                "amenity": "vending_machine",
                "vending": "naloxone;condoms",
                "phone": "+1 410 555 0100",
            },
        },
        {
            "type": "node",
            "id": 2,
            "lat": 39.29,
            "lon": -76.62,
            "tags": {"amenity": "vending_machine", "vending": "syringes"},
        },
        {
            "type": "node",
            "id": 3,
            "lat": 39.29,
            "lon": -76.63,
            "tags": {"amenity": "vending_machine", "vending": "drinks"},
        },
        {"type": "node", "id": 4, "lat": 39.29, "lon": -76.64, "tags": {"amenity": "cafe"}},
        {
            "type": "node",
            "id": 5,
            "lat": 39.29,
            "lon": -76.65,
            "tags": {
                "amenity": "pharmacy",
                "brand": "Test Brand",
                "contact:phone": "+1 410 555 0199",
                "addr:postcode": "21201-1234",
            },
        },
    )
    sites = refresh_overpass.parse_overpass(body, jurisdictions=jurisdictions).sites.set_index(
        "source_id"
    )
    assert sorted(sites.index) == ["osm-node-1", "osm-node-5"]
    assert sites.loc["osm-node-1", "type"] == "vending_machine"
    assert sites.loc["osm-node-1", "phone"] == "+1 410 555 0100"
    assert sites.loc["osm-node-1", "name"] == "Naloxone vending machine (unnamed in OpenStreetMap)"
    assert sites.loc["osm-node-5", "name"] == "Test Brand"  # no name: its brand
    assert sites.loc["osm-node-5", "phone"] == "+1 410 555 0199"
    assert sites.loc["osm-node-5", "zip"] == "21201"


def test_rows_outside_maryland_are_dropped_and_none_at_all_is_an_error(jurisdictions):
    body = _answer(
        {
            "type": "node",
            "id": 1,
            "lat": 39.29,
            "lon": -76.61,
            "tags": {"amenity": "pharmacy", "name": "A"},
        },
        {
            "type": "node",
            "id": 2,
            "lat": 39.9526,
            "lon": -75.1652,
            "tags": {"amenity": "pharmacy", "name": "B"},
        },
    )
    sites = refresh_overpass.parse_overpass(body, jurisdictions=jurisdictions).sites
    assert list(sites["source_id"]) == ["osm-node-1"]
    with pytest.raises(RefreshError, match=r"no pharmacy .* in Maryland \(2 outside it\)"):
        refresh_overpass.parse_overpass(
            recorded("overpass_outside_maryland.json"), jurisdictions=jurisdictions
        )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "overpass_error_page.html",
            r"sent an HTML page instead of JSON: “runtime error: .*too busy",
        ),
        (
            "overpass_runtime_error.json",
            r"stopped part way, so its list is incomplete: “runtime error: Query timed out",
        ),
        ("overpass_truncated.json", r"cut short \(incomplete JSON\)"),
    ],
)
def test_recorded_bad_answers_are_one_clear_sentence(name, expected, jurisdictions):
    with pytest.raises(RefreshError, match=expected) as caught:
        refresh_overpass.parse_overpass(recorded(name), jurisdictions=jurisdictions)
    assert "\n" not in str(caught.value)
    assert str(caught.value).endswith("nothing was stored")


def test_json_that_is_not_an_overpass_answer_is_refused():
    with pytest.raises(RefreshError, match="not an Overpass answer"):
        refresh_overpass.parse_overpass(b'{"type": "FeatureCollection", "features": []}')
    with pytest.raises(RefreshError, match="damaged"):
        refresh_overpass.parse_overpass(b'{"elements": [}] trailing')


# --- the stand-in Overpass API on 127.0.0.1 ------------------------------------------


def test_a_good_answer_from_the_server(server, jurisdictions):
    server.answer = Answer(body=recorded("overpass_baltimore_2015.json"))
    fetched = refresh_overpass.fetch_overpass(server.url, timeout_s=5, jurisdictions=jurisdictions)
    assert len(fetched.sites) == 4
    assert b"US-MD" in server.queries[0] and server.queries[0].startswith(b"data=")


def test_no_network_names_the_service():
    with pytest.raises(RefreshError) as caught:
        refresh_overpass.fetch_overpass(closed_port_url(), timeout_s=5)
    message = str(caught.value)
    assert message.startswith("the Overpass API (127.0.0.1) could not be reached (")
    assert "no network connection" in message and "\n" not in message


def test_a_server_slower_than_the_timeout(server):
    server.answer = Answer(body=recorded("overpass_baltimore_2015.json"), delay_s=3)
    with pytest.raises(
        RefreshError, match=r"did not answer within 1 s \(NALOXONE_REFRESH_TIMEOUT\)"
    ):
        refresh_overpass.fetch_overpass(server.url, timeout_s=1)


def test_http_429_says_how_long_to_wait(server):
    server.answer = Answer(
        status=429, body=recorded("overpass_rate_limited.html"), headers={"Retry-After": "30"}
    )
    with pytest.raises(RefreshError) as caught:
        refresh_overpass.fetch_overpass(server.url, timeout_s=5)
    assert str(caught.value) == (
        "the Overpass API (127.0.0.1) is busy (HTTP 429 Too Many Requests): it asks to "
        "wait 30 s (Retry-After) before trying again; nothing was stored"
    )


def test_an_html_error_page_with_status_200(server):
    server.answer = Answer(
        body=recorded("overpass_error_page.html"), headers={"Content-Type": "text/html"}
    )
    with pytest.raises(RefreshError, match="HTML page instead of JSON"):
        refresh_overpass.fetch_overpass(server.url, timeout_s=5)


def test_a_gateway_timeout_page(server):
    server.answer = Answer(status=504, body=recorded("overpass_error_page.html"))
    with pytest.raises(RefreshError, match=r"answered HTTP 504 \(Gateway Timeout\)"):
        refresh_overpass.fetch_overpass(server.url, timeout_s=5)


def test_a_truncated_answer(server):
    body = recorded("overpass_truncated.json")
    server.answer = Answer(body=body)
    with pytest.raises(RefreshError, match=r"cut short"):
        refresh_overpass.fetch_overpass(server.url, timeout_s=5)


def test_a_connection_closed_before_the_declared_length(server):
    body = recorded("overpass_baltimore_2015.json")
    server.answer = Answer(body=body[:300], declared_length=len(body))
    with pytest.raises(RefreshError, match="closed the connection before its answer was complete"):
        refresh_overpass.fetch_overpass(server.url, timeout_s=5)


def test_no_maryland_rows_from_the_server(server):
    server.answer = Answer(body=recorded("overpass_outside_maryland.json"))
    with pytest.raises(RefreshError, match="no pharmacy or naloxone vending machine in Maryland"):
        refresh_overpass.fetch_overpass(server.url, timeout_s=5)


def test_an_answer_declared_far_larger_than_the_limit_is_refused_unread(server):
    server.answer = Answer(body=b"{}", declared_length=refresh.MAX_RESPONSE_BYTES * 4)
    with pytest.raises(RefreshError, match=r"100.0 MB, over the 25 MB limit"):
        refresh_overpass.fetch_overpass(server.url, timeout_s=5)


def test_an_answer_that_grows_past_the_limit_is_refused(server, monkeypatch):
    monkeypatch.setattr(refresh, "MAX_RESPONSE_BYTES", 2**20)
    body = b'{"elements": [' + b" " * (2**20 + 10) + b"]}"
    server.answer = Answer(body=body, declared_length=None)
    server.answer.headers = {}
    with pytest.raises(RefreshError, match=r"over the 1 MB limit"):
        refresh_overpass.fetch_overpass(server.url, timeout_s=5)


def test_too_many_elements_are_refused(monkeypatch):
    monkeypatch.setattr(refresh, "MAX_ROWS", 2)
    body = _answer(
        *({"type": "node", "id": i, "lat": 39.29, "lon": -76.61, "tags": {}} for i in range(3))
    )
    with pytest.raises(RefreshError, match="3 elements, over the limit of 2"):
        refresh_overpass.parse_overpass(body)


def test_only_http_addresses_are_asked():
    with pytest.raises(RefreshError, match="must be an http:// or https:// address"):
        refresh_overpass.fetch_overpass("file:///etc/passwd", timeout_s=5)


# --- Overture --------------------------------------------------------------------------


def test_overture_geoparquet_gives_maryland_pharmacies_not_closed_ones(jurisdictions):
    fetched = refresh_overture.read_overture_file(
        RECORDED / "overture_places_test.parquet", jurisdictions=jurisdictions
    )
    sites = fetched.sites.set_index("source_id")
    # a coffee shop, a permanently closed pharmacy and one in Delaware are left out;
    # a drugstore whose basic category is pharmacy is kept
    assert sorted(sites.index) == ["overture-08f2aa8a1d0c0001", "overture-08f2aa8a1d0c0005"]
    harbor = sites.loc["overture-08f2aa8a1d0c0001"]
    assert (harbor["name"], harbor["address"], harbor["city"], harbor["zip"], harbor["phone"]) == (
        "Test Harbor Pharmacy",
        "100 Test St",
        "Baltimore",
        "21202",
        "+14105550100",
    )
    assert harbor["jurisdiction_fips"] == "24510"
    assert sites.loc["overture-08f2aa8a1d0c0005", "jurisdiction_fips"] == "24001"
    assert fetched.source.licence.startswith("CDLA-Permissive-2.0")


def test_a_damaged_geoparquet_is_refused(tmp_path):
    broken = tmp_path / "places.parquet"
    broken.write_bytes(recorded("overture_places_test.parquet")[:200])
    with pytest.raises(RefreshError, match="cannot be read as GeoParquet"):
        refresh_overture.read_overture_file(broken)
    with pytest.raises(RefreshError, match="file not found"):
        refresh_overture.read_overture_file(tmp_path / "missing.parquet")


def test_overture_unreachable_is_one_sentence(monkeypatch):
    from overturemaps import core

    def offline():
        raise Exception("Could not fetch STAC catalog: <urlopen error [Errno -3] no network>")

    monkeypatch.setattr(core, "get_latest_release", offline)
    with pytest.raises(RefreshError) as caught:
        refresh_overture.fetch_overture(timeout_s=5)
    assert str(caught.value).startswith(
        "Overture Maps (its release catalogue and public bucket) could not be reached"
    )


def test_overture_release_catalogue_that_never_answers_times_out(monkeypatch):
    import threading

    from overturemaps import core

    never = threading.Event()
    monkeypatch.setattr(core, "get_latest_release", lambda: never.wait(30))
    with pytest.raises(RefreshError, match=r"did not answer within 1 s"):
        refresh_overture.fetch_overture(timeout_s=1)
    never.set()


def _recorded_reader(**asked):
    """What ``overturemaps.core.record_batch_reader`` returns, from the recorded places."""
    import pyarrow.parquet as pq

    table = pq.read_table(RECORDED / "overture_places_test.parquet")
    return table.to_reader(max_chunksize=2)


def test_overture_live_keeps_only_pharmacies_batch_by_batch(monkeypatch, jurisdictions):
    from overturemaps import core

    asked = {}
    monkeypatch.setattr(core, "get_latest_release", lambda: "2026-11-19.0")

    def reader(overture_type, **kwargs):
        asked.update(kwargs, overture_type=overture_type)
        return _recorded_reader()

    monkeypatch.setattr(core, "record_batch_reader", reader)
    fetched = refresh_overture.fetch_overture(timeout_s=7, jurisdictions=jurisdictions)
    assert sorted(fetched.sites["source_id"]) == [
        "overture-08f2aa8a1d0c0001",
        "overture-08f2aa8a1d0c0005",
    ]
    assert asked == {
        "overture_type": "place",
        "bbox": refresh_overture.MARYLAND_BBOX,
        "release": "2026-11-19.0",
        "connect_timeout": 7,
        "request_timeout": 7,
    }


def test_overture_with_more_pharmacies_than_the_limit_is_refused(monkeypatch):
    from overturemaps import core

    monkeypatch.setattr(refresh, "MAX_ROWS", 2)
    monkeypatch.setattr(core, "get_latest_release", lambda: "2026-11-19.0")
    monkeypatch.setattr(core, "record_batch_reader", lambda *a, **k: _recorded_reader())
    with pytest.raises(RefreshError, match="more than 2 pharmacies"):
        refresh_overture.fetch_overture(timeout_s=5)
