"""Need to know: each user may be given an area (a Kemendagri region code at any level) and then reads
only that area and the areas below it, as DHIS2 scopes users to org units. No area: everything."""

from __future__ import annotations

import re

AREA_PATTERN = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
# Query parameters that name the area a query reads (a region, the parent of listed regions, a code).
AREA_PARAMS = ("region", "parent", "code")
# Queries anyone may run whatever their area: the public page's suppressed aggregates and the names of
# regions (the filter bar walks from the province down to the user's own area).
UNSCOPED_QUERIES = ("pages/publik/", "pages/common/child_regions", "pages/common/region")


class OutsideArea(PermissionError):
    """A read outside the user's area; the message names the codes, never any data."""


def normalised_area(area: str | None) -> str | None:
    """A valid dotted region code, or None for no area; anything else is refused with the format."""
    area = (area or "").strip()
    if not area:
        return None
    if not AREA_PATTERN.fullmatch(area):
        raise ValueError(f"area '{area}': a Kemendagri region code such as 36, 36.04, 36.04.15 or 36.04.15.2001")
    return area


def within(area: str | None, code: str) -> bool:
    """Whether ``code`` is the area itself or lies below it (every code is within no area)."""
    return area is None or code == area or code.startswith(area + ".")


def check_query(area: str | None, name: str, params: dict) -> None:
    """Refuse a query whose area parameters lie outside ``area`` (an ancestor's '' parent included)."""
    if area is None or name.startswith(UNSCOPED_QUERIES):
        return
    for key in AREA_PARAMS:
        if key in params and not within(area, str(params[key])):
            raise OutsideArea(f"query {name}: {key} '{params[key]}' is outside the user's area {area}")
