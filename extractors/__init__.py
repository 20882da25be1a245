"""Documents to structure: fetching, reading, parsing and enriching the UN's documents; never DuckDB or Prefect."""
