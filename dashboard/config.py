"""One frozen settings object; every path and tunable lives here.

Values come from defaults below, overridable by environment variables (``POSYANDU_*``)
so that a deployment changes behaviour without touching code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Paths and limits used across the package."""

    db_path: Path = field(default_factory=lambda: _env_path("POSYANDU_DB", PROJECT_ROOT / "data" / "posyandu.duckdb"))
    queries_dir: Path = PROJECT_ROOT / "queries"
    # Rows above the heading that the reader inspects to find it.
    heading_scan_rows: int = 30
    # Largest file the importer accepts (bytes); the browser upload uses the same limit.
    max_import_bytes: int = int(os.environ.get("POSYANDU_MAX_IMPORT_BYTES", 512 * 1024 * 1024))
    # Plausible ranges; values outside are rejected as recording errors.
    weight_kg_range: tuple[float, float] = (0.5, 50.0)
    lenhei_cm_range: tuple[float, float] = (38.0, 130.0)
    muac_cm_range: tuple[float, float] = (5.0, 40.0)
    # Map background: "white-bg" draws outlines only and needs no internet; a deployment with internet
    # may name a Plotly map style ("open-street-map", "carto-positron") or a MapLibre style URL.
    map_style: str = os.environ.get("POSYANDU_MAP_STYLE", "white-bg")
    # Oldest birth date accepted for a child weighed at a posyandu (years before measurement).
    max_child_age_years: int = 7
    # Logins (dashboard/auth.py): the file of bcrypt hashes (git-ignored), its bcrypt cost, how long
    # a session lasts, and failed logins allowed per user name or client within a window before a lockout.
    users_path: Path = field(default_factory=lambda: _env_path("POSYANDU_USERS", PROJECT_ROOT / "data" / "users.json"))
    bcrypt_rounds: int = field(default_factory=lambda: int(os.environ.get("POSYANDU_BCRYPT_ROUNDS", 12)))
    session_max_age_seconds: float = field(
        default_factory=lambda: float(os.environ.get("POSYANDU_SESSION_HOURS", 8)) * 3600)
    login_max_failures: int = 5
    login_window_seconds: float = 15 * 60
    login_lockout_seconds: float = 15 * 60
    # DejaVu Sans (Debian's fonts-dejavu-core) for the briefing PDF: Indonesian text and symbols such as ≥ ⚠ ›.
    pdf_font_dir: Path = field(default_factory=lambda: _env_path("POSYANDU_PDF_FONT_DIR",
                                                                 Path("/usr/share/fonts/truetype/dejavu")))
    # Import safety (dashboard/ingest): a workbook (a zip) is refused before any parser opens it when its
    # members would expand beyond this size or ratio (zip bombs); CSV lines longer than this are refused;
    # a browser upload is imported in a worker process with these memory and time limits.
    max_unzipped_bytes: int = int(os.environ.get("POSYANDU_MAX_UNZIPPED_BYTES", 1024 * 1024 * 1024))
    max_zip_ratio: float = 200.0
    max_line_bytes: int = 128 * 1024
    import_memory_bytes: int = int(os.environ.get("POSYANDU_IMPORT_MEMORY_BYTES", 3 * 1024 * 1024 * 1024))
    import_timeout_seconds: float = float(os.environ.get("POSYANDU_IMPORT_TIMEOUT_SECONDS", 900))
    # Share of a file's rows rejected above which its result is a warning, not "OK".
    reject_warning_share: float = 0.05


def settings() -> Settings:
    """Current settings (read environment each call so tests can override it)."""
    return Settings()
