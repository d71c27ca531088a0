"""The public page as static files (issue 22): no server code runs when a citizen visits.

``build_site(out_dir)`` writes every province and year (and each kab/kota's village map) in
Indonesian (``id/``) with English beside it (``en/``), from the same jointly suppressed
``Publication`` the app shows; the ranking as inline SVG (``svg.py``: a phone draws the first chart
from the HTML alone), the maps as Plotly JSON with their GeoJSON, drawn by one shared plotly.js
(copied from the installed plotly package) that is fetched only when a map comes near the screen;
tables as HTML, the open-data bundle (ZIP and its files) and an index. Assets and data files carry a content hash in their name, so a
web server may cache them for a year; HTML pages are small and not cached.

The build goes into a new folder beside ``out_dir``; ``out_dir`` is a symlink switched to it with one
``os.replace``, so a visitor never sees half a build. The previous build is kept (a visitor's page
may still fetch its assets) and older ones removed.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import html
import json
import logging
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import plotly

from dashboard import completeness
from dashboard import format as fmt
from dashboard.config import PROJECT_ROOT, settings
from dashboard.db import reading
from dashboard.i18n import phrase
from dashboard.indicators import catalogue
from dashboard.maps.figure import fixed_bands
from dashboard.public import cells, export, suppress
from dashboard.public.figures import map_figure
from dashboard.public.svg import hidden as hidden_row
from dashboard.public.svg import ranking_svg

log = logging.getLogger(__name__)
LANGUAGES = ("id", "en")
KEEP_BUILDS = 2
CSS = """*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1b1b1b;background:#fafafa}header,main,footer{max-width:960px;margin:0 auto;padding:0 16px}
header{padding-top:12px}nav.top{display:flex;gap:12px;flex-wrap:wrap;font-size:.95rem}h1{font-size:1.5rem;line-height:1.25}
h2{font-size:1.25rem;margin-top:2rem}.metric{font-size:2.4rem;font-weight:700;margin:.2rem 0}.muted{color:#555;font-size:.9rem}
.chart{width:100%;min-height:300px}.map{min-height:600px}.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;
font-size:.9rem}th,td{padding:6px 8px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left;white-space:normal}ul.areas{columns:2;padding-left:1.2rem}
figure{margin:1rem 0}figcaption{font-weight:600;margin-bottom:.4rem}.bars-svg{display:block;overflow:hidden}
.bars-svg text{font-size:14px;fill:#1b1b1b;paint-order:stroke;stroke:#fafafa;stroke-width:3px;stroke-linejoin:round}.bars-svg .value{font-weight:600}.bars-svg .hidden{fill:#555;font-style:italic;font-weight:400}
.bars-svg .key{font-size:13px;fill:#555}a{color:#0b5cad}.button{display:inline-block;padding:10px 14px;border:1px solid #0b5cad;border-radius:6px;text-decoration:none}
@media (min-width:700px){ul.areas{columns:3}}"""
JS = """(function () {
  // The map's plotly.js (4.7 MB, 1.4 MB gzipped) is fetched only when a map comes near the screen:
  // the first chart (inline SVG) never waits for it.
  var charts = document.querySelectorAll("[data-figure]"), loading = null;
  function plotly(src) {
    loading = loading || new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src; script.onload = resolve; script.onerror = reject;
      document.head.appendChild(script);
    });
    return loading;
  }
  function draw(el) {
    var figure = fetch(el.dataset.figure).then(function (r) { return r.json(); });
    Promise.all([plotly(el.dataset.plotly), figure]).then(function (loaded) {
      var fig = loaded[1];
      return Plotly.newPlot(el, fig.data, fig.layout, {displaylogo: false, responsive: true});
    }).then(function () { el.setAttribute("data-drawn", "1"); },
            function () { el.setAttribute("data-failed", "1"); });   // offline: the table above still holds the figures
  }
  if (!("IntersectionObserver" in window)) { charts.forEach(draw); return; }
  var near = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { near.unobserve(entry.target); draw(entry.target); }
    });
  }, {rootMargin: "400px 0px"});
  charts.forEach(function (el) { near.observe(el); });
})();"""


class _Site:
    """Writes one build folder: pages, content-hashed assets and data files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def versioned(self, folder: str, stem: str, suffix: str, content: bytes, compress: bool = False) -> str:
        """Write ``content`` as ``folder/stem.<hash>.suffix`` (and a .gz beside it) and return that path."""
        name = f"{folder}/{stem}.{hashlib.sha256(content).hexdigest()[:12]}{suffix}"
        self.write(name, content)
        if compress:
            self.write(name + ".gz", gzip.compress(content, 9, mtime=0))
        return name

    def write(self, name: str, content: bytes | str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def build_site(out_dir: Path, db: Path | None = None) -> Path:
    """Build the static public site and switch ``out_dir`` (a symlink) to it; returns the new build folder."""
    out_dir = Path(out_dir).absolute()
    if out_dir.exists() and not out_dir.is_symlink():
        raise ValueError(f"{out_dir} exists and is not a symlink made by this command; choose another path "
                         "or remove it (the build switches a symlink so visitors never see half a build)")
    builds = out_dir.parent / f"{out_dir.name}.builds"
    builds.mkdir(parents=True, exist_ok=True)
    with open(builds / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)           # one build at a time; a queued one reads the newest data
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        folder = builds / stamp
        try:
            _write(_Site(folder), db)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        link = out_dir.parent / f".{out_dir.name}.{stamp}.link"
        os.symlink(os.path.relpath(folder, out_dir.parent), link)
        os.replace(link, out_dir)                  # atomic on POSIX: the old build or the new one, never half
        for old in sorted(p for p in builds.iterdir() if p.is_dir())[:-KEEP_BUILDS]:
            shutil.rmtree(old, ignore_errors=True)
    return folder


def rebuild_in_background(db: Path | None = None) -> subprocess.Popen | None:
    """Start ``publik build`` of ``settings().public_site_dir`` for ``db`` in its own process, after an
    import: the import returns at once and the site switches when the build is done (builds queue on
    a lock, so two imports in a row leave the newest data). Only where a site was built before (by
    ``publik build`` or ``scripts/start.sh``): an import into a scratch database publishes nothing.
    Never raises: a failed start is logged."""
    out = settings().public_site_dir
    if not out.is_symlink() or (db is not None and Path(db).resolve() != settings().db_path.resolve()):
        return None
    command = [sys.executable, "-m", "dashboard", "publik", "build", str(out)]
    if db is not None:
        command += ["--db", str(db)]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        log_file = open(out.parent / f"{out.name}.log", "ab")  # noqa: SIM115 - handed to the child process
        return subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
                                cwd=PROJECT_ROOT)
    except OSError:
        log.exception("the static public site could not be rebuilt after the import")
        return None


