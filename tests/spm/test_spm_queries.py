"""The Posyandu 6 SPM page queries on a small world imported through the importer: which posyandu are not
registered, not active in a field, where, and which agency owns each field's backlog."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from dashboard.build import refresh
from dashboard.db import run_query
from dashboard.ingest.loader import import_files
from dashboard.ingest.templates import write_template
from tests.conftest import write_xlsx
from tests.spm.test_templates_import import fill

YEAR = dict(start=date(2025, 1, 1), end=date(2026, 1, 1))
AS_OF = date(2025, 12, 31)


@pytest.fixture
def world_db(tmp_path, db_path):
    """Three posyandu of Kecamatan Cikande: their register, six-field reports and referrals, imported."""
    register = fill(write_template("register_posyandu", tmp_path / "register.xlsx"), [
        {"Kode Desa": "36.04.15.2001", "No Registrasi Posyandu": "36.04.15.2001.001", "Posyandu": "Melati",
         "Tanggal Registrasi": "01/03/2025", "SK Pembentukan": "Ya", "Layanan Kesehatan": "Ya", "Kader Kesehatan": 5,
         "Kader Kesehatan Terlatih": 5, "Layanan Sosial": "Ya", "Kader Sosial": 2, "Kader Sosial Terlatih": 1},
        {"Kode Desa": "36.04.15.2001", "No Registrasi Posyandu": "36.04.15.2001.002", "Posyandu": "Mawar",
         "Tanggal Registrasi": "15/08/2025", "Layanan Kesehatan": "Ya", "Kader Kesehatan": 4},   # after the deadline
        {"Kode Desa": "36.04.15.2002", "Posyandu": "Anggrek", "Layanan Kesehatan": "Ya", "Kader Kesehatan": 3,
         "Layanan Sosial": "Ya", "Kader Sosial": 1},                                             # not registered
    ])
    activity = fill(write_template("kegiatan_6_bidang", tmp_path / "kegiatan.xlsx"), [
        {"Kode Desa": "36.04.15.2001", "Posyandu": "Melati", "Bulan": "Maret 2025", "Bidang": "Kesehatan",
         "Jumlah Kegiatan": 2, "Jumlah Sasaran Terlayani": 40},
        {"Kode Desa": "36.04.15.2001", "Posyandu": "Melati", "Bulan": "Maret 2025", "Bidang": "Sosial",
         "Jumlah Kegiatan": 1, "Jumlah Sasaran Terlayani": 3},
        {"Kode Desa": "36.04.15.2001", "Posyandu": "Mawar", "Bulan": "April 2025", "Bidang": "Kesehatan",
         "Jumlah Kegiatan": 1, "Jumlah Sasaran Terlayani": 25},
        {"Kode Desa": "36.04.15.2002", "Posyandu": "Anggrek", "Bulan": "April 2025", "Bidang": "sosial",
         "Jumlah Kegiatan": 0, "Jumlah Sasaran Terlayani": 0},                   # reported, nothing held
        {"Kode Desa": "36.04.15.2002", "Posyandu": "Anggrek", "Bulan": "April 2025", "Bidang": "olahraga",
         "Jumlah Kegiatan": 1},                                                  # not an SPM field: rejected
    ])
    referrals = write_xlsx(tmp_path / "rujukan.xlsx", [
        ["No Rujukan", "Tgl Rujukan", "Sasaran", "Alasan Rujukan", "Dirujuk Ke", "Status", "Tgl Selesai", "Kode Desa",
         "Posyandu"],
        ["R1", "01/09/2025", "Balita", "Kekerasan Anak", "DP3A", "", "", "3604152001", "Melati"],
        ["R2", "01/10/2025", "Keluarga", "Keluarga Miskin", "Dinsos", "", "", "3604152002", "Anggrek"],
        ["R3", "01/11/2025", "Keluarga", "Keluarga Miskin", "Dinsos", "Selesai", "20/11/2025", "3604152002", "Anggrek"],
        ["R4", "01/11/2025", "Balita", "Gizi Buruk", "Puskesmas", "", "", "3604152001", "Mawar"],
        ["R5", "02/11/2025", "Keluarga", "RTLH", "Perkim", "", "", "3604152001", "Mawar"],
    ])
    skdn = write_xlsx(tmp_path / "skdn.xlsx", [   # a health session month the six-field report does not give
        ["Posyandu", "Kode Desa", "Bulan", "Buka", "Kader Aktif", "S", "D", "N"],
        ["Melati", "3604152001", "Juni 2025", "Ya", "5", "40", "30", "22"]])
    results = import_files([register, activity, referrals, skdn], db_path, after_load=refresh)
    assert [(r.dataset, r.rows_loaded, r.rows_rejected) for r in results] == [
        ("posyandu", 3, 0), ("posyandu_activity", 4, 1), ("referrals", 5, 0), ("posyandu_monthly", 1, 0)]
    return db_path


@pytest.fixture
def world(world_db):
    with duckdb.connect(str(world_db), read_only=True) as con:
        yield con


def test_registration_gap_per_village(world):
    got = run_query(world, "pages/spm/registration", dict(region="36.04.15", child_level="desa", year=date(2025, 1, 1)))
    rows = {r.code: (r.posyandu, r.registered, r.not_registered, r.registered_late, r.sk_present)
            for r in got.itertuples()}
    assert rows == {"36.04.15.2001": (2, 2, 0, 1, 1), "36.04.15.2002": (1, 0, 1, 0, 0)}


def test_posyandu_not_registered_and_not_active_in_a_field(world):
    got = run_query(world, "pages/spm/posyandu", dict(region="36.04.15", **YEAR)).set_index("posyandu")
    assert list(got.index[~got.registered]) == ["Anggrek"] and got.desa["Anggrek"]
    assert list(got.served_fields["Melati"]) == ["kesehatan", "sosial"]
    assert list(got.active_fields["Melati"]) == ["kesehatan", "sosial"]
    assert list(got.active_fields["Anggrek"]) == []                   # a report of zero activities is not active
    not_active_sosial = sorted(got.index[got.inactive_fields.map(lambda f: "sosial" in list(f))])
    assert not_active_sosial == ["Anggrek", "Mawar"]
    assert (got.cadres["Melati"], got.trained["Melati"]) == (7, 6)
    assert bool(got.registered_late["Mawar"]) and not got.registered_late["Melati"]


def test_fields_and_the_agency_that_owns_the_backlog(world):
    fields = run_query(world, "pages/spm/fields", dict(region="36.04.15", as_of=AS_OF, **YEAR)).set_index("field")
    assert list(fields.index) == ["kesehatan", "pendidikan", "sosial", "perumahan_rakyat", "trantibumlinmas",
                                  "perlindungan_masyarakat"]
    assert fields.loc["kesehatan", ["posyandu", "serving", "active", "not_active", "cadres", "people_reached"]].tolist() \
        == [3, 3, 2, 1, 12, 65]
    assert fields.loc["kesehatan", "activities"] == 2 + 1 + 1         # Melati's SKDN session in June counts one
    assert fields.loc["sosial", ["serving", "active", "referred", "open", "overdue"]].tolist() == [2, 1, 3, 2, 2]
    referrals = run_query(world, "pages/spm/referrals", dict(region="36.04.15", start=YEAR["start"], as_of=AS_OF))
    owners = {(r.field, r.destination_agency): (r.referred, r.open) for r in referrals.itertuples()}
    assert owners == {("kesehatan", "puskesmas"): (1, 1), ("sosial", "dp3a"): (1, 1), ("sosial", "dinas_sosial"): (2, 1),
                      ("perumahan_rakyat", "dinas_pupr_perkim"): (1, 1)}
    areas = run_query(world, "pages/spm/field_areas", dict(region="36.04.15", child_level="desa", **YEAR))
    sosial = areas[areas.field == "sosial"].set_index("code")
    assert sosial.not_active.to_dict() == {"36.04.15.2001": 1, "36.04.15.2002": 1}
