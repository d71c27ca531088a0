"""Choropleth figures of prepared boundaries: classes from the catalogue's fixed bands or from a
classifier, a legend that counts the areas of each class, and areas without data or with too few
children drawn apart from low values.

Geometry is prepared once (``dashboard.maps.boundaries``). In the app a figure names its GeoJSON by
URL (a file the app serves statically), so the browser fetches and caches the polygons once and a
filter change only sends codes, classes and hover text. For a self-contained figure (static export)
pass the features themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import format as fmt
from dashboard import palette as colours
from dashboard.indicators import text as catalogue_text

# Sequential palettes, light to dark; "worse" is always the dark end.
REDS = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15", "#67000d", "#3f0008")   # palette.WORSE's ramp
# Diverging scale for a change map (the palette's: better = blue, worse = the same warm red, 0 = light).
DIVERGING = colours.DIVERGING
CHANGE_EDGES = (-10.0, -5.0, -2.0, 2.0, 5.0, 10.0)    # percentage points, symmetric about zero
NO_DATA_COLOUR = "#bdbdbd"
FEW_COLOUR = "#f7f7f7"
FEW_LINE = "#737373"
HIDDEN_COLOUR = "#d9d9d9"
SCHEMES = ("quantiles", "natural_breaks")


@dataclass(frozen=True)
class Classes:
    """Upper-open class intervals [edges[i], edges[i+1]) with their labels; the last includes its top."""

    edges: tuple[float, ...]
    labels: tuple[str, ...]
    requested: int = 0          # classes asked of a classifier; more than len(labels) when equal values collapsed some

    def __len__(self) -> int:
        return len(self.labels)

    def of(self, values: pd.Series) -> pd.Series:
        """Class index of each value (0 = lowest), NA where the value is missing."""
        inner = np.asarray(self.edges[1:-1], dtype=float)
        index = np.searchsorted(inner, values.to_numpy(dtype=float), side="right")
        return pd.Series(index, index=values.index, dtype="Int64").where(values.notna())


def fixed_bands(bands: list[dict], lang: str = "id") -> Classes:
    """Classes from catalogue bands ``[{low, high, name = {id, en}}, ...]`` (e.g. WHO/UNICEF 2018 stunting):
    "2,5–<10% rendah" / "2.5–<10% low", the last "≥ 30% sangat tinggi"."""
    edges = tuple(float(band["low"]) for band in bands) + (float(bands[-1]["high"]),)
    labels = []
    for i, band in enumerate(bands):
        low, high, name = band["low"], band["high"], catalogue_text(band["name"], lang)
        labels.append(f"{_edge(low, lang)}–<{fmt.percent(high, lang, _digits(high))} {name}" if i < len(bands) - 1
                      else f"≥ {fmt.percent(low, lang, _digits(low))} {name}")
    return Classes(edges, tuple(labels))


def classified(values: pd.Series, scheme: str, k: int = 5, unit: str = "", lang: str = "id") -> Classes:
    """Classes for ``values`` by quantiles or natural breaks (mapclassify).

    Natural breaks are Jenks-Caspall (Jenks' iterative method, started from quantiles: deterministic
    and fast). Fisher-Jenks, the optimal variant, takes 4 s on 1,552 values without numba, too slow
    for a filter change. With fewer distinct values than ``k`` there are as many classes as values,
    and quantiles that fall on equal values merge; ``requested`` keeps ``k`` so the legend can say so.
    Labels give the smallest and largest value of each class.
    """
    import mapclassify  # here, not at the top: it pulls in scipy.stats and sklearn (0.9 s of a cold start)

    values = values.dropna().astype(float)
    distinct = values.nunique()
    if distinct == 0:
        return Classes((0.0, 0.0), (fmt.MISSING,), k)
    wanted, k = k, max(1, min(k, distinct))
    if k == 1:
        bins = np.array([values.max()])
    elif scheme == "natural_breaks":
        bins = mapclassify.JenksCaspall(values.to_numpy(), k=k).bins
    elif scheme == "quantiles":
        bins = mapclassify.Quantiles(values.to_numpy(), k=k).bins
    else:
        raise ValueError(f"unknown classification scheme {scheme!r} (use one of {', '.join(SCHEMES)})")
    # mapclassify's classes are (bins[i-1], bins[i]]; ours start at an edge, so each inner edge is
    # the smallest float above a bin.
    uppers = sorted(set(float(b) for b in bins[:-1]))
    edges = (float(values.min()), *(float(np.nextafter(b, np.inf)) for b in uppers), float(values.max()))
    classes = Classes(edges, ("",) * (len(edges) - 1))
    index = classes.of(values)
    labels = tuple(_range_label(values[index == i], unit, lang) for i in range(len(classes)))
    return Classes(edges, labels, wanted)


def _range_label(members: pd.Series, unit: str, lang: str) -> str:
    if members.empty:
        return fmt.MISSING
    low, high = members.min(), members.max()
    return f"{_edge(low, lang)}{unit}" if low == high else f"{_edge(low, lang)}–{_edge(high, lang)}{unit}"


def _digits(value: float) -> int:
    """Decimals a legend edge needs: none for whole numbers and values of 100 or more, else one."""
    return 0 if float(value).is_integer() or abs(value) >= 100 else 1


def _edge(value: float, lang: str) -> str:
    """A legend edge written by ``dashboard.format`` with the decimals it needs."""
    return fmt.number(value, lang, _digits(value))


@dataclass(frozen=True)
class MapText:
    """Words the figure shows, in the page's language."""

    value_name: str
    no_data: str
    few: str
    areas: str             # e.g. "desa" for the legend counts
    parent: str            # e.g. "Kecamatan" in the hover
    hidden: str = ""       # legend entry of suppressed areas (public page)
    counts: bool = True    # hover shows numerator / denominator
    lang: str = "id"       # how values are written (dashboard.format)
    collapsed: str = ""    # legend note when equal values merged classes, "{n} of {k} classes ..."


