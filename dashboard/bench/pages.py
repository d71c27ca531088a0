"""Page query time after a filter change, measured as the pages really run: each page script runs
in Streamlit's ``AppTest`` with the filters in its URL and the query cache cleared, and every
``run_query`` the page makes (filter bar included) is timed and summed for that run."""

from __future__ import annotations

import ast
import logging
import os
import random
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from unittest import mock

import numpy as np
import pandas as pd

from dashboard.bench.common import BenchLogin, Context, Row
from dashboard.config import PROJECT_ROOT
from dashboard.regions import LEVELS, level_of

KINDS = ("year", "quarter", "month")


def app_pages() -> list[tuple[str, Path]]:
    """(url path, script) of every page in ``dashboard/app.py``'s ``PAGES`` table, in menu order."""
    tree = ast.parse((PROJECT_ROOT / "dashboard" / "app.py").read_text(encoding="utf-8"))
    table = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets))
    return [(url, PROJECT_ROOT / "pages" / spec[0]) for url, spec in ast.literal_eval(table).items()]


def filter_combinations(db: Path, per_level: int = 2, seed: int = 8) -> list[dict[str, str]]:
    """Regions with data, ``per_level`` drawn at each level (provinsi ... desa), crossed with a
    year, a quarter and a month drawn from the months the filter bar offers."""
    from dashboard.db import connect_readonly, run_query
    from dashboard.periods import periods_covering

    rng = random.Random(seed)
    con = connect_readonly(db)
    try:
        regions = con.execute("select distinct level, region_code from prevalence where period_type = 'year' "
                              "order by region_code").df()
        months = list(run_query(con, "pages/common/periods").month.dt.date)
    finally:
        con.close()
    codes = [c for level in LEVELS for c in sorted(rng.sample(list(regions[regions.level == level].region_code),
                                                               min(per_level, int((regions.level == level).sum()))))]
    periods = [rng.choice(periods_covering(months, kind)).code for kind in KINDS]
    return [{"wilayah": code, "periode": period} for code in codes for period in periods]


@contextmanager
def timed_queries() -> Iterator[list[tuple[str, float, bool]]]:
    """Record (query name, seconds, run by the filter bar) for every ``dashboard.db.run_query`` the
    pages make (through ``dashboard.ui.data`` and any other module holding it, e.g. the briefing);
    the filter bar's are those run inside ``page_header``."""
    from dashboard import db
    from dashboard.ui import data, filters  # noqa: F401 (imports the modules that hold run_query)

    spent: list[tuple[str, float, bool]] = []
    in_header = [False]
    run_query, page_header = db.run_query, filters.page_header
    holders = [m for name, m in list(sys.modules.items()) if name.startswith("dashboard.")
               and getattr(m, "run_query", None) is run_query]

    def timed(con, name, params=None):
        start = time.perf_counter()
        try:
            return run_query(con, name, params)
        finally:
            spent.append((name, time.perf_counter() - start, in_header[0]))

    def header(*args, **kwargs):
        in_header[0] = True
        try:
            return page_header(*args, **kwargs)
        finally:
            in_header[0] = False

    for module in holders:
        module.run_query = timed
    filters.page_header = header  # pages import page_header each time they run
    try:
        yield spent
    finally:
        for module in holders:
            module.run_query = run_query
        filters.page_header = page_header


