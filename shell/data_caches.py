"""The process caches whose entries are keyed by the data they were built from (a
``DataKey``: public, published or drafts, at a store revision).

When the store's published revision moves on, visitors' runs ask for the new data
only, so every entry built from older data is dead weight: :func:`forget_older_data`
clears these caches (the public data's entries with them; they are rebuilt on demand).
Without it, each publish left one more copy of the data, its scenarios and maps in
every process until the least recently used entries were pushed out. Nothing runs at
import.
"""

from __future__ import annotations

from typing import Protocol, TypeVar


class _Clearable(Protocol):
    def clear(self) -> None: ...


_Cached = TypeVar("_Cached", bound=_Clearable)
_REGISTERED: list[_Clearable] = []


def keyed_by_data(cached: _Cached) -> _Cached:
    """Register a ``st.cache_resource``/``st.cache_data`` function whose entries depend
    on the data shown; returns it unchanged."""
    _REGISTERED.append(cached)
    return cached


#: The published revision last seen per store location.
_SEEN_PUBLISHED: dict[str, int] = {}


def forget_older_data(location: str, published: int) -> bool:
    """Clear every registered cache when ``location``'s published revision differs from
    the one seen before (not on the first sight); True when it cleared."""
    before = _SEEN_PUBLISHED.get(location)
    _SEEN_PUBLISHED[location] = published
    if before is None or before == published:
        return False
    for cached in _REGISTERED:
        cached.clear()
    return True


def registered() -> tuple[_Clearable, ...]:
    """The registered caches."""
    return tuple(_REGISTERED)
