"""Change per area on the pages (issue 16 §3): the previous comparable period's value, the change in
percentage points and whether it is larger than chance (``dashboard.change``) as table columns, and the
"movers" (areas one level down that improved and worsened most, with n)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.change import with_change
from dashboard.ui import components as ui
from dashboard.ui.data import query
from dashboard.ui.filters import Filters
from dashboard.ui.text import language, t


def areas_change(f: Filters, indicator: str) -> pd.DataFrame:
    """Each area one level down with ``indicator`` now (cases, n) and in the previous comparable period,
    and ``<indicator>_previous_pct``, ``_change_pp``, ``_significant`` (all empty for a partial period)."""
    previous = f.comparable
    rows = query("pages/common/areas_change", region=f.region_code, level=f.child_level, indicator=indicator,
                 period_type=f.period.type, period_start=f.period.start,
                 previous_start=previous.start if previous else None)
    return with_change(rows, "cases", "n", "previous_cases", "previous_n", indicator)


def change_columns(indicator: str, name: str) -> dict:
    """Column settings of the three change columns of ``indicator`` (shown as ``name``)."""
    return {f"{indicator}_previous_pct": st.column_config.NumberColumn(f"{name} % · {t('previous_value')}", format="%.1f"),
            f"{indicator}_change_pp": st.column_config.NumberColumn(f"{name} · {t('change_pp')}", format="%+.1f"),
            f"{indicator}_significant": st.column_config.TextColumn(f"{name} · {t('change_significant')}",
                                                                    help=t("change_help"))}


def readable_significance(frame: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """The significance column as 'ya'/'tidak' (empty without a comparison), for the table and its download."""
    column = f"{indicator}_significant"
    return frame.assign(**{column: frame[column].map({True: t("sig_yes"), False: t("sig_no")}).fillna("")})


def comparison_caption(f: Filters) -> None:
    """Under a table with change columns: which period it is compared with, or why it is not."""
    previous = f.comparable
    if previous is None:
        st.caption(t("movers_none"))
    else:
        st.caption(f"{t('vs_previous')}: {previous.label(language())} · {t('change_help')}")


def movers(f: Filters, indicators: list[str], top: int = 3) -> None:
    """Per indicator, the areas one level down (with enough children both times) whose prevalence fell
    most (improved) and rose most (worsened), with n now and before and the significance."""
    tabs = st.tabs([ui.indicator_name("prevalence", i) for i in indicators])
    for tab, indicator in zip(tabs, indicators):
        with tab:
            changed = areas_change(f, indicator)
            enough = changed[(changed.n.fillna(0) >= ui.min_denominator())
                             & (changed.previous_n.fillna(0) >= ui.min_denominator())
                             & changed[f"{indicator}_change_pp"].notna()]
            if enough.empty:
                st.caption(t("movers_none"))
                continue
            shown = readable_significance(enough.assign(pct=100 * enough.cases / enough.n), indicator)
            config = {"name": t("area"), "pct": st.column_config.NumberColumn(
                          ui.indicator_name("prevalence", indicator) + " %", format="%.1f"),
                      "n": t("children_measured"), "previous_n": f"{t('children_measured')} · {t('previous_value')}",
                      **change_columns(indicator, ui.indicator_name("prevalence", indicator))}
            columns = ["name", "pct", "n", f"{indicator}_previous_pct", "previous_n", f"{indicator}_change_pp",
                       f"{indicator}_significant"]
            left, right = st.columns(2)
            for column, title, ascending in ((left, "improved_most", True), (right, "worsened_most", False)):
                with column:
                    st.markdown(f"**{t(title)}**")
                    picked = shown.sort_values(f"{indicator}_change_pp", ascending=ascending).head(top)
                    picked = picked[picked[f"{indicator}_change_pp"] < 0] if ascending else \
                        picked[picked[f"{indicator}_change_pp"] > 0]
                    ui.table(picked[columns], f"movers_{indicator}_{title}_{f.region_code}_{f.period.code}",
                             f"movers_{indicator}_{title}", config)
