"""TP Posyandu (d/h Pokjanal) meetings that end with decisions (issue 18): the durable store of what
people write (``store``), the next meeting's opening review of the last one (``review``), the
decisions as a spreadsheet and as signed minutes (``exports``), and the demo's past meetings (``demo``).

What people write lives here, in SQLite, apart from the analytics DuckDB that every import
rebuilds and swaps; the two are joined at read time by area code, indicator and period."""
