"""Maryland's drug-induced death count as the range it is known to lie in (issue 28,
item 4): published counts summed, plus 0-9 for each county-year CDC WONDER suppressed."""

from __future__ import annotations

import pandas as pd

from geo.analysis.ranking import death_count_range
from geo.data import layers


def test_hand_computed_range():
    burden = pd.DataFrame(
        {
            "fips": ["24001", "24001", "24023", "24023"],
            "name": ["Allegany", "Allegany", "Garrett", "Garrett"],
            "year": [2022, 2023, 2022, 2023],
            "deaths": pd.array([37, 47, None, 12], dtype="Int64"),
        }
    )
    whole = death_count_range(burden)
    assert (whole.low, whole.high) == (96, 105)
    assert whole.suppressed == (("Garrett", 2022),)
    assert whole.text() == "96–105" and whole.why() == "Garrett 2022"
    allegany = death_count_range(burden, "24001")
    assert (allegany.low, allegany.high, allegany.text()) == (84, 84, "84")


def test_real_data_three_suppressed_county_years():
    burden = layers.load_burden()
    known = int(pd.to_numeric(burden["deaths"], errors="coerce").sum())
    found = death_count_range(burden)
    assert found.suppressed == (("Garrett", 2022), ("Kent", 2022), ("Kent", 2023))
    assert (found.low, found.high) == (known, known + 27)
    assert found.why() == "Garrett 2022, Kent 2022 and Kent 2023"
