"""The only part of the package, besides ``pages/``, that imports Streamlit."""
