"""Pengguna (admin): who may log in, with which role and area; passwords are set here or with
``python -m dashboard users`` and only their bcrypt hashes are kept. Below, the audit trail."""

import pandas as pd
import streamlit as st

from dashboard import access
from dashboard.access import audit
from dashboard.ui.access import current_user, require
from dashboard.ui.text import t

require("pengguna")
st.header(t("page_users"))
users = access.load_users()
everywhere = t("all_areas_user")
st.dataframe(pd.DataFrame([{"user": u.name, "role": u.role, "area": u.area or everywhere, "created": u.created,
                            "password_set": u.password_set} for u in users.values()]),
             hide_index=True, width="stretch",
             column_config={"user": t("user_name"), "role": t("role"), "area": t("user_area"), "created": t("created"),
                            "password_set": t("password_set")})


def _described(user: access.User) -> str:
    return f"{user.name}: role {user.role}, area {user.area or 'all'}"


st.subheader(t("user_add"))
with st.form("add_user", clear_on_submit=True):
    name = st.text_input(t("user_name"))
    role = st.radio(t("role"), list(access.LOGIN_ROLES), horizontal=True)
    password = st.text_input(t("password"), type="password", autocomplete="new-password")
    repeat = st.text_input(t("password_repeat"), type="password", autocomplete="new-password")
    area = st.text_input(t("user_area"), help=t("user_area_help"))
    if st.form_submit_button(t("user_save")):
        if password != repeat:
            st.error(t("password_mismatch"))
        else:
            try:
                created = access.set_user(name, password, role, area=area)
                saved = access.load_users()[access.normalised_name(name)]
                audit.record(current_user(), "user_added" if created else "user_changed",
                             _described(saved) + ", password set")
                st.success(t("user_created" if created else "user_updated").format(user=saved.name))
            except ValueError as error:                    # says what is wrong with the name, area or password
                st.error(str(error))

if users:
    st.subheader(t("user_set_area"))
    with st.form("set_area"):
        chosen = st.selectbox(t("user_name"), list(users), key="area_user")
        new_role = st.radio(t("role"), list(access.LOGIN_ROLES), horizontal=True, key="area_role")
        new_area = st.text_input(t("user_area"), help=t("user_area_help"), key="area_code")
        if st.form_submit_button(t("user_save")):
            try:
                changed = access.update_user(chosen, role=new_role, area=new_area)
                audit.record(current_user(), "user_changed", _described(changed))
                st.success(t("user_area_saved").format(user=changed.name, role=changed.role,
                                                       area=changed.area or everywhere))
            except ValueError as error:
                st.error(str(error))

st.subheader(t("user_remove"))
others = [name for name in users if name != current_user()]
if others:
    chosen = st.selectbox(t("user_name"), others, key="remove_user")
    if st.button(t("user_remove"), key="remove_button"):
        access.remove_user(chosen)
        audit.record(current_user(), "user_removed", chosen)
        st.success(t("user_removed").format(user=chosen))
        st.rerun()

st.subheader(t("audit_trail"))
trail = audit.entries(500)
if trail:
    st.dataframe(pd.DataFrame([{"at": e.at, "actor": t("audit_unknown") if e.actor == audit.UNKNOWN_ACTOR else e.actor,
                                "action": t(f"audit_{e.action}") if e.action in audit.ACTIONS else e.action,
                                "detail": e.detail} for e in trail]),
                 hide_index=True, width="stretch",
                 column_config={"at": t("audit_at"), "actor": t("audit_actor"), "action": t("audit_action"),
                                "detail": t("audit_detail")})
else:
    st.caption(t("audit_empty"))
