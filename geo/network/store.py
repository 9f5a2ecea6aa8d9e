"""Installed networks on disk: one ``<mode>.npz`` per mode in
:func:`geo.config.network_dir` (``NALOXONE_NETWORK_DIR``).

The file holds the kept nodes (EPSG:26985 metres), the CSR arrays of the minutes and
metres matrices, the outline of the nodes (convex hull, WKB) and a JSON description
(source file and checksum, build date, counts). It is written to a temporary file in
the same folder and renamed, so a failed build never leaves a half-written network.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from geo.errors import InputError
from geo.network.graph import Network
from geo.network.modes import MODES

if TYPE_CHECKING:
    import shapely

FORMAT_VERSION = 1


def installed_path(mode: str, folder: Path | None = None) -> Path:
    """The file of the ``mode`` network in ``folder`` (default: the network folder)."""
    from geo.config import network_dir

    return (folder or network_dir()) / f"{mode}.npz"


def outline_of(network: Network) -> shapely.Geometry:
    """The convex hull of the network's nodes (shapely, EPSG:26985)."""
    import shapely

    return shapely.MultiPoint(network.node_xy).convex_hull


def save_network(network: Network, path: Path, description: dict[str, object]) -> None:
    """Write ``network`` to ``path`` atomically (temporary file + rename)."""
    import shapely

    minutes = network.minutes.tocsr()
    minutes.sort_indices()
    metres = network.metres.tocsr()
    metres.sort_indices()
    meta = {"format": FORMAT_VERSION, "mode": network.mode.name, **description}
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez_compressed(
                stream,
                node_xy=network.node_xy,
                indptr=minutes.indptr,
                indices=minutes.indices,
                minutes=minutes.data,
                metres=metres.data,
                outline=np.frombuffer(shapely.to_wkb(outline_of(network)), dtype=np.uint8),
                meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
                counts=np.array([network.n_nodes_all, network.n_edges_all]),
            )
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private; readable like any file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_network(path: Path) -> tuple[Network, shapely.Geometry, dict[str, object]]:
    """A saved network, its outline and description (``DataFileError`` when damaged)."""
    import shapely

    from geo.errors import DataFileError

    try:
        with np.load(path, allow_pickle=False) as saved:
            meta = json.loads(saved["meta"].tobytes().decode("utf-8"))
            mode = MODES[meta["mode"]]
            n = len(saved["node_xy"])
            structure = (saved["indices"], saved["indptr"])
            minutes = sparse.csr_matrix((saved["minutes"], *structure), shape=(n, n))
            metres = sparse.csr_matrix((saved["metres"], *structure), shape=(n, n))
            outline = shapely.from_wkb(saved["outline"].tobytes())
            n_all, e_all = (int(v) for v in saved["counts"])
            network = Network(mode, saved["node_xy"], minutes, metres, n_all, e_all)
    except (OSError, ValueError, KeyError, EOFError) as exc:
        raise DataFileError(path, f"is not a network written by this version: {exc}") from exc
    return network, outline, meta


_CACHE: dict[tuple[str, int, int], tuple[Network, shapely.Geometry, dict[str, object]]] = {}


def load_installed(mode: str) -> tuple[Network, shapely.Geometry, str]:
    """The installed ``mode`` network, its outline and a name for its area; a
    ``ValueError`` saying how to build one when none is installed."""
    path = installed_path(mode)
    try:
        stat = path.stat()
    except OSError:
        raise InputError(
            f"no {mode} network is installed in {path.parent} (NALOXONE_NETWORK_DIR): build "
            f"one with `python -m geo network build --osm FILE.osm.pbf --mode {mode}`"
        ) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = read_network(path)
    network, outline, meta = _CACHE[key]
    return network, outline, str(meta.get("area_name") or "the area of the installed network")
