"""Posyandu & PKK analytics dashboard: ingest, growth engine, marts and Streamlit views."""

__version__ = "0.1.0"
