"""UI text: Indonesian first, English as a switch. Every label shown by a page lives here."""

from __future__ import annotations

import streamlit as st

TEXT = {
    "app_title": ("Dasbor Posyandu & PKK", "Posyandu & PKK dashboard"),
    "language": ("Bahasa", "Language"),
    "page_data": ("Data & Impor", "Data & imports"),
    "data_heading": ("Status data dan riwayat impor", "Data status and import history"),
    "no_database": ("Belum ada basis data. Jalankan impor terlebih dahulu:",
                    "There is no database yet. Import some exports first:"),
    "no_imports": ("Belum ada file yang diimpor.", "No file has been imported yet."),
    "no_rejects": ("Tidak ada baris yang ditolak.", "No row was rejected."),
    "datasets": ("Isi basis data", "What the database holds"),
    "batches": ("Riwayat impor", "Import history"),
    "rejects": ("Alasan penolakan baris", "Why rows were rejected"),
    "rows": ("baris", "rows"),
    "latest": ("data terbaru", "latest"),
    "download_csv": ("Unduh CSV", "Download CSV"),
    "accounting": ("Setiap file: dibaca = dimuat + ditolak + duplikat dilewati.",
                   "Every file: read = loaded + rejected + duplicates skipped."),
}


def language() -> str:
    return st.session_state.get("lang", "id")


def t(key: str) -> str:
    """The label ``key`` in the chosen language."""
    indonesian, english = TEXT[key]
    return english if language() == "en" else indonesian
