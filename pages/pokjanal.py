"""Rapat TP Posyandu (d/h Pokjanal): the meeting briefing of the chosen area and period for a
projector, one slide at a time in large type, the slide number in the URL so a link opens the same
slide, and the same briefing as an A4 PDF to print (opening with the last meeting's open decisions
and ending with this meeting's minutes).

``?tampilan=rapat`` is the presentation mode: no sidebar, compact tiles, each slide within a
1366x900 screen, and ArrowRight/PageDown, ArrowLeft/PageUp (what a presentation clicker sends)
press Next and Previous."""

import logging
from datetime import date, datetime

import plotly.graph_objects as go
import streamlit as st

from dashboard.briefing import Briefing
from dashboard.i18n import phrase
from dashboard.briefing_pdf import ChartImagesUnavailable, Minutes, briefing_pdf, chart_images_problem
from dashboard.meeting.review import OpeningReview
from dashboard.meeting.share_image import card_png, share_card
from dashboard.ui import components as ui
from dashboard.ui.data import briefing as cached_briefing
from dashboard.ui.decisions import meeting_minutes, pdf_review, review_section
from dashboard.ui.filters import as_of, page_header
from dashboard.ui.text import language

log = logging.getLogger(__name__)
# Font sizes only: a room reads these from a projector.
LARGE_TYPE = """<style>
.st-key-briefing_slide h3 {font-size: 2.6rem;}
.st-key-briefing_slide h4 {font-size: 1.6rem;}
.st-key-briefing_message p {font-size: 1.9rem; line-height: 1.35;}
.st-key-briefing_slide [data-testid="stMetricLabel"] p {font-size: 1.1rem;}
.st-key-briefing_slide [data-testid="stMetricValue"] {font-size: 3rem;}
.st-key-briefing_slide [data-testid="stMetricDelta"] p {font-size: 1.3rem;}
.st-key-briefing_slide [data-testid="stCaptionContainer"] p {font-size: 1.1rem;}
</style>"""

