"""Small-cell suppression for the public page: which published counts to hide so that no child,
case or posyandu of a small group can be singled out, and no hidden count can be worked back from
the figures shown beside it (domain.md, Privacy; issue 7).

A table is one set of figures a page shows together: sibling areas with their parent row (any
number of levels, parents found from dotted region codes), count columns, optional row totals
(a distribution over categories) and rates. Sums link the cells: a parent is the sum of its
children in every count column, a row total the sum of its categories.

Primary suppression (thresholds in ``indicators.toml``):
- a count of 1 .. ``[public] suppress_counts_below`` - 1 is hidden. A 0 is shown: it describes
  nobody, "no cases" is worth publishing, and a hidden 0 is easy to pin ("counts are not negative");
- a rate's numerator is hidden when its denominator is 1 .. ``[small_numbers] min_denominator`` - 1
  (then the rate cannot be recomputed; the denominator itself is a count like any other).

Complementary suppression adds shown cells one at a time, cheapest first (parts before totals,
smallest first; never a 0), until a reader who knows every shown cell, every sum and these rules
cannot pin any hidden cell. Such a reader knows that a hidden cell is positive (zeros are shown
and never complements), except a numerator on too few children, and that a numerator is at most
its denominator. Two checks, cheap first:
- each sum on its own: one hidden cell in a sum; 1 + 1 under a shown 2; hidden zeros whose sum is
  a known 0;
- all sums and bounds together: the smallest and largest value a linear program allows for each
  hidden cell must span at least ``MIN_VALUES`` values (rows and columns of a distribution, or a
  parent hidden as a complement whose children are large, can close around a cell each sum alone
  leaves open). Groups of hidden cells linked by sums are solved separately.

Everything the public page publishes for one province and year is suppressed in one go by
``dashboard.public.cells.publication`` (issue 17): one table per hierarchy, so a cell hidden on the
village map is hidden in the kab/kota table too.
Hidden zeros under a shown 0 are left as they are: the page already says they are 0.

The page must show one mark for every hidden cell ("disembunyikan", with a note: a count of 1-9,
or one hidden to protect such a count). A "< 10" on primary cells only would tell a reader they
are at most 9, which pins cells no further suppression can free (nine hidden 1s under a hidden
total that is below 10 too). The reason columns are for internal pages and audits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.indicators import catalogue

PRIMARY = "primary"
SMALL_DENOMINATOR = "small_denominator"
COMPLEMENTARY = "complementary"
# A hidden count must keep at least this many possible values for a reader who knows every shown
# cell, sum and rule (issue 17: two values would still tell "1 or 2").
MIN_VALUES = 3


def suppression_threshold() -> int:
    """Counts below this (and above 0) are hidden on the public page."""
    return int(catalogue()["public"]["suppress_counts_below"])


def min_rate_denominator() -> int:
    """Rates on fewer children than this are hidden on the public page (marked on internal pages)."""
    return int(catalogue()["small_numbers"]["min_denominator"])


def parent_codes(codes: pd.Series) -> pd.Series:
    """The parent of each dotted region code ("36.04.01" -> "36.04") where that parent is in the table."""
    codes = codes.astype("string")
    parents = codes.str.rsplit(".", n=1).str[0].where(codes.str.contains(".", regex=False))
    return parents.where(parents.isin(set(codes)))


def suppressed_rates(table: pd.DataFrame, numerator: str = "numerator", denominator: str = "denominator", *,
                     code: str = "region_code", parent: str | None = None,
                     derived: Mapping[str, Sequence[str]] | None = None,
                     threshold: int | None = None, min_denominator: int | None = None) -> pd.DataFrame:
    """Areas with a numerator and a denominator (stunted / measured), suppressed for the public page.

    Every other numeric column (prevalence, interval) is hidden with the counts of its row unless
    ``derived`` says what each depends on."""
    return suppressed_table(table, [numerator, denominator], code=code, parent=parent,
                            rates={numerator: denominator}, derived=derived,
                            threshold=threshold, min_denominator=min_denominator)


def suppressed_distribution(table: pd.DataFrame, categories: Sequence[str], total: str = "total", *,
                            code: str = "region_code", parent: str | None = None,
                            derived: Mapping[str, Sequence[str]] | None = None,
                            threshold: int | None = None) -> pd.DataFrame:
    """Areas with counts by category and their row total (posyandu by strata), suppressed for the public page."""
    return suppressed_table(table, [*categories, total], code=code, parent=parent,
                            row_totals={total: list(categories)}, derived=derived, threshold=threshold)


def suppressed_table(table: pd.DataFrame, counts: Sequence[str], *, code: str = "region_code",
                     parent: str | None = None, row_totals: Mapping[str, Sequence[str]] | None = None,
                     rates: Mapping[str, str] | None = None, derived: Mapping[str, Sequence[str]] | None = None,
                     threshold: int | None = None, min_denominator: int | None = None) -> pd.DataFrame:
    """The table with hidden counts as NA and a ``<count>_suppression`` column per count
    (``primary``, ``small_denominator``, ``complementary`` or NA when shown).

    ``row_totals`` maps a total column to the categories it sums; ``rates`` a numerator to its
    denominator; ``derived`` a column computed from counts to those counts (default: every other
    numeric column depends on all counts of its row). Parents come from ``parent`` or, without it,
    from dotted codes in ``code``; a page that shows a total must pass it as the parent row."""
    threshold = suppression_threshold() if threshold is None else threshold
    min_denominator = min_rate_denominator() if min_denominator is None else min_denominator
    if table[code].duplicated().any():
        raise ValueError(f"{code}: each area must appear once in a table to suppress; split it by period/indicator")
    counts, rows = list(counts), len(table)
    values = np.concatenate([_counts(table, name, code) for name in counts])  # cell = column * rows + row

    def cell(row: int, name: str) -> int:
        return counts.index(name) * rows + row

    parents = table[parent] if parent else parent_codes(table[code])
    sums = [_Sum(cell(p, name), tuple(cell(c, name) for c in children))
            for p, children in _children_by_parent(table[code], parents) for name in counts]
    sums += [_Sum(cell(r, total), tuple(cell(r, part) for part in parts))
             for total, parts in (row_totals or {}).items() for r in range(rows)]
    at_most = [(cell(r, num), cell(r, den)) for num, den in (rates or {}).items() for r in range(rows)]
    if above := [r for num, den in at_most if values[num] > values[den] for r in [num % rows]]:
        raise ValueError(f"a numerator is above its denominator for {', '.join(map(str, table[code].iloc[above[:5]]))}")

    reasons: list[str | None] = [PRIMARY if 0 < v < threshold else None for v in values]
    for num, den in at_most:
        if reasons[num] is None and 0 < values[den] < min_denominator:
            reasons[num] = SMALL_DENOMINATOR
    reasons = _with_complements(_Cells(values, sums, reasons, at_most))
    return _published(table, counts, np.array(reasons, dtype=object).reshape(len(counts), rows), derived)


@dataclass(frozen=True)
class _Sum:
    """One additive link between cells: ``total`` = sum of ``parts`` (cell indices)."""

    total: int
    parts: tuple[int, ...]

    @property
    def cells(self) -> tuple[int, ...]:
        return (self.total, *self.parts)

    def sign(self, cell: int) -> int:
        return 1 if cell == self.total else -1


def _counts(table: pd.DataFrame, column: str, code: str) -> np.ndarray:
    values = pd.to_numeric(table[column], errors="coerce")
    bad = values.isna() | (values < 0) | (values % 1 != 0)
    if bad.any():
        raise ValueError(f"{column}: counts must be whole numbers >= 0; not so for "
                         f"{', '.join(map(str, table.loc[bad, code].head(5)))}")
    return values.to_numpy(dtype=np.int64)


def _children_by_parent(codes: pd.Series, parents: pd.Series) -> list[tuple[int, list[int]]]:
    position = {c: i for i, c in enumerate(codes)}
    children: dict[int, list[int]] = {}
    for i, p in enumerate(parents):
        if not pd.isna(p) and p in position:
            children.setdefault(position[p], []).append(i)
    return sorted(children.items())


@dataclass
class _Cells:
    """Every count of a table as one flat list of cells, the sums linking them, and why each is hidden."""

    values: np.ndarray
    sums: list[_Sum]
    reasons: list[str | None]
    at_most: list[tuple[int, int]]  # (numerator, denominator): a reader knows one is not above the other

    def __post_init__(self) -> None:
        self.totals = {link.total for link in self.sums}
        self.free: set[int] = set()  # hidden cells found not pinned; hiding more only widens their range

    def low(self, cell: int) -> int:
        """What a reader who knows these rules knows of a hidden cell: it is positive (zeros are
        shown, complements are never zeros), unless it is a numerator on too few children."""
        return 0 if self.reasons[cell] == SMALL_DENOMINATOR else 1

    def candidates(self, links) -> list[int]:
        """Shown positive cells of these sums, cheapest to hide first: parts before totals, smallest first."""
        shown = {c for link in links for c in link.cells if not self.reasons[c] and self.values[c] > 0}
        return sorted(shown, key=lambda c: (c in self.totals, self.values[c], c))

    def exposed(self, link: _Sum) -> bool:
        """Whether this sum alone pins a hidden cell, or lets "not negative" pin its hidden zeros."""
        hidden = [c for c in link.cells if self.reasons[c]]
        if not hidden or (self.values[link.total] == 0 and not self.reasons[link.total]):
            return False  # under a shown 0 every part is 0, and the page says so already
        if self.values[link.total] > 0 and not any(self.values[c] > 0 for c in hidden if c != link.total):
            return True
        if len(hidden) == 1:
            return True
        # hidden cells on one side of the sum, none above what a reader knows of it: all pinned (1 + 1 = 2)
        one_side = len({link.sign(c) for c in hidden}) == 1
        return one_side and all(self.values[c] == self.low(c) for c in hidden)

    def told(self) -> set[int]:
        """Hidden cells the page tells anyway: parts of a shown 0 (or of such a part), numerators of a shown 0."""
        zero = {c for c, why in enumerate(self.reasons) if not why and self.values[c] == 0}
        zero |= {num for num, den in self.at_most if den in zero}
        while grown := {p for link in self.sums if link.total in zero for p in link.parts} - zero:
            zero |= grown
        return {c for c in zero if self.reasons[c]}

    def pinned(self) -> Iterator[int]:
        """Hidden cells a reader can narrow to fewer than ``MIN_VALUES`` values over all sums and
        bounds together (linear programs), lazily; cells the page tells anyway are left out.

        Each group of hidden cells linked through sums or bounds is solved on its own (shown cells are
        constants), and every solution widens the range seen for all cells of its group, so most
        cells need no program of their own."""
        hidden = [c for c, why in enumerate(self.reasons) if why]
        if not hidden:  # nothing to pin, and no scipy to import (most province tables hide nothing)
            return
        told = self.told()
        self.free_by_trading(hidden)
        for group in self.groups(hidden):
            if all(c in told or c in self.free for c in group):
                continue
            solve = self.program(group)
            for cell in group:
                if cell in told or cell in self.free:
                    continue
                for sign in (1, -1):
                    if cell not in self.free:
                        solve(cell, sign)
                if cell not in self.free:
                    yield cell

    def free_by_trading(self, hidden: list[int]) -> None:
        """Frees cells without a linear program: two hidden cells in exactly the same sums with the same
        sign (villages of one kab/kota) can trade units and every sum still holds, so a cell that can
        take 2 from a partner with room (or give 2, or 1 each way) spans ``MIN_VALUES`` values."""
        signature: dict[int, list[tuple[int, int]]] = {}
        for r, link in enumerate(self.sums):
            for c in link.cells:
                if self.reasons[c]:
                    signature.setdefault(c, []).append((r, link.sign(c)))
        classes: dict[tuple, list[int]] = {}
        for c in hidden:
            if c in signature:
                classes.setdefault(tuple(signature[c]), []).append(c)
        denominator_of, numerator_of = dict(self.at_most), {den: num for num, den in self.at_most}
        for members in classes.values():
            if len(members) < 2 or all(c in self.free for c in members):
                continue
            down = {c: self.values[c] - max(self.low(c), self.values[numerator_of[c]] if c in numerator_of else 0)
                    for c in members}
            up = {c: self.values[denominator_of[c]] - self.values[c] if c in denominator_of else np.inf for c in members}
            for c in members:
                if c in self.free:
                    continue
                rise = min(up[c], max((down[o] for o in members if o != c), default=0), MIN_VALUES - 1)
                fall = min(down[c], max((up[o] for o in members if o != c), default=0), MIN_VALUES - 1)
                if max(rise, 0) + max(fall, 0) >= MIN_VALUES - 1:
                    self.free.add(c)

    def groups(self, hidden: list[int]) -> list[list[int]]:
        """Hidden cells in groups linked through sums and numerator bounds (union-find)."""
        root = {c: c for c in hidden}

        def find(c: int) -> int:
            while root[c] != c:
                root[c] = root[root[c]]
                c = root[c]
            return c

        links = [[c for c in link.cells if c in root] for link in self.sums]
        links += [[num, den] for num, den in self.at_most if num in root and den in root]
        for cells in links:
            for other in cells[1:]:
                root[find(other)] = find(cells[0])
        groups: dict[int, list[int]] = {}
        for c in hidden:
            groups.setdefault(find(c), []).append(c)
        return list(groups.values())

    def program(self, group: list[int]):
        """A solver for one group: ``solve(cell, sign)`` minimises (1) or maximises (-1) the cell and
        widens the range seen for every cell of the group; a cell whose range spans ``MIN_VALUES``
        values (or is unbounded) is free."""
        index = {c: i for i, c in enumerate(group)}
        links = [link for link in self.sums if any(c in index for c in link.cells)]
        entries = [(r, index[c], link.sign(c)) for r, link in enumerate(links) for c in link.cells if c in index]
        bounds = [[self.low(c), None] for c in group]
        limits = []  # numerator - denominator <= 0, both hidden
        for num, den in self.at_most:
            if num in index and den in index:
                limits += [(len(limits) // 2, index[num], 1), (len(limits) // 2, index[den], -1)]
            elif num in index:
                bounds[index[num]][1] = self.values[den]
            elif den in index:
                bounds[index[den]][0] = max(bounds[index[den]][0], self.values[num])
        from scipy.optimize import linprog  # here: scipy.optimize costs 0.4 s of the app's cold start

        truth = self.values[group].astype(float)
        low, high = truth.copy(), truth.copy()
        a_eq = _sparse(entries, len(links), len(group))
        problem = {"A_eq": a_eq, "b_eq": a_eq @ truth, "bounds": bounds, "method": "highs"}
        if limits:
            problem |= {"A_ub": _sparse(limits, len(limits) // 2, len(group)), "b_ub": np.zeros(len(limits) // 2)}

        def solve(cell: int, sign: int) -> None:
            objective = np.zeros(len(group))
            objective[index[cell]] = sign
            result = linprog(objective, **problem)
            if result.status != 0:  # unbounded: free
                self.free.add(cell)
                return
            np.minimum(low, result.x, out=low)
            np.maximum(high, result.x, out=high)
            self.free |= {group[j] for j in np.flatnonzero(high - low >= MIN_VALUES - 1 - 1e-6)}

        return solve

    def nearest_candidate(self, cell: int) -> int | None:
        """The cheapest shown cell in the sums around a pinned cell, widening through hidden cells."""
        reached, links = {cell}, set()
        while True:
            reached |= {b for pair in self.at_most if reached & set(pair) for b in pair}
            grown = [link for link in self.sums if link not in links and reached & set(link.cells)]
            if not grown:
                return None
            links.update(grown)
            if candidates := self.candidates(grown):
                return candidates[0]
            reached |= {c for link in grown for c in link.cells}

    def next_complement(self) -> int | None:
        """The next cell to hide: for the first sum that gives a cell away on its own, else for the
        first cell all sums and bounds together pin; None when every hidden cell is safe."""
        for link in self.sums:
            if self.exposed(link) and (candidates := self.candidates([link])):
                return candidates[0]
        for cell in self.pinned():
            if (candidate := self.nearest_candidate(cell)) is not None:
                return candidate
        return None


def _sparse(entries: list[tuple[int, int, int]], rows: int, columns: int):
    from scipy.sparse import coo_array

    row, column, value = zip(*entries) if entries else ((), (), ())
    return coo_array((value, (row, column)), shape=(rows, columns)).tocsr()


def _with_complements(cells: _Cells) -> list[str | None]:
    """Add complementary cells one at a time until no hidden cell can be pinned."""
    while (cell := cells.next_complement()) is not None:
        cells.reasons[cell] = COMPLEMENTARY
    return cells.reasons


def _published(table: pd.DataFrame, counts: list[str], reasons: np.ndarray,
               derived: Mapping[str, Sequence[str]] | None) -> pd.DataFrame:
    out = table.copy()
    hidden = {name: pd.Series(pd.notna(reasons[i]), index=table.index) for i, name in enumerate(counts)}
    if derived is None:
        derived = {c: counts for c in table.select_dtypes("number").columns if c not in counts}
    for name, sources in derived.items():
        out[name] = out[name].mask(pd.concat([hidden[s] for s in sources], axis=1).any(axis=1))
    for i, name in enumerate(counts):
        out[name] = out[name].astype("Int64").mask(hidden[name])
        out[f"{name}_suppression"] = pd.Series(reasons[i], index=table.index, dtype="string")
    return out
