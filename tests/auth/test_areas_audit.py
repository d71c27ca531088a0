"""Areas of users and the audit trail without Streamlit: codes checked, areas kept or changed without a
new password, queries scoped, every login and user change in the trail with who, when and what, and
the ``users`` and ``audit`` commands."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.access import (LoginLimiter, OutsideArea, check_query, load_users, login, normalised_area, set_user,
                              update_user, verify_password, within)
from dashboard.access import audit
from dashboard.config import PROJECT_ROOT

PASSWORD = "kader-Cikande-2026"


@pytest.fixture(autouse=True)
def own_store(monkeypatch, tmp_path):
    monkeypatch.setenv("POSYANDU_BCRYPT_ROUNDS", "4")
    monkeypatch.setenv("POSYANDU_ACCESS_DB", str(tmp_path / "access.sqlite"))
    monkeypatch.setenv("POSYANDU_USERS", str(tmp_path / "users.json"))


@pytest.fixture
def users(tmp_path) -> Path:
    return tmp_path / "users.json"


def test_within_an_area():
    assert within(None, "62.71") and within("36.04", "36.04") and within("36.04", "36.04.15.2001")
    assert not within("36.04", "36.041") and not within("36.04", "36") and not within("36.04", "")


@pytest.mark.parametrize("code", ["36.4", "36-04", "3604", "36.04.", "36.04.15.20011", "x"])
def test_an_area_must_be_a_region_code(code, users):
    with pytest.raises(ValueError, match="Kemendagri region code"):
        normalised_area(code)
    with pytest.raises(ValueError, match="Kemendagri region code"):
        set_user("siti", PASSWORD, "pokjanal", users, area=code)
    assert not users.exists()


def test_areas_are_kept_changed_and_cleared_without_a_new_password(users):
    set_user("siti", PASSWORD, "pokjanal", users, area=" 36.04 ")
    assert load_users(users)["siti"].area == "36.04"
    set_user("siti", "another-password", "pokjanal", users)              # a new password keeps the area
    assert load_users(users)["siti"].area == "36.04"
    before = load_users(users)["siti"].password_set
    changed = update_user("SITI", area="36.04.15", path=users)
    assert changed.area == "36.04.15" and changed.password_set == before
    assert verify_password("siti", "another-password", users) == "pokjanal"
    assert update_user("siti", role="admin", area="", path=users).area is None
    with pytest.raises(ValueError, match="no user 'budi'"):
        update_user("budi", area="36", path=users)


def test_queries_are_scoped_by_their_area_parameters():
    check_query("36.04", "pages/rujukan/backlog", {"region": "36.04.15", "as_of": "2025-12-31"})
    check_query(None, "pages/rujukan/backlog", {"region": "62"})
    check_query("36.04", "pages/publik/stunting", {"province": "62"})        # the public page's aggregates
    check_query("36.04", "pages/common/child_regions", {"parent": ""})       # region names
    for name, params in [("pages/rujukan/backlog", {"region": "62"}), ("pages/common/areas", {"region": "36"}),
                         ("pages/pkk/villages", {"region": "36.01.01"}), ("briefing", {"region": "36.041"})]:
        with pytest.raises(OutsideArea, match="outside the user's area 36.04"):
            check_query("36.04", name, params)


def test_logins_and_failures_are_in_the_trail_without_secrets(users):
    set_user("siti", PASSWORD, "pokjanal", users)
    limiter = LoginLimiter()
    login("siti", "wrong-" + PASSWORD, "198.51.100.4", limiter, users)
    login("3604011234567890", PASSWORD, "198.51.100.4", limiter, users)      # a NIK typed as the user name
    login("siti", PASSWORD, "198.51.100.4", limiter, users)
    trail = audit.entries()
    assert [(e.actor, e.action) for e in trail] == [("siti", "login"), (audit.UNKNOWN_ACTOR, "login_failed"),
                                                     ("siti", "login_failed")]
    assert trail[0].detail == "role pokjanal, client 198.51.100.4" and trail[0].at.endswith("+00:00")
    text = repr(trail)
    assert PASSWORD not in text and "3604011234567890" not in text


def test_long_numbers_never_reach_the_trail():
    audit.record("siti", "decision_changed", "anak NIK 3604011234567890 dirujuk")
    assert audit.entries(1)[0].detail == "anak NIK [angka disamarkan] dirujuk"


def test_the_trail_outlives_a_failed_write(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("POSYANDU_ACCESS_DB", str(tmp_path / "not-a-folder" / "x"))
    (tmp_path / "not-a-folder").write_text("a file where the folder should be")
    audit.record("siti", "login")                                           # logged, not raised
    assert "could not be written" in caplog.text


def command(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ}
    return subprocess.run([sys.executable, "-m", "dashboard", *args], input=stdin, capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env=env, timeout=60)


def test_cli_sets_areas_and_lists_the_trail(users, tmp_path):
    added = command("users", "add", "tp-serang", "--role", "pokjanal", "--area", "36.04", "--password-stdin",
                    stdin=PASSWORD + "\n")
    assert added.returncode == 0 and "added tp-serang (pokjanal, area 36.04)" in added.stdout, added.stderr
    assert command("users", "set", "tp-serang", "--area", "36.04.15").returncode == 0
    assert load_users(users)["tp-serang"].area == "36.04.15"
    assert command("users", "set", "tp-serang", "--all-areas", "--role", "admin").returncode == 0
    assert load_users(users)["tp-serang"].area is None and load_users(users)["tp-serang"].role == "admin"
    bad = command("users", "set", "tp-serang", "--area", "banten")
    assert bad.returncode == 1 and "Kemendagri region code" in bad.stderr
    listed = command("users", "list")
    assert "tp-serang" in listed.stdout and "area all" in listed.stdout
    assert command("users", "remove", "tp-serang").returncode == 0

    trail = command("audit", "--limit", "10")
    assert trail.returncode == 0
    actions = [line.split()[2] for line in trail.stdout.splitlines()]
    assert actions == ["user_removed", "user_changed", "user_changed", "user_added"], trail.stdout
    assert PASSWORD not in trail.stdout and "$2b$" not in trail.stdout
    only = command("audit", "--action", "user_added")
    assert len(only.stdout.splitlines()) == 1 and "tp-serang: role pokjanal, area 36.04" in only.stdout
    assert stat.S_IMODE((tmp_path / "access.sqlite").stat().st_mode) == 0o600


def test_imports_from_the_command_line_are_in_the_trail(tmp_path):
    export = tmp_path / "bukan_ekspor.csv"
    export.write_text("apa;ini\n1;2\n")
    result = command("import", str(export), "--db", str(tmp_path / "posyandu.duckdb"))
    assert result.returncode == 1
    [entry] = audit.entries(action="import")
    assert entry.actor.startswith("shell") and entry.detail.startswith("bukan_ekspor.csv: failed: ")
