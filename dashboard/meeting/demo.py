"""The demo's past meetings: one TP Posyandu meeting per province, and one for the area a user sees
first after login (``settings().default_region``, Kabupaten Serang), each with a few decisions (one
done, some overdue, one not yet due), taken from the demo's own figures so a new user sees the loop on
first run. Idempotent: an area that already has its demo meeting is left alone."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from dashboard.config import settings
from dashboard.db import reading, run_query
from dashboard.meeting.store import Decision, DecisionStore, Meeting
from dashboard.periods import Period
from dashboard.regions import ancestors

log = logging.getLogger(__name__)
DEMO_USER = "demo"


def seed_demo_meetings(store: DecisionStore, analytics_db: Path | None = None) -> int:
    """Record the demo meeting of every province with data, and of the default area inside one of them,
    that has none yet; returns how many were added."""
    with reading(analytics_db) as cursor:
        def ask(name: str, **params) -> pd.DataFrame:
            return run_query(cursor, name, params)

        months = pd.to_datetime(ask("pages/common/periods").month).dt.date
        if months.empty:
            return 0
        held_on = _add_months(max(months), -2).replace(day=12)   # two months before the data ends
        reviewed = Period("quarter", _add_months(held_on.replace(day=1), -3 - (held_on.month - 1) % 3))
        added = 0
        for area in _demo_areas(ask):
            existing = store.meetings(area)
            if (existing.created_by == DEMO_USER).any():
                continue
            _seed_area(store, ask, area, held_on, reviewed)
            added += 1
        return added


def _demo_areas(ask) -> list[str]:
    """The provinces with data, then the default area when it lies in one of them (and is not one)."""
    provinces = list(ask("pages/common/child_regions", parent="").code)
    default = ask("pages/common/region", code=settings().default_region)
    inside = (not default.empty and default.level.iloc[0] != "provinsi"
              and ancestors(default.code.iloc[0])[0] in provinces)
    return provinces + ([default.code.iloc[0]] if inside else [])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _seed_area(store: DecisionStore, ask, area: str, held_on: date, reviewed: Period) -> None:
    meeting_id = store.add_meeting(Meeting(held_on, area, reviewed.code,
                                           ("dinas_kesehatan", "dinas_sosial", "dp3a", "dpmd", "tp_pkk", "bappeda"),
                                           "Rapat koordinasi triwulanan (data demo)."), DEMO_USER)
    stunting = _stunting_by_area(ask, area, reviewed)
    overdue = ask("pages/keputusan/overdue_since", region=area, as_of=held_on, since=held_on)
    decisions: list[tuple[Decision, list[tuple[str, str, int]]]] = []
    if stunting is not None:
        worst, whole = stunting
        decisions.append((Decision(worst.region, f"Kunjungan rumah dan PMT lokal bagi balita stunting di {worst.name}",
                                   "puskesmas", held_on + timedelta(days=40), "Kepala Puskesmas", "stunting",
                                   reviewed.code, worst.prevalence, worst.numerator, worst.denominator),
                          [("berjalan", "Jadwal kunjungan disusun", 7), ("selesai", "Semua balita stunting dikunjungi", 35)]))
        decisions.append((Decision(area, "Validasi pengukuran panjang/tinggi badan bersama puskesmas",
                                   "dinas_kesehatan", held_on + timedelta(days=60), "Kabid Kesmas", "stunting",
                                   reviewed.code, whole.prevalence, whole.numerator, whole.denominator),
                          [("berjalan", "Surat ke puskesmas dikirim", 14)]))
    if not overdue.empty:
        by_agency = overdue.groupby("destination_agency").referrals.sum().sort_values(ascending=False)
        agency, count = by_agency.index[0], int(by_agency.iloc[0])
        decisions.append((Decision(area, f"Tuntaskan {count} rujukan yang lewat SLA", agency,
                                   held_on + timedelta(days=30), "Sekretaris dinas", referral_agency=agency,
                                   referral_overdue=count), []))
        village = overdue.groupby(["village_code", "desa"]).referrals.sum().sort_values(ascending=False)
        (code, name), count = village.index[0], int(village.iloc[0])
        decisions.append((Decision(code, f"Musyawarah desa {name}: tindak lanjut rujukan macet", "pemdes",
                                   held_on + timedelta(days=180), "Kepala desa", referral_area=code,
                                   referral_overdue=count), []))
    for decision, steps in decisions:
        decision_id = store.add_decision(meeting_id, decision, DEMO_USER)
        for status, note, days in steps:
            store.update_status(decision_id, status, note, held_on + timedelta(days=days), DEMO_USER)
    log.info("demo meeting of %s: %d decisions", area, len(decisions))


class AreaStunting(NamedTuple):
    region: str
    name: str
    prevalence: float
    numerator: int
    denominator: int


def _stunting_by_area(ask, region: str, reviewed: Period) -> tuple[AreaStunting, AreaStunting] | None:
    """(the area one level down with the highest stunting among those with enough children, the region)
    in the period reviewed; None without measurements then."""
    def measured(code: str, name: str) -> AreaStunting | None:
        found = ask("pages/keputusan/indicator_latest", region=code, indicator="stunting", period_type=reviewed.type,
                    latest_start=reviewed.start)
        if found.empty or pd.Timestamp(found.period_start.iloc[0]).date() != reviewed.start:
            return None
        row = found.iloc[0]
        return AreaStunting(code, name, float(row.prevalence), int(row.numerator), int(row.denominator))

    whole = measured(region, region)
    if whole is None:
        return None
    children = ask("pages/common/child_regions", parent=region)
    areas = [a for a in (measured(c, n) for c, n in zip(children.code, children.name)) if a is not None] or [whole]
    return max(areas, key=lambda a: (a.denominator >= 30, a.prevalence)), whole
