"""``python -m geo map``: one map or every map, bad arguments as one line and exit 2."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from geo import cli
from geo.cli import common as cli_common
from geo.cli import map as map_command


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["map", "overview", "--jurisdiction", "Atlantis", "--out", "{tmp}/x.png"],
            "unknown jurisdiction 'Atlantis'",
        ),
        (["map", "overview", "--format", "gif", "--out", "{tmp}/x.gif"], "unknown format 'gif'"),
        (["map", "overview", "--out", "{tmp}/missing/x.png"], "does not exist"),
        (["map", "--all", "--out", "{tmp}/x.png"], "--all takes no map name"),
        (["map", "overview"], "give a map"),
        (["map", "overview", "--radius-km", "-3", "--out", "{tmp}/x.png"], "radius"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(tmp_path, capsys, args, message):
    code = cli.main([a.replace("{tmp}", str(tmp_path)) for a in args])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_one_map_in_km_as_svg(tmp_path, capsys):
    out = tmp_path / "garrett.svg"
    assert (
        cli.main(
            [
                "map",
                "access-gaps",
                "--jurisdiction",
                "Garrett",
                "--radius-km",
                "8",
                "--format",
                "svg",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    texts = " ".join(
        "".join(node.itertext())
        for node in ET.parse(out).getroot().iter()
        if node.tag.endswith("text")
    )
    assert "Garrett County. Radius 8 km" in texts and "Residents 8–16 km" in texts
    assert "Oakland" in texts and " mi " not in texts


def test_all_writes_every_map_of_every_area(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(
        map_command, "targets", lambda scenario: [("24", "maryland"), ("24023", "garrett")]
    )
    assert (
        cli.main(
            [
                "map",
                "--all",
                "--format",
                "html",
                "--out-dir",
                str(tmp_path / "maps"),
                "--radius-miles",
                "3",
            ]
        )
        == 0
    )
    written = sorted(p.name for p in (tmp_path / "maps").iterdir())
    assert written == sorted(
        f"{kind}-{fips}-{slug}.html"
        for kind in map_command.MAPS
        for fips, slug in (("24", "maryland"), ("24023", "garrett"))
    )
    err = capsys.readouterr().err
    assert "wrote 6 maps" in err and "maps" in err
    assert "Radius 3 miles" in (tmp_path / "maps" / "access-gaps-24023-garrett.html").read_text()


def test_targets_are_maryland_and_the_24_jurisdictions(data):
    from geo.analysis.scenario import Scenario

    found = cli_common.targets(Scenario.from_data(data))
    assert len(found) == 25 and found[0] == ("24", "maryland")
    assert ("24510", "baltimore-city") in found and ("24035", "queen-annes") in found
