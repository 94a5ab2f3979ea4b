"""The content warnings staff see: details still to confirm and pages due for review."""

from __future__ import annotations

from datetime import date

from flask import current_app

from app.content.notices import Notice, content_notices
from app.site import SITE
from app.surveys import scheduling


def today() -> date:
    return scheduling.today()


def notices() -> list[Notice]:
    """Read from the content the site is serving, so staff see what the public site shows."""
    return content_notices(current_app.extensions["content"].get(SITE), today())
