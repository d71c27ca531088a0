"""Kualitas Data: flagged z-scores, SD of HAZ, method mismatches, digit preference, reporting
completeness and SKDN reported vs derived, per area; imports and rejects are on the data page."""

import streamlit as st

from dashboard import charts
from dashboard import format as fmt
from dashboard.indicators import catalogue
from dashboard.ui import components as ui
from dashboard.ui.data import query
from dashboard.ui.filters import page_header
from dashboard.ui.maps import match_report_section
from dashboard.ui.text import language, t

f = page_header("page_quality", "kualitas")
region, year, lang = f.region_code, f.period.year, language()
st.caption(t("quality_note").format(year=year.year))

areas = query("pages/kualitas/areas", region=region, child_level=f.child_level or "", year=year)
digits = query("pages/kualitas/digits", region=region, year=year)
if areas.measurements.fillna(0).sum() == 0 and areas.reports.fillna(0).sum() == 0:
    ui.empty("no_data_year", year=year.year)
    match_report_section()
    st.stop()

measured = areas.measurements.sum()
a, b, c, d = st.columns(4)
a.metric(t("flagged_share"), fmt.percent(100 * areas.flagged.sum() / measured if measured else None, lang, 2),
         help=t("flagged_help").format(limit=fmt.percent(catalogue()["briefing"]["max_flagged_pct"], lang, 0)))
b.metric(t("method_mismatch"), fmt.count(areas.method_mismatch.sum(), lang), help=t("method_mismatch_help"))
scores = {q: charts.digit_preference_score(rows.set_index("digit").measurements) for q, rows in digits.groupby("quantity")}
c.metric(t("dps_height"), fmt.number(scores.get("height"), lang, 1), help=t("dps_help"))
d.metric(t("dps_weight"), fmt.number(scores.get("weight"), lang, 1), help=t("dps_help"))

st.subheader(t("quality_by_area"))
st.caption(t("haz_sd_note").format(**dict(zip(("low", "high"), (fmt.number(v, lang, 2) for v in
                                                                   catalogue()["briefing"]["haz_sd_range"])))))
ui.table(areas, f"quality_{region}_{year.year}", "areas",
         {"code": t("code"), "name": t("area"), "measurements": t("measurements"), "flagged": t("flagged"),
          "flagged_pct": st.column_config.NumberColumn(t("flagged_share"), format="%.2f"),
          "measure_errors": t("measure_errors"), "method_mismatch": t("method_mismatch"),
          "children_haz": t("children_measured"),
          "haz_mean": st.column_config.NumberColumn(t("haz_mean_short"), format="%.2f"),
          "haz_sd": st.column_config.NumberColumn(t("haz_sd"), format="%.2f"),
          "posyandu": t("posyandu_registered"), "months": t("months"), "reports": t("reports"),
          "completeness_pct": st.column_config.NumberColumn(t("completeness"), format="%.0f"),
          "d_reported": t("d_reported"), "d_derived": t("d_derived")})
if not digits.empty:
    ui.chart(charts.digit_bars(digits, t("digit_title"), {"weight": t("weight"), "height": t("height")}),
             f"digits_{region}_{year.year}", "digits")

match_report_section()
