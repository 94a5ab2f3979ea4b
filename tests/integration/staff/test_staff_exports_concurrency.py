"""An export being read slowly must not hold up respondents (on SQLite, the write lock).

A staff member's browser that reads a large export slowly leaves the export part-way through
its rows; meanwhile a resident answers and submits the whole survey, and must be done quickly.
"""

import os
import resource
import threading
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.staff.exports import priority
from app.surveys.survey_models import Response
from tests.fixtures.staff import insert_bulk_responses
from tests.fixtures.surveys import RESIDENT_PAGES, RESIDENT_SLUG, SurveyBrowser

PARISH = "parish-councils-2026-27"
ROUND = "2026/27"
ROWS = 3000  # more than one batch and many streamed chunks


@pytest.fixture
def many_responses(app):
    with app.app_context():
        insert_bulk_responses(ROWS, PARISH, ROUND)


def resident_submits(app, outcome: dict) -> None:
    started = time.monotonic()
    try:
        outcome["reference"] = SurveyBrowser(app.test_client()).complete(RESIDENT_SLUG, RESIDENT_PAGES)
    except AssertionError as error:  # reported by the test below, with how long it took
        outcome["error"] = repr(error)
    outcome["seconds"] = time.monotonic() - started


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_a_resident_submits_quickly_while_an_export_is_read_slowly(
    app, analyst_client, many_responses, survey_today, fmt
):
    response = analyst_client.get(f"/staff/exports/{PARISH}/download?format={fmt}", buffered=False)
    assert response.status_code == 200
    chunks = iter(response.response)
    first = next(chunks)  # the export is now part-way through (xlsx: all rows read, none sent)
    assert first

    outcome: dict = {}
    worker = threading.Thread(target=resident_submits, args=(app, outcome))
    worker.start()
    worker.join(timeout=60)
    assert "error" not in outcome, outcome
    assert outcome["seconds"] < 3, f"the resident waited {outcome['seconds']:.1f} s behind the export"

    body = first + b"".join(chunks)
    response.close()
    if fmt == "csv":
        assert body.count(b"\r\n") == ROWS + 1
    elif fmt == "json":
        assert body.count(b'"reference"') == ROWS
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == ROWS + 1


def thread_nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def may_renice_back(nice: int) -> bool:
    """What the kernel allows this test process (CI runs as root, with CAP_SYS_NICE)."""
    return os.geteuid() == 0 or 20 - nice <= resource.getrlimit(resource.RLIMIT_NICE)[0]


@pytest.mark.parametrize("read_to_the_end", [True, False], ids=["downloaded", "abandoned"])
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_an_export_streams_at_a_lower_cpu_priority_and_gives_it_back(
    app, analyst_client, many_responses, fmt, read_to_the_end
):
    before = thread_nice()
    response = analyst_client.get(f"/staff/exports/{PARISH}/download?format={fmt}", buffered=False)
    chunks = iter(response.response)
    next(chunks)
    during = thread_nice()
    if read_to_the_end:
        b"".join(chunks)
    response.close()  # a browser that gives up part-way closes the stream here

    assert during == (priority.EXPORT_NICE if may_renice_back(before) else before)
    assert thread_nice() == before
    assert analyst_client.get("/staff/").status_code == 200
    assert thread_nice() == before


def test_a_thread_is_lowered_only_if_it_may_return():
    assert priority.can_return_to(0, rlimit_nice=20, has_cap_sys_nice=False)
    assert priority.can_return_to(0, rlimit_nice=0, has_cap_sys_nice=True)
    assert priority.can_return_to(5, rlimit_nice=15, has_cap_sys_nice=False)
    assert not priority.can_return_to(0, rlimit_nice=0, has_cap_sys_nice=False)
    assert not priority.can_return_to(0, rlimit_nice=19, has_cap_sys_nice=False)
