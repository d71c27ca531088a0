"""The TP Posyandu briefing on the tiny demo: every number on a slide equals what the database says,
worked out here from the marts with plain SQL and pandas, not through the briefing's own queries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard import indicators
from dashboard.briefing import build_briefing
from dashboard.completeness import comparable_previous, is_complete
from dashboard.db import load_sql, run_query
from dashboard.indicators import load_reference_tables
from dashboard.indicators import catalogue
from dashboard.periods import parse_period
from tests.conftest import frame

REGION, YEAR, AS_OF = "36.04", date(2025, 1, 1), date(2025, 12, 31)
MIN_CHILDREN = catalogue()["small_numbers"]["min_denominator"]
PERSONAL = ("nik", "nama", "name", "lahir", "birth", "alamat", "address", "child", "anak", "ibu", "mother", "phone")


def build(db, region=REGION, period="2025", as_of=AS_OF, lang="en"):
    with duckdb.connect(str(db), read_only=True) as con:
        return build_briefing(con, region, parse_period(period), as_of, lang)


@pytest.fixture(scope="module")
def briefing(demo_db):
    return build(demo_db)


def slide(briefing, key):
    return next(s for s in briefing.slides if s.key == key)


def headline(slide_, label_start):
    return next(h for h in slide_.headlines if h.label.startswith(label_start))


def test_five_slides_in_meeting_order_with_a_message_each(briefing):
    assert [s.key for s in briefing.slides] == ["headline", "worst_areas", "referrals", "strata", "quality"]
    assert all(s.title and s.message and "\n" not in s.message for s in briefing.slides)
    assert briefing.place == "Banten › Kabupaten Serang" and briefing.period_label == "Year 2025"


def test_headline_prevalence_against_previous_period_and_target(demo_db):
    """2025 against 2024 of a database where 2024 is a whole year (the demo's 2024 has two months: then
    no comparison, like for like): the demo with its 2024 completeness rows marked complete."""
    import shutil, tempfile
    db = Path(tempfile.mkdtemp()) / "whole_2024.duckdb"
    shutil.copyfile(demo_db, db)
    with duckdb.connect(str(db)) as con:
        con.execute("update completeness set complete = true where period_type = 'year' and period_start = '2024-01-01'")
    briefing = build(db)
    rows = frame(demo_db, """select indicator, period_start, numerator, denominator, 100.0 * numerator / denominator as pct
                             from prevalence where region_code = $r and period_type = 'year'
                             and period_start in ('2024-01-01', '2025-01-01')""", {"r": REGION})
    first = slide(briefing, "headline")
    for name, label in (("stunting", "Stunting"), ("wasting", "Wasting"), ("underweight", "Underweight")):
        now = rows[(rows.indicator == name) & (rows.period_start == pd.Timestamp(YEAR))].iloc[0]
        before = rows[(rows.indicator == name) & (rows.period_start == pd.Timestamp("2024-01-01"))].iloc[0]
        shown = headline(first, label)
        assert (shown.numerator, shown.denominator) == (now.numerator, now.denominator)
        assert shown.value == pytest.approx(now.pct) and shown.previous == pytest.approx(before.pct)
        assert shown.change == pytest.approx(now.pct - before.pct)
    assert headline(first, "Stunting").target == 18.8 and headline(first, "Stunting").target_label == "Target 2025"
    assert f"{headline(first, 'Stunting').value:.1f}%" in first.message


def test_headline_weighing_strata_and_backlog(demo_db, briefing):
    first = slide(briefing, "headline")
    [(d, s, n, d_both)] = frame(demo_db, """select sum(d_reported), sum(s_reported), sum(n_derived), sum(d_both_derived)
                                          from skdn_area_month where region_code = $r and year(month) = 2025""",
                                {"r": REGION}).itertuples(index=False)
    ds, nd = headline(first, "Weighing participation"), headline(first, "Children gaining weight")
    assert (ds.numerator, ds.denominator, ds.target) == (d, s, 80.0) and ds.value == pytest.approx(100 * d / s)
    assert (nd.numerator, nd.denominator) == (n, d_both) and nd.value == pytest.approx(100 * n / d_both)

    strata = frame(demo_db, "select year(year) as y, computed_strata from strata_posyandu_year where village_code like '36.04.%'")
    good = strata[strata.y == 2025].computed_strata.isin(["purnama", "mandiri"])
    shown = headline(first, "Posyandu Purnama + Mandiri")
    assert (shown.numerator, shown.denominator) == (good.sum(), len(good))

    def backlog(day):
        return frame(demo_db, f"""select count_if(is_open) as open, count_if(overdue) as overdue from referrals_as_of(date '{day}')
                                  where village_code like '36.04.%'""").iloc[0]
    now, before = backlog("2025-12-31"), backlog("2024-12-31")
    assert headline(first, "Open referrals").value == now.open and headline(first, "Open referrals").previous == before.open
    assert headline(first, "Overdue").value == now.overdue and headline(first, "Overdue").previous == before.overdue


def test_worst_areas_only_rank_areas_with_enough_children_and_mark_small_ones(demo_db, briefing):
    areas = frame(demo_db, """select r.name, p.numerator, p.denominator from prevalence p join regions r on r.code = p.region_code
                              where r.parent_code = $r and p.indicator = 'stunting' and p.period_type = 'year'
                              and p.period_start = '2025-01-01' and p.denominator > 0""", {"r": REGION})
    areas = areas.assign(pct=100 * areas.numerator / areas.denominator)
    enough = areas[areas.denominator >= MIN_CHILDREN].sort_values("pct", ascending=False)
    most = areas[areas.numerator > 0].sort_values(["numerator", "pct"], ascending=False)
    highest_table, most_table = [t.frame for t in slide(briefing, "worst_areas").tables]
    assert list(highest_table.Area) == list(enough.name.head(5))
    assert list(highest_table["Stunting %"]) == pytest.approx(list(enough.pct.head(5).round(1)))
    assert list(most_table.Area) == list(most.name.head(5))
    assert list(most_table.Stunted) == list(most.numerator.head(5))
    assert list(most_table["⚠ few"]) == ["⚠" if n < MIN_CHILDREN else "" for n in most.denominator.head(5)]
    assert "⚠" in set(most_table["⚠ few"]), "the tiny demo has a kecamatan under the limit: it is listed, marked"
    figure = slide(briefing, "worst_areas").figure
    assert list(figure.data[0].y) == list(enough.name.head(5))


def test_referral_backlog_by_agency_and_overdue_list_without_personal_columns(demo_db, briefing):
    open_ = frame(demo_db, """select referral_id, destination_agency, overdue, date_diff('day', referred_on, date '2025-12-31') as age
                              from referrals_as_of(date '2025-12-31') where is_open and village_code like '36.04.%'""")
    third = slide(briefing, "referrals")
    listed = third.appendix[0].frame        # the full list is the PDF's appendix; the slide shows the agenda
    overdue = open_[open_.overdue]
    assert set(listed["Referral id"]) == set(overdue.referral_id) and len(listed) == len(overdue)
    assert dict(zip(listed["Referral id"], listed["Age (days)"])) == dict(zip(overdue.referral_id, overdue.age))
    assert not [c for c in listed.columns if any(word in c.lower() for word in PERSONAL)], listed.columns
    assert not listed.astype(str).apply(lambda c: c.str.fullmatch(r"\d{16}")).any().any(), "no NIK-like value"
    by_trace = {trace.name: dict(zip(trace.y, trace.x)) for trace in third.figure.data}
    assert sum(sum(v.values()) for v in by_trace.values()) == len(open_)
    assert by_trace.get("Overdue", {}) == {indicators.label("agency", a, "en"): n   # agencies by name, not code
                                           for a, n in overdue.destination_agency.value_counts().items()}
    assert headline(third, "Median age").value == pytest.approx(open_.age.median())


def test_referral_agenda_groups_overdue_by_agency_and_by_village_with_the_oldest_age(demo_db, briefing):
    open_ = frame(demo_db, """select r.destination_agency, r.overdue, r.village_code, v.name as desa,
                                     date_diff('day', r.referred_on, date '2025-12-31') as age
                              from referrals_as_of(date '2025-12-31') r join regions v on v.code = r.village_code
                              where r.is_open and r.village_code like '36.04.%'""")
    by_agency, by_village = (t.frame for t in slide(briefing, "referrals").tables)
    assert [t.title for t in slide(briefing, "referrals").tables] == ["Agenda by agency: overdue referrals",
                                                                      "Agenda by village: villages with overdue referrals"]
    late = open_[open_.overdue]
    assert len(late) > 0, "the demo has overdue referrals in Kabupaten Serang"
    expected = {indicators.label("agency", a, "en"): (len(g), int(g.age.max())) for a, g in late.groupby("destination_agency")}
    assert {r[0]: tuple(r[1:]) for r in by_agency.itertuples(index=False)} == expected
    assert list(by_agency["Overdue"]) == sorted(by_agency["Overdue"], reverse=True), "most overdue first"
    villages = {code: (len(g), int((open_.village_code == code).sum()),
                       int(open_.loc[open_.village_code == code, "age"].max())) for code, g in late.groupby("village_code")}
    assert len(by_village) == len(villages) and by_village["Overdue"].sum() == len(late)
    assert sorted(zip(by_village["Overdue"], by_village["Open"], by_village["Oldest open (days)"])) == sorted(villages.values())


def test_strata_changes_between_the_two_years(demo_db, briefing):
    strata = frame(demo_db, """select posyandu_id, year(year) as y, village_code, computed_strata from strata_posyandu_year
                               where village_code like '36.04.%' and year(year) in (2024, 2025)""")
    rank = {"pratama": 1, "madya": 2, "purnama": 3, "mandiri": 4}
    pairs = (strata[strata.y == 2025].merge(strata[strata.y == 2024], on="posyandu_id", suffixes=("", "_before")))
    up = (pairs.computed_strata.map(rank) > pairs.computed_strata_before.map(rank))
    down = (pairs.computed_strata.map(rank) < pairs.computed_strata_before.map(rank))
    fourth = slide(briefing, "strata")
    assert headline(fourth, "Posyandu moving up").value == up.sum()
    assert headline(fourth, "Posyandu moving down").value == down.sum()
    table = fourth.tables[0].frame
    names = frame(demo_db, "select code, name from regions").set_index("code").name
    kecamatan = pairs.assign(up=up, down=down, area=pairs.village_code.str[:8].map(names)).groupby("area")
    expected = pd.DataFrame({"Up": kecamatan.up.sum(), "Down": kecamatan.down.sum()})
    assert table.set_index("Area")[["Up", "Down"]].sort_index().to_dict() == expected.sort_index().to_dict()
    assert table["P+M 2025"].sum() == strata[strata.y == 2025].computed_strata.isin(["purnama", "mandiri"]).sum()


def _expected_warnings(db) -> set[tuple[str, str]]:
    """The quality checks recomputed from the marts with pandas: (area code, check) beyond the catalogue's limits."""
    limits = catalogue()["briefing"]
    def areas_of(codes: pd.Series) -> list[pd.Series]:
        return [codes.map(lambda _: REGION), codes.str[:8]]   # the kabupaten as a whole, and its kecamatan

    found = set()
    quality = frame(db, "select * from quality_village_year where village_code like '36.04.%' and year(year) = 2025")
    for codes in areas_of(quality.village_code):
        sums = quality.groupby(codes)[["measurements", "flagged", "method_mismatch"]].sum()
        found |= {(c, "flagged") for c in sums.index[100 * sums.flagged / sums.measurements > limits["max_flagged_pct"]]}
        found |= {(c, "method") for c in sums.index[100 * sums.method_mismatch / sums.measurements
                                                    > limits["max_method_mismatch_pct"]]}
    haz = frame(db, """select region_code, sum(children) as n, sum(haz_sum) as s, sum(haz_sq) as q from haz_distribution
                       where period_type = 'year' and period_start = '2025-01-01' and starts_with(region_code, $r)
                       and length(region_code) <= 8 group by 1""", {"r": REGION})
    haz = haz.assign(sd=np.sqrt((haz.q - haz.s ** 2 / haz.n) / (haz.n - 1)))
    low, high = limits["haz_sd_range"]
    found |= {(c, "haz_sd") for c in haz[(haz.n >= MIN_CHILDREN) & ((haz.sd < low) | (haz.sd > high))].region_code}
    digits = frame(db, "select * from digits_village_year where village_code like '36.04.%' and year(year) = 2025")
    for codes in areas_of(digits.village_code):
        for (code, quantity), rows in digits.groupby([codes, "quantity"]):
            counts = rows.groupby("digit").measurements.sum().reindex(range(10), fill_value=0)
            total, expected = counts.sum(), counts.sum() / 10
            score = 100 * np.sqrt(((counts - expected) ** 2 / expected).sum() / (total * 9))
            if total >= limits["min_digit_records"] and score >= limits["max_digit_preference"]:
                found.add((code, f"dps_{quantity}"))
    posyandu = frame(db, "select village_code from posyandu where village_code like '36.04.%'")
    reports = frame(db, """select region_code, count(distinct month) as months, sum(posyandu_reporting) as reports
                           from skdn_area_month where year(month) = 2025 group by 1""").set_index("region_code")
    for codes in areas_of(posyandu.village_code):
        for code, registered in posyandu.groupby(codes).size().items():
            got = reports.reindex([code]).iloc[0]
            share = 0 if pd.isna(got.reports) else 100 * got.reports / (registered * got.months)
            if share < limits["min_completeness_pct"]:
                found.add((code, "completeness"))
    return found


