"""The staff area: sign-in (auth/), results (reporting/), exports, invitations and survey dates
(rounds/), "You said, we did" publishing, and data retention (governance/)."""

import os

from flask import g

from app.extensions import login_manager
from app.staff.auth.passwords import PRODUCTION_ARGON2, weaker_than_minimum


def load_user(token):
    from app.staff.auth import sessions

    row, reason = sessions.load(token)
    if row is None:
        g.staff_session_expired = reason
        return None
    user = row.user
    user.current_session = row
    return user


def init_app(app) -> None:
    app.config.setdefault("STAFF_ARGON2", dict(PRODUCTION_ARGON2))
    app.config.setdefault("STAFF_ACTION_LIMIT", os.environ.get("STAFF_ACTION_LIMIT", "1000 per hour"))
    if app.config["PRODUCTION"] and weaker_than_minimum(app.config["STAFF_ARGON2"]):
        raise RuntimeError("STAFF_ARGON2 is below the minimum (19 MiB, 2 passes): refusing to start.")

    # Sessions are checked against the server-side table on every request (sessions.py), so
    # Flask-Login's own cookie protection and its remember-me cookie are not used.
    login_manager.session_protection = None
    login_manager.user_loader(load_user)
    app.config["REMEMBER_COOKIE_DURATION"] = 0

    from app.staff.auth import admin_views, sign_in_views
    from app.staff.blueprint import bp
    from app.staff.exports import export_views
    from app.staff.governance import paper_views, response_views, retention_views
    from app.staff.publishing import publishing_views
    from app.staff.reporting import dashboard_views, results_views
    from app.staff.rounds import email_views, invitation_views, round_views
    from app.staff.staff_commands import responses_cli, staff_cli
    from app.staff.website import content_review_views

    # Importing a views module registers its routes on the staff blueprint.
    del admin_views, sign_in_views, export_views, paper_views, response_views, retention_views, publishing_views
    del dashboard_views, results_views, invitation_views, round_views, email_views, content_review_views
    app.register_blueprint(bp)
    app.cli.add_command(staff_cli)
    app.cli.add_command(responses_cli)
