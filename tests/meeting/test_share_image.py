"""The phone-sized image of an area for messaging groups, on the tiny demo: a 1080x1350 PNG with ink on
it, whose text (composed before drawing) holds the headline figures and the open decisions by action,
agency and due date, and no personal data: not the person field (which may hold a name), no NIK."""

from __future__ import annotations

import io
import re
from datetime import date

import duckdb
import numpy as np
from PIL import Image

from dashboard.briefing import build_briefing
from dashboard.db import connect_readonly, run_query
from dashboard.meeting.review import opening_review
from dashboard.meeting.share_image import HEIGHT, MAX_DECISIONS, WIDTH, card_png, share_card
from dashboard.meeting.store import Decision, DecisionStore, Meeting
from dashboard.periods import parse_period

TODAY, AS_OF = date(2025, 12, 31), date(2025, 12, 31)


def review_and_briefing(db, store, lang="id"):
    period = parse_period("2025")
    con = connect_readonly(db)
    try:
        review = opening_review(store, lambda name, **p: run_query(con, name, p), "36.04", period, AS_OF, TODAY)
    finally:
        con.close()
    with duckdb.connect(str(db), read_only=True) as con:
        return review, build_briefing(con, "36.04", period, AS_OF, lang)


def test_the_image_is_phone_sized_with_the_figures_and_open_decisions_and_no_names(demo_db, tmp_path):
    store = DecisionStore(tmp_path / "decisions.sqlite")
    meeting = store.add_meeting(Meeting(date(2025, 8, 12), "36.04", "2025-Q2"), "sekretaris")
    for n in range(MAX_DECISIONS + 2):
        store.add_decision(meeting, Decision("36.04.15", f"Posyandu keliling putaran {n + 1}", "puskesmas",
                                             date(2025, 9, 1 + n), person="Ibu Siti Aminah (3604150101900001)"),
                           "sekretaris")
    done = store.add_decision(meeting, Decision("36.04", "Sudah selesai", "dinas_sosial", date(2025, 9, 30)), "sekretaris")
    store.update_status(done, "selesai", "", date(2025, 10, 1), "sekretaris")
    review, briefing = review_and_briefing(demo_db, store)

    card = share_card(briefing, review.decisions, TODAY)
    text = card.text()
    assert "Kabupaten Serang" in text and briefing.period_label in text
    stunting = briefing.slides[0].headlines[0]
    assert f"{stunting.label} {stunting.value_text('id')}" in text and "," in stunting.value_text("id")
    assert len(card.decisions) == MAX_DECISIONS and "Posyandu keliling putaran 1" in card.decisions[0]
    assert "Puskesmas" in card.decisions[0] and "hari lewat" in card.decisions[0], "overdue decisions say so"
    assert card.more == "… dan 2 keputusan terbuka lainnya"
    assert "Sudah selesai" not in text, "done decisions are not open"
    assert "Siti" not in text and "Aminah" not in text, "the person field is never drawn"
    assert not re.search(r"\d{12,}", text), "no NIK-like number"

    picture = Image.open(io.BytesIO(card_png(card)))
    assert picture.format == "PNG" and picture.size == (WIDTH, HEIGHT) == (1080, 1350)
    pixels = np.asarray(picture.convert("L"))
    assert (pixels < 128).mean() > 0.01, "text is drawn"
    assert (pixels[HEIGHT // 2:] < 128).mean() > 0.003, "the lower half (the decisions) is drawn too"


def test_an_area_without_open_decisions_says_so_in_english(demo_db, tmp_path):
    review, briefing = review_and_briefing(demo_db, DecisionStore(tmp_path / "d.sqlite"), "en")
    card = share_card(briefing, review.decisions, TODAY)
    assert card.decisions == ["No open decisions for this area and the areas below it."]
    assert Image.open(io.BytesIO(card_png(card))).size == (1080, 1350)
