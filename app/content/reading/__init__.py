"""Reading content files: front matter with line numbers, safe YAML, and the loader."""
