"""``python -m geo sites refresh``: the diff from recorded answers and from a stand-in
Overpass API on 127.0.0.1, the draft change it writes, and bad answers that store nothing.
No test uses the internet (every connection to an address other than loopback fails)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from geo.cli import main
from geo.config import REPO_ROOT
from geo.local.store import Store
from tests.support.overpass import (
    RECORDED,
    Answer,
    closed_port_url,
    forbid_non_loopback,
    overpass_stand_in,
    recorded,
)

BALTIMORE = str(RECORDED / "overpass_baltimore_2015.json")


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    forbid_non_loopback(monkeypatch)
    monkeypatch.setenv("NALOXONE_STORE", str(tmp_path / "store.sqlite"))
    monkeypatch.setenv("NALOXONE_REFRESH_TIMEOUT", "5")
    return tmp_path


def _answer_with_a_new_pharmacy(tmp_path):
    """The recorded Baltimore answer plus one (synthetic, test-only) pharmacy in Frederick."""
    answer = json.loads(recorded("overpass_baltimore_2015.json"))
    answer["elements"].append(
        {
            "type": "node",
            "id": 900000010,
            "lat": 39.4143,
            "lon": -77.4105,
            "tags": {
                "amenity": "pharmacy",
                "name": "Test Frederick Pharmacy",
                "addr:housenumber": "1",
                "addr:street": "Test Street",
                "phone": "+1 301 555 0123",
            },
        }
    )
    path = tmp_path / "overpass.json"
    path.write_text(json.dumps(answer))
    return path


def test_dry_run_json_has_exactly_the_documented_shape(capsys, isolated):
    path = _answer_with_a_new_pharmacy(isolated)
    code = main(
        [
            "sites",
            "refresh",
            "--source",
            "osm",
            "--from-file",
            str(path),
            "--dry-run",
            "--format",
            "json",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["source", "fetched", "counts", "new", "moved", "gone"]
    assert result["source"] == "osm" and result["fetched"] == "2015-02-27T00:00:00Z"
    assert result["counts"]["new"] == 1 and result["counts"]["unchanged"] == 4
    assert result["new"][0] | {} == {
        "source_id": "osm-node-900000010",
        "name": "Test Frederick Pharmacy",
        "type": "pharmacy",
        "lat": 39.4143,
        "lon": -77.4105,
        "address": "1 Test Street",
        "city": None,
        "zip": None,
        "phone": "+1 301 555 0123",
        "hours": None,
        "jurisdiction_fips": "24021",
    }
    assert result["counts"]["gone"] == len(result["gone"]) > 300
    assert not os.path.exists(os.environ["NALOXONE_STORE"])  # a dry run writes nothing


def test_dry_run_text_and_the_partial_coverage_note(capsys):
    assert main(["sites", "refresh", "--source", "osm", "--from-file", BALTIMORE, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OpenStreetMap as of 2015-02-27: 0 new, 0 moved (> 50 m), ")
    assert "gone   osm_rx_0001 Beckman's Pharmacy (proposal: close after review)" in out
    assert "note: " in out and "covers all of Maryland" in out


def test_a_refresh_writes_one_draft_change_and_closes_nothing_by_itself(capsys, isolated):
    path = _answer_with_a_new_pharmacy(isolated)
    code = main(["sites", "refresh", "--source", "osm", "--from-file", str(path)])
    out = capsys.readouterr().out
    assert code == 0
    store = Store()
    changes = store.changes()
    assert len(changes) == 1 and changes.loc[0, "state"] == "draft"
    assert f"Draft change {changes.loc[0, 'id']}: visitors see it once published" in out
    sites = store.sites()
    assert list(sites["id"]) == ["local-osm-node-900000010"]  # no site closed or removed
    assert sites.loc[0, "licence"] == "ODbL 1.0 (© OpenStreetMap contributors)"
    assert sites.loc[0, "source_date"] == "2015-02-27"


def test_close_gone_closes_the_named_site_in_the_same_change(capsys):
    code = main(
        [
            "sites",
            "refresh",
            "--source",
            "osm",
            "--from-file",
            BALTIMORE,
            "--close-gone",
            "osm_rx_0001",
            "--format",
            "json",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    store = Store()
    assert result["change"] == int(store.changes().loc[0, "id"])
    assert list(store.sites()["status"]) == ["closed"]
    assert (
        main(
            [
                "sites",
                "refresh",
                "--source",
                "osm",
                "--from-file",
                BALTIMORE,
                "--dry-run",
                "--close-gone",
                "osm_rx_0002",
            ]
        )
        == 2
    )


def test_no_network_is_one_line_naming_the_service_and_exit_1(capsys, monkeypatch):
    monkeypatch.setenv("NALOXONE_OVERPASS_URL", closed_port_url())
    code = main(["sites", "refresh", "--source", "osm", "--dry-run"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("error: the Overpass API (127.0.0.1) could not be reached")
    assert not os.path.exists(os.environ["NALOXONE_STORE"])


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (
            Answer(
                status=429,
                body=recorded("overpass_rate_limited.html"),
                headers={"Retry-After": "120"},
            ),
            "busy (HTTP 429 Too Many Requests): it asks to wait 120 s",
        ),
        (Answer(body=recorded("overpass_error_page.html")), "HTML page instead of JSON"),
        (Answer(body=recorded("overpass_truncated.json")), "cut short"),
        (Answer(body=recorded("overpass_runtime_error.json")), "stopped part way"),
        (Answer(body=recorded("overpass_outside_maryland.json")), "in Maryland (2 outside it)"),
        (Answer(body=b"{}", declared_length=200 * 2**20), "over the 25 MB limit"),
        (
            Answer(body=recorded("overpass_baltimore_2015.json"), delay_s=3),
            "did not answer within 1 s",
        ),
    ],
)
def test_bad_answers_store_nothing(capsys, monkeypatch, answer, expected):
    monkeypatch.setenv("NALOXONE_REFRESH_TIMEOUT", "1")
    with overpass_stand_in() as server:
        server.answer = answer
        monkeypatch.setenv("NALOXONE_OVERPASS_URL", server.url)
        code = main(["sites", "refresh", "--source", "osm"])  # not a dry run
    err = capsys.readouterr().err
    assert code == 1
    assert expected in err and err.count("\n") == 1
    assert err.rstrip().endswith("nothing was stored")
    assert not os.path.exists(os.environ["NALOXONE_STORE"]) or Store().changes().empty


def test_overture_from_a_geoparquet(capsys):
    code = main(
        [
            "sites",
            "refresh",
            "--source",
            "overture",
            "--from-file",
            str(RECORDED / "overture_places_test.parquet"),
            "--dry-run",
            "--format",
            "json",
        ]
    )
    assert code == 0
    result = json.loads(capsys.readouterr().out)
    assert result["source"] == "overture"
    # no Overture site is on the list yet: both Maryland pharmacies are new, none gone
    assert result["counts"] == {"new": 2, "moved": 0, "gone": 0, "unchanged": 0}


def test_the_command_runs_as_a_program_against_the_stand_in(isolated):
    with overpass_stand_in() as server:
        server.answer = Answer(body=recorded("overpass_baltimore_2015.json"))
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "geo",
                "sites",
                "refresh",
                "--source",
                "osm",
                "--dry-run",
                "--format",
                "json",
            ],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
            env={**os.environ, "NALOXONE_OVERPASS_URL": server.url},
        )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["unchanged"] == 4
    assert b"US-MD" in server.queries[0]
