"""The demo generator: deterministic files that the real importer reads, every injected defect
caught where the manifest says it is, and the generated truth recovered by the pipeline."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pytest

from dashboard.demo import build_demo
from dashboard.demo.generator import generate
from tests.conftest import query

SEED = 7


@pytest.fixture(scope="module")
def demo(tmp_path_factory, template_db):
    """The tiny demo (three kecamatan), generated and imported into a real database once."""
    base = tmp_path_factory.mktemp("demo")
    db = base / "demo.duckdb"
    shutil.copyfile(template_db, db)
    summary = build_demo(db, "tiny", SEED, base / "files")
    folder = Path(summary["folder"])
    return {"db": db, "folder": folder, "results": summary["results"],
            "manifest": json.loads((folder / "manifest.json").read_text()),
            "truth": json.loads((folder / "truth.json").read_text())}


def _content(path: Path) -> str:
    """What a file says: bytes for CSV, cell values for XLSX (its zip carries write times)."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return repr([list(r) for sheet in book.worksheets for r in sheet.iter_rows(values_only=True)])
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_same_files_other_seed_other_files(demo, tmp_path):
    generate(tmp_path / "again", "tiny", SEED)
    generate(tmp_path / "other", "tiny", SEED + 1)
    names = sorted(p.name for p in demo["folder"].iterdir())
    assert names == sorted(p.name for p in (tmp_path / "again").iterdir())
    for name in names:
        assert _content(demo["folder"] / name) == _content(tmp_path / "again" / name), name
    measurements = [f["file"] for f in demo["manifest"]["files"] if f["dataset"] == "measurements"]
    assert any(_content(demo["folder"] / n) != _content(tmp_path / "other" / n) for n in measurements)


def test_every_file_is_recognised_and_every_row_accounted_for(demo):
    datasets = {f["file"]: f["dataset"] for f in demo["manifest"]["files"]}
    assert set(datasets.values()) == {"posyandu", "measurements", "posyandu_monthly", "referrals", "pkk_dasawisma",
                                      "posyandu_activity", "programme_villages"}
    for result in demo["results"]:
        assert result.error is None, (result.file_name, result.error)
        assert result.dataset == datasets[result.file_name]  # detected from headings, no --kind
        assert result.rows_read == result.rows_loaded + result.rows_rejected + result.rows_duplicate
        expected = next(f["rows"] for f in demo["manifest"]["files"] if f["file"] == result.file_name)
        assert result.rows_read == expected, result.file_name
    layouts = {f.get("layout") for f in demo["manifest"]["files"] if f["dataset"] == "measurements"}
    # tiny: Kab Serang by names (CSV) and one posyandu's e-PPGBM download (HTML .xls), Kota Palangka Raya in grams
    assert layouts == {"names", "grams", "eppgbm"}


def test_each_injected_defect_is_caught_at_its_row(demo):
    db = demo["db"]
    rejected = {(f, r) for f, r in query(db, "select distinct source_file, source_row from rejects")}
    defects = demo["manifest"]["defects"]
    assert len(defects) > 20
    loaded_kinds = {"exact_duplicate"}                    # the first copy loads, the second is skipped
    skipped_kinds = {"exact_duplicate_copy"}
    for defect in defects:
        at = (defect["file"], defect["row"])
        if defect["defect"] in loaded_kinds | skipped_kinds:
            assert at not in rejected, defect
        else:
            assert at in rejected, defect
    # nothing else is rejected: the rest of the demo is clean
    expected = {(d["file"], d["row"]) for d in defects if d["defect"] not in loaded_kinds | skipped_kinds}
    assert rejected == expected
    copies = Counter(d["file"] for d in defects if d["defect"] == "exact_duplicate_copy")
    for result in demo["results"]:
        assert result.rows_duplicate == copies.get(result.file_name, 0), result.file_name


def test_personal_columns_of_defects_are_masked(demo):
    values = [v for (v,) in query(demo["db"], "select value from rejects where column_name ilike '%nik%'")]
    assert values and all("E+15" not in v for v in values)


