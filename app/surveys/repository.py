"""The only module that reads or writes survey responses, drafts and definition versions.

Everything that must not be lost or doubled is decided here: one transaction per response
(response, answer rows, superseding a council's earlier answer, deleting the draft), the
idempotency key's UNIQUE constraint deciding which of several identical submits wins, and
the definition version being fetched or created safely when two workers race.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified

from app.clock import utcnow
from app.extensions import db
from app.surveys.drafts import draft_rules
from app.surveys.drafts.keeping import RESIDENT_DRAFT_LIFETIME
from app.surveys.questions import answer_format
from app.surveys.questions.answer_format import answer_rows
from app.surveys.questions.definitions import SurveyDefinition
from app.surveys.questions.samples import SAMPLE_CHANNEL
from app.surveys.questions.validation import answers_hash
from app.surveys.survey_models import Answer, Draft, Invitation, Response, RoundSetting, SurveyVersion

DRAFT_LIFETIME = RESIDENT_DRAFT_LIFETIME
DUPLICATE_WINDOW = timedelta(hours=24)
# No 0/O, 1/I/L: references are read out over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SUBMISSION_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _commit() -> None:
    """Separate so tests can make the database fail at the worst moment."""
    db.session.commit()


def new_reference() -> str:
    """Like "RK7M-4Q2P": about 40 bits, easy to read out, unique by constraint."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    """What someone typed or read out ("rk7m 4q2p", "RK7M4Q2P") as a stored reference ("RK7M-4Q2P")."""
    chars = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{chars[:4]}-{chars[4:]}" if len(chars) == 8 else chars


def find_by_reference(text: str) -> Response | None:
    """The response a typed reference names, however it was spaced, dashed or capitalised."""
    plain = "".join(ch for ch in text.upper() if ch.isalnum())
    return db.session.scalar(
        select(Response).where(Response.reference.in_({normalise_reference(text), plain})).limit(1)
    )


def new_submission_key() -> str:
    return secrets.token_urlsafe(32)


# --- drafts --------------------------------------------------------------------------------


def get_draft(key: str, slug: str, now: datetime | None = None) -> Draft | None:
    now = now or utcnow()
    draft = db.session.scalar(select(Draft).where(Draft.key == key, Draft.survey_slug == slug))
    if draft is not None and draft.expires_at <= now:
        db.session.delete(draft)
        _commit()
        return None
    return draft


def draft_data(draft: Draft | None) -> dict:
    """{"answers": {...}, "raw": {page_id: {field: [values]}}, "submission_key": str|None}."""
    # A deep copy: changing nested answers in place would also change the value SQLAlchemy
    # compares against, and the update would silently not be written.
    data = copy.deepcopy(draft.answers or {}) if draft else {}
    data.setdefault("answers", {})
    data.setdefault("raw", {})
    return data


def save_draft(
    key: str,
    slug: str,
    data: dict,
    now: datetime | None = None,
    create: bool = True,
    total_max_bytes: int = draft_rules.DEFAULT_TOTAL_MAX_BYTES,
    expires_at: datetime | None = None,
) -> Draft | None:
    """Create or replace the draft, moving its expiry to `expires_at` (30 days from now unless given).

    With `create` false, only an existing draft is updated (None if there is none). Raises
    draft_rules.DraftTooLarge or DraftsFull rather than store more than the limits allow.
    """
    now = now or utcnow()
    expires_at = expires_at or now + DRAFT_LIFETIME
    data, size = draft_rules.bounded(data)
    draft = db.session.scalar(select(Draft).where(Draft.key == key, Draft.survey_slug == slug))
    if draft is None:
        if not create:
            return None
        # Cheap housekeeping when a draft starts: drop everyone's expired drafts (indexed).
        db.session.execute(delete(Draft).where(Draft.expires_at <= now))
        _make_room(size, now, total_max_bytes)
        draft = Draft(key=key, survey_slug=slug, answers=data, updated_at=now, expires_at=expires_at, size_bytes=size)
        try:
            with db.session.begin_nested():
                db.session.add(draft)
        except IntegrityError:
            # The same browser saved from two tabs at once: update the row the other made.
            draft = db.session.scalar(select(Draft).where(Draft.key == key, Draft.survey_slug == slug))
    elif size > (draft.size_bytes or 0):
        _make_room(size - (draft.size_bytes or 0), now, total_max_bytes, keep=draft.id)
    draft.answers = copy.deepcopy(data)
    flag_modified(draft, "answers")
    draft.size_bytes = size
    draft.updated_at = now
    draft.expires_at = expires_at
    _commit()
    return draft


def drafts_total_bytes() -> int:
    return int(db.session.scalar(select(func.coalesce(func.sum(Draft.size_bytes), 0))) or 0)


def _make_room(needed: int, now: datetime, total_max_bytes: int, keep: int | None = None) -> None:
    """Delete abandoned drafts, oldest first, until `needed` more bytes fit under the total."""
    excess = drafts_total_bytes() + needed - total_max_bytes
    if excess <= 0:
        return
    candidates = db.session.execute(
        select(Draft.id, Draft.size_bytes)
        .where(Draft.updated_at <= now - draft_rules.ABANDONED_AFTER, Draft.id != (keep or 0))
        .order_by(Draft.updated_at, Draft.id)
        .limit(1000)
    ).all()
    evict: list[int] = []
    for draft_id, size in candidates:
        if excess <= 0:
            break
        evict.append(draft_id)
        excess -= size or 0
    if evict:
        db.session.execute(delete(Draft).where(Draft.id.in_(evict)))
    if excess > 0:
        raise draft_rules.DraftsFull(f"{excess} bytes over the drafts' total")


def hash_resume_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_resume_token(draft: Draft) -> str:
    """A new "come back later" link token for this draft (256 random bits); any earlier one stops working.

    Only the hash is stored, so the link can be shown once and a copy of the database
    cannot be turned back into working links.
    """
    token = secrets.token_urlsafe(32)
    draft.resume_token_hash = hash_resume_token(token)
    _commit()
    return token


def draft_for_resume_token(token: str, slug: str, now: datetime | None = None) -> Draft | None:
    """The unexpired draft a resume link belongs to, if the link is for this survey."""
    if not token or len(token) > 100:
        return None
    draft = db.session.scalar(select(Draft).where(Draft.resume_token_hash == hash_resume_token(token)))
    if draft is None or draft.survey_slug != slug or draft.expires_at <= (now or utcnow()):
        return None
    return draft


def purge_expired_drafts(now: datetime | None = None) -> int:
    result = db.session.execute(delete(Draft).where(Draft.expires_at <= (now or utcnow())))
    _commit()
    return result.rowcount or 0


# --- dates staff changed -------------------------------------------------------------------


def closes_overrides() -> dict[str, date]:
    """Closing dates staff set on the staff pages (closed early or extended), by survey slug."""

    rows = db.session.execute(
        select(RoundSetting.survey_slug, RoundSetting.closes_override).where(RoundSetting.closes_override.is_not(None))
    )
    return dict(rows.all())


def closes_setting(slug: str) -> RoundSetting | None:
    """Staff's date change for one survey, with who made it and when."""
    return db.session.scalar(select(RoundSetting).where(RoundSetting.survey_slug == slug))


