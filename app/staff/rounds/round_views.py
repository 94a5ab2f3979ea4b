"""Closing a survey early or extending it: staff's closing date replaces the survey file's (surveys.scheduling)."""

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.extensions import db
from app.staff import lookup
from app.staff.auth import audit
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.surveys import repository, scheduling
from app.surveys.questions.definitions import SurveyDefinition


def _parse_date(prefix: str) -> tuple[date | None, str | None]:
    parts = [request.form.get(f"{prefix}-{p}", "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return None, "Enter the new closing date"
    if not all(p.isdigit() for p in parts):
        return None, "The closing date must include a day, month and year in numbers, like 31 1 2027"
    day, month, year = (int(p) for p in parts)
    if year < 1000:
        return None, "Year must include 4 numbers"
    try:
        return date(year, month, day), None
    except ValueError:
        return None, "The closing date must be a real date"


@bp.route("/surveys/<slug>/dates", methods=["GET", "POST"])
@requires("admin")
def survey_dates(slug: str) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    today = scheduling.today()
    error = None
    values = {}
    if request.method == "POST":
        action = request.form.get("action")
        if action == "close":
            new = today - timedelta(days=1)  # `closes` is the last day it is open: closed from today
            override = new
            message = "The survey is now closed."
        elif action == "clear":
            override = None
            new = survey.closes
            message = "The survey uses the closing date in its survey file again."
        elif action == "set":
            new, error = _parse_date("closes")
            values = {k: request.form.get(f"closes-{k}", "") for k in ("day", "month", "year")}
            if new is not None and survey.opens and new < survey.opens:
                error = f"The closing date must be on or after the opening date, {survey.opens.strftime('%-d %B %Y')}"
            if error:
                return _page(
                    survey, error=error, values=values, error_list=[{"text": error, "href": "#closes-day"}]
                ), 400
            override = new
            message = f"The survey now closes at the end of {new.strftime('%-d %B %Y')}."
        else:
            return redirect(url_for("staff.survey_dates", slug=slug))
        scheduling.set_closes(survey.slug, override, current_user.id)
        audit.record(
            "round dates changed",
            f"survey {survey.slug}: {action}, closes {new.isoformat() if new else 'as in file'}",
            commit=False,
        )
        db.session.commit()
        flash(message, "success")
        return redirect(url_for("staff.survey_dates", slug=slug))
    return _page(survey, error=error, values=values)


def _page(survey: SurveyDefinition, **context: object) -> str:
    return render_template(
        "staff/survey_dates.html",
        survey=survey,
        closes=scheduling.closes_on(survey),
        status=scheduling.status(survey),
        setting=repository.closes_setting(survey.slug),
        **context,
    )
