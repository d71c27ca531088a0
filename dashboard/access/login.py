"""Logging in: the password check behind failed-login limits per user name and per client.

The client is the address the server saw: the peer of the connection, or, only when that peer is a
reverse proxy named in ``POSYANDU_TRUSTED_PROXIES``, the address the proxy forwarded. uvicorn (the
server Streamlit runs on) resolves that before the app sees it; ``python -m dashboard serve`` hands it
the setting (``forwarded_allow_ips``), so the app never reads ``X-Forwarded-For`` itself."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard.access import audit
from dashboard.access.users import load_users, normalised_name, verify_password
from dashboard.config import settings

log = logging.getLogger(__name__)


def forwarded_allow_ips() -> str:
    """The value for uvicorn's ``FORWARDED_ALLOW_IPS``: the configured proxies, '' (none) by default
    (uvicorn's own default would believe any client on the server's loopback)."""
    return ",".join(settings().trusted_proxies)


class LoginLimiter:
    """Failed logins counted per user name and per client (the real client address): too many within
    the window lock that name or client out for a while. In-process and thread-safe; the clock is
    injectable for tests."""

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

    def retry_after(self, name: str, client: str, device: str | None = None) -> float:
        """Seconds until this name from this client (or this trusted device) may try again (0: now)."""
        with self._lock:
            now = self.clock()
            return max([0.0] + [self._locked_until.get(key, now) - now for key in _keys(name, client, device)])

    def failed(self, name: str, client: str, device: str | None = None) -> None:
        with self._lock:
            now = self.clock()
            for key in _keys(name, client, device):
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


def _keys(name: str, client: str, device: str | None = None) -> tuple[tuple[str, str], ...]:
    """What a failure counts against: the name and the client, or, from a browser where this user has
    logged in before (a device cookie, OWASP's "device cookies"), only that device, so that a stranger
    who locks out the name or the shared office address does not lock out the user's own browser."""
    if device:
        return (("device", device),)
    return ("user", normalised_name(name)), ("client", client)


@dataclass(frozen=True)
class LoginResult:
    role: str | None                  # the role granted, None when refused
    retry_after: float = 0.0          # seconds to wait when locked out


def login(name: str, password: str, client: str, limiter: LoginLimiter, path: Path | None = None,
          device: str | None = None) -> LoginResult:
    """Check a login form: refused without a password check while locked out; a wrong password
    counts against the name and the client (or only the ``device`` when the browser holds this
    user's device cookie). Each outcome goes to the audit trail (an unknown name is written as such:
    it may be a password typed into the wrong box)."""
    known = normalised_name(name) in load_users(path)
    actor = normalised_name(name) if known else audit.UNKNOWN_ACTOR
    where = f"client {client}" + (", known device" if device else "")
    if wait := limiter.retry_after(name, client, device):
        log.warning("login refused while locked out (%s)", where)
        audit.record(actor, "login_locked", where)
        return LoginResult(None, wait)
    role = verify_password(name, password, path)
    if role is None:
        limiter.failed(name, client, device)
        log.warning("failed login for %s (%s)", f"user {actor}" if known else "an unknown user", where)
        audit.record(actor, "login_failed", where)
        return LoginResult(None, limiter.retry_after(name, client, device))
    limiter.succeeded(name, client)
    log.info("user %s logged in as %s", normalised_name(name), role)
    audit.record(normalised_name(name), "login", f"role {role}, client {client}")
    return LoginResult(role)
