"""Reference data and the matchers that find organizations, UN entities, areas and citations in text."""
