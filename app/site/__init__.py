"""The public site: home, plan, priorities, campaigns, news, figures, contact, search, feeds."""

import logging
from datetime import date

from flask import Flask

from app.content.catalogue import Content
from app.content.notices import TO_CONFIRM, content_notices
from app.content.problems import ContentError
from app.content.settings import load_site_settings
from app.content.store import ContentStore
from app.surveys import scheduling


def init_app(app: Flask) -> None:
    settings = load_site_settings(app.config["CONTENT_DIR"])
    app.jinja_env.globals["site_settings"] = settings

    def navigation_items(active: str | None = None) -> list[dict]:
        return [
            {"text": item["text"], "href": item["href"], "active": item["href"] == active}
            for item in settings.get("navigation", [])
        ]

    app.jinja_env.globals["navigation_items"] = navigation_items

    from app.site import cache, cli, filters, views

    # Content is read once here; the debug server re-reads it when a file changes.
    store = ContentStore(app.config["CONTENT_DIR"], reload=app.debug)
    problems = cli.content_problems(app.config["CONTENT_DIR"], store.get())
    if problems and not cli.invoked_as_content_check():
        raise ContentError(problems)
    app.extensions["site_content"] = store
    if app.config["PRODUCTION"]:
        log_content_warnings(store.get(), scheduling.today_for(app.config))

    cache.init_app(app)
    filters.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.content_cli)


def log_content_warnings(content: Content, today: date) -> None:
    """At production start-up, write every detail still to confirm and overdue review to the log."""
    logger = logging.getLogger("app.content")
    notices = content_notices(content, today)
    for notice in notices:
        logger.warning("Content warning: %s", notice)
    if notices:
        confirm = sum(1 for notice in notices if notice.kind == TO_CONFIRM)
        logger.warning("Content has %d warning(s): %d detail(s) to confirm and %d page(s) due for review. "
                       "Run `flask content check` for the list.", len(notices), confirm, len(notices) - confirm)
