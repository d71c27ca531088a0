"""``python -m dashboard meetings``: back up the decisions store, list its meetings, seed the demo's.

  meetings backup OUT [--store PATH]               a consistent copy while the app keeps writing (mode 0600)
  meetings list [--store PATH]                     meetings with their decisions by status
  meetings seed-demo [--db PATH] [--store PATH]    the demo's past meetings (once per province)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard.config import settings
from dashboard.meeting.store import DecisionStore, StoreError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard meetings", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    store_help = f"decisions store (default {settings().decisions_path}, POSYANDU_DECISIONS)"
    p = sub.add_parser("backup", help="copy the decisions store with SQLite's online backup")
    p.add_argument("out", type=Path, help="new file to write (refused when it exists)")
    p.add_argument("--store", type=Path, help=store_help)
    p = sub.add_parser("list", help="meetings with their decisions by status")
    p.add_argument("--store", type=Path, help=store_help)
    p = sub.add_parser("seed-demo", help="record the demo's past meeting of each province (idempotent)")
    p.add_argument("--db", type=Path, help=f"analytics database (default {settings().db_path})")
    p.add_argument("--store", type=Path, help=store_help)
    args = parser.parse_args(argv)
    if args.action == "backup" and not (args.store or settings().decisions_path).exists():
        print(f"GAGAL / FAILED: no decisions store at {args.store or settings().decisions_path}", file=sys.stderr)
        return 1
    store = DecisionStore(args.store)
    if args.action == "backup":
        try:
            out = store.backup(args.out)
        except StoreError as error:
            print(f"GAGAL / FAILED: {error}", file=sys.stderr)
            return 1
        print(f"OK  {store.path} -> {out} ({out.stat().st_size:,} bytes)")
    elif args.action == "list":
        _print_meetings(store)
    else:
        from dashboard.meeting.demo import seed_demo_meetings

        try:
            added = seed_demo_meetings(store, args.db)
        except FileNotFoundError as error:
            print(f"GAGAL / FAILED: {error}", file=sys.stderr)
            return 1
        print(f"OK  demo meetings added: {added} (store {store.path})")
    return 0


def _print_meetings(store: DecisionStore) -> None:
    meetings, decisions = store.meetings(), store.decisions()
    if meetings.empty:
        print(f"no meetings in {store.path}")
    counts = decisions.groupby(["meeting_id", "status"]).size()
    for m in meetings.itertuples():
        statuses = ", ".join(f"{status} {n}" for (meeting, status), n in counts.items() if meeting == m.meeting_id)
        print(f"{m.meeting_id:>5}  {m.held_on}  {m.area_code:<13} {m.period:<8} by {m.created_by:<12} "
              f"decisions: {statuses or 'none'}")
