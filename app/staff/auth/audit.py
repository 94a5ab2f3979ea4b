"""The audit log: who did what, when (UTC). Never response content or secrets.

Text is cleaned of line breaks and other control characters before it is stored or logged,
so nobody can forge extra log lines through an email address or a search term.
"""

import logging
import re

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.staff.staff_models import AuditEvent

log = logging.getLogger("app.staff.auth.audit")

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def clean(text, limit: int = 500) -> str:
    return _CONTROL.sub(" ", str(text or ""))[:limit]


def record(action: str, detail: str = "", user=None, actor: str | None = None, commit: bool = True) -> AuditEvent:
    if user is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        user = current_user
    ip = request.remote_addr if has_request_context() else None
    event = AuditEvent(
        at=clock.now(),
        user_id=getattr(user, "id", None),
        actor=clean(actor or getattr(user, "email", None) or "command line", 254),
        action=clean(action, 60),
        detail=clean(detail),
        ip=clean(ip, 64) if ip else None,
    )
    db.session.add(event)
    if commit:
        db.session.commit()
    log.info("audit action=%s actor=%s detail=%s", event.action, event.actor, event.detail)
    return event


def page(number: int, per_page: int = 50) -> tuple[list[AuditEvent], int]:
    total = db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    events = db.session.scalars(
        select(AuditEvent)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    ).all()
    return list(events), total
