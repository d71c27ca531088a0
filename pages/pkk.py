"""PKK: Dasa Wisma household indicators by village, and each beside stunting (a village a point)."""

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard import format as fmt
from dashboard.indicators import catalogue, pkk_indicators, text
from dashboard.ui import components as ui
from dashboard.ui.data import query
from dashboard.ui.filters import page_header
from dashboard.ui.text import language, t

f = page_header("page_pkk", "pkk")
region, year = f.region_code, f.period.year
spec, lang = catalogue()["pkk"], language()
names = pkk_indicators(lang)
st.caption(t("pkk_note").format(year=year.year, source=text(spec["source"], lang)))

villages = query("pages/pkk/villages", region=region, year=year)
if villages.empty:
    ui.empty("no_pkk_year", year=year.year)
    st.stop()

columns_of = {key: item["column"] for key, item in spec["indicators"].items()}     # indicator -> households_* column
area = query("pages/pkk/area", region=region, year=year).set_index("column_name")
for column, (key, label) in zip(st.columns(len(names)), names.items()):
    row = area.loc[columns_of[key]]
    column.metric(label, fmt.percent(row.share, lang),
                  help=f"{fmt.count(row.covered, lang)} / {fmt.count(row.households, lang)} {t('households')}")

choice = st.selectbox(t("pkk_indicator"), list(names), format_func=names.get)
villages = ui.mark_small(villages, "children")
ui.chart(charts.village_scatter(villages, choice, names[choice], ui.indicator_name("prevalence", "stunting"),
                                t("pkk_scatter").format(indicator=names[choice]), t("few_children")),
         f"pkk_{choice}_{region}_{year.year}", "scatter")
correlation = query("pages/pkk/correlation", region=region, year=year).set_index("column_name")
if columns_of[choice] in correlation.index and pd.notna(r := correlation.spearman_r.get(columns_of[choice])):
    st.caption(t("correlation").format(r=fmt.number(r, lang, 2), n=fmt.count(correlation.villages[columns_of[choice]], lang)))

st.subheader(t("by_village"))
ui.table(villages[["village_code", "desa", "kecamatan", "households", *names, "stunting_pct", "stunted", "children"]],
         f"pkk_{region}_{year.year}", "villages",
         {"village_code": t("code"), "desa": t("level_desa"), "kecamatan": t("level_kecamatan"),
          "households": t("households"),
          **{k: st.column_config.NumberColumn(v + " %", format="%.0f") for k, v in names.items()},
          "stunting_pct": st.column_config.NumberColumn(ui.indicator_name("prevalence", "stunting") + " %", format="%.1f"),
          "stunted": t("stunted_children"), "children": t("children_measured")})
