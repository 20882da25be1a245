"""Prefect tasks and flows and the command line: composition only, no parsing, no SQL."""
