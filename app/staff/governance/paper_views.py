"""Keying in paper returns: one page per form, saved as written, then straight on to the next.

Each form is saved with channel "paper" and the staff member who keyed it in. The public
survey's limits do not apply here; staff are limited per account instead, generously.
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.extensions import limiter
from app.staff import lookup
from app.staff.auth import audit
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.surveys import paper as paper_forms
from app.surveys import repository
from app.surveys.questions.answer_format import NOT_ANSWERED_KEY
from app.surveys.scheduling import today

SITTING = "paper_sitting"  # {slug: forms saved since "Start" was pressed}


def _staff_key() -> str:
    return f"staff-account:{getattr(current_user, 'id', 'anonymous')}"


def staff_action_limit() -> str:
    return current_app.config["STAFF_ACTION_LIMIT"]


@bp.route("/paper/<slug>", methods=["GET", "POST"])
@requires("analyst")
def paper_entry(slug: str) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    if request.method == "POST":
        sitting = dict(session.get(SITTING) or {})
        sitting[survey.slug] = 0
        session[SITTING] = sitting
        audit.record("paper entry started", f"survey {survey.slug}")
        return redirect(url_for("staff.paper_form", slug=survey.slug), 303)
    return render_template("staff/paper.html", survey=survey)


def _render(survey, values: dict, errors: list, saved=None, status: int = 200) -> tuple[str, int]:
    sections, summary = paper_forms.form_sections(survey, values, errors)
    sitting = (session.get(SITTING) or {}).get(survey.slug, 0)
    return render_template(
        "staff/paper_form.html",
        survey=survey,
        sections=sections,
        error_list=summary,
        submission_key=repository.new_submission_key(),
        saved=saved,
        sitting=sitting,
    ), status


@bp.route("/paper/<slug>/form", methods=["GET", "POST"])
@requires("analyst")
@limiter.limit(staff_action_limit, key_func=_staff_key, methods=["POST"], scope="staff-actions")
def paper_form(slug: str) -> ResponseReturnValue:
    survey = lookup.live_survey_or_404(slug)
    if not survey.pages:
        abort(404)
    if request.method == "GET":
        saved = None
        reference = request.args.get("saved")
        if reference:
            response = repository.get_response_by_reference(reference)
            if response is not None and response.survey_slug == survey.slug and response.channel == "paper":
                saved = response
        return _render(survey, {}, [], saved)
    form = request.form.to_dict(flat=False)
    key = request.form.get("submission_key", "")
    if not repository.SUBMISSION_KEY_PATTERN.match(key):
        abort(400)
    checked = paper_forms.check_paper_form(survey, form, paper_forms.parish_choices(survey), today())
    if not checked.ok:
        return _render(survey, form, checked.errors, status=400)
    response, created = repository.save_response(
        survey, checked.answers, key, paper_forms.respondent_for(survey, checked.answers, current_user.id)
    )
    if created:
        sitting = dict(session.get(SITTING) or {})
        sitting[survey.slug] = sitting.get(survey.slug, 0) + 1
        session[SITTING] = sitting
        audit.record("paper response entered", f"reference {response.reference}, survey {survey.slug}")
    return redirect(url_for("staff.paper_form", slug=survey.slug, saved=response.reference) + "#saved", 303)


def blank_questions(survey, answers: dict) -> list[str]:
    """The question wording of everything recorded as not answered on the form."""
    labels = []
    for where in answers.get(NOT_ANSWERED_KEY) or []:
        qid, _, part = str(where).partition("/")
        q = survey.question(qid)
        if q is None:
            continue
        labels.append(f"{q.label} – {q.option_label(part)}" if part else q.label)
    return labels


bp.add_app_template_global(blank_questions, "paper_blank_questions")
