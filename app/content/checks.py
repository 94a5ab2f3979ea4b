"""Checks across files: addresses, plans, tags, internal links and heading order.

Each check needs every page at once (a link is broken only if no page has that address), so
they run after all files are read.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlsplit

from app.content.markdown.urls import PAGES_WITH_OWN_VIEW, RESERVED_SLUGS, SITE_ROUTES, belongs_to_other_feature
from app.content.pages import Page, Plan, Priority
from app.content.problems import Problem
from app.content.reading.source import Source

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_EXTERNAL = ("http://", "https://", "mailto:", "tel:", "sms:", "//")


def check_site(pages: list[Page], sources: dict[str, Source]) -> list[Problem]:
    problems: list[Problem] = []
    problems += _home(pages)
    problems += _addresses(pages, sources)
    problems += _plans(pages, sources)
    problems += _tags(pages, sources)
    # A published page wins the address when an unpublished one has it too.
    by_url = {page.url: page for page in sorted(pages, key=lambda page: page.published)}
    for page in pages:
        source = sources[page.source]
        problems += _links(page, source, by_url)
        problems += _headings(source)
    return problems


def _home(pages: list[Page]) -> list[Problem]:
    if any(page.type == "home" for page in pages):
        return []
    return [Problem("home.md", None, "The home page is missing: add home.md with `type: home`, a title and a summary.")]


def _addresses(pages: list[Page], sources: dict[str, Source]) -> list[Problem]:
    problems = []
    by_url: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        by_url[page.url].append(page)
        if page.type == "page" and page.slug in RESERVED_SLUGS and page.slug not in PAGES_WITH_OWN_VIEW:
            problems.append(
                Problem(
                    page.source,
                    sources[page.source].field_lines.get("slug"),
                    f"The address {page.url} belongs to the site itself: choose another slug or file name.",
                )
            )
    for url, same in by_url.items():
        if len(same) > 1:
            for page in same:
                others = ", ".join(other.source for other in same if other is not page)
                problems.append(
                    Problem(
                        page.source,
                        sources[page.source].field_lines.get("slug"),
                        f"Duplicate slug: {others} has the same address ({url}). "
                        "Change the slug or file name of one of them.",
                    )
                )
    return problems


def _plans(pages: list[Page], sources: dict[str, Source]) -> list[Problem]:
    current = [page for page in pages if isinstance(page, Plan) and page.published and page.is_current]
    if not current:
        return [Problem("plans", None, "No published plan has `status: current`: the Our plan page needs one.")]
    return (
        [
            Problem(
                plan.source,
                sources[plan.source].line_of("status"),
                f"Only one plan can be current, but {', '.join(p.source for p in current if p is not plan)} is too: "
                "set the older one to `status: archived`.",
            )
            for plan in current
        ]
        if len(current) > 1
        else []
    )


def _tags(pages: list[Page], sources: dict[str, Source]) -> list[Problem]:
    problems = []
    priorities = [page for page in pages if isinstance(page, Priority)]
    owners: dict[str, str] = {}
    for priority in priorities:
        owners.setdefault(priority.slug, priority.source)
    for priority in priorities:
        for area in priority.focus_areas:
            if area.id in owners:
                problems.append(
                    Problem(
                        priority.source,
                        sources[priority.source].line_of("focus_areas"),
                        f"The focus area id `{area.id}` is already used by {owners[area.id]}: ids must be unique.",
                    )
                )
            else:
                owners[area.id] = priority.source
    known = ", ".join(sorted(owners)) or "none yet"
    for page in pages:
        for tag in page.tags:
            if tag not in owners:
                problems.append(
                    Problem(
                        page.source,
                        sources[page.source].line_of("tags"),
                        f"Unknown tag `{tag}`: tags must be a priority slug or a focus area id ({known}).",
                    )
                )
    return problems


def _links(page: Page, source: Source, by_url: dict[str, Page]) -> list[Problem]:
    problems = []
    cursor = 0
    for link in page.links:
        found = source.body.find(link, cursor)
        if found < 0:
            found = source.body.find(link)
        else:
            cursor = found + len(link)
        line = source.body_line_of(found) if found >= 0 else source.body_line
        message = _link_problem(link, page, by_url)
        if message:
            problems.append(Problem(page.source, line, message))
    return problems


def _link_problem(link: str, page: Page, by_url: dict[str, Page]) -> str | None:
    if link.lower().startswith(_EXTERNAL):
        return None
    parts = urlsplit(link)
    if link.startswith("#"):
        if parts.fragment and parts.fragment not in page.link_targets():
            return (
                f"The link `{link}` points to a section that is not on this page "
                f"(no heading with the id `{parts.fragment}`)."
            )
        return None
    if not link.startswith("/"):
        return (
            f"The link `{link}` is relative: start links to pages of this site with / "
            "(e.g. /campaigns/fatal-four), and links to other sites with https://."
        )
    path = parts.path
    target = by_url.get(path)
    if target is not None:
        if not target.published and page.published:
            return f"The link `{link}` points to {target.source}, which is not published (`published: false`)."
        if parts.fragment and parts.fragment not in target.link_targets():
            return (
                f"The link `{link}` points to a section that is not on {path} "
                f"(no heading with the id `{parts.fragment}`)."
            )
        return None
    if path in SITE_ROUTES or belongs_to_other_feature(path):
        return None
    if path.endswith("/") and (path.rstrip("/") in by_url or path.rstrip("/") in SITE_ROUTES):
        return f"The link `{link}` ends with a slash: remove it ({path.rstrip('/')})."
    return f"The link `{link}` points to a page that does not exist."


def _headings(source: Source) -> list[Problem]:
    """One h1 per page (the title) and headings in order, as screen-reader users navigate by them."""
    problems = []
    previous = 1
    in_fence = False
    for offset, line in enumerate(source.body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else _HEADING.match(line)
        if not match:
            continue
        level, text = len(match.group(1)), match.group(2)
        where = source.body_line + offset
        if level == 1:
            problems.append(
                Problem(
                    source.path,
                    where,
                    f"The heading `# {text}` is a second page title: "
                    "the title is the page's only top-level heading, so start sections with ##.",
                )
            )
        elif level > previous + 1:
            problems.append(
                Problem(
                    source.path,
                    where,
                    f"The heading `{text}` jumps from level {previous} to level {level}: "
                    f"use {'#' * (previous + 1)} so headings go in order.",
                )
            )
        if level > 1:
            previous = level
    return problems
