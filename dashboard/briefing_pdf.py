"""The meeting briefing as an A4 PDF to print: a title page, one page per slide (more when a table
runs long) with charts as PNG from Plotly's static export (kaleido, through the system Chromium),
and a last page of definitions from the catalogue.

fpdf2 lays the pages out; DejaVu Sans is embedded (subset) so Indonesian text and ≥ ⚠ › print."""

from __future__ import annotations

import io
import logging
import os
import threading
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go
from fpdf import FPDF, FontFace, XPos, YPos

from dashboard import format as fmt
from dashboard import palette
from dashboard.briefing import Briefing, Headline, Slide, Table
from dashboard.i18n import phrase
from dashboard.config import settings

log = logging.getLogger(__name__)
IMAGE_TIMEOUT_S = 90          # the first image also starts Chromium (about 3 s; more on a busy machine)
IMAGE_WIDTH_PX = 760          # narrower than a screen, so the chart's type prints larger
MARGIN = 15                   # mm
GREY, DARK, TILE = (100, 100, 100), (20, 20, 20), (244, 244, 244)
ACCENT = tuple(int(palette.WORSE.colour[i:i + 2], 16) for i in (1, 3, 5))

_image_lock = threading.Lock()
_image_failure: str | None = None     # set once Chromium failed to answer: later exports fail at once


class ChartImagesUnavailable(RuntimeError):
    """Charts cannot be drawn as images on this machine (no Chromium, or it did not answer)."""


def chart_images_problem() -> str | None:
    """Why charts cannot be exported as PNG here, in words for a person; None when they can."""
    if _image_failure:
        return _image_failure
    try:
        from choreographer.browsers.chromium import Chromium

        browser = Chromium.find_browser(skip_local=False)
    except Exception as error:  # noqa: BLE001 - any failure to look means no images, said plainly
        return f"Chromium could not be looked for ({error})"
    if not browser or not os.access(browser, os.X_OK):
        return (f"Chromium is not installed{f' at {browser}' if browser else ''} (Debian: apt-get install chromium; "
                "or set BROWSER_PATH to a Chrome or Chromium program)")
    return None


def figure_png(figure: go.Figure) -> bytes:
    """The figure as a PNG at twice its size, through one kaleido server per process (about 0.2 s an image
    once Chromium runs). A server whose browser never starts would leave the call waiting forever, so it
    runs in a helper thread with a time limit.

    It is the call ``figure.to_image(format="png", scale=2)`` makes, less the browser options plotly
    hands a running server only for it to ignore them with a warning."""
    global _image_failure
    problem = chart_images_problem()
    if problem:
        raise ChartImagesUnavailable(problem)
    import kaleido

    outcome: dict[str, object] = {}
    height = figure.layout.height or 420

    def render() -> None:
        try:
            outcome["png"] = kaleido.calc_fig_sync(figure.to_dict(), opts=dict(format="png", width=IMAGE_WIDTH_PX,
                                                                             height=height, scale=2))
        except Exception as error:  # noqa: BLE001 - handed back to the caller below
            outcome["error"] = error

    with _image_lock:     # kaleido's sync server answers one request at a time
        kaleido.start_sync_server(silence_warnings=True)
        worker = threading.Thread(target=render, daemon=True)
        worker.start()
        worker.join(IMAGE_TIMEOUT_S)
    if worker.is_alive():
        _image_failure = f"Chromium did not draw a chart within {IMAGE_TIMEOUT_S} s"
        raise ChartImagesUnavailable(_image_failure)
    if "error" in outcome:
        log.error("chart export failed", exc_info=outcome["error"])
        raise ChartImagesUnavailable(f"the chart could not be drawn ({outcome['error']})")
    return outcome["png"]


def briefing_pdf(briefing: Briefing, generated_on: date, charts: bool = True) -> bytes:
    """The briefing as A4 portrait pages. With ``charts=False`` (or no Chromium: ChartImagesUnavailable
    when ``charts`` is asked for) the pages say the charts are left out and keep every number and table."""
    problem = chart_images_problem() if charts else None
    if problem:
        raise ChartImagesUnavailable(problem)
    pdf = _BriefingPdf(briefing)
    _title_page(pdf, briefing, generated_on)
    for n, slide in enumerate(briefing.slides, start=1):
        _slide_pages(pdf, briefing, slide, n, charts)
    _definitions_page(pdf, briefing)
    return bytes(pdf.output())


