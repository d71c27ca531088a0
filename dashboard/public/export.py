"""The open-data bundle of a ``Publication``: one CSV per published table exactly as the page shows
it (hidden cells empty, rates to one decimal) and ``catatan.json``, a machine-readable note of the
columns, the rules and which rows and columns sum to which, so anyone can check the suppression
(``python -m dashboard publik export --province 36 --year 2025 --out DIR``).

The CSVs are written by ``dashboard.export.csv_bytes``, the product's one CSV writer: numbers stay
numbers (a decimal point, no grouping: machine-readable in any locale), a text cell that a
spreadsheet would take for a formula is quoted, UTF-8 with a byte-order mark (Excel reads the
Indonesian names right; pandas and ``csv`` with ``utf-8-sig`` skip it), CRLF line ends (RFC 4180)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd

from dashboard import export
from dashboard.public import suppress
from dashboard.public.cells import Publication

NOTE = "catatan.json"
# internal column -> (bundle column, Indonesian, English)
COLUMNS = {
    "region_code": ("kode_wilayah", "Kode wilayah Kemendagri", "Kemendagri region code"),
    "name": ("nama_wilayah", "Nama wilayah", "Region name"),
    "level": ("tingkat", "Tingkat wilayah (provinsi, kabkota, desa)", "Region level (province, kab/kota, village)"),
    "parent_code": ("kode_induk", "Kode wilayah yang menjumlahkan baris ini", "Code of the region this row adds up to"),
    "stunted": ("balita_stunting", "Balita stunting (TB/U < -2 SD)", "Stunted children (HAZ < -2 SD)"),
    "measured": ("balita_diukur", "Balita diukur dengan skor-z valid", "Children measured with a valid z-score"),
    "rate": ("prevalensi_stunting_persen", "Prevalensi stunting (%)", "Stunting prevalence (%)"),
    "pratama": ("posyandu_pratama", "Posyandu strata Pratama", "Posyandu at strata Pratama"),
    "madya": ("posyandu_madya", "Posyandu strata Madya", "Posyandu at strata Madya"),
    "purnama": ("posyandu_purnama", "Posyandu strata Purnama", "Posyandu at strata Purnama"),
    "mandiri": ("posyandu_mandiri", "Posyandu strata Mandiri", "Posyandu at strata Mandiri"),
    "posyandu": ("posyandu_total", "Jumlah posyandu", "Posyandu in total"),
    "selesai": ("rujukan_selesai", "Rujukan selesai", "Referrals completed"),
    "batal": ("rujukan_batal", "Rujukan batal", "Referrals cancelled"),
    "terbuka": ("rujukan_terbuka", "Rujukan masih terbuka", "Referrals still open"),
    "dirujuk": ("rujukan_dibuat", "Rujukan dibuat pada tahun ini", "Referrals made in the year"),
    "done": ("rujukan_selesai_persen", "Rujukan selesai (%)", "Referrals completed (%)"),
}
RATES = {"rate", "done"}


def published_frame(publication: Publication, table: str) -> pd.DataFrame:
    """One published table with the bundle's column names: counts as whole numbers, rates to one
    decimal, hidden cells NA; no suppression reasons (those are for audits)."""
    frame = publication.tables[table]
    out = pd.DataFrame(index=frame.index)
    for column, (name, _, _) in COLUMNS.items():
        if column in frame:
            out[name] = frame[column].round(1) if column in RATES else frame[column]
    return out.reset_index(drop=True)


def note(publication: Publication) -> dict:
    """What the bundle holds and how its cells are linked, for people and programs."""
    name = lambda column: COLUMNS[column][0]  # noqa: E731
    tables = {}
    for table, frame in publication.tables.items():
        tables[table] = {
            "file": f"{table}.csv", "key": "kode_wilayah",
            "columns": {COLUMNS[c][0]: {"id": COLUMNS[c][1], "en": COLUMNS[c][2]} for c in COLUMNS if c in frame},
            "counts": [name(c) for c in publication.counts[table]],
        }
        if table in publication.at_most:
            numerator, denominator = publication.at_most[table]
            tables[table]["not_above"] = {name(numerator): name(denominator)}
    sums = []
    for link in publication.sums:
        if link.row_total:
            sums.append({"table": link.table, "row_total": name(link.row_total),
                         "parts": [name(c) for c in link.columns]})
        else:
            sums.append({"columns": [name(c) for c in link.columns], "total": {"table": link.table, "row": link.row},
                         "parts": {"table": link.parts_table, "rows": list(link.parts)}})
    return {
        "province": publication.province, "province_name": publication.province_name, "year": publication.year,
        "referrals_as_of": publication.referrals_as_of.isoformat(),
        "rules": {
            "hidden_cell": "empty",
            "counts_hidden_below": suppress.suppression_threshold(),
            "rate_numerator_hidden_below_denominator": suppress.min_rate_denominator(),
            "zeros_shown": True,
            "hidden_count_at_least": "1; 0 for a numerator whose denominator is hidden or below the minimum",
            "hidden_count_possible_values_at_least": suppress.MIN_VALUES,
            "id": "Sel kosong disembunyikan: jumlah 1 sampai {t} atau sel yang disembunyikan untuk melindunginya. "
                  "Setiap sel tersembunyi masih mempunyai sedikitnya {v} kemungkinan nilai.".format(
                      t=suppress.suppression_threshold() - 1, v=suppress.MIN_VALUES),
            "en": "An empty cell is hidden: a count of 1 to {t} or a cell hidden to protect one. Every hidden "
                  "cell keeps at least {v} possible values.".format(t=suppress.suppression_threshold() - 1,
                                                                     v=suppress.MIN_VALUES),
        },
        "csv": {"encoding": "utf-8-sig", "separator": ",", "decimal": ".", "line_end": "CRLF",
                "formula_text": "a text cell starting with = + - @ is written with a leading '"},
        "tables": tables,
        "sums": sums,
    }


def bundle_files(publication: Publication) -> dict[str, bytes]:
    """File name -> content: the CSVs (``dashboard.export.csv_bytes``: comma separated, formulas defused)
    and the note."""
    files = {f"{table}.csv": export.csv_bytes(published_frame(publication, table)) for table in publication.tables}
    files[NOTE] = json.dumps(note(publication), ensure_ascii=False, indent=1).encode("utf-8")
    return files


def write_bundle(publication: Publication, folder: Path) -> list[Path]:
    """Write the bundle's files into ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for file_name, content in bundle_files(publication).items():
        (folder / file_name).write_bytes(content)
        paths.append(folder / file_name)
    return paths


def bundle_zip(publication: Publication) -> bytes:
    """The bundle as one zip, the open-data download of the public page and the static site."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, content in bundle_files(publication).items():
            archive.writestr(zipfile.ZipInfo(file_name, date_time=(2000, 1, 1, 0, 0, 0)), content,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def bundle_name(publication: Publication) -> str:
    return f"data-publik_{publication.province}_{publication.year}"
