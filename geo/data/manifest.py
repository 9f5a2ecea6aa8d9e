"""``data/manifest.json``: every raw and processed data file with its checksum, row count
and provenance (from :mod:`geo.data.catalog`), and the row-count check the build makes
against the manifest it replaces."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.data.catalog import LAYERS, RAW_SOURCES
from geo.errors import DataFileError


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def count_rows(path: Path) -> int:
    """Data rows of a CSV (header excluded), features of a GeoJSON, rows of a Parquet."""
    try:
        if path.suffix == ".csv":
            return len(pd.read_csv(path, dtype=str))
        if path.suffix == ".geojson":
            return len(json.loads(path.read_text(encoding="utf-8"))["features"])
        if path.name.endswith(".geojson.gz"):
            import gzip

            with gzip.open(path, "rt", encoding="utf-8") as handle:
                return len(json.load(handle)["features"])
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
    except Exception as exc:  # pandas, json and pyarrow raise many types for damaged files
        raise DataFileError(path, f"cannot count its rows: {exc}") from exc
    raise ValueError(f"no row count for {path.name}")


def manifest_entries(raw_dir: Path, processed_dir: Path) -> list[dict[str, object]]:
    """Manifest records of every raw and processed data file."""
    entries: list[dict[str, object]] = []
    for source in RAW_SOURCES:
        path = raw_dir / source.filename
        entries.append(
            {
                "path": f"raw/{source.filename}",
                "kind": "raw",
                "title": source.title,
                "source": source.source,
                "url": source.url,
                "vintage": source.vintage,
                "licence": source.licence,
                "key_column": source.key_column,
                "caveats": source.caveats,
                "rows": count_rows(path),
                "sha256": sha256_of(path),
            }
        )
    for layer in LAYERS.values():
        path = processed_dir / layer.filename
        sources = [s for s in RAW_SOURCES if s.filename in layer.derived_from]
        entries.append(
            {
                "path": f"processed/{layer.filename}",
                "kind": "processed",
                "layer": layer.name,
                "title": layer.title,
                "source": "derived by `python -m geo build` from " + ", ".join(layer.derived_from),
                "url": "",
                "vintage": "; ".join(s.vintage for s in sources),
                "licence": "; ".join(dict.fromkeys(s.licence for s in sources)),
                "key_column": layer.key_column,
                "caveats": "",
                "rows": count_rows(path),
                "sha256": sha256_of(path),
            }
        )
    return entries


@dataclass(frozen=True)
class RowChange:
    """A data file whose row count differs from the one the manifest records."""

    path: str  # as in the manifest, e.g. ``raw/md_pharmacies_osm2023.csv``
    expected: int | None  # None: the manifest has no record of the file
    found: int

    def __str__(self) -> str:
        before = "new" if self.expected is None else f"{self.expected:,}"
        return f"{self.path}: {before} → {self.found:,} rows"


def recorded_rows(manifest_path: Path) -> dict[str, int] | None:
    """Row count per file path recorded in an existing manifest (None when there is none)."""
    if not manifest_path.exists():
        return None
    from geo.data.layers import load_manifest

    recorded = {}
    for entry in load_manifest(manifest_path)["files"]:
        if isinstance(entry, dict) and isinstance(entry.get("rows"), int):
            recorded[str(entry.get("path"))] = entry["rows"]
    return recorded


def row_changes(
    entries: list[dict[str, object]], recorded: dict[str, int] | None
) -> list[RowChange]:
    """Files whose row count in ``entries`` differs from ``recorded`` (none without a
    previous manifest)."""
    if recorded is None:
        return []
    return [
        RowChange(str(entry["path"]), recorded.get(str(entry["path"])), int(entry["rows"]))
        for entry in entries
        if recorded.get(str(entry["path"])) != entry["rows"]
    ]
