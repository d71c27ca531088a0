"""The TP Posyandu briefing on the tiny demo: every number on a slide equals what the database says,
worked out here from the marts with plain SQL and pandas, not through the briefing's own queries."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard.briefing import build_briefing, quality_warnings
from dashboard import indicators
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


def test_headline_prevalence_against_previous_period_and_target(demo_db, briefing):
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
    listed = third.tables[0].frame
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


def test_quality_thresholds_on_both_sides_of_each_limit():
    limits = catalogue()["briefing"]
    low, high = limits["haz_sd_range"]
    area = dict(code="x", name="x", measurements=1000, flagged=0, flagged_pct=0.0, method_mismatch=0,
                children_haz=MIN_CHILDREN, haz_sd=(low + high) / 2, posyandu=10, months=12, reports=120,
                completeness_pct=100.0)
    cases = [
        (dict(flagged_pct=limits["max_flagged_pct"]), None), (dict(flagged_pct=limits["max_flagged_pct"] + 0.01), "flagged"),
        (dict(method_mismatch=10 * limits["max_method_mismatch_pct"]), None),
        (dict(method_mismatch=10 * limits["max_method_mismatch_pct"] + 1), "method"),
        (dict(haz_sd=low), None), (dict(haz_sd=low - 0.01), "haz_sd"), (dict(haz_sd=high + 0.01), "haz_sd"),
        (dict(haz_sd=0.5, children_haz=MIN_CHILDREN - 1), None),
        (dict(completeness_pct=limits["min_completeness_pct"]), None),
        (dict(completeness_pct=limits["min_completeness_pct"] - 0.1), "completeness"),
        (dict(completeness_pct=np.nan, reports=np.nan, months=np.nan), "completeness"),   # registered, never reported
        (dict(posyandu=np.nan, completeness_pct=np.nan), None),
    ]
    no_digits = pd.DataFrame(columns=["code", "quantity", "digit", "measurements"])
    for change, check in cases:
        found = quality_warnings(pd.DataFrame([{**area, **change}]), no_digits)
        assert list(found.check) == ([check] if check else []), change

    heaped = [{"code": "x", "quantity": "height", "digit": d, "measurements": n}
              for d, n in enumerate([60, 5, 5, 5, 5, 30, 5, 5, 5, 5])]
    found = quality_warnings(pd.DataFrame([area]), pd.DataFrame(heaped))
    assert list(found.check) == ["dps_height"]
    few = [dict(row, measurements=row["measurements"] // 2) for row in heaped]          # 65 values: below the minimum
    assert quality_warnings(pd.DataFrame([area]), pd.DataFrame(few)).empty


def test_indonesian_text_and_decimal_commas(demo_db):
    briefing = build(demo_db, lang="id")
    first = briefing.slides[0]
    assert first.title == "Indikator utama" and briefing.period_label == "Tahun 2025"
    assert "," in first.headlines[0].value_text("id") and "balita" in first.headlines[0].detail_text("id")


def test_a_village_briefing_has_no_areas_below_and_still_five_slides(demo_db):
    briefing = build(demo_db, region="62.71.01.1001", period="2026-05", as_of=date(2026, 5, 31))
    assert len(briefing.slides) == 5
    assert briefing.slides[1].tables == [] and "no areas below" in briefing.slides[1].message
