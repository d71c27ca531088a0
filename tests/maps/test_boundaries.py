"""Boundary files: code normalisation, the join to the region list in every form a file writes the
code, formats (GeoJSON, GeoPackage, zipped Shapefile), dissolving, simplification and the cache."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from dashboard.maps import boundaries
from dashboard.regions import region_frame
from tests.maps.conftest import BANTEN, KALTENG, need


@pytest.mark.parametrize("written, expected", [
    ("36.01.01.2001", "36.01.01.2001"), ("3601012001", "36.01.01.2001"), (3601012001, "36.01.01.2001"),
    (3601012001.0, "36.01.01.2001"), (" 36 01 01 2001 ", "36.01.01.2001"), ("36-71-01-1001", "36.71.01.1001"),
    ("3601012001.0", "36.01.01.2001"), (np.int64(6271011001), "62.71.01.1001"),
])
def test_codes_in_every_spelling_become_dotted(written, expected):
    assert boundaries.normalise_code(written) == expected


@pytest.mark.parametrize("written", ["3601010001", "360101200", "36.01.01", "Desa Kamurang", None, float("nan"),
                                     3601012001.5, True, "0601012001", "3600012001"])
def test_what_is_not_a_kemendagri_village_code_is_not_guessed(written):
    assert boundaries.normalise_code(written) is None  # BPS codes (village part 0xxx) included


def test_the_real_banten_file_joins_every_village(banten_raw):
    report = boundaries.match_report(banten_raw, region_frame(), ["36"])
    assert report.counts["villages"] == 1552 and report.counts["matched"] == 1552
    assert report.missing.empty and report.extra.empty and report.duplicated.empty


def _variant(raw: gpd.GeoDataFrame, codes: pd.Series, column: str = "KODE") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({column: codes.to_numpy(), "NAMOBJ": raw["name"].to_numpy()}, geometry=raw.geometry.values,
                            crs="EPSG:4326")


@pytest.mark.parametrize("spelling", ["digits", "number", "spaced"])
def test_a_file_writing_codes_another_way_still_joins(tmp_path, banten_raw, spelling):
    digits = banten_raw["code"].str.replace(".", "", regex=False)
    codes = {"digits": digits, "number": digits.astype("int64"),
             "spaced": banten_raw["code"].str.replace(".", " ", regex=False)}[spelling]
    path = tmp_path / "desa.geojson"
    _variant(banten_raw, codes).to_file(path, driver="GeoJSON")
    read = boundaries.read_boundaries([path])
    assert set(read["code"]) == set(banten_raw["code"])
    assert boundaries.match_report(read, region_frame(), ["36"]).counts["matched"] == 1552


def test_unmatched_villages_and_polygons_are_listed_not_dropped(tmp_path, banten_raw):
    frame = _variant(banten_raw, banten_raw["code"]).iloc[2:].copy()        # two villages have no polygon
    frame.iloc[0, 0] = "36.99.99.2999"                                       # a code the region list lacks
    frame.iloc[1, 0] = "3601010001"                                          # a BPS code
    dropped = set(banten_raw["code"].iloc[:2]) | {banten_raw["code"].iloc[2], banten_raw["code"].iloc[3]}
    path = tmp_path / "desa.gpkg"
    frame.to_file(path, driver="GPKG")
    report = boundaries.match_report(boundaries.read_boundaries([path]), region_frame(), ["36"])
    assert set(report.missing["code"]) == dropped and report.counts["matched"] == 1552 - 4
    assert set(report.extra["code"]) == {"36.99.99.2999", "3601010001"}
    reasons = dict(zip(report.extra["code"], report.extra["reason"]))
    assert reasons["36.99.99.2999"] == "not a village in the region list"
    assert reasons["3601010001"].startswith("code not understood")


def test_a_zipped_shapefile_with_a_named_code_property_is_read(tmp_path, banten_raw):
    folder = tmp_path / "shp"
    folder.mkdir()
    subset = banten_raw.loc[banten_raw["code"].str.startswith("36.72")]    # Kota Cilegon
    _variant(subset, subset["code"].str.replace(".", "", regex=False), "KDEPUM").to_file(folder / "desa.shp")
    archive = tmp_path / "desa.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for part in folder.iterdir():
            handle.write(part, part.name)
    read = boundaries.read_boundaries([archive], code_property="KDEPUM")
    assert sorted(read["code"]) == sorted(subset["code"])
    with pytest.raises(KeyError, match="no property 'NOPE'"):
        boundaries.read_boundaries([archive], code_property="NOPE")


def test_a_file_without_codes_says_so(tmp_path, banten_raw):
    path = tmp_path / "no_codes.geojson"
    gpd.GeoDataFrame({"nama": banten_raw["name"]}, geometry=banten_raw.geometry.values, crs="EPSG:4326").to_file(path)
    with pytest.raises(ValueError, match="no property looks like a village code"):
        boundaries.read_boundaries([path])
    assert not boundaries.holds_villages(path)


def test_every_banten_village_of_the_region_list_is_drawn(banten_prepared):
    villages = region_frame().query("level == 'desa' and province_code == '36'")
    drawn = banten_prepared.level("desa", "36")
    assert sorted(drawn["code"]) == sorted(villages["code"])
    geometries = drawn.geometry.values
    assert shapely.is_valid(geometries).all() and not shapely.is_empty(geometries).any()
    assert set(drawn.geometry.geom_type) <= {"Polygon", "MultiPolygon"}
    assert set(banten_prepared.features("desa", "36")) == set(villages["code"])


def test_simplification_keeps_every_polygon_valid_and_neighbours_touching(banten_prepared, banten_raw):
    simplified = banten_prepared.level("desa")
    assert len(simplified) == len(banten_raw) == 1552
    assert shapely.is_valid(simplified.geometry.values).all()
    assert shapely.coverage_is_valid(simplified.geometry.values)           # no overlaps, shared edges identical
    before = shapely.get_num_coordinates(banten_raw.geometry.values).sum()
    after = shapely.get_num_coordinates(simplified.geometry.values).sum()
    assert after < before / 2
    # Simplification moves edges, not villages: each simplified village still covers most of its original.
    original = dict(zip(banten_raw["code"], banten_raw.geometry.values))
    shared = shapely.area(shapely.intersection(simplified.geometry.values,
                                               np.array([original[c] for c in simplified["code"]], dtype=object)))
    assert np.median(shared / shapely.area(simplified.geometry.values)) > 0.9


def test_outlines_are_dissolved_from_villages(banten_prepared):
    regions = region_frame()
    for level, count in (("kecamatan", 155), ("kabkota", 8), ("provinsi", 1)):
        frame = banten_prepared.level(level)
        assert len(frame) == count
        assert set(frame["code"]) == set(regions.query(f"level == '{level}' and province_code == '36'")["code"])
        assert shapely.is_valid(frame.geometry.values).all()
    villages = shapely.area(banten_prepared.level("desa").geometry.values).sum()  # square degrees: a ratio only
    assert shapely.area(banten_prepared.level("provinsi").geometry.values).sum() == pytest.approx(villages, rel=0.01)
    names = banten_prepared.level("kecamatan").set_index("code")
    assert names.loc["36.04.15", "parent_name"] == "Kabupaten Serang"


def test_prepared_maps_are_cached_and_not_rebuilt(banten_prepared, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the boundary file was read again")

    monkeypatch.setattr(boundaries, "read_boundaries", refuse)
    again = boundaries.prepare([need(BANTEN)], cache_dir=banten_prepared.folder.parent)
    assert again.folder == banten_prepared.folder
    assert len(again.level("desa")) == 1552 and again.report.counts == banten_prepared.report.counts


def test_published_geojson_names_each_village_by_its_code(banten_prepared, tmp_path):
    import json

    name = banten_prepared.published("desa", "36.72", tmp_path)
    collection = json.loads((tmp_path / name).read_text())
    assert sorted(f["id"] for f in collection["features"]) == sorted(banten_prepared.level("desa", "36.72")["code"])
    assert banten_prepared.published("desa", "36.72", tmp_path) == name   # written once


def test_the_boundary_setting_names_files_or_folders(tmp_path, monkeypatch):
    monkeypatch.setenv(boundaries.ENV_VAR, str(tmp_path / "missing.geojson"))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        boundaries.boundary_paths()
    monkeypatch.setenv(boundaries.ENV_VAR, str(tmp_path))                   # an empty folder: no map, no error
    assert boundaries.boundary_paths() == []
    monkeypatch.setenv(boundaries.ENV_VAR, str(need(BANTEN).parent))       # a folder: its village files
    assert [p.name for p in boundaries.boundary_paths()] == ["desa_36_banten.parquet", "desa_62_kalimantan_tengah.parquet"]
    monkeypatch.delenv(boundaries.ENV_VAR)                                  # unset: the bundled files
    assert boundaries.boundary_paths() == [BANTEN, KALTENG]