class _BriefingPdf(FPDF):
    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.briefing = briefing
        folder = settings().pdf_font_dir
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if not regular.exists() or not bold.exists():
            raise FileNotFoundError(f"DejaVu Sans not found in {folder}: install Debian's fonts-dejavu-core or "
                                    "set POSYANDU_PDF_FONT_DIR to a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf")
        self.add_font("DejaVu", "", regular)
        self.add_font("DejaVu", "B", bold)
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=18)
        self.set_title(f"{phrase('title', briefing.lang)} · {briefing.place} · {briefing.period_label}")
        self.set_author(phrase("team", briefing.lang))
        self.set_creator("Dasbor Posyandu & PKK")

    def footer(self) -> None:
        b = self.briefing
        text = (f"{b.place} · {b.period_label} · {phrase('page', b.lang)} {self.page_no()}/{{nb}} · "
                f"{phrase('team', b.lang)}")
        size = 8.0
        self.set_font("DejaVu", "", size)
        while self.get_string_width(text) > self.epw and size > 5:
            size -= 0.5
            self.set_font_size(size)
        self.set_y(-12)
        self.set_text_color(*GREY)
        self.cell(0, 5, text, align="C")

    def write_line(self, text: str, size: float, bold: bool = False, colour=DARK, height: float | None = None,
                   indent: float = 0) -> None:
        self.set_font("DejaVu", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, height or size * 0.5, text, align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)

    @property
    def room(self) -> float:
        """Height left on this page above the footer."""
        return self.page_break_trigger - self.get_y()


def _stamp(day: date, lang: str) -> str:
    return fmt.date(day, lang) + (f" {day:%H:%M}" if isinstance(day, datetime) else "")


def _title_page(pdf: _BriefingPdf, b: Briefing, generated_on: date) -> None:
    lang = b.lang
    pdf.add_page()
    pdf.ln(20)
    pdf.write_line(phrase("team", lang), 12, colour=ACCENT)
    pdf.ln(2)
    pdf.write_line(phrase("title", lang), 22, bold=True, height=10)
    pdf.ln(6)
    pdf.write_line(b.place, 16, bold=True, height=8)
    pdf.write_line(b.period_label, 16, height=8)
    pdf.ln(8)
    for key, value in (("generated_on", _stamp(generated_on, lang)),
                       ("data_until", fmt.date(b.data_until, lang) if b.data_until else phrase("no_data", lang)),
                       ("backlog_as_of", fmt.date(b.as_of, lang))):
        pdf.write_line(f"{phrase(key, lang)}: {value}", 11, height=6)
    pdf.ln(8)
    pdf.write_line(phrase("agenda", lang), 13, bold=True, height=7)
    for n, slide in enumerate(b.slides, start=1):
        pdf.write_line(f"{n}. {slide.title}", 11, height=6, indent=4)
    pdf.write_line(f"{len(b.slides) + 1}. {phrase('definitions', lang)}", 11, height=6, indent=4)
    pdf.ln(10)
    pdf.write_line(phrase("internal_only", lang), 9, colour=GREY)


def _slide_pages(pdf: _BriefingPdf, b: Briefing, slide: Slide, n: int, charts: bool) -> None:
    lang = b.lang
    pdf.add_page()
    pdf.write_line(f"{n}/{len(b.slides)} · {b.place} · {b.period_label}", 9, colour=GREY)
    pdf.ln(1)
    pdf.write_line(slide.title, 20, bold=True, height=9)
    pdf.ln(2)
    pdf.set_fill_color(*TILE)
    pdf.set_font("DejaVu", "", 13)
    pdf.set_text_color(*DARK)
    pdf.multi_cell(pdf.epw, 6.5, slide.message, align="L", fill=True, padding=2, new_x=XPos.LMARGIN,
                   new_y=YPos.NEXT)
    pdf.ln(4)
    _tiles(pdf, slide.headlines, lang)
    if slide.figure is not None:
        _chart(pdf, slide.figure, lang, charts)
    for table in slide.tables:
        _table(pdf, table, lang)
    for note in slide.notes:
        pdf.write_line(note, 8.5, colour=GREY, height=4.5)