def choropleth(geometry: str | dict[str, dict], names: pd.DataFrame, values: pd.DataFrame, classes: Classes,
               text: MapText, bounds: tuple[float, float, float, float], min_denominator: int | None = None,
               percent: bool = True, higher_is_better: bool = False, height: int = 560,
               style: str = "white-bg", palette: tuple[str, ...] | None = None, points: bool = False) -> go.Figure:
    """Areas coloured by class, with no-data and too-few-children areas drawn as their own legend entries.

    geometry: URL of a GeoJSON FeatureCollection whose feature ids are the codes, or a dict
        code -> feature (embedded, each trace carrying only its own features).
    names: DataFrame[code, name, parent_name], every area to draw (all must be in ``geometry``).
    bounds: (min lon, min lat, max lon, max lat) of the areas, to centre and zoom the view (a map
        whose GeoJSON is a URL cannot fit itself to data it has not fetched yet).
    values: DataFrame[code, value, numerator, denominator] and optionally ``hidden`` (bool: suppressed,
        drawn as its own legend entry); ``denominator`` may be all NA for counts.
    min_denominator: areas whose denominator is below it are "few" (marked, not coloured as low).
    percent: the value is a percentage ("19,8%" in the hover), else a count.
    points: the value is a change in percentage points ("+1,2 pp" in the hover; a change map).
    higher_is_better: the darkest colour goes to the lowest class (e.g. D/S), else to the highest.
    style: the map background; "white-bg" (outlines only) works offline, a tiled style needs internet.
    palette: one colour per class, lowest first (a diverging one for a change map); default the red ramp.
    """
    frame = names[["code", "name", "parent_name"]].merge(values, on="code", how="left")
    has_value = frame["value"].notna()
    few = has_value & frame["denominator"].notna() & (frame["denominator"] < (min_denominator or 0))
    frame["class"] = classes.of(frame["value"].where(has_value & ~few))
    hidden = frame["hidden"].fillna(False).astype(bool) if "hidden" in frame else pd.Series(False, index=frame.index)
    frame["class"] = frame["class"].where(~hidden)
    frame["state"] = np.where(hidden, "hidden", np.where(~has_value, "none", np.where(few, "few", "class")))

    palette = list(palette) if palette else _palette(len(classes))
    palette = palette[::-1] if higher_is_better else palette
    layers = [(frame["class"].eq(i).fillna(False), label, colour, "white") for i, (label, colour)
              in enumerate(zip(classes.labels, palette))]
    layers += [(frame["state"].eq("few"), text.few, FEW_COLOUR, FEW_LINE),
               (frame["state"].eq("none"), text.no_data, NO_DATA_COLOUR, "white")]
    if text.hidden:                                     # suppression is the public page's, not the others'
        layers.append((frame["state"].eq("hidden"), text.hidden, HIDDEN_COLOUR, FEW_LINE))
    figure = go.Figure()
    for chosen, label, colour, line in layers:
        rows = frame.loc[chosen]
        figure.add_trace(_trace(geometry, rows, name=f"{label} ({fmt.count(len(rows), text.lang)} {text.areas})",
                                text=text, percent=percent, points=points, colour=colour, line_colour=line))
    title = text.value_name
    if text.collapsed and classes.requested > len(classes):
        title += "<br><sup>" + text.collapsed.format(n=len(classes), k=classes.requested) + "</sup>"
    figure.update_layout(map=dict(style=style, **view(bounds, height - 40)), height=height,
                         margin=dict(l=0, r=0, t=30, b=0), showlegend=True,
                         legend=dict(title=dict(text=title), x=1.0, y=1.0, xanchor="left", yanchor="top",
                                     itemclick=False, itemdoubleclick=False),
                         uirevision=str(len(frame)) + (geometry if isinstance(geometry, str) else ""))
    return figure


