"""P2WKSS: the assessment ranking and the candidate list reproduce hand-computed examples; scores typed
on the page live in their own SQLite store and survive imports."""

from __future__ import annotations

from datetime import date

import duckdb
import openpyxl
import pytest

from dashboard.build import build_marts
from dashboard.db import create_schema, run_query
from dashboard.p2wkss.ranking import ranking, result_sheet
from dashboard.p2wkss.store import AssessmentStore, ScoreError

# basic (40%), follow-up, support, innovation (20% each), scored 0..100:
#   V1: .4*80 + .2*(70+60+50) = 68     V2: .4*90 + .2*(40+50+60) = 66
#   V3: .4*70 + .2*(90+90+90) = 82     V4: .4*85 + .2*(60+60+50) = 68 (ties V1, higher basic programme first)
#   V5: no innovation score yet: no total, listed last
HAND = {"36.04.15.2001": (80, 70, 60, 50), "36.04.15.2002": (90, 40, 50, 60), "36.04.15.2003": (70, 90, 90, 90),
        "36.04.15.2004": (85, 60, 60, 50)}


@pytest.fixture
def store(tmp_path):
    store = AssessmentStore(tmp_path / "p2wkss.sqlite")
    for village, values in HAND.items():
        store.enter(village, 2026, dict(zip(("basic", "follow_up", "support", "innovation"), values)), "tim-penilai")
    store.enter("36.04.15.2005", 2026, {"basic": 100, "follow_up": 100, "support": 100}, "tim-penilai")
    return store


def test_ranking_reproduces_the_hand_computed_example(store):
    ranked = ranking(store.scores(2026))
    assert ranked[["village_code", "total", "rank"]].astype(object).where(ranked.notna(), None).values.tolist() == [
        ["36.04.15.2003", 82.0, 1], ["36.04.15.2004", 68.0, 2], ["36.04.15.2001", 68.0, 3], ["36.04.15.2002", 66.0, 4],
        ["36.04.15.2005", None, None]]


def test_scores_are_checked_replaced_and_kept_apart_from_the_analytics_db(store, tmp_path):
    with pytest.raises(ScoreError, match="0..100"):
        store.enter("36.04.15.2001", 2026, {"basic": 120}, "tim-penilai")
    with pytest.raises(ScoreError, match="unknown part"):
        store.enter("36.04.15.2001", 2026, {"kebersihan": 50}, "tim-penilai")
    store.enter("36.04.15.2002", 2026, {"basic": 100}, "ketua-tim")          # corrected: .4*100 + 30 = 70
    ranked = ranking(store.scores(2026)).set_index("village_code")
    assert ranked.loc["36.04.15.2002", "total"] == 70.0 and ranked.loc["36.04.15.2002", "rank"] == 2
    assert AssessmentStore(store.path).scores(2026).entered_by.tolist().count("ketua-tim") == 1  # reopened: still there
    assert store.scores(2025).empty


def test_result_sheet_prints_parts_weights_total_and_rank(store, tmp_path):
    sheet = tmp_path / "hasil.xlsx"
    sheet.write_bytes(result_sheet(ranking(store.scores(2026), {"36.04.15.2003": "Desa Tiga"}), "id", "Hasil P2WKSS 2026"))
    rows = list(openpyxl.load_workbook(sheet)["Hasil"].values)
    assert rows[0][0] == "Hasil P2WKSS 2026"
    assert rows[2] == ("Peringkat", "Kode desa", "Desa", "Program dasar (40%)", "Tindak lanjut (20%)", "Dukungan (20%)",
                       "Inovasi (20%)", "Nilai akhir")
    assert rows[3] == (1, "36.04.15.2003", "Desa Tiga", 70, 90, 90, 90, 82)


