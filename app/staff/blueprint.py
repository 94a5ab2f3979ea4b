"""The staff blueprint: deny-by-default access (see access.py) and no-store on every response."""

from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user

from app.staff import navigation
from app.staff.auth import access
from app.surveys import repository

bp = Blueprint("staff", __name__, url_prefix="/staff")
bp.before_request(access.enforce)
bp.after_request(access.no_store)


@bp.errorhandler(429)
def too_many_attempts(_error):
    return render_template("staff/too_many_attempts.html"), 429


@bp.context_processor
def staff_navigation() -> dict[str, Any]:
    if not current_user.is_authenticated:
        return {"staff_nav": [], "staff_section": None}
    return {
        "staff_nav": navigation.menu_for(current_user.is_admin),
        "staff_section": navigation.section_of(request.endpoint),
    }


@bp.context_processor
def sample_data_warning():
    """Made-up responses must never pass for real ones: every staff page says they are there."""
    if not current_user.is_authenticated:
        return {"sample_responses": 0}
    return {"sample_responses": repository.sample_response_count()}
