"""Logins and roles: the users file holds bcrypt hashes only, written atomically and privately;
wrong and unknown logins are refused the same way; failed logins lock out and the lock expires;
sessions end; every page has a role; the ``users`` command works from a script."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path

import bcrypt
import pytest

from dashboard import access
from dashboard.access import users as auth
from dashboard.access import (ADMIN, POKJANAL, PUBLIK, LoginLimiter, allowed, load_users, login, new_session,
                              pages_for, remove_user, session_expired, session_role, set_user, verify_password)
from dashboard.config import PROJECT_ROOT

PASSWORD = "kader-Cikande-2026"


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch, tmp_path):
    """Cost 4 instead of 12: the same code path, a hundred times faster; the test's own access store."""
    monkeypatch.setenv("POSYANDU_BCRYPT_ROUNDS", "4")
    monkeypatch.setenv("POSYANDU_ACCESS_DB", str(tmp_path / "store" / "access.sqlite"))


@pytest.fixture
def users(tmp_path) -> Path:
    return tmp_path / "data" / "users.json"


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# --- the users file ------------------------------------------------------------------------------------

def test_file_holds_bcrypt_hashes_never_passwords(users):
    assert set_user("Siti", PASSWORD, POKJANAL, users) is True
    text = users.read_text()
    assert PASSWORD not in text
    stored = json.loads(text)["users"]["siti"]
    assert stored["role"] == POKJANAL and stored["hash"].startswith("$2b$04$")
    assert bcrypt.checkpw(PASSWORD.encode(), stored["hash"].encode())
    assert "password_hash" not in repr(load_users(users)["siti"]) and stored["hash"] not in repr(load_users(users))


def test_file_is_private_and_no_temporary_file_is_left(users):
    set_user("siti", PASSWORD, POKJANAL, users)
    set_user("budi", PASSWORD, ADMIN, users)
    assert stat.S_IMODE(users.stat().st_mode) == 0o600
    assert stat.S_IMODE(users.with_name("users.json.lock").stat().st_mode) == 0o600
    assert sorted(p.name for p in users.parent.iterdir()) == ["users.json", "users.json.lock"]


def test_users_file_is_git_ignored():
    for name in ("data/users.json", "data/users.json.lock", "data/users.json.x1y2.tmp"):
        ignored = subprocess.run(["git", "check-ignore", "-q", name], cwd=PROJECT_ROOT, capture_output=True)
        if ignored.returncode == 128:
            pytest.skip("not a git checkout")
        assert ignored.returncode == 0, name