def test_quality_warnings_equal_the_marts(demo_db, briefing):
    fifth = slide(briefing, "quality")
    expected = _expected_warnings(demo_db)
    table = fifth.tables[0].frame if fifth.tables else pd.DataFrame(columns=["Area", "Check"])
    names = frame(demo_db, "select code, name from regions where code = $r or parent_code = $r", {"r": REGION})
    labels = {"flagged": "Flagged z-scores %", "method": "Method mismatches %", "haz_sd": "SD of HAZ",
              "dps_height": "Digit preference, height (WHO score)", "dps_weight": "Digit preference, weight (WHO score)",
              "completeness": "Reporting completeness %"}
    shown = {(a.removesuffix(" (whole area)"), c) for a, c in zip(table.Area, table.Check)}
    assert shown == {(names.set_index("code").name[code], labels[check]) for code, check in expected}
    assert headline(fifth, "Warnings").value == len(expected)
    assert expected, "the tiny demo has at least one warning to show"


def quality_checks(areas: list[dict], digits: list[dict]) -> pd.DataFrame:
    """``checks/quality_warnings`` run by DuckDB on hand-made area rows: the two table macros it reads
    are replaced by these rows, the limits are the catalogue's ``ref_limits``."""
    con = duckdb.connect()
    load_reference_tables(con)
    quality_columns = ["code", "name", "measurements", "flagged", "flagged_pct", "measure_errors", "method_mismatch",
                       "method_mismatch_pct", "children_haz", "haz_mean", "haz_sd", "posyandu", "months", "reports",
                       "completeness_pct", "d_reported", "d_derived"]
    quality = pd.DataFrame(areas).reindex(columns=quality_columns).astype({c: "float64" for c in quality_columns[2:]})
    digit_rows = pd.DataFrame(digits, columns=["code", "name", "quantity", "records", "score"]).astype(
        {"records": "float64", "score": "float64"})
    con.register("quality_rows", quality)
    con.register("digit_rows", digit_rows)
    con.execute("create macro area_quality(r, l, y) as table select * from quality_rows where l = ''")
    con.execute("create macro area_digit_preference(r, l, y) as table select * from digit_rows where l = ''")
    sql = load_sql("checks/quality_warnings")
    return con.execute(sql.sql, {"region": "x", "child_level": "", "year": YEAR}).df()


