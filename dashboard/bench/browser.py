"""Browser part: the real app (``streamlit run``) in headless Chromium.

- cold start: from starting the app process to ``/_stcore/health`` answering, and on to the first
  chart drawn (``.js-plotly-plot .main-svg`` visible) on ``/`` (the public page, what anyone opening
  the address sees, no login); Chromium is launched before the clock starts (a browser is already open).
  Three ways: an empty browser cache (a first visitor), a returning visitor's cache (the app process
  restarted), and a reference app of one Plotly chart (the floor of Streamlit + Plotly on this machine);
- per page, for a few filter URLs: the time the page takes to run and draw its first figure (the
  first drawn chart, or the first metric on pages without a chart). Every ``goto`` is a new browser
  session, and internal pages ask for a login on the page itself, so for them the clock starts at
  the login click (the page then runs in the open tab, as after a filter change) and the note adds
  the whole time from ``goto``; for the public page it is from ``goto``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

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


# The reference for the cold start: the least a Streamlit app with one Plotly chart costs on this
# machine and browser (Python and Streamlit starting, Streamlit's JavaScript and Plotly's bundle
# loading), measured the same way; the difference to the app's figure is what the app adds.
REFERENCE_APP = """import plotly.graph_objects as go
import streamlit as st

st.header("Posyandu")
st.plotly_chart(go.Figure(go.Bar(x=[3, 1, 2], y=["a", "b", "c"], orientation="h")))
"""


def cold_start(tab, ctx: Context, env: dict[str, str], script: Path | None = None
               ) -> tuple[dict[str, float | None], str, object]:
    """Start the app (or ``script``) and open ``/``; seconds from process start to each milestone,
    the URL and the app process."""
    log = ctx.workdir / "streamlit.log"
    times: dict[str, float | None] = {"chart_data": None}

    def frame(payload: bytes | str) -> None:  # a Plotly figure's JSON spec in a websocket message
        if times["chart_data"] is None and (b'"layout":' if isinstance(payload, bytes) else '"layout":') in payload:
            times["chart_data"] = time.perf_counter() - start

    tab.on("websocket", lambda socket: socket.on("framereceived", frame))
    start = time.perf_counter()
    url, app = start_app(ctx.db, log, env, script)
    try:
        times["health"] = time.perf_counter() - start
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


def _median(starts: list[dict[str, float | None]], key: str) -> str:
    values = [s[key] for s in starts if s[key] is not None]
    if len(values) < len(starts):
        return f"not seen {len(starts) - len(values)}x"
    return f"{np.median(values):.1f} s"


def _spread(starts: list[dict[str, float | None]], key: str) -> str:
    values = [s[key] for s in starts if s[key] is not None]
    return f"{min(values, default=0):.1f}-{max(values, default=0):.1f} s"


def cold_start_rows(starts: list[dict[str, float | None]], returning: list[dict[str, float | None]],
                    reference: list[dict[str, float | None]]) -> list[Row]:
    n = len(starts)
    return [Row("browser", f"cold start: app process start to /_stcore/health, median of {n}",
                _median(starts, "health"), f"{_spread(starts, 'health')}; python -m dashboard serve, headless"),
            Row("browser", f"cold start: app process start to first chart visible on `/` (public page), empty "
                           f"browser cache, median of {n}",
                _median(starts, "chart"), f"goal < 5 s; {_spread(starts, 'chart')}; Chromium already running; "
                f"page loaded {_median(starts, 'loaded')}, page heading {_median(starts, 'heading')}"),
            Row("browser", f"cold start, the app's part: process start to the first chart's figure received by "
                           f"the browser, median of {n}",
                _median(starts, "chart_data"), f"{_spread(starts, 'chart_data')}; the rest is the browser loading "
                f"Plotly's bundle and drawing (reference app: {_median(reference, 'chart_data')} to figure received)"),
            Row("browser", f"the same, returning visitor (browser cache holds Streamlit's JavaScript), median of "
                           f"{len(returning)}",
                _median(returning, "chart"), f"{_spread(returning, 'chart')}; the app process restarted"),
            Row("browser", f"reference: a Streamlit app of one heading and one Plotly bar chart, same measurement "
                           f"(empty cache), median of {len(reference)}",
                _median(reference, "chart"), f"{_spread(reference, 'chart')}; the floor of any Streamlit + Plotly "
                f"page on this machine; health {_median(reference, 'health')}")]


def browser_part(ctx: Context, cold_starts: int = 3) -> list[Row]:
    from playwright.sync_api import sync_playwright

    from dashboard import auth

    login = ctx.login()
    filters = browser_filters(ctx)
    query = lambda f: f"?wilayah={f['wilayah']}&periode={f['periode']}"  # noqa: E731
    urls = ", ".join(f"{f['wilayah']} {f['periode']}" for f in filters)
    reference_app = ctx.workdir / "reference_app.py"
    reference_app.write_text(REFERENCE_APP)
    env = {"POSYANDU_USERS": str(login.users_file)}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        starts, returning, reference = [], [], []
        for attempt in range(cold_starts):  # a new browser context: nothing cached in the browser
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            times, _, app = cold_start(context.new_page(), ctx, env, reference_app)
            reference.append(times)
            stop_app(app)
            context.close()
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            first = context.new_page()
            times, _, app = cold_start(first, ctx, env)
            starts.append(times)
            stop_app(app)
            first.close()
            tab = context.new_page()  # the same context: its HTTP cache holds what the first visit loaded
            times, url, app = cold_start(tab, ctx, env)
            returning.append(times)
            if attempt < cold_starts - 1:
                stop_app(app)
                context.close()
        rows = cold_start_rows(starts, returning, reference)
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
