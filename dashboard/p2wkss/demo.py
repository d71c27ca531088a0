"""The demo's P2WKSS assessment: ``python -m dashboard.p2wkss seed-demo [--db PATH]``.

In each kab/kota of the demo with programme villages, the team scores its P2WKSS desa binaan and the
three villages at the top of the candidate list, for the year the data ends in (deterministic scores,
entered as the user ``demo``). Run after ``python -m dashboard demo``; a second run changes nothing.
"""

from __future__ import annotations

import argparse
import hashlib
from datetime import date
from pathlib import Path

import pandas as pd

from dashboard.db import reading, run_query
from dashboard.p2wkss.store import AssessmentStore, parts

DEMO_USER = "demo"


def _score(village: str, part: str) -> float:
    """A stable score 45..95 per village and part."""
    digest = hashlib.sha256(f"{village}|{part}".encode()).digest()
    return float(45 + digest[0] % 51)


def seed_demo_assessment(store: AssessmentStore, analytics_db: Path | None = None) -> int:
    """Score the demo's assessed villages that have no scores yet; returns how many villages were scored."""
    with reading(analytics_db) as cursor:
        months = pd.to_datetime(run_query(cursor, "pages/common/periods", {}).month)
        if months.empty:
            return 0
        year = date(months.max().year, 1, 1)
        as_of = months.max().date()
        assessed: list[str] = []
        for kab in _kabkota(cursor):
            programmes = run_query(cursor, "pages/spm/programme_villages", {"region": kab, "year": year})
            candidates = run_query(cursor, "pages/spm/candidates", {"region": kab, "year": year, "as_of": as_of})
            chosen = programmes[programmes.programme == "p2wkss"].village_code.tolist()
            assessed += chosen + [v for v in candidates.village_code if v not in chosen][:3]
        done = set(store.scores(year.year).village_code)
        fresh = [v for v in dict.fromkeys(assessed) if v not in done]
        for village in fresh:
            store.enter(village, year.year, {part: _score(village, part) for part in parts()}, DEMO_USER)
        return len(fresh)


def _kabkota(cursor) -> list[str]:
    """The kab/kota codes of every province with data."""
    provinces = run_query(cursor, "pages/common/child_regions", {"parent": ""}).code
    return [code for province in provinces
            for code in run_query(cursor, "pages/common/child_regions", {"parent": province}).code]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.p2wkss", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["seed-demo"])
    parser.add_argument("--db", type=Path, help="the analytics database (default: the configured one)")
    args = parser.parse_args(argv)
    added = seed_demo_assessment(AssessmentStore(), args.db)
    print(f"P2WKSS: {added} villages scored as '{DEMO_USER}'")
    return 0
