"""The empty ``.xlsx`` templates for data no national system exports (the posyandu register as an
institution, the six-field monthly report, programme villages): a "Data" sheet whose headings the
importer recognises and a "Petunjuk" sheet describing each column. Written from the dataset
declarations, so a template and the importer cannot disagree.

    python -m dashboard.ingest.templates docs/templates
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dashboard.ingest.datasets import DATASETS, Column
from dashboard.ingest import vocab

# template file -> (dataset, its columns in the order of the template)
TEMPLATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "register_posyandu": ("posyandu", ("village_code", "kabkota_name", "kecamatan_name", "desa_name",
                                       "posyandu_register", "posyandu_name", "rw", "registered_on", "sk_present",
                                       *(f"{part}_{field}" for field in vocab.SPM_FIELDS
                                         for part in ("serves", "cadres", "trained")))),
    "kegiatan_6_bidang": ("posyandu_activity", ("village_code", "kabkota_name", "kecamatan_name", "desa_name",
                                                "posyandu_register", "posyandu_name", "month", "year", "field",
                                                "activities", "people_reached")),
    "desa_program": ("programme_villages", ("village_code", "kabkota_name", "kecamatan_name", "desa_name",
                                            "programme", "programme_year", "started_on")),
}

_ACRONYMS = {"pupr", "sk", "rw", "rt", "p2wkss"}
_KINDS = {
    "code": "kode Kemendagri, contoh 36.04.15.2001 / Kemendagri code",
    "text": "teks / text",
    "date": "tanggal dd/mm/yyyy / date",
    "month": "bulan, contoh 'Januari 2026' atau 2026-01 / month",
    "count": "bilangan bulat >= 0 / whole number",
    "yesno": "Ya/Tidak / yes or no",
}


def heading(column: Column) -> str:
    """The heading a template writes for a column: its first alias, capitalised ('Kader PUPR')."""
    return " ".join(w.upper() if w in _ACRONYMS else w.capitalize() for w in column.aliases[0].split())


def kind_text(column: Column) -> str:
    if column.kind.startswith("vocab:"):
        return "salah satu / one of: " + ", ".join(spellings[0] for spellings in
                                                   getattr(vocab, column.kind.split(":", 1)[1]).values())
    return _KINDS.get(column.kind, column.kind)


def write_template(name: str, path: Path, rows: Iterable[dict] = ()) -> Path:
    """One template as an ``.xlsx`` at ``path``, empty or with ``rows`` (canonical column -> value) filled in."""
    dataset_name, names = TEMPLATES[name]
    dataset = DATASETS[dataset_name]
    columns = [dataset.column(n) for n in names]
    book = openpyxl.Workbook(write_only=True)     # streams: a filled template may hold many rows
    data = book.create_sheet("Data")
    bold = []
    for column in columns:
        cell = WriteOnlyCell(data, heading(column))
        cell.font = Font(bold=True)
        bold.append(cell)
    data.append(bold)
    for row in rows:
        data.append([row.get(n) for n in names])
    guide = book.create_sheet("Petunjuk")
    guide.append(["Kolom / column", "Wajib / required", "Isian / value", "Keterangan / description"])
    for column in columns:
        guide.append([heading(column), "ya" if column.required else "", kind_text(column), column.description])
    guide.append([])
    guide.append(["Satu baris per " + ("posyandu" if dataset_name == "posyandu" else "isian") + "; kode desa atau "
                  "nama kabupaten/kecamatan/desa menentukan wilayah. Impor lewat halaman Impor atau "
                  "'python -m dashboard import FILE'."])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_all(folder: Path) -> list[Path]:
    return [write_template(name, folder / f"{name}.xlsx") for name in TEMPLATES]


if __name__ == "__main__":
    for written in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/templates")):
        print(written)
