"""An attacker with the open-data bundle (issue 17 §1): for every province and year of the demo, the
CSVs of ``python -m dashboard publik export`` and what a reader knows (hierarchy sums, row totals,
"a hidden count is at least 1", "no data" is 0, a numerator is at most its denominator) go into one
linear program over all tables together; every hidden count must keep at least three possible values.

The sums are derived here from the region codes and the tables' meaning, not read from the bundle's
note; the note is checked against them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog
from scipy.sparse import coo_array

from dashboard.cli import main
from dashboard.db import connect_readonly, read_cursor
from dashboard.public import cells
from tests.conftest import frame

STRATA = ["posyandu_pratama", "posyandu_madya", "posyandu_purnama", "posyandu_mandiri"]
OUTCOMES = ["rujukan_selesai", "rujukan_batal", "rujukan_terbuka"]
COUNTS = {"stunting": ["balita_stunting", "balita_diukur"], "stunting_desa": ["balita_stunting", "balita_diukur"],
          "strata": [*STRATA, "posyandu_total"], "rujukan": [*OUTCOMES, "rujukan_dibuat"]}
MIN_DENOMINATOR = 30


def province_years(db: Path) -> list[tuple[str, int]]:
    con = read_cursor(connect_readonly(db))
    return [(p, y) for p in cells.provinces(con).code for y in cells.years(con)]


def exported(db: Path, province: str, year: int, folder: Path) -> tuple[dict[str, pd.DataFrame], dict]:
    assert main(["publik", "export", "--province", province, "--year", str(year), "--out", str(folder),
                 "--db", str(db)]) == 0
    tables = {name: pd.read_csv(folder / f"{name}.csv", dtype={"kode_wilayah": str, "kode_induk": str})
              for name in COUNTS}
    return tables, json.loads((folder / "catatan.json").read_text(encoding="utf-8"))


def equations(tables: dict[str, pd.DataFrame]) -> list[dict[tuple[str, str, str], int]]:
    """Every sum a reader can write down: cell (table, code, column) -> coefficient, summing to 0."""
    sums = []

    def hierarchy(total_table, total_code, parts_table, part_codes, columns):
        for column in columns:
            sums.append({(total_table, total_code, column): 1,
                         **{(parts_table, code, column): -1 for code in part_codes}})

    for name in ("stunting", "strata", "rujukan"):
        table = tables[name]
        province = table.loc[table.tingkat == "provinsi", "kode_wilayah"].item()
        hierarchy(name, province, name, table.loc[table.tingkat == "kabkota", "kode_wilayah"], COUNTS[name])
    villages = tables["stunting_desa"]
    for kabkota in tables["stunting"].loc[lambda t: t.tingkat == "kabkota", "kode_wilayah"]:
        hierarchy("stunting", kabkota, "stunting_desa",
                  villages.loc[villages.kode_wilayah.str.startswith(kabkota + "."), "kode_wilayah"], COUNTS["stunting"])
    for name, total, parts in (("strata", "posyandu_total", STRATA), ("rujukan", "rujukan_dibuat", OUTCOMES)):
        for code in tables[name].kode_wilayah:
            sums.append({(name, code, total): 1, **{(name, code, p): -1 for p in parts}})
    return sums


def note_equations(note: dict, tables: dict[str, pd.DataFrame]) -> set[frozenset]:
    """The bundle note's sums, written out cell by cell like ``equations``."""
    out = set()
    for link in note["sums"]:
        if "row_total" in link:
            for code in tables[link["table"]].kode_wilayah:
                out.add(frozenset({((link["table"], code, link["row_total"]), 1),
                                   *{((link["table"], code, p), -1) for p in link["parts"]}}))
        else:
            for column in link["columns"]:
                out.add(frozenset({((link["total"]["table"], link["total"]["row"], column), 1),
                                   *{((link["parts"]["table"], code, column), -1) for code in link["parts"]["rows"]}}))
    return out


