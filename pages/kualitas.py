"""Kualitas Data: flagged z-scores, SD of HAZ, method mismatches, digit preference, reporting
completeness and SKDN reported vs derived, per area; imports and rejects are on the data page."""

import streamlit as st

from dashboard import charts
from dashboard import format as fmt
from dashboard import indicators
from dashboard.briefing import limit_text
from dashboard.ui import components as ui
from dashboard.ui.data import query
from dashboard.ui.filters import page_header
from dashboard.ui.maps import match_report_section
from dashboard.ui.text import language, t

f = page_header("page_quality", "kualitas")
region, year, lang = f.region_code, f.period.year, language()
st.caption(t("quality_note").format(year=year.year))

whole = query("pages/kualitas/areas", region=region, child_level="", year=year).iloc[0]     # the area as a whole
areas = query("pages/kualitas/areas", region=region, child_level=f.child_level or "", year=year)
digits = query("pages/kualitas/digits", region=region, year=year)
if whole[["measurements", "reports"]].fillna(0).eq(0).all():
    ui.empty("no_data_year", year=year.year)
    match_report_section()
    st.stop()

a, b, c, d = st.columns(4)
a.metric(t("flagged_share"), fmt.percent(whole.flagged_pct, lang, 2),
         help=t("flagged_help_limit").format(limit=limit_text("flagged", lang)))
b.metric(t("method_mismatch"), fmt.count(whole.method_mismatch, lang), help=t("method_mismatch_help"))
scores = dict(query("pages/kualitas/digit_preference", region=region, child_level="", year=year)[
    ["quantity", "score"]].itertuples(index=False))
c.metric(t("dps_height"), fmt.number(scores.get("height"), lang, 1),
         help=t("dps_help_limit").format(limit=limit_text("dps_height", lang)))
d.metric(t("dps_weight"), fmt.number(scores.get("weight"), lang, 1),
         help=t("dps_help_limit").format(limit=limit_text("dps_weight", lang)))

st.subheader(t("def_quality"))
st.caption(t("quality_warnings_note"))
warnings = query("checks/quality_warnings", region=region, child_level=f.child_level or "", year=year)
if warnings.empty:
    ui.empty("msg_no_warnings", year=year.year)
else:
    ui.table(warnings.assign(check=[t(f"check_{c}") for c in warnings.check],
                             limit=[limit_text(c, lang) for c in warnings.check])[
                 ["code", "name", "check", "value", "limit", "records"]],
             f"quality_warnings_{region}_{year.year}", "warnings",
             {"code": t("code"), "name": t("area"), "check": t("col_check"),
              "value": st.column_config.NumberColumn(t("col_value"), format="%.2f"), "limit": t("col_limit"),
              "records": t("col_records")})

st.subheader(t("quality_by_area"))
st.caption(t("haz_sd_note_limit").format(limit=limit_text("haz_sd", lang)))
ui.table(areas, f"quality_{region}_{year.year}", "areas",
         {"code": t("code"), "name": t("area"), "measurements": t("measurements"), "flagged": t("flagged"),
          "flagged_pct": st.column_config.NumberColumn(t("flagged_share"), format="%.2f"),
          "measure_errors": t("measure_errors"), "method_mismatch": t("method_mismatch"),
          "method_mismatch_pct": st.column_config.NumberColumn(t("method_mismatch") + " %", format="%.2f"),
          "children_haz": t("children_measured"),
          "haz_mean": st.column_config.NumberColumn(t("haz_mean_short"), format="%.2f"),
          "haz_sd": st.column_config.NumberColumn(t("haz_sd"), format="%.2f"),
          "posyandu": t("posyandu_registered"), "months": t("months"), "reports": t("reports"),
          "completeness_pct": st.column_config.NumberColumn(t("completeness"), format="%.0f"),
          "d_reported": t("d_reported"), "d_derived": t("d_derived")})
reported = query("pages/kualitas/reported", region=region, child_level=f.child_level or "", year=year)
if not reported.empty:   # only exports that report their own z-scores and ages (e-PPGBM) have these
    st.subheader(t("reported_title"))
    st.caption(t("reported_note"))
    reported = reported.assign(
        check=[indicators.name("prevalence", i, lang) if i else t("reported_age") for i in reported.indicator],
        share=100 * reported.status_disagrees / reported.compared.where(reported.compared > 0))
    ui.table(reported[["code", "name", "check", "compared", "status_disagrees", "share", "largest_difference"]]
             .sort_values(["share", "status_disagrees"], ascending=False),
             f"quality_reported_{region}_{year.year}", "reported",
             {"code": t("code"), "name": t("area"), "check": t("col_check"), "compared": t("reported_compared"),
              "status_disagrees": t("reported_disagrees"),
              "share": st.column_config.NumberColumn(t("reported_disagrees") + " %", format="%.1f"),
              "largest_difference": st.column_config.NumberColumn(t("reported_largest"), format="%.2f")})

if not digits.empty:
    ui.chart(charts.digit_bars(digits, t("digit_title"), {"weight": t("weight"), "height": t("height")}),
             f"digits_{region}_{year.year}", "digits")

match_report_section()
