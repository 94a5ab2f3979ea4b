"""Content is parsed once and kept in memory; only a store asked to watch re-reads changed files."""

import os

import pytest

from app.content.reading import loader
from app.content.store import ContentStore

READERS = {"site": loader.read_site}


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
    store = ContentStore(site_folder, readers=READERS)
    first = store.get("site")
    files = len(parse_count)
    assert files == len(first.pages)
    for _ in range(50):
        assert store.get("site") is first
    assert len(parse_count) == files
    assert store.loads == 1


def test_without_reload_an_edited_file_waits_for_a_restart(site_folder):
    store = ContentStore(site_folder, readers=READERS)
    assert store.get("site").page_at("/about").title == "About the partnership"
    _touch(site_folder / "pages" / "about.md", "---\ntitle: Changed\nsummary: S\ntype: page\n---\nB\n")
    assert store.get("site").page_at("/about").title == "About the partnership"
    assert ContentStore(site_folder, readers=READERS).get("site").page_at("/about").title == "Changed"


def test_with_reload_an_edited_file_is_read_again_once(site_folder, parse_count):
    store = ContentStore(site_folder, reload=True, readers=READERS)
    store.get("site")
    store.get("site")
    assert store.loads == 1
    _touch(site_folder / "pages" / "about.md", "---\ntitle: Changed\nsummary: S\ntype: page\n---\nB\n")
    assert store.get("site").page_at("/about").title == "Changed"
    store.get("site")
    assert store.loads == 2


def test_with_reload_a_broken_edit_keeps_the_last_good_version(site_folder, caplog):
    store = ContentStore(site_folder, reload=True, readers=READERS)
    assert store.get("site").page_at("/about").title == "About the partnership"
    _touch(site_folder / "pages" / "about.md", "---\ntitle: [unclosed\n---\nB\n")
    assert store.get("site").page_at("/about").title == "About the partnership"
    assert "pages/about.md" in caplog.text and "last good version" in caplog.text


def test_problems_with_and_without_a_line_in_one_file_sort_without_error(site_folder):
    # A field given twice (line 3) in a file whose name makes no address (the whole file):
    # sorting the two used to raise TypeError, comparing None with a line number.
    _touch(site_folder / "pages" / "Bad_Name.md", "---\ntitle: One\ntitle: Two\nsummary: S\ntype: page\n---\nB\n")
    problems = ContentStore(site_folder, readers=READERS).load()
    mine = [str(p) for p in problems if p.path == "pages/Bad_Name.md"]
    assert len(mine) == 2
    assert mine[0].startswith("pages/Bad_Name.md: The file name gives the address")
    assert mine[1] == "pages/Bad_Name.md:3: The field `title` appears twice: keep one."
