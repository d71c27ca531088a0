"""The bundled boundaries: small, complete, a clean coverage, with their source and licence beside them,
the default when no deployment file is configured, and reproducible from the originals by the command."""

from __future__ import annotations

import re
import shutil
import geopandas as gpd
import pytest
import shapely

from dashboard.config import PROJECT_ROOT
from dashboard.maps import boundaries
from dashboard.maps.bundle import MAX_BUNDLE_BYTES, bundle
from dashboard.regions import region_frame
from tests.maps.conftest import BANTEN, KALTENG, need, need_originals


def test_the_bundle_is_small_and_holds_every_village_of_both_provinces():
    files = boundaries.bundled_paths()
    assert files == [need(BANTEN), need(KALTENG)]
    assert sum(path.stat().st_size for path in files) <= MAX_BUNDLE_BYTES == 4_000_000
    villages = region_frame().query("level == 'desa'")
    for path, province, count in ((BANTEN, "36", 1552), (KALTENG, "62", 1571)):
        frame = gpd.read_parquet(path)
        assert frame.crs.to_epsg() == 4326
        assert sorted(frame["code"]) == sorted(villages.loc[villages["province_code"] == province, "code"])
        assert len(frame) == count and frame["name"].notna().all()
        geometries = frame.geometry.values
        assert shapely.is_valid(geometries).all() and set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
        assert shapely.coverage_is_valid(geometries)          # neighbours share edges: no overlaps


def test_source_and_mit_notice_go_with_the_bundle():
    readme = (boundaries.BUNDLED_DIR / "README.md").read_text()
    assert "cahyadsn/wilayah_boundaries" in readme and "3c5a7960f4d227a38489094d84252bdbb3f978a5" in readme
    assert "Copyright (c) 2024 Cahya DSN" in readme
    assert "The above copyright notice and this permission notice shall be included in all" in readme
    assert "boundaries bundle --from" in readme                            # how to rebuild
    for path in boundaries.bundled_paths():
        assert f"`{path.name}`" in readme and f"{path.stat().st_size:,}" in readme


def test_without_a_setting_the_app_uses_the_bundle(monkeypatch):
    monkeypatch.delenv(boundaries.ENV_VAR, raising=False)
    assert boundaries.boundary_paths() == [BANTEN, KALTENG]


def test_no_code_reads_the_shared_folder_beside_the_checkout():
    pattern = re.compile(r"\.\./shared|[\"']shared[\"']\s*/")
    offenders = [str(path.relative_to(PROJECT_ROOT)) for folder in ("dashboard", "scripts")
                 for path in (PROJECT_ROOT / folder).rglob("*") if path.is_file()
                 and path.suffix in {".py", ".sh", ".md", ".toml"} and pattern.search(path.read_text())]
    assert offenders == []


def test_the_bundling_command_reproduces_the_committed_files(tmp_path):
    written = bundle(need_originals(), tmp_path)
    assert [path.name for path in written] == [BANTEN.name, KALTENG.name]
    for path, committed in zip(written, (BANTEN, KALTENG)):
        new, old = gpd.read_parquet(path), gpd.read_parquet(committed)
        assert list(new["code"]) == list(old["code"]) and list(new["name"]) == list(old["name"])
        assert shapely.equals_exact(new.geometry.values, old.geometry.values, tolerance=0).all()
    # Byte counts aside: the CRS that geopandas writes into the GeoParquet metadata (PROJJSON, with or
    # without the WGS 84 datum ensemble) depends on what the process parsed before, not on the data.
    assert _without_bytes((tmp_path / "README.md").read_text()) == _without_bytes(
        (boundaries.BUNDLED_DIR / "README.md").read_text())


def _without_bytes(readme: str) -> str:
    return re.sub(r"\| [\d,]+ \|$", "| BYTES |", re.sub(r"Together [\d,]+ bytes", "Together BYTES", readme), flags=re.M)


def test_bundling_refuses_originals_without_their_licence_notice(tmp_path):
    source = tmp_path / "originals"
    source.mkdir()
    gpd.read_parquet(BANTEN).to_file(source / "desa_36.geojson", driver="GeoJSON")
    (source / "README.md").write_text("# Boundaries\n\n## Source\nsomewhere\n")
    with pytest.raises(ValueError, match="no '## Licence notice' section"):
        bundle(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_bundling_keeps_nothing_stale(tmp_path):
    """A province no longer in the originals does not linger in the output folder."""
    source, out = tmp_path / "originals", tmp_path / "out"
    source.mkdir()
    out.mkdir()
    (out / "desa_99_old.parquet").write_bytes(b"old")
    gpd.read_parquet(BANTEN).to_file(source / "desa_36.geojson", driver="GeoJSON")
    shutil.copyfile(boundaries.BUNDLED_DIR / "README.md", source / "README.md")
    written = bundle(source, out)
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "desa_36_banten.parquet"] == sorted(
        [p.name for p in written] + ["README.md"])
