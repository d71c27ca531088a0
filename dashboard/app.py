"""Streamlit entry point: the pages this session's role may see (st.navigation), the language
switch and login/logout.

Navigation lists only the pages a role may see, and every internal page checks the role again
before it reads any data (``dashboard.ui.access.require``), so a page URL typed by hand is refused too.
It lives in the package, not beside ``pages/``: Streamlit treats a ``pages/`` folder next to the
entry script as an old-style multipage app, and a first visit straight to a page URL would then
run that page without this navigation (no language switch, file names as page titles)."""

import streamlit as st

from dashboard import auth
from dashboard.config import PROJECT_ROOT
from dashboard.ui.access import current_role, logout_button
from dashboard.ui.text import t

st.set_page_config(page_title="Posyandu & PKK", page_icon=":bar_chart:", layout="wide")

with st.sidebar:
    st.radio(t("language"), ["id", "en"], key="lang", horizontal=True,
             format_func=lambda code: {"id": "Indonesia", "en": "English"}[code])
    logout_button()

PAGES = {  # url path -> (file, title key, icon); who sees which is auth.PAGE_ROLES
    "ringkasan": ("ringkasan.py", "page_overview", ":material/dashboard:"),
    "stunting": ("stunting.py", "page_stunting", ":material/straighten:"),
    "strata": ("strata.py", "page_strata", ":material/home_health:"),
    "rujukan": ("rujukan.py", "page_referrals", ":material/forward_to_inbox:"),
    "pkk": ("pkk.py", "page_pkk", ":material/diversity_3:"),
    "kualitas": ("kualitas.py", "page_quality", ":material/fact_check:"),
    "data": ("data_status.py", "page_data", ":material/database:"),
    "rapat": ("pokjanal.py", "page_meeting", ":material/groups:"),
    "publik": ("publik.py", "page_public", ":material/public:"),
    "impor": ("impor.py", "page_import", ":material/upload_file:"),
    "pengguna": ("pengguna.py", "page_users", ":material/manage_accounts:"),
    "keputusan": ("keputusan.py", "page_decisions", ":material/edit_note:"),
    "instansi": ("instansi.py", "page_agency", ":material/assignment_ind:"),
    "spm": ("spm.py", "page_spm", ":material/diversity_2:"),
}
role = current_role()
default = "publik"   # "/" is the public page for everyone, so every page's URL is the same whoever opens it
if role == auth.PUBLIK:
    # Every page is routed, so a shared link to an internal page asks for a login on that page (each
    # page refuses by itself); the menu lists only what a citizen may open.
    shown = ["publik"]
    routed = list(PAGES)
else:
    shown = routed = [name for name in PAGES if auth.allowed(role, name)]
pages = {name: st.Page(PROJECT_ROOT / "pages" / PAGES[name][0], title=t(PAGES[name][1]), icon=PAGES[name][2],
                       url_path=name, default=name == default) for name in routed}
if role == auth.PUBLIK:
    pages["masuk"] = st.Page(PROJECT_ROOT / "pages" / "masuk.py", title=t("login"), icon=":material/login:",
                             url_path="masuk")
    shown.append("masuk")
    with st.sidebar:
        for name in shown:
            st.page_link(pages[name])
navigation = st.navigation(list(pages.values()), position="sidebar" if role != auth.PUBLIK else "hidden")
navigation.run()
