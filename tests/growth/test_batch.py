"""The batch command on messy CSVs: every row comes back, blanks carry reasons, garbage never crashes."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.cli import main
from dashboard.growth.batch import run_batch
from dashboard.growth.zscores import compute_zscores

COLUMNS = ["id", "sex", "birth_date", "measured_on", "weight_kg", "lenhei_cm", "measure", "oedema"]


def write(path, rows, columns=COLUMNS, delimiter=","):
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle, delimiter=delimiter)
        out.writerow(columns)
        out.writerows(rows)
    return path


def test_messy_rows(tmp_path):
    source = write(tmp_path / "in.csv", [
        [1, "L", "05/01/2024", "15/08/2025", "9,5", "75,2", "L", "n"],
        [2, "P", "2023-02-05", "2025-08-15", "12.1", "88", "H", ""],
        [3, "", "2023-02-05", "2025-08-15", "12.1", "88", "H", ""],
        [4, "M", "2019-02-05", "2025-08-15", "18", "110", "H", ""],
        [5, "F", "2025-01-01", "2025-08-15", "berat", "65", "L", ""],
        [6, "1", "2025-01-01", "2025-08-15", "7,5", "65", "L", "y"],
    ], delimiter=";")
    summary = run_batch(source, tmp_path / "out.csv")
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert summary["rows"] == 6 and list(out.id) == ["1", "2", "3", "4", "5", "6"]
    assert list(out.columns) == COLUMNS + ["haz", "waz", "whz", "baz", "flag_haz", "flag_waz", "flag_whz", "flag_baz",
                                           "reason"]
    expected = compute_zscores([1], [588], [9.5], [75.2], ["L"], [False]).round(2)
    assert out.loc[0, ["haz", "waz", "whz", "baz"]].tolist() == [f"{v:.2f}" for v in expected.loc[0, ["haz", "waz", "whz", "baz"]]]
    assert out.loc[0, "reason"] == ""
    assert out.loc[2, "haz"] == "" and "sex" in out.loc[2, "reason"]
    assert out.loc[3, "haz"] == "" and "1826" in out.loc[3, "reason"]
    assert out.loc[4, "waz"] == "" and out.loc[4, "haz"] != "" and "weight" in out.loc[4, "reason"]
    assert out.loc[5, "whz"] == "" and "oedema" in out.loc[5, "reason"]
    assert set(out.flag_haz) <= {"0", "1"}


def test_twenty_thousand_varied_records_through_the_cli(tmp_path, capsys):
    rng = np.random.default_rng(2)
    n = 20_000
    age = rng.integers(0, 1900, n)
    lenhei = np.round(50 + 60 * (age / 1826) ** 0.6 + rng.normal(0, 5, n), 1)
    weight = np.round((lenhei / 100) ** 2 * rng.normal(16, 2.5, n), 2)
    sex = rng.choice(["1", "2", "L", "P", "M", "F", ""], n)
    measure = rng.choice(["L", "H", ""], n)
    oedema = rng.choice(["y", "n", ""], n, p=[0.01, 0.5, 0.49])
    rows = [[i, sex[i], age[i], str(weight[i]).replace(".", ","), lenhei[i], measure[i], oedema[i]] for i in range(n)]
    source = write(tmp_path / "big.csv", rows, ["id", "sex", "age_days", "weight_kg", "lenhei_cm", "measure", "oedema"])
    assert main(["zscores", str(source), "--out", str(tmp_path / "big_out.csv")]) == 0
    assert "20000 rows" in capsys.readouterr().out
    out = pd.read_csv(tmp_path / "big_out.csv", dtype=str, keep_default_na=False)
    assert len(out) == n
    blank = out.haz == ""
    assert (out.reason[blank] != "").all(), "every blank HAZ says why"
    assert (~blank).sum() > 15_000
    assert out.haz[~blank].str.match(r"^-?\d+\.\d{2}$").all()


cell = st.one_of(st.text(max_size=8), st.sampled_from(["1", "2", "L", "P", "", "9,5", "75", "2024-01-01", "y", "H"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(cell, min_size=8, max_size=8), max_size=15))
def test_garbage_never_crashes(tmp_path, rows):
    path = write(tmp_path / "g.csv", rows)
    summary = run_batch(path, tmp_path / "g_out.csv")
    assert summary["rows"] == len(pd.read_csv(path, dtype=str, keep_default_na=False))
