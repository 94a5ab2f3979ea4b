"""The public site: home, plan, priorities, campaigns, news, figures, contact, search, feeds."""

from typing import Any

from flask import Flask, current_app

from app.content.loader import read_site
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

    from app.site import cache, cli, views

    cache.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.content_cli)
