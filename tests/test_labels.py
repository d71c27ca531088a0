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
