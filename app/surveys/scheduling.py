"""Today's date where the partnership is: consultations open and close on local dates."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

LOCAL_ZONE = ZoneInfo("Europe/London")


def today() -> date:
    return today_for(current_app.config if has_app_context() else {})


def today_for(config) -> date:
    # SURVEY_TODAY (set by the surveys feature outside production, for demonstrations and tests
    # against a real server) fixes the date, so the home page lists the same open consultations
    # as the consultations pages do.
    fixed = config.get("SURVEY_TODAY")
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return datetime.now(LOCAL_ZONE).date()
