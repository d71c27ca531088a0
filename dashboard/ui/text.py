"""UI text in the session's language: Indonesian first, English as a switch. The phrases themselves
live in ``dashboard/i18n.py``."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import phrase


def language() -> str:
    return st.session_state.get("lang", "id")


def t(key: str) -> str:
    """The label ``key`` in the chosen language."""
    return phrase(key, language())
