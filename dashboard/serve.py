"""Start the real app on 127.0.0.1 and open Debian's Chromium: shared by the browser tests and the
benchmark (``python -m dashboard bench --only browser``), so both run the app the same way."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from dashboard.config import PROJECT_ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
CHART = ".js-plotly-plot .main-svg"  # the drawn plot (its container appears before the plot is drawn)
METRIC = '[data-testid="stMetric"]'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("streamlit did not become healthy in time")


# What the first page run needs beyond Streamlit itself, in the order the public page (`/`) needs it
# before its first chart (then the map, then the internal pages): imported once the server listens,
# while the first visitor's browser is still loading the app's JavaScript, so that the page run does
# not wait for them. Started earlier, the imports would only slow Streamlit's own start (one GIL).
# scipy (0.4 s, the suppression's linear programs) is left to the first table that hides a cell.
WARM_UP = ("numpy", "pandas", "duckdb", "bcrypt", "plotly.graph_objects", "dashboard.ui.access",
           "dashboard.ui.components", "dashboard.ui.filters", "dashboard.charts", "first figure",
           "dashboard.public.suppress", "dashboard.ui.maps", "shapely", "pyogrio", "geopandas", "dashboard.maps.boundaries")


def _first_figure() -> None:
    """Plotly loads the validators of a trace type on its first use (0.1 s): build one bar chart."""
    import pandas as pd
    import plotly.io

    from dashboard import charts

    frame = pd.DataFrame({"label": ["a"], "value": [1.0], "numerator": [1], "denominator": [2]})
    plotly.io.to_json(charts.ranked_bars(frame, "", "", (1.0, "")))


def _warm_up(wait_s: float = 30) -> None:
    import importlib
    import logging

    from streamlit.runtime import Runtime, RuntimeState

    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline and not (Runtime.exists() and Runtime.instance().state != RuntimeState.INITIAL):
        time.sleep(0.02)
    for name in WARM_UP:
        try:
            _first_figure() if name == "first figure" else importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page run will do it again and report properly
            logging.getLogger(__name__).exception("warm-up step %s failed", name)


def serve(streamlit_args: list[str]) -> int:
    """``python -m dashboard serve [streamlit options]``: ``streamlit run dashboard/app.py`` with the
    heavy modules imported in a background thread as soon as the server listens."""
    import threading

    from streamlit.web import cli

    from dashboard.access.login import forwarded_allow_ips

    # uvicorn believes X-Forwarded-For/-Proto only from the proxies of POSYANDU_TRUSTED_PROXIES (its own
    # default would believe any client on the loopback); asgi.py adds the session cookie route.
    os.environ["FORWARDED_ALLOW_IPS"] = forwarded_allow_ips()
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    sys.argv = ["streamlit", "run", str(PROJECT_ROOT / "dashboard" / "asgi.py"), *streamlit_args]
    return cli.main()


def start_app(db_path: Path, log_path: Path, env: dict[str, str] | None = None,
              script: Path | None = None) -> tuple[str, subprocess.Popen]:
    """Run ``python -m dashboard serve`` (or ``streamlit run script``: the benchmark's reference app)
    on a free port over ``db_path`` (with ``env`` added to this process's environment); returns once
    ``/_stcore/health`` answers."""
    port = free_port()
    env = {**os.environ, **(env or {}), "POSYANDU_DB": str(db_path)}
    command = ["dashboard", "serve"] if script is None else ["streamlit", "run", str(script)]
    log = open(log_path, "w")
    process = subprocess.Popen(
        [sys.executable, "-m", *command, "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--server.fileWatcherType", "none"],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()  # the child holds its own copy
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
    except BaseException:
        stop_app(process)
        raise
    return url, process


def stop_app(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def launch_chromium(playwright):
    """Headless Debian Chromium through Playwright (no browser download needed)."""
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"Chromium not found at {CHROMIUM}: install Debian's package 'chromium'")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
