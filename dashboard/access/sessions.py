"""Sessions: who is logged in, for how long, and the signed cookie that carries a login across a reload
or a shared link opened in the same browser.

A session is a row in the access store (the sha256 of a random id, the user, when it was issued, when
it ended). The browser holds the id in an HttpOnly cookie signed with itsdangerous (a timestamped
signature: a cookie older than the session lifetime is refused even if a browser keeps it). A session
ends at logout (its row is marked, whatever the browser keeps), after the lifetime, when the user's
password changes or the user is removed; a changed role or area applies at the next page run.

The Streamlit script talks to the browser over a websocket and cannot set an HttpOnly cookie, so the
script hands a one-use, one-minute token to the page, and the page posts it to a small route on
Streamlit's own server (``dashboard/access/web.py``), whose answer sets the cookie."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from dashboard.access.roles import PUBLIK
from dashboard.access.store import connection, signing_key
from dashboard.access.users import User, load_users, normalised_name
from dashboard.config import settings

log = logging.getLogger(__name__)

COOKIE_NAME = "posyandu_sesi"
DEVICE_COOKIE_NAME = "posyandu_perangkat"   # "this browser has logged in as this user before"
DEVICE_DAYS = 180
HANDOFF_SECONDS = 60


@dataclass(frozen=True)
class Session:
    user: str
    role: str
    issued_at: float                  # seconds since the epoch (time.time())
    id: str = field(default="", repr=False)   # '' for a session kept only in this tab (no store row)


def new_session(name: str, role: str, now: float | None = None) -> Session:
    """A session for this tab only (tests, benchmarks); ``start_session`` makes one a cookie can carry."""
    return Session(normalised_name(name), role, time.time() if now is None else now)


def start_session(name: str, role: str, path: Path | None = None) -> Session:
    """A session kept in the store, so a cookie can bring it back after a reload."""
    session = Session(normalised_name(name), role, time.time(), secrets.token_urlsafe(32))
    with connection(path) as con:
        con.execute("insert into sessions (id_hash, user, issued_at) values (?, ?, ?)",
                    (_hash(session.id), session.user, session.issued_at))
        con.execute("delete from sessions where issued_at < ?", (time.time() - 2 * _max_age(),))
    return session


def end_session(session: Session, path: Path | None = None) -> None:
    """Logout: the session is over even if the browser keeps its cookie."""
    if session.id:
        with connection(path) as con:
            con.execute("update sessions set ended_at = ? where id_hash = ?", (time.time(), _hash(session.id)))


def session_expired(session: Session, now: float | None = None, max_age_seconds: float | None = None) -> bool:
    """Past issued-at + max age (default 8 hours), or issued in the future (a clock set back)."""
    now = time.time() if now is None else now
    max_age = _max_age() if max_age_seconds is None else max_age_seconds
    return not session.issued_at - 60 <= now < session.issued_at + max_age


def session_user(session: Session | None, now: float | None = None, path: Path | None = None,
                 store: Path | None = None) -> User | None:
    """The user a session stands for now, read on every page run: None once it has expired or ended,
    the user is removed or their password changed after it was issued."""
    if session is None or session_expired(session, now):
        return None
    try:
        user = load_users(path).get(session.user)
    except ValueError:
        log.exception("users file unreadable: every session falls back to publik")
        return None
    if user is None or datetime.fromisoformat(user.password_set).timestamp() > session.issued_at:
        return None
    if session.id and _ended(session.id, store):
        return None
    return user


def session_role(session: Session | None, now: float | None = None, path: Path | None = None) -> str:
    """The role a session grants now (``publik`` when it grants nothing); a changed role applies at once."""
    user = session_user(session, now, path)
    return user.role if user else PUBLIK


# --- the cookie -------------------------------------------------------------------------------------

def handoff_token(session: Session, store: Path | None = None) -> str:
    """What the page posts to the cookie route right after a login (valid a minute, used once)."""
    return _serializer(store, "handoff").dumps(session.id)


def cookie_for_handoff(token: str, store: Path | None = None) -> str | None:
    """The signed cookie value for a fresh handoff token, or None (bad, old or already used)."""
    try:
        session_id = _serializer(store, "handoff").loads(token, max_age=HANDOFF_SECONDS)
    except BadSignature:
        return None
    with connection(store) as con:
        claimed = con.execute("update sessions set cookie_set = 1 where id_hash = ? and cookie_set = 0 "
                              "and ended_at is null", (_hash(session_id),)).rowcount
    return _serializer(store, "cookie").dumps(session_id) if claimed else None


def session_from_cookie(value: str | None, path: Path | None = None, store: Path | None = None) -> Session | None:
    """The live session a cookie carries, or None (missing, forged, too old, ended, user gone)."""
    if not value:
        return None
    try:
        session_id = _serializer(store, "cookie").loads(value, max_age=_max_age())
    except BadSignature:
        return None
    with connection(store) as con:
        row = con.execute("select user, issued_at from sessions where id_hash = ? and ended_at is null",
                          (_hash(session_id),)).fetchone()
    if row is None:
        return None
    user = session_user(Session(row[0], PUBLIK, row[1], session_id), path=path, store=store)
    return Session(row[0], user.role, row[1], session_id) if user else None


def device_cookie_for(user: str, store: Path | None = None) -> str:
    """A device cookie for a browser where ``user`` just logged in: a signed user name and a random
    device id. It grants no access; it only lets this browser try that user's password while a
    stranger has the name or the shared address locked out (its own failures lock the device)."""
    return _serializer(store, "device").dumps({"u": normalised_name(user), "d": secrets.token_urlsafe(16)})


def device_for(value: str | None, name: str, store: Path | None = None) -> str | None:
    """The device id a device cookie carries when it was issued for the user ``name``, else None."""
    if not value:
        return None
    try:
        device = _serializer(store, "device").loads(value, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return None
    return device.get("d") if isinstance(device, dict) and device.get("u") == normalised_name(name) else None


def cookie_max_age() -> int:
    return int(_max_age())


def _serializer(store: Path | None, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_key(store), salt=f"posyandu-{purpose}")


def _ended(session_id: str, store: Path | None) -> bool:
    with connection(store) as con:
        row = con.execute("select ended_at from sessions where id_hash = ?", (_hash(session_id),)).fetchone()
    return row is None or row[0] is not None


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


def _max_age() -> float:
    return settings().session_max_age_seconds
