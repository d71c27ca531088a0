"""One image per area for the messaging groups in which kecamatan and village teams coordinate: a
phone-sized PNG (1080x1350, portrait) with the area's headline figures of the meeting briefing and its
open decisions (overdue first). Decisions are shown by action, agency and due date: the person field
(which may hold a name) is never drawn, nor is anything about a child or a mother.

The card is first composed as lines of text (``share_card``, tested for what it holds), then drawn
with Pillow in DejaVu Sans (the PDF's font), so what the test reads is what the image shows."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from PIL import Image, ImageDraw, ImageFont

from dashboard import format as fmt
from dashboard import palette
from dashboard.briefing import Briefing
from dashboard.config import settings
from dashboard.i18n import phrase
from dashboard.indicators import label

WIDTH, HEIGHT = 1080, 1350
MARGIN = 56
MAX_DECISIONS = 5
WHITE, DARK, GREY, TILE = (255, 255, 255), (20, 20, 20), (95, 95, 95), (242, 242, 242)
ACCENT = tuple(int(palette.WORSE.colour[i:i + 2], 16) for i in (1, 3, 5))


@dataclass(frozen=True)
class ShareCard:
    """What the image says, as text: heading lines, headline tiles (label, value, detail), decision lines."""

    title: str
    place: str
    period: str
    tiles: list[tuple[str, str, str]]
    decisions_title: str
    decisions: list[str]
    more: str = ""
    footer: str = ""
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        """Everything the image writes, one line each (for tests and for a caption to paste)."""
        lines = [self.title, self.place, self.period]
        lines += [" ".join(t for t in tile if t) for tile in self.tiles]
        lines += [self.decisions_title, *self.decisions, self.more, self.footer, *self.notes]
        return "\n".join(line for line in lines if line)


def share_card(briefing: Briefing, open_decisions: pd.DataFrame | None, today: date) -> ShareCard:
    """The card of the briefing's area: its first slide's headline figures and the open decisions of the
    area and below (``meeting.review.opening_review(...).decisions``: overdue first), at most five."""
    lang = briefing.lang
    tiles = [(h.label, h.value_text(lang), h.detail_text(lang)) for h in briefing.slides[0].headlines]
    lines, more = [], ""
    decisions = open_decisions if open_decisions is not None else pd.DataFrame()
    for row in decisions.head(MAX_DECISIONS).itertuples():
        area = row.area_name if isinstance(getattr(row, "area_name", None), str) else row.area_code
        due = fmt.date(date.fromisoformat(str(row.due_on)[:10]), lang)
        late = (f" · {phrase('mtg_days_overdue', lang).format(days=fmt.count(row.days_overdue, lang))}"
                if bool(row.overdue) else "")
        lines.append(f"{area}: {row.action} — {label('agency', row.agency, lang)} · {phrase('mtg_due_on', lang)} {due}{late}")
    if len(decisions) > MAX_DECISIONS:
        more = phrase("share_more", lang).format(n=fmt.count(len(decisions) - MAX_DECISIONS, lang))
    if decisions.empty:
        lines.append(phrase("mtg_no_open_decisions", lang))
    return ShareCard(phrase("title", lang), briefing.place, briefing.period_label, tiles,
                     phrase("mtg_open_decisions", lang), lines, more,
                     f"{phrase('team', lang)} · {fmt.date(today, lang)}", [phrase("share_note", lang)])


def card_png(card: ShareCard) -> bytes:
    """The card drawn as a 1080x1350 PNG; text that does not fit is wrapped, then cut with an ellipsis."""
    folder = settings().pdf_font_dir
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    if not regular.exists() or not bold.exists():
        raise FileNotFoundError(f"DejaVu Sans not found in {folder}: install Debian's fonts-dejavu-core or "
                                "set POSYANDU_PDF_FONT_DIR to a folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf")

    def font(size: int, strong: bool = False) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(bold if strong else regular), size)

    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, WIDTH, 14), fill=ACCENT)
    y = 44
    y = _text(draw, card.title, MARGIN, y, width, font(30), GREY, 1) + 8
    y = _text(draw, card.place, MARGIN, y, width, font(44, True), DARK, 2) + 4
    y = _text(draw, card.period, MARGIN, y, width, font(34), DARK, 1) + 26

    tile_w, tile_h, gap = (width - 20) // 2, 138, 16
    for n, (name, value, detail) in enumerate(card.tiles):
        left, top = MARGIN + (n % 2) * (tile_w + 20), y + (n // 2) * (tile_h + gap)
        draw.rounded_rectangle((left, top, left + tile_w, top + tile_h), radius=14, fill=TILE)
        _text(draw, name, left + 18, top + 12, tile_w - 36, font(24), GREY, 1)
        _text(draw, value, left + 18, top + 44, tile_w - 36, font(46, True), DARK, 1)
        _text(draw, detail, left + 18, top + 102, tile_w - 36, font(22), GREY, 1)
    y += ((len(card.tiles) + 1) // 2) * (tile_h + gap) + 14

    y = _text(draw, card.decisions_title, MARGIN, y, width, font(32, True), DARK, 1) + 10
    bottom = HEIGHT - 110
    for line in card.decisions:
        if y > bottom - 40:
            break
        draw.ellipse((MARGIN, y + 11, MARGIN + 10, y + 21), fill=ACCENT)
        y = _text(draw, line, MARGIN + 24, y, width - 24, font(25), DARK, 3, bottom) + 12
    if card.more and y < bottom:
        _text(draw, card.more, MARGIN + 24, y, width - 24, font(23), GREY, 1)
    for n, note in enumerate([card.footer, *card.notes]):
        _text(draw, note, MARGIN, HEIGHT - 96 + n * 34, width, font(21), GREY, 1)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _text(draw: ImageDraw.ImageDraw, text: str, x: int, y: int, width: int, font: ImageFont.FreeTypeFont,
          colour, max_lines: int, bottom: int | None = None) -> int:
    """Draw ``text`` wrapped to ``width`` in at most ``max_lines`` lines (the last cut with "…"); the y below it."""
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while lines[-1] and draw.textlength(lines[-1] + "…", font=font) > width:
            lines[-1] = lines[-1][:-1]
        lines[-1] += "…"
    height = font.size + 8
    for line in lines:
        if bottom is not None and y + height > bottom:
            break
        draw.text((x, y), line, font=font, fill=colour)
        y += height
    return y
