"""Moved to ``dashboard.public.suppress``; kept so modules of other packages that read the small-number
limits from here (``ui.components``, ``briefing``) keep working until they import the new place."""

from dashboard.public.suppress import *  # noqa: F401,F403
from dashboard.public.suppress import min_rate_denominator, suppression_threshold  # noqa: F401