def set_closes_override(slug: str, closes: date | None, staff_id: int | None) -> None:
    """Staff's closing date for a survey (None: the survey file's date again); the caller commits."""
    setting = closes_setting(slug)
    if setting is None:
        setting = RoundSetting(survey_slug=slug)
        db.session.add(setting)
    setting.closes_override = closes
    setting.updated_by_id = staff_id


# --- definition versions -------------------------------------------------------------------


def get_or_create_version(survey: SurveyDefinition) -> SurveyVersion:
    version = db.session.scalar(select(SurveyVersion).where(SurveyVersion.definition_hash == survey.definition_hash))
    if version is not None:
        return version
    version = SurveyVersion(
        survey_slug=survey.slug, round=survey.round, definition_hash=survey.definition_hash, definition=survey.data
    )
    try:
        with db.session.begin_nested():
            db.session.add(version)
    except IntegrityError:
        # Another worker stored the same version first: use theirs.
        version = db.session.scalar(
            select(SurveyVersion).where(SurveyVersion.definition_hash == survey.definition_hash)
        )
    return version


# --- responses -----------------------------------------------------------------------------


@dataclass
class Respondent:
    """Who is answering, as far as the response records it."""

    respondent_type: str  # "resident", "parish" or "councillor"
    name: str | None = None  # a council or councillor, never a resident
    area: str | None = None
    invitation_id: int | None = None
    channel: str = "online"
    entered_by_id: int | None = None


