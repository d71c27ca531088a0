"""Moved to ``dashboard.access`` (users, sessions, audit, areas); kept so ``from dashboard import auth``
in code not yet moved goes on working."""

from dashboard.access import *  # noqa: F403
from dashboard.access import __all__  # noqa: F401
from dashboard.access.cli import main  # noqa: F401
