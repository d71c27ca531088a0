"""Headings stage: which dataset a file is, and which canonical column each heading means.

Input: the ``RawTable`` of the read stage. Output: a ``MappedTable`` (the dataset, the position
and written unit of each canonical column, the headings not imported, and the headings whose
cells are personal and must be masked wherever a value is shown).
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.ingest.datasets import DATASETS, REGION_COLUMNS, Dataset, heading_key
from dashboard.ingest.privacy import shown_heading
from dashboard.ingest.readers import RawTable, UnreadableFile, known_heading_keys


@dataclass
class MappedTable:
    table: RawTable
    dataset: Dataset
    positions: dict[str, int]          # canonical column -> heading position
    units: dict[str, str | None]       # canonical column -> unit written in its heading
    ignored: list[str]                 # headings present but not imported (masked where they look personal)
    personal: set[str]                 # headings whose values are masked in every message

    def kind_of(self, heading: str) -> str | None:
        """The kind of the canonical column a heading was mapped to (None when it is not imported)."""
        by_position = {p: c for c, p in self.positions.items()}
        if heading not in self.table.headings:
            return None
        name = by_position.get(self.table.headings.index(heading))
        return self.dataset.column(name).kind if name else None

    def heading(self, column: str) -> str:
        """The heading as written for a canonical column, or the column name when the file lacks it."""
        return self.table.headings[self.positions[column]] if column in self.positions else column

    def region_heading(self, column: str) -> str:
        """The heading a region problem is about; an absent name column points at the code column, or the row."""
        for candidate in (column, "village_code"):
            if candidate and candidate in self.positions:
                return self.table.headings[self.positions[candidate]]
        return ""


def detect_dataset(headings: list[str], kind: str | None = None) -> Dataset:
    """The dataset whose own (non-region) columns the headings match best; or the one named by --kind."""
    keys = {heading_key(h)[0] for h in headings if h}
    if kind:
        if kind not in DATASETS:
            raise UnreadableFile(f"unknown --kind {kind!r}; choose one of {', '.join(DATASETS)}")
        dataset = DATASETS[kind]
    else:
        scores = sorted(((match_score(keys, d), d) for d in DATASETS.values()), key=lambda pair: -pair[0])
        if scores[0][0] == 0 or scores[0][0] == scores[1][0]:
            raise UnreadableFile(
                "cannot tell which dataset this file is (use --kind "
                f"{'|'.join(DATASETS)}) / jenis data tidak dapat dikenali")
        dataset = scores[0][1]
    missing = [c for c in dataset.columns if c.required and not keys & c.alias_keys]
    if missing:
        names = ", ".join(f"'{c.aliases[0]}'" for c in missing)
        raise UnreadableFile(f"looks like {dataset.name} but has no column {names} / kolom wajib tidak ada")
    return dataset


def match_score(keys: set[str], dataset: Dataset) -> int:
    """How many of the dataset's own (non-region) columns the heading keys name."""
    shared = {c.name for c in REGION_COLUMNS}
    return len({c.name for c in dataset.columns if c.name not in shared and keys & c.alias_keys})


def map_headings(table: RawTable, kind: str | None = None) -> MappedTable:
    """Detect the dataset and map each heading to its canonical column (first match wins)."""
    dataset = detect_dataset(table.headings, kind)
    alias_to_column = {}
    for column in dataset.columns:
        for key in column.alias_keys:
            alias_to_column.setdefault(key, column.name)
    personal_keys = {k for c in dataset.columns if c.personal for k in c.alias_keys}
    personal_keys |= {heading_key(a)[0] for a in dataset.ignored}
    positions, units, ignored, personal = {}, {}, [], set()
    for pos, heading in enumerate(table.headings):
        key, unit = heading_key(heading)
        name = alias_to_column.get(key)
        if name and name not in positions:
            positions[name], units[name] = pos, unit
        elif heading:
            ignored.append(shown_heading(heading, known=key in known_heading_keys()))
        if key in personal_keys:
            personal.add(heading)
    return MappedTable(table, dataset, positions, units, ignored, personal)
