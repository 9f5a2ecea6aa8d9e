"""``python -m geo network build``: install a drive network from an OpenStreetMap extract."""

from __future__ import annotations

import argparse

from geo.cli import common
from geo.errors import InputError

NAME = "network"
HELP = "build a travel network from an OpenStreetMap extract (driving minutes)"
DESCRIPTION = (
    "network build --osm FILE.osm.pbf --mode drive reads the drivable roads of an "
    "OpenStreetMap extract (one-way streets honoured; each way's maxspeed, else an "
    "assumed speed by road class: docs/travel-time.md) and writes the network to "
    "NALOXONE_NETWORK_DIR (default: a 'networks' folder beside the store), where the "
    "dashboard and the commands find it. A file that cannot be read as OpenStreetMap "
    "data is refused with one line (exit 2) and nothing is written. The walking network "
    "of Baltimore City is bundled and needs no build."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``network`` and its ``build`` action."""
    actions = parser.add_subparsers(
        dest="network_action", required=True, parser_class=common.Parser
    )
    build = actions.add_parser("build", help="build and install a network", description=DESCRIPTION)
    build.add_argument("--osm", required=True, help="OpenStreetMap extract (.osm.pbf or .osm)")
    build.add_argument("--mode", choices=("drive",), required=True, help="travel mode: drive")
    build.add_argument(
        "--area-name",
        default=None,
        help="what the extract covers, as outputs should name it (default: 'the area of FILE')",
    )


def run(args: argparse.Namespace) -> int:
    """Build the network and install it atomically; print what was built."""
    import datetime
    import sys
    import time
    from pathlib import Path

    from geo.data.manifest import sha256_of
    from geo.network.osm import drive_network, read_drive_segments
    from geo.network.store import installed_path, save_network

    source = Path(args.osm)
    target = installed_path(args.mode)
    started = time.perf_counter()
    segments = read_drive_segments(source)
    network = drive_network(segments)
    if network.n_nodes < 2:
        raise InputError(f"{str(source)!r} holds no connected road network; nothing written")
    description = {
        "source": source.name,
        "source_sha256": sha256_of(source),
        "source_bytes": source.stat().st_size,
        "built_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "area_name": args.area_name or f"the area of {source.name}",
        "ways": segments.ways_used,
        "ways_with_maxspeed": segments.ways_with_maxspeed,
        "segments": len(segments.speed_kmh),
        "nodes_before_component": network.n_nodes_all,
        "nodes": network.n_nodes,
        "edges": network.n_edges,
    }
    try:
        save_network(network, target, description)
    except OSError as exc:
        raise InputError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from exc
    seconds = time.perf_counter() - started
    print(
        f"{args.mode} network from {common.shown_path(source.name)}: {segments.ways_used:,} ways "
        f"({segments.ways_with_maxspeed:,} with maxspeed), {network.n_nodes:,} of "
        f"{network.n_nodes_all:,} nodes in the largest strongly connected component, "
        f"{network.n_edges:,} directed edges; built in {seconds:.1f} s; "
        f"written to {common.shown_path(target)}",
        file=sys.stdout,
    )
    return 0
