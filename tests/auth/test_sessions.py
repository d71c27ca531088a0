"""Sessions kept in the access store and carried by a signed cookie (issue 17 §5): the cookie brings a
login back after a reload until logout, the session lifetime, a password change or removal of the
user; a forged, stale or reused token gets nothing. The cookie route runs in real Starlette."""

from __future__ import annotations

import asyncio
import time

import itsdangerous
import itsdangerous.timed
import pytest
from starlette.applications import Starlette

from dashboard.access import (end_session, remove_user, session_from_cookie, set_user, start_session,
                              update_user)
from dashboard.access import sessions
from dashboard.access.sessions import (COOKIE_NAME, DEVICE_COOKIE_NAME, cookie_for_handoff, device_for,
                                       handoff_token)
from dashboard.access.store import connection
from dashboard.access.web import HANDOFF_HEADER, PATH, routes

PASSWORD = "kader-Cikande-2026"


@pytest.fixture(autouse=True)
def own_store(monkeypatch, tmp_path):
    monkeypatch.setenv("POSYANDU_BCRYPT_ROUNDS", "4")
    monkeypatch.setenv("POSYANDU_ACCESS_DB", str(tmp_path / "access.sqlite"))
    monkeypatch.setenv("POSYANDU_USERS", str(tmp_path / "users.json"))
    set_user("siti", PASSWORD, "pokjanal", area="36.04")


def cookie_of_new_login() -> tuple:
    session = start_session("siti", "pokjanal")
    return session, cookie_for_handoff(handoff_token(session))


def test_a_cookie_brings_the_session_back():
    session, cookie = cookie_of_new_login()
    back = session_from_cookie(cookie)
    assert back == session and back.role == "pokjanal"
    assert session.id not in cookie                                          # signed and encoded, never plain
    with connection() as con:
        stored = con.execute("select id_hash from sessions").fetchall()
    assert stored and all(session.id not in row[0] for row in stored)       # the store keeps only a hash


def test_a_handoff_token_is_good_once_and_only_signed():
    session = start_session("siti", "pokjanal")
    token = handoff_token(session)
    forged = itsdangerous.URLSafeTimedSerializer("another key", salt="posyandu-handoff").dumps(session.id)
    assert cookie_for_handoff(forged) is None                                # signed with another key
    assert cookie_for_handoff(token) is not None
    assert cookie_for_handoff(token) is None                                 # replayed


@pytest.mark.parametrize("ending", ["logout", "password", "removed"])
def test_logout_a_new_password_or_removal_end_the_cookie(ending):
    session, cookie = cookie_of_new_login()
    if ending == "logout":
        end_session(session)
    elif ending == "password":
        set_user("siti", "another-password", "pokjanal")
    else:
        remove_user("siti")
    assert session_from_cookie(cookie) is None


def test_a_changed_role_applies_to_the_cookie_at_once():
    _, cookie = cookie_of_new_login()
    update_user("siti", role="admin")
    assert session_from_cookie(cookie).role == "admin"


def test_a_cookie_or_token_older_than_its_lifetime_is_refused(monkeypatch):
    session = start_session("siti", "pokjanal")
    fresh = sessions._serializer(None, "cookie").dumps(session.id)
    with monkeypatch.context() as past:                                      # signed eight hours ago
        past.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 8 * 3600 - 5)
        stale_cookie = sessions._serializer(None, "cookie").dumps(session.id)
        stale_token = handoff_token(session)
    assert session_from_cookie(fresh) == session
    assert session_from_cookie(stale_cookie) is None
    assert cookie_for_handoff(stale_token) is None


@pytest.mark.parametrize("value", [None, "", "garbage", "a.b.c"])
def test_nothing_or_garbage_is_no_session(value):
    assert session_from_cookie(value) is None


def request(method: str, headers: dict[str, str] | None = None, scheme: str = "http") -> dict:
    """One request through the cookie route in real Starlette; the response's status and headers."""
    app = Starlette(routes=routes())
    scope = {"type": "http", "method": method, "path": PATH, "raw_path": PATH.encode(), "query_string": b"",
             "scheme": scheme, "server": ("dashboard.example", 443 if scheme == "https" else 80),
             "client": ("198.51.100.4", 50000), "root_path": "", "http_version": "1.1",
             "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return {"status": start["status"],
            "cookies": [v.decode() for k, v in start["headers"] if k == b"set-cookie"]}


def named(cookies: list[str], name: str) -> str:
    [cookie] = [c for c in cookies if c.startswith(f"{name}=")]
    return cookie


def test_the_route_sets_an_httponly_strict_cookie_once():
    session = start_session("siti", "pokjanal")
    assert request("POST") == {"status": 403, "cookies": []}
    token = handoff_token(session)
    answer = request("POST", {HANDOFF_HEADER: token})
    assert answer["status"] == 204 and len(answer["cookies"]) == 2
    for cookie, max_age in [(named(answer["cookies"], COOKIE_NAME), 8 * 3600),
                            (named(answer["cookies"], DEVICE_COOKIE_NAME), 180 * 86400)]:
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
        assert {"httponly", "samesite", "path", "max-age"} <= attributes and "secure" not in attributes
        assert "samesite=strict" in cookie.lower() and f"max-age={max_age}" in cookie.lower()
    value = named(answer["cookies"], COOKIE_NAME).split(";")[0].split("=", 1)[1]
    assert session_from_cookie(value) == session
    device = named(answer["cookies"], DEVICE_COOKIE_NAME).split(";")[0].split("=", 1)[1]
    assert device_for(device, "SITI") and device_for(device, "budi") is None
    assert request("POST", {HANDOFF_HEADER: token})["status"] == 403         # the token was used
    again = request("POST", {HANDOFF_HEADER: handoff_token(start_session("siti", "pokjanal")),
                             "Cookie": f"{DEVICE_COOKIE_NAME}={device}"})
    assert [c.split("=")[0] for c in again["cookies"]] == [COOKIE_NAME]      # the browser keeps its device id


def test_behind_https_the_cookie_is_secure_and_logout_clears_it():
    session = start_session("siti", "pokjanal")
    answer = request("POST", {HANDOFF_HEADER: handoff_token(session)}, scheme="https")
    for cookie in answer["cookies"]:
        assert "secure" in {part.strip().lower() for part in cookie.split(";")}
    [cleared] = request("DELETE", scheme="https")["cookies"]
    assert cleared.startswith(f'{COOKIE_NAME}=""') and "max-age=0" in cleared.lower()
