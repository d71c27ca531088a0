"""Every code the importer can store has a human name in both languages in the catalogue."""

import pytest

from dashboard import indicators
from dashboard.ingest.vocab import AGENCIES, REASON_CATEGORIES, REASON_FIELD, STATUSES


@pytest.mark.parametrize("kind, codes", [("agency", set(AGENCIES)), ("reason", set(REASON_CATEGORIES)),
                                         ("status", set(STATUSES)), ("field", set(REASON_FIELD.values()))])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_stored_code_has_a_name(kind, codes, lang):
    names = indicators.labels(kind, lang)
    assert codes <= set(names), codes - set(names)
    for code in codes:
        assert names[code] and names[code] != code or code == "stunting"


def test_label_reads_the_language_and_keeps_unknown_codes():
    assert indicators.label("agency", "dinas_sosial", "id") == "Dinas Sosial"
    assert indicators.label("agency", "dinas_sosial", "en") == "Social Affairs Office"
    assert indicators.label("agency", "not_a_code", "en") == "not_a_code"


def test_every_dataset_has_a_name_people_read():
    from dashboard.i18n import TEXT
    from dashboard.ingest.datasets import DATASETS

    assert [name for name in DATASETS if f"dataset_{name}" not in TEXT] == []


@pytest.mark.parametrize("code, indonesian, english", [
    ("2026", "Tahun 2026", "Year 2026"), ("2026-Q3", "Triwulan 3 2026", "Quarter 3 2026"),
    ("2026-10", "Oktober 2026", "October 2026"), ("12m-2026-10", "12 bulan s.d. Oktober 2026", "12 months to October 2026")])
def test_a_period_label_reads_the_language_of_the_page(code, indonesian, english):
    from dashboard.periods import parse_period
    from tests.pages.test_languages import ENGLISH, INDONESIAN

    period = parse_period(code)
    assert (period.label("id"), period.label("en")) == (indonesian, english)
    assert not set(english.lower().split()) & INDONESIAN and not set(indonesian.lower().split()) & ENGLISH


def test_a_period_label_takes_its_words_from_the_phrase_list(monkeypatch):
    from dashboard import i18n
    from dashboard.periods import parse_period

    monkeypatch.setitem(i18n.TEXT, "period_label_quarter", ("TW{quarter}/{year}", "Q{quarter} {year}"))
    monkeypatch.setitem(i18n.TEXT, "period_label_rolling", ("s.d. {month}", "through {month}"))
    assert parse_period("2026-Q3").label("id") == "TW3/2026" and parse_period("2026-Q3").label("en") == "Q3 2026"
    assert parse_period("12m-2026-10").label("en") == "through October 2026"
