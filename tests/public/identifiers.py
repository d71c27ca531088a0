"""Every identifier the demo's source exports hold about a person or a case, to look for in what the
public page shows: NIKs, children's and referral subjects' names, birth dates in the forms exports
and pages write them, referral numbers and posyandu addresses."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.ingest.readers import read_export
from dashboard.regions import region_frame

PERSONAL = {"NIK": "nik", "Nama Anak": "name", "Nama Sasaran": "name", "Tgl Lahir": "birth",
            "No Rujukan": "case", "Alamat": "address"}


def source_identifiers(folder: Path) -> dict[str, set[str]]:
    """kind -> values found in the export files of ``folder``.

    A name that is also a word of a region name ("Putri" in a village name) is left out: the public
    page names regions, and such a word there points at no child.
    """
    found: dict[str, set[str]] = {kind: set() for kind in set(PERSONAL.values())}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".csv", ".xlsx"):
            continue
        raw = read_export(path)
        for position, heading in enumerate(raw.headings):
            if heading in PERSONAL:
                found[PERSONAL[heading]] |= {str(v).strip() for v in raw.cells[position].dropna() if str(v).strip()}
    place_words = {w.lower() for name in region_frame()["name"] for w in re.findall(r"\w+", name)}
    found["name"] = {n for n in found["name"] if n.lower() not in place_words and len(n) >= 3}
    found["nik"] = {n for n in found["nik"] if re.fullmatch(r"\d{16}", n)}
    births = set()
    for text in found.pop("birth"):
        iso = re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", text)
        day = pd.to_datetime(text[:10] if iso else text, format="%Y-%m-%d" if iso else "%d/%m/%Y", errors="coerce")
        if not pd.isna(day):
            births |= {day.strftime("%d/%m/%Y"), day.strftime("%Y-%m-%d")}
    found["birth"] = births
    found["address"] = {a for a in found["address"] if len(a) >= 8}
    return found


def leaks(text: str, identifiers: dict[str, set[str]]) -> list[str]:
    """The identifiers that appear in ``text`` (names as whole words)."""
    hits = []
    for kind, values in identifiers.items():
        for value in values:
            pattern = rf"\b{re.escape(value)}\b" if kind == "name" else re.escape(value)
            if re.search(pattern, text):
                hits.append(f"{kind}: {value}")
    return hits
