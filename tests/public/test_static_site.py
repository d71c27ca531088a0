"""The static public site (issue 22) built from the tiny demo: no identifier of the source exports in
any file it publishes, every number it publishes equals the open-data export, the build switches
atomically, and a real browser draws its charts and map from Python's ``http.server`` (the server
``python -m http.server`` runs, here in a thread so it listens before the browser asks)."""

from __future__ import annotations

import functools
import gzip
import io
import re
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.maps import boundaries
from dashboard.public.site import build_site
from tests.maps.conftest import BANTEN, KALTENG, need
from tests.public.identifiers import leaks, source_identifiers
from tests.public.test_joint_suppression import province_years

TEXT_SUFFIXES = {".html", ".json", ".csv", ".css", ".js", ".geojson"}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def site(demo_db, tmp_path_factory):
    paths = [need(BANTEN), need(KALTENG)]                             # the bundled villages
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(boundaries.ENV_VAR, ":".join(map(str, paths)))
        out = tmp_path_factory.mktemp("public") / "site"
        build_site(out, demo_db)
    return out


def published_texts(site: Path) -> dict[str, str]:
    """Every text file of the build, and every file inside its ZIPs, by path."""
    texts = {}
    for path in site.rglob("*"):
        if path.suffix in TEXT_SUFFIXES and "plotly" not in path.name:
            texts[str(path.relative_to(site))] = path.read_text(encoding="utf-8")
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                texts |= {f"{path.name}/{n}": archive.read(n).decode("utf-8") for n in archive.namelist()}
    return texts


def test_the_build_is_a_switched_symlink_and_refuses_a_real_folder(site, tmp_path):
    assert site.is_symlink() and (site / "index.html").is_file() and (site / "en" / "index.html").is_file()
    assert list((site / "assets").glob("plotly.*.min.js.gz"))            # versioned and compressed
    real = tmp_path / "not-a-link"
    real.mkdir()
    with pytest.raises(ValueError, match="not a symlink"):
        build_site(real)


def test_no_file_of_the_site_holds_an_identifier(site, demo_db):
    identifiers = source_identifiers(demo_db.parent / "files")
    texts = published_texts(site)
    assert any(name.endswith(".html") for name in texts) and any(".zip/" in name for name in texts)
    found = {name: hits for name, text in texts.items() if (hits := leaks(text, identifiers))}
    assert found == {}


def _number(text: str) -> float | None:
    """A count as the Indonesian page writes it ("1.234"), None for the hidden mark."""
    return None if text == "disembunyikan" else float(text.replace(".", "").replace(",", "."))


def test_every_published_number_equals_the_export(site, demo_db, tmp_path):
    for province, year in province_years(demo_db):
        exported = tmp_path / f"{province}_{year}"
        assert main(["publik", "export", "--province", province, "--year", str(year), "--out", str(exported),
                     "--db", str(demo_db)]) == 0
        data = site / "data" / province / str(year)
        for csv in exported.iterdir():                                  # the open files are the export, byte for byte
            assert (data / "open" / csv.name).read_bytes() == csv.read_bytes(), csv.name
        [archive] = data.glob("data-publik_*.zip")
        with zipfile.ZipFile(io.BytesIO(archive.read_bytes())) as bundle:
            assert {n: bundle.read(n) for n in bundle.namelist()} == {c.name: c.read_bytes() for c in exported.iterdir()}
        kabkota = pd.read_csv(exported / "stunting.csv", dtype={"kode_wilayah": str}).query("tingkat == 'kabkota'")
        page = (site / "id" / province / str(year) / "index.html").read_text(encoding="utf-8")
        [table, strata, referrals] = pd.read_html(io.StringIO(page), thousands=None, decimal="@")
        assert list(table.Wilayah) == list(kabkota.nama_wilayah)
        for shown, column in (("Balita stunting", "balita_stunting"), ("Balita diukur", "balita_diukur")):
            assert [_number(str(v)) for v in table[shown]] == [None if pd.isna(v) else float(v) for v in kabkota[column]]
        assert ranking_labels(page) == expected_ranking(kabkota)
        strata_csv = pd.read_csv(exported / "strata.csv")
        assert [_number(str(v)) for v in strata["Jumlah posyandu"]] == [
            None if pd.isna(v) else float(v) for v in strata_csv.posyandu_total]
        referrals_csv = pd.read_csv(exported / "rujukan.csv")
        assert [_number(str(v)) for v in referrals["Dirujuk"]] == [
            None if pd.isna(v) else float(v) for v in referrals_csv.rujukan_dibuat]


def ranking_labels(page: str) -> list[tuple[str, str]]:
    """(kab/kota, the label beside its bar) in the order the inline SVG ranking draws them."""
    svg = ElementTree.fromstring(re.search(r'<svg id="ranking".*?</svg>', page, re.S).group(0))
    texts = [(t.get("class"), "".join(t.itertext())) for t in svg.iter(f"{SVG}text")]
    names = [i for i, (kind, _) in enumerate(texts) if kind == "name"]
    return [(texts[i][1], texts[i + 1][1]) for i in names]


