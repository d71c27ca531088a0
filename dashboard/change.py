"""Whether a change in a proportion between two periods is larger than chance (issue 16 §3).

The test is the pooled two-proportion z-test at 95% (two-sided): with ``p = (x1 + x0) / (n1 + n0)``,
``z = (x1/n1 - x0/n0) / sqrt(p (1 - p) (1/n1 + 1/n0))``, significant when ``|z| > 1.96``. It is
chosen over "non-overlapping Wilson intervals" because overlapping intervals can still hide a real
difference (that check is too strict). Rows without both periods, or with an empty denominator, get no
verdict (``<NA>``), never "no".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

ALPHA = 0.05


def two_proportion_change(now_cases, now_n, before_cases, before_n) -> pd.DataFrame:
    """Per row: the proportion now and before (%), the change in percentage points, z, the two-sided
    p-value and whether the change is significant at 95%; arrays or Series of equal length."""
    x1, n1, x0, n0 = (pd.to_numeric(pd.Series(v).reset_index(drop=True), errors="coerce").astype("float64")
                      for v in (now_cases, now_n, before_cases, before_n))
    usable = (n1 > 0) & (n0 > 0) & x1.notna() & x0.notna()
    p1, p0 = (x1 / n1).where(usable), (x0 / n0).where(usable)
    pooled = (x1 + x0) / (n1 + n0)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    z = ((p1 - p0) / se).where(usable & (se > 0), 0.0).where(usable)
    p_value = pd.Series(2 * norm.sf(np.abs(z)), index=z.index).where(usable)
    significant = (p_value < ALPHA).astype("boolean").where(usable, pd.NA)
    return pd.DataFrame({"pct": 100 * p1, "previous_pct": 100 * p0, "change_pp": 100 * (p1 - p0), "z": z,
                         "p_value": p_value, "significant": significant})


def with_change(frame: pd.DataFrame, cases: str, n: str, previous_cases: str, previous_n: str,
                prefix: str) -> pd.DataFrame:
    """``frame`` with ``<prefix>_previous_pct``, ``<prefix>_change_pp`` and ``<prefix>_significant``
    from its columns of cases and denominators now and in the previous comparable period."""
    change = two_proportion_change(frame[cases], frame[n], frame[previous_cases], frame[previous_n])
    change.index = frame.index
    return frame.assign(**{f"{prefix}_previous_pct": change.previous_pct, f"{prefix}_change_pp": change.change_pp,
                           f"{prefix}_significant": change.significant})