def view(bounds: tuple[float, float, float, float], height_px: int, width_px: int = 620) -> dict:
    """Centre and zoom that fit ``bounds`` into a plot of about that size (MapLibre zoom 0 is 512 px wide)."""
    min_lon, min_lat, max_lon, max_lat = bounds
    y = lambda lat: np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))  # noqa: E731 (mercator northing)
    lon_span = max(max_lon - min_lon, 1e-4) / 360
    lat_span = max(y(max_lat) - y(min_lat), 1e-6) / (2 * np.pi)
    zoom = float(np.log2(min(width_px / (512 * lon_span), height_px / (512 * lat_span)))) - 0.1
    centre_lat = float(np.degrees(2 * np.arctan(np.exp((y(max_lat) + y(min_lat)) / 2)) - np.pi / 2))
    return {"center": {"lon": (min_lon + max_lon) / 2, "lat": centre_lat}, "zoom": round(min(zoom, 14.0), 2)}


def _trace(geometry: str | dict[str, dict], rows: pd.DataFrame, name: str, text: MapText, percent: bool,
           colour: str, line_colour: str, points: bool = False) -> go.Choroplethmap:
    """One legend entry: its areas in one colour (a flat colour scale), hover with value and n/N."""
    codes = rows["code"].tolist()
    numerator = rows["numerator"].map(lambda v: fmt.count(v, text.lang))
    denominator = rows["denominator"].map(lambda v: "" if pd.isna(v) else " / " + fmt.count(v, text.lang))
    value = rows["value"].map(lambda v: fmt.points(v, text.lang) if points else
                              fmt.percent(v, text.lang) if percent else fmt.count(v, text.lang))
    customdata = np.stack([rows["name"].fillna(""), rows["parent_name"].fillna(""), value,
                           numerator + denominator if text.counts else value], axis=1) if len(rows) else None
    parent = f"{text.parent}: %{{customdata[1]}}<br>" if text.parent else ""
    counts = "<br>%{customdata[3]}" if text.counts else ""
    return go.Choroplethmap(
        geojson=geometry if isinstance(geometry, str) else
        {"type": "FeatureCollection", "features": [geometry[code] for code in codes]},
        locations=codes, z=np.zeros(len(codes)), customdata=customdata, name=name, showlegend=True,
        colorscale=[[0, colour], [1, colour]], showscale=False,
        marker=dict(line=dict(width=0.4 if line_colour == "white" else 0.8, color=line_colour)),
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>{parent}"
                      f"{text.value_name}: %{{customdata[2]}}{counts}<extra></extra>")


def _palette(k: int) -> list[str]:
    """``k`` colours from the red ramp, spread so that few classes still span light to dark."""
    picks = np.linspace(0, len(REDS) - 2, k).round().astype(int) if k > 1 else [2]
    return [REDS[i] for i in picks]


def change_classes(lang: str = "id") -> Classes:
    """Classes of a change in percentage points, centred on zero: < -10, -10 to -5, -5 to -2, -2 to +2
    (about unchanged), +2 to +5, +5 to +10, >= +10; drawn with ``DIVERGING``."""
    inner = CHANGE_EDGES
    signed = lambda value: fmt.signed(value, lang)      # noqa: E731 (whole points, a real minus)
    labels = ([f"< {signed(inner[0])} pp"]
              + [f"{signed(low)} – <{signed(high)} pp" for low, high in zip(inner[:-1], inner[1:])]
              + [f"≥ {signed(inner[-1])} pp"])
    return Classes((-1000.0, *inner, 1000.0), tuple(labels))


def indicator_values(areas: pd.DataFrame, spec: dict) -> pd.DataFrame:
    """DataFrame[code, value, numerator, denominator] of one ``[maps.indicators.*]`` entry from the areas query."""
    return pd.DataFrame({
        "code": areas["code"],
        "value": pd.to_numeric(areas[spec["value"]], errors="coerce"),
        "numerator": pd.to_numeric(areas[spec["numerator"]], errors="coerce"),
        "denominator": pd.to_numeric(areas[spec["denominator"]], errors="coerce") if "denominator" in spec
        else pd.Series(np.nan, index=areas.index),
    })


def indicator_classes(values: pd.DataFrame, spec: dict, catalogue: dict, scheme: str, min_denominator: int,
                      lang: str = "id") -> Classes:
    """Fixed bands where the indicator names some, else classes of the values that are drawn coloured."""
    if "bands" in spec:
        kind, name = spec["bands"].split(".")
        return fixed_bands(catalogue[kind][name]["bands"], lang)
    drawn = values["value"]
    if spec.get("small"):
        drawn = drawn.where(values["denominator"] >= min_denominator)
    return classified(drawn, scheme, int(catalogue["maps"]["classes"]), "" if spec.get("count") else "%", lang)
