"""Every dashboard page under Streamlit's AppTest: it runs, its key numbers equal the
library's, and changing a widget changes them."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.analysis import metrics
from geo.config import PROCESSED_DIR, REPO_ROOT
from geo.render import formatting

TIMEOUT = 90


def open_app(**query: str) -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key, value in query.items():
        app.query_params[key] = value
    return app.run()


def open_listing(app: AppTest) -> AppTest:
    """Open the Overview's table of every listed site (drawn only when opened)."""
    from pages.screens.overview import LISTING_KEY

    app.session_state[LISTING_KEY] = True
    return app.run()


def recommendation_table(app: AppTest):
    return next(
        frame.value for frame in app.dataframe if "newly_covered_population" in frame.value.columns
    )


def metric_values(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


def library_table(data, miles=5.0, types=None, **what_if):
    return metrics.jurisdiction_metrics(
        data, metrics.select_sites(data, types, **what_if), metrics.radius_m_from(miles=miles)
    ).set_index("fips")


def test_overview_numbers_follow_the_library_and_the_radius(data, sites):
    app = open_app()
    assert not app.exception
    values = metric_values(app)
    assert values["Listed access points"] == formatting.count(int((~sites["closed"]).sum()))
    expected = library_table(data).loc["24", "pct_pop_within_radius"]
    assert values["Residents within 5 miles (Maryland)"] == formatting.percent(expected)
    assert values["Jurisdictions with leave-behind evidence"] == "6 of 24"
    assert any("7,844" in info.value for info in app.info)

    app.sidebar.number_input(key="radius_widget").set_value(10.0).run()
    assert not app.exception
    wider = library_table(data, 10).loc["24", "pct_pop_within_radius"]
    assert metric_values(app)["Residents within 10 miles (Maryland)"] == formatting.percent(wider)
    assert wider > expected
    assert app.query_params["r"] == "10"


def test_overview_site_types_change_counts(sites):
    app = open_app()
    app.sidebar.multiselect(key="types_widget").set_value(["pharmacy"]).run()
    assert not app.exception
    pharmacies = int(((sites["type"] == "pharmacy") & ~sites["closed"]).sum())
    assert metric_values(app)["Listed access points"] == formatting.count(pharmacies)
    app.sidebar.multiselect(key="types_widget").set_value([]).run()
    assert not app.exception
    assert any("at least one site type" in w.value for w in app.sidebar.warning)


def test_leave_behind_page(leave_behind):
    app = open_app(page="leave-behind")
    assert not app.exception
    assert [t.value for t in app.title] == ["EMS naloxone leave-behind"]
    values = metric_values(app)
    assert values["Doses left behind, 2018-2021"] == "7,844"
    assert values["People reached (approx.), 2018-2021"] == "2,899"
    assert values["Jurisdictions with programs, 2018-2021"] == "13"
    table = app.dataframe[0].value
    assert len(table) == 24
    unknown = table["status"].str.startswith("Unknown").sum()
    assert unknown == int((leave_behind["status"] == "no public evidence found").sum())
    app.toggle[0].set_value(False).run()
    assert not app.exception


def test_compare_page_focus_against_state(data):
    app = open_app(page="compare", focus="24021")
    assert not app.exception
    table = library_table(data)
    values = metric_values(app)
    assert values["Sites per 100,000 residents: Frederick"] == formatting.decimal(
        table.loc["24021", "sites_per_100k"]
    )
    assert values["Residents within 5 miles: Frederick"] == formatting.percent(
        table.loc["24021", "pct_pop_within_radius"]
    )
    assert len(app.dataframe[0].value) == 25

    app.sidebar.selectbox(key="focus_widget").set_value("24023").run()
    assert not app.exception
    values = metric_values(app)
    assert values["Sites per 100,000 residents: Garrett"] == formatting.decimal(
        table.loc["24023", "sites_per_100k"]
    )
    # Issue 16: Garrett is rated on its published 2023 count (2022 suppressed), not missing.
    assert values["Drug-induced deaths per 100,000 a year: Garrett"] == formatting.decimal(
        table.loc["24023", "death_rate_per_100k"]
    )
    rate = next(m for m in app.metric if m.label.startswith("Drug-induced deaths per 100,000"))
    assert "2023 only" in rate.help
    shown = app.dataframe[0].value.set_index("fips")
    assert shown.loc["24023", "rate_source"] == "CDC WONDER 2023 only (2022 suppressed)"
    assert shown.loc["24029", "rate_source"].startswith("Maryland rate")
    assert (
        shown.loc["24001", "svi_overall"]
        == data.context.set_index("fips").loc["24001", "svi_overall"]
    )
    assert pd.isna(shown.loc["24", "svi_overall"])
    assert any("SVI 2022" in c.value for c in app.caption)
    app.selectbox(key="context_layer").set_value("opioid_rx_per_100").run()
    assert not app.exception

    app.multiselect(key="compare_choice").set_value(["24001", "24003"]).run()
    shown = app.dataframe[0].value
    assert set(shown["fips"]) == {"24001", "24003", "24023", "24"}


def test_access_gaps_page_recommendations_and_what_if(data):
    app = open_app(page="access-gaps")
    assert not app.exception
    table = library_table(data)
    label = "Residents farther than 5 miles (Maryland)"
    assert metric_values(app)[label] == formatting.count(table.loc["24", "uncovered_population"])
    recommended = recommendation_table(app)
    expected = metrics.recommend_sites(
        data, metrics.select_sites(data), 5, metrics.radius_m_from(miles=5), gap_measure="deaths"
    )
    assert (
        recommended["newly_covered_population"].tolist()
        == expected["newly_covered_population"].tolist()
    )

    app.slider(key="k_recommend").set_value(8).run()
    assert len(recommendation_table(app)) == 8

    top = expected.iloc[0]
    app.number_input(key="what_if_lat").set_value(float(top["lat"]))
    app.number_input(key="what_if_lon").set_value(float(top["lon"]))
    next(b for b in app.button if b.label == "Add site at these coordinates").click().run()
    assert not app.exception
    after = library_table(
        data,
        added=metrics.pd.DataFrame({"lat": [round(top["lat"], 6)], "lon": [round(top["lon"], 6)]}),
    )
    assert metric_values(app)[label] == formatting.count(after.loc["24", "uncovered_population"])
    assert after.loc["24", "uncovered_population"] < table.loc["24", "uncovered_population"]
    assert any(m.label == label and m.delta for m in app.metric)

    # A point outside Maryland is refused with a message; the page stays up.
    app.number_input(key="what_if_lat").set_value(39.79)
    app.number_input(key="what_if_lon").set_value(-76.70)
    next(b for b in app.button if b.label == "Add site at these coordinates").click().run()
    assert not app.exception
    assert any("outside Maryland" in e.value for e in app.error)

    garrett = data.sites[(data.sites["jurisdiction_fips"] == "24023") & data.sites["lat"].notna()][
        "id"
    ].tolist()
    app.multiselect(key="what_if_removed").set_value(garrett).run()
    assert not app.exception
    app.sidebar.selectbox(key="focus_widget").set_value("24023").run()
    removed = library_table(
        data,
        removed_ids=garrett,
        added=metrics.pd.DataFrame({"lat": [round(top["lat"], 6)], "lon": [round(top["lon"], 6)]}),
    )
    assert metric_values(app)["Residents farther than 5 miles (Garrett)"] == formatting.count(
        removed.loc["24023", "uncovered_population"]
    )


def ranking_table(app: AppTest):
    return next(frame.value for frame in app.dataframe if "rank_range" in frame.value.columns)


def test_access_gaps_ranks_every_jurisdiction_with_its_rate_source(data):
    app = open_app(page="access-gaps")
    assert not app.exception
    ranking = ranking_table(app).set_index("name")
    assert len(ranking) == 24 and ranking["gap_rank"].notna().all()
    assert ranking.loc["Garrett", "rate_source"] == "CDC WONDER 2023 only (2022 suppressed)"
    assert ranking.loc["Kent", "rate_source"].startswith("Maryland rate 2022-2023")
    table = library_table(data)
    garrett = table.loc["24023"]
    assert (
        ranking.loc["Garrett", "rank_range"]
        == f"{garrett['gap_rank_low']}–{garrett['gap_rank_high']}"
    )
    assert ranking.loc["Garrett", "rate_interval"] == "24.4–78.2"
    assert any("residents beyond reach" in latex.value for latex in app.latex)

    app.radio(key="gap_widget").set_value("svi").run()
    assert not app.exception
    assert app.query_params["gap"] == "svi"
    svi = ranking_table(app).set_index("name")
    expected = metrics.jurisdiction_metrics(
        data, metrics.select_sites(data), metrics.radius_m_from(miles=5), gap_measure="svi"
    ).set_index("name")
    assert svi["gap_rank"].to_dict() == expected.loc[svi.index, "gap_rank"].to_dict()
    assert any("SVI 2022" in latex.value for latex in app.latex)


def test_a_link_keeps_the_gap_measure():
    app = open_app(page="access-gaps", gap="residents")
    assert not app.exception
    assert app.radio(key="gap_widget").value == "residents"
    ranking = ranking_table(app)
    assert ranking["gap_score"].tolist() == ranking["uncovered_population"].tolist()


def test_tract_table_names_the_nearest_site_and_skips_empty_tracts(data):
    app = open_app(page="access-gaps")
    tracts = next(
        frame.value for frame in app.dataframe if "nearest_site_name" in frame.value.columns
    )
    assert (tracts["population"] > 0).all()
    assert len(tracts) == int((data.population["population"] > 0).sum())
    names = dict(zip(data.sites["id"], data.sites["name"], strict=True))
    assert tracts["nearest_site_name"].tolist() == tracts["nearest_site_id"].map(names).tolist()


def test_data_and_methods_page():
    app = open_app(page="data")
    assert not app.exception
    sources = app.dataframe[0].value
    from geo.data.catalog import RAW_SOURCES

    assert len(sources) == len(RAW_SOURCES)  # with the SVI file, gazetteer and SSP schedules
    assert sources["title"].str.contains("SVI 2022").any()
    assert sources["licence"].str.contains("CC BY 4.0 \\(GeoNames\\)").any()
    assert sources["licence"].str.contains("ODbL").any()
    assert any("2SFCA" in md.value for md in app.markdown)
    methods = next(md.value for md in app.markdown if "2SFCA" in md.value)
    assert "Garwood" in methods and "Why the Maryland rate for Kent" in methods


def test_a_copied_link_reopens_the_view():
    app = open_app(page="compare", focus="24001", r="8", unit="km", types="pharmacy")
    assert not app.exception
    assert app.sidebar.number_input(key="radius_widget").value == 8.0
    assert app.sidebar.radio(key="unit_widget").value == "km"
    assert app.sidebar.selectbox(key="focus_widget").value == "24001"
    assert app.sidebar.multiselect(key="types_widget").value == ["pharmacy"]
    assert [t.value for t in app.title] == ["Compare jurisdictions"]
    assert app.query_params["focus"] == "24001"


def test_a_bad_link_still_opens():
    app = open_app(focus="99999", r="-4", unit="furlongs", types="unicorn", page="nope")
    assert not app.exception
    assert app.sidebar.number_input(key="radius_widget").value == 5.0
    assert app.sidebar.selectbox(key="focus_widget").value == "24"
    assert len(app.toast) >= 4


def test_damaged_data_file_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED_DIR, processed)
    (processed / "sites.parquet").write_bytes(b"not parquet")
    monkeypatch.setattr("geo.data.layers.PROCESSED_DIR", processed)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        app = open_app()
        assert not app.exception
        # error text is Markdown-escaped (sites\.parquet); what a reader sees names the file
        assert any("sites.parquet" in e.value.replace("\\", "") for e in app.error)
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


