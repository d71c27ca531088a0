"""Posyandu register, monthly reports, referrals and Dasa Wisma recaps, as CSV and XLSX."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.ingest.loader import import_files
from tests.conftest import query, write_csv, write_xlsx


def writer_for(kind):
    return (lambda p, rows: write_csv(p.with_suffix(".csv"), rows)) if kind == "csv" else \
        (lambda p, rows: write_xlsx(p.with_suffix(".xlsx"), rows))


@pytest.fixture(params=["csv", "xlsx"])
def write(request):
    return writer_for(request.param)


def test_posyandu_register_then_names_resolve_to_register_numbers(write, tmp_path, db_path):
    register = write(tmp_path / "register", [
        ["DAFTAR POSYANDU KECAMATAN CIKANDE"], [],
        ["No", "No Registrasi Posyandu", "Nama Posyandu", "Kode Desa", "RW", "Alamat"],
        [1, "36.04.15.2001.001", "Posyandu Melati 1", "3604152001", "01", "Jl. Raya"],
        [2, "3604152001002", "Mawar", "", "02", ""],            # village taken from the register number
        [3, "36.04.15.2001.3", "Anggrek", "3604152001", "", ""],  # malformed register number
        [4, "36.04.15.2002.001", "Dahlia", "3604152001", "", ""],  # register of another village
    ])
    monthly = write(tmp_path / "monthly", [
        ["Posyandu", "Kode Desa", "Bulan", "Tahun", "Buka", "Kader Aktif", "S", "K", "D", "N", "BGM", "2T", "Strata"],
        ["Melati 1", "36.04.15.2001", "Agustus", "2025", "Ya", "5", "40", "38", "30", "22", "1", "0", "Purnama"],
    ])
    results = import_files([register, monthly], db_path)
    assert [r.dataset for r in results] == ["posyandu", "posyandu_monthly"]
    assert (results[0].rows_loaded, results[0].rows_rejected) == (2, 2)
    assert query(db_path, "select posyandu_id, name, village_code, register_no, rw from posyandu order by 1") == [
        ("36.04.15.2001.001", "Posyandu Melati 1", "36.04.15.2001", "36.04.15.2001.001", "1"),
        ("36.04.15.2001.002", "Mawar", "36.04.15.2001", "36.04.15.2001.002", "2"),
    ]
    assert query(db_path, "select posyandu_id, month, opened, cadres_on_duty, s_count, d_count, n_count, "
                          "reported_strata from posyandu_monthly") == [
        ("36.04.15.2001.001", date(2025, 8, 1), True, 5, 40, 30, 22, "purnama")]


def test_monthly_report_rows(write, tmp_path, db_path):
    rows = [
        ["Kabupaten", "Kecamatan", "Desa", "Nama Posyandu", "Periode", "Posyandu Buka", "Jumlah Kader Aktif",
         "S", "K", "D", "N", "T", "O", "B", "BGM", "2T", "Sasaran Bumil", "Bumil Diperiksa", "PUS", "Peserta KB",
         "Sasaran Imunisasi", "Bayi Diimunisasi", "Program Tambahan", "Jumlah KK", "KK Dana Sehat", "D/S"],
        ["Kota Palangka Raya", "Pahandut", "Pahandut", "Posyandu Kenanga", "Jan-2025", "Ya", "6", "50", "48", "41",
         "30", "6", "3", "2", "1", "0", "8", "7", "120", "80", "10", "9", "2", "300", "160", "82%"],
        ["Kota Palangka Raya", "Pahandut", "Pahandut", "Posyandu Kenanga", "Feb-2025", "Tidak", "0", "50", "48", "0",
         "0", "0", "0", "0", "0", "0", "8", "0", "120", "80", "10", "0", "2", "300", "160", ""],
        ["Kota Palangka Raya", "Pahandut", "Pahandut", "", "Mar-2025", "Ya", "5", "50", "", "", "", "", "", "", "",
         "", "", "", "", "", "", "", "", "", "", ""],                         # no posyandu
        ["Kota Palangka Raya", "Pahandut", "Pahandut", "Posyandu Kenanga", "Maret", "Ya", "5", "lima", "", "", "", "",
         "", "", "", "", "", "", "", "", "", "", "", "", "", ""],              # month without year, word count
    ]
    [result] = import_files([write(tmp_path / "skdn", rows)], db_path)
    assert (result.rows_loaded, result.rows_rejected) == (2, 2) and result.adds_up
    assert result.columns_ignored == ["D/S"]
    got = query(db_path, "select month, opened, cadres_on_duty, s_count, k_count, d_count, n_count, t_count, o_count,"
                         " b_count, bgm_count, t2_count, kia_target, kia_served, kb_target, kb_served, imm_target,"
                         " imm_served, additional_programmes, households, dana_sehat_households, village_code,"
                         " posyandu_id from posyandu_monthly order by month")
    assert got[0] == (date(2025, 1, 1), True, 6, 50, 48, 41, 30, 6, 3, 2, 1, 0, 8, 7, 120, 80, 10, 9, 2, 300, 160,
                      "62.71.01.1001", "62.71.01.1001/kenanga")
    assert got[1][:3] == (date(2025, 2, 1), False, 0)
    reasons = {r for (r,) in query(db_path, "select reason_en from rejects")}
    assert reasons == {"posyandu name or register number is empty", "month without a year and no Tahun column",
                       "not a whole number >= 0"}


REFERRAL_HEAD = ["No Rujukan", "Tgl Rujukan", "Nama Sasaran", "Sasaran", "Alasan Rujukan", "Dirujuk Ke", "Status",
                 "Tgl Diterima", "Tgl Tindak Lanjut", "Tgl Selesai", "Tgl Batal", "Kode Desa", "Posyandu", "Catatan"]


def referral_rows():
    return [
        REFERRAL_HEAD,
        ["R-001", "01/07/2025", "Anak A", "Balita", "Gizi Buruk", "Puskesmas", "Selesai", "02/07/2025", "03/07/2025",
         "20/07/2025", "", "3604152001", "Melati 1", "sudah membaik"],
        ["R-002", "05/07/2025", "Keluarga B", "Keluarga", "Keluarga Miskin", "Dinsos", "", "10/07/2025", "", "", "",
         "3604152001", "Melati 1", ""],                                         # status from the latest date
        ["R-003", "06/07/2025", "Ibu C", "Bumil", "KEK", "PKM", "Ditindaklanjuti", "", "", "", "", "3604152001", "",
         ""],                                                                   # status without its date
        ["R-004", "06/07/2025", "Anak D", "Balita", "Kekerasan Anak", "DP3A", "Diterima", "01/07/2025", "", "", "",
         "3604152001", "", ""],                                                 # accepted before it was referred
        ["R-005", "06/07/2025", "Anak E", "Balita", "Main layangan", "Puskesmas", "Dirujuk", "", "", "", "",
         "3604152001", "", ""],                                                 # unknown category
        ["R-006", "08/07/2025", "Anak F", "Balita", "Stunting", "Puskesmas", "Batal", "", "", "", "12/07/2025",
         "3604152001", "", ""],
    ]


def test_referrals_with_status_history(write, tmp_path, db_path):
    [result] = import_files([write(tmp_path / "rujukan", referral_rows())], db_path)
    assert (result.rows_loaded, result.rows_rejected) == (3, 3) and result.adds_up
    assert {"Nama Sasaran", "Catatan"} <= set(result.columns_ignored)
    assert query(db_path, "select referral_id, subject_type, reason_category, destination_agency, status, status_on "
                          "from referrals order by 1") == [
        ("R-001", "balita", "gizi_buruk", "puskesmas", "selesai", date(2025, 7, 20)),
        ("R-002", "keluarga", "keluarga_miskin", "dinas_sosial", "diterima", date(2025, 7, 10)),
        ("R-006", "balita", "stunting", "puskesmas", "batal", date(2025, 7, 12)),
    ]
    assert query(db_path, "select status, event_on from referral_events where referral_id = 'R-001' order by 2") == [
        ("dirujuk", date(2025, 7, 1)), ("diterima", date(2025, 7, 2)), ("ditindaklanjuti", date(2025, 7, 3)),
        ("selesai", date(2025, 7, 20))]
    reasons = dict(query(db_path, "select source_row, reason_en from rejects order by 1"))
    assert reasons == {4: "status without its date", 5: "status date before the referral date",
                       6: "value is not in the list of accepted codes"}
    assert not query(db_path, "select * from rejects where value like '%Ibu C%' or value like '%Anak%'")


def test_referral_update_replaces_history(tmp_path, db_path):
    import_files([write_csv(tmp_path / "r1.csv", referral_rows())], db_path)
    later = [REFERRAL_HEAD, ["R-002", "05/07/2025", "Keluarga B", "Keluarga", "Keluarga Miskin", "Dinsos", "Selesai",
                             "10/07/2025", "15/07/2025", "01/08/2025", "", "3604152001", "Melati 1", ""]]
    [result] = import_files([write_csv(tmp_path / "r2.csv", later)], db_path)
    assert (result.rows_loaded, result.rows_updated) == (1, 1)
    assert query(db_path, "select count(*), max(status) from referrals where referral_id = 'R-002'") == [(1, "selesai")]
    assert [s for (s,) in query(db_path, "select status from referral_events where referral_id = 'R-002' "
                                         "order by event_on")] == ["dirujuk", "diterima", "ditindaklanjuti", "selesai"]


def test_dasawisma_recap(write, tmp_path, db_path):
    rows = [
        ["REKAPITULASI CATATAN DATA DAN KEGIATAN WARGA KELOMPOK DASA WISMA"], ["TAHUN 2025"], [],
        ["Kode Desa", "RW", "RT", "Nama Dasa Wisma", "Tahun", "Jumlah KK", "Jumlah KRT", "Balita", "PUS", "WUS",
         "Ibu Hamil", "Ibu Menyusui", "Lansia", "3 Buta", "Berkebutuhan Khusus", "Rumah Sehat", "Jamban",
         "Sumber Air Bersih", "Tempat Sampah", "SPAL", "Stiker P4K", "Makanan Pokok Beras", "Pemanfaatan Pekarangan",
         "Industri Rumah Tangga", "UP2K", "Kerja Bakti"],
        ["3604152001", "001", "002", "Mawar", "2025", "14", "12", "5", "9", "11", "1", "2", "3", "0", "1", "9", "10",
         "12", "8", "7", "1", "12", "6", "2", "3", "12"],
        ["3604152001", "1", "2", "Mawar", "2025", "14", "12", "5", "9", "11", "1", "2", "3", "0", "1", "9", "10",
         "12", "8", "7", "1", "12", "6", "2", "3", "12"],                  # same recap, RT/RW written differently
        ["3604152001", "1", "3", "Melati", "2025", "15", "15", "x", "", "", "", "", "", "", "", "", "", "", "", "",
         "", "", "", "", "", ""],
    ]
    [result] = import_files([write(tmp_path / "dasawisma", rows)], db_path)
    assert (result.rows_loaded, result.rows_duplicate, result.rows_rejected) == (1, 1, 1)
    assert query(db_path, "select village_code, rw, rt, dasawisma, period, kk_count, households_jamban, "
                          "households_air_bersih, members_buta_huruf from pkk_dasawisma") == [
        ("36.04.15.2001", "1", "2", "Mawar", date(2025, 1, 1), 14, 10, 12, 0)]
