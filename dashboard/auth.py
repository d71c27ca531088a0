"""Local logins and roles (issue 7): who may see which page, the users file, failed-login limits
and session expiry. No Streamlit here; ``dashboard/app.py`` asks ``allowed`` on every page run.

Roles, each seeing what the one before it sees and more:
- ``publik``: no login; only the public page of suppressed aggregates;
- ``pokjanal``: TP Posyandu (d/h Pokjanal) and other internal readers: every indicator page and case list;
- ``admin``: also imports through the browser and user management.

The users file (``POSYANDU_USERS``, default ``data/users.json``, git-ignored) holds bcrypt hashes,
never passwords, and is written atomically with mode 0600. Passwords never reach a log, an
error message or the terminal; unknown users cost the same bcrypt check as known ones.

  python -m dashboard users add NAME --role pokjanal|admin [--password-stdin] [--file PATH]
  python -m dashboard users remove NAME [--file PATH]
  python -m dashboard users list [--file PATH]
"""

from __future__ import annotations

import argparse
import fcntl
import getpass
import json
import logging
import os
import re
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import bcrypt

from dashboard.config import settings

log = logging.getLogger(__name__)

PUBLIK, POKJANAL, ADMIN = "publik", "pokjanal", "admin"
ROLES = (PUBLIK, POKJANAL, ADMIN)
LOGIN_ROLES = (POKJANAL, ADMIN)

# Page access, one table: a page's url_path -> the least role that sees it. A page missing here is
# refused to everyone, so a new page stays closed until it is given a role.
PAGE_ROLES = {
    "publik": PUBLIK,        # the public transparency page: suppressed aggregates only
    "masuk": PUBLIK,         # the login form
    "ringkasan": POKJANAL,
    "stunting": POKJANAL,
    "strata": POKJANAL,
    "rujukan": POKJANAL,     # overdue referral lists (case ids)
    "pkk": POKJANAL,
    "kualitas": POKJANAL,
    "data": POKJANAL,        # what the database holds, import batches, rejected rows
    "rapat": POKJANAL,       # the TP Posyandu meeting briefing (overdue referral ids)
    "impor": ADMIN,          # imports through the browser
    "pengguna": ADMIN,       # user management
    "keputusan": POKJANAL,   # meeting decisions: pokjanal records and updates, admin also corrects and deletes
    "instansi": POKJANAL,    # one agency's decisions and overdue referrals (a link shared inside government)
}

NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_BYTES = 72      # bcrypt reads no further (and bcrypt 5 refuses longer ones)
_warned: set[Path] = set()   # users files already reported as readable by others


def allowed(role: str, page: str) -> bool:
    """Whether a role may see a page (unknown roles and pages: no)."""
    if role not in ROLES or page not in PAGE_ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(PAGE_ROLES[page])


def pages_for(role: str) -> list[str]:
    """The pages a role sees, in the table's order (what the navigation should list)."""
    return [page for page in PAGE_ROLES if allowed(role, page)]


# --- the users file ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class User:
    name: str
    role: str
    created: str                                  # ISO 8601, UTC
    password_set: str                             # ISO 8601, UTC: sessions issued before it end
    password_hash: str = field(repr=False)


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
        return {name: User(name, e["role"], e["created"], e["password_set"], e["hash"]) for name, e in entries.items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"users file {path} is damaged ({type(exc).__name__}); restore it from a backup") from None


