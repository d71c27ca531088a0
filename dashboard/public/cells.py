"""Every cell the public page publishes for one province and year, suppressed together (issue 17).

The page, its downloads, the village maps, the open-data bundle and the static site all read a
``Publication`` and nothing else, so a cell shown in one is shown with the same value in all and a
hidden cell is hidden in all. Stunting is one hierarchy (province > kab/kota > village) suppressed
in one problem: a kab/kota total that a village map needs hidden is hidden in the kab/kota table
too. Strata and referrals count other things (posyandu, referrals) and share no sum with it.

A village with no child measured is published as 0 measured ("no data" on the map); the
suppression knows a reader sees those zeros and that a hidden village has at least one child, and
hides enough that every hidden count keeps at least ``suppress.MIN_VALUES`` possible values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import pandas as pd

from dashboard import completeness
from dashboard.db import run_query
from dashboard.indicators import catalogue
from dashboard.periods import Period
from dashboard.public import suppress
from dashboard.regions import CHILD_LEVEL

STUNTING, VILLAGES, STRATA, REFERRALS = "stunting", "stunting_desa", "strata", "rujukan"
OUTCOMES = ["selesai", "batal", "terbuka"]


@dataclass(frozen=True)
class Sum:
    """``total`` (table, row) = sum of ``parts`` (table, rows) in each of ``columns``; or, with
    ``row_total``, in every row of ``table`` the column ``row_total`` = sum of ``columns``."""

    table: str
    columns: tuple[str, ...]
    row: str | None = None
    parts_table: str | None = None
    parts: tuple[str, ...] = ()
    row_total: str | None = None


@dataclass(frozen=True)
class Publication:
    """The published tables (hidden cells NA, ``<count>_suppression`` columns for audits only) and
    the sums and bounds a reader can write down from them."""

    province: str
    province_name: str
    year: int
    referrals_as_of: date
    last_import: pd.Timestamp | None
    last_month: pd.Timestamp | None                 # the province's last complete month ("data sampai ...")
    tables: dict[str, pd.DataFrame]
    coverage: dict | None = None                    # how complete the year is (the completeness mart's row)
    sums: list[Sum] = field(default_factory=list)
    at_most: dict[str, tuple[str, str]] = field(default_factory=dict)   # table -> (numerator, denominator)
    counts: dict[str, tuple[str, ...]] = field(default_factory=dict)    # table -> its count columns

    def villages_of(self, kabkota: str) -> pd.DataFrame:
        villages = self.tables[VILLAGES]
        return villages.loc[villages.parent_code == kabkota]


def provinces(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The provinces with data (code, name)."""
    return run_query(con, "pages/common/child_regions", {"parent": ""})[["code", "name"]]


def years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years with any measurement or monthly report, newest first."""
    return sorted({m.year for m in run_query(con, "pages/common/periods").month.dt.date}, reverse=True)


def publication(con: duckdb.DuckDBPyConnection, province: str, year: int) -> Publication:
    """Every cell published for ``province`` and ``year``, suppressed jointly."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    as_of = _backlog_day(con, end)
    village_areas = _village_areas(con, province)
    stunting = _stunting(con, province, start, village_areas)
    strata = run_query(con, "pages/publik/strata", {"province": province, "year": start})
    levels = list(catalogue()["strata"]["levels"])
    strata = suppress.suppressed_distribution(strata.assign(parent_code=_parents(strata, province, village_areas)),
                                              levels, "posyandu", parent="parent_code")
    referrals = run_query(con, "pages/publik/referrals", {"province": province, "year_start": start,
                                                          "year_end": end, "as_of": as_of})
    referrals = referrals.assign(parent_code=_parents(referrals, province, village_areas),
                                 done=100 * referrals.selesai / referrals.dirujuk.where(referrals.dirujuk > 0))
    referrals = suppress.suppressed_distribution(referrals, OUTCOMES, "dirujuk", parent="parent_code",
                                                 derived={"done": ["selesai", "dirujuk"]})
    updated = run_query(con, "pages/publik/updated").iloc[0]
    # "until" is the province's own last complete month: an early upload of one kab/kota never moves it
    last_month = completeness.data_until(con, province)
    names = dict(zip(stunting.region_code, stunting.name))
    tables = {STUNTING: stunting.loc[stunting.level != "desa"].reset_index(drop=True),
              VILLAGES: stunting.loc[stunting.level == "desa"].reset_index(drop=True),
              STRATA: strata, REFERRALS: referrals}
    return Publication(province=province, province_name=names.get(province, province), year=year,
                       referrals_as_of=as_of, last_import=_timestamp(updated.last_import),
                       last_month=_timestamp(last_month), tables=tables, sums=_sums(tables, levels),
                       coverage=completeness.coverage_of(con, province, Period("year", start)),
                       at_most={STUNTING: ("stunted", "measured"), VILLAGES: ("stunted", "measured")},
                       counts={STUNTING: ("stunted", "measured"), VILLAGES: ("stunted", "measured"),
                               STRATA: (*levels, "posyandu"), REFERRALS: (*OUTCOMES, "dirujuk")})


