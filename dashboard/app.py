"""Streamlit entry point: registers the pages (st.navigation) and the language switch."""

import streamlit as st

from dashboard.ui.text import t

st.set_page_config(page_title="Posyandu & PKK", page_icon=":bar_chart:", layout="wide")

with st.sidebar:
    st.radio(t("language"), ["id", "en"], key="lang", horizontal=True,
             format_func=lambda code: {"id": "Indonesia", "en": "English"}[code])

navigation = st.navigation([
    st.Page("pages/data_status.py", title=t("page_data"), icon=":material/database:", url_path="data"),
])
navigation.run()
