"""The "to confirm" marker: a detail an author still has to check, kept out of the public page.

Authors mark an unconfirmed detail in one of two ways:

- in the front matter, a list: `to_confirm: [the team's phone number]`;
- in the body, an HTML comment on its own or inside a paragraph:
  `<!-- to confirm: the local domestic abuse service's number -->`.

Comments never reach the page (the sanitiser strips them), so the page must say in words how
to get the detail meanwhile. `flask content check` lists every marker as a warning, the staff
dashboard shows them and production start-up writes them to the log.
"""

from __future__ import annotations

import re

from app.content.pages import ToConfirm
from app.content.reading.source import Source

FRONT_MATTER_KEY = "to_confirm"
INLINE = re.compile(r"<!--\s*to[ _-]?confirm\s*:\s*(.*?)\s*-->", re.I | re.S)


def inline_markers(source: Source) -> list[ToConfirm]:
    return [
        ToConfirm(source.body_line_of(match.start()), " ".join(match.group(1).split()) or "(no details given)")
        for match in INLINE.finditer(source.body)
    ]


def front_matter_markers(source: Source) -> tuple[list[ToConfirm], str | None]:
    """The front matter list, and a problem message when it is not a list of text."""
    value = source.meta.get(FRONT_MATTER_KEY)
    if value is None:
        return [], None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
        return [], (
            f"The `{FRONT_MATTER_KEY}` must be a list of details still to check, "
            f"e.g. `{FRONT_MATTER_KEY}: [the team's phone number]`."
        )
    line = source.line_of(FRONT_MATTER_KEY)
    return [ToConfirm(line, " ".join(item.split())) for item in items], None
