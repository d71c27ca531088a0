"""What every benchmark part shares: the table row, the run context, memory readings."""

from __future__ import annotations

import os
import platform
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Row:
    part: str
    what: str
    figure: str
    note: str = ""


@dataclass
class Context:
    scale: str = "small"
    db: Path | None = None          # the demo database the page and browser parts read
    rows: int = 1_000_000           # import part: measurement rows
    z_rows: int = 10_000_000        # zscores part: records
    regions_per_level: int = 2      # pages part: regions drawn per level (x 3 periods)
    workdir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()))
    app_peak_mb: float | None = None  # set by the browser part: the app server's peak RSS
    _login: "BenchLogin | None" = None

    def login(self) -> "BenchLogin":
        """An admin login (sees every page) in a users file of its own in the work folder."""
        if self._login is None:
            self._login = bench_login(self.workdir / "users.json")
        return self._login


@dataclass(frozen=True)
class BenchLogin:
    users_file: Path
    user: str
    password: str
    role: str


def bench_login(path: Path, role: str = "admin") -> BenchLogin:
    """Write a users file with one login of ``role`` (cheap bcrypt cost: the bench measures pages, not hashing)."""
    import secrets
    from unittest import mock

    from dashboard import auth

    login = BenchLogin(path, f"bench-{role}", secrets.token_urlsafe(16), role)
    with mock.patch.dict(os.environ, {"POSYANDU_BCRYPT_ROUNDS": "4"}):
        auth.set_user(login.user, login.password, role, path)
    return login


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GB, Python {platform.python_version()}"


def code_version() -> str:
    """The commit measured, marked ``+ uncommitted changes`` when the working tree differs from it."""
    from dashboard.config import PROJECT_ROOT

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10)
            return done.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    return commit + (" + uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def reset_peak_memory() -> None:
    """Start a new peak-RSS window for this process (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_memory_mb(pid: int | str = "self") -> float | None:
    """Peak resident memory (VmHWM) of a process since it started or since the last reset, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
