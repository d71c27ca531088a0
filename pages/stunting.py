"""Stunting: trend with confidence bands, age group and sex, HAZ against the WHO standard, severe vs
moderate, and the areas with the highest prevalence and the most stunted children."""

import streamlit as st

from dashboard import charts
from dashboard import format as fmt
from dashboard.ui import components as ui
from dashboard.ui.change import areas_change, change_columns, comparison_caption, readable_significance
from dashboard.ui.data import query
from dashboard.ui.filters import page_header
from dashboard.ui.maps import map_section
from dashboard.ui.text import language, t

f = page_header("page_stunting", "stunting")
period, region = f.period, f.region_code
names = {"stunting": ui.indicator_name("prevalence", "stunting"),
         "severe_stunting": ui.indicator_name("prevalence", "severe_stunting")}
ui.definition("prevalence", "stunting")
st.caption(t("routine_note"))

grains = {k: t(f"period_{k}") for k in ("month", "quarter")}
grain = st.radio(t("trend_by"), list(grains), index=0 if period.type == "month" else 1, horizontal=True,
                 format_func=grains.get, key=f"trend_grain_{period.type}")
trend = query("pages/stunting/trend", region=region, period_type=grain)
if trend.empty:
    ui.empty("no_measurements")
else:
    ui.chart(charts.trend_with_band(trend, names, t("stunting_trend"), "%", highlight=(period.start, period.end)),
             f"stunting_trend_{region}", "trend")

map_section(f, ["stunting", "wasting", "underweight"], "stunting_map")

left, right = st.columns(2)
with left:
    by_age = query("pages/stunting/age_sex", region=region, period_type=period.type, period_start=period.start)
    if by_age.empty:
        ui.empty("no_measurements_period")
    else:
        ui.chart(charts.stacked_by_group(by_age, "age_group", {"severe": t("severe"), "moderate": t("moderate")},
                                         "children", "sex", {1: t("boys"), 2: t("girls")}, t("by_age_sex"), "%"),
                 f"stunting_age_sex_{region}_{period.code}", "age_sex")
with right:
    haz = query("pages/stunting/haz_distribution", region=region, period_type=period.type, period_start=period.start)
    if haz.empty:
        ui.empty("no_measurements_period")
    else:
        ui.chart(charts.haz_against_who(haz, t("haz_distribution"), t("children_here"), t("who_standard")),
                 f"haz_{region}_{period.code}", "haz")
        st.caption(t("haz_mean").format(mean=fmt.signed(haz.haz_mean.iloc[0], language(), 2),
                                        n=fmt.count(haz.total_children.iloc[0], language())))

if f.child_level:
    st.subheader(t("areas_stunting").format(level=t(f"levels_{f.child_level}")))
    areas = ui.mark_small(query("pages/stunting/areas", region=region, child_level=f.child_level,
                                period_type=period.type, period_start=period.start), "children")
    areas = areas.assign(few=areas.small.map({True: "⚠", False: ""}))
    change = areas_change(f, "stunting")[["code", "stunting_previous_pct", "stunting_change_pp", "stunting_significant"]]
    areas = readable_significance(areas.merge(change, on="code", how="left"), "stunting")
    config = {"code": t("code"), "name": t("area"), "stunted": t("stunted_children"), "children": t("children_measured"),
              "few": st.column_config.TextColumn(t("few_children_short"), help=t("few_children")),
              "stunting_pct": st.column_config.NumberColumn(names["stunting"] + " %", format="%.1f"),
              "ci_low": st.column_config.NumberColumn("CI 95% -", format="%.1f"),
              "ci_high": st.column_config.NumberColumn("CI 95% +", format="%.1f"),
              "severe": t("severe_children"),
              "severe_pct": st.column_config.NumberColumn(names["severe_stunting"] + " %", format="%.1f"),
              **change_columns("stunting", names["stunting"])}
    columns = ["code", "name", "stunting_pct", "ci_low", "ci_high", "stunted", "children", "few", "stunting_previous_pct",
               "stunting_change_pp", "stunting_significant", "severe", "severe_pct"]
    by_rate, by_count = st.tabs([t("highest_prevalence"), t("most_stunted")])
    with by_rate:
        ui.table(areas.sort_values(["small", "stunting_pct"], ascending=[True, False], na_position="last")[columns],
                 f"stunting_areas_{region}_{period.code}", "by_rate", config)
    with by_count:
        ui.table(areas.sort_values("stunted", ascending=False, na_position="last")[columns],
                 f"stunting_counts_{region}_{period.code}", "by_count", config)
    st.caption(t("few_children_note").format(n=ui.min_denominator()))
    comparison_caption(f)
