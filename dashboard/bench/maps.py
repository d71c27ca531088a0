"""Map part: boundary preparation, the village map rebuilt after a filter change, its JSON size, and
Chromium drawing it.

- prepare: the boundary files read, matched, cleaned, dissolved and simplified into an empty cache
  folder, then loaded from that cache as the app does at start;
- rebuild: what a filter change costs the map of Banten's 1,552 villages (the areas query for a new
  period, classes, figure, JSON as Streamlit sends it), median over periods;
- size: the figure the app sends (polygons named by URL, fetched once) and the GeoJSON file behind
  it, beside a self-contained figure (polygons embedded, for static export) and a straightforward
  ``plotly.express`` choropleth of the unsimplified polygons;
- draw: headless Chromium loading a self-contained HTML of the figure until MapLibre has drawn it.
"""

from __future__ import annotations

import functools
import http.server
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from dashboard.bench.common import Context, Row

PROVINCE = "36"
VILLAGES_TEXT = dict(value_name="Stunting", no_data="Tanpa data", few="Anak < 30", areas="desa", parent="Kecamatan")


def map_part(ctx: Context) -> list[Row]:
    from dashboard.maps import boundaries

    paths = boundaries.boundary_paths()
    if not paths:
        return [Row("map", "village maps", "not measured", f"no boundary file ({boundaries.ENV_VAR} names none)")]
    rows, prepared = _prepare_rows(paths)
    figures, rebuild = _rebuild_rows(ctx, prepared)
    rows += rebuild + _size_rows(prepared, figures, paths)
    # A thread of its own: Playwright's sync API refuses to start where an event loop already runs.
    with ThreadPoolExecutor(1) as pool:
        rows += pool.submit(_draw_rows, prepared, figures).result()
    return rows


def _prepare_rows(paths: list[Path]):
    from dashboard.maps import boundaries

    with tempfile.TemporaryDirectory(prefix="bench-maps-") as folder:
        start = time.perf_counter()
        boundaries.prepare(paths, cache_dir=Path(folder))
        built = time.perf_counter() - start
        start = time.perf_counter()
        prepared = boundaries.prepare(paths, cache_dir=Path(folder))
        loaded = time.perf_counter() - start
        for level in boundaries.LEVELS:               # read every level before the folder goes
            prepared.level(level)
    villages = prepared.report.counts["villages"]
    names = ", ".join(p.name for p in paths)
    return [Row("map", f"prepare boundaries once: read, match, clean, dissolve, simplify ({villages:,} villages)",
                f"{built:.1f} s", names),
            Row("map", "load the prepared boundaries (app start)", f"{loaded * 1000:.0f} ms",
                "GeoParquet cache; each level is read when first drawn")], prepared


def _values(ctx: Context, region: str, period) -> tuple[pd.DataFrame, float]:
    from dashboard.db import connect_readonly, read_cursor, run_query

    con = connect_readonly(ctx.db)
    try:
        start = time.perf_counter()
        areas = run_query(read_cursor(con), "pages/common/areas", {
            "region": region, "level": "desa", "period_type": period.type, "period_start": period.start,
            "start": period.start, "end": period.end, "year": period.year, "as_of": period.end})
        return areas, time.perf_counter() - start
    finally:
        con.close()


def _figure(prepared, areas: pd.DataFrame, within: str | None, embedded: bool):
    from dashboard.indicators import catalogue
    from dashboard.maps import figure

    spec = catalogue()["maps"]["indicators"]["stunting"]
    shapes = prepared.level("desa", within)
    values = figure.indicator_values(areas, spec)
    classes = figure.indicator_classes(values, spec, catalogue(), "quantiles", 30)
    geometry = prepared.features("desa", within) if embedded else f"app/static/maps/desa_{within}.geojson"
    return figure.choropleth(geometry, shapes[["code", "name", "parent_name"]], values, classes,
                             figure.MapText(**VILLAGES_TEXT), bounds=tuple(shapes.total_bounds), min_denominator=30)


def _rebuild_rows(ctx: Context, prepared):
    import plotly.io as pio

    from dashboard.db import connect_readonly, run_query
    from dashboard.periods import periods_covering

    con = connect_readonly(ctx.db)
    try:
        months = list(run_query(con, "pages/common/periods").month.dt.date)
    finally:
        con.close()
    periods = [p for kind in ("year", "quarter", "month") for p in periods_covering(months, kind)[:3]]
    prepared.features("desa", PROVINCE)                      # built once per process, like the app
    queries, builds = [], []
    for period in periods:
        areas, query_s = _values(ctx, PROVINCE, period)
        start = time.perf_counter()
        pio.to_json(_figure(prepared, areas, PROVINCE, embedded=False), validate=False)
        builds.append(time.perf_counter() - start)
        queries.append(query_s)
    banten, _ = _values(ctx, PROVINCE, periods[0])
    every = pd.concat([banten, _values(ctx, "62", periods[0])[0]])
    figures = {"banten": (_figure(prepared, banten, PROVINCE, False), _figure(prepared, banten, PROVINCE, True)),
               "both": (_figure(prepared, every, None, False), _figure(prepared, every, None, True))}
    total = [q + b for q, b in zip(queries, builds)]
    return figures, [Row("map", "Banten village map after a filter change: areas query + classes + figure + JSON, "
                                "median / max", f"{statistics.median(total) * 1000:.0f} / {max(total) * 1000:.0f} ms",
                         f"goal 300 ms; {len(periods)} periods (years, quarters, months); figure and JSON alone "
                         f"{statistics.median(builds) * 1000:.0f} ms median, query {statistics.median(queries) * 1000:.0f} ms")]


