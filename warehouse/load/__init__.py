"""Rows from derived documents: reports, resolutions, companions, the parse ledger, and reading them back."""
