"""Village-level choropleth maps: boundary files prepared once (``boundaries``), figures drawn per query (``figure``).

Nothing here imports Streamlit, so preparation and figures can be built and tested outside the app.
"""
