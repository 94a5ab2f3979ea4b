"""Every YAML read goes through one safe loader with limits, and site.yaml is checked.

A syntax error or a list in site.yaml, or an alias bomb in a survey file, must give the author
a clear problem with the file (and line), and the site refuses to start with that list, instead
of a traceback, an error on every page, or start-up hanging while memory runs out.
"""

import shutil
import time

import pytest

from app import create_app
from app.cli_support import ContentRefused
from app.content.reading import yaml_reader
from app.content.settings import read_site_settings
from tests.fixtures.surveys import REAL_CONTENT

BOMB = "".join(f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9) if n else ', '.join(['lol'] * 9)}]\n" for n in range(10))


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, folder)
    return folder


def refusal(content) -> str:
    with pytest.raises(ContentRefused) as refused:
        create_app("testing", CONTENT_DIR=str(content))
    return str(refused.value)


def test_a_syntax_error_in_site_yaml_is_a_problem_with_its_line(content):
    (content / "site.yaml").write_text("name: Safer Together\npartners: [one, two\nphase: beta\n")
    _, problems = read_site_settings(content)
    assert len(problems) == 1 and problems[0].path == "site.yaml" and problems[0].line in (2, 3)
    assert "site.yaml" in refusal(content)


def test_a_list_instead_of_settings_is_a_problem_not_an_error_on_every_page(content):
    (content / "site.yaml").write_text("- name: Safer Together\n- partners: []\n")
    message = refusal(content)
    assert "site.yaml" in message and "list of fields" in message


def test_fields_of_the_wrong_kind_are_reported_with_their_lines(content):
    (content / "site.yaml").write_text("name: Safer Together\ncontact_email: [a, b]\nnavigation:\n  - Home\n")
    _, problems = read_site_settings(content)
    assert [(p.line, p.message.split("`")[1]) for p in problems] == [(2, "contact_email"), (3, "navigation")]


def test_an_alias_bomb_in_a_survey_file_is_refused_quickly(content):
    survey = content / "surveys" / "residents-2026-27.md"
    text = survey.read_text()
    survey.write_text(text.replace("---\n", "---\n" + BOMB, 1))
    started = time.monotonic()
    message = refusal(content)
    assert time.monotonic() - started < 10
    assert "residents-2026-27.md" in message and "aliases" in message


def test_the_loader_limits_size_and_aliases_but_keeps_ordinary_anchors():
    assert yaml_reader.load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}
    with pytest.raises(yaml_reader.ContentYamlError):
        yaml_reader.load(BOMB)
    with pytest.raises(yaml_reader.ContentYamlError):
        yaml_reader.load("a: " + "x" * (yaml_reader.MAX_BYTES + 1))
    with pytest.raises(yaml_reader.ContentYamlError):
        yaml_reader.load("a: &a [1, *a]\n")


def test_the_parish_list_goes_through_the_same_loader(content):
    (content / "parishes.yaml").write_text(BOMB)
    assert "parishes.yaml" in refusal(content)
