"""Plotly figures for the pages. No Streamlit here: each function takes a query result and the
labels to show, and returns a figure whose hover always carries numerator and denominator."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import format as fmt
from dashboard import palette

STRATA_COLOURS = palette.STRATA
SEX_COLOURS = palette.SEX
LAYOUT = dict(template="plotly_white", margin=dict(l=10, r=10, t=95, b=10), height=420,
              legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))


MAX_DATE_TICKS = 8


def localised(figure: go.Figure, lang: str) -> go.Figure:
    """The figure in the reader's language, as ``dashboard.format`` writes values: Plotly's decimal and
    thousands marks (ticks, labels, hovers: 21,0% and 10.345 in Indonesian), and a date axis labelled
    with the language's month names ("Okt 2025" / "Oct 2025"), which Plotly's bundled locale cannot do,
    in its ticks and in the hover of traces that have no template of their own."""
    figure.update_layout(separators=fmt.separators(lang))
    if days := _x_dates(figure):
        step = -(-len(days) // MAX_DATE_TICKS)
        ticks = days[::step]
        figure.update_xaxes(tickvals=ticks, ticktext=[fmt.month(d, lang, short=True) for d in ticks])
        for trace in figure.data:
            if trace.hovertemplate is None and trace.hoverinfo != "skip" and trace.x is not None:
                trace.update(text=[fmt.month(d, lang, short=True) for d in pd.to_datetime(pd.Series(trace.x))],
                             hovertemplate="%{text}: %{y:,}<extra>%{fullData.name}</extra>")
    return figure


def _x_dates(figure: go.Figure) -> list[pd.Timestamp]:
    """The distinct dates on the x axis, when it is a date axis (all x values are dates)."""
    values = [v for trace in figure.data if getattr(trace, "x", None) is not None for v in trace.x]
    if not values or not all(isinstance(v, (date, np.datetime64)) for v in values):
        return []
    return sorted(pd.to_datetime(pd.Series(values)).dropna().unique())


def _figure(title: str) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(title=dict(text=title, font=dict(size=14), y=0.98, yanchor="top"), **LAYOUT)
    return figure


def trend_with_band(frame: pd.DataFrame, names: dict[str, str], title: str, y_title: str,
                    highlight: tuple | None = None) -> go.Figure:
    """One line per indicator with its 95% interval as a band; hover: value, n/N, interval.

    ``highlight`` (start, end) shades the chosen period, so the series shows where it sits.
    """
    figure = _figure(title)
    if highlight is not None:
        figure.add_vrect(x0=highlight[0], x1=highlight[1], fillcolor="#888", opacity=0.12, line_width=0, layer="below")
    colours = ["#b2182b", "#67001f", "#2166ac"]
    for colour, (indicator, rows) in zip(colours, frame.groupby("indicator", sort=False)):
        x = rows.period_start
        figure.add_scatter(x=pd.concat([x, x[::-1]]), y=pd.concat([rows.ci_high, rows.ci_low[::-1]]), fill="toself",
                           fillcolor=colour, opacity=0.15, line=dict(width=0), mode="lines", hoverinfo="skip",
                           showlegend=False)
        figure.add_scatter(x=x, y=rows.prevalence, name=names.get(indicator, indicator), mode="lines+markers",
                           line=dict(color=colour), customdata=rows[["numerator", "denominator", "ci_low", "ci_high"]],
                           hovertemplate="%{y:.1f}% (%{customdata[0]:,}/%{customdata[1]:,})<br>"
                                         "95% CI %{customdata[2]:.1f}-%{customdata[3]:.1f}<extra>%{fullData.name}</extra>")
    figure.update_yaxes(title=y_title, rangemode="tozero")
    return figure


def stacked_by_group(frame: pd.DataFrame, x: str, parts: dict[str, str], total: str, facet: str, facet_names: dict,
                     title: str, y_title: str) -> go.Figure:
    """Stacked bars of counts (e.g. severe + moderate) per x, side by side per facet value, as % of ``total``."""
    figure = _figure(title)
    colours = ["#67001f", "#ef8a62", "#fddbc7"]
    for offset, (value, rows) in enumerate(frame.groupby(facet, sort=True)):
        for colour, (column, label) in zip(colours, parts.items()):
            share = 100 * rows[column] / rows[total].where(rows[total] > 0)
            figure.add_bar(x=rows[x], y=share, name=f"{label} · {facet_names.get(value, value)}",
                           offsetgroup=str(value), legendgroup=str(value), marker_color=colour,
                           marker_pattern_shape="" if offset == 0 else "/",
                           customdata=np.stack([rows[column], rows[total]], axis=1),
                           hovertemplate="%{y:.1f}% (%{customdata[0]:,}/%{customdata[1]:,})<extra>%{fullData.name}</extra>")
    figure.update_layout(barmode="relative")
    figure.update_yaxes(title=y_title)
    return figure


def haz_against_who(frame: pd.DataFrame, title: str, observed: str, standard: str) -> go.Figure:
    """Share of children per 0.25 SD bin of HAZ beside the WHO standard (normal, mean 0, SD 1)."""
    figure = _figure(title)
    total = frame.children.sum()
    figure.add_bar(x=frame.bin + 0.125, y=100 * frame.children / total, width=0.25, name=observed,
                   marker_color="#ef8a62", customdata=np.stack([frame.children, np.full(len(frame), total)], axis=1),
                   hovertemplate="HAZ %{x:.2f}: %{y:.1f}% (%{customdata[0]:,}/%{customdata[1]:,})<extra></extra>")
    grid = np.linspace(-5, 5, 201)
    figure.add_scatter(x=grid, y=100 * 0.25 * np.exp(-grid ** 2 / 2) / np.sqrt(2 * np.pi), name=standard, line=dict(color="#2166ac"),
                       hovertemplate="%{y:.1f}%<extra>WHO</extra>")
    figure.add_vline(x=-2, line_dash="dash", line_color="#67001f")
    figure.update_xaxes(title="HAZ (z-score TB/U)", range=[-5, 5])
    figure.update_yaxes(title="%")
    return figure


def strata_bars(frame: pd.DataFrame, y: str, strata_names: dict[str, str], title: str, orientation: str = "h") -> go.Figure:
    """Posyandu counts per strata, stacked per area (or per year), coloured by the usual strata colours."""
    figure = _figure(title)
    totals = frame.groupby(y).posyandu.transform("sum")
    for strata, colour in STRATA_COLOURS.items():
        rows = frame[frame.computed_strata == strata]
        share_of = totals[rows.index]
        values, cats = rows.posyandu, rows[y].astype(str)
        figure.add_bar(x=values if orientation == "h" else cats, y=cats if orientation == "h" else values,
                       orientation=orientation, name=strata_names.get(strata, strata), marker_color=colour,
                       customdata=np.stack([values, share_of], axis=1),
                       hovertemplate="%{customdata[0]:,}/%{customdata[1]:,} posyandu<extra>%{fullData.name}</extra>")
    figure.update_layout(barmode="stack", height=max(300, 28 * frame[y].nunique() + 120) if orientation == "h" else 380)
    (figure.update_xaxes if orientation == "h" else figure.update_yaxes)(tickformat=",d", rangemode="tozero")
    return figure


def counts_stacked(frame: pd.DataFrame, x: str, colour: str, title: str, orientation: str = "v",
                   total_label: str = "", colours: dict[str, str] | None = None, other: str = "") -> go.Figure:
    """Counts per x stacked by ``colour`` (e.g. open referrals by age bucket and category). ``colours`` maps a
    value to its meaning's colour (e.g. overdue); other values take distinct categorical colours in turn, and
    beyond the palette's twelve the smallest are summed as ``other`` (when given), so no two share a colour."""
    figure = _figure(title)
    frame = _grouped(frame, x, colour, other) if other else frame
    totals = frame.groupby(x)["count"].sum()
    for n, (value, rows) in enumerate(frame.groupby(colour, sort=False)):
        share_of = totals.reindex(rows[x]).to_numpy()
        args = dict(x=rows[x], y=rows["count"]) if orientation == "v" else dict(x=rows["count"], y=rows[x])
        figure.add_bar(**args, orientation=orientation, name=str(value),
                       marker_color=(colours or {}).get(value, palette.CATEGORIES[n % len(palette.CATEGORIES)]),
                       customdata=np.stack([rows["count"], share_of], axis=1),
                       hovertemplate="%{customdata[0]:,}/%{customdata[1]:,} " + total_label + "<extra>%{fullData.name}</extra>")
    figure.update_layout(barmode="stack")
    whole = dict(tickformat=",d", dtick=1 if totals.max() <= 10 else None, rangemode="tozero")   # counts: no 0,2 ticks
    (figure.update_yaxes if orientation == "v" else figure.update_xaxes)(**whole)
    if orientation == "h":
        figure.update_layout(height=max(300, 26 * frame[x].nunique() + 120))
        figure.update_yaxes(autorange="reversed")
    return figure


