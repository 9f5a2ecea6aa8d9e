"""Naloxone access in Maryland: data layer, access metrics, maps and exports.

This package never imports Streamlit; the dashboard in ``dashboard.py`` and
``pages/`` is a thin layer over it.
"""

from geo.errors import DataFileError

__all__ = ["DataFileError"]
