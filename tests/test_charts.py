"""Figures written the reader's way: separators, Indonesian month labels on date axes, and bands drawn
as bands (no stray markers on their edges)."""

from __future__ import annotations

import pandas as pd

from dashboard import charts


def trend(quarters: int) -> pd.DataFrame:
    starts = pd.Series(pd.date_range("2024-10-01", periods=quarters, freq="QS"))
    return pd.DataFrame({"indicator": "stunting", "period_start": starts, "prevalence": 21.0, "ci_low": 19.0,
                         "ci_high": 23.0, "numerator": 210, "denominator": 1000})


def test_indonesian_date_axes_name_indonesian_months_at_data_dates():
    figure = charts.localised(charts.trend_with_band(trend(9), {}, "t", "%"), "id")
    axis = figure.layout.xaxis
    assert figure.layout.separators == ",."
    assert axis.ticktext[:3] == ("Okt 2024", "Apr 2025", "Okt 2025")
    assert len(axis.ticktext) <= charts.MAX_DATE_TICKS
    assert set(axis.tickvals) <= set(trend(9).period_start)


def test_english_keeps_plotly_date_labels_and_other_axes_are_left_alone():
    english = charts.localised(charts.trend_with_band(trend(4), {}, "t", "%"), "en")
    assert english.layout.separators == ".," and english.layout.xaxis.ticktext is None
    ranking = pd.DataFrame({"label": ["a", "b"], "value": [20.0, 10.0], "numerator": [2, 1], "denominator": [10, 10]})
    bars = charts.localised(charts.ranked_bars(ranking, "t", "anak"), "id")
    assert bars.layout.xaxis.ticktext is None and bars.layout.separators == ",."


def test_interval_bands_have_no_markers():
    figure = charts.trend_with_band(trend(4), {}, "t", "%")
    bands = [trace for trace in figure.data if trace.fill == "toself"]
    assert bands and all(trace.mode == "lines" for trace in bands)
