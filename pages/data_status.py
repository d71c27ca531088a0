"""Data & imports: what the database holds, every import batch, and why rows were rejected."""

import streamlit as st

from dashboard import format as fmt
from dashboard.ui import components as ui
from dashboard.ui.access import require
from dashboard.ui.data import database_ready, query
from dashboard.ui.text import language, t

require("data")
st.header(t("data_heading"))

if not database_ready():
    st.info(t("no_database"))
    st.code(".venv/bin/python -m dashboard import EXPORT.csv EXPORT.xlsx ...", language="bash")
    st.stop()

lang = language()
st.subheader(t("datasets"))
counts = query("pages/data_status/table_counts")
columns = st.columns(len(counts))
for column, row in zip(columns, counts.itertuples(index=False)):
    latest = None if fmt.missing(row.latest) else f"{t('latest')}: {fmt.date(row.latest, lang)}"
    column.metric(t(f"dataset_{row.dataset}"), fmt.count(row.rows, lang), help=latest)

st.subheader(t("batches"))
st.caption(t("accounting"))
batches = query("pages/data_status/import_batches")
if batches.empty:
    st.info(t("no_imports"))
else:
    batches = batches.assign(dataset=batches.dataset.map(lambda d: t(f"dataset_{d}")))
    ui.table(batches, "riwayat_impor", "batches", {
        "batch_id": t("batch_id"), "file_name": t("file"), "dataset": t("dataset"), "sheet": t("sheet"),
        "heading_row": t("heading_row"), "rows_read": t("rows_read"), "rows_loaded": t("rows_loaded"),
        "rows_updated": t("rows_updated"), "rows_rejected": t("rows_rejected"), "rows_duplicate": t("rows_duplicate"),
        "columns_ignored": t("columns_ignored"), "finished_at": t("finished_at")}, scope=False)

st.subheader(t("rejects"))
reasons = query("pages/data_status/reject_reasons")
if reasons.empty:
    st.success(t("no_rejects"))
else:
    reasons = reasons.assign(reason=reasons.reason_en if lang == "en" else reasons.reason_id,
                             dataset=reasons.dataset.map(lambda d: t(f"dataset_{d}")),
                             first_rows=reasons.first_rows.map(lambda rows: ", ".join(fmt.count(r, lang) for r in rows)))
    ui.table(reasons[["batch_id", "source_file", "dataset", "column_name", "reason", "rows", "first_rows"]],
             "alasan_penolakan", "rejects", {
                 "batch_id": t("batch_id"), "source_file": t("file"), "dataset": t("dataset"),
                 "column_name": t("column"), "reason": t("reason"), "rows": t("rows_rejected"),
                 "first_rows": t("first_rows")},
             scope=False)
