"""The staff home page (rounds and surveys), a round's overview and the comparison of rounds."""

from flask import render_template
from flask.typing import ResponseReturnValue

from app.content.notices import REVIEW_DUE, TO_CONFIRM
from app.extensions import db
from app.mail.chase import labels as email_labels
from app.staff import lookup
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.staff.reporting import charts, parish_chase, response_counts, scoping
from app.staff.reporting.comparison import compare_rounds
from app.staff.website import content_review
from app.surveys import scheduling
from app.surveys.invitations import status as invitation_status


@bp.route("/")
@requires("analyst")
def dashboard() -> ResponseReturnValue:
    rounds = []
    for rnd in lookup.rounds():
        entries = []
        for survey in rnd.surveys:
            count = (
                None
                if survey.is_historic
                else response_counts.count_responses(db.session, scoping.Scope(survey.slug, survey.round))
            )
            entries.append(
                {
                    "survey": survey,
                    "status": scheduling.status(survey),
                    "closes": scheduling.closes_on(survey),
                    "count": count,
                    "overridden": scheduling.is_overridden(survey),
                }
            )
        rounds.append({"round": rnd, "entries": entries})
    notices = content_review.notices()
    return render_template(
        "staff/dashboard.html",
        rounds=rounds,
        to_confirm=[n for n in notices if n.kind == TO_CONFIRM],
        reviews_due=[n for n in notices if n.kind == REVIEW_DUE],
    )


@bp.route("/rounds/<round_key>")
@requires("analyst")
def round_overview(round_key: str) -> ResponseReturnValue:
    rnd = lookup.round_or_404(round_key)
    live = [s for s in rnd.surveys if not s.is_historic]
    counts = [(s, response_counts.survey_count(db.session, scoping.Scope(s.slug, s.round))) for s in live]
    weeks = response_counts.responses_by_week(db.session, [scoping.Scope(s.slug, s.round) for s in live])
    week_chart = charts.bar_chart(
        "weeks",
        "Responses per week",
        [(f"Week starting {w.week_starting.strftime('%-d %B %Y')}", w.count, str(w.count)) for w in weeks],
    )
    chase = []
    for survey in live:
        if survey.audience == "parish":
            parishes = lookup.parishes()
            rows = parish_chase.chase_list(db.session, survey.slug, survey.round, parishes, invitation_status)
            chase.append(
                (
                    survey,
                    rows,
                    email_labels(survey, rows),
                    parish_chase.unlisted_answers(db.session, survey.slug, survey.round, parishes),
                )
            )
    historic = [s for s in rnd.surveys if s.is_historic]
    return render_template(
        "staff/round.html", rnd=rnd, counts=counts, weeks=weeks, week_chart=week_chart, chase=chase, historic=historic
    )


@bp.route("/compare/<audience>")
@requires("analyst")
def compare(audience: str) -> ResponseReturnValue:
    comparison = compare_rounds(db.session, lookup.surveys(), audience)
    return render_template("staff/compare.html", comparison=comparison, audience=audience)
