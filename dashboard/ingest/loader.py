"""Import export files into the canonical tables: every row is loaded, rejected with a reason,
or skipped as an exact duplicate, and the three always add up to the rows read.

One file is one transaction inside one database write (see ``dashboard.db.writer``): a file that
cannot be read leaves no trace, and a crash leaves the live database untouched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from dashboard.config import settings
from dashboard.db import Discard, scalar, writer
from dashboard.ingest import normalise as nz
from dashboard.ingest.datasets import Dataset, heading_key
from dashboard.ingest.readers import RawTable, UnreadableFile, detect_dataset, read_export
from dashboard.ingest.resolve import RegionIndex, posyandu_ids, register_numbers, resolve_villages
from dashboard.ingest.vocab import STATUS_ORDER
from dashboard.regions import load_regions

log = logging.getLogger(__name__)

_TABLE_COLUMNS = {
    "measurements": ["child_id", "sex", "birth_date", "measured_on", "weight_kg", "lenhei_cm", "measure",
                     "oedema", "muac_cm", "village_code", "posyandu_id"],
    "posyandu_monthly": ["posyandu_id", "month", "village_code", "opened", "cadres_on_duty", "s_count", "k_count",
                         "d_count", "n_count", "t_count", "o_count", "b_count", "bgm_count", "t2_count",
                         "kia_target", "kia_served", "kb_target", "kb_served", "imm_target", "imm_served",
                         "additional_programmes", "households", "dana_sehat_households", "reported_strata"],
    "referrals": ["referral_id", "referred_on", "village_code", "posyandu_id", "subject_type", "reason_category",
                  "destination_agency", "status", "status_on"],
    "pkk_dasawisma": ["village_code", "rw", "rt", "dasawisma", "period", "kk_count", "households",
                      "members_balita", "members_pus", "members_wus", "members_ibu_hamil", "members_menyusui",
                      "members_lansia", "members_buta_huruf", "members_berkebutuhan_khusus",
                      "households_rumah_sehat", "households_jamban", "households_air_bersih",
                      "households_tempat_sampah", "households_spal", "households_stiker_p4k",
                      "households_makanan_pokok_beras", "households_pekarangan", "households_industri_rt",
                      "households_up2k", "households_kerja_bakti"],
    "posyandu": ["posyandu_id", "name", "village_code", "register_no", "rw"],
}
_STATUS_DATES = {"diterima": "received_on", "ditindaklanjuti": "followed_up_on", "selesai": "closed_on",
                 "ditolak": "refused_on", "batal": "cancelled_on"}


@dataclass
class RejectCount:
    column: str
    reason_en: str
    reason_id: str
    count: int
    first_rows: list[int]


@dataclass
class ImportResult:
    file_name: str
    dataset: str | None = None
    sheet: str | None = None
    batch_id: int | None = None
    heading_row: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_updated: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    columns_ignored: list[str] = field(default_factory=list)
    reject_summary: list[RejectCount] = field(default_factory=list)
    already_imported_batch: int | None = None
    error: str | None = None

    @property
    def adds_up(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_rejected + self.rows_duplicate


class _Problems:
    """Per-cell problems collected while parsing: (row position, heading, reason code)."""

    def __init__(self, n: int):
        self.n = n
        self.rows: list[np.ndarray] = []
        self.columns: list[str] = []
        self.codes: list[np.ndarray] = []

    def add(self, errors: pd.Series, heading: str | pd.Series) -> None:
        """Record every non-empty reason code of ``errors`` under ``heading`` (one or per row)."""
        codes = errors.to_numpy(dtype=object)
        mask = (pd.notna(codes) & (codes != "")) if len(codes) else np.zeros(0, dtype=bool)
        if not mask.any():
            return
        positions = np.flatnonzero(mask)
        self.rows.append(positions)
        self.codes.append(codes[positions])
        if isinstance(heading, str):
            self.columns.extend([heading] * len(positions))
        else:
            self.columns.extend(heading.to_numpy(dtype=object)[positions].tolist())

    def add_mask(self, mask: pd.Series, heading: str, code: str) -> None:
        self.add(pd.Series(np.where(mask.fillna(False).to_numpy(dtype=bool), code, None), index=mask.index), heading)

    def frame(self) -> pd.DataFrame:
        if not self.rows:
            return pd.DataFrame({"pos": pd.Series(dtype="int64"), "heading": pd.Series(dtype=object),
                                 "code": pd.Series(dtype=object)})
        return pd.DataFrame({"pos": np.concatenate(self.rows), "heading": self.columns,
                             "code": np.concatenate(self.codes)}).drop_duplicates(["pos", "heading"])

    def bad_rows(self) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        if self.rows:
            mask[np.concatenate(self.rows)] = True
        return mask


def _map_headings(table: RawTable, dataset: Dataset) -> tuple[dict[str, int], dict[str, str | None], list[str]]:
    """Canonical column -> position, the unit written in each mapped heading, and ignored headings."""
    alias_to_column = {}
    for column in dataset.columns:
        for alias in column.aliases:
            alias_to_column.setdefault(heading_key(alias)[0], column.name)
    positions, units, ignored = {}, {}, []
    for pos, heading in enumerate(table.headings):
        key, unit = heading_key(heading)
        name = alias_to_column.get(key)
        if name and name not in positions:
            positions[name], units[name] = pos, unit
        elif heading:
            ignored.append(heading)
    return positions, units, ignored


def _parse_columns(table: RawTable, dataset: Dataset, positions: dict[str, int], units: dict[str, str | None],
                   problems: _Problems) -> pd.DataFrame:
    cells = table.cells
    parsed = {}
    for column in dataset.columns:
        if column.name not in positions or column.name == "year":
            continue
        raw = cells[positions[column.name]]
        heading = table.headings[positions[column.name]]
        kind = column.kind
        if kind == "month":
            year = cells[positions["year"]] if "year" in positions else None
            result = nz.parse_month(raw, year, year_alone_is_january=dataset.name == "pkk_dasawisma")
        elif column.name == "weight_kg" and units.get(column.name) == "gram":
            result = _grams(raw)
        elif kind.startswith("vocab:"):
            result = nz.parse_vocab(raw, kind.split(":", 1)[1])
        else:
            result = getattr(nz, f"parse_{kind}")(raw)
        problems.add(result.errors, heading)
        parsed[column.name] = result.values
    if "year" in positions and not any(c.kind == "month" and c.name in positions for c in dataset.columns):
        month_column = next(c.name for c in dataset.columns if c.kind == "month")
        result = nz.parse_month(pd.Series([None] * len(cells), index=cells.index), cells[positions["year"]],
                                year_alone_is_january=dataset.name == "pkk_dasawisma")
        problems.add(result.errors, table.headings[positions["year"]])
        parsed[month_column] = result.values
    frame = pd.DataFrame(parsed, index=cells.index)
    if "weight_kg" in frame and units.get("weight_kg") != "gram" and frame["weight_kg"].median() > 250:
        frame["weight_kg"] = frame["weight_kg"] / 1000.0  # a kg heading over a column of gram values
    return frame


def _grams(raw: pd.Series) -> nz.Parsed:
    """Weights in grams: '9.500' is nine and a half thousand grams, not nine point five."""
    whole = nz.parse_count(raw)
    decimal = nz.parse_decimal(raw)
    grams = whole.values.astype("float64").where(whole.values.notna(), decimal.values)
    return nz.Parsed(grams / 1000.0, decimal.errors.where(whole.values.isna(), None))


def _heading_of(table: RawTable, positions: dict[str, int], column: str) -> str:
    return table.headings[positions[column]] if column in positions else column


def _region_heading(table: RawTable, positions: dict[str, int], column: str) -> str:
    """The heading a region problem is about; an absent name column points at the code column, or the row."""
    for candidate in (column, "village_code"):
        if candidate and candidate in positions:
            return table.headings[positions[candidate]]
    return ""


def _check_rows(frame: pd.DataFrame, dataset: Dataset, table: RawTable, positions: dict[str, int],
                problems: _Problems) -> None:
    """Dataset rules beyond single cells: ranges, date order, required values."""
    cfg = settings()
    today = nz.today()
    heading = lambda c: _heading_of(table, positions, c)  # noqa: E731
    for column in dataset.columns:
        if column.required and column.name in frame:
            problems.add_mask(frame[column.name].isna() & ~_has_error(problems, heading(column.name)),
                              heading(column.name), "required")
    if dataset.name == "measurements":
        for col, (low, high), code in (("weight_kg", cfg.weight_kg_range, "weight_range"),
                                       ("lenhei_cm", cfg.lenhei_cm_range, "lenhei_range"),
                                       ("muac_cm", cfg.muac_cm_range, "muac_range")):
            if col in frame:
                values = frame[col].astype("float64")
                problems.add_mask(values.notna() & ~values.between(low, high), heading(col), code)
        weight = frame.get("weight_kg", pd.Series(np.nan, index=frame.index))
        lenhei = frame.get("lenhei_cm", pd.Series(np.nan, index=frame.index))
        problems.add_mask(weight.isna() & lenhei.isna() & ~pd.Series(problems.bad_rows(), index=frame.index),
                          "", "no_measurement")
        measured = pd.to_datetime(frame["measured_on"])
        problems.add_mask(measured > pd.Timestamp(today), heading("measured_on"), "date_future")
        if "birth_date" in frame:
            born = pd.to_datetime(frame["birth_date"])
            problems.add_mask(born > measured, heading("birth_date"), "birth_after_measure")
            problems.add_mask(born < measured - pd.DateOffset(years=cfg.max_child_age_years), heading("birth_date"),
                              "too_old")
    if dataset.name in ("posyandu_monthly", "pkk_dasawisma"):
        month_col = "month" if dataset.name == "posyandu_monthly" else "period"
        if month_col in frame:
            problems.add_mask(pd.to_datetime(frame[month_col]) > pd.Timestamp(today), heading(month_col), "date_future")
        elif "year" in positions:
            pass
        else:
            problems.add_mask(pd.Series(True, index=frame.index), "", "required")
    if dataset.name == "referrals":
        _check_referral_dates(frame, table, positions, problems, today)


def _has_error(problems: _Problems, heading: str) -> pd.Series:
    found = problems.frame()
    mask = np.zeros(problems.n, dtype=bool)
    mask[found.loc[found.heading == heading, "pos"].to_numpy()] = True
    return pd.Series(mask)


def _check_referral_dates(frame: pd.DataFrame, table: RawTable, positions: dict[str, int], problems: _Problems,
                          today: date) -> None:
    heading = lambda c: _heading_of(table, positions, c)  # noqa: E731
    referred = pd.to_datetime(frame["referred_on"])
    problems.add_mask(referred > pd.Timestamp(today), heading("referred_on"), "date_future")
    for column in _STATUS_DATES.values():
        if column in frame:
            when = pd.to_datetime(frame[column])
            problems.add_mask(when < referred, heading(column), "status_date_order")
            problems.add_mask(when > pd.Timestamp(today), heading(column), "date_future")
    if "status" in frame:
        status = frame["status"]
        for code, column in _STATUS_DATES.items():
            has_date = frame[column].notna() if column in frame else pd.Series(False, index=frame.index)
            problems.add_mask((status == code) & ~has_date, heading("status"), "status_date_missing")


def _derive_referral_status(frame: pd.DataFrame) -> pd.DataFrame:
    """Current status = the given status, else the latest dated step; its date is status_on."""
    dates = pd.DataFrame({"dirujuk": pd.to_datetime(frame["referred_on"])}, index=frame.index)
    for code, column in _STATUS_DATES.items():
        dates[code] = pd.to_datetime(frame[column]) if column in frame else pd.NaT
    latest = dates[list(STATUS_ORDER)].apply(lambda r: r.last_valid_index(), axis=1) if len(dates) else pd.Series(dtype=object)
    if "status" in frame:
        status = frame["status"].where(frame["status"].notna(), latest)
    else:
        status = latest
    frame = frame.assign(status=status)
    status_on = [dates.at[i, s] if isinstance(s, str) else pd.NaT for i, s in zip(frame.index, status)]
    frame["status_on"] = pd.to_datetime(pd.Series(status_on, index=frame.index)).dt.date
    return frame


def _referral_events(rows: pd.DataFrame) -> pd.DataFrame:
    parts = [pd.DataFrame({"referral_id": rows["referral_id"], "status": "dirujuk", "event_on": rows["referred_on"]})]
    for code, column in _STATUS_DATES.items():
        if column in rows:
            dated = rows[rows[column].notna()]
            parts.append(pd.DataFrame({"referral_id": dated["referral_id"], "status": code, "event_on": dated[column]}))
    return pd.concat(parts, ignore_index=True)


def _mask_value(value: object, personal: bool) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value)
    return f"*** ({len(text)} karakter disamarkan / characters masked)" if personal else text[:200]


def _reject_frame(problems: pd.DataFrame, table: RawTable, dataset: Dataset, batch_id: int) -> pd.DataFrame:
    personal = set()
    for pos, heading in enumerate(table.headings):
        key = heading_key(heading)[0]
        for column in dataset.columns:
            if column.personal and key in {heading_key(a)[0] for a in column.aliases}:
                personal.add(heading)
        if key in {heading_key(a)[0] for a in dataset.ignored}:
            personal.add(heading)
    position = {h: i for i, h in enumerate(table.headings)}
    values = []
    for pos, heading in zip(problems.pos, problems.heading):
        if heading in position:
            values.append(_mask_value(table.cells.iat[pos, position[heading]], heading in personal))
        elif heading == "__extra":
            values.append(_mask_value(table.cells["__extra"].iat[pos], True))
        else:
            values.append(None)
    return pd.DataFrame({
        "batch_id": batch_id,
        "dataset": dataset.name,
        "source_file": table.file_name,
        "source_row": table.source_rows.to_numpy()[problems.pos.to_numpy()].astype("int64"),
        "column_name": problems.heading.replace({"__extra": "(sel tambahan / extra cells)"}).to_numpy(),
        "value": values,
        "reason_id": [nz.REASONS[c][0] for c in problems.code],
        "reason_en": [nz.REASONS[c][1] for c in problems.code],
    })


def _canonical_frame(frame: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    columns = _TABLE_COLUMNS[dataset.name]
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        out[column] = frame[column] if column in frame else None
    for column in ("rw", "rt"):  # '001' and '1' are the same RT/RW
        if column in out:
            out[column] = out[column].map(lambda v: (v.lstrip("0") or "0") if isinstance(v, str) and v.isdigit() else v)
    if dataset.name == "pkk_dasawisma":  # part of the natural key: '' for recaps above that level
        for column in ("rw", "rt", "dasawisma"):
            out[column] = out[column].map(lambda v: v if isinstance(v, str) else "")
    return out


def _upsert(con: duckdb.DuckDBPyConnection, table: str, rows: pd.DataFrame, key: tuple[str, ...]) -> int:
    """Replace rows with the same natural key, insert the rest; returns how many were replaced."""
    con.register("stage_rows", rows)
    condition = " and ".join(f"t.{k} = s.{k}" for k in key)
    updated = scalar(con, f"select count(*) from {table} t semi join stage_rows s on {condition}")
    con.execute(f"delete from {table} t using stage_rows s where {condition}")
    con.execute(f"insert into {table} by name select * from stage_rows")
    con.unregister("stage_rows")
    return int(updated)


def _summarise(rejects: pd.DataFrame) -> list[RejectCount]:
    summary = []
    if rejects.empty:
        return summary
    for (column, reason_en, reason_id), group in rejects.groupby(["column_name", "reason_en", "reason_id"], sort=False):
        summary.append(RejectCount(column, reason_en, reason_id, len(group), sorted(group.source_row.tolist())[:5]))
    return sorted(summary, key=lambda r: -r.count)


def _next_batch_id(con: duckdb.DuckDBPyConnection) -> int:
    return int(scalar(con, "select coalesce(max(batch_id), 0) + 1 from import_batches"))


def _import_table(con: duckdb.DuckDBPyConnection, table: RawTable, dataset: Dataset, index: RegionIndex,
                  result: ImportResult) -> None:
    started = datetime.now()
    batch_id = _next_batch_id(con)
    positions, units, ignored = _map_headings(table, dataset)
    n = len(table.cells)
    problems = _Problems(n)
    frame = _parse_columns(table, dataset, positions, units, problems)
    problems.add_mask(table.cells["__extra"].notna(), "__extra", "extra_cells")

    code_errors = None
    if "village_code" in positions:
        code_errors = pd.Series(None, index=frame.index, dtype=object)
        reported = problems.frame()
        reported = reported[reported.heading == table.headings[positions["village_code"]]]
        code_errors.iloc[reported.pos.to_numpy()] = reported.code.to_numpy()
    register = register_numbers(frame)
    problems.add(register.errors, _heading_of(table, positions, "posyandu_register"))
    villages = resolve_villages(index, frame, code_errors, fallback=register.values.str[:13])
    region_headings = villages.error_column.map(lambda c: _region_heading(table, positions, c))
    problems.add(villages.errors, region_headings)
    frame["village_code"] = villages.values
    if dataset.name != "pkk_dasawisma":
        ids, mismatch = posyandu_ids(con, frame, register.values)
        problems.add_mask(mismatch, _heading_of(table, positions, "posyandu_register"), "posyandu_village")
        frame["posyandu_id"] = ids.where(~mismatch, None)
        frame["register_no"] = register.values
        if dataset.name in ("posyandu_monthly", "posyandu"):
            missing = ids.isna() & register.errors.isna()
            problems.add_mask(missing, _heading_of(table, positions, "posyandu_name"), "posyandu_missing")
    _check_rows(frame, dataset, table, positions, problems)

    found = problems.frame()
    bad = problems.bad_rows()
    good = frame[~bad]
    if dataset.name == "referrals":
        good = _derive_referral_status(good)
    if dataset.name == "posyandu":
        good = good.assign(name=good.get("posyandu_name"))
    canonical = _canonical_frame(good, dataset)
    duplicate = canonical.duplicated(keep="first")
    canonical = canonical[~duplicate]
    key = list(dataset.natural_key)
    conflict = canonical.duplicated(key, keep=False)
    if conflict.any():
        conflict_rows = pd.Series(False, index=frame.index)
        conflict_rows[canonical.index[conflict]] = True
        first = min(positions.get(k, 0) for k in key if k in positions) if any(k in positions for k in key) else 0
        problems.add_mask(conflict_rows, table.headings[first], "duplicate_conflict")
        found = problems.frame()
        canonical = canonical[~conflict]
    rows = canonical.assign(batch_id=batch_id, source_row=table.source_rows[canonical.index].to_numpy())
    if dataset.name == "posyandu":
        rows = rows.drop(columns="source_row")

    if dataset.name in ("measurements", "posyandu_monthly", "referrals") and "posyandu_id" in good:
        _register_posyandu(con, good.loc[canonical.index], batch_id)
    updated = _upsert(con, dataset.name, rows, dataset.natural_key) if len(rows) else 0
    if dataset.name == "referrals" and len(rows):
        events = _referral_events(good.loc[canonical.index]).assign(batch_id=batch_id)
        con.register("stage_ids", rows[["referral_id"]])
        con.execute("delete from referral_events where referral_id in (select referral_id from stage_ids)")
        con.unregister("stage_ids")
        con.register("stage_events", events)
        con.execute("insert into referral_events by name select * from stage_events")
        con.unregister("stage_events")

    rejects = _reject_frame(found, table, dataset, batch_id)
    if len(rejects):
        con.register("stage_rejects", rejects)
        con.execute("insert into rejects by name select * from stage_rejects")
        con.unregister("stage_rejects")
    result.rows_read = n
    result.rows_rejected = int(found.pos.nunique())
    result.rows_duplicate = int(duplicate.sum())
    result.rows_loaded = len(rows)
    result.rows_updated = updated
    result.columns_ignored = ignored
    result.reject_summary = _summarise(rejects)
    result.batch_id = batch_id
    con.execute(
        "insert into import_batches values ($batch_id, $file, $sha, $dataset, $sheet, $heading, $read, $loaded, "
        "$updated, $rejected, $dup, $ignored, $started, $finished)",
        {"batch_id": batch_id, "file": table.file_name, "sha": table.sha256, "dataset": dataset.name,
         "sheet": table.sheet, "heading": table.heading_row, "read": n, "loaded": len(rows), "updated": updated,
         "rejected": result.rows_rejected, "dup": result.rows_duplicate, "ignored": "; ".join(ignored) or None,
         "started": started, "finished": datetime.now()},
    )


def _register_posyandu(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, batch_id: int) -> None:
    """Posyandu named by other datasets join the register if they are not in it yet."""
    named = rows[rows["posyandu_id"].notna()]
    fresh = pd.DataFrame({
        "posyandu_id": named["posyandu_id"],
        "name": named["posyandu_name"] if "posyandu_name" in named else None,
        "village_code": named["village_code"],
        "register_no": named["register_no"] if "register_no" in named else None,
        "rw": None,
        "batch_id": batch_id,
    }).drop_duplicates("posyandu_id")
    con.register("stage_posyandu", fresh)
    con.execute("insert into posyandu by name select * from stage_posyandu s "
                "where s.posyandu_id not in (select posyandu_id from posyandu)")
    con.unregister("stage_posyandu")


def import_file(con: duckdb.DuckDBPyConnection, path: Path, index: RegionIndex, kind: str | None = None,
                sheet: str | None = None) -> ImportResult:
    """Import one file inside its own transaction; errors are reported in the result, not raised."""
    result = ImportResult(file_name=path.name)
    try:
        if path.stat().st_size > settings().max_import_bytes:
            raise UnreadableFile(f"file larger than {settings().max_import_bytes // (1024 * 1024)} MB")
        table = read_export(path, sheet, settings().heading_scan_rows)
        dataset = detect_dataset(table.headings, kind)
    except UnreadableFile as exc:
        result.error = str(exc)
        return result
    except OSError as exc:
        result.error = f"cannot open file: {exc.strerror}"
        return result
    result.dataset, result.sheet, result.heading_row = dataset.name, table.sheet, table.heading_row
    earlier = scalar(con, "select batch_id from import_batches where sha256 = $sha and dataset = $dataset",
                     {"sha": table.sha256, "dataset": dataset.name})
    if earlier:
        result.already_imported_batch = int(earlier)
        return result
    con.begin()
    try:
        _import_table(con, table, dataset, index, result)
        con.commit()
    except Exception:
        con.rollback()
        log.exception("import of a %s file failed; the batch was rolled back", dataset.name)
        result.error = "internal error while loading; nothing from this file was written (see the log)"
        result.rows_loaded = result.rows_rejected = result.rows_duplicate = result.rows_updated = 0
    return result


def import_files(paths: list[Path], db_path: Path | None = None, kind: str | None = None,
                 sheet: str | None = None, after_load=None) -> list[ImportResult]:
    """Import files into the database at ``db_path`` in one atomic swap; returns one result per file.

    ``after_load(con)`` runs inside the same write when at least one file loaded rows (used to
    recompute derived tables such as z-scores and marts).
    """
    results: list[ImportResult] = []
    try:
        with writer(db_path) as con:
            load_regions(con)
            index = RegionIndex(con)
            for path in paths:
                results.append(import_file(con, Path(path), index, kind, sheet))
            if not any(r.batch_id for r in results):
                raise Discard()
            if after_load is not None:
                after_load(con)
    except Discard:
        pass
    return results