def _write(site: _Site, db: Path | None) -> None:
    with reading(db) as cursor:
        provinces, years = cells.provinces(cursor), cells.years(cursor)
        publications = [cells.publication(cursor, p, y) for p in provinces.code for y in years]
    assets = {"plotly": site.versioned("assets", "plotly", ".min.js", _plotly_js(), compress=True),
              "css": site.versioned("assets", "site", ".css", CSS.encode(), compress=True),
              "js": site.versioned("assets", "site", ".js", JS.encode(), compress=True)}
    prepared = _prepared_maps()
    for published in publications:
        data = _data_files(site, published)
        for lang in LANGUAGES:
            _pages(site, published, lang, assets, data, prepared)
    for lang in LANGUAGES:
        site.write(f"{lang}/index.html", _index(publications, lang, assets))
    site.write("index.html", f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url=id/index.html">'
                             f'<a href="id/index.html">{html.escape(phrase("public_title", "id"))}</a>')


def _plotly_js() -> bytes:
    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()


def _prepared_maps():
    """The prepared boundaries, or None (logged) when there are none or they cannot be read."""
    from dashboard.maps import boundaries

    try:
        paths = boundaries.boundary_paths()
        return boundaries.prepare(paths) if paths else None
    except Exception:  # noqa: BLE001 - the site is built without maps rather than not at all
        log.exception("boundary files could not be prepared; the static site has no maps")
        return None


def _data_files(site: _Site, published: cells.Publication) -> dict[str, str]:
    """The open-data bundle of a province and year: its ZIP (content-hashed) and its files."""
    base = f"data/{published.province}/{published.year}"
    files = {"zip": site.versioned(base, export.bundle_name(published), ".zip", export.bundle_zip(published))}
    for name, content in export.bundle_files(published).items():
        site.write(f"{base}/open/{name}", content)
    return files


