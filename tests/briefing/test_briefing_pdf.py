"""The briefing's PDF, rendered back with PDFium: A4 pages in the expected order, none blank, charts
embedded as images, and the area, period, date generated and catalogue definitions in its text."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from dashboard.briefing import build_briefing
from dashboard.briefing_pdf import ChartImagesUnavailable, briefing_pdf, chart_images_problem
from dashboard.indicators import catalogue
from dashboard.indicators import text as catalogue_text
from dashboard.periods import parse_period

GENERATED = date(2026, 11, 23)
A4 = (595.28, 841.89)


def build(db, lang: str, region: str = "36.04", period: str = "2025", as_of: date = date(2025, 12, 31)):
    with duckdb.connect(str(db), read_only=True) as con:
        return build_briefing(con, region, parse_period(period), as_of, lang)


def pages_text(document: pdfium.PdfDocument) -> list[str]:
    """Each page's text with runs of white space (line breaks of wrapped paragraphs) folded to one space."""
    return [re.sub(r"\s+", " ", document[i].get_textpage().get_text_range()) for i in range(len(document))]


@pytest.fixture(scope="module")
def briefing_en(demo_db):
    return build(demo_db, "en")


@pytest.fixture(scope="module")
def rendered(briefing_en):
    problem = chart_images_problem()
    if problem:
        pytest.skip(f"charts cannot be exported here: {problem}")
    return pdfium.PdfDocument(briefing_pdf(briefing_en, GENERATED))


def test_title_five_slides_and_definitions_in_order(rendered, briefing_en):
    texts = pages_text(rendered)
    assert len(rendered) >= 7
    assert "TP Posyandu (formerly Pokjanal) coordination meeting" in texts[0]
    count = len(briefing_en.slides)
    starts = [next(i for i, text in enumerate(texts) if text.startswith(f"{n}/{count} · ") and slide.title in text)
              for n, slide in enumerate(briefing_en.slides, start=1)]
    assert starts[0] == 1 and starts == sorted(set(starts)), starts
    definitions = [i for i, text in enumerate(texts) if text.startswith("Definitions ")]
    assert definitions and definitions[0] > starts[-1] and definitions[0] >= len(texts) - 2, (definitions, len(texts))


def test_every_page_is_a4_and_not_blank(rendered):
    for index in range(len(rendered)):
        page = rendered[index]
        assert page.get_size() == pytest.approx(A4, abs=1), index
        pixels = page.render(scale=0.5).to_numpy()
        ink = (pixels < 200).any(axis=-1).mean()
        assert ink > 0.002, f"page {index + 1} is (nearly) blank"


def test_text_names_area_period_dates_and_definitions(rendered, briefing_en):
    texts = pages_text(rendered)
    everything = " ".join(texts)
    assert "Kabupaten Serang" in texts[0] and "Year 2025" in texts[0] and "23 Nov 2026" in texts[0]
    assert "31 Dec 2025" in texts[0], "data-until and backlog dates on the title page"
    stunting = catalogue()["prevalence"]["stunting"]
    for definition in (stunting["numerator"], stunting["denominator"], catalogue()["ratio"]["ds"]["numerator"],
                       stunting["bands_source"], catalogue()["referral"]["sla_source"]):
        definition = catalogue_text(definition, "en")                # the English briefing prints the English text
        assert re.sub(r"\s+", " ", definition) in everything, definition
    for number, text in enumerate(texts, start=1):
        assert f"Banten › Kabupaten Serang · Year 2025 · page {number}/{len(texts)} · TP Posyandu (d/h Pokjanal)" in text
    overdue = briefing_en.slides[2].tables[0].frame["Referral id"]
    assert all(referral in everything for referral in overdue), "the whole overdue list is printed"


def test_charts_are_embedded_as_images(rendered, briefing_en):
    images = sum(len(list(rendered[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))) for i in range(len(rendered)))
    assert images == sum(slide.figure is not None for slide in briefing_en.slides) > 0


def test_indonesian_pdf_prints_its_symbols(demo_db):
    briefing = build(demo_db, "id", region="36.04.15", period="2025-Q3", as_of=date(2025, 9, 30))
    document = pdfium.PdfDocument(briefing_pdf(briefing, GENERATED, charts=False))
    everything = " ".join(pages_text(document))
    assert "Tahun" not in briefing.period_label and "Triwulan 3 2025" in everything
    assert "≥ 30 balita" in everything and "⚠" in everything and "Banten › Kabupaten Serang › Cikande" in everything
    assert "Grafik tidak disertakan" in everything
    assert len(document) >= 7


def test_without_chromium_the_export_says_why(briefing_en, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(ChartImagesUnavailable, match="Chromium is not installed"):
        briefing_pdf(briefing_en, GENERATED)
    assert pdfium.PdfDocument(briefing_pdf(briefing_en, GENERATED, charts=False))[0].get_size() == pytest.approx(A4, abs=1)


def test_missing_font_is_a_clear_error(briefing_en, monkeypatch, tmp_path):
    monkeypatch.setenv("POSYANDU_PDF_FONT_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="fonts-dejavu-core"):
        briefing_pdf(briefing_en, GENERATED, charts=False)
