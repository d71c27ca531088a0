"""Who may see what: roles and the page table (``roles``), the users file (``users``), failed-login
limits (``login``), sessions and their cookie (``sessions``, ``web``), each user's area (``areas``) and
the audit trail (``audit``), with the ``users`` and ``audit`` commands (``cli``). No Streamlit here;
``dashboard/ui/access.py`` is the Streamlit side."""

from dashboard.access.areas import OutsideArea, check_query, normalised_area, within
from dashboard.access.login import LoginLimiter, LoginResult, forwarded_allow_ips, login
from dashboard.access.roles import ADMIN, LOGIN_ROLES, PAGE_ROLES, POKJANAL, PUBLIK, ROLES, allowed, pages_for
from dashboard.access.sessions import (Session, end_session, new_session, session_expired, session_from_cookie,
                                       session_role, session_user, start_session)
from dashboard.access.users import (User, load_users, normalised_name, remove_user, set_user, update_user,
                                    verify_password)

__all__ = ["ADMIN", "LOGIN_ROLES", "PAGE_ROLES", "POKJANAL", "PUBLIK", "ROLES", "LoginLimiter", "LoginResult",
           "OutsideArea", "Session", "User", "allowed", "check_query", "end_session", "forwarded_allow_ips",
           "load_users", "login", "new_session", "normalised_area", "normalised_name", "pages_for", "remove_user",
           "session_expired", "session_from_cookie", "session_role", "session_user", "set_user", "start_session",
           "update_user", "verify_password", "within"]
