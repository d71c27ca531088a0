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
    # DuckDB's resources (issue "monthly routine at province scale"): a memory limit that fits an 8 GB
    # laptop beside the app, spill files in a folder of our own instead of beside the live database,
    # and no insertion-order bookkeeping (every query that needs an order says ORDER BY).
    duckdb_memory_limit: str = field(default_factory=lambda: os.environ.get("POSYANDU_DUCKDB_MEMORY", "3GB"))
    duckdb_threads: int = field(default_factory=lambda: int(os.environ.get("POSYANDU_DUCKDB_THREADS", 0)))
    duckdb_temp_dir: Path = field(default_factory=lambda: _env_path("POSYANDU_DUCKDB_TEMP",
                                                                    PROJECT_ROOT / "data" / "tmp"))
    # The database file is compacted after a write when more than this share of its blocks is free
    # (dashboard/db.py: "How the dashboard and an import share the database"); the file then stays
    # within 1 / (1 - share) of its data: 0.15 keeps it within 1.18x (the goal is 1.2x).
    compact_free_share: float = field(default_factory=lambda: float(os.environ.get("POSYANDU_COMPACT_FREE_SHARE", 0.15)))
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
    # Meeting decisions (dashboard/meeting/store.py): SQLite in WAL mode, apart from the analytics database
    # that imports rebuild; git-ignored, mode 0600. Back it up with `python -m dashboard meetings backup OUT`.
    decisions_path: Path = field(default_factory=lambda: _env_path("POSYANDU_DECISIONS",
                                                                   PROJECT_ROOT / "data" / "decisions.sqlite"))
    # The region the filter bar opens on when the URL names none (Kab Serang: the demo's village maps
    # are coloured there); a code without data falls back to the first province.
    default_region: str = field(default_factory=lambda: os.environ.get("POSYANDU_DEFAULT_REGION", "36.04"))
    # Access (dashboard/access/): the store of sessions and the audit trail (SQLite, apart from the
    # analytics database), the key that signs session cookies (made once and kept in the store when
    # unset), the reverse proxies whose X-Forwarded-For/-Proto are believed (comma-separated addresses
    # or networks; none by default, so a client cannot name its own address), and the group that may
    # read the private data files (0640 instead of 0600).
    access_db_path: Path = field(default_factory=lambda: _env_path("POSYANDU_ACCESS_DB",
                                                                   PROJECT_ROOT / "data" / "access.sqlite"))
    secret_key: str = field(default_factory=lambda: os.environ.get("POSYANDU_SECRET_KEY", ""))
    trusted_proxies: tuple[str, ...] = field(default_factory=lambda: tuple(
        p.strip() for p in os.environ.get("POSYANDU_TRUSTED_PROXIES", "").split(",") if p.strip()))
    file_group: str = field(default_factory=lambda: os.environ.get("POSYANDU_FILE_GROUP", ""))
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