def test_a_failed_write_leaves_the_old_file(users, monkeypatch):
    set_user("siti", PASSWORD, POKJANAL, users)
    before = users.read_bytes()

    def broken_dump(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(auth.json, "dump", broken_dump)
    with pytest.raises(OSError, match="disk full"):
        set_user("budi", PASSWORD, ADMIN, users)
    assert users.read_bytes() == before
    assert sorted(p.name for p in users.parent.iterdir()) == ["users.json", "users.json.lock"]


def test_concurrent_writers_lose_nobody(users):
    threads = [threading.Thread(target=set_user, args=(f"kader{i}", PASSWORD, POKJANAL, users)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(load_users(users)) == [f"kader{i}" for i in range(8)]


def test_update_changes_password_and_role_keeps_created(users):
    set_user("siti", PASSWORD, POKJANAL, users)
    first = load_users(users)["siti"]
    assert set_user("SITI", "another-password", ADMIN, users) is False
    second = load_users(users)["siti"]
    assert second.role == ADMIN and second.created == first.created and second.password_set > first.password_set
    assert verify_password("siti", PASSWORD, users) is None
    assert verify_password("siti", "another-password", users) == ADMIN


@pytest.mark.parametrize("name, password, role, message", [
    ("s", PASSWORD, POKJANAL, "user name"),
    ("siti/../x", PASSWORD, POKJANAL, "user name"),
    ("siti", PASSWORD, PUBLIK, "role"),
    ("siti", PASSWORD, "root", "role"),
    ("siti", "kd7x", POKJANAL, "too short"),
    ("siti", "é" * 37, POKJANAL, "too long"),
])
def test_bad_users_are_refused_and_nothing_is_written(users, name, password, role, message):
    with pytest.raises(ValueError, match=message) as error:
        set_user(name, password, role, users)
    assert password not in str(error.value)
    assert not users.exists()


def test_remove(users):
    set_user("siti", PASSWORD, POKJANAL, users)
    set_user("budi", PASSWORD, ADMIN, users)
    assert remove_user("Siti", users) is True
    assert remove_user("siti", users) is False
    assert list(load_users(users)) == ["budi"]
    assert verify_password("siti", PASSWORD, users) is None


def test_a_damaged_file_is_reported_without_its_content(users):
    users.parent.mkdir(parents=True)
    users.write_text('{"users": {"siti": {"role": "admin", "hash": "$2b$04$secretsecret"')
    with pytest.raises(ValueError, match="damaged") as error:
        load_users(users)
    assert "secret" not in str(error.value)


# --- checking passwords ----------------------------------------------------------------------------------

def test_right_wrong_and_unknown(users):
    set_user("siti", PASSWORD, POKJANAL, users)
    assert verify_password("siti", PASSWORD, users) == POKJANAL
    assert verify_password(" Siti ", PASSWORD, users) == POKJANAL
    assert verify_password("siti", PASSWORD.upper(), users) is None
    assert verify_password("siti", "", users) is None
    assert verify_password("budi", PASSWORD, users) is None
    assert verify_password("siti", "x" * 100, users) is None
    assert verify_password("siti", PASSWORD, users.with_name("missing.json")) is None


def test_unknown_user_goes_through_bcrypt_on_a_dummy_hash(users, monkeypatch):
    set_user("siti", PASSWORD, POKJANAL, users)
    checked = []
    real = bcrypt.checkpw
    monkeypatch.setattr(auth.bcrypt, "checkpw", lambda password, hashed: checked.append(hashed) or real(password, hashed))
    assert verify_password("nobody", PASSWORD, users) is None
    assert verify_password("siti", "wrong-password", users) is None
    dummy, known = checked
    assert dummy == auth._dummy_hash(4) and dummy.startswith(b"$2b$04$")  # same cost as the real hashes
    assert known == load_users(users)["siti"].password_hash.encode()


# --- failed logins ------------------------------------------------------------------------------------------

def test_five_failures_lock_the_name_for_fifteen_minutes():
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for _ in range(4):
        limiter.failed("siti", "10.0.0.1")
        clock.now += 10
    assert limiter.retry_after("siti", "10.0.0.2") == 0
    limiter.failed("siti", "10.0.0.3")
    assert limiter.retry_after("SITI", "10.0.0.9") == 15 * 60  # the name, from any client
    clock.now += 15 * 60 - 1
    assert limiter.retry_after("siti", "10.0.0.9") == 1
    clock.now += 1
    assert limiter.retry_after("siti", "10.0.0.9") == 0
    limiter.failed("siti", "10.0.0.9")  # the count started again after the lockout
    assert limiter.retry_after("siti", "10.0.0.9") == 0


def test_failures_outside_the_window_do_not_count():
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for _ in range(10):
        limiter.failed("siti", f"10.0.0.{clock.now}")
        clock.now += 15 * 60 / 4  # four per window at most
    assert limiter.retry_after("siti", "10.0.0.1") == 0


def test_one_client_guessing_many_names_is_locked():
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for name in ["a1", "b2", "c3", "d4", "e5"]:
        limiter.failed(name, "10.0.0.66")
    assert limiter.retry_after("siti", "10.0.0.66") == 15 * 60
    assert limiter.retry_after("siti", "10.0.0.1") == 0


def test_success_clears_the_name_not_the_client():
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for _ in range(4):
        limiter.failed("siti", "10.0.0.1")
    limiter.succeeded("siti", "10.0.0.1")
    limiter.failed("siti", "10.0.0.2")
    assert limiter.retry_after("siti", "10.0.0.2") == 0
    limiter.failed("budi", "10.0.0.1")  # the client's fifth failure
    assert limiter.retry_after("anyone", "10.0.0.1") == 15 * 60


def test_limiter_counts_every_failure_from_many_threads():
    limiter = LoginLimiter(max_failures=1000, clock=Clock())
    threads = [threading.Thread(target=lambda: [limiter.failed("siti", "c") for _ in range(100)]) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert limiter.retry_after("siti", "elsewhere") == 15 * 60  # exactly the 1000th failure locked


def test_limiter_forgets_old_failures_of_a_flood():
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for i in range(5000):
        limiter.failed(f"guess{i}", f"10.1.{i // 256}.{i % 256}")
        clock.now += 1
    assert len(limiter._failures) <= 2 * (15 * 60 + 1) + 1000  # a window's worth, not all 10000 keys


def test_login_while_locked_checks_no_password_and_logs_none(users, monkeypatch, caplog):
    set_user("siti", PASSWORD, POKJANAL, users)
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    caplog.set_level(logging.INFO, logger="dashboard.access")
    for attempt in range(4):
        assert login("siti", f"guess-{attempt}-{PASSWORD}", "10.0.0.1", limiter, users).role is None
    locked = login("siti", "guess-5", "10.0.0.1", limiter, users)
    assert locked.role is None and locked.retry_after == 15 * 60
    monkeypatch.setattr(auth.bcrypt, "checkpw", lambda *a: pytest.fail("password checked while locked out"))
    assert login("siti", PASSWORD, "10.0.0.2", limiter, users) == access.LoginResult(None, 15 * 60)
    monkeypatch.undo()
    monkeypatch.setenv("POSYANDU_BCRYPT_ROUNDS", "4")
    login("mistyped-Password1", "x", "10.0.0.3", limiter, users)
    clock.now += 15 * 60
    assert login("siti", PASSWORD, "10.0.0.2", limiter, users).role == POKJANAL
    text = caplog.text
    assert "siti" in text and PASSWORD not in text and "guess" not in text and "mistyped" not in text


# --- sessions --------------------------------------------------------------------------------------------------

def test_session_expires_after_max_age():
    session = new_session("Siti", POKJANAL, now=1_000_000.0)
    assert session.user == "siti"
    assert not session_expired(session, now=1_000_000.0 + 8 * 3600 - 1)
    assert session_expired(session, now=1_000_000.0 + 8 * 3600)
    assert session_expired(session, now=1_000_000.0 + 3600, max_age_seconds=1800)
    assert session_expired(session, now=1_000_000.0 - 3600)  # issued in the future: the clock was set back


def test_session_max_age_is_configurable(monkeypatch):
    monkeypatch.setenv("POSYANDU_SESSION_HOURS", "0.5")
    session = new_session("siti", POKJANAL, now=0.0)
    assert not session_expired(session, now=1799.0) and session_expired(session, now=1800.0)


def test_session_role_follows_the_users_file(users):
    set_user("siti", PASSWORD, POKJANAL, users)
    session = new_session("siti", POKJANAL)
    assert session_role(session, path=users) == POKJANAL
    assert session_role(None, path=users) == PUBLIK
    assert session_role(session, now=session.issued_at + 9 * 3600, path=users) == PUBLIK
    set_user("budi", PASSWORD, POKJANAL, users)
    budi = new_session("budi", POKJANAL)
    set_user("budi", "a-new-password", ADMIN, users)  # a new password ends older sessions
    assert session_role(budi, path=users) == PUBLIK
    assert session_role(new_session("budi", ADMIN), path=users) == ADMIN
    remove_user("siti", users)
    assert session_role(session, path=users) == PUBLIK
    users.write_text("{damaged")
    assert session_role(new_session("budi", ADMIN), path=users) == PUBLIK  # fails closed


# --- page access ---------------------------------------------------------------------------------------------------

def test_page_access_table():
    assert pages_for(PUBLIK) == ["publik", "masuk"]
    assert set(pages_for(POKJANAL)) == set(access.PAGE_ROLES) - {"impor", "pengguna"}
    assert pages_for(ADMIN) == list(access.PAGE_ROLES)
    assert allowed(POKJANAL, "rujukan") and not allowed(PUBLIK, "rujukan")
    assert allowed(ADMIN, "pengguna") and not allowed(POKJANAL, "impor")
    assert not allowed(ADMIN, "no-such-page") and not allowed("root", "publik")


def test_every_page_of_the_app_has_a_role():
    """A page registered in app.py without a row in PAGE_ROLES would be refused to everyone:
    decide who sees it."""
    app = (PROJECT_ROOT / "dashboard" / "app.py").read_text()
    pages = set(re.findall(r'url_path="([^"]+)"', app))
    assert pages and pages <= set(access.PAGE_ROLES), pages - set(access.PAGE_ROLES)


# --- the command line -----------------------------------------------------------------------------------------------

def users_command(*args: str, stdin: str = "", users: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "POSYANDU_BCRYPT_ROUNDS": "4"}  # the access store: the test's, set by the fixture
    if users:
        env["POSYANDU_USERS"] = str(users)
    return subprocess.run([sys.executable, "-m", "dashboard", "users", *args], input=stdin, capture_output=True,
                          text=True, cwd=PROJECT_ROOT, env=env, timeout=60)


def test_cli_add_list_remove(users):
    added = users_command("add", "Siti", "--role", "pokjanal", "--password-stdin", stdin=PASSWORD + "\n", users=users)
    assert added.returncode == 0, added.stderr
    assert "added siti (pokjanal, area all)" in added.stdout
    assert users_command("add", "budi", "--role", "admin", "--password-stdin", "--file", str(users),
                         stdin=PASSWORD + "\r\n").returncode == 0
    assert verify_password("budi", PASSWORD, users) == ADMIN
    assert stat.S_IMODE(users.stat().st_mode) == 0o600

    listed = users_command("list", users=users)
    assert listed.returncode == 0
    assert re.search(r"^budi\s+admin\s", listed.stdout, re.M) and re.search(r"^siti\s+pokjanal\s", listed.stdout, re.M)
    assert "$2b$" not in listed.stdout and PASSWORD not in listed.stdout + listed.stderr

    updated = users_command("add", "siti", "--role", "admin", "--password-stdin", stdin="another-password\n",
                            users=users)
    assert "updated siti (admin, area all)" in updated.stdout
    assert users_command("remove", "SITI", users=users).returncode == 0
    assert list(load_users(users)) == ["budi"]
    missing = users_command("remove", "siti", users=users)
    assert missing.returncode == 1 and "no user 'siti'" in missing.stderr


def test_cli_refuses_without_echoing_the_password(users):
    result = users_command("add", "siti", "--role", "pokjanal", "--password-stdin", stdin="pendek\n", users=users)
    assert result.returncode == 1 and "too short" in result.stderr
    assert "pendek" not in result.stdout + result.stderr
    assert users_command("add", "siti", "--role", "publik", "--password-stdin", stdin=PASSWORD,
                         users=users).returncode == 2  # argparse: not a login role
    assert not users.exists()
    assert "no users" in users_command("list", users=users).stdout
