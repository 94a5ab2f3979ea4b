"""The machine-readable documents: the Atom news feed, sitemap.xml and robots.txt.

Addresses in them are absolute and built from the SITE_URL setting, never from the request's
Host header: these documents are cached and shared, so a forged Host must not end up in them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any
from xml.etree import ElementTree as ET

from app.content.pages import NewsItem, Page

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


def _timestamp(day: date) -> str:
    return datetime.combine(day, time(0, 0), tzinfo=UTC).isoformat().replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def atom_feed(
    *,
    site_name: str,
    base_url: str,
    items: list[NewsItem],
    today: date,
    feed_path: str = "/news/feed.xml",
    list_path: str = "/news",
    email: str | None = None,
) -> bytes:
    # Plain tag names under an explicit default xmlns: ElementTree's namespace registry is
    # global, so two threads writing different documents could swap each other's prefixes.
    feed = ET.Element("feed", {"xmlns": ATOM, XML_BASE: base_url + "/"})
    _add(feed, "id", base_url + feed_path)
    _add(feed, "title", f"News from {site_name}")
    _add(feed, "updated", _timestamp(max((item.date for item in items), default=today)))
    _add(feed, "link", rel="self", type="application/atom+xml", href=base_url + feed_path)
    _add(feed, "link", rel="alternate", type="text/html", href=base_url + list_path)
    author = _add(feed, "author")
    _add(author, "name", site_name)
    if email:
        _add(author, "email", email)
    for item in items:
        entry = _add(feed, "entry")
        _add(entry, "id", base_url + item.url)
        _add(entry, "title", item.title)
        _add(entry, "link", rel="alternate", type="text/html", href=base_url + item.url)
        _add(entry, "published", _timestamp(item.date))
        _add(entry, "updated", _timestamp(item.date))
        _add(entry, "summary", item.summary)
        _add(entry, "content", item.html, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def sitemap(base_url: str, entries: list[tuple[str, date | None]]) -> bytes:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    for path, lastmod in entries:
        url = _add(urlset, "url")
        _add(url, "loc", base_url + path)
        if lastmod:
            _add(url, "lastmod", lastmod.isoformat())
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


# Staff pages, invitation links (a prefetcher opening one would mark it "opened") and every
# step of a survey journey are for people, not crawlers.
PRIVATE_PREFIXES = ("/staff", "/invite/")
# Pages under a consultation's address that are public and worth finding.
PUBLIC_CONSULTATION_PAGES = ("you-said-we-did",)


def robots_txt(base_url: str, survey_slugs: list[str]) -> str:
    """Rules that mean the same to crawlers that take the first matching line (Python's
    urllib.robotparser) and to those that take the longest (Google, protego): every Allow comes
    before the Disallow it narrows and is longer than it. No wildcards: first-match readers take
    them literally."""
    allow = [f"Allow: /consultations/{slug}/{page}" for slug in survey_slugs for page in PUBLIC_CONSULTATION_PAGES]
    disallow = [f"Disallow: {prefix}" for prefix in PRIVATE_PREFIXES]
    disallow += [f"Disallow: /consultations/{slug}/" for slug in survey_slugs]
    return "\n".join(["User-agent: *", *allow, *disallow, "", f"Sitemap: {base_url}/sitemap.xml", ""])


def consultation_entries(
    surveys: list,
    today: date,
    published: Callable[[str], dict | None] | None,
    undated: date | None = None,
    closes_on: Callable[[Any], date | None] | None = None,
) -> list[tuple[str, date | None]]:
    """Each consultation's start page (its round's results, for a closed round) and its
    published "You said, we did" page, dated by when they last changed; a past round whose
    dates are not recorded by `undated` (when its file last changed)."""
    entries: list[tuple[str, date | None]] = []
    for survey in surveys:
        closes = closes_on(survey) if closes_on is not None else survey.closes
        if closes is not None and closes < today:
            changed = closes
        elif survey.opens is not None and survey.opens <= today:
            changed = survey.opens
        else:
            changed = undated
        summary = published(survey.slug) if published is not None else None
        if summary is not None:
            published_on = summary["published_at"].date()
            entries.append((summary["url"], published_on))
            changed = max(changed, published_on) if changed else published_on
        entries.append((f"/consultations/{survey.slug}", changed))
    return entries


def sitemap_entries(
    pages: list[Page],
    extra_paths: list[str],
    *,
    content_dates: dict[str, date] | None = None,
    consultations: list[tuple[str, date | None]] = (),
) -> list[tuple[str, date | None]]:
    """Every published page, the site's own list pages and the consultations, each address once.

    A page is dated by its front matter, or else by when its file last changed; a list page by
    its newest entry."""
    dates = content_dates or {}
    entries: dict[str, date | None] = dict.fromkeys(extra_paths)
    for page in pages:
        entries[page.url] = page.date or dates.get(page.url)
    for path, changed in consultations:
        entries[path] = changed
    newest = max((changed for changed in entries.values() if changed), default=None)
    for path in extra_paths:
        children = [changed for child, changed in entries.items() if child.startswith(path + "/") and changed]
        # The home page shows the newest of everything; a list page its newest entry.
        entries[path] = newest if path == "/" else max(children, default=None) or entries[path] or newest
    return sorted(entries.items(), key=lambda entry: (entry[0] != "/", entry[0]))
