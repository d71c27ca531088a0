"""Publik: the transparency page for citizens, readable on a phone. Built only from aggregates of a
province and its kab/kota (and a village map of rate bands), with small cells suppressed and their
complements, so that no child, case or posyandu can be singled out (dashboard/suppress.py)."""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts, suppress
from dashboard import format as fmt
from dashboard.indicators import catalogue, target_for
from dashboard.maps.figure import fixed_bands
from dashboard.ui import components as ui
from dashboard.ui.data import database_ready, query
from dashboard.ui.filters import backlog_day
from dashboard.ui.maps import public_map
from dashboard.ui.text import language, t

st.header(t("public_title"))
if not database_ready() or not bool(query("pages/common/marts_ready").ready.iloc[0]):
    st.info(t("public_no_data"))
    st.stop()

provinces = query("pages/common/child_regions", parent="")
years = sorted({m.year for m in query("pages/common/periods").month.dt.date}, reverse=True)
wanted_region, wanted_year = st.query_params.get("wilayah", ""), st.query_params.get("periode", "")
province_names = dict(zip(provinces.code, provinces.name))
province = wanted_region[:2] if wanted_region[:2] in province_names else provinces.code.iloc[0]
left, right = st.columns(2)
province = left.selectbox(t("level_provinsi"), list(province_names), index=list(province_names).index(province),
                          format_func=province_names.get)
wanted_year = wanted_year[:4]                      # "2025", or the year of "2025-Q3" / "2025-08"
year = right.selectbox(t("period_year"), years, index=years.index(int(wanted_year)) if wanted_year.isdigit()
                       and int(wanted_year) in years else 0)
if not wanted_region.startswith(province):          # keep a kab/kota code of a shared link within the province
    st.query_params["wilayah"] = province
if wanted_year != str(year):                        # keep a quarter or month of a shared link within the year
    st.query_params["periode"] = str(year)
start, end = date(year, 1, 1), date(year + 1, 1, 1)
lang = language()
scope = (province_names[province], fmt.year(year), f"{province}_{year}")     # what every download names first

updated = query("pages/publik/updated").iloc[0]
st.caption(t("public_updated").format(updated=fmt.date(updated.last_import, lang),
                                      until=fmt.month(updated.last_month, lang)))
HIDDEN = t("public_hidden")


def shown(frame: pd.DataFrame, columns: dict[str, str], rates: dict[str, str] | None = None) -> pd.DataFrame:
    """The suppressed table as text: counts with a hidden mark, rates with one decimal."""
    out = pd.DataFrame({t("area"): frame["name"]})
    for column, label in columns.items():
        out[label] = frame[column].map(lambda v: HIDDEN if pd.isna(v) else fmt.count(v, lang))
    for column, label in (rates or {}).items():
        out[label] = frame[column].map(lambda v: HIDDEN if pd.isna(v) else fmt.percent(v, lang))
    return out


# Stunting ---------------------------------------------------------------------------------------------
st.subheader(t("public_stunting"))
stunting = query("pages/publik/stunting", province=province, year=start)
stunting = stunting.assign(rate=100 * stunting.stunted / stunting.measured.where(stunting.measured > 0))
published = suppress.suppressed_rates(stunting, "stunted", "measured", derived={"rate": ["stunted", "measured"]})
total = published.iloc[0]
st.metric(t("public_stunting_metric").format(year=year), HIDDEN if pd.isna(total.rate) else fmt.percent(total.rate, lang))
st.caption(t("public_stunting_explain").format(stunted=HIDDEN if pd.isna(total.stunted) else fmt.count(total.stunted, lang),
                                              measured=HIDDEN if pd.isna(total.measured) else fmt.count(total.measured, lang)))
st.caption(t("public_routine"))
areas = published.iloc[1:].dropna(subset=["rate"]).sort_values("rate", ascending=False)
if len(areas):   # hidden rates stay out of the chart; the table below marks them
    target = target_for(catalogue()["prevalence"]["stunting"], year)
    ui.chart(charts.ranked_bars(areas.assign(label=areas["name"], value=areas["rate"], numerator=areas["stunted"],
                                             denominator=areas["measured"]),
                                t("public_stunting_chart").format(year=year), t("children"),
                                (target[1], t("public_target").format(year=target[0], value=fmt.percent(target[1], lang)))
                                if target else None),
             f"stunting_{province}_{year}", "public_stunting_chart")
ui.table(shown(published.iloc[1:], {"stunted": t("public_stunted"), "measured": t("public_measured")},
               {"rate": t("public_rate")}), f"stunting_{province}_{year}", "public_stunting", scope=scope)
public_map(province, year, st.query_params.get("peta", province), key="public_map")

# Posyandu strata --------------------------------------------------------------------------------------
st.subheader(t("public_strata"))
st.caption(t("public_strata_explain"))
strata = query("pages/publik/strata", province=province, year=start)
levels = catalogue()["strata"]["levels"]
published = suppress.suppressed_distribution(strata, levels, "posyandu")
ui.table(shown(published, {**{s: t(f"strata_{s}") for s in levels}, "posyandu": t("public_posyandu_total")}),
         f"strata_{province}_{year}", "public_strata", scope=scope)

# Referral follow-up -----------------------------------------------------------------------------------
st.subheader(t("public_referrals"))
as_of = backlog_day(end)
st.caption(t("public_referrals_explain").format(day=fmt.date(as_of, lang)))
referrals = query("pages/publik/referrals", province=province, year_start=start, year_end=end, as_of=as_of)
referrals = referrals.assign(done=100 * referrals.selesai / referrals.dirujuk.where(referrals.dirujuk > 0))
published = suppress.suppressed_distribution(referrals, ["selesai", "batal", "terbuka"], "dirujuk",
                                             derived={"done": ["selesai", "dirujuk"]})
ui.table(shown(published, {"dirujuk": t("public_referred"), "selesai": t("public_completed"),
                           "batal": t("public_cancelled"), "terbuka": t("public_open")},
               {"done": t("public_completed_pct")}), f"rujukan_{province}_{year}", "public_referrals", scope=scope)

st.subheader(t("public_about"))
threshold = suppress.suppression_threshold()
st.markdown(t("public_about_text").format(threshold_minus=threshold - 1, minimum=suppress.min_rate_denominator(),
                                          hidden=HIDDEN, source=catalogue()["prevalence"]["stunting"]["bands_source"],
                                          bands="; ".join(fixed_bands(catalogue()["prevalence"]["stunting"]["bands"],
                                                                      language()).labels)))
