"""The map widget without re-rendering: a folium map is rendered once into the arguments
of streamlit-folium's component, kept per process keyed by everything the map shows,
and handed to the component on every rerun that shows the same map.

``st_folium`` (streamlit-folium 0.27) builds its arguments from the folium figure on
every call, which costs a full Jinja render and several passes over the map's script
(~100-200 ms for the statewide maps); :func:`render_map` does the same once
(``tests/app/test_map_widget.py`` checks the arguments equal ``st_folium``'s), and
:func:`show_rendered` passes them to the component unchanged. Nothing runs at import.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from types import MappingProxyType

import folium
import streamlit as st
from folium.elements import JSCSSMixin

from shell import compat
from shell.data_caches import keyed_by_data

#: Rendered maps kept per process (each ~0.1-1 MB of script).
MAX_RENDERED_MAPS = 48


@dataclass(frozen=True)
class RenderedMap:
    """What ``st_folium`` sends for one map: script (kept compressed: a tenth of its
    ~0.2-0.4 MB, for each of up to :data:`MAX_RENDERED_MAPS` maps per process; ~1 ms to
    expand), header, html, the map's element id, asset links, the component key (a
    hash of the script) and the default return values."""

    script_deflated: bytes
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    component_key: str
    defaults: MappingProxyType

    @property
    def script(self) -> str:
        """The map's script."""
        return zlib.decompress(self.script_deflated).decode()

    @property
    def size_bytes(self) -> int:
        """The map's HTML/JS sent to the browser, in bytes (UTF-8)."""
        return sum(len(text.encode()) for text in (self.script, self.header, self.html))


def _assets(fmap: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """CSS and JS links of every element of the map, deduplicated in order."""
    css: list[str] = []
    js: list[str] = []
    stack = [fmap]
    while stack:  # depth-first, children in order, like st_folium's walk
        element = stack.pop()
        if isinstance(element, JSCSSMixin):
            css.extend(href for _, href in element.default_css)
            js.extend(src for _, src in element.default_js)
        stack.extend(reversed(list(getattr(element, "_children", {}).values())))
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def render_map(fmap: folium.Map, key: str) -> RenderedMap:
    """The component arguments ``st_folium(fmap, key=key)`` would send (the map is
    rendered and renamed in place: build a fresh one for anything else). The map is
    rendered once, not twice (``st_folium`` renders the whole figure first, which adds
    nothing it sends), and its bounds are not computed: no page asks for them back."""
    internals = compat.folium_internals()
    if internals is None:
        raise RuntimeError("streamlit-folium's internals are not available (shell.compat)")
    fmap.render()
    html, header = internals._get_html(fmap), internals._get_header(fmap)
    script = internals._get_map_string(fmap)
    defaults = {
        "last_clicked": None,
        "last_object_clicked": None,
        "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None,
        "last_object_clicked_popup": None,
        "all_drawings": None,
        "last_active_drawing": None,
        "zoom": fmap.options.get("zoom"),
        "last_circle_radius": None,
        "last_circle_polygon": None,
        "selected_layers": None,
        "selected_tags": None,
        "last_geocoder_result": None,
    }
    css, js = _assets(fmap)
    return RenderedMap(
        zlib.compress(script.encode(), 1),
        header,
        html,
        internals.get_full_id(fmap),
        css,
        js,
        internals.generate_js_hash(script, key, False),
        MappingProxyType(defaults),
    )


@keyed_by_data
@st.cache_resource(show_spinner=False, max_entries=MAX_RENDERED_MAPS)
def _rendered(
    key: str, shows: tuple[Hashable, ...], _build: Callable[[], folium.Map]
) -> RenderedMap:
    """The map ``_build`` draws, rendered once per (widget key, what it shows)."""
    return render_map(_build(), key)


def rendered_map(
    build: Callable[[], folium.Map], key: str, shows: tuple[Hashable, ...] | None
) -> RenderedMap:
    """``build()`` rendered: from the process cache when ``shows`` names everything the
    map shows (the data, including whose drafts, the choices, the basemap), else afresh."""
    if shows is None:
        return render_map(build(), key)
    return _rendered(key, shows, build)


def show_map_widget(
    build: Callable[[], folium.Map],
    key: str,
    shows: tuple[Hashable, ...] | None,
    *,
    height: int,
    returned: list[str],
) -> dict:
    """Draw ``build()``: rendered once and reused (:func:`rendered_map`,
    :func:`show_rendered`) when streamlit-folium's internals are the tested ones, else
    through the public ``st_folium`` (:func:`shell.compat.folium_internals` logs why)."""
    if compat.folium_internals() is None:
        value = compat.public_st_folium()(
            build(),
            key=key,
            height=height,
            use_container_width=True,
            returned_objects=returned,
        )
        return value or {}
    return show_rendered(rendered_map(build, key, shows), key, height=height, returned=returned)


def show_rendered(rendered: RenderedMap, key: str, *, height: int, returned: list[str]) -> dict:
    """Draw a rendered map at the container's width; returns the ``returned`` values of
    the last interaction (pans and zooms do not rerun the script unless asked; the
    map's ``bounds`` cannot be asked for)."""
    if "bounds" in returned:
        raise ValueError("the map widget does not return the map's bounds")

    def on_change() -> None:  # as st_folium: the value also under the page's key
        st.session_state[key] = st.session_state.get(rendered.component_key, {})

    internals = compat.folium_internals()
    if internals is None:
        raise RuntimeError("streamlit-folium's internals are not available (shell.compat)")
    value = internals._component_func(
        script=rendered.script,
        header=rendered.header,
        html=rendered.html,
        id=rendered.map_id,
        key=rendered.component_key,
        height=height,
        width=None,
        returned_objects=returned,
        default={k: v for k, v in rendered.defaults.items() if k in returned},
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(rendered.css_links),
        js_links=list(rendered.js_links),
        on_change=on_change,
        wrap_longitude=False,
    )
    return value or {}
