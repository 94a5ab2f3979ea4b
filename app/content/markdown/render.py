"""Markdown to sanitised HTML, done once per file when the content is loaded."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import markdown

from app.content.markdown.enhance import link_phone_numbers, stack_tables
from app.content.markdown.sanitise import plain_text, sanitise, wrap_tables
from app.content.pages import TocEntry

# A line holding only this marker splits a body in two: the page's own view puts generated
# content (the crime figures table and chart) between the parts.
INSERT_MARKER = "<!-- figures -->"
_PART_TOKEN = "APPINSERTMARKER5d1c0b"
_PART_BREAK = re.compile(r"<p[^>]*>" + _PART_TOKEN + r"</p>\s*")
_MARKER_LINE = re.compile(r"^[ \t]*" + re.escape(INSERT_MARKER) + r"[ \t]*$", re.M)


@dataclass(frozen=True)
class Rendered:
    html: str
    parts: tuple[str, ...]
    toc: tuple[TocEntry, ...]  # every h2 and h3, in order
    ids: frozenset[str]
    links: tuple[str, ...]  # href and src values, in order
    text: str


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif name in ("href", "src") and value is not None:
                self.links.append(value)


def _flatten(tokens: list[dict[str, Any]]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for token in tokens:
        entries.append(TocEntry(id=token["id"], text=html_lib.unescape(token["name"]), level=token["level"]))
        entries.extend(_flatten(token.get("children", [])))
    return entries


def render_markdown(body: str) -> Rendered:
    converter = markdown.Markdown(
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={"toc": {"toc_depth": "2-3"}},
    )
    source = _MARKER_LINE.sub(_PART_TOKEN, body)
    html = wrap_tables(stack_tables(link_phone_numbers(sanitise(converter.convert(source)))))
    parts = tuple(part.strip() for part in _PART_BREAK.split(html))
    html = "\n".join(parts)
    collector = _Collector()
    collector.feed(html)
    return Rendered(
        html=html,
        parts=parts,
        toc=tuple(_flatten(converter.toc_tokens)),
        ids=frozenset(collector.ids),
        links=tuple(collector.links),
        text=plain_text(html),
    )


_HEADING = re.compile(r"(<h([2-6])\b[^>]*>)(.*?)(</h\2>)", re.S)


def add_heading_anchors(html: str, anchors: list[tuple[str, str]]) -> tuple[str, set[str]]:
    """Give named sections a second id: a priority's focus area links to the heading about it.

    For each (id, title), the first heading whose text contains the title gets an empty
    `<span id>` at its start, so `/priorities/property#heritage-crime` finds the section
    "Rural theft and heritage crime" while the heading keeps its own id for the contents.
    Runs on sanitised HTML and adds only ids that match the slug pattern.
    """
    added: set[str] = set()
    for anchor_id, title in anchors:
        wanted = title.casefold()

        def insert(match: re.Match[str], anchor_id: str = anchor_id, wanted: str = wanted) -> str:
            if anchor_id in added or wanted not in plain_text(match.group(3)).casefold():
                return match.group(0)
            added.add(anchor_id)
            return f'{match.group(1)}<span id="{html_lib.escape(anchor_id)}"></span>{match.group(3)}{match.group(4)}'

        html = _HEADING.sub(insert, html)
    return html, added
