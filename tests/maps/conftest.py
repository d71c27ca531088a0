"""Real village boundaries from ../shared/boundaries (never copied into the project)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.maps import boundaries

SHARED = boundaries.default_boundaries_dir()
BANTEN = SHARED / "desa_36_banten.geojson"
KALTENG = SHARED / "desa_62_kalimantan_tengah.geojson"


def need(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} is absent: the real boundary files live in ../shared/boundaries beside the checkout")
    return path


@pytest.fixture(scope="session")
def banten_prepared(tmp_path_factory) -> boundaries.PreparedMaps:
    """Banten's villages read, cleaned, dissolved and simplified once, into a test cache folder."""
    return boundaries.prepare([need(BANTEN)], cache_dir=tmp_path_factory.mktemp("maps_cache"))


@pytest.fixture(scope="session")
def banten_raw():
    return boundaries.read_boundaries([need(BANTEN)])
