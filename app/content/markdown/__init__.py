"""Markdown to safe HTML: rendering, sanitising, phone links and stacked tables, link checks."""
