"""Test data the browser checks need, made through the features' own modules (as the CLI or a
staff member would), and the staff pages to visit, found in `app.url_map`."""

import secrets
from dataclasses import dataclass

import pyotp
from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from tests.browser import keyboard

STAFF_PASSWORD = "correct horse battery staple quality"


def surveys(app) -> list:
    """Every survey definition, each with `status_now` ("open", "upcoming" or "closed")."""
    from app.surveys import scheduling
    from app.surveys.questions.definitions import load_surveys

    today = utcnow().date()
    found = []
    for survey in load_surveys(app.config["CONTENT_DIR"]):
        status = scheduling.status_on(survey, today, survey.closes) if survey.accepts_responses else "closed"
        found.append(_WithStatus(survey, status))
    assert found, "no surveys in content/surveys"
    return found


class _WithStatus:
    def __init__(self, survey, status):
        self._survey = survey
        self.status_now = status

    def __getattr__(self, name):
        return getattr(self._survey, name)


def survey(app, audience: str):
    """The open survey for `audience` ("resident" or "parish"); fails if there is none."""
    matches = [s for s in surveys(app) if s.audience == audience and s.status_now == "open"]
    assert matches, f"no open {audience} survey: the journey cannot run (check the dates in content/surveys)"
    return matches[0]


def invitation(app, slug: str, name: str = "Quality Check Parish Council") -> str:
    """A new invitation link token for one parish council, as `flask invites issue` makes."""
    from app.surveys import invitations
    from app.surveys.questions.definitions import get_survey

    with app.app_context():
        _, token = invitations.issue(get_survey(app.config["CONTENT_DIR"], slug), name, "parish")
        db.session.remove()
    return token


@dataclass
class StaffLogin:
    id: int
    email: str
    password: str
    secret: str


def staff_user(app, role: str = "admin") -> StaffLogin:
    """A staff account with two-factor set up, made as `flask staff create` would."""
    from app.staff.auth import accounts

    email = f"quality-{role}-{secrets.token_hex(3)}@example.org"
    secret = pyotp.random_base32()
    with app.app_context():
        user = accounts.create(email, STAFF_PASSWORD, role, app.config["STAFF_ARGON2"])
        user.totp_secret = secret
        user.totp_confirmed_at = utcnow()
        db.session.commit()
        login = StaffLogin(user.id, email, STAFF_PASSWORD, secret)
        db.session.remove()
    return login


def sign_in(crawler, user: StaffLogin, record: bool = True) -> None:
    """Sign in with the keyboard: email, password, then the authenticator code."""
    page = crawler.page
    response = crawler.goto("/staff/login")
    response = keyboard.fill_form(page, texts={"email": user.email, "password": user.password})
    if record:
        crawler.capture(response)
    assert page.query_selector("input[autocomplete=one-time-code]"), f"no code page after the password: {page.url}"
    keyboard.fill_form(page, texts={"code": pyotp.TOTP(user.secret).now()})
    assert not page.query_selector(".govuk-error-summary"), f"sign-in refused: {page.inner_text('main')[:300]}"
    assert "/staff/login" not in page.url


def seed_responses(app) -> None:
    """A few stored responses for each open survey, so results pages have something to show.

    Free text carries markup so the pages showing it prove it is escaped."""
    from app.surveys import repository

    with app.app_context():
        for survey in surveys(app):
            if survey.status_now != "open":
                continue
            respondent = repository.Respondent(
                respondent_type="resident" if survey.audience == "resident" else "parish",
                name=None if survey.audience == "resident" else "Seeded Parish Council",
                area="Lutterworth",
            )
            for text in SEED_TEXTS:
                repository.save_response(
                    survey._survey, complete_answers(survey, text), repository.new_submission_key(), respondent
                )
        db.session.remove()


XSS_TEXT = '<script>alert("quality-xss")</script>" onmouseover="alert(1)'
# Markup, and spreadsheet formulas (OWASP's CSV injection examples) for the exports.
SEED_TEXTS = [XSS_TEXT, '=1+2";=1+2', "@SUM(1+1)*cmd|' /C calc'!A0", "+44 1858 821000"]


def complete_answers(survey, text: str = XSS_TEXT) -> dict:
    """One valid answer for every question, in the stored-answers shape of app/surveys/questions/answer_format.py."""
    answers = {}
    for question in survey.questions:
        if question.issues_for:
            ranked = survey.question(question.issues_for)
            answers[question.id] = {o.id: text for o in ranked.options[: ranked.count or 3]}
        elif question.type in ("single", "yesno", "parish"):
            options = question.choices() if callable(getattr(question, "choices", None)) else question.options
            answers[question.id] = options[0].id if options else "yes"
        elif question.type == "multiple":
            answers[question.id] = [question.options[0].id]
        elif question.type == "ranked":
            answers[question.id] = [o.id for o in question.options[: question.count or 3]]
        elif question.type == "rating":
            answers[question.id] = {item.id: question.scale[0].id for item in question.items}
        elif question.type in ("text", "longtext"):
            answers[question.id] = text
    return answers


def staff_get_paths(app) -> list[str]:
    """Every GET page of the staff blueprint, arguments filled from the data in the database."""
    from app.staff.staff_models import StaffUser
    from app.surveys.survey_models import Invitation, Response

    with app.app_context():
        all_surveys = surveys(app)
        values = {
            "slug": [s.slug for s in all_surveys],
            "audience": sorted({s.audience for s in all_surveys}),
            "round_key": sorted({s.round.replace("/", "-") for s in all_surveys}),
            "reference": list(db.session.scalars(select(Response.reference).limit(1))),
            "response_id": list(db.session.scalars(select(Response.id).limit(1))),
            "invitation_id": list(db.session.scalars(select(Invitation.id).limit(1))),
            "user_id": list(db.session.scalars(select(StaffUser.id).limit(1))),
        }
        db.session.remove()
    paths = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff.") or "GET" not in rule.methods:
            continue
        if rule.endpoint in ("staff.logout", "staff.login", "staff.two_factor"):
            continue
        if "download" in rule.endpoint or rule.rule.endswith((".csv", ".xlsx", ".json")):
            continue  # files, not pages
        choices = [values.get(name) or values.get(name.split("_")[0]) for name in rule.arguments]
        if any(not c for c in choices):
            raise AssertionError(f"no test data to fill {rule.rule}: add it to staff_get_paths")
        for combination in _first_and_each(rule.arguments, choices):
            paths.append(rule.build(combination, append_unknown=False)[1])
    assert paths, "no staff pages found in app.url_map"
    return sorted(set(paths))


def _first_and_each(names, choices):
    """Each value of each argument once (others at their first value), not the whole product."""
    base = {name: options[0] for name, options in zip(names, choices, strict=False)}
    yield base
    for name, options in zip(names, choices, strict=False):
        for option in options[1:]:
            yield {**base, name: option}


def failed_email(app, survey) -> None:
    """A record of an invitation email the server refused, as the invitations page lists it."""
    from app.mail.mail_models import MailMessage

    with app.app_context():
        db.session.add(
            MailMessage(
                template="invitation",
                survey_slug=survey.slug,
                round=survey.round,
                respondent_name="Quality Check",
                respondent_type="parish",
                recipient="clerk.quality-check@example.org",
                status="failed",
                attempts=1,
                outcome="The mail server refused the message (code 550).",
                actor="admin",
            )
        )
        db.session.commit()
        db.session.remove()
