"""The P2WKSS ranking: each part's score (0..max) weighted by the catalogue (40/20/20/20) into a total
out of 100; ties go to the higher basic-programme score (the heaviest part), then the village code.
A village missing a part gets no total and is listed after the ranked ones."""

from __future__ import annotations

import io

import pandas as pd

from dashboard.indicators import catalogue
from dashboard.p2wkss.store import parts


def ranking(scores: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per village: a column per part, ``total`` and ``rank`` (None while incomplete)."""
    spec, maximum = parts(), float(catalogue()["p2wkss"]["max_score"])
    wide = scores.pivot_table(index="village_code", columns="part", values="score", aggfunc="last")
    wide = wide.reindex(columns=list(spec))
    weights = pd.Series({p: float(s["weight"]) for p, s in spec.items()})
    complete = wide.notna().all(axis=1)
    wide["total"] = (wide[list(spec)] / maximum * weights).sum(axis=1).round(2).where(complete)
    heaviest = weights.idxmax()
    wide = wide.reset_index().sort_values(["total", heaviest, "village_code"], ascending=[False, False, True],
                                          na_position="last")
    wide["rank"] = pd.array(range(1, len(wide) + 1), dtype="Int64")
    wide["rank"] = wide["rank"].where(wide["total"].notna())
    if names is not None:
        wide.insert(1, "desa", wide.village_code.map(names))
    return wide.reset_index(drop=True)


def result_sheet(ranked: pd.DataFrame, lang: str, title: str) -> bytes:
    """The result sheet as ``.xlsx``: the title, each part with its weight, the total and the rank."""
    spec = parts()
    headings = {p: f"{s.get(lang) or s['id']} ({s['weight']}%)" for p, s in spec.items()}
    headings.update({"village_code": "Kode desa" if lang == "id" else "Village code", "desa": "Desa",
                     "total": "Nilai akhir" if lang == "id" else "Total", "rank": "Peringkat" if lang == "id" else "Rank"})
    shown = ranked[[c for c in ("rank", "village_code", "desa", *spec, "total") if c in ranked]].rename(columns=headings)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        shown.to_excel(writer, sheet_name="Hasil", index=False, startrow=2)
        sheet = writer.sheets["Hasil"]
        sheet["A1"] = title
        sheet["A2"] = catalogue()["p2wkss"]["source"][lang]
    return buffer.getvalue()
