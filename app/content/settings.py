"""Site-wide settings from `content/site.yaml`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app.content.problems import Problem

FILENAME = "site.yaml"


def read_site_settings(content_dir: str | Path) -> tuple[dict[str, Any], list[Problem]]:
    """The settings, and a problem (with its line) when the file is missing or not valid YAML."""
    path = Path(content_dir) / FILENAME
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return {}, [Problem(FILENAME, None, "The site settings file is missing.")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return {}, [Problem(FILENAME, mark.line + 1 if mark else None, "The site settings are not valid YAML.")]
    if not isinstance(data, dict):
        return {}, [Problem(FILENAME, 1, "The site settings must be a list of fields, like `name: Safer Together`.")]
    return data, []


def load_site_settings(content_dir: str | Path) -> dict[str, Any]:
    return read_site_settings(content_dir)[0]
