"""Reading `content/` into a Content catalogue, with every problem found on the way.

`load_content` never raises on bad content: it returns what it could read plus the list of
problems (file, line, message), so `flask content check` can report them all at once and the
app factory can refuse to start with the same list.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from app.content import checks, markers
from app.content.catalogue import Content
from app.content.figures import RECORDED_CRIME, FiguresTable, read_figures
from app.content.markdown.render import add_heading_anchors, render_markdown
from app.content.markdown.urls import FOLDER_TYPES, NEWS_FILE, SLUG, url_for_page
from app.content.pages import PAGE_CLASSES, FocusArea, Page
from app.content.problems import Problem
from app.content.reading.source import Source, read_source

# Folders other features read (surveys owns content/surveys/, mail owns content/emails/).
OTHER_FEATURE_FOLDERS = {"surveys", "emails"}
DATA_FOLDER = "data"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Sections a page needs before it gets a table of contents without asking for one.
LONG_PAGE_SECTIONS = 6


def read_site(content_dir: str | Path) -> tuple[Content, list[Problem]]:
    """For the content store: the site's pages and data, and their problems."""
    content = load_content(content_dir)
    return content, list(content.problems)


def load_content(content_dir: str | Path) -> Content:
    directory = Path(content_dir)
    problems: list[Problem] = []
    pages: list[Page] = []
    sources: dict[str, Source] = {}
    for path in _markdown_files(directory):
        relative = path.relative_to(directory).as_posix()
        page_type = _type_for(relative)
        if page_type is None:
            folders = ", ".join(f"{name}/" for name in FOLDER_TYPES)
            problems.append(
                Problem(
                    relative,
                    None,
                    f"Markdown files go in one of {folders} (or home.md at the top): this one would not be published.",
                )
            )
            continue
        source, found = read_source(path, relative)
        problems.extend(found)
        if source is None:
            continue
        page, found = build_page(source, page_type, path.stem)
        problems.extend(found)
        if page is not None:
            pages.append(page)
            sources[page.source] = source

    figures, found = _load_figures(directory)
    problems.extend(found)
    problems.extend(checks.check_site(pages, sources))
    if RECORDED_CRIME not in figures and not any(p.path == f"{DATA_FOLDER}/{RECORDED_CRIME}" for p in problems):
        problems.append(
            Problem(
                f"{DATA_FOLDER}/{RECORDED_CRIME}",
                None,
                "This file is missing: the crime figures page shows it (columns: measure, then one per year).",
            )
        )
    return Content(directory=str(directory), pages=tuple(pages), figures=figures, problems=tuple(sorted(problems)))


def _markdown_files(directory: Path) -> list[Path]:
    files = []
    for path in sorted(directory.rglob("*.md")):
        parts = path.relative_to(directory).parts
        if parts[0] in OTHER_FEATURE_FOLDERS or any(part.startswith(".") for part in parts):
            continue
        if path.name.lower() == "readme.md":  # notes for authors, not a page
            continue
        files.append(path)
    return files


def _type_for(relative: str) -> str | None:
    parts = relative.split("/")
    if parts == ["home.md"]:
        return "home"
    if len(parts) == 2:
        return FOLDER_TYPES.get(parts[0])
    return None


def _load_figures(directory: Path) -> tuple[dict[str, FiguresTable], list[Problem]]:
    figures, problems = {}, []
    folder = directory / DATA_FOLDER
    if folder.is_dir():
        for path in sorted(folder.glob("*.csv")):
            table, found = read_figures(path, f"{DATA_FOLDER}/{path.name}")
            problems.extend(found)
            if table is not None:
                figures[path.name] = table
    return figures, problems


class _Fields:
    """Reads the front matter fields of one file, collecting a problem for each bad one."""

    def __init__(self, source: Source):
        self.source = source
        self.problems: list[Problem] = []

    def problem(self, key: str | None, message: str) -> None:
        line = self.source.line_of(key) if key else self.source.front_matter_line
        self.problems.append(Problem(self.source.path, line, message))

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.source.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(
                    None if key not in self.source.meta else key,
                    f"The `{key}` is missing: add `{key}: ...` to the front matter.",
                )
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(key, f"The `{key}` must be text on one line.")
            return None
        return " ".join(str(value).split())

    def date(self, key: str, required: bool = False) -> date | None:
        value = self.source.meta.get(key)
        if value is None or value == "":
            if required:
                self.problem(
                    None if key not in self.source.meta else key,
                    f"The `{key}` is missing: add `{key}: YYYY-MM-DD` to the front matter.",
                )
            return None
        text = str(value).strip()
        if not _DATE.match(text):
            self.problem(key, f"The `{key}` `{value}` is not a date: write it as YYYY-MM-DD, e.g. 2020-04-01.")
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.problem(key, f"The `{key}` `{text}` is not a real date: check the month and day.")
            return None

    def boolean(self, key: str, default: bool) -> bool:
        value = self.source.meta.get(key, default)
        if not isinstance(value, bool):
            self.problem(key, f"The `{key}` must be true or false, not `{value}`.")
            return default
        return value

    def integer(self, key: str) -> int | None:
        value = self.source.meta.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(key, f"The `{key}` must be a whole number, not `{value}`.")
            return None
        return value

    def string_list(self, key: str) -> tuple[str, ...]:
        value = self.source.meta.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            self.problem(key, f"The `{key}` must be a list, e.g. `{key}: [people, domestic-abuse]`.")
            return ()
        return tuple(item.strip() for item in value)


