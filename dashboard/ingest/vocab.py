"""Controlled vocabularies: what exports write, mapped to canonical codes.

Keys are canonical codes stored in the database; values are the spellings seen in exports
(compared after lower-casing and dropping everything but letters and digits). A value that
matches none is rejected with the list of accepted codes, never guessed.
"""

from __future__ import annotations

SUBJECT_TYPES = {
    "balita": ("balita", "anak balita", "bayi", "baduta"),
    "ibu_hamil": ("ibu hamil", "bumil", "ibu_hamil", "ibu hamil/nifas", "ibu nifas"),
    "keluarga": ("keluarga", "kk", "rumah tangga", "ruta"),
    "lansia": ("lansia", "lanjut usia"),
    "remaja": ("remaja", "anak usia sekolah", "usia sekolah", "anak sekolah"),
    "lainnya": ("lainnya", "lain lain", "lain-lain", "dewasa", "usia produktif"),
}

# Reason categories and the SPM field they fall under (kesehatan or a social field).
REASON_CATEGORIES = {
    "gizi_buruk": ("gizi buruk", "severe wasting", "wasting berat", "gizi_buruk"),
    "stunting": ("stunting", "pendek", "sangat pendek", "tb/u kurang"),
    "2t": ("2t", "2 t", "dua kali tidak naik", "bb tidak naik 2 kali", "tidak naik 2x"),
    "bgm": ("bgm", "bawah garis merah"),
    "gizi_kurang": ("gizi kurang", "wasting", "gizi_kurang"),
    "bumil_kek": ("kek", "bumil kek", "ibu hamil kek", "kurang energi kronis", "lila < 23,5", "lila kurang"),
    "bumil_anemia": ("anemia", "bumil anemia", "ibu hamil anemia"),
    "bumil_risti": ("risti", "risiko tinggi", "bumil risti", "kehamilan risiko tinggi", "ibu hamil risiko tinggi"),
    "kesehatan_lain": ("kesehatan lainnya", "sakit", "penyakit", "kesehatan"),
    "kekerasan_anak": ("kekerasan anak", "kekerasan terhadap anak", "kdrt anak", "perlindungan anak"),
    "keluarga_miskin": ("keluarga miskin", "miskin", "kemiskinan", "rumah tangga miskin", "bansos"),
    "putus_sekolah": ("anak tidak sekolah", "putus sekolah", "ats", "tidak sekolah"),
    "disabilitas": ("disabilitas", "penyandang disabilitas", "berkebutuhan khusus"),
    "rumah_tidak_layak": ("rumah tidak layak huni", "rtlh", "perumahan", "rumah tidak layak"),
    "adminduk": ("adminduk", "akta kelahiran", "kk/ktp", "dokumen kependudukan", "catatan sipil", "tidak punya akta"),
    "ketertiban": ("ketertiban", "trantibum", "ketenteraman dan ketertiban"),
    "bencana": ("bencana", "kebencanaan", "korban bencana"),
}

# SPM field of each reason category (Permendagri 13/2024); drives default SLAs and grouping.
REASON_FIELD = {
    "gizi_buruk": "kesehatan", "stunting": "kesehatan", "2t": "kesehatan", "bgm": "kesehatan",
    "gizi_kurang": "kesehatan", "bumil_kek": "kesehatan", "bumil_anemia": "kesehatan",
    "bumil_risti": "kesehatan", "kesehatan_lain": "kesehatan",
    "kekerasan_anak": "sosial", "keluarga_miskin": "sosial", "disabilitas": "sosial",
    "putus_sekolah": "pendidikan", "rumah_tidak_layak": "perumahan_rakyat",
    "adminduk": "sosial", "ketertiban": "trantibumlinmas", "bencana": "perlindungan_masyarakat",
}

AGENCIES = {
    "puskesmas": ("puskesmas", "pkm", "pukesmas", "puskesmas pembantu", "pustu"),
    "rumah_sakit": ("rumah sakit", "rs", "rsud"),
    "dinas_kesehatan": ("dinas kesehatan", "dinkes"),
    "dinas_sosial": ("dinas sosial", "dinsos"),
    "dp3a": ("dp3a", "dp3akb", "dppkbp3a", "dinas pemberdayaan perempuan dan perlindungan anak", "uptd ppa"),
    "dinas_pendidikan": ("dinas pendidikan", "disdik", "dindik", "disdikbud"),
    "disdukcapil": ("disdukcapil", "dukcapil", "dinas kependudukan dan pencatatan sipil"),
    "dinas_pupr_perkim": ("dinas pupr", "pupr", "perkim", "dinas perkim", "disperkim", "dinas pupr/perkim"),
    "satpol_pp": ("satpol pp", "satpolpp", "satuan polisi pamong praja"),
    "bpbd": ("bpbd", "badan penanggulangan bencana daerah"),
    "pemdes": ("pemerintah desa", "pemdes", "kantor desa"),
    "lainnya": ("lainnya", "lain lain", "lain-lain"),
}

# Status codes in their life-cycle order. Backlog = not yet selesai or batal (domain rule): a
# referral the destination refused (ditolak) stays open until it is re-routed or cancelled.
STATUSES = {
    "dirujuk": ("dirujuk", "rujuk", "baru", "dikirim", "referred"),
    "diterima": ("diterima", "terima", "received", "accepted"),
    "ditindaklanjuti": ("ditindaklanjuti", "tindak lanjut", "diproses", "proses", "dalam proses", "in progress"),
    "selesai": ("selesai", "tuntas", "closed", "done", "completed"),
    "ditolak": ("ditolak", "tolak", "rejected"),
    "batal": ("batal", "dibatalkan", "cancelled", "canceled"),
}
STATUS_ORDER = ("dirujuk", "diterima", "ditindaklanjuti", "selesai", "ditolak", "batal")
CLOSED_STATUSES = ("selesai", "batal")

STRATA = {
    "pratama": ("pratama", "1", "i"),
    "madya": ("madya", "2", "ii"),
    "purnama": ("purnama", "3", "iii"),
    "mandiri": ("mandiri", "4", "iv"),
}

# The six SPM fields a posyandu serves (Permendagri 13/2024), in the catalogue's order
# (``[spm] fields``); the spellings are also how template headings name a field ("Kader PUPR").
SPM_FIELDS = {
    "kesehatan": ("kesehatan", "bidang kesehatan"),
    "pendidikan": ("pendidikan", "bidang pendidikan"),
    "sosial": ("sosial", "bidang sosial"),
    "perumahan_rakyat": ("pupr", "pekerjaan umum dan perumahan rakyat", "perumahan rakyat", "pu dan perumahan rakyat",
                         "perumahan"),
    "trantibumlinmas": ("trantibum", "ketenteraman dan ketertiban umum", "ketertiban umum", "ketertiban"),
    "perlindungan_masyarakat": ("linmas", "perlindungan masyarakat"),
}

# Programmes a village can be marked with (the programme villages template).
PROGRAMMES = {
    "p2wkss": ("p2wkss", "desa binaan p2wkss", "desa binaan", "binaan p2wkss"),
    "posyandra": ("posyandra", "pos pelayanan desa sejahtera", "lokasi posyandra"),
    "lokus_stunting": ("lokus stunting", "lokus", "desa lokus stunting", "lokasi fokus stunting"),
}
