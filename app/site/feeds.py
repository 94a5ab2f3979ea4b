"""The machine-readable documents: the Atom news feed, sitemap.xml and robots.txt.

Addresses in them are absolute and built from the SITE_URL setting, never from the request's
Host header: these documents are cached and shared, so a forged Host must not end up in them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
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


def atom_feed(*, site_name: str, base_url: str, items: list[NewsItem], today: date,
              feed_path: str = "/news/feed.xml", list_path: str = "/news", email: str | None = None) -> bytes:
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


def robots_txt(base_url: str) -> str:
    return "\n".join([
        "User-agent: *",
        "Allow: /",
        "Disallow: /staff/",
        f"Sitemap: {base_url}/sitemap.xml",
        "",
    ])


def sitemap_entries(pages: list[Page], extra_paths: list[str]) -> list[tuple[str, date | None]]:
    """Every published page plus the site's own list pages, each address once."""
    entries: dict[str, date | None] = dict.fromkeys(extra_paths)
    for page in pages:
        entries[page.url] = page.date
    return sorted(entries.items(), key=lambda entry: (entry[0] != "/", entry[0]))
