"""The public site: home, plan, priorities, campaigns, news, figures, contact, search, feeds."""

from app.content.settings import load_site_settings


def init_app(app) -> None:
    settings = load_site_settings(app.config["CONTENT_DIR"])
    app.jinja_env.globals["site_settings"] = settings

    def navigation_items(active: str | None = None) -> list[dict]:
        return [
            {"text": item["text"], "href": item["href"], "active": item["href"] == active}
            for item in settings.get("navigation", [])
        ]

    app.jinja_env.globals["navigation_items"] = navigation_items
