"""The data retention page: delete personal data from rounds past their retention period."""

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.staff import lookup
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.staff.governance import retention
from app.surveys import scheduling


@bp.route("/retention")
@requires("admin")
def retention_page() -> ResponseReturnValue:
    today = scheduling.today()
    rows = []
    for survey in lookup.surveys():
        if survey.is_historic:
            continue
        due = retention.due_date(survey, scheduling.closes_on(survey))
        rows.append(
            {
                "survey": survey,
                "due": due,
                "is_due": due is not None and today >= due,
                "pending": retention.not_yet_purged(survey),
            }
        )
    return render_template("staff/retention.html", rows=rows)


@bp.route("/retention/<slug>", methods=["POST"])
@requires("admin")
def purge_survey(slug: str) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    try:
        report = retention.purge_survey(survey, scheduling.today(), scheduling.closes_on(survey), user=current_user)
    except ValueError:
        abort(400)
    flash(
        f"Personal data deleted from {report.responses} responses to “{survey.title}” "
        f"({report.answers} answers). {report.drafts} expired drafts were also deleted.",
        "success",
    )
    return redirect(url_for("staff.retention_page"))
