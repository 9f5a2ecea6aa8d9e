"""Manage data → Refresh from a public source, under AppTest, against a stand-in Overpass
API on 127.0.0.1 (no test uses the internet): the diff is shown before anything is
written, writing makes one draft change, a site no longer in the source is closed only
when an editor picks it, and a network failure is a notice that stores nothing."""

from __future__ import annotations

import json

import pytest

from geo.data import refresh
from geo.local import auth
from geo.local.store import Store
from shell import upload_guard
from tests.app.test_app_manage import PASSWORD, open_manage, sign_in
from tests.support.overpass import (
    RECORDED,
    Answer,
    closed_port_url,
    forbid_non_loopback,
    overpass_stand_in,
    recorded,
)

NEW = "Test Frederick Pharmacy (synthetic)"


@pytest.fixture
def editor(fresh, monkeypatch):
    forbid_non_loopback(monkeypatch)
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    monkeypatch.setenv("NALOXONE_REFRESH_TIMEOUT", "5")
    return fresh


def _answer() -> bytes:
    answer = json.loads(recorded("overpass_baltimore_2015.json"))
    answer["elements"].append(
        {
            "type": "node",
            "id": 900000010,
            "lat": 39.4143,
            "lon": -77.4105,
            "tags": {"amenity": "pharmacy", "name": NEW, "phone": "+1 301 555 0123"},
        }
    )
    return json.dumps(answer).encode()


def _compare(app):
    return next(b for b in app.button if b.label == "Compare with OpenStreetMap").click().run()


def _text(app) -> str:
    """The page's markdown as a reader sees it (markdown escapes removed)."""
    return "\n".join(m.value for m in app.markdown).replace("\\", "")


def test_compare_shows_the_diff_then_writes_one_draft(editor, monkeypatch):
    with overpass_stand_in() as server:
        server.answer = Answer(body=_answer())
        monkeypatch.setenv("NALOXONE_OVERPASS_URL", server.url)
        app = sign_in(open_manage())
        assert any(t.label == "Refresh from a public source" for t in app.tabs)
        app = _compare(app)
    assert not app.exception
    assert "OpenStreetMap as of 2015-02-27: 1 new, 0 moved" in _text(app)
    assert any("covers all of Maryland" in w.value for w in app.warning)
    new_table = next(d.value for d in app.dataframe if "source_id" in d.value.columns)
    assert list(new_table["name"]) == [NEW]
    assert Store(editor).changes().empty, "nothing is written before the editor asks"

    write = next(b for b in app.button if b.label.startswith("Write 1 new and 0 moved"))
    app = write.click().run()
    assert not app.exception
    changes = Store(editor).changes()
    assert len(changes) == 1 and changes.loc[0, "state"] == "draft"
    assert any(f"Draft change {changes.loc[0, 'id']} written" in s.value for s in app.success)
    sites = Store(editor).sites()
    assert list(sites["name"]) == [NEW]
    assert sites.loc[0, "licence"] == "ODbL 1.0 (© OpenStreetMap contributors)"
    assert not [b for b in app.button if b.label.startswith("Write ")], "written once"
    assert any(f"Written as draft change {changes.loc[0, 'id']}" in i.value for i in app.info)


def test_a_gone_site_is_closed_only_when_picked(editor, monkeypatch):
    with overpass_stand_in() as server:
        server.answer = Answer(body=recorded("overpass_baltimore_2015.json"))
        monkeypatch.setenv("NALOXONE_OVERPASS_URL", server.url)
        app = _compare(sign_in(open_manage()))
    assert not app.exception
    assert Store(editor).changes().empty
    app.selectbox(key="refresh_close_pick").set_value("osm_rx_0001").run()
    app = next(b for b in app.button if b.label == "Close this site").click().run()
    assert not app.exception
    site = Store(editor).sites().set_index("id").loc["osm_rx_0001"]
    assert site["status"] == "closed"
    assert Store(editor).changes().loc[0, "summary"] == (
        "Closed Beckman's Pharmacy: no longer in OpenStreetMap (as of 2015-02-27)"
    )
    assert "osm_rx_0001" not in app.selectbox(key="refresh_close_pick").options


