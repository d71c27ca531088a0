"""Rapat TP Posyandu (d/h Pokjanal): the meeting briefing of the chosen area and period for a
projector, one slide at a time in large type, the slide number in the URL so a link opens the same
slide, and the same briefing as an A4 PDF to print."""

import logging
from datetime import datetime

import streamlit as st

from dashboard.briefing import Briefing
from dashboard.i18n import phrase
from dashboard.briefing_pdf import ChartImagesUnavailable, briefing_pdf, chart_images_problem
from dashboard.ui import components as ui
from dashboard.ui.data import briefing as cached_briefing
from dashboard.ui.decisions import review_section
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


def _pdf(briefing: Briefing, with_charts: bool) -> bytes:
    """Made when the button is clicked; without charts (and saying so) when Chromium cannot draw them."""
    try:
        return briefing_pdf(briefing, datetime.now(), charts=with_charts)
    except ChartImagesUnavailable:
        log.exception("briefing PDF: charts left out")
        return briefing_pdf(briefing, datetime.now(), charts=False)


number = st.session_state.pop("briefing_slide_to", None) or _slide_in_url()
if st.query_params.get("slide") != str(number):
    st.query_params["slide"] = str(number)
st.markdown(LARGE_TYPE, unsafe_allow_html=True)

back, counter, forward, download = st.columns([1, 1, 1, 2], vertical_alignment="center")
back.button(phrase("previous_slide", lang), key="previous_slide", on_click=_go, args=(-1,), disabled=number == 1,
            width="stretch")
counter.markdown(f"**{phrase('slide_of', lang).format(n=number, total=count)}**")
forward.button(phrase("next_slide", lang), key="next_slide", on_click=_go, args=(1,), disabled=number == count,
               width="stretch")
problem = chart_images_problem()
download.download_button(phrase("download_pdf", lang), data=lambda: _pdf(meeting, problem is None),
                         file_name=f"rapat_tp_posyandu_{f.region_code}_{f.period.code}.pdf", mime="application/pdf",
                         icon=":material/picture_as_pdf:", on_click="ignore", key="briefing_pdf")
if problem:
    download.caption(phrase("pdf_without_charts", lang).format(reason=problem))

if number == 1:   # the meeting opens with the last one: its open decisions and stuck referrals
    review_section(f)
slide = meeting.slides[number - 1]
with st.container(key="briefing_slide"):
    st.subheader(f"{number}. {slide.title}")
    st.container(key="briefing_message").markdown(slide.message)
    for start in range(0, len(slide.headlines), 3):
        for column, headline in zip(st.columns(3), slide.headlines[start:start + 3]):
            with column:
                st.metric(headline.label, headline.value_text(lang), delta=headline.change_text(lang, False) or None,
                          **ui.change_style(headline.change, headline.lower_is_better))
                details = [t for t in (headline.change_text(lang) and headline.previous_label,
                                       headline.detail_text(lang), headline.target_text(lang)) if t]
                if details:
                    st.caption(" · ".join(details))
    if slide.figure is not None:
        ui.chart(slide.figure, f"rapat_{slide.key}_{f.region_code}_{f.period.code}", f"chart_{slide.key}")
    for n, table in enumerate(slide.tables):
        st.markdown(f"#### {table.title}")
        ui.table(table.frame, f"rapat_{slide.key}_{n + 1}_{f.region_code}_{f.period.code}", f"table_{slide.key}_{n}")
    for note in slide.notes:
        st.caption(note)
