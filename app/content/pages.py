"""Typed page objects: what one Markdown file in `content/` becomes once it is read and checked.

They are frozen: a page is built once when the content is loaded and then shared by every
request, so nothing may change it afterwards.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TocEntry:
    """One line of a page's table of contents: a section heading and its id."""

    id: str
    text: str
    level: int


@dataclass(frozen=True)
class ToConfirm:
    """A detail an author has not confirmed yet: listed by the content check, never shown."""

    line: int | None  # the file line of the marker, or None for the front matter list
    text: str


@dataclass(frozen=True, kw_only=True)
class Page:
    source: str  # path relative to the content folder, e.g. "campaigns/fatal-four.md"
    type: str
    slug: str
    url: str
    title: str
    summary: str
    html: str  # the body, rendered and sanitised: safe to insert into a template as it is
    html_parts: tuple[str, ...] = ()  # the body split where a page asks for generated content
    text: str = ""  # the body as plain text, for search
    toc: tuple[TocEntry, ...] = ()  # empty when the page shows no table of contents
    anchors: frozenset[str] = frozenset()  # the ids in the body
    links: tuple[str, ...] = ()  # every href and src in the body, in order
    date: datetime.date | None = None
    order: int | None = None
    published: bool = True
    tags: tuple[str, ...] = ()
    review_by: datetime.date | None = None
    quick_exit: bool = False  # show the "Exit this page" button and advice on covering your tracks
    keywords: tuple[str, ...] = ()  # extra words and phrases people search with
    to_confirm: tuple[ToConfirm, ...] = ()
    sources: tuple[str, ...] = ()  # public sources for facts not in the partnership's plans
    all_headings: tuple[TocEntry, ...] = ()  # every h2 and h3, whether or not the page shows contents

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(entry.text for entry in self.all_headings)

    def link_targets(self) -> frozenset[str]:
        """Every id a link to this page may name after the #."""
        return self.anchors

    def review_due(self, today: datetime.date) -> bool:
        return self.review_by is not None and self.review_by <= today


@dataclass(frozen=True, kw_only=True)
class Home(Page):
    pass


@dataclass(frozen=True, kw_only=True)
class GenericPage(Page):
    pass


@dataclass(frozen=True, kw_only=True)
class Plan(Page):
    period: str
    status: str  # "current" (the latest plan) or "archived"
    starts: datetime.date | None = None
    ends: datetime.date | None = None
    now: str | None = None  # the author's own line on what is happening now

    @property
    def is_current(self) -> bool:
        return self.status == "current"

    def covers(self) -> str:
        """ "April 2020 to March 2023", or the `period` label when the dates are not given."""
        if self.starts is None or self.ends is None:
            return self.period
        return f"{self.starts:%B %Y} to {self.ends:%B %Y}"

    def has_ended(self, today: datetime.date) -> bool:
        return self.ends is not None and self.ends < today

    def period_sentence(self, today: datetime.date) -> str:
        """What the plan's dates say about it on `today`, e.g. "Our latest plan covered April 2020 to March 2023." """
        if self.starts is not None and today < self.starts:
            return f"This plan will cover {self.covers()}."
        if not self.is_current:
            return f"This earlier plan covered {self.covers()}."
        if self.has_ended(today):
            return f"Our latest plan covered {self.covers()}."
        return f"Our plan covers {self.covers()}."


@dataclass(frozen=True)
class FocusArea:
    id: str
    title: str
    summary: str


@dataclass(frozen=True, kw_only=True)
class Priority(Page):
    focus_areas: tuple[FocusArea, ...] = field(default_factory=tuple)

    def link_targets(self) -> frozenset[str]:
        return self.anchors | {area.id for area in self.focus_areas}

    def focus_areas_without_section(self) -> list[FocusArea]:
        """Focus areas the body has no heading for: the page lists these itself, with their ids."""
        return [area for area in self.focus_areas if area.id not in self.anchors]

    def tag_ids(self) -> frozenset[str]:
        """The tags that put a campaign under this priority: its slug or a focus area's id."""
        return frozenset({self.slug, *(area.id for area in self.focus_areas)})


@dataclass(frozen=True, kw_only=True)
class Campaign(Page):
    pass


@dataclass(frozen=True, kw_only=True)
class NewsItem(Page):
    pass


PAGE_CLASSES: dict[str, type[Page]] = {
    "home": Home,
    "page": GenericPage,
    "plan": Plan,
    "priority": Priority,
    "campaign": Campaign,
    "news": NewsItem,
}
