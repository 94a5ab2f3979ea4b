"""The public site: home, plan, priorities, campaigns, news, figures, contact, search, feeds."""

from app.content.problems import ContentError
from app.content.settings import load_site_settings
from app.content.store import ContentStore


def init_app(app) -> None:
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

    cache.init_app(app)
    filters.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli.content_cli)
