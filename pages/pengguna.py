"""Pengguna (admin): who may log in and with which role; passwords are set here or with
``python -m dashboard users`` and only their bcrypt hashes are kept."""

import pandas as pd
import streamlit as st

from dashboard import auth
from dashboard.ui.access import current_user, require
from dashboard.ui.text import t

require("pengguna")
st.header(t("page_users"))
users = auth.load_users()
st.dataframe(pd.DataFrame([{"user": u.name, "role": u.role, "created": u.created, "password_set": u.password_set}
                           for u in users.values()]), hide_index=True, width="stretch",
             column_config={"user": t("user_name"), "role": t("role"), "created": t("created"),
                            "password_set": t("password_set")})

st.subheader(t("user_add"))
with st.form("add_user", clear_on_submit=True):
    name = st.text_input(t("user_name"))
    role = st.radio(t("role"), list(auth.LOGIN_ROLES), horizontal=True)
    password = st.text_input(t("password"), type="password", autocomplete="new-password")
    repeat = st.text_input(t("password_repeat"), type="password", autocomplete="new-password")
    if st.form_submit_button(t("user_save")):
        if password != repeat:
            st.error(t("password_mismatch"))
        else:
            try:
                created = auth.set_user(name, password, role)
                st.success(t("user_created" if created else "user_updated").format(user=auth.normalised_name(name)))
            except ValueError as error:                    # says what is wrong with the name or password
                st.error(str(error))

st.subheader(t("user_remove"))
others = [name for name in users if name != current_user()]
if others:
    chosen = st.selectbox(t("user_name"), others, key="remove_user")
    if st.button(t("user_remove"), key="remove_button"):
        auth.remove_user(chosen)
        st.success(t("user_removed").format(user=chosen))
        st.rerun()
