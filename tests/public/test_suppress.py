"""Small-cell suppression for the public page: the rules at their boundaries, and an attacker that
tries to work every hidden count back from what the page shows (issue 7: "tested by a test that tries").

The attacker rebuilds the sums from the input table on its own (dotted codes, row totals) and
tries, on random hierarchies: total minus shown parts, repeated while anything new comes out;
exact elimination over all sums at once (fractions, not floats); and the bounds a reader can
derive with linear programming from "zeros are shown, so a hidden count is at least 1" (but a
numerator on too few children may be 0) and "a numerator is at most its denominator". No hidden
count may come out exactly.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from dashboard.public.suppress import (COMPLEMENTARY, PRIMARY, SMALL_DENOMINATOR, min_rate_denominator, parent_codes,
                                suppressed_distribution, suppressed_rates, suppression_threshold)

T = 10  # the catalogue's default, passed explicitly so the tests do not move with the catalogue
M = 30
STRATA = ["pratama", "madya", "purnama", "mandiri"]


def rates(rows: list[tuple[str, int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["region_code", "numerator", "denominator"])
    return frame.assign(prevalence=100 * frame.numerator / frame.denominator.where(frame.denominator > 0))


def hidden(out: pd.DataFrame, column: str) -> dict[str, str]:
    reasons = out[f"{column}_suppression"]
    return dict(zip(out.region_code[reasons.notna()], reasons[reasons.notna()]))


# --- the rules at their boundaries -------------------------------------------------------------

def test_catalogue_defaults():
    assert suppression_threshold() == 10
    assert min_rate_denominator() == 30


def test_primary_boundary_nine_hidden_ten_and_zero_shown():
    out = suppressed_rates(rates([("36.01", 9, 40), ("36.02", 10, 40), ("36.03", 0, 40), ("36.04", 1, 40)]),
                           threshold=T, min_denominator=M)
    assert hidden(out, "numerator") == {"36.01": PRIMARY, "36.04": PRIMARY}
    assert list(out.numerator) == [pd.NA, 10, 0, pd.NA]
    assert out.prevalence.isna().tolist() == [True, False, False, True]
    assert hidden(out, "denominator") == {}


def test_threshold_is_configurable():
    out = suppressed_rates(rates([("36.01", 4, 40), ("36.02", 5, 40)]), threshold=5, min_denominator=M)
    assert hidden(out, "numerator") == {"36.01": PRIMARY}


def test_rate_on_too_few_children_hides_the_numerator_not_the_count_of_children():
    out = suppressed_rates(rates([("36.01", 12, 29), ("36.02", 12, 30), ("36.03", 0, 12), ("36.04", 0, 0)]),
                           threshold=T, min_denominator=M)
    assert hidden(out, "numerator") == {"36.01": SMALL_DENOMINATOR, "36.03": SMALL_DENOMINATOR}
    assert list(out.denominator) == [29, 30, 12, 0]
    assert out.prevalence.isna().tolist() == [True, False, True, True]


def test_one_hidden_sibling_takes_the_next_smallest_sibling_with_it():
    table = rates([("36", 95, 400), ("36.01", 5, 100), ("36.02", 30, 100), ("36.03", 15, 100), ("36.04", 45, 100)])
    out = suppressed_rates(table, threshold=T, min_denominator=M)
    assert hidden(out, "numerator") == {"36.01": PRIMARY, "36.03": COMPLEMENTARY}
    assert hidden(out, "denominator") == {}
    assert out.numerator.tolist()[0] == 95  # the total stays


def test_numerator_and_denominator_are_protected_separately():
    table = rates([("36.01", 40, 210), ("36.01.01", 4, 40), ("36.01.02", 12, 40), ("36.01.03", 11, 50),
                   ("36.01.04", 13, 80)])
    out = suppressed_rates(table, threshold=T, min_denominator=M)
    assert hidden(out, "numerator") == {"36.01.01": PRIMARY, "36.01.03": COMPLEMENTARY}
    assert hidden(out, "denominator") == {}
    # a village of 8 children: its denominator needs a partner among the denominators, its
    # numerator (5) one among the numerators, chosen on their own values
    table = rates([("36.01", 42, 180), ("36.01.01", 12, 40), ("36.01.02", 5, 8), ("36.01.03", 11, 50),
                   ("36.01.04", 14, 82)])
    out = suppressed_rates(table, threshold=T, min_denominator=M)
    assert hidden(out, "denominator") == {"36.01.02": PRIMARY, "36.01.01": COMPLEMENTARY}
    assert hidden(out, "numerator") == {"36.01.02": PRIMARY, "36.01.03": COMPLEMENTARY}
    assert out.prevalence.isna().tolist() == [False, True, True, True, False]


def test_nothing_is_hidden_when_nothing_is_small():
    table = rates([("36", 120, 600), ("36.01", 30, 150), ("36.02", 0, 150), ("36.03", 90, 300)])
    out = suppressed_rates(table, threshold=T, min_denominator=M)
    assert out.filter(like="_suppression").isna().all().all()
    assert out.numerator.tolist() == [120, 30, 0, 90] and out.prevalence.notna().all()


def test_two_small_siblings_protect_each_other_when_their_sum_leaves_room():
    table = rates([("36", 107, 400), ("36.01", 3, 100), ("36.02", 4, 100), ("36.03", 100, 200)])
    out = suppressed_rates(table, threshold=T, min_denominator=M)
    assert hidden(out, "numerator") == {"36.01": PRIMARY, "36.02": PRIMARY}


def test_one_plus_one_under_a_known_two_is_not_enough():
    # zeros are shown, so a reader knows a hidden count is at least 1: two adding up to 2 are both 1
    table = rates([("36", 32, 400), ("36.01", 1, 100), ("36.02", 1, 100), ("36.03", 30, 200)])
    out = suppressed_rates(table, threshold=T, min_denominator=M)
    assert hidden(out, "numerator") == {"36.01": PRIMARY, "36.02": PRIMARY, "36.03": COMPLEMENTARY}


def test_hidden_zeros_need_a_positive_partner():
    # two villages with too few children and no stunting: hidden, but shown siblings and total
    # would leave them summing to 0, and counts are not negative
    table = rates([("36.01", 25, 240), ("36.01.01", 0, 20), ("36.01.02", 0, 20), ("36.01.03", 11, 100),
                   ("36.01.04", 14, 100)])
    out = suppressed_rates(table, threshold=T, min_denominator=M)
    assert hidden(out, "numerator") == {"36.01.01": SMALL_DENOMINATOR, "36.01.02": SMALL_DENOMINATOR,
                                        "36.01.03": COMPLEMENTARY}


def test_zeros_under_a_shown_zero_need_no_partner():
    # no stunted child in the kecamatan (a rate on 45 children, shown): its villages on too few
    # children are hidden, and the page already says they are 0, so nothing else is hidden
    table = rates([("36.01", 0, 45), ("36.01.01", 0, 20), ("36.01.02", 0, 25)])
    out = suppressed_rates(table, threshold=T, min_denominator=M)
    assert hidden(out, "numerator") == {"36.01.01": SMALL_DENOMINATOR, "36.01.02": SMALL_DENOMINATOR}
    assert hidden(out, "denominator") == {}


def test_bounds_across_levels_are_closed():
    # 12 children = kab A (1, hidden) + kab B (hidden as its complement); B = village (1) + village (10):
    # per sum all is well, but B >= 11 leaves A <= 1, so A = 1, B = 11 and the village 1
    table = rates([("36", 1, 12), ("36.01", 0, 1), ("36.02", 1, 11), ("36.02.01", 1, 1), ("36.02.02", 0, 10)])
    out = suppressed_rates(table, threshold=T, min_denominator=M)
    assert COMPLEMENTARY in hidden(out, "denominator").values()   # B opened up (the village or the province)
    assert_no_recovery(table, out, ["numerator", "denominator"], rates_of={"numerator": "denominator"})


def test_a_hidden_parent_hides_one_of_its_children_too():
    # kab 36.01 (kecamatan A small) -> B is the complement at kab level; B's villages are all
    # large, so without a hidden village B = sum of its villages
    table = rates([("36.01", 5 + 25 + 40, 900),
                   ("36.01.01", 5, 300), ("36.01.01.2001", 2, 150), ("36.01.01.2002", 3, 150),
                   ("36.01.02", 25, 300), ("36.01.02.2001", 10, 100), ("36.01.02.2002", 15, 200),
                   ("36.01.03", 40, 300), ("36.01.03.2001", 40, 300)])
    out = suppressed_rates(table, threshold=T, min_denominator=M)
    assert hidden(out, "numerator") == {"36.01.01": PRIMARY, "36.01.01.2001": PRIMARY, "36.01.01.2002": PRIMARY,
                                        "36.01.02": COMPLEMENTARY, "36.01.02.2001": COMPLEMENTARY}
    assert out.numerator.iloc[0] == 70


def test_explicit_parent_column_and_derived_columns():
    table = pd.DataFrame({"area": ["all", "a", "b", "c"], "up": [None, "all", "all", "all"],
                          "numerator": [60, 3, 20, 37], "denominator": [300, 100, 100, 100],
                          "prevalence": [20.0, 3.0, 20.0, 37.0], "ci_low": [1.0, 2.0, 3.0, 4.0],
                          "posyandu": [9, 1, 3, 5]})
    out = suppressed_rates(table, code="area", parent="up", derived={"prevalence": ["numerator", "denominator"],
                                                                     "ci_low": ["numerator"]},
                           threshold=T, min_denominator=M)
    assert out.numerator_suppression.tolist()[1:] == [PRIMARY, COMPLEMENTARY, pd.NA]
    assert out.prevalence.isna().tolist() == [False, True, True, False]
    assert out.ci_low.isna().tolist() == [False, True, True, False]
    assert out.posyandu.tolist() == [9, 1, 3, 5]  # not derived from these counts: left alone


def test_bad_counts_are_refused_with_the_area():
    with pytest.raises(ValueError, match="36.02"):
        suppressed_rates(rates([("36.01", 1, 40), ("36.02", -1, 40)]))
    with pytest.raises(ValueError, match="once"):
        suppressed_rates(rates([("36.01", 1, 40), ("36.01", 2, 40)]))
    with pytest.raises(ValueError, match="above its denominator for 36.02"):
        suppressed_rates(rates([("36.01", 1, 40), ("36.02", 41, 40)]))


def test_parent_codes_only_link_areas_in_the_table():
    codes = pd.Series(["36", "36.01", "36.01.02", "36.01.02.2001", "62.01"])
    assert parent_codes(codes).fillna("-").tolist() == ["-", "36", "36.01", "36.01.02", "-"]


def test_distribution_protects_rows_and_columns():
    table = pd.DataFrame({"region_code": ["36.01", "36.01.01", "36.01.02", "36.01.03"],
                          "pratama": [40, 12, 14, 14], "madya": [60, 20, 25, 15], "purnama": [31, 3, 14, 14],
                          "mandiri": [42, 13, 15, 14]})
    table["total"] = table[STRATA].sum(axis=1)
    out = suppressed_distribution(table, STRATA, threshold=T)
    cells = {(r, c) for c in [*STRATA, "total"] for r, why in hidden(out, c).items()}
    assert ("36.01.01", "purnama") in cells
    assert len(cells) == 4  # the smallest rectangle around it: another row, another category
    assert not any(r == "36.01" or c == "total" for r, c in cells)
    assert_no_recovery(table, out, [*STRATA, "total"], {"total": STRATA})


def test_all_sums_together_close_around_a_cell_each_sum_leaves_open():
    # hidden cells form two rectangles joined by one cell (36.01.02 x purnama): each row and each
    # column has two or more hidden cells, yet the joining cell follows from the sums
    small = {("36.01.01", "pratama"), ("36.01.01", "madya"), ("36.01.02", "pratama"), ("36.01.02", "madya"),
             ("36.01.02", "purnama"), ("36.01.03", "purnama"), ("36.01.03", "mandiri"),
             ("36.01.04", "purnama"), ("36.01.04", "mandiri")}
    rows = [f"36.01.0{i}" for i in range(1, 5)]
    table = pd.DataFrame({"region_code": rows})
    for category in STRATA:
        table[category] = [5 if (r, category) in small else 40 for r in rows]
    table = pd.concat([table.sum(numeric_only=True).to_frame().T.assign(region_code="36.01"), table])
    table = table.reset_index(drop=True)[["region_code", *STRATA]]
    table["total"] = table[STRATA].sum(axis=1)
    assert line_by_line_recovery(table, small) == set()  # the per-sum rules alone are satisfied
    assert elimination_attack(*system(table, {k: None for k in small}, [*STRATA, "total"], {"total": STRATA}))
    out = suppressed_distribution(table, STRATA, threshold=T)
    assert sum(out[f"{c}_suppression"].eq(COMPLEMENTARY).sum() for c in [*STRATA, "total"]) >= 1
    assert_no_recovery(table, out, [*STRATA, "total"], {"total": STRATA})


# --- the attacker --------------------------------------------------------------------------------

def system(table: pd.DataFrame, hidden_cells: dict, columns: list[str], row_totals: dict[str, list[str]]):
    """Sums a reader can write down from the page: (coefficients by cell, constant), and known values."""
    codes = list(table.region_code)
    known = {(r, c): int(v) for r, row in zip(codes, table.to_dict("records")) for c, v in row.items()
             if c in columns and (r, c) not in hidden_cells}
    sums = []
    for r in codes:
        children = [k for k in codes if k.rsplit(".", 1)[0] == r and "." in k]
        if children:
            sums += [{(r, c): 1, **{(k, c): -1 for k in children}} for c in columns]
    for total, parts in row_totals.items():
        sums += [{(r, total): 1, **{(r, p): -1 for p in parts}} for r in codes]
    return sums, known, sorted(hidden_cells)


def subtraction_attack(sums, known, unknown) -> set:
    """Total minus shown siblings (or a total from its parts), again and again while anything comes out."""
    known, found = dict(known), set()
    while True:
        progress = False
        for coef in sums:
            missing = [c for c in coef if c not in known]
            if len(missing) == 1:
                cell = missing[0]
                known[cell] = -sum(a * known[c] for c, a in coef.items() if c != cell) / coef[cell]
                found.add(cell)
                progress = True
        if not progress:
            return found & set(unknown)


def elimination_attack(sums, known, unknown) -> set:
    """Exact Gauss-Jordan over every sum at once: a hidden cell alone in a reduced row is recovered."""
    index = {c: i for i, c in enumerate(unknown)}
    rows = [[Fraction(coef.get(c, 0)) for c in unknown] + [Fraction(-sum(a * known[c] for c, a in coef.items()
                                                                       if c in known))]
            for coef in sums if any(c in index for c in coef)]
    pivot_row = 0
    for col in range(len(unknown)):
        pivot = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        rows[pivot_row] = [x / rows[pivot_row][col] for x in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                rows[r] = [x - rows[r][col] * y for x, y in zip(rows[r], rows[pivot_row])]
        pivot_row += 1
    return {unknown[[i for i, x in enumerate(row[:-1]) if x != 0][0]]
            for row in rows if sum(1 for x in row[:-1] if x != 0) == 1}


def bounds_attack(sums, known, unknown, bounds: dict, at_most: dict) -> set:
    """Smallest and largest value of each hidden cell a linear program allows; fewer than three whole
    values between them (issue 17: "1 or 2" tells too much) means recovered."""
    if not unknown:
        return set()
    index = {c: i for i, c in enumerate(unknown)}
    a_eq = [[coef.get(c, 0) for c in unknown] for coef in sums if any(c in index for c in coef)]
    b_eq = [-sum(a * known[c] for c, a in coef.items() if c in known) for coef in sums if any(c in index for c in coef)]
    a_ub, b_ub = [], []
    for small, large in at_most.items():  # a numerator is at most its denominator
        if small in index and large in index:
            a_ub.append([1 if c == small else -1 if c == large else 0 for c in unknown])
            b_ub.append(0)
        elif small in index:
            a_ub.append([1 if c == small else 0 for c in unknown])
            b_ub.append(known[large])
        elif large in index:
            a_ub.append([-1 if c == large else 0 for c in unknown])
            b_ub.append(-known[small])
    found = set()
    for cell, i in index.items():
        span = []
        for sign in (1, -1):
            objective = np.zeros(len(unknown))
            objective[i] = sign
            result = linprog(objective, A_ub=a_ub or None, b_ub=b_ub or None, A_eq=a_eq or None, b_eq=b_eq or None,
                             bounds=[bounds[c] for c in unknown], method="highs")
            assert result.status in (0, 3), result.message  # the true values are always feasible
            span.append(sign * result.fun if result.status == 0 else -sign * np.inf)  # 3: unbounded
        if span[1] - span[0] < 2 - 1e-6:
            found.add(cell)
    return found


def line_by_line_recovery(table: pd.DataFrame, hidden_cells: set) -> set:
    sums, known, unknown = system(table, {k: None for k in hidden_cells}, [*STRATA, "total"], {"total": STRATA})
    return {c for coef in sums for c in coef if c in hidden_cells and sum(k not in known for k in coef) == 1}


def assert_no_recovery(table: pd.DataFrame, out: pd.DataFrame, columns: list[str], row_totals: dict | None = None,
                       rates_of: dict | None = None) -> None:
    reasons = {(r, c): why for c in columns for r, why in zip(out.region_code, out[f"{c}_suppression"])
               if not pd.isna(why)}
    for (r, c) in reasons:
        assert pd.isna(out.loc[out.region_code == r, c].iloc[0])
    sums, known, unknown = system(table, reasons, columns, row_totals or {})
    truth = {(r, c): int(v) for r, row in zip(table.region_code, table.to_dict("records")) for c, v in row.items()
             if c in columns}
    assert all(truth[c] == v for c, v in known.items())  # shown counts are the input's
    # a hidden 0 below a shown 0 (or over a shown denominator of 0) is one the page already tells
    told = {(r, c) for r, c in reasons if truth[(r, c)] == 0 and (
        any(known.get((a, c)) == 0 for a in ancestors(r)) or known.get((r, (rates_of or {}).get(c))) == 0)}
    assert subtraction_attack(sums, known, unknown) <= told
    assert elimination_attack(sums, known, unknown) <= told
    # a reader knows the rules: zeros are shown, so a hidden cell is positive, except a numerator on
    # too few children (the page shows one mark for every hidden cell, so no upper bound)
    bounds = {c: (0 if why == SMALL_DENOMINATOR else 1, None) for c, why in reasons.items()}
    at_most = {(r, num): (r, den) for num, den in (rates_of or {}).items() for r in table.region_code}
    assert bounds_attack(sums, known, unknown, bounds, at_most) <= told


def ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:depth]) for depth in range(1, len(parts))]


def test_the_attacker_recovers_what_primary_suppression_alone_leaves():
    table = rates([("36", 95, 400), ("36.01", 5, 100), ("36.02", 30, 100), ("36.03", 15, 100), ("36.04", 45, 100)])
    sums, known, unknown = system(table, {("36.01", "numerator"): PRIMARY}, ["numerator", "denominator"], {})
    assert subtraction_attack(sums, known, unknown) == {("36.01", "numerator")}
    assert elimination_attack(sums, known, unknown) == {("36.01", "numerator")}
    two_ones = rates([("36", 32, 400), ("36.01", 1, 100), ("36.02", 1, 100), ("36.03", 30, 200)])
    cells = {("36.01", "numerator"): PRIMARY, ("36.02", "numerator"): PRIMARY}
    sums, known, unknown = system(two_ones, cells, ["numerator", "denominator"], {})
    assert elimination_attack(sums, known, unknown) == set()
    assert bounds_attack(sums, known, unknown, {c: (1, None) for c in cells}, {}) == set(cells)


# --- random hierarchies ----------------------------------------------------------------------------

small_or_large = st.one_of(st.integers(0, 3), st.integers(0, 12), st.integers(8, 45), st.integers(30, 200))


@st.composite
def hierarchies(draw, leaf):
    """A province, its kab/kota and (for some) their kecamatan; leaves drawn, parents summed."""
    shape = draw(st.lists(st.integers(0, 4), min_size=1, max_size=5))
    leaves = {}
    for k, kecamatan in enumerate(shape, start=1):
        kab = f"36.{k:02d}"
        for m in range(1, kecamatan + 1) if kecamatan else [None]:
            leaves[f"{kab}.{m:02d}" if m else kab] = draw(leaf)
    return leaves


@st.composite
def rate_leaf(draw):
    denominator = draw(small_or_large)
    numerator = draw(st.one_of(st.integers(0, min(denominator, 12)), st.integers(0, denominator)))
    return {"numerator": numerator, "denominator": denominator}


def summed(leaves: dict[str, dict], columns: list[str]) -> pd.DataFrame:
    totals: dict[str, dict] = {}
    for code, values in leaves.items():
        parts = code.split(".")
        for depth in range(1, len(parts) + 1):
            row = totals.setdefault(".".join(parts[:depth]), dict.fromkeys(columns, 0))
            for c in columns:
                row[c] += values[c]
    return pd.DataFrame([{"region_code": code, **row} for code, row in sorted(totals.items())])


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(hierarchies(rate_leaf()))
def test_no_hidden_rate_count_can_be_worked_back(leaves):
    table = summed(leaves, ["numerator", "denominator"])
    table["prevalence"] = 100 * table.numerator / table.denominator.where(table.denominator > 0)
    out = suppressed_rates(table, threshold=T, min_denominator=M)
    assert_no_recovery(table, out, ["numerator", "denominator"], rates_of={"numerator": "denominator"})
    for column in ("numerator", "denominator"):  # primary rules exactly as written
        assert (out[f"{column}_suppression"].eq(PRIMARY).fillna(False) == table[column].between(1, T - 1)).all()
    small = table.denominator.between(1, M - 1) & ~table.numerator.between(1, T - 1)
    assert (out.numerator_suppression.eq(SMALL_DENOMINATOR).fillna(False) == small).all()
    shown = out.numerator.notna() & out.denominator.notna()
    assert (out.prevalence.notna() == (shown & table.denominator.gt(0))).all()


distribution_leaf = st.fixed_dictionaries({c: st.one_of(st.integers(0, 3), st.integers(0, 25)) for c in STRATA})


@SETTINGS
@given(hierarchies(distribution_leaf))
def test_no_hidden_strata_count_can_be_worked_back(leaves):
    for values in leaves.values():
        values["total"] = sum(values[c] for c in STRATA)
    table = summed(leaves, [*STRATA, "total"])
    out = suppressed_distribution(table, STRATA, threshold=T)
    assert_no_recovery(table, out, [*STRATA, "total"], row_totals={"total": STRATA})
    for column in (*STRATA, "total"):
        assert (out[f"{column}_suppression"].eq(PRIMARY).fillna(False) == table[column].between(1, T - 1)).all()
        assert not (out[f"{column}_suppression"].notna() & table[column].eq(0)).any()  # zeros are never hidden
