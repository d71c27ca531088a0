"""Village boundaries: find the files, read them, match them to the region list, dissolve, simplify, cache.

A deployment points ``POSYANDU_BOUNDARIES`` at its official desa/kelurahan polygons (GeoJSON,
GeoPackage, zipped Shapefile or GeoParquet); unset, the simplified Banten and Kalimantan Tengah
villages bundled in ``bundled/`` are used. Files spell village codes in many ways (dotted, 10
digits, numbers), so codes are normalised to the dotted Kemendagri form before the join, and
whatever does not join is reported rather than dropped; a file matching fewer than half the
villages of its provinces is refused. Cleaning the coverage, dissolving and simplifying take
seconds, so ``prepare`` does it once per set of source files and keeps the result on disk as
GeoParquet; later runs only load it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from dashboard.config import PROJECT_ROOT
from dashboard.regions import CODE_WIDTH, region_frame

CACHE_VERSION = "2"
ENV_VAR = "POSYANDU_BOUNDARIES"
CRS = "EPSG:4326"
EXTENSIONS = (".geojson", ".gpkg", ".shp", ".zip", ".parquet")
BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
# A file whose codes match fewer than this share of the villages of its provinces is refused, not drawn.
MIN_MATCHED_SHARE = 0.5
LEVELS = ("desa", "kecamatan", "kabkota", "provinsi")
# Simplification tolerance in degrees (0.001 is about 110 m), chosen so that Banten's 1,552
# villages make a figure of about 1.6 MB.
TOLERANCE = {"desa": 0.001, "kecamatan": 0.002, "kabkota": 0.005, "provinsi": 0.01}
# Holes in a province's villages smaller than this (square degrees, about 12 ha) are slivers
# between villages and go to a neighbour; larger ones (lakes outside any village) stay.
MAX_GAP_AREA = 1e-5
# Grid the figure's GeoJSON coordinates are rounded to (degrees, about 1 m).
FEATURE_PRECISION = 1e-5
NAME_COLUMNS = ("nama_desa", "nama", "name", "desa", "nm_desa", "namobj", "wadmkd", "village")

_SEPARATED = re.compile(r"(\d{2})[.\-/_](\d{2})[.\-/_](\d{2})[.\-/_](\d{4})")
_DIGITS = re.compile(r"(\d{10})(?:\.0*)?")
_POLYGONAL = (3, 6)  # shapely type ids of Polygon and MultiPolygon


def normalise_code(value: object) -> str | None:
    """Dotted Kemendagri village code 'PP.KK.CC.DDDD' from any usual spelling, else None.

    Accepts '36.01.01.2001', '3601012001', 3601012001, 3601012001.0 and spaced forms such as
    ' 36 01 01 2001 '. A value without the Kemendagri shape (a BPS code such as '3601010001',
    whose village part starts with 0, or the wrong number of digits) gives None, so that it is
    reported instead of guessed.
    """
    digits = _code_digits(value)
    if digits is None or not _kemendagri_shape(digits):
        return None
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"


def _code_digits(value: object) -> str | None:
    if value is None or isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        text = str(int(value))
    elif isinstance(value, (float, np.floating)):
        if not np.isfinite(value) or not float(value).is_integer():
            return None
        text = str(int(value))
    else:
        text = re.sub(r"\s+", "", str(value))
    match = _DIGITS.fullmatch(text) or _SEPARATED.fullmatch(text)
    return "".join(match.groups()) if match else None


def _kemendagri_shape(digits: str) -> bool:
    """Province 11-99, kab/kota and kecamatan not 00, village part 1xxx (kelurahan) or 2xxx (desa)."""
    return digits[0] != "0" and digits[2:4] != "00" and digits[4:6] != "00" and digits[6] in "12"


def find_code_column(frame: pd.DataFrame) -> str:
    """The property whose values look most like village codes (at least half of them must)."""
    shares = {}
    for column in frame.columns:
        values = frame[column].dropna()
        if str(values.dtype) == "geometry" or values.empty:
            continue
        shares[column] = values.head(500).map(normalise_code).notna().mean()
    best = max(shares, key=shares.get, default=None)
    if best is None or shares[best] < 0.5:
        raise ValueError(f"no property looks like a village code (properties: {', '.join(map(str, frame.columns))})")
    return best


def bundled_paths(folder: Path = BUNDLED_DIR) -> list[Path]:
    """The simplified village files shipped with the project (one GeoParquet file per province)."""
    return sorted(folder.glob("desa_*.parquet"))


def boundary_paths() -> list[Path]:
    """Boundary files named by ``POSYANDU_BOUNDARIES`` (files or folders, ``os.pathsep``-separated).

    A folder contributes each *.geojson, *.gpkg, *.shp, *.zip and *.parquet inside it whose features
    are villages; a named file is used as it is. Unset: the bundled files.
    """
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return bundled_paths()
    entries = [Path(part).expanduser().resolve() for part in raw.split(os.pathsep) if part.strip()]
    return [path for entry in entries for path in _entry_files(entry)]


def _entry_files(entry: Path) -> list[Path]:
    if entry.is_dir():
        return [path for path in sorted(entry.iterdir())
                if path.is_file() and path.suffix.lower() in EXTENSIONS and holds_villages(path)]
    if entry.is_file():
        return [entry]
    raise FileNotFoundError(f"{ENV_VAR} names {entry}, which does not exist")


def holds_villages(path: Path) -> bool:
    """Whether a boundary file's features are villages (a property holds 10-digit village codes)."""
    stat = path.stat()
    return _holds_villages(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=256)