def _stunting(con: duckdb.DuckDBPyConnection, province: str, start: date,
              village_areas: dict[str, str]) -> pd.DataFrame:
    """Province, kab/kota and villages as one table, suppressed in one go: villages sum to their kab/kota."""
    areas = run_query(con, "pages/publik/stunting", {"province": province, "year": start})
    villages = run_query(con, "pages/publik/stunting_villages", {"region": province, "year": start})
    table = pd.concat([areas, villages.loc[villages.level == "desa"]], ignore_index=True)
    table["parent_code"] = _parents(table, province, village_areas)
    table["rate"] = 100 * table.stunted / table.measured.where(table.measured > 0)
    return suppress.suppressed_rates(table, "stunted", "measured", parent="parent_code",
                                     derived={"rate": ["stunted", "measured"]})


def _village_areas(con: duckdb.DuckDBPyConnection, province: str) -> dict[str, str]:
    """Village -> the area one level below the province containing it (its kab/kota), from the regions'
    parent chain (``area_villages``), so a re-drawn or new level is a row of data, not a code width."""
    within = run_query(con, "pages/publik/village_areas", {"province": province, "level": CHILD_LEVEL["provinsi"]})
    return dict(zip(within.village_code, within.area_code))


def _parents(table: pd.DataFrame, province: str, village_areas: dict[str, str]) -> pd.Series:
    """kab/kota -> the province, village -> its kab/kota; the province has none."""
    parent = table.region_code.map(village_areas).where(table.level == "desa", province)
    return parent.where(table.region_code != province).astype("string")


def _sums(tables: dict[str, pd.DataFrame], levels: list[str]) -> list[Sum]:
    sums = []
    for name, counts in ((STUNTING, ("stunted", "measured")), (STRATA, (*levels, "posyandu")),
                         (REFERRALS, (*OUTCOMES, "dirujuk"))):
        table = tables[name]
        top = table.loc[table.parent_code.isna(), "region_code"].iloc[0]
        sums.append(Sum(name, counts, row=top, parts_table=name,
                        parts=tuple(table.loc[table.parent_code == top, "region_code"])))
    villages = tables[VILLAGES]
    for kabkota, rows in villages.groupby("parent_code", sort=True).region_code:
        sums.append(Sum(STUNTING, ("stunted", "measured"), row=kabkota, parts_table=VILLAGES, parts=tuple(rows)))
    sums += [Sum(STRATA, tuple(levels), row_total="posyandu"), Sum(REFERRALS, tuple(OUTCOMES), row_total="dirujuk")]
    return sums


def _backlog_day(con: duckdb.DuckDBPyConnection, period_end: date) -> date:
    """The year's last day, or the last day with referral data if earlier (as the internal pages use)."""
    last_event = run_query(con, "pages/common/data_until").last_event.iloc[0]
    last_event = last_event.date() if hasattr(last_event, "date") else last_event
    return min(period_end - timedelta(days=1), last_event) if last_event else period_end - timedelta(days=1)


def _timestamp(value) -> pd.Timestamp | None:
    return None if pd.isna(value) else pd.Timestamp(value)
