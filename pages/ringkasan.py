"""Ringkasan (overview): headline indicators of the chosen area and period against the previous
period and the national target, and the ranking of the areas below it."""

from datetime import date

import streamlit as st

from dashboard import format as fmt
from dashboard.completeness import coverage_text, is_complete
from dashboard.indicators import catalogue, target_for
from dashboard.ui import components as ui
from dashboard.ui.change import areas_change, change_columns, comparison_caption, movers, readable_significance
from dashboard.ui.data import query
from dashboard.ui.filters import as_of, page_header
from dashboard.ui.maps import map_section
from dashboard.ui.survey import survey_section
from dashboard.ui.text import language, t

f = page_header("page_overview", "ringkasan")
period, region, lang = f.period, f.region_code, language()
previous = f.comparable          # none when this or the previous period is partial: no like-for-like one

prevalence = query("pages/ringkasan/prevalence", region=region, period_type=period.type, period_start=period.start,
                   previous_start=previous.start if previous else None).set_index("indicator")
st.subheader(t("nutrition"))
columns = st.columns(3)
for column, name in zip(columns, ("stunting", "wasting", "underweight")):
    row = prevalence.loc[name]
    with column:
        st.metric(ui.indicator_name("prevalence", name), fmt.percent(row.prevalence, lang),
                  **ui.change(row.prevalence, row.previous_prevalence),
                  help=f"{fmt.count(row.numerator, lang)} / {fmt.count(row.denominator, lang)} {t('children')}")
        st.caption(f"{fmt.count(row.numerator, lang)} / {fmt.count(row.denominator, lang)} {t('children')}"
                   + (f" · ⚠ {t('few_children')}" if ui.is_small(row.denominator) else ""))
        if target := target_for(catalogue()["prevalence"][name], period.start.year):
            st.caption(f"{t('target')} {target[0]}: {fmt.percent(target[1], lang)}")
        ui.definition("prevalence", name)
if prevalence.denominator.isna().all():
    ui.empty("no_measurements_period")
survey_section(f)

st.subheader(t("weighing"))
skdn = query("pages/ringkasan/skdn", region=region, start=period.start, end=period.end).iloc[0]
before = f.comparable_months          # the same months of the previous period, when it is complete
skdn_before = query("pages/ringkasan/skdn", region=region, start=before[0] if before else period.start,
                    end=before[1] if before else period.start).iloc[0]
a, b, c, d = st.columns(4)
with a:
    st.metric(ui.indicator_name("ratio", "ds"), fmt.percent(skdn.ds_pct, lang),
              **ui.change(skdn.ds_pct, skdn_before.ds_pct, lower_is_better=False))
    st.caption(f"D {fmt.count(skdn.d, lang)} / S {fmt.count(skdn.s, lang)} · {t('target')} "
               f"{fmt.percent(catalogue()['ratio']['ds']['target'], lang, 0)}")
    ui.definition("ratio", "ds")
with b:
    st.metric(ui.indicator_name("ratio", "nd"), fmt.percent(skdn.nd_pct, lang),
              **ui.change(skdn.nd_pct, skdn_before.nd_pct, lower_is_better=False))
    st.caption(f"N {fmt.count(skdn.n, lang)} / D' {fmt.count(skdn.d_both, lang)}")
    ui.definition("ratio", "nd")
summary = query("pages/strata/summary", region=region, year=period.year,
                previous_year=date(period.start.year - 1, 1, 1)).iloc[0]
strata = query("pages/ringkasan/strata", region=region, year=period.year)
year_coverage = query("pages/common/completeness", region=region, period_type="year", period_start=period.year)
year_coverage = year_coverage.iloc[0] if len(year_coverage) else None
with c:
    if not is_complete(year_coverage):      # yearly rules need twelve months: not applied to part of a year
        st.metric(t("posyandu_purnama_mandiri"), t("year_incomplete"))
        st.caption(f"{fmt.year(period.year)}: {coverage_text(year_coverage, lang)}")
    else:
        st.metric(t("posyandu_purnama_mandiri"), f"{fmt.count(summary.purnama_mandiri, lang)} / {fmt.count(summary.posyandu, lang)}",
                  help=", ".join(f"{t('strata_' + s.computed_strata)}: {fmt.count(s.posyandu, lang)}" for s in strata.itertuples()))
        st.caption(", ".join(f"{t('strata_' + s.computed_strata)} {fmt.count(s.posyandu, lang)}" for s in strata.itertuples()))
referrals = query("pages/ringkasan/referrals", region=region, as_of=as_of(f)).iloc[0]
with d:
    st.metric(t("open_referrals"), fmt.count(referrals.open, lang), help=t("backlog_definition"))
    st.caption(f"{t('overdue')}: {fmt.count(referrals.overdue, lang)} · {t('as_of')} {fmt.date(as_of(f), lang)}")

if f.child_level:
    st.subheader(t("ranking").format(level=t(f"levels_{f.child_level}")))
    areas = query("pages/common/areas", region=region, level=f.child_level, period_type=period.type,
                  period_start=period.start, start=period.start, end=period.end, year=period.year, as_of=as_of(f))
    if areas.empty:
        ui.empty("no_child_areas")
    else:
        areas = ui.mark_small(areas, "stunting_n")
        change = areas_change(f, "stunting")[["code", "stunting_previous_pct", "stunting_change_pp", "stunting_significant"]]
        areas = readable_significance(areas.merge(change, on="code", how="left"), "stunting")
        shown = areas.assign(few=areas.small.map({True: "⚠", False: ""}))[
            ["code", "name", "stunting_pct", "stunted", "stunting_n", "few", "stunting_previous_pct", "stunting_change_pp",
             "stunting_significant", "wasting_pct", "underweight_pct",
             "ds_pct", "nd_pct", "posyandu", "purnama_mandiri", "open_referrals", "overdue_referrals"]]
        ui.table(shown, f"ringkasan_{region}_{period.code}", "ranking", column_config={
            "code": t("code"), "name": t("area"), "few": st.column_config.TextColumn(t("few_children_short"), help=t("few_children")),
            "stunting_pct": st.column_config.NumberColumn(ui.indicator_name("prevalence", "stunting") + " %", format="%.1f"),
            "stunted": t("stunted_children"), "stunting_n": t("children_measured"),
            "wasting_pct": st.column_config.NumberColumn(ui.indicator_name("prevalence", "wasting") + " %", format="%.1f"),
            "underweight_pct": st.column_config.NumberColumn(ui.indicator_name("prevalence", "underweight") + " %", format="%.1f"),
            "ds_pct": st.column_config.NumberColumn("D/S %", format="%.1f"),
            "nd_pct": st.column_config.NumberColumn("N/D' %", format="%.1f"),
            "posyandu": "Posyandu", "purnama_mandiri": t("posyandu_purnama_mandiri"),
            "open_referrals": t("open_referrals"), "overdue_referrals": t("overdue"),
            **change_columns("stunting", ui.indicator_name("prevalence", "stunting"))})
        st.caption(t("few_children_note").format(n=ui.min_denominator()))
        comparison_caption(f)
        st.subheader(t("movers").format(level=t(f"levels_{f.child_level}")))
        movers(f, ["stunting", "wasting", "underweight"])

map_section(f, list(catalogue()["maps"]["indicators"]), "overview_map")
