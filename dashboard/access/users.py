"""The users file (``POSYANDU_USERS``, default ``data/users.json``, git-ignored): bcrypt hashes, never
passwords, a role and an optional area per user, written atomically with mode 0600. Passwords never
reach a log, an error message or the terminal; unknown users cost the same bcrypt check as known ones."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import bcrypt

from dashboard.access.areas import normalised_area
from dashboard.access.roles import LOGIN_ROLES
from dashboard.config import settings

log = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_BYTES = 72      # bcrypt reads no further (and bcrypt 5 refuses longer ones)
_warned: set[Path] = set()   # users files already reported as readable by others


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created: str                                  # ISO 8601, UTC
    password_set: str                             # ISO 8601, UTC: sessions issued before it end
    password_hash: str = field(repr=False)
    area: str | None = None                       # region code the user may read (None: every area)


def normalised_name(name: str) -> str:
    """User names are case-insensitive: 2-32 of a-z, 0-9, '.', '_', '-', starting with a letter or digit."""
    return name.strip().lower()


def load_users(path: Path | None = None) -> dict[str, User]:
    """Every user in the file (none when it does not exist yet)."""
    path = path or settings().users_path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO) and path not in _warned:
        _warned.add(path)
        log.warning("users file %s can be read by other accounts; run: chmod 600 %s", path, path)
    try:
        entries = json.loads(text)["users"]
        return {name: User(name, e["role"], e["created"], e["password_set"], e["hash"], e.get("area"))
                for name, e in entries.items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"users file {path} is damaged ({type(exc).__name__}); restore it from a backup") from None


def set_user(name: str, password: str, role: str, path: Path | None = None, area: str | None = None) -> bool:
    """Add a user, or give an existing one a new password and role; True when the user is new.
    ``area`` None keeps an existing user's area (a new user gets none), '' clears it."""
    path = path or settings().users_path
    name = _checked_name(name)
    _check_role(role)
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"password too short: at least {MIN_PASSWORD_CHARS} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise ValueError(f"password too long: at most {MAX_PASSWORD_BYTES} bytes (bcrypt ignores the rest)")
    new_area = normalised_area(area) if area is not None else None
    hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(settings().bcrypt_rounds)).decode("ascii")
    with _locked(path):
        users = load_users(path)
        now, new = _utc_now(), name not in users
        kept_area = new_area if area is not None or new else users[name].area
        users[name] = User(name, role, now if new else users[name].created, now, hashed, kept_area)
        _write_users(path, users)
    log.info("user %s %s with role %s", name, "added" if new else "updated", role)
    return new


def update_user(name: str, role: str | None = None, area: str | None = None, path: Path | None = None) -> User:
    """Change a user's role or area (``area`` '' clears it) without touching the password; their
    sessions stay and read the new role and area on their next page run."""
    path = path or settings().users_path
    name = normalised_name(name)
    if role is not None:
        _check_role(role)
    with _locked(path):
        users = load_users(path)
        if name not in users:
            raise ValueError(f"no user '{name}'")
        user = users[name]
        users[name] = replace(user, role=role or user.role,
                              area=normalised_area(area) if area is not None else user.area)
        _write_users(path, users)
    log.info("user %s changed: role %s, area %s", name, users[name].role, users[name].area or "all")
    return users[name]


def remove_user(name: str, path: Path | None = None) -> bool:
    """Remove a user; False when there was no such user."""
    path = path or settings().users_path
    name = normalised_name(name)
    with _locked(path):
        users = load_users(path)
        if users.pop(name, None) is None:
            return False
        _write_users(path, users)
    log.info("user %s removed", name)
    return True


def verify_password(name: str, password: str, path: Path | None = None) -> str | None:
    """The user's role when the password is right, else None. An unknown user is checked against
    a dummy hash of the same cost, so the answer takes as long either way."""
    encoded = password.encode("utf-8")
    if len(encoded) > MAX_PASSWORD_BYTES:
        return None
    user = load_users(path).get(normalised_name(name))
    hashed = user.password_hash.encode("ascii") if user else _dummy_hash(settings().bcrypt_rounds)
    matches = bcrypt.checkpw(encoded, hashed)
    return user.role if user and matches else None


def _checked_name(name: str) -> str:
    name = normalised_name(name)
    if not NAME_PATTERN.fullmatch(name):
        raise ValueError(f"user name '{name}': use 2-32 of a-z, 0-9, '.', '_', '-', starting with a letter or digit")
    return name


def _check_role(role: str) -> None:
    if role not in LOGIN_ROLES:
        raise ValueError(f"role '{role}': choose one of {', '.join(LOGIN_ROLES)} (publik needs no login)")


@lru_cache(maxsize=4)
def _dummy_hash(rounds: int) -> bytes:
    return bcrypt.hashpw(os.urandom(16).hex().encode("ascii"), bcrypt.gensalt(rounds))


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer at a time (two ``users add`` at once must not lose one of them)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _write_users(path: Path, users: dict[str, User]) -> None:
    """Write the whole file to a private temporary file beside it, then rename it over the old one."""
    entries = {u.name: {"role": u.role, "created": u.created, "password_set": u.password_set, "hash": u.password_hash,
                        **({"area": u.area} if u.area else {})}
               for u in sorted(users.values(), key=lambda u: u.name)}
    descriptor, temporary = tempfile.mkstemp(prefix=f"{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)
            json.dump({"version": 1, "users": entries}, handle, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
