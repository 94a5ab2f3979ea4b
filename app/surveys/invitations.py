"""Personal invitation links for parish councils and district councillors.

A token is 256 random bits from `secrets`, shown once in the link and stored only as its
SHA-256, so a copy of the database cannot be turned back into working links. Each link is
for one respondent and one survey round, and can be revoked. Functions that change
invitations commit, so a staff page or the CLI can call them directly.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.surveys.survey_models import Invitation, Response

RESPONDENT_TYPES = ("parish", "councillor")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _slug_and_round(survey) -> tuple[str, str]:
    return survey.slug, survey.round


def new_token() -> str:
    return secrets.token_urlsafe(32)


def issue(
    survey,
    respondent_name: str,
    respondent_type: str,
    ward: str | None = None,
    created_by_id: int | None = None,
    token: str | None = None,
) -> tuple[Invitation, str]:
    """A new link for one respondent. Returns (invitation, token); the token is not kept.

    `token` is given when the link has already gone out by email (see app/mail)."""
    if respondent_type not in RESPONDENT_TYPES:
        raise ValueError(f"respondent_type must be one of {RESPONDENT_TYPES}")
    slug, round_ = _slug_and_round(survey)
    token = token or new_token()
    invitation = Invitation(
        survey_slug=slug,
        round=round_,
        respondent_name=respondent_name.strip(),
        respondent_type=respondent_type,
        ward=(ward or None),
        token_hash=hash_token(token),
        created_by_id=created_by_id,
        created_at=utcnow(),
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def revoke(invitation: Invitation) -> None:
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.commit()


def reissue(
    invitation: Invitation, created_by_id: int | None = None, token: str | None = None
) -> tuple[Invitation, str]:
    """Revoke a link (lost, or sent to the wrong person) and make a new one for the same
    respondent. Answers already given stay with the old invitation's history."""
    revoke(invitation)
    token = token or new_token()
    new = Invitation(
        survey_slug=invitation.survey_slug,
        round=invitation.round,
        respondent_name=invitation.respondent_name,
        respondent_type=invitation.respondent_type,
        ward=invitation.ward,
        token_hash=hash_token(token),
        created_by_id=created_by_id,
        created_at=utcnow(),
    )
    db.session.add(new)
    db.session.commit()
    return new, token


def replace_token(invitation: Invitation, token: str) -> None:
    """Give the same invitation a new link (a reminder carries one): the old link stops
    working, while the council's saved progress, which belongs to the invitation, stays."""
    invitation.token_hash = hash_token(token)
    db.session.commit()


def link_for(token: str, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/invite/{token}"


def find_by_token(token: str) -> Invitation | None:
    # Tokens are URL-safe base64 of 32 bytes (43 characters); refuse anything far off
    # before touching the database.
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def get(invitation_id: int) -> Invitation | None:
    return db.session.get(Invitation, invitation_id)


def mark_used(invitation: Invitation) -> None:
    now = utcnow()
    invitation.first_used_at = invitation.first_used_at or now
    invitation.last_used_at = now
    db.session.commit()


def status(invitation: Invitation) -> str:
    """ "not used", "opened", "answered" or "revoked"."""
    if invitation.revoked_at is not None:
        return "revoked"
    answered = db.session.scalar(select(Response.id).where(Response.invitation_id == invitation.id).limit(1))
    if answered is not None:
        return "answered"
    if invitation.first_used_at is not None:
        return "opened"
    return "not used"
