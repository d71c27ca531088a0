"""Masuk (login) for TP Posyandu (d/h Pokjanal) members and administrators; then the overview opens."""

from dashboard.config import PROJECT_ROOT
from dashboard.ui.access import login_form

login_form(then=str(PROJECT_ROOT / "pages" / "ringkasan.py"))