def ranges(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str, str], tuple[float, float]]:
    """Smallest and largest value a linear program over every table allows for each hidden count."""
    value = {(name, row.kode_wilayah, column): getattr(row, column)
             for name, table in tables.items() for row in table.itertuples() for column in COUNTS[name]}
    hidden = sorted(cell for cell, v in value.items() if pd.isna(v))
    if not hidden:
        return {}
    index = {cell: i for i, cell in enumerate(hidden)}
    rows, entries, b_eq = 0, [], []
    for coefficients in equations(tables):
        unknown = [(cell, a) for cell, a in coefficients.items() if cell in index]
        if unknown:
            entries += [(rows, index[cell], a) for cell, a in unknown]
            b_eq.append(-sum(a * value[cell] for cell, a in coefficients.items() if cell not in index))
            rows += 1
    bounds, limits = [], []
    for name, code, column in hidden:
        low = 1
        if column == "balita_stunting":
            measured = value[(name, code, "balita_diukur")]
            low = 0 if pd.isna(measured) or measured < MIN_DENOMINATOR else 1
            if pd.isna(measured):
                limits.append((index[(name, code, column)], index[(name, code, "balita_diukur")]))
        bounds.append((low, value.get((name, code, "balita_diukur")) if column == "balita_stunting"
                       and not pd.isna(value[(name, code, "balita_diukur")]) else None))
    problem = {"A_eq": _matrix(entries, rows, len(hidden)), "b_eq": np.array(b_eq, dtype=float), "bounds": bounds,
               "method": "highs"}
    if limits:
        problem |= {"A_ub": _matrix([(r, i, 1) for r, (i, _) in enumerate(limits)]
                                    + [(r, j, -1) for r, (_, j) in enumerate(limits)], len(limits), len(hidden)),
                    "b_ub": np.zeros(len(limits))}
    found = {}
    for cell, i in index.items():
        span = []
        for sign in (1, -1):
            objective = np.zeros(len(hidden))
            objective[i] = sign
            result = linprog(objective, **problem)
            assert result.status in (0, 3), f"{cell}: {result.message}"   # the true values are feasible
            span.append(sign * result.fun if result.status == 0 else sign * -np.inf)
        found[cell] = (span[0], span[1])
    return found


def _matrix(entries, rows, columns):
    r, c, v = zip(*entries) if entries else ((), (), ())
    return coo_array((v, (r, c)), shape=(rows, columns)).tocsr()


@pytest.fixture(scope="module")
def bundles(demo_db, tmp_path_factory):
    out = {}
    for province, year in province_years(demo_db):
        out[(province, year)] = exported(demo_db, province, year, tmp_path_factory.mktemp(f"bundle_{province}_{year}"))
    assert {p for p, _ in out} == {"36", "62"} and len(out) >= 4
    return out


def test_no_hidden_count_narrows_below_three_values_across_all_tables(bundles):
    narrow, checked = [], 0
    for (province, year), (tables, _) in bundles.items():
        for cell, (low, high) in ranges(tables).items():
            checked += 1
            if high - low < 2 - 1e-6:
                narrow.append(f"{province} {year} {cell}: {low:g}..{high:g}")
    print(f"{checked} hidden counts attacked over {len(bundles)} province-years")
    assert checked > 20                           # the demo's small villages are hidden: the attack has work
    assert narrow == []


def test_the_attack_would_catch_a_pinned_count():
    """One kab/kota of 16 children shown above 16 hidden villages (issue 17's Kalimantan Tengah case)."""
    tables = {"stunting": pd.DataFrame({"kode_wilayah": ["62", "62.13"], "tingkat": ["provinsi", "kabkota"],
                                        "balita_stunting": [np.nan, np.nan], "balita_diukur": [16, 16]}),
              "stunting_desa": pd.DataFrame({"kode_wilayah": [f"62.13.01.20{i:02d}" for i in range(20)],
                                             "tingkat": "desa", "balita_stunting": [np.nan] * 16 + [0] * 4,
                                             "balita_diukur": [np.nan] * 16 + [0] * 4}),
              "strata": pd.DataFrame(columns=["kode_wilayah", "tingkat", *COUNTS["strata"]]),
              "rujukan": pd.DataFrame(columns=["kode_wilayah", "tingkat", *COUNTS["rujukan"]])}
    tables["strata"].loc[0] = ["62", "provinsi", 0, 0, 0, 0, 0]
    tables["rujukan"].loc[0] = ["62", "provinsi", 0, 0, 0, 0]
    found = ranges(tables)
    assert found[("stunting_desa", "62.13.01.2000", "balita_diukur")] == (1, 1)


