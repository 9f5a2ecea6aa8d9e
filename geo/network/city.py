"""The bundled Baltimore City walking network, built from ``data/processed/streets.parquet``.

Walkable segments and the walking speed are decided in :mod:`geo.network.modes` (one home
for both rules); this module only reads the layer and keeps the built network while the
file stays the same.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from geo.network.graph import Network, build_network
from geo.network.modes import WALK, WALK_EXCLUDED_SUBTYPES, WALK_SPEED_M_PER_MIN

#: The jurisdiction the walking network covers (Baltimore City).
WALK_AREA_FIPS = "24510"
WALK_AREA_NAME = "Baltimore City"
STREETS_LAYER_FILE = "streets.parquet"


def walkable(subtype_label: pd.Series) -> np.ndarray:
    """True for segments pedestrians may use (every subtype but the excluded ones)."""
    return ~subtype_label.astype("string").isin(WALK_EXCLUDED_SUBTYPES).fillna(False).to_numpy(
        dtype=bool
    )


def walk_network_from_streets(streets: pd.DataFrame) -> Network:
    """The walking network of a street layer (columns of ``geo.data.streets``)."""
    keep = walkable(streets["subtype_label"])
    part = streets.loc[keep]
    return build_network(
        part[["x0_m", "y0_m"]].to_numpy(dtype=float),
        part[["x1_m", "y1_m"]].to_numpy(dtype=float),
        part["length_m"].to_numpy(dtype=float),
        WALK_SPEED_M_PER_MIN,
        WALK,
    )


def load_streets(processed_dir: Path | None = None) -> pd.DataFrame:
    """The processed street layer (raises ``DataFileError`` when missing or damaged)."""
    from geo.config import PROCESSED_DIR
    from geo.data.streets import check_streets
    from geo.errors import DataFileError

    path = (processed_dir or PROCESSED_DIR) / STREETS_LAYER_FILE
    if not path.is_file():
        raise DataFileError(path, "file not found (run `python -m geo build`)")
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for damaged files
        raise DataFileError(path, f"cannot be read as Parquet: {exc}") from exc
    return check_streets(frame, path)


@functools.lru_cache(maxsize=2)
def _cached_walk_network(path: Path, mtime_ns: int, size: int) -> Network:
    return walk_network_from_streets(load_streets(path.parent))


def walk_network(processed_dir: Path | None = None) -> Network:
    """The Baltimore City walking network, built once while the layer file is unchanged."""
    from geo.config import PROCESSED_DIR

    path = (processed_dir or PROCESSED_DIR) / STREETS_LAYER_FILE
    try:
        stat = path.stat()
    except OSError:
        return walk_network_from_streets(load_streets(processed_dir))  # raises the clear error
    return _cached_walk_network(path, stat.st_mtime_ns, stat.st_size)
