""" "You said, we did": the figures frozen at publishing time, with small numbers suppressed.

The snapshot is plain JSON stored with the summary, so later responses, deletions or a
retention purge never change a page the public has already read. Any count from 1 to 4 is
stored as None and shown as "fewer than 5" (and so are percentages worked out from it, or
from a base of fewer than 5), so nobody can be picked out. Free text is never included.

Secondary suppression: where counts add up to a total the page shows (respondent types to all
responses, answers to the people who answered, first choices to respondents, top-three places
to three per respondent), one hidden count could be worked out by subtraction. So whenever
exactly one count in such a group is hidden (counting what the page leaves out, such as
"Other"), the next smallest count is withheld too, stored as WITHHELD and shown as "5 or more".
"""

from __future__ import annotations

import re

from app.content.markdown.render import render_markdown
from app.staff.reporting import survey_report
from app.staff.reporting.scoping import TYPE_NOUNS, DbSession

SMALL_NUMBER = 5
WITHHELD = "withheld"


def suppressed(count: int | None) -> int | None:
    if count is None:
        return None
    return count if count == 0 or count >= SMALL_NUMBER else None


def _percent(count: int, value: float | None, base: int) -> float | None:
    if base < SMALL_NUMBER or suppressed(count) is None:
        return None
    return value


def _small(count: int) -> bool:
    return 0 < count < SMALL_NUMBER


def protected(counts: list[int], total: int, shown_total: bool = True) -> list[int | str | None]:
    """The counts as published: small ones None, and one more WITHHELD wherever a single hidden
    count could otherwise be found from `total` (whatever of the total the counts leave out
    counts as hidden when it is small)."""
    published: list[int | str | None] = [suppressed(c) for c in counts]
    if not shown_total or total < SMALL_NUMBER:
        return published
    hidden = sum(1 for c in counts if _small(c)) + (1 if _small(total - sum(counts)) else 0)
    if hidden == 1:
        others = [i for i, c in enumerate(counts) if c >= SMALL_NUMBER]
        if others:
            published[min(others, key=lambda i: counts[i])] = WITHHELD
    return published


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
        "by_type": [
            {
                "type": t.respondent_type,
                "noun": TYPE_NOUNS.get(t.respondent_type, (t.respondent_type,) * 2)[1],
                "count": count,
            }
            for t, count in zip(
                data.count.by_type, protected([t.count for t in data.count.by_type], total), strict=True
            )
        ],
        "rankings": [],
        "distributions": [],
    }
    for section in data.sections:
        q = section.question
        if section.kind == "ranked":
            r = section.ranking
            listed = [o for o in r.options if o.top and o.option_id != "other"]
            firsts = protected([o.first for o in listed], r.respondents)
            tops = protected([o.top for o in listed], r.respondents * r.count)
            figures["rankings"].append(
                {
                    "question": q.label,
                    "count": r.count,
                    "respondents": suppressed(r.respondents),
                    "options": [
                        {
                            "rank": o.rank_label,
                            "label": o.label,
                            "first": first,
                            "top": top,
                            "top_percent": _percent(o.top, o.top_percent, r.respondents) if top != WITHHELD else None,
                        }
                        for o, first, top in zip(listed, firsts, tops, strict=True)
                    ],
                }
            )
        elif section.kind == "single" and q.type != "parish":
            d = section.distribution
            counts = protected([s.count for s in d.shares], d.answered)
            figures["distributions"].append(
                {
                    "question": q.label,
                    "answered": suppressed(d.answered),
                    "shares": [
                        {
                            "label": s.label,
                            "count": count,
                            "percent": _percent(s.count, s.percent, d.answered) if count != WITHHELD else None,
                        }
                        for s, count in zip(d.shares, counts, strict=True)
                    ],
                }
            )
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
