"""Data & imports: what the database holds, every import batch, and why rows were rejected."""

import streamlit as st

from dashboard.ui.access import require
from dashboard.ui.data import database_ready, query
from dashboard.ui.text import t

require("data")
st.header(t("data_heading"))

if not database_ready():
    st.info(t("no_database"))
    st.code(".venv/bin/python -m dashboard import EXPORT.csv EXPORT.xlsx ...", language="bash")
    st.stop()

st.subheader(t("datasets"))
counts = query("pages/data_status/table_counts")
columns = st.columns(len(counts))
for column, row in zip(columns, counts.itertuples(index=False)):
    latest = f"{t('latest')}: {row.latest}" if row.latest is not None and str(row.latest) != "NaT" else None
    column.metric(row.dataset, f"{row.rows:,}".replace(",", "."), help=latest)

st.subheader(t("batches"))
st.caption(t("accounting"))
batches = query("pages/data_status/import_batches")
if batches.empty:
    st.info(t("no_imports"))
else:
    st.dataframe(batches, hide_index=True, width="stretch")
    st.download_button(t("download_csv"), batches.to_csv(index=False), "import_batches.csv", "text/csv")

st.subheader(t("rejects"))
reasons = query("pages/data_status/reject_reasons")
if reasons.empty:
    st.success(t("no_rejects"))
else:
    st.dataframe(reasons, hide_index=True, width="stretch")
    st.download_button(t("download_csv"), reasons.to_csv(index=False), "reject_reasons.csv", "text/csv",
                       key="download_rejects")
