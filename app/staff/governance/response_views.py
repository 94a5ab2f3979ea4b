"""Finding one response by its reference, to show it or erase it on request."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.extensions import db
from app.staff.auth import audit
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.staff.forms import FindResponseForm
from app.surveys import repository
from app.surveys.definitions import get_survey
from app.surveys.models import Answer, Response


def _find(reference: str) -> Response | None:
    return repository.find_by_reference(reference)


@bp.route("/responses")
@requires("analyst")
def find_response():
    form = FindResponseForm(request.args)
    error_list = None
    if request.args.get("reference") is not None:
        if form.validate():
            response = _find(form.reference.data)
            if response is not None:
                return redirect(url_for("staff.show_response", reference=response.reference))
            form.reference.errors.append("No response has that reference number: check it and try again")
    return render_template("staff/find_response.html", form=form, error_list=error_list, staff_active="staff.find_response")


def _rows_for_display(response: Response):
    """Each answer with its question's wording (from the survey file, falling back to ids)."""
    survey = get_survey(current_app.config["CONTENT_DIR"], response.survey_slug)
    answers = db.session.scalars(select(Answer).where(Answer.response_id == response.id).order_by(Answer.id)).all()
    rows = []
    for answer in answers:
        question = survey.question(answer.question_id) if survey else None
        label = question.label if question else answer.question_id
        if answer.part.startswith("issues:"):
            target = survey.question(question.issues_for) if survey and question and question.issues_for else None
            part = target.option_label(answer.part[7:]) if target else answer.part[7:]
        elif question and question.type == "ranked":
            part = f"Choice {answer.part}"
        elif question and question.type == "rating":
            part = question.option_label(answer.part)
        elif answer.part == "other":
            part = "Other (details)"
        else:
            part = answer.part
        value = answer.value
        if question and question.type == "rating":
            value = next((o.label for o in question.scale if o.id == answer.value), answer.value)
        elif question and answer.part != "other" and not answer.part.startswith("issues:"):
            value = question.option_label(answer.value) if question.type in ("single", "multiple", "ranked", "yesno") else answer.value
            if question.type == "yesno":
                value = {"yes": "Yes", "no": "No"}.get(answer.value, answer.value)
        rows.append({"question": label, "part": part, "value": value, "personal": answer.personal})
    return survey, rows


@bp.route("/responses/<reference>")
@requires("analyst")
def show_response(reference):
    response = _find(reference)
    if response is None:
        abort(404)
    survey, rows = _rows_for_display(response)
    audit.record("response viewed", f"reference {response.reference}")
    return render_template("staff/response.html", response=response, survey=survey, rows=rows,
                           staff_active="staff.find_response")


@bp.route("/responses/<reference>/delete", methods=["GET", "POST"])
@requires("admin")
def delete_response(reference):
    response = _find(reference)
    if response is None:
        abort(404)
    if request.method == "POST":
        ref, slug = response.reference, response.survey_slug
        # An amended response keeps its earlier versions as history: a request to erase it
        # covers every version, older and newer.
        chain = _versions(response)
        for r in chain:
            r.supersedes_id = None
        db.session.flush()
        for r in chain:
            db.session.delete(r)
        audit.record("response deleted", f"reference {ref}, survey {slug}, {len(chain)} version(s)", commit=False)
        db.session.commit()
        flash(f"Response {ref} has been deleted.", "success")
        return redirect(url_for("staff.find_response"))
    return render_template("staff/delete_response.html", response=response, staff_active="staff.find_response")


def _versions(response: Response) -> list[Response]:
    found = {response.id: response}
    queue = [response]
    while queue:
        current = queue.pop()
        linked = []
        if current.supersedes_id and current.supersedes_id not in found:
            older = db.session.get(Response, current.supersedes_id)
            if older is not None:
                linked.append(older)
        linked += db.session.scalars(select(Response).where(Response.supersedes_id == current.id)).all()
        for r in linked:
            if r.id not in found:
                found[r.id] = r
                queue.append(r)
    return list(found.values())
