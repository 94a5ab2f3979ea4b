"""The "Content to review" page: what authors still have to confirm or check again."""

from flask import render_template

from app.content.notices import REVIEW_DUE, TO_CONFIRM
from app.staff.auth.access import requires
from app.staff.blueprint import bp
from app.staff.website import content_review


@bp.route("/content")
@requires("analyst")
def content_to_review() -> str:
    found = content_review.notices()
    return render_template(
        "staff/content_review.html",
        staff_active="staff.content_to_review",
        to_confirm=[n for n in found if n.kind == TO_CONFIRM],
        reviews=[n for n in found if n.kind == REVIEW_DUE],
    )