def _size_rows(prepared, figures, paths: list[Path]) -> list[Row]:
    import json

    import plotly.express as px
    import plotly.io as pio

    from dashboard.maps import boundaries

    rows = []
    for key, label, within in (("banten", _label(prepared, PROVINCE), PROVINCE), ("both", _label(prepared, None), None)):
        served, embedded = figures[key]
        geojson = json.dumps({"type": "FeatureCollection", "features": list(prepared.features("desa", within).values())},
                             separators=(",", ":"))
        rows.append(Row("map", f"figure JSON, {label}: as the app sends it / its GeoJSON file / self-contained",
                        f"{_mb(pio.to_json(served))} / {_mb(geojson)} / {_mb(pio.to_json(embedded))}",
                        "goal < 2 MB; the app sends values and names the polygons by URL: the browser fetches "
                        "the GeoJSON once and caches it"))
    raw = boundaries.read_boundaries([p for p in paths if "_36_" in p.name] or paths[:1])
    raw = raw.loc[raw["code"].str.startswith(PROVINCE + ".", na=False)]
    start = time.perf_counter()
    plain = px.choropleth_map(raw, geojson=raw.set_index("code").geometry.__geo_interface__, locations="code",
                              color=range(len(raw)), map_style="white-bg")
    text = pio.to_json(plain)
    seconds = time.perf_counter() - start
    rows.append(Row("map", "for comparison: plotly.express choropleth of the unsimplified Banten polygons",
                    f"{seconds:.1f} s, {_mb(text)}", "build + JSON, geometry embedded"))
    return rows


def _label(prepared, within: str | None) -> str:
    villages = len(prepared.level("desa", within))
    return f"Banten, {villages:,} villages" if within == PROVINCE else f"every boundary file, {villages:,} villages"


def _draw_rows(prepared, figures) -> list[Row]:
    import plotly.io as pio
    from plotly.offline import get_plotlyjs
    from playwright.sync_api import sync_playwright

    from dashboard.serve import launch_chromium

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-map-html-") as folder, _served(Path(folder)) as url, \
            sync_playwright() as playwright:
        (Path(folder) / "plotly.js").write_text(get_plotlyjs())
        (Path(folder) / "index.html").write_text(PAGE)
        browser = launch_chromium(playwright)
        try:
            for key, label in (("banten", _label(prepared, PROVINCE)), ("both", _label(prepared, None))):
                (Path(folder) / f"{key}.json").write_text(pio.to_json(figures[key][1], validate=False))
                times = [_draw_seconds(browser, url, key) for _ in range(3)]
                rows.append(Row("map", f"headless Chromium draws the village map, {label}, median of 3",
                                f"{statistics.median([t[0] for t in times]):.1f} s",
                                "goal < 2 s (Banten); plotly.js already loaded (as in the app), from fetching the "
                                "self-contained figure to the polygons rendered by MapLibre, software WebGL; with "
                                f"loading plotly.js too {statistics.median([t[1] for t in times]):.1f} s"))
        finally:
            browser.close()
    return rows


# A page that has plotly.js and draws a figure when asked, timing fetch + newPlot + MapLibre's render.
PAGE = """<!doctype html><html><head><meta charset="utf-8"><script src="plotly.js"></script></head>
<body><div id="map" style="width:1100px;height:600px"></div><script>
async function draw(name) {
  const start = performance.now();
  const figure = await (await fetch(name + ".json")).json();
  await Plotly.newPlot("map", figure.data, figure.layout);
  const map = document.getElementById("map")._fullLayout.map._subplot.map;
  while (map.queryRenderedFeatures().length === 0) { await new Promise(r => setTimeout(r, 10)); }
  return (performance.now() - start) / 1000;
}
</script></body></html>"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the bench prints one table, not a request log
        pass


@contextmanager
def _served(folder: Path) -> Iterator[str]:
    """The folder over HTTP on 127.0.0.1 (MapLibre's workers do not start on a file:// page)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _draw_seconds(browser, url: str, name: str) -> tuple[float, float]:
    """(seconds to draw with plotly.js loaded, seconds from navigation including loading plotly.js)."""
    tab = browser.new_page(viewport={"width": 1200, "height": 800})
    try:
        start = time.perf_counter()
        tab.goto(f"{url}/index.html")
        drawn = tab.evaluate(f"draw({name!r})")
        return float(drawn), time.perf_counter() - start
    finally:
        tab.close()


def _mb(text: str) -> str:
    return f"{len(text.encode()) / 1e6:.2f} MB"
