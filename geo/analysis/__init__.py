"""Answers about access: the Scenario facade, jurisdiction tables, comparison, the view.

:class:`geo.analysis.scenario.Scenario` is the one entry point the pages, the CLI and
the briefings use: built from the data and the user's choices, it computes each
result once. :mod:`geo.analysis.metrics` holds the table-level functions it wraps
(thin frame wrappers over :mod:`geo.engine`). Imports engine, data and local.
"""

__all__ = ["compare", "metrics", "scenario", "tables", "view"]