def test_no_network_is_a_notice_and_nothing_is_stored(editor, monkeypatch):
    monkeypatch.setenv("NALOXONE_OVERPASS_URL", closed_port_url())
    app = _compare(sign_in(open_manage()))
    assert not app.exception
    notice = " ".join(e.value for e in app.error).replace("\\", "")
    assert "The refresh failed: the Overpass API (127.0.0.1) could not be reached" in notice
    assert Store(editor).changes().empty


def test_a_rate_limited_answer_is_a_notice(editor, monkeypatch):
    with overpass_stand_in() as server:
        server.answer = Answer(
            status=429, body=recorded("overpass_rate_limited.html"), headers={"Retry-After": "60"}
        )
        monkeypatch.setenv("NALOXONE_OVERPASS_URL", server.url)
        app = _compare(sign_in(open_manage()))
    assert not app.exception
    assert any("it asks to wait 60 s (Retry-After)" in e.value.replace("\\", "") for e in app.error)
    assert Store(editor).changes().empty


def test_a_downloaded_overture_file_is_compared_and_written(editor):
    app = sign_in(open_manage())
    app.radio(key="refresh_source").set_value("overture").run()
    parquet = (RECORDED / "overture_places_test.parquet").read_bytes()
    app.file_uploader(key="refresh_file_overture").set_value(
        ("md_places.parquet", parquet, "application/octet-stream")
    ).run()
    app = next(b for b in app.button if b.label == "Compare with Overture Maps places").click()
    app = app.run()
    assert not app.exception
    assert ": 2 new, 0 moved, 0 no longer in the source, 0 unchanged." in _text(app)
    assert Store(editor).changes().empty
    app = next(b for b in app.button if b.label.startswith("Write 2 new")).click().run()
    assert not app.exception
    sites = Store(editor).sites()
    assert sorted(sites["source_id"]) == ["overture-08f2aa8a1d0c0001", "overture-08f2aa8a1d0c0005"]
    assert set(sites["licence"]) == {"CDLA-Permissive-2.0 (Overture Maps Foundation)"}


def test_a_truncated_downloaded_answer_is_a_notice(editor):
    app = sign_in(open_manage())
    app.file_uploader(key="refresh_file_osm").set_value(
        ("overpass.json", recorded("overpass_truncated.json"), "application/json")
    ).run()
    app = _compare(app)
    assert not app.exception
    notice = " ".join(e.value for e in app.error).replace("\\", "")
    assert (
        "The refresh failed: Overpass file overpass.json sent an answer that is cut short" in notice
    )
    assert Store(editor).changes().empty


def test_the_uploaders_offer_what_the_server_and_the_reader_accept(editor):
    """The Overpass uploader takes 25 MB (the reader's limit, and the server's cap: it
    used to offer 25 MB while the server refused anything over 5); the Overture uploader
    takes the server's cap and names the command for larger files; a file over the
    limit is refused by the reader with the limit named."""
    app = sign_in(open_manage())
    osm = app.file_uploader(key="refresh_file_osm")
    assert osm.proto.max_upload_size_mb == 25 == upload_guard.server_upload_mb()
    captions = " ".join(c.value for c in app.caption)
    assert "A downloaded file may be up to 25 MB here." in captions
    assert app.file_uploader(key="import_file").proto.max_upload_size_mb == 5

    big = b" " * (refresh.MAX_RESPONSE_BYTES + 1)
    app = _compare(osm.set_value(("overpass.json", big, "application/json")).run())
    assert not app.exception
    notice = " ".join(e.value for e in app.error).replace("\\", "")
    assert "over the 25 MB limit" in notice, notice
    assert Store(editor).changes().empty

    app.radio(key="refresh_source").set_value("overture").run()
    assert app.file_uploader(key="refresh_file_overture").proto.max_upload_size_mb == 25
    captions = " ".join(c.value for c in app.caption)
    assert "A larger file (up to 500 MB): `python -m geo sites refresh --source overture" in (
        captions
    )
