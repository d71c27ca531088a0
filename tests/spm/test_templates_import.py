"""The institution templates: written from the dataset declarations, filled in, imported with row-level rejects."""

from __future__ import annotations

from datetime import date

import openpyxl

from dashboard.ingest.loader import import_files
from dashboard.ingest.templates import write_template
from tests.conftest import query


def fill(template, rows):
    """The template with rows added under its headings (what an office sends back)."""
    book = openpyxl.load_workbook(template)
    headings = [c.value for c in book["Data"][1]]
    for row in rows:
        book["Data"].append([row.get(h) for h in headings])
    book.save(template)
    return template


def test_register_template_imports_institution_and_rejects_rows(tmp_path, db_path):
    template = write_template("register_posyandu", tmp_path / "register_posyandu.xlsx")
    headings = [c.value for c in openpyxl.load_workbook(template)["Data"][1]]
    assert {"Kode Desa", "No Registrasi Posyandu", "Tanggal Registrasi", "SK Pembentukan", "Layanan Kesehatan",
            "Kader PUPR", "Kader PUPR Terlatih", "Kader Linmas"} <= set(headings)
    fill(template, [
        {"Kode Desa": "3604152001", "No Registrasi Posyandu": "36.04.15.2001.001", "Posyandu": "Melati 1",
         "Tanggal Registrasi": "12/05/2025", "SK Pembentukan": "Ya", "Layanan Kesehatan": "Ya",
         "Kader Kesehatan": 5, "Kader Kesehatan Terlatih": 3, "Layanan Sosial": "Ya", "Kader Sosial": 2,
         "Kader Sosial Terlatih": 2, "Layanan PUPR": "Tidak"},
        {"Kode Desa": "3604152001", "Posyandu": "Mawar", "SK Pembentukan": "Tidak", "Layanan Kesehatan": "Ya",
         "Kader Kesehatan": 4},                                                   # not registered yet
        {"Kode Desa": "3604152001", "Posyandu": "Anggrek", "Tanggal Registrasi": "01/02/2025"},  # date, no number
        {"Kode Desa": "3604152001", "Posyandu": "Dahlia", "Kader Sosial": 1, "Kader Sosial Terlatih": 3},
        {"Kode Desa": "3604152001", "Posyandu": "Kenanga", "SK Pembentukan": "mungkin"},
    ])
    [result] = import_files([template], db_path)
    assert result.dataset == "posyandu" and result.adds_up
    assert (result.rows_loaded, result.rows_rejected) == (2, 3)
    rejects = query(db_path, "select source_row, column_name, reason_en from rejects order by source_row")
    assert rejects == [
        (4, "Tanggal Registrasi", "registration date without a Kemendagri registration number"),
        (5, "Kader Sosial Terlatih", "more trained cadres than cadres in that field"),
        (6, "SK Pembentukan", "yes/no value not recognised"),
    ]
    assert query(db_path, "select p.name, p.register_no, i.registered_on, i.sk_present, i.serves_kesehatan, "
                          "i.cadres_kesehatan, i.trained_kesehatan, i.cadres_sosial, i.serves_perumahan_rakyat "
                          "from posyandu p join posyandu_institution i using (posyandu_id) order by p.name") == [
        ("Mawar", None, None, False, True, 4, None, None, None),
        ("Melati 1", "36.04.15.2001.001", date(2025, 5, 12), True, True, 5, 3, 2, False),
    ]


def test_plain_register_keeps_what_the_template_said(tmp_path, db_path):
    """A register without the institution headings updates names and RW only."""
    template = fill(write_template("register_posyandu", tmp_path / "register_posyandu.xlsx"), [
        {"Kode Desa": "3604152001", "No Registrasi Posyandu": "36.04.15.2001.001", "Posyandu": "Melati 1",
         "Tanggal Registrasi": "12/05/2025", "Kader Kesehatan": 5}])
    plain = tmp_path / "daftar.xlsx"
    book = openpyxl.Workbook()
    for row in (["No Registrasi Posyandu", "Nama Posyandu", "Kode Desa", "RW"],
                ["36.04.15.2001.001", "Posyandu Melati Satu", "3604152001", "03"]):
        book.active.append(row)
    book.save(plain)
    results = import_files([template, plain], db_path)
    assert [r.rows_loaded for r in results] == [1, 1]
    assert query(db_path, "select p.name, p.rw, i.registered_on, i.cadres_kesehatan from posyandu p "
                          "join posyandu_institution i using (posyandu_id)") == [
        ("Posyandu Melati Satu", "3", date(2025, 5, 12), 5)]


def test_institution_columns_inside_an_existing_register(tmp_path, db_path):
    path = tmp_path / "daftar_posyandu.xlsx"
    book = openpyxl.Workbook()
    for row in (["No", "Nama Posyandu", "Kode Desa", "Alamat", "Jumlah Kader", "Tgl Registrasi",
                 "No Reg Posyandu", "Ada SK"],
                [1, "Kenanga", "62.71.01.1001", "Jl. A", 6, "2025-07-15", "62.71.01.1001.004", "ya"]):
        book.active.append(row)
    book.save(path)
    [result] = import_files([path], db_path)
    assert (result.rows_loaded, result.rows_rejected) == (1, 0)
    assert query(db_path, "select posyandu_id, registered_on, sk_present, cadres_kesehatan from posyandu_institution") == [
        ("62.71.01.1001.004", date(2025, 7, 15), True, None)]


def test_every_field_and_programme_has_a_name_in_both_languages():
    from dashboard import indicators
    from dashboard.ingest.vocab import PROGRAMMES, REASON_FIELD, SPM_FIELDS

    for lang in ("id", "en"):
        assert set(SPM_FIELDS) | set(REASON_FIELD.values()) <= set(indicators.labels("field", lang))
        assert set(PROGRAMMES) == set(indicators.labels("programme", lang))
    assert indicators.catalogue()["spm"]["fields"] == list(SPM_FIELDS)
    assert sum(p["weight"] for p in indicators.catalogue()["p2wkss"]["parts"].values()) == 100


def test_programme_template_rejects_a_row_without_its_year_or_date(tmp_path, db_path):
    path = write_template("desa_program", tmp_path / "desa_program.xlsx", [
        {"village_code": "36.04.22.2007", "programme": "Posyandra", "started_on": "17/12/2025"},
        {"village_code": "36.04.15.2001", "programme": "desa binaan P2WKSS", "programme_year": 2025},
        {"village_code": "36.04.15.2002", "programme": "lokus stunting"},                     # no year, no date
        {"village_code": "36.04.15.2003", "programme": "KB kampung", "programme_year": 2025},  # not a programme
    ])
    [result] = import_files([path], db_path)
    assert (result.dataset, result.rows_loaded, result.rows_rejected) == ("programme_villages", 2, 2)
    assert query(db_path, "select village_code, programme, programme_year, started_on from programme_villages "
                          "order by 1") == [("36.04.15.2001", "p2wkss", 2025, None),
                                            ("36.04.22.2007", "posyandra", None, date(2025, 12, 17))]
    assert query(db_path, "select source_row, column_name, reason_en from rejects order by 1") == [
        (4, "Tahun", "programme year or start date is empty"),
        (5, "Program", "value is not in the list of accepted codes")]