def test_candidate_list_reproduces_the_hand_computed_mix(template_db, tmp_path):
    """Four villages (A..D = 2001..2004). Percentile ranks over the four (higher need higher, missing lowest):
    stunting 30/20/10/- -> 1, 2/3, 1/3, 0; no latrine 10/40/20/30% -> 0, 1, 1/3, 2/3; no clean water 0/0/50/0% ->
    0, 0, 1, 0; not healthy house all 20% -> 0; open social referrals 0/2/0/1 -> 0, 1, 0, 2/3.
    Mix 40/15/15/15/15: A = 40; B = 40*2/3 + 15 + 15 = 56.7; C = 40/3 + 5 + 15 = 33.3; D = 10 + 10 = 20."""
    path = tmp_path / "c.duckdb"
    path.write_bytes(template_db.read_bytes())
    a, b, c, d = (f"36.04.15.{2001 + i}" for i in range(4))
    with duckdb.connect(str(path)) as con:
        create_schema(con)
        for i, (village, reason, agency) in enumerate([(b, "keluarga_miskin", "dinas_sosial"),
                                                       (b, "kekerasan_anak", "dp3a"), (d, "putus_sekolah", "dinas_pendidikan"),
                                                       (a, "gizi_buruk", "puskesmas")]):
            con.execute("insert into referrals (referral_id, referred_on, village_code, subject_type, reason_category, "
                        "destination_agency, status, status_on, batch_id, source_row) "
                        "values (?, ?, ?, 'keluarga', ?, ?, 'dirujuk', ?, 1, ?)",
                        [f"R{i}", date(2026, 3, 1), village, reason, agency, date(2026, 3, 1), i])
            con.execute("insert into referral_events values (?, 'dirujuk', ?, 1)", [f"R{i}", date(2026, 3, 1)])
        build_marts(con)
        con.execute("delete from prevalence")
        for village, pct in ((a, 30.0), (b, 20.0), (c, 10.0)):
            con.execute("insert into prevalence (region_code, level, period_type, period_start, indicator, numerator, "
                        "denominator, prevalence) values (?, 'desa', 'year', ?, 'stunting', ?, 100, ?)",
                        [village, date(2026, 1, 1), int(pct), pct])
        con.execute("delete from pkk_village_year")
        for village, jamban, air in ((a, 90, 100), (b, 60, 100), (c, 80, 50), (d, 70, 100)):
            con.execute("insert into pkk_village_year (village_code, year, households, households_jamban, "
                        "households_air_bersih, households_rumah_sehat) values (?, ?, 100, ?, ?, 80)",
                        [village, date(2026, 1, 1), jamban, air])
        got = run_query(con, "pages/spm/candidates", {"region": "36.04.15", "year": date(2026, 1, 1),
                                                      "as_of": date(2026, 6, 30)})
    assert got[["village_code", "need_score", "open_social_referrals"]].values.tolist() == [
        [b, 56.7, 2], [a, 40.0, 0], [c, 33.3, 0], [d, 20.0, 1]]
    assert got.set_index("village_code").loc[c, ["stunting_pct", "jamban_missing_pct", "air_bersih_missing_pct"]].tolist() \
        == [10.0, 20.0, 50.0]


def test_programme_villages_against_their_kabkota_before_and_after(template_db, tmp_path):
    """Posyandra in 2001 (opened 17 Dec 2025: before = 2024) and P2WKSS in 2003 (year 2025: before = 2024), chosen
    year 2026. Stunting (cases/children): 2001 30/100 then 20/100; 2002 10/50 then 12/50; 2003 20/50 then 8/50.
    Posyandra's other villages: 2002 + 2003 = 30/100 and 20/100; P2WKSS's: 2001 + 2002 = 40/150 and 32/150."""
    path = tmp_path / "p.duckdb"
    path.write_bytes(template_db.read_bytes())
    with duckdb.connect(str(path)) as con:
        create_schema(con)
        con.execute("insert into programme_villages values ('36.04.15.2001', 'posyandra', null, date '2025-12-17', 1, 2),"
                    " ('36.04.15.2003', 'p2wkss', 2025, null, 1, 3)")
        build_marts(con)
        con.execute("delete from prevalence")
        for village, year, cases, children in (("2001", 2024, 30, 100), ("2001", 2026, 20, 100), ("2002", 2024, 10, 50),
                                               ("2002", 2026, 12, 50), ("2003", 2024, 20, 50), ("2003", 2026, 8, 50)):
            con.execute("insert into prevalence (region_code, level, period_type, period_start, indicator, numerator, "
                        "denominator, prevalence) values (?, 'desa', 'year', ?, 'stunting', ?, ?, ?)",
                        [f"36.04.15.{village}", date(year, 1, 1), cases, children, 100 * cases / children])
        got = run_query(con, "pages/spm/programme_villages", {"region": "36.04", "year": date(2026, 1, 1)})
    rows = {r.programme: (r.village_code, r.before_year, r.before_pct, r.now_pct, r.others_before_pct, r.others_now_pct,
                          r.others_now_children) for r in got.itertuples()}
    assert rows == {"posyandra": ("36.04.15.2001", 2024, 30.0, 20.0, 30.0, 20.0, 100),
                    "p2wkss": ("36.04.15.2003", 2024, 40.0, 16.0, 26.7, 21.3, 150)}
    assert got.started_on.astype(str).tolist() == ["2025-01-01", "2025-12-17"]   # a year alone starts in January


def test_demo_assessment_scores_the_binaan_and_top_candidates_once(demo_db, tmp_path):
    from dashboard.p2wkss.demo import DEMO_USER, seed_demo_assessment

    store = AssessmentStore(tmp_path / "p2wkss.sqlite")
    added = seed_demo_assessment(store, demo_db)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        binaan = {v for (v,) in con.execute("select village_code from programme_villages where programme = 'p2wkss'")
                  .fetchall()}
    scores = store.scores(2026)
    assert added >= len(binaan) > 0 and binaan <= set(scores.village_code)
    assert set(scores.entered_by) == {DEMO_USER} and len(scores) == 4 * added
    ranked = ranking(scores)
    assert ranked["rank"].tolist() == list(range(1, added + 1))
    assert seed_demo_assessment(store, demo_db) == 0                      # a second run changes nothing