def test_quality_thresholds_on_both_sides_of_each_limit():
    limits = catalogue()["briefing"]
    low, high = limits["haz_sd_range"]
    area = dict(code="x", name="x", measurements=1000, flagged=0, flagged_pct=0.0, method_mismatch=0,
                method_mismatch_pct=0.0, children_haz=MIN_CHILDREN, haz_sd=(low + high) / 2, posyandu=10, months=12,
                reports=120, completeness_pct=100.0)
    cases = [
        (dict(flagged_pct=limits["max_flagged_pct"]), None), (dict(flagged_pct=limits["max_flagged_pct"] + 0.01), "flagged"),
        (dict(method_mismatch_pct=limits["max_method_mismatch_pct"]), None),
        (dict(method_mismatch_pct=limits["max_method_mismatch_pct"] + 0.1), "method"),
        (dict(haz_sd=low), None), (dict(haz_sd=low - 0.01), "haz_sd"), (dict(haz_sd=high + 0.01), "haz_sd"),
        (dict(haz_sd=0.5, children_haz=MIN_CHILDREN - 1), None),
        (dict(completeness_pct=limits["min_completeness_pct"]), None),
        (dict(completeness_pct=limits["min_completeness_pct"] - 0.1), "completeness"),
        (dict(completeness_pct=None, reports=None, months=None), "completeness"),   # registered, never reported
        (dict(posyandu=None, completeness_pct=None), None),
    ]
    for change, check in cases:
        found = quality_checks([{**area, **change}], [])
        assert list(found.check) == ([check] if check else []), change

    score, records = limits["max_digit_preference"], limits["min_digit_records"]
    digits = dict(code="x", name="x", quantity="height")
    assert list(quality_checks([area], [dict(digits, records=records, score=score)]).check) == ["dps_height"]
    assert quality_checks([area], [dict(digits, records=records, score=score - 0.1)]).empty
    assert quality_checks([area], [dict(digits, records=records - 1, score=score + 50)]).empty