def test_generated_truth_is_recovered_within_sampling_error(demo):
    """Per kab/kota and year: the pipeline's stunting prevalence (WHO z from the exported, rounded
    measurements) equals the generator's realised truth up to rounding at the -2 boundary, and
    lies within three standard errors of the intended prevalence."""
    db = demo["db"]
    checked = 0
    for code, truth in demo["truth"]["kabkota"].items():
        for year, realised in truth["realised"].items():
            rows = query(db, """select numerator, denominator from prevalence
                                where indicator = 'stunting' and level = 'kabkota' and region_code = $code
                                  and period_type = 'year' and year(period_start) = $year""",
                         {"code": code, "year": int(year)})
            if not realised["children"]:
                continue
            [(stunted, children)] = rows
            # rejected defect rows may remove a child-year; boundary rounding may move a child
            assert abs(children - realised["children"]) <= max(2, 0.02 * realised["children"]), (code, year)
            assert abs(stunted - realised["stunted"]) <= max(2, 0.03 * realised["stunted"]), (code, year)
            # the intended prevalence moves from intended_start (first month) to intended_end (last)
            low, high = sorted((truth["intended_start"] / 100, truth["intended_end"] / 100))
            se = math.sqrt(high * (1 - high) / children)
            assert low - 3 * se <= stunted / children <= high + 3 * se, (code, year, stunted / children, low, high)
            checked += 1
    assert checked >= 4


def test_stunting_declines_and_hotspots_stand_out(demo):
    db = demo["db"]
    hotspots = [v for t in demo["truth"]["kabkota"].values() for v in t["hotspots"]]
    rows = query(db, """select region_code, numerator, denominator from prevalence
                        where indicator = 'stunting' and level = 'desa' and period_type = 'year'
                          and period_start = date '2026-01-01'""")
    assert rows and hotspots
    hot = [n / d for c, n, d in rows if c in hotspots and d]
    cold = [n / d for c, n, d in rows if c not in hotspots and d]
    assert sum(hot) / len(hot) > sum(cold) / len(cold) + 0.05
    # and the whole demo improves a little over the two years
    [(first, last)] = query(db, """select max(prevalence) filter (where year(period_start) = 2025),
                                        max(prevalence) filter (where year(period_start) = 2026)
                                 from prevalence where indicator = 'stunting' and level = 'provinsi'
                                   and period_type = 'year' and region_code = '36'""")
    assert last < first


def test_monthly_reports_and_referrals_have_the_shapes_pages_need(demo):
    db = demo["db"]
    [(months,)] = query(db, "select count(distinct month) from posyandu_monthly")
    assert months == 24
    [(reported,)] = query(db, "select count(distinct reported_strata) from posyandu_monthly")
    assert reported == 4
    statuses = dict(query(db, "select status, count(*) from referrals group by all"))
    assert len(statuses) >= 4, statuses
    [(agencies,)] = query(db, "select count(distinct destination_agency) from referrals")
    assert agencies >= 3
    [(events,)] = query(db, "select count(*) from referral_events")
    assert events > sum(statuses.values())  # histories, not one row per referral
    [(dasawisma,)] = query(db, "select count(distinct village_code) from pkk_dasawisma")
    assert dasawisma > 10


# ----- the small demo's focus kab/kota: village maps coloured on first run ---------------------
@pytest.fixture(scope="module")
def palangka_raya(tmp_path_factory, template_db):
    """Kota Palangka Raya exactly as the small demo writes it (a focus kab/kota), imported into a real database."""
    base = tmp_path_factory.mktemp("focus")
    db = base / "focus.duckdb"
    shutil.copyfile(template_db, db)
    generate(base / "files", "small", SEED, kabkota=["62.71"])
    summary = build_demo(db, "small", SEED, base / "files")
    folder = Path(summary["folder"])
    return {"db": db, "results": summary["results"], "manifest": json.loads((folder / "manifest.json").read_text()),
            "truth": json.loads((folder / "truth.json").read_text())["kabkota"]["62.71"]}


def test_a_focus_kabkota_has_enough_children_in_most_villages(palangka_raya):
    db = palangka_raya["db"]
    [(latest,)] = query(db, "select max(period_start) from prevalence where period_type = 'year'")
    measured = dict(query(db, """select region_code, denominator from prevalence where indicator = 'stunting'
                                  and level = 'desa' and period_type = 'year' and period_start = $latest""",
                          {"latest": latest}))
    villages = [code for (code,) in query(db, "select code from regions where level = 'desa' and code like '62.71.%'")]
    assert len(villages) == 30 and set(measured) == set(villages)        # every kelurahan has measured children
    enough = [code for code in villages if measured[code] >= 30]
    assert len(enough) >= 0.8 * len(villages), sorted(measured.values())


