""""You said, we did": the figures frozen at publishing time, with small numbers suppressed.

The snapshot is plain JSON stored with the summary, so later responses, deletions or a
retention purge never change a page the public has already read. Any count from 1 to 4 is
stored as None and shown as "fewer than 5" (and so are percentages worked out from it, or
from a base of fewer than 5), so nobody can be picked out. Free text is never included.
"""

from __future__ import annotations

import re

from app.content.render import render_markdown
from app.staff.reporting import survey_report
from app.staff.reporting.scoping import TYPE_NOUNS, DbSession

SMALL_NUMBER = 5


def suppressed(count: int | None) -> int | None:
    if count is None:
        return None
    return count if count == 0 or count >= SMALL_NUMBER else None


def _percent(count: int, value: float | None, base: int) -> float | None:
    if base < SMALL_NUMBER or suppressed(count) is None:
        return None
    return value


def snapshot(session: DbSession, survey, computed_at) -> dict:
    data = survey_report.build(session, survey)
    total = data.count.total
    figures = {
        "survey": survey.slug,
        "title": survey.title,
        "round": survey.round,
        "audience": survey.audience,
        "computed_at": computed_at.isoformat(timespec="seconds"),
        "total": suppressed(total),
        "by_type": [{"type": t.respondent_type, "noun": TYPE_NOUNS.get(t.respondent_type, (t.respondent_type,) * 2)[1],
                     "count": suppressed(t.count)} for t in data.count.by_type],
        "rankings": [],
        "distributions": [],
    }
    for section in data.sections:
        q = section.question
        if section.kind == "ranked":
            r = section.ranking
            figures["rankings"].append({
                "question": q.label, "count": r.count, "respondents": suppressed(r.respondents),
                "options": [{"rank": o.rank_label, "label": o.label, "first": suppressed(o.first), "top": suppressed(o.top),
                             "top_percent": _percent(o.top, o.top_percent, r.respondents)}
                            for o in r.options if o.top and o.option_id != "other"],
            })
        elif section.kind == "single" and q.type != "parish":
            d = section.distribution
            figures["distributions"].append({
                "question": q.label, "answered": suppressed(d.answered),
                "shares": [{"label": s.label, "count": suppressed(s.count), "percent": _percent(s.count, s.percent, d.answered)}
                           for s in d.shares],
            })
    return figures


_HEADING = re.compile(r"<(/?)h([1-5])\b([^>]*)>")
_HEADING_CLASSES = {2: "govuk-heading-m", 3: "govuk-heading-s"}


def render_commentary(markdown_text: str) -> str:
    """Staff Markdown as HTML, through the content engine's nh3 allow-list.

    The commentary sits under the page's own h2 "What we will do", so its headings move one
    level down (## becomes h3) to keep the page's outline in order."""
    html = render_markdown(markdown_text or "").html

    def shift(match) -> str:
        closing, level, rest = match.group(1), int(match.group(2)) + 1, match.group(3)
        if closing:
            return f"</h{level}>"
        rest = re.sub(r'class="[^"]*"', f'class="{_HEADING_CLASSES.get(level, "govuk-heading-s")}"', rest)
        return f"<h{level}{rest}>"

    return _HEADING.sub(shift, html)
