"""Building blocks every page uses the same way: indicator definitions from the catalogue, tables
with a CSV download, charts with a PNG download, small-number marks and empty states."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.charts import localised
from dashboard.indicators import catalogue
from dashboard.suppress import min_rate_denominator
from dashboard.periods import Period
from dashboard.ui.access import download_recorded
from dashboard.ui.text import language, t


def indicator_name(kind: str, name: str) -> str:
    spec = catalogue()[kind][name]
    return spec["en"] if language() == "en" else spec["id"]


def definition(kind: str, name: str) -> None:
    """The indicator's definition (formula, thresholds, source), one click away."""
    spec = catalogue()[kind][name]
    with st.popover(t("definition"), icon=":material/info:"):
        st.markdown(f"**{indicator_name(kind, name)}**")
        for key in ("numerator", "denominator"):
            if key in spec:
                st.markdown(f"- {t(key)}: {spec[key]}")
        if "cutoff" in spec:
            sign = "<" if spec["comparison"] == "below" else ">"
            st.markdown(f"- {t('threshold')}: {spec['zscore'].upper()} {sign} {spec['cutoff']:+.0f} SD")
        for low, high, label in spec.get("bands", []):
            st.markdown(f"  - {low}-{high}%: {label}")
        if "targets" in spec:
            st.markdown(f"- {t('target')}: " + ", ".join(f"{v}% ({y})" for y, v in spec["targets"].items())
                        + f" · {spec.get('target_source', '')}")
        if "target" in spec:
            st.markdown(f"- {t('target')}: {spec['target']}%")
        st.caption(f"{t('source')}: {spec.get('source', '')}")


def min_denominator() -> int:
    return min_rate_denominator()


def is_small(denominator) -> bool:
    return bool(pd.isna(denominator) or denominator < min_denominator())


def mark_small(frame: pd.DataFrame, denominator: str) -> pd.DataFrame:
    """Add a ``small`` column: rates on fewer than the catalogue's minimum are marked, not hidden."""
    return frame.assign(small=frame[denominator].fillna(0) < min_denominator())


def table(frame: pd.DataFrame, file_name: str, key: str, column_config: dict | None = None) -> None:
    """A table with its CSV download (what is shown is what is downloaded)."""
    st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config)
    st.download_button(t("download_csv"), frame.to_csv(index=False).encode("utf-8"), f"{file_name}.csv",
                       "text/csv", key=f"csv_{key}", on_click=download_recorded(f"{file_name}.csv"))


def chart(figure: go.Figure, file_name: str, key: str) -> None:
    """A Plotly chart; its toolbar's camera button downloads it as PNG (drawn by the browser, offline)."""
    st.plotly_chart(localised(figure, language()), width="stretch", key=key, config={
        "displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2}})


def empty(reason_key: str, **values) -> None:
    st.info(t(reason_key).format(**values))


def pct(value: float | None, digits: int = 1) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{value:.{digits}f}%".replace(".", "," if language() == "id" else ".")


def count(value) -> str:
    if value is None or pd.isna(value):
        return "–"
    text = f"{int(value):,}"
    return text.replace(",", ".") if language() == "id" else text


def month_label(month) -> str:
    """'Oktober 2026' for a month's first day (a date or timestamp), '–' when there is none."""
    if month is None or pd.isna(month):
        return "–"
    day = pd.Timestamp(month).date()
    return Period("month", day.replace(day=1)).label(language())


def delta_pp(now, before) -> str | None:
    """Change in percentage points against the previous period, or None when either is missing."""
    if now is None or before is None or pd.isna(now) or pd.isna(before):
        return None
    return f"{now - before:+.1f} pp {t('vs_previous')}"