def test_digit_preference_score_in_sql_equals_the_who_formula(demo_db):
    """The score is computed in SQL (``area_digit_preference``); checked here with the WHO formula in numpy."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        got = con.execute("select quantity, records, score from area_digit_preference($r, '', $y)",
                          {"r": REGION, "y": YEAR}).df().set_index("quantity")
    digits = frame(demo_db, "select * from digits_village_year where village_code like '36.04.%' and year(year) = 2025")
    assert set(got.index) == {"weight", "height"}
    for quantity, rows in digits.groupby("quantity"):
        counts = rows.groupby("digit").measurements.sum().reindex(range(10), fill_value=0)
        total, expected = counts.sum(), counts.sum() / 10
        score = 100 * np.sqrt(((counts - expected) ** 2 / expected).sum() / (total * 9))
        assert got.loc[quantity, "records"] == total and got.loc[quantity, "score"] == pytest.approx(score)


def test_indonesian_text_and_decimal_commas(demo_db):
    briefing = build(demo_db, lang="id")
    first = briefing.slides[0]
    assert first.title == "Indikator utama" and briefing.period_label == "Tahun 2025"
    assert "," in first.headlines[0].value_text("id") and "balita" in first.headlines[0].detail_text("id")


def test_a_village_briefing_has_no_areas_below_and_still_five_slides(demo_db):
    briefing = build(demo_db, region="62.71.01.1001", period="2026-05", as_of=date(2026, 5, 31))
    assert len(briefing.slides) == 5
    assert briefing.slides[1].tables == [] and "no areas below" in briefing.slides[1].message


# The briefing composes the pages' named queries: for several areas and periods, every number it shows
# equals the row the page reads from the same query with the same parameters.
SCENES = [("36.04", "2025"), ("36.04.15", "2025-Q3"), ("36", "2024"), ("62.71", "2026-05"), ("62.71.01.1001", "2026")]


def page_as_of(con, period) -> date:
    """The backlog day the pages use (``ui.filters.backlog_day``): the period's last day, or the last day with data."""
    last_event = pd.Timestamp(run_query(con, "pages/common/data_until").last_event.iloc[0]).date()
    return min(period.end - pd.Timedelta(days=1), last_event)


