"""The static site's ranking as inline SVG (``dashboard.public.svg``) on a small publication built here:
shown rates highest first with their labels as the tables write them, suppressed kab/kota listed with
the hidden mark and no bar, no bar or label placed past the share of the width kept for labels."""

from __future__ import annotations

import re
from types import SimpleNamespace
from xml.etree import ElementTree

import pandas as pd

from dashboard.public import cells
from dashboard.public.svg import BAR_SHARE, ranking_svg

SVG = "{http://www.w3.org/2000/svg}"


def publication(rows: list[tuple[str, float | None, float | None, float | None]]) -> SimpleNamespace:
    kabkota = pd.DataFrame(rows, columns=["name", "stunted", "measured", "rate"]).assign(level="kabkota")
    province = pd.DataFrame([{"name": "Banten", "stunted": None, "measured": None, "rate": None, "level": "provinsi"}])
    return SimpleNamespace(year=2025, tables={cells.STUNTING: pd.concat([province, kabkota], ignore_index=True)})


def drawn(svg: str) -> list[tuple[str, str, str | None]]:
    """(name, label, bar width) per kab/kota, in the order drawn."""
    root = ElementTree.fromstring(re.search(r"<svg.*</svg>", svg, re.S).group(0))
    items = list(root)
    out = []
    for i, element in enumerate(items):
        if element.tag == f"{SVG}text" and element.get("class") == "name":
            bar = items[i + 1] if items[i + 1].tag == f"{SVG}rect" else None
            label = items[i + 2] if bar is not None else items[i + 1]
            out.append((element.text, label.text, None if bar is None else bar.get("width")))
    return out


def test_shown_rates_rank_first_and_suppressed_ones_read_as_the_tables():
    svg = ranking_svg(publication([("Kota Serang", 40, 200, 20.0), ("Kab Lebak", None, 35, None),
                                   ("Kab Serang", 90, 300, 30.0), ("Kota Cilegon", 0, 0, None)]), "id")
    assert drawn(svg) == [("Kab Serang", "30,0%", f"{BAR_SHARE:.2f}%"), ("Kota Serang", "20,0%", f"{BAR_SHARE * 2 / 3:.2f}%"),
                          ("Kab Lebak", "disembunyikan", None), ("Kota Cilegon", "–", None)]
    assert "<title" in svg and 'role="img"' in svg
    assert "Kab Lebak: disembunyikan" in svg and "target nasional 2025: 18,8%" in svg     # the description says all


def test_english_labels_and_a_target_above_every_rate_set_the_scale():
    svg = ranking_svg(publication([("Kab Gunung Mas", 15, 100, 15.0)]), "en")
    [(name, label, width)] = drawn(svg)
    assert (name, label) == ("Kab Gunung Mas", "15.0%") and float(width.rstrip("%")) < BAR_SHARE
    assert "national target 2025: 18.8%" in svg


def test_no_kabkota_no_chart():
    assert ranking_svg(publication([]), "id") is None