@pytest.mark.parametrize(
    "page, prefix",
    [
        ("overview", "naloxone-sites"),
        ("leave-behind", "ems-leave-behind"),
        ("access-gaps", "naloxone-access-gaps"),
    ],
)
def test_every_map_page_offers_html_png_svg_pdf(page, prefix):
    app = open_app(page=page)
    assert not app.exception
    ids = [button.proto.id for button in app.get("download_button")]
    for fmt in ("html", "png", "svg", "pdf"):
        assert any(i.endswith(f"{prefix}_{fmt}") for i in ids), fmt


@pytest.mark.parametrize("page", ["overview", "compare"])
def test_briefing_button_for_the_focus(page):
    app = open_app(page=page, focus="24043")
    assert not app.exception
    labels = [button.proto.label for button in app.get("download_button")]
    assert "Briefing PDF: Washington" in labels


def _all_element_text(app: AppTest) -> str:
    """Every element's proto as text (labels, bodies, help), sidebar and toasts included."""
    return "\n".join(
        str(node.proto) for node in app._tree if getattr(node, "proto", None) is not None
    )


def test_link_values_are_never_rendered_as_markdown():
    hostile = "![t](http://host/track.png)"
    app = open_app(
        focus=hostile, types=hostile, unit=hostile, page=hostile, r=hostile, data=hostile
    )
    assert not app.exception
    assert len(app.toast) >= 5, "each bad value is still reported"
    assert any("focus jurisdiction in the link" in toast.value for toast in app.toast)
    text = _all_element_text(app)
    assert "http://host" not in text and "![" not in text and "track.png" not in text


