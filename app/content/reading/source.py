"""Splitting a Markdown file into its YAML front matter and body, keeping line numbers.

python-frontmatter finds the `---` boundaries and loads the YAML; we keep where each field and
the body start so every problem can name its line. Dates are left as text by the YAML loader
so that a date that does not exist ("2020-02-30") becomes a clear problem with a line number
rather than an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from app.content.problems import Problem
from app.content.reading.yaml_reader import LimitedSafeLoader

_HANDLER = frontmatter.YAMLHandler()
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _TextDatesLoader(LimitedSafeLoader):
    """The content loader (with its limits) leaving YYYY-MM-DD as a string: we check dates
    ourselves, with lines."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Source:
    path: str  # relative to the content folder, with forward slashes
    meta: dict[str, Any]
    body: str
    body_line: int  # the file line on which `body` starts
    field_lines: dict[str, int] = field(default_factory=dict)
    front_matter_line: int = 1
    # Every value's line, by its path in the front matter: ("pages", 0, "questions", 1, "type").
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        """The line of a front matter field, or of the opening `---` when it is missing."""
        return self.field_lines.get(key, self.front_matter_line)

    def body_line_of(self, offset: int) -> int:
        return self.body_line + self.body.count("\n", 0, offset)


def read_source(path: Path, relative: str) -> tuple[Source | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [Problem(relative, None, f"The file is not UTF-8 text ({error.reason}): save it as UTF-8.")]
    return parse_source(text, relative)


def parse_source(text: str, relative: str) -> tuple[Source | None, list[Problem]]:
    text = text.replace("\r\n", "\n")
    start = len(text) - len(text.lstrip())
    boundaries = list(_HANDLER.FM_BOUNDARY.finditer(text))
    if not boundaries or boundaries[0].start() != start:
        return None, [
            Problem(
                relative,
                1,
                "The file must start with front matter: a line of three dashes (---), "
                "the fields such as title and summary, then another line of three dashes.",
            )
        ]
    opening_line = text.count("\n", 0, start) + 1
    if len(boundaries) < 2:
        return None, [
            Problem(
                relative,
                opening_line,
                "The front matter is not closed: add a line of three dashes (---) after the last field.",
            )
        ]
    opening, closing = boundaries[0], boundaries[1]
    yaml_text = text[opening.end() : closing.start()]
    # yaml_text starts with the rest of the opening line, so its line 0 is the `---` line.
    first_yaml_line = text.count("\n", 0, opening.end()) + 1
    try:
        meta = _HANDLER.load(yaml_text, Loader=_TextDatesLoader) or {}
        node = yaml.compose(yaml_text, Loader=_TextDatesLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_yaml_line + mark.line if mark is not None else opening_line
        reason = getattr(error, "problem", None) or str(error)
        return None, [
            Problem(
                relative,
                line,
                f"The front matter is not valid YAML: {reason}. "
                "Check the indentation, and put quotes around text that contains a colon.",
            )
        ]
    if not isinstance(meta, dict):
        return None, [
            Problem(
                relative,
                opening_line,
                "The front matter must be a list of fields, one per line, like `title: About us`.",
            )
        ]

    problems = []
    field_lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            key = str(key_node.value)
            line = first_yaml_line + key_node.start_mark.line
            if key in field_lines:
                problems.append(Problem(relative, line, f"The field `{key}` appears twice: keep one."))
            field_lines.setdefault(key, line)

    lines: dict[tuple[str | int, ...], int] = {}
    if node is not None:
        _walk(node, (), first_yaml_line, lines)
    body = text[closing.end() :]
    source = Source(
        path=relative,
        meta={str(k): v for k, v in meta.items()},
        body=body,
        body_line=text.count("\n", 0, closing.end()) + 1,
        field_lines=field_lines,
        front_matter_line=opening_line,
        lines=lines,
    )
    return source, problems


def _walk(
    node: yaml.Node, path: tuple[str | int, ...], first_line: int, lines: dict[tuple[str | int, ...], int]
) -> None:
    lines[path] = first_line + node.start_mark.line
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*path, str(key.value))] = first_line + key.start_mark.line
            _walk(value, (*path, str(key.value)), first_line, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, (*path, i), first_line, lines)
