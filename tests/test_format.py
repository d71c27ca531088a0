"""One way to write values: Babel's Indonesian and English conventions for numbers, percentages,
changes in percentage points, counts, years, days and months; a missing value is "–"."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from dashboard import format as fmt


@pytest.mark.parametrize(("lang", "expected"), [
    ("id", ("2,5", "10.345", "21,0%", "−1,2 pp", "Okt 2025", "Oktober 2025", "3 Okt 2025")),
    ("en", ("2.5", "10,345", "21.0%", "−1.2 pp", "Oct 2025", "October 2025", "3 Oct 2025")),
])
def test_each_language_writes_numbers_its_own_way(lang, expected):
    assert (fmt.number(2.5, lang, 1), fmt.count(10345, lang), fmt.percent(21, lang), fmt.points(-1.23, lang),
            fmt.month(date(2025, 10, 1), lang, short=True), fmt.month(pd.Timestamp("2025-10-01"), lang),
            fmt.date(datetime(2025, 10, 3, 14, 5), lang)) == expected


def test_changes_carry_a_real_sign_and_no_negative_zero():
    assert fmt.points(0.44, "id") == "+0,4 pp"
    assert fmt.points(-0.04, "id") == "0,0 pp"               # rounds to zero: no "−0,0 pp"
    assert fmt.points(-12.0, "en", 0) == "−12 pp"
    assert fmt.signed(-3, "id") == "−3" and fmt.signed(3, "id") == "+3" and fmt.signed(0, "id") == "0"
    assert fmt.number(-1234.56, "id", 1) == "−1.234,6" and fmt.number(-0.01, "en", 1) == "0.0"


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_a_missing_value_is_a_dash(value):
    assert fmt.number(value, "id") == fmt.percent(value, "en") == fmt.points(value, "id") == "–"
    assert fmt.month(value, "id") == fmt.date(value, "en") == fmt.year(value) == "–"


def test_years_are_labels_not_quantities():
    assert fmt.year(2005) == "2005" and fmt.year(np.int64(2005)) == "2005"
    assert fmt.year(date(2005, 1, 1)) == fmt.year(pd.Timestamp("2005-01-01")) == "2005"
    assert fmt.count(2005, "id") == "2.005"                 # the same digits as a count of children


def test_plotly_separators_follow_the_language():
    assert fmt.separators("id") == ",." and fmt.separators("en") == ".,"


def test_a_column_is_written_as_each_value_is():
    values = pd.Series([10345.0, -1.25, -0.04, None, 2.5])
    assert list(fmt.numbers(values, "id", 1)) == [fmt.number(v, "id", 1) for v in values]
    assert list(fmt.numbers(values, "en", 0)) == ["10,345", "−1", "0", "–", "2"]
    assert fmt.numbers(pd.Series([], dtype=float), "id").empty               # an empty table is still a table