def _grouped(frame: pd.DataFrame, x: str, colour: str, other: str) -> pd.DataFrame:
    """The largest values of ``colour`` as they are and the rest as one ``other``, within the palette's size."""
    sizes = frame.groupby(colour, sort=False)["count"].sum().sort_values(ascending=False)
    if len(sizes) <= len(palette.CATEGORIES):
        return frame
    kept = set(sizes.index[:len(palette.CATEGORIES) - 1])
    rest = frame[~frame[colour].isin(kept)].groupby(x, sort=False)["count"].sum().reset_index().assign(**{colour: other})
    return pd.concat([frame[frame[colour].isin(kept)], rest], ignore_index=True)


def flow_lines(frame: pd.DataFrame, labels: dict[str, str], title: str) -> go.Figure:
    """Referrals opened vs closed per month, and median days to close on a second axis."""
    figure = _figure(title)
    figure.add_bar(x=frame.month, y=frame.opened, name=labels["opened"], marker_color="#fdae61")
    figure.add_bar(x=frame.month, y=frame.closed, name=labels["closed"], marker_color="#1a9641")
    figure.add_scatter(x=frame.month, y=frame.median_days_to_close, name=labels["median"], yaxis="y2",
                       mode="lines+markers", line=dict(color="#2b83ba"))
    # Ticks of its own at round values: synchronised with the bars' grid they fall on 7,64 / 15,29 / 22,93.
    figure.update_layout(barmode="group", yaxis2=dict(overlaying="y", side="right", title=labels["median"],
                                                      rangemode="tozero", showgrid=False, tickmode="auto"))
    return figure


