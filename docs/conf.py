"""Sphinx configuration: the documentation site (``make -C docs html`` or
``python -m sphinx -W -b html docs docs/_build/html``), written in MyST Markdown."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the CLI reference imports geo.cli from this checkout

project = "Maryland naloxone access"
author = "Maryland naloxone access contributors"
copyright = "2024-2026, the Maryland naloxone access contributors (code BSD-3-Clause)"
extensions = ["myst_parser", "sphinxarg.ext"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path = ["_static"]
html_title = "Maryland naloxone access"
