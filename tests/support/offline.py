"""Checks that a document loads nothing from another host (standalone map files)."""

from __future__ import annotations

import re

_URL = re.compile(r"""(?:src|href)\s*=\s*["'](https?:)?//[^"']+""", re.IGNORECASE)
_RESOURCE = re.compile(
    r"""<(?:script|img|iframe|source|embed)\b[^>]*\bsrc\s*=\s*["']((?:https?:)?//[^"']+)"""
    r"""|<link\b[^>]*\bhref\s*=\s*["']((?:https?:)?//[^"']+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^)"']+)|@import\s+["']((?:https?:)?//[^"']+)""",
    re.IGNORECASE,
)


def external_urls(document: str) -> list[str]:
    """Every ``src``/``href`` in ``document`` that points at another host."""
    return [match.group(0) for match in _URL.finditer(document)]


def external_resources(document: str) -> list[str]:
    """Every resource ``document`` would load from another host: scripts, images,
    frames, stylesheets, CSS ``url()`` and ``@import`` (plain links are not loads)."""
    return [next(g for g in match.groups() if g) for match in _RESOURCE.finditer(document)]
