"""The public site: home, plan, priorities, campaigns, news, figures, contact, search, feeds."""

import logging
from typing import Any

from flask import Flask, current_app

from app.content.catalogue import Content
from app.content.notices import TO_CONFIRM, content_notices
from app.content.reading.loader import read_site
from app.content.settings import read_site_settings
from app.content.store import ContentStore

SITE = "site"
SETTINGS = "settings"


def settings() -> dict[str, Any]:
    found: dict[str, Any] = current_app.extensions["content"].get(SETTINGS)
    return found


def init_app(app: Flask) -> None:
    store: ContentStore = app.extensions["content"]
    store.register(SITE, read_site)
    store.register(SETTINGS, read_site_settings)

    def navigation_items(active: str | None = None) -> list[dict[str, Any]]:
        return [
            {"text": item["text"], "href": item["href"], "active": item["href"] == active}
            for item in settings().get("navigation", [])
        ]

    @app.context_processor
    def site_context() -> dict[str, Any]:
        return {"site_settings": settings(), "navigation_items": navigation_items}

    from app.site import cache
    from app.site import content_commands as cli
    from app.site import page_views as views

    cache.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.content_cli)


def content() -> Content:
    found: Content = current_app.extensions["content"].get(SITE)
    return found


def log_content_warnings(app: Flask) -> None:
    """At production start-up, write every detail still to confirm and overdue review to the log."""
    from app.surveys import scheduling

    logger = logging.getLogger("app.content")
    notices = content_notices(app.extensions["content"].get(SITE), scheduling.today_for(app.config))
    for notice in notices:
        logger.warning("Content warning: %s", notice)
    if notices:
        confirm = sum(1 for notice in notices if notice.kind == TO_CONFIRM)
        logger.warning(
            "Content has %d warning(s): %d detail(s) to confirm and %d page(s) due for review. "
            "Run `flask content check` for the list.",
            len(notices),
            confirm,
            len(notices) - confirm,
        )
