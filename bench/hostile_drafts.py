"""Filling the database through drafts: 1,000 hostile requests, and how much the database grew.

`python -m bench.hostile_drafts` or `main()` (called by `make bench`). gunicorn serves the site
(rate limits on, as deployed) on SQLite and on PostgreSQL. Each hostile request is a new
session: fetch the first question page for a CSRF token, then post it with an invalid answer
and 98 made-up fields of 10,000 characters named after the question (about 1 MB). The
database's size is taken before and after. Goal: it grows by less than 1 MB.
"""

from __future__ import annotations

import os
import re
import tempfile
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import text

from support.server import gunicorn_server

REQUESTS = int(os.environ.get("BENCH_HOSTILE_REQUESTS", "1000"))
CLIENTS = 8
GOAL_BYTES = 1024 * 1024
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def database_bytes(flask_app: Any) -> int:
    from app.extensions import db

    with flask_app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            used = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)
            used -= int(conn.exec_driver_sql("PRAGMA freelist_count").scalar() or 0)
            return used * int(conn.exec_driver_sql("PRAGMA page_size").scalar() or 0)
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar() or 0)


def hostile(url: str, question_id: str) -> int:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    try:
        with opener.open(url, timeout=60) as response:
            found = _TOKEN.search(response.read().decode("utf-8"))
        if found is None:
            return 0
        token = found.group(1)
        junk = {f"{question_id}-x{i}": "x" * 10_000 for i in range(98)}
        body = urlencode({"csrf_token": token, question_id: "not-an-option", **junk}).encode()
        with opener.open(url, data=body, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run(label: str, database_url: str) -> tuple[int, dict[int, int]]:
    from app.surveys.questions.definitions import get_survey
    from bench.__main__ import fresh_schema, resident_survey_start

    flask_app = fresh_schema(database_url)
    slug, _ = resident_survey_start(flask_app)
    survey = get_survey(flask_app.config["CONTENT_DIR"], slug)
    assert survey is not None
    page = survey.pages[0]
    workers = 2 * (os.cpu_count() or 1) + 1
    before = database_bytes(flask_app)
    statuses: dict[int, int] = {}
    with gunicorn_server(database_url, workers=workers) as (base_url, _process):
        url = f"{base_url}/consultations/{slug}/{page.id}"
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            for status in pool.map(lambda _: hostile(url, page.questions[0].id), range(REQUESTS)):
                statuses[status] = statuses.get(status, 0) + 1
    grown = database_bytes(flask_app) - before
    from app.extensions import db

    with flask_app.app_context():
        db.engine.dispose()
    return grown, statuses


def main() -> list[tuple[str, int, dict[int, int]]]:
    """Prints and returns (database, bytes grown, {status: count}) for each database."""
    from bench.__main__ import PG_URL, ensure_postgres_database

    results = []

    print(f"\nHostile drafts: {REQUESTS:,} requests, each a new session posting about 1 MB of made-up fields")
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp:
        targets = [("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}"), ("PostgreSQL", ensure_postgres_database(PG_URL))]
        for label, url in targets:
            grown, statuses = run(label, url)
            results.append((label, grown, statuses))
            answers = ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items()))
            print(
                f"{label:<11} database grew by {grown / 1024:>7.1f} KB "
                f"[{'ok' if grown < GOAL_BYTES else 'MISSED'} goal < 1 MB]; answers: {answers}"
            )
    return results


def shortfalls(results: list[tuple[str, int, dict[int, int]]]) -> tuple[list[str], list[str]]:
    """(problems, missed) for `make bench`: a server error fails the run; growth over 1 MB is reported."""
    problems = [
        f"hostile drafts on {label}: {statuses}" for label, _, statuses in results if any(s >= 500 for s in statuses)
    ]
    missed = [
        f"hostile drafts on {label}: grew {grown / 1024:.0f} KB" for label, grown, _ in results if grown >= GOAL_BYTES
    ]
    return problems, missed


if __name__ == "__main__":
    main()