def village_scatter(frame: pd.DataFrame, x: str, x_label: str, y_label: str, title: str,
                    small_label: str) -> go.Figure:
    """Each village a point: a PKK indicator against stunting; villages with few children hollow."""
    figure = _figure(title)
    for small, rows in frame.groupby("small", sort=True):
        figure.add_scatter(
            x=rows[x], y=rows.stunting_pct, mode="markers", name=small_label if small else y_label,
            marker=dict(size=8, color="rgba(0,0,0,0)" if small else "#d6604d", line=dict(width=1, color="#b2182b")),
            customdata=np.stack([rows.desa, rows.kecamatan, rows.stunted.fillna(0), rows.children.fillna(0)], axis=1),
            hovertemplate="%{customdata[0]} (%{customdata[1]})<br>" + x_label + ": %{x:.0f}%<br>" + y_label
                          + ": %{y:.1f}% (%{customdata[2]:,.0f}/%{customdata[3]:,.0f})<extra></extra>")
    figure.update_xaxes(title=x_label + " (%)")
    figure.update_yaxes(title=y_label + " (%)")
    return figure


def digit_bars(frame: pd.DataFrame, title: str, names: dict[str, str]) -> go.Figure:
    """Share of each last digit per quantity; a flat 10% line is no digit preference."""
    figure = _figure(title)
    for quantity, rows in frame.groupby("quantity"):
        total = rows.measurements.sum()
        figure.add_bar(x=rows.digit, y=100 * rows.measurements / total, name=names.get(quantity, quantity),
                       customdata=np.stack([rows.measurements, np.full(len(rows), total)], axis=1),
                       hovertemplate="%{x}: %{y:.1f}% (%{customdata[0]:,}/%{customdata[1]:,})<extra>%{fullData.name}</extra>")
    figure.add_hline(y=10, line_dash="dash", line_color="#555")
    figure.update_layout(barmode="group")
    figure.update_xaxes(title="0.1", dtick=1)
    figure.update_yaxes(title="%")
    return figure


def ranked_bars(frame: pd.DataFrame, title: str, noun: str, reference: tuple[float, str] | None = None) -> go.Figure:
    """Areas ranked by a rate (columns label, value, numerator, denominator), highest on top, hover n/N;
    ``reference`` (value, label) draws a line such as the national target, the label saying its value
    ("target nasional 2029: 14,2%", see ``target_label``)."""
    figure = _figure(title)
    figure.add_bar(x=frame.value, y=frame.label, orientation="h", marker_color=palette.WORSE.colour, texttemplate="%{x:.1f}%",
                   textposition="outside", cliponaxis=False,
                   customdata=np.stack([frame.numerator, frame.denominator], axis=1),
                   hovertemplate="%{y}: %{x:.1f}% (%{customdata[0]:,}/%{customdata[1]:,} " + noun + ")<extra></extra>")
    if reference is not None:
        figure.add_vline(x=reference[0], line_dash="dash", line_color=palette.TARGET_LINE, annotation_text=reference[1],
                         annotation_position="top")
    figure.update_layout(height=max(300, 40 * len(frame) + 140), showlegend=False)
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title="%", rangemode="tozero")
    return figure


def target_label(name: str, value: float, lang: str) -> str:
    """A target line's label with its value: "target nasional 2029: 14,2%"."""
    return f"{name}: {fmt.percent(value, lang)}"
