"""Every value normaliser on the spellings exports really use."""

from datetime import date

import pandas as pd
import pytest

from dashboard.ingest import normalise as nz
from dashboard.ingest.datasets import DATASETS, heading_key
from dashboard.regions import split_prefix


def values(parsed):
    return [None if (v is None or v is pd.NA or v != v) else v for v in parsed.values]


def errors(parsed):
    return [e if isinstance(e, str) else None for e in parsed.errors]


@pytest.mark.parametrize("raw, expected", [
    ("05/01/2024", date(2024, 1, 5)), ("5-1-2024", date(2024, 1, 5)), ("05.01.2024", date(2024, 1, 5)),
    ("2024-01-05", date(2024, 1, 5)), ("2024-01-05 00:00:00", date(2024, 1, 5)), ("5/1/24", date(2024, 1, 5)),
    ("45296", date(2024, 1, 5)), ("45296.0", date(2024, 1, 5)), ("5 Januari 2024", date(2024, 1, 5)),
    ("17 Agustus 2025", date(2025, 8, 17)), ("1 Des 2023", date(2023, 12, 1)),
])
def test_dates_in_export_forms(raw, expected):
    assert values(nz.parse_date(pd.Series([raw]))) == [expected]


@pytest.mark.parametrize("raw, code", [("31/02/2024", "date_invalid"), ("13/13/2024", "date_invalid"),
                                       ("kemarin", "date_format"), ("2024/01", "date_format"), ("123", "date_format")])
def test_bad_dates_are_errors_not_guesses(raw, code):
    parsed = nz.parse_date(pd.Series([raw]))
    assert values(parsed) == [None] and errors(parsed) == [code]


def test_empty_cells_are_not_errors():
    parsed = nz.parse_date(pd.Series([None, ""]))
    assert values(parsed) == [None, None] and errors(parsed) == [None, None]


@pytest.mark.parametrize("raw, year, expected", [
    ("Januari 2025", None, date(2025, 1, 1)), ("2025-03", None, date(2025, 3, 1)), ("03/2025", None, date(2025, 3, 1)),
    ("Agt-25", None, date(2025, 8, 1)), ("Mei", "2024", date(2024, 5, 1)), ("11", "2024", date(2024, 11, 1)),
    ("2025-03-15", None, date(2025, 3, 1)), ("15/03/2025", None, date(2025, 3, 1)),
])
def test_months(raw, year, expected):
    year_col = pd.Series([year]) if year else None
    assert values(nz.parse_month(pd.Series([raw]), year_col)) == [expected]


def test_month_without_year_is_an_error():
    assert errors(nz.parse_month(pd.Series(["Mei"]))) == ["month_no_year"]


def test_year_alone_is_january_only_when_asked():
    assert values(nz.parse_month(pd.Series([None]), pd.Series(["2025"]), year_alone_is_january=True)) == [date(2025, 1, 1)]
    assert values(nz.parse_month(pd.Series([None]), pd.Series(["2025"]))) == [None]


@pytest.mark.parametrize("raw, expected", [("9,5", 9.5), ("9.5", 9.5), (" 12 ", 12.0), ("1.234,5", 1234.5),
                                           ("1,234.5", 1234.5), ("0,75", 0.75)])
def test_decimals(raw, expected):
    assert values(nz.parse_decimal(pd.Series([raw]))) == [expected]


@pytest.mark.parametrize("raw", ["9,5 kg", "abc", "1,2,3", "--"])
def test_bad_decimals(raw):
    assert errors(nz.parse_decimal(pd.Series([raw]))) == ["number_format"]


@pytest.mark.parametrize("raw, expected", [("12", 12), ("1.234", 1234), ("12,0", 12), ("0", 0)])
def test_counts(raw, expected):
    assert values(nz.parse_count(pd.Series([raw]))) == [expected]


@pytest.mark.parametrize("raw", ["-1", "1,5", "dua"])
def test_bad_counts(raw):
    assert errors(nz.parse_count(pd.Series([raw]))) == ["count_format"]


@pytest.mark.parametrize("raw, expected", [("L", 1), ("l", 1), ("Laki-laki", 1), ("1", 1), ("M", 1),
                                           ("P", 2), ("Perempuan", 2), ("2", 2), ("F", 2)])
def test_sex(raw, expected):
    assert values(nz.parse_sex(pd.Series([raw]))) == [expected]


def test_unknown_sex_is_an_error():
    assert errors(nz.parse_sex(pd.Series(["X"]))) == ["sex_value"]


@pytest.mark.parametrize("raw, expected", [("Terlentang", "L"), ("berbaring", "L"), ("L", "L"), ("PB", "L"),
                                           ("Berdiri", "H"), ("H", "H"), ("TB", "H")])
def test_measure(raw, expected):
    assert values(nz.parse_measure(pd.Series([raw]))) == [expected]


@pytest.mark.parametrize("raw, expected", [("Ya", True), ("Y", True), ("1", True), ("Tidak", False), ("-", False),
                                           ("0", False), ("T", False)])