def fingerprint(secret_key: str, client_ip: str, slug: str, answers: dict) -> str:
    """A keyed hash of who-and-what, to flag likely duplicates without storing the address."""
    message = f"{client_ip}\n{slug}\n{answers_hash(answers)}".encode()
    return hmac.new(secret_key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def get_response_by_submission_key(key: str) -> Response | None:
    return db.session.scalar(select(Response).where(Response.submission_key == key))


def get_response_by_reference(reference: str) -> Response | None:
    return db.session.scalar(select(Response).where(Response.reference == reference))


def current_response_for_invitation(invitation_id: int) -> Response | None:
    return db.session.scalar(
        select(Response)
        .where(Response.invitation_id == invitation_id, Response.is_current.is_(True))
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(1)
    )


def sample_response_count(slug: str | None = None) -> int:
    """How many made-up responses (`flask samples load`) the database holds, for one survey or all."""
    query = select(func.count(Response.id)).where(Response.channel == SAMPLE_CHANNEL)
    if slug is not None:
        query = query.where(Response.survey_slug == slug)
    return db.session.scalar(query) or 0


def delete_sample_responses() -> int:
    """Remove every made-up response and its answers; real responses are never touched."""
    ids = select(Response.id).where(Response.channel == SAMPLE_CHANNEL).scalar_subquery()
    db.session.execute(delete(Answer).where(Answer.response_id.in_(ids)))
    count = db.session.execute(delete(Response).where(Response.channel == SAMPLE_CHANNEL)).rowcount
    _commit()
    return count or 0


def save_response(
    survey: SurveyDefinition,
    answers: dict,
    submission_key: str,
    respondent: Respondent,
    draft_key: str | None = None,
    duplicate_fingerprint: str | None = None,
    now: datetime | None = None,
) -> tuple[Response, bool]:
    """Store one response in one transaction. Returns (response, created).

    A submission key that is already stored returns the stored response (created=False):
    that is a double-click or a retried request, not a new answer. Database errors other
    than that propagate after a rollback, leaving the draft in place.
    """
    existing = get_response_by_submission_key(submission_key)
    if existing is not None:
        return existing, False
    now = now or utcnow()
    for _attempt in range(5):
        try:
            response = _insert_response(
                survey, answers, submission_key, respondent, draft_key, duplicate_fingerprint, now
            )
            _commit()
            return response, True
        except IntegrityError:
            db.session.rollback()
            existing = get_response_by_submission_key(submission_key)
            if existing is not None:
                return existing, False
            # Otherwise the random reference collided with another one: try a new one.
        except Exception:
            db.session.rollback()
            raise
    raise RuntimeError("could not find a free response reference")


def _insert_response(survey, answers, submission_key, respondent: Respondent, draft_key, duplicate_fingerprint, now):
    version = get_or_create_version(survey)
    previous = None
    if respondent.invitation_id is not None:
        # Lock the invitation so two amendments at once cannot both end up current.
        db.session.execute(select(Invitation.id).where(Invitation.id == respondent.invitation_id).with_for_update())
        previous = current_response_for_invitation(respondent.invitation_id)
    possible_duplicate = False
    if duplicate_fingerprint:
        possible_duplicate = (
            db.session.scalar(
                select(Response.id)
                .where(
                    Response.survey_slug == survey.slug,
                    Response.duplicate_fingerprint == duplicate_fingerprint,
                    Response.submitted_at >= now - DUPLICATE_WINDOW,
                )
                .limit(1)
            )
            is not None
        )
    response = Response(
        reference=new_reference(),
        submission_key=submission_key,
        survey_slug=survey.slug,
        round=survey.round,
        version_id=version.id,
        audience=survey.audience,
        respondent_type=respondent.respondent_type,
        respondent_name=respondent.name,
        area=respondent.area,
        channel=respondent.channel,
        entered_by_id=respondent.entered_by_id,
        invitation_id=respondent.invitation_id,
        is_current=True,
        supersedes_id=previous.id if previous else None,
        duplicate_fingerprint=duplicate_fingerprint,
        possible_duplicate=possible_duplicate,
        answers=answers,
        submitted_at=now,
    )
    response.answer_rows = [
        Answer(question_id=q, part=part, value=value, personal=personal)
        for q, part, value, personal in answer_rows(survey, answers)
    ]
    if previous is not None:
        # Before adding the new row, so only the earlier answers stop counting.
        db.session.execute(
            update(Response)
            .where(Response.invitation_id == respondent.invitation_id, Response.is_current.is_(True))
            .values(is_current=False)
        )
    db.session.add(response)
    db.session.flush()
    if draft_key:
        db.session.execute(delete(Draft).where(Draft.key == draft_key, Draft.survey_slug == survey.slug))
    return response


# --- staff: one response on request, and personal data past its retention period -----------


def find_response(reference: str) -> Response | None:
    """A response by the reference a respondent reads out (spaces, dashes and case do not matter)."""
    return find_by_reference(reference)


def answers_of(response: Response) -> list[Answer]:
    return list(db.session.scalars(select(Answer).where(Answer.response_id == response.id).order_by(Answer.id)))


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


def delete_response(response: Response) -> int:
    """Erase a response on request, with every earlier and later version of it (an amended
    response keeps its history); returns how many versions went. The caller commits."""
    chain = _versions(response)
    for r in chain:
        r.supersedes_id = None
    db.session.flush()
    for r in chain:
        db.session.delete(r)
    db.session.flush()
    return len(chain)


def answer_in_survey(slug: str, answer_id: int) -> tuple[Answer, Response] | None:
    row = db.session.execute(
        select(Answer, Response)
        .join(Response, Answer.response_id == Response.id)
        .where(Answer.id == answer_id, Response.survey_slug == slug)
    ).first()
    return (row[0], row[1]) if row is not None else None


def mark_personal(answer: Answer, personal: bool) -> None:
    """Staff's judgement that a written answer could identify someone; the caller commits."""
    answer.personal = personal


@dataclass
class PurgeCounts:
    responses: int = 0
    answers: int = 0
    drafts: int = 0


PURGE_BATCH = 500


def purge_personal_data(
    personal_question_ids: dict[str, set[str]],
    now: datetime,
    *,
    dry_run: bool,
    submitted_before: datetime | None = None,
    survey_round: tuple[str, str] | None = None,
) -> PurgeCounts:
    """Delete the personal answers (personal questions, and answers marked personal) of every
    response not purged yet that was submitted before `submitted_before` or belongs to
    `survey_round` (slug, round), blank them in the stored copies, and delete expired drafts.

    `personal_question_ids` maps a survey slug to its personal questions. With `dry_run`
    nothing changes and the counts say what would go. The caller commits.
    """
    counts = PurgeCounts()
    pending = [Response.personal_data_purged_at.is_(None)]
    if submitted_before is not None:
        pending.append(Response.submitted_at < submitted_before)
    if survey_round is not None:
        pending += [Response.survey_slug == survey_round[0], Response.round == survey_round[1]]
    slugs = db.session.scalars(select(Response.survey_slug).where(*pending).distinct()).all()
    for slug in slugs:
        personal_ids = personal_question_ids.get(slug, set())
        personal = (
            or_(Answer.personal.is_(True), Answer.question_id.in_(personal_ids))
            if personal_ids
            else Answer.personal.is_(True)
        )
        last_id = 0
        while True:
            responses = db.session.scalars(
                select(Response)
                .where(*pending, Response.survey_slug == slug, Response.id > last_id)
                .order_by(Response.id)
                .limit(PURGE_BATCH)
            ).all()
            if not responses:
                break
            last_id = responses[-1].id
            ids = [r.id for r in responses]
            parts: dict[int, list[tuple[str, str]]] = {}
            personal_values: dict[int, set[str]] = {}
            for response_id, question_id, part, value in db.session.execute(
                select(Answer.response_id, Answer.question_id, Answer.part, Answer.value).where(
                    Answer.response_id.in_(ids), personal
                )
            ).all():
                parts.setdefault(response_id, []).append((question_id, part))
                personal_values.setdefault(response_id, set()).add(value)
            counts.responses += len(responses)
            counts.answers += sum(len(p) for p in parts.values())
            if dry_run:
                continue
            for response in responses:
                answers = dict(response.answers or {})
                for question_id in personal_ids:
                    answer_format.blank_question(answers, question_id)
                for question_id, part in parts.get(response.id, ()):
                    answer_format.blank_part(answers, question_id, part)
                response.answers = answers
                flag_modified(response, "answers")
                if response.area is not None and response.area in personal_values.get(response.id, ()):
                    response.area = None  # it came from an answer deleted as personal ("Other" text)
                response.personal_data_purged_at = now
            db.session.execute(delete(Answer).where(Answer.response_id.in_(ids), personal))
            db.session.flush()
    expired = Draft.expires_at < now
    counts.drafts = db.session.scalar(select(func.count()).select_from(Draft).where(expired)) or 0
    if not dry_run:
        db.session.execute(delete(Draft).where(expired))
    return counts


def not_yet_purged(slug: str, round_: str) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Response)
            .where(Response.survey_slug == slug, Response.round == round_, Response.personal_data_purged_at.is_(None))
        )
        or 0
    )
