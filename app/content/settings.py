"""Site-wide settings from `content/site.yaml`, checked against what the site expects.

A mistake here shows on every page, so the file is checked field by field: a known field of
the wrong kind is reported with its line and left out (the site falls back to its default),
and the file as a whole must be a list of fields, not a list of values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app.content.problems import Problem
from app.content.reading import yaml_reader

FILENAME = "site.yaml"
TEXT_FIELDS = (
    "name",
    "short_name",
    "theme_colour",
    "police_force",
    "report_online_url",
    "footer_summary",
    "contact_email",
    "phase",
    "phase_message",
)
LINK_LIST_FIELDS = ("navigation", "footer_links")
TEXT_LIST_FIELDS = ("partners",)
REQUIRED = ("name",)


def _lines(text: str) -> dict[str, int]:
    """Each top-level field's line, for the problems."""
    try:
        node = yaml.compose(text, Loader=yaml_reader.LimitedSafeLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value}


def _field_problem(name: str, value: Any) -> str | None:
    if name in TEXT_FIELDS and not isinstance(value, str):
        return f"`{name}` must be text, like `{name}: Something`."
    if name in TEXT_LIST_FIELDS and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return f"`{name}` must be a list of text lines, each starting with a dash."
    if name in LINK_LIST_FIELDS and not (
        isinstance(value, list)
        and all(
            isinstance(v, dict) and isinstance(v.get("text"), str) and isinstance(v.get("href"), str) for v in value
        )
    ):
        return f"`{name}` must be a list of links, each like `- {{text: About us, href: /about}}`."
    return None


def check_settings(data: Any, lines: dict[str, int] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """The usable settings and a problem for each field that is wrong."""
    lines = lines or {}
    if not isinstance(data, dict):
        return {}, [Problem(FILENAME, 1, "The site settings must be a list of fields, like `name: Safer Together`.")]
    settings, problems = {}, []
    for name, value in data.items():
        problem = _field_problem(str(name), value)
        if problem:
            problems.append(Problem(FILENAME, lines.get(str(name)), problem))
        else:
            settings[str(name)] = value
    for name in REQUIRED:
        if not isinstance(data.get(name), str) or not data[name].strip():
            problems.append(Problem(FILENAME, lines.get(name), f"`{name}` is missing: add `{name}: ...` at the top."))
    return settings, problems


def read_site_settings(content_dir: str | Path) -> tuple[dict[str, Any], list[Problem]]:
    """The settings, and a problem (with its line) for a missing file, invalid YAML or a wrong field."""
    path = Path(content_dir) / FILENAME
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml_reader.load(text) or {}
    except FileNotFoundError:
        return {}, [Problem(FILENAME, None, "The site settings file is missing.")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        detail = str(error) if isinstance(error, yaml_reader.ContentYamlError) else "not valid YAML"
        return {}, [
            Problem(
                FILENAME,
                mark.line + 1 if mark else None,
                f"The site settings are {detail}." if not isinstance(error, yaml_reader.ContentYamlError) else detail,
            )
        ]
    return check_settings(data, _lines(text))


def load_site_settings(content_dir: str | Path) -> dict[str, Any]:
    return read_site_settings(content_dir)[0]
