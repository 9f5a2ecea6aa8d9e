"""The plain HTML alternative to the canvas tables (issue 28, item 7): escaped, same
headers and number formats, missing as '—', marked rows flagged in words."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo.render.html_table import cell_text, digits_of, html_table


def test_formats_and_missing():
    assert digits_of("%.2f") == 2 and digits_of("localized") == 0 and digits_of(None) is None
    assert cell_text(np.nan) == "—" and cell_text(None) == "—" and cell_text(pd.NA) == "—"
    assert cell_text(1234567.0, 0) == "1,234,567"
    assert cell_text(0.456, 2) == "0.46"
    assert cell_text(17.0) == "17"  # a rank, not 17.0
    assert cell_text("Garrett") == "Garrett"


def test_table_escapes_and_marks_the_focus():
    frame = pd.DataFrame(
        {
            "name": ["Garrett", "<script>x</script>"],
            "population": [28806.0, np.nan],
            "hidden": [1, 2],
        }
    )
    out = html_table(
        frame,
        {"name": "Jurisdiction", "population": "Residents (people)"},
        "Comparison table",
        digits={"population": 0},
        marked=[True, False],
    )
    assert "<caption>Comparison table</caption>" in out
    assert '<th scope="col">Residents (people)</th>' in out
    assert "hidden" not in out and "<script>" not in out and "&lt;script&gt;" in out
    assert '<tr class="marked"><th scope="row"><strong>Garrett</strong> (focus)</th>' in out
    assert "<td>28,806</td>" in out and "<td>—</td>" in out
