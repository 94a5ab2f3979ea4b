"""How responses travel: canonical addresses, compression, the session cookie, static files."""
