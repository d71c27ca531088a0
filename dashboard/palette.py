"""One meaning, one colour, on every page, map, slide and PDF: worse and overdue are the warm red,
better and within the deadline a cool blue, missing a grey; strata always in their order Pratama,
Madya, Purnama, Mandiri with their own colours. Charts and pages take colours from here only."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tone:
    colour: str            # for Plotly
    metric: str            # the named colour ``st.metric`` takes for a delta


WORSE = Tone("#b2182b", "red")          # overdue, a change for the worse, above a ceiling
BETTER = Tone("#2166ac", "blue")        # within the deadline, a change for the better
NEUTRAL = Tone("#8c8c8c", "gray")       # no change, no data

OVERDUE = WORSE.colour
# A change centred on zero (the change map), lowest first: better's blue, a light middle, worse's warm red
# (ColorBrewer RdBu, whose ends are BETTER and WORSE).
DIVERGING = (BETTER.colour, "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", WORSE.colour)
WITHIN_SLA = "#92c5de"                  # a lighter shade of BETTER: the open referrals that are not yet late
TARGET_LINE = "#555555"
STRATA = {"pratama": "#d7301f", "madya": "#fec44f", "purnama": "#41ab5d", "mandiri": "#2171b5"}   # in rule order
SEX = {1: "#3182bd", 2: "#e6550d"}
# Categorical series (e.g. referral categories): twelve distinct colours (ColorBrewer Paired and Dark2)
# without red, which means worse; more categories are grouped.
CATEGORIES = ("#1f78b4", "#33a02c", "#ff7f00", "#6a3d9a", "#b15928", "#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6",
              "#1b9e77", "#e7298a", "#66a61e")
