"""Manage data page under AppTest: editing is closed without an editor, open after
sign-in, and every change lands in the store with its author. The store's location
(which may hold a password) is never shown to visitors and shown masked to editors;
a store that is down gives a plain message; two editors saving the same record get a
conflict to resolve; sign-in is throttled, expires when idle and is bound to the
browser that made it; the change history is for editors only."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.config import REPO_ROOT
from geo.local import auth
from geo.local.store import Store
from tests.support.browser import free_port
from tests.support.fast_set import first_in_fast_set

PASSWORD = "correct horse battery"
SECRET = "hunter2"
KEEP, MINE = "Keep the stored value", "Save mine over it"


def open_manage() -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90)
    app.query_params["page"] = "manage"
    return app.run()


def test_without_an_editor_nothing_can_change(fresh):
    app = open_manage()
    assert not app.exception
    assert any("Editing is not enabled" in i.value for i in app.info)
    assert len(app.tabs) == 0
    assert not any(b.label in ("Save", "Revert", "Sign in") for b in app.button)


def test_sign_in_and_edit_leave_behind_and_a_site(fresh, monkeypatch):
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    app = open_manage()
    app.text_input[0].set_value("Dana")
    app.text_input[1].set_value("wrong password")
    next(b for b in app.button if b.label == "Sign in").click().run()
    assert any("Wrong password" in e.value for e in app.error)
    app.text_input[1].set_value(PASSWORD)
    next(b for b in app.button if b.label == "Sign in").click().run()
    assert not app.exception
    assert any("Signed in as editor: Dana" in s.value for s in app.success)

    app.selectbox(key="lb_fips").set_value("24001").run()
    form_status = next(s for s in app.selectbox if s.label == "Status")
    form_status.set_value("documented")
    next(t for t in app.text_input if t.label.startswith("Start date")).set_value("2024-03")
    next(n for n in app.number_input if n.label.startswith("Doses")).set_value(25)
    next(b for b in app.button if b.label == "Save").click().run()
    assert not app.exception
    record = Store(fresh).leave_behind().set_index("fips").loc["24001"]
    assert record["status"] == "documented" and record["doses"] == 25
    assert record["updated_by"] == "Dana"

    app.selectbox(key="site_pick").set_value("osm_rx_0002").run()
    next(c for c in app.checkbox if c.label.startswith("Closed")).check()
    saves = [b for b in app.button if b.label == "Save"]
    saves[-1].click().run()
    assert not app.exception
    site = Store(fresh).sites().set_index("id").loc["osm_rx_0002"]
    assert site["status"] == "closed" and bool(site["overrides_public"])
    history = Store(fresh).history()
    assert history["who"].tolist() == ["Dana", "Dana"]

    closing = int(Store(fresh).changes()["id"].iloc[0])
    app.selectbox(key="revert_pick").set_value(closing).run()
    next(b for b in app.button if b.label == "Revert").click().run()
    assert not app.exception
    assert Store(fresh).sites().empty


def test_editors_publish_drafts_and_the_history_reads_as_sentences(fresh, monkeypatch):
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    Store(fresh).save_leave_behind(
        "24001",
        {"status": "documented", "doses": 3},
        expected_version=0,
        who="Ana",
        place="Allegany County",
    )
    app = sign_in(open_manage(), "Dana")
    text = markdown_text(app)
    assert "Updated the leave-behind record of Allegany County — Ana, " in text
    assert "(draft, not public yet)" in text and "#1" not in text
    assert any(t.label == "Changes (1 to publish)" for t in app.tabs)
    next(b for b in app.button if b.label.startswith("Publish all")).click().run()
    assert not app.exception
    changes = Store(fresh).changes()
    assert changes["state"].tolist() == ["published", "published"]
    assert (
        changes["sentence"]
        .iloc[0]
        .startswith("Published “Updated the leave-behind record of Allegany County” — Dana, ")
    )
    assert changes["published_by"].iloc[1] == "Dana"
    assert "Published “Updated the leave-behind record" in markdown_text(app)


def markdown_text(app: AppTest) -> str:
    """The Markdown the page shows, without the escaping backslashes."""
    return "\n".join(m.value for m in app.markdown).replace("\\", "")


def test_correcting_a_site_location_is_validated(fresh, monkeypatch):
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    app = open_manage()
    app.text_input[0].set_value("Dana")
    app.text_input[1].set_value(PASSWORD)
    next(b for b in app.button if b.label == "Sign in").click().run()
    app.selectbox(key="site_pick").set_value("osm_rx_0002").run()
    next(t for t in app.text_input if t.label == "Latitude").set_value("40.5")
    [b for b in app.button if b.label == "Save"][-1].click().run()
    assert any("outside Maryland" in e.value for e in app.error)
    assert Store(fresh).sites().empty, "nothing saved"
    next(t for t in app.text_input if t.label == "Latitude").set_value("39.640000")
    [b for b in app.button if b.label == "Save"][-1].click().run()
    assert not app.exception
    site = Store(fresh).sites().set_index("id").loc["osm_rx_0002"]
    assert site["lat"] == pytest.approx(39.64) and site["jurisdiction_fips"] == "24001"


class Clock:
    """Stands in for ``geo.auth.now`` so tests move time without sleeping."""

    def __init__(self) -> None:
        self.t = 10_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture()
def clock(monkeypatch) -> Clock:
    moving = Clock()
    monkeypatch.setattr(auth, "now", moving)
    monkeypatch.setattr(auth, "wall_now", moving)  # the shared store's failure times
    return moving


@pytest.fixture()
def editor(fresh, monkeypatch) -> str:
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    return fresh


def closed_postgres_url() -> str:
    """A password-bearing URL of a PostgreSQL server that is not there."""
    return f"postgresql://naloxone:{SECRET}@127.0.0.1:{free_port()}/db"


def page_text(app: AppTest) -> str:
    """Every string the page sends to the browser (all elements' protobufs)."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    return "\n".join(parts)


def sign_in(app: AppTest, name: str = "Dana", password: str = PASSWORD) -> AppTest:
    next(t for t in app.text_input if t.label.startswith("Your name")).set_value(name)
    next(t for t in app.text_input if t.label == "Editor password").set_value(password)
    next(b for b in app.button if b.label == "Sign in").click().run()
    assert not app.exception, app.exception
    return app


def signed_in(app: AppTest) -> bool:
    return any("Signed in as editor" in s.value for s in app.success)


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def test_visitors_never_see_the_store_location(fresh, monkeypatch):
    monkeypatch.setenv("NALOXONE_STORE", closed_postgres_url())
    app = open_manage()
    assert not app.exception
    assert any(t.value == "Manage data" for t in app.title)
    assert SECRET not in page_text(app) and "127.0.0.1" not in page_text(app)

    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    app = open_manage()
    assert not app.exception and any(b.label == "Sign in" for b in app.button)
    assert SECRET not in page_text(app) and "127.0.0.1" not in page_text(app)


def test_visitors_never_see_the_store_path(fresh, monkeypatch):
    for configured in (False, True):
        if configured:
            monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
        app = open_manage()
        assert not app.exception
        assert fresh not in page_text(app) and "store.sqlite" not in page_text(app)
    sign_in(app)
    assert any(fresh in c.value.replace("\\", "") for c in app.caption), (
        "an editor sees where the store is"
    )


def test_an_editor_sees_the_store_url_masked_and_what_is_wrong(fresh, monkeypatch):
    monkeypatch.setenv("NALOXONE_STORE", closed_postgres_url())
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    app = sign_in(open_manage())
    assert signed_in(app)
    text = page_text(app)
    assert SECRET not in text
    assert any("***" in c.value.replace("\\", "") and "naloxone" in c.value for c in app.caption)
    assert any("cannot be reached" in e.value for e in app.error)
    assert len(app.tabs) == 0, "no edit controls that would fail"
    assert not any(b.label in ("Save", "Revert") for b in app.button)


def test_a_damaged_store_file_gives_a_plain_message(fresh, monkeypatch, tmp_path):
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("NALOXONE_STORE", str(damaged))
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    app = sign_in(open_manage())
    assert not app.exception
    assert any("Editing is unavailable" in e.value for e in app.error)
    assert "Traceback" not in page_text(app) and len(app.tabs) == 0


def test_history_is_for_editors_only(fresh):
    Store(fresh).save_leave_behind(
        "24001", {"status": "documented", "doses": 3}, expected_version=0, who="Quentin Q"
    )
    app = open_manage()
    assert not app.exception
    assert len(app.dataframe) == 0 and "Quentin" not in page_text(app)


def open_record(app: AppTest, form: str) -> AppTest:
    if form == "leave_behind":
        app.selectbox(key="lb_fips").set_value("24001").run()
    else:
        app.selectbox(key="site_pick").set_value("osm_rx_0002").run()
    assert not app.exception
    return app


def fill_and_save(app: AppTest, form: str, value: object) -> AppTest:
    if form == "leave_behind":
        next(n for n in app.number_input if n.label.startswith("Doses")).set_value(value)
        saves = [b for b in app.button if b.label == "Save"]
        saves[0].click().run()
    else:
        next(t for t in app.text_input if t.label == "Name").set_value(value)
        [b for b in app.button if b.label == "Save"][-1].click().run()
    assert not app.exception, app.exception
    return app


def stored(location: str, form: str) -> dict:
    if form == "leave_behind":
        return Store(location).leave_behind().set_index("fips").loc["24001"].to_dict()
    return Store(location).sites().set_index("id").loc["osm_rx_0002"].to_dict()


FORMS = {"leave_behind": ("doses", 11, 22), "site": ("name", "Ana's name", "Ben's name")}


@pytest.mark.parametrize("form", first_in_fast_set(FORMS, keep=1))
@pytest.mark.parametrize("choice", [MINE, KEEP])
def test_two_editors_saving_the_same_record_get_a_conflict(editor, form, choice):
    field, first_value, second_value = FORMS[form]
    ana = open_record(sign_in(open_manage(), "Ana"), form)
    ben = open_record(sign_in(open_manage(), "Ben"), form)
    fill_and_save(ana, form, first_value)
    assert stored(editor, form)[field] == first_value
    assert stored(editor, form)["updated_by"] == "Ana"

    fill_and_save(ben, form, second_value)
    assert stored(editor, form)[field] == first_value, "Ben's save did not overwrite"
    assert any("Ana" in w.value and "not saved" in w.value for w in ben.warning)
    table = next(d.value for d in ben.dataframe if "Yours" in d.value.columns)
    row = table.set_index("Field").loc[{"doses": "Doses left behind", "name": "Name"}[field]]
    assert (row["Yours"], row["Stored now"]) == (str(second_value), str(first_value))
    assert table.set_index("Field").loc["Changed by", "Stored now"] == "Ana"

    button(ben, choice).click().run()
    assert not ben.exception
    record = stored(editor, form)
    if choice == MINE:
        assert record[field] == second_value and record["updated_by"] == "Ben"
        assert record["version"] == 2
        assert Store(editor).history()["who"].tolist() == ["Ben", "Ana"]
    else:
        assert record[field] == first_value and record["updated_by"] == "Ana"
        assert Store(editor).history()["who"].tolist() == ["Ana"]
        shown = (
            next(n for n in ben.number_input if n.label.startswith("Doses")).value
            if form == "leave_behind"
            else next(t for t in ben.text_input if t.label == "Name").value
        )
        assert shown == first_value, "the form reloads with the stored value"
        fill_and_save(ben, form, second_value)  # now based on the new version: no conflict
        assert stored(editor, form)[field] == second_value
        assert stored(editor, form)["version"] == 2


def test_a_form_keeps_the_version_it_was_opened_with(editor):
    """Reruns in between (another widget changed) do not refresh the version."""
    ana = open_record(sign_in(open_manage(), "Ana"), "leave_behind")
    Store(editor).save_leave_behind(
        "24001", {"status": "documented", "doses": 5}, expected_version=0, who="Someone"
    )
    ana.number_input(key="radius_widget").set_value(6.0).run()  # a rerun in between
    fill_and_save(ana, "leave_behind", 9)
    assert stored(editor, "leave_behind")["doses"] == 5
    assert any("Someone" in w.value for w in ana.warning)


def test_wrong_passwords_are_throttled_even_for_the_right_one(editor, clock):
    app = open_manage()
    for attempt in range(4):
        sign_in(app, password="wrong password")
        assert any("Wrong password" in e.value for e in app.error), attempt
        clock.t += 2  # the third failure asks for 2 s
    sign_in(app)  # the right password, 2 s after the fourth failure (which asks 4 s)
    assert not signed_in(app)
    assert any("Too many attempts: try again in 2 s" in e.value for e in app.error)

    other = sign_in(open_manage())  # another session from the same address
    assert not signed_in(other) and any("try again" in e.value for e in other.error)

    clock.t += 2
    sign_in(app)
    assert signed_in(app)


def test_an_idle_sign_in_expires(editor, clock, monkeypatch):
    monkeypatch.setenv(auth.IDLE_MINUTES_ENV, "5")
    app = sign_in(open_manage())
    assert signed_in(app)
    clock.t += 4 * 60
    app.run()
    assert signed_in(app), "activity within the limit keeps the sign-in"
    clock.t += 4 * 60
    app.run()
    assert signed_in(app), "the limit counts from the last activity"
    clock.t += 5 * 60 + 1
    app.run()
    assert not signed_in(app)
    assert any("signed out after 5 minutes" in w.value for w in app.warning)
    assert any(b.label == "Sign in" for b in app.button) and len(app.tabs) == 0


def test_a_sign_in_used_from_another_browser_is_dropped(editor):
    app = sign_in(open_manage())
    assert signed_in(app)
    app.session_state["editor_fingerprint"] = "the browser that signed in"
    app.run()
    assert not signed_in(app) and len(app.tabs) == 0
    assert any("different browser" in w.value for w in app.warning)


def test_publishing_a_change_made_on_another_draft_is_refused_plainly(fresh, monkeypatch):
    """Issue 22, item 3, as an editor sees it: publishing only Ben's closure, made on top
    of Ana's unreviewed draft of the same record, is refused naming Ana's change."""
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    store = Store(fresh)
    lb = {"status": "documented", "doses": 3}
    store.save_leave_behind("24001", lb, expected_version=0, who="Ana", place="Allegany")
    store.publish(None, who="Rev")
    store.save_leave_behind(
        "24001", {**lb, "doses": 900}, expected_version=1, who="Ana", place="Allegany"
    )
    draft = int(store.changes()["id"].max())
    store.save_leave_behind(
        "24001", {**lb, "doses": 900, "people": 5}, expected_version=2, who="Ben", place="Allegany"
    )
    newer = int(store.changes()["id"].max())
    app = sign_in(open_manage(), "Dana")
    app.multiselect(key="publish_pick").set_value([newer]).run()
    button(app, "Publish chosen").click().run()
    assert not app.exception
    (error,) = [e.value for e in app.error]
    assert f"change {draft}" in error and "by Ana" in error and "nothing was published" in error
    assert Store(fresh).published("leave_behind").set_index("fips").loc["24001", "doses"] == 3


def test_the_import_form_opens_uploads_and_signing_out_closes_them(editor, monkeypatch):
    """Only a session drawing the import form for a signed-in editor may upload
    (shell/upload_guard.py); the editor is told the rate and what a refusal looks like."""
    from shell import upload_guard

    monkeypatch.setenv("NALOXONE_UPLOAD_PER_MINUTE", "3")
    upload_guard.LEDGER.sessions.clear()
    app = open_manage()
    assert not upload_guard.LEDGER.sessions, "a visitor's session is not opened"
    sign_in(app)
    assert signed_in(app) and len(upload_guard.LEDGER.sessions) == 1
    assert any("At most 3 uploads a minute" in c.value for c in app.caption)
    button(app, "Sign out").click().run()
    assert not app.exception and not upload_guard.LEDGER.sessions
