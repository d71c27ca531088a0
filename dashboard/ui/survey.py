"""Survey beside routine (issue 16 §3): the published SSGI/SKI stunting figures of the chosen area (the
catalogue's ``[survey]``) in their own columns, beside the routine prevalence and D/S of the same area and
year with how complete that routine year is; the two are never combined into one figure or line."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import format as fmt
from dashboard.completeness import coverage_text
from dashboard.indicators import survey_figures
from dashboard.periods import Period
from dashboard.ui import components as ui
from dashboard.ui.data import query
from dashboard.ui.filters import Filters, completeness
from dashboard.ui.text import language, t


def _routine(region: str, year: int) -> dict:
    """The routine stunting prevalence (n) and D/S of ``region`` over calendar ``year``, with its coverage."""
    period = Period("year", date(year, 1, 1))
    stunting = query("pages/ringkasan/prevalence", region=region, period_type="year", period_start=period.start,
                     previous_start=None).set_index("indicator").loc["stunting"]
    skdn = query("pages/ringkasan/skdn", region=region, start=period.start, end=period.end).iloc[0]
    coverage = completeness(region, period)
    return {"routine_pct": stunting.prevalence, "routine_n": stunting.denominator, "routine_ds_pct": skdn.ds_pct,
            "routine_coverage": (coverage_text(coverage, language()) or t("complete_year")) if coverage else fmt.MISSING}


def survey_section(f: Filters) -> None:
    """The survey figures known for the chosen area, each beside the routine figures of its year."""
    surveys = survey_figures(f.region_code, language())
    if surveys.empty:
        return
    rows = pd.DataFrame([{**s, **_routine(f.region_code, int(s["year"]))} for s in surveys.to_dict("records")])
    rows = rows.assign(survey=rows.survey + rows.provisional.map({True: f" ({t('provisional')})", False: ""}),
                       **{c: pd.to_numeric(rows[c], errors="coerce").astype("float64")     # numbers, written by format
                          for c in ("routine_pct", "routine_ds_pct")},
                       routine_n=pd.to_numeric(rows.routine_n, errors="coerce").astype("Int64"))
    st.subheader(t("survey_beside"))
    stunting = ui.indicator_name("prevalence", "stunting")
    ui.table(rows[["survey", "year", "stunting_pct", "source", "routine_pct", "routine_n", "routine_ds_pct",
                   "routine_coverage"]], f"survey_routine_{f.region_code}", "survey_routine", {
        "survey": t("survey"), "year": st.column_config.NumberColumn(t("period_year"), format="%d"),
        "stunting_pct": st.column_config.NumberColumn(f"{stunting} % · {t('survey')}", format="%.1f"),
        "source": t("source"),
        "routine_pct": st.column_config.NumberColumn(f"{stunting} % · {t('routine')}", format="%.1f"),
        "routine_n": t("children_measured"),
        "routine_ds_pct": st.column_config.NumberColumn(f"D/S % · {t('routine')}", format="%.1f"),
        "routine_coverage": t("routine_coverage")})
    st.caption(t("survey_note"))
