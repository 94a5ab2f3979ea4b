"""Keeps the loaded content in memory: parsed once, reloaded only when asked to watch for edits.

In production every file is read once at start-up; a content change is published by
restarting the app (after `flask content check`). With `reload=True` (the debug server) the
folder's modification times are compared on each access and the content is read again when a
file changed, as Flask-FlatPages does.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from app.content.catalogue import Content
from app.content.loader import load_content


class ContentStore:
    def __init__(self, directory: str | Path, reload: bool = False):
        self.directory = Path(directory)
        self.reload = reload
        self.loads = 0  # how many times the folder was read: once, unless reloading
        self._lock = threading.Lock()
        self._content: Content | None = None
        self._stamp: tuple | None = None

    def get(self) -> Content:
        if self._content is None or (self.reload and self._stamp != self._current_stamp()):
            with self._lock:
                stamp = self._current_stamp()
                if self._content is None or (self.reload and self._stamp != stamp):
                    self._content = load_content(self.directory)
                    self._stamp = stamp
                    self.loads += 1
        return self._content

    def _current_stamp(self) -> tuple:
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
