"""What every layer imports: the settings and their readers, typed errors, YAML settings files."""
