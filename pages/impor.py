"""Impor (admin): export files uploaded in the browser go through the same importer as the command
line (``import_and_refresh``), in a worker process with memory and time limits, with the same
accounting and reasons; a file that cannot be read changes nothing. Rejected rows can be
downloaded in the file's own layout to correct and import again (admin only: personal data)."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import format as fmt
from dashboard.access import audit
from dashboard.config import settings
from dashboard.db import reading
from dashboard.ingest.rejects import rejected_rows_csv
from dashboard.ingest.worker import import_in_worker
from dashboard.ui import components as ui
from dashboard.ui.access import current_user, require
from dashboard.ui.text import language, t

require("impor")
st.header(t("page_import"))
limit_mb = min(settings().max_import_bytes, st.get_option("server.maxUploadSize") * 1024 * 1024) // (1024 * 1024)
st.caption(t("import_help").format(limit=limit_mb) + " " + t("import_worker"))
uploads = st.file_uploader(t("import_files"), type=["csv", "txt", "xlsx", "xls", "ods", "html", "htm"],
                           accept_multiple_files=True)
if uploads and st.button(t("import_run"), type="primary"):
    too_big = [u.name for u in uploads if u.size > limit_mb * 1024 * 1024]
    if too_big:
        st.error(t("import_too_big").format(files=", ".join(too_big), limit=limit_mb))
        st.stop()
    with tempfile.TemporaryDirectory(prefix="unggah-") as folder, st.status(t("import_running"), expanded=True) as box:
        bar = st.progress(0.0)
        paths = []
        for upload in uploads:
            path = Path(folder) / Path(upload.name).name          # the name as uploaded, never a path
            path.write_bytes(upload.getvalue())
            paths.append(path)

        def show(number: int, total: int, file: str) -> None:
            bar.progress((number - 1) / total, text=t("import_progress").format(number=number, total=total, file=file))

        results = import_in_worker(paths, settings().db_path, progress=show)
        audit.record_imports(current_user(), results)
        bar.progress(1.0)
        box.update(label=t("import_finished"), state="error" if any(r.error for r in results) else "complete")
    st.session_state["import_results"] = results

results = st.session_state.get("import_results")
if results:
    status_text = {"failed": t("import_failed"), "unchanged": t("import_unchanged"), "warning": t("import_warning"),
                   "ok": "OK"}
    summary = pd.DataFrame([{
        "file": r.file_name, "dataset": r.dataset, "sheet": r.sheet or "", "status": status_text[r.status],
        "read": r.rows_read, "loaded": r.rows_loaded, "updated": r.rows_updated, "rejected": r.rows_rejected,
        "duplicates": r.rows_duplicate, "adds_up": r.adds_up if not r.error else None,
        "reason": r.error or "; ".join(r.warnings)} for r in results])
    failed = sum(1 for r in results if r.error)
    (st.error if failed else st.warning if any(r.status == "warning" for r in results) else st.success)(
        t("import_done").format(ok=len(results) - failed, failed=failed))
    for r in results:
        if r.mostly_rejected:
            st.warning(t("import_warning_share").format(
                file=r.file_name, rejected=fmt.count(r.rows_rejected, language()), read=fmt.count(r.rows_read, language()),
                share=fmt.percent(100 * r.rows_rejected / r.rows_read, language())))
    ui.table(summary, "impor_ringkasan", "import_summary", {
        "file": t("file"), "sheet": t("import_sheet"), "status": "Status", "read": t("rows_read"),
        "loaded": t("rows_loaded"), "updated": t("rows_updated"), "rejected": t("rows_rejected"),
        "duplicates": t("rows_duplicate"), "adds_up": t("adds_up"), "reason": t("reason")})
    rejects = pd.DataFrame([{"file": r.file_name, "column": c.column,
                             "reason": c.reason_en if language() == "en" else c.reason_id,
                             "rows": c.count, "first_rows": ", ".join(map(str, c.first_rows))}
                            for r in results for c in r.reject_summary])
    if len(rejects):
        st.subheader(t("rejects"))
        ui.table(rejects, "impor_ditolak", "import_rejects", {"file": t("file"), "column": t("column"),
                                                               "reason": t("reason"), "rows": t("rows"),
                                                               "first_rows": t("first_rows")})
        with reading() as con:
            for r in results:
                if r.batch_id and r.rows_rejected:
                    st.download_button(t("rejects_download").format(file=r.file_name),
                                       rejected_rows_csv(con, r.batch_id, language()),
                                       f"ditolak_{Path(r.file_name).stem}.csv", "text/csv",
                                       key=f"rejected_{r.batch_id}")
