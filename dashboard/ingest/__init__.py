"""Import of posyandu and PKK export files into the canonical DuckDB tables."""
