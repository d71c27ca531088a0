"""English mode leaves no Indonesian on a page, and Indonesian mode no English (issue 16 §4): every
page is run with AppTest on the demo in each language, and all the text a reader sees (headings,
captions, metrics, widget labels and options, table headings and text cells, chart titles, axes,
legends, annotations and hovers) is scanned for common words of the other language. Proper nouns and
terms of art that Indonesian and English share (Posyandu, PKK, SKDN, Pratama, Dasa Wisma, ...) are
not on the lists."""

from __future__ import annotations

import json
import re

import pytest

from tests.pages.test_indicator_pages import open_page

PAGES = [("pages/ringkasan.py", "pokjanal"), ("pages/stunting.py", "pokjanal"), ("pages/strata.py", "pokjanal"),
         ("pages/rujukan.py", "pokjanal"), ("pages/pkk.py", "pokjanal"), ("pages/kualitas.py", "pokjanal"),
         ("pages/data_status.py", "pokjanal"), ("pages/pokjanal.py", "pokjanal"), ("pages/publik.py", None),
         ("pages/pengguna.py", "admin"), ("pages/impor.py", "admin")]
FILTERS = {"wilayah": "36.04", "periode": "2025"}
INDONESIAN = {"hari", "anak", "balita", "desa", "bulan", "tahun", "rujukan", "wilayah", "dan", "dengan", "tidak",
              "yang", "unduh", "lewat", "terbuka", "belum", "dari", "sedikit", "kategori", "jumlah",
              "peringkat", "sumber", "laporan", "kelas", "instansi", "umur"}
ENGLISH = {"children", "days", "overdue", "the", "and", "of", "with", "download", "area", "village", "villages",
           "referral", "referrals", "rate", "weighing", "months", "year", "open", "source", "hidden", "within",
           "reported", "computed", "households", "district", "agency", "category"}
SLIDES = range(1, 6)
FILE_NAME = re.compile(r"\.(csv|xlsx?|ods|geojson|gpkg|zip|toml)\W*$")     # file names are names
VERBATIM = {"File", "Column", "Kolom", "Columns ignored", "Kolom diabaikan",    # what the user's own export files are called and hold, shown as is
            "Detail", "Rincian"}      # the audit trail's details: the record as written, as the audit command prints it


def _chart_text(spec: dict) -> list[str]:
    layout, parts = spec.get("layout", {}), []
    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            parts.append(str(value.get("title", {}).get("text", "")))
            parts += [str(v) for v in value.get("ticktext", []) or []]
    parts.append(str(layout.get("title", {}).get("text", "")))
    parts.append(str(layout.get("legend", {}).get("title", {}).get("text", "")))
    parts += [str(a.get("text", "")) for a in layout.get("annotations", [])]
    for trace in spec.get("data", []):
        parts += [str(trace.get("name", "")), re.sub(r"%\{[^}]*\}", " ", str(trace.get("hovertemplate", "")))]
        for key in ("x", "y", "text"):       # category labels (areas, agencies, age buckets)
            values = trace.get(key)
            if isinstance(values, list):
                parts += [v for v in values if isinstance(v, str)]
    return parts


def visible_text(app) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error",
                                  "success") for e in getattr(app, kind)]
    parts += [f"{m.label} {m.value} {m.proto.help} {m.proto.body}" for m in app.metric]
    for kind in ("selectbox", "radio", "multiselect"):
        for widget in getattr(app, kind):
            parts += [widget.label, *map(str, widget.options)]
    parts += [b.label for b in app.button] + [b.proto.label for b in app.get("download_button")]
    parts += [t.label for t in app.tabs]
    for table in app.dataframe:
        config = json.loads(table.proto.columns or "{}")
        frame = table.value
        parts += [config.get(str(c), {}).get("label", str(c)) for c in frame.columns]
        for column in frame.columns:
            if config.get(str(column), {}).get("label") in VERBATIM:
                continue
            if frame[column].dtype == object or str(frame[column].dtype).startswith(("str", "string", "category")):
                parts += [str(v) for v in frame[column].dropna().unique()[:200]]
    for chart in app.get("plotly_chart"):
        parts += _chart_text(json.loads(chart.proto.spec))
    return "\n".join(parts)


def foreign_words(text: str, words: set[str]) -> dict[str, str]:
    """Each word of ``words`` found in ``text`` (whole words, any case) with the line it was seen on."""
    found = {}
    for line in text.splitlines():
        plain = " ".join(token for token in line.split() if "_" not in token and not FILE_NAME.search(token))
        for word in re.findall(r"[A-Za-zÀ-ÿ]+", plain):
            if word.lower() in words and word.lower() not in found:
                found[word.lower()] = line.strip()[:160]
    return found


@pytest.mark.parametrize(("page", "role"), PAGES, ids=[p.split("/")[1][:-3] for p, _ in PAGES])
@pytest.mark.parametrize(("lang", "other"), [("en", INDONESIAN), ("id", ENGLISH)])
def test_a_page_in_one_language_holds_no_word_of_the_other(monkeypatch, demo_db, page, role, lang, other):
    slides = SLIDES if page.endswith("pokjanal.py") else [None]
    for slide in slides:
        filters = FILTERS | ({"slide": str(slide)} if slide else {})
        app = open_page(monkeypatch, demo_db, page, filters, lang, role=role)
        assert not app.exception, [e.message for e in app.exception]
        text = visible_text(app)
        assert len(text) > 200, "the scan reads the page"
        assert foreign_words(text, other) == {}, (page, slide)


def test_the_scan_finds_a_word_of_the_other_language():
    assert foreign_words("Open referrals: 12\nRujukan terbuka 8-30 hari", INDONESIAN) == {
        "rujukan": "Rujukan terbuka 8-30 hari", "terbuka": "Rujukan terbuka 8-30 hari", "hari": "Rujukan terbuka 8-30 hari"}
    assert foreign_words("Lewat SLA 3 days", ENGLISH) == {"days": "Lewat SLA 3 days"}
