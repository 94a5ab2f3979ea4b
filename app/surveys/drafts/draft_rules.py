"""What a draft may hold, and how big drafts may grow. No Flask here.

A draft keeps what a respondent typed on a page that failed its checks, so a refresh loses
nothing. Without bounds that is a way to fill the database (any field name, any length), so:

- only the exact field names a page defines are kept, each cut to that field's own limit;
- a whole draft is at most DRAFT_MAX_BYTES once stored (as JSON);
- all drafts together stay under a total the site sets; when a new one would pass it, the
  drafts nobody has touched for ABANDONED_AFTER go first, oldest first, before anyone is refused.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from app.surveys.questions.definitions import OTHER_ID, Page, Question, SurveyDefinition
from app.surveys.questions.validation import other_max_length

DRAFT_MAX_BYTES = 32 * 1024
DEFAULT_TOTAL_MAX_BYTES = 50 * 1024 * 1024
ABANDONED_AFTER = timedelta(minutes=30)
CHOICE_VALUE_LIMIT = 200  # option ids and parish names are far shorter
DATE_PART_LIMIT = 4
TEXT_LIMIT_FALLBACK = 1000


class DraftTooLarge(ValueError):
    """The answers alone, without what was typed on failed pages, are over the limit."""


class DraftsFull(RuntimeError):
    """Every draft is in use and together they are at the site's limit."""


def _other(question: Question, fields: dict[str, tuple[int, int]]) -> None:
    fields[f"{question.id}-{OTHER_ID}"] = (other_max_length(question), 1)


def page_fields(survey: SurveyDefinition, page: Page) -> dict[str, tuple[int, int]]:
    """Each field name the page's form has: (longest value kept, most values kept)."""
    fields: dict[str, tuple[int, int]] = {}
    for q in page.questions:
        text_limit = q.max_length or TEXT_LIMIT_FALLBACK
        if q.issues_for:
            target = survey.question(q.issues_for)
            for option in target.choices if target is not None else ():
                fields[f"{q.id}-{option.id}"] = (text_limit, 1)
        elif q.type in ("single", "yesno", "parish"):
            fields[q.id] = (CHOICE_VALUE_LIMIT, 1)
            _other(q, fields)
        elif q.type == "multiple":
            fields[q.id] = (CHOICE_VALUE_LIMIT, len(q.options) + 1)
            _other(q, fields)
        elif q.type == "ranked":
            for n in range(1, q.count + 1):
                fields[f"{q.id}-{n}"] = (CHOICE_VALUE_LIMIT, 1)
            _other(q, fields)
        elif q.type == "rating":
            for item in q.items:
                fields[f"{q.id}-{item.id}"] = (CHOICE_VALUE_LIMIT, 1)
        elif q.type == "date":
            for part in ("day", "month", "year"):
                fields[f"{q.id}-{part}"] = (DATE_PART_LIMIT, 1)
        else:
            fields[q.id] = (text_limit, 1)
    return fields


def raw_for_page(survey: SurveyDefinition, page: Page, form: dict[str, list[str]]) -> dict[str, list[str]]:
    """What was typed on a page, as far as the page's own fields and their limits go."""
    kept: dict[str, list[str]] = {}
    for name, (longest, most) in page_fields(survey, page).items():
        values = [v[:longest] for v in form.get(name) or () if isinstance(v, str)][:most]
        if values:
            kept[name] = values
    return kept


def stored_size(data: dict[str, Any]) -> int:
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def bounded(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The draft as it will be stored, and its size. What was typed on failed pages is
    dropped before the answers are: the answers passed their checks, the typing did not."""
    size = stored_size(data)
    if size <= DRAFT_MAX_BYTES:
        return data, size
    trimmed = {**data, "raw": {}}
    size = stored_size(trimmed)
    if size > DRAFT_MAX_BYTES:
        raise DraftTooLarge(f"draft of {size} bytes")
    return trimmed, size
