"""The district's parishes from `content/parishes.yaml`, which staff maintain. No Flask here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from app.content.problems import Problem
from app.content.reading import yaml_reader

KINDS = {
    "parish-council": "Parish Council",
    "town-council": "Town Council",
    "parish-meeting": "Parish Meeting",
}
STATUSES = ("active", "retired")
_EMAIL = re.compile(r"[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+")
FILENAME = "parishes.yaml"


@dataclass(frozen=True)
class Parish:
    name: str
    kind: str
    status: str = "active"
    ward: str | None = None
    formerly: tuple[str, ...] = ()
    # The clerk's address for invitations and reminders (personal data: see the privacy notice).
    email: str | None = None

    @property
    def active(self) -> bool:
        return self.status == "active"

    @property
    def display_name(self) -> str:
        """ "Lutterworth Town Council", "Foxton Parish Council", "Cranoe Parish Meeting"."""
        return f"{self.name} {KINDS.get(self.kind, '')}".strip()


def _read(content_dir: str | Path) -> tuple[list[Parish], list[Problem]]:
    path = Path(content_dir) / FILENAME
    problems: list[Problem] = []
    if not path.exists():
        return [], [Problem(FILENAME, None, "The parish list is missing.")]
    try:
        data = yaml_reader.load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [], [Problem(FILENAME, mark.line + 1 if mark else None, "The parish list is not valid YAML.")]
    entries = data.get("parishes") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return [], [Problem(FILENAME, None, "The file needs a 'parishes:' list.")]
    parishes, seen = [], set()
    for i, entry in enumerate(entries, start=1):
        where = f"entry {i}"
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            problems.append(Problem(FILENAME, None, f"{where} needs a name."))
            continue
        name = str(entry["name"]).strip()
        kind = entry.get("kind")
        status = entry.get("status", "active")
        if kind not in KINDS:
            problems.append(Problem(FILENAME, None, f"{name}: kind must be one of {', '.join(KINDS)}."))
            continue
        if status not in STATUSES:
            problems.append(Problem(FILENAME, None, f"{name}: status must be active or retired."))
            continue
        if name.casefold() in seen:
            problems.append(Problem(FILENAME, None, f"{name} is listed twice."))
            continue
        seen.add(name.casefold())
        formerly = entry.get("formerly") or ()
        email = str(entry.get("email") or "").strip() or None
        if email is not None and not _EMAIL.fullmatch(email):
            problems.append(Problem(FILENAME, None, f"{name}: email is not an email address."))
            email = None
        parishes.append(Parish(name, kind, status, entry.get("ward"), tuple(str(f) for f in formerly), email))
    return sorted(parishes, key=lambda p: p.name.casefold()), problems


def read_parishes(content_dir: str | Path) -> tuple[list[Parish], list[Problem]]:
    """Every parish in the list, retired ones too, and the problems found (for the content store)."""
    return _read(content_dir)


def active(parishes: list[Parish], include_retired: bool = False) -> list[Parish]:
    return parishes if include_retired else [p for p in parishes if p.active]


def load_parishes(content_dir: str | Path, include_retired: bool = False) -> list[Parish]:
    return active(_read(content_dir)[0], include_retired)


def check_parishes(content_dir: str | Path) -> list[Problem]:
    return _read(content_dir)[1]


def find_in(parishes: list[Parish], name: str) -> Parish | None:
    """An active parish by its name (or a former name), ignoring case and extra words like
    "Parish Council"."""
    wanted = name.strip().casefold()
    for parish in active(parishes):
        names = {parish.name.casefold(), parish.display_name.casefold(), *(f.casefold() for f in parish.formerly)}
        if wanted in names:
            return parish
    return None


def find_parish(content_dir: str | Path, name: str) -> Parish | None:
    return find_in(_read(content_dir)[0], name)
