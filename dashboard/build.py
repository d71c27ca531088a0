"""Derived data: z-scores on every measurement, then the marts of ``queries/marts/``.

Runs inside the writer after every import (``import_files(after_load=refresh)``) so that what
the dashboard reads is always current. Marts are rebuilt whole: each is one ``select`` whose
file name is the table name, in the order of ``MARTS`` (later ones read earlier ones); then the
table macros of ``MACROS``. ``area_villages`` comes first: every roll-up joins it.
"""

from __future__ import annotations

import time

import duckdb
import numpy as np
import pandas as pd

from dashboard.db import load_sql, scalar
from dashboard.growth.status import status_labels
from dashboard.growth.zscores import compute_zscores
from dashboard.indicators import load_reference_tables
from dashboard.regions import LEVELS, load_regions

MARTS = ("area_villages", "child_months", "skdn_posyandu_month", "child_period_z", "prevalence", "strata_posyandu_year",
         "skdn_area_month", "pkk_village_year", "stunting_age_sex", "haz_distribution", "quality_village_year",
         "digits_village_year", "reported_z_village_year", "reported_age_village_year", "posyandu_fields",
         "posyandu_field_month", "completeness")
# Table macros the page queries call, stored in the database; later ones call earlier ones.
MACROS = ("areas_within", "referrals_as_of", "strata_moves", "area_quality", "area_digit_preference",
          "active_posyandu_fields")
Z_COLUMNS = ("lenhei_adj_cm", "measure_error", "haz", "waz", "whz", "baz", "flag_haz", "flag_waz", "flag_whz", "flag_baz")


ZSCORE_CHUNK_ROWS = 500_000  # measurements per z-score pass: bounds the pandas/NumPy memory of a refresh


def refresh_zscores(con: duckdb.DuckDBPyConnection, chunk_rows: int | None = None) -> int:
    """Compute z-scores for measurements that do not have them yet, ``chunk_rows`` at a time in key
    order (each pass marks its rows done, so the next pass takes the following ones); returns how many."""
    done = 0
    while written := _zscore_pass(con, chunk_rows or ZSCORE_CHUNK_ROWS):
        done += written
    return done


def _zscore_pass(con: duckdb.DuckDBPyConnection, limit: int) -> int:
    """Z-scores and statuses of the next ``limit`` pending measurements, written with one UPDATE."""
    rows = con.execute(
        "select child_id, measured_on, sex, datediff('day', birth_date, measured_on) as age_days, weight_kg, "
        "lenhei_cm, measure, oedema from measurements where zscored_at is null "
        "order by child_id, measured_on limit $limit", {"limit": limit}).df()
    if rows.empty:
        return 0
    z = compute_zscores(
        sex=rows["sex"].astype("float64").to_numpy(),
        age_days=rows["age_days"].astype("float64").to_numpy(),
        weight_kg=rows["weight_kg"].astype("float64").to_numpy(),
        lenhei_cm=rows["lenhei_cm"].astype("float64").to_numpy(),
        measure=rows["measure"].to_numpy(dtype=object),
        oedema=rows["oedema"].to_numpy(dtype=object),
    )
    update = pd.DataFrame({"child_id": rows["child_id"], "measured_on": rows["measured_on"],
                           "age_days": rows["age_days"].astype("Int64")})
    for column in Z_COLUMNS:
        update[column] = np.asarray(z[column])
    for indicator in ("haz", "waz", "whz", "baz"):
        oedema = z["oedema"].to_numpy() if indicator != "haz" else None
        update[f"{indicator}_status"] = status_labels(indicator, z[indicator].to_numpy(), oedema)
    con.register("z_update", update)
    written = ("age_days",) + Z_COLUMNS + tuple(f"{i}_status" for i in ("haz", "waz", "whz", "baz"))
    assignments = ", ".join(f"{c} = u.{c}" for c in written)
    changed = con.execute(f"update measurements m set {assignments}, zscored_at = now() from z_update u "
                          "where m.child_id = u.child_id and m.measured_on = u.measured_on").fetchone()[0]
    con.unregister("z_update")
    if not changed:  # the key is not null and unique in the schema; never loop on rows an UPDATE cannot reach
        raise RuntimeError("z-scores: pending measurements could not be updated by their key")
    return len(rows)


def load_region_levels(con: duckdb.DuckDBPyConnection) -> None:
    """``ref_region_levels``: the levels of ``regions.LEVELS`` from the top (depth 0), read by the
    ``area_villages`` mart; a new level is one entry there."""
    con.register("levels_frame", pd.DataFrame({"level": list(LEVELS), "depth": range(len(LEVELS))}))
    con.execute("create or replace table ref_region_levels as select * from levels_frame")
    con.unregister("levels_frame")


def build_marts(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Rebuild every mart from the canonical tables; returns seconds per mart."""
    load_regions(con)
    load_reference_tables(con)
    load_region_levels(con)
    timings = {}
    for name in MARTS:
        start = time.perf_counter()
        con.execute(f"create or replace table {name} as {load_sql(f'marts/{name}').sql}")
        timings[name] = time.perf_counter() - start
    for name in MACROS:
        con.execute(load_sql(f"macros/{name}").sql)
    return timings


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Everything derived, after an import."""
    refresh_zscores(con)
    build_marts(con)