def test_yesno(raw, expected):
    assert values(nz.parse_yesno(pd.Series([raw]))) == [expected]


@pytest.mark.parametrize("raw, expected", [
    ("36.01.01.2001", "36.01.01.2001"), ("3601012001", "36.01.01.2001"), ("36 01 01 2001", "36.01.01.2001"),
    ("3601012001.0", "36.01.01.2001"), ("36.01", "36.01"), ("36", "36"), ("36-01-01-1001", "36.01.01.1001"),
])
def test_codes(raw, expected):
    assert nz.normalise_code(raw) == (expected, None)


def test_bps_code_is_refused_not_reinterpreted():
    assert nz.normalise_code("3601010001") == (None, "code_bps")
    assert nz.normalise_code("36010") == (None, "code_format")


def test_ids_flag_excel_damage():
    parsed = nz.parse_id(pd.Series(["3601012345670001", "3.6011E+15", "3601012345670000", "3601012345670001.0", "A-7"]))
    assert values(parsed) == ["3601012345670001", None, None, "3601012345670001", "A-7"]
    assert errors(parsed) == [None, "id_scientific", "id_zero_serial", None, None]


@pytest.mark.parametrize("vocab, raw, expected", [
    ("AGENCIES", "Dinas Sosial", "dinas_sosial"), ("AGENCIES", "DINSOS", "dinas_sosial"),
    ("AGENCIES", "Pukesmas", "puskesmas"), ("STATUSES", "Tindak Lanjut", "ditindaklanjuti"),
    ("REASON_CATEGORIES", "Gizi Buruk", "gizi_buruk"), ("SUBJECT_TYPES", "Bumil", "ibu_hamil"),
    ("STRATA", "PURNAMA", "purnama"),
])
def test_vocabularies(vocab, raw, expected):
    assert values(nz.parse_vocab(pd.Series([raw]), vocab)) == [expected]


def test_unknown_vocabulary_value_is_an_error():
    assert errors(nz.parse_vocab(pd.Series(["Dinas Pariwisata"]), "AGENCIES")) == ["vocab_value"]


@pytest.mark.parametrize("heading, key, unit", [
    ("Tgl Lahir", "tgllahir", None), ("TGL_LAHIR", "tgllahir", None), ("tgl. lahir", "tgllahir", None),
    ("BB (kg)", "bb", "kg"), ("Berat (gram)", "berat", "gram"), ("BB_gr", "bb", "gram"), ("TB (cm)", "tb", "cm"),
])
def test_heading_keys(heading, key, unit):
    assert heading_key(heading) == (key, unit)


@pytest.mark.parametrize("dataset, heading, column", [
    ("measurements", "Tgl Lahir", "birth_date"), ("measurements", "TANGGAL LAHIR", "birth_date"),
    ("measurements", "TGL_LAHIR", "birth_date"), ("measurements", "BB", "weight_kg"),
    ("measurements", "Berat (kg)", "weight_kg"), ("measurements", "PB/TB", "lenhei_cm"),
    ("measurements", "Tinggi", "lenhei_cm"), ("measurements", "TB", "lenhei_cm"),
    ("measurements", "Cara Ukur", "measure"), ("measurements", "JK", "sex"), ("measurements", "L/P", "sex"),
    ("posyandu_monthly", "2T", "t2_count"), ("posyandu_monthly", "Kader Aktif", "cadres_on_duty"),
    ("referrals", "Dirujuk ke", "destination_agency"), ("pkk_dasawisma", "Jamban", "households_jamban"),
])
def test_aliases(dataset, heading, column):
    mapping = {heading_key(a)[0]: c.name for c in DATASETS[dataset].columns for a in c.aliases}
    assert mapping[heading_key(heading)[0]] == column


def test_alias_table_has_no_conflicts_within_a_dataset():
    for dataset in DATASETS.values():
        seen: dict[str, str] = {}
        for column in dataset.columns:
            for alias in column.aliases:
                key = heading_key(alias)[0]
                assert seen.setdefault(key, column.name) == column.name, (dataset.name, alias)
        for alias in dataset.ignored:
            assert heading_key(alias)[0] not in seen, (dataset.name, alias)


@pytest.mark.parametrize("raw, level, expected", [
    ("KAB. SERANG", "kabkota", ("kabupaten", "serang")), ("Kabupaten Serang", "kabkota", ("kabupaten", "serang")),
    ("KOTA SERANG", "kabkota", ("kota", "serang")), ("Serang", "kabkota", (None, "serang")),
    ("Kotawaringin Timur", "kabkota", (None, "kotawaringintimur")), ("Kec. Cikande", "kecamatan", (None, "cikande")),
    ("Desa Kamurang", "desa", ("desa", "kamurang")), ("Kel. Cipare", "desa", ("kelurahan", "cipare")),
])
def test_region_name_prefixes(raw, level, expected):
    assert split_prefix(raw, level) == expected
