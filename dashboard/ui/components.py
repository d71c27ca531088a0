"""Building blocks every page uses the same way: indicator definitions from the catalogue, tables
with CSV and Excel downloads, charts with a PNG download, changes against a previous period,
small-number marks and empty states. Every value is written by ``dashboard.format``."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import export, indicators, palette
from dashboard import format as fmt
from dashboard.charts import localised
from dashboard.i18n import phrase
from dashboard.periods import parse_period
from dashboard.public.suppress import min_rate_denominator
from dashboard.ui.access import download_recorded
from dashboard.ui.text import language, t

YEAR_COLUMNS = re.compile(r"(^|_)(year|tahun)($|_)")
DEFAULT_DIGITS = 1                  # float columns without a declared format


def indicator_name(kind: str, name: str) -> str:
    return indicators.name(kind, name, language())


def definition(kind: str, name: str) -> None:
    """The indicator's definition (formula, thresholds, source), one click away."""
    with st.popover(t("definition"), icon=":material/info:"):
        st.markdown(f"**{indicator_name(kind, name)}**")
        for line in indicators.definition_lines(kind, name, language()):
            st.markdown(f"- {line}")


def min_denominator() -> int:
    return min_rate_denominator()


def is_small(denominator) -> bool:
    return bool(pd.isna(denominator) or denominator < min_denominator())


def mark_small(frame: pd.DataFrame, denominator: str) -> pd.DataFrame:
    """Add a ``small`` column: rates on fewer than the catalogue's minimum are marked, not hidden."""
    return frame.assign(small=frame[denominator].fillna(0) < min_denominator())


def change_style(difference, lower_is_better: bool = True) -> dict:
    """``st.metric``'s arrow and colour for a change: the warm colour when it is worse (one palette), grey
    when there is none. Given, not guessed: Streamlit reads the direction from an ASCII "-", and our
    changes carry a real minus ("−1,2 pp")."""
    if fmt.missing(difference) or round(float(difference), 1) == 0:
        return {"delta_color": palette.NEUTRAL.metric, "delta_arrow": "off"}
    worse = (float(difference) > 0) == lower_is_better
    return {"delta_color": (palette.WORSE if worse else palette.BETTER).metric,
            "delta_arrow": "up" if float(difference) > 0 else "down"}


def change(now, before, lower_is_better: bool = True, percent: bool = True) -> dict:
    """``st.metric`` arguments for the change against the previous period: "−1,2 pp vs periode sebelumnya"
    (``dashboard.format``) with its arrow and colour; no delta when either value is missing."""
    if fmt.missing(now) or fmt.missing(before):
        return {"delta": None}
    difference = float(now) - float(before)
    text = fmt.points(difference, language()) if percent else fmt.signed(difference, language())
    return {"delta": f"{text} {t('vs_previous')}", **change_style(difference, lower_is_better)}


# Columns that hold a change are written with their sign, whatever their number format says.
SIGNED_SUFFIXES = ("_change_pp", "_change")


def _digits(config) -> int | None:
    """Decimals a ``st.column_config`` number format asks for ("%.1f" -> 1)."""
    found = re.search(r"%[^a-z%]*\.(\d+)f", str((config or {}).get("type_config", {}).get("format") or ""))
    return int(found.group(1)) if found else None


def _columns(frame: pd.DataFrame, column_config: dict | None) -> tuple[dict[str, str], dict[str, int], dict]:
    """Headings (label per column), decimals per float column, and the column config without number
    formats (the values are written by ``dashboard.format`` instead of the browser's printf)."""
    labels, digits, config = {}, {}, {}
    for column in frame.columns:
        spec = (column_config or {}).get(column)
        label = spec if isinstance(spec, str) else (spec or {}).get("label") if isinstance(spec, dict) else None
        labels[column] = label or str(column)
        if pd.api.types.is_float_dtype(frame[column]):
            digits[column] = _digits(spec) if isinstance(spec, dict) and _digits(spec) is not None else DEFAULT_DIGITS
        numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
        if spec is None and not numeric:
            continue
        config[column] = st.column_config.Column(labels[column], help=spec.get("help") if isinstance(spec, dict) else None,
                                                 alignment="right" if numeric else None)   # numbers stay right-aligned as text
    return labels, digits, config


