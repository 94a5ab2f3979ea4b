"""Email from the invitations page: invitations, reminders, retries and the record of sends.

Every action has a confirm step that says who will be written to. Confirmed messages go into
the outbox and are sent for at most a few seconds inside the request; anything left waits
for `flask mail send-queued` (cron) or the "Send waiting messages now" button.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms.fields.choices import SelectChoice

from app.extensions import db
from app.mail import outbox, planning
from app.mail.mail_models import MailMessage
from app.staff import lookup
from app.staff.auth import audit
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.staff.rounds.email_forms import EmailAllParishesForm, EmailCouncillorForm, EmailParishForm, RemindForm
from app.surveys.questions.definitions import SurveyDefinition

PageResult = tuple[str, int] | WerkzeugResponse


def mail_forms() -> dict[str, FlaskForm]:
    one = EmailParishForm(prefix="email-one")
    one.parish.choices = [SelectChoice("", "Choose a parish")] + [
        SelectChoice(p.name, p.display_name + ("" if p.email else " (no email address)")) for p in lookup.parishes()
    ]
    return {
        "email_all_form": EmailAllParishesForm(prefix="email-all"),
        "email_one_form": one,
        "email_councillor_form": EmailCouncillorForm(prefix="email-councillor"),
        "remind_form": RemindForm(prefix="remind"),
    }


def mail_panel(survey: SurveyDefinition, forms: dict[str, FlaskForm] | None = None) -> dict[str, Any]:
    """What the invitations page shows about email: the forms and the record of sends."""
    messages = outbox.for_survey(survey.slug, survey.round)
    return {
        **(forms or mail_forms()),
        "mail_messages": messages,
        "mail_failed": outbox.is_failed,
        "mail_waiting": outbox.waiting_count(survey.slug),
        "mail_ready": outbox.can_send(),
    }


def _invitations_page(survey: SurveyDefinition, forms: dict[str, FlaskForm], failing: FlaskForm) -> PageResult:
    from app.staff.rounds.invitation_views import _forms, _page

    all_form, parish_form, councillor_form = _forms(survey)
    return _page(survey, all_form, parish_form, councillor_form, 400, mail=mail_panel(survey, forms), form=failing)


def _survey(slug: str) -> SurveyDefinition:
    from app.staff.rounds.invitation_views import _survey as invitation_survey

    return invitation_survey(slug)


def _confirm(survey: SurveyDefinition, action: str, form: FlaskForm, plan: planning.Plan, template: str) -> PageResult:
    hidden = []
    for field in form:
        if field.short_name in ("csrf_token", "submit", "confirmed"):
            continue
        if field.type == "BooleanField":
            if field.data:
                hidden.append((field.name, "y"))
        else:
            hidden.append((field.name, field.data or ""))
    return render_template(
        "staff/mail_confirm.html",
        survey=survey,
        action=action,
        form=None,
        plan=plan,
        hidden=hidden,
        confirmed_name=form.confirmed.name,
        csrf_name=form.csrf_token.name,
        template=template,
        mail_ready=outbox.can_send(),
    ), 200


def _send(
    survey: SurveyDefinition, template: str, plan: planning.Plan, audit_action: str, insisted: bool = False
) -> WerkzeugResponse:
    ids = planning.queue(survey, template, plan.send, current_user.id, current_user.email, insisted=insisted)
    names = [r.name for r in plan.send]
    audit.record(
        audit_action,
        f"survey {survey.slug}, {len(names)} message(s)"
        + (" (insisted within 3 days)" if insisted else "")
        + ": "
        + ", ".join(names[:20])
        + ("…" if len(names) > 20 else ""),
    )
    result = outbox.process(ids, budget=outbox.WEB_BUDGET_SECONDS)
    flash(
        f"Emails: {result.sentence()}"
        + (" Failed messages are listed below, with a retry button." if result.failed else ""),
        "success" if not result.failed else "info",
    )
    return redirect(url_for("staff.invitations", slug=survey.slug) + "#emails")


@bp.route("/invitations/<slug>/email", methods=["POST"])
@requires("admin")
def email_invitations(slug: str) -> PageResult:
    survey = _survey(slug)
    forms = mail_forms()
    action = request.form.get("action")
    if action == "all":
        form: FlaskForm = forms["email_all_form"]
        if not form.validate_on_submit():
            return _invitations_page(survey, forms, form)
        plan = planning.plan_invitations(survey, lookup.parishes(), replace=bool(form.replace.data))
    elif action == "one":
        form = forms["email_one_form"]
        if not form.validate_on_submit():
            return _invitations_page(survey, forms, form)
        parish = next((p for p in lookup.parishes() if p.name == form.parish.data), None)
        if parish is None:
            form.parish.errors = [*form.parish.errors, "Select a parish from the list"]
            return _invitations_page(survey, forms, form)
        plan = planning.plan_invitations(survey, [parish], replace=True)
    elif action == "councillor":
        form = forms["email_councillor_form"]
        if not form.validate_on_submit():
            return _invitations_page(survey, forms, form)
        plan = planning.Plan(
            send=[planning.councillor_recipient(survey, form.councillor.data, form.ward.data, form.email.data)]
        )
    else:
        abort(400)
    if form.confirmed.data != "yes" or not plan.send:
        return _confirm(survey, action, form, plan, "invitation")
    return _send(survey, "invitation", plan, "invitations emailed")


@bp.route("/invitations/<slug>/remind", methods=["POST"])
@requires("admin")
def remind(slug: str) -> PageResult:
    survey = _survey(slug)
    forms = mail_forms()
    form = forms["remind_form"]
    if not form.validate_on_submit():
        return _invitations_page(survey, forms, form)
    insist = bool(form.insist.data)
    plan = planning.plan_reminders(survey, lookup.parishes(), insist=insist)
    if form.confirmed.data != "yes" or not plan.send:
        return _confirm(survey, "remind", form, plan, "reminder")
    return _send(survey, "reminder", plan, "reminders emailed", insisted=insist)


@bp.route("/invitations/<slug>/emails/<int:message_id>/retry", methods=["POST"])
@requires("admin")
def retry_email(slug: str, message_id: int) -> WerkzeugResponse:
    survey = _survey(slug)
    message = db.session.get(MailMessage, message_id)
    if message is None or message.survey_slug != survey.slug or message.template == "resume":
        abort(404)
    if outbox.retry(message):
        audit.record("email retried", f"survey {survey.slug}, {message.template} to {message.respondent_name}")
        result = outbox.process([message_id], budget=outbox.WEB_BUDGET_SECONDS)
        flash(f"Retry: {result.sentence()}", "success" if result.sent else "info")
    return redirect(url_for("staff.invitations", slug=slug) + "#emails")


@bp.route("/invitations/<slug>/emails/send-waiting", methods=["POST"])
@requires("admin")
def send_waiting(slug: str) -> WerkzeugResponse:
    survey = _survey(slug)
    ids = [m.id for m in outbox.for_survey(survey.slug, survey.round) if m.status == "queued"]
    result = outbox.process(ids, budget=outbox.WEB_BUDGET_SECONDS)
    flash(f"Emails: {result.sentence()}", "success" if not result.failed else "info")
    return redirect(url_for("staff.invitations", slug=slug) + "#emails")
