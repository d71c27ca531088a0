"""The public page's one source of figures in the app: the jointly suppressed ``Publication`` of a
province and year, computed once per database version and shared by every visitor (the linear
programs take seconds on a large province; a rerun or another visitor must not repeat them)."""

from __future__ import annotations

import streamlit as st

from dashboard.db import reading
from dashboard.ui.data import settled_version
from dashboard.public.cells import Publication
from dashboard.public import cells


@st.cache_data(max_entries=16, show_spinner=False)
def _publication(province: str, year: int, version: str) -> Publication:
    with reading() as cursor:
        return cells.publication(cursor, province, year)


def publication(province: str, year: int) -> Publication:
    """Every cell the public page shows or offers for download, for this province and year."""
    return _publication(province, year, settled_version())
