"""The decisions store's schema as numbered migrations: each runs once, in its own transaction, and
``schema_version`` records which have run. Append a new number; never edit one that has shipped."""

from __future__ import annotations

from dashboard.regions import LEVELS

STATUSES = ("direncanakan", "berjalan", "selesai", "batal")
OPEN_STATUSES = ("direncanakan", "berjalan")

_STATUS_CHECK = ", ".join(f"'{s}'" for s in STATUSES)
_LEVEL_CHECK = ", ".join(f"'{s}'" for s in LEVELS)

MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        f"""create table meetings (
            meeting_id integer primary key,
            held_on text not null,                -- ISO date of the meeting
            level text not null check (level in ({_LEVEL_CHECK})),
            area_code text not null,              -- Kemendagri code of the TP Posyandu's area
            period text not null,                 -- period reviewed, as the URL writes it (2026, 2026-Q3, 2026-10)
            agencies text not null default '[]',  -- JSON list of agency codes present (catalogue labels.agency)
            notes text not null default '',
            created_by text not null,
            created_at text not null
        )""",
        f"""create table decisions (
            decision_id integer primary key,
            meeting_id integer not null references meetings (meeting_id) on delete cascade,
            area_code text not null,              -- the area it concerns, any level down to a village
            indicator text,                       -- what it responds to: a prevalence indicator ...
            indicator_period text,                -- ... of this period (the one reviewed) ...
            baseline_value real,                  -- ... with its value (%) ...
            baseline_numerator integer,           -- ... numerator ...
            baseline_n integer,                   -- ... and denominator at the time
            referral_agency text,                 -- and/or the overdue referrals of an agency ...
            referral_area text,                   -- ... or all those of an area (e.g. a village)
            referral_overdue integer,             -- how many were overdue then
            posyandu_id text,                     -- and/or a posyandu
            action text not null check (length(trim(action)) > 0),
            agency text not null,                 -- responsible agency (catalogue labels.agency)
            person text not null default '',      -- responsible person or role
            due_on text not null,                 -- ISO date
            status text not null default 'direncanakan' check (status in ({_STATUS_CHECK})),
            created_by text not null,
            created_at text not null,
            updated_at text not null
        )""",
        "create index decisions_meeting on decisions (meeting_id)",
        "create index decisions_area on decisions (area_code)",
        "create index decisions_agency on decisions (agency, due_on)",
        f"""create table decision_updates (
            update_id integer primary key,
            decision_id integer not null references decisions (decision_id) on delete cascade,
            updated_on text not null,             -- ISO date the status changed
            status text not null check (status in ({_STATUS_CHECK})),
            note text not null default '',
            created_by text not null,
            created_at text not null
        )""",
        "create index decision_updates_decision on decision_updates (decision_id)",
        """create table audit (
            audit_id integer primary key,
            at text not null,                     -- ISO timestamp, UTC
            user text not null,
            action text not null,                 -- create | update_status | correct | delete
            entity text not null,                 -- meeting | decision
            entity_id integer not null,
            before text,                          -- JSON of the row before the change (none for create)
            after text                            -- JSON of the row after it (none for delete)
        )""",
        "create index audit_entity on audit (entity, entity_id)",
    ),
}