def _slug(fields: _Fields, page_type: str, stem: str) -> str | None:
    if "slug" in fields.source.meta:
        slug = fields.text("slug")
        if slug is not None and not SLUG.match(slug):
            fields.problem(
                "slug", f"The slug `{slug}` cannot be part of an address: use lowercase letters, digits and hyphens."
            )
            return None
        return slug
    if page_type == "home":
        return ""
    match = NEWS_FILE.match(stem) if page_type == "news" else None
    slug = match.group(2) if match else stem
    if not SLUG.match(slug):
        fields.problems.append(
            Problem(
                fields.source.path,
                None,
                f"The file name gives the address `{slug}`, which is not allowed: rename the file with lowercase "
                "letters, digits and hyphens (e.g. `fatal-four.md`), or add a `slug` field.",
            )
        )
        return None
    return slug


def _focus_areas(fields: _Fields) -> tuple[FocusArea, ...]:
    raw = fields.source.meta.get("focus_areas")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        fields.problem(
            "focus_areas", "The `focus_areas` must be a list of items, each with an id, a title and a summary."
        )
        return ()
    areas = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            fields.problem("focus_areas", f"Focus area {number} must have `id`, `title` and `summary` fields.")
            continue
        values = {key: " ".join(str(item.get(key) or "").split()) for key in ("id", "title", "summary")}
        missing = [key for key, value in values.items() if not value]
        if missing:
            fields.problem("focus_areas", f"Focus area {number} has no {' or '.join(missing)}.")
            continue
        if not SLUG.match(values["id"]):
            fields.problem(
                "focus_areas", f"The focus area id `{values['id']}` must be lowercase letters, digits and hyphens."
            )
            continue
        areas.append(FocusArea(**values))
    seen = set()
    for area in areas:
        if area.id in seen:
            fields.problem("focus_areas", f"The focus area id `{area.id}` is used twice.")
        seen.add(area.id)
    return tuple(areas)


def build_page(source: Source, page_type: str, stem: str) -> tuple[Page | None, list[Problem]]:
    fields = _Fields(source)
    declared = fields.text("type")
    if declared is not None and declared != page_type:
        folder = source.path.rsplit("/", 1)[0] + "/" if "/" in source.path else "the top of content/"
        known = declared in PAGE_CLASSES
        fields.problem(
            "type",
            f"A file in {folder} must have `type: {page_type}`, not `{declared}`"
            + ("." if known else f" (`{declared}` is not a type of page)."),
        )
    title = fields.text("title")
    summary = fields.text("summary")
    slug = _slug(fields, page_type, stem)
    page_date = fields.date("date", required=page_type == "news")
    if page_type == "news" and page_date is not None:
        match = NEWS_FILE.match(stem)
        if match and match.group(1) != page_date.isoformat():
            fields.problem(
                "date",
                f"The file name starts with {match.group(1)} but the `date` is {page_date.isoformat()}: "
                "make them the same.",
            )
    extra: dict[str, Any] = {}
    optional: dict[str, Any] = {}
    if page_type == "plan":
        extra["period"] = fields.text("period")
        status = fields.text("status")
        if status is not None and status not in ("current", "archived"):
            fields.problem("status", f"The `status` of a plan must be `current` or `archived`, not `{status}`.")
            status = None
        extra["status"] = status
        starts, ends = fields.date("starts"), fields.date("ends")
        if starts is not None and ends is not None and ends <= starts:
            fields.problem("ends", f"The plan `ends` ({ends.isoformat()}) before it `starts` ({starts.isoformat()}).")
        optional = {"starts": starts, "ends": ends, "now": fields.text("now", required=False)}
    if page_type == "priority":
        extra["focus_areas"] = _focus_areas(fields)
    order = fields.integer("order")
    published = fields.boolean("published", True)
    tags = fields.string_list("tags")
    review_by = fields.date("review_by")
    quick_exit = fields.boolean("quick_exit", False)
    keywords = fields.string_list("keywords")
    sources_cited = fields.string_list("sources")
    to_confirm, bad_markers = markers.front_matter_markers(source)
    if bad_markers:
        fields.problem(markers.FRONT_MATTER_KEY, bad_markers)
    to_confirm += markers.inline_markers(source)
    wants_toc = source.meta.get("toc")
    if wants_toc is not None:
        wants_toc = fields.boolean("toc", False)

    rendered = render_markdown(source.body)
    html, parts, ids = rendered.html, rendered.parts, set(rendered.ids)
    focus_areas = [area for area in extra.get("focus_areas", ()) if area.id not in ids]
    if focus_areas:
        wanted = [(area.id, area.title) for area in focus_areas]
        html, added = add_heading_anchors(html, wanted)
        parts = tuple(add_heading_anchors(part, wanted)[0] for part in parts)
        ids |= added
    if (
        fields.problems
        or declared is None
        or title is None
        or summary is None
        or slug is None
        or None in extra.values()
    ):
        return None, fields.problems

    sections = [entry for entry in rendered.toc if entry.level == 2]
    show_toc = wants_toc if wants_toc is not None else (page_type == "plan" or len(sections) >= LONG_PAGE_SECTIONS)
    page = PAGE_CLASSES[page_type](
        source=source.path,
        type=page_type,
        slug=slug,
        url=url_for_page(page_type, slug),
        title=title,
        summary=summary,
        html=html,
        html_parts=parts,
        text=rendered.text,
        toc=tuple(sections) if show_toc else (),
        anchors=frozenset(ids),
        date=page_date,
        order=order,
        published=published,
        tags=tags,
        review_by=review_by,
        links=rendered.links,
        quick_exit=quick_exit,
        keywords=keywords,
        to_confirm=tuple(to_confirm),
        sources=sources_cited,
        all_headings=rendered.toc,
        **extra,
        **optional,
    )
    return page, []
