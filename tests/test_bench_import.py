"""The import benchmark runs both sides on the same generated file (no timing asserted: figures go
in the README, not in tests)."""

from __future__ import annotations

from dashboard.bench import PARTS
from dashboard.bench.common import Context
from dashboard.bench.importer import import_part


def test_import_part_measures_the_importer_beside_duckdb_at_two_sizes(tmp_path):
    assert PARTS["import"] is import_part
    rows = import_part(Context(rows=400, workdir=tmp_path))
    assert [r.what.split(":")[0].split(" at ")[0] for r in rows] == ["importer", "DuckDB alone", "importer / DuckDB alone"] * 2
    assert "400 measurement rows" in rows[0].what and "1,200 measurement rows" in rows[3].what
    assert "loaded 400, rejected 0" in rows[0].note and rows[1].note == "400 rows"  # every generated row is good
    assert "loaded 1,200, rejected 0" in rows[3].note and rows[4].note == "1,200 rows"
    assert all(" MB peak RSS" in r.figure for r in rows[:2]) and rows[2].figure.endswith("x memory")
    assert not list(tmp_path.glob("*.csv"))  # the generated exports are removed after measuring