def _written(series: pd.Series, column: str, digits: dict[str, int], lang: str) -> pd.Series:
    """One column as the reader sees it: numbers, dates and years written by ``dashboard.format``, "–" for a
    missing value (never "None"), booleans left to Streamlit's check marks."""
    if pd.api.types.is_bool_dtype(series):
        return series
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.map(lambda v: fmt.date(v, lang))
    if YEAR_COLUMNS.search(str(column).lower()) and pd.api.types.is_numeric_dtype(series):
        return series.map(fmt.year)
    if column in digits and str(column).endswith(SIGNED_SUFFIXES):     # a change: "+1,2" and "−1,2"
        return series.map(lambda v: fmt.signed(v, lang, digits[column]))
    if column in digits:
        return fmt.numbers(series, lang, digits[column]).set_axis(series.index)
    if pd.api.types.is_integer_dtype(series):
        return fmt.numbers(series, lang, 0).set_axis(series.index)
    return series.astype(object).where(series.notna(), fmt.MISSING)


def shown_frame(frame: pd.DataFrame, digits: dict[str, int], lang: str) -> pd.DataFrame:
    """The table as text in the reader's language. Text, not a Styler over numbers: pandas' Styler takes
    seconds for a few thousand rows, and Streamlit's number formats cannot write a decimal comma. Pages
    hand tables over sorted; a click on a heading sorts the text."""
    return pd.DataFrame({column: _written(frame[column], column, digits, lang) for column in frame.columns},
                        index=frame.index)


def download_frame(frame: pd.DataFrame, labels: dict[str, str], digits: dict[str, int],
                   scope: tuple[str, str] | None, lang: str) -> pd.DataFrame:
    """What a download holds: the area and period first, readable headings, values rounded as shown."""
    out = frame.copy()
    for column, places in digits.items():
        out[column] = out[column].round(places)
    out = out.rename(columns=labels)
    if scope is not None:
        out.insert(0, phrase("download_period", lang), scope[1])
        out.insert(0, phrase("download_area", lang), scope[0])
    return out


def _scope() -> tuple[str, str, str] | None:
    """(area name, period label, file suffix) of the filters in the URL (the one filter bar keeps them there),
    or None when the page has none."""
    from dashboard.ui.data import query

    code, period = st.query_params.get("wilayah"), parse_period(st.query_params.get("periode"))
    if not code or period is None:
        return None
    found = query("pages/common/region", code=code)
    name = code if found.empty else str(found.name.iloc[0])
    return name, period.label(language()), f"{code}_{period.code}"


def table(frame: pd.DataFrame, file_name: str, key: str, column_config: dict | None = None,
          scope: bool | tuple[str, str, str] = True, height: int | str = "auto") -> None:
    """A table in the reader's language with CSV and Excel downloads of the same rows (readable headings,
    rounded values, the area and period first and in the file name; formulas defused). ``scope``: True
    takes the area and period of the filters in the URL, False for tables that do not depend on them, or
    (area name, period label, file-name suffix) given by the page. ``height``: pixels, for a table that
    must stay within a screen (the meeting's presentation mode), or Streamlit's "auto"."""
    lang = language()
    labels, digits, config = _columns(frame, column_config)
    st.dataframe(shown_frame(frame, digits, lang), hide_index=True, width="stretch", column_config=config,
                 height=height)
    scope = _scope() if scope is True else scope or None
    rows = download_frame(frame, labels, digits, scope[:2] if scope else None, lang)
    name = file_name if scope is None or scope[2] in file_name else f"{file_name}_{scope[2]}"
    with st.container(horizontal=True):
        st.download_button(t("download_csv"), export.csv_bytes(rows), f"{name}.csv", "text/csv", key=f"csv_{key}",
                           icon=":material/download:", on_click=download_recorded(f"{name}.csv"))
        st.download_button(t("download_xlsx"), lambda: export.xlsx_bytes(rows), f"{name}.xlsx", export.XLSX_MIME,
                           key=f"xlsx_{key}", icon=":material/table_view:",
                           on_click=download_recorded(f"{name}.xlsx"))      # both downloads go to the audit trail


def chart(figure: go.Figure, file_name: str, key: str) -> None:
    """A Plotly chart; its toolbar's camera button downloads it as PNG (drawn by the browser, offline)."""
    st.plotly_chart(localised(figure, language()), width="stretch", key=key, config={
        "displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2}})


def empty(reason_key: str, **values) -> None:
    st.info(t(reason_key).format(**values))
