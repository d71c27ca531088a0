"""Who is looking: the session's user, role and area on every run (from this tab, or from the signed
cookie after a reload), the login form, logout, the guard every internal page calls before it reads
any data (navigation alone is not a guard), and the area check every query passes."""

from __future__ import annotations

import json
import logging
import time

import streamlit as st

from dashboard import access
from dashboard.access import audit
from dashboard.access.sessions import COOKIE_NAME, DEVICE_COOKIE_NAME, device_for, handoff_token
from dashboard.access.web import HANDOFF_HEADER, PATH
from dashboard.ui.text import t

SESSION_KEY = "auth_session"
_COOKIE_TASK = "auth_cookie_task"      # the cookie the page still has to set (a handoff token) or clear
_ACCOUNT_MEMO = "auth_account_memo"    # (session, when, user): the last check of the session
ACCOUNT_RECHECK_SECONDS = 1.0
log = logging.getLogger(__name__)


@st.cache_resource
def _limiter() -> access.LoginLimiter:
    """One failed-login counter for the whole server process (all sessions share it)."""
    return access.LoginLimiter()


def _session() -> access.Session | None:
    """This tab's session, or the one the browser's cookie carries (a reload, a link opened in a new tab)."""
    session = st.session_state.get(SESSION_KEY)
    if session is None and (cookie := st.context.cookies.get(COOKIE_NAME)):
        try:
            session = access.session_from_cookie(cookie)
        except Exception:  # noqa: BLE001 - an unreadable store logs out, never shows a traceback
            log.exception("session store unreadable: the cookie is ignored")
            session = None
        if session is not None:
            st.session_state[SESSION_KEY] = session
    return session


def current_account() -> access.User | None:
    """The logged-in user as the users file says now (role and area), or None. Asked by every query of
    a page run, so the answer is reused for a second (about 1 ms each: the users file and the store)."""
    session = _session()
    remembered = st.session_state.get(_ACCOUNT_MEMO)
    if remembered and remembered[0] is session and time.monotonic() - remembered[1] < ACCOUNT_RECHECK_SECONDS:
        return remembered[2]
    user = access.session_user(session)
    if session is not None and user is None:
        del st.session_state[SESSION_KEY]          # expired, ended, removed or password changed: logged out
    st.session_state[_ACCOUNT_MEMO] = (session, time.monotonic(), user)
    return user


def current_role() -> str:
    """The role this browser session has now: ``publik`` unless a live login says otherwise."""
    user = current_account()
    return user.role if user else access.PUBLIK


def current_user() -> str | None:
    user = current_account()
    return user.name if user else None


def allowed_root() -> str | None:
    """The area this session may read (a region code), or None for every area: the filter bar offers
    only this area and what lies below it."""
    user = current_account()
    return user.area if user else None


def check_area(name: str, params: dict) -> None:
    """Stop the page, with a message and no data, when a query would read outside the user's area."""
    try:
        access.check_query(allowed_root(), name, params)
    except access.OutsideArea as refused:
        log.warning("%s (user %s)", refused, current_user())
        _refuse_area()


def _refuse_area() -> None:
    st.error(t("area_refused").format(area=allowed_root()))
    if st.button(t("area_open_own"), key="area_open_own"):
        st.query_params["wilayah"] = allowed_root()
        st.session_state.pop("filter_url", None)
        st.rerun()
    st.stop()


def require(page: str) -> None:
    """Stop the page, before any query, unless the session's role may see ``page`` and the area in its
    URL (a shared link) lies inside the user's area."""
    role = current_role()
    if not access.allowed(role, page):
        st.error(t("not_allowed"))
        if role == access.PUBLIK:      # a shared link: log in here and the same page and filters open
            login_form(heading=False)
        st.stop()
    wanted = st.query_params.get("wilayah")
    if wanted and not access.within(allowed_root(), wanted):
        log.warning("link to area %s refused for user %s (area %s)", wanted, current_user(), allowed_root())
        _refuse_area()


def _client() -> str:
    """Key for the rate limit per client: the address of the connection as the server resolved it
    (a configured proxy's forwarded address, else the peer); the app never reads X-Forwarded-For."""
    return st.context.ip_address or "loopback"


def login_form(heading: bool = True, then: str | None = None) -> None:
    """User name and password; on success the session holds the user and role (never the password),
    the browser gets the session cookie, and the page runs again (or ``then`` opens)."""
    if heading:
        st.header(t("login"))
    with st.form("login"):
        name = st.text_input(t("user_name"), autocomplete="username")
        password = st.text_input(t("password"), type="password", autocomplete="current-password")
        submitted = st.form_submit_button(t("login"))
    if not submitted:
        return
    try:
        device = device_for(st.context.cookies.get(DEVICE_COOKIE_NAME), name)
        result = access.login(name, password, _client(), _limiter(), device=device)
        session = access.start_session(name, result.role) if result.role else None
    except Exception:  # noqa: BLE001 - a damaged users file or store: logged, never shown
        log.exception("login unavailable: the users file or the access store cannot be read")
        st.error(t("login_unavailable"))
        return
    if session is None:
        message = t("login_locked").format(minutes=int(result.retry_after // 60) + 1) if result.retry_after \
            else t("login_failed")
        st.error(message)
        return
    st.session_state[SESSION_KEY] = session
    st.session_state[_COOKIE_TASK] = ("POST", handoff_token(session))
    if then:
        st.switch_page(then)
    st.rerun()


def _sync_cookie() -> None:
    """Let the page set or clear the session cookie through ``/api/sesi`` (an HttpOnly cookie cannot be
    set from here); the token is good once, for a minute."""
    task = st.session_state.pop(_COOKIE_TASK, None)
    if task is None:
        return
    method, token = task
    headers = json.dumps({HANDOFF_HEADER: token} if token else {})
    st.html(f"<script>fetch({json.dumps(PATH)}, {{method: {json.dumps(method)}, headers: {headers}, "
            f"credentials: 'same-origin'}});</script>", unsafe_allow_javascript=True)


def logout_button() -> None:
    """Who is logged in and the logout button (the sidebar of every page); also sets or clears the
    session cookie after a login or logout."""
    _sync_cookie()
    user = current_account()
    if user is None:
        return
    st.caption(t("logged_in_as").format(user=user.name, role=user.role))
    if st.button(t("logout"), icon=":material/logout:"):
        access.end_session(st.session_state.pop(SESSION_KEY))
        audit.record(user.name, "logout")
        st.session_state[_COOKIE_TASK] = ("DELETE", "")
        st.rerun()


def download_recorded(file_name: str):
    """An ``on_click`` for a table's download button: a logged-in user's download of an internal table
    goes to the audit trail (the public page's open downloads do not)."""
    def record() -> None:
        if (user := current_user()) is not None:
            audit.record(user, "download", file_name)
    return record
