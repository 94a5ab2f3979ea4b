"""Invitation links for a parish survey: issue, list, revoke, re-issue, mail-merge CSV.

Only a hash of each token is stored (surveys feature), so a new link can be shown or
downloaded once, in the response to the request that made it, and never again.
"""

import csv
import io

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app import clock
from app.extensions import db
from app.staff import lookup
from app.staff.auth import audit
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.staff.forms import AllParishesInvitationForm, CouncillorInvitationForm, ParishInvitationForm
from app.surveys import invitations as invitation_links
from app.surveys.survey_models import Invitation


def _survey(slug):
    survey = lookup.live_survey_or_404(slug)
    if survey.audience != "parish":
        abort(404)  # residents answer anonymously, without invitations
    return survey


def _forms(survey):
    parish_form = ParishInvitationForm(prefix="one")
    parish_form.parish.choices = [SelectChoice("", "Choose a parish")] + [
        SelectChoice(p.name, p.display_name) for p in lookup.parishes()
    ]
    return AllParishesInvitationForm(prefix="all"), parish_form, CouncillorInvitationForm(prefix="councillor")


def _listing(survey):
    rows = db.session.scalars(
        select(Invitation)
        .where(Invitation.survey_slug == survey.slug, Invitation.round == survey.round)
        .order_by(Invitation.respondent_name, Invitation.created_at.desc(), Invitation.id.desc())
    ).all()
    status = invitation_links.status
    return [{"invitation": inv, "status": status(inv)} for inv in rows]


def _issued(survey, issued, output):
    """Show the new links once, or send them as a mail-merge CSV."""
    base = current_app.config["SITE_URL"].rstrip("/")
    link_for = invitation_links.link_for
    rows = [
        {
            "respondent": inv.respondent_name,
            "type": inv.respondent_type,
            "ward": inv.ward or "",
            "link": link_for(token, base),
        }
        for inv, token in issued
    ]
    if output == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(["respondent", "type", "ward", "link"])
        from app.staff.exports.formats import neutralise

        for row in rows:
            writer.writerow([neutralise(row[k]) for k in ("respondent", "type", "ward", "link")])
        response = Response(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
        name = f"{survey.slug}-invitation-links-{clock.now().strftime('%Y%m%d-%H%M')}.csv"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render_template("staff/invitation_links.html", survey=survey, rows=rows)


def _page(survey, all_form, parish_form, councillor_form, status=200, mail=None, form=None):
    from app.staff.rounds.email_views import mail_panel

    return render_template(
        "staff/invitations.html",
        survey=survey,
        rows=_listing(survey),
        all_form=all_form,
        parish_form=parish_form,
        councillor_form=councillor_form,
        form=form,
        **(mail or mail_panel(survey)),
    ), status


@bp.route("/invitations/<slug>", methods=["GET", "POST"])
@requires("admin")
def invitations(slug: str) -> ResponseReturnValue:
    survey = _survey(slug)
    all_form, parish_form, councillor_form = _forms(survey)
    if request.method != "POST":
        return _page(survey, all_form, parish_form, councillor_form)
    api = invitation_links
    action = request.form.get("action")
    issued = []
    if action == "all" and all_form.validate_on_submit():
        active = {
            row["invitation"].respondent_name.casefold(): row
            for row in _listing(survey)
            if row["status"] != "revoked" and row["invitation"].respondent_type == "parish"
        }
        for parish in lookup.parishes():
            existing = active.get(parish.name.casefold())
            if existing is not None and not all_form.replace.data:
                continue
            if existing is not None:
                issued.append(api.reissue(existing["invitation"], created_by_id=current_user.id))
            else:
                issued.append(api.issue(survey, parish.name, "parish", ward=parish.ward, created_by_id=current_user.id))
        output = all_form.output.data
    elif action == "one" and parish_form.validate_on_submit():
        chosen = next((p for p in lookup.parishes() if p.name == parish_form.parish.data), None)
        if chosen is None:
            parish_form.parish.errors.append("Select a parish from the list")
            return _page(survey, all_form, parish_form, councillor_form, 400)
        issued.append(api.issue(survey, chosen.name, "parish", ward=chosen.ward, created_by_id=current_user.id))
        output = parish_form.output.data
    elif action == "councillor" and councillor_form.validate_on_submit():
        issued.append(
            api.issue(
                survey,
                councillor_form.councillor.data.strip(),
                "councillor",
                ward=councillor_form.ward.data.strip(),
                created_by_id=current_user.id,
            )
        )
        output = councillor_form.output.data
    else:
        if action not in ("all", "one", "councillor"):
            abort(400)
        return _page(survey, all_form, parish_form, councillor_form, 400)
    audit.record(
        "invitations issued",
        f"survey {survey.slug}, {len(issued)} link(s): "
        + ", ".join(inv.respondent_name for inv, _ in issued[:20])
        + ("…" if len(issued) > 20 else ""),
        commit=False,
    )
    db.session.commit()
    if not issued:
        flash(
            "Every active parish already has a link. Tick “Also replace links already sent” to make new ones.", "info"
        )
        return redirect(url_for("staff.invitations", slug=slug))
    return _issued(survey, issued, output)


def _invitation(survey, invitation_id) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.survey_slug != survey.slug:
        abort(404)
    return invitation


@bp.route("/invitations/<slug>/<int:invitation_id>/revoke", methods=["POST"])
@requires("admin")
def revoke_invitation(slug: str, invitation_id: int) -> ResponseReturnValue:
    survey = _survey(slug)
    invitation = _invitation(survey, invitation_id)
    if not invitation.is_revoked:
        invitation_links.revoke(invitation)
        audit.record("invitation revoked", f"survey {survey.slug}, {invitation.respondent_name}", commit=False)
        db.session.commit()
    flash(f"The link for {invitation.respondent_name} no longer works.", "success")
    return redirect(url_for("staff.invitations", slug=slug))


@bp.route("/invitations/<slug>/<int:invitation_id>/reissue", methods=["POST"])
@requires("admin")
def reissue_invitation(slug: str, invitation_id: int) -> ResponseReturnValue:
    survey = _survey(slug)
    invitation = _invitation(survey, invitation_id)
    new = invitation_links.reissue(invitation, created_by_id=current_user.id)
    audit.record("invitation reissued", f"survey {survey.slug}, {invitation.respondent_name}", commit=False)
    db.session.commit()
    return _issued(survey, [new], request.form.get("output", "page"))
