"""Figures written the reader's way: separators, Indonesian month labels on date axes, and bands drawn
as bands (no stray markers on their edges)."""

from __future__ import annotations

import pandas as pd

from dashboard import charts, palette


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


def test_english_date_axes_name_english_months_and_other_axes_are_left_alone():
    english = charts.localised(charts.trend_with_band(trend(4), {}, "t", "%"), "en")
    assert english.layout.separators == ".," and english.layout.xaxis.ticktext[:2] == ("Oct 2024", "Jan 2025")
    ranking = pd.DataFrame({"label": ["a", "b"], "value": [20.0, 10.0], "numerator": [2, 1], "denominator": [10, 10]})
    bars = charts.localised(charts.ranked_bars(ranking, "t", "anak"), "id")
    assert bars.layout.xaxis.ticktext is None and bars.layout.separators == ",."


def test_a_date_axis_without_a_hover_template_hovers_in_the_language():
    flow = pd.DataFrame({"month": pd.date_range("2025-09-01", periods=3, freq="MS"), "opened": [3, 4, 5],
                         "closed": [1, 2, 3], "median_days_to_close": [5.0, 6.5, None]})
    figure = charts.localised(charts.flow_lines(flow, {"opened": "Dibuka", "closed": "Ditutup", "median": "Median"},
                                                "t"), "id")
    assert list(figure.data[0].text) == ["Sep 2025", "Okt 2025", "Nov 2025"]
    assert figure.data[0].hovertemplate.startswith("%{text}")


def test_target_lines_say_their_value():
    ranking = pd.DataFrame({"label": ["a"], "value": [20.0], "numerator": [2], "denominator": [10]})
    figure = charts.ranked_bars(ranking, "t", "anak", (14.2, charts.target_label("target nasional 2029", 14.2, "id")))
    assert figure.layout.annotations[0].text == "target nasional 2029: 14,2%"


def test_categories_get_distinct_colours_and_meanings_keep_theirs():
    counts = pd.DataFrame({"x": ["a", "a", "b"], "state": ["Lewat SLA", "Dalam SLA", "Lewat SLA"], "count": [2, 3, 1]})
    figure = charts.counts_stacked(counts, "x", "state", "t", colours={"Lewat SLA": palette.OVERDUE})
    colours = {trace.name: trace.marker.color for trace in figure.data}
    assert colours["Lewat SLA"] == palette.WORSE.colour and colours["Dalam SLA"] != colours["Lewat SLA"]


def test_interval_bands_have_no_markers():
    figure = charts.trend_with_band(trend(4), {}, "t", "%")
    bands = [trace for trace in figure.data if trace.fill == "toself"]
    assert bands and all(trace.mode == "lines" for trace in bands)


def test_the_second_axis_ticks_at_round_values():
    """Plotly synchronises an overlaying axis with the bars' grid unless told (ticks 5,96 / 11,92 / 17,88)."""
    flow = pd.DataFrame({"month": pd.date_range("2025-01-01", periods=2, freq="MS"), "opened": [30, 41],
                         "closed": [20, 31], "median_days_to_close": [12.5, 30.58]})
    figure = charts.flow_lines(flow, {"opened": "Dibuka", "closed": "Ditutup", "median": "Median"}, "t")
    assert figure.layout.yaxis2.tickmode == "auto"


def test_more_categories_than_colours_are_grouped():
    counts = pd.DataFrame({"x": "0–7 hari", "category": [f"c{i:02d}" for i in range(17)], "count": range(1, 18)})
    figure = charts.counts_stacked(counts, "x", "category", "t", other="Kategori lain")
    names = [trace.name for trace in figure.data]
    assert len(names) == len(palette.CATEGORIES) and names[-1] == "Kategori lain"
    assert len({trace.marker.color for trace in figure.data}) == len(names)
    assert sum(sum(trace.y) for trace in figure.data) == sum(range(1, 18))        # nothing lost


def test_count_axes_tick_at_whole_numbers():
    counts = pd.DataFrame({"x": ["a", "b"], "state": ["Lewat SLA", "Lewat SLA"], "count": [1, 1]})
    figure = charts.counts_stacked(counts, "x", "state", "t", orientation="h")
    assert figure.layout.xaxis.tickformat == ",d" and figure.layout.xaxis.dtick == 1
    assert not set(palette.CATEGORIES) & {palette.WORSE.colour, palette.OVERDUE, "#e31a1c"}
