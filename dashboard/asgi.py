"""What ``python -m dashboard serve`` runs: the Streamlit app (``dashboard/app.py``) on Streamlit's own
Starlette server, with the session cookie route (``dashboard/access/web.py``) beside it."""

import streamlit as st

from dashboard.access.web import routes
from dashboard.config import PROJECT_ROOT

app = st.App(PROJECT_ROOT / "dashboard" / "app.py", routes=routes())
