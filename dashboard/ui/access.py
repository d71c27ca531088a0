"""Who is looking: the session's role on every run, the login form, logout, and the guard every
internal page calls before it reads any data (navigation alone is not a guard)."""

from __future__ import annotations

import logging

import streamlit as st

from dashboard import auth
from dashboard.ui.text import t

SESSION_KEY = "auth_session"
log = logging.getLogger(__name__)


@st.cache_resource
def _limiter() -> auth.LoginLimiter:
    """One failed-login counter for the whole server process (all sessions share it)."""
    return auth.LoginLimiter()


def current_role() -> str:
    """The role this browser session has now: ``publik`` unless a live login says otherwise."""
    session = st.session_state.get(SESSION_KEY)
    role = auth.session_role(session)
    if session is not None and role == auth.PUBLIK:
        del st.session_state[SESSION_KEY]          # expired, removed or password changed: logged out
    return role


def current_user() -> str | None:
    session = st.session_state.get(SESSION_KEY)
    return session.user if session is not None else None


def require(page: str) -> None:
    """Stop the page, before any query, unless the session's role may see ``page``."""
    role = current_role()
    if not auth.allowed(role, page):
        st.error(t("not_allowed"))
        if role == auth.PUBLIK:      # a shared link: log in here and the same page and filters open
            login_form(heading=False)
        st.stop()


def _client() -> str:
    """Key for the rate limit per client: the address the server saw (behind a proxy, its forwarded-for)."""
    forwarded = st.context.headers.get("X-Forwarded-For", "") if st.context.headers else ""
    return forwarded.split(",")[0].strip() or (st.context.ip_address or "local")


def login_form(heading: bool = True, then: str | None = None) -> None:
    """User name and password; on success the session holds the user and role (never the password)
    and the page runs again (or ``then`` opens)."""
    if heading:
        st.header(t("login"))
    with st.form("login"):
        name = st.text_input(t("user_name"), autocomplete="username")
        password = st.text_input(t("password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("login"))
    if not submitted:
        return
    try:
        result = auth.login(name, password, _client(), _limiter())
    except ValueError:          # a damaged users file: logged, never shown
        log.exception("login unavailable: the users file cannot be read")
        st.error(t("login_unavailable"))
        return
    if result.role is None:
        message = t("login_locked").format(minutes=int(result.retry_after // 60) + 1) if result.retry_after \
            else t("login_failed")
        st.error(message)
        return
    st.session_state[SESSION_KEY] = auth.new_session(name, result.role)
    if then:
        st.switch_page(then)
    st.rerun()


def logout_button() -> None:
    if st.session_state.get(SESSION_KEY) is not None:
        st.caption(t("logged_in_as").format(user=current_user(), role=current_role()))
        if st.button(t("logout"), icon=":material/logout:"):
            del st.session_state[SESSION_KEY]
            st.rerun()
