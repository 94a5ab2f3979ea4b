"""What `flask content check` reports: one problem, with the file and line it is in."""

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the content folder, e.g. "campaigns/fatal-four.md"
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised at start-up when content has problems; the message lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("Content has problems:\n" + "\n".join(f"- {p}" for p in self.problems))