def run_page(script: Path, filters: dict[str, str], spent: list, login: BenchLogin
             ) -> tuple[list[tuple[str, float, bool]], list[str]]:
    """Run one page script, logged in, with ``filters`` in its URL and a cold query cache; returns the
    queries it ran (name, seconds, by the filter bar), and any exception messages."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard import auth
    from dashboard.ui.access import SESSION_KEY

    app = AppTest.from_file(str(script), default_timeout=600)
    app.session_state[SESSION_KEY] = auth.new_session(login.user, login.role)
    for key, value in filters.items():
        app.query_params[key] = value
    st.cache_data.clear()  # a filter change: no query result is cached (the connection and maps are resources, kept)
    spent.clear()
    app.run()
    return list(spent), [e.message for e in app.exception]


def page_query_times(db: Path, filters: list[dict[str, str]], login: BenchLogin) -> pd.DataFrame:
    """One row per (page, filter combination, query run): page, combo, query, ms, filter_bar, errors."""
    records = []
    with mock.patch.dict(os.environ, {"POSYANDU_DB": str(db), "POSYANDU_USERS": str(login.users_file)}), \
            quiet_streamlit(), \
            timed_queries() as spent:
        for url, script in app_pages():  # warm-up: open the connection, import the page modules
            run_page(script, filters[0], spent, login)
        for combo, chosen in enumerate(filters):
            for url, script in app_pages():
                queries, errors = run_page(script, chosen, spent, login)
                records += [{"page": url or script.stem, "combo": combo, "query": name, "ms": 1000 * s,
                             "filter_bar": bar, "errors": "; ".join(errors)}
                            for name, s, bar in queries or [("(none)", 0.0, False)]]
    return pd.DataFrame(records)


@contextmanager
def quiet_streamlit() -> Iterator[None]:
    """Hide the warnings Streamlit logs when scripts run outside a server ("No runtime found",
    "missing ScriptRunContext") and Python warnings raised by page code."""
    import streamlit.testing.v1  # noqa: F401 (creates Streamlit's loggers)

    loggers = [logging.getLogger(n) for n in list(logging.root.manager.loggerDict) if n.startswith("streamlit")]
    errors_only = lambda record: record.levelno >= logging.ERROR  # noqa: E731 (a filter: AppTest resets levels)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for log in loggers:
            log.addFilter(errors_only)
        try:
            yield
        finally:
            for log in loggers:
                log.removeFilter(errors_only)


def _ms(values) -> str:
    return f"{np.median(values):,.0f} / {np.percentile(values, 95):,.0f} ms"


def pages_part(ctx: Context) -> list[Row]:
    filters = filter_combinations(ctx.db, ctx.regions_per_level)
    return summarise(page_query_times(ctx.db, filters, ctx.login()), filters)


def summarise(times: pd.DataFrame, filters: list[dict[str, str]]) -> list[Row]:
    """A row per page (median and p95 of its summed query time over the filter combinations) and
    one for all pages together."""
    per_run = times.groupby(["page", "combo"], sort=False).ms.sum()
    rows = []
    for page, runs in per_run.groupby(level="page", sort=False):
        mine = times[times.page == page]
        by_query = mine.groupby(["combo", "query"]).ms.sum().groupby(level="query").median().sort_values()
        filter_bar = mine[mine.filter_bar].groupby("combo").ms.sum()
        errors = (mine.groupby("combo").errors.first() != "").sum()
        ran = mine[mine["query"] != "(none)"]
        if ran.empty:
            rows.append(Row("pages", f"`{page}`: its queries after a filter change", "no queries",
                            "the page reads nothing on opening"))
            continue
        count = ran.groupby("combo").size().median()
        slowest = by_query.index[-1].removeprefix("pages/")
        note = f"{count:.0f} queries; slowest {slowest} {by_query.iloc[-1]:,.0f} ms (its calls summed)"
        note += f"; filter bar {filter_bar.median():,.0f} ms of it" if len(filter_bar) else ""
        if errors:
            failed = mine[mine.errors != ""].drop_duplicates("combo")
            where = ", ".join(" ".join(filters[c].values()) for c in failed.combo[:3])
            note += f"; {errors} runs raised an exception and stopped early ({failed.errors.iloc[0]}), e.g. {where}"
        rows.append(Row("pages", f"`{page}`: its queries after a filter change, median / p95", _ms(runs.values), note))
    together = per_run.groupby(level="combo").sum()
    regions = ", ".join(f"{len({f['wilayah'] for f in filters if level_of(f['wilayah']) == level})} {level}"
                        for level in LEVELS)
    periods = ", ".join(dict.fromkeys(f["periode"] for f in filters))
    rows.append(Row("pages", "all pages' queries together per filter change, median / p95", _ms(together.values),
                    f"goal < 300 ms median; {per_run.index.get_level_values('page').nunique()} pages; "
                    f"{len(filters)} filter combinations of regions ({regions}) and periods "
                    f"({periods}); query cache cleared before each page run; AppTest; warm connection"))
    return rows