def test_a_focus_kabkota_is_accounted_for_and_its_truth_recovered(palangka_raya):
    manifest = {f["file"]: f["rows"] for f in palangka_raya["manifest"]["files"]}
    assert sorted(manifest) == ["daftar_posyandu_62.csv", "dasawisma_6271.csv", "desa_program_6271.xlsx",
                                "kegiatan_6_bidang_6271.xlsx", "laporan_bulanan_6271.csv", "pengukuran_6271.xlsx",
                                "register_posyandu_6271.xlsx", "rekap_dasawisma_6271011001_2026.xlsx",
                                "rujukan_6271.csv"]
    for result in palangka_raya["results"]:
        assert result.error is None, (result.file_name, result.error)
        assert result.rows_read == manifest[result.file_name]
        assert result.rows_read == result.rows_loaded + result.rows_rejected + result.rows_duplicate
    rows = dict((year.year, (stunted, children)) for year, stunted, children in query(palangka_raya["db"], """
        select period_start, numerator, denominator from prevalence where indicator = 'stunting'
          and level = 'kabkota' and region_code = '62.71' and period_type = 'year'"""))
    for year, realised in palangka_raya["truth"]["realised"].items():
        stunted, children = rows[int(year)]
        assert abs(children - realised["children"]) <= max(2, 0.02 * realised["children"]), year
        assert abs(stunted - realised["stunted"]) <= max(2, 0.03 * realised["stunted"]), year


def test_only_the_focus_kabkota_of_the_small_demo_get_many_children():
    """Kab Serang's 326 villages: most have >= 30 children with a length measured in 2026 (the default
    period); Kab Pandeglang keeps the small demo's few children per village; tiny is unchanged."""
    from dashboard.demo import generator

    villages = generator._villages("small")

    def measured_2026(code: str, scale: str = "small"):
        kab = generator.KabKota(code, villages[villages.kab_code == code].reset_index(drop=True), 25.0, scale, SEED)
        visits = kab.visits.loc[kab.visits.measured & (kab.visits.date >= np.datetime64("2026-01-01"))]
        village = kab.children.village.to_numpy()[visits.child.to_numpy()]
        per_village = visits.assign(village=village).groupby("village").child.nunique()
        return per_village.reindex(range(len(kab.villages)), fill_value=0)

    serang = measured_2026("36.04")
    assert len(serang) == 326 and (serang >= 30).mean() > 0.75
    pandeglang = measured_2026("36.01")
    assert len(pandeglang) == len(villages[villages.kab_code == "36.01"]) and pandeglang.median() < 10
    assert generator.KabKota("36.04", villages[villages.kab_code == "36.04"].reset_index(drop=True), 25.0, "tiny",
                             SEED).focus_children is None


def test_eppgbm_download_and_printed_recap_go_through_the_importer(demo):
    """The e-PPGBM download loads with its reported values, and the data-quality checks count exactly the
    records planted to disagree; the printed Dasa Wisma recap loads without its JUMLAH row."""
    db, manifest = demo["db"], demo["manifest"]
    [eppgbm] = [f["file"] for f in manifest["files"] if f.get("layout") == "eppgbm"]
    [reported] = query(db, """select count(*), count(reported_haz), count(reported_age_days), count(reported_whz_status)
                              from measurements m join import_batches b on m.batch_id = b.batch_id
                              where b.file_name = $file""", {"file": eppgbm})
    rows = next(f["rows"] for f in manifest["files"] if f["file"] == eppgbm)
    assert reported[0] == rows and reported[2] == rows and 0 < reported[1] <= rows
    planted = Counter(p["check"] for p in manifest["planted"])
    assert planted == {"reported_haz": 3, "reported_age": 2}
    con = duckdb.connect(str(db), read_only=True)
    try:
        z = con.execute("select * from reported_z_village_year").df()
        age = con.execute("select * from reported_age_village_year").df()
    finally:
        con.close()
    assert z[z.indicator == "stunting"].status_disagrees.sum() == planted["reported_haz"]
    assert z[z.indicator.isin(["wasting", "underweight"])].status_disagrees.sum() == 0  # rounding moves no one
    assert age.age_disagrees.sum() == planted["reported_age"]
    [recap] = [f for f in manifest["files"] if f.get("layout") == "printed_recap"]
    [(loaded, totals)] = query(db, """select count(*), count_if(dasawisma ilike 'jumlah%') from pkk_dasawisma d
                                      join import_batches b on d.batch_id = b.batch_id where b.file_name = $file""",
                               {"file": recap["file"]})
    assert (loaded, totals) == (recap["rows"], 0)
