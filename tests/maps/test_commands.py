"""``python -m dashboard boundaries check|prepare``: a deployment's file is reported before use, refused
when its codes match fewer than half the villages of its provinces, and a bad file is one line."""

from __future__ import annotations

import geopandas as gpd
import pytest

from dashboard.cli import main
from dashboard.maps import boundaries
from tests.maps.conftest import BANTEN, need


@pytest.fixture(scope="module")
def banten_files(tmp_path_factory):
    """Files cut from the bundle the way deployments write them: BIG-style (10-digit codes in KDEPUM,
    UTM zone 48S) for all of Banten, and a GeoJSON of only a third of its villages."""
    folder = tmp_path_factory.mktemp("deployment")
    villages = gpd.read_parquet(need(BANTEN))
    big = villages.rename(columns={"code": "KDEPUM", "name": "NAMOBJ"}).to_crs("EPSG:32748")
    big["KDEPUM"] = big["KDEPUM"].str.replace(".", "", regex=False)
    big.to_file(folder / "batas_desa_banten.gpkg", driver="GPKG")
    villages.iloc[::3].to_file(folder / "sepertiga.geojson", driver="GeoJSON")
    (folder / "rusak.geojson").write_text('{"type": "FeatureCollection", "features": [')
    return folder


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(boundaries, "cache_root", lambda: tmp_path / "cache")
    return tmp_path / "cache"


def test_check_prints_the_match_report_and_writes_nothing(banten_files, cache, capsys):
    assert main(["boundaries", "check", str(banten_files / "batas_desa_banten.gpkg")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK  batas_desa_banten.gpkg")
    for line in ("CRS: EPSG:32748; 1,552 polygons", "provinces: 36 Banten", "villages matched: 1,552 of 1,552 (100%)",
                 "villages missing (no polygon): 0", "codes not understood: 0", "duplicated codes (their polygons are merged): 0"):
        assert line in out
    assert not cache.exists()


def test_a_file_matching_a_third_of_its_villages_is_refused_with_the_report(banten_files, cache, capsys):
    third = banten_files / "sepertiga.geojson"
    assert main(["boundaries", "prepare", str(third)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("DITOLAK / REFUSED  sepertiga.geojson")
    assert "villages matched: 518 of 1,552 (33%)" in out and "villages missing (no polygon): 1,034" in out
    assert "missing (first 10 of 1,034):" in out
    assert "fewer than half, so it is not drawn" in out and "Nothing prepared" in out
    assert not cache.exists()
    # The app asks prepare() directly: refused too, and the refusal is remembered, not re-read on each rerun.
    with pytest.raises(boundaries.BoundariesRefused, match="match 518 of the 1,552 villages"):
        boundaries.prepare([third])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(boundaries, "read_boundaries", lambda *a, **k: pytest.fail("the refused file was read again"))
        with pytest.raises(boundaries.BoundariesRefused):
            boundaries.prepare([third])


def test_prepare_builds_the_cache_the_app_loads(banten_files, cache, capsys, monkeypatch):
    big = banten_files / "batas_desa_banten.gpkg"
    assert main(["boundaries", "prepare", str(big)]) == 0
    out = capsys.readouterr().out
    assert "Prepared in" in out and "1,552 desa, 155 kecamatan, 8 kabkota, 1 provinsi" in out
    assert f"export {boundaries.ENV_VAR}={big.resolve()}" in out
    monkeypatch.setenv(boundaries.ENV_VAR, str(big))
    monkeypatch.setattr(boundaries, "read_boundaries", lambda *a, **k: pytest.fail("the app read the file again"))
    prepared = boundaries.prepare(boundaries.boundary_paths())        # what the app does at start
    assert prepared.folder.parent == cache and len(prepared.level("desa")) == 1552


@pytest.mark.parametrize("name, reason", [("rusak.geojson", "Failed to read GeoJSON data"),
                                          ("hilang.shp", "No such file or directory")])
def test_a_bad_file_is_one_line_not_a_traceback(banten_files, cache, capsys, name, reason):
    assert main(["boundaries", "check", str(banten_files / name)]) == 1
    captured = capsys.readouterr()
    lines = captured.out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"GAGAL / FAILED  {name}: ") and reason in lines[0]
    assert "Traceback" not in captured.out + captured.err


def test_bundling_from_a_folder_without_boundaries_is_one_line(tmp_path, capsys):
    (tmp_path / "README.md").write_text("## Source\nx\n## Licence notice\nMIT\n")
    assert main(["boundaries", "bundle", "--from", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out.strip()
    assert out == f"GAGAL / FAILED  {tmp_path}: {tmp_path} holds no GeoJSON file of village boundaries"
