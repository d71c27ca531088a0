"""The import's stages: datasets declare their behaviour, the schema declares what is stored."""

from pathlib import Path

import pytest

from dashboard.ingest.datasets import DATASETS, POSYANDU_COLUMNS, REGION_COLUMNS
from dashboard.ingest.load import table_columns
from dashboard.ingest.rules import STATUS_DATES

# Columns read from exports only to find or derive something else; everything else must be stored.
INPUT_ONLY = {c.name for c in REGION_COLUMNS + POSYANDU_COLUMNS} | {"year"} | set(STATUS_DATES.values())


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_every_parsed_column_is_stored_or_an_input(name):
    stored = set(table_columns(name))
    unstored = {c.name for c in DATASETS[name].columns} - stored - INPUT_ONLY
    assert not unstored, f"{name}: parsed but neither stored nor an input: {unstored}"
    assert set(DATASETS[name].natural_key) <= stored


def test_table_columns_come_from_the_schema_files():
    assert table_columns("posyandu") == ("posyandu_id", "name", "village_code", "register_no", "rw", "batch_id")
    assert "haz" in table_columns("measurements")


def test_no_stage_branches_on_a_dataset_name():
    folder = Path(__file__).parents[2] / "dashboard" / "ingest"
    for module in folder.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        assert "dataset.name ==" not in text and "dataset.name in" not in text, module.name
