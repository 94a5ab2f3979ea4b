"""The staff area: sign-in, results, exports, invitations and publishing.

Also the public "You said, we did" pages (blueprint "published" in public.py), which show only
what staff have published.
"""

from flask import g

from app.extensions import login_manager
from app.staff.passwords import PRODUCTION_ARGON2, weaker_than_minimum


def load_user(token):
    from app.staff import sessions

    row, reason = sessions.load(token)
    if row is None:
        g.staff_session_expired = reason
        return None
    user = row.user
    user.current_session = row
    return user


def init_app(app) -> None:
    app.config.setdefault("STAFF_ARGON2", dict(PRODUCTION_ARGON2))
    if app.config["PRODUCTION"] and weaker_than_minimum(app.config["STAFF_ARGON2"]):
        raise RuntimeError("STAFF_ARGON2 is below the minimum (19 MiB, 2 passes): refusing to start.")

    # Sessions are checked against the server-side table on every request (sessions.py), so
    # Flask-Login's own cookie protection and its remember-me cookie are not used.
    login_manager.session_protection = None
    login_manager.user_loader(load_user)
    app.config["REMEMBER_COOKIE_DURATION"] = 0

    from app.staff import public
    from app.staff.blueprint import bp
    from app.staff.cli import responses_cli, staff_cli
    from app.staff.views import (  # noqa: F401  (each module registers its routes)
        account,
        admin,
        content_review,
        dashboard,
        exports,
        invitations,
        publishing,
        responses,
        results,
        retention,
        rounds,
    )

    app.register_blueprint(bp)
    app.register_blueprint(public.bp)
    app.cli.add_command(staff_cli)
    app.cli.add_command(responses_cli)
    app.jinja_env.globals["published_summary_for"] = public.published_summary_for
