"""The page frame under AppTest: every page gets this run's view, the data loaded with
it and its scenario from one context built once per rerun in ``dashboard.py``; the
store revision is read at most once per rerun; one scenario cache serves every page."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.analysis import metrics
from geo.config import REPO_ROOT
from geo.local import auth
from geo.local.store import Store
from geo.render import formatting
from shell.common import STORE_NOTICE
from tests.support.fast_set import first_in_fast_set
from tests.support.stores import SITE

PASSWORD = "correct horse battery"


@pytest.fixture()
def revision_reads(monkeypatch) -> list[int]:
    """One entry per read of the store's revisions (``Store.revision`` or
    ``Store.revisions``; the real methods still answer)."""
    calls: list[int] = []

    def counting(name: str):
        real = getattr(Store, name)

        def counted(self: Store, *args, **kwargs):
            calls.append(1)
            return real(self, *args, **kwargs)

        return counted

    for name in ("revision", "revisions"):
        monkeypatch.setattr(Store, name, counting(name))
    return calls


def open_app(**query: str) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=90)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def signed_in_manage() -> AppTest:
    app = open_app(page="manage")
    next(t for t in app.text_input if t.label.startswith("Your name")).set_value("Dana")
    next(t for t in app.text_input if t.label == "Editor password").set_value(PASSWORD)
    return next(b for b in app.button if b.label == "Sign in").click().run()


def listed(app: AppTest) -> str:
    return {metric.label: metric.value for metric in app.metric}["Listed access points"]


def notices(app: AppTest) -> list[str]:
    return [element.value for element in [*app.info, *app.warning, *app.error]]


def test_the_data_follow_the_view_of_the_same_run(fresh, sites, monkeypatch):
    """The data are loaded with the view the sidebar sets on this run, never with the
    previous run's (a link asking for public data loads nothing else)."""
    Store(fresh).add_sites(pd.DataFrame([SITE]), who="ana")
    Store(fresh).publish(None, who="ana")
    loads: list[bool] = []
    real = metrics.load_access_data

    def recorded(
        *, include_local: bool = False, drafts: bool = False, store_location: str | None = None
    ):
        loads.append(include_local)
        return real(include_local=include_local, drafts=drafts, store_location=store_location)

    monkeypatch.setattr(metrics, "load_access_data", recorded)
    app = open_app(data="public")
    assert not app.exception
    assert loads == [False]
    assert listed(app) == formatting.count(int((~sites["closed"]).sum()))
    app.sidebar.toggle(key="local_widget").set_value(True).run()
    assert loads == [False, True]
    assert listed(app) == formatting.count(int((~sites["closed"]).sum()) + 1), (
        "local updates on this run"
    )
    app.sidebar.toggle(key="local_widget").set_value(False).run()
    assert not app.exception
    assert listed(app) == formatting.count(int((~sites["closed"]).sum())), (
        "public data on this very run"
    )
    assert app.query_params["data"] == "public"
    assert loads == [False, True], "both were cached"


def test_public_data_need_no_store_on_the_same_run(fresh, tmp_path, monkeypatch, sites):
    """Switching local updates off while the store is down: no store notice on that run,
    since the data shown no longer need the store."""
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"this is not a database " * 200)
    monkeypatch.setenv("NALOXONE_STORE", str(damaged))
    app = open_app()
    assert notices(app).count(STORE_NOTICE) == 1
    app.sidebar.toggle(key="local_widget").set_value(False).run()
    assert not app.exception
    assert STORE_NOTICE not in notices(app)
    assert listed(app) == formatting.count(int((~sites["closed"]).sum()))

    linked = open_app(data="public")  # a link asking for public data: the first run too
    assert not linked.exception and STORE_NOTICE not in notices(linked)


@pytest.mark.parametrize(
    "page", first_in_fast_set(["overview", "leave-behind", "compare", "access-gaps", "data"])
)
def test_the_store_revision_is_read_once_per_rerun(fresh, revision_reads, page):
    Store(fresh).add_sites(pd.DataFrame([SITE]), who="ana")
    app = open_app(page=page)
    assert not app.exception
    revision_reads.clear()
    app.run()
    assert not app.exception
    assert len(revision_reads) == 1
    revision_reads.clear()
    app.sidebar.number_input(key="radius_widget").set_value(7.0).run()
    assert len(revision_reads) == 1
    revision_reads.clear()
    app.sidebar.toggle(key="local_widget").set_value(False).run()
    assert not app.exception
    assert revision_reads == [], "public data do not ask the store"


