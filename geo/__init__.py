"""Naloxone access in Maryland: data layer, access metrics, maps and exports.

This package never imports Streamlit; the dashboard in ``dashboard.py``, ``shell/`` and
``pages/`` is a thin layer over it. The front door:

- :class:`geo.Scenario`: one access scenario (site types, radius in metres or travel
  minutes, what-if sites) with its jurisdiction table, ranking and recommendations;
- :func:`geo.load_access_data`: the bundled data (and published local updates) it needs;
- :data:`geo.__version__`.

Both are imported lazily on first use, so ``python -m geo --help`` stays fast.

Examples
--------
>>> import geo
>>> geo.__version__
'0.2.0'
>>> scenario = geo.Scenario.from_data(geo.load_access_data(), radius_m=8_047.0)
>>> int(scenario.table().set_index("fips").loc["24", "population"])  # Maryland
6177224
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from geo.errors import DataFileError, InputError

if TYPE_CHECKING:
    from geo.analysis.metrics import load_access_data
    from geo.analysis.scenario import Scenario

__version__ = "0.2.0"
__all__ = ["DataFileError", "InputError", "Scenario", "__version__", "load_access_data"]

#: Public name → the module that defines it (imported on first access).
_LAZY = {"Scenario": "geo.analysis.scenario", "load_access_data": "geo.analysis.metrics"}


def __getattr__(name: str) -> Any:
    """Import :class:`Scenario` and :func:`load_access_data` on first use."""
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
