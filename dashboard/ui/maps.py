"""The village map section of a page: boundaries prepared once per process, values from the same
areas query as the rankings, a click on an area drills the shared filter down to it.

``dashboard.maps.boundaries`` (GeoPandas, pyogrio, shapely: about a second of imports) is imported by
the functions that draw a map, not at the top: a page that imports this module sends the charts
above its map while those libraries are still loading (the public page's first chart, at a cold start)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from dashboard import format as fmt
from dashboard import indicators
from dashboard.charts import localised
from dashboard.config import PROJECT_ROOT, settings
from dashboard.indicators import catalogue
from dashboard.maps import figure
from dashboard.public import cells
from dashboard.public.figures import map_figure
from dashboard.regions import LEVELS, PARENT_LEVEL, level_of
from dashboard.ui import components as ui
from dashboard.ui.data import query
from dashboard.ui.filters import Filters, as_of
from dashboard.ui.text import language, t

if TYPE_CHECKING:
    from dashboard.maps.boundaries import PreparedMaps
    from dashboard.public.cells import Publication

log = logging.getLogger(__name__)
STATIC_DIR = PROJECT_ROOT / "dashboard" / "static" / "maps"   # served as app/static/maps/ (server.enableStaticServing)
STATIC_URL = "app/static/maps/"


@st.cache_resource(max_entries=2, show_spinner=False)
def _prepared(key: str, paths: tuple[str, ...]) -> PreparedMaps:
    from dashboard.maps import boundaries

    return boundaries.prepare(paths)


def prepared_maps() -> PreparedMaps | None:
    """The prepared boundaries, or None (with the reason shown) when there are none or they cannot be read."""
    from dashboard.maps import boundaries

    try:
        paths = boundaries.boundary_paths()
        if not paths:
            st.info(t("no_boundaries").format(var=boundaries.ENV_VAR))
            return None
        with st.spinner(t("preparing_map")):
            return _prepared(boundaries.cache_key(paths), tuple(str(p) for p in paths))
    except Exception as error:  # noqa: BLE001 - any unreadable file becomes a message, never a stack trace
        log.exception("boundary files could not be prepared")
        st.warning(t("boundaries_error").format(error=error, var=boundaries.ENV_VAR))
        return None


def indicator_label(name: str) -> str:
    return indicators.name("maps.indicators", name, language())


def map_section(f: Filters, indicators: list[str], key: str) -> None:
    """A choropleth of the areas inside the chosen region for one of ``indicators``; says why when there is none."""
    st.subheader(t("map_title"))
    prepared = prepared_maps()
    if prepared is None:
        return
    region = f.region_code if f.level != "desa" else f.region_code.rpartition(".")[0]   # a village: its kecamatan
    levels = list(reversed(LEVELS[LEVELS.index(level_of(region)) + 1:]))    # villages first, then coarser
    columns = st.columns([2, 1, 1])
    labels = {name: indicator_label(name) for name in indicators}      # resolved now: AppTest formats later
    name = indicators[0] if len(indicators) == 1 else columns[0].selectbox(
        t("map_indicator"), indicators, format_func=labels.get, key=f"{key}_indicator")
    spec = catalogue()["maps"]["indicators"][name]
    period = f.period
    prevalence = spec.get("label", "").startswith("prevalence.")
    change = prevalence and st.toggle(t("map_change"), key=f"{key}_change", help=t("map_change_help"))
    areas_of = lambda lv: query("pages/common/areas", region=region, level=lv, period_type=period.type,  # noqa: E731
                                period_start=period.start, start=period.start, end=period.end, year=period.year,
                                as_of=as_of(f))
    level = columns[1].selectbox(t("map_level"), levels, index=levels.index(_default_level(levels, spec, areas_of)),
                                 format_func={lv: t(f"level_{lv}") for lv in levels}.get, key=f"{key}_level_{region}_{name}")
    scheme = "bands"
    if "bands" not in spec and not change:
        schemes = catalogue()["maps"]["schemes"]
        scheme = columns[2].radio(t("map_scheme"), schemes, format_func={s: t(f"scheme_{s}") for s in schemes}.get,
                                  horizontal=True, key=f"{key}_scheme")
    shapes = prepared.level(level, region)
    if shapes.empty:
        st.info(t("no_polygons_here"))
        return
    if change and f.comparable is None:
        st.info(t("movers_none"))
        return
    if change:
        values, classes = change_values(region, level, spec["label"].split(".")[1], f), figure.change_classes(language())
    else:
        values = figure.indicator_values(areas_of(level), spec)
        classes = figure.indicator_classes(values, spec, catalogue(), scheme, ui.min_denominator(), language())
    file_name = prepared.published(level, region, STATIC_DIR)
    text = figure.MapText(value_name=indicator_label(name) + (f" · {t('change_pp')}" if change else ""),
                          no_data=t("map_no_data"),
                          few=t("map_few").format(n=ui.min_denominator()), areas=t(f"levels_{level}"),
                          parent=t(f"level_{PARENT_LEVEL[level]}") if level != "provinsi" else "",
                          lang=language(), collapsed=t("map_collapsed"))
    fig = figure.choropleth(STATIC_URL + file_name, shapes[["code", "name", "parent_name"]], values, classes, text,
                            bounds=tuple(shapes.total_bounds),
                            min_denominator=ui.min_denominator() if spec.get("small") else None,
                            percent=not spec.get("count"), points=change,
                            higher_is_better=bool(spec.get("higher_is_better")), style=settings().map_style,
                            palette=figure.DIVERGING if change else None)
    event = st.plotly_chart(localised(fig, language()), width="stretch",
                            key=f"{key}_{name}_{level}_{region}_{period.code}",
                            on_select="rerun", selection_mode="points",
                            config={"displaylogo": False, "scrollZoom": True,
                                    "toImageButtonOptions": {"format": "png", "filename": f"peta_{name}_{region}_{period.code}",
                                                             "scale": 2}})
    st.caption(t("map_caption").format(source=_source_note(prepared)))
    _drill_down(event, region)


def change_values(region: str, level: str, indicator: str, f: Filters) -> pd.DataFrame:
    """DataFrame[code, value, numerator, denominator] of the change (pp) since the previous comparable
    period; the denominator is the smaller n of the two periods, so an area with too few children in
    either is drawn apart."""
    from dashboard.change import with_change

    rows = query("pages/common/areas_change", region=region, level=level, indicator=indicator,
                 period_type=f.period.type, period_start=f.period.start, previous_start=f.comparable.start)
    rows = with_change(rows, "cases", "n", "previous_cases", "previous_n", indicator)
    return pd.DataFrame({"code": rows.code, "value": pd.to_numeric(rows[f"{indicator}_change_pp"]),
                         "numerator": pd.to_numeric(rows.cases, errors="coerce"),
                         "denominator": pd.concat([pd.to_numeric(rows.n, errors="coerce"),
                                                   pd.to_numeric(rows.previous_n, errors="coerce")], axis=1).min(axis=1, skipna=False)})


def _default_level(levels: list[str], spec: dict, areas_of) -> str:
    """The finest level at which a typical area (the median one with data) has enough children for a
    stable rate; villages for indicators that are not rates on children."""
    if not spec.get("small"):
        return levels[0]
    for level in levels:
        denominators = pd.to_numeric(areas_of(level)[spec["denominator"]], errors="coerce").dropna()
        if len(denominators) and denominators.median() >= ui.min_denominator():
            return level
    return levels[-1]


def _source_note(prepared: PreparedMaps) -> str:
    counts = prepared.report.counts
    return t("map_source").format(matched=fmt.count(counts["matched"], language()),
                                  villages=fmt.count(counts["villages"], language()))


def _drill_down(event, region: str) -> None:
    """A click on an area makes it the chosen region (the URL changes, so the view can be shared)."""
    points = event.get("selection", {}).get("points", []) if event else []
    code = next((p.get("location") for p in points if p.get("location")), None)
    if code and code != region and code.startswith(region):
        st.query_params["wilayah"] = code
        st.session_state["filter_url"] = {**st.session_state.get("filter_url", {}), "wilayah": code}
        st.rerun()


def match_report_section() -> None:
    """Data-quality view of how the boundary file joins the region list: nothing dropped silently."""
    from dashboard.maps import boundaries

    st.subheader(t("boundary_match"))
    prepared = prepared_maps()
    if prepared is None:
        return
    report, counts = prepared.report, prepared.report.counts
    a, b, c = st.columns(3)
    lang = language()
    a.metric(t("villages_with_polygon"), f"{fmt.count(counts['matched'], lang)} / {fmt.count(counts['villages'], lang)}")
    b.metric(t("villages_without_polygon"), fmt.count(counts["missing"], lang))
    c.metric(t("polygons_without_village"), fmt.count(counts["extra"], lang))
    st.caption(t("boundary_files").format(files=", ".join(p.name for p in boundaries.boundary_paths())))
    for frame, title, key in ((report.missing, "villages_without_polygon", "missing"),
                              (report.extra, "polygons_without_village", "extra"),
                              (report.duplicated, "duplicated_polygons", "duplicated")):
        if len(frame):
            st.markdown(f"**{t(title)}**")
            ui.table(pd.DataFrame(frame), f"batas_{key}", f"boundary_{key}", scope=False)


def public_map(published: Publication, wanted: str, key: str) -> str:
    """The public stunting map: the province's kab/kota, or one kab/kota's villages, coloured by the
    WHO/UNICEF band of a rate from the jointly suppressed ``published`` cells; suppressed areas are
    drawn as hidden, no counts in the hover. Returns the area drawn (the province or a kab/kota)."""
    province = published.province
    kabkota = published.tables[cells.STUNTING].loc[lambda t: t.level == "kabkota"]
    names = {province: t("public_map_province"), **dict(zip(kabkota.region_code, kabkota.name))}
    area = st.selectbox(t("public_map_area"), list(names), index=list(names).index(wanted) if wanted in names else 0,
                        format_func=names.get, key=key)
    st.query_params["peta"] = area
    prepared = prepared_maps()
    if prepared is None:
        return area
    level = "kabkota" if area == province else "desa"
    fig = map_figure(published, area, prepared, STATIC_URL + prepared.published(level, area, STATIC_DIR), language())
    st.plotly_chart(fig, width="stretch", key=f"{key}_{area}_{published.year}",
                    config={"displaylogo": False})
    return area
