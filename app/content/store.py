"""The one reader and cache for everything in `content/`: pages, data, surveys, parishes, settings.

Each feature registers a reader for its part of the folder (a function from the folder to a
value and the problems found, each with its file and line). The store reads every part at
start-up; the app factory refuses to start if any part has problems, showing the same list as
`flask content check`. In production that is the only read: a content change is published by
restarting the app. With `reload=True` (the debug server) the folder's modification times are
compared on each access and every part is read again when a file changed; if the new content
has problems, the last good version is kept and the problems are logged.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.content.problems import Problem, report

Reader = Callable[[Path], tuple[Any, list[Problem]]]
log = logging.getLogger(__name__)


class ContentStore:
    def __init__(self, directory: str | Path, reload: bool = False, readers: dict[str, Reader] | None = None):
        self.directory = Path(directory)
        self.reload = reload
        self.loads = 0  # how many times the folder was read: once, unless reloading
        self._readers: dict[str, Reader] = dict(readers or {})
        self._lock = threading.Lock()
        self._values: dict[str, Any] | None = None
        self._problems: list[Problem] = []
        self._stamp: tuple[tuple[str, int, int], ...] | None = None

    @property
    def readers(self) -> dict[str, Reader]:
        return dict(self._readers)

    def register(self, name: str, reader: Reader) -> None:
        self._readers[name] = reader
        self._values = None

    def _read(self) -> tuple[dict[str, Any], list[Problem]]:
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for name, reader in self._readers.items():
            values[name], found = reader(self.directory)
            problems.extend(found)
        self.loads += 1
        return values, sorted(problems)

    def load(self) -> list[Problem]:
        """Read every part now; the problems found (empty when all is well)."""
        with self._lock:
            self._stamp = self._current_stamp()
            self._values, self._problems = self._read()
            return list(self._problems)

    @property
    def problems(self) -> list[Problem]:
        if self._values is None:
            self.load()
        return list(self._problems)

    def get(self, name: str) -> Any:
        if self._values is None:
            self.load()
        elif self.reload and self._stamp != self._current_stamp():
            with self._lock:
                stamp = self._current_stamp()
                if self._stamp != stamp:
                    values, problems = self._read()
                    self._stamp = stamp
                    if problems:
                        log.warning(
                            "Content changed but has problems; still showing the last good version.\n%s",
                            report(problems, str(self.directory)),
                        )
                    else:
                        self._values, self._problems = values, problems
        assert self._values is not None
        return self._values[name]

    def _current_stamp(self) -> tuple[tuple[str, int, int], ...]:
        entries = []
        for root, dirs, files in os.walk(self.directory):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:
                    continue
                entries.append((path, stat.st_mtime_ns, stat.st_size))
        return tuple(entries)
