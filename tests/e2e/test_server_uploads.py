"""The upload limits against a real ``streamlit run dashboard.py`` (issue 22, item 1):
an anonymous visitor's session cannot PUT files to ``/_stcore/upload_file/...`` (it
shows no file uploader), a signed-in editor's import can, within its file limit, and
the editor's files are released once the session has ended. Uploads are sent with a
plain HTTP client (``deploy.visitor.Visitor.upload``); the held bytes are read from
Streamlit's own ``/_stcore/metrics`` (the uploaded-file manager's memory)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
import urllib.error
import urllib.request

import pytest

from deploy.visitor import Visitor
from tests.support.browser import screenshot_dir, warmed_dashboard

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
MB = 2**20


@pytest.fixture(scope="module")
def dashboard_url(browser, tmp_path_factory):
    from geo.local import auth

    env = {
        "NALOXONE_STORE": str(tmp_path_factory.mktemp("store") / "store.sqlite"),
        "NALOXONE_EDITOR_PASSWORD_HASH": auth.hash_password(PASSWORD),
        "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": "2",
        "NALOXONE_UPLOAD_SESSION_FILES": "2",
    }
    with warmed_dashboard(browser, env=env) as url:
        yield url


#: Streamlit caches its memory metrics this long (``_METRICS_EXPENSIVE_STATS_TTL_SECONDS``).
METRICS_CACHE_S = 5.0


def held_upload_bytes(url: str) -> int:
    """Bytes Streamlit's uploaded-file manager holds now (its ``/_stcore/metrics`` line,
    read once the metrics' own cache has expired)."""
    time.sleep(METRICS_CACHE_S + 0.5)
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=10) as reply:
        text = reply.read().decode()
    return sum(
        int(float(line.rsplit(" ", 1)[1]))
        for line in text.splitlines()
        if line.startswith("cache_memory_bytes{") and "UploadedFileManager" in line
    )


def anonymous_flood(url: str, page: str, count: int, size: int) -> list[int]:
    """``count`` PUTs of ``size`` bytes from a new visitor's session on ``page``; the
    statuses (in its own thread: Playwright's loop runs in this one)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _flood(url, page, count, size)).result()


async def _flood(url: str, page: str, count: int, size: int) -> list[int]:
    visitor = Visitor(url, timeout_s=120)
    try:
        await visitor.connect()
        if page:
            await visitor.switch_page(page)
        assert visitor.session_id
        return [
            await asyncio.to_thread(visitor.upload, f"f{i}.csv", b"x" * size) for i in range(count)
        ]
    finally:
        await visitor.close()


@pytest.mark.parametrize("page", ["", "manage"])
def test_an_anonymous_session_cannot_upload(dashboard_url, page):
    statuses = anonymous_flood(dashboard_url, page, 30, 4 * MB)
    assert statuses == [403] * 30, statuses
    assert held_upload_bytes(dashboard_url) == 0


def test_an_editor_uploads_within_the_limits_and_the_files_are_released(
    browser, dashboard_url, tmp_path
):
    csv = tmp_path / "sites.csv"
    csv.write_text("name,type,latitude,longitude\nA pharmacy,pharmacy,39.30,-76.60\n")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    upload_urls: list[str] = []
    page.on(
        "request",
        lambda r: upload_urls.append(r.url) if "/_stcore/upload_file/" in r.url else None,
    )
    try:
        page.goto(f"{dashboard_url}/manage")
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        page.get_by_label("Your name (recorded with every change)").fill("Dana")
        page.get_by_label("Editor password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Signed in as editor: Dana").wait_for(timeout=30_000)
        page.locator("input[type=file][accept*='.csv']").set_input_files(str(csv))
        page.get_by_text("valid row(s)").first.wait_for(timeout=30_000)
        page.screenshot(path=str(screenshot_dir() / "upload-editor-import.png"))
        assert upload_urls, "the import went through /_stcore/upload_file/"
        held = held_upload_bytes(dashboard_url)
        assert held > 0

        # the same session, by a plain HTTP client: one more file, then the limit (2)
        editor = Visitor(dashboard_url)
        editor.session_id = upload_urls[0].split("/_stcore/upload_file/", 1)[1].split("/")[0]
        editor.cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert editor.upload("second.csv", b"name\nB\n") == 204
        assert editor.upload("third.csv", b"name\nC\n") == 429
        after_two = held_upload_bytes(dashboard_url)
        assert after_two > held
        # over the 25 MB upload limit (server.maxUploadSize): refused on its declared
        # size, the connection closed before the body is read (the client may see the
        # 413 or only the reset)
        try:
            assert editor.upload("big.csv", b"x" * (26 * MB)) == 413
        except urllib.error.URLError as exc:
            assert isinstance(exc.reason, ConnectionError), exc  # reset or broken pipe
        assert held_upload_bytes(dashboard_url) == after_two
    finally:
        context.close()  # the editor's browser goes away

    time.sleep(3)  # past the 2 s reconnect window; any upload request runs the sweep
    (anonymous_flood(dashboard_url, "", 1, 10))
    assert held_upload_bytes(dashboard_url) == 0
