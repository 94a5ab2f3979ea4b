"""Everything in `content/` once it has been read: the pages, the figures and their problems.

The site asks this object questions ("the current plan", "campaigns under this priority");
it never reads a file itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from app.content.figures import RECORDED_CRIME, FiguresTable
from app.content.markdown.urls import url_for_page
from app.content.pages import PAGE_CLASSES, Campaign, FocusArea, Home, NewsItem, Page, Plan, Priority
from app.content.problems import Problem
from app.content.search import SearchDocument, SearchIndex

P = TypeVar("P", bound=Page)


def listing_order(page: Page) -> tuple[bool, int, int, str]:
    """`order` first (pages without one after), then newest first, then by title."""
    return (page.order is None, page.order or 0, -(page.date.toordinal()) if page.date else 0, page.title.casefold())


def newest_first(page: Page) -> tuple[bool, int, bool, int, int, str]:
    return (page.date is None, -(page.date.toordinal()) if page.date else 0, *listing_order(page))


@dataclass
class Content:
    directory: str
    pages: tuple[Page, ...]  # every page read, published or not
    figures: dict[str, FiguresTable] = field(default_factory=dict)  # by file name
    problems: tuple[Problem, ...] = ()

    def __post_init__(self) -> None:
        self._published = [page for page in self.pages if page.published]
        self._by_url = {page.url: page for page in self._published}
        self._focus_owner: dict[str, tuple[Priority, FocusArea | None]] = {}
        for priority in self.of_type(Priority):
            self._focus_owner[priority.slug] = (priority, None)
            for area in priority.focus_areas:
                self._focus_owner[area.id] = (priority, area)
        self.search_index = SearchIndex(self._published)

    # --- Lookups -----------------------------------------------------------------------------
    def page_at(self, url: str) -> Page | None:
        """The published page at a site address, or None."""
        return self._by_url.get(url)

    def page_of_type(self, cls: type[Page], slug: str) -> Page | None:
        page = self._by_url.get(_url_of(cls, slug))
        return page if isinstance(page, cls) else None

    def of_type(self, cls: type[P]) -> list[P]:
        return sorted((p for p in self._published if isinstance(p, cls)), key=listing_order)

    @property
    def published_pages(self) -> list[Page]:
        return list(self._published)

    @property
    def home(self) -> Home | None:
        return next(iter(self.of_type(Home)), None)

    @property
    def current_plan(self) -> Plan | None:
        return next((plan for plan in self.of_type(Plan) if plan.is_current), None)

    @property
    def archived_plans(self) -> list[Plan]:
        return sorted(
            (plan for plan in self.of_type(Plan) if not plan.is_current), key=lambda plan: plan.period, reverse=True
        )

    @property
    def priorities(self) -> list[Priority]:
        return self.of_type(Priority)

    @property
    def campaigns(self) -> list[Campaign]:
        return self.of_type(Campaign)

    @property
    def news(self) -> list[NewsItem]:
        return sorted(self.of_type(NewsItem), key=newest_first)

    def latest_campaigns(self, count: int) -> list[Campaign]:
        return sorted(self.campaigns, key=newest_first)[:count]

    def campaigns_for(self, priority: Priority) -> list[Campaign]:
        wanted = priority.tag_ids()
        return [campaign for campaign in self.campaigns if wanted.intersection(campaign.tags)]

    def tag_targets(self, page: Page) -> list[dict[str, object]]:
        """Where each of a page's tags points: the priority, and the focus area if the tag is one."""
        targets: list[dict[str, object]] = []
        for tag in page.tags:
            owner = self._focus_owner.get(tag)
            if owner is None:
                continue
            priority, area = owner
            if area is None:
                targets.append({"text": priority.title, "href": priority.url, "priority": priority, "area": None})
            else:
                targets.append(
                    {"text": area.title, "href": f"{priority.url}#{area.id}", "priority": priority, "area": area}
                )
        return targets

    @property
    def recorded_crime(self) -> FiguresTable | None:
        return self.figures.get(RECORDED_CRIME)

    def search(self, query: str) -> list[SearchDocument]:
        return self.search_index.search(query)

    def reviews_due(self, today: date) -> list[Page]:
        """Pages whose `review_by` date has come: a reminder for authors, not a problem."""
        return sorted(
            (page for page in self.pages if page.review_due(today)), key=lambda page: page.review_by or date.min
        )


def _url_of(cls: type[Page], slug: str) -> str:
    page_type = next(name for name, klass in PAGE_CLASSES.items() if klass is cls)
    return url_for_page(page_type, slug)