def _holds_villages(path: str, size: int, mtime_ns: int) -> bool:
    """Remembered on disk too: GDAL parses a whole GeoJSON file to read even its first features."""
    memo = cache_root() / "holds_villages.json"
    key = f"{path}|{size}|{mtime_ns}"
    known = json.loads(memo.read_text()) if memo.is_file() else {}
    if key not in known:
        sample = _attributes(Path(path)).head(200)
        try:
            find_code_column(sample)
            known[key] = True
        except ValueError:
            known[key] = False
        memo.parent.mkdir(parents=True, exist_ok=True)
        staging = memo.with_suffix(f".{os.getpid()}.tmp")
        staging.write_text(json.dumps(known))
        os.replace(staging, memo)
    return known[key]


def _attributes(path: Path) -> pd.DataFrame:
    """A boundary file's properties without its geometry."""
    if path.suffix.lower() == ".parquet":
        return read_source(path).drop(columns="geometry")
    return pyogrio.read_dataframe(path, read_geometry=False, max_features=200)


def read_source(path: Path) -> gpd.GeoDataFrame:
    """One boundary file as geopandas reads it (GDAL opens a .zip holding a Shapefile directly;
    GeoParquet, which this GDAL build cannot read, through pyarrow)."""
    if path.suffix.lower() == ".parquet":
        return gpd.read_parquet(path)
    return gpd.read_file(path, engine="pyogrio")


def read_boundaries(paths: Iterable[Path | str], code_property: str | None = None) -> gpd.GeoDataFrame:
    """Every polygon of the files: GeoDataFrame[code, geometry, source_code, name, source, source_crs] in EPSG:4326.

    ``code`` is the normalised dotted code, or None where the file's value is not a village code
    (``source_code`` keeps the value as written, ``name`` the file's name property if it has one,
    ``source_crs`` the file's own CRS, for the match report). Invalid geometries are repaired with
    ``make_valid``.
    """
    frames = [_read_one(Path(path), code_property) for path in paths]
    if not frames:
        return gpd.GeoDataFrame({"code": [], "source_code": [], "name": [], "source": [], "source_crs": []},
                                geometry=gpd.GeoSeries([], crs=CRS), crs=CRS)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=CRS)


def _read_one(path: Path, code_property: str | None) -> gpd.GeoDataFrame:
    source = read_source(path)
    frame = _in_degrees(source, path)
    column = code_property or find_code_column(frame.drop(columns=frame.geometry.name))
    if column not in frame.columns:
        raise KeyError(f"{path.name} has no property {column!r} (properties: {', '.join(frame.columns)})")
    return gpd.GeoDataFrame({
        "code": frame[column].map(normalise_code).astype(object),
        "geometry": repaired(frame.geometry.values),
        "source_code": frame[column].map(_as_text).astype(object),
        "name": _file_names(frame),
        "source": path.name,
        "source_crs": _crs_name(source.crs),
    }, geometry="geometry", crs=CRS)


def _crs_name(crs) -> str:
    """'EPSG:32748', the CRS's own name where it has no EPSG code, or 'none (lon/lat assumed)'."""
    if crs is None:
        return "none (lon/lat assumed)"
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.name


