"""Impor (admin): export files uploaded in the browser go through the same importer as the command
line, with the same accounting and reasons; a file that cannot be read changes nothing."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.build import refresh
from dashboard.config import settings
from dashboard.ingest.loader import import_files
from dashboard.ui import components as ui
from dashboard.access import audit
from dashboard.ui.access import current_user, require
from dashboard.ui.text import language, t

require("impor")
st.header(t("page_import"))
limit_mb = min(settings().max_import_bytes, st.get_option("server.maxUploadSize") * 1024 * 1024) // (1024 * 1024)
st.caption(t("import_help").format(limit=limit_mb))
uploads = st.file_uploader(t("import_files"), type=["csv", "txt", "xlsx", "xls", "ods"], accept_multiple_files=True)
if uploads and st.button(t("import_run"), type="primary"):
    too_big = [u.name for u in uploads if u.size > limit_mb * 1024 * 1024]
    if too_big:
        st.error(t("import_too_big").format(files=", ".join(too_big), limit=limit_mb))
        st.stop()
    with tempfile.TemporaryDirectory(prefix="unggah-") as folder, st.spinner(t("import_running")):
        paths = []
        for upload in uploads:
            path = Path(folder) / Path(upload.name).name          # the name as uploaded, never a path
            path.write_bytes(upload.getvalue())
            paths.append(path)
        results = import_files(paths, settings().db_path, after_load=refresh)
    audit.record_imports(current_user(), results)
    summary = pd.DataFrame([{
        "file": r.file_name, "dataset": r.dataset,
        "status": t("import_failed") if r.error else t("import_unchanged") if r.already_imported_batch else "OK",
        "read": r.rows_read, "loaded": r.rows_loaded, "updated": r.rows_updated, "rejected": r.rows_rejected,
        "duplicates": r.rows_duplicate, "adds_up": r.adds_up if not r.error else None, "reason": r.error or ""}
        for r in results])
    (st.error if any(r.error for r in results) else st.success)(t("import_done").format(
        ok=sum(1 for r in results if not r.error), failed=sum(1 for r in results if r.error)))
    ui.table(summary, "impor_ringkasan", "import_summary", {
        "file": t("file"), "status": "Status", "read": t("rows_read"), "loaded": t("rows_loaded"),
        "updated": t("rows_updated"), "rejected": t("rows_rejected"), "duplicates": t("rows_duplicate"),
        "adds_up": t("adds_up"), "reason": t("reason")})
    rejects = pd.DataFrame([{"file": r.file_name, "column": c.column, "reason": c.reason_en if language() == "en" else c.reason_id,
                             "rows": c.count, "first_rows": ", ".join(map(str, c.first_rows))}
                            for r in results for c in r.reject_summary])
    if len(rejects):
        st.subheader(t("rejects"))
        ui.table(rejects, "impor_ditolak", "import_rejects", {"file": t("file"), "column": t("column"),
                                                               "reason": t("reason"), "rows": t("rows"),
                                                               "first_rows": t("first_rows")})
