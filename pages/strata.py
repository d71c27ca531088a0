"""Strata Posyandu: computed strata per area, which rule each posyandu fails, reported vs computed,
Posyandu Aktif beside it, and change over the years."""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard import format as fmt
from dashboard.change import with_change
from dashboard.completeness import coverage_text, is_complete
from dashboard.indicators import catalogue, strata_rules, text
from dashboard.ui import components as ui
from dashboard.ui.data import query
from dashboard.ui.change import change_columns, readable_significance
from dashboard.ui.filters import completeness, page_header
from dashboard.periods import Period
from dashboard.ui.maps import map_section
from dashboard.ui.text import language, t

f = page_header("page_strata", "strata")
region, year, lang = f.region_code, f.period.year, language()
levels = catalogue()["strata"]["levels"]
strata_names = {s: t(f"strata_{s}") for s in levels}        # in rule order
rule_names = strata_rules(lang)                             # rule key -> its text, written from its threshold
st.caption(t("strata_note").format(year=year.year, source=catalogue()["strata"]["source"]))

posyandu = query("pages/strata/posyandu", region=region, year=year)
if posyandu.empty:
    ui.empty("no_reports_year", year=year.year)
    st.stop()

summary = query("pages/strata/summary", region=region, year=year, previous_year=date(year.year - 1, 1, 1)).iloc[0]
a, b, c = st.columns(3)
a.metric(t("posyandu_count"), fmt.count(summary.posyandu, lang))
b.metric(t("reported_differs"), fmt.count(summary.reported_differs, lang), help=t("reported_differs_help"))
year_coverage, previous_coverage = (completeness(region, Period("year", y)) for y in (year, date(year.year - 1, 1, 1)))
if not is_complete(year_coverage):      # yearly rules need twelve months: not applied to part of a year
    c.metric(t("posyandu_aktif"), t("year_incomplete"))
    st.warning(t("strata_year_incomplete").format(year=year.year, coverage=coverage_text(year_coverage, lang)))
    trend = query("pages/strata/trend", region=region)
    trend = trend.assign(label=[f"{fmt.year(y)} ({fmt.count(m, lang)} {t('months')})"
                                for y, m in zip(trend.year, trend.months_reported)])
    ui.chart(charts.strata_bars(trend, "label", strata_names, t("strata_over_years"), orientation="v"),
             f"strata_trend_{region}", "trend")
    st.stop()
c.metric(t("posyandu_aktif"), fmt.percent(summary.aktif_pct, lang),
         help=text(catalogue()["posyandu_aktif"]["source"], lang))
if summary.months_reported < 12:
    st.warning(t("partial_year").format(months=int(summary.months_reported),
                                        rule=catalogue()["strata"]["min_months_opened"]))

distribution = query("pages/strata/distribution", region=region, child_level=f.child_level or "", year=year)
ui.chart(charts.strata_bars(distribution, "name", strata_names, t("strata_by_area")), f"strata_{region}_{year.year}",
         "distribution")
if f.child_level:     # the areas one level down, this year against the year before (when that one is whole)
    changes = query("pages/common/strata_change", region=region, child_level=f.child_level, year=year,
                    previous_year=date(year.year - 1, 1, 1))
    if not is_complete(previous_coverage):
        changes = changes.assign(previous_posyandu=None, previous_purnama_mandiri=None)
    changes = readable_significance(with_change(changes, "purnama_mandiri", "posyandu", "previous_purnama_mandiri",
                                                "previous_posyandu", "purnama_mandiri"), "purnama_mandiri")
    changes = changes[changes.posyandu.notna()].assign(
        purnama_mandiri_pct=100 * changes.purnama_mandiri / changes.posyandu).sort_values("purnama_mandiri_pct")
    name = t("posyandu_purnama_mandiri")
    ui.table(changes[["code", "name", "posyandu", "purnama_mandiri", "purnama_mandiri_pct", "purnama_mandiri_previous_pct",
                      "purnama_mandiri_change_pp", "purnama_mandiri_significant"]],
             f"strata_areas_{region}_{year.year}", "strata_areas",
             {"code": t("code"), "name": t("area"), "posyandu": t("posyandu_count"), "purnama_mandiri": name,
              "purnama_mandiri_pct": st.column_config.NumberColumn(name + " %", format="%.1f"),
              **change_columns("purnama_mandiri", name)})
map_section(f, ["purnama_mandiri", "posyandu_aktif"], "strata_map")

left, right = st.columns(2)
with left:
    failing = query("pages/strata/failed_rules", region=region, year=year)
    failing = failing.assign(rule=failing.rule.map(rule_names))
    st.markdown(f"**{t('rules_failed')}**")
    ui.table(failing.rename(columns={"rule": t("rule"), "failing": t("posyandu_failing"), "posyandu": t("posyandu_count")}),
             f"strata_rules_{region}_{year.year}", "rules")
with right:
    crosstab = query("pages/strata/crosstab", region=region, year=year)
    shown = pd.DataFrame(crosstab.computed_counts.tolist(), columns=[strata_names[s] for s in levels])
    shown.insert(0, t("reported"), [strata_names.get(s, s) for s in crosstab.reported_strata.fillna("–")])
    st.markdown(f"**{t('reported_vs_computed')}**")
    ui.table(shown, f"strata_crosstab_{region}_{year.year}", "crosstab")

trend = query("pages/strata/trend", region=region)
trend = trend.assign(label=[f"{fmt.year(y)} ({fmt.count(m, lang)} {t('months')})" for y, m in zip(trend.year, trend.months_reported)])
ui.chart(charts.strata_bars(trend, "label", strata_names, t("strata_over_years"), orientation="v"),
         f"strata_trend_{region}", "trend")

st.subheader(t("posyandu_list"))
shown = posyandu.assign(failed=[", ".join(rule_names[r] for r in failed) for failed in posyandu.failed_rules],
                        computed_strata=posyandu.computed_strata.map(strata_names),
                        reported_strata=posyandu.reported_strata.map(strata_names))
ui.table(shown[["posyandu_id", "posyandu", "desa", "computed_strata", "reported_strata", "posyandu_aktif", "failed",
                "months_opened", "avg_cadres", "avg_ds_pct", "kia_pct", "kb_pct", "imm_pct", "programmes",
                "dana_sehat_pct"]],
         f"posyandu_{region}_{year.year}", "posyandu",
         {"posyandu_id": t("posyandu_id"), "posyandu": "Posyandu", "desa": t("level_desa"), "computed_strata": t("computed"),
          "reported_strata": t("reported"), "posyandu_aktif": t("posyandu_aktif"), "failed": t("rules_failed"),
          "months_opened": t("months_opened"), "avg_cadres": t("avg_cadres"), "avg_ds_pct": "D/S %",
          "kia_pct": "KIA %", "kb_pct": "KB %", "imm_pct": t("imm_pct"), "programmes": t("programmes"),
          "dana_sehat_pct": t("dana_sehat_pct")})
