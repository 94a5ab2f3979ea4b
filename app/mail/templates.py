"""Email templates from `content/emails/*.md`: checked by `flask content check`, rendered to
a plain-text and an HTML part. No Flask here.

A template is Markdown with a `subject` in its front matter and placeholders such as
`{{ link }}`. Each template has placeholders it must use (so that every message says who is
writing, why, the closing date and how to get a paper copy) and may use; any other name is
refused, so a typing mistake is found before a message goes out rather than in a clerk's inbox.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import frontmatter
import yaml

from app.content.markdown.render import render_markdown
from app.content.problems import Problem

FOLDER = "emails"
_COMMON = frozenset({"partnership", "survey", "closes", "contact_email", "print_link", "site_url"})
REQUIRED: dict[str, frozenset[str]] = {
    "invitation": frozenset({"link", "partnership", "survey", "closes", "contact_email"}),
    "reminder": frozenset({"link", "partnership", "survey", "closes", "contact_email"}),
    "resume": frozenset({"link", "partnership", "survey", "closes", "contact_email"}),
}
ALLOWED: dict[str, frozenset[str]] = {
    "invitation": REQUIRED["invitation"] | _COMMON | {"council", "ward"},
    "reminder": REQUIRED["reminder"] | _COMMON | {"council", "ward"},
    "resume": REQUIRED["resume"] | _COMMON,
}
URL_FIELDS = frozenset({"link", "print_link", "site_url"})
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_-]*)\s*\}\}")
_SHORTENERS = (
    "bit.ly",
    "tinyurl.com",
    "t.co",
    "ow.ly",
    "goo.gl",
    "is.gd",
    "buff.ly",
    "rebrand.ly",
    "cutt.ly",
    "shorturl.at",
    "tiny.cc",
    "lnkd.in",
)
_URL_HOST = re.compile(r"https?://([^/\s)\]>\"']+)", re.IGNORECASE)
_IMAGE = re.compile(r"!\[|<\s*img\b", re.IGNORECASE)
_SENTINEL = "APPMAILFIELD{}END"
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


@dataclass(frozen=True)
class EmailTemplate:
    name: str
    subject: str
    body: str  # Markdown, placeholders still in place


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _path(content_dir: str | Path, name: str) -> Path:
    return Path(content_dir) / FOLDER / f"{name}.md"


def _read(content_dir: str | Path, name: str) -> tuple[EmailTemplate | None, list[Problem]]:
    where = f"{FOLDER}/{name}.md"
    path = _path(content_dir, name)
    if not path.exists():
        return None, [Problem(where, None, "This email template is missing.")]
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError):
        return None, [Problem(where, 1, "The settings at the top are not valid YAML.")]
    subject = str(post.metadata.get("subject") or "").strip()
    problems = []
    if not subject:
        problems.append(Problem(where, 1, "Add a subject: line at the top."))
    template = EmailTemplate(name, subject, post.content)
    return template, problems


def check_template(template: EmailTemplate, where: str) -> list[Problem]:
    problems = []
    used = set(_PLACEHOLDER.findall(template.subject)) | set(_PLACEHOLDER.findall(template.body))
    for missing in sorted(REQUIRED[template.name] - used):
        problems.append(Problem(where, None, f"The message must include {{{{ {missing} }}}}."))
    for unknown in sorted(used - ALLOWED[template.name]):
        problems.append(
            Problem(
                where,
                None,
                f"Unknown placeholder {{{{ {unknown} }}}}: use one of "
                + ", ".join(sorted(ALLOWED[template.name]))
                + ".",
            )
        )
    if _PLACEHOLDER.search(template.subject) and "link" in _PLACEHOLDER.findall(template.subject):
        problems.append(Problem(where, 1, "The link must not be in the subject."))
    if _IMAGE.search(template.body):
        problems.append(Problem(where, None, "Emails carry no images (an image can be used to track readers)."))
    for host in _URL_HOST.findall(template.body):
        if host.casefold().removeprefix("www.") in _SHORTENERS:
            problems.append(Problem(where, None, f"Write the full address instead of the short link to {host}."))
    return problems


def check(content_dir: str | Path) -> list[Problem]:
    """Every problem in the email templates, as `flask content check` lists them."""
    return read_all(content_dir)[1]


def read_all(content_dir: str | Path) -> tuple[dict[str, EmailTemplate], list[Problem]]:
    """Every template that reads without problems, and the problems (for the content store)."""
    found: dict[str, EmailTemplate] = {}
    problems: list[Problem] = []
    for name in sorted(REQUIRED):
        template, read_problems = _read(content_dir, name)
        checked = read_problems + (check_template(template, f"{FOLDER}/{name}.md") if template else [])
        problems += checked
        if template is not None and not checked:
            found[name] = template
    return found, problems


def load(content_dir: str | Path, name: str) -> EmailTemplate:
    template, problems = _read(content_dir, name)
    if template is None or problems:
        raise ValueError(f"The email template {name} has problems: run flask content check.")
    return template


def render(template: EmailTemplate, values: Mapping[str, str]) -> RenderedEmail:
    """The message's subject, plain text and HTML with every placeholder filled in."""

    def text_value(match: re.Match) -> str:
        return str(values.get(match.group(1), ""))

    subject = " ".join(_PLACEHOLDER.sub(text_value, template.subject).split())
    # Bold marks are for the HTML part; in plain text they would only be noise.
    text = _BOLD.sub(r"\1", _PLACEHOLDER.sub(text_value, template.body)).strip() + "\n"

    # Markdown is rendered with stand-ins for the values, so a council's or a person's name
    # can never add markup; each value is escaped as it goes in.
    names: list[str] = []

    def stand_in(match: re.Match) -> str:
        names.append(match.group(1))
        return _SENTINEL.format(len(names) - 1)

    body_html = render_markdown(_PLACEHOLDER.sub(stand_in, template.body)).html
    for index, name in enumerate(names):
        sentinel = _SENTINEL.format(index)
        value = html.escape(str(values.get(name, "")))
        # Inside an attribute (a Markdown link's address) the value goes in as it is.
        body_html = body_html.replace(f'"{sentinel}"', f'"{value}"')
        if name in URL_FIELDS and value:
            value = f'<a href="{value}">{value}</a>'
        elif name == "contact_email" and value:
            value = f'<a href="mailto:{value}">{value}</a>'
        body_html = body_html.replace(sentinel, value)
    document = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(subject)}</title>\n</head>\n"
        '<body style="font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; '
        'color: #0b0c0c; max-width: 640px; margin: 0 auto; padding: 16px;">\n'
        f"{body_html}\n</body>\n</html>\n"
    )
    return RenderedEmail(subject=subject, text=text, html=document)