def _in_degrees(frame: gpd.GeoDataFrame, path: Path) -> gpd.GeoDataFrame:
    """The frame in EPSG:4326; a file without a CRS is taken as lon/lat only if it looks like degrees."""
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds if len(frame) else (0, 0, 0, 0)
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise ValueError(f"{path.name} has no coordinate reference system and its coordinates are not degrees")
        return frame.set_crs(CRS)
    return frame if frame.crs.to_epsg() == 4326 else frame.to_crs(CRS)


def _as_text(value: object) -> str:
    if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
        return str(int(value))
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()


def _file_names(frame: pd.DataFrame) -> pd.Series:
    by_lower = {str(column).lower(): column for column in frame.columns}
    column = next((by_lower[name] for name in NAME_COLUMNS if name in by_lower), None)
    return frame[column].astype(object) if column is not None else pd.Series(None, index=frame.index, dtype=object)


def repaired(geometries: Iterable) -> np.ndarray:
    """The geometries with invalid ones fixed by ``make_valid`` (structure method: polygons stay polygons)."""
    out = np.array(geometries, dtype=object)
    broken = ~shapely.is_valid(out) & ~shapely.is_missing(out)
    out[broken] = shapely.make_valid(out[broken], method="structure", keep_collapsed=False)
    return out


def polygonal(geometries: Iterable) -> np.ndarray:
    """True where a geometry is a non-empty Polygon or MultiPolygon."""
    geometries = np.array(geometries, dtype=object)
    return np.isin(shapely.get_type_id(geometries), _POLYGONAL) & ~shapely.is_empty(geometries)


@dataclass(frozen=True)
class MatchReport:
    """How polygons join the region list. Nothing is dropped without appearing here.

    missing: villages of the provinces without a polygon (code, name).
    extra: polygons that are not a usable village of the list (code, name, source, reason): a code
        not in the list (still drawn), a code not understood or an empty/non-polygon geometry (not drawn).
    duplicated: codes carried by several polygons (code, name, polygons); their polygons are merged.
    """

    missing: pd.DataFrame
    extra: pd.DataFrame
    duplicated: pd.DataFrame
    counts: dict[str, int]


def match_report(boundaries: pd.DataFrame, regions: pd.DataFrame, provinces: Iterable[str]) -> MatchReport:
    """Villages of ``provinces`` without a polygon, and polygons that are not one of the list's villages."""
    desa = regions.loc[regions["level"] == "desa"]
    names = pd.Series(desa["name"].to_numpy(), index=desa["code"].to_numpy())
    villages = desa.loc[desa["province_code"].isin(list(provinces)), ["code", "name"]]
    reasons = _unmatched_reasons(boundaries, names.index)
    drawable = boundaries["code"].notna() & polygonal(boundaries.geometry.values)
    drawn_codes = boundaries.loc[drawable, "code"]
    missing = villages.loc[~villages["code"].isin(drawn_codes)].astype(object).reset_index(drop=True)
    extra = _extra_rows(boundaries, reasons, names)
    duplicated = _duplicated_rows(drawn_codes, names)
    counts = {"villages": len(villages), "polygons": len(boundaries),
              "matched": int(villages["code"].isin(drawn_codes).sum()), "missing": len(missing),
              "extra": len(extra), "unparsed": int(boundaries["code"].isna().sum()),
              "duplicated": len(duplicated)}
    return MatchReport(missing, extra, duplicated, counts)


class BoundariesRefused(ValueError):
    """Boundary files not drawn because a file's codes match too few villages of its provinces."""


def provinces_of(boundaries: pd.DataFrame) -> list[str]:
    """The province codes that the understood village codes of ``boundaries`` name."""
    return sorted(set(boundaries["code"].dropna().str[:2]))


def file_reports(boundaries: pd.DataFrame, regions: pd.DataFrame) -> dict[str, MatchReport]:
    """One match report per source file, against the villages of the provinces that file's codes name."""
    return {str(name): match_report(part, regions, provinces_of(part))
            for name, part in boundaries.groupby("source", sort=False)}


def refusal(file_name: str, report: MatchReport) -> str | None:
    """Why a file is not drawn (its codes match fewer than half the villages of its provinces), or None."""
    counts = report.counts
    if counts["villages"] and counts["matched"] >= MIN_MATCHED_SHARE * counts["villages"]:
        return None
    if not counts["villages"]:
        return f"{file_name}: none of its {counts['polygons']:,} polygons has the code of a village in the region list"
    return (f"{file_name}: its codes match {counts['matched']:,} of the {counts['villages']:,} villages of its "
            f"province(s) ({counts['matched'] / counts['villages']:.0%}), fewer than half, so it is not drawn")