def test_data_text_in_markdown_is_literal(tmp_path, monkeypatch):
    """Cited sources and dates reach captions literally; a local record's non-web link is
    not offered as a link."""
    from geo.data import layers
    from geo.local.store import Store

    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED_DIR, processed)
    facts = layers.load_cited_facts()
    facts["source_url"] = "javascript:alert(1)"
    facts["source_date"] = "![x](http://host/i.png)"
    facts.to_parquet(processed / "cited_facts.parquet", index=False)
    monkeypatch.setattr("geo.data.layers.PROCESSED_DIR", processed)
    store = str(tmp_path / "store.sqlite")
    Store(store).save_leave_behind(
        "24001",
        {
            "status": "documented",
            "evidence": "![e](http://host/e.png)",
            "source_url": "javascript:alert(2)",
        },
        expected_version=0,
        who="test",
    )
    Store(store).publish(None, who="test")  # visitors see published updates only
    monkeypatch.setenv("NALOXONE_STORE", store)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        for page in ("overview", "leave-behind"):
            app = open_app(page=page)
            assert not app.exception
            shown = "\n".join(str(e.proto) for e in [*app.info, *app.caption, *app.markdown])
            assert "Maryland Department of Health" in shown, page
            assert "javascript:" not in shown and "http://host" not in shown, page
            assert "![" not in shown, page
        table = next(frame.value for frame in app.dataframe if "link" in frame.value.columns)
        links = table.set_index("name")["link"]
        assert links.isna()["Allegany"] and links.dropna().str.startswith("http").all()
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