def set_user(name: str, password: str, role: str, path: Path | None = None) -> bool:
    """Add a user, or give an existing one a new password and role; True when the user is new."""
    path = path or settings().users_path
    name = normalised_name(name)
    if not NAME_PATTERN.fullmatch(name):
        raise ValueError(f"user name '{name}': use 2-32 of a-z, 0-9, '.', '_', '-', starting with a letter or digit")
    if role not in LOGIN_ROLES:
        raise ValueError(f"role '{role}': choose one of {', '.join(LOGIN_ROLES)} (publik needs no login)")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(f"password too short: at least {MIN_PASSWORD_CHARS} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise ValueError(f"password too long: at most {MAX_PASSWORD_BYTES} bytes (bcrypt ignores the rest)")
    hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(settings().bcrypt_rounds)).decode("ascii")
    with _locked(path):
        users = load_users(path)
        now, new = _utc_now(), name not in users
        users[name] = User(name, role, now if new else users[name].created, now, hashed)
        _write_users(path, users)
    log.info("user %s %s with role %s", name, "added" if new else "updated", role)
    return new


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
    entries = {u.name: {"role": u.role, "created": u.created, "password_set": u.password_set, "hash": u.password_hash}
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


# --- logging in: failed-login limits and sessions ----------------------------------------------------

class LoginLimiter:
    """Failed logins counted per user name and per client (e.g. the browser's address): too many
    within the window lock that name or client out for a while. In-process and thread-safe; the
    clock is injectable for tests."""

    def __init__(self, max_failures: int | None = None, window_seconds: float | None = None,
                 lockout_seconds: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        config = settings()
        self.max_failures = max_failures or config.login_max_failures
        self.window = window_seconds or config.login_window_seconds
        self.lockout = lockout_seconds or config.login_lockout_seconds
        self.clock = clock
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._locked_until: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def retry_after(self, name: str, client: str) -> float:
        """Seconds until this name from this client may try again (0: now)."""
        with self._lock:
            now = self.clock()
            return max([0.0] + [self._locked_until.get(key, now) - now for key in _keys(name, client)])

    def failed(self, name: str, client: str) -> None:
        with self._lock:
            now = self.clock()
            for key in _keys(name, client):
                recent = [t for t in self._failures.get(key, []) if t > now - self.window] + [now]
                if len(recent) >= self.max_failures:
                    self._locked_until[key] = now + self.lockout
                    recent = []
                self._failures[key] = recent
            if len(self._failures) > 1000:  # a flood of names or clients: drop what no longer counts
                self._forget_stale(now)

    def succeeded(self, name: str, client: str) -> None:
        """A right password clears the name's failures (not the client's: one valid account must
        not reset a client that is guessing others)."""
        with self._lock:
            self._failures.pop(("user", normalised_name(name)), None)

    def _forget_stale(self, now: float) -> None:
        self._locked_until = {k: until for k, until in self._locked_until.items() if until > now}
        self._failures = {k: times for k, times in self._failures.items() if times and times[-1] > now - self.window}


def _keys(name: str, client: str) -> tuple[tuple[str, str], ...]:
    return ("user", normalised_name(name)), ("client", client)


@dataclass(frozen=True)
class LoginResult:
    role: str | None                  # the role granted, None when refused
    retry_after: float = 0.0          # seconds to wait when locked out


def login(name: str, password: str, client: str, limiter: LoginLimiter, path: Path | None = None) -> LoginResult:
    """Check a login form: refused without a password check while locked out; a wrong password
    counts against the name and the client."""
    if wait := limiter.retry_after(name, client):
        log.warning("login refused while locked out (client %s)", client)
        return LoginResult(None, wait)
    role = verify_password(name, password, path)
    if role is None:
        limiter.failed(name, client)
        known = normalised_name(name) in load_users(path)
        log.warning("failed login for %s (client %s)", f"user {normalised_name(name)}" if known else "an unknown user",
                    client)
        return LoginResult(None, limiter.retry_after(name, client))
    limiter.succeeded(name, client)
    log.info("user %s logged in as %s", normalised_name(name), role)
    return LoginResult(role)


@dataclass(frozen=True)
class Session:
    user: str
    role: str
    issued_at: float                  # seconds since the epoch (time.time())


def new_session(name: str, role: str, now: float | None = None) -> Session:
    return Session(normalised_name(name), role, time.time() if now is None else now)


def session_expired(session: Session, now: float | None = None, max_age_seconds: float | None = None) -> bool:
    """Past issued-at + max age (default 8 hours), or issued in the future (a clock set back)."""
    now = time.time() if now is None else now
    max_age = settings().session_max_age_seconds if max_age_seconds is None else max_age_seconds
    return not session.issued_at - 60 <= now < session.issued_at + max_age


def session_role(session: Session | None, now: float | None = None, path: Path | None = None) -> str:
    """The role a session grants now, read on every page run: ``publik`` once it has expired, the
    user is removed or their password changed after it was issued; a changed role applies at once."""
    if session is None or session_expired(session, now):
        return PUBLIK
    try:
        user = load_users(path).get(session.user)
    except ValueError:
        log.exception("users file unreadable: every session falls back to publik")
        return PUBLIK
    if user is None or datetime.fromisoformat(user.password_set).timestamp() > session.issued_at:
        return PUBLIK
    return user.role


# --- command line: python -m dashboard users ... ------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard users", description="logins of the dashboard")
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="add a user, or set a new password and role for an existing one")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=LOGIN_ROLES)
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    sub.add_parser("remove", help="remove a user").add_argument("name")
    sub.add_parser("list", help="list users and roles (never hashes)")
    for p in sub.choices.values():
        p.add_argument("--file", type=Path, help=f"users file (default {settings().users_path}, or POSYANDU_USERS)")
    args = parser.parse_args(argv)
    path = (args.file or settings().users_path).expanduser().resolve()
    try:
        return {"add": _cli_add, "remove": _cli_remove, "list": _cli_list}[args.action](args, path)
    except ValueError as exc:
        print(f"GAGAL / FAILED: {exc}", file=sys.stderr)
        return 1


def _cli_add(args: argparse.Namespace, path: Path) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Kata sandi / password for {normalised_name(args.name)}: ")
        if getpass.getpass("Ulangi / repeat: ") != password:
            raise ValueError("the two passwords differ; nothing changed")
    created = set_user(args.name, password, args.role, path)
    print(f"{'added' if created else 'updated'} {normalised_name(args.name)} ({args.role}) in {path}")
    return 0


def _cli_remove(args: argparse.Namespace, path: Path) -> int:
    if not remove_user(args.name, path):
        raise ValueError(f"no user '{normalised_name(args.name)}' in {path}")
    print(f"removed {normalised_name(args.name)} from {path}")
    return 0


def _cli_list(args: argparse.Namespace, path: Path) -> int:
    users = sorted(load_users(path).values(), key=lambda u: u.name)
    if not users:
        print(f"no users in {path}")
    for user in users:
        print(f"{user.name:<32} {user.role:<9} created {user.created[:19]}Z  password set {user.password_set[:19]}Z")
    return 0
