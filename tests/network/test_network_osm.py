"""Drive networks from OpenStreetMap: tag rules, a hand-made extract, the real downtown
Baltimore fixture against networkx, and `python -m geo network build`."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import networkx as nx
import numpy as np
import osmium
import pytest
from scipy.sparse.csgraph import dijkstra

from geo import cli
from geo.engine.distance import lonlat_to_xy_m
from geo.network import snap
from geo.network.modes import DRIVE_SPEED_KMH
from geo.network.osm import (
    KMH_TO_M_PER_MIN,
    directions,
    drivable,
    drive_network,
    maxspeed_kmh,
    read_drive_segments,
)
from geo.network.store import installed_path, read_network

# Compared with networkx, an independent implementation.
pytestmark = pytest.mark.reference

FIXTURE = Path(__file__).parent / "data" / "baltimore_downtown_2015_route-annotator.osm.pbf"


@pytest.mark.parametrize(
    "value, kmh",
    [
        ("25 mph", 25 * 1.609344),
        ("50", 50.0),
        ("40 km/h", 40.0),
        ("55mph", 55 * 1.609344),
        ("signals", None),
        ("25;35", None),
        ("none", None),
        ("0", None),
        (None, None),
    ],
)
def test_maxspeed(value, kmh):
    assert maxspeed_kmh(value) == (pytest.approx(kmh) if kmh else None)


@pytest.mark.parametrize(
    "tags, expected",
    [
        ({"highway": "residential"}, (True, True)),
        ({"highway": "residential", "oneway": "yes"}, (True, False)),
        ({"highway": "residential", "oneway": "-1"}, (False, True)),
        ({"highway": "motorway"}, (True, False)),
        ({"highway": "motorway", "oneway": "no"}, (True, True)),
        ({"highway": "primary", "junction": "roundabout"}, (True, False)),
        ({"highway": "primary", "oneway": "reversible"}, None),
    ],
)
def test_directions(tags, expected):
    assert directions(tags) == expected


def test_drivable_classes():
    assert drivable({"highway": "service"})
    assert not drivable({"highway": "footway"})
    assert not drivable({"highway": "residential", "access": "private"})
    assert not drivable({"highway": "pedestrian"})


def write_osm(path: Path) -> Path:
    """A square of four streets 1 km a side, near Baltimore; the south side is one-way
    west to east at 30 mph; the others unposted residential (25 mph by class)."""
    corners = {1: (0.0, 0.0), 2: (1000.0, 0.0), 3: (1000.0, 1000.0), 4: (0.0, 1000.0)}
    from pyproj import Transformer

    back = Transformer.from_crs("EPSG:26985", "EPSG:4326", always_xy=True)
    nodes = []
    for ref, (x, y) in corners.items():
        lon, lat = back.transform(430000 + x, 180000 + y)
        nodes.append(f'<node id="{ref}" version="1" lat="{lat:.9f}" lon="{lon:.9f}"/>')
    ways = [
        (10, [1, 2], {"highway": "residential", "oneway": "yes", "maxspeed": "30 mph"}),
        (11, [2, 3], {"highway": "residential"}),
        (12, [3, 4], {"highway": "residential"}),
        (13, [4, 1], {"highway": "residential"}),
        (14, [1, 3], {"highway": "footway"}),
    ]
    body = []
    for ref, refs, tags in ways:
        inner = "".join(f'<nd ref="{r}"/>' for r in refs)
        inner += "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        body.append(f'<way id="{ref}" version="1">{inner}</way>')
    path.write_text(
        '<?xml version="1.0"?><osm version="0.6">' + "".join(nodes + body) + "</osm>",
        encoding="utf-8",
    )
    return path


def test_hand_made_extract(tmp_path):
    network = drive_network(read_drive_segments(write_osm(tmp_path / "square.osm")))
    assert network.n_nodes == 4 and network.n_edges == 7  # footway left out; one one-way
    xy = network.node_xy
    sw = int(snap(network, [[430000, 180000]]).node[0])
    se = int(snap(network, [[431000, 180000]]).node[0])
    times = dijkstra(network.minutes, indices=[sw, se])
    side_m = np.hypot(*(xy[se] - xy[sw]))
    assert side_m == pytest.approx(1000, abs=0.5)  # projection round trip
    posted = 30 * 1.609344 * KMH_TO_M_PER_MIN
    residential = DRIVE_SPEED_KMH["residential"] * KMH_TO_M_PER_MIN
    assert times[0, se] == pytest.approx(side_m / posted, rel=1e-3)  # with the one-way
    assert times[1, sw] == pytest.approx(3 * 1000 / residential, rel=1e-3)  # round the block


@pytest.fixture(scope="module")
def fixture_network():
    return drive_network(read_drive_segments(FIXTURE))


def test_downtown_fixture_matches_networkx(fixture_network):
    """An independent graph: OSM node ids (not joined coordinates), networkx's largest
    strongly connected component and Dijkstra; the same times from 25 sources."""
    graph = nx.DiGraph()
    location = {}
    processor = osmium.FileProcessor(str(FIXTURE)).with_locations()
    for way in processor.with_filter(osmium.filter.KeyFilter("highway").enable_for(osmium.osm.WAY)):
        if not way.is_way():
            continue
        tags = {tag.k: tag.v for tag in way.tags}
        allowed = directions(tags)
        if not drivable(tags) or allowed is None:
            continue
        speed = maxspeed_kmh(tags.get("maxspeed")) or DRIVE_SPEED_KMH[tags["highway"]]
        refs = [(n.ref, n.location.lon, n.location.lat) for n in way.nodes]
        for (a, ax, ay), (b, bx, by) in itertools.pairwise(refs):
            location[a], location[b] = (ax, ay), (bx, by)
            xy = lonlat_to_xy_m(np.array([ax, bx]), np.array([ay, by]))
            minutes = float(np.hypot(*(xy[1] - xy[0]))) / (speed * KMH_TO_M_PER_MIN)
            for u, v, ok in ((a, b, allowed[0]), (b, a, allowed[1])):
                if ok and (not graph.has_edge(u, v) or graph[u][v]["weight"] > minutes):
                    graph.add_edge(u, v, weight=minutes)
    # The one rule networkx does not know: OSM nodes within 0.5 m are one node.
    from scipy.spatial import cKDTree

    ids = list(location)
    xy_all = lonlat_to_xy_m(*np.array([location[i] for i in ids]).T)
    close = cKDTree(xy_all).query_pairs(0.5)
    assert len(close) == 1  # one pair in this extract
    for i, j in close:
        keep, drop = sorted((ids[i], ids[j]))
        for u, v, data in list(graph.in_edges(drop, data=True)) + list(
            graph.out_edges(drop, data=True)
        ):
            u, v = (keep if u == drop else u), (keep if v == drop else v)
            if u != v and (not graph.has_edge(u, v) or graph[u][v]["weight"] > data["weight"]):
                graph.add_edge(u, v, weight=data["weight"])
        graph.remove_node(drop)
    largest = max(nx.strongly_connected_components(graph), key=len)
    assert len(largest) == fixture_network.n_nodes == 12_074
    core = graph.subgraph(largest)
    refs = sorted(largest)
    lonlat = np.array([location[r] for r in refs])
    ours = snap(fixture_network, lonlat_to_xy_m(lonlat[:, 0], lonlat[:, 1]))
    # Every node of the component is one of ours (a joined pair sits at either point).
    assert ours.snap_m.max() < 0.5 and (ours.snap_m > 0).sum() <= 1
    assert len(set(ours.node.tolist())) == len(refs)
    node_of = dict(zip(refs, ours.node.tolist(), strict=True))
    rng = np.random.default_rng(3)
    sources = [refs[i] for i in rng.choice(len(refs), 25, replace=False)]
    times = dijkstra(fixture_network.minutes, indices=[node_of[s] for s in sources])
    for row, source in enumerate(sources):
        reference = nx.single_source_dijkstra_path_length(core, source)
        expected = np.array([reference[r] for r in refs])
        np.testing.assert_allclose(times[row, ours.node], expected, rtol=0, atol=1e-6)


def test_network_build_installs_and_loads(tmp_path, monkeypatch, capsys, fixture_network):
    monkeypatch.setenv("NALOXONE_NETWORK_DIR", str(tmp_path / "networks"))
    assert cli.main(["network", "build", "--osm", str(FIXTURE), "--mode", "drive"]) == 0
    assert "12,074 of 13,318 nodes" in capsys.readouterr().out
    network, outline, meta = read_network(installed_path("drive"))
    assert meta["source_sha256"].startswith("cd68a727") and meta["ways"] == 3171
    assert (network.minutes != fixture_network.minutes).nnz == 0
    assert outline.contains(outline.centroid)
    assert [p.name for p in (tmp_path / "networks").iterdir()] == ["drive.npz"]


@pytest.mark.parametrize("kind", ["truncated", "not_osm", "missing", "no_roads"])
def test_bad_extract_is_one_line_exit_2_and_nothing_written(tmp_path, monkeypatch, capsys, kind):
    folder = tmp_path / "networks"
    monkeypatch.setenv("NALOXONE_NETWORK_DIR", str(folder))
    bad = tmp_path / "bad.osm.pbf"
    if kind == "truncated":
        bad.write_bytes(FIXTURE.read_bytes()[:300_000])
    elif kind == "not_osm":
        bad.write_bytes(json.dumps({"type": "FeatureCollection"}).encode())
    elif kind == "no_roads":
        bad = tmp_path / "empty.osm"
        bad.write_text('<?xml version="1.0"?><osm version="0.6"></osm>', encoding="utf-8")
    code = cli.main(["network", "build", "--osm", str(bad), "--mode", "drive"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "nothing written" in err
    assert not folder.exists() or not any(folder.iterdir())


def test_a_failed_build_keeps_the_installed_network(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NALOXONE_NETWORK_DIR", str(tmp_path))
    assert cli.main(["network", "build", "--osm", str(FIXTURE), "--mode", "drive"]) == 0
    before = installed_path("drive").read_bytes()
    bad = tmp_path / "bad.osm.pbf"
    bad.write_bytes(FIXTURE.read_bytes()[:100_000])
    assert cli.main(["network", "build", "--osm", str(bad), "--mode", "drive"]) == 2
    assert installed_path("drive").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.osm.pbf", "drive.npz"]


def test_drive_measure_without_a_network_says_how_to_build_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NALOXONE_NETWORK_DIR", str(tmp_path))
    assert cli.main(["travel", "--measure", "drive", "--public-only"]) == 2
    assert "python -m geo network build" in capsys.readouterr().err
