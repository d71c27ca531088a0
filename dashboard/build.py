"""Derived data: z-scores on every measurement, then the marts of ``queries/marts/``.

Runs inside the writer after every import (``import_files(after_load=refresh)``) so that what
the dashboard reads is always current. Each mart is one ``select`` whose file name is the table
name, in the order of ``MARTS`` (later ones read earlier ones); then the table macros of ``MACROS``.
``area_villages`` comes first: every roll-up joins it.

After an import only the slices it touched are recomputed (``refresh``): each mart file declares
its slice columns (``-- slice: child_id``; ``whole`` for a mart rebuilt whole), the import records
the keys of the rows it wrote and replaced (``load.TOUCHED``), and a mart's touched slices are the
values of its slice columns among the changed rows of what it reads: canonical rows, or the rows
of an earlier mart that actually changed. The slice is recomputed with the mart's own select,
filtered on its output, so the result equals a full rebuild; a changed input that does not carry
the slice columns, a changed catalogue or region list, or changed mart SQL rebuild whole.
``build_marts`` (``python -m dashboard rebuild``) rebuilds everything.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256

import duckdb
import numpy as np
import pandas as pd

from dashboard.db import load_sql, scalar, sql_files
from dashboard.growth.status import status_labels
from dashboard.growth.zscores import compute_zscores
from dashboard.indicators import load_reference_tables
from dashboard.regions import LEVELS, load_regions

MARTS = ("area_villages", "child_months", "skdn_posyandu_month", "child_period_z", "prevalence_village", "prevalence",
         "strata_posyandu_year", "skdn_area_month", "pkk_village_year", "stunting_age_sex_village", "stunting_age_sex",
         "haz_distribution_village", "haz_distribution", "quality_village_year",
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


# Measurements per pass when ``child_period_z`` is built whole (``build_whole``): a province's history
# is built in passes over hash partitions of the children, so DuckDB's memory stays within its limit.
PARTITION_ROWS = 2_000_000


def build_marts(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """Rebuild every mart from the canonical tables; returns seconds per mart."""
    _load_reference(con)
    timings = {}
    for name in MARTS:
        start = time.perf_counter()
        build_whole(con, mart_plan(name))
        timings[name] = time.perf_counter() - start
    _create_macros(con)
    _write_state(con)
    return timings


def _partitions(con: duckdb.DuckDBPyConnection) -> int:
    return max(1, -(-int(scalar(con, "select count(*) from measurements")) // PARTITION_ROWS))


def build_whole(con: duckdb.DuckDBPyConnection, plan: "MartPlan", parts: int | None = None) -> None:
    """``create or replace table`` a mart from its select. A mart whose select takes ``$parts`` and
    ``$part`` (``child_period_z``: child x period groups, the largest aggregate) is built in ``parts``
    passes, each over the children of one hash partition, so DuckDB's memory stays within its limit
    at province scale; the partition is filtered where the select reads the measurements, because
    DuckDB does not push a filter on the output through its aggregate there."""
    if not plan.partitioned:
        con.execute(f"create or replace table {plan.name} as {plan.sql}")
        return
    parts = parts or _partitions(con)   # by default, from the measurements there are now
    con.execute(f"create or replace table {plan.name} as {plan.sql}", {"parts": parts, "part": 0})
    for number in range(1, parts):
        con.execute(f"insert into {plan.name} {plan.sql}", {"parts": parts, "part": number})


def _load_reference(con: duckdb.DuckDBPyConnection) -> None:
    load_regions(con)
    load_reference_tables(con)
    load_region_levels(con)


def _create_macros(con: duckdb.DuckDBPyConnection) -> None:
    for name in MACROS:
        con.execute(load_sql(f"macros/{name}").sql)


def refresh(con: duckdb.DuckDBPyConnection, touched: str | None = None) -> dict[str, tuple[str, float]]:
    """Everything derived, after an import: z-scores for new rows, then the marts for the slices the
    import touched (``touched``: the table of touched keys, ``load.TOUCHED``), or all of them when
    ``touched`` is None or gone. Returns per mart how it was brought up to date (whole, slices or
    unchanged) and the seconds it took."""
    if touched is not None and _exists(con, touched):   # rows the z-score step is about to change
        con.execute(f"insert into {touched} select distinct 'measurements', child_id, posyandu_id, village_code, "
                    "date_trunc('month', measured_on)::date, date_trunc('year', measured_on)::date "
                    "from measurements where zscored_at is null")
    refresh_zscores(con)
    if touched is None or not _exists(con, touched) or not _state_current(con):
        done = {name: ("whole", seconds) for name, seconds in build_marts(con).items()}
    else:
        done = refresh_marts(con, touched)
        _create_macros(con)
        _write_state(con)
    for table in ([touched] if touched else []) + [f"delta_{name}" for name in MARTS]:   # the write's work tables
        con.execute(f"drop table if exists {table}")
    return done


# --- incremental refresh ------------------------------------------------------------------------

STATE = "mart_state"   # what the marts were last built from: a fingerprint and the latest month
ALL = None             # a change that names no slice: every mart reading it is rebuilt whole
PSEUDO_INPUTS = ("latest_month",)   # global values a mart may read (``-- reads:``), not tables


# The periods (``period_type``, ``period_start``) a month ``c.month`` belongs to, as the period marts
# key them: the month, its quarter and year, and the twelve rolling periods that end in it or after.
PERIODS_OF_MONTH = """lateral (
    select 'month' as period_type, c.month as period_start
    union all select 'quarter', date_trunc('quarter', c.month)::date
    union all select 'year', date_trunc('year', c.month)::date
    union all select 'rolling', (c.month - to_months(back))::date from range(12) r(back))"""


@dataclass(frozen=True)
class MartPlan:
    name: str
    sql: str
    slices: tuple[tuple[str, ...], ...]   # each a set of output columns; () = rebuilt whole
    reads: frozenset[str]                  # canonical tables, earlier marts and pseudo inputs it reads
    partitioned: bool = False              # its select takes ``$parts`` and ``$part`` (``build_whole``)


def _header(sql: str, name: str) -> str | None:
    match = re.search(rf"^--\s*{name}:\s*(.*)$", sql, re.MULTILINE)
    return match.group(1).strip() if match else None


@lru_cache(maxsize=None)
def mart_plan(name: str) -> MartPlan:
    """A mart's slice (``-- slice: child_id; period_type, period_start`` or ``-- slice: whole``) and
    the tables its select reads (found in its text, comments left out, plus ``-- reads:``)."""
    file = load_sql(f"marts/{name}")
    sql = file.sql
    declared = _header(sql, "slice")
    if declared is None:
        raise ValueError(f"queries/marts/{name}.sql declares no '-- slice:'")
    words = declared.split("(")[0]
    slices = () if words.strip().startswith("whole") else tuple(
        tuple(c.strip() for c in part.split(",")) for part in words.split(";"))
    body = re.sub(r"--[^\n]*", "", sql)
    tables = {f.name for f in sql_files("schema")} | set(MARTS)
    reads = {t for t in tables if re.search(rf"(?:\bfrom|\bjoin|,)\s+{t}\b", body) and t != name}
    reads |= {r.strip() for r in (_header(sql, "reads") or "").split(",") if r.strip()}
    return MartPlan(name, sql, slices, frozenset(reads), {"parts", "part"} <= set(file.params))


@dataclass
class Change:
    """The changed rows of one input: a relation (SQL) with the columns it carries, or ALL."""
    relation: str | None
    columns: tuple[str, ...] = ()


def refresh_marts(con: duckdb.DuckDBPyConnection, touched: str) -> dict[str, tuple[str, float]]:
    """Recompute the touched slices of every mart, in ``MARTS`` order; returns what was done per mart."""
    from dashboard.ingest.load import touched_columns

    changes: dict[str, Change] = {}
    for (dataset,) in con.execute(f"select distinct dataset from {touched}").fetchall():
        changes[dataset] = Change(f"(select * from {touched} where dataset = '{dataset}')", touched_columns(dataset))
    changes.setdefault("posyandu", Change(f"(select * from {touched} where false)", ("posyandu_id", "village_code")))
    before, now = _stored_latest_month(con), _latest_month(con)
    if before != now:   # the rolling periods that appear or disappear when the latest month moves
        changes["latest_month"] = Change(
            "(select 'rolling' as period_type, (unnest(generate_series(least($before, $now), greatest($before, $now), "
            "interval 1 month))::date - interval 11 month)::date as period_start)".replace(
                "$before", _date_literal(before or now)).replace("$now", _date_literal(now or before)),
            ("period_type", "period_start"))
    done = {}
    for name in MARTS:
        plan, start = mart_plan(name), time.perf_counter()
        inputs = [changes[r] for r in sorted(plan.reads) if r in changes]
        if not inputs:
            done[name] = ("unchanged", 0.0)
            continue
        specs = _slice_specs(plan, inputs)
        if specs is None:
            build_whole(con, plan)
            changes[name], done[name] = Change(ALL), ("whole", time.perf_counter() - start)
            continue
        delta = _refresh_slices(con, plan, specs)
        changes[name] = Change(delta, tuple(r[0] for r in con.execute(f"describe {name}").fetchall()))
        done[name] = ("slices", time.perf_counter() - start)
    return done


def _slice_specs(plan: MartPlan, inputs: list[Change]) -> list[tuple[tuple[str, ...], str]] | None:
    """Per slice of the mart: the touched values (a union of the changed inputs' slice columns), or
    None when the mart must be rebuilt whole: declared whole, an input changed everywhere, or a
    changed input that carries none of the mart's slices. A change carrying a village touches the
    ``region_code`` of every area holding it (``area_villages``), one carrying a month every period
    holding it (``PERIODS_OF_MONTH``)."""
    if not plan.slices or any(change.relation is ALL for change in inputs):
        return None
    specs: dict[tuple[str, ...], list[str]] = {columns: [] for columns in plan.slices}
    for change in inputs:
        relation, carried = change.relation, set(change.columns)
        if "village_code" in carried and "region_code" not in carried:   # a village's rows touch every area above it
            relation = (f"(select av.area_code as region_code, c.* from {relation} c "
                        "join area_villages av on av.village_code = c.village_code)")
            carried.add("region_code")
        if "month" in carried and "period_start" not in carried:   # a month touches every period holding it
            relation = f"(select c.*, p.period_type, p.period_start from {relation} c, {PERIODS_OF_MONTH} p)"
            carried |= {"period_type", "period_start"}
        covering = [columns for columns in plan.slices if set(columns) <= carried]
        if not covering:
            return None
        specs[covering[0]].append(f"select distinct {', '.join(covering[0])} from {relation}")
    return [(columns, " union ".join(parts)) for columns, parts in specs.items() if parts]


def _refresh_slices(con: duckdb.DuckDBPyConnection, plan: MartPlan,
                    specs: list[tuple[tuple[str, ...], str]]) -> str:
    """Delete the touched slices of a mart and insert them recomputed by its own select, filtered on
    its output columns; returns the temp table of rows that changed (old and new), for later marts.

    The filter is given as bound lists of values (``list_contains($values, column)``) so DuckDB pushes
    it below the aggregates and windows into the scans; the exact slice is then a semi join."""
    name, delta = plan.name, f"delta_{plan.name}"
    con.execute(f"create or replace temp table {delta} as select * from {name} limit 0")
    for columns, touched in specs:
        con.execute(f"create or replace temp table slice_keys as {touched}")
        if not scalar(con, "select count(*) from slice_keys"):
            continue
        params, prefilter = {}, []
        for i, column in enumerate(columns):
            values = [v for (v,) in con.execute(f"select distinct {column} from slice_keys").fetchall()]
            params[f"slice_{i}"] = [v for v in values if v is not None]
            prefilter.append(f"(list_contains($slice_{i}, {column})" + (f" or {column} is null)" if None in values
                                                                       else ")"))
        match = " and ".join(f"x.{c} is not distinct from k.{c}" for c in columns)
        if plan.partitioned:   # a slice is computed in one pass
            params |= {"parts": 1, "part": 0}
        con.execute(f"create or replace temp table slice_new as select x.* from (select * from (\n{plan.sql}\n) "
                    f"where {' and '.join(prefilter)}) x semi join slice_keys k on {match}", params)
        con.execute(f"create or replace temp table slice_old as select x.* from {name} x semi join slice_keys k on {match}")
        con.execute(f"delete from {name} x using slice_keys k where {match}")
        con.execute(f"insert into {name} select * from slice_new")
        con.execute(f"insert into {delta} (select * from slice_old except all select * from slice_new) "
                    "union all (select * from slice_new except all select * from slice_old)")
    for table in ("slice_keys", "slice_new", "slice_old"):
        con.execute(f"drop table if exists {table}")
    return delta


def _date_literal(value) -> str:
    return "null::date" if value is None else f"date '{value.isoformat()}'"


def _exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(scalar(con, "select count(*) from duckdb_tables() where table_name = $t", {"t": table}))


def _latest_month(con: duckdb.DuckDBPyConnection):
    return scalar(con, "select max(date_trunc('month', measured_on))::date from measurements")


def _stored_latest_month(con: duckdb.DuckDBPyConnection):
    return scalar(con, f"select latest_month from {STATE}")


def _fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What the marts depend on besides the canonical rows: their SQL, the catalogue's ``ref_*``
    tables and the region list. When it changes, every mart is rebuilt."""
    digest = sha256()
    for name in MARTS:
        digest.update(load_sql(f"marts/{name}").sql.encode())
    tables = [t for (t,) in con.execute("select table_name from duckdb_tables() where schema_name = 'main' and "
                                         "(table_name like 'ref\\_%' escape '\\' or table_name = 'regions') "
                                         "order by table_name").fetchall()]
    for table in tables:
        digest.update(f"{table}:{scalar(con, f'select count(*) || {chr(39)}/{chr(39)} || coalesce(sum(hash(t)::hugeint), 0) from {table} t')}".encode())
    return digest.hexdigest()


def _state_current(con: duckdb.DuckDBPyConnection) -> bool:
    """The marts exist and were built from the same SQL, catalogue and regions as now (else: rebuild)."""
    _load_reference(con)
    if not _exists(con, STATE) or any(not _exists(con, name) for name in MARTS):
        return False
    return scalar(con, f"select fingerprint from {STATE}") == _fingerprint(con)


def _write_state(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create or replace table {STATE} as select $fingerprint as fingerprint, "
                "(select max(date_trunc('month', measured_on))::date from measurements) as latest_month",
                {"fingerprint": _fingerprint(con)})
