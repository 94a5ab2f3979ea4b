"""Writing, previewing, publishing and unpublishing a survey's "You said, we did" page.

Publishing is two steps: a preview (the commentary is required) and a confirmation, which
publishes exactly the version previewed, once. While the survey is still open, staff must
also tick that they mean to publish interim results. Each publish or unpublish writes one
audit entry; a repeated confirmation (a double click, a retried request) writes nothing.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.staff import lookup
from app.staff.auth import audit
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.staff.forms import CommentaryForm, ConfirmPublishForm
from app.staff.publishing import snapshot as publishing
from app.surveys.scheduling import status as status_of
from app.surveys.survey_models import PublishedSummary


def _summary(survey) -> PublishedSummary | None:
    return db.session.scalar(select(PublishedSummary).where(PublishedSummary.survey_slug == survey.slug))


def _version(summary: PublishedSummary | None) -> str:
    """Names the draft as previewed: any later save changes it, so an old preview cannot publish."""
    return summary.updated_at.isoformat() if summary is not None and summary.updated_at else ""


def _page(survey, summary, form, confirm=None, preview=None, status: int = 200):
    return render_template(
        "staff/publish.html",
        survey=survey,
        form=form,
        summary=summary,
        preview=preview,
        confirm=confirm,
        still_open=status_of(survey) == "open",
    ), status


@bp.route("/publish/<slug>", methods=["GET", "POST"])
@requires("admin")
def publish(slug: str) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    summary = _summary(survey)
    form = CommentaryForm(data={"commentary": summary.commentary if summary else ""})
    if not form.validate_on_submit():
        return _page(survey, summary, form, status=400 if form.errors else 200)
    if summary is None:
        summary = PublishedSummary(survey_slug=survey.slug, round=survey.round)
        db.session.add(summary)
    summary.commentary = form.commentary.data or ""
    summary.updated_at = clock.now()
    db.session.commit()
    if not form.preview.data:
        flash("Draft saved. Nothing has been published.", "success")
        return redirect(url_for("staff.publish", slug=slug), 303)
    preview = {
        "figures": publishing.snapshot(db.session, survey, clock.now()),
        "commentary_html": publishing.render_commentary(summary.commentary),
    }
    return _page(survey, summary, form, ConfirmPublishForm(data={"version": _version(summary)}), preview)


@bp.route("/publish/<slug>/confirm", methods=["POST"])
@requires("admin")
def confirm_publish(slug: str) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    summary = _summary(survey)
    confirm = ConfirmPublishForm()
    if summary is None or not confirm.validate_on_submit() or confirm.version.data != _version(summary):
        flash("Nothing was published: the page had changed or was already published. Preview it again.", "info")
        return redirect(url_for("staff.publish", slug=slug), 303)
    if not (summary.commentary or "").strip():
        flash("Nothing was published: write what the partnership will do first.", "info")
        return redirect(url_for("staff.publish", slug=slug), 303)
    if status_of(survey) == "open" and not confirm.while_open.data:
        confirm.while_open.errors.append(
            "Tick the box to publish interim results while the survey is open, or wait until it closes"
        )
        preview = {
            "figures": publishing.snapshot(db.session, survey, clock.now()),
            "commentary_html": publishing.render_commentary(summary.commentary),
        }
        form = CommentaryForm(data={"commentary": summary.commentary})
        return _page(survey, summary, form, confirm, preview, status=400)
    now = clock.now()
    figures = publishing.snapshot(db.session, survey, now)
    figures["commentary_html"] = publishing.render_commentary(summary.commentary)
    figures["while_open"] = status_of(survey) == "open"
    summary.snapshot = figures
    summary.round = survey.round
    summary.published = True
    summary.published_at = now
    summary.published_by_id = current_user.id
    summary.updated_at = now  # this preview is used up: the same confirmation cannot publish again
    audit.record(
        "summary published",
        f"survey {survey.slug}, round {survey.round}" + (" (while open)" if figures["while_open"] else ""),
        commit=False,
    )
    db.session.commit()
    flash("The summary is published. The public page now shows these figures and your commentary.", "success")
    return redirect(url_for("staff.publish", slug=slug), 303)


@bp.route("/publish/<slug>/unpublish", methods=["POST"])
@requires("admin")
def unpublish(slug: str) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    summary = _summary(survey)
    if summary is not None and summary.published:
        summary.published = False
        audit.record("summary unpublished", f"survey {survey.slug}, round {survey.round}", commit=False)
        db.session.commit()
    flash("The summary is no longer public.", "success")
    return redirect(url_for("staff.publish", slug=slug), 303)
