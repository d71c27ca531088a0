"""Nutritional status labels (Permenkes 2/2020) from z-scores, by the rules in indicators.toml."""

from __future__ import annotations

import numpy as np

from dashboard.indicators import catalogue


def status_labels(indicator: str, z, oedema=None) -> np.ndarray:
    """Label per z-score of ``indicator`` (haz, waz, whz, baz); None where the z-score is missing.

    With oedema a weight-based indicator has no z-score, and the child takes the indicator's
    ``oedema`` label (gizi buruk / berat badan sangat kurang), as WHO counts it below -3.
    """
    spec = catalogue()["status"][indicator]
    z = np.asarray(z, dtype="float64")
    labels = np.full(z.shape, None, dtype=object)
    known = np.isfinite(z)
    labels[known] = spec["default"]
    decided = ~known
    for label, comparison, value in spec["rules"]:
        hit = ~decided & ((z < value) if comparison == "below" else (z > value))
        labels[hit] = label
        decided |= hit
    if oedema is not None and "oedema" in spec:
        labels[np.asarray(oedema, dtype=bool)] = spec["oedema"]
    return labels