def test_the_manage_page_reads_the_revision_once_per_rerun(fresh, revision_reads, monkeypatch):
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    app = signed_in_manage()
    assert not app.exception and len(app.tabs) == 5
    revision_reads.clear()
    app.run()
    assert not app.exception and len(app.tabs) == 5
    assert len(revision_reads) == 1
    revision_reads.clear()
    app.sidebar.toggle(key="local_widget").set_value(False).run()
    assert len(revision_reads) == 1, "the Manage page reads the store whatever the view"


def test_one_scenario_serves_every_page(fresh, monkeypatch):
    """The nearest-site work is done once for a view, however many pages and tables
    use it (the Scenario cache), and again only when the scenario changes."""
    calls: list[int] = []
    real = metrics.nearest_sites

    def counted(data, selected):
        calls.append(len(selected))
        return real(data, selected)

    monkeypatch.setattr(metrics, "nearest_sites", counted)
    app = open_app(page="access-gaps")
    assert not app.exception
    for page in ("overview", "compare", "data", "access-gaps"):
        other = open_app(page=page)
        assert not other.exception, page
    assert len(calls) == 1
    app.slider(key="k_recommend").set_value(3).run()
    assert len(calls) == 1, "recommendations reuse the scenario's nearest sites"
    app.sidebar.multiselect(key="types_widget").set_value(["pharmacy"]).run()
    assert not app.exception
    assert len(calls) == 2


def test_importing_a_site_list(fresh, monkeypatch):
    """The Import tab end to end: a valid and an invalid row, the report, the import."""
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    app = signed_in_manage()
    rows = (
        b"name,type,lat,lon\nHarbor Test Pharmacy,pharmacy,39.2904,-76.6122\n"
        b"Far Away,pharmacy,40.9,-76.6\n"
    )
    app.file_uploader(key="import_file").set_value(("new.csv", rows, "text/csv")).run()
    assert not app.exception
    assert any("**1** valid row(s), **1** rejected." in m.value for m in app.markdown)
    rejected = next(d.value for d in app.dataframe if "reason" in d.value.columns)
    assert "outside Maryland" in rejected["reason"].iloc[0]
    next(b for b in app.button if b.label == "Import 1 valid row(s)").click().run()
    assert not app.exception
    assert any("Imported 1 site(s) as a draft change" in s.value for s in app.success)
    stored = Store(fresh).sites()
    assert stored["name"].tolist() == ["Harbor Test Pharmacy"]
    assert stored["updated_by"].tolist() == ["Dana"]


def test_pages_are_routes_and_screens_run_nothing_at_import():
    """``dashboard.py`` lists the scripts in pages/: each is a route that runs one screen's
    ``render`` through the page frame, named as its URL so Streamlit's legacy router finds
    it too. Every module in pages/screens/ and shell/ only defines: imports, definitions,
    constants."""
    import ast

    shell_modules = {"frame", "common", "map_widget", "data_caches", "heap", "warm", "downloads"}
    assert not shell_modules & {p.stem for p in (REPO_ROOT / "pages" / "screens").glob("*.py")}
    listed = re.findall(
        r'st\.Page\(\s*"pages/([\w-]+)\.py"', (REPO_ROOT / "dashboard.py").read_text()
    )
    routes = sorted(p.stem for p in (REPO_ROOT / "pages").glob("*.py") if p.stem != "__init__")
    assert sorted(listed) == routes and "access-gaps" in routes
    assert all(f'url_path="{name}"' in (REPO_ROOT / "dashboard.py").read_text() for name in routes)
    for name in routes:
        body = ast.parse((REPO_ROOT / "pages" / f"{name}.py").read_text()).body
        assert ast.unparse(body[-1]) == "run_page(render)", name
        assert len(body) == 4, name  # docstring, two imports, the call
    allowed = (
        ast.Import,
        ast.ImportFrom,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Assign,
        ast.AnnAssign,
    )
    bodies = sorted((REPO_ROOT / "pages" / "screens").glob("*.py"))
    for path in [*bodies, *sorted((REPO_ROOT / "shell").glob("*.py"))]:
        for node in ast.parse(path.read_text()).body:
            docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            typing_only = isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
            assert docstring or typing_only or isinstance(node, allowed), (path.name, node.lineno)
            if isinstance(node, ast.Assign | ast.AnnAssign):
                calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
                assert all(
                    ast.unparse(c.func)
                    in (
                        "logging.getLogger",
                        "DataKey",
                        "TypeVar",
                        "re.compile",
                        "threading.Lock",
                        "_shared_ledger",
                        "N_",
                    )  # the upload ledger: one per process, by design; N_ marks text only
                    for c in calls
                ), (path.name, node.lineno)
