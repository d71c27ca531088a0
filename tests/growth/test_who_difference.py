"""The one known difference from WHO's anthro R software (README, z-scores): a child of 731 days or more
measured lying at 103.1 cm has an adjusted height of 103.1 - 0.7 = 102.39999999999999 in floating point.
We read the 102.4 cm row of the weight-for-height table, as the standard intends; WHO's code takes the
grid keys trunc(x * 10) / 10 = 102.3 and trunc(x * 10 + 1) / 10 = 102.5 (1023.9999999999999 + 1 rounds
to 1025) and, with a fraction of almost 1, reads the 102.5 cm row. Everywhere else on the grid the two agree."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.growth.zscores import compute_zscores
from tests.growth.reference import lms_at, z_restricted


def who_r_lms(name: str, sex: int, cm: float) -> tuple[float, float, float]:
    """L, M, S as WHO's anthro R code interpolates them (R/z-score-weight-for-lenhei.R), replicated."""
    low, upp = math.trunc(cm * 10) / 10, math.trunc(cm * 10 + 1) / 10
    diff = (cm - low) / 0.1
    lower = lms_at(name, sex, low)
    if diff <= 0:
        return lower
    upper = lms_at(name, sex, upp)
    return tuple(a + diff * (b - a) for a, b in zip(lower, upper))


def whz(sex: int, age: int, weight: float, lenhei: float, measure: str) -> float:
    """Our WHZ of one record."""
    return float(compute_zscores([sex], [age], [weight], [lenhei], [measure], [False]).whz.iloc[0])


@pytest.mark.parametrize("sex", [1, 2])
@pytest.mark.parametrize("age", [731, 1200, 1826])
@pytest.mark.parametrize("weight", [14.0, 16.3, 18.5])
def test_lying_at_103_1_cm_reads_the_102_4_cm_row(sex, age, weight):
    """Our value, computed by hand from the 102.4 cm row (no interpolation), and how far WHO's is."""
    assert 103.1 - 0.7 != 102.4                         # the floating-point fact behind the difference
    l, m, s = lms_at("wfh", sex, 102.4)
    by_hand = ((weight / m) ** l - 1) / (l * s)
    assert abs(by_hand) < 3                               # the plain formula holds: no restriction to apply
    ours = whz(sex, age, weight, 103.1, "L")
    assert ours == pytest.approx(by_hand, abs=1e-9)
    assert whz(sex, age, weight, 102.4, "H") == pytest.approx(by_hand, abs=1e-9)   # the same child measured standing
    who = z_restricted(weight, *who_r_lms("wfh", sex, 103.1 - 0.7))
    assert 0.015 < abs(ours - who) < 0.035                # WHO Anthro shows a value 0.02-0.03 away


def test_everywhere_else_on_the_grid_we_agree_with_who_to_two_decimals():
    """Every 0.1 cm length and height, lying and standing, both sexes, both tables: WHO's interpolation
    and ours give the same rounded WHZ except at 103.1 cm lying from 731 days."""
    records, expected = [], []
    for sex in (1, 2):
        for tenth in range(450, 1201):
            cm = tenth / 10
            for age, measure, table, adjusted in ((400, "L", "wfl", cm), (400, "H", "wfl", cm + 0.7),
                                                  (1200, "H", "wfh", cm), (1200, "L", "wfh", cm - 0.7)):
                low, high = (45.0, 110.0) if table == "wfl" else (65.0, 120.0)
                if not low <= round(adjusted, 6) < high:      # outside the table, or its last row (none above)
                    continue
                l, m, s = who_r_lms(table, sex, adjusted)
                weight = round(m, 1)                           # a weight near the median, as most children have
                records.append((sex, age, weight, cm, measure))
                expected.append(round(z_restricted(weight, l, m, s), 2))
    sex, age, weight, cm, measure = zip(*records)
    ours = compute_zscores(sex, age, weight, cm, measure, [False] * len(records)).whz.round(2).to_numpy()
    assert len(records) > 4_000                          # both tables, both sexes, both methods
    differing = {(cm[i], measure[i], age[i] >= 731) for i in np.flatnonzero(ours != np.array(expected))}
    assert differing == {(103.1, "L", True)}
