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
    # The static public site (dashboard/public/site.py): where `publik build` and each import write it
    # (a symlink switched to each new build), the URL citizens open it at (linked from the app's Data
    # Publik page), and whether the app still shows its own public page to visitors without a login.
    public_site_dir: Path = field(default_factory=lambda: _env_path(
        "POSYANDU_PUBLIC_SITE", _env_path("POSYANDU_DB", PROJECT_ROOT / "data" / "posyandu.duckdb").parent / "publik-site"))
    public_site_url: str = field(default_factory=lambda: os.environ.get("POSYANDU_PUBLIC_SITE_URL", ""))
    public_route: bool = field(default_factory=lambda: os.environ.get("POSYANDU_PUBLIC_ROUTE", "on").lower()
                               not in ("off", "0", "false", "no"))


def settings() -> Settings:
    """Current settings (read environment each call so tests can override it)."""
    return Settings()
