"""Keputusan Rapat: record a TP Posyandu meeting of the chosen area and its decisions (RTL) while it
runs, in one short form prefilled from the filter's area and period; update a decision's status with
a note; an admin also corrects and deletes. Every change is kept in the store's audit trail."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.indicators import catalogue, labels
from dashboard.meeting.exports import decisions_table, decisions_xlsx, minutes_pdf, status_text
from dashboard.meeting.migrations import OPEN_STATUSES, STATUSES
from dashboard.meeting.review import indicator_name
from dashboard.meeting.store import CORRECTABLE, Decision, Meeting
from dashboard.periods import parse_period
from dashboard.ui import decisions as ui
from dashboard.ui.access import current_role, current_user
from dashboard.ui.data import query
from dashboard.ui.filters import page_header
from dashboard.ui.text import language, t

f = page_header("page_decisions", "keputusan")
lang = language()
store = ui.store()
user = current_user() or "?"
agencies = labels("agency", lang)
ui.flash()

# --- the meeting being recorded ---------------------------------------------------------------------
with st.expander(t("mtg_new_meeting"), expanded=store.meetings(f.region_code).empty, icon=":material/add:"):
    with st.form("new_meeting", clear_on_submit=True):
        held_on = st.date_input(t("mtg_held_on"), value=ui.today(), format="DD-MM-YYYY")
        st.text_input(t("mtg_period_reviewed"), value=f.period.label(lang), disabled=True)
        present = st.multiselect(t("mtg_agencies_present"), list(agencies), format_func=agencies.get)
        notes = st.text_area(t("mtg_notes"), height=70)
        if st.form_submit_button(t("mtg_save_meeting"), type="primary"):
            def add_meeting() -> None:
                new = Meeting(held_on, f.region_code, f.period.code, tuple(present), notes)
                st.session_state["meeting_pick"] = store.add_meeting(new, user)

            ui.saved(add_meeting, t("mtg_meeting_saved"))

meetings = store.meetings(f.region_code, above=True)
if meetings.empty:
    st.info(t("mtg_no_meetings"))
    st.stop()
meeting_places = ui.area_names(meetings.area_code)
options = {int(m.meeting_id): t("mtg_meeting_option").format(day=ui.day_text(m.held_on, lang),
                                                             period=parse_period(m.period).label(lang),
                                                             area=meeting_places.get(m.area_code, m.area_code))
           for m in meetings.itertuples()}
if st.session_state.get("meeting_pick") not in options:
    st.session_state["meeting_pick"] = next(iter(options))
meeting_id = st.selectbox(t("mtg_choose_meeting"), list(options), format_func=options.get, key="meeting_pick")
meeting = store.meeting(meeting_id)

# --- recording a decision -----------------------------------------------------------------------------
children = query("pages/common/child_regions", parent=f.region_code)
areas = {f.region_code: f"{f.region_name} {t('all_areas')}", **dict(zip(children.code, children.name))}   # Cikande (semua), Cikande
indicators = {"": t("mtg_none"), **{k: indicator_name(k, lang) for k in catalogue()["prevalence"]}}
referral_choices = {"": t("mtg_none"), "__area__": t("mtg_referrals_area"),
                    **{k: t("mtg_referrals_agency").format(agency=v) for k, v in agencies.items()}}

st.subheader(t("mtg_record_decision"))
with st.form("new_decision", clear_on_submit=True, border=True):
    left, middle, right = st.columns(3)
    area = left.selectbox(t("mtg_area"), list(areas), format_func=areas.get)
    indicator = middle.selectbox(t("mtg_indicator"), list(indicators), index=list(indicators).index("stunting"),
                                 format_func=indicators.get)
    referrals = right.selectbox(t("mtg_referrals"), list(referral_choices), format_func=referral_choices.get)
    action = st.text_area(t("mtg_action"), height=70)
    left, middle, right, last = st.columns([3, 3, 2, 2])
    agency = left.selectbox(t("mtg_responsible_agency"), list(agencies), format_func=agencies.get)
    person = middle.text_input(t("mtg_person"))
    due_on = right.date_input(t("mtg_due_on"), value=ui.today() + timedelta(days=30), format="DD-MM-YYYY")
    posyandu = last.text_input(t("mtg_posyandu"))
    st.caption(t("mtg_privacy_note"))
    saved = st.form_submit_button(t("mtg_save_decision"), type="primary", icon=":material/check:")
if saved:
    if not action.strip():
        st.error(t("mtg_action_missing"))
    else:
        decision = Decision(area, action, agency, due_on, person.strip(), posyandu_id=posyandu.strip() or None,
                            **ui.baseline(area, f, indicator, referrals))
        ui.saved(lambda: store.add_decision(meeting_id, decision, user),
                 t("mtg_decision_saved").format(what=action.strip()))

# --- this meeting's decisions, the spreadsheet and the minutes ------------------------------------------
st.subheader(t("mtg_decisions_of_meeting"))
mine = store.decisions(meeting_id=meeting_id)
names = ui.area_names([*mine.area_code, meeting["area_code"]])
if mine.empty:
    st.caption(t("mtg_no_decisions"))
else:
    st.dataframe(decisions_table(mine, names, lang), hide_index=True, width="stretch", key="meeting_decisions")
xlsx, minutes = st.columns(2)
stem = f"keputusan_{meeting['area_code']}_{meeting['held_on']}"
xlsx.download_button(t("mtg_download_xlsx"), data=lambda: decisions_xlsx(mine, names, lang), file_name=f"{stem}.xlsx",
                     mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                     icon=":material/table_view:", key="decisions_xlsx")
minutes.download_button(t("mtg_download_minutes"), data=lambda: minutes_pdf(meeting, mine, names, lang),
                        file_name=f"notulen_{stem}.pdf", mime="application/pdf", on_click="ignore",
                        icon=":material/picture_as_pdf:", key="minutes_pdf")

# --- status updates (pokjanal) and corrections (admin) -------------------------------------------------
everything = store.decisions(f.region_code, below=True)
everything = everything.sort_values("status", key=lambda s: ~s.isin(OPEN_STATUSES), kind="stable")
if not everything.empty:
    all_names = ui.area_names(everything.area_code)
    choices = {int(d.decision_id): f"#{d.decision_id} · {all_names.get(d.area_code, d.area_code)} · {d.action[:70]} · "
                                   f"{status_text(d.status, lang)}" for d in everything.itertuples()}
    st.subheader(t("mtg_update_status"))
    with st.form("status_update", clear_on_submit=True):
        picked = st.selectbox(t("mtg_decision"), list(choices), format_func=choices.get)
        left, middle = st.columns(2)
        status = left.selectbox(t("mtg_status"), STATUSES, index=1, format_func=lambda s: status_text(s, lang))
        on = middle.date_input(t("mtg_status_on"), value=ui.today(), format="DD-MM-YYYY")
        note = st.text_input(t("mtg_note"), max_chars=200)
        if st.form_submit_button(t("mtg_save_status")):
            ui.saved(lambda: store.update_status(picked, status, note, on, user), t("mtg_status_saved"))

    if current_role() == auth.ADMIN:
        with st.expander(t("mtg_correct"), icon=":material/edit:"):
            picked = st.selectbox(t("mtg_decision"), list(choices), format_func=choices.get, key="correct_pick")
            row = everything.set_index("decision_id").loc[picked]
            with st.form(f"correct_{picked}"):
                fixed = {"action": st.text_area(t("mtg_action"), value=row.action, height=70),
                         "agency": st.selectbox(t("mtg_responsible_agency"), list(agencies),
                                                index=list(agencies).index(row.agency), format_func=agencies.get),
                         "person": st.text_input(t("mtg_person"), value=row.person),
                         "due_on": st.date_input(t("mtg_due_on"), value=pd.Timestamp(row.due_on).date(),
                                                 format="DD-MM-YYYY").isoformat()}
                if st.form_submit_button(t("mtg_save_correction")):
                    changes = {k: v for k, v in fixed.items() if k in CORRECTABLE and v != row[k]}
                    ui.saved(lambda: store.correct_decision(picked, changes, user), t("mtg_corrected"))
            confirmed = st.checkbox(t("mtg_confirm_delete"), key=f"confirm_delete_{picked}")
            if st.button(t("mtg_delete"), disabled=not confirmed, icon=":material/delete:"):
                ui.saved(lambda: store.delete_decision(picked, user), t("mtg_deleted"))

with st.expander(t("mtg_audit"), icon=":material/history:"):
    st.dataframe(ui.audit_table(store.audit(limit=500), f.region_code, lang), hide_index=True, width="stretch",
                 key="audit")
