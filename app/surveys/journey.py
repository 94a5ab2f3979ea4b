"""Who is answering a survey, from this browser's session, and where their draft is kept.

Two ways in: a resident (a random draft key in the session, per survey, which a "come back
later" link can bring to another browser), or a council or councillor through an invitation
link (the invitation id in the session; the draft is theirs, so it follows them to another
computer). Every request re-checks the invitation, so a link revoked mid-way stops working.
Staff key in paper returns on their own pages (app/staff/governance/paper_views.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, session

from app.clock import utcnow
from app.surveys import invitations, library, repository
from app.surveys.drafts import draft_limits, keeping
from app.surveys.questions.definitions import OTHER_ID, Page, SurveyDefinition
from app.surveys.questions.validation import other_key, page_is_complete, parish_options
from app.surveys.scheduling import closes_on
from app.surveys.survey_models import Draft, Invitation

SESSION_DRAFT_KEY = "survey_draft_key"  # before drafts were kept per survey; still read
SESSION_DRAFT_KEYS = "survey_draft_keys"  # {slug: draft key}
SESSION_INVITATIONS = "survey_invitations"  # {slug: invitation id}
SESSION_SUBMITTED = "survey_submitted"  # {slug: {"reference": str, "stored": bool}}


@dataclass
class Journey:
    survey: SurveyDefinition
    invitation: Invitation | None = None
    invitation_problem: str | None = None  # "revoked" or "wrong-round"
    skip: frozenset[str] = frozenset()
    parishes: tuple = ()
    _data: dict | None = field(default=None, repr=False)
    _draft_stored: bool = field(default=False, repr=False)

    @property
    def draft_key(self) -> str | None:
        if self.invitation is not None:
            return f"invitation:{self.invitation.id}"
        return (session.get(SESSION_DRAFT_KEYS) or {}).get(self.survey.slug) or session.get(SESSION_DRAFT_KEY)

    def ensure_draft_key(self) -> str:
        key = self.draft_key
        if key:
            return key
        key = _session_draft_key()
        self._remember_draft_key(key)
        return key

    def _remember_draft_key(self, key: str) -> None:
        keys = dict(session.get(SESSION_DRAFT_KEYS) or {})
        keys[self.survey.slug] = key
        session[SESSION_DRAFT_KEYS] = keys

    def adopt_draft_key(self, key: str) -> None:
        """Carry on with this resident draft in this browser (a "come back later" link was opened)."""
        self._remember_draft_key(key)
        self._data = None

    @property
    def is_council(self) -> bool:
        return self.invitation is not None

    @property
    def is_councillor(self) -> bool:
        return self.invitation is not None and self.invitation.respondent_type == "councillor"

    def expiry_from(self, now: datetime) -> datetime:
        return keeping.draft_expiry(now, self.is_council, closes_on(self.survey))

    def stored_draft(self) -> Draft | None:
        key = self.draft_key
        return repository.get_draft(key, self.survey.slug) if key else None

    @property
    def kept_until(self) -> date:
        """The last day unfinished answers are kept, as the pages say it: the stored draft's
        date, or the date a draft saved now would get."""
        draft = self.stored_draft()
        expires = draft.expires_at if draft is not None else self.expiry_from(utcnow())
        return keeping.last_day_kept(expires)

    # -- answers in progress

    @property
    def data(self) -> dict:
        """The draft ({"answers", "raw", "submission_key"}). A council coming back to change
        its answer starts from the answer it last sent (nothing is written until it saves)."""
        if self._data is None:
            key = self.draft_key
            draft = repository.get_draft(key, self.survey.slug) if key else None
            self._draft_stored = draft is not None
            self._data = repository.draft_data(draft)
            if draft is None and self.invitation is not None:
                current = repository.current_response_for_invitation(self.invitation.id)
                if current is not None:
                    self._data["answers"] = dict(current.answers or {})
        return self._data

    @property
    def answers(self) -> dict:
        return self.data["answers"]

    @property
    def has_draft(self) -> bool:
        """Whether a draft is stored for this respondent (as of this request)."""
        _ = self.data
        return self._draft_stored

    def save(self) -> Draft | None:
        now = utcnow()
        draft = repository.save_draft(
            self.ensure_draft_key(),
            self.survey.slug,
            self.data,
            now=now,
            expires_at=self.expiry_from(now),
            total_max_bytes=draft_limits.total_max_bytes(),
        )
        self._draft_stored = True
        return draft

    # -- pages

    @property
    def pages(self) -> list[Page]:
        """The pages this respondent sees (a page whose only question the invitation answers is skipped)."""
        return [p for p in self.survey.pages if any(q.id not in self.skip for q in p.questions)]

    def first_incomplete(self) -> Page | None:
        for page in self.pages:
            if not page_is_complete(self.survey, page, self.answers, self.parishes, self.skip):
                return page
        return None

    def full_answers(self) -> dict:
        """The answers as stored with the response, with the council named by the invitation."""
        answers = dict(self.answers)
        if self.invitation is not None and self.invitation.respondent_type == "parish":
            for q in self.survey.questions:
                if q.id in self.skip:
                    answers[q.id] = self.invitation.respondent_name
        return answers

    def respondent(self, answers: dict) -> repository.Respondent:
        survey = self.survey
        inv = self.invitation
        if inv is not None:
            area = inv.ward if inv.respondent_type == "councillor" else inv.respondent_name
            return repository.Respondent(inv.respondent_type, inv.respondent_name, area, inv.id)
        place = None
        for q in survey.questions:
            if q.type == "parish" and answers.get(q.id):
                place = answers.get(other_key(q)) if answers[q.id] == OTHER_ID else answers[q.id]
                break
        if survey.audience == "parish":
            return repository.Respondent("parish", place, place)
        return repository.Respondent("resident", None, place)


def _session_draft_key() -> str:
    """The draft key for this browser session: derived from the session's CSRF secret when it has
    one, so a client that keeps sending the same old session cookie (ignoring the one that
    carries the draft key) finds the same draft every time instead of starting a new one."""
    base = session.get("csrf_token")
    if not isinstance(base, str) or not base:
        return secrets.token_urlsafe(24)
    digest = hmac.new(str(current_app.config["SECRET_KEY"]).encode(), f"draft:{base}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()[:24]).decode().rstrip("=")


def journey_for(survey: SurveyDefinition) -> Journey:
    journey = Journey(survey)
    parishes = library.parishes()
    journey.parishes = parish_options(parishes, survey.audience)
    invitation_id = (session.get(SESSION_INVITATIONS) or {}).get(survey.slug)
    if invitation_id is not None:
        invitation = invitations.get(invitation_id)
        if invitation is None or invitation.survey_slug != survey.slug:
            forget_invitation(survey.slug)
        elif invitation.is_revoked:
            journey.invitation_problem = "revoked"
        elif invitation.round != survey.round:
            journey.invitation_problem = "wrong-round"
        else:
            journey.invitation = invitation
            journey.skip = frozenset(
                q.id for q in survey.questions if q.type == "parish" and survey.audience == "parish"
            )
    return journey


def remember_invitation(invitation: Invitation) -> None:
    held = dict(session.get(SESSION_INVITATIONS) or {})
    held[invitation.survey_slug] = invitation.id
    session[SESSION_INVITATIONS] = held


def forget_invitation(slug: str) -> None:
    held = dict(session.get(SESSION_INVITATIONS) or {})
    held.pop(slug, None)
    session[SESSION_INVITATIONS] = held


def remember_submission(slug: str, reference: str, stored: bool = True) -> None:
    submitted = dict(session.get(SESSION_SUBMITTED) or {})
    submitted[slug] = {"reference": reference, "stored": stored}
    session[SESSION_SUBMITTED] = submitted


def mark_answers_shown(slug: str) -> None:
    held = dict(session.get(SESSION_SUBMITTED) or {})
    if slug in held:
        held[slug] = {**held[slug], "answers_shown": True}
        session[SESSION_SUBMITTED] = held


def forget_submission(slug: str) -> None:
    """Starting again after sending: the next answers are a new response."""
    held = dict(session.get(SESSION_SUBMITTED) or {})
    if held.pop(slug, None) is not None:
        session[SESSION_SUBMITTED] = held


def submitted(slug: str) -> dict | None:
    return (session.get(SESSION_SUBMITTED) or {}).get(slug)
