"""Browser part: the real app (``streamlit run``) in headless Chromium.

- cold start: from starting the app process to ``/_stcore/health`` answering, and on to the first
  chart drawn (``.js-plotly-plot .main-svg`` visible) on ``/`` (the public page, what anyone opening
  the address sees, no login); Chromium is launched before the clock starts (a browser is already open);
- per page, for a few filter URLs: the time the page takes to run and draw its first figure (the
  first drawn chart, or the first metric on pages without a chart). Every ``goto`` is a new browser
  session, and internal pages ask for a login on the page itself, so for them the clock starts at
  the login click (the page then runs in the open tab, as after a filter change) and the note adds
  the whole time from ``goto``; for the public page it is from ``goto``.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from dashboard.bench.common import BenchLogin, Context, Row, peak_memory_mb
from dashboard.bench.pages import KINDS, LEVELS, app_pages, filter_combinations
from dashboard.serve import CHART, METRIC, launch_chromium, start_app, stop_app

ERROR = '[data-testid="stException"]'
HEADING = '[data-testid="stHeading"]'  # st.header: the page script has started (its imports are done)
# The figure timed on each page: a drawn chart unless named here; None: the page has no figure to time.
FIRST_FIGURE = {"ringkasan": METRIC, "data": METRIC, "rapat": f"{CHART}, {METRIC}", "impor": None, "pengguna": None}


def browser_filters(ctx: Context) -> list[dict[str, str]]:
    """One region per level, each with another period kind: provinsi/year, kabkota/quarter, ..."""
    combos = filter_combinations(ctx.db, 1)
    return [combos[i * len(KINDS) + i % len(KINDS)] for i in range(len(LEVELS))]


def _wait(tab, selector: str, timeout_s: float) -> str:
    """Wait for ``selector`` or an exception box; returns which showed ("figure", "exception", "nothing")."""
    try:
        tab.locator(f"{selector}, {ERROR}").first.wait_for(state="visible", timeout=timeout_s * 1000)
    except Exception:  # playwright's TimeoutError
        return "nothing"
    return "exception" if tab.locator(ERROR).count() else "figure"


def open_page(tab, url: str, selector: str, login: BenchLogin | None, timeout_s: float = 60
              ) -> tuple[float | None, float | None, str]:
    """Open ``url`` (logging in on the page when ``login`` is given) until ``selector`` shows; returns
    seconds from the login click (or from ``goto`` without login), seconds from ``goto``, and what showed."""
    from dashboard.i18n import phrase

    start = time.perf_counter()
    tab.goto(url)
    clicked = start
    if login is not None:
        user = tab.get_by_label(phrase("user_name", "id"))
        user.wait_for(timeout=timeout_s * 1000)
        user.fill(login.user)
        tab.get_by_label(phrase("password", "id")).fill(login.password)
        clicked = time.perf_counter()
        tab.get_by_role("button", name=phrase("login", "id")).click()
    shown = _wait(tab, selector, timeout_s)
    end = time.perf_counter()
    return (end - clicked, end - start, shown) if shown == "figure" else (None, None, shown)


def cold_start(tab, ctx: Context, env: dict[str, str]) -> tuple[dict[str, float | None], str, object]:
    """Start the app and open ``/``; seconds from process start to each milestone, the URL and the app."""
    log = ctx.workdir / "streamlit.log"
    start = time.perf_counter()
    url, app = start_app(ctx.db, log, env)
    try:
        times = {"health": time.perf_counter() - start}
        tab.goto(f"{url}/")  # returns at the load event: the HTML and Streamlit's JavaScript
        times["loaded"] = time.perf_counter() - start
        _wait(tab, HEADING, 120)
        times["heading"] = time.perf_counter() - start
        times["chart"] = time.perf_counter() - start if _wait(tab, CHART, 120) == "figure" else None
    except BaseException:
        stop_app(app)
        print(f"streamlit log ({log}):\n" + log.read_text()[-3000:], file=sys.stderr)
        raise
    return times, url, app


def cold_start_rows(starts: list[dict[str, float | None]]) -> list[Row]:
    median = lambda key: float(np.median([s[key] for s in starts]))  # noqa: E731
    charts = [s["chart"] for s in starts if s["chart"] is not None]
    healths = [s["health"] for s in starts]
    drawn = f"{np.median(charts):.1f} s" if len(charts) == len(starts) else f"no chart {len(starts) - len(charts)}x"
    return [Row("browser", f"cold start: app process start to /_stcore/health, median of {len(starts)}",
                f"{median('health'):.1f} s", f"{min(healths):.1f}-{max(healths):.1f} s; streamlit run, headless"),
            Row("browser", f"cold start: app process start to first chart visible on `/` (public page), median of "
                           f"{len(starts)}",
                drawn, f"goal < 5 s; {min(charts, default=0):.1f}-{max(charts, default=0):.1f} s; Chromium already "
                f"running, empty browser cache; page loaded {median('loaded'):.1f} s, page heading "
                f"{median('heading'):.1f} s (app and page modules imported)")]


def browser_part(ctx: Context, cold_starts: int = 3) -> list[Row]:
    from playwright.sync_api import sync_playwright

    from dashboard import auth

    login = ctx.login()
    filters = browser_filters(ctx)
    query = lambda f: f"?wilayah={f['wilayah']}&periode={f['periode']}"  # noqa: E731
    urls = ", ".join(f"{f['wilayah']} {f['periode']}" for f in filters)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        starts = []
        for attempt in range(cold_starts):  # a new browser context each time: nothing cached in the browser
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            tab = context.new_page()
            times, url, app = cold_start(tab, ctx, {"POSYANDU_USERS": str(login.users_file)})
            starts.append(times)
            if attempt < cold_starts - 1:
                stop_app(app)
                context.close()
        rows = cold_start_rows(starts)
        try:
            for page_url, script in app_pages():
                selector = FIRST_FIGURE.get(page_url, CHART)
                if selector is None:
                    rows.append(Row("browser", f"`{page_url}`", "not timed", "no chart or figure on this page"))
                    continue
                public = auth.allowed(auth.PUBLIK, page_url)
                runs, missing = [], []
                for chosen in filters:
                    context.clear_cookies()
                    run, whole, shown = open_page(tab, f"{url}/{page_url}{query(chosen)}", selector,
                                                  None if public else login)
                    if run is None:
                        missing.append(f"{chosen['wilayah']} {chosen['periode']}: {shown}")
                    else:
                        runs.append((run, whole))
                kind = "first chart" if selector == CHART else "first metric" if selector == METRIC else "first figure"
                start = "navigation" if public else "login click"
                figure = (f"{np.median([r for r, _ in runs]):.1f} / {max(r for r, _ in runs):.1f} s" if runs
                          else "never shown")
                note = f"{len(filters)} URLs: {urls}"
                if runs and not public:
                    note += f"; from goto incl. page load and login {np.median([w for _, w in runs]):.1f} s"
                note += f"; not shown for {', '.join(missing)}" if missing else ""
                rows.append(Row("browser", f"`{page_url}`: {start} to {kind} visible, median / max", figure, note))
            ctx.app_peak_mb = peak_memory_mb(app.pid)
        finally:
            stop_app(app)
            browser.close()
    return rows
