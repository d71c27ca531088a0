"""Tindak Lanjut Instansi: one agency's own view across meetings: its decisions past due and due
soon in the chosen area and below, all its open ones, and the overdue referrals it has received, by
village. ``?instansi=dinas_sosial`` (with the filters) is a link to share inside government."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard import format as fmt
from dashboard.indicators import labels
from dashboard.meeting.exports import decisions_table, decisions_xlsx
from dashboard.meeting.migrations import OPEN_STATUSES
from dashboard.ui import decisions as ui
from dashboard.ui.data import query
from dashboard.ui.filters import as_of, page_header
from dashboard.ui.text import language, t

DUE_SOON_DAYS = 14

f = page_header("page_agency", "instansi")
lang = language()
agencies = labels("agency", lang)
wanted = st.query_params.get("instansi")
if wanted in agencies and "agency_pick" not in st.session_state:   # a shared link opens on its agency
    st.session_state["agency_pick"] = wanted
agency = st.selectbox(t("mtg_pick_agency"), list(agencies), format_func=agencies.get, key="agency_pick")
if st.query_params.get("instansi") != agency:
    st.query_params["instansi"] = agency
st.caption(t("mtg_share_link"))
st.code(f"/instansi?instansi={agency}&wilayah={f.region_code}&periode={f.period.code}", language=None)

found = ui.store().decisions(f.region_code, below=True, agency=agency)
found = found[found.status.isin(OPEN_STATUSES)]
due = pd.to_datetime(found.due_on).dt.date
today = ui.today()
late, soon = found[due < today], found[(due >= today) & (due <= today + timedelta(days=DUE_SOON_DAYS))]
names = ui.area_names(found.area_code)
day = as_of(f)
referrals = query("pages/keputusan/overdue_since", region=f.region_code, as_of=day, since=day)
referrals = referrals[referrals.destination_agency == agency]

a, b, c = st.columns(3)
a.metric(t("mtg_overdue_decisions"), fmt.count(len(late), lang))
b.metric(t("mtg_due_soon").format(days=DUE_SOON_DAYS), fmt.count(len(soon), lang))
c.metric(t("mtg_overdue_referrals").capitalize(), fmt.count(referrals.referrals.sum(), lang))

for title, rows, key in ((t("mtg_overdue_decisions"), late, "late"),
                         (t("mtg_due_soon").format(days=DUE_SOON_DAYS), soon, "soon"),
                         (t("mtg_all_open"), found, "open")):
    st.subheader(title)
    if rows.empty:
        st.caption(t("mtg_nothing"))
    else:
        st.dataframe(decisions_table(rows, names, lang), hide_index=True, width="stretch", key=f"agency_{key}")
if not found.empty:
    st.download_button(t("mtg_download_xlsx"), data=lambda: decisions_xlsx(found, names, lang),
                       file_name=f"keputusan_{agency}_{f.region_code}.xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/table_view:", key="agency_xlsx")

st.subheader(t("mtg_agency_referrals"))
st.caption(f"{t('as_of')} {ui.day_text(day, lang)} · {t('internal_only')}")
if referrals.empty:
    st.caption(t("mtg_nothing"))
else:
    by_village = (referrals.groupby(["village_code", "desa", "kecamatan"], as_index=False)
                  .agg(referrals=("referrals", "sum"), oldest_days=("oldest_days", "max"))
                  .sort_values(["referrals", "oldest_days"], ascending=False))
    st.dataframe(pd.DataFrame({t("level_desa"): by_village.desa, t("level_kecamatan"): by_village.kecamatan,
                               t("mtg_col_referrals"): by_village.referrals,
                               t("mtg_oldest_days"): by_village.oldest_days}), hide_index=True, width="stretch",
                 key="agency_referrals")
