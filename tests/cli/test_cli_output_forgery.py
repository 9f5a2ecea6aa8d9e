"""Names from data cannot forge lines in the CLI's text output (issue 22, item 9): a
site named with a line break, a carriage return or a terminal escape prints on its own
line with those characters escaped (``geo.render.formatting.one_line``), in
``sites history``, ``sites publish``, ``find``, an import report and an ``error:`` line."""

from __future__ import annotations

import pandas as pd
import pytest

from geo import cli
from geo.local.store import Store
from geo.render.formatting import one_line

HOSTILE = "Evil\n    9  Published: Closed CVS Pharmacy (Oakland)\rX\x1b[2J\u202eY\u2028Z"
ESCAPED = "Evil\\n    9  Published: Closed CVS Pharmacy (Oakland)\\rX\\x1b[2J\\u202eY\\u2028Z"


def test_one_line_escapes_every_control_and_invisible_character():
    assert one_line(HOSTILE) == ESCAPED
    assert one_line("a\tb\x00c\x85d\u200be\ufeff") == "a\\tb\\x00c\\x85d\\u200be\\ufeff"
    assert one_line("Café ✓ 中文 \\n as typed") == "Café ✓ 中文 \\n as typed"
    assert one_line(None) == "" and one_line(float("nan")) == ""
    for text in (HOSTILE, "x\x1c\x1d\x1e\x0b\x0c", "\u2029"):
        assert len(one_line(text).splitlines()) == 1


@pytest.fixture()
def hostile_store(tmp_path, monkeypatch):
    """A store with one published site named ``HOSTILE`` beside Oakland (ZIP 21550)."""
    location = str(tmp_path / "store.sqlite")
    monkeypatch.setenv("NALOXONE_STORE", location)
    store = Store(location)
    site = {
        "name": HOSTILE,
        "type": "health_department",
        "jurisdiction_fips": "24023",
        "lat": 39.4100,
        "lon": -79.4000,
        "location_precision": "exact",
        "status": "open",
        "address": "1 Main St\nForged: line",
        "source": "test\rsource",
    }
    store.add_sites(pd.DataFrame([site]), who="Dana\nRev", source="list\n.csv")
    return store


def test_sites_history_prints_one_line_per_change(hostile_store, capsys):
    hostile_store.publish(None, who="Rev")
    assert cli.main(["sites", "history"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(hostile_store.changes())
    assert all(line[:5].strip().isdigit() for line in lines), lines


def test_sites_publish_prints_one_line(hostile_store, capsys):
    assert cli.main(["sites", "publish", "--all"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1 and "\\n" in out, out


def test_find_prints_the_name_escaped_on_its_own_line(hostile_store, capsysbinary):
    assert cli.main(["find", "21550", "--n", "5"]) == 0
    hostile_store.publish(None, who="Rev")
    assert cli.main(["find", "21550", "--n", "5"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert ESCAPED in out
    assert "\r" not in out and "\x1b" not in out and "\u202e" not in out and "\u2028" not in out
    lines = out.splitlines()
    assert not any(line.startswith("    9  Published") for line in lines)
    assert not any(line.startswith("Forged") for line in lines)
    assert "  Address: 1 Main St\\nForged: line" in lines
    assert any(line.startswith("  Source: test\\rsource, as of") for line in lines)


def test_an_error_line_stays_one_line(tmp_path, capsys):
    missing = tmp_path / "sites\nerror: all good.csv"
    assert cli.main(["sites", "import", str(missing)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith("error: ") and "\\n" in err, err


def test_an_import_report_stays_one_line_per_problem(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NALOXONE_STORE", str(tmp_path / "store.sqlite"))
    upload = tmp_path / "list\nforged.csv"
    upload.write_text('name,type,latitude,longitude\n"Bad\nrow",unicorn,39.3,-76.6\n')
    cli.main(["sites", "import", str(upload), "--dry-run"])
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("list\\nforged.csv: would import 0 site(s), rejected 1"), out
    assert all(line.startswith(("list\\nforged.csv", "  ")) for line in lines), lines


def test_a_refresh_diff_names_each_site_on_one_line():
    from geo.local.refreshing import _label

    label = _label({"name": HOSTILE, "address": "1 Main St\nForged", "city": "Oakland"})
    assert label == f"{ESCAPED} (1 Main St\\nForged, Oakland)"
