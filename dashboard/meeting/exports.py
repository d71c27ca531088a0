"""Decisions out of the store for people: one readable table (human names, the reader's numbers),
the same as a spreadsheet (.xlsx, openpyxl) and a meeting's decisions as signed minutes (notulen, an
A4 PDF with fpdf2 and DejaVu Sans, like the briefing's)."""

from __future__ import annotations

import io
import json
from datetime import date

import pandas as pd
from fpdf import FPDF, FontFace, XPos, YPos
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dashboard import export
from dashboard import format as fmt
from dashboard.config import settings
from dashboard.i18n import phrase
from dashboard.indicators import label
from dashboard.meeting.review import indicator_name
from dashboard.periods import parse_period


def day_text(value, lang: str) -> str:
    """A day as the reader writes it (``dashboard.format.date``: 10 Agu 2026 / 10 Aug 2026) for an ISO date
    string (as the store keeps them) or a date; "–" for none."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return fmt.MISSING
    return fmt.date(value if isinstance(value, date) else date.fromisoformat(str(value)[:10]), lang)


def status_text(status: str, lang: str) -> str:
    return phrase(f"mtg_status_{status}", lang)


def responds_to_text(row, lang: str) -> str:
    """What a decision responds to, in words: indicator with value and n at the time, referrals, posyandu."""
    parts = []
    if isinstance(row.indicator, str):
        period = parse_period(row.indicator_period) if isinstance(row.indicator_period, str) else None
        parts.append(f"{indicator_name(row.indicator, lang)} {fmt.percent(row.baseline_value, lang)} "
                     f"(n {fmt.count(row.baseline_n, lang)}{', ' + period.label(lang) if period else ''})")
    if isinstance(row.referral_agency, str):
        parts.append(phrase("mtg_referrals_agency", lang).format(agency=label("agency", row.referral_agency, lang))
                     + f": {fmt.count(row.referral_overdue, lang)}")
    elif isinstance(row.referral_area, str):
        parts.append(f"{phrase('mtg_referrals_area', lang)}: {fmt.count(row.referral_overdue, lang)}")
    if isinstance(row.posyandu_id, str) and row.posyandu_id:
        parts.append(f"Posyandu {row.posyandu_id}")
    return "; ".join(parts)


def decisions_table(decisions: pd.DataFrame, area_names: dict[str, str], lang: str) -> pd.DataFrame:
    """The decisions as people read them: no codes, dates and numbers written by ``dashboard.format``,
    statuses and agencies named."""
    p = lambda key: phrase(key, lang)  # noqa: E731 - a short alias for the column headings
    return pd.DataFrame({
        p("mtg_col_meeting"): [day_text(d, lang) for d in decisions.meeting_on],
        p("mtg_area"): [area_names.get(c, c) for c in decisions.area_code],
        p("mtg_action"): decisions.action.to_numpy(),
        p("mtg_responsible_agency"): [label("agency", a, lang) for a in decisions.agency],
        p("mtg_person"): decisions.person.to_numpy(),
        p("mtg_due_on"): [day_text(d, lang) for d in decisions.due_on],
        p("mtg_status"): [status_text(s, lang) for s in decisions.status],
        p("mtg_col_updated"): [day_text(d, lang) for d in decisions.last_update_on],
        p("mtg_baseline"): [responds_to_text(r, lang) for r in decisions.itertuples()],
    })


def decisions_xlsx(decisions: pd.DataFrame, area_names: dict[str, str], lang: str) -> bytes:
    """The decisions table as a one-sheet workbook with bold headings, wrapped actions and a frozen heading row;
    text typed at the meeting is defused as every export is (``dashboard.export``: "=..." stays text)."""
    table = decisions_table(decisions, area_names, lang)
    book = Workbook()
    sheet = book.active
    sheet.title = phrase("mtg_decision", lang)[:31]
    sheet.append([export.defused(str(c)) for c in table.columns])
    for row in table.itertuples(index=False):
        sheet.append([export.defused(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {phrase("mtg_action", lang): 50, phrase("mtg_baseline", lang): 45, phrase("mtg_area", lang): 24}
    for n, heading in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = widths.get(heading, 18)
        for cell in sheet[get_column_letter(n)][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def minutes_pdf(meeting: dict, decisions: pd.DataFrame, area_names: dict[str, str], lang: str) -> bytes:
    """A meeting's decisions as minutes to sign, on their own A4 pages."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    folder = settings().pdf_font_dir
    pdf.add_font("DejaVu", "", folder / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", folder / "DejaVuSans-Bold.ttf")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    place = area_names.get(meeting["area_code"], meeting["area_code"])
    pdf.set_title(f"{phrase('mtg_minutes_title', lang)} · {place} · {day_text(meeting['held_on'], lang)}")
    minutes_pages(pdf, meeting, decisions, area_names, lang)
    return bytes(pdf.output())


def minutes_pages(pdf: FPDF, meeting: dict, decisions: pd.DataFrame, area_names: dict[str, str], lang: str) -> None:
    """Add the minutes to a PDF being written (its own, or the briefing's last pages: any FPDF with the
    "DejaVu" family registered): area, action, agency, due date, and a signature block for the chair
    (ketua) and the secretary (sekretaris)."""
    place = area_names.get(meeting["area_code"], meeting["area_code"])
    period = parse_period(meeting["period"])
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, phrase("mtg_minutes_title", lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 10.5)
    agencies = ", ".join(label("agency", a, lang) for a in json.loads(meeting["agencies"] or "[]"))
    for heading, value in ((phrase("mtg_area", lang), place), (phrase("mtg_held_on", lang), day_text(meeting["held_on"], lang)),
                           (phrase("mtg_period_reviewed", lang), period.label(lang) if period else meeting["period"]),
                           (phrase("mtg_agencies_present", lang), agencies or "–"),
                           (phrase("mtg_notes", lang), meeting["notes"] or "–")):
        pdf.multi_cell(0, 5.5, f"{heading}: {value}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 7, phrase("mtg_decisions_of_meeting", lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 9)
    headings = ["No", phrase("mtg_area", lang), phrase("mtg_action", lang), phrase("mtg_responsible_agency", lang),
                phrase("mtg_due_on", lang)]
    with pdf.table(col_widths=(8, 32, 72, 44, 24), headings_style=FontFace(emphasis="BOLD"), line_height=5,
                   text_align="LEFT") as table:
        table.row(headings)
        for n, row in enumerate(decisions.itertuples(), start=1):
            table.row([str(n), area_names.get(row.area_code, row.area_code), row.action,
                       label("agency", row.agency, lang) + (f" ({row.person})" if row.person else ""),
                       day_text(row.due_on, lang)])
    if decisions.empty:
        pdf.cell(0, 6, phrase("mtg_no_decisions", lang), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _signatures(pdf, place, day_text(meeting["held_on"], lang), lang)


def _signatures(pdf: FPDF, place: str, day: str, lang: str) -> None:
    """Two signature boxes side by side, kept together on one page."""
    if pdf.page_break_trigger - pdf.get_y() < 50:
        pdf.add_page()
    pdf.ln(8)
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, phrase("mtg_signed_at", lang).format(place=place, day=day), align="R",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    half = pdf.epw / 2
    top = pdf.get_y() + 2
    for n, role in enumerate((phrase("mtg_chair", lang), phrase("mtg_secretary", lang))):
        pdf.set_xy(pdf.l_margin + n * half, top)
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(half, 6, role, align="C")
        pdf.set_xy(pdf.l_margin + n * half, top + 28)
        pdf.set_font("DejaVu", "", 9)
        pdf.cell(half, 6, "_" * 28, align="C")
        pdf.set_xy(pdf.l_margin + n * half, top + 34)
        pdf.cell(half, 5, phrase("mtg_signature", lang), align="C")
