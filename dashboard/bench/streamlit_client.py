"""A visitor of the Streamlit app without a browser: it fetches what a browser fetches before the first
chart and speaks Streamlit's websocket protocol (the protobuf ``BackMsg``/``ForwardMsg`` of the
installed Streamlit), so that many visitors arriving at once measure the server, not a browser
drawing twenty tabs on the same two cores (issue 22's method).

One visit: the HTML, the scripts and styles it names (``<script src>``, ``modulepreload``, stylesheets,
as a browser asks: gzip accepted), then ``/_stcore/stream`` with a ``rerun_script`` of the page, until a
Plotly chart element arrives, then the frontend's Plotly chunk (and its imports) that draws it.
"""

from __future__ import annotations

import gzip
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urljoin

ASSET = re.compile(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+\.(?:js|css))"')
IMPORT = re.compile(r'from\s*"(\./[^"]+\.js)"')


@dataclass(frozen=True)
class Visit:
    seconds: float             # start to the first chart's message and the code that draws it, all received
    chart_sent: float          # start to the first chart's message received over the websocket
    received_bytes: int        # HTTP bodies as sent (compressed where the server compressed them)


def _get(url: str) -> tuple[bytes, int]:
    """A body as a browser reads it (decompressed) and the bytes the server sent for it."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=300) as response:
        sent = response.read()
        gzipped = response.headers.get("Content-Encoding") == "gzip"
    return (gzip.decompress(sent) if gzipped else sent), len(sent)


def _fetch_modules(base: str, names: list[str], seen: dict[str, tuple[bytes, int]]) -> None:
    """Fetch ``names`` (relative to ``base``) and, for scripts, their static imports, once each."""
    todo = list(names)
    while todo:
        url = urljoin(base, todo.pop())
        if url in seen:
            continue
        seen[url] = _get(url)
        if url.endswith(".js"):
            todo += [urljoin(url, name) for name in IMPORT.findall(seen[url][0].decode("utf-8", "replace"))]


def _first_chart_message(base: str, query: str) -> None:
    """Open a session, ask for a run of the page at ``query`` and return once a Plotly chart arrives."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    socket_url = base.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    with connect(socket_url, subprotocols=["streamlit"], origin=base.rstrip("/"), max_size=None,
                 open_timeout=300, close_timeout=1) as socket:
        back = BackMsg()
        back.rerun_script.query_string = query
        socket.send(back.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(socket.recv(timeout=300))
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element" and \
                    message.delta.new_element.WhichOneof("type") == "plotly_chart":
                return
            if kind == "script_finished":
                raise RuntimeError("the page run finished without a Plotly chart")


def _plotly_chunks(seen: dict[str, tuple[bytes, int]]) -> list[str]:
    """The frontend's Plotly chunk, as the scripts fetched so far name it for its lazy import (absolute URLs)."""
    return sorted({urljoin(url, name) for url, (body, _) in seen.items() if url.endswith(".js")
                   for name in re.findall(r'"(\./PlotlyChart\.[^"]+\.js)"', body.decode("utf-8", "replace"))})


def visit(base: str, query: str = "", start: float | None = None) -> Visit:
    """One visitor of the app at ``base`` (``http://host:port/``), timed from ``start`` (perf_counter)."""
    start = time.perf_counter() if start is None else start
    seen = {base: _get(base)}
    _fetch_modules(base, ASSET.findall(seen[base][0].decode("utf-8")), seen)
    _first_chart_message(base, query)
    chart_sent = time.perf_counter() - start
    _fetch_modules(base, _plotly_chunks(seen), seen)
    return Visit(time.perf_counter() - start, chart_sent, sum(sent for _, sent in seen.values()))


def visits(base: str, visitors: int, query: str = "") -> list[Visit]:
    """``visitors`` visits started at the same moment (one thread each)."""
    base = base.rstrip("/") + "/"
    with ThreadPoolExecutor(visitors) as pool:
        start = time.perf_counter()
        return list(pool.map(lambda _: visit(base, query, start), range(visitors)))