def test_corrupted_geometry_gives_a_message_not_a_geos_error(tmp_path, monkeypatch):
    from shapely.geometry import MultiPolygon, Polygon

    from geo.data import layers

    processed = tmp_path / "processed"
    shutil.copytree(PROCESSED_DIR, processed)
    frame = layers.load_jurisdictions()
    frame.loc[0, "geometry"] = MultiPolygon(
        [Polygon([(-78.9, 39.2), (-78.3, 39.7), (-78.3, 39.2), (-78.9, 39.7)])]
    )
    frame.to_parquet(processed / "jurisdictions.parquet", index=False)
    monkeypatch.setattr("geo.data.layers.PROCESSED_DIR", processed)
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        for page in ("overview", "leave-behind", "access-gaps"):
            app = open_app(page=page, focus="24001")
            assert not app.exception, page
            shown = [e.value.replace("\\", "") for e in app.error]  # Markdown-escaped
            assert any("jurisdictions.parquet" in text and "geometry" in text for text in shown), (
                page
            )
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()


def test_overview_with_a_focus_describes_the_focus(data, sites):
    """Issue 28, item 2: with Garrett focused the title, "Sites by type", the "at a
    glance" figures and the site table described Maryland."""
    app = open_listing(open_app(focus="24023"))
    assert not app.exception
    assert [t.value for t in app.title] == ["Naloxone access in Garrett County"]
    headers = [h.value for h in app.subheader]
    assert "Sites by type: Garrett County" in headers
    assert "Garrett County at a glance" in headers and "Maryland at a glance" not in headers
    garrett = sites[sites["jurisdiction_fips"] == "24023"]
    by_type = app.table[0].value
    assert int(by_type["Listed"].sum()) == int((~garrett["closed"]).sum())  # Rite Aid closed
    assert int(by_type["Listed in Maryland"].sum()) == int((~sites["closed"]).sum())
    row = library_table(data).loc["24023"]
    glance = " ".join(m.value for m in app.markdown)
    assert f"{formatting.decimal(row['sites_per_100k'])} mapped sites per 100,000" in glance
    assert "(Maryland: " in glance
    listing = next(f.value for f in app.dataframe if "address" in f.value.columns)
    assert set(listing["jurisdiction"]) == {"Garrett"} and len(listing) == len(garrett)
    info = " ".join(i.value for i in app.info)
    assert "does not name the jurisdictions" in info  # why 13 differs from "6 of 24"


def test_access_gaps_tables_have_plain_alternatives():
    """Issue 28, item 7: the ranking and recommendation grids are canvases whose rows are
    not in the page text; each has a plain HTML table (escaped) in an expander."""
    app = open_app(page="access-gaps")
    assert not app.exception
    labels = [e.label for e in app.expander]
    assert "Jurisdictions ranked by access gap: as a plain table (screen readers, copying)" in (
        labels
    )
    plain = [h.proto.body for h in app.get("html") if "plain-table" in h.proto.body]
    ranked = next(p for p in plain if "Jurisdictions ranked by access gap" in p)
    assert ranked.count("<tr") == 25  # header and the 24 jurisdictions
    assert "Garrett" in ranked and '<th scope="col">Rank</th>' in ranked