@pytest.mark.parametrize("region, period_code", SCENES)
def test_briefing_numbers_equal_the_pages_queries(demo_db, region, period_code):
    period = parse_period(period_code)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        day = page_as_of(con, period)
        shown = build_briefing(con, region, period, day, "en")

        def page(name, **params):
            return run_query(con, f"pages/{name}", params)

        coverage, before, year = (page("common/completeness", region=region, period_type=p.type, period_start=p.start)
                                  for p in (period, period.previous, parse_period(str(period.start.year))))
        coverage, before, year = (c.iloc[0] if len(c) else None for c in (coverage, before, year))
        comparable = comparable_previous(period, coverage, before)     # like for like: both whole, or none
        prevalence = page("ringkasan/prevalence", region=region, period_type=period.type, period_start=period.start,
                          previous_start=comparable.start if comparable else None).set_index("indicator")
        skdn = page("ringkasan/skdn", region=region, start=period.start, end=period.end).iloc[0]
        strata = page("strata/summary", region=region, year=period.year,
                      previous_year=date(period.start.year - 1, 1, 1)).iloc[0]
        referrals = page("ringkasan/referrals", region=region, as_of=day).iloc[0]
        by_agency = page("rujukan/by_agency", region=region, as_of=day)
        whole = page("kualitas/areas", region=region, child_level="", year=period.year).iloc[0]
        child_level = {"36": "kabkota", "36.04": "kecamatan", "36.04.15": "desa", "62.71": "kecamatan"}.get(region, "")
        warnings = run_query(con, "checks/quality_warnings", {"region": region, "child_level": child_level,
                                                               "year": period.year})

    first, third, fourth, fifth = (slide(shown, k) for k in ("headline", "referrals", "strata", "quality"))
    for name, label in (("stunting", "Stunting"), ("wasting", "Wasting"), ("underweight", "Underweight")):
        row, figure = prevalence.loc[name], headline(first, label)
        assert (figure.numerator, figure.denominator) == (_int(row.numerator), _int(row.denominator))
        assert same(figure.value, row.prevalence) and same(figure.previous, row.previous_prevalence)
    ds, nd = headline(first, "Weighing participation"), headline(first, "Children gaining weight")
    assert same(ds.value, skdn.ds_pct) and (ds.numerator, ds.denominator) == (_int(skdn.d), _int(skdn.s))
    assert same(nd.value, skdn.nd_pct) and (nd.numerator, nd.denominator) == (_int(skdn.n), _int(skdn.d_both))
    for figure in (headline(first, "Posyandu Purnama + Mandiri"), headline(fourth, "Posyandu Purnama + Mandiri")):
        if not is_complete(year):      # a partial year is not judged
            assert figure.value is None and any("year incomplete" in n for n in first.notes)
            continue
        assert (figure.numerator, figure.denominator) == (strata.purnama_mandiri, strata.posyandu)
        assert same(figure.value, strata.purnama_mandiri_pct)
    if fourth.headlines:
        assert headline(fourth, "Posyandu moving up").value == strata.moved_up
        assert headline(fourth, "Posyandu moving down").value == strata.moved_down
    for slide_ in (first, third):
        assert headline(slide_, "Open referrals").value == referrals.open
        assert headline(slide_, "Overdue").value == referrals.overdue
    assert same(headline(third, "Median age").value, referrals.median_open_days)
    if third.figure is not None:
        drawn = {(agency, trace.name == "Overdue"): n for trace in third.figure.data for agency, n in zip(trace.y, trace.x)}
        assert drawn == {(indicators.label("agency", r.destination_agency, "en"), r.overdue): r.count   # named, not coded
                         for r in by_agency.itertuples()}
    assert same(headline(fifth, "Flagged").value, whole.flagged_pct)
    assert headline(fifth, "Warnings").value == len(warnings)
    listed = fifth.tables[0].frame if fifth.tables else pd.DataFrame({"Value": []})
    assert list(listed["Value"]) == pytest.approx(list(warnings.value.round(2)))


def same(shown, value) -> bool:
    """Both missing, or equal."""
    return (shown is None and pd.isna(value)) or shown == pytest.approx(float(value))


def _int(value):
    return None if pd.isna(value) else int(value)
