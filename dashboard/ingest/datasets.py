"""The alias table: which export headings mean which canonical column, per dataset.

Headings are compared by ``heading_key``: lower case, letters and digits only, with a trailing
unit ("(kg)", "_cm", "gram") split off, so "Tgl Lahir", "TGL_LAHIR" and "tgl. lahir" are one
heading and "BB (gram)" is the weight column in grams. Each canonical column lists its aliases
in the form exports write them; add a new spelling here and nowhere else.

Column kinds (parsed by ``dashboard.ingest.normalise``):
  text, id, code (Kemendagri region code), date, month, decimal, count, sex, measure, yesno,
  and vocab:<NAME> for the controlled vocabularies of ``dashboard.ingest.vocab``; age and zscore
  for values an export reports beside ours (unreadable ones are left empty, never a reject).

What a dataset does beyond its columns is declared on it as hooks (in the spirit of datasette's
plugin hooks), implemented in ``dashboard.ingest.rules``: ``validate`` (row rules after parsing),
``derive`` (columns computed from the good rows before loading) and ``after_load`` (what else is
written from the loaded rows). The pipeline stages call the hooks and never test a dataset's name.
Which columns are stored is read from the table in ``queries/schema/<name>.sql``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from dashboard.ingest import rules
from dashboard.ingest.vocab import SPM_FIELDS


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    aliases: tuple[str, ...]
    required: bool = False
    personal: bool = False      # masked in rejects and never printed
    description: str = ""

    @cached_property
    def alias_keys(self) -> frozenset[str]:
        return frozenset(heading_key(a)[0] for a in self.aliases)


@dataclass(frozen=True)
class Dataset:
    name: str                    # also the canonical table
    title: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...]
    # Headings recognised but deliberately not imported (personal data we do not need, computed
    # statuses the growth engine recomputes). Listed so the summary says why they were dropped.
    ignored: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)
    # Hooks (see the module docstring): validate(check), derive(frame) -> frame, after_load(con, rows, batch_id).
    validate: Callable | None = None
    derive: Callable | None = None
    after_load: tuple[Callable, ...] = ()
    links_posyandu: bool = True          # rows name a posyandu (register number or name) to resolve
    requires_posyandu: bool = False      # a row without a posyandu is rejected
    year_alone_is_january: bool = False  # a yearly recap with only a Tahun column is that January
    hook_tables: tuple[str, ...] = ()    # other tables its after_load hooks store parsed columns in

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_UNIT_RE = re.compile(r"[\s_\-\(\[/]+(kg|cm|gram|gr|g|mm)[\)\]]?\s*$")


@lru_cache(maxsize=4096)
def heading_key(heading: object) -> tuple[str, str | None]:
    """Normalised heading and its unit, e.g. 'Berat Badan (gram)' -> ('beratbadan', 'gram')."""
    text = str(heading or "").strip().lower()
    unit = None
    match = _UNIT_RE.search(text)
    if match and match.start() > 0:
        unit = {"gr": "gram", "g": "gram"}.get(match.group(1), match.group(1))
        text = text[: match.start()]
    return re.sub(r"[^0-9a-z]", "", text), unit


# Region columns shared by every dataset: a Kemendagri village code, or names within parents.
REGION_COLUMNS = (
    Column("village_code", "code", ("kode desa", "kode kelurahan", "kode desa/kelurahan", "kd desa",
                                    "kode wilayah", "kode kemendagri", "kode_desa", "kodedesa", "id desa")),
    Column("province_name", "text", ("provinsi", "prov", "nama provinsi", "propinsi")),
    Column("kabkota_name", "text", ("kabupaten", "kab/kota", "kabupaten/kota", "kota/kabupaten", "kab",
                                    "nama kabupaten", "kabkota", "kota")),
    Column("kecamatan_name", "text", ("kecamatan", "kec", "nama kecamatan")),
    Column("desa_name", "text", ("desa", "kelurahan", "desa/kelurahan", "kel/desa", "desa/kel",
                                 "nama desa", "nama kelurahan", "kelurahan/desa", "nama desa/kelurahan")),
)

POSYANDU_COLUMNS = (
    Column("posyandu_register", "text", ("no registrasi posyandu", "nomor registrasi posyandu", "no reg posyandu",
                                         "kode posyandu", "id posyandu", "no register posyandu")),
    Column("posyandu_name", "text", ("posyandu", "nama posyandu")),
)

MEASUREMENTS = Dataset(
    name="measurements",
    title="Penimbangan & pengukuran balita / child weighing and measurement",
    natural_key=("child_id", "measured_on"),
    columns=REGION_COLUMNS + POSYANDU_COLUMNS + (
        Column("child_id", "id", ("nik", "nik anak", "nik balita", "no nik", "id anak", "id balita",
                                  "kode anak", "kode balita", "no identitas anak"), required=True, personal=True),
        Column("sex", "sex", ("jk", "jenis kelamin", "l/p", "kelamin", "sex", "gender")),
        Column("birth_date", "date", ("tgl lahir", "tanggal lahir", "tgllahir", "tgl_lahir", "lahir",
                                      "date of birth", "dob"), personal=True),
        Column("measured_on", "date", ("tanggal pengukuran", "tgl pengukuran", "tgl ukur", "tanggal ukur",
                                       "tgl timbang", "tanggal timbang", "tanggal penimbangan", "tgl penimbangan",
                                       "tanggal kunjungan", "tgl kunjungan"), required=True),
        Column("weight_kg", "decimal", ("bb", "berat", "berat badan", "bb kg", "weight")),
        Column("lenhei_cm", "decimal", ("tb", "pb", "pb/tb", "tb/pb", "tinggi", "tinggi badan", "panjang badan",
                                        "panjang/tinggi badan", "tinggi/panjang badan", "height")),
        Column("measure", "measure", ("cara ukur", "posisi ukur", "cara pengukuran", "metode ukur",
                                      "posisi pengukuran", "posisi")),
        Column("oedema", "yesno", ("edema", "oedema", "bengkak")),
        Column("muac_cm", "decimal", ("lila", "lingkar lengan atas", "lingkar lengan")),
        # What e-PPGBM itself reports, kept beside our WHO recomputation (never used in its place).
        Column("reported_age_days", "age", ("usia saat ukur", "umur saat ukur", "usia ukur")),
        Column("reported_waz", "zscore", ("zs bb/u", "z score bb/u", "zscore bb/u", "z bb/u")),
        Column("reported_haz", "zscore", ("zs tb/u", "z score tb/u", "zscore tb/u", "z tb/u", "zs pb/u")),
        Column("reported_whz", "zscore", ("zs bb/tb", "z score bb/tb", "zscore bb/tb", "z bb/tb", "zs bb/pb")),
        Column("reported_waz_status", "text", ("bb/u", "status bb/u")),
        Column("reported_haz_status", "text", ("tb/u", "pb/u", "status tb/u")),
        Column("reported_whz_status", "text", ("bb/tb", "bb/pb", "status bb/tb")),
    ),
    ignored=("nama", "nama anak", "nama balita", "nama ibu", "nama ortu", "nama orang tua", "alamat",
             "nik ibu", "nik ortu", "rt", "rw", "no kk", "umur", "umur bulan", "status gizi", "naik berat badan",
             "puskesmas", "pukesmas", "nama puskesmas",
             # e-PPGBM's other columns ("Daftar Anak Berdasarkan Status Gizi")
             "bb lahir", "tb lahir", "pmt diterima", "jml vit a", "jumlah vit a", "kpsp", "kia",
             "kelas ibu balita", "mbg", "total pengukuran"),
    validate=rules.measurement_rules,
    derive=rules.age_check,
    after_load=(rules.register_posyandu,),
)

POSYANDU_MONTHLY = Dataset(
    name="posyandu_monthly",
    title="Laporan bulanan posyandu (SKDN) / posyandu monthly report",
    natural_key=("posyandu_id", "month"),
    columns=REGION_COLUMNS + POSYANDU_COLUMNS + (
        Column("month", "month", ("bulan", "periode", "bulan laporan", "bln", "bulan/tahun", "periode laporan"),
               required=True),
        Column("year", "count", ("tahun", "thn")),
        Column("opened", "yesno", ("buka", "posyandu buka", "hari buka", "kegiatan dilaksanakan", "pelaksanaan",
                                   "buka bulan ini")),
        Column("cadres_on_duty", "count", ("kader aktif", "jumlah kader aktif", "kader bertugas", "kader hadir",
                                           "jml kader aktif", "jumlah kader bertugas")),
        Column("s_count", "count", ("s", "jumlah balita", "balita seluruhnya", "jumlah balita s", "sasaran balita")),
        Column("k_count", "count", ("k", "punya kms", "balita punya kms", "memiliki kms", "punya buku kia")),
        Column("d_count", "count", ("d", "ditimbang", "balita ditimbang", "jumlah ditimbang")),
        Column("n_count", "count", ("n", "naik", "bb naik", "berat badan naik")),
        Column("t_count", "count", ("t", "tidak naik", "bb tidak naik")),
        Column("o_count", "count", ("o", "tidak ditimbang bulan lalu")),
        Column("b_count", "count", ("b", "baru", "timbang pertama", "baru pertama ditimbang")),
        Column("bgm_count", "count", ("bgm", "bawah garis merah")),
        Column("t2_count", "count", ("2t", "dua kali tidak naik", "2 t")),
        Column("kia_target", "count", ("sasaran bumil", "jumlah bumil", "jumlah ibu hamil", "bumil")),
        Column("kia_served", "count", ("bumil diperiksa", "ibu hamil diperiksa", "bumil periksa", "pelayanan kia")),
        Column("kb_target", "count", ("pus", "jumlah pus")),
        Column("kb_served", "count", ("peserta kb", "pus ber kb", "kb aktif", "pus peserta kb")),
        Column("imm_target", "count", ("sasaran imunisasi", "bayi sasaran imunisasi", "sasaran bayi")),
        Column("imm_served", "count", ("imunisasi", "bayi diimunisasi", "imunisasi lengkap", "bayi imunisasi")),
        Column("additional_programmes", "count", ("program tambahan", "jumlah program tambahan", "kegiatan tambahan")),
        Column("households", "count", ("jumlah kk", "jumlah rumah tangga", "kk", "jml kk")),
        Column("dana_sehat_households", "count", ("kk dana sehat", "peserta dana sehat", "dana sehat",
                                                  "kk peserta dana sehat")),
        Column("reported_strata", "vocab:STRATA", ("strata", "strata posyandu", "tingkat perkembangan",
                                                   "tingkat strata")),
    ),
    ignored=("no", "nomor", "keterangan", "ket", "puskesmas", "pukesmas", "k/s", "d/s", "n/d", "n/s"),
    validate=rules.period_rules("month"),
    after_load=(rules.register_posyandu,),
    requires_posyandu=True,
)

REFERRALS = Dataset(
    name="referrals",
    title="Rujukan / referrals",
    natural_key=("referral_id",),
    columns=REGION_COLUMNS + POSYANDU_COLUMNS + (
        Column("referral_id", "id", ("no rujukan", "nomor rujukan", "id rujukan", "kode rujukan", "no. rujukan"),
               required=True),
        Column("referred_on", "date", ("tgl rujukan", "tanggal rujukan", "tanggal dirujuk", "tgl dirujuk",
                                       "tgl rujuk", "tanggal rujuk"), required=True),
        Column("subject_type", "vocab:SUBJECT_TYPES", ("sasaran", "jenis sasaran", "kelompok sasaran", "subjek"),
               required=True),
        Column("reason_category", "vocab:REASON_CATEGORIES", ("alasan rujukan", "kategori", "kategori rujukan",
                                                              "kasus", "jenis kasus", "alasan"), required=True),
        Column("destination_agency", "vocab:AGENCIES", ("tujuan rujukan", "dirujuk ke", "instansi tujuan", "tujuan",
                                                        "opd tujuan"), required=True),
        Column("status", "vocab:STATUSES", ("status", "status rujukan", "status terakhir")),
        Column("received_on", "date", ("tgl diterima", "tanggal diterima")),
        Column("followed_up_on", "date", ("tgl ditindaklanjuti", "tanggal ditindaklanjuti", "tgl tindak lanjut",
                                          "tanggal tindak lanjut")),
        Column("closed_on", "date", ("tgl selesai", "tanggal selesai")),
        Column("refused_on", "date", ("tgl ditolak", "tanggal ditolak")),
        Column("cancelled_on", "date", ("tgl batal", "tanggal batal", "tgl dibatalkan")),
    ),
    ignored=("no", "nama", "nama sasaran", "nik", "alamat", "keterangan", "catatan", "hasil tindak lanjut",
             "kader perujuk", "nama kader", "puskesmas", "pukesmas"),
    validate=rules.referral_rules,
    derive=rules.referral_status,
    after_load=(rules.register_posyandu, rules.replace_referral_events),
)

HOUSEHOLD_NAME_HEADINGS = ("nama kepala rumah tangga", "nama kepala keluarga", "kepala rumah tangga",
                           "nama krt", "nama kk")

PKK_DASAWISMA = Dataset(
    name="pkk_dasawisma",
    title="Rekap Dasa Wisma PKK / PKK Dasa Wisma recap",
    natural_key=("village_code", "rw", "rt", "dasawisma", "period"),
    columns=REGION_COLUMNS + (
        Column("rw", "text", ("rw",)),
        Column("rt", "text", ("rt",)),
        Column("dasawisma", "text", ("dasa wisma", "nama dasa wisma", "dasawisma", "kelompok dasa wisma",
                                     "nama kelompok dasa wisma")),
        Column("period", "month", ("periode", "bulan", "bulan laporan", "periode laporan")),
        Column("year", "count", ("tahun", "thn", "tahun laporan")),
        Column("kk_count", "count", ("jumlah kk", "jml kk", "kk")),
        Column("households", "count", ("jumlah krt", "jumlah rumah tangga", "jml krt", "krt")),
        Column("members_balita", "count", ("balita", "jumlah balita", "anggota balita")),
        Column("members_pus", "count", ("pus",)),
        Column("members_wus", "count", ("wus",)),
        Column("members_ibu_hamil", "count", ("ibu hamil", "bumil")),
        Column("members_menyusui", "count", ("ibu menyusui", "menyusui")),
        Column("members_lansia", "count", ("lansia",)),
        Column("members_buta_huruf", "count", ("buta huruf", "3 buta", "buta aksara")),
        Column("members_berkebutuhan_khusus", "count", ("berkebutuhan khusus", "disabilitas", "abk")),
        Column("households_rumah_sehat", "count", ("rumah sehat", "sehat layak huni", "rumah sehat layak huni")),
        Column("households_jamban", "count", ("jamban", "memiliki jamban", "jamban keluarga", "memiliki jamban keluarga")),
        Column("households_air_bersih", "count", ("air bersih", "sumber air bersih", "pdam/sumur", "sumber air pdam sumur")),
        Column("households_tempat_sampah", "count", ("tempat sampah", "pembuangan sampah", "memiliki tempat sampah")),
        Column("households_spal", "count", ("spal", "saluran pembuangan air limbah", "memiliki spal")),
        Column("households_stiker_p4k", "count", ("stiker p4k", "menempel stiker p4k", "p4k")),
        Column("households_makanan_pokok_beras", "count", ("makanan pokok beras", "beras")),
        Column("households_pekarangan", "count", ("pemanfaatan pekarangan", "pekarangan", "memanfaatkan pekarangan",
                                                             "pemanfaatan tanah pekarangan")),
        Column("households_industri_rt", "count", ("industri rumah tangga", "industri rt")),
        Column("households_up2k", "count", ("up2k",)),
        Column("households_kerja_bakti", "count", ("kerja bakti", "kegiatan kerja bakti", "kesehatan lingkungan")),
        # The printed recap ("Rekapitulasi Catatan Data dan Kegiatan Warga", see dashboard.ingest.recap):
        # members by sex, whose L/P pairs the derive hook adds into the totals above; water by source.
        Column("members_male", "count", ("total l", "jumlah l", "jumlah anggota keluarga l", "laki laki")),
        Column("members_female", "count", ("total p", "jumlah p", "jumlah anggota keluarga p", "perempuan")),
        *(Column(f"{name}_{sex}", "count", tuple(f"{alias} {letter}" for alias in aliases))
          for name, aliases in (("members_balita", ("balita",)), ("members_lansia", ("lansia",)),
                                ("members_buta_huruf", ("3 buta", "buta huruf", "buta aksara")),
                                ("members_berkebutuhan_khusus", ("berkebutuhan khusus", "abk", "disabilitas")))
          for sex, letter in (("l", "l"), ("p", "p"))),
        Column("households_air_pdam", "count", ("pdam", "sumber air pdam", "air pdam")),
        Column("households_air_sumur", "count", ("sumur", "sumber air sumur", "air sumur")),
        Column("households_air_sungai", "count", ("sungai", "sumber air sungai", "air sungai")),
        Column("households_air_lainnya", "count", ("sumber air lainnya", "sumber air keluarga lainnya",
                                                    "sumber air dll", "lainnya", "dll", "lain lain")),
        Column("households_makanan_pokok_non_beras", "count", ("makanan pokok non beras", "non beras")),
    ),
    ignored=("no", "keterangan", "ket", *HOUSEHOLD_NAME_HEADINGS, "jumlah rt", "jumlah rw", "jumlah dasa wisma",
             "jml dasa wisma", "jumlah dasawisma",
             "tidak sehat layak huni"),
    validate=rules.period_rules("period"),
    derive=rules.dasawisma_totals(("rw", "rt", "dasawisma")),
    # The KELOMPOK form written one row per household is summed to its Dasa Wisma group by
    # ``recap.summed_households``; a heading naming the head of household marks it (never stored).
    extra={"printed_recap": True, "household_name": HOUSEHOLD_NAME_HEADINGS},
    links_posyandu=False,
    year_alone_is_january=True,
)



def _field_columns() -> tuple[Column, ...]:
    """The register's columns per SPM field: served (Ya/Tidak), cadres, cadres trained. Headings name the
    field as ``vocab.SPM_FIELDS`` spells it: "Layanan Kesehatan", "Kader PUPR", "Kader PUPR Terlatih"."""
    columns = []
    for code, spellings in SPM_FIELDS.items():
        columns += [
            Column(f"serves_{code}", "yesno", tuple(f"{w} {s}" for s in spellings for w in ("layanan", "melayani")),
                   description=f"Ya/Tidak: posyandu melayani bidang {spellings[0]} / serves this field"),
            Column(f"cadres_{code}", "count", tuple(f"{w} {s}" for s in spellings for w in ("kader", "jumlah kader")),
                   description=f"jumlah kader bidang {spellings[0]} / cadres for this field"),
            Column(f"trained_{code}", "count", tuple(f"{w} {s} terlatih" for s in spellings
                                                     for w in ("kader", "jumlah kader")),
                   description=f"dari kader itu, yang sudah dilatih / of them, trained"),
        ]
    return tuple(columns)


# The posyandu as a village institution (Permendagri 13/2024): read from the register template and from
# the same headings inside any posyandu register; stored in ``posyandu_institution`` by a hook.
INSTITUTION_COLUMNS = (
    Column("registered_on", "date", ("tanggal registrasi", "tgl registrasi", "tanggal registrasi kemendagri",
                                     "tgl register", "tanggal register"),
           description="tanggal nomor registrasi Kemendagri terbit / date the Kemendagri number was issued"),
    Column("sk_present", "yesno", ("sk pembentukan", "ada sk", "sk", "sk posyandu", "sk pembentukan posyandu"),
           description="Ya/Tidak: ada SK pembentukan (kepala desa) / founding decree present"),
) + _field_columns()

POSYANDU = Dataset(
    name="posyandu",
    title="Daftar posyandu / posyandu register",
    natural_key=("posyandu_id",),
    columns=REGION_COLUMNS + (
        Column("posyandu_register", "text", POSYANDU_COLUMNS[0].aliases + ("no registrasi kemendagri",),
               description="nomor registrasi Kemendagri PP.KK.CC.DDDD.NNN (kosong bila belum) / "
                           "Kemendagri registration number (empty when not yet registered)"),
        Column("posyandu_name", "text", POSYANDU_COLUMNS[1].aliases, required=True),
        Column("rw", "text", ("rw",)),
    ) + INSTITUTION_COLUMNS,
    ignored=("no", "alamat", "alamat posyandu", "ketua", "nama ketua", "no hp", "telepon", "keterangan",
             "strata", "jumlah kader"),
    validate=rules.institution_rules,
    derive=rules.posyandu_name,
    after_load=(rules.store_institution,),
    hook_tables=("posyandu_institution",),
    requires_posyandu=True,
)

POSYANDU_ACTIVITY = Dataset(
    name="posyandu_activity",
    title="Kegiatan posyandu 6 bidang SPM / posyandu activity in the six SPM fields",
    natural_key=("posyandu_id", "month", "field"),
    columns=REGION_COLUMNS + POSYANDU_COLUMNS + (
        Column("month", "month", ("bulan", "periode", "bulan laporan", "bln"), required=True,
               description="bulan kegiatan / month of the activities"),
        Column("year", "count", ("tahun", "thn"), description="tahun, bila kolom Bulan hanya nama bulan / year"),
        Column("field", "vocab:SPM_FIELDS", ("bidang", "bidang spm", "bidang layanan", "bidang kegiatan"),
               required=True, description="bidang SPM / SPM field"),
        Column("activities", "count", ("jumlah kegiatan", "kegiatan", "jml kegiatan", "banyak kegiatan"),
               description="kegiatan yang dilaksanakan bulan itu di bidang ini / activities held"),
        Column("people_reached", "count", ("jumlah sasaran terlayani", "sasaran terlayani", "jumlah terlayani",
                                           "orang terlayani", "penerima manfaat", "jumlah penerima manfaat"),
               description="orang yang dilayani atau dijangkau / people reached"),
    ),
    ignored=("no", "keterangan", "ket", "uraian kegiatan", "nama kegiatan"),
    validate=rules.period_rules("month"),
    after_load=(rules.register_posyandu,),
    requires_posyandu=True,
)

PROGRAMME_VILLAGES = Dataset(
    name="programme_villages",
    title="Desa program (P2WKSS, Posyandra, lokus stunting) / programme villages",
    natural_key=("village_code", "programme"),
    columns=REGION_COLUMNS + (
        Column("programme", "vocab:PROGRAMMES", ("program", "jenis program", "nama program", "program desa"),
               required=True, description="p2wkss (desa binaan), posyandra atau lokus stunting"),
        Column("programme_year", "count", ("tahun", "tahun program", "tahun binaan", "tahun lokus"),
               description="tahun program (desa binaan P2WKSS, lokus stunting) / programme year"),
        Column("started_on", "date", ("tanggal mulai", "tgl mulai", "tanggal peresmian", "tgl peresmian",
                                      "tanggal dibuka", "mulai"),
               description="tanggal mulai atau peresmian (Posyandra) / start or opening date"),
    ),
    ignored=("no", "keterangan", "ket", "catatan"),
    validate=rules.programme_rules,
    links_posyandu=False,
)

DATASETS: dict[str, Dataset] = {d.name: d for d in (MEASUREMENTS, POSYANDU_MONTHLY, REFERRALS, PKK_DASAWISMA, POSYANDU,
                                                    POSYANDU_ACTIVITY, PROGRAMME_VILLAGES)}
