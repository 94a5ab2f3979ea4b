"""The public site's address scheme, shared by the content check and the site's routes.

The content check needs it to tell a broken internal link from a good one without importing
the web framework; the site's blueprint registers exactly these routes.
"""

import re

# Where each type of page is published, from its slug.
URL_PATTERNS = {
    "home": "/",
    "page": "/{slug}",
    "plan": "/plan/{slug}",
    "priority": "/priorities/{slug}",
    "campaign": "/campaigns/{slug}",
    "news": "/news/{slug}",
}

# The folder each type lives in (home.md sits at the top of content/).
FOLDER_TYPES = {
    "pages": "page",
    "plans": "plan",
    "priorities": "priority",
    "campaigns": "campaign",
    "news": "news",
}

# Pages the site builds itself rather than from one Markdown file.
SITE_ROUTES = frozenset(
    {
        "/",
        "/plan",
        "/priorities",
        "/campaigns",
        "/news",
        "/news/feed.xml",
        "/crime-figures",
        "/search",
        "/sitemap.xml",
        "/robots.txt",
    }
)

# Other features own everything under these paths (the surveys feature, static files).
OTHER_FEATURE_PREFIXES = ("/consultations/", "/static/")

# pages/<slug>.md is published at /<slug>, so a slug must not take an address the site or
# another feature already uses. A page with its own view may share its slug with that view.
RESERVED_SLUGS = frozenset(
    {
        "plan",
        "priorities",
        "campaigns",
        "news",
        "search",
        "sitemap.xml",
        "robots.txt",
        "consultations",
        "static",
        "staff",
        "crime-figures",
    }
)
PAGES_WITH_OWN_VIEW = frozenset({"crime-figures"})

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NEWS_FILE = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")


def url_for_page(page_type: str, slug: str) -> str:
    return URL_PATTERNS[page_type].format(slug=slug)


def belongs_to_other_feature(path: str) -> bool:
    return path == "/consultations" or any(path.startswith(prefix) for prefix in OTHER_FEATURE_PREFIXES)
