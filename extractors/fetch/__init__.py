"""Getting documents: the polite HTTP client, the ODS and undocs.org, Digital Library discovery, the raw store."""
