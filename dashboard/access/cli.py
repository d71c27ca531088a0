"""Command line for logins and the audit trail:

  python -m dashboard users add NAME --role pokjanal|admin [--area CODE] [--password-stdin] [--file PATH]
  python -m dashboard users set NAME [--role ROLE] [--area CODE | --all-areas] [--file PATH]
  python -m dashboard users remove NAME [--file PATH]
  python -m dashboard users list [--file PATH]
  python -m dashboard audit [--limit N] [--user NAME] [--action ACTION]
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from dashboard.access import audit
from dashboard.access.roles import LOGIN_ROLES
from dashboard.access.users import load_users, normalised_name, remove_user, set_user, update_user
from dashboard.config import settings


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard users", description="logins of the dashboard")
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="add a user, or set a new password and role for an existing one")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=LOGIN_ROLES)
    add.add_argument("--area", help="region code the user may read, e.g. 36.04 (default: every area)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    change = sub.add_parser("set", help="change a user's role or area (the password stays)")
    change.add_argument("name")
    change.add_argument("--role", choices=LOGIN_ROLES)
    areas = change.add_mutually_exclusive_group()
    areas.add_argument("--area", help="region code the user may read, e.g. 36.04")
    areas.add_argument("--all-areas", action="store_true", help="remove the user's area: every area")
    sub.add_parser("remove", help="remove a user").add_argument("name")
    sub.add_parser("list", help="list users, roles and areas (never hashes)")
    for p in sub.choices.values():
        p.add_argument("--file", type=Path, help=f"users file (default {settings().users_path}, or POSYANDU_USERS)")
    args = parser.parse_args(argv)
    path = (args.file or settings().users_path).expanduser().resolve()
    try:
        return {"add": _add, "set": _set, "remove": _remove, "list": _list}[args.action](args, path)
    except ValueError as exc:
        print(f"GAGAL / FAILED: {exc}", file=sys.stderr)
        return 1


def shell_actor() -> str:
    """Who ran the command, for the audit trail: the account on the server."""
    try:
        return f"shell:{getpass.getuser()}"
    except OSError:
        return "shell"


def _add(args: argparse.Namespace, path: Path) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Kata sandi / password for {normalised_name(args.name)}: ")
        if getpass.getpass("Ulangi / repeat: ") != password:
            raise ValueError("the two passwords differ; nothing changed")
    created = set_user(args.name, password, args.role, path, area=args.area)
    user = load_users(path)[normalised_name(args.name)]
    audit.record(shell_actor(), "user_added" if created else "user_changed",
                 f"{user.name}: role {user.role}, area {user.area or 'all'}, password set")
    print(f"{'added' if created else 'updated'} {user.name} ({user.role}, area {user.area or 'all'}) in {path}")
    return 0


def _set(args: argparse.Namespace, path: Path) -> int:
    user = update_user(args.name, role=args.role, area="" if args.all_areas else args.area, path=path)
    audit.record(shell_actor(), "user_changed", f"{user.name}: role {user.role}, area {user.area or 'all'}")
    print(f"updated {user.name} ({user.role}, area {user.area or 'all'}) in {path}")
    return 0


def _remove(args: argparse.Namespace, path: Path) -> int:
    if not remove_user(args.name, path):
        raise ValueError(f"no user '{normalised_name(args.name)}' in {path}")
    audit.record(shell_actor(), "user_removed", normalised_name(args.name))
    print(f"removed {normalised_name(args.name)} from {path}")
    return 0


def _list(args: argparse.Namespace, path: Path) -> int:
    users = sorted(load_users(path).values(), key=lambda u: u.name)
    if not users:
        print(f"no users in {path}")
    for user in users:
        print(f"{user.name:<32} {user.role:<9} area {user.area or 'all':<13} created {user.created[:19]}Z  "
              f"password set {user.password_set[:19]}Z")
    return 0


def audit_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard audit", description="the audit trail, newest first")
    parser.add_argument("--limit", type=int, default=100)
    parser.add_argument("--user", help="only this actor")
    parser.add_argument("--action", help="only this action (login, login_failed, user_added, import, ...)")
    args = parser.parse_args(argv)
    for entry in audit.entries(args.limit, args.user, args.action):
        print(f"{entry.at}  {entry.actor:<24} {entry.action:<18} {entry.detail}")
    return 0