def test_the_note_lists_the_sums_a_reader_derives(bundles):
    for tables, note in bundles.values():
        assert note_equations(note, tables) == {frozenset(s.items()) for s in equations(tables)}
        assert note["rules"]["hidden_count_possible_values_at_least"] == 3


def test_shown_stunting_counts_are_the_database_and_each_cell_is_the_same_everywhere(demo_db, bundles):
    for (province, year), (tables, _) in bundles.items():
        truth = frame(demo_db, """select r.code as kode_wilayah, coalesce(p.numerator, 0) as stunted,
                                         coalesce(p.denominator, 0) as measured
                                  from regions r left join prevalence p on p.region_code = r.code
                                   and p.indicator = 'stunting' and p.period_type = 'year' and p.period_start = $start
                                  where r.code = $p or starts_with(r.code, $p || '.')""",
                      {"p": province, "start": f"{year}-01-01"}).set_index("kode_wilayah")
        both = pd.concat([tables["stunting"], tables["stunting_desa"]]).set_index("kode_wilayah")
        for code, row in both.iterrows():
            for column, real in (("balita_stunting", "stunted"), ("balita_diukur", "measured")):
                if not pd.isna(row[column]):
                    assert row[column] == truth.loc[code, real], (province, year, code, column)
                else:
                    assert truth.loc[code, real] > 0 or column == "balita_stunting", (code, column)  # a 0 is shown
        for kabkota, measured in truth.loc[lambda t: t.index.str.len() == 5, "measured"].items():
            villages = truth.loc[truth.index.str.startswith(kabkota + ".") & (truth.index.str.len() > 9), "measured"]
            assert villages.sum() == measured    # the sums the attacker writes hold on the real data


def test_a_village_is_added_into_the_kab_kota_its_parent_chain_names_not_the_one_its_code_begins_with():
    """After a split (pemekaran) a village keeps its old code under a new kab/kota: the regions' parent
    chain (the area_villages mart) decides where its counts are summed, never the first five characters."""
    import duckdb

    con = duckdb.connect()
    con.execute("create table area_villages (level varchar, area_code varchar, village_code varchar)")
    con.executemany("insert into area_villages values (?, ?, ?)", [
        ("provinsi", "36", "36.04.15.2001"), ("kabkota", "36.99", "36.04.15.2001"), ("desa", "36.04.15.2001", "36.04.15.2001"),
        ("provinsi", "36", "36.04.15.2002"), ("kabkota", "36.04", "36.04.15.2002"), ("desa", "36.04.15.2002", "36.04.15.2002"),
        ("provinsi", "62", "62.71.01.1001"), ("kabkota", "62.71", "62.71.01.1001")])
    table = pd.DataFrame({"region_code": ["36", "36.04", "36.99", "36.04.15.2001", "36.04.15.2002"],
                          "level": ["provinsi", "kabkota", "kabkota", "desa", "desa"]})
    parents = cells._parents(table, "36", cells._village_areas(con, "36"))
    assert parents.tolist() == [pd.NA, "36", "36", "36.99", "36.04"]


def test_every_published_village_sits_under_its_kab_kota_of_the_regions_table(demo_db):
    con = connect_readonly(demo_db)
    try:
        cursor = read_cursor(con)
        published = cells.publication(cursor, "36", cells.years(cursor)[0]).tables[cells.VILLAGES]
    finally:
        con.close()
    chain = frame(demo_db, "select village_code as region_code, area_code from area_villages where level = 'kabkota'")
    joined = published.merge(chain, on="region_code", how="left")
    assert len(joined) == len(published) > 0 and (joined.parent_code == joined.area_code).all()
