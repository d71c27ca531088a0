"""Streamlit entry point: registers the pages of ``pages/`` (st.navigation) and the language switch.

It lives in the package, not beside ``pages/``: Streamlit treats a ``pages/`` folder next to the
entry script as an old-style multipage app, and a first visit straight to a page URL would then
run that page without this navigation (no language switch, file names as page titles)."""

import streamlit as st

from dashboard.config import PROJECT_ROOT

from dashboard.ui.text import t

st.set_page_config(page_title="Posyandu & PKK", page_icon=":bar_chart:", layout="wide")

with st.sidebar:
    st.radio(t("language"), ["id", "en"], key="lang", horizontal=True,
             format_func=lambda code: {"id": "Indonesia", "en": "English"}[code])

navigation = st.navigation([
    st.Page(PROJECT_ROOT / "pages" / "ringkasan.py", title=t("page_overview"), icon=":material/dashboard:", url_path="ringkasan",
            default=True),
    st.Page(PROJECT_ROOT / "pages" / "stunting.py", title=t("page_stunting"), icon=":material/straighten:", url_path="stunting"),
    st.Page(PROJECT_ROOT / "pages" / "strata.py", title=t("page_strata"), icon=":material/home_health:", url_path="strata"),
    st.Page(PROJECT_ROOT / "pages" / "rujukan.py", title=t("page_referrals"), icon=":material/forward_to_inbox:", url_path="rujukan"),
    st.Page(PROJECT_ROOT / "pages" / "pkk.py", title=t("page_pkk"), icon=":material/diversity_3:", url_path="pkk"),
    st.Page(PROJECT_ROOT / "pages" / "kualitas.py", title=t("page_quality"), icon=":material/fact_check:", url_path="kualitas"),
    st.Page(PROJECT_ROOT / "pages" / "data_status.py", title=t("page_data"), icon=":material/database:", url_path="data"),
])
navigation.run()
