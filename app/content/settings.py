"""Site-wide settings from `content/site.yaml`."""

from pathlib import Path

import yaml


def load_site_settings(content_dir: str | Path) -> dict:
    path = Path(content_dir) / "site.yaml"
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}
