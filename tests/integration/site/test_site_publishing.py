"""Authors publish by adding Markdown files; broken content stops the site with a clear list.

These tests copy the real content/ folder, change it, and start a new app on the copy, as a
restart after an edit would.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from app.content.problems import ContentError
from support.server import PROJECT_ROOT
from tests.conftest import make_app
from tests.fixtures.site import copy_real_content, write_files

NEW_CAMPAIGN = """\
---
title: Bikes and e-scooters
summary: Lock your bike and scooter, and mark them so they can be returned.
type: campaign
tags: [property]
---
## Lock it

Use a D-lock through the frame and a wheel. [More on burglary](/campaigns/burglary-prevention).
"""

DRAFT_CAMPAIGN = """\
---
title: Unfinished winter campaign
summary: Not ready to publish yet.
type: campaign
published: false
tags: [property]
---
Zanzibar draft text.
"""

BROKEN = """\
---
title: Broken campaign
summary: Has a bad link and an unknown tag.
type: campaign
tags: [parking]
---
See [this](/campaigns/does-not-exist).
"""


@pytest.fixture(scope="module")
def edited_app(tmp_path_factory):
    folder = copy_real_content(tmp_path_factory.mktemp("edited") / "content")
    write_files(folder, {"campaigns/bikes-and-scooters.md": NEW_CAMPAIGN, "campaigns/winter-draft.md": DRAFT_CAMPAIGN})
    return make_app("sqlite", tmp_path_factory.mktemp("edited-db"), CONTENT_DIR=str(folder))


@pytest.fixture
def edited(edited_app):
    return edited_app.test_client()


def test_a_new_markdown_file_becomes_a_campaign_page_with_no_code_change(edited):
    response = edited.get("/campaigns/bikes-and-scooters")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl">Bikes and e-scooters</h1>' in html
    assert 'href="/campaigns/burglary-prevention"' in html
    assert 'href="/campaigns/bikes-and-scooters"' in edited.get("/campaigns").get_data(as_text=True)
    assert 'href="/campaigns/bikes-and-scooters"' in edited.get("/priorities/property").get_data(as_text=True)
    assert "/campaigns/bikes-and-scooters" in edited.get("/sitemap.xml").get_data(as_text=True)
    assert 'href="/campaigns/bikes-and-scooters"' in edited.get("/search?q=scooters").get_data(as_text=True)


def test_an_unpublished_page_is_not_served_listed_searched_or_in_the_sitemap(edited):
    assert edited.get("/campaigns/winter-draft").status_code == 404
    for url in ("/campaigns", "/priorities/property", "/sitemap.xml", "/", "/search?q=zanzibar"):
        assert "winter-draft" not in edited.get(url).get_data(as_text=True), url
    assert "0 results" in edited.get("/search?q=zanzibar").get_data(as_text=True)


def test_the_site_refuses_to_start_on_broken_content_naming_the_file(tmp_path):
    folder = copy_real_content(tmp_path / "content")
    write_files(folder, {"campaigns/broken.md": BROKEN})
    with pytest.raises(ContentError) as raised:
        create_app("testing", CONTENT_DIR=str(folder), SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'db.sqlite'}")
    message = str(raised.value)
    assert "campaigns/broken.md:5: Unknown tag `parking`" in message
    assert (
        "campaigns/broken.md:7: The link `/campaigns/does-not-exist` points to a page that does not exist." in message
    )


def test_broken_survey_files_also_stop_the_site(tmp_path):
    folder = copy_real_content(tmp_path / "content")
    write_files(folder, {"surveys/broken.md": "---\ntitle: [unclosed\n---\n"})
    with pytest.raises(ContentError) as raised:
        create_app("testing", CONTENT_DIR=str(folder), SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert "surveys/broken.md" in str(raised.value)


def run_content_check(content_dir: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "APP_ENV": "testing",
        "CONTENT_DIR": str(content_dir),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
    }
    flask = Path(sys.executable).parent / "flask"
    return subprocess.run(
        [str(flask), "--app", "wsgi:app", "content", "check"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_content_check_command_lists_every_problem_without_a_traceback(tmp_path):
    folder = copy_real_content(tmp_path / "content")
    write_files(folder, {"campaigns/broken.md": BROKEN, "data/recorded-crime.csv": "measure,2015\nTotal crime,lots\n"})
    result = run_content_check(folder, tmp_path)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "campaigns/broken.md:5: Unknown tag `parking`" in output
    assert "campaigns/broken.md:7: The link `/campaigns/does-not-exist`" in output
    assert "data/recorded-crime.csv:2: The 2015 figure for `Total crime` is `lots`" in output
    assert "3 problems" in output
    assert "Traceback" not in result.stdout + result.stderr


def test_content_check_command_passes_on_the_real_content_but_lists_what_is_unconfirmed(tmp_path):
    result = run_content_check(PROJECT_ROOT / "content", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    # The real content still has details for staff to confirm, so it is not "fine".
    assert "Content is fine" not in result.stdout
    assert "pages/contact.md:" in result.stdout and "To confirm: the team's phone number" in result.stdout
    assert "parishes.yaml:" in result.stdout
    assert "details to confirm" in result.stdout
