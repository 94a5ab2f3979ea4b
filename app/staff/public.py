"""The public "You said, we did" pages: only what staff have published, the same for everyone."""

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from app.extensions import db
from app.staff.models import PublishedSummary
from app.staff.publishing import headline

bp = Blueprint("published", __name__)


def published(slug: str) -> PublishedSummary | None:
    return db.session.scalar(select(PublishedSummary).where(PublishedSummary.survey_slug == slug,
                                                            PublishedSummary.published.is_(True)))


def published_summary_for(slug: str) -> dict | None:
    """For the surveys feature's pages (via the _published_summary.html partial)."""
    summary = published(slug)
    if summary is None or not summary.snapshot:
        return None
    return {"url": f"/consultations/{slug}/you-said-we-did", "headline": headline(summary.snapshot),
            "published_at": summary.published_at}


@bp.route("/consultations/<slug>/you-said-we-did")
def summary(slug):
    found = published(slug)
    if found is None or not found.snapshot:
        abort(404)
    return render_template("staff/public_summary.html", summary=found, figures=found.snapshot,
                           commentary_html=found.snapshot.get("commentary_html", ""), nav_active="/consultations")