def _unmatched_reasons(boundaries: pd.DataFrame, known: pd.Index) -> pd.Series:
    code = boundaries["code"]
    written = boundaries["source_code"] if "source_code" in boundaries else code.astype(str)
    reasons = pd.Series(None, index=boundaries.index, dtype=object)
    reasons[~code.isin(known)] = "not a village in the region list"
    reasons[~polygonal(boundaries.geometry.values)] = "empty or not a polygon"
    reasons[code.isna()] = "code not understood: " + written[code.isna()].astype(str)
    return reasons


def _extra_rows(boundaries: pd.DataFrame, reasons: pd.Series, names: pd.Series) -> pd.DataFrame:
    rows = boundaries.loc[reasons.notna()]
    written = rows["source_code"] if "source_code" in rows else rows["code"]
    file_names = rows["name"] if "name" in rows else pd.Series(None, index=rows.index, dtype=object)
    return pd.DataFrame({
        "code": rows["code"].where(rows["code"].notna(), written).astype(object),
        "name": file_names.where(file_names.notna(), rows["code"].map(names)).astype(object),
        "source": rows["source"].astype(object) if "source" in rows else None,
        "reason": reasons[reasons.notna()].astype(object),
    }).reset_index(drop=True)


def _duplicated_rows(codes: pd.Series, names: pd.Series) -> pd.DataFrame:
    counts = codes.value_counts()
    counts = counts[counts > 1].sort_index()
    return pd.DataFrame({"code": counts.index.astype(object), "name": counts.index.map(names).astype(object),
                         "polygons": counts.to_numpy(dtype="int64")})


