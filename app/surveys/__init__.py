"""The surveys feature: registers its blueprint and commands on the app."""

import os


def init_app(app) -> None:
    from app.surveys import library, published, scheduling
    from app.surveys.drafts import draft_limits
    from app.surveys.routing import QuestionPageConverter
    from app.surveys.survey_commands import invites_cli, samples_cli, surveys_cli

    app.url_map.converters["question_page"] = QuestionPageConverter
    from app.surveys.journey_views import bp, keep_no_referrer

    # Per IP, on the final submit only: generous for a household sharing one address.
    app.config.setdefault("SURVEY_SUBMIT_LIMIT", os.environ.get("SURVEY_SUBMIT_LIMIT", "10 per hour"))
    draft_limits.init_app(app)
    if not app.config["PRODUCTION"]:
        # Fix "today" for the survey dates (tests against a real server, demonstrations).
        app.config.setdefault("SURVEY_TODAY", os.environ.get("SURVEY_TODAY") or None)
    library.register(app.extensions["content"])
    app.register_blueprint(bp)
    app.register_blueprint(published.bp)
    app.add_template_global(published.published_summary_for)
    app.add_template_global(scheduling.closes_on, "survey_closes_on")
    # After-request functions run last-registered-first, so put this one at the front of the
    # list to run after the security headers are set (the invitation redirect needs its own
    # Referrer-Policy).
    app.after_request_funcs.setdefault(None, []).insert(0, keep_no_referrer)
    app.cli.add_command(invites_cli)
    app.cli.add_command(surveys_cli)
    app.cli.add_command(samples_cli)
