"""Village boundaries for the map tests: the bundled files (in the repository, so never skipped), and
the original files in the boundaries folder beside the checkout, used only by the bundling test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard.maps import boundaries

BANTEN = boundaries.BUNDLED_DIR / "desa_36_banten.parquet"
KALTENG = boundaries.BUNDLED_DIR / "desa_62_kalimantan_tengah.parquet"
# The originals the bundle is derived from (MIT, never copied into the repository).
ORIGINALS = Path(os.environ.get("POSYANDU_ORIGINAL_BOUNDARIES",
                                Path(__file__).resolve().parents[3] / "shared" / "boundaries"))


def need(path: Path) -> Path:
    """A bundled boundary file: it ships with the project, so a missing one fails the test."""
    assert path.is_file(), f"{path} is missing: rebuild it with python -m dashboard boundaries bundle --from FOLDER"
    return path


def need_originals() -> Path:
    if not (ORIGINALS / "desa_36_banten.geojson").is_file():
        pytest.skip(f"the original boundary files are not at {ORIGINALS} (set POSYANDU_ORIGINAL_BOUNDARIES): "
                    "only the bundling command needs them")
    return ORIGINALS


@pytest.fixture(scope="session")
def banten_prepared(tmp_path_factory) -> boundaries.PreparedMaps:
    """Banten's bundled villages read, cleaned, dissolved and simplified once, into a test cache folder."""
    return boundaries.prepare([need(BANTEN)], cache_dir=tmp_path_factory.mktemp("maps_cache"))


@pytest.fixture(scope="session")
def banten_raw():
    return boundaries.read_boundaries([need(BANTEN)])
