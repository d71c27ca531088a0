"""Printed recaps: forms offices type into Excel as they are printed, read as one heading per column.

PKK's "Rekapitulasi Catatan Data dan Kegiatan Warga" (kelompok Dasa Wisma and kecamatan versions)
has title rows above ("KELOMPOK DASA WISMA : Mawar", "DESA/KELURAHAN : Sindangmandi", "TAHUN : 2025"),
a heading in two or three rows (a group heading merged across its sub-columns, the sub-headings,
sometimes L/P below them), often a row of column numbers 1..35, and a JUMLAH row at the bottom.

- ``flatten`` joins the heading rows into one heading per column ("Kriteria Rumah - Jamban",
  "Jumlah Anggota Keluarga - Balita - L") and drops the continuation, number and JUMLAH rows;
- ``with_title_values`` gives every row the village, period or group a title row names, when no
  column does, and says so in the table's warnings;
- ``summed_households`` adds up the KELOMPOK form written one row per household ("Nama Kepala Rumah
  Tangga", its KK and members, ticks for the house, water, food and activities) into one row per Dasa
  Wisma group, the grain of the canonical table; the head of household's name is never kept;
- ``total_row_warnings`` checks the JUMLAH row against the sum of the rows.

A merged cell holds its text only in its first cell (Excel) or in every cell it spans (HTML read
by pandas); both flatten alike. The headings stage applies this only to datasets that declare
``extra["printed_recap"]``, so other exports with a title row are read exactly as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dashboard.ingest import normalise as nz
from dashboard.ingest.datasets import Dataset, heading_key
from dashboard.ingest.privacy import masked
from dashboard.ingest.readers import Chunk, RawTable

GROUP_SEPARATOR = " - "
_TOTAL_WORDS = {"jumlah", "total", "jml", "jumlahtotal", "grandtotal", "jumlahseluruhnya", "jumlahakhir"}
_COLUMN_NUMBER = re.compile(r"\(?(\d{1,3})\)?")
_MAX_EXTRA_HEADING_ROWS = 2
_TOTAL_ROW_SCAN = 5          # the JUMLAH row is among the last rows
_TOTAL_LABEL_COLUMNS = 6     # and says so in one of its first cells (No, RW, RT, name ...)


@dataclass
class Recap:
    table: RawTable                               # one heading per column; heading, number and total rows dropped
    titles: list[tuple[int, list[str | None]]]   # (1-based row, cells) of the title rows above the heading
    total: tuple[int, pd.Series] | None           # (source row, cells) of the JUMLAH row


def flatten(table: RawTable) -> Recap | None:
    """The table with its multi-row heading flattened; None when it has no sign of a printed form."""
    width = len(table.headings)
    above = [_padded(row, width) for row in table.above]
    upper = _upper_heading_rows(above)
    cells = table.cells
    body = [_padded(list(row), width) for row in cells.iloc[:_MAX_EXTRA_HEADING_ROWS + 1, :width].itertuples(
        index=False, name=None)]
    lower = 0
    while lower < min(_MAX_EXTRA_HEADING_ROWS, len(body)) and _is_heading_continuation(body[lower]):
        lower += 1
    numbered = lower < len(body) and _is_column_numbers(body[lower])
    last = range(max(len(cells) - _TOTAL_ROW_SCAN, 0), len(cells))
    total_at = [i for i in last if _is_total_row(cells.iloc[i, :min(width, _TOTAL_LABEL_COLUMNS)].tolist())]
    if not upper and not lower and not numbered and not total_at:
        return None
    levels = [above[-upper + i] for i in range(upper)] + [_padded(table.headings, width)] + body[:lower]
    headings = _joined_headings(_filled_groups(levels))
    dropped = set(range(lower + numbered)) | set(total_at)
    keep = [i for i in range(len(cells)) if i not in dropped]
    total = (int(table.source_rows.iloc[total_at[-1]]), cells.iloc[total_at[-1]]) if total_at else None
    # a printed recap is a few dozen rows (an Excel or HTML form): its kept rows are handed on as one chunk
    kept = Chunk(cells.iloc[keep].reset_index(drop=True), table.source_rows.iloc[keep].reset_index(drop=True))
    flat = replace(table, headings=headings, read_chunks=lambda: iter([kept]),
                   heading_row=table.heading_row + lower + numbered)
    titles = [(number, row) for number, row in enumerate(above[:len(above) - upper], start=1) if any(row)]
    return Recap(flat, titles, total)


def _padded(row: list, width: int) -> list[str | None]:
    cells = [c if isinstance(c, str) and c.strip() else None for c in row[:width]]
    return cells + [None] * (width - len(cells))


def _upper_heading_rows(above: list[list[str | None]]) -> int:
    """How many rows right above the heading row are group headings (several cells, no 'label : value')."""
    count = 0
    for row in reversed(above[-_MAX_EXTRA_HEADING_ROWS:]):
        filled = [c for c in row if c]  # a title merged across the form: one cell, or one text repeated (HTML)
        if len(set(filled)) < 2 or any(":" in c for c in filled) or _is_column_numbers(row):
            break
        count += 1
    return count


def _is_heading_continuation(row: list[str | None]) -> bool:
    """A row under the heading with text and no number in it (sub-headings, 'L'/'P')."""
    filled = [c for c in row if c]
    return len(filled) >= 2 and not any(re.search(r"\d", c) for c in filled)


def _is_column_numbers(row: list[str | None]) -> bool:
    """The row of column numbers printed under a form's heading: 1, 2, 3, ... (or (1), (2), ...)."""
    numbers = [_COLUMN_NUMBER.fullmatch(c.strip()) for c in row if c]
    if len(numbers) < max(3, len(row) // 2) or not all(numbers):  # the form numbers (nearly) every column
        return False
    values = [int(m.group(1)) for m in numbers]
    return values[0] in (0, 1) and all(b == a + 1 for a, b in zip(values, values[1:]))


def _is_total_row(first_cells: list) -> bool:
    return any(isinstance(c, str) and re.sub(r"[^a-z]", "", c.lower()) in _TOTAL_WORDS for c in first_cells)


def _filled_groups(levels: list[list[str | None]]) -> list[list[str | None]]:
    """Spread each group heading over the columns it was merged across.

    A blank heading cell takes the text to its left when both columns have sub-headings below and
    sit under the same group one level up: that is what a merge across sub-columns looks like once
    Excel keeps its text only in the first cell.
    """
    levels = [list(row) for row in levels]
    width = len(levels[0])

    def below(level: int, column: int) -> bool:
        return any(levels[deeper][column] for deeper in range(level + 1, len(levels)))

    for level, row in enumerate(levels):
        for column in range(1, width):
            if (row[column] is None and row[column - 1] is not None and below(level, column)
                    and below(level, column - 1)
                    and (level == 0 or levels[level - 1][column] == levels[level - 1][column - 1])):
                row[column] = row[column - 1]
    return levels


def _joined_headings(levels: list[list[str | None]]) -> list[str]:
    headings = []
    for column in range(len(levels[0])):
        parts: list[str] = []
        for row in levels:
            text = " ".join(row[column].split()) if row[column] else None
            if text and (not parts or parts[-1] != text):  # HTML repeats a cell merged downwards
                parts.append(text)
        headings.append(GROUP_SEPARATOR.join(parts))
    return headings


def heading_keys(heading: str) -> tuple[str, ...]:
    """A heading's key, and for a flattened group heading also its key without the top group
    ('Kriteria Rumah - Jamban' is also 'Jamban'), so the alias table names sub-headings once."""
    key = heading_key(heading)[0]
    if GROUP_SEPARATOR not in heading:
        return (key,)
    return key, heading_key(heading.split(GROUP_SEPARATOR, 1)[1])[0]


def title_pairs(cells: list[str | None]) -> list[tuple[str, str]]:
    """('DESA/KELURAHAN', 'Sindangmandi') from 'DESA/KELURAHAN : Sindangmandi' in one cell, or in two
    cells ('DESA/KELURAHAN', ': Sindangmandi'), or three ('DESA/KELURAHAN', ':', 'Sindangmandi')."""
    filled = [c.strip() for c in cells if c and c.strip()]
    pairs, index = [], 0
    while index < len(filled):
        label, colon, value = filled[index].partition(":")
        index += 1
        if colon and not value.strip() and index < len(filled):
            value = filled[index]
            index += 1
        elif not colon and index < len(filled) and filled[index].startswith(":"):
            value, colon = filled[index][1:], ":"
            index += 1
            if not value.strip() and index < len(filled):
                value = filled[index]
                index += 1
        if colon and label.strip() and value.strip():
            pairs.append((label.strip(), value.strip().lstrip(":").strip()))
    return pairs


def with_title_values(recap: Recap, dataset: Dataset) -> RawTable:
    """The form as rows of the dataset: a column for each title row value the rows lack (village, period,
    group, RT/RW), and a household form summed to its Dasa Wisma groups (``summed_households``)."""
    return summed_households(_title_columns(recap, dataset), dataset)


def _title_columns(recap: Recap, dataset: Dataset) -> RawTable:
    table = recap.table
    alias_to_column = {key: c.name for c in dataset.columns for key in c.alias_keys}
    present = {alias_to_column.get(k) for h in table.headings for k in heading_keys(h)} - {None}
    added: dict[str, tuple[str, str, int]] = {}   # heading -> (value, column, title row)
    for number, row in recap.titles:
        for label, value in title_pairs(row):
            parts = _rt_rw(label, value) or [(label, value)]
            for part_label, part_value in parts:
                column = alias_to_column.get(heading_key(part_label)[0])
                if column and column not in present and column not in {c for _, c, _ in added.values()}:
                    added[part_label] = (part_value, column, number)
    if not added:
        return table
    whole = table.cells
    cells = whole.drop(columns="__extra")
    width = len(table.headings)
    for offset, (label, (value, _, _)) in enumerate(added.items()):
        cells[width + offset] = value
    cells["__extra"] = whole["__extra"]
    notes = [f"'{label}' taken from title row {number} for every row / diambil dari baris judul {number} untuk "
             "setiap baris" for label, (_, _, number) in added.items()]
    filled = Chunk(cells, table.source_rows)
    return replace(table, headings=table.headings + list(added), read_chunks=lambda: iter([filled]),
                   warnings=table.warnings + notes)


def _rt_rw(label: str, value: str) -> list[tuple[str, str]] | None:
    """'RT/RW : 001/002' is two title values."""
    if heading_key(label)[0] not in ("rtrw", "rtw") or value.count("/") != 1:
        return None
    rt, rw = (part.strip() for part in value.split("/"))
    return [("RT", rt), ("RW", rw)]


_TICKS = {"v", "√", "✓", "✔", "ya", "y"}  # a ticked household column counts one household
HOUSEHOLDS_HEADING, KK_HEADING = "Jumlah KRT", "Jumlah KK"  # added when the form has no such column


def summed_households(table: RawTable, dataset: Dataset) -> RawTable:
    """A household form (a heading naming the head of household, ``extra["household_name"]``) as one row per
    Dasa Wisma group: counts added up, one household per row and, without a "Jumlah KK" column, one KK each.

    The name cells are masked before anything else, so no name reaches a table, a reject or a message. A
    household whose count cells the parse stage would refuse (or with a formula saved without a value, or
    cells beyond the headings) is handed on alone, so it is rejected with its own row and column while
    the others are summed; the summed row carries the source row of its group's first household.
    """
    names = _household_name_positions(table.headings, dataset)
    if not names:
        return table
    cells = table.cells.copy()
    for position in names:
        cells[position] = cells[position].map(lambda v: masked(v) if isinstance(v, str) and v.strip() else None)
    source_rows = table.source_rows
    columns = _column_positions(table.headings, dataset)
    counts = {name: p for name, p in columns.items() if dataset.column(name).kind == "count" and name != "year"}
    groups = [p for name, p in columns.items() if name not in counts]
    for position in counts.values():
        cells[position] = cells[position].map(lambda v: "1" if isinstance(v, str) and v.strip().lower() in _TICKS else v)
    parsed = {p: nz.parse_count(cells[p]) for p in counts.values()}
    bad = cells["__extra"].notna() | source_rows.isin({row for row, _ in table.blank_formulas})
    for position, result in parsed.items():
        too_big = (result.values.astype("Float64") > np.iinfo(np.int32).max).fillna(False)  # as the parse stage
        bad |= result.errors.notna() | too_big
    good = cells.index[~bad]
    group_of = _group_of(cells.loc[good, groups])
    first_of_group = pd.Index(group_of.unique())
    summed = cells.loc[first_of_group].copy()
    for position in set(range(len(table.headings))) - set(groups) - set(counts.values()):
        summed[position] = None  # No, Ket and the masked name describe one household, not the group
    for position, result in parsed.items():
        summed[position] = result.values.loc[good].groupby(group_of).sum(min_count=1).reindex(first_of_group).map(
            lambda v: None if pd.isna(v) else str(int(v)))
    households = group_of.value_counts().reindex(first_of_group)
    headings = list(table.headings)
    for name, heading in (("households", HOUSEHOLDS_HEADING), ("kk_count", KK_HEADING)):
        if name not in columns:
            cells[heading], summed[heading] = None, households.astype(str)
            headings.append(heading)
    order = sorted(list(first_of_group) + list(cells.index[bad]))
    width = len(headings)
    rows = pd.concat([summed, cells.loc[cells.index[bad]]]).loc[order]
    rows = rows[[c for c in rows.columns if c != "__extra"] + ["__extra"]].reset_index(drop=True)
    rows.columns = list(range(width)) + ["__extra"]
    kept = Chunk(rows, source_rows.loc[order].reset_index(drop=True))
    note = (f"household form: {len(good)} households summed into {len(first_of_group)} Dasa Wisma row(s), each "
            f"under the row of its first household; {int(bad.sum())} household row(s) checked on their own; "
            "names of heads of household are not stored / formulir rumah tangga: "
            f"{len(good)} rumah tangga dijumlah menjadi {len(first_of_group)} baris Dasa Wisma; nama kepala rumah "
            "tangga tidak disimpan")
    return replace(table, headings=headings, read_chunks=lambda: iter([kept]), warnings=table.warnings + [note])


def _group_of(keys: pd.DataFrame) -> pd.Series:
    """For each row, the index of the first row with the same group cells (village, RT, group, period)."""
    if not len(keys.index):
        return pd.Series(dtype="int64")
    text = keys.apply(lambda c: c.map(lambda v: " ".join(v.split()).lower() if isinstance(v, str) else ""))
    joined = text.apply(lambda row: "\x1f".join(row), axis=1) if len(text.columns) else pd.Series("", index=keys.index)
    joined = pd.Series(joined, index=keys.index, dtype=object)
    first = {value: index for index, value in reversed(list(joined.items()))}
    return joined.map(first).astype("int64")


def _household_name_positions(headings: list[str], dataset: Dataset) -> list[int]:
    keys = {heading_key(a)[0] for a in dataset.extra.get("household_name", ())}
    return [p for p, h in enumerate(headings) if h and keys.intersection(heading_keys(h))]


def _column_positions(headings: list[str], dataset: Dataset) -> dict[str, int]:
    """Canonical column -> position, the first heading naming it (as the headings stage maps them)."""
    alias_to_column = {}
    for column in dataset.columns:
        for key in column.alias_keys:
            alias_to_column.setdefault(key, column.name)
    positions: dict[str, int] = {}
    for position, heading in enumerate(headings):
        name = next((alias_to_column[k] for k in heading_keys(heading) if k in alias_to_column), None)
        if name and name not in positions:
            positions[name] = position
    return positions


def total_row_warnings(total: tuple[int, pd.Series] | None, table: RawTable, positions: dict[str, int],
                       dataset: Dataset) -> list[str]:
    """The count columns whose JUMLAH cell is not the sum of the rows above it."""
    if total is None:
        return []
    row, total_cells = total
    wrong = []
    for column in dataset.columns:
        if column.kind != "count" or column.name not in positions or column.name == "year":
            continue
        position = positions[column.name]
        if position not in total_cells.index:  # a column added below the form (title value, household count)
            continue
        stated = nz.parse_count(pd.Series([total_cells[position]], dtype=object)).values.iloc[0]
        if pd.isna(stated):
            continue
        summed = int(nz.parse_count(table.cells[position]).values.sum())
        if summed != int(stated):
            wrong.append(f"{table.headings[position]} ({int(stated)} vs {summed})")
    if not wrong:
        return []
    return [f"the JUMLAH row (row {row}) is not the sum of the rows for: {'; '.join(wrong)} / baris JUMLAH "
            "tidak sama dengan jumlah baris di atasnya"]