def expected_ranking(kabkota: pd.DataFrame) -> list[tuple[str, str]]:
    """The export's kab/kota with their rate as the Indonesian page writes it (one decimal, comma, %; the
    hidden mark where a count is suppressed; "–" where nobody was measured), drawn bars highest first."""
    def label(row) -> str:
        if pd.isna(row.balita_stunting) or pd.isna(row.balita_diukur):
            return "disembunyikan"
        return "–" if row.balita_diukur == 0 else f"{row.prevalensi_stunting_persen:.1f}".replace(".", ",") + "%"

    drawn = kabkota.balita_diukur.gt(0) & kabkota.balita_stunting.notna()
    ordered = pd.concat([kabkota.loc[drawn].sort_values("prevalensi_stunting_persen", ascending=False, kind="stable"),
                         kabkota.loc[~drawn]])
    return [(row.nama_wilayah, label(row)) for row in ordered.itertuples()]


def test_the_first_chart_needs_no_script_and_the_first_visit_stays_small(site):
    """The ranking is drawn from the HTML (inline SVG with its title); plotly.js is not a script of the page,
    only named for the map; the page, its CSS and script weigh well under 1.5 MB gzipped."""
    page = (site / "id" / "36" / "2025" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<svg id="ranking"[^>]*role="img"', page) and "<title id=\"ranking-title\">" in page
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts and not any("plotly" in s for s in scripts)
    assert re.search(r'data-plotly="[^"]*plotly\.[0-9a-f]{12}\.min\.js"', page)
    assets = [site / "id" / "36" / "2025" / link for link in re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', page)]
    weight = len(gzip.compress(page.encode())) + sum(Path(f"{a}.gz").stat().st_size for a in assets)
    assert weight < 1_500_000, weight


# Elements that pass the viewport's left or right edge (those inside a table's own horizontal scroller
# excepted: a wide table scrolls in its box; and plotly's text ruler, placed off screen on purpose), and text of a chart that passes its chart's box (an SVG
# clips it silently, so the page's width alone would not show it).
OVERFLOWING = """() => {
  const out = [], scrollers = [...document.querySelectorAll(".scroll")];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + (el.textContent || "").slice(0, 30);
  for (const el of document.querySelectorAll("body *")) {
    if (scrollers.some((s) => s !== el && s.contains(el)) || el.closest("#js-plotly-tester")) continue;  // plotly's off-screen text ruler
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.left < -0.5 || r.right > innerWidth + 0.5)) out.push(name(el) + " " + Math.round(r.right));
  }
  for (const chart of document.querySelectorAll("#ranking, #map")) {
    const box = chart.getBoundingClientRect();
    if (box.right > innerWidth + 0.5) out.push(name(chart));
    for (const text of chart.querySelectorAll("text")) {
      const r = text.getBoundingClientRect();
      if (r.width > 0 && (r.left < box.left - 0.5 || r.right > box.right + 0.5)) out.push(name(text) + " in " + chart.id);
    }
  }
  return out;
}"""


@pytest.fixture
def phone(site, browser):
    """A page of a 390x844 phone with an empty cache, and the site's address on Python's ``http.server``
    (on a free port, listening before the test asks)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site.resolve())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        yield context.new_page(), f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.mark.e2e
def test_a_phone_draws_the_first_chart_without_plotly_js(phone):
    from playwright.sync_api import expect

    page, base = phone
    page.route("**/plotly.*", lambda route: route.abort())       # as if plotly.js never arrived
    page.goto(f"{base}/id/36/2025/index.html")
    expect(page.locator("#ranking rect.bar").first).to_be_visible()
    expect(page.locator("#ranking text.value").first).to_have_text(re.compile(r"^\d+,\d%$"))
    assert page.evaluate("typeof Plotly") == "undefined"


@pytest.mark.e2e
def test_a_phone_draws_the_charts_and_the_map_from_a_plain_file_server_within_its_width(phone):
    from playwright.sync_api import expect

    page, base = phone
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/id/36/2025/36.04.html")
    expect(page.locator("h1")).to_contain_text("Banten")
    expect(page.locator("#ranking rect.bar").first).to_be_visible()
    page.locator("#map").scroll_into_view_if_needed()             # plotly.js comes with the map
    expect(page.locator("#map[data-drawn]")).to_be_attached(timeout=60_000)
    expect(page.locator("#map .maplibregl-canvas, #map canvas").first).to_be_visible()
    expect(page.locator("#map .legend text.legendtext").first).to_be_attached()
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")   # no sideways scrolling
    assert page.evaluate(OVERFLOWING) == []
    assert errors == []


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # one line per file fetched would bury the test's output
        pass


def test_an_import_rebuilds_only_a_site_built_before_and_only_from_its_own_database(tmp_path, monkeypatch):
    from dashboard.public.site import rebuild_in_background

    db = tmp_path / "posyandu.duckdb"                     # absent: the build it starts stops with a message
    monkeypatch.setenv("POSYANDU_DB", str(db))
    monkeypatch.delenv("POSYANDU_PUBLIC_SITE", raising=False)
    assert rebuild_in_background(db) is None              # no site yet: a scratch database publishes nothing
    (tmp_path / "publik-site.builds").mkdir()
    (tmp_path / "publik-site").symlink_to("publik-site.builds")
    assert rebuild_in_background(tmp_path / "other.duckdb") is None
    process = rebuild_in_background(db)
    assert process is not None and process.wait(timeout=120) == 1
    assert "does not exist" in (tmp_path / "publik-site.log").read_text()
