"""The demo's posyandu as six-field institutions, written in the shipped templates
(``dashboard.ingest.templates``) and imported like any office's files: the register (Kemendagri
registration, SK, cadres per field), the six-field monthly reports of the last twelve months, and the
programme villages (P2WKSS desa binaan, lokus stunting at the hotspots, Posyandra, among them
Sindangmandi, Kec. Baros, Kab. Serang, opened 17 December 2025).

Banten's posyandu carry register numbers in the old register; about a third are written here without one
(not yet registered: the registration gap the page shows). Kalimantan Tengah's register names its
posyandu without numbers, so none is registered there.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np

from dashboard.ingest.templates import write_template
from dashboard.ingest.vocab import SPM_FIELDS

SERVES = {"kesehatan": 1.0, "pendidikan": 0.6, "sosial": 0.55, "perumahan_rakyat": 0.25, "trantibumlinmas": 0.2,
          "perlindungan_masyarakat": 0.2}
REGISTERED_SHARE = 0.65
POSYANDRA = {"36.04": ("36.04.22.2007", date(2025, 12, 17))}   # Sindangmandi, Baros, Kab Serang


def _registration_day(rng: np.random.Generator) -> date:
    """Between October 2024 and November 2025: most before the 30 June 2025 deadline, some after."""
    return date(2024, 10, 1) + timedelta(days=int(rng.integers(0, 425)))


def register_rows(kab, rng: np.random.Generator) -> tuple[list[dict], dict[str, list[str]]]:
    """One template row per posyandu of a kab/kota, and the fields each serves (by register number or name)."""
    rows, served = [], {}
    numbered = kab.province == "36"
    for r in kab.posyandu.itertuples(index=False):
        fields = [f for f in SPM_FIELDS if rng.random() < SERVES[f] * (0.6 + 0.6 * r.quality)]
        if "kesehatan" not in fields:
            fields.insert(0, "kesehatan")
        registered = numbered and rng.random() < REGISTERED_SHARE
        row = {"village_code": r.village_code, "posyandu_name": r.name,
               "posyandu_register": r.register if registered else None,
               "registered_on": _registration_day(rng).strftime("%d/%m/%Y") if registered else None,
               "sk_present": "Ya" if rng.random() < 0.8 else "Tidak"}
        for field in SPM_FIELDS:
            row[f"serves_{field}"] = "Ya" if field in fields else "Tidak"
            if field in fields:
                cadres = int(rng.integers(4, 9)) if field == "kesehatan" else int(rng.integers(1, 4))
                row[f"cadres_{field}"], row[f"trained_{field}"] = cadres, int(rng.binomial(cadres, 0.4 + 0.5 * r.quality))
        rows.append(row)
        served[r.name + "|" + r.village_code] = fields
    return rows, served


def activity_rows(kab, served: dict[str, list[str]], months: np.ndarray, rng: np.random.Generator) -> list[dict]:
    """The six-field report of each posyandu for the last twelve months: health on the months it opened,
    the other fields it serves on some months (fewer where it works less well)."""
    rows = []
    last = len(months)
    for i, r in enumerate(kab.posyandu.itertuples(index=False)):
        for m in range(last - 12, last):
            month = months[m].astype("datetime64[D]").item()
            for field in served[r.name + "|" + r.village_code]:
                held = kab.opened[i, m] if field == "kesehatan" else rng.random() < 0.2 + 0.6 * r.quality
                if not held:
                    continue
                activities = int(rng.integers(1, 4)) if field == "kesehatan" else int(rng.integers(1, 3))
                reached = int(rng.integers(15, 60)) if field == "kesehatan" else int(rng.integers(2, 20))
                rows.append({"village_code": r.village_code, "posyandu_name": r.name,
                             "month": f"{month.month:02d}/{month.year}", "field": field,
                             "activities": activities, "people_reached": reached})
    return rows


def programme_rows(kab, rng: np.random.Generator) -> list[dict]:
    """Two P2WKSS desa binaan (2025), the hotspot villages as lokus stunting (2025), one Posyandra."""
    villages = kab.villages.code.tolist()
    rows = [{"village_code": v, "programme": "p2wkss", "programme_year": 2025}
            for v in rng.choice(villages, min(2, len(villages)), replace=False)]
    rows += [{"village_code": v, "programme": "lokus_stunting", "programme_year": 2025}
             for v in kab.villages.code[kab.villages.hotspot]]
    village, opened = POSYANDRA.get(kab.code, (str(rng.choice(villages)), date(2026, 2, 1) + timedelta(
        days=int(rng.integers(0, 120)))))
    rows.append({"village_code": village, "programme": "posyandra", "started_on": opened.strftime("%d/%m/%Y")})
    return rows


def write_institution(kab, out_dir: Path, manifest, months: np.ndarray, rng: np.random.Generator) -> None:
    """The three templates of one kab/kota, filled in and added to the manifest."""
    code = kab.code.replace(".", "")
    register, served = register_rows(kab, rng)
    for name, dataset, rows in (("register_posyandu", "posyandu", register),
                                ("kegiatan_6_bidang", "posyandu_activity", activity_rows(kab, served, months, rng)),
                                ("desa_program", "programme_villages", programme_rows(kab, rng))):
        path = write_template(name, out_dir / f"{name}_{code}.xlsx", rows)
        manifest.add_file(path, dataset, len(rows))