def _tiles(pdf: _BriefingPdf, headlines: list[Headline], lang: str, per_row: int = 2, height: float = 27) -> None:
    """Headline numbers as tiles: label, value, n/N, change against the period before, target."""
    width = (pdf.epw - 4 * (per_row - 1)) / per_row
    for start in range(0, len(headlines), per_row):
        if pdf.room < height + 2:
            pdf.add_page()
        top = pdf.get_y()
        for column, headline in enumerate(headlines[start:start + per_row]):
            left = pdf.l_margin + column * (width + 4)
            pdf.set_fill_color(*TILE)
            pdf.rect(left, top, width, height, style="F")
            lines = [(headline.label, 9, False, GREY), (headline.value_text(lang), 18, True, DARK),
                     (headline.detail_text(lang), 9, False, DARK),
                     (" · ".join(t for t in (headline.change_text(lang), headline.target_text(lang)) if t), 8.5,
                      False, GREY)]
            y = top + 1.5
            for text, size, bold, colour in lines:
                pdf.set_xy(left + 2, y)
                pdf.set_font("DejaVu", "B" if bold else "", size)
                pdf.set_text_color(*colour)
                pdf.cell(width - 4, size * 0.45, _fit(pdf, text, width - 4))
                y += size * 0.45 + 1.2
        pdf.set_xy(pdf.l_margin, top + height + 3)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` at the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _chart(pdf: _BriefingPdf, figure: go.Figure, lang: str, charts: bool) -> None:
    if not charts:
        reason = chart_images_problem()
        pdf.write_line(phrase("charts_left_out", lang) + (f": {reason}" if reason else "."), 9, colour=GREY)
        return
    png = figure_png(figure)
    height_px = figure.layout.height or 420
    width = pdf.epw
    height = width * height_px / IMAGE_WIDTH_PX
    body = pdf.page_break_trigger - pdf.t_margin
    if height > body * 0.6:          # a very tall chart: smaller, so it keeps company with its slide
        height = body * 0.6
        width = height * IMAGE_WIDTH_PX / height_px
    if pdf.room < height + 2:
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, y=pdf.get_y(), w=width, h=height)
    pdf.set_y(pdf.get_y() + height + 3)


def _table(pdf: _BriefingPdf, table: Table, lang: str) -> None:
    """A slide table with its title; fpdf2 carries long tables over pages, repeating the heading row."""
    frame = table.frame
    if pdf.room < 30:
        pdf.add_page()
    pdf.write_line(table.title, 11, bold=True, height=6)
    pdf.ln(1)
    if frame.empty:
        return
    cells = [[_cell(value, table.digits.get(column, 1), lang) for column, value in row.items()]
             for _, row in frame.iterrows()]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    pdf.set_font("DejaVu", "B", 9)
    widths = [pdf.get_string_width(str(column)) + 4 for column in frame.columns]
    pdf.set_font("DejaVu", "", 9)
    widths = _fitted([min(max([w] + [pdf.get_string_width(row[i]) + 4 for row in cells]), 70)
                      for i, w in enumerate(widths)], pdf.epw)
    pdf.set_text_color(*DARK)
    with pdf.table(col_widths=widths, width=min(sum(widths), pdf.epw), align="LEFT", line_height=5,
                   text_align=["RIGHT" if n else "LEFT" for n in numeric], repeat_headings=1,
                   headings_style=FontFace(emphasis="BOLD", fill_color=TILE),
                   borders_layout="HORIZONTAL_LINES") as grid:
        heading = grid.row()
        for column in frame.columns:
            heading.cell(str(column))
        for values in cells:
            row = grid.row()
            for value in values:
                row.cell(value)
    pdf.ln(3)


def _fitted(widths: list[float], room: float) -> list[float]:
    """Column widths that fit ``room``: the widest columns (long names) give way first, so short ones such
    as ids keep their width and stay on one line."""
    cap = max(widths)
    while sum(min(w, cap) for w in widths) > room and cap > 10:
        cap -= 1
    return [min(w, cap) for w in widths]


def _cell(value, digits: int, lang: str) -> str:
    if isinstance(value, str):
        return value
    if fmt.missing(value):
        return fmt.MISSING
    if isinstance(value, float):
        return fmt.number(value, lang, digits)
    return fmt.count(int(value), lang)


def _definitions_page(pdf: _BriefingPdf, b: Briefing) -> None:
    pdf.add_page()
    pdf.write_line(phrase("definitions", b.lang), 20, bold=True, height=9)
    pdf.ln(2)
    for heading, lines in b.definitions:
        if pdf.room < 20:
            pdf.add_page()
        pdf.ln(2)
        pdf.write_line(heading, 12, bold=True, height=6)
        for line in lines:
            indented = line.startswith("  ")
            pdf.write_line(line.strip(), 9, height=4.6, indent=5 if indented else 0, colour=GREY if indented else DARK)
