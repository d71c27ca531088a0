"""Publik: the transparency page for citizens, readable on a phone. Built only from aggregates of a
province and its kab/kota (and a village map of rate bands), with small cells suppressed and their
complements, so that no child, case or posyandu can be singled out. Every figure, table, map and
download reads the one jointly suppressed ``Publication`` of the province and year (dashboard/public/)."""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import access, completeness
from dashboard import format as fmt
from dashboard.config import settings
from dashboard.indicators import catalogue
from dashboard.maps.figure import fixed_bands
from dashboard.periods import Period
from dashboard.public import cells, export, suppress
from dashboard.public.figures import ranking_figure
from dashboard.ui import components as ui
from dashboard.ui.access import current_role
from dashboard.ui.data import database_ready, query
from dashboard.ui.maps import public_map
from dashboard.ui.public import publication
from dashboard.ui.text import language, t

st.header(t("public_title"))
if settings().public_site_url:
    st.caption(t("public_static_link").format(url=settings().public_site_url))
if not settings().public_route and current_role() == access.PUBLIK:   # a deployment that serves only the static site
    st.info(t("public_route_off"))
    st.stop()
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
# Years read like the filter bar's: a partial year says so, and the default is the latest complete year
year_rows = query("pages/common/period_completeness", region=province, period_type="year")
by_start = {pd.Timestamp(r.period_start).year: r._asdict() for r in year_rows.itertuples(index=False)}
labels = {y: completeness.period_label(Period("year", date(y, 1, 1)), by_start.get(y), language()) for y in years}
default = completeness.default_period([Period("year", date(y, 1, 1)) for y in years], year_rows).start.year
year = right.selectbox(t("period_year"), years, index=years.index(int(wanted_year)) if wanted_year.isdigit()
                       and int(wanted_year) in years else years.index(default), format_func=labels.get)
if not wanted_region.startswith(province):          # keep a kab/kota code of a shared link within the province
    st.query_params["wilayah"] = province
if wanted_year != str(year):                        # keep a quarter or month of a shared link within the year
    st.query_params["periode"] = str(year)

lang = language()
scope = (province_names[province], fmt.year(year), f"{province}_{year}")     # what every download names first
published = publication(province, year)          # every figure below comes from this one suppressed set
st.caption(t("public_updated").format(updated=fmt.date(published.last_import, lang),
                                      until=fmt.month(published.last_month, lang)))
if note := completeness.coverage_note(published.coverage, lang):     # a partial year, said plainly
    st.warning(note)
HIDDEN = t("public_hidden")


def shown(frame: pd.DataFrame, columns: dict[str, str], rates: dict[str, str] | None = None) -> pd.DataFrame:
    """The suppressed table as text: counts with a hidden mark, rates with one decimal (hidden with
    their counts; "–" where nobody was counted)."""
    out = pd.DataFrame({t("area"): frame["name"]})
    for column, label in columns.items():
        out[label] = frame[column].map(lambda v: HIDDEN if pd.isna(v) else fmt.count(v, lang))
    counts_hidden = frame[list(columns)].isna().any(axis=1)
    for column, label in (rates or {}).items():
        out[label] = [HIDDEN if hide else fmt.percent(v, lang) for v, hide in zip(frame[column], counts_hidden)]
    return out


# Stunting ---------------------------------------------------------------------------------------------
st.subheader(t("public_stunting"))
stunting = published.tables[cells.STUNTING]
total = stunting.loc[stunting.level == "provinsi"].iloc[0]
st.metric(t("public_stunting_metric").format(year=year), HIDDEN if pd.isna(total.rate) else fmt.percent(total.rate, lang))
st.caption(t("public_stunting_explain").format(stunted=HIDDEN if pd.isna(total.stunted) else fmt.count(total.stunted, lang),
                                               measured=HIDDEN if pd.isna(total.measured) else fmt.count(total.measured, lang)))
st.caption(t("public_routine"))
kabkota = stunting.loc[stunting.level == "kabkota"]
if (ranking := ranking_figure(published, lang)) is not None:   # hidden rates stay out; the table marks them
    ui.chart(ranking, f"stunting_{province}_{year}", "public_stunting_chart")
STUNTING_COLUMNS = {"stunted": t("public_stunted"), "measured": t("public_measured")}
ui.table(shown(kabkota, STUNTING_COLUMNS, {"rate": t("public_rate")}), f"stunting_{province}_{year}", "public_stunting",
         scope=scope)
area = public_map(published, st.query_params.get("peta", province), key="public_map")
if area != province:
    area_name = dict(zip(kabkota.region_code, kabkota.name)).get(area, area)
    with st.expander(t("public_villages").format(area=area_name)):
        ui.table(shown(published.villages_of(area), STUNTING_COLUMNS, {"rate": t("public_rate")}),
                 f"stunting_desa_{area}_{year}", "public_villages", scope=(area_name, fmt.year(year), f"{area}_{year}"))

# Posyandu strata --------------------------------------------------------------------------------------
st.subheader(t("public_strata"))
st.caption(t("public_strata_explain"))
levels = catalogue()["strata"]["levels"]
ui.table(shown(published.tables[cells.STRATA],
               {**{s: t(f"strata_{s}") for s in levels}, "posyandu": t("public_posyandu_total")}),
         f"strata_{province}_{year}", "public_strata", scope=scope)

# Referral follow-up -----------------------------------------------------------------------------------
st.subheader(t("public_referrals"))
st.caption(t("public_referrals_explain").format(day=fmt.date(published.referrals_as_of, lang)))
ui.table(shown(published.tables[cells.REFERRALS], {"dirujuk": t("public_referred"), "selesai": t("public_completed"),
                                                   "batal": t("public_cancelled"), "terbuka": t("public_open")},
               {"done": t("public_completed_pct")}), f"rujukan_{province}_{year}", "public_referrals", scope=scope)

# Open data --------------------------------------------------------------------------------------------
st.caption(t("public_open_data_explain"))
st.download_button(t("public_open_data"), export.bundle_zip(published), f"{export.bundle_name(published)}.zip",
                   "application/zip", key="public_open_data")

st.subheader(t("public_about"))
threshold = suppress.suppression_threshold()
st.markdown(t("public_about_text").format(threshold_minus=threshold - 1, minimum=suppress.min_rate_denominator(),
                                          hidden=HIDDEN, source=catalogue()["prevalence"]["stunting"]["bands_source"],
                                          bands="; ".join(fixed_bands(catalogue()["prevalence"]["stunting"]["bands"],
                                                                      lang).labels)))
