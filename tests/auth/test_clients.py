"""Which client a login is counted against (issue 17 §2): the server believes X-Forwarded-For only
from the proxies named in POSYANDU_TRUSTED_PROXIES. ``python -m dashboard serve`` hands the setting
to uvicorn, whose proxy-headers middleware resolves the address before Streamlit sees it; here that
middleware runs for real around a tiny ASGI app that reports the client it was given."""

from __future__ import annotations

import asyncio

import pytest
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from dashboard.access import LoginLimiter, forwarded_allow_ips


async def _client_seen(scope, receive, send):
    scope["seen"].append((scope["client"][0], scope["scheme"]))


def seen_by_app(peer: str, trusted: str, forwarded: str | None, proto: str | None = None) -> tuple[str, str]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    headers += [(b"x-forwarded-proto", proto.encode())] if proto else []
    scope = {"type": "http", "client": (peer, 50000), "scheme": "http", "headers": headers, "seen": []}
    asyncio.run(ProxyHeadersMiddleware(_client_seen, trusted_hosts=trusted)(scope, None, None))
    return scope["seen"][0]


def test_no_proxy_is_believed_by_default(monkeypatch):
    monkeypatch.delenv("POSYANDU_TRUSTED_PROXIES", raising=False)
    assert forwarded_allow_ips() == ""
    # a browser on the server itself (the attack of the issue) and one elsewhere: their own address
    assert seen_by_app("127.0.0.1", forwarded_allow_ips(), "203.0.113.77") == ("127.0.0.1", "http")
    assert seen_by_app("198.51.100.4", forwarded_allow_ips(), "203.0.113.77", "https") == ("198.51.100.4", "http")


def test_a_configured_proxy_is_believed_and_only_it(monkeypatch):
    monkeypatch.setenv("POSYANDU_TRUSTED_PROXIES", "127.0.0.1, 10.8.0.0/16")
    trusted = forwarded_allow_ips()
    assert trusted == "127.0.0.1,10.8.0.0/16"
    assert seen_by_app("127.0.0.1", trusted, "203.0.113.77", "https") == ("203.0.113.77", "https")
    assert seen_by_app("10.8.3.1", trusted, "203.0.113.9") == ("203.0.113.9", "http")
    # a client that forges a chain: the proxy appends the real peer, which is what counts
    assert seen_by_app("127.0.0.1", trusted, "203.0.113.77, 198.51.100.4") == ("198.51.100.4", "http")
    assert seen_by_app("198.51.100.4", trusted, "10.8.3.1") == ("198.51.100.4", "http")


def test_serve_hands_the_setting_to_uvicorn(monkeypatch):
    """uvicorn reads FORWARDED_ALLOW_IPS when its config is made; serve sets it from our setting first
    (the browser test of test_sessions_browser.py checks the running server end to end)."""
    import uvicorn

    monkeypatch.setenv("POSYANDU_TRUSTED_PROXIES", "10.8.0.1")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", forwarded_allow_ips())
    assert uvicorn.Config(app=_client_seen).forwarded_allow_ips == "10.8.0.1"


@pytest.mark.parametrize("clients", [("198.51.100.4", "198.51.100.5"), ("10.0.0.1", "loopback")])
def test_a_stranger_locks_out_only_their_own_client(clients):
    stranger, colleague = clients
    limiter = LoginLimiter()
    for attempt in range(5):
        limiter.failed(f"tebakan{attempt}", stranger)
    assert limiter.retry_after("siti", stranger) > 0
    assert limiter.retry_after("siti", colleague) == 0


def test_a_known_device_is_not_locked_out_by_a_stranger():
    """OWASP's device cookies: the browser where a user logged in before tries their password even
    while a stranger has locked out the name and the shared office address; its own failures lock
    only that device."""
    limiter = LoginLimiter()
    for attempt in range(5):
        limiter.failed("siti", "198.51.100.4")                               # a stranger in the same office
    assert limiter.retry_after("siti", "198.51.100.4") > 0
    assert limiter.retry_after("siti", "198.51.100.4", device="laptop-siti") == 0
    for attempt in range(5):
        limiter.failed("siti", "198.51.100.4", device="stolen-cookie")
    assert limiter.retry_after("siti", "198.51.100.4", device="stolen-cookie") > 0
    assert limiter.retry_after("siti", "198.51.100.4", device="laptop-siti") == 0


def test_login_from_a_known_device_while_the_name_is_locked(monkeypatch, tmp_path):
    from dashboard.access import login, set_user
    from dashboard.access.sessions import device_cookie_for, device_for

    monkeypatch.setenv("POSYANDU_BCRYPT_ROUNDS", "4")
    monkeypatch.setenv("POSYANDU_ACCESS_DB", str(tmp_path / "access.sqlite"))
    users = tmp_path / "users.json"
    set_user("siti", "kader-Cikande-2026", "pokjanal", users)
    limiter = LoginLimiter()
    for attempt in range(5):
        login("siti", f"tebakan-{attempt}", "198.51.100.9", limiter, users)
    assert login("siti", "kader-Cikande-2026", "198.51.100.4", limiter, users).role is None   # the name is locked
    device = device_for(device_cookie_for("siti"), "siti")
    assert login("siti", "kader-Cikande-2026", "198.51.100.4", limiter, users, device=device).role == "pokjanal"
