"""The report series: its parser and the list of its editions."""