# The presentation mode: the sidebar and Streamlit's top bar go, the page uses the whole screen, tiles
# and tables are compact, and the slide's downloads are left to the normal mode.
PRESENTATION = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stExpandSidebarButton"] {display: none;}
[data-testid="stMainBlockContainer"] {padding: 0.6rem 1.5rem 0.5rem; max-width: 100%;}
[data-testid="stMainBlockContainer"] h2 {font-size: 1.3rem; padding: 0 0 0.9rem;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.45rem;}
.st-key-briefing_slide h3 {font-size: 1.9rem; padding: 0.2rem 0;}
.st-key-briefing_slide h4, .st-key-meeting_review h3 {font-size: 1.2rem; padding: 0.1rem 0 0.9rem;}
.st-key-briefing_message p {font-size: 1.35rem; line-height: 1.3;}
.st-key-briefing_slide [data-testid="stMetricLabel"] p {font-size: 0.95rem;}
.st-key-briefing_slide [data-testid="stMetricValue"] {font-size: 1.9rem;}
.st-key-briefing_slide [data-testid="stMetricDelta"] p {font-size: 0.95rem;}
.st-key-briefing_slide [data-testid="stCaptionContainer"] p {font-size: 0.85rem;}
.st-key-briefing_slide [data-testid="stElementToolbar"] {display: none;}
.st-key-meeting_review [data-testid="stTable"] :is(th, td) {font-size: 0.85rem; padding: 0.2rem 0.4rem;}
:is(.st-key-briefing_slide, .st-key-meeting_review) [data-testid="stElementContainer"]:has([data-testid="stDownloadButton"]),
[data-testid="stElementContainer"]:has(style), [data-testid="stElementContainer"]:has(script) {display: none;}
</style>"""
# Keys a clicker sends press the Next/Previous buttons (once per page: a rerun does not add a second listener).
SLIDE_KEYS = """<script>
if (!window.__briefingKeys) {
  window.__briefingKeys = true;
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
    const key = {ArrowRight: "next_slide", PageDown: "next_slide", ArrowLeft: "previous_slide",
                 PageUp: "previous_slide"}[event.key];
    const button = key && document.querySelector(`.st-key-${key} button`);
    if (button && !button.disabled) { event.preventDefault(); button.click(); }
  });
}
</script>"""
TABLE_HEIGHT = {True: 190, False: "auto"}      # px in the presentation mode: a slide stays on one screen

f = page_header("page_meeting", "rapat")
lang = language()
meeting = cached_briefing(f.region_code, f.period, as_of(f), lang)
count = len(meeting.slides)


def _slide_in_url() -> int:
    """The slide the URL names (1-based), kept within the briefing."""
    try:
        wanted = int(st.query_params.get("slide", "1"))
    except ValueError:
        wanted = 1
    return min(max(wanted, 1), count)


def _go(step: int) -> None:
    """Button callback: the URL is written by the run that follows (a callback's write does not reach the browser)."""
    st.session_state["briefing_slide_to"] = min(max(_slide_in_url() + step, 1), count)


def _pdf(briefing: Briefing, with_charts: bool, review: OpeningReview | None, minutes: Minutes | None) -> bytes:
    """Made when the button is clicked; without charts (and saying so) when Chromium cannot draw them."""
    try:
        return briefing_pdf(briefing, datetime.now(), charts=with_charts, review=review, minutes=minutes)
    except ChartImagesUnavailable:
        log.exception("briefing PDF: charts left out")
        return briefing_pdf(briefing, datetime.now(), charts=False, review=review, minutes=minutes)


def _share_png(briefing: Briefing, review: OpeningReview | None) -> bytes:
    """The phone-sized image of this area for messaging groups, made when the button is clicked."""
    return card_png(share_card(briefing, review.decisions if review else None, date.today()))


def _presenting() -> bool:
    """The presentation mode, from the URL (``?tampilan=rapat``), switched by the toggle."""
    if "presenting" not in st.session_state:
        st.session_state["presenting"] = st.query_params.get("tampilan") == "rapat"
    return st.session_state["presenting"]


number = st.session_state.pop("briefing_slide_to", None) or _slide_in_url()
if st.query_params.get("slide") != str(number):
    st.query_params["slide"] = str(number)
presenting = _presenting()
if presenting != (st.query_params.get("tampilan") == "rapat"):
    if presenting:
        st.query_params["tampilan"] = "rapat"
    else:
        del st.query_params["tampilan"]
st.markdown(LARGE_TYPE, unsafe_allow_html=True)
if presenting:
    st.markdown(PRESENTATION, unsafe_allow_html=True)
st.html(SLIDE_KEYS, unsafe_allow_javascript=True)

back, counter, forward, download, mode = st.columns([1, 1, 1, 2, 1], vertical_alignment="center")
back.button(phrase("previous_slide", lang), key="previous_slide", on_click=_go, args=(-1,), disabled=number == 1,
            width="stretch")
counter.markdown(f"**{phrase('slide_of', lang).format(n=number, total=count)}**")
forward.button(phrase("next_slide", lang), key="next_slide", on_click=_go, args=(1,), disabled=number == count,
               width="stretch")
problem = chart_images_problem()
mode.toggle(phrase("presentation_mode", lang), key="presenting", help=phrase("presentation_help", lang))
files = download.container(horizontal=True)
files.download_button(phrase("download_pdf", lang),
                      data=lambda: _pdf(meeting, problem is None, pdf_review(f), meeting_minutes(f)),
                      file_name=f"rapat_tp_posyandu_{f.region_code}_{f.period.code}.pdf", mime="application/pdf",
                      icon=":material/picture_as_pdf:", on_click="ignore", key="briefing_pdf")
files.download_button(phrase("share_image", lang), data=lambda: _share_png(meeting, pdf_review(f)),
                      file_name=f"rapat_tp_posyandu_{f.region_code}_{f.period.code}.png", mime="image/png",
                      icon=":material/image:", on_click="ignore", key="share_png", help=phrase("share_image_help", lang))
if problem:
    download.caption(phrase("pdf_without_charts", lang).format(reason=problem))

if number == 1:   # the meeting opens with the last one: its open decisions and stuck referrals
    review_section(f, TABLE_HEIGHT[presenting])
slide = meeting.slides[number - 1]
per_row = 4 if presenting else 3
with st.container(key="briefing_slide"):
    st.subheader(f"{number}. {slide.title}")
    st.container(key="briefing_message").markdown(slide.message)
    for start in range(0, len(slide.headlines), per_row):
        for column, headline in zip(st.columns(per_row), slide.headlines[start:start + per_row]):
            with column:
                st.metric(headline.label, headline.value_text(lang), delta=headline.change_text(lang, False) or None,
                          **ui.change_style(headline.change, headline.lower_is_better))
                details = [t for t in (headline.change_text(lang) and headline.previous_label,
                                       headline.detail_text(lang), headline.target_text(lang)) if t]
                if details:
                    st.caption(" · ".join(details))
    # Presenting: the chart and the tables side by side, both of a bounded height.
    side_by_side = presenting and slide.figure is not None and slide.tables
    chart_place, table_place = st.columns(2) if side_by_side else (st.container(), st.container())
    if slide.figure is not None:
        figure = slide.figure if not presenting else go.Figure(slide.figure).update_layout(height=330)
        with chart_place:
            ui.chart(figure, f"rapat_{slide.key}_{f.region_code}_{f.period.code}", f"chart_{slide.key}")
    with table_place:
        for n, table in enumerate(slide.tables):
            st.markdown(f"#### {table.title}")
            ui.table(table.frame, f"rapat_{slide.key}_{n + 1}_{f.region_code}_{f.period.code}",
                     f"table_{slide.key}_{n}", height=TABLE_HEIGHT[presenting])
    for note in slide.notes:
        st.caption(note)
