"""The public "You said, we did" pages: only what staff have published, the same for everyone."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, url_for
from sqlalchemy import select

from app.extensions import db
from app.surveys.survey_models import PublishedSummary

bp = Blueprint("published", __name__)


def published(slug: str) -> PublishedSummary | None:
    return db.session.scalar(
        select(PublishedSummary).where(PublishedSummary.survey_slug == slug, PublishedSummary.published.is_(True))
    )


def headline(figures: dict) -> str:
    """One sentence for the consultation page: how many answered and what came top."""
    total = figures.get("total")
    count = "fewer than 5 responses" if total is None else f"{total} response{'s' if total != 1 else ''}"
    sentence = f"We received {count}."
    for ranking in figures.get("rankings", []):
        top = [o["label"] for o in ranking["options"] if o["rank"] in ("1", "1=")]
        if top:
            sentence += f" Top of the list: {' and '.join(top)}."
            break
    return sentence


def published_summary_for(slug: str) -> dict[str, Any] | None:
    """The link and headline that the consultation pages show once a summary is published."""
    summary = published(slug)
    if summary is None or not summary.snapshot:
        return None
    return {
        "url": url_for("published.summary", slug=slug),
        "headline": headline(summary.snapshot),
        "published_at": summary.published_at,
    }


@bp.route("/consultations/<slug>/you-said-we-did")
def summary(slug: str) -> str:
    found = published(slug)
    if found is None or not found.snapshot:
        abort(404)
    return render_template(
        "surveys/published_summary.html",
        summary=found,
        figures=found.snapshot,
        commentary_html=found.snapshot.get("commentary_html", ""),
        nav_active="/consultations",
    )
