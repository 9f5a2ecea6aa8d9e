"""Issue 12: the Access gaps page names recommended locations by place, in the view's unit,
with the GeoNames attribution and a CSV of the same table."""

from __future__ import annotations

from geo.analysis import metrics
from tests.app.test_app_pages import open_app, recommendation_table


def test_recommendations_are_named_by_place_in_the_views_unit(data):
    app = open_app(page="access-gaps", r="8", unit="km", k="3")
    assert not app.exception
    shown = recommendation_table(app)
    expected = metrics.recommend_sites(
        data, metrics.select_sites(data), 3, 8000.0, gap_measure="deaths"
    )
    assert shown["candidate_id"].tolist() == expected["candidate_id"].tolist()
    assert shown.columns[1] == "place"
    assert (
        shown["place"].str.match(r"^(near|[a-z-]+ of) .+, .+ (County|City) \(\d+\.\d km\)$").all()
    )
    assert "nearest_town_distance_km" in shown and "nearest_town_distance_miles" not in shown
    captions = [caption.value.replace("\\", "") for caption in app.caption]
    assert any("© GeoNames, CC BY 4.0" in text and "in km," in text for text in captions)
    labels = {button.proto.label for button in app.get("download_button")}
    assert "Download the recommended locations (CSV)" in labels

    app = open_app(page="access-gaps", k="2")
    assert recommendation_table(app)["place"].str.endswith(" mi)").all()
