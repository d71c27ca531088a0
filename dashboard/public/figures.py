"""The public page's two figures from a ``Publication`` (no Streamlit): the kab/kota ranking and the
stunting map. The app's page and the static site draw the same figures from the same cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, indicators
from dashboard import format as fmt
from dashboard.config import settings
from dashboard.i18n import phrase
from dashboard.indicators import catalogue, target_for
from dashboard.maps import figure
from dashboard.public import cells

MAP_HEIGHT = 600            # px: the map (zoomed for 480 px) and, below it, its legend (up to about 160 px)

if TYPE_CHECKING:
    from dashboard.maps.boundaries import PreparedMaps
    from dashboard.public.cells import Publication


def shown_kabkota(published: Publication) -> pd.DataFrame:
    """The kab/kota rows whose rate is shown, highest first (hidden rates stay out of the chart)."""
    stunting = published.tables[cells.STUNTING]
    areas = stunting.loc[(stunting.level == "kabkota") & stunting.rate.notna()]
    return areas.sort_values("rate", ascending=False)


def ranking_figure(published: Publication, lang: str) -> go.Figure | None:
    """Kab/kota ranked by stunting prevalence with the national target; None when no rate is shown."""
    areas = shown_kabkota(published)
    if areas.empty:
        return None
    target = target_for(catalogue()["prevalence"]["stunting"], published.year)
    fig = charts.ranked_bars(areas.assign(label=areas["name"], value=areas["rate"], numerator=areas["stunted"],
                                          denominator=areas["measured"]),
                             phrase("public_stunting_chart", lang).format(year=published.year),
                             phrase("children", lang),
                             (target[1], phrase("public_target", lang).format(year=target[0],
                                                                              value=fmt.percent(target[1], lang)))
                             if target else None)
    return charts.localised(fig, lang)


def map_figure(published: Publication, area: str, prepared: PreparedMaps, geometry_url: str, lang: str) -> go.Figure:
    """``area`` (the province: its kab/kota; a kab/kota: its villages) coloured by the WHO/UNICEF band of
    the published rate; hidden areas drawn as hidden, no counts in the hover."""
    level = "kabkota" if area == published.province else "desa"
    if level == "kabkota":
        rows = published.tables[cells.STUNTING].loc[lambda t: t.level == "kabkota"]
    else:
        rows = published.villages_of(area)
    values = pd.DataFrame({"code": rows.region_code, "numerator": float("nan"), "denominator": float("nan"),
                           "value": rows.rate.astype(float), "hidden": rows.stunted.isna() | rows.measured.isna()})
    shapes = prepared.level(level, area)
    spec = catalogue()["prevalence"]["stunting"]
    text = figure.MapText(value_name=indicators.name("prevalence", "stunting", lang), no_data=phrase("map_no_data", lang),
                          few="", areas=phrase(f"levels_{level}", lang), parent="",
                          hidden=phrase("public_hidden", lang), counts=False, lang=lang)
    fig = figure.choropleth(geometry_url, shapes[["code", "name", "parent_name"]], values,
                            figure.fixed_bands(spec["bands"], lang), text, bounds=tuple(shapes.total_bounds),
                            height=480, style=settings().map_style)
    # Below the map, its title on top and one entry per line: nothing passes the right edge of a 390 px
    # phone (a horizontal legend with its title beside it was clipped there); the legend takes its room
    # from the figure's height.
    fig.update_layout(legend=dict(orientation="h", x=0, y=-0.02, xanchor="left", yanchor="top", title_side="top",
                                  entrywidth=1, entrywidthmode="fraction"), margin=dict(b=10), height=MAP_HEIGHT)
    return charts.localised(fig, lang)
