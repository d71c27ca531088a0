"""The static site's ranking as inline SVG written at build time: the first chart a phone shows needs no
JavaScript (plotly.js is loaded only for the map, when it comes near the screen).

Bars are placed in percentages of the chart's width and text in pixels, so the chart fills any width
without scaling its text (a 390 px phone and a 1366 px screen read the same 14 px labels) and no label
can pass the right edge: the longest bar ends at ``BAR_SHARE`` of the width, its label after it.
Every number is written by ``dashboard.format``; a kab/kota whose counts are suppressed is listed with
the same hidden mark as the tables, without a bar.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from dashboard import format as fmt
from dashboard import palette
from dashboard.i18n import phrase
from dashboard.indicators import catalogue, target_for
from dashboard.public import cells

if TYPE_CHECKING:
    from dashboard.public.cells import Publication

BAR_SHARE = 72.0            # % of the width the longest bar (or the target line) reaches; the rest is for its label
ROW = 44                    # px per kab/kota: its name, then its bar
TOP = 28                    # px above the first row: the target's key
COUNTS = ("stunted", "measured")


def hidden(row: pd.Series, counts=COUNTS) -> bool:
    """A row whose rate is shown as hidden: any of the counts it is worked from is suppressed (as the tables)."""
    return any(pd.isna(row[c]) for c in counts)


def rate_label(row: pd.Series, lang: str) -> str:
    """A kab/kota's rate as the tables write it: 21,0% (id), the hidden mark, or "–" where nobody was measured."""
    return phrase("public_hidden", lang) if hidden(row) else fmt.percent(row["rate"], lang)


def ranked_rows(published: Publication) -> pd.DataFrame:
    """Every kab/kota: shown rates highest first, then those without a shown rate in table order."""
    kabkota = published.tables[cells.STUNTING].loc[lambda t: t.level == "kabkota"]
    drawn = kabkota.apply(lambda r: not hidden(r) and pd.notna(r["rate"]), axis=1).astype(bool)
    return pd.concat([kabkota.loc[drawn].sort_values("rate", ascending=False, kind="stable"), kabkota.loc[~drawn]])


def ranking_svg(published: Publication, lang: str, element_id: str = "ranking") -> str | None:
    """The kab/kota ranking with the national target as an accessible inline ``<svg>``; None without kab/kota."""
    rows = ranked_rows(published)
    if rows.empty:
        return None
    title = phrase("public_stunting_chart", lang).format(year=published.year)
    target = target_for(catalogue()["prevalence"]["stunting"], published.year)
    target_text = (phrase("public_target", lang).format(year=target[0], value=fmt.percent(target[1], lang))
                   if target else "")
    shown = [float(r.rate) for _, r in rows.iterrows() if not hidden(r) and pd.notna(r.rate)]
    top = max([*shown, target[1] if target else 0.0, 1.0])
    x = lambda value: f"{BAR_SHARE * value / top:.2f}%"  # noqa: E731
    height = TOP + ROW * len(rows) + 4
    parts = []                                           # the target's line first: bars and text are drawn over it
    if target:
        parts.append(f'<line class="target" x1="{x(target[1])}" x2="{x(target[1])}" y1="{TOP - 4}" y2="{height - 2}" '
                     f'stroke="{palette.TARGET_LINE}" stroke-dasharray="5 4"/>'
                     f'<line x1="0" x2="22" y1="10" y2="10" stroke="{palette.TARGET_LINE}" stroke-dasharray="5 4"/>'
                     f'<text class="key" x="28" y="14">{html.escape(target_text)}</text>')
    labels = []
    for i, (_, row) in enumerate(rows.iterrows()):
        y = TOP + i * ROW
        label = rate_label(row, lang)
        labels.append(f"{row['name']}: {label}")
        parts.append(f'<text class="name" x="0" y="{y + 14}">{html.escape(str(row["name"]))}</text>')
        if not hidden(row) and pd.notna(row.rate):
            parts.append(f'<rect class="bar" x="0" y="{y + 20}" width="{x(row.rate)}" height="16" '
                         f'fill="{palette.WORSE.colour}"/>'
                         f'<text class="value" x="{x(row.rate)}" dx="6" y="{y + 33}">{html.escape(label)}</text>')
        else:
            parts.append(f'<text class="value hidden" x="0" y="{y + 33}">{html.escape(label)}</text>')
    if target:
        labels.append(target_text)
    description = "; ".join(labels)
    return (f'<figure class="ranking"><figcaption>{html.escape(title)}</figcaption>'
            f'<svg id="{element_id}" class="bars-svg" width="100%" height="{height}" role="img" '
            f'aria-labelledby="{element_id}-title {element_id}-desc" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{element_id}-title">{html.escape(title)}</title>'
            f'<desc id="{element_id}-desc">{html.escape(description)}</desc>{"".join(parts)}</svg></figure>')
