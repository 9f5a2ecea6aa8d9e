"""A simulated visitor: a real Streamlit session over the WebSocket protocol.

It does what the browser's frontend does, with Streamlit's own protobuf messages
(``streamlit.proto``): fetch the page (cookies: the proxy's affinity cookie and
Streamlit's ``_streamlit_xsrf``), open ``/_stcore/stream`` with the ``streamlit``
subprotocol and the XSRF token, send ``rerun_script`` (``BackMsg``) with the query
string, the page's script hash and the current widget states, and read ``ForwardMsg``
s until ``script_finished``. Widgets are found by label in the deltas (the sidebar's
Radius ``number_input`` and Focus jurisdiction ``selectbox``, expanders that draw
their contents when opened); pages from the
``new_session``/``navigation`` messages. Like the frontend's message cache, it keeps
the large elements it received (``metadata.cacheable``), reports their hashes with
each rerun (``cached_message_hashes``) and reads a ``ref_hash`` reply from that cache,
so an unchanged map is not sent again; an entry unused for more than
``MAX_CACHED_MESSAGE_AGE`` finished runs is dropped (``global.maxCachedMessageAge``).
JavaScript components (the Leaflet map) are
not run, so the reruns a browser's map component may add are not simulated.
Used by the load benchmark (``python -m benchmarks --load``), the deployment tests and
``python -m deploy.health --warm``.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field

import pyarrow as pa
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

RADIUS_LABEL = "Radius"
FOCUS_LABEL = "Focus jurisdiction"
FINISHED = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_WITH_COMPILE_ERROR")
#: Streamlit's default ``global.maxCachedMessageAge``, which the frontend applies too.
MAX_CACHED_MESSAGE_AGE = 2


def _first(indices) -> int:
    """A proto ``default`` that is an index or a list of indices (Selectbox)."""
    return indices[0] if hasattr(indices, "__len__") else indices


def _choice(widget) -> str:
    if widget.set_value and widget.raw_value:
        return widget.raw_value
    return widget.options[_first(widget.default)] if widget.options else ""


#: The sidebar's widget kinds: the WidgetState field and the value the browser shows
#: (the server's value when it set one, else the default).
_WIDGET_VALUES = {
    "number_input": lambda w: ("double_value", w.value if w.HasField("value") else w.default),
    "selectbox": lambda w: ("string_value", _choice(w)),
    "radio": lambda w: ("string_value", _choice(w)),
    "checkbox": lambda w: ("bool_value", w.value if w.set_value else w.default),
    "multiselect": lambda w: (
        "string_array_value",
        {"data": list(w.raw_values) if w.set_value else [w.options[i] for i in w.default]},
    ),
}


class VisitorError(RuntimeError):
    """A run that failed: an exception element, a compile error, a page not found."""


@dataclass
class RunResult:
    """One script run seen by the visitor: seconds from send to ``script_finished``,
    the texts shown (markdown, alerts, metrics), the Arrow tables' string cells, the
    bytes received and how many elements came as a reference to its message cache."""

    seconds: float
    texts: list[str] = field(default_factory=list)
    cells: set[str] = field(default_factory=set)
    received_bytes: int = 0
    references: int = 0


def _cookies(base_url: str, timeout_s: float) -> http.cookiejar.CookieJar:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for path in ("/", "/_stcore/health"):
        with opener.open(f"{base_url}{path}", timeout=timeout_s) as reply:
            reply.read()
    return jar


def _table_cells(data: bytes) -> set[str]:
    """String cells of an Arrow IPC stream (a dataframe element)."""
    try:
        table = pa.ipc.open_stream(data).read_all()
    except (pa.ArrowInvalid, OSError):
        return set()
    cells = set()
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            cells.update(str(value) for value in column.to_pylist() if value)
    return cells


class Visitor:
    """One browser tab on the dashboard at ``base_url`` (a process or the proxy)."""

    def __init__(self, base_url: str, *, timeout_s: float = 60) -> None:
        self.base_url, self.timeout_s = base_url.rstrip("/"), timeout_s
        self.query_string = ""
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.widgets: dict[str, WidgetState] = {}  # id -> current value
        self.ids: dict[str, str] = {}  # label -> widget id
        self.options: dict[str, list[str]] = {}  # selectbox label -> formatted options
        self.socket = None
        self.session_id = ""
        self.cookies: dict[str, str] = {}
        self.finished_runs = 0
        self.message_cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash -> (msg, run)

    async def connect(self, query_string: str = "") -> RunResult:
        """Open the page (cookies, WebSocket) and run the script once."""
        jar = await asyncio.to_thread(_cookies, self.base_url, self.timeout_s)
        self.cookies = {c.name: c.value for c in jar}
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        xsrf = self.cookies.get("_streamlit_xsrf")
        self.socket = await websockets.connect(
            self.base_url.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit", *([xsrf] if xsrf else [])],
            additional_headers={"Cookie": cookie, "Origin": self.base_url},
            max_size=None,
            open_timeout=self.timeout_s,
            ping_interval=None,
        )
        self.query_string = query_string
        return await self.rerun()

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
            self.socket = None

    async def rerun(self, changed: WidgetState | None = None, page: str | None = None) -> RunResult:
        """Send ``rerun_script`` with every known widget value (``changed`` replacing
        its own) on ``page`` (a url path) or the current page; wait for the run's end."""
        if changed is not None:
            self.widgets[changed.id] = changed
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.pages.get(page, "") if page else self.page_hash
        state.widget_states.widgets.extend(self.widgets.values())
        state.cached_message_hashes.extend(self.message_cache)
        state.context_info.timezone = "America/New_York"
        state.context_info.locale = "en-US"
        start = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        result = RunResult(0.0)
        while True:
            raw = await asyncio.wait_for(self.socket.recv(), self.timeout_s)
            result.received_bytes += len(raw)
            status = self._read(ForwardMsg.FromString(raw), result)
            if status == FINISHED:
                result.seconds = time.perf_counter() - start
                return result
            if status == COMPILE_ERROR:
                raise VisitorError("the script did not compile")

    def _read(self, msg: ForwardMsg, result: RunResult) -> int | None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            if msg.ref_hash not in self.message_cache:
                raise VisitorError("the server referred to a message this visitor does not hold")
            msg = self.message_cache[msg.ref_hash][0]
            kind = msg.WhichOneof("type")
            result.references += 1
        if msg.metadata.cacheable:  # a message read from the cache is too
            self.message_cache[msg.hash] = (msg, self.finished_runs)
        if kind == "script_finished":
            self.finished_runs += 1
            self.message_cache = {
                key: (cached, used)
                for key, (cached, used) in self.message_cache.items()
                if self.finished_runs - used <= MAX_CACHED_MESSAGE_AGE
            }
            return msg.script_finished
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self._pages(msg.new_session.app_pages)
            self.page_hash = msg.new_session.page_script_hash
        elif kind == "navigation":
            self._pages(msg.navigation.app_pages)
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found":
            raise VisitorError("page not found")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._element(msg.delta.new_element, result)
        elif kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
            block = msg.delta.add_block
            if block.WhichOneof("type") == "expandable" and block.expandable.id:
                self.ids[block.expandable.label] = block.expandable.id
        return None

    def _pages(self, pages) -> None:
        self.pages.update({page.url_pathname or "": page.page_script_hash for page in pages})

    def _element(self, element, result: RunResult) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            raise VisitorError(f"the page raised: {element.exception.message[:200]}")
        if kind in _WIDGET_VALUES:
            widget = getattr(element, kind)
            self.ids[widget.label] = widget.id
            if hasattr(widget, "options"):
                self.options[widget.label] = list(widget.options)
            if widget.id not in self.widgets or widget.set_value:
                field_name, value = _WIDGET_VALUES[kind](widget)
                self.widgets[widget.id] = WidgetState(id=widget.id, **{field_name: value})
        elif kind in ("markdown", "alert", "heading"):
            result.texts.append(getattr(element, kind).body)
        elif kind == "metric":
            result.texts.append(f"{element.metric.label}: {element.metric.body}")
        elif kind == "dataframe":
            table = element.dataframe
            data = table.arrow_data.data or table.lazy_data.initial_chunk
            result.cells |= _table_cells(data)

    async def set_radius(self, value: float) -> RunResult:
        """Type a new radius (in the current unit) and wait for the rerun."""
        return await self.rerun(WidgetState(id=self.ids[RADIUS_LABEL], double_value=value))

    async def set_focus(self, option: str) -> RunResult:
        """Choose a focus jurisdiction by its shown name and wait for the rerun."""
        return await self.rerun(WidgetState(id=self.ids[FOCUS_LABEL], string_value=option))

    async def expand(self, label: str) -> RunResult:
        """Open the expander ``label`` whose contents are drawn when opened (it stays
        open on later runs) and wait for the rerun."""
        return await self.rerun(WidgetState(id=self.ids[label], bool_value=True))

    async def switch_page(self, url_path: str) -> RunResult:
        """Open another page of the navigation (its url path, "" the default)."""
        result = await self.rerun(page=url_path)
        self.page_hash = self.pages.get(url_path, self.page_hash)
        return result

    def upload(self, name: str, data: bytes, *, cookies: bool = True) -> int:
        """PUT a file to this session's upload URL the way the file uploader does (the
        XSRF header; with ``cookies`` the session's cookies, the proxy's affinity cookie
        among them); the HTTP status."""
        boundary = "naloxoneloadtest"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": self.cookies.get("_streamlit_xsrf", ""),
            "Origin": self.base_url,
        }
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        else:
            headers["Cookie"] = f"_streamlit_xsrf={self.cookies.get('_streamlit_xsrf', '')}"
        request = urllib.request.Request(
            f"{self.base_url}/_stcore/upload_file/{self.session_id}/{uuid.uuid4().hex}",
            data=body,
            headers=headers,
            method="PUT",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as reply:
                return reply.status
        except urllib.error.HTTPError as exc:
            return exc.code
