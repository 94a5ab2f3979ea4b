"""Warnings about content: details still to confirm and pages whose review date has passed.

Unlike problems, warnings do not stop the site: the public pages already say how to get an
unconfirmed detail, and an overdue review is a reminder. They are listed by `flask content
check`, on the staff "Content to review" page and in the log when production starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from app.content.catalogue import Content
from app.content.markers import FRONT_MATTER_KEY

TO_CONFIRM = "to confirm"
REVIEW_DUE = "review due"
# Settings files that may carry a `to_confirm:` list of their own.
YAML_FILES = ("parishes.yaml", "site.yaml")


@dataclass(frozen=True)
class Notice:
    path: str  # relative to the content folder
    line: int | None
    kind: str  # TO_CONFIRM or REVIEW_DUE
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "To confirm" if self.kind == TO_CONFIRM else "Review due"
        return f"{where}: {label}: {self.message}"

    @property
    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line or 0, self.message)


def to_confirm_notices(content: Content) -> list[Notice]:
    notices = [
        Notice(page.source, marker.line, TO_CONFIRM, marker.text)
        for page in content.pages
        for marker in page.to_confirm
    ]
    for name in YAML_FILES:
        notices += yaml_markers(Path(content.directory), name)
    return sorted(notices, key=lambda notice: notice.sort_key)


def review_notices(content: Content, today: date) -> list[Notice]:
    return [
        Notice(
            page.source,
            None,
            REVIEW_DUE,
            f"the review date {page.review_by:%-d %B %Y} has passed: check the page is still right, "
            "then set a new `review_by`.",
        )
        for page in content.reviews_due(today)
        if page.review_by is not None
    ]


def content_notices(content: Content, today: date) -> list[Notice]:
    return to_confirm_notices(content) + review_notices(content, today)


def yaml_markers(directory: Path, name: str) -> list[Notice]:
    """The `to_confirm:` list at the top level of a YAML settings file, with the line of each item."""
    path = directory / name
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []  # a missing or broken file is reported as a problem by its own reader
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value != FRONT_MATTER_KEY:
            continue
        items = value.value if isinstance(value, yaml.SequenceNode) else [value]
        return [
            Notice(name, item.start_mark.line + 1, TO_CONFIRM, " ".join(str(item.value).split()))
            for item in items
            if isinstance(item, yaml.ScalarNode) and str(item.value).strip()
        ]
    return []
