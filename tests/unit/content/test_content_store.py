"""Content is parsed once and kept in memory; only a store asked to watch re-reads changed files."""

import os

import pytest

from app.content import loader
from app.content.store import ContentStore


@pytest.fixture
def parse_count(monkeypatch):
    """Counts every Markdown file the engine parses."""
    calls = []
    original = loader.read_source

    def counting(path, relative):
        calls.append(relative)
        return original(path, relative)

    monkeypatch.setattr(loader, "read_source", counting)
    return calls


def _touch(path, text):
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))


def test_content_is_parsed_once_however_often_it_is_asked_for(site_folder, parse_count):
    store = ContentStore(site_folder)
    first = store.get()
    files = len(parse_count)
    assert files == len(first.pages)
    for _ in range(50):
        assert store.get() is first
    assert len(parse_count) == files
    assert store.loads == 1


def test_without_reload_an_edited_file_waits_for_a_restart(site_folder):
    store = ContentStore(site_folder)
    assert store.get().page_at("/about").title == "About the partnership"
    _touch(site_folder / "pages" / "about.md", "---\ntitle: Changed\nsummary: S\ntype: page\n---\nB\n")
    assert store.get().page_at("/about").title == "About the partnership"
    assert ContentStore(site_folder).get().page_at("/about").title == "Changed"


def test_with_reload_an_edited_file_is_read_again_once(site_folder, parse_count):
    store = ContentStore(site_folder, reload=True)
    store.get()
    store.get()
    assert store.loads == 1
    _touch(site_folder / "pages" / "about.md", "---\ntitle: Changed\nsummary: S\ntype: page\n---\nB\n")
    assert store.get().page_at("/about").title == "Changed"
    store.get()
    assert store.loads == 2
