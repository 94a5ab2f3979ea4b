"""What the content check reports: one problem, with the file and line it is in."""

from __future__ import annotations

import functools
from dataclasses import dataclass


@functools.total_ordering
@dataclass(frozen=True)
class Problem:
    path: str  # relative to the content folder, e.g. "campaigns/fatal-four.md"
    line: int | None  # None when the problem is about the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    def _key(self) -> tuple[str, int, str]:
        # A file's problems without a line come first, before those with one.
        return self.path, self.line or 0, self.message

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self._key() < other._key()


def report(problems: list[Problem], directory: str) -> str:
    """Every problem on its own line, then how many there are: what the check and start-up print."""
    count = len(problems)
    lines = [str(p) for p in sorted(problems)]
    lines.append(
        f"\n{count} problem{'' if count == 1 else 's'} in {directory}. The site will not start until they are fixed."
    )
    return "\n".join(lines)


class ContentError(Exception):
    """Raised at start-up when content has problems; the message lists every one."""

    def __init__(self, problems: list[Problem], directory: str = "content/"):
        self.problems = sorted(problems)
        super().__init__(report(self.problems, directory))
