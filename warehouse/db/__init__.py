"""The DuckDB file: schema, migrations and views, column-wise writes, reader-safe publishing, the run lock."""
