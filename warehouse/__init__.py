"""The DuckDB warehouse: schema and publishing, loads, diffs, runs, and the commands that write it."""