def villages_of(boundaries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One polygon per parseable code (duplicates merged), sorted by code: GeoDataFrame[code, geometry]."""
    usable = boundaries.loc[boundaries["code"].notna() & polygonal(boundaries.geometry.values)]
    codes, geometries = [], []
    for code, group in usable.groupby("code", sort=True).geometry:
        codes.append(code)
        geometries.append(group.iloc[0] if len(group) == 1 else shapely.union_all(group.values))
    return gpd.GeoDataFrame({"code": pd.Series(codes, dtype=object)}, geometry=repaired(geometries), crs=CRS)


def cleaned(villages: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Villages as an exact coverage per province: overlaps given to one side, shared edges identical,
    and enclosed sliver gaps merged into the neighbour with the longest common border.

    Source files often hold villages simplified one at a time, so neighbours overlap or leave
    hairline gaps; a clean coverage is what lets simplification keep neighbours touching.
    """
    return _per_province(villages, lambda part: _gaps_filled(shapely.coverage_clean(part)))


def _gaps_filled(coverage: np.ndarray) -> np.ndarray:
    """The coverage with each hole of its union smaller than ``MAX_GAP_AREA`` added to one neighbour."""
    gaps = _holes(np.array([shapely.coverage_union_all(coverage)], dtype=object))[0]
    gaps = gaps[shapely.area(gaps) < MAX_GAP_AREA]
    gap_index, village_index = shapely.STRtree(coverage).query(gaps, predicate="intersects")
    if len(gap_index) == 0:
        return coverage
    border = shapely.length(shapely.intersection(shapely.boundary(gaps)[gap_index], coverage[village_index]))
    order = np.lexsort((-border, gap_index))
    first = np.r_[True, gap_index[order][1:] != gap_index[order][:-1]]
    owner, gap = village_index[order][first], gap_index[order][first]
    by_owner = np.argsort(owner, kind="stable")
    owner, gap = owner[by_owner], gap[by_owner]
    rank = np.arange(len(owner)) - np.searchsorted(owner, owner)
    table = np.full((len(coverage), rank.max() + 2), None, dtype=object)
    table[:, 0] = coverage
    table[owner, rank + 1] = gaps[gap]
    return shapely.coverage_union_all(table, axis=1)


def _holes(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Interior rings of the geometries as polygons, with the index of the geometry each belongs to."""
    parts, part_owner = shapely.get_parts(geometries, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    is_hole = np.r_[False, ring_part[1:] == ring_part[:-1]]  # the first ring of each part is its shell
    return shapely.polygons(rings[is_hole]), part_owner[ring_part[is_hole]]


def simplified(frame: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Geometry simplified per province with ``coverage_simplify``, so shared edges stay shared."""
    return _per_province(frame, lambda part: shapely.coverage_simplify(part, tolerance))


def _per_province(frame: gpd.GeoDataFrame, operation) -> gpd.GeoDataFrame:
    """Apply a coverage operation to each province's polygons; repair invalid results, keep the input where empty."""
    original = np.array(frame.geometry.values, dtype=object)
    result = original.copy()
    for index in frame.groupby(frame["code"].str[:2]).indices.values():
        result[index] = operation(original[index])
    result = repaired(result)
    result = np.where(polygonal(result), result, original)
    out = frame.copy()
    out["geometry"] = gpd.GeoSeries(result, index=frame.index, crs=frame.crs)
    return out


def dissolve_levels(villages: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """Kecamatan, kab/kota and province outlines (GeoDataFrame[code, geometry]) as unions of villages.

    Each level is the union of the one below: a fast coverage union when the villages form a clean
    coverage (``prepare`` cleans them first), a general union otherwise. Holes between villages of
    a unit stay unless the villages were ``cleaned``.
    """
    union = shapely.coverage_union_all if shapely.coverage_is_valid(villages.geometry.values) else shapely.union_all
    levels = {}
    units = villages[["code", "geometry"]]
    for level in ("kecamatan", "kabkota", "provinsi"):
        units = _dissolved(units, CODE_WIDTH[level], union)
        levels[level] = units
    return levels


def _dissolved(parts: gpd.GeoDataFrame, width: int, union) -> gpd.GeoDataFrame:
    geometries = np.array(parts.geometry.values, dtype=object)
    groups = parts.groupby(parts["code"].str[:width], sort=True).indices
    unions = [union(geometries[index]) for index in groups.values()]
    return gpd.GeoDataFrame({"code": pd.Series(list(groups), dtype=object)}, geometry=repaired(unions), crs=parts.crs)


@dataclass(frozen=True)
class PreparedMaps:
    """Simplified geometry per level (GeoDataFrame[code, name, parent_name, geometry]) and the match report.

    Treat the frames as read-only: figures cache their GeoJSON per frame object.
    """

    levels: dict[str, gpd.GeoDataFrame]
    report: MatchReport
    folder: Path
    _subsets: dict = field(default_factory=dict, repr=False, compare=False)

    def level(self, name: str, within: str | None = None) -> gpd.GeoDataFrame:
        """One level, optionally only the areas whose code starts with ``within`` ('36', '36.01').

        The same frame object is returned on each call, so its figure GeoJSON is built once.
        """
        if within is None:
            return self.levels[name]
        key = (name, within)
        if key not in self._subsets:
            frame = self.levels[name]
            self._subsets[key] = frame.loc[frame["code"].str.startswith(within)].reset_index(drop=True)
        return self._subsets[key]

    def published(self, name: str, within: str | None, static_dir: Path) -> str:
        """Write one level's GeoJSON under ``static_dir`` once and return its file name.

        The name carries the cache key, so a new boundary file gets a new name and a browser
        never draws stale polygons from its cache.
        """
        file_name = f"{self.folder.name[:16]}_{name}_{within or 'all'}.geojson"
        target = static_dir / file_name
        if not target.is_file():
            static_dir.mkdir(parents=True, exist_ok=True)
            text = json.dumps({"type": "FeatureCollection", "features": list(self.features(name, within).values())},
                              separators=(",", ":"))
            staging = target.with_suffix(f".{os.getpid()}.tmp")
            staging.write_text(text)
            os.replace(staging, target)
        return file_name

    def features(self, name: str, within: str | None = None) -> dict[str, dict]:
        """code -> GeoJSON feature (``id`` = code) of one level, built once per (level, within).

        Coordinates are rounded to 1e-5 degree (about 1 m), far below the simplification
        tolerance, which keeps the figure JSON small.
        """
        key = ("features", name, within)
        if key not in self._subsets:
            frame = self.level(name, within)
            rounded = shapely.set_precision(np.asarray(frame.geometry.values, dtype=object), FEATURE_PRECISION,
                                            mode="pointwise")
            self._subsets[key] = {code: {"type": "Feature", "id": code, "properties": {},
                                         "geometry": json.loads(geometry)}
                                  for code, geometry in zip(frame["code"], shapely.to_geojson(rounded))}
        return self._subsets[key]


def cache_root() -> Path:
    """Folder holding one prepared set of maps per cache key (tests point it elsewhere)."""
    return PROJECT_ROOT / "data" / "cache" / "maps"


def cache_key(paths: Iterable[Path], code_property: str | None = None) -> str:
    """sha256 of the source files (path, size, mtime), the code property and the preparation settings."""
    files = []
    for path in paths:
        stat = Path(path).stat()
        files.append([str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns])
    text = json.dumps([CACHE_VERSION, code_property, TOLERANCE, MAX_GAP_AREA, files])
    return hashlib.sha256(text.encode()).hexdigest()


def prepare(paths: Iterable[Path | str], code_property: str | None = None,
            cache_dir: Path | None = None) -> PreparedMaps:
    """Read, match, clean, dissolve and simplify the boundary files once; later calls load the cache.

    The cache folder is ``cache_dir`` (default ``cache_root()``) / ``cache_key(...)``. Raises
    ``BoundariesRefused`` when a file's codes match fewer than half the villages of its provinces.
    """
    paths = [Path(path).resolve() for path in paths]
    if not paths:
        raise ValueError("no boundary files given")
    folder = (cache_dir or cache_root()) / cache_key(paths, code_property)
    if not folder.is_dir():
        _store(_built(paths, code_property), folder)
    return load_prepared(folder)


def _built(paths: list[Path], code_property: str | None) -> tuple[dict[str, gpd.GeoDataFrame], MatchReport, str]:
    """The simplified levels and the match report; no levels and the reasons when a file is refused."""
    boundaries = read_boundaries(paths, code_property)
    report = match_report(boundaries, region_frame(), provinces_of(boundaries))
    reasons = [reason for name, part in file_reports(boundaries, region_frame()).items()
               if (reason := refusal(name, part))]
    if reasons:
        return {}, report, "; ".join(reasons)
    villages = cleaned(villages_of(boundaries))
    outlines = {"desa": villages, **dissolve_levels(villages)}
    file_names = dict(zip(boundaries["code"], boundaries["name"]))
    levels = {level: _named(simplified(outlines[level], TOLERANCE[level]), file_names) for level in LEVELS}
    return levels, report, ""


def _named(frame: gpd.GeoDataFrame, file_names: dict) -> gpd.GeoDataFrame:
    """The frame with ``name`` and ``parent_name`` from the region list (the file's name where the list lacks the code)."""
    regions = region_frame()
    names = dict(zip(regions["code"], regions["name"]))
    name = frame["code"].map(names)
    name = name.where(name.notna(), frame["code"].map(file_names)).fillna(frame["code"])
    parent = frame["code"].map(lambda code: code.rpartition(".")[0]).map(names)
    return gpd.GeoDataFrame({"code": frame["code"].astype(object), "name": name.astype(object),
                             "parent_name": parent.fillna("").astype(object)},
                            geometry=frame.geometry.values, crs=CRS)


def _store(built: tuple[dict[str, gpd.GeoDataFrame], MatchReport, str], folder: Path) -> None:
    """Write into a temporary folder and rename it, so a half-written cache is never loaded.

    A refusal is stored too (``refused.txt``), so the app does not read a refused file on every rerun.
    """
    levels, report, refused = built
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    for level, frame in levels.items():
        frame.to_parquet(staging / f"{level}.parquet")
    for name in ("missing", "extra", "duplicated"):
        getattr(report, name).astype(object).to_parquet(staging / f"{name}.parquet")
    (staging / "counts.json").write_text(json.dumps(report.counts))
    if refused:
        (staging / "refused.txt").write_text(refused)
    try:
        staging.rename(folder)
    except OSError:  # another process stored the same key first
        shutil.rmtree(staging, ignore_errors=True)


class _LazyLevels(dict):
    """Level name -> GeoDataFrame, each read from its GeoParquet file the first time it is asked for
    (a page drawing kab/kota does not wait for the villages)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def __missing__(self, level: str) -> gpd.GeoDataFrame:
        if level not in LEVELS:
            raise KeyError(level)
        frame = self[level] = gpd.read_parquet(self.folder / f"{level}.parquet")
        return frame


def load_prepared(folder: Path) -> PreparedMaps:
    """A prepared set of maps from its cache folder (levels are read when first used).

    Raises ``BoundariesRefused`` with the reason when the files were refused.
    """
    if (folder / "refused.txt").is_file():
        raise BoundariesRefused((folder / "refused.txt").read_text())
    levels = _LazyLevels(folder)
    frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in ("missing", "extra", "duplicated")}
    report = MatchReport(**frames, counts=json.loads((folder / "counts.json").read_text()))
    return PreparedMaps(levels, report, folder)