def _pages(site, published, lang, assets, data, prepared) -> None:
    base = f"{lang}/{published.province}/{published.year}"
    up = "../../../"
    kabkota = published.tables[cells.STUNTING].loc[lambda t: t.level == "kabkota"]
    ranking = ranking_svg(published, lang)
    for area in [published.province, *kabkota.region_code]:
        page = "index.html" if area == published.province else f"{area}.html"
        area_figures = {}
        if prepared is not None and not prepared.level("kabkota" if area == published.province else "desa", area).empty:
            level = "kabkota" if area == published.province else "desa"
            geo = prepared.published(level, area, site.root / "geo")
            fig = map_figure(published, area, prepared, up + f"geo/{geo}", lang)
            area_figures["map"] = up + _figure_file(site, published, f"map_{area}_{lang}", fig)
        site.write(f"{base}/{page}", _page(published, area, lang, assets, data, ranking, area_figures, up,
                                           prepared is not None))


def _figure_file(site: _Site, published, stem: str, fig) -> str:
    return site.versioned(f"data/{published.province}/{published.year}", stem, ".json", fig.to_json().encode(),
                          compress=True)


def _count(value, lang: str) -> str:
    """A published count as ``dashboard.format`` writes it in ``lang``, or the hidden mark."""
    return phrase("public_hidden", lang) if pd.isna(value) else fmt.count(value, lang)


def _pct(value, lang: str) -> str:
    """A published rate: 21,0% (id) / 21.0% (en), "–" where nobody was counted."""
    return fmt.percent(value, lang)


def _table(frame: pd.DataFrame, columns: dict[str, str], rates: dict[str, str], lang: str) -> str:
    """A published table as HTML: counts, a hidden mark for hidden cells, rates hidden with their counts."""
    head = "".join(f"<th>{html.escape(label)}</th>" for label in [phrase("area", lang), *columns.values(), *rates.values()])
    rows = []
    for _, row in frame.iterrows():
        hide = hidden_row(row, columns)
        cells_ = [html.escape(str(row["name"]))] + [_count(row[c], lang) for c in columns]
        cells_ += [phrase("public_hidden", lang) if hide else _pct(row[r], lang) for r in rates]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells_) + "</tr>")
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def _page(published, area, lang, assets, data, ranking, figures, up, have_maps) -> str:
    p = lambda key: phrase(key, lang)  # noqa: E731
    year, province = published.year, published.province
    stunting = published.tables[cells.STUNTING]
    kabkota = stunting.loc[stunting.level == "kabkota"]
    total = stunting.loc[stunting.level == "provinsi"].iloc[0]
    hidden = p("public_hidden")
    stunting_columns = {"stunted": p("public_stunted"), "measured": p("public_measured")}
    levels = catalogue()["strata"]["levels"]
    other = "en" if lang == "id" else "id"
    page_name = "index.html" if area == province else f"{area}.html"
    names = dict(zip(kabkota.region_code, kabkota.name))
    parts = [f'<header><nav class="top"><a href="../../index.html">{html.escape(p("public_title"))}</a>'
             f'<a href="../../../{other}/{province}/{year}/{page_name}" hreflang="{other}">'
             f'{"English" if lang == "id" else "Bahasa Indonesia"}</a></nav>'
             f'<h1>{html.escape(published.province_name)}, {html.escape(_year_label(published, lang))}</h1>'
             f'<p class="muted">{html.escape(_updated(published, lang))}</p></header><main>']
    parts.append(f'<section><h2>{html.escape(p("public_stunting"))}</h2>'
                 f'<p class="muted">{html.escape(p("public_stunting_metric").format(year=year))}</p>'
                 f'<p class="metric">{hidden if pd.isna(total.rate) else _pct(total.rate, lang)}</p>'
                 f'<p>{html.escape(p("public_stunting_explain").format(stunted=_count(total.stunted, lang), measured=_count(total.measured, lang)))}</p>'
                 f'<p class="muted">{html.escape(p("public_routine"))}</p>')
    if ranking is not None:
        parts.append(ranking)
    parts.append(_table(kabkota, stunting_columns, {"rate": p("public_rate")}, lang))
    title = p("public_map_province") if area == province else names.get(area, area)
    parts.append(f'<h2>{html.escape(p("public_map_area"))} {html.escape(title)}</h2>')
    links = [f'<li><a href="index.html">{html.escape(p("public_map_province"))}</a></li>'] + [
        f'<li><a href="{code}.html">{html.escape(name)}</a></li>' for code, name in names.items()]
    parts.append(f'<ul class="areas">{"".join(links)}</ul>')
    if "map" in figures:
        parts.append(f'<div class="chart map" id="map" data-figure="{figures["map"]}" '
                     f'data-plotly="{up}{assets["plotly"]}"></div>')
    elif not have_maps:
        parts.append(f'<p class="muted">{html.escape(p("map_no_data"))}</p>')
    if area != province:
        parts.append(f'<h3>{html.escape(p("public_villages").format(area=names.get(area, area)))}</h3>')
        parts.append(_table(published.villages_of(area), stunting_columns, {"rate": p("public_rate")}, lang))
    parts.append(f'</section><section><h2>{html.escape(p("public_strata"))}</h2><p class="muted">'
                 f'{html.escape(p("public_strata_explain"))}</p>')
    parts.append(_table(published.tables[cells.STRATA], {**{s: p(f"strata_{s}") for s in levels},
                                                         "posyandu": p("public_posyandu_total")}, {}, lang))
    parts.append(f'</section><section><h2>{html.escape(p("public_referrals"))}</h2><p class="muted">'
                 f'{html.escape(p("public_referrals_explain").format(day=fmt.date(published.referrals_as_of, lang)))}</p>')
    parts.append(_table(published.tables[cells.REFERRALS], {"dirujuk": p("public_referred"), "selesai": p("public_completed"),
                                                            "batal": p("public_cancelled"), "terbuka": p("public_open")},
                        {"done": p("public_completed_pct")}, lang))
    parts.append(f'</section><section><p class="muted">{html.escape(p("public_open_data_explain"))}</p>'
                 f'<p><a class="button" href="{up}{data["zip"]}" download>{html.escape(p("public_open_data"))}</a></p>')
    threshold = suppress.suppression_threshold()
    spec = catalogue()["prevalence"]["stunting"]
    about = p("public_about_text").format(threshold_minus=threshold - 1, minimum=suppress.min_rate_denominator(),
                                          hidden=hidden, source=spec["bands_source"],
                                          bands="; ".join(fixed_bands(spec["bands"], lang).labels))
    items = "".join(f"<li>{html.escape(line.lstrip('- ').replace('*', ''))}</li>" for line in about.splitlines())
    parts.append(f'<h2>{html.escape(p("public_about"))}</h2><ul>{items}</ul></section></main>')
    return _document(f"{published.province_name} {year}", lang, assets, up, "".join(parts), bool(figures))


