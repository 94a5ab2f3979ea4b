"""Public survey pages: the consultations list, start page, question pages, check answers,
submit, confirmation, the printable paper version, and invitation links.

Every page here varies per visitor (forms, drafts), so none is cached and all send
`Cache-Control: no-store`: answers may be private on a shared computer.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError

from app.errors import database_error
from app.extensions import db, limiter
from app.surveys import invitations, library, repository
from app.surveys.drafts import draft_limits, draft_rules, keeping
from app.surveys.drafts.resume_mailer import RESUME_LINK_MAILER, ResumeLinkMailer
from app.surveys.journey import (
    Journey,
    forget_submission,
    journey_for,
    mark_answers_shown,
    remember_invitation,
    remember_submission,
    submitted,
)
from app.surveys.questions import definitions
from app.surveys.questions.definitions import OTHER_ID
from app.surveys.questions.fields import components, error_maps
from app.surveys.questions.validation import EMAIL, FieldError, form_values, page_keys, summary_rows, validate_page
from app.surveys.questions.wording import addressed
from app.surveys.scheduling import status as status_of
from app.surveys.scheduling import today

log = logging.getLogger(__name__)
bp = Blueprint("surveys", __name__)

SUBMISSION_KEY = repository.SUBMISSION_KEY_PATTERN
HONEYPOT_FIELD = "website"
SUBMIT_FIELD_LIMIT = 1000  # the submit form holds only a token, a key and the empty honeypot
DRAFT_BUSY_MESSAGE = (
    "You have saved answers many times in a short time, so we did not save this page. "
    "Wait a few minutes, then select the button again. Your answers are below."
)
DRAFTS_FULL_MESSAGE = (
    "We could not save your answers just now because the site is very busy. "
    "Wait a few minutes, then select the button again. Your answers are below."
)
DRAFT_TOO_LARGE_MESSAGE = "Your answers are too long to save. Make them shorter, then select the button again."
SAVE_LATER = "later"  # the value of the "Save and come back later" button
SESSION_RESUME_LINK = "survey_resume_link"  # {slug: token}, shown once on the "saved" page
RESUME_EMAIL_LIMIT = "5 per hour"  # a resident needs one or two; more is someone using us to send mail
CSRF_MESSAGE = (
    "This page was open for a long time, so for your security we could not save it yet. "
    "Your answers are below: check them and select the button again."
)


def _survey_or_404(slug: str) -> definitions.SurveyDefinition:
    survey = library.survey(slug)
    if survey is None:
        abort(404)
    return survey


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


bp.add_app_template_filter(addressed, "addressed")


@bp.app_template_filter("survey_datetime")
def survey_datetime(value: datetime | None) -> str:
    """A stored (naive UTC) time as UK clock time: "1 December 2026 at 5:20pm"."""
    if not value:
        return ""
    local = value.replace(tzinfo=UTC).astimezone(keeping.LOCAL_ZONE)
    hour = local.hour % 12 or 12
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def submit_limit() -> str:
    return current_app.config["SURVEY_SUBMIT_LIMIT"]


# --- refusing politely ---------------------------------------------------------------------


def _refusal(journey: Journey):
    """A page explaining why this visitor cannot answer now, or None if they can."""
    survey = journey.survey
    if journey.invitation_problem:
        return _invitation_problem(journey.invitation_problem, survey)
    status = status_of(survey)
    if status != "open":
        return render_template("surveys/not_open.html", survey=survey, status=status), (
            410 if status == "closed" else 403
        )
    if survey.audience == "parish" and journey.invitation is None and not survey.allow_without_invitation:
        return render_template("surveys/need_invitation.html", survey=survey), 403
    return None


def _invitation_problem(problem: str, survey=None, code: int | None = None):
    codes = {"invalid": 404, "wrong-round": 404, "revoked": 410, "closed": 410, "upcoming": 403}
    return render_template("surveys/invitation_problem.html", problem=problem, survey=survey), code or codes[problem]


@bp.errorhandler(SQLAlchemyError)
def _database_error(error):
    """The database failed (locked, unreachable): nothing half-written, nothing lost."""
    slug = (request.view_args or {}).get("slug")
    back = url_for("surveys.check_answers", slug=slug) if slug and request.endpoint == "surveys.submit" else None
    return database_error(
        error,
        title="Sorry, we could not save your answers just now",
        back_url=back,
        back_text="Go back to check your answers",
    )


@bp.errorhandler(CSRFError)
def _csrf_error(error):
    """An expired or missing token must not lose a slow respondent's answers: show the page
    again with what they sent and a fresh token. Nothing is saved until they send it again."""
    log.warning("CSRF failure on %s %s: %s", request.method, request.path, error.description)
    try:
        return _csrf_page()
    except SQLAlchemyError as failure:
        # An error handler's own exception would not reach the database handler: answer here.
        return _database_error(failure)


def _csrf_page():
    args = request.view_args or {}
    survey = library.survey(args.get("slug", "")) if args.get("slug") else None
    journey = journey_for(survey) if survey is not None else None
    refused = _refusal(journey) if journey is not None else None
    if refused:
        return refused
    if survey is not None and request.endpoint == "surveys.page":
        page = survey.page(args.get("page_id", ""))
        if page is not None and page in journey.pages:
            values = request.form.to_dict(flat=False)
            return _render_page(journey, page, values, [], request.args.get("change") == "1", notice=CSRF_MESSAGE), 400
    if survey is not None and request.endpoint == "surveys.submit" and journey.first_incomplete() is None:
        return _render_check_answers(journey, notice=CSRF_MESSAGE), 400
    from app.errors import render_error

    return render_error(
        400, "The form had expired or was not sent from this site. Go back, reload the page and try again."
    )


# --- consultations list and start page -----------------------------------------------------


@bp.route("/consultations")
def consultations():
    surveys = library.surveys()
    groups = {"open": [], "upcoming": [], "closed": []}
    for survey in surveys:
        groups[status_of(survey)].append(survey)
    return render_template("surveys/list.html", groups=groups, nav_active="/consultations")


@bp.route("/consultations/<slug>")
def start(slug):
    survey = _survey_or_404(slug)
    journey = journey_for(survey)
    status = status_of(survey)
    current = None
    if journey.invitation is not None:
        current = repository.current_response_for_invitation(journey.invitation.id)
    has_draft = journey.stored_draft() is not None
    return render_template(
        "surveys/start.html",
        survey=survey,
        journey=journey,
        status=status,
        current=current,
        has_draft=has_draft,
        sent=None if has_draft else submitted(slug),
        first_page=journey.pages[0] if journey.pages else None,
        intro_html=_intro_html(survey),
        historic=_historic_view(survey),
        nav_active="/consultations",
        breadcrumbs=[
            {"text": "Home", "href": "/"},
            {"text": "Have your say", "href": url_for("surveys.consultations")},
        ],
    )


def _historic_view(survey) -> dict | None:
    """`historic_results` with labels for the option ids, for the start page of a past round."""
    h = survey.historic_results
    if not h:
        return None

    def label(option_id: str) -> str:
        for q in survey.questions:
            found = q.option(option_id) or next((i for i in q.items if i.id == option_id), None)
            if found:
                return found.label
        return option_id.replace("-", " ").capitalize()

    return {
        **h,
        "ranked": [{**row, "label": label(row["option"])} for row in h.get("ranked") or []],
        "concerns": [{**row, "label": label(row["option"])} for row in h.get("concerns") or []],
        "issues": [{"label": label(k), "items": v} for k, v in (h.get("issues") or {}).items()],
    }


_intro_cache: dict[str, str] = {}


def _intro_html(survey) -> str:
    """The start page introduction, rendered and sanitised by the content engine once."""
    if survey.definition_hash not in _intro_cache:
        from app.content.markdown.render import render_markdown

        _intro_cache[survey.definition_hash] = render_markdown(survey.intro).html
    return _intro_cache[survey.definition_hash]


# --- question pages ------------------------------------------------------------------------


def _page_url(survey, page, change: bool = False) -> str:
    return url_for("surveys.page", slug=survey.slug, page_id=page.id, **({"change": "1"} if change else {}))


def _render_page(
    journey: Journey, page, values: dict, errors: list[FieldError], change: bool, notice: str | None = None
):
    survey = journey.survey
    if journey.is_councillor:
        errors = [FieldError(e.field, addressed(e.message, councillor=True), e.key) for e in errors]
    beside, summary = error_maps(errors)
    answers = journey.answers
    questions = [
        {
            "question": q,
            "components": components(
                q, values, beside, answers, journey.parishes, survey, councillor=journey.is_councillor
            ),
        }
        for q in page.questions
        if q.id not in journey.skip
    ]
    pages = journey.pages
    index = pages.index(page)
    back = (
        url_for("surveys.check_answers", slug=survey.slug)
        if change
        else _page_url(survey, pages[index - 1])
        if index > 0
        else url_for("surveys.start", slug=survey.slug)
    )
    return render_template(
        "surveys/page.html",
        survey=survey,
        journey=journey,
        page=page,
        questions=questions,
        number=index + 1,
        total=len(pages),
        error_list=summary,
        change=change,
        back=back,
        notice=notice,
        action=_page_url(survey, page, change),
        kept_until=journey.kept_until,
        save_later=SAVE_LATER,
    )


def _prune_issues(survey, answers: dict) -> None:
    """Drop the issues written for a priority that is no longer chosen."""
    for q in survey.questions:
        if q.issues_for and isinstance(answers.get(q.id), dict):
            chosen = answers.get(q.issues_for) or []
            answers[q.id] = {k: v for k, v in answers[q.id].items() if k in chosen}
            if not answers[q.id]:
                answers.pop(q.id)


def _save_or_explain(journey: Journey, page, form: dict, errors: list[FieldError], change: bool):
    """Save the draft; if a limit stops it, the page again with what was sent and why (else None)."""
    try:
        journey.save()
    except draft_rules.DraftTooLarge:
        db.session.rollback()
        return _render_page(journey, page, form, errors, change, notice=DRAFT_TOO_LARGE_MESSAGE), 413
    except draft_rules.DraftsFull:
        db.session.rollback()
        log.warning("Drafts are at their total size limit: a draft was not saved")
        return _render_page(journey, page, form, errors, change, notice=DRAFTS_FULL_MESSAGE), 503
    return None


@bp.route("/consultations/<slug>/<question_page:page_id>", methods=["GET", "POST"])
def page(slug, page_id):
    survey = _survey_or_404(slug)
    journey = journey_for(survey)
    refused = _refusal(journey)
    if refused:
        return refused
    page = survey.page(page_id)
    if page is None or page not in journey.pages:
        abort(404)
    change = request.args.get("change") == "1"
    pages = journey.pages
    if request.method != "POST":
        already = _already_sent_page(journey)
        if already:
            return already
        first = journey.first_incomplete()
        if first is not None and pages.index(first) < pages.index(page):
            return redirect(_page_url(survey, first, change))
        values = journey.data["raw"].get(page.id) or form_values(page, journey.answers)
        return _render_page(journey, page, values, [], change)

    form = request.form.to_dict(flat=False)
    later = form.pop("action", [""])[0] == SAVE_LATER
    result = validate_page(survey, page, form, journey.answers, journey.parishes, today(), journey.skip)
    data = journey.data
    if not draft_limits.allow_write(journey.ensure_draft_key(), creating=not journey.has_draft):
        return _render_page(journey, page, form, result.errors, change, notice=DRAFT_BUSY_MESSAGE), 429
    if not result.ok:
        # Keep what was typed in the page's own fields, so a refresh or coming back later loses nothing.
        data["raw"][page.id] = draft_rules.raw_for_page(survey, page, form)
        refused = _save_or_explain(journey, page, form, result.errors, change)
        if refused:
            return refused
        if later:
            # Half-answered is fine when leaving: the checks run again on the way back.
            return _saved_for_later(journey, journey.stored_draft())
        return _render_page(journey, page, form, result.errors, change), 400
    answers = data["answers"]
    for key in page_keys(page):
        if key.split(":")[0] not in journey.skip:
            answers.pop(key, None)
    answers.update(result.values)
    _prune_issues(survey, answers)
    data["raw"].pop(page.id, None)
    refused = _save_or_explain(journey, page, form, [], change)
    if refused:
        return refused
    if later:
        return _saved_for_later(journey, journey.stored_draft())
    first = journey.first_incomplete()
    if change:
        return redirect(
            _page_url(survey, first, change=True) if first else url_for("surveys.check_answers", slug=slug), 303
        )
    index = pages.index(page)
    if index + 1 < len(pages):
        return redirect(_page_url(survey, pages[index + 1]), 303)
    return redirect(url_for("surveys.check_answers", slug=slug), 303)


# --- check answers, submit, confirmation ---------------------------------------------------


def _answer_sections(survey, answers: dict, parishes, pages, skip=frozenset(), change_links: bool = True) -> list[dict]:
    sections = []
    for page in pages:
        rows = []
        for row in summary_rows(survey, page, answers, parishes):
            q = row["question"]
            if q.id in skip:
                continue
            rows.append({**row, "change": _page_url(survey, page, change=True) + f"#{q.id}" if change_links else None})
        sections.append({"page": page, "rows": rows})
    return sections


def _render_check_answers(journey: Journey, notice: str | None = None):
    survey = journey.survey
    data = journey.data
    if not data.get("submission_key"):
        data["submission_key"] = repository.new_submission_key()
        # HEAD (monitors, link checkers) must change nothing: the key is kept on a real visit.
        if request.method != "HEAD":
            journey.save()
    return render_template(
        "surveys/check_answers.html",
        survey=survey,
        journey=journey,
        sections=_answer_sections(survey, journey.answers, journey.parishes, journey.pages, journey.skip),
        submission_key=data["submission_key"],
        honeypot=HONEYPOT_FIELD,
        notice=notice,
        back=_page_url(survey, journey.pages[-1]),
    )


@bp.route("/consultations/<slug>/check-answers")
def check_answers(slug):
    survey = _survey_or_404(slug)
    journey = journey_for(survey)
    refused = _refusal(journey)
    if refused:
        return refused
    already = _already_sent_page(journey)
    if already:
        return already
    first = journey.first_incomplete()
    if first is not None:
        return redirect(_page_url(survey, first))
    return _render_check_answers(journey)


def _already_submitted(slug: str, key: str):
    """The confirmation redirect if a response with this submission key is stored, else None."""
    if not SUBMISSION_KEY.match(key):
        return None
    existing = repository.get_response_by_submission_key(key)
    if existing is None or existing.survey_slug != slug:
        return None
    remember_submission(slug, existing.reference)
    return redirect(url_for("surveys.confirmation", slug=slug), 303)


def _signed_in_staff() -> bool:
    """Staff are never held to the public per-address limit (they share the office's address)."""
    from flask_login import current_user  # looked up here so the staff feature's user loader runs

    return bool(current_user and current_user.is_authenticated)


@bp.route("/consultations/<slug>/submit", methods=["POST"])
@limiter.limit(submit_limit, methods=["POST"], exempt_when=_signed_in_staff)
def submit(slug):
    survey = _survey_or_404(slug)
    journey = journey_for(survey)
    key = request.form.get("submission_key", "")
    # A double-click or a retried request: the first one's answer stands.
    already = _already_submitted(slug, key)
    if already:
        return already
    refused = _refusal(journey)
    if refused:
        return refused
    if any(len(value) > SUBMIT_FIELD_LIMIT for value in request.form.values()):
        # Nothing a person types is on this form: a huge value is junk, refused outright.
        from app.errors import render_error

        return render_error(
            400, "What you sent could not be accepted. Go back to check your answers and send them again."
        )
    if request.form.get(HONEYPOT_FIELD):
        # Almost certainly a bot: store nothing, but answer exactly as for a person so it
        # learns nothing. The reference looks real and is never stored.
        log.info("Honeypot filled on %s: response dropped", request.path)
        remember_submission(slug, repository.new_reference(), stored=False)
        return redirect(url_for("surveys.confirmation", slug=slug), 303)
    data = journey.data
    if not journey.draft_key or not data["answers"]:
        # An identical request may have committed, and removed the draft, since the check above.
        return _already_submitted(slug, key) or redirect(url_for("surveys.start", slug=slug))
    first = journey.first_incomplete()
    if first is not None:
        return redirect(_page_url(survey, first))
    if key != data.get("submission_key"):
        # The form is from an older check-answers page: show the answers as they are now.
        return redirect(url_for("surveys.check_answers", slug=slug))
    answers = journey.full_answers()
    fp = repository.fingerprint(current_app.config["SECRET_KEY"], request.remote_addr or "", slug, answers)
    response, _created = repository.save_response(
        survey, answers, key, journey.respondent(answers), draft_key=journey.draft_key, duplicate_fingerprint=fp
    )
    remember_submission(slug, response.reference)
    return redirect(url_for("surveys.confirmation", slug=slug), 303)


@bp.route("/consultations/<slug>/confirmation")
def confirmation(slug):
    survey = _survey_or_404(slug)
    done = submitted(slug)
    if not done:
        return redirect(url_for("surveys.start", slug=slug))
    response = repository.get_response_by_reference(done["reference"]) if done.get("stored") else None
    sections = []
    # The answers are shown once, straight after sending: on a shared computer the next person
    # to open this page must see no more than the reference.
    answers_shown_before = bool(done.get("answers_shown"))
    if not answers_shown_before:
        mark_answers_shown(slug)
    if response is not None and not answers_shown_before:
        # Shown with the exact questions this response answered, even if the file changed since.
        answered = definitions.survey_from_stored(response.version.definition) or survey
        journey = journey_for(answered)
        # A council's link named the council, so that question was never asked.
        skip = (
            frozenset(q.id for q in answered.questions if q.type == "parish")
            if response.invitation_id and answered.audience == "parish"
            else frozenset()
        )
        sections = _answer_sections(
            answered, response.answers or {}, journey.parishes, answered.pages, skip=skip, change_links=False
        )
    return render_template(
        "surveys/confirmation.html",
        survey=survey,
        reference=done["reference"],
        response=response,
        sections=sections,
        answers_shown_before=answers_shown_before,
        sent_at=response.submitted_at if response is not None else None,
    )


# --- coming back later ---------------------------------------------------------------------


def _link_base() -> str:
    return current_app.config["SITE_URL"].rstrip("/")


def _saved_for_later(journey: Journey, draft) -> object:
    """Give a resident a new link back to this draft (shown once); a council goes back by its own link."""
    slug = journey.survey.slug
    if journey.invitation is None:
        held = dict(session.get(SESSION_RESUME_LINK) or {})
        held[slug] = repository.issue_resume_token(draft)
        session[SESSION_RESUME_LINK] = held
    return redirect(url_for("surveys.saved", slug=slug), 303)


@bp.route("/consultations/<slug>/saved", methods=["GET", "POST"])
def saved(slug: str) -> object:
    survey = _survey_or_404(slug)
    journey = journey_for(survey)
    refused = _refusal(journey)
    if refused:
        return refused
    draft = journey.stored_draft()
    if draft is None:
        return redirect(url_for("surveys.start", slug=slug))
    if request.method == "POST" and journey.invitation is None:
        # "Make a new link": the one shown before is gone from the screen, so replace it.
        return _saved_for_later(journey, draft)
    held = dict(session.get(SESSION_RESUME_LINK) or {})
    token = held.get(slug)
    if token and request.method == "GET":
        # Shown once; a HEAD request (a link checker) must not use it up or change the session.
        held.pop(slug)
        session[SESSION_RESUME_LINK] = held
    return _saved_page(journey, _resume_link(slug, token))


def _resume_link(slug: str, token: str | None) -> str | None:
    return f"{_link_base()}{url_for('surveys.resume', slug=slug, token=token)}" if token else None


def _resume_mailer() -> ResumeLinkMailer | None:
    """The email feature, when it is installed and able to send (see app/mail); else None."""
    mailer = current_app.extensions.get(RESUME_LINK_MAILER)
    return mailer if mailer is not None and mailer.available() else None


def _saved_page(
    journey: Journey,
    link: str | None,
    email: str = "",
    email_error: str | None = None,
    emailed_to: str | None = None,
    status: int = 200,
) -> object:
    survey = journey.survey
    first = journey.first_incomplete()
    response = current_app.make_response(
        (
            render_template(
                "surveys/saved.html",
                survey=survey,
                journey=journey,
                link=link,
                kept_until=journey.kept_until,
                can_email=journey.invitation is None and _resume_mailer() is not None,
                email=email,
                email_error=email_error,
                emailed_to=emailed_to,
                next_url=_page_url(survey, first) if first else url_for("surveys.check_answers", slug=survey.slug),
            ),
            status,
        )
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    request.environ["surveys.referrer_policy"] = "no-referrer"
    return response


@bp.route("/consultations/<slug>/saved/email", methods=["POST"])
@limiter.limit(RESUME_EMAIL_LIMIT, methods=["POST"])
def email_resume_link(slug: str) -> object:
    """Send a resident a fresh link back to their answers. The address is used for this one
    message and kept nowhere: not in the draft, the session or the record of sends."""
    survey = _survey_or_404(slug)
    journey = journey_for(survey)
    refused = _refusal(journey)
    if refused:
        return refused
    draft = journey.stored_draft()
    mailer = _resume_mailer()
    if draft is None or journey.invitation is not None or mailer is None:
        return redirect(url_for("surveys.saved", slug=slug), 303)
    address = " ".join(request.form.get("email", "").split())
    if not address:
        return _saved_page(journey, None, address, "Enter your email address", status=400)
    if len(address) > 254 or not EMAIL.match(address):
        return _saved_page(
            journey, None, address, "Enter an email address in the correct format, like name@example.com", status=400
        )
    # A new link for the email: the one shown on screen before stops working.
    link = _resume_link(slug, repository.issue_resume_token(draft))
    if not mailer.send(address, link, survey):
        # Nothing is lost: the new link is shown on screen instead.
        return _saved_page(
            journey,
            link,
            address,
            "We could not send the email just now. Copy the link below instead, or try again later",
            status=503,
        )
    return _saved_page(journey, None, emailed_to=address)


@bp.route("/consultations/<slug>/resume/<token>")
def resume(slug: str, token: str) -> object:
    survey = _survey_or_404(slug)
    draft = repository.draft_for_resume_token(token, slug)
    if draft is None:
        return render_template("surveys/resume_problem.html", survey=survey), 404
    journey = journey_for(survey)
    if journey.invitation is not None:
        return render_template("surveys/resume_problem.html", survey=survey, busy=True), 409
    journey.adopt_draft_key(draft.key)
    forget_submission(slug)
    response = redirect(url_for("surveys.start", slug=slug), 303)
    response.headers["Referrer-Policy"] = "no-referrer"
    request.environ["surveys.referrer_policy"] = "no-referrer"
    return response


@bp.route("/consultations/<slug>/answers-so-far")
def answers_so_far(slug: str) -> object:
    """The unfinished answers on one page to print, for a council to take to its meeting."""
    survey = _survey_or_404(slug)
    journey = journey_for(survey)
    refused = _refusal(journey)
    if refused:
        return refused
    if journey.stored_draft() is None and not (journey.invitation and journey.answers):
        return redirect(url_for("surveys.start", slug=slug))
    sections = _answer_sections(
        survey, journey.answers, journey.parishes, journey.pages, journey.skip, change_links=False
    )
    return render_template(
        "surveys/answers_so_far.html",
        survey=survey,
        journey=journey,
        sections=sections,
        kept_until=journey.kept_until,
        printed_on=today(),
    )


def _already_sent_page(journey: Journey) -> object | None:
    """After sending, Back must not open an empty survey: say the answers went, with the reference."""
    done = submitted(journey.survey.slug)
    if not done or journey.stored_draft() is not None:
        return None
    return render_template(
        "surveys/already_sent.html", survey=journey.survey, journey=journey, reference=done["reference"]
    )


@bp.route("/consultations/<slug>/start-again", methods=["GET", "POST"])
def start_again(slug: str) -> object:
    survey = _survey_or_404(slug)
    if request.method != "POST":
        # Only the button starts again; an address typed or checked just goes to the start page.
        return redirect(url_for("surveys.start", slug=slug))
    journey = journey_for(survey)
    refused = _refusal(journey)
    if refused:
        return refused
    forget_submission(slug)
    pages = journey.pages
    return redirect(_page_url(survey, pages[0]) if pages else url_for("surveys.start", slug=slug), 303)


# --- paper version -------------------------------------------------------------------------


@bp.route("/consultations/<slug>/print")
def print_version(slug):
    survey = _survey_or_404(slug)
    if not survey.pages:
        abort(404)
    journey = journey_for(survey)
    return render_template("surveys/print.html", survey=survey, parishes=journey.parishes, other_id=OTHER_ID)


# --- invitation links ----------------------------------------------------------------------


@bp.route("/invite/<token>")
def invitation(token):
    found = invitations.find_by_token(token)
    if found is None:
        return _invitation_problem("invalid")
    survey = library.survey(found.survey_slug)
    if found.is_revoked:
        return _invitation_problem("revoked", survey)
    if survey is None or survey.round != found.round:
        return _invitation_problem("wrong-round", survey)
    status = status_of(survey)
    if status != "open":
        return _invitation_problem("closed" if status == "closed" else "upcoming", survey)
    if request.method != "HEAD":
        # A link checker or prefetcher asking with HEAD has not opened the invitation.
        invitations.mark_used(found)
        remember_invitation(found)
        # Opening the link again is coming back on purpose: offer to change the answers sent.
        forget_submission(survey.slug)
    response = redirect(url_for("surveys.start", slug=survey.slug), 303)
    response.headers["Referrer-Policy"] = "no-referrer"
    request.environ["surveys.referrer_policy"] = "no-referrer"
    return response


def keep_no_referrer(response):
    """Runs after the security headers are set: the invitation link's token must not leak
    through the Referer header of the page it redirects to."""
    if request.environ.get("surveys.referrer_policy"):
        response.headers["Referrer-Policy"] = request.environ["surveys.referrer_policy"]
    return response
