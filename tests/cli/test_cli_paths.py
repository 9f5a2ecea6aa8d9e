"""The CLI echoes user-supplied paths with control characters escaped: a file or folder
name holding an ANSI escape (``\\x1b``) or a line break cannot recolour the terminal,
move the cursor or forge a line of output."""

from __future__ import annotations

from geo import cli
from geo.cli.common import shown_path
from tests.network.test_network_osm import write_osm


def test_shown_path_escapes_control_characters_only():
    assert shown_path("/tmp/plain folder/extract.osm.pbf") == "/tmp/plain folder/extract.osm.pbf"
    assert shown_path("a\x1b[2Jb\nc.osm") == "a\\x1b[2Jb\\nc.osm"


def test_network_build_prints_a_hostile_file_name_escaped(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "net\x1b[31mworks"
    monkeypatch.setenv("NALOXONE_NETWORK_DIR", str(folder))
    osm = write_osm(tmp_path / "square\x1b]0;pwned\x07\n.osm")
    assert cli.main(["network", "build", "--osm", str(osm), "--mode", "drive"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert out.count("\n") == 1  # the line break in the name does not start a line
    assert "square\\x1b]0;pwned\\x07\\n.osm" in out
    assert "net\\x1b[31mworks" in out
