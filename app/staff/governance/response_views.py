"""Finding one response by its reference, to show it or erase it on request."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from app.extensions import db
from app.staff.auth import audit
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.staff.forms import FindResponseForm
from app.surveys import library, repository
from app.surveys.questions import answer_format
from app.surveys.questions.definitions import SurveyDefinition
from app.surveys.survey_models import Response

_find = repository.find_response


@bp.route("/responses")
@requires("analyst")
def find_response() -> ResponseReturnValue:
    form = FindResponseForm(request.args)
    error_list = None
    if request.args.get("reference") is not None and form.validate():
        response = _find(form.reference.data)
        if response is not None:
            return redirect(url_for("staff.show_response", reference=response.reference))
        form.reference.errors.append("No response has that reference number: check it and try again")
    return render_template("staff/find_response.html", form=form, error_list=error_list)


def _rows_for_display(response: Response) -> tuple[SurveyDefinition | None, list[dict[str, object]]]:
    """Each answer with its question's wording (from the survey file, falling back to ids)."""
    survey = library.survey(response.survey_slug)
    rows: list[dict[str, object]] = []
    for answer in repository.answers_of(response):
        label, part, value = answer_format.describe(survey, answer.question_id, answer.part, answer.value)
        rows.append({"question": label, "part": part, "value": value, "personal": answer.personal})
    return survey, rows


@bp.route("/responses/<reference>")
@requires("analyst")
def show_response(reference: str) -> ResponseReturnValue:
    response = _find(reference)
    if response is None:
        abort(404)
    survey, rows = _rows_for_display(response)
    if request.method != "HEAD":
        # HEAD shows nothing, so nothing was viewed; it must change nothing either.
        audit.record("response viewed", f"reference {response.reference}")
    return render_template("staff/response.html", response=response, survey=survey, rows=rows)


@bp.route("/responses/<reference>/delete", methods=["GET", "POST"])
@requires("admin")
def delete_response(reference: str) -> ResponseReturnValue:
    response = _find(reference)
    if response is None:
        abort(404)
    if request.method == "POST":
        ref, slug = response.reference, response.survey_slug
        versions = repository.delete_response(response)
        audit.record("response deleted", f"reference {ref}, survey {slug}, {versions} version(s)", commit=False)
        db.session.commit()
        flash(f"Response {ref} has been deleted.", "success")
        return redirect(url_for("staff.find_response"))
    return render_template("staff/delete_response.html", response=response)