def _updated(published, lang: str) -> str:
    """When the data was updated and the month it runs until, and, for a partial year, what it covers."""
    updated = phrase("public_updated", lang).format(updated=fmt.date(published.last_import, lang),
                                                    until=fmt.month(published.last_month, lang))
    note = completeness.coverage_note(published.coverage, lang)
    return f"{updated} {note}" if note else updated


def _document(title: str, lang: str, assets: dict[str, str], up: str, body: str, charts: bool) -> str:
    scripts = f'<script src="{up}{assets["js"]}" defer></script>' if charts else ""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{html.escape(title)}</title><link rel="stylesheet" href="{up}{assets["css"]}">{scripts}</head>'
            f'<body>{body}</body></html>')


def _year_label(published: cells.Publication, lang: str) -> str:
    """'2026 (10 dari 12 bulan)' for a partial year, the year alone otherwise."""
    coverage = completeness.coverage_text(published.coverage, lang) if published.coverage else ""
    return f"{published.year} ({coverage})" if coverage else str(published.year)


def _index(publications: list[cells.Publication], lang: str, assets: dict[str, str]) -> str:
    other = "en" if lang == "id" else "id"
    items = "".join(f'<li><a href="{p.province}/{p.year}/index.html">{html.escape(p.province_name)}, {html.escape(_year_label(p, lang))}</a></li>'
                    for p in publications)
    body = (f'<header><nav class="top"><a href="../{other}/index.html" hreflang="{other}">'
            f'{"English" if lang == "id" else "Bahasa Indonesia"}</a></nav>'
            f'<h1>{html.escape(phrase("public_title", lang))}</h1></header><main><ul>{items}</ul></main>')
    return _document(phrase("public_title", lang), lang, assets, "../", body, False)
