"""Helpers shared by the tests and the benches: a real server, and staff accounts. Not part of the app."""
