"""Manage data, Import sites: a likely duplicate (same type within 25 m of a listed site
under another name) is imported only after the editor confirms it."""

from __future__ import annotations

from geo.local import auth
from geo.local.store import Store
from tests.app.test_app_frame import PASSWORD, signed_in_manage

ROWS = (
    b"name,type,lat,lon\nHarbor Test Pharmacy,pharmacy,39.2904,-76.6122\n"
    b"CVS Pharmacy Oakland,pharmacy,39.413820,-79.404166\n"
)  # 0.5 m from CVS Pharmacy


def test_a_likely_duplicate_needs_the_editors_confirmation(fresh, monkeypatch):
    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    app = signed_in_manage()
    app.file_uploader(key="import_file").set_value(("new.csv", ROWS, "text/csv")).run()
    assert not app.exception
    assert any("**1** valid row(s), **1** rejected." in m.value for m in app.markdown)
    assert any("look like a site already listed" in w.value for w in app.warning)
    rejected = next(d.value for d in app.dataframe if "reason" in d.value.columns)
    assert "likely duplicate of existing site osm_rx_0174" in rejected["reason"].iloc[0]

    app.checkbox(key="confirm_duplicates").check().run()
    assert not app.exception
    assert any("**2** valid row(s), **0** rejected." in m.value for m in app.markdown)
    next(b for b in app.button if b.label == "Import 2 valid row(s)").click().run()
    assert not app.exception
    assert any("Imported 2 site(s) as a draft change" in s.value for s in app.success)
    assert sorted(Store(fresh).sites()["name"]) == ["CVS Pharmacy Oakland", "Harbor Test Pharmacy"]


def test_other_widgets_do_not_validate_the_file_again(fresh, monkeypatch):
    """Validation is per (file, column matching, data revision, confirmation): a radius
    change reruns the page without validating again; a new matching does validate."""
    from geo.local import importing

    monkeypatch.setenv("NALOXONE_EDITOR_PASSWORD_HASH", auth.hash_password(PASSWORD))
    calls: list[bool] = []
    real = importing.validate
    monkeypatch.setattr(
        importing,
        "validate",
        lambda *a, **k: calls.append(k.get("confirm_duplicates", False)) or real(*a, **k),
    )
    app = signed_in_manage()
    app.file_uploader(key="import_file").set_value(("new.csv", ROWS, "text/csv")).run()
    assert calls == [False]
    app.number_input(key="radius_widget").set_value(7.0).run()
    app.number_input(key="radius_widget").set_value(8.0).run()
    assert not app.exception and calls == [False]
    app.checkbox(key="confirm_duplicates").check().run()
    assert calls == [False, True]
    app.number_input(key="radius_widget").set_value(6.0).run()
    assert calls == [False, True]
    assert any("**2** valid row(s), **0** rejected." in m.value for m in app.markdown)
