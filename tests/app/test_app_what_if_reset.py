"""Access gaps: "Reset what-if" clears the what-if sites and removals without an error."""

from __future__ import annotations

from tests.app.test_app_pages import metric_values, open_app


def test_reset_what_if_after_removing_a_site(data):
    app = open_app(page="access-gaps")
    before = metric_values(app)
    garrett = data.sites[(data.sites["jurisdiction_fips"] == "24023") & data.sites["lat"].notna()][
        "id"
    ].tolist()
    app.multiselect(key="what_if_removed").set_value(garrett).run()
    assert not app.exception
    assert metric_values(app) != before
    next(b for b in app.button if b.label == "Reset what-if").click().run()
    assert not app.exception
    assert app.multiselect(key="what_if_removed").value == []
    assert metric_values(app) == before
    assert any("newly_covered_population" in f.value.columns for f in app.dataframe)
