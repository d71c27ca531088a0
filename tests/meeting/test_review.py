"""The next meeting opens with the last one, on the tiny demo database: open decisions of the area
and below (overdue first) with their indicator's movement, and overdue referrals split into new since
the last meeting and still stuck since it. Expectations are counted straight from the database."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from dashboard.db import connect_readonly, run_query
from dashboard.meeting.demo import seed_demo_meetings
from dashboard.meeting.exports import decisions_xlsx, minutes_pdf
from dashboard.meeting.review import movement_text, opening_review
from dashboard.meeting.store import Decision, DecisionStore, Meeting
from dashboard.periods import parse_period
from tests.conftest import frame

HELD_ON, AS_OF, TODAY = date(2026, 8, 12), date(2026, 10, 31), date(2026, 11, 20)


@pytest.fixture
def ask(demo_db):
    con = connect_readonly(demo_db)
    yield lambda name, **params: run_query(con, name, params)
    con.close()


def stunting(db, region: str, quarter: str) -> tuple[float, int, int]:
    start = parse_period(quarter).start
    [(value, numerator, n)] = frame(db, "select prevalence, numerator, denominator from prevalence where region_code = $r "
                                        "and indicator = 'stunting' and period_type = 'quarter' and period_start = $s",
                                    {"r": region, "s": start}).itertuples(index=False)
    return value, numerator, n


def test_open_decisions_come_overdue_first_with_their_indicator_movement(tmp_path, demo_db, ask):
    store = DecisionStore(tmp_path / "d.sqlite")
    meeting = store.add_meeting(Meeting(HELD_ON, "36.04", "2026-Q2"), "siti")
    value, numerator, n = stunting(demo_db, "36.04.15", "2026-Q2")
    late = store.add_decision(meeting, Decision("36.04.15", "Kunjungan rumah", "puskesmas", date(2026, 9, 30),
                                                indicator="stunting", indicator_period="2026-Q2", baseline_value=value,
                                                baseline_numerator=numerator, baseline_n=n), "siti")
    later = store.add_decision(meeting, Decision("36.04", "Rujukan macet", "dinas_sosial", date(2026, 12, 31),
                                                 referral_agency="dinas_sosial", referral_overdue=3), "siti")
    done = store.add_decision(meeting, Decision("36.04", "Sudah", "puskesmas", date(2026, 9, 1)), "siti")
    store.update_status(done, "selesai", "", date(2026, 9, 1), "siti")
    elsewhere = store.add_meeting(Meeting(HELD_ON, "62", "2026-Q2"), "budi")
    store.add_decision(elsewhere, Decision("62.71", "Lain", "puskesmas", date(2026, 9, 1)), "budi")

    review = opening_review(store, ask, "36.04", parse_period("2026-Q3"), AS_OF, TODAY)
    decisions = review.decisions
    assert list(decisions.decision_id) == [late, later]           # open ones of this area and below, overdue first
    assert list(decisions.overdue) == [True, False] and decisions.days_overdue.iloc[0] == 51
    now = stunting(demo_db, "36.04.15", "2026-Q3")
    row = decisions.iloc[0]
    assert (row.now_period, row.now_value, row.now_numerator, row.now_n) == ("2026-Q3", *now)
    assert row.area_name == frame(demo_db, "select name from regions where code = '36.04.15'").name.iloc[0]
    [(overdue_now,)] = frame(demo_db, "select count(*) from referrals_as_of(date '2026-10-31') where overdue "
                                      "and destination_agency = 'dinas_sosial' and village_code like '36.04.%'"
                             ).itertuples(index=False)
    assert decisions.iloc[1].referral_overdue_now == overdue_now
    text = movement_text(next(decisions.itertuples()), "id")
    assert f"{value:.1f}".replace(".", ",") + f"% (n {n}) → " + f"{now[0]:.1f}".replace(".", ",") in text


def test_referrals_split_into_new_and_still_stuck_since_the_last_meeting(tmp_path, demo_db, ask):
    store = DecisionStore(tmp_path / "d.sqlite")
    store.add_meeting(Meeting(HELD_ON, "36", "2026-Q2"), "siti")
    store.add_meeting(Meeting(TODAY, "36", "2026-Q3"), "siti")          # today's meeting is this one, not the last
    review = opening_review(store, ask, "36", parse_period("2026-Q3"), AS_OF, TODAY)
    assert review.last_meeting["held_on"] == HELD_ON.isoformat()
    with duckdb.connect(str(demo_db), read_only=True) as con:
        stuck, new = con.execute("""
            select count_if(b.overdue), count_if(not coalesce(b.overdue, false))
            from referrals_as_of(date '2026-10-31') n left join referrals_as_of(date '2026-08-12') b using (referral_id)
            where n.overdue and n.village_code like '36.%'""").fetchone()
    assert (review.stuck_referrals, review.new_referrals) == (stuck, new)
    assert stuck > 0 and new > 0, "the demo should have both kinds"
    by_agency = review.referrals_by_agency()
    assert by_agency.new.sum() == new and by_agency.stuck.sum() == stuck
    first = opening_review(DecisionStore(tmp_path / "empty.sqlite"), ask, "36", parse_period("2026-Q3"), AS_OF, TODAY)
    assert first.last_meeting is None and first.stuck_referrals == 0 and first.new_referrals == stuck + new


def test_the_demo_meetings_are_seeded_once_with_done_and_overdue_decisions(tmp_path, demo_db, ask):
    store = DecisionStore(tmp_path / "d.sqlite")
    assert seed_demo_meetings(store, demo_db) == 3
    assert seed_demo_meetings(store, demo_db) == 0                      # idempotent
    meetings = store.meetings()
    assert sorted(meetings.area_code) == ["36", "36.04", "62"]         # the provinces and the default view
    decisions = store.decisions()
    assert set(decisions.status) >= {"selesai", "berjalan", "direncanakan"}
    review = opening_review(store, ask, "36", parse_period("2026"), AS_OF, TODAY)
    assert review.last_meeting["created_by"] == "demo"
    assert review.decisions.overdue.any() and not review.decisions.overdue.all()
    assert review.decisions.status.isin(["direncanakan", "berjalan"]).all()


def test_the_default_view_kabupaten_serang_opens_with_its_earlier_demo_meeting(tmp_path, demo_db, ask):
    from dashboard.config import settings
    from dashboard.regions import ancestors

    assert settings().default_region == "36.04"
    store, again = DecisionStore(tmp_path / "d.sqlite"), DecisionStore(tmp_path / "e.sqlite")
    seed_demo_meetings(store, demo_db)
    seed_demo_meetings(again, demo_db)
    review = opening_review(store, ask, "36.04", parse_period("2026"), AS_OF, TODAY)
    assert review.last_meeting is not None, "the 36.04 meeting page would say there is no earlier meeting"
    assert (review.last_meeting["area_code"], review.last_meeting["created_by"]) == ("36.04", "demo")
    kab = store.decisions(meeting_id=int(review.last_meeting["meeting_id"]))
    own = review.decisions[review.decisions.meeting_id == review.last_meeting["meeting_id"]]
    assert len(own) >= 2 and "36.04" in set(own.area_code)                    # its own decisions, open ones reviewed
    assert all("36.04" in ancestors(a) for a in kab.area_code)                 # areas inside Kab Serang only
    assert "selesai" in set(kab.status) and review.decisions.overdue.any()
    same = again.decisions(meeting_id=int(again.meetings("36.04").meeting_id.iloc[0]))     # deterministic
    columns = ["area_code", "action", "agency", "due_on", "status", "baseline_value"]
    pd.testing.assert_frame_equal(kab[columns].sort_values("action", ignore_index=True),
                                  same[columns].sort_values("action", ignore_index=True))


def test_decisions_download_as_a_spreadsheet_and_signed_minutes(tmp_path, demo_db):
    import io

    import openpyxl
    import pypdfium2 as pdfium

    store = DecisionStore(tmp_path / "d.sqlite")
    seed_demo_meetings(store, demo_db)
    meeting = store.meetings("36").iloc[0]
    decisions = store.decisions(meeting_id=int(meeting.meeting_id))
    names = {"36": "Banten"}
    sheet = openpyxl.load_workbook(io.BytesIO(decisions_xlsx(decisions, names, "id"))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Rapat", "Wilayah", "Tindakan") and len(rows) == len(decisions) + 1
    assert {r[6] for r in rows[1:]} <= {"Direncanakan", "Berjalan", "Selesai", "Batal"}
    assert "dinas_kesehatan" not in {r[3] for r in rows[1:]}            # agencies by name, not code
    document = pdfium.PdfDocument(minutes_pdf(store.meeting(int(meeting.meeting_id)), decisions, names, "id"))
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert "Notulen" in text and "Ketua" in text and "Sekretaris" in text
    assert decisions.action.iloc[0][:20] in text.replace("\n", " ")

    from fpdf import FPDF

    from dashboard.config import settings
    from dashboard.meeting.exports import minutes_pages

    briefing = FPDF()                                  # e.g. the briefing's PDF: the minutes come as its last pages
    briefing.add_font("DejaVu", "", settings().pdf_font_dir / "DejaVuSans.ttf")
    briefing.add_font("DejaVu", "B", settings().pdf_font_dir / "DejaVuSans-Bold.ttf")
    briefing.add_page()
    minutes_pages(briefing, store.meeting(int(meeting.meeting_id)), decisions, names, "en")
    assert briefing.page_no() == 2
