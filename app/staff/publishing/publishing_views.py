"""Writing, previewing, publishing and unpublishing a survey's "You said, we did" page."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.staff.auth import audit
from app.staff import lookup
from app import clock
from app.staff.publishing import snapshot as publishing
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.staff.forms import CommentaryForm
from app.surveys.models import PublishedSummary


def _summary(survey) -> PublishedSummary | None:
    return db.session.scalar(select(PublishedSummary).where(PublishedSummary.survey_slug == survey.slug))


@bp.route("/publish/<slug>", methods=["GET", "POST"])
@requires("admin")
def publish(slug):
    survey = lookup.live_survey_or_404(slug)
    summary = _summary(survey)
    form = CommentaryForm(data={"commentary": summary.commentary if summary else ""})
    preview = None
    if form.validate_on_submit():
        if summary is None:
            summary = PublishedSummary(survey_slug=survey.slug, round=survey.round)
            db.session.add(summary)
        summary.commentary = form.commentary.data or ""
        if form.publish.data:
            now = clock.now()
            figures = publishing.snapshot(db.session, survey, now)
            figures["commentary_html"] = publishing.render_commentary(summary.commentary)
            summary.snapshot = figures
            summary.round = survey.round
            summary.published = True
            summary.published_at = now
            summary.published_by_id = current_user.id
            audit.record("summary published", f"survey {survey.slug}, round {survey.round}", commit=False)
            db.session.commit()
            flash("The summary is published. The public page now shows these figures and your commentary.", "success")
            return redirect(url_for("staff.publish", slug=slug))
        db.session.commit()
        if form.preview.data:
            figures = publishing.snapshot(db.session, survey, clock.now())
            preview = {"figures": figures, "commentary_html": publishing.render_commentary(summary.commentary)}
        else:
            flash("Draft saved. Nothing has been published.", "success")
            return redirect(url_for("staff.publish", slug=slug))
    return render_template("staff/publish.html", survey=survey, form=form, summary=summary, preview=preview,
                           staff_active="staff.dashboard")


@bp.route("/publish/<slug>/unpublish", methods=["POST"])
@requires("admin")
def unpublish(slug):
    survey = lookup.live_survey_or_404(slug)
    summary = _summary(survey)
    if summary is not None and summary.published:
        summary.published = False
        audit.record("summary unpublished", f"survey {survey.slug}, round {survey.round}", commit=False)
        db.session.commit()
    flash("The summary is no longer public.", "success")
    return redirect(url_for("staff.publish", slug=slug))
