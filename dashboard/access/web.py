"""The one HTTP route the login needs besides Streamlit's own: ``/api/sesi`` sets or clears the session
cookie. A Streamlit script cannot set an HttpOnly cookie (it talks to the browser over a websocket),
so it hands the page a one-use token that the page posts here (``POST``), and the answer also sets
the long-lived device cookie (see ``sessions.device_cookie_for``); ``DELETE`` clears the session
cookie at logout (the device cookie stays: it grants nothing by itself). Registered on Streamlit's server with ``st.App(routes=...)`` (``dashboard/asgi.py``)."""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard.access.sessions import (COOKIE_NAME, DEVICE_COOKIE_NAME, DEVICE_DAYS, cookie_for_handoff,
                                       cookie_max_age, device_cookie_for, device_for, session_from_cookie)

log = logging.getLogger(__name__)
PATH = "/api/sesi"
HANDOFF_HEADER = "X-Posyandu-Handoff"


async def _set_cookie(request: Request) -> Response:
    token = request.headers.get(HANDOFF_HEADER, "")
    value = await run_in_threadpool(cookie_for_handoff, token) if token else None
    if value is None:
        log.warning("session cookie refused: no valid handoff token")
        return Response(status_code=403)
    session = await run_in_threadpool(session_from_cookie, value)
    device = await run_in_threadpool(device_cookie_for, session.user) if session else None
    secure = request.url.scheme == "https"
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(COOKIE_NAME, value, max_age=cookie_max_age(), path="/", httponly=True, samesite="strict",
                        secure=secure)
    if device and not device_for(request.cookies.get(DEVICE_COOKIE_NAME), session.user):
        response.set_cookie(DEVICE_COOKIE_NAME, device, max_age=DEVICE_DAYS * 86400, path="/", httponly=True,
                            samesite="strict", secure=secure)
    return response


async def _clear_cookie(request: Request) -> Response:
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="strict",
                           secure=request.url.scheme == "https")
    return response


def routes() -> list[Route]:
    return [Route(PATH, _set_cookie, methods=["POST"]), Route(PATH, _clear_cookie, methods=["DELETE"])]
