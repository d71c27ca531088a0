"""After every import the marts equal a full rebuild, though only the touched slices were recomputed.

A property test over random sequences of imports, corrections (same child and date, changed weight,
height, village or birth date), monthly reports, Dasa Wisma recaps and repeated files on a small real
database: after
each step every mart holds exactly the rows ``build_marts`` writes from scratch (``except all``
both ways, same row counts), and the refresh really went by slices.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings, strategies as st

from dashboard.build import MARTS, build_marts, refresh
from dashboard.cli import main
from dashboard.ingest.load import TOUCHED
from dashboard.ingest.loader import import_files
from tests.conftest import write_csv

HEAD = ["NIK", "JK", "Tgl Lahir", "Tgl Ukur", "BB", "TB", "Cara Ukur", "Edema", "Kode Desa", "Posyandu"]
REPORT_HEAD = ["Posyandu", "Kode Desa", "Bulan", "Tahun", "Buka", "Kader Aktif", "S", "K", "D", "N", "BGM", "2T"]
VILLAGES = ("3604152001", "3604152002", "3604162001")   # two kecamatan of Kab Serang
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus")
BIRTHS = ("01/01/2023", "15/06/2023", "01/03/2024", "20/10/2024")

row_values = st.fixed_dictionaries({
    "child": st.integers(0, 5), "month": st.integers(1, 8), "day": st.sampled_from((5, 20)),
    "weight": st.integers(60, 140), "height": st.integers(600, 1000), "village": st.integers(0, 2),
    "birth": st.integers(0, 3),
})
measurement_file = st.lists(row_values, min_size=1, max_size=6)
report_file = st.lists(st.fixed_dictionaries({"village": st.integers(0, 2), "month": st.integers(1, 8),
                                              "weighed": st.integers(0, 30)}), min_size=1, max_size=3)
recap_file = st.lists(st.fixed_dictionaries({"village": st.integers(0, 2), "rt": st.integers(1, 2),
                                             "year": st.sampled_from(("2024", "2025")), "latrines": st.integers(0, 12)}),
                      min_size=1, max_size=3)
correction = st.fixed_dictionaries({"field": st.sampled_from(("weight", "height", "village", "birth")),
                                    "value": st.integers(0, 3), "rows": st.integers(1, 3)})
step = st.one_of(st.tuples(st.just("measure"), measurement_file), st.tuples(st.just("correct"), correction),
                 st.tuples(st.just("report"), report_file), st.tuples(st.just("recap"), recap_file),
                 st.tuples(st.just("repeat"), st.integers(0, 10)))


def measurement_row(r: dict) -> list[str]:
    return [f"3604150101230{r['child']:03d}", "L" if r["child"] % 2 else "P", BIRTHS[r["birth"]],
            f"{r['day']:02d}/{r['month']:02d}/2025", f"{r['weight'] / 10:.1f}".replace(".", ","),
            f"{r['height'] / 10:.1f}".replace(".", ","), "L", "", VILLAGES[r["village"]], f"Melati {r['village']}"]


def corrected(rows: list[dict], change: dict) -> list[dict]:
    """The first rows of an earlier file with one value changed: same child and date (the natural key)."""
    out = []
    for r in rows[:change["rows"]]:
        r = dict(r)
        if change["field"] == "weight":
            r["weight"] = 60 + (r["weight"] + 7 + change["value"]) % 80
        elif change["field"] == "height":
            r["height"] = 600 + (r["height"] + 33 + change["value"]) % 400
        elif change["field"] == "village":
            r["village"] = (r["village"] + 1 + change["value"] % 2) % 3
        else:
            r["birth"] = (r["birth"] + 1 + change["value"] % 3) % 4
        out.append(r)
    return out


def report_rows(rows: list[dict]) -> list[list[str]]:
    return [[f"Melati {r['village']}", VILLAGES[r["village"]], MONTHS[r["month"] - 1], "2025", "Ya", "5", "40", "38",
             str(r["weighed"]), str(r["weighed"] // 2), "0", "0"] for r in rows]


RECAP_HEAD = ["Kode Desa", "RW", "RT", "Nama Dasa Wisma", "Tahun", "Jumlah KK", "Jumlah KRT", "Balita", "Jamban",
              "Sumber Air Bersih"]


def recap_rows(rows: list[dict]) -> list[list[str]]:
    """Dasa Wisma recaps: the same group and year again is a correction of its counts."""
    return [[VILLAGES[r["village"]], "1", str(r["rt"]), "Mawar", r["year"], "14", "12", "5", str(r["latrines"]), "10"]
            for r in rows]


def assert_equal_to_full_rebuild(db: Path, scratch: Path) -> None:
    """Every mart of ``db`` holds exactly the rows a full rebuild from its canonical tables writes."""
    shutil.copyfile(db, scratch)
    with duckdb.connect(str(scratch)) as con:
        for name in MARTS:
            con.execute(f"create temp table refreshed_{name} as select * from {name}")
        build_marts(con)
        for name in MARTS:
            counts = con.execute(f"select (select count(*) from refreshed_{name}), (select count(*) from {name})").fetchone()
            assert counts[0] == counts[1], (name, counts)
            extra = con.execute(f"select * from refreshed_{name} except all select * from {name}").fetchall()
            missing = con.execute(f"select * from {name} except all select * from refreshed_{name}").fetchall()
            assert not extra and not missing, (name, extra[:3], missing[:3])


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=4))
def test_every_import_leaves_marts_equal_to_a_full_rebuild(steps, tmp_path_factory, template_db):
    folder = tmp_path_factory.mktemp("incremental")
    db = folder / "routine.duckdb"
    shutil.copyfile(template_db, db)
    files: list[Path] = []
    measured: list[list[dict]] = [[{"child": 0, "month": 3, "day": 5, "weight": 90, "height": 800, "village": 0,
                                    "birth": 1}]]
    files.append(write_csv(folder / "start.csv", [HEAD] + [measurement_row(r) for r in measured[0]]))
    ways: list[dict] = []
    record = lambda con: ways.append(refresh(con, touched=TOUCHED))  # noqa: E731  what import_and_refresh runs
    import_files(files[:1], db, after_load=record)
    for number, (kind, spec) in enumerate(steps):
        if kind == "measure":
            measured.append(spec)
            path = write_csv(folder / f"ukur-{number}.csv", [HEAD] + [measurement_row(r) for r in spec])
        elif kind == "correct":
            measured.append(corrected(measured[-1], spec))
            path = write_csv(folder / f"koreksi-{number}.csv", [HEAD] + [measurement_row(r) for r in measured[-1]])
        elif kind == "report":
            path = write_csv(folder / f"laporan-{number}.csv", [REPORT_HEAD] + report_rows(spec))
        elif kind == "recap":
            path = write_csv(folder / f"dasawisma-{number}.csv", [RECAP_HEAD] + recap_rows(spec))
        else:   # the same file again (unchanged), or its rows again under another name
            earlier = files[spec % len(files)]
            path = earlier if spec % 2 else folder / f"lagi-{number}.csv"
            if path != earlier:
                shutil.copyfile(earlier, path)
                path.write_text(earlier.read_text() + "\n")   # other bytes, same rows
        files.append(path)
        ways.clear()
        [result] = import_files([path], db, after_load=record)
        assert result.error is None, result.error
        if ways and result.rows_loaded and kind in ("measure", "correct"):   # the routine path, not a rebuild
            assert ways[0]["child_months"][0] == "slices" and ways[0]["area_villages"][0] == "unchanged"
        assert_equal_to_full_rebuild(db, folder / "full.duckdb")


def test_a_correction_moving_a_child_updates_both_villages_and_rebuild_agrees(tmp_path, db_path, capsys):
    first = [HEAD, measurement_row({"child": 1, "month": 8, "day": 5, "weight": 110, "height": 850, "village": 0,
                                    "birth": 1})]
    moved = [HEAD, measurement_row({"child": 1, "month": 8, "day": 5, "weight": 110, "height": 850, "village": 2,
                                    "birth": 1})]
    import_files([write_csv(tmp_path / "a.csv", first)], db_path, after_load=lambda c: refresh(c, touched=TOUCHED))
    ways = []
    import_files([write_csv(tmp_path / "b.csv", moved)], db_path,
                 after_load=lambda c: ways.append(refresh(c, touched=TOUCHED)))
    assert ways[0]["prevalence"][0] == "slices"
    with duckdb.connect(str(db_path), read_only=True) as con:
        counted = dict(con.execute("select region_code, denominator from prevalence where indicator = 'stunting' "
                                   "and period_type = 'month' and period_start = date '2025-08-01' "
                                   "and region_code in ('36.04.15.2001', '36.04.16.2001', '36.04.15', '36.04.16', "
                                   "'36.04')").fetchall())
    assert counted == {"36.04.16.2001": 1, "36.04.16": 1, "36.04": 1}   # the old village and kecamatan lost the child
    assert_equal_to_full_rebuild(db_path, tmp_path / "full.duckdb")
    assert main(["rebuild", "--db", str(db_path)]) == 0
    assert "rebuilt" in capsys.readouterr().out
    assert_equal_to_full_rebuild(db_path, tmp_path / "full2.duckdb")


def test_every_mart_declares_a_slice_of_its_own_columns_and_reads_what_it_names(db_path):
    from dashboard.build import mart_plan

    with duckdb.connect(str(db_path)) as con:
        build_marts(con)
        for name in MARTS:
            plan = mart_plan(name)
            columns = {row[0] for row in con.execute(f"describe {name}").fetchall()}
            assert all(set(slice_columns) <= columns for slice_columns in plan.slices), name
            assert plan.reads, name
    assert mart_plan("prevalence").reads == {"prevalence_village", "area_villages"}
    assert mart_plan("child_period_z").reads == {"measurements", "latest_month"}
    assert mart_plan("completeness").slices == ()


def test_a_mart_built_in_hash_partitions_equals_one_built_in_one_pass(demo_db, tmp_path):
    """``child_period_z`` is built in passes over hash partitions of the children at province scale
    (``build.PARTITION_ROWS``); on the tiny demo, three passes must give exactly the one-pass rows."""
    from dashboard.build import build_whole, mart_plan

    partitioned = [name for name in MARTS if mart_plan(name).partitioned]
    assert "child_period_z" in partitioned
    db = tmp_path / "partitioned.duckdb"
    shutil.copyfile(demo_db, db)
    with duckdb.connect(str(db)) as con:
        for name in partitioned:
            con.execute(f"create table one_pass_{name} as select * from {name}")
            build_whole(con, mart_plan(name), parts=3)
            count = con.execute(f"select count(*) from {name}").fetchone()[0]
            assert count > 0 and count == con.execute(f"select count(*) from one_pass_{name}").fetchone()[0], name
            for a, b in ((name, f"one_pass_{name}"), (f"one_pass_{name}", name)):
                assert con.execute(f"select * from {a} except all select * from {b}").fetchall() == [], name
