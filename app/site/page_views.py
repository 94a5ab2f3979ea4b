"""The public site's pages. Each reads the content loaded at start-up; none reads a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
)

from app.content.catalogue import Content
from app.content.markdown.urls import SITE_ROUTES, SLUG
from app.content.pages import Campaign, GenericPage, NewsItem, Page, Plan, Priority
from app.content.search import MAX_QUERY_LENGTH, SearchIndex
from app.site import SITE, feeds
from app.site import settings as site_settings
from app.site.cache import cached_page
from app.site.search_documents import site_index
from app.surveys import library, scheduling

bp = Blueprint("site", __name__)

HOME = {"text": "Home", "href": "/"}
AUDIENCES = {"resident": "Residents", "parish": "Parish and town councils"}
TYPE_LABELS = {
    "home": "Home page",
    "page": "Page",
    "plan": "Partnership plan",
    "priority": "Priority",
    "campaign": "Campaign",
    "news": "News",
    "consultation": "Consultation",
    "consultations": "Consultations",
    "listing": "List of pages",
}
LATEST = 3
SEARCH_INDEX_KEY = "site_search_index"


def content() -> Content:
    found: Content = current_app.extensions["content"].get(SITE)
    return found


def _base_url() -> str:
    return current_app.config["SITE_URL"].rstrip("/")


def _found(page: Page | None) -> Page:
    if page is None:
        abort(404)
    return page


def _slug_page(cls: type[Page], slug: str) -> Page:
    # Slugs are only ever dictionary keys, never file names; anything else is simply not found.
    if not SLUG.match(slug):
        abort(404)
    return _found(content().page_of_type(cls, slug))


def _render(template: str, page: Page | None = None, **context):
    if page is not None:
        context.setdefault("meta_description", page.summary)
    return render_template(template, page=page, content=content(), **context)


@bp.route("/")
@cached_page
def home():
    site = content()
    consultations = [survey for survey in library.surveys() if scheduling.status(survey) == scheduling.OPEN]
    return _render(
        "site/home.html",
        _found(site.home),
        nav_active="/",
        consultations=sorted(consultations, key=lambda survey: (scheduling.closes_on(survey), survey.title)),
        audiences=AUDIENCES,
        today=scheduling.today(),
        campaigns=site.latest_campaigns(LATEST),
        news=site.news[:LATEST],
    )


@bp.route("/plan")
def current_plan():
    # The current plan changes every three years, so this is a temporary redirect.
    return redirect(_found(content().current_plan).url, code=302)


@bp.route("/plan/<slug>")
@cached_page
def plan(slug):
    page = _slug_page(Plan, slug)
    site = content()
    return _render(
        "site/plan.html",
        page,
        nav_active="/plan",
        breadcrumbs=[HOME],
        current=site.current_plan,
        today=scheduling.today(),
        other_plans=[p for p in [site.current_plan, *site.archived_plans] if p is not None and p is not page],
    )


@bp.route("/priorities")
@cached_page
def priorities():
    return _render(
        "site/priorities.html",
        nav_active="/priorities",
        breadcrumbs=[HOME],
        meta_description="The partnership's priorities: the themes and focus areas we work on together.",
        priorities=content().priorities,
        current=content().current_plan,
        today=scheduling.today(),
    )


@bp.route("/priorities/<slug>")
@cached_page
def priority(slug):
    page = _slug_page(Priority, slug)
    return _render(
        "site/priority.html",
        page,
        nav_active="/priorities",
        breadcrumbs=[HOME, {"text": "Priorities", "href": "/priorities"}],
        campaigns=content().campaigns_for(page),
    )


@bp.route("/campaigns")
@cached_page
def campaigns():
    return _render(
        "site/campaigns.html",
        nav_active="/campaigns",
        breadcrumbs=[HOME],
        meta_description="Campaigns and advice from the partnership on staying safe.",
        campaigns=content().campaigns,
    )


@bp.route("/campaigns/<slug>")
@cached_page
def campaign(slug):
    page = _slug_page(Campaign, slug)
    return _render(
        "site/campaign.html",
        page,
        nav_active="/campaigns",
        breadcrumbs=[HOME, {"text": "Campaigns", "href": "/campaigns"}],
        tags=content().tag_targets(page),
    )


@bp.route("/news")
@cached_page
def news():
    return _render(
        "site/news.html",
        nav_active="/news",
        breadcrumbs=[HOME],
        meta_description="News from the partnership, newest first.",
        items=content().news,
    )


@bp.route("/news/<slug>")
@cached_page
def news_item(slug):
    page = _slug_page(NewsItem, slug)
    return _render(
        "site/news_item.html",
        page,
        nav_active="/news",
        breadcrumbs=[HOME, {"text": "News", "href": "/news"}],
        tags=content().tag_targets(page),
    )


@bp.route("/news/feed.xml")
@cached_page
def news_feed():
    settings = site_settings()
    body = feeds.atom_feed(
        site_name=settings["name"],
        base_url=_base_url(),
        items=content().news,
        today=scheduling.today(),
        email=settings.get("contact_email"),
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")


@bp.route("/crime-figures")
@cached_page
def crime_figures():
    site = content()
    page = site.page_at("/crime-figures")
    return _render(
        "site/crime_figures.html",
        page,
        nav_active="/crime-figures",
        breadcrumbs=[HOME],
        table=site.recorded_crime,
        today=scheduling.today(),
    )


def _search_index() -> SearchIndex:
    """Built once per version of the content and surveys and of which are open (those rank higher)."""
    site, surveys = content(), library.surveys()
    open_slugs = frozenset(survey.slug for survey in surveys if scheduling.status(survey) == scheduling.OPEN)
    key = (id(site), tuple(survey.definition_hash for survey in surveys), open_slugs)
    cached = current_app.extensions.get(SEARCH_INDEX_KEY)
    if cached is None or cached[0] != key:
        cached = (key, site_index(site, surveys, open_slugs))
        current_app.extensions[SEARCH_INDEX_KEY] = cached
    return cached[1]


@bp.route("/search")
def search():
    # Not cached and no Cache-Control: the page has a form and varies with the query.
    query = request.args.get("q", "")[:MAX_QUERY_LENGTH].strip()
    results = _search_index().search(query) if query else []
    return _render(
        "site/search.html",
        nav_active=None,
        breadcrumbs=[HOME],
        query=query,
        results=results,
        type_labels=TYPE_LABELS,
        meta_description="Search the partnership's website.",
        noindex=bool(query),
    )


@bp.route("/sitemap.xml")
def sitemap():
    # Not cached in memory: it lists the published "You said, we did" pages, which staff change.
    extra = sorted(SITE_ROUTES - {"/search", "/sitemap.xml", "/robots.txt", "/news/feed.xml", "/plan"}) + [
        "/consultations"
    ]
    surveys = library.surveys()
    published = current_app.jinja_env.globals.get("published_summary_for")
    entries = feeds.sitemap_entries(
        content().published_pages,
        extra,
        content_dates=_content_dates(),
        consultations=feeds.consultation_entries(
            surveys, scheduling.today(), published, undated=_surveys_changed(), closes_on=scheduling.closes_on
        ),
    )
    response = Response(feeds.sitemap(_base_url(), entries), content_type="application/xml; charset=utf-8")
    # An ETag, not Last-Modified: the dates in it are whole days, and it can change within one.
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response.make_conditional(request)


def _content_dates() -> dict[str, date]:
    """When each content file last changed, for pages whose front matter has no date."""
    folder = Path(current_app.config["CONTENT_DIR"])
    return {
        page.url: date.fromtimestamp((folder / page.source).stat().st_mtime)
        for page in content().published_pages
        if (folder / page.source).is_file()
    }


def _surveys_changed() -> date | None:
    folder = Path(current_app.config["CONTENT_DIR"]) / "surveys"
    times = [path.stat().st_mtime for path in folder.glob("*.md")]
    return date.fromtimestamp(max(times)) if times else None


@bp.route("/robots.txt")
@cached_page
def robots():
    surveys = library.surveys()
    return Response(
        feeds.robots_txt(_base_url(), [survey.slug for survey in surveys]), content_type="text/plain; charset=utf-8"
    )


@bp.route("/<slug>")
@cached_page
def page(slug):
    page = _slug_page(GenericPage, slug)
    return _render("site/page.html", page, nav_active=page.url, breadcrumbs=[HOME])
