"""The benchmark's visitor without a browser (``dashboard.bench.streamlit_client``) against the real app:
it must still speak the installed Streamlit's protocol, or the static part's comparison would measure
nothing. Marked e2e: it starts the app."""

from __future__ import annotations

import pytest

from dashboard.bench.streamlit_client import visits
from dashboard.serve import start_app, stop_app

pytestmark = pytest.mark.e2e


def test_two_visitors_receive_the_public_pages_first_chart_and_the_code_that_draws_it(demo_db, tmp_path):
    url, app = start_app(demo_db, tmp_path / "streamlit.log")
    try:
        done = visits(url, 2, query="wilayah=36&periode=2025")
    finally:
        stop_app(app)
    assert len(done) == 2
    for visit in done:
        assert 0 < visit.chart_sent <= visit.seconds
        assert visit.received_bytes > 1_000_000        # Streamlit's scripts and its Plotly chunk were fetched
