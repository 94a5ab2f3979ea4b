"""How often drafts may be written: per address and per browser session.

Counted in the rate limiter's storage (Redis in production), so every worker shares them.
Creating a draft has its own, tighter allowance per address: a browser without cookies makes a
new session on every request, so only the address can tell those apart.
"""

from __future__ import annotations

import os

from flask import Flask, current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

from app.extensions import limiter

DEFAULTS = {
    # A household or an office behind one address: a few people answering in an hour.
    "SURVEY_DRAFT_ADDRESS_LIMIT": "300 per hour",
    "SURVEY_DRAFT_NEW_LIMIT": "30 per hour",
    # One person: every page, a few mistakes and changes, well within this.
    "SURVEY_DRAFT_SESSION_LIMIT": "30 per 10 minutes;120 per hour",
    "SURVEY_DRAFTS_MAX_BYTES": str(50 * 1024 * 1024),
}


def init_app(app: Flask) -> None:
    for name, default in DEFAULTS.items():
        app.config.setdefault(name, os.environ.get(name, default))


def _checks(session_key: str | None, creating: bool) -> list[tuple[RateLimitItem, str, str]]:
    config = current_app.config
    address = get_remote_address()
    wanted = [(config["SURVEY_DRAFT_ADDRESS_LIMIT"], "draft-address", address)]
    if creating:
        wanted.append((config["SURVEY_DRAFT_NEW_LIMIT"], "draft-new", address))
    if session_key:
        wanted.append((config["SURVEY_DRAFT_SESSION_LIMIT"], "draft-session", session_key))
    return [(item, scope, key) for limits, scope, key in wanted for item in parse_many(limits)]


def allow_write(session_key: str | None, creating: bool) -> bool:
    """Counts one draft write, or returns False (counting nothing) if any allowance is spent."""
    # Asking a switched-off limiter for its strategy fails an assertion inside Flask-Limiter.
    if not limiter.enabled:
        return True
    strategy = limiter.limiter
    checks = _checks(session_key, creating)
    if not all(strategy.test(item, scope, key) for item, scope, key in checks):
        return False
    for item, scope, key in checks:
        strategy.hit(item, scope, key)
    return True


def total_max_bytes() -> int:
    return int(current_app.config["SURVEY_DRAFTS_MAX_BYTES"])
