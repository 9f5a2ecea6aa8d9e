"""The Manage page in headless Chromium against a running dashboard whose store is a
real PostgreSQL server reached with a password: neither the password nor the store's
user name reaches a visitor's browser (text or HTML); an editor sees the URL masked;
and a session id taken from an upload URL does not carry the editor's sign-in to
another browser. Screenshots at desktop and 400 px widths go to
``artifacts/screenshots/``."""

from __future__ import annotations

import pytest

from tests.support.browser import screenshot_dir, warmed_dashboard
from tests.support.postgres import postgres_bin, running_postgres

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

PASSWORD = "correct horse battery"
STORE_USER, STORE_SECRET = "storekeeper7", "hunter2"
# Appends a stolen session id to Streamlit's WebSocket handshake, the way the
# frontend offers its own id when it reconnects.
STEAL_SESSION = """(stolen) => {
    const Original = window.WebSocket;
    window.WebSocket = class extends Original {
        constructor(url, protocols) {
            super(url, Array.isArray(protocols) && protocols[0] === 'streamlit'
                  ? [protocols[0], protocols[1] || 'PLACEHOLDER_AUTH_TOKEN', stolen]
                  : protocols);
        }
    };
}"""


@pytest.fixture(scope="module")
def store_url():
    """A PostgreSQL store reached as a user with a password."""
    if postgres_bin() is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    import psycopg

    with running_postgres() as admin_url:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f"CREATE ROLE {STORE_USER} LOGIN PASSWORD '{STORE_SECRET}'")
            connection.execute(f"ALTER DATABASE naloxone OWNER TO {STORE_USER}")
        host = admin_url.split("@", 1)[1]
        yield f"postgresql://{STORE_USER}:{STORE_SECRET}@{host}"


@pytest.fixture(scope="module")
def dashboard_url(browser, store_url):
    from geo.local import auth

    # Streamlit caches large messages per session and sends a resumed session only
    # references to them, which a different browser cannot resolve ("Cached ForwardMsg
    # MISS"): turned off so the intruder's page shows what the session holds.
    env = {
        "NALOXONE_STORE": store_url,
        "NALOXONE_EDITOR_PASSWORD_HASH": auth.hash_password(PASSWORD),
        "STREAMLIT_GLOBAL_MIN_CACHED_MESSAGE_SIZE": "1e12",
    }
    with warmed_dashboard(browser, env=env) as url:
        yield url


def everything_sent(page) -> str:
    """The page's visible text and the HTML of every frame."""
    return "\n".join([page.inner_text("body"), *(frame.content() for frame in page.frames)])


def open_manage(page, url: str) -> None:
    page.goto(f"{url}/manage")
    page.get_by_role("heading", name="Manage data").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)


def sign_in(page, name: str = "Dana") -> None:
    page.get_by_label("Your name (recorded with every change)").fill(name)
    page.get_by_label("Editor password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text(f"Signed in as editor: {name}").wait_for(timeout=30_000)


def wait_until_idle(page) -> None:
    """Until no script run is going (Streamlit's running icon stays away)."""
    running = page.locator('[data-testid="stStatusWidgetRunningIcon"]')
    for _ in range(3):
        page.wait_for_timeout(500)
        running.wait_for(state="detached", timeout=60_000)


@pytest.mark.parametrize("width", [1400, 400])
def test_a_visitor_sees_no_store_credentials(browser, dashboard_url, width):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    try:
        open_manage(page, dashboard_url)
        wait_until_idle(page)
        page.screenshot(path=str(screenshot_dir() / f"manage-visitor-{width}.png"), full_page=True)
        sent = everything_sent(page)
        assert STORE_SECRET not in sent and STORE_USER not in sent
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("width", [1400, 400])
def test_an_editor_sees_the_store_masked(browser, dashboard_url, width):
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    try:
        open_manage(page, dashboard_url)
        sign_in(page)
        page.get_by_text("Store: postgresql://").wait_for(timeout=30_000)
        wait_until_idle(page)
        page.screenshot(path=str(screenshot_dir() / f"manage-editor-{width}.png"), full_page=True)
        text = page.inner_text("body")
        assert f"postgresql://{STORE_USER}:***@" in text
        assert STORE_SECRET not in everything_sent(page)
    finally:
        context.close()


def test_a_session_id_from_an_upload_url_does_not_carry_the_sign_in(
    browser, dashboard_url, tmp_path
):
    upload = tmp_path / "sites.csv"
    upload.write_text("name,type,latitude,longitude\nA pharmacy,pharmacy,39.30,-76.60\n")
    editor_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    editor = editor_context.new_page()
    upload_urls: list[str] = []
    editor.on(
        "request",
        lambda request: (
            upload_urls.append(request.url) if "/_stcore/upload_file/" in request.url else None
        ),
    )
    open_manage(editor, dashboard_url)
    sign_in(editor)
    editor.locator("input[type=file][accept*='.csv']").set_input_files(str(upload))
    editor.get_by_text("valid row(s)").first.wait_for(timeout=30_000)
    assert upload_urls, "the upload went through /_stcore/upload_file/<session id>/..."
    session_id = upload_urls[0].split("/_stcore/upload_file/", 1)[1].split("/")[0]
    wait_until_idle(editor)  # a run still going would stream its rest to the intruder
    editor.close()  # the editor's session waits for a reconnect

    other_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        intruder = other_context.new_page()
        intruder.add_init_script(f"({STEAL_SESSION})({session_id!r})")
        intruder.goto(f"{dashboard_url}/manage")
        signed_in = intruder.get_by_text("Signed in as editor")
        try:
            intruder.get_by_role("button", name="Sign in").or_(signed_in).first.wait_for(
                timeout=60_000
            )
        finally:
            intruder.screenshot(
                path=str(screenshot_dir() / "manage-stolen-session.png"), full_page=True
            )
        assert signed_in.count() == 0
        assert intruder.get_by_text("different browser or address").count() == 1, (
            "the stolen session was resumed and its sign-in dropped"
        )
        assert intruder.get_by_role("tab", name="Import sites").count() == 0
    finally:
        other_context.close()
        editor_context.close()
