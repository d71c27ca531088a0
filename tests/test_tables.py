"""Tables as the reader sees and downloads them: numbers written by dashboard.format under values that
stay numbers, years ungrouped, "–" for a missing value, readable headings, rounded values and the area
and period first in a download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.ui import components

FRAME = pd.DataFrame({"name": ["Cikande", None], "stunting_pct": [27.04, None], "stunted": pd.array([2005, 12], "Int64"),
                      "year": [2005, 2026], "ci_low": [-1.234, 0.5]})
CONFIG = {"name": "Wilayah", "stunting_pct": st.column_config.NumberColumn("Stunting %", format="%.1f"),
          "stunted": "Anak stunting", "ci_low": st.column_config.NumberColumn("IK 95% bawah", format="%.2f")}


def test_the_screen_writes_indonesian_numbers_years_and_missing_values():
    labels, digits, config = components._columns(FRAME, CONFIG)
    shown = components.shown_frame(FRAME, digits, "id")
    assert shown.to_dict("list") == {"name": ["Cikande", "–"], "stunting_pct": ["27,0", "–"], "stunted": ["2.005", "12"],
                                     "year": ["2005", "2026"], "ci_low": ["−1,23", "0,50"]}
    assert labels["stunting_pct"] == "Stunting %" and "format" not in str(config["stunting_pct"])


def test_every_row_of_a_long_table_is_written():
    rows = pd.DataFrame({f"pct_{i}": [12.345] * 5000 for i in range(10)} | {"n": pd.array(range(5000), "Int64")})
    shown = components.shown_frame(rows, {f"pct_{i}": 1 for i in range(10)}, "id")
    assert shown.iloc[-1].tolist() == ["12,3"] * 10 + ["4.999"] and shown.notna().all().all()


def test_a_download_has_readable_headings_rounded_values_and_its_scope_first():
    labels, digits, _ = components._columns(FRAME, CONFIG)
    rows = components.download_frame(FRAME, labels, digits, ("Kabupaten Serang", "Tahun 2025"), "id")
    assert list(rows.columns[:4]) == ["Wilayah terpilih", "Periode", "Wilayah", "Stunting %"]
    assert rows["Wilayah terpilih"].eq("Kabupaten Serang").all() and rows["Periode"].eq("Tahun 2025").all()
    assert rows["Stunting %"].iloc[0] == 27.0 and rows["IK 95% bawah"].iloc[0] == -1.23


def test_a_change_is_written_with_a_real_minus_and_coloured_by_its_meaning():
    from dashboard import palette

    fell = components.change(20.0, 21.2)                              # stunting fell: better
    assert fell["delta"] == "−1,2 pp vs periode sebelumnya"
    assert (fell["delta_color"], fell["delta_arrow"]) == (palette.BETTER.metric, "down")
    rose = components.change(20.0, 21.2, lower_is_better=False)       # D/S fell: worse, the warm colour
    assert (rose["delta_color"], rose["delta_arrow"]) == (palette.WORSE.metric, "down")
    flat = components.change(20.0, 20.04)
    assert flat["delta"].startswith("0,0 pp") and flat["delta_arrow"] == "off"
    assert components.change(None, 20.0) == {"delta": None}


def test_a_change_column_is_written_with_its_sign():
    """A worsening reads "+1,2", an improvement "−0,4" (the browser's "%+.1f" is not applied to text tables)."""
    import pandas as pd

    from dashboard.ui.components import shown_frame

    frame = pd.DataFrame({"stunting_change_pp": [1.23, -0.4, None], "stunting_pct": [21.04, 3.0, 5.5]})
    shown = shown_frame(frame, {"stunting_change_pp": 1, "stunting_pct": 1}, "id")
    assert shown.stunting_change_pp.tolist() == ["+1,2", "−0,4", "–"]
    assert shown.stunting_pct.tolist() == ["21,0", "3,0", "5,5"]
